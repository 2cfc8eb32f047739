package stats

import (
	"errors"
	"math"
)

// errSingular reports a design matrix whose columns are linearly dependent on the cells used.
var errSingular = errors.New("stats: singular design matrix")

// poissonFit is the result of a Poisson GLM fit with log link.
type poissonFit struct {
	Beta      []float64   // coefficients, in column order
	Cov       [][]float64 // inverse Fisher information at Beta
	Mu        []float64   // fitted means
	Deviance  float64     // 2 Σ [y log(y/μ) − (y − μ)]
	LogLik    float64     // Σ [y log μ − μ − log y!]
	Iter      int         // IRLS iterations used
	Converged bool        // the deviance settled within maxIter iterations
	// Shrink is, per cell, the ratio of its fitted mean to the one of the iteration before. An
	// empty cell still shrinking (ratio well below 1) at convergence is being driven to zero:
	// the MLE is on the boundary even if the deviance has settled.
	Shrink []float64
}

// fitPoisson fits log E[y] = offset + X β by iteratively reweighted least squares. X is row-major
// with one row per cell. offset may be nil. It returns errSingular when XᵀWX cannot be inverted.
func fitPoisson(X [][]float64, y, offset []float64) (*poissonFit, error) {
	n := len(y)
	if n == 0 || len(X) != n {
		return nil, errors.New("stats: empty or mismatched design")
	}
	p := len(X[0])
	eta := make([]float64, n)
	mu := make([]float64, n)
	for i := range y {
		mu[i] = y[i] + 0.1 // start as R's glm does for the Poisson family
		eta[i] = math.Log(mu[i])
	}
	off := func(i int) float64 {
		if offset == nil {
			return 0
		}
		return offset[i]
	}
	beta := make([]float64, p)
	A := newMatrix(p)
	b := make([]float64, p)
	devOld := math.Inf(1)
	fit := &poissonFit{}
	var lastL [][]float64
	// R's glm.fit convergence rule and limit, so that standard errors agree with Rcapture's to
	// the printed digits: the covariance comes from the weights of the last IRLS step.
	const maxIter = 100
	const epsilon = 1e-8
	for it := 1; it <= maxIter; it++ {
		// Weighted least squares: W = μ, working response z = η − offset + (y − μ)/μ.
		for r := range A {
			clear(A[r])
		}
		clear(b)
		for i := 0; i < n; i++ {
			w := mu[i]
			z := eta[i] - off(i) + (y[i]-mu[i])/mu[i]
			xi := X[i]
			for r := 0; r < p; r++ {
				if xi[r] == 0 {
					continue
				}
				wr := w * xi[r]
				b[r] += wr * z
				Ar := A[r]
				for c := 0; c <= r; c++ {
					Ar[c] += wr * xi[c]
				}
			}
		}
		for r := 0; r < p; r++ {
			for c := r + 1; c < p; c++ {
				A[r][c] = A[c][r]
			}
		}
		L, err := cholesky(A)
		if err != nil {
			if it > 1 {
				fit.Beta, fit.Mu = beta, mu
			}
			return fit, errSingular
		}
		lastL = L
		nb := cholSolve(L, b)
		dev := 0.0
		if fit.Shrink == nil {
			fit.Shrink = make([]float64, n)
		}
		for i := 0; i < n; i++ {
			fit.Shrink[i] = mu[i]
		}
		for i := 0; i < n; i++ {
			s := off(i)
			for r, x := range X[i] {
				s += x * nb[r]
			}
			if s > 700 {
				s = 700
			}
			eta[i] = s
			mu[i] = math.Exp(s)
			if mu[i] < 1e-300 {
				mu[i] = 1e-300
			}
			dev += devTerm(y[i], mu[i])
		}
		copy(beta, nb)
		for i := 0; i < n; i++ {
			fit.Shrink[i] = mu[i] / fit.Shrink[i]
		}
		fit.Iter = it
		if math.Abs(dev-devOld)/(math.Abs(dev)+0.1) < epsilon {
			fit.Converged = true
			break
		}
		devOld = dev
	}
	fit.Cov = cholInverse(lastL)
	fit.Beta = beta
	fit.Mu = mu
	for i := 0; i < n; i++ {
		fit.Deviance += devTerm(y[i], mu[i])
		fit.LogLik += poissonLogPMF(y[i], mu[i])
	}
	return fit, nil
}

func devTerm(y, mu float64) float64 {
	d := -(y - mu)
	if y > 0 {
		d += y * math.Log(y/mu)
	}
	return 2 * d
}

func poissonLogPMF(y, mu float64) float64 {
	lg, _ := math.Lgamma(y + 1)
	v := -mu - lg
	if y > 0 {
		v += y * math.Log(mu)
	}
	return v
}

func newMatrix(p int) [][]float64 {
	m := make([][]float64, p)
	buf := make([]float64, p*p)
	for i := range m {
		m[i] = buf[i*p : (i+1)*p]
	}
	return m
}

// cholesky returns the lower-triangular L with A = L Lᵀ, or an error when A is not positive
// definite to working precision (relative to its diagonal).
func cholesky(A [][]float64) ([][]float64, error) {
	p := len(A)
	L := newMatrix(p)
	maxDiag := 0.0
	for i := 0; i < p; i++ {
		maxDiag = math.Max(maxDiag, math.Abs(A[i][i]))
	}
	tol := 1e-11 * maxDiag
	for j := 0; j < p; j++ {
		s := A[j][j]
		for k := 0; k < j; k++ {
			s -= L[j][k] * L[j][k]
		}
		if !(s > tol) {
			return nil, errSingular
		}
		L[j][j] = math.Sqrt(s)
		for i := j + 1; i < p; i++ {
			t := A[i][j]
			for k := 0; k < j; k++ {
				t -= L[i][k] * L[j][k]
			}
			L[i][j] = t / L[j][j]
		}
	}
	return L, nil
}

func cholSolve(L [][]float64, b []float64) []float64 {
	p := len(L)
	x := make([]float64, p)
	for i := 0; i < p; i++ {
		s := b[i]
		for k := 0; k < i; k++ {
			s -= L[i][k] * x[k]
		}
		x[i] = s / L[i][i]
	}
	for i := p - 1; i >= 0; i-- {
		s := x[i]
		for k := i + 1; k < p; k++ {
			s -= L[k][i] * x[k]
		}
		x[i] = s / L[i][i]
	}
	return x
}

func cholInverse(L [][]float64) [][]float64 {
	p := len(L)
	inv := newMatrix(p)
	e := make([]float64, p)
	for j := 0; j < p; j++ {
		clear(e)
		e[j] = 1
		col := cholSolve(L, e)
		for i := 0; i < p; i++ {
			inv[i][j] = col[i]
		}
	}
	return inv
}

// rank returns the numerical rank of the rows X (Gaussian elimination with partial pivoting).
func rank(X [][]float64) int {
	if len(X) == 0 {
		return 0
	}
	n, p := len(X), len(X[0])
	M := make([][]float64, n)
	for i := range X {
		M[i] = append([]float64(nil), X[i]...)
	}
	r := 0
	for c := 0; c < p && r < n; c++ {
		piv, best := -1, 1e-9
		for i := r; i < n; i++ {
			if a := math.Abs(M[i][c]); a > best {
				piv, best = i, a
			}
		}
		if piv < 0 {
			continue
		}
		M[r], M[piv] = M[piv], M[r]
		for i := r + 1; i < n; i++ {
			f := M[i][c] / M[r][c]
			if f == 0 {
				continue
			}
			for k := c; k < p; k++ {
				M[i][k] -= f * M[r][k]
			}
		}
		r++
	}
	return r
}
