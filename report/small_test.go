package report_test

import (
	"context"
	"strings"
	"testing"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/report"
)

// TestShadowReport_SmallStore builds a report from a store made record by record: a situation
// assessed as a whole, a person without any consent record, a confidential testimony, and an
// event in another State.
func TestShadowReport_SmallStore(t *testing.T) {
	ctx := context.Background()
	db := openStore(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.CreateSource(ctx, &casefile.Source{ID: "src_ngo", Kind: "ngo_report", Title: "Monitoring report 2024", Citation: "Harm Reduction NGO, Monitoring report 2024, Moscow."}))
	must(db.CreateEvent(ctx, &casefile.Event{ID: "evt_ban", Title: "Ban on substitution treatment", Country: "RU", Domain: "health_care", Setting: "other", Date: casefile.PartialDate{Precision: casefile.PrecisionYear, Start: "2024"}}))
	must(db.CreateEvent(ctx, &casefile.Event{ID: "evt_clinic", Title: "Refusal at a clinic", Country: "RU", Domain: "health_care", Setting: "general_hospital", City: "Samara"}))
	must(db.CreateEvent(ctx, &casefile.Event{ID: "evt_abroad", Title: "Elsewhere", Country: "KZ", Domain: "health_care"}))
	for _, p := range []*casefile.Person{
		{ID: "per_noconsent", Descriptor: "Woman who uses drugs, 40, Samara"},
		{ID: "per_secret", Descriptor: "Man on OST, 33, Samara"},
		{ID: "per_abroad", Descriptor: "Man, 50, Almaty"},
	} {
		must(db.CreatePerson(ctx, p))
	}
	must(db.CreateConsent(ctx, &casefile.Consent{PersonID: "per_secret", Scope: casefile.ConsentUN}))
	must(db.CreateConsent(ctx, &casefile.Consent{PersonID: "per_abroad", Scope: casefile.ConsentUN}))
	for _, tm := range []*casefile.Testimony{
		{ID: "tes_noconsent", PersonID: "per_noconsent", SourceID: "src_ngo", Narrative: casefile.Text{Body: "They told me to come back when I was clean."}, Passages: []casefile.Passage{{ID: "p1", Start: 0, End: 43}}},
		{ID: "tes_secret", PersonID: "per_secret", SourceID: "src_ngo", Confidential: true, Narrative: casefile.Text{Body: "The doctor shouted at me in the corridor."}, Passages: []casefile.Passage{{ID: "p1", Start: 0, End: 41}}},
		{ID: "tes_abroad", PersonID: "per_abroad", SourceID: "src_ngo", Narrative: casefile.Text{Body: "Nobody would treat me there."}, Passages: []casefile.Passage{{ID: "p1", Start: 0, End: 28}}},
	} {
		must(db.CreateTestimony(ctx, tm))
	}
	acts := map[string]string{"act_noconsent": "per_noconsent", "act_secret": "per_secret"}
	for id, victim := range acts {
		must(db.CreateAct(ctx, &casefile.Act{ID: id, EventID: "evt_clinic", VictimID: victim, Type: "denial_of_care",
			Involvements: []casefile.Involvement{{PerpetratorType: "medical_staff", Degree: "carried_out"}}}))
	}
	must(db.CreateAct(ctx, &casefile.Act{ID: "act_abroad", EventID: "evt_abroad", VictimID: "per_abroad", Type: "denial_of_care"}))
	outcome := func(code, label string) []casefile.Outcome {
		return []casefile.Outcome{{Code: code, Framework: "icescr12", Limb: strings.TrimPrefix(code, "icescr12_"), EvidenceLabel: label,
			ReasonChain: []casefile.Reason{{Element: "icescr.12.availability", Answer: "prohibited_by_law", Strength: label}, {Rule: "C1", Text: "core obligation"}}}}
	}
	for _, a := range []*casefile.Assessment{
		{EventID: "evt_ban", Framework: "icescr12", PackVersion: "test", Outcomes: outcome("icescr12_core", "established"),
			Answers: map[string]casefile.Answer{"icescr.12.availability": {Codes: []string{"prohibited_by_law"}, Strength: "established", SourceIDs: []string{"src_ngo"}}}},
		{ActID: "act_noconsent", Framework: "icescr12", PackVersion: "test", Outcomes: outcome("icescr12_respect", "alleged")},
		{ActID: "act_secret", Framework: "icescr12", PackVersion: "test", Outcomes: outcome("icescr12_respect", "corroborated")},
		{ActID: "act_abroad", Framework: "icescr12", PackVersion: "test", Outcomes: outcome("icescr12_respect", "alleged")},
	} {
		must(db.CreateAssessment(ctx, a))
	}

	r, err := report.Build(ctx, db, report.Options{Treaty: "cescr", State: "RU", Now: reportTime})
	if err != nil {
		t.Fatal(err)
	}
	if r.Acts != 2 || r.Situations != 1 {
		t.Errorf("acts %d, situations %d; want 2 acts in RU and the ban as 1 situation", r.Acts, r.Situations)
	}
	art12 := r.Sections[0]
	if art12.Subjects != 3 || art12.Alleged != 1 || art12.Corrob != 1 || art12.Establ != 1 {
		t.Errorf("Article 12: %d subjects (%d alleged, %d corroborated, %d established), want 3 (1, 1, 1)", art12.Subjects, art12.Alleged, art12.Corrob, art12.Establ)
	}
	if len(art12.Vignettes) != 0 {
		t.Errorf("cases quoted without consent or from a confidential testimony: %+v", art12.Vignettes)
	}
	if r.Withheld != 2 {
		t.Errorf("withheld %d, want 2", r.Withheld)
	}
	md := string(render(t, r.Doc(), "md"))
	for _, forbidden := range []string{"Woman who uses drugs", "come back when I was clean", "Man on OST", "shouted at me", "Almaty", "Nobody would treat me"} {
		if strings.Contains(md, forbidden) {
			t.Errorf("the report shows %q", forbidden)
		}
	}
	for _, want := range []string{"established violation of a core obligation of the right to health (ICESCR Art. 12)", "The documentation covers 2 acts against 2 victim records; situations assessed as a whole: 1", "Harm Reduction NGO, Monitoring report 2024", "## Article 2(2) — Non-discrimination", "No documented act or situation in this period is assessed under Article 2(2)"} {
		if !strings.Contains(md, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	// Reviewed only: the one reviewed assessment is all that is counted, and the rest is said.
	as, _, err := db.FindAssessments(ctx, casefile.AssessmentFilter{ActID: ptr("act_secret")})
	if err != nil || len(as) != 1 {
		t.Fatalf("assessment of act_secret: %v", err)
	}
	if _, err := db.ReviewAssessment(ctx, as[0].ID, "reviewer-1", ""); err != nil {
		t.Fatal(err)
	}
	rv, err := report.Build(ctx, db, report.Options{Treaty: "cescr", State: "RU", Now: reportTime, ReviewedOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if rv.Sections[0].Subjects != 1 || rv.Sections[0].Corrob != 1 || rv.Unreviewed != 2 {
		t.Errorf("reviewed only: %d subjects (%d corroborated), %d left out; want 1 (1), 2", rv.Sections[0].Subjects, rv.Sections[0].Corrob, rv.Unreviewed)
	}
	if !strings.Contains(string(render(t, rv.Doc(), "md")), "Assessments left out because no reviewer has signed them off: 2.") {
		t.Error("the reviewed-only report does not say what it left out")
	}
	// The reason chain's answer cites its source: the note resolves to the NGO report.
	if len(r.Notes.List) != 1 || r.Notes.List[0].SourceID != "src_ngo" {
		t.Errorf("notes %+v, want one note to src_ngo", r.Notes.List)
	}
}
