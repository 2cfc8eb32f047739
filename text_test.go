package casefile

import "testing"

func TestPartialDate_InferPrecision(t *testing.T) {
	for start, want := range map[string]string{"2010": PrecisionYear, "2010-07": PrecisionMonth, "2010-07-15": PrecisionExact, "July 2010": ""} {
		if got := (PartialDate{Start: start}).InferPrecision().Precision; got != want {
			t.Errorf("InferPrecision(%q) = %q, want %q", start, got, want)
		}
	}
	if got := (PartialDate{Precision: PrecisionEstimate, Start: "2010"}).InferPrecision().Precision; got != PrecisionEstimate {
		t.Errorf("a given precision was replaced by %q", got)
	}
	if err := (PartialDate{Start: "July 2010"}).InferPrecision().Validate("date"); err == nil {
		t.Error("a start of no known form was accepted")
	}
}
