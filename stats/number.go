package stats

import (
	"encoding/json"
	"math"
	"strconv"
)

// Number is a float64 that encodes to JSON as null when it is not finite (an estimate that does
// not exist, an unbounded interval), since JSON has no NaN or infinity.
type Number float64

// MarshalJSON writes the number with up to 6 significant decimals, or null when not finite.
func (n Number) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, f, 'f', -1, 64), nil
}

// MarshalJSON encodes the estimate with non-finite numbers (an estimate that does not exist, an
// unbounded interval) as null.
func (e Estimate) MarshalJSON() ([]byte, error) {
	type wire struct {
		Method       string   `json:"method"`
		Model        string   `json:"model"`
		Observed     Number   `json:"observed"`
		N            Number   `json:"estimate"`
		Unobserved   Number   `json:"unobserved"`
		StdErr       Number   `json:"stderr"`
		CILow        Number   `json:"ci_low"`
		CIHigh       Number   `json:"ci_high"`
		Interval     string   `json:"interval"`
		NMultinomial Number   `json:"estimate_multinomial,omitempty"`
		Deviance     *Number  `json:"deviance,omitempty"`
		DF           *int     `json:"df,omitempty"`
		Params       int      `json:"params,omitempty"`
		AIC          Number   `json:"aic,omitempty"`
		BIC          Number   `json:"bic,omitempty"`
		Exists       bool     `json:"exists"`
		Boundary     bool     `json:"boundary,omitempty"`
		Warnings     []string `json:"warnings,omitempty"`
		Diagnostics  any      `json:"diagnostics,omitempty"`
	}
	w := wire{
		Method: e.Method, Model: e.Model, Observed: Number(e.Observed), N: Number(e.N),
		Unobserved: Number(e.Unobserved), StdErr: Number(e.StdErr), CILow: Number(e.CILow),
		CIHigh: Number(e.CIHigh), Interval: e.Interval, NMultinomial: Number(e.NMultinomial),
		Params: e.Params, AIC: Number(e.AIC), BIC: Number(e.BIC), Exists: e.Exists, Boundary: e.Boundary, Warnings: e.Warnings,
	}
	if e.Method == "loglinear" {
		d, df := Number(e.Deviance), e.DF
		w.Deviance, w.DF = &d, &df
	}
	if e.Diagnostics != nil {
		w.Diagnostics = e.Diagnostics
	}
	return json.Marshal(w)
}
