package sqldb_test

import (
	"context"
	"testing"

	"github.com/casefile/casefile"
)

// Codes and IDs hold underscores, and a filter value may hold a %: neither may act as a LIKE
// wildcard, or a filter selects records it should not and a delete is refused for a reference
// that does not exist.
func TestLike_WildcardsInValues(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			db := b.open(t)
			ctx := context.Background()
			ost := &casefile.Person{Descriptor: "Woman, 40", CountingUnit: "individual", Characteristics: []string{"onxost"}}
			must(t, db.CreatePerson(ctx, ost))
			for _, c := range []string{"on_ost", "%", "_nxos_"} {
				c := c
				ps, n, err := db.FindPersons(ctx, casefile.PersonFilter{Characteristic: &c})
				must(t, err)
				if n != 0 || len(ps) != 0 {
					t.Errorf("FindPersons characteristic %q: %d people, want none", c, n)
				}
				ps, n, err = db.ListPersons(ctx, casefile.PersonFilter{Characteristic: &c}, casefile.Viewer{All: true})
				must(t, err)
				if n != 0 || len(ps) != 0 {
					t.Errorf("ListPersons characteristic %q: %d people, want none", c, n)
				}
			}
			exact := "onxost"
			if _, n, err := db.FindPersons(ctx, casefile.PersonFilter{Characteristic: &exact}); err != nil || n != 1 {
				t.Fatalf("FindPersons characteristic %q: %d people (%v), want 1", exact, n, err)
			}
			if _, n, err := db.ListPersons(ctx, casefile.PersonFilter{Characteristic: &exact}, casefile.Viewer{All: true}); err != nil || n != 1 {
				t.Fatalf("ListPersons characteristic %q: %d people (%v), want 1", exact, n, err)
			}

			s := &casefile.Source{Kind: "government_data", Title: "Statistics"}
			must(t, db.CreateSource(ctx, s))
			used := &casefile.Indicator{ID: "indxa", Name: "Used", Value: 1, SourceID: s.ID}
			unused := &casefile.Indicator{ID: "ind_a", Name: "Unused", Value: 2, SourceID: s.ID}
			must(t, db.CreateIndicator(ctx, used))
			must(t, db.CreateIndicator(ctx, unused))
			must(t, db.CreateIndicator(ctx, &casefile.Indicator{Name: "Derived", Value: 2, Formula: "indxa * 2", Inputs: []string{"indxa"}}))
			if err := db.DeleteIndicator(ctx, unused.ID); err != nil {
				t.Errorf("deleting an indicator no derived one uses: %v", err)
			}
			wantKind(t, db.DeleteIndicator(ctx, used.ID), casefile.ECONFLICT)

			e := &casefile.Event{Title: "Detention", Date: casefile.PartialDate{Precision: "year", Start: "2011"}, Domain: "law_enforcement"}
			must(t, db.CreateEvent(ctx, e))
			must(t, db.CreateAct(ctx, &casefile.Act{EventID: e.ID, VictimID: ost.ID, Type: "beating",
				Description:  casefile.Text{Lang: "en", Body: "Officers beat the detainee."},
				Involvements: []casefile.Involvement{{PerpetratorType: "policexofficer", Degree: "carried_out"}}}))
			for _, pt := range []string{"police_officer", "%"} {
				pt := pt
				res, err := db.Search(ctx, casefile.SearchQuery{Text: "beat detainee", PerpetratorType: &pt})
				must(t, err)
				if res.Total != 0 {
					t.Errorf("search with perpetrator type %q: %d hits, want none", pt, res.Total)
				}
			}
			pt := "policexofficer"
			if res, err := db.Search(ctx, casefile.SearchQuery{Text: "beat detainee", PerpetratorType: &pt}); err != nil || res.Total == 0 {
				t.Fatalf("search with perpetrator type %q: %v, want a hit", pt, err)
			}
		})
	}
}
