package stats

import (
	"context"
	"math"
	"math/bits"
	"math/rand/v2"
	"sort"
	"sync"
	"time"

	"github.com/casefile/casefile"
)

// LCMCROptions configures the latent class sampler. Zero values take the defaults shown.
type LCMCROptions struct {
	K          int     // maximum number of latent classes (10)
	AlphaA     float64 // Gamma prior shape of the stick-breaking concentration α (0.25)
	AlphaB     float64 // Gamma prior rate of α (0.25)
	BurnIn     int     // iterations discarded per chain (10000)
	Iterations int     // iterations after burn-in per chain, before thinning (100000)
	Thin       int     // keep every Thin-th iteration (10)
	Chains     int     // independent chains, run in parallel (2)
	Seed       uint64  // chain c uses Seed+c
}

func (o *LCMCROptions) defaults() {
	if o.K <= 0 {
		o.K = 10
	}
	if o.AlphaA <= 0 {
		o.AlphaA = 0.25
	}
	if o.AlphaB <= 0 {
		o.AlphaB = 0.25
	}
	if o.BurnIn <= 0 {
		o.BurnIn = 10000
	}
	if o.Iterations <= 0 {
		o.Iterations = 100000
	}
	if o.Thin <= 0 {
		o.Thin = 10
	}
	if o.Chains <= 0 {
		o.Chains = 2
	}
}

// Diagnostics are a Gibbs sampler's convergence diagnostics for the posterior of N.
type Diagnostics struct {
	Chains     int       `json:"chains"`
	Iterations int       `json:"draws_per_chain"` // kept draws per chain, after burn-in and thinning
	BurnIn     int       `json:"burn_in"`
	Thinning   int       `json:"thinning"`
	Mean       float64   `json:"posterior_mean"`
	Median     float64   `json:"posterior_median"`
	ChainMeans []float64 `json:"chain_means"`
	RHat       float64   `json:"r_hat"`        // split-chain potential scale reduction (≈1 when converged)
	ESS        float64   `json:"ess"`          // effective sample size of N over all chains
	MCSE       float64   `json:"mcse"`         // Monte Carlo standard error of the posterior mean
	Geweke     float64   `json:"geweke_z"`     // Geweke z-score, first 10% vs last 50% of chain 1
	PerSecond  float64   `json:"iter_per_sec"` // sampler iterations per second, all chains together
}

// EstimateLCMCR estimates the population size with the non-parametric latent class model of
// Manrique-Vallier (2016): people fall into up to K latent classes with stick-breaking
// (Dirichlet process) weights, lists are independent within a class, and the never-documented
// are imputed by data augmentation. N is the posterior median; the interval is the 2.5% and
// 97.5% posterior quantiles. It returns EINVALID for count data or a table with fewer than 2
// lists.
func EstimateLCMCR(ctx context.Context, t *Table, opt LCMCROptions) (*Estimate, error) {
	const op = "stats.EstimateLCMCR"
	if t.CountData || len(t.Lists) < 2 {
		return nil, casefile.Errorf(casefile.EINVALID, op, "the latent class model needs a table of list patterns")
	}
	opt.defaults()
	n := t.Observed()
	if n < 1 || n != math.Trunc(n) {
		return nil, casefile.Errorf(casefile.EINVALID, op, "the latent class model needs whole counts of people")
	}
	start := time.Now()
	draws := make([][]float64, opt.Chains)
	var wg sync.WaitGroup
	for c := 0; c < opt.Chains; c++ {
		wg.Go(func() {
			draws[c] = runChain(ctx, t, opt, opt.Seed+uint64(c))
		})
	}
	wg.Wait()
	if ctx.Err() != nil {
		return nil, casefile.Errorf(casefile.EINVALID, op, "cancelled")
	}
	elapsed := time.Since(start).Seconds()
	var pooled []float64
	d := &Diagnostics{Chains: opt.Chains, Iterations: len(draws[0]), BurnIn: opt.BurnIn, Thinning: opt.Thin}
	for _, ch := range draws {
		pooled = append(pooled, ch...)
		d.ChainMeans = append(d.ChainMeans, mean(ch))
	}
	sort.Float64s(pooled)
	d.Mean = mean(pooled)
	d.Median = quantile(pooled, 0.5)
	d.RHat = splitRHat(draws)
	for _, ch := range draws {
		d.ESS += ess(ch)
	}
	d.MCSE = math.Sqrt(variance(pooled) / d.ESS)
	d.Geweke = geweke(draws[0])
	d.PerSecond = float64(opt.Chains*(opt.BurnIn+opt.Iterations)) / elapsed
	e := &Estimate{
		Method: "lcmcr", Model: "latent class (Dirichlet process, K=" + itoa(opt.K) + ")",
		Observed: n, N: d.Median, Unobserved: d.Median - n, StdErr: math.Sqrt(variance(pooled)),
		CILow: quantile(pooled, 0.025), CIHigh: quantile(pooled, 0.975),
		Interval: "posterior quantiles, 95%", Exists: true, Diagnostics: d,
	}
	if d.RHat > 1.1 {
		e.Warnings = append(e.Warnings, "the chains disagree (R-hat above 1.1): run more iterations")
	}
	if d.ESS < 100 {
		e.Warnings = append(e.Warnings, "few effective draws (ESS below 100): run more iterations")
	}
	return e, nil
}

func itoa(i int) string {
	var b [20]byte
	p := len(b)
	for {
		p--
		b[p] = byte('0' + i%10)
		i /= 10
		if i == 0 {
			break
		}
	}
	return string(b[p:])
}

// runChain runs one Gibbs chain and returns its kept draws of N.
func runChain(ctx context.Context, t *Table, opt LCMCROptions, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	J, K := len(t.Lists), opt.K
	var pats []uint32
	var cnt []int
	for p := 1; p < len(t.Counts); p++ {
		if t.Counts[p] > 0 {
			pats = append(pats, uint32(p))
			cnt = append(cnt, int(t.Counts[p]))
		}
	}
	n := int(t.Observed())
	lam := make([][]float64, K) // λ[k][j]: probability that a person of class k is on list j
	for k := range lam {
		lam[k] = make([]float64, J)
		for j := range lam[k] {
			lam[k][j] = 0.1 + 0.8*r.Float64()
		}
	}
	pi := make([]float64, K)
	V := make([]float64, K)
	alpha := 1.0
	for k := 0; k < K; k++ {
		V[k] = 1 / float64(K-k)
	}
	weights(V, pi)
	nk := make([]float64, K)
	skj := make([][]float64, K)
	for k := range skj {
		skj[k] = make([]float64, J)
	}
	prob := make([]float64, K)
	alloc := make([]int, K)
	logLam := make([][]float64, K)
	log1m := make([][]float64, K)
	for k := range logLam {
		logLam[k] = make([]float64, J)
		log1m[k] = make([]float64, J)
	}
	total := opt.BurnIn + opt.Iterations
	out := make([]float64, 0, opt.Iterations/opt.Thin+1)
	for it := 0; it < total; it++ {
		if it%256 == 0 && ctx.Err() != nil {
			return out
		}
		clear(nk)
		for k := range skj {
			clear(skj[k])
		}
		// Class allocation of the observed, pattern by pattern.
		for k := 0; k < K; k++ {
			for j := 0; j < J; j++ {
				logLam[k][j] = math.Log(lam[k][j])
				log1m[k][j] = math.Log1p(-lam[k][j])
			}
		}
		for i, p := range pats {
			for k := 0; k < K; k++ {
				s := math.Log(pi[k])
				for j := 0; j < J; j++ {
					if p>>j&1 == 1 {
						s += logLam[k][j]
					} else {
						s += log1m[k][j]
					}
				}
				prob[k] = s
			}
			normalizeLog(prob)
			multinomial(r, cnt[i], prob, alloc)
			for k, c := range alloc {
				if c == 0 {
					continue
				}
				nk[k] += float64(c)
				for q := p; q != 0; q &= q - 1 {
					skj[k][bits.TrailingZeros32(q)] += float64(c)
				}
			}
		}
		// The never-documented: how many (negative binomial given p0), then their classes.
		p0 := 0.0
		for k := 0; k < K; k++ {
			s := math.Log(pi[k])
			for j := 0; j < J; j++ {
				s += log1m[k][j]
			}
			prob[k] = math.Exp(s)
			p0 += prob[k]
		}
		p0 = math.Min(p0, 1-1e-12)
		n0 := poisson(r, gamma(r, float64(n))*p0/(1-p0))
		for k := range prob {
			prob[k] /= p0
		}
		cumulate(prob)
		multinomial(r, n0, prob, alloc)
		for k, c := range alloc {
			nk[k] += float64(c)
		}
		// List probabilities within classes.
		for k := 0; k < K; k++ {
			for j := 0; j < J; j++ {
				lam[k][j] = clamp(beta(r, 1+skj[k][j], 1+nk[k]-skj[k][j]))
			}
		}
		// Stick-breaking weights and their concentration.
		rest := 0.0
		for k := K - 1; k >= 0; k-- {
			if k < K-1 {
				V[k] = math.Min(beta(r, 1+nk[k], alpha+rest), 1-1e-12)
			}
			rest += nk[k]
		}
		V[K-1] = 1
		weights(V, pi)
		sumLog := 0.0
		for k := 0; k < K-1; k++ {
			sumLog += math.Log1p(-V[k])
		}
		alpha = math.Max(gamma(r, opt.AlphaA+float64(K-1))/(opt.AlphaB-sumLog), 1e-6)
		if it >= opt.BurnIn && (it-opt.BurnIn)%opt.Thin == 0 {
			out = append(out, float64(n+n0))
		}
	}
	return out
}

func clamp(p float64) float64 { return math.Min(math.Max(p, 1e-10), 1-1e-10) }

func weights(V, pi []float64) {
	rem := 1.0
	for k := range V {
		pi[k] = math.Max(V[k]*rem, 1e-300)
		rem *= 1 - V[k]
	}
}

func normalizeLog(p []float64) {
	m := math.Inf(-1)
	for _, v := range p {
		m = math.Max(m, v)
	}
	s := 0.0
	for i, v := range p {
		p[i] = math.Exp(v - m)
		s += p[i]
	}
	acc := 0.0
	for i := range p {
		acc += p[i] / s
		p[i] = acc
	}
}

func cumulate(p []float64) {
	acc := 0.0
	for i := range p {
		acc += p[i]
		p[i] = acc
	}
}

// multinomial splits n draws over the categories whose cumulative probabilities are cum, by
// conditional binomials.
func multinomial(r *rand.Rand, n int, cum []float64, out []int) {
	clear(out)
	prev := 0.0
	total := cum[len(cum)-1]
	for k := range cum {
		if n == 0 {
			return
		}
		pk := cum[k] - prev
		rest := total - prev
		prev = cum[k]
		if k == len(cum)-1 || rest <= 0 {
			out[k] = n
			return
		}
		x := binomial(r, n, pk/rest)
		out[k] = x
		n -= x
	}
}

// binomial draws from Binomial(n, p) exactly: Knuth's recursion through Beta order statistics
// while n is large, Bernoulli trials below.
func binomial(r *rand.Rand, n int, p float64) int {
	if p <= 0 || n <= 0 {
		return 0
	}
	if p >= 1 {
		return n
	}
	k := 0
	for n > 32 {
		a := 1 + n/2
		b := n + 1 - a
		x := beta(r, float64(a), float64(b))
		if x >= p {
			n, p = a-1, p/x
		} else {
			k += a
			n, p = b-1, (p-x)/(1-x)
		}
	}
	for i := 0; i < n; i++ {
		if r.Float64() < p {
			k++
		}
	}
	return k
}

// gamma draws from Gamma(shape, 1) (Marsaglia and Tsang 2000).
func gamma(r *rand.Rand, shape float64) float64 {
	if shape < 1 {
		return gamma(r, shape+1) * math.Pow(r.Float64(), 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}

func beta(r *rand.Rand, a, b float64) float64 {
	x := gamma(r, a)
	y := gamma(r, b)
	return x / (x + y)
}

// poisson draws from Poisson(mean): inversion for small means, Hörmann's transformed rejection
// (PTRS, 1993) otherwise.
func poisson(r *rand.Rand, mean float64) int {
	if mean <= 0 {
		return 0
	}
	if mean < 10 {
		L := math.Exp(-mean)
		k, p := 0, 1.0
		for {
			p *= r.Float64()
			if p <= L {
				return k
			}
			k++
		}
	}
	slam := math.Sqrt(mean)
	logLam := math.Log(mean)
	b := 0.931 + 2.53*slam
	a := -0.059 + 0.02483*b
	invAlpha := 1.1239 + 1.1328/(b-3.4)
	vr := 0.9277 - 3.6224/(b-2)
	for {
		u := r.Float64() - 0.5
		v := r.Float64()
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+b)*u + mean + 0.43)
		if us >= 0.07 && v <= vr {
			return int(k)
		}
		if k < 0 || (us < 0.013 && v > us) {
			continue
		}
		lg, _ := math.Lgamma(k + 1)
		if math.Log(v)+math.Log(invAlpha)-math.Log(a/(us*us)+b) <= -mean+k*logLam-lg {
			return int(k)
		}
	}
}

func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

func variance(x []float64) float64 {
	m := mean(x)
	s := 0.0
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return s / float64(len(x)-1)
}

// quantile of sorted x, by linear interpolation (R's type 7).
func quantile(x []float64, q float64) float64 {
	h := (float64(len(x)) - 1) * q
	lo := math.Floor(h)
	i := int(lo)
	if i+1 >= len(x) {
		return x[len(x)-1]
	}
	return x[i] + (h-lo)*(x[i+1]-x[i])
}

// splitRHat is Gelman–Rubin's potential scale reduction over the chains each split in halves.
func splitRHat(chains [][]float64) float64 {
	var parts [][]float64
	for _, c := range chains {
		h := len(c) / 2
		parts = append(parts, c[:h], c[h:2*h])
	}
	m := float64(len(parts))
	nn := float64(len(parts[0]))
	if nn < 2 {
		return math.NaN()
	}
	var means []float64
	W := 0.0
	for _, p := range parts {
		means = append(means, mean(p))
		W += variance(p)
	}
	W /= m
	B := nn * variance(means)
	if W == 0 {
		return 1
	}
	vhat := (nn-1)/nn*W + B/nn
	return math.Sqrt(vhat / W)
}

// ess is the effective sample size of one chain from its autocorrelations, summed in pairs
// while the pair sums stay positive (Geyer's initial positive sequence).
func ess(x []float64) float64 {
	n := len(x)
	m := mean(x)
	v := 0.0
	for _, a := range x {
		v += (a - m) * (a - m)
	}
	if v == 0 {
		return float64(n)
	}
	rho := func(lag int) float64 {
		s := 0.0
		for i := 0; i+lag < n; i++ {
			s += (x[i] - m) * (x[i+lag] - m)
		}
		return s / v
	}
	sum := 0.0
	for lag := 1; lag+1 < n; lag += 2 {
		pair := rho(lag) + rho(lag+1)
		if pair < 0 {
			break
		}
		sum += pair
	}
	tau := 1 + 2*sum
	return float64(n) / math.Max(tau, 1e-9)
}

// geweke compares the means of the first 10% and the last 50% of a chain, in units of their
// standard errors (spectral density at zero estimated through the effective sample size).
func geweke(x []float64) float64 {
	n := len(x)
	a, b := x[:n/10], x[n/2:]
	if len(a) < 5 || len(b) < 5 {
		return math.NaN()
	}
	va := variance(a) / ess(a)
	vb := variance(b) / ess(b)
	if va+vb == 0 {
		return 0
	}
	return (mean(a) - mean(b)) / math.Sqrt(va+vb)
}
