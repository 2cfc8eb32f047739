package stats

import (
	"context"
	"math"
	"testing"
)

// TestEstimateLCMCR_SeedStability runs the latent class sampler on the Kosovo table with two
// seeds: the posterior means must agree within their Monte Carlo error, the chains must agree
// (R-hat), and the estimate must exceed the documented count.
func TestEstimateLCMCR_SeedStability(t *testing.T) {
	kos := loadTable(t, "lcmcr_kosovo_1999_4lists.csv")
	opt := LCMCROptions{K: 5, BurnIn: 5000, Iterations: 60000, Thin: 10, Chains: 2}
	if raceEnabled {
		opt.BurnIn, opt.Iterations = 2000, 12000
	}
	var runs []*Estimate
	for _, seed := range []uint64{1, 99} {
		opt.Seed = seed
		e, err := EstimateLCMCR(context.Background(), kos, opt)
		if err != nil {
			t.Fatal(err)
		}
		d := e.Diagnostics
		t.Logf("seed %d: N median %.0f (%.0f–%.0f), mean %.1f ± %.1f (MCSE), R-hat %.3f, ESS %.0f, %.0f it/s",
			seed, e.N, e.CILow, e.CIHigh, d.Mean, d.MCSE, d.RHat, d.ESS, d.PerSecond)
		if !(e.CILow > kos.Observed()) || !(e.CIHigh > e.N) || e.N <= e.CILow {
			t.Errorf("seed %d: interval %.0f–%.0f around %.0f is not above the documented %.0f", seed, e.CILow, e.CIHigh, e.N, kos.Observed())
		}
		if d.RHat > 1.2 || math.IsNaN(d.RHat) {
			t.Errorf("seed %d: R-hat %.3f: chains disagree", seed, d.RHat)
		}
		runs = append(runs, e)
	}
	a, b := runs[0].Diagnostics, runs[1].Diagnostics
	if diff, tol := math.Abs(a.Mean-b.Mean), 4*math.Hypot(a.MCSE, b.MCSE); diff > tol {
		t.Errorf("posterior means %.1f and %.1f differ by %.1f, more than 4 Monte Carlo errors (%.1f)", a.Mean, b.Mean, diff, tol)
	}
}

func TestEstimateLCMCR_Invalid(t *testing.T) {
	ill := loadTable(t, "rcapture_ill_netherlands_countdata.csv")
	if _, err := EstimateLCMCR(context.Background(), ill, LCMCROptions{}); err == nil {
		t.Error("count data accepted by the latent class model")
	}
}

func BenchmarkLCMCR_Kosovo(b *testing.B) {
	kos := loadTable(b, "lcmcr_kosovo_1999_4lists.csv")
	opt := LCMCROptions{BurnIn: 1000, Iterations: 10000, Thin: 10, Chains: 1}
	for b.Loop() {
		e, err := EstimateLCMCR(context.Background(), kos, opt)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(e.Diagnostics.PerSecond, "iter/s")
	}
}
