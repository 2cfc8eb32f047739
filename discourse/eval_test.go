package discourse

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/casefile/casefile"
)

// The levels docs/discourse.md reports for the shipped lexicon on testdata/eval.tsv; the test
// fails when a change to the lexicon or the scanner brings either below them.
const (
	reportedPrecision = 0.98
	reportedRecall    = 0.95
)

type evalCase struct {
	line     int
	lang     string
	kind     string
	expected map[string]bool // "lemma/category"
	text     string
}

func loadEval(t *testing.T) []evalCase {
	t.Helper()
	f, err := os.Open("testdata/eval.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []evalCase
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		if strings.HasPrefix(sc.Text(), "#") || strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		col := strings.Split(sc.Text(), "\t")
		if len(col) != 4 {
			t.Fatalf("eval.tsv:%d: want 4 columns, got %d", line, len(col))
		}
		c := evalCase{line: line, lang: col[0], kind: col[1], expected: map[string]bool{}, text: col[3]}
		if col[2] != "-" {
			for _, x := range strings.Split(col[2], "; ") {
				c.expected[x] = true
			}
		}
		cases = append(cases, c)
	}
	return cases
}

// TestEvaluation prints precision and recall of the stigmatising hits on the hand-labelled set,
// overall and per language and kind, and lists every miss and false alarm.
func TestEvaluation(t *testing.T) {
	s, err := NewScanner(DefaultLexicon(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	cases := loadEval(t)
	var nPos, nNeg, nTrap int
	type score struct{ tp, fp, fn int }
	total := score{}
	by := map[string]*score{}
	add := func(key string, tp, fp, fn int) {
		if by[key] == nil {
			by[key] = &score{}
		}
		by[key].tp += tp
		by[key].fp += fp
		by[key].fn += fn
	}
	for _, c := range cases {
		switch c.kind {
		case "positive":
			nPos++
		case "negative":
			nNeg++
		case "trap":
			nTrap++
		default:
			t.Fatalf("eval.tsv:%d: kind %q", c.line, c.kind)
		}
		if (c.kind == "positive" && len(c.expected) == 0) || (c.kind == "negative" && len(c.expected) > 0) {
			t.Fatalf("eval.tsv:%d: a positive needs expected hits, a negative none", c.line)
		}
		hits, _ := s.ScanString(c.text)
		got := map[string]bool{}
		for _, h := range hits {
			if casefile.DiscourseStigmatising(h.Category) {
				got[h.Lemma+"/"+h.Category] = true
			}
		}
		var tp, fp, fn int
		for k := range got {
			if c.expected[k] {
				tp++
			} else {
				fp++
				t.Logf("false alarm  eval.tsv:%d %s: %s", c.line, k, c.text)
			}
		}
		for k := range c.expected {
			if !got[k] {
				fn++
				t.Logf("missed       eval.tsv:%d %s: %s", c.line, k, c.text)
			}
		}
		total.tp += tp
		total.fp += fp
		total.fn += fn
		add(c.lang, tp, fp, fn)
		add(c.kind, tp, fp, fn)
	}
	if nPos < 20 || nNeg < 20 || nTrap < 3 {
		t.Fatalf("evaluation set too small: %d positives, %d negatives, %d traps", nPos, nNeg, nTrap)
	}
	pr := func(s score) (float64, float64) {
		return float64(s.tp) / float64(max(1, s.tp+s.fp)), float64(s.tp) / float64(max(1, s.tp+s.fn))
	}
	p, r := pr(total)
	keys := make([]string, 0, len(by))
	for k := range by {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "%d sentences (%d positive, %d negative, %d traps)\n", len(cases), nPos, nNeg, nTrap)
	fmt.Fprintf(&b, "%-9s tp=%3d fp=%3d fn=%3d precision=%.3f recall=%.3f\n", "all", total.tp, total.fp, total.fn, p, r)
	for _, k := range keys {
		if by[k].tp+by[k].fp+by[k].fn == 0 {
			fmt.Fprintf(&b, "%-9s no hits expected, none found\n", k)
			continue
		}
		kp, kr := pr(*by[k])
		fmt.Fprintf(&b, "%-9s tp=%3d fp=%3d fn=%3d precision=%.3f recall=%.3f\n", k, by[k].tp, by[k].fp, by[k].fn, kp, kr)
	}
	fmt.Print(b.String())
	if p < reportedPrecision || r < reportedRecall {
		t.Errorf("precision %.3f / recall %.3f fell below the reported %.2f / %.2f", p, r, reportedPrecision, reportedRecall)
	}
}
