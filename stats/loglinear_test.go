package stats

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const mseDir = "../../shared/data/mse"

func loadTable(t testing.TB, file string) *Table {
	t.Helper()
	f, err := os.Open(filepath.Join(mseDir, file))
	if err != nil {
		t.Skipf("shared data not available: %v", err)
	}
	defer f.Close()
	ts, err := ReadTableCSV(f, file)
	if err != nil {
		t.Fatalf("ReadTableCSV(%s): %v", file, err)
	}
	return ts[0]
}

func pairs(p ...int) [][2]int {
	var out [][2]int
	for i := 0; i+1 < len(p); i += 2 {
		out = append(out, [2]int{p[i] - 1, p[i+1] - 1})
	}
	return out
}

var all4 = pairs(1, 2, 1, 3, 1, 4, 2, 3, 2, 4, 3, 4)

// digits formats v with as many decimals as the reference value printed, the comparison a reader
// of both outputs would make.
func digits(v float64, ref string) string {
	dec := 0
	if i := strings.IndexByte(ref, '.'); i >= 0 {
		dec = len(ref) - i - 1
	}
	return strconv.FormatFloat(v, 'f', dec, 64)
}

// TestFitLoglinear_Reference reproduces every log-linear row of reference_results.csv (and the
// alternative models in its notes) to the printed digits: estimate, standard error, deviance, df
// and AIC.
func TestFitLoglinear_Reference(t *testing.T) {
	type row struct {
		file, name              string
		m                       Model
		N, se, dev, aic, lo, hi string
		df                      int
	}
	rows := []row{
		{file: "rcapture_HIV_rome_4lists.csv", name: "Mt+c1:c2", m: Model{Interactions: pairs(1, 2)}, N: "12318.5", se: "1188.7", dev: "7.614", df: 9, aic: "86.65"},
		{file: "rcapture_HIV_rome_4lists.csv", name: "all two-way", m: Model{Interactions: all4}, N: "23443.5", se: "9594.9", dev: "3.037", df: 4, aic: "92.073"},
		{file: "rcapture_example_seber1982_2lists.csv", name: "Mt", m: Model{}, N: "2389.9", se: "130.4", dev: "0", df: 0, aic: "28.831"},
		{file: "rcapture_example_seber1982_2lists.csv", name: "M0", m: Model{Common: true}, N: "2805.6", se: "164.1"},
		{file: "rcapture_ill_netherlands_countdata.csv", name: "M0", m: Model{Common: true}, N: "7079.9", se: "365.8", dev: "61.811", df: 4, aic: "95.971"},
		{file: "rcapture_ill_netherlands_countdata.csv", name: "Mh Chao", m: Model{Common: true, Het: HetChao}, N: "9273.5", se: "662.6", dev: "1.534", df: 1, aic: "41.695", lo: "8088.2", hi: "10704"},
		{file: "rcapture_ill_netherlands_countdata.csv", name: "Mh Poisson2", m: Model{Common: true, Het: HetPoisson, Theta: 2}, N: "8617.6", se: "537.3", dev: "26.341", df: 3, aic: "62.502"},
		{file: "rcapture_ill_netherlands_countdata.csv", name: "Mh Darroch", m: Model{Common: true, Het: HetDarroch}, N: "15562.1", se: "1808.5", dev: "7.277", df: 3, aic: "43.438"},
		{file: "rcapture_ill_netherlands_countdata.csv", name: "Mh Gamma3.5", m: Model{Common: true, Het: HetGamma, Theta: 3.5}, N: "29058.3", se: "5496.8", dev: "3.661", df: 3, aic: "39.822"},
		{file: "rcapture_test_darroch1993_R3_3lists.csv", name: "saturated", m: Model{Interactions: pairs(1, 2, 1, 3, 2, 3)}, N: "1240", se: "451", dev: "0", df: 0},
		{file: "rcapture_test_darroch1993_R3_3lists.csv", name: "c1:c2+c2:c3", m: Model{Interactions: pairs(1, 2, 2, 3)}, N: "850", se: "186", dev: "3.8", df: 1},
		{file: "rcapture_test_darroch1993_R3_3lists.csv", name: "c1:c2+LB", m: Model{Interactions: pairs(1, 2), Het: HetChao}, N: "681", se: "78", dev: "3.45", df: 1},
		{file: "rcapture_test_darroch1993_R3_3lists.csv", name: "c1:c2+Darroch", m: Model{Interactions: pairs(1, 2), Het: HetDarroch}, N: "1181.8", se: "404.2"},
		{file: "rcapture_test_bruno1994_diabetes_4lists.csv", name: "all but c1:c4", m: Model{Interactions: pairs(1, 2, 1, 3, 2, 3, 2, 4, 3, 4)}, N: "2771", se: "145", dev: "7.62", df: 5},
		{file: "rcapture_test_bruno1994_diabetes_4lists.csv", name: "I", m: Model{Interactions: pairs(1, 3, 2, 4, 3, 4)}, N: "2472", se: "53", dev: "21.97", df: 7},
		{file: "rcapture_test_bruno1994_diabetes_4lists.csv", name: "I+LB", m: Model{Interactions: pairs(1, 3, 2, 4, 3, 4), Het: HetChao}, N: "2588", se: "75", dev: "3.13", df: 6},
		{file: "rcapture_test_bruno1994_diabetes_4lists.csv", name: "I+Poisson2", m: Model{Interactions: pairs(1, 3, 2, 4, 3, 4), Het: HetPoisson}, N: "2573", se: "76", dev: "12.88", df: 6},
		{file: "rcapture_test_bruno1994_diabetes_4lists.csv", name: "I+Darroch", m: Model{Interactions: pairs(1, 3, 2, 4, 3, 4), Het: HetDarroch}, N: "2752", se: "133", dev: "8.32", df: 6},
		{file: "rcapture_test_bruno1994_diabetes_4lists.csv", name: "I+Gamma3.5", m: Model{Interactions: pairs(1, 3, 2, 4, 3, 4), Het: HetGamma, Theta: 3.5}, N: "2964", se: "219", dev: "6.74", df: 6},
		{file: "rcapture_test_bruno1994_diabetes_4lists.csv", name: "I+Gamma0.5", m: Model{Interactions: pairs(1, 3, 2, 4, 3, 4), Het: HetGamma, Theta: 0.5}, N: "4238", se: "952", dev: "5.49", df: 6},
		{file: "rcapture_test_cormack2000_4lists.csv", name: "Mt", m: Model{}, N: "215", dev: "87.1", df: 10},
		{file: "rcapture_test_cormack2000_4lists.csv", name: "Mt+c3:c4", m: Model{Interactions: pairs(3, 4)}, N: "215", df: 9},
		{file: "rcapture_test_cormack2000_4lists.csv", name: "Mt+c1:c2+c1:c3+c3:c4", m: Model{Interactions: pairs(1, 2, 1, 3, 3, 4)}, N: "218", dev: "2.6", df: 7},
		{file: "rcapture_test_cormack2000_3lists.csv", name: "Mt", m: Model{}, N: "209", dev: "75.1", df: 3, lo: "203", hi: "217"},
		{file: "rcapture_test_cormack2000_3lists.csv", name: "Mt+c2:c3", m: Model{Interactions: pairs(2, 3)}, dev: "1.2", df: 2, lo: "210"},
		{file: "rcapture_test_cormack2000_3lists.csv", name: "Mt+c1:c3+c2:c3", m: Model{Interactions: pairs(1, 3, 2, 3)}, N: "233", df: 1, lo: "204"},
		{file: "lcmcr_kosovo_1999_4lists.csv", name: "Mt", m: Model{}, N: "7394.6", se: "129.6", dev: "245.939", df: 10, aic: "357.363"},
		{file: "lcmcr_kosovo_1999_4lists.csv", name: "all two-way", m: Model{Interactions: all4}, N: "14402.5", se: "1050.9", dev: "39.832", df: 4, aic: "163.256"},
		{file: "rcapture_lesbian_allegheny_4lists.csv", name: "Mt", m: Model{}, N: "3738.5", se: "95.2", dev: "174.809", df: 10, aic: "277.162"},
	}
	for _, r := range rows {
		t.Run(strings.TrimSuffix(r.file, ".csv")+"/"+r.name, func(t *testing.T) {
			e, err := FitLoglinear(loadTable(t, r.file), r.m)
			if err != nil {
				t.Fatal(err)
			}
			if !e.Exists {
				t.Fatalf("estimate reported as not existing: %v", e.Warnings)
			}
			check := func(what string, got float64, want string) {
				if want == "" {
					return
				}
				if g := digits(got, want); g != want && !(want == "0" && g == "-0") {
					t.Errorf("%s = %s (%.6f), reference %s", what, g, got, want)
				}
			}
			check("N", e.N, r.N)
			check("stderr", e.StdErr, r.se)
			check("deviance", e.Deviance, r.dev)
			check("AIC", e.AIC, r.aic)
			check("CI low", e.CILow, r.lo)
			check("CI high", e.CIHigh, r.hi)
			if (r.dev != "" || r.df != 0) && e.DF != r.df {
				t.Errorf("df = %d, reference %d", e.DF, r.df)
			}
		})
	}
}

// TestFitLoglinear_ProfileCI checks the multinomial estimates and profile-likelihood intervals
// Rcapture prints for the Rome HIV table.
func TestFitLoglinear_ProfileCI(t *testing.T) {
	hiv := loadTable(t, "rcapture_HIV_rome_4lists.csv")
	for _, c := range []struct {
		m         Model
		N, lo, hi string
	}{
		{Model{Interactions: pairs(1, 2)}, "12308", "10266", "14992.3"},
		{Model{Interactions: all4}, "23269.8", "10027.6", "50046.3"},
	} {
		e, err := FitLoglinear(hiv, c.m)
		if err != nil {
			t.Fatal(err)
		}
		if digits(e.NMultinomial, c.N) != c.N || digits(e.CILow, c.lo) != c.lo || digits(e.CIHigh, c.hi) != c.hi {
			t.Errorf("%s: multinomial %.2f (%.2f–%.2f), Rcapture %s (%s–%s)", e.Model, e.NMultinomial, e.CILow, e.CIHigh, c.N, c.lo, c.hi)
		}
	}
}

// TestFitLoglinear_Sparse checks that a model the table cannot support is reported as not
// existing instead of printing a meaningless number (Cormack 2000: the all-two-way model
// diverges).
func TestFitLoglinear_Sparse(t *testing.T) {
	e, err := FitLoglinear(loadTable(t, "rcapture_test_cormack2000_4lists.csv"), Model{Interactions: all4})
	if err != nil {
		t.Fatal(err)
	}
	if e.Exists || len(e.Warnings) == 0 {
		t.Fatalf("all-two-way model on Cormack 4 lists: exists=%v N=%v, want a non-existence warning", e.Exists, e.N)
	}
	// A large table whose lists 1 and 2 never overlap: the c1:c2 interaction goes to −∞ while
	// the deviance, large from lack of fit elsewhere, settles early. Still a boundary fit.
	big, _ := NewTable("A", "B", "C")
	for p, c := range map[uint32]float64{0b001: 50000, 0b010: 40000, 0b100: 30000, 0b101: 9000, 0b110: 400, 0b011: 0, 0b111: 0} {
		big.Add(p, c)
	}
	e, err = FitLoglinear(big, Model{Interactions: pairs(1, 2)})
	if err != nil {
		t.Fatal(err)
	}
	if !e.Boundary && e.Exists {
		t.Errorf("lists that never overlap with their interaction in the model: not flagged (N=%.1f, %v)", e.N, e.Warnings)
	}
	// Non-overlapping lists: no one is on two lists, so no interaction can be estimated.
	tb, _ := NewTable("A", "B", "C")
	tb.Add(1, 10)
	tb.Add(2, 20)
	tb.Add(4, 30)
	e, err = FitLoglinear(tb, Model{})
	if err != nil {
		t.Fatal(err)
	}
	if e.Exists {
		t.Fatalf("lists with no overlap: estimate %v reported as existing", e.N)
	}
}

func TestSelectLoglinear(t *testing.T) {
	ctx := context.Background()
	hiv := loadTable(t, "rcapture_HIV_rome_4lists.csv")
	sel, err := SelectLoglinear(ctx, hiv, "bic")
	if err != nil {
		t.Fatal(err)
	}
	// 1 (M0) + 4 Mh + 4 Mth + 64 hierarchical models.
	if len(sel.Models) != 73 {
		t.Errorf("fitted %d models, want 73", len(sel.Models))
	}
	for i := 1; i < len(sel.Models); i++ {
		a, b := sel.Models[i-1], sel.Models[i]
		if a.Exists && b.Exists && a.BIC > b.BIC {
			t.Fatalf("models not ranked by BIC at %d: %v > %v", i, a.BIC, b.BIC)
		}
	}
	found := false
	for _, e := range sel.Models {
		if e.Model == "Mt + c1:c2" && digits(e.N, "12318.5") == "12318.5" {
			found = true
		}
	}
	if !found {
		t.Error("the Mt + c1:c2 model with Rcapture's estimate is missing from the selection")
	}
	if _, err := SelectLoglinear(ctx, hiv, "cp"); err == nil {
		t.Error("unknown criterion accepted")
	}
	// Six lists: stepwise search.
	uk := loadTable(t, "sparsemse_UKdat.csv")
	sel, err = SelectLoglinear(ctx, uk, "aic")
	if err != nil {
		t.Fatal(err)
	}
	if sel.Searched != "stepwise" || sel.Best == nil || !(sel.Best.N > uk.Observed()) || math.IsInf(sel.Best.N, 0) {
		t.Fatalf("UK 6 lists: searched %s, best %+v", sel.Searched, sel.Best)
	}
	t.Logf("UK modern slavery 2013: %s N=%.0f (%.0f–%.0f)", sel.Best.Model, sel.Best.N, sel.Best.CILow, sel.Best.CIHigh)
}

func BenchmarkSelectLoglinear_HIV(b *testing.B) {
	hiv := loadTable(b, "rcapture_HIV_rome_4lists.csv")
	for b.Loop() {
		if _, err := SelectLoglinear(context.Background(), hiv, "bic"); err != nil {
			b.Fatal(err)
		}
	}
}

func TestParseModel(t *testing.T) {
	lists := []string{"EXH", "ABA", "OSCE", "HRW"}
	m, err := ParseModel("Mt + EXH:ABA + c3:c4", lists)
	if err != nil || len(m.Interactions) != 2 || m.Interactions[1] != [2]int{2, 3} || m.Name(lists) != "Mt + EXH:ABA + OSCE:HRW" {
		t.Errorf("ParseModel: %+v %v", m, err)
	}
	if m, err := ParseModel("Mh", lists); err != nil || !m.Common || m.Het != HetChao {
		t.Errorf("Mh: %+v %v", m, err)
	}
	for _, bad := range []string{"Mx", "Mt+EXH", "Mt+EXH:EXH", "Mt+EXH:UN", "M0+EXH:ABA"} {
		if _, err := ParseModel(bad, lists); err == nil {
			t.Errorf("ParseModel(%q) accepted", bad)
		}
	}
}
