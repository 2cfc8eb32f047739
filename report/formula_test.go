package report

import (
	"math"
	"strings"
	"testing"

	"github.com/casefile/casefile"
)

func TestParseFormula(t *testing.T) {
	vals := map[string]float64{"ind_beds": 1860, "ind_registered": 2500000, "ind-x": 4}
	get := func(id string) (float64, bool) { v, ok := vals[id]; return v, ok }
	for _, tc := range []struct {
		in     string
		want   float64
		canon  string
		inputs string
	}{
		{"ind_beds / ind_registered * 1000", 0.744, "ind_beds / ind_registered * 1000", "ind_beds,ind_registered"},
		{"1 + 2 * 3", 7, "1 + 2 * 3", ""},
		{"(1 + 2) * 3", 9, "(1 + 2) * 3", ""},
		{"10 - (4 - 3)", 9, "10 - (4 - 3)", ""},
		{"10 - 4 - 3", 3, "10 - 4 - 3", ""},
		{"-{ind-x} + 1", -3, "-{ind-x} + 1", "ind-x"},
		{"8 / (2 / 2)", 8, "8 / (2 / 2)", ""},
	} {
		f, err := ParseFormula(tc.in)
		if err != nil {
			t.Fatalf("%q: %v", tc.in, err)
		}
		got, err := f.Eval(get)
		if err != nil {
			t.Fatalf("%q: %v", tc.in, err)
		}
		if math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("%q = %v, want %v", tc.in, got, tc.want)
		}
		if f.String() != tc.canon {
			t.Errorf("%q renders %q, want %q", tc.in, f.String(), tc.canon)
		}
		if strings.Join(f.Inputs(), ",") != tc.inputs {
			t.Errorf("%q inputs %v, want %s", tc.in, f.Inputs(), tc.inputs)
		}
	}
}

func TestParseFormula_Errors(t *testing.T) {
	for _, in := range []string{"", "1 +", "(1", "1)", "a ** b", "os.Exit(1)", "Beds", "{bad id}", "1e400", strings.Repeat("(", 40) + "1" + strings.Repeat(")", 40), "x; y"} {
		if _, err := ParseFormula(in); err == nil {
			t.Errorf("%q: parsed, want an error", in)
		} else if casefile.ErrorKind(err) != casefile.EINVALID {
			t.Errorf("%q: kind %s, want EINVALID", in, casefile.ErrorKind(err))
		}
	}
	f, _ := ParseFormula("a / b")
	if _, err := f.Eval(func(id string) (float64, bool) { return map[string]float64{"a": 1, "b": 0}[id], true }); err == nil {
		t.Error("division by zero gave no error")
	}
	if _, err := f.Eval(func(string) (float64, bool) { return 0, false }); err == nil {
		t.Error("unknown input gave no error")
	}
}

func TestDerive(t *testing.T) {
	list := []*casefile.Indicator{
		{ID: "beds", Value: 1860, SourceID: "s"},
		{ID: "reg", Value: 2500000, SourceID: "s"},
		{ID: "per1000", Formula: "beds / reg * 1000", Inputs: []string{"beds", "reg"}},
		{ID: "twice", Formula: "per1000 * 2", Inputs: []string{"per1000"}},
		{ID: "loop1", Formula: "loop2 + 1", Inputs: []string{"loop2"}},
		{ID: "loop2", Formula: "loop1 + 1", Inputs: []string{"loop1"}},
		{ID: "dangling", Formula: "nobody * 2", Inputs: []string{"nobody"}},
	}
	vals, errs := Derive(list)
	if math.Abs(vals["twice"]-1.488) > 1e-9 {
		t.Errorf("twice = %v, want 1.488", vals["twice"])
	}
	for _, id := range []string{"loop1", "loop2", "dangling"} {
		if _, ok := vals[id]; ok {
			t.Errorf("%s has a value", id)
		}
		if errs[id] == nil {
			t.Errorf("%s: no error", id)
		}
	}
}

func FuzzParseFormula(f *testing.F) {
	for _, s := range []string{"a + b", "ind_beds / ind_registered * 1000", "-(1 - -2) * {x-y}", "((((1))))", "1.5.5", "1/0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fo, err := ParseFormula(s)
		if err != nil {
			return
		}
		canon := fo.String()
		again, err := ParseFormula(canon)
		if err != nil {
			t.Fatalf("canonical form %q of %q does not parse: %v", canon, s, err)
		}
		if again.String() != canon {
			t.Fatalf("canonical form is not stable: %q → %q", canon, again.String())
		}
		one := func(string) (float64, bool) { return 1, true }
		v1, err1 := fo.Eval(one)
		v2, err2 := again.Eval(one)
		if (err1 == nil) != (err2 == nil) || (err1 == nil && v1 != v2 && !(math.IsNaN(v1) && math.IsNaN(v2))) {
			t.Fatalf("%q and its canonical form %q evaluate differently: %v/%v, %v/%v", s, canon, v1, err1, v2, err2)
		}
	})
}
