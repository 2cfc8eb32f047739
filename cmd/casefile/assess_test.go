package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/law"
)

func runAssessCmd(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errb, func(k string) string { return env[k] })
	return code, out.String(), errb.String()
}

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestAssess_AnswersFileWithoutStore: a lawyer evaluates an answers file against a pack with no
// store; the JSON lists each outcome with code, limb, flags, tags and reason chain.
func TestAssess_AnswersFileWithoutStore(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CASEFILE_DATA": filepath.Join(dir, "no-store")}
	f := writeFile(t, dir, "a.json", `{"ctx.unit": "individual_act", "ctx.setting": "narcology_clinic",
		"ctx.actor.type": "state_health_worker", "cat.1.act": "forced_treatment", "cat.1.severity": "severe",
		"cat.1.intent": {"code": "deliberate", "strength": "corroborated", "justification": "clinic record"},
		"cat.1.purpose": "punishment", "cat.16.powerlessness": "yes"}`)
	code, stdout, stderr := runAssessCmd(t, env, "assess", "--framework", "cat", "--answers", f, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var as casefile.Assessment
	if err := json.Unmarshal([]byte(stdout), &as); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	if as.Framework != "cat" || !strings.HasPrefix(as.PackVersion, "1.0.0+") {
		t.Errorf("framework %q version %q", as.Framework, as.PackVersion)
	}
	var tor *casefile.Outcome
	for i := range as.Outcomes {
		if as.Outcomes[i].Code == "torture" {
			tor = &as.Outcomes[i]
		}
	}
	if tor == nil || tor.Limb != "substantive" || tor.EvidenceLabel != "alleged" || len(tor.ReasonChain) < 5 {
		t.Fatalf("want an alleged torture outcome with its chain: %s", stdout)
	}
	if last := tor.ReasonChain[len(tor.ReasonChain)-1]; last.Rule != "R1_torture_CAT1" || !strings.Contains(last.Source, "CAT Art. 1") {
		t.Errorf("chain does not end with the rule and its source: %+v", last)
	}
	if as.Answers["cat.1.nexus"].Justification == "" {
		t.Errorf("the X0 fill of cat.1.nexus is not shown with the answers: %+v", as.Answers["cat.1.nexus"])
	}
	if _, err := os.Stat(env["CASEFILE_DATA"]); !os.IsNotExist(err) {
		t.Errorf("assess --answers touched the data folder")
	}
	// all packs at once, text output
	code, stdout, _ = runAssessCmd(t, env, "assess", "--framework", "all", "--answers", f)
	if code != 0 || !strings.Contains(stdout, "torture (CAT Art. 1)") || !strings.Contains(stdout, "echr3_inhuman_degrading (ECHR Art. 3)") {
		t.Errorf("text output for all packs:\n%s", stdout)
	}
}

// TestAssess_BadInput: a bad answer names the element, a bad pack folder names file and line,
// and bad usage exits 2.
func TestAssess_BadInput(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CASEFILE_DATA": filepath.Join(dir, "no-store")}
	f := writeFile(t, dir, "bad.json", "{\n  \"cat.1.act\": \"beating\",\n  \"cat.1.severity\": \"horrible\"\n}")
	code, _, stderr := runAssessCmd(t, env, "assess", "--framework", "cat", "--answers", f)
	if code != 1 || !strings.Contains(stderr, f+`:3: cat.1.severity: "horrible" is not an allowed answer`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if code, _, _ := runAssessCmd(t, env, "assess", "--answers", f); code != 2 {
		t.Errorf("missing --framework: exit %d, want 2", code)
	}
	if code, _, stderr := runAssessCmd(t, env, "assess", "--framework", "nope", "--answers", f); code != 1 || !strings.Contains(stderr, "no framework pack") {
		t.Errorf("unknown pack: exit %d %q", code, stderr)
	}
	packs := filepath.Join(dir, "packs")
	os.Mkdir(packs, 0o755)
	writeFile(t, packs, "x.yaml", "pack: x\nversion: \"1\"\noutcomes:\n  - {code: a, limb: l, article: A}\nlimbs: [{id: l}]\nrules: []\n")
	code, _, stderr = runAssessCmd(t, env, "framework", "validate", packs)
	if code != 1 || !strings.Contains(stderr, filepath.Join(packs, "x.yaml")+":4: outcome a has no source") {
		t.Errorf("validate: exit %d %q", code, stderr)
	}
}

// TestFramework_ShowAndList prints a pack's elements with questions in both languages.
func TestFramework_ShowAndList(t *testing.T) {
	env := map[string]string{"CASEFILE_DATA": filepath.Join(t.TempDir(), "none")}
	code, stdout, stderr := runAssessCmd(t, env, "framework", "show", "cat")
	if code != 0 || !strings.Contains(stdout, "cat.1.severity") || !strings.Contains(stdout, "very_serious_and_cruel") || !strings.Contains(stdout, "R1_torture_CAT1") {
		t.Fatalf("exit %d %s\n%s", code, stderr, stdout)
	}
	_, ru, _ := runAssessCmd(t, env, "framework", "show", "icescr12", "--lang", "ru")
	if !strings.Contains(ru, "основных лекарств") && !strings.Contains(ru, "Примерного перечня ВОЗ") {
		t.Errorf("no Russian questions:\n%.400s", ru)
	}
	_, list, _ := runAssessCmd(t, env, "framework", "list", "--json")
	var l struct{ Frameworks []struct{ Name string } }
	json.Unmarshal([]byte(list), &l)
	if len(l.Frameworks) != 4 {
		t.Errorf("framework list: %s", list)
	}
}

// TestAssess_StoreLifecycle: the demo store holds an assessment per demo act; assess --save adds
// a version, review signs it off, history shows every version.
func TestAssess_StoreLifecycle(t *testing.T) {
	if testing.Short() {
		t.Skip("creates a store")
	}
	dir := t.TempDir()
	env := map[string]string{"CASEFILE_DATA": filepath.Join(dir, "data"), "CASEFILE_PASSPHRASE": "assess-test-passphrase"}
	if code, _, stderr := runAssessCmd(t, env, "demo", "--no-serve"); code != 0 {
		t.Fatalf("demo: %s", stderr)
	}
	code, stdout, stderr := runAssessCmd(t, env, "assess", "list", "--json")
	if code != 0 {
		t.Fatalf("list: %s", stderr)
	}
	var list struct {
		Acts []struct {
			ActID       string `json:"act_id"`
			Assessments []struct {
				ID        string             `json:"id"`
				Framework string             `json:"framework"`
				Outcomes  []casefile.Outcome `json:"outcomes"`
			} `json:"assessments"`
		} `json:"acts"`
	}
	if err := json.Unmarshal([]byte(stdout), &list); err != nil || len(list.Acts) != 15 {
		t.Fatalf("assess list: %v, %d acts", err, len(list.Acts))
	}
	// the stored demo assessments (computed with the record's context) reach the outcomes the
	// demo answer sets expect (law/demo/answers.json)
	stored := map[string][]string{}
	for _, a := range list.Acts {
		for _, as := range a.Assessments {
			var codes []string
			for _, o := range as.Outcomes {
				codes = append(codes, o.Code)
			}
			sort.Strings(codes)
			stored[a.ActID+"/"+as.Framework] = codes
		}
	}
	for _, d := range law.DemoAnswers() {
		want := append([]string(nil), d.Expect...)
		sort.Strings(want)
		if got := stored[d.ActID+"/"+d.Framework]; strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("stored %s/%s: %v, want %v", d.ActID, d.Framework, got, want)
		}
	}
	found := ""
	for _, a := range list.Acts {
		if a.ActID == "act_shmelev_haloperidol" {
			for _, as := range a.Assessments {
				if as.Framework == "cat" && len(as.Outcomes) > 0 && as.Outcomes[0].Code == "torture" {
					found = as.ID
				}
			}
		}
	}
	if found == "" {
		t.Fatalf("haloperidol act is not assessed as torture: %s", stdout)
	}
	f := writeFile(t, dir, "a.json", `{"cat.16.powerlessness": "unclear", "cat.1.severity": "severe", "cat.1.intent": "deliberate", "cat.1.purpose": "punishment", "cat.1.act": "forced_treatment"}`)
	if code, _, stderr := runAssessCmd(t, env, "assess", "--act", "act_shmelev_haloperidol", "--framework", "cat", "--answers", f, "--save"); code != 0 {
		t.Fatalf("assess --save: %s", stderr)
	}
	code, stdout, stderr = runAssessCmd(t, env, "assess", "history", "--act", "act_shmelev_haloperidol", "--framework", "cat", "--json")
	var hist struct{ Assessments []casefile.Assessment }
	json.Unmarshal([]byte(stdout), &hist)
	if code != 0 || len(hist.Assessments) != 2 || hist.Assessments[1].Version != 2 || !hist.Assessments[1].Outcomes[0].Contested {
		t.Fatalf("history: exit %d %s\n%s", code, stderr, stdout)
	}
	if hist.Assessments[0].Outcomes[0].Contested {
		t.Errorf("version 1 was changed by version 2")
	}
	v2 := hist.Assessments[1].ID
	code, stdout, stderr = runAssessCmd(t, env, "assess", "review", v2, "--reviewer", "lawyer-1", "--json")
	var rev casefile.Assessment
	json.Unmarshal([]byte(stdout), &rev)
	if code != 0 || rev.Status != casefile.AssessmentReviewed || rev.Reviewer != "lawyer-1" || rev.ReviewedAt == nil {
		t.Fatalf("review: exit %d %s %s", code, stderr, stdout)
	}
	if code, _, _ := runAssessCmd(t, env, "assess", "review", hist.Assessments[0].ID, "--reviewer", "lawyer-1"); code != 1 {
		t.Errorf("reviewing a superseded version: exit %d, want 1", code)
	}
}
