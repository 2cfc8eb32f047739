package stats

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// TestEstimateLCMCR_SeedStability runs the latent class sampler on the Kosovo table with two
// seeds: the posterior means must agree within their Monte Carlo error, the chains must agree
// (R-hat), and the estimate must exceed the documented count.
func TestEstimateLCMCR_SeedStability(t *testing.T) {
	kos := loadTable(t, "lcmcr_kosovo_1999_4lists.csv")
	opt := LCMCROptions{K: 5, BurnIn: 10000, Iterations: 200000, Thin: 20, Chains: 2}
	if raceEnabled {
		opt.BurnIn, opt.Iterations = 5000, 40000
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
		if (!raceEnabled && d.RHat > 1.2) || math.IsNaN(d.RHat) {
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

func TestBinomial(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, c := range []struct {
		n int
		p float64
	}{{10, 0.3}, {1000, 0.02}, {5000, 0.5}, {100000, 0.9}} {
		const reps = 4000
		s, s2 := 0.0, 0.0
		for i := 0; i < reps; i++ {
			x := float64(binomial(r, c.n, c.p))
			s += x
			s2 += x * x
		}
		m := s / reps
		v := s2/reps - m*m
		wantM, wantV := float64(c.n)*c.p, float64(c.n)*c.p*(1-c.p)
		if math.Abs(m-wantM) > 5*math.Sqrt(wantV/reps) || math.Abs(v-wantV) > 0.15*wantV {
			t.Errorf("Binomial(%d, %.2f): mean %.2f var %.2f, want %.2f and %.2f", c.n, c.p, m, v, wantM, wantV)
		}
	}
}
