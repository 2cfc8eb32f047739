package report_test

import (
	"context"
	"fmt"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/demo"
	"github.com/casefile/casefile/report"
	"github.com/casefile/casefile/sqldb"
	"github.com/casefile/casefile/vocab"
)

// syntheticBundle is the demonstration bundle grown to n acts: the demo's sources, indicators and
// people, plus generated victims (a tenth with consent for UN submission and a testimony), events
// across the five domains and years 2005–2013, and one CAT assessment per act with a reason chain.
func syntheticBundle(tb testing.TB, n int) *casefile.Bundle {
	b, err := demo.Bundle()
	if err != nil {
		tb.Fatal(err)
	}
	domains := []struct{ domain, setting, perp, actType string }{
		{"media", "media", "media_outlet", "hate_speech"},
		{"health_care", "general_hospital", "medical_staff", "denial_of_pain_relief"},
		{"drug_treatment", "private_rehab_centre", "private_rehab", "flogging"},
		{"law_enforcement", "police_station", "police", "beating"},
		{"prison", "prison_colony", "prison_staff", "untreated_withdrawal"},
	}
	codes := []struct{ code, limb, article string }{
		{"torture", "substantive", "CAT Art. 1"}, {"cidt", "substantive", "CAT Art. 16"},
		{"cat2_failure", "prevention", "CAT Art. 2"}, {"cat_procedural", "procedural", "CAT Arts. 12-14"},
	}
	labels := []string{"alleged", "alleged", "corroborated", "established"}
	created := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	people := n / 5
	for i := range people {
		age := 18 + i%50
		p := &casefile.Person{ID: fmt.Sprintf("per_s%06d", i), Descriptor: fmt.Sprintf("Drug user, %d, region %d", age, i%80), Age: &age, CountingUnit: "individual", CreatedAt: created, UpdatedAt: created}
		b.Persons = append(b.Persons, p)
		if i%10 == 0 {
			b.Consents = append(b.Consents, &casefile.Consent{ID: fmt.Sprintf("con_s%06d", i), PersonID: p.ID, Scope: casefile.ConsentUN, GivenAt: "2025-01-01", CreatedAt: created})
			narrative := fmt.Sprintf("They held me for %d hours. They beat me and said people like me are not human. Nobody wrote anything down.", 2+i%20)
			b.Testimonies = append(b.Testimonies, &casefile.Testimony{ID: fmt.Sprintf("tes_s%06d", i), PersonID: p.ID, SourceID: "src_paper",
				Narrative: casefile.Text{Lang: "en", Body: narrative}, Passages: []casefile.Passage{{ID: "p1", Start: 0, End: 30}}, CreatedAt: created, UpdatedAt: created})
		}
	}
	events := n / 10
	for i := range events {
		d := domains[i%len(domains)]
		b.Events = append(b.Events, &casefile.Event{ID: fmt.Sprintf("evt_s%06d", i), Title: "Generated event", Country: "RU", Setting: d.setting, Domain: d.domain,
			Date: casefile.PartialDate{Precision: casefile.PrecisionYear, Start: fmt.Sprint(2005 + i%9)}, CreatedAt: created, UpdatedAt: created})
	}
	for i := range n {
		ev := i % events
		d := domains[ev%len(domains)]
		act := &casefile.Act{ID: fmt.Sprintf("act_s%06d", i), EventID: fmt.Sprintf("evt_s%06d", ev), VictimID: fmt.Sprintf("per_s%06d", i%people), Type: d.actType,
			Involvements: []casefile.Involvement{{ID: fmt.Sprintf("inv_s%06d", i), PerpetratorType: d.perp, Degree: "carried_out"}}, CreatedAt: created, UpdatedAt: created}
		b.Acts = append(b.Acts, act)
		c := codes[i%len(codes)]
		o := casefile.Outcome{Code: c.code, Framework: "cat", Limb: c.limb, Article: c.article, Rules: []string{"R" + fmt.Sprint(i%7)}, EvidenceLabel: labels[i%len(labels)],
			ReasonChain: []casefile.Reason{
				{Element: "cat.1.severity", Answer: "severe", Strength: "alleged", Source: "CAT Art. 1(1)"},
				{Element: "cat.1.intent", Answer: "deliberate", Strength: "corroborated"},
				{Element: "cat.1.nexus", Answer: "public_official_direct", Strength: "established"},
				{Rule: "R" + fmt.Sprint(i%7), Text: "the rule's conditions are met"},
			}}
		b.Assessments = append(b.Assessments, &casefile.Assessment{ID: fmt.Sprintf("asm_s%06d", i), ActID: act.ID, Framework: "cat", PackVersion: "bench", Version: 1,
			Status: casefile.AssessmentDraft, Answers: map[string]casefile.Answer{}, Outcomes: []casefile.Outcome{o}, CreatedAt: created})
		if i%5 == 0 {
			b.Information = append(b.Information, &casefile.Information{ID: fmt.Sprintf("inf_s%06d", i), SourceID: "src_paper", ActID: act.ID, Locator: "fn. 53", CreatedAt: created})
		}
	}
	return b
}

var (
	benchOnce  sync.Once
	benchStore *sqldb.DB
	benchErr   error
)

// benchDB loads the 100,000-act store once for every benchmark of the run.
func benchDB(b *testing.B) *sqldb.DB {
	benchOnce.Do(func() {
		dir, err := tempDirOutsideTest()
		if err != nil {
			benchErr = err
			return
		}
		benchStore, benchErr = sqldb.OpenSQLite(context.Background(), dir+"/bench.db", sqldb.SQLiteOptions{Key: testKey})
		if benchErr != nil {
			return
		}
		start := time.Now()
		benchErr = benchStore.ImportBundle(context.Background(), syntheticBundle(b, 100_000))
		b.Logf("loaded 100,000 acts in %s", time.Since(start).Round(time.Millisecond))
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchStore
}

// BenchmarkShadowReport_100k is a CAT report over 100,000 acts, built from the store and written
// in each format: the time covers reading the store, the model and the rendering.
func BenchmarkShadowReport_100k(b *testing.B) {
	db := benchDB(b)
	for _, format := range []string{"md", "html", "pdf"} {
		b.Run(format, func(b *testing.B) {
			defer reportCPU(b)()
			for b.Loop() {
				r, err := report.Build(context.Background(), db, report.Options{Treaty: "cat", State: "RU", Now: reportTime, Vocab: vocab.Default()})
				if err != nil {
					b.Fatal(err)
				}
				if r.Acts != 100_000 {
					b.Fatalf("the report counts %d acts, want 100,000", r.Acts)
				}
				d := r.Doc()
				switch format {
				case "md":
					err = d.WriteMarkdown(io.Discard)
				case "html":
					err = d.WriteHTML(io.Discard)
				case "pdf":
					err = d.WritePDF(io.Discard, reportTime)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBuild_100k is the report model alone (store reads and aggregation), without rendering.
func BenchmarkBuild_100k(b *testing.B) {
	db := benchDB(b)
	defer reportCPU(b)()
	for b.Loop() {
		if _, err := report.Build(context.Background(), db, report.Options{Treaty: "cat", State: "RU", Now: reportTime}); err != nil {
			b.Fatal(err)
		}
	}
}

// reportCPU adds the process's CPU time per operation (user and system) to the benchmark's
// results: on a shared machine wall time follows the load, CPU time much less.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		if b.N > 0 {
			b.ReportMetric((cpuTime()-start).Seconds()/float64(b.N), "cpu-s/op")
		}
	}
}
