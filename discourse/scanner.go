package discourse

import (
	"encoding/binary"
	"errors"
	"io"
	"math/bits"
	"strings"
	"unicode/utf8"

	"github.com/casefile/casefile"
)

// Options configure a Scanner.
type Options struct {
	// Window widens the proximity rule: a metaphor (rule "near") counts when a word for people who
	// use drugs is in the same sentence, or at most Window words away across sentence ends.
	// 0 means the same sentence only.
	Window int
}

// Scanner finds the expressions of a lexicon in text. It is safe for concurrent use: each Scan
// keeps its own state.
type Scanner struct {
	lx     *Lexicon
	m      *matcher
	window int64
}

// NewScanner compiles lx. EINVALID when the options are out of range.
func NewScanner(lx *Lexicon, opt Options) (*Scanner, error) {
	if opt.Window < 0 || opt.Window > 1000 {
		return nil, casefile.Errorf(casefile.EINVALID, "discourse.NewScanner", "window must be between 0 and 1000 words, got %d", opt.Window)
	}
	return &Scanner{lx: lx, m: compile(lx), window: int64(opt.Window)}, nil
}

// Lexicon returns the lexicon the scanner was built from.
func (s *Scanner) Lexicon() *Lexicon { return s.lx }

// Summary describes one scanned text.
type Summary struct {
	Bytes     int64          `json:"bytes"`
	Words     int64          `json:"words"`
	Sentences int64          `json:"sentences"`
	Counts    map[string]int `json:"counts"` // hits per category, topic terms included
	// AboutDrugs is set when the text names drugs or people who use drugs.
	AboutDrugs bool `json:"about_drugs"`
}

// Stigmatising returns the number of stigmatising hits.
func (s Summary) Stigmatising() int {
	n := 0
	for c, k := range s.Counts {
		if casefile.DiscourseStigmatising(c) {
			n += k
		}
	}
	return n
}

const (
	chunkSize   = 256 << 10
	lookahead   = 1024 // bytes kept beyond the last word start of a chunk: longer than any form
	contextCap  = 600  // bytes of a long sentence kept on each side of a hit
	maxSentence = 4096 // a run without terminators longer than this is cut into sentences
	refMemory   = 64   // referents remembered for the proximity rule
)

// Scan reads r to the end and calls fn for every hit, in the order of the text, topic and
// preferred terms included (see Hit.Category). Memory stays flat whatever the size of r. An error
// from fn stops the scan and is returned.
func (s *Scanner) Scan(r io.Reader, fn func(*casefile.DiscourseHit) error) (Summary, error) {
	st := &stream{s: s, fn: fn, buf: make([]byte, chunkSize+lookahead), sum: Summary{Counts: map[string]int{}}}
	return st.run(r)
}

// ScanString scans text and returns its hits.
func (s *Scanner) ScanString(text string) ([]*casefile.DiscourseHit, Summary) {
	var hits []*casefile.DiscourseHit
	sum, _ := s.Scan(strings.NewReader(text), func(h *casefile.DiscourseHit) error {
		hits = append(hits, h)
		return nil
	})
	return hits, sum
}

type pending struct {
	hit      casefile.DiscourseHit
	entry    *Entry
	word     int64
	sent     int64
	ctxStart int64 // stream offset where the quoted sentence starts
	done     bool  // Sentence is set
	resolved bool  // for rule near: a referent was found
}

type referent struct {
	word, sent int64
	r          casefile.DiscourseReferent
}

type stream struct {
	s      *Scanner
	fn     func(*casefile.DiscourseHit) error
	buf    []byte
	base   int64 // stream offset of buf[0]
	n      int   // bytes in buf
	eof    bool
	inWord bool // the chunk ended inside a word

	words     int64
	sents     int64
	sentStart int64
	sentWords bool // the current sentence has a word
	sentCut   bool // the current sentence starts where a too long one was cut

	queue []*pending
	refs  []referent
	sum   Summary
	err   error
}

func (st *stream) run(r io.Reader) (Summary, error) {
	pos := 0 // where scanning resumes in buf
	for {
		for st.n < len(st.buf) && !st.eof {
			k, err := r.Read(st.buf[st.n:])
			st.n += k
			if errors.Is(err, io.EOF) {
				st.eof = true
			} else if err != nil {
				return st.sum, err
			}
		}
		limit := st.n
		if !st.eof {
			limit = st.n - lookahead
		}
		pos = st.scan(pos, limit)
		if st.err != nil {
			return st.sum, st.err
		}
		if st.eof {
			break
		}
		// Keep what later hits or a quotation still need, nothing more.
		cur := st.base + int64(pos)
		keep := cur
		if ss := max(st.sentStart, cur-contextCap); ss < keep {
			keep = ss
		}
		keep = max(st.base, min(keep, cur-64)) // a little behind, for paragraphBefore
		for _, p := range st.queue {
			if p.done {
				continue
			}
			if p.hit.End+contextCap <= cur {
				st.quote(p, p.hit.End+contextCap, true)
				continue
			}
			keep = min(keep, p.ctxStart)
		}
		k := int(keep - st.base)
		copy(st.buf, st.buf[k:st.n])
		st.n -= k
		st.base = keep
		pos -= k
		st.flush()
		if st.err != nil {
			return st.sum, st.err
		}
	}
	st.endSentence(st.base + int64(st.n))
	st.flushAll()
	st.sum.Bytes = st.base + int64(st.n)
	st.sum.Words = st.words
	return st.sum, st.err
}

// scan walks buf from pos, starting words only before limit, and returns where to resume.
// Between whole blocks of 64 bytes (blocks) it goes one character or one word at a time.
func (st *stream) scan(pos, limit int) int {
	buf := st.buf[:st.n]
	n := len(buf)
	i := pos
	if st.inWord {
		st.inWord = false
		i = st.skipWord(buf, i)
		if st.inWord {
			return i
		}
	}
	for i < limit {
		if i+64 <= limit && i+64+blockSlack <= n {
			i = st.blocks(buf, i, limit)
			if st.err != nil || st.inWord {
				return i
			}
			continue
		}
		switch byteClass[buf[i]] {
		case classWord:
		case classSpace, classSep:
			i++
			continue
		case classNewline:
			if paragraphBefore(buf, i) {
				st.endSentence(st.base + int64(i))
			}
			i++
			continue
		case classTerm:
			i++
			if i >= n || byteClass[buf[i]] != classWord {
				st.endSentence(st.base + int64(i))
			}
			continue
		case classSlow:
			r, size := utf8.DecodeRune(buf[i:])
			if !isWordRune(r) {
				if sentenceEnd(r) {
					st.endSentence(st.base + int64(i+size))
				}
				i += size
				continue
			}
		}
		end := st.word(buf, i)
		if st.err != nil {
			return i
		}
		if end > 0 {
			i = end
			continue
		}
		i = st.skipWord(buf, i)
		if st.inWord {
			return i
		}
	}
	return i
}

// blockSlack is how far past a block the loads of blocks may read: the prefilter's eight bytes
// at a word start in the block's last byte.
const blockSlack = 16

// blocks scans whole blocks of 64 bytes from i while they end before limit. For each block it
// makes two bit masks, eight bytes at a time: the bytes that start a word and the bytes that need
// a look (sentence ends, line breaks, characters to decode). Only those positions are visited,
// and at a word start only the prefilter's hash is taken unless a form may start there. It
// returns a position outside any word, for the loop of scan to go on from.
func (st *stream) blocks(buf []byte, i, limit int) int {
	n := len(buf)
	pre := st.s.m.pre
	carry := uint64(0) // the byte before the block is a word byte: scan calls at a word's start or outside one
	skipTo := i        // events before skipTo lie inside a form already matched
	for i+64 <= limit && i+64+blockSlack <= n {
		// The bit masks, eight bytes at a time: masks written out eight times, because the
		// compiler does not inline it.
		blk := buf[i : i+64]
		x0 := binary.LittleEndian.Uint64(blk[0:])
		h0, y0 := x0&hi8, x0&lo7
		l0 := y0 | 0x20*ones
		d0, b0, q0 := y0^(0x2e*ones), y0^(0x21*ones), y0^(0x3f*ones)
		wm0 := h0 | ((l0+0x1f*ones)&^(l0+0x05*ones)|(y0+0x50*ones)&^(y0+0x46*ones))&hi8&^h0
		sm0 := ((^(y0+0x60*ones)|^((d0+lo7)|d0)|^((b0+lo7)|b0)|^((q0+lo7)|q0))&^h0 | (y0+0x28*ones|(y0+0x40*ones)&^(y0+0x3c*ones))&h0) & hi8
		x1 := binary.LittleEndian.Uint64(blk[8:])
		h1, y1 := x1&hi8, x1&lo7
		l1 := y1 | 0x20*ones
		d1, b1, q1 := y1^(0x2e*ones), y1^(0x21*ones), y1^(0x3f*ones)
		wm1 := h1 | ((l1+0x1f*ones)&^(l1+0x05*ones)|(y1+0x50*ones)&^(y1+0x46*ones))&hi8&^h1
		sm1 := ((^(y1+0x60*ones)|^((d1+lo7)|d1)|^((b1+lo7)|b1)|^((q1+lo7)|q1))&^h1 | (y1+0x28*ones|(y1+0x40*ones)&^(y1+0x3c*ones))&h1) & hi8
		x2 := binary.LittleEndian.Uint64(blk[16:])
		h2, y2 := x2&hi8, x2&lo7
		l2 := y2 | 0x20*ones
		d2, b2, q2 := y2^(0x2e*ones), y2^(0x21*ones), y2^(0x3f*ones)
		wm2 := h2 | ((l2+0x1f*ones)&^(l2+0x05*ones)|(y2+0x50*ones)&^(y2+0x46*ones))&hi8&^h2
		sm2 := ((^(y2+0x60*ones)|^((d2+lo7)|d2)|^((b2+lo7)|b2)|^((q2+lo7)|q2))&^h2 | (y2+0x28*ones|(y2+0x40*ones)&^(y2+0x3c*ones))&h2) & hi8
		x3 := binary.LittleEndian.Uint64(blk[24:])
		h3, y3 := x3&hi8, x3&lo7
		l3 := y3 | 0x20*ones
		d3, b3, q3 := y3^(0x2e*ones), y3^(0x21*ones), y3^(0x3f*ones)
		wm3 := h3 | ((l3+0x1f*ones)&^(l3+0x05*ones)|(y3+0x50*ones)&^(y3+0x46*ones))&hi8&^h3
		sm3 := ((^(y3+0x60*ones)|^((d3+lo7)|d3)|^((b3+lo7)|b3)|^((q3+lo7)|q3))&^h3 | (y3+0x28*ones|(y3+0x40*ones)&^(y3+0x3c*ones))&h3) & hi8
		x4 := binary.LittleEndian.Uint64(blk[32:])
		h4, y4 := x4&hi8, x4&lo7
		l4 := y4 | 0x20*ones
		d4, b4, q4 := y4^(0x2e*ones), y4^(0x21*ones), y4^(0x3f*ones)
		wm4 := h4 | ((l4+0x1f*ones)&^(l4+0x05*ones)|(y4+0x50*ones)&^(y4+0x46*ones))&hi8&^h4
		sm4 := ((^(y4+0x60*ones)|^((d4+lo7)|d4)|^((b4+lo7)|b4)|^((q4+lo7)|q4))&^h4 | (y4+0x28*ones|(y4+0x40*ones)&^(y4+0x3c*ones))&h4) & hi8
		x5 := binary.LittleEndian.Uint64(blk[40:])
		h5, y5 := x5&hi8, x5&lo7
		l5 := y5 | 0x20*ones
		d5, b5, q5 := y5^(0x2e*ones), y5^(0x21*ones), y5^(0x3f*ones)
		wm5 := h5 | ((l5+0x1f*ones)&^(l5+0x05*ones)|(y5+0x50*ones)&^(y5+0x46*ones))&hi8&^h5
		sm5 := ((^(y5+0x60*ones)|^((d5+lo7)|d5)|^((b5+lo7)|b5)|^((q5+lo7)|q5))&^h5 | (y5+0x28*ones|(y5+0x40*ones)&^(y5+0x3c*ones))&h5) & hi8
		x6 := binary.LittleEndian.Uint64(blk[48:])
		h6, y6 := x6&hi8, x6&lo7
		l6 := y6 | 0x20*ones
		d6, b6, q6 := y6^(0x2e*ones), y6^(0x21*ones), y6^(0x3f*ones)
		wm6 := h6 | ((l6+0x1f*ones)&^(l6+0x05*ones)|(y6+0x50*ones)&^(y6+0x46*ones))&hi8&^h6
		sm6 := ((^(y6+0x60*ones)|^((d6+lo7)|d6)|^((b6+lo7)|b6)|^((q6+lo7)|q6))&^h6 | (y6+0x28*ones|(y6+0x40*ones)&^(y6+0x3c*ones))&h6) & hi8
		x7 := binary.LittleEndian.Uint64(blk[56:])
		h7, y7 := x7&hi8, x7&lo7
		l7 := y7 | 0x20*ones
		d7, b7, q7 := y7^(0x2e*ones), y7^(0x21*ones), y7^(0x3f*ones)
		wm7 := h7 | ((l7+0x1f*ones)&^(l7+0x05*ones)|(y7+0x50*ones)&^(y7+0x46*ones))&hi8&^h7
		sm7 := ((^(y7+0x60*ones)|^((d7+lo7)|d7)|^((b7+lo7)|b7)|^((q7+lo7)|q7))&^h7 | (y7+0x28*ones|(y7+0x40*ones)&^(y7+0x3c*ones))&h7) & hi8
		const magic = 0x0102040810204080
		w := (wm0>>7*magic)>>56 | (wm1>>7*magic)>>56<<8 | (wm2>>7*magic)>>56<<16 | (wm3>>7*magic)>>56<<24 |
			(wm4>>7*magic)>>56<<32 | (wm5>>7*magic)>>56<<40 | (wm6>>7*magic)>>56<<48 | (wm7>>7*magic)>>56<<56
		sp := (sm0>>7*magic)>>56 | (sm1>>7*magic)>>56<<8 | (sm2>>7*magic)>>56<<16 | (sm3>>7*magic)>>56<<24 |
			(sm4>>7*magic)>>56<<32 | (sm5>>7*magic)>>56<<40 | (sm6>>7*magic)>>56<<48 | (sm7>>7*magic)>>56<<56
		starts := w &^ (w<<1 | carry)
		carry = w >> 63
		if skipTo > i {
			starts &^= (uint64(1) << (skipTo - i)) - 1 // inside the form matched last
			sp &^= (uint64(1) << (skipTo - i)) - 1
		}
		if starts != 0 && st.base+int64(i+64)-st.sentStart > maxSentence {
			// A very long sentence gets cut at a word start: the rare case, one word at a time.
			sp |= starts
			starts = 0
		}
		// The prefilter for every word start, without a branch; words that no form can start
		// are only counted.
		var cand uint64
		for m := starts &^ sp; m != 0; m &= m - 1 {
			off := bits.TrailingZeros64(m)
			x := binary.LittleEndian.Uint64(buf[i+off : i+off+8])
			k := x >> 7 & 1
			h := ((x&pre.and[k] | pre.or[k]) * 0x9E3779B97F4A7C15) >> (64 - prefilterBits)
			cand |= ((pre.bits[h>>6]>>(h&63))&1 | mayIgnoreIn(x)) << off
		}
		st.words += int64(bits.OnesCount64(starts &^ sp &^ cand))
		if starts&((sp&-sp)-1) != 0 { // a word before the first sentence end in the block
			st.sentWords = true
		}
		next := i + 64
		for ev := cand | sp; ev != 0; ev &= ev - 1 {
			off := bits.TrailingZeros64(ev)
			p := i + off
			if p < skipTo {
				continue
			}
			if sp&(1<<off) != 0 {
				if c := buf[p]; c < 0x20 && (c != '\n' || p > 0 && byteClass[buf[p-1]] != classSpace && buf[p-1] != '\n') {
					// a tab, or a line break that cannot end an empty line: nothing to do
					if starts>>off>>1 != 0 {
						st.sentWords = true
					}
					continue
				}
				if starts&(1<<off) != 0 && byteClass[buf[p]] == classWord {
					// a word start marked special only to be counted one at a time
				} else if p = st.special(buf, p); p < 0 {
					if starts>>off>>1 != 0 { // words follow in the block, in the sentence that starts here
						st.sentWords = true
					}
					continue
				}
			}
			if end := st.word(buf, p); end > 0 {
				skipTo = end
			}
			if st.err != nil {
				return p
			}
		}
		if skipTo > next {
			next, carry = skipTo, 1 // a form ran past the block; its last character is a letter
		}
		i = next
	}
	// Hand over outside a word.
	if r, _ := utf8.DecodeLastRune(buf[:i]); i > 0 && (isWordRune(r) || ignorable(r)) {
		i = st.skipWord(buf, i)
	}
	return i
}

// masks returns gather(wordMask(x)) and gather(specialMask(x)), sharing their work.
func masks(x uint64) (w, sp uint64) {
	high := x & hi8
	y := x & lo7
	lower := y | 0x20*ones
	letter := (lower + 0x1f*ones) &^ (lower + 0x05*ones)
	digit := (y + 0x50*ones) &^ (y + 0x46*ones)
	wm := high | ((letter|digit)&hi8)&^high
	ctrl := ^(y + 0x60*ones)
	dot, bang, qm := y^(0x2e*ones), y^(0x21*ones), y^(0x3f*ones)
	eq := ^((dot + lo7) | dot) | ^((bang + lo7) | bang) | ^((qm + lo7) | qm)
	slow := ((y + 0x28*ones) | ((y + 0x40*ones) &^ (y + 0x3c*ones))) & high
	sm := ((ctrl|eq)&^high | slow) & hi8
	const magic = 0x0102040810204080
	return ((wm >> 7) * magic) >> 56, ((sm >> 7) * magic) >> 56
}

// gather packs the high bits of the eight bytes of m into the low eight bits, byte k to bit k.
func gather(m uint64) uint64 {
	return ((m >> 7) & 0x0101010101010101) * 0x0102040810204080 >> 56
}

// special handles the byte at p that specialMask marked. It returns the position of a word that
// starts there or right after (a letter that needs decoding, or a word after a quotation mark or
// dash), or -1.
func (st *stream) special(buf []byte, p int) int {
	switch c := buf[p]; {
	case c == '\n':
		if paragraphBefore(buf, p) {
			st.endSentence(st.base + int64(p))
		}
		return -1
	case c == '.' || c == '!' || c == '?':
		if p+1 >= len(buf) || byteClass[buf[p+1]] != classWord {
			st.endSentence(st.base + int64(p+1))
		}
		return -1
	case c < 0x80: // other control characters
		return -1
	}
	r, size := utf8.DecodeRune(buf[p:])
	if isWordRune(r) {
		if prev, _ := utf8.DecodeLastRune(buf[:p]); p > 0 && (isWordRune(prev) || ignorable(prev)) {
			return -1 // inside a word
		}
		return p
	}
	if ignorable(r) {
		return -1
	}
	if sentenceEnd(r) {
		st.endSentence(st.base + int64(p+size))
	}
	if q := p + size; q < len(buf) && byteClass[buf[q]] == classWord && utf8.RuneStart(buf[q]) {
		return q
	}
	return -1
}

// paragraphBefore reports whether the line break at p ends an empty line: a paragraph break.
func paragraphBefore(buf []byte, p int) bool {
	j := p - 1
	for j >= 0 && (buf[j] == ' ' || buf[j] == '\t' || buf[j] == '\r') {
		j--
	}
	return j >= 0 && buf[j] == '\n'
}

func sentenceEnd(r rune) bool {
	return r == '…' || r == '\u2029' || r == '。' || r == '！' || r == '？'
}

// word handles a word that starts at i: it counts it and, when a form may start there, walks the
// automaton. It returns the end of the form matched, or 0.
func (st *stream) word(buf []byte, i int) int {
	if st.base+int64(i)-st.sentStart > maxSentence {
		st.endSentenceCut(st.base+int64(i), true)
	}
	st.words++
	st.sentWords = true
	n := len(buf)
	if i+8 <= n && st.s.m.pre.startBit(buf[i:]) == 0 {
		return 0
	}
	trans := st.s.m.trans
	s := uint32(rootState)
	j := i
	cs, cj := s, j // the state at the start of the current character, and where it starts
	last, lastEnd := int32(0), 0
	for j < n {
		c := buf[j]
		if c&0xc0 != 0x80 {
			cs, cj = s, j
		}
		nx := trans[int(s)<<8|int(c)]
		if nx == 0 {
			// A stress mark or soft hyphen is skipped, even when its first byte began a
			// character the automaton knows (U+00A0 and U+00AD share C2).
			if mayIgnore[buf[cj]] {
				if r, size := utf8.DecodeRune(buf[cj:]); ignorable(r) && cj+size > j {
					s, j = cs, cj+size
					cj = j // what follows starts afresh (invalid UTF-8 must not send the walk back)
					if a := st.s.m.acc[s]; a != 0 && st.boundary(buf, j) {
						last, lastEnd = a, j
					}
					continue
				}
			}
			break
		}
		j++
		s = nx &^ (acceptBit | phraseBit)
		if nx&acceptBit != 0 && st.boundary(buf, j) {
			last, lastEnd = st.s.m.acc[s], j
		}
	}
	if last == 0 {
		return 0
	}
	st.match(int(last-1), st.base+int64(i), st.base+int64(lastEnd))
	return lastEnd
}

// skipWord returns the end of the word that starts at i. At the end of a chunk that is not the
// end of the input it sets inWord and returns len(buf).
func (st *stream) skipWord(buf []byte, i int) int {
	n := len(buf)
	for {
		// Eight bytes at a time while they are all bytes of non-ASCII letters (Cyrillic text).
		for i+8 <= n {
			x := binary.LittleEndian.Uint64(buf[i:])
			if nw := nonWordMask(x); nw != 0 {
				i += bits.TrailingZeros64(nw) >> 3
				break
			}
			i += 8
		}
		for i < n && byteClass[buf[i]] == classWord {
			i++
		}
		if i < n && byteClass[buf[i]] == classSlow {
			if !utf8.FullRune(buf[i:]) && !st.eof {
				st.inWord = true
				return i
			}
			if r, size := utf8.DecodeRune(buf[i:]); isWordRune(r) || ignorable(r) {
				i += size
				continue
			}
		}
		break
	}
	if i >= n && !st.eof {
		st.inWord = true
	}
	return i
}

const (
	hi8  = 0x8080808080808080
	lo7  = 0x7f7f7f7f7f7f7f7f
	ones = 0x0101010101010101
)

// nonWordMask has the high bit set in each byte of x (little-endian) that is not a byte of
// classWord above 0x7F: ASCII, C0–C3 and D8–FF. Bytes at or after the first set one may be
// marked wrongly; only the lowest set bit is used.
func nonWordMask(x uint64) uint64 {
	y := x & lo7
	ascii := ^x & hi8
	ge58 := (y + 0x28*ones) & hi8 // byte >= 0xD8
	ge40 := (y + 0x40*ones) & hi8 // byte >= 0xC0
	ge44 := (y + 0x3c*ones) & hi8 // byte >= 0xC4
	return ascii | ((ge58 | (ge40 &^ ge44)) &^ ascii)
}

// wordMask has the high bit set in each byte of x that is an ASCII letter or digit or not ASCII.
func wordMask(x uint64) uint64 {
	high := x & hi8
	y := x & lo7
	lower := y | 0x20*ones
	letter := (lower + 0x1f*ones) &^ (lower + 0x05*ones) // 0x61 <= lower < 0x7b
	digit := (y + 0x50*ones) &^ (y + 0x46*ones)          // 0x30 <= y < 0x3a
	return high | ((letter|digit)&hi8)&^high
}

// specialMask has the high bit set in each byte of x the scanning loop must look at: control
// characters (line breaks), . ! ?, and lead bytes of characters that need decoding. Exact for
// every byte.
func specialMask(x uint64) uint64 {
	high := x & hi8
	y := x & lo7
	ctrl := ^(y + 0x60*ones) // y < 0x20
	dot, bang, qm := y^(0x2e*ones), y^(0x21*ones), y^(0x3f*ones)
	eq := ^((dot + lo7) | dot) | ^((bang + lo7) | bang) | ^((qm + lo7) | qm) // a zero byte
	ascii := (ctrl | eq) &^ high
	slow := ((y + 0x28*ones) | ((y + 0x40*ones) &^ (y + 0x3c*ones))) & high // >= 0xD8, or 0xC0–0xC3
	return (ascii | slow) & hi8
}

// boundary reports whether a word ends before buf[j].
func (st *stream) boundary(buf []byte, j int) bool {
	if j >= len(buf) {
		return st.eof
	}
	switch byteClass[buf[j]] {
	case classWord:
		return false
	case classSlow:
		r, _ := utf8.DecodeRune(buf[j:])
		return !isWordRune(r) && !ignorable(r)
	}
	return true
}

func (st *stream) match(fi int, start, end int64) {
	m := st.s.m
	e := st.s.lx.Entries[m.forms[fi].entry]
	if e.Rule == RuleNear && st.negated(int(start-st.base)) {
		return // «а не уничтожать», "are not criminals": the text rejects the expression
	}
	p := &pending{entry: e, word: st.words, sent: st.sents}
	p.hit = casefile.DiscourseHit{
		Term:     string(st.buf[start-st.base : end-st.base]),
		Lemma:    e.Lemma,
		Category: e.Category,
		Language: e.Language,
		Rule:     e.Rule,
		Start:    start,
		End:      end,
	}
	p.ctxStart = st.sentStart
	if start-p.ctxStart > contextCap {
		p.ctxStart = st.wordStartAfter(start - contextCap)
	}
	if e.Referent() {
		ref := referent{word: st.words, sent: st.sents, r: casefile.DiscourseReferent{Term: p.hit.Term, Start: start, End: end}}
		for _, q := range st.queue {
			if q.entry.Rule == RuleNear && !q.resolved && st.near(q.word, q.sent, ref.word, ref.sent) {
				q.resolved = true
				q.hit.Referent = &casefile.DiscourseReferent{Term: ref.r.Term, Start: ref.r.Start, End: ref.r.End}
			}
		}
		st.refs = append(st.refs, ref)
		if len(st.refs) > refMemory {
			st.refs = append(st.refs[:0], st.refs[len(st.refs)-refMemory:]...)
		}
	}
	if e.Rule == RuleNear {
		for k := len(st.refs) - 1; k >= 0; k-- {
			if r := st.refs[k]; st.near(r.word, r.sent, p.word, p.sent) {
				p.resolved = true
				p.hit.Referent = &casefile.DiscourseReferent{Term: r.r.Term, Start: r.r.Start, End: r.r.End}
				break
			}
		}
	}
	st.queue = append(st.queue, p)
	st.flush()
}

// negated reports whether the word before buf[i] is a negation: «не», «ни», "not", "never", or
// the "t" of "n't". Only expressions that count near a referent are dropped when negated; a
// label stays a label.
func (st *stream) negated(i int) bool {
	b := st.buf
	j := i
	for j > 0 && (b[j-1] == ' ' || b[j-1] == '\t' || b[j-1] == '\n' || b[j-1] == '\r') {
		j--
	}
	if j == i {
		return false // the expression is glued to what precedes it
	}
	k := j
	for k > 0 && j-k < 16 {
		r, size := utf8.DecodeLastRune(b[:k])
		if !isWordRune(r) {
			break
		}
		k -= size
	}
	switch Normalize(string(b[k:j])) {
	case "не", "ни", "not", "never":
		return true
	case "t": // aren't, don't, isn't
		return k >= 1 && b[k-1] == '\'' || k >= 3 && string(b[k-3:k]) == "\u2019"
	}
	return false
}

func (st *stream) near(w1, s1, w2, s2 int64) bool {
	if s1 == s2 {
		return true
	}
	d := w2 - w1
	if d < 0 {
		d = -d
	}
	return st.s.window > 0 && d <= st.s.window
}

// wordStartAfter returns the first offset at or after off (within buf) that starts a word, or
// off itself moved to a character boundary.
func (st *stream) wordStartAfter(off int64) int64 {
	k := int(off - st.base)
	for k < st.n && !utf8.RuneStart(st.buf[k]) {
		k++
	}
	for j := k; j < st.n && j < k+64; j++ {
		if st.buf[j] == ' ' {
			return st.base + int64(j+1)
		}
	}
	return st.base + int64(k)
}

// quote sets the sentence of p from its context start to end (a stream offset in buf).
func (st *stream) quote(p *pending, end int64, cut bool) {
	a := int(p.ctxStart - st.base)
	b := int(end - st.base)
	b = min(b, st.n)
	for b > a && b < st.n && !utf8.RuneStart(st.buf[b]) {
		b--
	}
	if cut {
		if sp := strings.LastIndexByte(string(st.buf[a:b]), ' '); sp > int(p.hit.End-p.ctxStart) {
			b = a + sp
		}
	}
	text := strings.Join(strings.Fields(strings.ToValidUTF8(string(st.buf[a:b]), "\uFFFD")), " ")
	if p.ctxStart > st.sentStart || st.sentCut {
		text = "…" + text
	}
	if cut {
		text += "…"
	}
	p.hit.Sentence = text
	p.done = true
}

func (st *stream) endSentence(end int64) {
	if len(st.queue) == 0 { // no hit waits for its quotation
		if st.sentWords {
			st.sentWords = false
			st.sents++
			st.sum.Sentences++
		}
		st.sentCut = false
		st.sentStart = end
		return
	}
	st.endSentenceCut(end, false)
}

// endSentenceCut ends the current sentence at end; forced is set when the sentence was cut only
// because it grew too long, so that its quotations show the cut.
func (st *stream) endSentenceCut(end int64, forced bool) {
	if !st.sentWords {
		st.sentStart = end
		return
	}
	st.sentWords = false
	for _, p := range st.queue {
		if p.sent == st.sents && !p.done {
			if end-p.hit.End > contextCap {
				st.quote(p, p.hit.End+contextCap, true)
			} else {
				st.quote(p, end, forced)
			}
		}
	}
	st.sentCut = forced
	st.sents++
	st.sum.Sentences++
	st.sentStart = end
	st.flush()
}

// flush emits the hits at the front of the queue that are settled.
func (st *stream) flush() {
	k := 0
	for ; k < len(st.queue) && st.err == nil; k++ {
		p := st.queue[k]
		if !p.done {
			break
		}
		if p.entry.Rule == RuleNear && !p.resolved {
			if p.sent == st.sents || (st.s.window > 0 && st.words-p.word <= st.s.window) {
				break // a referent may still come
			}
			continue // no referent near: not a hit
		}
		st.emit(p)
	}
	st.queue = append(st.queue[:0], st.queue[k:]...)
}

func (st *stream) flushAll() {
	for _, p := range st.queue {
		if st.err != nil {
			break
		}
		if p.entry.Rule == RuleNear && !p.resolved {
			continue
		}
		st.emit(p)
	}
	st.queue = nil
}

func (st *stream) emit(p *pending) {
	h := p.hit
	st.sum.Counts[h.Category]++
	switch h.Category {
	case casefile.DiscourseTopic, casefile.DiscourseLabel, casefile.DiscourseNeutral, casefile.DiscoursePreferred:
		st.sum.AboutDrugs = true
	default:
		if h.Rule == RuleAlone {
			st.sum.AboutDrugs = true
		}
	}
	if err := st.fn(&h); err != nil {
		st.err = err
	}
}
