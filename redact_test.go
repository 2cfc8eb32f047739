package casefile_test

import (
	"strings"
	"testing"
	"time"

	"github.com/casefile/casefile"
)

func TestRedact(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	withdrawn := t0.Add(48 * time.Hour)
	b := &casefile.Bundle{
		Persons: []*casefile.Person{
			{ID: "per_named", Descriptor: "Named", Notes: "met at the clinic", City: "Volgograd"},
			{ID: "per_un", Descriptor: "UN only"},
			{ID: "per_internal", Descriptor: "Internal only"},
			{ID: "per_withdrawn", Descriptor: "Withdrew"},
			{ID: "per_none", Descriptor: "No consent recorded"},
			{ID: "per_cop", Descriptor: "Police major"},
			{ID: "per_secret", Descriptor: "Confidential", Confidential: true},
		},
		Consents: []*casefile.Consent{
			{ID: "c1", PersonID: "per_named", Scope: casefile.ConsentNamed, CreatedAt: t0},
			{ID: "c2", PersonID: "per_un", Scope: casefile.ConsentUN, CreatedAt: t0},
			{ID: "c3", PersonID: "per_internal", Scope: casefile.ConsentInternal, CreatedAt: t0},
			{ID: "c4a", PersonID: "per_withdrawn", Scope: casefile.ConsentInternal, CreatedAt: t0.Add(-time.Hour)},
			{ID: "c4", PersonID: "per_withdrawn", Scope: casefile.ConsentNamed, CreatedAt: t0, WithdrawnAt: &withdrawn},
			{ID: "c7", PersonID: "per_secret", Scope: casefile.ConsentNamed, CreatedAt: t0},
		},
		Testimonies: []*casefile.Testimony{
			{ID: "tes_withdrawn", PersonID: "per_withdrawn", Place: "flat 3", Passages: []casefile.Passage{{ID: "p1"}}},
			{ID: "tes_named", PersonID: "per_named", Place: "flat 9"},
		},
		Evidence: []*casefile.EvidenceItem{{ID: "evi_w", TestimonyID: "tes_withdrawn"}, {ID: "evi_n", TestimonyID: "tes_named"}},
		Events:   []*casefile.Event{{ID: "evt_w"}, {ID: "evt_n"}, {ID: "evt_media"}},
		Acts: []*casefile.Act{
			{ID: "act_w", EventID: "evt_w", VictimID: "per_withdrawn", Involvements: []casefile.Involvement{{PerpetratorID: "per_cop", PerpetratorType: "police"}}},
			{ID: "act_n", EventID: "evt_n", VictimID: "per_named", Involvements: []casefile.Involvement{{PerpetratorID: "per_cop", PerpetratorType: "police"}}},
			{ID: "act_un", EventID: "evt_n", VictimID: "per_un"},
		},
		Information:   []*casefile.Information{{ID: "inf_w", ActID: "act_w"}, {ID: "inf_n", ActID: "act_n"}},
		Interventions: []*casefile.Intervention{{ID: "int_w", ActID: "act_w"}},
		Assessments: []*casefile.Assessment{{ID: "as_w", ActID: "act_w"}, {ID: "as_n", ActID: "act_n", Answers: map[string]casefile.Answer{
			"severity": {Codes: []string{"severe"}, Passages: []casefile.PassageRef{{TestimonyID: "tes_withdrawn", PassageID: "p1"}, {TestimonyID: "tes_named", PassageID: "p2"}}}}}},
	}
	ids := func(r *casefile.Bundle) map[string]bool {
		m := map[string]bool{}
		for _, p := range r.Persons {
			m[p.ID] = true
		}
		for _, x := range r.Testimonies {
			m[x.ID] = true
		}
		for _, x := range r.Evidence {
			m[x.ID] = true
		}
		for _, x := range r.Events {
			m[x.ID] = true
		}
		for _, x := range r.Acts {
			m[x.ID] = true
		}
		for _, x := range r.Information {
			m[x.ID] = true
		}
		for _, x := range r.Interventions {
			m[x.ID] = true
		}
		for _, x := range r.Assessments {
			m[x.ID] = true
		}
		return m
	}
	before := t0.Add(time.Hour)
	after := withdrawn.Add(time.Second)
	tests := []struct {
		name    string
		use     string
		at      time.Time
		in, out []string
	}{
		{"InternalBeforeWithdrawal", casefile.ConsentInternal, before,
			[]string{"per_named", "per_un", "per_internal", "per_withdrawn", "per_none", "per_cop", "per_secret", "tes_withdrawn", "act_w", "evi_w"}, nil},
		{"InternalAfterWithdrawal", casefile.ConsentInternal, after,
			[]string{"per_named", "per_internal", "per_none", "per_cop", "act_n", "evt_n", "evt_media"},
			[]string{"per_withdrawn", "tes_withdrawn", "evi_w", "act_w", "evt_w", "inf_w", "int_w", "as_w"}},
		{"UNSubmission", casefile.ConsentUN, before,
			[]string{"per_named", "per_un", "per_withdrawn", "per_cop", "act_un"},
			[]string{"per_internal", "per_none", "per_secret"}},
		{"NamedPublicationAfterWithdrawal", casefile.ConsentNamed, after,
			[]string{"per_named", "per_cop", "act_n", "tes_named", "evi_n", "as_n"},
			[]string{"per_un", "act_un", "per_withdrawn", "per_internal", "per_none", "per_secret"}},
		{"UnknownUseIsStrictest", "press", before, []string{"per_named"}, []string{"per_un"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ids(casefile.Redact(b, tt.use, tt.at))
			for _, id := range tt.in {
				if !got[id] {
					t.Errorf("%s is missing", id)
				}
			}
			for _, id := range tt.out {
				if got[id] {
					t.Errorf("%s is still in the output", id)
				}
			}
		})
	}
	t.Run("Anonymised", func(t *testing.T) {
		r := casefile.Redact(b, casefile.ConsentAnonymised, after)
		for _, p := range r.Persons {
			if p.Notes != "" || p.City != "" {
				t.Fatalf("%s keeps notes or city in an anonymised output", p.ID)
			}
		}
		for _, x := range r.Testimonies {
			if x.Place != "" {
				t.Fatalf("%s keeps its place", x.ID)
			}
		}
		for _, a := range r.Assessments {
			for _, ans := range a.Answers {
				for _, ref := range ans.Passages {
					if ref.TestimonyID == "tes_withdrawn" {
						t.Fatal("a withdrawn person's passage is still cited")
					}
				}
			}
		}
		if b.Persons[0].Notes == "" || len(b.Assessments[1].Answers["severity"].Passages) != 2 {
			t.Fatal("Redact changed its input")
		}
	})
	if got := casefile.RedactedPersons(b, casefile.ConsentNamed, after); len(got) != 5 {
		t.Fatalf("RedactedPersons = %v", got)
	}
}

// An interview's title names or describes the person who gave it, so the source of a testimony
// that is left out must go too, with everything that points at it.
func TestRedact_SourceOfWithheldTestimony(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b := &casefile.Bundle{
		Persons: []*casefile.Person{{ID: "per_anon"}, {ID: "per_un"}},
		Consents: []*casefile.Consent{
			{ID: "c1", PersonID: "per_anon", Scope: casefile.ConsentAnonymised, CreatedAt: t0},
			{ID: "c2", PersonID: "per_un", Scope: casefile.ConsentUN, CreatedAt: t0},
		},
		Sources: []*casefile.Source{
			{ID: "src_anon", Title: "Interview: Lesha Gorev, 35"},
			{ID: "src_un", Title: "Interview: man, 29"},
			{ID: "src_report", Title: "NGO report"},
		},
		Testimonies: []*casefile.Testimony{
			{ID: "tes_anon", PersonID: "per_anon", SourceID: "src_anon"},
			{ID: "tes_un", PersonID: "per_un", SourceID: "src_un"},
		},
		Evidence:    []*casefile.EvidenceItem{{ID: "evi_anon", SourceID: "src_anon"}, {ID: "evi_report", SourceID: "src_report"}},
		Events:      []*casefile.Event{{ID: "evt"}},
		Acts:        []*casefile.Act{{ID: "act_un", EventID: "evt", VictimID: "per_un"}},
		Information: []*casefile.Information{{ID: "inf_anon", SourceID: "src_anon", EventID: "evt"}, {ID: "inf_report", SourceID: "src_report", EventID: "evt"}},
		Indicators:  []*casefile.Indicator{{ID: "ind_anon", SourceID: "src_anon"}, {ID: "ind_report", SourceID: "src_report"}},
		Assessments: []*casefile.Assessment{{ID: "as", ActID: "act_un", Answers: map[string]casefile.Answer{
			"severity": {SourceIDs: []string{"src_anon", "src_report"}}}}},
	}
	r := casefile.Redact(b, casefile.ConsentUN, t0.Add(time.Hour))
	var got []string
	for _, s := range r.Sources {
		got = append(got, s.ID)
	}
	for _, e := range r.Evidence {
		got = append(got, e.ID)
	}
	for _, in := range r.Information {
		got = append(got, in.ID)
	}
	for _, i := range r.Indicators {
		got = append(got, i.ID)
	}
	want := "src_un src_report evi_report inf_report ind_report"
	if g := strings.Join(got, " "); g != want {
		t.Errorf("kept %q, want %q", g, want)
	}
	if s := r.Assessments[0].Answers["severity"].SourceIDs; len(s) != 1 || s[0] != "src_report" {
		t.Errorf("the assessment still cites %v", s)
	}
	if len(casefile.Redact(b, casefile.ConsentAnonymised, t0.Add(time.Hour)).Sources) != 3 {
		t.Error("an anonymised output lost a source whose testimony it keeps")
	}
	if len(b.Sources) != 3 || len(b.Assessments[0].Answers["severity"].SourceIDs) != 2 {
		t.Error("Redact changed its input")
	}
}

func TestQuoteValue(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"on_ost", `"on_ost"`},
		{"2011-05", `"2011-05"`},
		{"2011-05-01T10:00:00Z", `"2011-05-01T10:00:00Z"`},
		{"thirty", `"thirty"`},
		{"", `""`},
		{"Ivan Petrov", "the value given"},
		{"Petrov", "the value given"},
		{"Петров", "the value given"},
		{"+7 999 123", "the value given"},
		{"TZ", "the value given"},
		{"zt", `"zt"`},
		{"Zara", "the value given"},
		{strings.Repeat("a", 41), "the value given"},
	} {
		if got := casefile.QuoteValue(tt.in); got != tt.want {
			t.Errorf("QuoteValue(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
