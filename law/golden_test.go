package law

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/casefile/casefile"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden_DemoOutcomes compares the full outcome records (reason chains, labels, flags, tags,
// open questions, candidates) of every demonstration assessment with testdata/demo_outcomes.json.
// After a deliberate change to a pack, review the diff and run: go test ./law -run DemoOutcomes -update
func TestGolden_DemoOutcomes(t *testing.T) {
	type entry struct {
		ActID     string             `json:"act_id"`
		Framework string             `json:"framework"`
		Outcomes  []casefile.Outcome `json:"outcomes"`
		Missing   []string           `json:"missing,omitempty"`
		Warnings  []string           `json:"warnings,omitempty"`
	}
	var got []entry
	for _, d := range DemoAnswers() {
		res, err := Builtin().Packs[d.Framework].Assess(Input{Answers: d.Answers})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, entry{d.ActID, d.Framework, res.Outcomes, res.Missing, res.Warnings})
	}
	b, err := json.MarshalIndent(got, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	path := filepath.Join("testdata", "demo_outcomes.json")
	if *update {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(b, want) {
		t.Errorf("demo outcomes differ from %s; review with -update and git diff", path)
	}
}
