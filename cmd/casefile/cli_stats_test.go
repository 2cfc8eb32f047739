package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errb, func(string) string { return "" })
	return code, out.String(), errb.String()
}

const sharedData = "../../../shared/data"

func TestEstimateCommand(t *testing.T) {
	table := filepath.Join(sharedData, "mse", "rcapture_HIV_rome_4lists.csv")
	if _, err := os.Stat(table); err != nil {
		t.Skip("shared data not available")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "store")
	svg := filepath.Join(dir, "hiv.svg")
	code, out, errs := runCLI(t, "estimate", "--table", table, "--method", "loglinear", "--json", "--svg", svg, "--data", data)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Table     struct{ Observed float64 }
		Estimate  struct{ Model string }
		Loglinear struct {
			Models []struct {
				Model    string
				Estimate float64
				Stderr   float64
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	found := false
	for _, m := range doc.Loglinear.Models {
		if m.Model == "Mt + c1:c2" && fmt.Sprintf("%.1f/%.1f", m.Estimate, m.Stderr) == "12318.5/1188.7" {
			found = true
		}
	}
	if doc.Table.Observed != 1896 || !found || doc.Estimate.Model == "" {
		t.Errorf("observed %v, Rcapture's Mt + c1:c2 found %v, chosen %q", doc.Table.Observed, found, doc.Estimate.Model)
	}
	if b, err := os.ReadFile(svg); err != nil || !bytes.Contains(b, []byte("<svg")) || !bytes.Contains(b, []byte("Mt + c1:c2")) {
		t.Errorf("chart not written or without the models: %v", err)
	}
	if _, err := os.Stat(data); err == nil {
		t.Error("estimate --table opened or created a store")
	}
	// One model asked for by name: Rcapture's Mth Gamma0.5 for Bruno et al.'s diabetes table.
	code, out, errs = runCLI(t, "estimate", "--table", filepath.Join(sharedData, "mse", "rcapture_test_bruno1994_diabetes_4lists.csv"),
		"--model", "Mth + c1:c3 + c2:c4 + c3:c4", "--het", "gamma", "--theta", "0.5")
	if code != 0 || !strings.Contains(out, "Estimate:   4237.8") || !strings.Contains(out, "standard error 952.0") {
		t.Errorf("--model (exit %d): %s %s", code, out, errs)
	}
	// Text output and the latent class method.
	code, out, errs = runCLI(t, "estimate", "--table", filepath.Join(sharedData, "mse", "lcmcr_kosovo_1999_4lists.csv"), "--method", "lcmcr", "--iterations", "20000", "--burn-in", "2000")
	if code != 0 || !strings.Contains(out, "Documented: 4400") || !strings.Contains(out, "R-hat") {
		t.Errorf("lcmcr text output (exit %d): %s %s", code, out, errs)
	}
}

func TestEstimateCommand_BadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("a,b,freq\n1,0,3\n0,1,many\n"), 0o600)
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte("a,b,freq\n1,0,30\n0,1,20\n1,1,10\n"), 0o600)
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"estimate", "--by", "planet"}, 2, "--by"},
		{[]string{"estimate", "--lists", "all"}, 2, "--lists"},
		{[]string{"estimate", "--table", good, "--model", "Mq"}, 1, "start with M0, Mt, Mh or Mth"},
		{[]string{"estimate", "--table", good, "--model", "Mt", "--het", "zipf"}, 2, "--het"},
		{[]string{"estimate", "--table", bad, "--method", "magic"}, 2, "--method"},
		{[]string{"estimate", "--table", bad, "--criterion", "cp"}, 2, "--criterion"},
		{[]string{"estimate", "--table", bad}, 1, "bad.csv: line 3"},
		{[]string{"estimate", "--table", filepath.Join(dir, "missing.csv")}, 1, "cannot open missing.csv"},
		{[]string{"link", "--data", filepath.Join(dir, "none")}, 1, "no Casefile store"},
		{[]string{"estimate", "--data", filepath.Join(dir, "none")}, 1, "no Casefile store"},
		{[]string{"link", "--csv", bad, "--truth", "nope"}, 1, "no column named"},
	} {
		code, _, errs := runCLI(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d mentioning %q", c.args, code, errs, c.code, c.want)
		}
	}
}

func TestLinkCommand(t *testing.T) {
	file := filepath.Join(sharedData, "linkage", "RLdata500.csv")
	if _, err := os.Stat(file); err != nil {
		t.Skip("shared data not available")
	}
	code, out, errs := runCLI(t, "link", "--csv", file, "--truth", "ent_id", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		F1    float64
		Links []struct {
			Linked      bool
			Probability float64
			Explanation []struct{ Field string }
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.F1 < 0.98 || len(doc.Links) == 0 || len(doc.Links[0].Explanation) < 2 {
		t.Errorf("F1 %.4f, %d links", doc.F1, len(doc.Links))
	}
	// Two files, Cyrillic and Latin, with a config naming the columns.
	dir := t.TempDir()
	a := filepath.Join(dir, "a.csv")
	b := filepath.Join(dir, "b.csv")
	cfg := filepath.Join(dir, "link.json")
	os.WriteFile(a, []byte("Фамилия,Имя,Дата\nШмелёв,Юрий,12.03.1980\nКузнецова,Мария,01.07.1991\nИванов,Пётр,1975\n"), 0o600)
	os.WriteFile(b, []byte("Фамилия,Имя,Дата\nShmelyov,Yuriy,1980-03-12\nKuznetsova,Mariya,1991-07-01\nSmirnov,Oleg,1962-02-02\n"), 0o600)
	os.WriteFile(cfg, []byte(`{"columns": {"Фамилия": "surname", "Имя": "first_name", "Дата": "birth_date"}}`), 0o600)
	code, out, errs = runCLI(t, "link", "--csv", a, "--csv", b, "--config", cfg, "--explain")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "Links: 2") || !strings.Contains(out, "0:2 ~ 1:2") || !strings.Contains(out, "0:3 ~ 1:3") {
		t.Errorf("Cyrillic ↔ Latin linkage:\n%s", out)
	}
	if strings.Contains(out+errs, "Шмелёв") || strings.Contains(out+errs, "Shmelyov") {
		t.Error("names printed in the output; only record ids may appear")
	}
}

// TestStoreStats links the demonstration store's persons and estimates from its sources.
func TestStoreStats(t *testing.T) {
	dir := t.TempDir()
	env := func(k string) string {
		if k == "CASEFILE_PASSPHRASE" {
			return "stats-test-passphrase"
		}
		return ""
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"demo", "--no-serve", "--data", dir}, strings.NewReader(""), &out, &errb, env); code != 0 {
		t.Skipf("demo store not available: %s", errb.String())
	}
	out.Reset()
	errb.Reset()
	if code := run(context.Background(), []string{"link", "--data", dir, "--json"}, strings.NewReader(""), &out, &errb, env); code != 0 {
		t.Fatalf("link on the store: exit %d: %s", code, errb.String())
	}
	var l struct{ Records, Entities int }
	if err := json.Unmarshal(out.Bytes(), &l); err != nil || l.Records == 0 || l.Entities == 0 || l.Entities > l.Records {
		t.Fatalf("link on the store: %v %+v", err, l)
	}
	out.Reset()
	errb.Reset()
	if code := run(context.Background(), []string{"estimate", "--data", dir, "--by", "region", "--json"}, strings.NewReader(""), &out, &errb, env); code != 0 {
		t.Fatalf("estimate on the store: exit %d: %s", code, errb.String())
	}
	var e struct {
		Table struct {
			Observed float64
			Lists    []string
		}
		Estimate struct{ Estimate float64 }
		Strata   []struct{ Stratum string }
	}
	if err := json.Unmarshal(out.Bytes(), &e); err != nil {
		t.Fatal(err)
	}
	if e.Table.Observed == 0 || len(e.Table.Lists) < 2 || len(e.Table.Lists) > 6 || e.Estimate.Estimate < e.Table.Observed || len(e.Strata) == 0 {
		t.Errorf("store estimate: %+v", e)
	}
}
