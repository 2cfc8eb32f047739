package sqldb_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/sqldb"
)

// seed writes a small case: a victim, a source, a testimony in Russian, an event and an act.
func seed(t *testing.T, db *sqldb.DB) (*casefile.Person, *casefile.Event, *casefile.Act) {
	t.Helper()
	ctx := casefile.NewContextWithActor(context.Background(), "tester")
	age := 31
	p := &casefile.Person{Descriptor: "Male drug user, 31, Kursk", Sex: "male", Age: &age, City: "Kursk", Characteristics: []string{"drug_dependent"}}
	must(t, db.CreatePerson(ctx, p))
	s := &casefile.Source{Kind: "interview", Title: "Interview K-1", Language: "ru"}
	must(t, db.CreateSource(ctx, s))
	narr := "Однажды мне вкололи галоперидол. Все мышцы скрутило судорогами."
	tes := &casefile.Testimony{PersonID: p.ID, SourceID: s.ID, Language: "ru", Place: "Kursk",
		Narrative: casefile.Text{Lang: "ru", Body: narr, Translations: []casefile.Translation{{Lang: "en", Body: "Once they injected me with haloperidol.", Translator: "A. T.", Date: "2012-05-01"}}},
		Passages:  []casefile.Passage{{ID: "p1", Start: 0, End: strings.Index(narr, ".") + 1}}}
	must(t, db.CreateTestimony(ctx, tes))
	e := &casefile.Event{Title: "Haloperidol as punishment", Date: casefile.PartialDate{Precision: "year", Start: "2011"}, City: "Kursk", Setting: "narcology_clinic", Domain: "drug_treatment"}
	must(t, db.CreateEvent(ctx, e))
	a := &casefile.Act{EventID: e.ID, VictimID: p.ID, Type: "non_therapeutic_psychiatric_medication", Consequences: []string{"severe_pain"},
		Description:  casefile.Text{Lang: "en", Body: "Clinic staff injected haloperidol to discipline the patient."},
		Involvements: []casefile.Involvement{{PerpetratorType: "narcology_staff", Degree: "carried_out"}}}
	must(t, db.CreateAct(ctx, a))
	must(t, db.CreateInformation(ctx, &casefile.Information{SourceID: s.ID, ActID: a.ID, TestimonyID: tes.ID, Connection: "victim"}))
	return p, e, a
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantKind(t *testing.T, err error, kind string) {
	t.Helper()
	if got := casefile.ErrorKind(err); got != kind {
		t.Fatalf("error kind = %q (%v), want %q", got, err, kind)
	}
}

func TestContract(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			t.Run("ActRoundTrip", func(t *testing.T) { testActRoundTrip(t, b.open(t)) })
			t.Run("NotFoundAndConflict", func(t *testing.T) { testErrors(t, b.open(t)) })
			t.Run("Search", func(t *testing.T) { testSearch(t, b.open(t)) })
			t.Run("BundleRoundTrip", func(t *testing.T) { testBundleRoundTrip(t, b.open(t), b.open(t)) })
			t.Run("ImportAllOrNothing", func(t *testing.T) { testImportAllOrNothing(t, b.open(t)) })
			t.Run("AssessmentVersions", func(t *testing.T) { testAssessmentVersions(t, b.open(t)) })
			t.Run("Consent", func(t *testing.T) { testConsent(t, b.open(t)) })
			t.Run("AuditChain", func(t *testing.T) { testAuditChain(t, b.open(t)) })
			t.Run("Indicators", func(t *testing.T) { testIndicators(t, b.open(t)) })
		})
	}
}

func testActRoundTrip(t *testing.T, db *sqldb.DB) {
	ctx := context.Background()
	p, e, a := seed(t, db)
	got, err := db.FindActByID(ctx, a.ID)
	must(t, err)
	if got.VictimID != p.ID || got.EventID != e.ID || got.Type != a.Type || len(got.Involvements) != 1 || got.Involvements[0].PerpetratorType != "narcology_staff" {
		t.Fatalf("act read back differs: %+v", got)
	}
	if got.CreatedBy != "tester" || got.CreatedAt.IsZero() {
		t.Fatalf("act lacks its creator and time: %q %v", got.CreatedBy, got.CreatedAt)
	}
	typ := "beating"
	invs := []casefile.Involvement{{PerpetratorType: "police", Degree: "carried_out"}, {PerpetratorType: "official", Degree: "acquiesced"}}
	up, err := db.UpdateAct(ctx, a.ID, casefile.ActUpdate{Type: &typ, Involvements: &invs})
	must(t, err)
	if up.Type != "beating" || len(up.Involvements) != 2 {
		t.Fatalf("update not applied: %+v", up)
	}
	police := "police"
	acts, total, err := db.FindActs(ctx, casefile.ActFilter{PerpetratorType: &police})
	must(t, err)
	if total != 1 || len(acts) != 1 || acts[0].ID != a.ID {
		t.Fatalf("filter by perpetrator type: total %d", total)
	}
	dom := "drug_treatment"
	year := 2011
	if _, total, _ := db.FindActs(ctx, casefile.ActFilter{Domain: &dom, Year: &year}); total != 1 {
		t.Fatalf("filter by domain and year: total %d, want 1", total)
	}
	other := "prison"
	if _, total, _ := db.FindActs(ctx, casefile.ActFilter{Domain: &other}); total != 0 {
		t.Fatalf("filter by another domain: total %d, want 0", total)
	}
}

func testErrors(t *testing.T, db *sqldb.DB) {
	ctx := context.Background()
	_, err := db.FindActByID(ctx, "act_missing")
	wantKind(t, err, casefile.ENOTFOUND)
	p, e, _ := seed(t, db)
	wantKind(t, db.CreatePerson(ctx, &casefile.Person{ID: p.ID, Descriptor: "dup"}), casefile.ECONFLICT)
	wantKind(t, db.CreateAct(ctx, &casefile.Act{EventID: e.ID, VictimID: "per_nobody", Type: "beating"}), casefile.ENOTFOUND)
	wantKind(t, db.CreateAct(ctx, &casefile.Act{EventID: e.ID, VictimID: p.ID}), casefile.EINVALID)
	// The person is the victim of an act: deleting them would orphan it.
	err = db.DeletePerson(ctx, p.ID)
	wantKind(t, err, casefile.ECONFLICT)
	if strings.Contains(casefile.ErrorMessage(err), "FOREIGN") || strings.Contains(casefile.ErrorMessage(err), "SQLSTATE") {
		t.Fatalf("a driver message reached the user: %q", casefile.ErrorMessage(err))
	}
}

func testSearch(t *testing.T, db *sqldb.DB) {
	ctx := context.Background()
	_, _, a := seed(t, db)
	for _, q := range []string{"haloperidol", "галоперидол", "галоперидолом", "судороги", "HALOPERIDOL discipline"} {
		res, err := db.Search(ctx, casefile.SearchQuery{Text: q, Facets: true})
		must(t, err)
		if res.Total == 0 {
			t.Errorf("search %q found nothing", q)
			continue
		}
		for _, h := range res.Hits {
			if h.Snippet == "" {
				t.Errorf("search %q: hit %s/%s has no snippet", q, h.Kind, h.ID)
			}
		}
	}
	res, err := db.Search(ctx, casefile.SearchQuery{Text: "haloperidol", Kinds: []string{"act"}, Facets: true})
	must(t, err)
	if res.Total != 1 || res.Hits[0].ID != a.ID || res.Facets["act_type"]["non_therapeutic_psychiatric_medication"] != 1 {
		t.Fatalf("act search: %+v", res)
	}
	police := "police"
	res, err = db.Search(ctx, casefile.SearchQuery{Text: "haloperidol", PerpetratorType: &police})
	must(t, err)
	if res.Total != 0 {
		t.Fatalf("perpetrator filter let through %d hits", res.Total)
	}
	res, err = db.Search(ctx, casefile.SearchQuery{Text: "фонарик"})
	must(t, err)
	if res.Total != 0 {
		t.Fatalf("unrelated word found %d hits", res.Total)
	}
	_, err = db.Search(ctx, casefile.SearchQuery{Text: " ,. "})
	wantKind(t, err, casefile.EINVALID)
	// An updated narrative is searchable at once, the old words no longer.
	tes, _, _ := db.FindTestimonies(ctx, casefile.TestimonyFilter{})
	body := casefile.Text{Lang: "ru", Body: "Меня избили в отделении."}
	_, err = db.UpdateTestimony(ctx, tes[0].ID, casefile.TestimonyUpdate{Narrative: &body, Passages: &[]casefile.Passage{}})
	must(t, err)
	if res, _ := db.Search(ctx, casefile.SearchQuery{Text: "избиение отделение", Kinds: []string{"testimony"}}); res.Total != 0 {
		// "избиение" (noun) and "избили" (verb) need not share a stem; only check the old text is gone below.
		_ = res
	}
	if res, _ := db.Search(ctx, casefile.SearchQuery{Text: "судорогами", Kinds: []string{"testimony"}}); res.Total != 0 {
		t.Fatalf("the replaced narrative is still found")
	}
	if res, _ := db.Search(ctx, casefile.SearchQuery{Text: "отделении", Kinds: []string{"testimony"}}); res.Total != 1 {
		t.Fatalf("the new narrative is not found")
	}
}

func exportJSON(t *testing.T, db *sqldb.DB) []byte {
	t.Helper()
	b, err := db.ExportBundle(context.Background())
	must(t, err)
	b.ExportedAt = time.Time{}
	out, err := json.MarshalIndent(b, "", " ")
	must(t, err)
	return out
}

func testBundleRoundTrip(t *testing.T, src, dst *sqldb.DB) {
	ctx := context.Background()
	seed(t, src)
	first := exportJSON(t, src)
	var b casefile.Bundle
	must(t, json.Unmarshal(first, &b))
	b.Format, b.Version = casefile.BundleFormat, casefile.BundleVersion
	must(t, dst.ImportBundle(ctx, &b))
	second := exportJSON(t, dst)
	if string(first) != string(second) {
		t.Fatalf("export → import → export differs:\n%s\n---\n%s", first, second)
	}
	// Importing the same bundle again is refused as a whole.
	var again casefile.Bundle
	must(t, json.Unmarshal(first, &again))
	again.Format, again.Version = casefile.BundleFormat, casefile.BundleVersion
	wantKind(t, dst.ImportBundle(ctx, &again), casefile.ECONFLICT)
	if string(exportJSON(t, dst)) != string(second) {
		t.Fatal("a refused import changed the store")
	}
}

func testImportAllOrNothing(t *testing.T, db *sqldb.DB) {
	ctx := context.Background()
	b := &casefile.Bundle{Format: casefile.BundleFormat, Version: 1,
		Persons: []*casefile.Person{{ID: "per_a", Descriptor: "A"}, {ID: "per_b", Descriptor: "B"}},
		Events:  []*casefile.Event{{ID: "evt_a", Title: "E"}},
		Acts:    []*casefile.Act{{ID: "act_a", EventID: "evt_a", VictimID: "per_a", Type: "beating"}, {ID: "act_b", EventID: "evt_a", VictimID: "per_zzz", Type: "beating"}},
	}
	err := db.ImportBundle(ctx, b)
	wantKind(t, err, casefile.EINVALID)
	msg := casefile.ErrorMessage(err)
	if !strings.Contains(msg, "acts[1]") || !strings.Contains(msg, "victim_id") || !strings.Contains(msg, "per_zzz") {
		t.Fatalf("error does not say where: %q", msg)
	}
	if _, total, _ := db.FindPersons(ctx, casefile.PersonFilter{}); total != 0 {
		t.Fatalf("a failed import left %d persons behind", total)
	}
	b.Acts = b.Acts[:1]
	must(t, db.ImportBundle(ctx, b))
	if _, total, _ := db.FindActs(ctx, casefile.ActFilter{}); total != 1 {
		t.Fatalf("import wrote %d acts, want 1", total)
	}
	wantKind(t, db.ImportBundle(ctx, &casefile.Bundle{Format: "other", Version: 1}), casefile.EINVALID)
	wantKind(t, db.ImportBundle(ctx, &casefile.Bundle{Format: casefile.BundleFormat, Version: 99}), casefile.EINVALID)
}

func testAssessmentVersions(t *testing.T, db *sqldb.DB) {
	ctx := context.Background()
	_, _, a := seed(t, db)
	v1 := &casefile.Assessment{ActID: a.ID, Framework: "cat", PackVersion: "1.0.0", Answers: map[string]casefile.Answer{"cat.1.severity": {Codes: []string{"severe"}}},
		Outcomes: []casefile.Outcome{{Code: "torture", Framework: "cat", Limb: "substantive"}}}
	must(t, db.CreateAssessment(ctx, v1))
	v2 := &casefile.Assessment{ActID: a.ID, Framework: "cat", PackVersion: "1.0.0", Answers: map[string]casefile.Answer{"cat.1.severity": {Codes: []string{"unknown"}}},
		Outcomes: []casefile.Outcome{{Code: "insufficient_information", Framework: "cat", Limb: "substantive"}}}
	must(t, db.CreateAssessment(ctx, v2))
	if v1.Version != 1 || v2.Version != 2 || v2.Status != casefile.AssessmentDraft {
		t.Fatalf("versions %d, %d status %q", v1.Version, v2.Version, v2.Status)
	}
	_, err := db.ReviewAssessment(ctx, v1.ID, "reviewer", "")
	wantKind(t, err, casefile.ECONFLICT)
	r, err := db.ReviewAssessment(ctx, v2.ID, "reviewer", "checked against the file")
	must(t, err)
	if r.Status != casefile.AssessmentReviewed || r.Reviewer != "reviewer" || r.ReviewedAt == nil {
		t.Fatalf("review not recorded: %+v", r)
	}
	all, _, err := db.FindAssessments(ctx, casefile.AssessmentFilter{ActID: &a.ID})
	must(t, err)
	latest, _, err := db.FindAssessments(ctx, casefile.AssessmentFilter{ActID: &a.ID, LatestOnly: true})
	must(t, err)
	if len(all) != 2 || len(latest) != 1 || latest[0].ID != v2.ID || all[0].Outcomes[0].Code != "torture" {
		t.Fatalf("history: %d versions, latest %d", len(all), len(latest))
	}
}

func testConsent(t *testing.T, db *sqldb.DB) {
	ctx := context.Background()
	p, _, _ := seed(t, db)
	_, err := db.FindConsent(ctx, p.ID)
	wantKind(t, err, casefile.ENOTFOUND)
	wantKind(t, db.CreateConsent(ctx, &casefile.Consent{PersonID: p.ID, Scope: "everything"}), casefile.EINVALID)
	must(t, db.CreateConsent(ctx, &casefile.Consent{PersonID: p.ID, Scope: casefile.ConsentUN, GivenAt: "2012-05-01"}))
	c, err := db.FindConsent(ctx, p.ID)
	must(t, err)
	now := time.Now()
	if !c.Allows(casefile.ConsentUN, now) || c.Allows(casefile.ConsentNamed, now) {
		t.Fatalf("consent scope not honoured: %+v", c)
	}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	must(t, db.WithdrawConsent(ctx, p.ID, at))
	c, err = db.FindConsent(ctx, p.ID)
	must(t, err)
	if c.Allows(casefile.ConsentInternal, now) || !c.Allows(casefile.ConsentUN, at.Add(-time.Hour)) {
		t.Fatalf("withdrawal not honoured: %+v", c)
	}
}

func testAuditChain(t *testing.T, db *sqldb.DB) {
	ctx := context.Background()
	seed(t, db)
	es, total, err := db.FindAuditEntries(ctx, casefile.AuditFilter{})
	must(t, err)
	if total < 6 {
		t.Fatalf("only %d audit entries for six writes", total)
	}
	prev := ""
	for i, e := range es {
		if e.Seq != int64(i+1) || e.PrevHash != prev || e.ComputeHash() != e.Hash || e.Actor != "tester" {
			t.Fatalf("entry %d breaks the chain: %+v", i+1, e)
		}
		prev = e.Hash
	}
	if es[0].Action != "create" || es[0].ObjectKind != "person" || es[0].ObjectHash == "" {
		t.Fatalf("first entry: %+v", es[0])
	}
}

func testIndicators(t *testing.T, db *sqldb.DB) {
	ctx := context.Background()
	wantKind(t, db.CreateIndicator(ctx, &casefile.Indicator{Name: "Drug crimes registered", Value: 222600}), casefile.EINVALID)
	s := &casefile.Source{Kind: "scientific_publication", Title: "Atmospheric Pressure"}
	must(t, db.CreateSource(ctx, s))
	beds := &casefile.Indicator{Name: "Rehabilitation beds", Value: 1860, SourceID: s.ID, Year: "2011"}
	must(t, db.CreateIndicator(ctx, beds))
	reg := &casefile.Indicator{Name: "Registered people with addictions", Value: 2500000, SourceID: s.ID, Year: "2011"}
	must(t, db.CreateIndicator(ctx, reg))
	d := &casefile.Indicator{Name: "Beds per 1,000 registered", Value: 0.744, Formula: beds.ID + " / " + reg.ID + " * 1000", Inputs: []string{beds.ID, reg.ID}}
	must(t, db.CreateIndicator(ctx, d))
	wantKind(t, db.DeleteIndicator(ctx, beds.ID), casefile.ECONFLICT)
	got, err := db.FindIndicatorByID(ctx, d.ID)
	must(t, err)
	if got.Formula != d.Formula || len(got.Inputs) != 2 {
		t.Fatalf("derived indicator read back: %+v", got)
	}
}
