package law

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casefile/casefile"
)

func sharedYAML(t testing.TB) []byte {
	b, err := embedded.ReadFile("packs/shared.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func packYAML(t testing.TB, name string) string {
	b, err := embedded.ReadFile("packs/" + name + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestValidation_NamesFileAndLine: each kind of pack defect is refused with the file, the line of
// the offending item and what is wrong.
func TestValidation_NamesFileAndLine(t *testing.T) {
	cat := packYAML(t, "cat")
	lineOfText := func(s, sub string) int {
		i := strings.Index(s, sub)
		if i < 0 {
			t.Fatalf("fixture text %q not in cat.yaml", sub)
		}
		return strings.Count(s[:i], "\n") + 1
	}
	cases := []struct {
		name, old, new, want string
		line                 int
	}{
		{"unknown element id", "      - cat.1.severity: [severe, very_serious_and_cruel]", "      - cat.1.sevrity: [severe, very_serious_and_cruel]",
			`element "cat.1.sevrity" is not defined`, lineOfText(cat, "      - cat.1.severity: [severe, very_serious_and_cruel]")},
		{"answer outside the allowed set", "      - cat.1.intent: [deliberate, knowing/foreseeable]\n      - cat.1.purpose", "      - cat.1.intent: [deliberate, on_purpose]\n      - cat.1.purpose",
			`"on_purpose" is not an allowed answer of cat.1.intent`, lineOfText(cat, "      - cat.1.intent: [deliberate, knowing/foreseeable]\n      - cat.1.purpose")},
		{"rule that can never fire", "      - proc.arguable_claim: arguable\n      - nexus", "      - proc.arguable_claim: arguable\n      - proc.arguable_claim: not_arguable\n      - nexus",
			"R3b_procedural_CAT12_13_14 can never fire: proc.arguable_claim must be both", lineOfText(cat, "  - id: R3b_procedural_CAT12_13_14")},
		{"outcome without a source", `source: "CAT Arts. 12-14, 16(1); GC3 paras 1-3"}`, `source: ""}`,
			"outcome cat_procedural has no source", lineOfText(cat, "  - {code: cat_procedural")},
		{"rule without sources", `    sources: ["CAT Arts. 12-14, 16(1)", "GC3 paras 1-3"]`, `    sources: []`,
			"outcome cat_procedural has no source", lineOfText(cat, "  - id: R3b_procedural_CAT12_13_14")},
		{"unknown defeater", "unless: [D1_therapeutic_necessity, D2_lawful_sanction", "unless: [D1_therapeutic, D2_lawful_sanction",
			`no defeater "D1_therapeutic"`, lineOfText(cat, "  - id: R1_torture_CAT1")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			bad := strings.Replace(cat, c.old, c.new, 1)
			if bad == cat {
				t.Fatalf("fixture text not found")
			}
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "shared.yaml"), sharedYAML(t), 0o644)
			os.WriteFile(filepath.Join(dir, "cat.yaml"), []byte(bad), 0o644)
			_, err := LoadDir(dir)
			if err == nil {
				t.Fatal("accepted")
			}
			msg := casefile.ErrorMessage(err)
			where := filepath.Join(dir, "cat.yaml") + ":" + itoa(c.line) + ":"
			if !strings.Contains(msg, c.want) || !strings.Contains(msg, where) {
				t.Errorf("error %q\nwant %q at %q", msg, c.want, where)
			}
			if casefile.ErrorKind(err) != casefile.EINVALID {
				t.Errorf("kind %s", casefile.ErrorKind(err))
			}
		})
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	s := ""
	for n > 0 {
		s = string(rune('0'+n%10)) + s
		n /= 10
	}
	return s
}

// TestLoadDir_EditedPackRuns: a lawyer's copy of the packs loads from a folder, and an edit (a
// stricter severity for torture) changes the result and the pack version.
func TestLoadDir_EditedPackRuns(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"shared", "cat", "echr3", "icescr12", "iccpr7"} {
		text := packYAML(t, n)
		if n == "cat" {
			text = strings.Replace(text, "      - cat.1.severity: [severe, very_serious_and_cruel]\n      - cat.1.intent", "      - cat.1.severity: [very_serious_and_cruel]\n      - cat.1.intent", 1)
		}
		os.WriteFile(filepath.Join(dir, n+".yaml"), []byte(text), 0o644)
	}
	set, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := set.Pack("cat")
	if p.Version == Builtin().Packs["cat"].Version {
		t.Errorf("an edited pack keeps the built-in version %s", p.Version)
	}
	a := with(catAct, "cat.1.severity=severe", "cat.1.intent=deliberate", "cat.1.purpose=punishment", "cat.16.powerlessness=yes")
	res, err := p.Assess(Input{Answers: a})
	if err != nil {
		t.Fatal(err)
	}
	if find(res, "torture") != nil || find(res, "cidt") == nil {
		t.Errorf("edited pack: want cidt, not torture: %s", dump(res.Outcomes))
	}
}

// TestParseAnswers covers the three answer forms and the errors.
func TestParseAnswers(t *testing.T) {
	a, err := ParseAnswers("a.json", []byte(`{"answers": {"cat.1.severity": "severe", "cat.1.act": ["beating", "threats"],
		"cat.1.intent": {"code": "deliberate", "strength": "corroborated", "justification": "custody log"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if a["cat.1.severity"].Codes[0] != "severe" || len(a["cat.1.act"].Codes) != 2 || a["cat.1.intent"].Strength != "corroborated" {
		t.Errorf("parsed %v", a)
	}
	for in, want := range map[string]string{
		`{"cat.1.severity": 3}`: `answer to "cat.1.severity"`,
		"{\n\"x\": \"y\",\n}":   "line 3",
		`[]`:                    "not a JSON object",
		`{"cat.1.severity": {"codes": [], "x":1}}`: "not allowed",
	} {
		_, err := ParseAnswers("a.json", []byte(in))
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "a.json") {
			t.Errorf("%s: error %v, want %q", in, err, want)
		}
	}
}

// FuzzParsePack: no pack text makes the loader panic; whatever it accepts can be assessed.
func FuzzParsePack(f *testing.F) {
	for _, n := range []string{"cat", "echr3", "icescr12", "iccpr7"} {
		f.Add([]byte(packYAML(f, n)))
	}
	f.Add([]byte("pack: x\nversion: \"1\"\nuses: [shared]\nrules: [null]\n"))
	f.Add([]byte("pack: x\nversion: \"1\"\nuses: [shared]\noutcomes: [{code: a, limb: l, article: A, source: S}]\nlimbs: [{id: l}]\nrules:\n  - {id: r, outcome: a, sources: [s], when: {any_of: [{not_fired: r}]}}\n"))
	f.Add([]byte("pack: x\nversion: 1\nrules:\n - when: {cat.1.act: {only: [beating]}}\n"))
	shared := sharedYAML(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		set, err := Parse(map[string][]byte{"shared.yaml": shared, "x.yaml": data})
		if err != nil {
			if casefile.ErrorKind(err) != casefile.EINVALID {
				t.Fatalf("error kind %s: %v", casefile.ErrorKind(err), err)
			}
			return
		}
		for _, p := range set.Packs {
			if _, err := p.Assess(Input{Answers: with(catAct, "icescr.12.service=OST")}); err != nil && casefile.ErrorKind(err) != casefile.EINVALID {
				t.Fatal(err)
			}
		}
	})
}

// FuzzParseAnswers: no answers file makes the parser or the engine panic.
func FuzzParseAnswers(f *testing.F) {
	f.Add([]byte(`{"cat.1.severity": "severe"}`))
	f.Add([]byte(`{"answers": {"cat.1.act": ["beating"], "ctx.setting": {"code": "prison", "strength": "alleged"}}}`))
	f.Add([]byte(`{"ctx.unit": "individual_act", "ctx.setting": "prison", "ctx.actor.type": "state_official", "cat.1.act": "beating", "cat.1.severity": ["severe", "minor"]}`))
	f.Add([]byte(`{"a": null}`))
	p, _ := Builtin().Pack("cat")
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := AnswerLines(data)
		a, err := ParseAnswers("f.json", data)
		if err != nil {
			return
		}
		for id := range lines {
			if _, ok := a[id]; !ok && id != "answers" {
				t.Fatalf("AnswerLines found key %q that is not an answer", id)
			}
		}
		if _, err := p.Assess(Input{Answers: a}); err != nil && casefile.ErrorKind(err) != casefile.EINVALID {
			t.Fatal(err)
		}
	})
}

// TestGrounds_ExcludeKnownRules: the shared grounds name only rules that the built-in packs define
// (a folder may hold only some packs, so the loader does not check this).
func TestGrounds_ExcludeKnownRules(t *testing.T) {
	rules := map[string]bool{}
	set := Builtin()
	for _, p := range set.Packs {
		for _, r := range p.Rules {
			rules[r.ID] = true
		}
	}
	for _, g := range set.Packs["cat"].Grounds {
		for _, r := range g.Excludes {
			if !rules[r] {
				t.Errorf("ground %s excludes unknown rule %s", g.ID, r)
			}
		}
	}
}

// TestAnswerLines names the line of each answer, at the top level or under "answers".
func TestAnswerLines(t *testing.T) {
	flat := "{\n \"a.b\": \"x\",\n \"c.d\": {\"codes\": [\"y\"],\n  \"justification\": \"j\"},\n \"e.f\": [\"z\"]\n}"
	if l := AnswerLines([]byte(flat)); l["a.b"] != 2 || l["c.d"] != 3 || l["e.f"] != 5 || len(l) != 3 {
		t.Errorf("flat: %v", l)
	}
	nested := "{\"version\": 1,\n \"answers\": {\n  \"a.b\": \"x\",\n\n  \"c.d\": \"y\"}}"
	if l := AnswerLines([]byte(nested)); l["a.b"] != 3 || l["c.d"] != 5 {
		t.Errorf("nested: %v", l)
	}
}
