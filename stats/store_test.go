package stats

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/casefile/casefile"
)

func intp(i int) *int { return &i }

// A small documented world: four victims, one of them entered twice (by two sources), three
// sources documenting overlapping acts.
func testWorld() Documented {
	d := Documented{
		Sources: []*casefile.Source{{ID: "s1", Kind: "interview"}, {ID: "s2", Kind: "ngo_report"}, {ID: "s3", Kind: "media_report"}},
		Events: []*casefile.Event{
			{ID: "e1", Region: "Volgograd Oblast", Domain: "law_enforcement", Date: casefile.PartialDate{Precision: "exact", Start: "2012-03-04"}},
			{ID: "e2", Region: "Moscow", Domain: "health_care", Date: casefile.PartialDate{Precision: "year", Start: "2013"}},
		},
		Persons: []*casefile.Person{
			{ID: "p1", Sex: "male", Age: intp(29), City: "Volgograd", Region: "Volgograd Oblast"},
			{ID: "p1b", Sex: "male", BirthYear: intp(1983), City: "Волгоград", Region: "Volgograd Oblast"},
			{ID: "p2", Sex: "female", Age: intp(41), City: "Moscow", Region: "Moscow"},
			{ID: "p3", Sex: "male", Age: intp(35), City: "Moscow", Region: "Moscow"},
		},
		Acts: []*casefile.Act{
			{ID: "a1", EventID: "e1", VictimID: "p1", Type: "beating"},
			{ID: "a1b", EventID: "e1", VictimID: "p1b", Type: "beating"},
			{ID: "a2", EventID: "e2", VictimID: "p2", Type: "denial_of_treatment"},
			{ID: "a3", EventID: "e2", VictimID: "p3", Type: "denial_of_treatment"},
		},
		Info: []*casefile.Information{
			{SourceID: "s1", ActID: "a1"},
			{SourceID: "s2", ActID: "a1b"},
			{SourceID: "s2", EventID: "e2"}, // the NGO report covers the whole event: p2 and p3
			{SourceID: "s3", ActID: "a2"},
		},
	}
	return d
}

func TestOverlapTables(t *testing.T) {
	d := testWorld()
	// Without linkage p1 and p1b are two people: s1 only and s2 only.
	ts, err := OverlapTables(d, nil, ByRegion, false)
	if err != nil {
		t.Fatal(err)
	}
	tot := ts[0]
	if tot.Observed() != 4 || len(tot.Lists) != 3 {
		t.Fatalf("unlinked: %v people on %v", tot.Observed(), tot.Lists)
	}
	// With p1 and p1b linked: one person on s1 and s2.
	ts, err = OverlapTables(d, map[string]int{"p1": 0, "p1b": 0}, ByRegion, false)
	if err != nil {
		t.Fatal(err)
	}
	tot = ts[0]
	if tot.Observed() != 3 || tot.Counts[0b011] != 1 || tot.Counts[0b110] != 1 || tot.Counts[0b010] != 1 {
		t.Errorf("linked table: counts %v, want one person on s1+s2, one on s2+s3, one on s2 only", tot.Counts)
	}
	if len(ts) != 3 || ts[1].Stratum != "region=Moscow" || ts[1].Observed() != 2 || ts[2].Observed() != 1 {
		t.Errorf("strata by region: %d tables", len(ts))
	}
	// By source kind.
	ts, err = OverlapTables(d, nil, ByNone, true)
	if err != nil || ts[0].Lists[0] != "interview" {
		t.Errorf("by kind: %v %v", err, ts)
	}
	// One source is not enough.
	d.Info = d.Info[:1]
	if _, err := OverlapTables(d, nil, ByNone, false); casefile.ErrorKind(err) != casefile.EINVALID {
		t.Errorf("one list: error %v, want EINVALID", err)
	}
}

func TestPersonRecords_Link(t *testing.T) {
	recs, _ := PersonRecords(testWorld())
	if len(recs) != 4 || recs[0].year != 2012-29 || recs[1].year != 1983 || recs[1].city != recs[0].city {
		t.Fatalf("records: %+v %+v", recs[0], recs[1])
	}
	// A store of 400 victims, 40 of them entered a second time from another source (the city
	// sometimes in Cyrillic, the age sometimes missing): linkage must find most duplicates
	// without false links.
	r := rand.New(rand.NewPCG(5, 6))
	cities := [][2]string{{"Volgograd", "Волгоград"}, {"Moscow", "Москва"}, {"Kazan", "Казань"}, {"Samara", "Самара"}, {"Omsk", "Омск"}, {"Perm", "Пермь"}}
	types := []string{"beating", "denial_of_treatment", "forced_treatment", "extortion", "threat"}
	var d Documented
	for e := 0; e < 80; e++ {
		d.Events = append(d.Events, &casefile.Event{ID: fmt.Sprint("e", e), Date: casefile.PartialDate{Precision: "exact", Start: fmt.Sprintf("%d-%02d-%02d", 2008+r.IntN(10), 1+r.IntN(12), 1+r.IntN(28))}})
	}
	for i := 0; i < 400; i++ {
		c := cities[r.IntN(len(cities))]
		p := &casefile.Person{ID: fmt.Sprint("p", i), Sex: []string{"male", "female"}[r.IntN(2)], BirthYear: intp(1950 + r.IntN(50)), City: c[0], Region: c[0] + " region"}
		a := &casefile.Act{ID: fmt.Sprint("a", i), EventID: fmt.Sprint("e", r.IntN(80)), VictimID: p.ID, Type: types[r.IntN(len(types))]}
		d.Persons = append(d.Persons, p)
		d.Acts = append(d.Acts, a)
		if i%10 == 0 {
			q := *p
			q.ID = p.ID + "dup"
			if r.IntN(2) == 0 {
				q.City = c[1]
			}
			if r.IntN(4) == 0 {
				q.Region = ""
			}
			d.Persons = append(d.Persons, &q)
			b := *a
			b.ID, b.VictimID = a.ID+"dup", q.ID
			d.Acts = append(d.Acts, &b)
		}
	}
	recs, extra := PersonRecords(d)
	for _, rec := range recs {
		rec.Truth = strings.TrimSuffix(rec.ID, "dup")
	}
	res, err := Link(context.Background(), recs, LinkConfig{Extra: extra})
	if err != nil {
		t.Fatal(err)
	}
	e := res.Evaluation
	t.Logf("store persons: precision %.3f recall %.3f F1 %.3f", e.Precision, e.Recall, e.F1)
	if e.F1 < 0.9 {
		t.Errorf("F1 %.3f linking the store's persons", e.F1)
	}
}
