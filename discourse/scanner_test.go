package discourse

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/casefile/casefile"
)

func newTestScanner(t testing.TB, opt Options) *Scanner {
	t.Helper()
	s, err := NewScanner(DefaultLexicon(), opt)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func terms(hits []*casefile.DiscourseHit) string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Term+"/"+h.Category)
	}
	return strings.Join(out, " ")
}

func TestScanner_ScanString(t *testing.T) {
	s := newTestScanner(t, Options{})
	for _, tc := range []struct{ name, text, want string }{
		{"label and metaphor", "Эти наркоманы — просто животные, их надо изолировать.",
			"наркоманы/label животные/dehumanisation изолировать/violence"},
		{"substring inside a word", "Он посветил фонариком в подъезд и увидел соседа.", ""},
		{"english", "Junkies are scum, said the presenter.", "Junkies/label scum/dehumanisation"},
		{"case folding", "НАРКОМАНЫ и Наркоманы", "НАРКОМАНЫ/label Наркоманы/label"},
		{"yo folded", "Живые трупы? Нет: живые трупы, ЖИВЫЕ ТРУПЫ, сказал наркоман.",
			"живые трупы/dehumanisation ЖИВЫЕ ТРУПЫ/dehumanisation наркоман/label"},
		{"stress mark", "Нарко\u0301маны", "Нарко\u0301маны/label"},
		{"soft hyphen", "нарко\u00adманы", "нарко\u00adманы/label"},
		{"homograph heroine", "Героиню фильма играет известная актриса.", ""},
		{"metaphor about politicians", "Эти депутаты — просто животные.", ""},
		{"metaphor in another sentence", "Во дворе наркоманы. Эти животные шумят.", "наркоманы/label"},
		{"prefix of a longer word", "наркоманияс наркоманщина", ""},
		{"suffix of a word", "пронаркоманы", ""},
		{"multiword across spaces and a line break", "drug\n  abusers", "drug\n  abusers/label"},
		{"preferred term", "Люди, употребляющие наркотики, пришли.", "Люди, употребляющие наркотики/preferred"},
		{"topic", "Героин изъяли.", "Героин/topic"},
		{"digits continue a word", "наркоман2 2наркоман", ""},
		{"hyphen splits words", "Выродки-наркоманы", "Выродки/dehumanisation наркоманы/label"},
		{"apostrophe", "the junkie's bag", "junkie/label"},
		{"quotes", "«Наркоманы»—„животные“", "Наркоманы/label животные/dehumanisation"},
		{"negated metaphor", "Наркоманы не животные. Addicts are not animals. Addicts aren't criminals.", "Наркоманы/label Addicts/label Addicts/label"},
		{"negation is not a label's business", "Не наркоманы", "наркоманы/label"},
		{"denial of humanity is a form of its own", "Наркоманы — не люди.", "Наркоманы/label не люди/dehumanisation"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hits, _ := s.ScanString(tc.text)
			if got := terms(hits); got != tc.want {
				t.Errorf("ScanString(%q) = %q, want %q", tc.text, got, tc.want)
			}
			for _, h := range hits {
				if tc.text[h.Start:h.End] != h.Term {
					t.Errorf("offsets %d:%d give %q, term %q", h.Start, h.End, tc.text[h.Start:h.End], h.Term)
				}
			}
		})
	}
}

func TestScanner_HitFields(t *testing.T) {
	s := newTestScanner(t, Options{})
	text := "Первое предложение. Эти наркоманы — просто животные! Третье."
	hits, sum := s.ScanString(text)
	if len(hits) != 2 {
		t.Fatalf("hits = %s, want 2", terms(hits))
	}
	m := hits[1]
	if m.Lemma != "животное" || m.Language != "ru" || m.Rule != RuleNear {
		t.Errorf("metaphor hit = %+v", m)
	}
	if m.Referent == nil || m.Referent.Term != "наркоманы" || text[m.Referent.Start:m.Referent.End] != "наркоманы" {
		t.Errorf("referent = %+v, want наркоманы with its offsets", m.Referent)
	}
	if m.Sentence != "Эти наркоманы — просто животные!" {
		t.Errorf("sentence = %q", m.Sentence)
	}
	if sum.Sentences != 3 || !sum.AboutDrugs || sum.Counts["label"] != 1 || sum.Stigmatising() != 2 {
		t.Errorf("summary = %+v", sum)
	}
}

func TestScanner_Window(t *testing.T) {
	text := "Во дворе опять наркоманы. Эти животные шумят всю ночь."
	for _, tc := range []struct {
		window int
		want   string
	}{
		{0, "наркоманы/label"},
		{3, "наркоманы/label животные/dehumanisation"},
	} {
		hits, _ := newTestScanner(t, Options{Window: tc.window}).ScanString(text)
		if got := terms(hits); got != tc.want {
			t.Errorf("window %d: %q, want %q", tc.window, got, tc.want)
		}
	}
	if _, err := NewScanner(DefaultLexicon(), Options{Window: -1}); casefile.ErrorKind(err) != casefile.EINVALID {
		t.Errorf("negative window: err = %v, want EINVALID", err)
	}
}

func TestScanner_LongSentenceQuoted(t *testing.T) {
	s := newTestScanner(t, Options{})
	filler := strings.Repeat("слово ", 400)
	text := filler + "наркоманы " + filler + "конец."
	hits, _ := s.ScanString(text)
	if len(hits) != 1 {
		t.Fatalf("hits = %s", terms(hits))
	}
	q := hits[0].Sentence
	if !strings.Contains(q, "наркоманы") || len(q) > 2*contextCap+100 || !strings.HasPrefix(q, "…") || !strings.HasSuffix(q, "…") {
		t.Errorf("quotation of a long sentence: %d bytes %q", len(q), q)
	}
}

// TestScanner_Streaming checks that reading in any pieces, across chunk ends, gives the same hits
// with the same offsets as reading the text at once.
func TestScanner_Streaming(t *testing.T) {
	s := newTestScanner(t, Options{Window: 5})
	var b strings.Builder
	sentences := []string{
		"Эти наркоманы — просто животные, их надо изолировать. ",
		"Он посветил фонариком в подъезд. ",
		"Junkies are scum, said the presenter.\n\n",
		"Люди, употребляющие наркотики, и drug abusers. ",
		"Нарко\u0301маны «зомби». ",
	}
	for b.Len() < 3*chunkSize {
		for _, x := range sentences {
			b.WriteString(x)
		}
		b.WriteString(strings.Repeat("ж", 997)) // shifts the next sentences against the chunk ends
		b.WriteString(" ")
	}
	text := b.String()
	want, wsum := s.ScanString(text)
	if len(want) < 100 {
		t.Fatalf("only %d hits", len(want))
	}
	for name, r := range map[string]io.Reader{
		"one byte":  iotest.OneByteReader(strings.NewReader(text)),
		"half read": iotest.HalfReader(strings.NewReader(text)),
	} {
		var got []*casefile.DiscourseHit
		sum, err := s.Scan(r, func(h *casefile.DiscourseHit) error { got = append(got, h); return nil })
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) || sum.Words != wsum.Words || sum.Sentences != wsum.Sentences {
			t.Fatalf("%s: %d hits, %d words, %d sentences; want %d, %d, %d", name, len(got), sum.Words, sum.Sentences, len(want), wsum.Words, wsum.Sentences)
		}
		for k := range got {
			if (got[k].Referent == nil) != (want[k].Referent == nil) || got[k].Referent != nil && *got[k].Referent != *want[k].Referent {
				t.Fatalf("%s: hit %d referent differs", name, k)
			}
			g, w := *got[k], *want[k]
			g.Referent, w.Referent = nil, nil
			if g != w {
				t.Fatalf("%s: hit %d = %+v, want %+v", name, k, g, w)
			}
			if text[g.Start:g.End] != g.Term {
				t.Fatalf("%s: hit %d offsets do not give the term", name, k)
			}
		}
	}
}

func TestScanner_CallbackError(t *testing.T) {
	s := newTestScanner(t, Options{})
	stop := errors.New("stop")
	n := 0
	_, err := s.Scan(strings.NewReader(strings.Repeat("наркоман ", 100)), func(*casefile.DiscourseHit) error {
		n++
		return stop
	})
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("err = %v after %d hits, want stop after 1", err, n)
	}
}

func TestScanner_ReadError(t *testing.T) {
	s := newTestScanner(t, Options{})
	_, err := s.Scan(iotest.ErrReader(io.ErrUnexpectedEOF), func(*casefile.DiscourseHit) error { return nil })
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("err = %v", err)
	}
}

func TestParseLexicon_Errors(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"columns", "x\tru\tlabel\n", "t.tsv:1: want at least 5"},
		{"category", "# c\nx\tru\tslur\talone\tx\n", "t.tsv:2: category \"slur\""},
		{"rule", "x\tru\tlabel\tsometimes\tx\n", "t.tsv:1: rule \"sometimes\""},
		{"duplicate", "x\tru\tlabel\talone\tабв\ny\tru\tlabel\talone\tАБВ\n", "t.tsv:2: form \"АБВ\" is already listed on line 1"},
		{"no letters", "x\tru\tlabel\talone\t--\n", "t.tsv:1: form \"--\" has no letters"},
		{"separator", "x\tru\tlabel\talone\tа!б\n", "t.tsv:1: form \"а!б\": words of a form may be separated only by"},
		{"empty", "# nothing\n", "t.tsv: no entries"},
		{"utf8", "x\tru\tlabel\talone\t\xff\n", "t.tsv:1: not valid UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseLexicon(strings.NewReader(tc.text), "t.tsv")
			if casefile.ErrorKind(err) != casefile.EINVALID || !strings.Contains(casefile.ErrorMessage(err), tc.want) {
				t.Errorf("err = %v, want EINVALID containing %q", err, tc.want)
			}
		})
	}
}

func TestDefaultLexicon(t *testing.T) {
	lx := DefaultLexicon()
	cats := map[string]int{}
	langs := map[string]int{}
	for _, e := range lx.Entries {
		cats[e.Category]++
		langs[e.Language]++
		if e.Category == casefile.DiscourseLabel && e.Rule != RuleAlone {
			t.Errorf("line %d: a label should count alone", e.Line)
		}
	}
	for c := range knownCategories {
		if cats[c] == 0 {
			t.Errorf("no entry of category %s", c)
		}
	}
	if langs["ru"] == 0 || langs["en"] == 0 {
		t.Errorf("languages: %v", langs)
	}
	// Forms are written out, not stems: every paradigm of a declined label has its plural.
	hits, _ := newTestScanner(t, Options{}).ScanString("наркоманами нариков торчков героинщиц наркошам")
	if len(hits) != 5 {
		t.Errorf("inflected forms: %s", terms(hits))
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"Ёлка":           "елка",
		"Нарко\u0301ман": "наркоман",
		"люди,  употребляющие-наркотики": "люди употребляющие наркотики",
		"  JUNKIE's ": "junkie s",
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzScan(f *testing.F) {
	for _, s := range []string{"Эти наркоманы — просто животные, их надо изолировать.", "фонариком", "drug\n abusers",
		"Нарко\u0301маны", "\xd0", "нарко\u00adман", "...\n\n!!", "Junkies are scum"} {
		f.Add(s)
	}
	s := newTestScanner(f, Options{Window: 2})
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 0 && len(text) < 200 && text[0]%2 == 0 {
			text = strings.Repeat(text, 200/len(text)+1) // long enough for the block path
		}
		want, _ := s.ScanString(text)
		var got []*casefile.DiscourseHit
		if _, err := s.Scan(iotest.OneByteReader(strings.NewReader(text)), func(h *casefile.DiscourseHit) error {
			got = append(got, h)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("one byte at a time: %d hits, at once %d", len(got), len(want))
		}
		for _, h := range want {
			if h.Start < 0 || h.End > int64(len(text)) || h.Start >= h.End || text[h.Start:h.End] != h.Term {
				t.Fatalf("bad offsets %d:%d for %q", h.Start, h.End, h.Term)
			}
			if Normalize(h.Term) == "" {
				t.Fatalf("hit %q has no letters", h.Term)
			}
		}
	})
}

func BenchmarkScan(b *testing.B) {
	s := newTestScanner(b, Options{})
	var buf bytes.Buffer
	for buf.Len() < 8<<20 {
		fmt.Fprintf(&buf, "Он посветил фонариком в подъезд и увидел соседа. Эти наркоманы — просто животные, их надо изолировать. ")
		fmt.Fprintf(&buf, "Junkies are scum, said the presenter. Люди, употребляющие наркотики, получили помощь. ")
		buf.WriteString(strings.Repeat("Обычный текст новостей без особых слов, который встречается чаще всего. ", 20))
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := s.Scan(bytes.NewReader(data), func(*casefile.DiscourseHit) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzParseLexicon(f *testing.F) {
	f.Add("наркоман\tru\tlabel\talone\tнаркоман|наркоманы\tnote\n")
	f.Add("# c\nx\ten\tdehumanisation\tnear\tscum|human garbage\n")
	f.Add("x\tru\tlabel\talone\t--\n")
	f.Add("\ufeffa\tb\tc\td\te")
	f.Fuzz(func(t *testing.T, text string) {
		lx, err := ParseLexicon(strings.NewReader(text), "f.tsv")
		if err != nil {
			if casefile.ErrorKind(err) != casefile.EINVALID || !strings.HasPrefix(casefile.ErrorMessage(err), "f.tsv") {
				t.Fatalf("error %v does not name the file", err)
			}
			return
		}
		s, err := NewScanner(lx, Options{})
		if err != nil {
			t.Fatal(err)
		}
		// Every form of a lexicon that loads is found in a text made of it.
		for _, e := range lx.Entries {
			for _, form := range e.Forms {
				hits, _ := s.ScanString(form)
				if e.Rule == RuleAlone && len(hits) == 0 {
					t.Fatalf("form %q of line %d not found in itself", form, e.Line)
				}
			}
		}
	})
}
