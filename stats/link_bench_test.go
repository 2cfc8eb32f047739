package stats

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestLink_Generated links 20,000 generated records with known duplicates (typos, swapped
// names, missing fields, wrong date parts).
func TestLink_Generated(t *testing.T) {
	n := 20000
	if raceEnabled {
		n = 5000
	}
	res := linkGenerated(t, n)
	e := res.Evaluation
	t.Logf("%d generated records: %d candidates (pair completeness %.4f), precision %.4f recall %.4f F1 %.4f",
		n, res.Candidates, e.PairCompleteness, e.Precision, e.Recall, e.F1)
	if e.F1 < 0.95 {
		t.Errorf("F1 %.4f below 0.95 on generated records", e.F1)
	}
}

func linkGenerated(t testing.TB, n int) *LinkResult {
	csv := generateRecords(n, 0.25, 42)
	recs, err := ReadLinkCSV(strings.NewReader(csv), "generated.csv", LinkCSVOptions{Truth: "truth"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Link(context.Background(), recs, LinkConfig{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// BenchmarkLink1M deduplicates 1,000,000 generated records (about a quarter of them extra
// records of the same people); LINK_BENCH_N changes the size. It reports F1, precision and
// recall alongside time and memory.
func BenchmarkLink1M(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("LINK_BENCH_N")); err == nil && v > 0 {
		n = v
	}
	csv := generateRecords(n, 0.25, 42)
	for b.Loop() {
		recs, err := ReadLinkCSV(strings.NewReader(csv), "generated.csv", LinkCSVOptions{Truth: "truth"})
		if err != nil {
			b.Fatal(err)
		}
		res, err := Link(context.Background(), recs, LinkConfig{})
		if err != nil {
			b.Fatal(err)
		}
		e := res.Evaluation
		b.ReportMetric(e.F1, "F1")
		b.ReportMetric(e.Precision, "precision")
		b.ReportMetric(e.Recall, "recall")
		b.ReportMetric(float64(res.Candidates), "pairs")
	}
}

func BenchmarkLink_RLdata10000(b *testing.B) {
	var extra []ExtraField
	recs := readLinkExtra(b, "ent_id", &extra, "RLdata10000.csv")
	for b.Loop() {
		if _, err := Link(context.Background(), recs, LinkConfig{Extra: extra}); err != nil {
			b.Fatal(err)
		}
	}
}
