package discourse

import (
	"encoding/binary"
	"unicode/utf8"
)

// The matcher is a byte-level automaton built from the normalised forms of a lexicon. Case
// folding and ё/е are compiled into it (every byte sequence that folds to a form leads to the
// same state), so the text is never copied or lowered. A walk starts only at the start of a word
// and a form counts only where the next character does not continue the word, which gives exact
// word boundaries without a tokeniser.

// acceptBit marks a transition into an accepting state, so the hot loop needs no second load;
// phraseBit one into a state past the first word of a multiword form.
const (
	acceptBit = 1 << 31
	phraseBit = 1 << 30
)

// mayIgnore marks the lead bytes of the runes that ignorable accepts.
var mayIgnore = func() (t [256]bool) {
	for r := rune(0); r < 0x10000; r++ {
		if ignorable(r) {
			var b [4]byte
			utf8.EncodeRune(b[:], r)
			t[b[0]] = true
		}
	}
	return t
}()

// Byte classes of the scanning loop. Every byte below 0x80 is classified exactly; for lead bytes
// whose characters may or may not be letters the rune is decoded (classSlow).
const (
	classSep     = iota // ASCII punctuation and symbols
	classWord           // ASCII letters and digits, continuation bytes, lead bytes of alphabetic blocks
	classSlow           // lead bytes that need decoding (punctuation, quotes, dashes, other scripts)
	classTerm           // . ! ? — end a sentence when not followed by a word character
	classNewline        // \n — two in a separator run end a sentence (a paragraph break)
	classSpace          // space, tab, CR: keep a pending paragraph break
)

var byteClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
			t[c] = classWord
		case c == '.' || c == '!' || c == '?':
			t[c] = classTerm
		case c == '\n':
			t[c] = classNewline
		case c == ' ' || c == '\t' || c == '\r':
			t[c] = classSpace
		case c < 0x80:
			t[c] = classSep
		case c < 0xC0: // continuation bytes: only reached inside a character we already classified
			t[c] = classWord
		case c == 0xC0 || c == 0xC1 || c >= 0xF5: // never valid in UTF-8
			t[c] = classSep
		case c == 0xC2 || c == 0xC3: // Latin-1: NBSP, «», soft hyphen, ×, ÷ among the letters
			t[c] = classSlow
		case c >= 0xC4 && c <= 0xD7: // Latin Extended, IPA, combining marks, Greek, Cyrillic, Armenian, Hebrew
			t[c] = classWord
		default: // Arabic and beyond, and everything of three or four bytes (dashes, quotes, ellipsis)
			t[c] = classSlow
		}
	}
	return t
}()

// sepBytes are the separators a space in a multiword form stands for: phraseSeparators.
var sepBytes = func() (out []string) {
	for _, r := range phraseSeparators {
		out = append(out, string(r))
	}
	return out
}()

type matcher struct {
	trans []uint32 // state<<8 | byte -> next state, acceptBit if accepting; 0 is the dead state
	acc   []int32  // state -> index into forms + 1, 0 if not accepting
	forms []form
	pre   *prefilter
}

// prefilter rejects most words before the automaton is walked: it holds a bit for the hash of
// the first bytes of every byte sequence that can start a form (three bytes when the first is
// ASCII, else six: three Cyrillic letters), with every case and separator variant written out.
// A word whose first bytes are not there cannot start a form; one with an ignorable character
// (stress mark, soft hyphen) among them is always walked.
type prefilter struct {
	bits [1 << (prefilterBits - 6)]uint64
	and  [2]uint64 // the key's bytes, folded: for a key starting with an ASCII byte and with another
	or   [2]uint64
}

const prefilterBits = 17

// key hashes the first bytes of b, folded so that the case of a letter does not change the key:
// ASCII letters get bit 5 set; of a Cyrillic letter's two bytes the lead keeps bits 1–4 and the
// second bits 0–4, which are the same for the capital and the small letter. The fold merges
// other bytes too; that only lets more words through to the automaton.
func (p *prefilter) key(b []byte) uint64 {
	k := b[0] >> 7
	x := binary.LittleEndian.Uint64(b)&p.and[k] | p.or[k]
	return (x * 0x9E3779B97F4A7C15) >> (64 - prefilterBits)
}

// startBit is 1 when a form may start at b[0], else 0; b has at least 8 bytes. It has no branch.
func (p *prefilter) startBit(b []byte) uint64 {
	x := binary.LittleEndian.Uint64(b)
	k := x >> 7 & 1
	h := ((x&p.and[k] | p.or[k]) * 0x9E3779B97F4A7C15) >> (64 - prefilterBits)
	return (p.bits[h>>6]>>(h&63))&1 | mayIgnoreIn(x)
}

// mayIgnoreIn is 1 when bytes 1–7 of x (little-endian) hold the lead byte of a character that
// ignorable may accept (C2, CC, CD, D2, D6, D7, D8 and above: see mayIgnore), else 0: a stress
// mark or soft hyphen inside the key changes it, so such a word is always walked.
func mayIgnoreIn(x uint64) uint64 {
	high := x & hi8
	y := x & lo7
	c2 := y ^ 0x42*ones
	d2 := y ^ 0x52*ones
	hit := (y + 0x28*ones | // >= D8
		(y+0x34*ones)&^(y+0x32*ones) | // CC, CD
		(y+0x2a*ones)&^(y+0x28*ones) | // D6, D7
		^((c2 + lo7) | c2) | ^((d2 + lo7) | d2)) & high
	hit &= 0xffffffffffffff00 // the first byte starts the word
	return (hit | -hit) >> 63
}

// buildPrefilter enumerates the byte sequences of the automaton to the key's length: eight bytes
// (four Cyrillic letters) for keys that start with a non-ASCII byte and three for ASCII ones, or
// fewer when a form is shorter than that.
func (m *matcher) buildPrefilter() {
	for _, lens := range [][2]int{{3, 8}, {3, 6}, {2, 4}, {1, 2}, {1, 1}} {
		if p := m.tryPrefilter(lens); p != nil {
			m.pre = p
			return
		}
	}
	p := &prefilter{} // a one-letter form: walk every word
	for i := range p.bits {
		p.bits[i] = ^uint64(0)
	}
	m.pre = p
}

// tryPrefilter builds the prefilter with keys of lens bytes (ASCII first byte, other), or
// returns nil when a form ends before its key does.
func (m *matcher) tryPrefilter(lens [2]int) *prefilter {
	p := &prefilter{}
	for k, l := range lens {
		keep := ^uint64(0) >> (64 - 8*l)
		if k == 0 {
			p.and[k], p.or[k] = keep, 0x2020202020202020&keep
		} else {
			p.and[k] = 0x1f1e1f1e1f1e1f1e & keep
		}
	}
	short := false
	var path [8]byte
	var walk func(s uint32, depth int)
	walk = func(s uint32, depth int) {
		if short {
			return
		}
		if depth == lens[path[0]>>7] {
			h := p.key(path[:])
			p.bits[h>>6] |= 1 << (h & 63)
			return
		}
		if depth > 0 && m.acc[s] != 0 {
			short = true
			return
		}
		for c := 0; c < 256; c++ {
			if nx := m.trans[int(s)<<8|c] &^ (acceptBit | phraseBit); nx != 0 {
				path[depth] = byte(c)
				walk(nx, depth+1)
			}
		}
		path[depth] = 0
	}
	walk(rootState, 0)
	if short {
		return nil
	}
	return p
}

type form struct {
	entry int // index into the lexicon's entries
	norm  string
}

const rootState = 1

func (m *matcher) newState() uint32 {
	id := uint32(len(m.acc))
	m.acc = append(m.acc, 0)
	m.trans = append(m.trans, make([]uint32, 256)...)
	return id
}

// setPath makes the bytes of p lead from state from to state to (0: a new state), reusing the
// intermediate states of a shared lead byte. It returns the target.
func (m *matcher) setPath(from uint32, p string, to uint32) uint32 {
	cur := from
	for k := 0; k < len(p)-1; k++ {
		idx := int(cur)<<8 | int(p[k])
		nx := m.trans[idx] &^ acceptBit
		if nx == 0 {
			nx = m.newState()
			m.trans[cur<<8|uint32(p[k])] = nx
		}
		cur = nx
	}
	idx := int(cur)<<8 | int(p[len(p)-1])
	if ex := m.trans[idx] &^ acceptBit; ex != 0 {
		return ex // UTF-8 is prefix-free and the fold is a function: the same character
	}
	if to == 0 {
		to = m.newState()
	}
	m.trans[idx] = to
	return to
}

func compile(lx *Lexicon) *matcher {
	m := &matcher{}
	m.newState() // dead
	m.newState() // root
	type edge struct {
		from uint32
		r    rune
	}
	edges := map[edge]uint32{}
	phrase := map[uint32]bool{} // states past a separator of a form
	var buf [utf8.UTFMax]byte
	for ei, e := range lx.Entries {
		for _, f := range e.Forms {
			norm := Normalize(f)
			st := uint32(rootState)
			for _, r := range norm {
				if to, ok := edges[edge{st, r}]; ok {
					st = to
					continue
				}
				var to uint32
				if r == ' ' {
					for _, sb := range sepBytes {
						to = m.setPath(st, sb, to)
					}
					for _, sb := range sepBytes { // a run of separators
						m.setPath(to, sb, to)
					}
				} else {
					for _, v := range variants(r) {
						n := utf8.EncodeRune(buf[:], v)
						to = m.setPath(st, string(buf[:n]), to)
					}
				}
				edges[edge{st, r}] = to
				if r == ' ' || phrase[st] {
					phrase[to] = true
				}
				st = to
			}
			m.forms = append(m.forms, form{entry: ei, norm: norm})
			m.acc[st] = int32(len(m.forms))
		}
	}
	// Mark transitions into accepting states and into states of the later words of a form.
	for i, to := range m.trans {
		if to != 0 && m.acc[to] != 0 {
			m.trans[i] |= acceptBit
		}
		if to != 0 && phrase[to] {
			m.trans[i] |= phraseBit
		}
	}
	m.buildPrefilter()
	return m
}
