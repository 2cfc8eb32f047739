package law

import (
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/casefile/casefile"
)

// gate elements stop or switch off a whole framework by design (consent pre-check P0, the unit
// P1); the monotonicity property is about the elements outcomes rest on.
var gate = map[string]bool{"ctx.source_basis": true, "ip.consent.informed": true, "ctx.unit": true}

// randomAnswers draws an answer set: each element unknown with probability pUnknown, else a
// random allowed code (several for a multi-select), with a random strength.
func randomAnswers(r *rand.Rand, p *Pack, pUnknown float64) map[string]casefile.Answer {
	out := map[string]casefile.Answer{}
	strengths := []string{"", "alleged", "corroborated", "medically_consistent", "established"}
	for i, e := range p.Elements {
		// mostly the elements the pack reads, so that rules are often decided
		if r.Float64() < pUnknown || (!p.used[i] && r.IntN(4) > 0) {
			continue
		}
		out[e.ID] = randomAnswer(r, e, strengths)
	}
	if r.IntN(5) > 0 {
		// the minimum facts, so that most sets pass pre-check P1
		out["ctx.unit"] = casefile.Answer{Codes: []string{"individual_act"}}
		for _, id := range p.Minimum["individual_act"] {
			if _, ok := out[id]; !ok {
				e, _ := p.Element(id)
				out[id] = randomAnswer(r, e, strengths)
			}
		}
		delete(out, "ctx.source_basis")
	}
	return out
}

func randomAnswer(r *rand.Rand, e *Element, strengths []string) casefile.Answer {
	codes := []string{e.Answers[r.IntN(len(e.Answers))]}
	if e.Multi {
		for r.IntN(3) == 0 {
			codes = append(codes, e.Answers[r.IntN(len(e.Answers))])
		}
	}
	return casefile.Answer{Codes: codes, Strength: strengths[r.IntN(len(strengths))]}
}

// TestProperty_NoAnswerSetPanics: thousands of random answer sets per pack are assessed without a
// panic or an error, and every outcome is well formed.
func TestProperty_NoAnswerSetPanics(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	set := Builtin()
	n := 3000
	if testing.Short() || raceEnabled {
		n = 600
	}
	for _, name := range set.Names {
		p := set.Packs[name]
		for i := 0; i < n; i++ {
			a := randomAnswers(r, p, r.Float64())
			res, err := p.Assess(Input{Answers: a})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			for _, o := range res.Outcomes {
				switch {
				case o.Code == "insufficient_information":
					if len(o.OpenQuestions) == 0 && o.Limb != "all" && len(o.Candidates) == 0 {
						t.Fatalf("%s: insufficient_information without questions: %s", name, dump(o))
					}
				case o.Code == "no_violation":
					if len(o.ReasonChain) == 0 {
						t.Fatalf("%s: no_violation without grounds", name)
					}
				default:
					if p.Outcome(o.Code) == nil || len(o.Sources) == 0 || !hasRule(o.ReasonChain, o.Rules[0]) {
						t.Fatalf("%s: malformed outcome %s", name, dump(o))
					}
					if _, ok := strengthRank[o.EvidenceLabel]; !ok {
						t.Fatalf("%s: evidence label %q", name, o.EvidenceLabel)
					}
				}
			}
		}
	}
}

// deps is what a definite outcome rests on: the elements of its reason chain and its open
// questions, closed under the fills (an element that feeds a fill of a dependency is one too).
func deps(p *Pack, o casefile.Outcome) map[string]bool {
	d := map[string]bool{}
	for _, r := range o.ReasonChain {
		if r.Element != "" {
			d[r.Element] = true
		}
	}
	for _, q := range o.OpenQuestions {
		id, _, _ := strings.Cut(q, ":")
		d[id] = true
	}
	for changed := true; changed; {
		changed = false
		for _, f := range p.Fills {
			hit := false
			for id := range f.Set {
				hit = hit || d[id]
			}
			if !hit {
				continue
			}
			f.When.walk(func(c *Cond) {
				if c.Kind == condAtom && !d[p.Elements[c.el].ID] {
					d[p.Elements[c.el].ID] = true
					changed = true
				}
			})
		}
	}
	return d
}

func definite(res *Result) map[string]casefile.Outcome {
	out := map[string]casefile.Outcome{}
	for _, o := range res.Outcomes {
		if o.Code != "insufficient_information" {
			out[o.Code+"/"+o.Limb] = o
		}
	}
	return out
}

// TestProperty_UnknownToDefiniteKeepsIndependentOutcomes: answering an element that was unknown
// never removes a definite outcome (a violation or no_violation) that did not depend on it.
func TestProperty_UnknownToDefiniteKeepsIndependentOutcomes(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	set := Builtin()
	n := 6000
	if testing.Short() {
		n = 200
	} else if raceEnabled {
		n = 2500
	}
	strengths := []string{"alleged", "corroborated", "established"}
	checked := 0
	for _, name := range set.Names {
		p := set.Packs[name]
		for i := 0; i < n; i++ {
			a := randomAnswers(r, p, 0.3+0.6*r.Float64())
			before, err := p.Assess(Input{Answers: a})
			if err != nil {
				t.Fatal(err)
			}
			defs := definite(before)
			if len(defs) == 0 {
				continue
			}
			// elements still unknown after the fills
			var open []*Element
			for j, e := range p.Elements {
				_, filled := before.Filled()[e.ID]
				coded := len(a[e.ID].Codes) > 0
				if !filled && !coded && !gate[e.ID] && (p.used[j] || r.IntN(8) == 0) {
					open = append(open, e)
				}
			}
			if len(open) == 0 {
				continue
			}
			e := open[r.IntN(len(open))]
			b := with(a)
			b[e.ID] = randomAnswer(r, e, strengths)
			after, err := p.Assess(Input{Answers: b})
			if err != nil {
				t.Fatal(err)
			}
			now := definite(after)
			keys := make([]string, 0, len(defs))
			for k := range defs {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				if deps(p, defs[k])[e.ID] {
					continue
				}
				checked++
				if _, ok := now[k]; !ok {
					t.Fatalf("%s: answering %s = %v removed %s, which did not depend on it\nbefore: %s\nafter: %s",
						name, e.ID, b[e.ID].Codes, k, dump(defs[k]), dump(after.Outcomes))
				}
			}
		}
	}
	if checked < 1000 {
		t.Errorf("only %d outcome checks: the generator is too weak for the property to mean anything", checked)
	}
}

// TestAssessAll_SameAsEachPack: reading the answers once for all packs changes no result.
func TestAssessAll_SameAsEachPack(t *testing.T) {
	set := Builtin()
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 300; i++ {
		a := randomAnswers(r, set.Packs["cat"], r.Float64())
		all, err := set.AssessAll(Input{Answers: a})
		if err != nil {
			t.Fatal(err)
		}
		for k, n := range set.Names {
			one, err := set.Packs[n].Assess(Input{Answers: a})
			if err != nil {
				t.Fatal(err)
			}
			if dump(one) != dump(all[k]) {
				t.Fatalf("%s differs:\n%s\n%s", n, dump(one), dump(all[k]))
			}
		}
	}
}

// TestConcurrentAssess: packs are shared by goroutines (run with -race).
func TestConcurrentAssess(t *testing.T) {
	set := Builtin()
	demo := DemoAnswers()
	want := make([]string, len(demo))
	for i, d := range demo {
		res, _ := set.Packs[d.Framework].Assess(Input{Answers: d.Answers})
		want[i] = dump(res.Outcomes)
	}
	done := make(chan string, 4)
	for g := 0; g < 4; g++ {
		go func() {
			for k := 0; k < 20; k++ {
				for i, d := range demo {
					res, err := set.Packs[d.Framework].Assess(Input{Answers: d.Answers})
					if err != nil || dump(res.Outcomes) != want[i] {
						done <- d.ActID + "/" + d.Framework
						return
					}
					if _, err := set.AssessAll(Input{Answers: d.Answers}); err != nil {
						done <- err.Error()
						return
					}
				}
			}
			done <- ""
		}()
	}
	for g := 0; g < 4; g++ {
		if s := <-done; s != "" {
			t.Errorf("concurrent assessment differs: %s", s)
		}
	}
}
