package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The demo's Lesha Gorev consented to anonymised advocacy only: a UN submission must not carry
// his record, his testimony, or the interview source whose title names him. The bundle must still
// import, so nothing in it may point at what was left out.
func TestExport_UNSubmissionLeavesOutAnonymisedOnly(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if code, _, stderr := cli(t, nil, "demo", "--no-serve", "--data", data); code != 0 {
		t.Fatalf("demo: exit %d: %s", code, stderr)
	}
	read := func(use string) string {
		out := filepath.Join(dir, use)
		if code, _, stderr := cli(t, nil, "export", "--use", use, "--out", out, "--data", data); code != 0 {
			t.Fatalf("export --use %s: exit %d: %s", use, code, stderr)
		}
		b, err := os.ReadFile(filepath.Join(out, "records.json"))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	un := read("un_submission")
	manifest, err := os.ReadFile(filepath.Join(dir, "un_submission", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	// Every record about him (per_gorev, tes_gorev, src_int_gorev, evt_gorev_hospital,
	// act_gorev_pain_relief …) carries his name in its ID; the manifest lists record IDs too.
	for _, leak := range []string{"gorev", "lesha"} {
		if strings.Contains(strings.ToLower(un+string(manifest)), leak) {
			t.Errorf("the un_submission export contains %q", leak)
		}
	}
	if !strings.Contains(un, "per_volgograd") {
		t.Error("the un_submission export lacks per_volgograd, whose consent allows it")
	}
	if anon := read("anonymised"); !strings.Contains(anon, "per_gorev") || !strings.Contains(anon, "src_int_gorev") {
		t.Error("the anonymised export lacks per_gorev, whose consent allows it")
	}
	data2 := filepath.Join(dir, "data2")
	if code, _, stderr := cli(t, nil, "init", "--data", data2); code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	if code, _, stderr := cli(t, nil, "import", filepath.Join(dir, "un_submission"), "--data", data2); code != 0 {
		t.Fatalf("the un_submission export does not import: %s", stderr)
	}
}
