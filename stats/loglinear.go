package stats

import (
	"context"
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/casefile/casefile"
)

// Heterogeneity kinds for log-linear models: a column f(k) of the number of lists k a pattern is
// on, which models people who differ in how visible they are (Rivest & Baillargeon's
// parameterisations, as in Rcapture).
const (
	HetNone    = ""
	HetChao    = "chao"    // Chao's lower bound: the cells seen 3 or more times fitted freely
	HetPoisson = "poisson" // f(k) = θ^k − 1 (θ = 2: "Poisson2")
	HetDarroch = "darroch" // f(k) = k²/2
	HetGamma   = "gamma"   // f(k) = −log(θ + k) + log θ
)

// Model is one log-linear model for an overlap table.
type Model struct {
	// Common is true for models in which every list has the same capture effect (M0, Mh);
	// otherwise each list has its own main effect (Mt, Mth).
	Common bool `json:"common,omitempty"`
	// Interactions are the two-way list interactions in the model, as pairs of list indices.
	Interactions [][2]int `json:"interactions,omitempty"`
	// Het is the heterogeneity column (HetNone for none) and Theta its parameter.
	Het   string  `json:"heterogeneity,omitempty"`
	Theta float64 `json:"theta,omitempty"`
}

// Name renders the model the way Rcapture names it: M0, Mt, Mh Chao, Mth Darroch, Mt + c1:c2.
func (m Model) Name(lists []string) string {
	s := "M"
	switch {
	case m.Common && m.Het == HetNone:
		s += "0"
	case m.Common:
		s += "h"
	case m.Het == HetNone:
		s += "t"
	default:
		s += "th"
	}
	switch m.Het {
	case HetChao:
		s += " Chao (LB)"
	case HetPoisson:
		s += " Poisson" + strconv.FormatFloat(m.theta(), 'g', -1, 64)
	case HetDarroch:
		s += " Darroch"
	case HetGamma:
		s += " Gamma" + strconv.FormatFloat(m.theta(), 'g', -1, 64)
	}
	for _, in := range m.Interactions {
		s += " + " + listName(lists, in[0]) + ":" + listName(lists, in[1])
	}
	return s
}

func listName(lists []string, i int) string {
	if i < len(lists) {
		return lists[i]
	}
	return "c" + strconv.Itoa(i+1)
}

func (m Model) theta() float64 {
	if m.Theta != 0 {
		return m.Theta
	}
	switch m.Het {
	case HetPoisson:
		return 2
	case HetGamma:
		return 3.5
	}
	return 0
}

// hetColumns returns the heterogeneity columns' values at k captures (k ≥ 0), with maxK the
// largest possible k (the number of lists, or the largest observed frequency class).
func (m Model) hetColumns(k, maxK int) []float64 {
	fk := float64(k)
	switch m.Het {
	case HetPoisson:
		return []float64{math.Pow(m.theta(), fk) - 1}
	case HetDarroch:
		return []float64{fk * fk / 2}
	case HetGamma:
		th := m.theta()
		return []float64{-math.Log(th+fk) + math.Log(th)}
	case HetChao:
		// Piecewise-linear in k with knots at 2..maxK−1: cells k ≥ 3 fitted freely, so n0 is
		// extrapolated from the cells seen once and twice only.
		var out []float64
		for j := 2; j <= maxK-1; j++ {
			out = append(out, math.Max(0, fk-float64(j)))
		}
		return out
	}
	return nil
}

// Estimate is the result of one estimation: the estimated total, its uncertainty, and the
// observed count it adds to.
type Estimate struct {
	Method     string  `json:"method"` // "loglinear" or "lcmcr"
	Model      string  `json:"model"`
	Observed   float64 `json:"observed"`
	N          float64 `json:"estimate"`   // estimated population size, observed + unobserved
	Unobserved float64 `json:"unobserved"` // estimated number never documented
	StdErr     float64 `json:"stderr"`
	// CILow and CIHigh bound the 95% interval: multinomial profile likelihood for log-linear
	// models, posterior quantiles for the latent class model.
	CILow    float64 `json:"ci_low"`
	CIHigh   float64 `json:"ci_high"`
	Interval string  `json:"interval"`
	// NMultinomial is the multinomial (conditional) maximum-likelihood estimate that the profile
	// interval is centred on; it differs slightly from the Poisson N.
	NMultinomial float64 `json:"estimate_multinomial,omitempty"`
	Deviance     float64 `json:"deviance,omitempty"`
	DF           int     `json:"df,omitempty"`
	Params       int     `json:"params,omitempty"`
	AIC          float64 `json:"aic,omitempty"`
	BIC          float64 `json:"bic,omitempty"`
	// Exists is false when the maximum-likelihood estimate does not exist (the fit drives some
	// cell's expected count to zero) or the model is not identifiable on this table.
	Exists bool `json:"exists"`
	// Boundary is true when the estimate is an extended MLE: some empty cells are fitted as
	// zero. Selection ranks such models after those whose ordinary MLE exists (SparseMSE's
	// practice), since an interaction driven to −∞ by an empty overlap explains nothing.
	Boundary bool     `json:"boundary,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
	// Diagnostics holds the sampler's convergence diagnostics (latent class model only).
	Diagnostics *Diagnostics `json:"diagnostics,omitempty"`
}

// design builds the rows, offsets and counts of model m on table t. With zero true the
// unobserved cell is added as the last row.
func design(t *Table, m Model, zero bool) (X [][]float64, off, y []float64) {
	if t.CountData {
		K := len(t.Counts)
		for k := 1; k <= K; k++ {
			X = append(X, countRow(m, k, K))
			off = append(off, countOffset(t, k))
			y = append(y, t.Counts[k-1])
		}
		if zero {
			X = append(X, countRow(m, 0, K))
			off = append(off, 0)
			y = append(y, 0)
		}
		return
	}
	J := len(t.Lists)
	for p := 1; p < 1<<J; p++ {
		X = append(X, patternRow(m, uint32(p), J))
		y = append(y, t.Counts[p])
	}
	if zero {
		X = append(X, patternRow(m, 0, J))
		y = append(y, 0)
	}
	return X, nil, y
}

func patternRow(m Model, p uint32, J int) []float64 {
	row := []float64{1}
	k := bits.OnesCount32(p)
	if m.Common {
		row = append(row, float64(k))
	} else {
		for j := 0; j < J; j++ {
			row = append(row, float64(p>>j&1))
		}
	}
	for _, in := range m.Interactions {
		row = append(row, float64(p>>in[0]&1&(p>>in[1]&1)))
	}
	return append(row, m.hetColumns(k, J)...)
}

func countRow(m Model, k, K int) []float64 {
	row := []float64{1, float64(k)}
	return append(row, m.hetColumns(k, K)...)
}

func countOffset(t *Table, k int) float64 {
	if t.Occasions == 0 {
		lg, _ := math.Lgamma(float64(k + 1))
		return -lg
	}
	a, _ := math.Lgamma(float64(t.Occasions + 1))
	b, _ := math.Lgamma(float64(k + 1))
	c, _ := math.Lgamma(float64(t.Occasions - k + 1))
	return a - b - c
}

// FitLoglinear fits the Poisson log-linear model m to t and returns the estimate of the total
// with its delta-method standard error, deviance, AIC/BIC and the multinomial profile-likelihood
// 95% interval. It returns an EINVALID error when the model does not fit the table's shape.
// An estimate that does not exist or is not identifiable is returned with Exists false and a
// warning saying why.
func FitLoglinear(t *Table, m Model) (*Estimate, error) {
	const op = "stats.FitLoglinear"
	J := t.NumLists()
	for _, in := range m.Interactions {
		if t.CountData || in[0] < 0 || in[1] < 0 || in[0] >= J || in[1] >= J || in[0] == in[1] {
			return nil, casefile.Errorf(casefile.EINVALID, op, "model %s: interaction out of range for a table of %d lists", m.Name(t.Lists), J)
		}
	}
	if t.CountData && !m.Common {
		return nil, casefile.Errorf(casefile.EINVALID, op, "count data supports only M0 and Mh models")
	}
	est, err := fitOnce(t, m)
	if err != nil {
		return nil, err
	}
	// Rcapture's convention: a heterogeneity parameter estimated negative has no meaning (it
	// would make visible people less likely to be seen again); set it to zero and refit. For
	// Chao's lower bound, drop the offending knots one at a time.
	if m.Het != HetNone && est.Exists {
		est = constrainHet(t, m, est)
	}
	est.Model = m.Name(t.Lists)
	return est, nil
}

func fitOnce(t *Table, m Model) (*Estimate, error) {
	return fitWithDrops(t, m, nil)
}

// fitWithDrops fits m with the heterogeneity columns listed in drop removed.
func fitWithDrops(t *Table, m Model, drop map[int]bool) (*Estimate, error) {
	X, off, y := design(t, m, false)
	base := len(X[0]) - len(m.hetColumns(1, t.NumLists()))
	if len(drop) > 0 {
		X = dropColumns(X, base, drop)
	}
	n := t.Observed()
	est := &Estimate{Method: "loglinear", Observed: n, Exists: true, Interval: "profile likelihood (multinomial), 95%"}
	p := len(X[0])
	est.Params = p
	est.DF = len(y) - p
	if rank(X) < p || est.DF < 0 {
		est.Exists = false
		est.Warnings = append(est.Warnings, "not identifiable: the model has more parameters than the table can determine")
		est.N, est.StdErr, est.Unobserved = math.NaN(), math.NaN(), math.NaN()
		return est, nil
	}
	fit, err := fitPoisson(X, y, off)
	var face *facial
	if err == nil || fit.Mu != nil {
		// Empty cells whose fitted count goes to zero: the MLE lies on the boundary. Refit on the
		// other cells (the extended MLE); N is still estimable when the unobserved cell's row
		// stays in the row space of what is left.
		var zeroed []int
		for i := range y {
			if y[i] == 0 && (fit.Mu[i] < 1e-6 || (fit.Mu[i] < 0.05 && fit.Shrink != nil && fit.Shrink[i] < 0.8)) {
				zeroed = append(zeroed, i)
			}
		}
		if len(zeroed) > 0 {
			face = newFacial(X, zeroed)
			if !face.identified {
				est.Exists = false
				est.Warnings = append(est.Warnings, "the estimate does not exist: on this sparse table the model cannot bound the unobserved count")
				est.N, est.StdErr, est.Unobserved = math.Inf(1), math.NaN(), math.Inf(1)
				return est, nil
			}
			fit, err = fitPoisson(face.apply(X), face.rows(y), face.rows(off))
			est.Boundary = true
			est.Warnings = append(est.Warnings, fmt.Sprintf("boundary fit: %d empty cell(s) fitted as zero (the ordinary MLE does not exist; this is the extended MLE)", len(zeroed)))
		}
	}
	if err != nil {
		est.Exists = false
		est.Warnings = append(est.Warnings, "not identifiable: the fit is singular")
		est.N, est.StdErr, est.Unobserved = math.NaN(), math.NaN(), math.NaN()
		return est, nil
	}
	n0 := math.Exp(fit.Beta[0])
	est.Unobserved = n0
	est.N = n + n0
	est.StdErr = math.Sqrt(n0*n0*fit.Cov[0][0] + n0)
	est.Deviance = fit.Deviance
	est.AIC = -2*fit.LogLik + 2*float64(p)
	est.BIC = -2*fit.LogLik + math.Log(n)*float64(p)
	if !fit.Converged {
		est.Exists = false
		est.Warnings = append(est.Warnings, "the fit did not converge")
	}
	if est.Exists && (n0 > 1e3*math.Max(n, 1) || math.IsInf(n0, 0) || math.IsNaN(est.StdErr)) {
		est.Exists = false
		est.Warnings = append(est.Warnings, "the estimate diverges: the table cannot bound the unobserved count under this model")
	}
	if est.Exists {
		est.NMultinomial, est.CILow, est.CIHigh = profileInterval(t, m, drop, face, est.N)
	}
	return est, nil
}

func dropColumns(X [][]float64, base int, drop map[int]bool) [][]float64 {
	out := make([][]float64, len(X))
	for i, row := range X {
		r := append([]float64(nil), row[:base]...)
		for c := base; c < len(row); c++ {
			if !drop[c-base] {
				r = append(r, row[c])
			}
		}
		out[i] = r
	}
	return out
}

// constrainHet refits with negative heterogeneity parameters set to zero.
func constrainHet(t *Table, m Model, est *Estimate) *Estimate {
	nh := len(m.hetColumns(1, t.NumLists()))
	drop := map[int]bool{}
	cur := est
	for len(drop) < nh {
		X, off, y := design(t, m, false)
		base := len(X[0]) - nh
		Xd := dropColumns(X, base, drop)
		fit, err := fitPoisson(Xd, y, off)
		if err != nil {
			return cur
		}
		// find the most negative remaining heterogeneity coefficient
		worst, worstV, idx := -1, 0.0, base
		for c := 0; c < nh; c++ {
			if drop[c] {
				continue
			}
			if v := fit.Beta[idx]; v < worstV {
				worst, worstV = c, v
			}
			idx++
		}
		if worst < 0 {
			return cur
		}
		drop[worst] = true
		if len(drop) == nh {
			// no heterogeneity left: the model reduces to the one without it
			mm := m
			mm.Het = HetNone
			next, err := fitOnce(t, mm)
			if err != nil {
				return cur
			}
			next.Warnings = append(next.Warnings, "heterogeneity parameter estimated negative: set to zero (the model reduces to "+mm.Name(t.Lists)+")")
			return next
		}
		next, err := fitWithDrops(t, m, drop)
		if err != nil {
			return cur
		}
		next.Warnings = append(next.Warnings, fmt.Sprintf("%d heterogeneity parameter(s) estimated negative: set to zero", len(drop)))
		cur = next
	}
	return cur
}

// profileLogLik is the multinomial log-likelihood of the complete table, with the unobserved
// cell set to N − n, maximised over the model's parameters (Cormack 1992).
func profileLogLik(t *Table, m Model, drop map[int]bool, face *facial, N float64) float64 {
	X, off, y := design(t, m, true)
	if len(drop) > 0 {
		base := len(X[0]) - len(m.hetColumns(1, t.NumLists()))
		X = dropColumns(X, base, drop)
	}
	n := t.Observed()
	y[len(y)-1] = N - n
	if off != nil {
		off = append(off, 0)[:len(y)]
	}
	if face != nil {
		X, y, off = face.apply(X), face.rows(y), face.rows(off)
	}
	fit, err := fitPoisson(X, y, off)
	if err != nil {
		return math.Inf(-1)
	}
	ll := 0.0
	for i := range y {
		if y[i] > 0 {
			ll += y[i] * math.Log(fit.Mu[i]/N)
		}
	}
	a, _ := math.Lgamma(N + 1)
	b, _ := math.Lgamma(N - n + 1)
	return ll + a - b
}

// profileInterval returns the multinomial MLE of N and the 95% profile-likelihood interval.
func profileInterval(t *Table, m Model, drop map[int]bool, face *facial, start float64) (mle, lo, hi float64) {
	n := t.Observed()
	f := func(N float64) float64 { return profileLogLik(t, m, drop, face, N) }
	// Golden-section search for the maximum on [n, bigger than start].
	a, b := n, math.Max(start*3, n+10)
	for f(b) > f(start) && b < 1e9 {
		b *= 2
	}
	g := (math.Sqrt(5) - 1) / 2
	c, d := b-g*(b-a), a+g*(b-a)
	fc, fd := f(c), f(d)
	for i := 0; i < 200 && b-a > 1e-7*math.Max(1, a); i++ {
		if fc > fd {
			b, d, fd = d, c, fc
			c = b - g*(b-a)
			fc = f(c)
		} else {
			a, c, fc = c, d, fd
			d = a + g*(b-a)
			fd = f(d)
		}
	}
	mle = (a + b) / 2
	top := f(mle)
	const half = 1.920729410347062 // χ²₁(0.95)/2
	target := top - half
	// Lower limit: bisection between n and mle (the likelihood may stay above target at n).
	if f(n) >= target {
		lo = n
	} else {
		l, r := n, mle
		for i := 0; i < 200 && r-l > 1e-6; i++ {
			mid := (l + r) / 2
			if f(mid) < target {
				l = mid
			} else {
				r = mid
			}
		}
		lo = (l + r) / 2
	}
	r := mle * 2
	for f(r) > target && r < 1e12 {
		r *= 2
	}
	if r >= 1e12 {
		return mle, lo, math.Inf(1)
	}
	l := mle
	for i := 0; i < 200 && r-l > 1e-6; i++ {
		mid := (l + r) / 2
		if f(mid) >= target {
			l = mid
		} else {
			r = mid
		}
	}
	hi = (l + r) / 2
	return mle, lo, hi
}

// Criterion names for model selection.
const (
	CriterionAIC = "aic"
	CriterionBIC = "bic"
)

// Selection is the outcome of fitting a family of log-linear models: every fit, ranked by the
// criterion (models whose estimate does not exist last), and the chosen one.
type Selection struct {
	Criterion string      `json:"criterion"`
	Best      *Estimate   `json:"best"`
	Models    []*Estimate `json:"models"`
	Searched  string      `json:"searched"` // "all" or "stepwise"
}

// HierarchicalModels returns every hierarchical model with main effects and any set of two-way
// interactions for J lists (2^(J(J−1)/2) models), or an error when there are too many to fit.
func HierarchicalModels(J int) ([]Model, error) {
	var pairs [][2]int
	for a := 0; a < J; a++ {
		for b := a + 1; b < J; b++ {
			pairs = append(pairs, [2]int{a, b})
		}
	}
	if len(pairs) > 15 {
		return nil, casefile.Errorf(casefile.EINVALID, "stats.HierarchicalModels", "%d lists give 2^%d models; use stepwise selection", J, len(pairs))
	}
	var out []Model
	for mask := 0; mask < 1<<len(pairs); mask++ {
		var m Model
		for i, pr := range pairs {
			if mask>>i&1 == 1 {
				m.Interactions = append(m.Interactions, pr)
			}
		}
		out = append(out, m)
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].Interactions) < len(out[j].Interactions) })
	return out, nil
}

// HeterogeneityModels returns the standard heterogeneity models (Chao, Poisson2, Darroch,
// Gamma3.5), with common capture effect when common is true (Mh) or list effects otherwise (Mth).
func HeterogeneityModels(common bool) []Model {
	return []Model{
		{Common: common, Het: HetChao},
		{Common: common, Het: HetPoisson, Theta: 2},
		{Common: common, Het: HetDarroch},
		{Common: common, Het: HetGamma, Theta: 3.5},
	}
}

// SelectLoglinear fits the standard family on t and ranks it by criterion (CriterionAIC or
// CriterionBIC): for list data M0, Mt, every hierarchical model up to two-way interactions
// (exhaustively for up to 5 lists, by stepwise search from Mt beyond), and the heterogeneity
// models Mh and Mth; for count data M0 and the Mh models. ctx cancels a long search.
func SelectLoglinear(ctx context.Context, t *Table, criterion string) (*Selection, error) {
	const op = "stats.SelectLoglinear"
	crit := strings.ToLower(criterion)
	if crit == "" {
		crit = CriterionBIC
	}
	if crit != CriterionAIC && crit != CriterionBIC {
		return nil, casefile.Errorf(casefile.EINVALID, op, "criterion %q: want aic or bic", criterion)
	}
	sel := &Selection{Criterion: crit, Searched: "all"}
	var models []Model
	if t.CountData {
		models = append([]Model{{Common: true}}, HeterogeneityModels(true)...)
	} else {
		models = append(models, Model{Common: true})
		models = append(models, HeterogeneityModels(true)...)
		models = append(models, HeterogeneityModels(false)...)
		if len(t.Lists) <= 5 {
			h, err := HierarchicalModels(len(t.Lists))
			if err != nil {
				return nil, err
			}
			models = append(models, h...)
		}
	}
	ests, err := fitAll(ctx, t, models)
	if err != nil {
		return nil, err
	}
	if !t.CountData && len(t.Lists) > 5 {
		sel.Searched = "stepwise"
		step, err := stepwise(ctx, t, crit)
		if err != nil {
			return nil, err
		}
		ests = append(ests, step...)
	}
	score := func(e *Estimate) float64 {
		if crit == CriterionAIC {
			return e.AIC
		}
		return e.BIC
	}
	sort.SliceStable(ests, func(i, j int) bool {
		a, b := ests[i], ests[j]
		if a.Exists != b.Exists {
			return a.Exists
		}
		if a.Boundary != b.Boundary {
			return !a.Boundary
		}
		return score(a) < score(b)
	})
	sel.Models = ests
	if len(ests) > 0 && ests[0].Exists {
		sel.Best = ests[0]
	} else {
		return sel, casefile.Errorf(casefile.EINVALID, op, "no log-linear model has an estimate on this table (too sparse)")
	}
	return sel, nil
}

func fitAll(ctx context.Context, t *Table, models []Model) ([]*Estimate, error) {
	out := make([]*Estimate, len(models))
	errs := make([]error, len(models))
	var wg sync.WaitGroup
	next := make(chan int)
	workers := runtime.GOMAXPROCS(0)
	for w := 0; w < workers; w++ {
		wg.Go(func() {
			for i := range next {
				out[i], errs[i] = FitLoglinear(t, models[i])
			}
		})
	}
	for i := range models {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, casefile.Errorf(casefile.EINVALID, "stats.SelectLoglinear", "cancelled")
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// stepwise adds, from Mt, the two-way interaction that most improves the criterion, then tries
// removing each, until no move improves it. It returns every model it fitted.
func stepwise(ctx context.Context, t *Table, crit string) ([]*Estimate, error) {
	J := len(t.Lists)
	score := func(e *Estimate) float64 {
		if !e.Exists || e.Boundary {
			return math.Inf(1)
		}
		if crit == CriterionAIC {
			return e.AIC
		}
		return e.BIC
	}
	cur := Model{}
	curEst, err := FitLoglinear(t, cur)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{cur.Name(t.Lists): true}
	all := []*Estimate{curEst}
	for iter := 0; iter < J*J; iter++ {
		var cands []Model
		in := map[[2]int]bool{}
		for _, p := range cur.Interactions {
			in[p] = true
		}
		for a := 0; a < J; a++ {
			for b := a + 1; b < J; b++ {
				if in[[2]int{a, b}] {
					continue
				}
				m := Model{Interactions: append(append([][2]int(nil), cur.Interactions...), [2]int{a, b})}
				if !seen[m.Name(t.Lists)] {
					cands = append(cands, m)
				}
			}
		}
		for i := range cur.Interactions {
			m := Model{}
			for k, p := range cur.Interactions {
				if k != i {
					m.Interactions = append(m.Interactions, p)
				}
			}
			if !seen[m.Name(t.Lists)] {
				cands = append(cands, m)
			}
		}
		ests, err := fitAll(ctx, t, cands)
		if err != nil {
			return nil, err
		}
		best := -1
		for i, e := range ests {
			seen[cands[i].Name(t.Lists)] = true
			all = append(all, e)
			if score(e) < score(curEst) && (best < 0 || score(e) < score(ests[best])) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		cur, curEst = cands[best], ests[best]
	}
	return all, nil
}

// facial describes a boundary fit: cells removed (fitted as zero) and the columns kept so that
// the design stays of full rank on the remaining cells.
type facial struct {
	removed    map[int]bool
	keep       []int
	identified bool // the unobserved cell's row lies in the row space of the remaining cells
}

func newFacial(X [][]float64, zeroed []int) *facial {
	f := &facial{removed: map[int]bool{}}
	for _, i := range zeroed {
		f.removed[i] = true
	}
	var rest [][]float64
	for i, row := range X {
		if !f.removed[i] {
			rest = append(rest, row)
		}
	}
	p := len(X[0])
	// Greedily keep the columns that add rank, intercept first.
	sub := func(cols []int, rows [][]float64) [][]float64 {
		out := make([][]float64, len(rows))
		for i, r := range rows {
			for _, c := range cols {
				out[i] = append(out[i], r[c])
			}
		}
		return out
	}
	for c := 0; c < p; c++ {
		try := append(append([]int(nil), f.keep...), c)
		if rank(sub(try, rest)) == len(try) {
			f.keep = try
		}
	}
	zero := make([]float64, p)
	zero[0] = 1
	full := sub(allCols(p), rest)
	f.identified = len(f.keep) > 0 && f.keep[0] == 0 && rank(append(full, zero)) == rank(full)
	return f
}

func allCols(p int) []int {
	c := make([]int, p)
	for i := range c {
		c[i] = i
	}
	return c
}

// apply removes the zeroed cells (the unobserved cell, if present as an extra last row, is kept)
// and the dropped columns.
func (f *facial) apply(X [][]float64) [][]float64 {
	var out [][]float64
	for i, row := range X {
		if f.removed[i] {
			continue
		}
		r := make([]float64, len(f.keep))
		for k, c := range f.keep {
			r[k] = row[c]
		}
		out = append(out, r)
	}
	return out
}

func (f *facial) rows(v []float64) []float64 {
	if v == nil {
		return nil
	}
	var out []float64
	for i, x := range v {
		if !f.removed[i] {
			out = append(out, x)
		}
	}
	return out
}

// ParseModel reads a model written as Rcapture names it: "M0", "Mt", "Mh", "Mth", optionally
// followed by two-way interactions ("Mt + c1:c2 + c2:c3"), with list names as in lists (or c1,
// c2, … by position). Mh and Mth get Chao's heterogeneity unless Het is set afterwards. It
// returns EINVALID naming the part it does not understand.
func ParseModel(s string, lists []string) (Model, error) {
	const op = "stats.ParseModel"
	parts := strings.Split(strings.ReplaceAll(s, " ", ""), "+")
	var m Model
	switch strings.ToLower(parts[0]) {
	case "m0":
		m.Common = true
	case "mt", "":
	case "mh":
		m.Common, m.Het = true, HetChao
	case "mth":
		m.Het = HetChao
	default:
		return m, casefile.Errorf(casefile.EINVALID, op, "model %q: start with M0, Mt, Mh or Mth", s)
	}
	index := func(name string) int {
		for i, l := range lists {
			if l == name {
				return i
			}
		}
		if len(name) > 1 && (name[0] == 'c' || name[0] == 'C') {
			if n, err := strconv.Atoi(name[1:]); err == nil && n >= 1 && n <= len(lists) {
				return n - 1
			}
		}
		return -1
	}
	for _, p := range parts[1:] {
		ab := strings.Split(p, ":")
		if len(ab) != 2 {
			return m, casefile.Errorf(casefile.EINVALID, op, "model %q: %q is not a two-way interaction like c1:c2", s, p)
		}
		i, j := index(ab[0]), index(ab[1])
		if i < 0 || j < 0 || i == j {
			return m, casefile.Errorf(casefile.EINVALID, op, "model %q: %q does not name two different lists of the table", s, p)
		}
		if m.Common {
			return m, casefile.Errorf(casefile.EINVALID, op, "model %q: interactions need list effects (Mt or Mth)", s)
		}
		m.Interactions = append(m.Interactions, [2]int{min(i, j), max(i, j)})
	}
	return m, nil
}
