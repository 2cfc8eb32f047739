package discourse

import (
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// referenceMatches is a slow, plain matcher to check the scanner against: it splits the text
// into words, normalises them one by one, and looks the longest run of words up in a map.
func referenceMatches(lx *Lexicon, text string) []string {
	forms := map[string]*Entry{}
	maxWords := 1
	for _, e := range lx.Entries {
		for _, f := range e.Forms {
			n := Normalize(f)
			forms[n] = e
			maxWords = max(maxWords, strings.Count(n, " ")+1)
		}
	}
	type word struct{ start, end int }
	var words []word
	inWord := false
	for i, r := range text {
		w := isWordRune(r) || (inWord && ignorable(r))
		if w && !inWord {
			words = append(words, word{start: i})
		}
		if !w && inWord {
			words[len(words)-1].end = i
		}
		inWord = w
	}
	if inWord {
		words[len(words)-1].end = len(text)
	}
	phraseSep := func(s string) bool {
		if s == "" {
			return false
		}
		for _, r := range s {
			if !strings.ContainsRune(" \t\n\r,-\u00a0\u2011", r) {
				return false
			}
		}
		return true
	}
	var out []string
	for k := 0; k < len(words); {
		matched := 0
		for l := min(maxWords, len(words)-k); l >= 1 && matched == 0; l-- {
			ok := true
			for j := k; j < k+l-1; j++ {
				if !phraseSep(text[words[j].end:words[j+1].start]) {
					ok = false
				}
			}
			if !ok {
				continue
			}
			span := text[words[k].start:words[k+l-1].end]
			if e := forms[Normalize(span)]; e != nil {
				out = append(out, span+"/"+e.Lemma)
				matched = l
			}
		}
		if matched == 0 {
			matched = 1
		}
		k += matched
	}
	return out
}

func allAlone(lx *Lexicon) *Lexicon {
	out := &Lexicon{Name: lx.Name}
	for _, e := range lx.Entries {
		c := *e
		c.Rule = RuleAlone
		out.Entries = append(out.Entries, &c)
	}
	return out
}

func scannerMatches(t *testing.T, s *Scanner, text string) []string {
	hits, _ := s.ScanString(text)
	var out []string
	for _, h := range hits {
		if text[h.Start:h.End] != h.Term {
			t.Fatalf("offsets %d-%d do not give %q", h.Start, h.End, h.Term)
		}
		out = append(out, h.Term+"/"+h.Lemma)
	}
	return out
}

// TestScanner_AgainstReference compares the scanner with the reference matcher on text made of
// real Russian prose with every form of the lexicon mixed in: in capitals, with stress marks and
// soft hyphens, inside quotation marks and dashes, glued to other words, across line breaks.
func TestScanner_AgainstReference(t *testing.T) {
	lx := allAlone(DefaultLexicon())
	s, err := NewScanner(lx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	prose := "Он посветил фонариком в подъезд и увидел соседа. Актриса сыграла героиню; ветер отбросил лодку. "
	if b, err := os.ReadFile("testdata/eval.tsv"); err == nil {
		prose += string(b)
	}
	var forms []string
	for _, e := range lx.Entries {
		forms = append(forms, e.Forms...)
	}
	decorate := []func(string) string{
		func(f string) string { return f },
		strings.ToUpper,
		func(f string) string { r, n := utf8.DecodeRuneInString(f); return strings.ToUpper(string(r)) + f[n:] },
		func(f string) string { return "«" + f + "»" },
		func(f string) string { return "—" + f + "—" },
		func(f string) string { return "по" + f },     // glued before: no match
		func(f string) string { return f + "ами" },    // glued after: no match (unless a form)
		func(f string) string { return f + "\u0301" }, // stress mark at the end
		func(f string) string { // stress mark or soft hyphen after the second letter
			rs := []rune(f)
			if len(rs) < 3 || !isWordRune(rs[1]) {
				return f
			}
			return string(rs[:2]) + "\u0301" + string(rs[2:])
		},
		func(f string) string { // soft hyphen inside
			rs := []rune(f)
			if len(rs) < 4 || !isWordRune(rs[2]) || !isWordRune(rs[3]) {
				return f
			}
			return string(rs[:3]) + "\u00ad" + string(rs[3:])
		},
		func(f string) string { return strings.ReplaceAll(f, " ", "\n") },
		func(f string) string { return strings.ReplaceAll(f, "е", "ё") },
		func(f string) string { return f + "." },
		func(f string) string { return "1" + f },
	}
	rng := rand.New(rand.NewPCG(1, 2))
	seps := []string{" ", " ", " ", ", ", ". ", "\n", "\n\n", " — ", "\u00a0", "-", "…", "«", "»", "!", "\t"}
	for round := 0; round < 30; round++ {
		var b strings.Builder
		pr := []rune(prose)
		size := 40000
		if round == 0 {
			size = 3 * chunkSize // across chunk ends
		}
		for b.Len() < size {
			switch rng.IntN(3) {
			case 0:
				a := rng.IntN(len(pr))
				b.WriteString(string(pr[a:min(len(pr), a+rng.IntN(200))]))
			default:
				b.WriteString(decorate[rng.IntN(len(decorate))](forms[rng.IntN(len(forms))]))
			}
			b.WriteString(seps[rng.IntN(len(seps))])
		}
		text := b.String()
		if !utf8.ValidString(text) {
			t.Fatal("test text is not UTF-8")
		}
		want := referenceMatches(lx, text)
		got := scannerMatches(t, s, text)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			for k := 0; k < max(len(got), len(want)); k++ {
				var g, w string
				if k < len(got) {
					g = got[k]
				}
				if k < len(want) {
					w = want[k]
				}
				if g != w {
					t.Fatalf("round %d: match %d: scanner %q, reference %q (%d vs %d matches)", round, k, g, w, len(got), len(want))
				}
			}
		}
		if len(want) < 100 {
			t.Fatalf("only %d matches", len(want))
		}
	}
}

// FuzzScanAgainstReference compares the scanner with the reference matcher on any valid UTF-8
// text, repeated so that the block path runs too.
func FuzzScanAgainstReference(f *testing.F) {
	for _, s := range []string{"Эти наркоманы — просто животные", "«Нарко\u0301маны»", "drug\n abusers", "нар\u00adкоман нарк", "не  люди, не\tлюди"} {
		f.Add(s)
	}
	lx := allAlone(DefaultLexicon())
	s, err := NewScanner(lx, Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if !utf8.ValidString(in) || strings.ContainsRune(in, utf8.RuneError) {
			return
		}
		text := in
		for len(text) < 300 {
			text += " " + in
		}
		want := referenceMatches(lx, text)
		got := scannerMatches(t, s, text)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("scanner %q\nreference %q", got, want)
		}
	})
}
