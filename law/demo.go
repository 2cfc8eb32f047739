package law

import (
	_ "embed"
	"encoding/json"
	"sort"

	"github.com/casefile/casefile"
)

//go:embed demo/answers.json
var demoJSON []byte

// DemoSet is the answer set of one demonstration act for one pack, taken from the reference paper
// (Golichenko & Sarang 2013), with the paper's own conclusion and the outcomes the engine is
// expected to reach (Note says where and why they differ).
type DemoSet struct {
	ActID     string                     `json:"act_id"`
	Framework string                     `json:"framework"`
	Answers   map[string]casefile.Answer `json:"answers"`
	Expect    []string                   `json:"expect"`
	Paper     string                     `json:"paper"`
	Note      string                     `json:"note"`
}

type demoFile struct {
	Source string `json:"source"`
	Acts   []struct {
		ActID      string                     `json:"act_id"`
		Frameworks []string                   `json:"frameworks"`
		Expect     map[string][]string        `json:"expect"`
		Paper      string                     `json:"paper"`
		Note       string                     `json:"note"`
		Answers    map[string]casefile.Answer `json:"answers"`
	} `json:"acts"`
}

// DemoAnswers returns the demonstration answer sets, one per act and applicable pack, in a stable
// order. The data is embedded and checked by the tests; a decoding failure is a build defect.
func DemoAnswers() []DemoSet {
	var f demoFile
	if err := json.Unmarshal(demoJSON, &f); err != nil {
		panic("law: embedded demo answers are invalid: " + err.Error())
	}
	var out []DemoSet
	for _, a := range f.Acts {
		for _, fw := range a.Frameworks {
			ans := make(map[string]casefile.Answer, len(a.Answers))
			for k, v := range a.Answers {
				ans[k] = v
			}
			out = append(out, DemoSet{ActID: a.ActID, Framework: fw, Answers: ans, Expect: a.Expect[fw], Paper: a.Paper, Note: a.Note})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].ActID != out[j].ActID {
			return out[i].ActID < out[j].ActID
		}
		return out[i].Framework < out[j].Framework
	})
	return out
}
