package stats

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casefile/casefile"
)

func TestReadTableCSV(t *testing.T) {
	hiv := loadTable(t, "rcapture_HIV_rome_4lists.csv")
	if hiv.Observed() != 1896 || len(hiv.Lists) != 4 {
		t.Fatalf("HIV: n=%v lists=%v, want 1896 over 4 lists", hiv.Observed(), hiv.Lists)
	}
	scot := loadTable(t, "conting_ScotPWID_full.csv")
	if scot.Observed() != 5670 {
		t.Errorf("ScotPWID full: n=%v, want 5670", scot.Observed())
	}
	sizes := scot.ListSizes()
	for j, want := range []float64{901, 953, 3504, 827} {
		if sizes[j] != want {
			t.Errorf("ScotPWID list %s has %v people, published %v", scot.Lists[j], sizes[j], want)
		}
	}
	f, _ := os.Open(filepath.Join(mseDir, "conting_ScotPWID_full.csv"))
	defer f.Close()
	ts, err := ReadTableCSV(f, "scot")
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 1+2*2*2 {
		t.Errorf("ScotPWID: %d tables, want the total and 8 strata", len(ts))
	}
	for _, n := range []string{"sparsemse_NewOrl.csv", "sparsemse_Ned.csv", "sparsemse_Western.csv", "dga_madigan_york1997_5lists.csv"} {
		if tb := loadTable(t, n); tb.Observed() <= 0 {
			t.Errorf("%s: empty", n)
		}
	}
	for _, c := range []struct{ in, want string }{
		{"", "empty file"},
		{"a,b,freq\n1,0,x\n", "line 2: field \"freq\": count \"x\""},
		{"a,b\n1,0\n", "no count column"},
		{"a,b,freq\n1,0,3\n0,1\n", "line 3: 2 fields"},
		{"a,freq\n1,3\n", "need 2 to"},
		{"a,b,freq\n0,0,5\n", "line 2: a row on no list"},
		{"nbcap,freq\n0,4\n", "line 2: number of captures"},
	} {
		_, err := ReadTableCSV(strings.NewReader(c.in), "t.csv")
		if err == nil || casefile.ErrorKind(err) != casefile.EINVALID || !strings.Contains(casefile.ErrorMessage(err), c.want) {
			t.Errorf("input %q: error %v, want EINVALID containing %q", c.in, err, c.want)
		}
	}
}

func FuzzReadTableCSV(f *testing.F) {
	for _, n := range []string{"rcapture_HIV_rome_4lists.csv", "rcapture_ill_netherlands_countdata.csv", "conting_spina_full.csv"} {
		if b, err := os.ReadFile(filepath.Join(mseDir, n)); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("a,b,freq\n1,1,3\n1,0,NA\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ts, err := ReadTableCSV(bytes.NewReader(b), "fuzz.csv")
		if err != nil {
			if casefile.ErrorKind(err) != casefile.EINVALID {
				t.Fatalf("error of kind %s: %v", casefile.ErrorKind(err), err)
			}
			return
		}
		if len(ts) == 0 || ts[0].Observed() <= 0 {
			t.Fatalf("accepted a table with no people")
		}
		if !ts[0].CountData && len(ts[0].Lists) > 5 {
			return
		}
		// Whatever was accepted must fit without panicking.
		_, _ = FitLoglinear(ts[0], Model{Common: true})
	})
}
