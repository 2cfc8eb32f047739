// Package discourse monitors stigmatising language about people who use drugs in Russian and
// English media: a lexicon kept as data, a streaming scanner with exact word boundaries and a
// proximity rule for metaphors, and readers for plain text, HTML, JSON Lines and RSS/Atom feeds.
package discourse

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/casefile/casefile"
)

//go:embed lexicon/lexicon.tsv
var defaultLexicon string

// Rules: whether an entry counts by itself or only near a word for people who use drugs.
const (
	RuleAlone = "alone"
	RuleNear  = "near"
)

// Entry is one lexicon entry: a lemma with every surface form written out.
type Entry struct {
	Lemma    string
	Language string
	Category string // one of the casefile.Discourse* categories
	Rule     string // RuleAlone or RuleNear
	Forms    []string
	Note     string
	Line     int // line in the lexicon file, for messages
}

// Referent reports whether the entry denotes people who use drugs, so that a metaphor near it
// counts: labels, neutral and preferred terms.
func (e *Entry) Referent() bool {
	switch e.Category {
	case casefile.DiscourseLabel, casefile.DiscourseNeutral, casefile.DiscoursePreferred:
		return true
	}
	return false
}

// Lexicon is a list of entries, as loaded from a TSV file.
type Lexicon struct {
	Name    string
	Entries []*Entry
}

var knownCategories = map[string]bool{
	casefile.DiscourseLabel: true, casefile.DiscourseDehumanisation: true, casefile.DiscourseDisgust: true,
	casefile.DiscourseCriminalisation: true, casefile.DiscourseMoral: true, casefile.DiscourseViolence: true,
	casefile.DiscoursePreferred: true, casefile.DiscourseNeutral: true, casefile.DiscourseTopic: true,
}

// DefaultLexicon returns the reviewed lexicon shipped in the binary.
func DefaultLexicon() *Lexicon {
	lx, err := ParseLexicon(strings.NewReader(defaultLexicon), "lexicon.tsv")
	if err != nil {
		panic("discourse: shipped lexicon is invalid: " + err.Error())
	}
	return lx
}

// ParseLexicon reads a lexicon: one entry per line, tab-separated columns lemma, lang, category,
// rule, forms ("|"-separated) and an optional note; lines starting with "#" and blank lines are
// skipped. It returns EINVALID naming the file, line and field of the first problem, including a
// form that two entries claim.
func ParseLexicon(r io.Reader, name string) (*Lexicon, error) {
	lx := &Lexicon{Name: name}
	seen := map[string]int{} // normalised form -> line
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	line := 0
	bad := func(format string, args ...any) error {
		return casefile.Errorf(casefile.EINVALID, "discourse.ParseLexicon", "%s:%d: %s", name, line, fmt.Sprintf(format, args...))
	}
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
		}
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		if !utf8.ValidString(text) {
			return nil, bad("not valid UTF-8")
		}
		col := strings.Split(text, "\t")
		if len(col) < 5 {
			return nil, bad("want at least 5 tab-separated columns (lemma, lang, category, rule, forms), got %d", len(col))
		}
		e := &Entry{Lemma: strings.TrimSpace(col[0]), Language: strings.TrimSpace(col[1]),
			Category: strings.TrimSpace(col[2]), Rule: strings.TrimSpace(col[3]), Line: line}
		if len(col) > 5 {
			e.Note = strings.TrimSpace(col[5])
		}
		if e.Lemma == "" {
			return nil, bad("lemma is empty")
		}
		if e.Language == "" {
			return nil, bad("lang is empty")
		}
		if !knownCategories[e.Category] {
			return nil, bad("category %q is not one of label, dehumanisation, disgust, criminalisation, moral, violence, preferred, neutral, topic", e.Category)
		}
		if e.Rule != RuleAlone && e.Rule != RuleNear {
			return nil, bad("rule %q is not alone or near", e.Rule)
		}
		for _, f := range strings.Split(col[4], "|") {
			f = strings.TrimSpace(f)
			if f == "" {
				continue
			}
			n := Normalize(f)
			if n == "" {
				return nil, bad("form %q has no letters", f)
			}
			for _, r := range f {
				if !isWordRune(r) && !ignorable(r) && !strings.ContainsRune(phraseSeparators, r) {
					return nil, bad("form %q: words of a form may be separated only by spaces, commas or hyphens, not %q", f, r)
				}
			}
			if prev, dup := seen[n]; dup {
				return nil, bad("form %q is already listed on line %d", f, prev)
			}
			if len(n) > maxFormBytes {
				return nil, bad("form %q is longer than %d bytes", f, maxFormBytes)
			}
			seen[n] = line
			e.Forms = append(e.Forms, f)
		}
		if len(e.Forms) == 0 {
			return nil, bad("no forms")
		}
		lx.Entries = append(lx.Entries, e)
	}
	if err := sc.Err(); err != nil {
		line++
		return nil, bad("%v", err)
	}
	if len(lx.Entries) == 0 {
		return nil, casefile.Errorf(casefile.EINVALID, "discourse.ParseLexicon", "%s: no entries", name)
	}
	return lx, nil
}

// phraseSeparators are the characters that may separate the words of a multiword form; in the
// text any run of them matches (see sepBytes).
const phraseSeparators = " \t\n\r,-\u00a0\u2011"

// maxFormBytes bounds one normalised form, so that the scanner's look-ahead is bounded.
const maxFormBytes = 200

// Normalize folds s the way the scanner compares text: lower case, ё→е, combining marks (stress
// accents) and soft hyphens removed, and every run of characters that are not letters or digits
// turned into one space, trimmed.
func Normalize(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case ignorable(r):
			continue
		case isWordRune(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(foldRune(r))
		default:
			space = true
		}
	}
	return b.String()
}

// foldRune maps r to the one form the lexicon is compared in.
func foldRune(r rune) rune {
	r = unicode.ToLower(r)
	if r == 'ё' {
		return 'е'
	}
	return r
}

// isWordRune reports whether r belongs to a word: a letter or a digit.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// ignorable reports whether r is skipped inside a word: combining marks (stress accents), the
// soft hyphen and zero-width joiners.
func ignorable(r rune) bool {
	return unicode.Is(unicode.Mn, r) || r == '\u00ad' || r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\u2060'
}

// variants returns every rune that folds to the folded rune f, f included.
func variants(f rune) []rune {
	out := []rune{f}
	for r := unicode.SimpleFold(f); r != f; r = unicode.SimpleFold(r) {
		if f < utf8.RuneSelf && r >= utf8.RuneSelf {
			continue // the Kelvin sign and the long s are not how k and s are written
		}
		out = append(out, r)
	}
	if f == 'е' {
		out = append(out, 'ё', 'Ё')
	}
	return out
}
