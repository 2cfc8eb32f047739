package sqldb_test

import (
	"context"
	"testing"

	"github.com/casefile/casefile"
)

// A query is words, every one of which must match: FTS5's (and tsquery's) own syntax typed into
// the search box is not obeyed. Were it passed through, "beat OR zzz" would find the act.
func TestSearch_QuerySyntaxIsJustWords(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			db := b.open(t)
			ctx := context.Background()
			p := &casefile.Person{Descriptor: "Man, 30", CountingUnit: "individual"}
			must(t, db.CreatePerson(ctx, p))
			e := &casefile.Event{Title: "Detention", Date: casefile.PartialDate{Precision: "year", Start: "2011"}, Domain: "law_enforcement"}
			must(t, db.CreateEvent(ctx, e))
			must(t, db.CreateAct(ctx, &casefile.Act{EventID: e.ID, VictimID: p.ID, Type: "beating",
				Description:  casefile.Text{Lang: "en", Body: "Officers beat the detainee."},
				Involvements: []casefile.Involvement{{PerpetratorType: "police", Degree: "carried_out"}}}))
			for _, tt := range []struct {
				q    string
				hits bool
			}{
				{"beat detainee", true},
				{`beat" OR "zzz`, false},
				{"beat OR zzz", false},
				{"beat | detainee", true}, // | is not a word
				{"beat | zzz", false},
				{"NEAR(beat zzz)", false},
				{"title:zzz beat", false},
				{"{title body}: zzz beat", false},
				{"beat NOT zzz", false},
				{"beat* detainee*", true},
				{"^beat", true},
				{"beat & !detainee", true},
			} {
				res, err := db.Search(ctx, casefile.SearchQuery{Text: tt.q, Facets: true})
				if err != nil {
					t.Errorf("Search(%q): %v", tt.q, err)
					continue
				}
				if (res.Total > 0) != tt.hits {
					t.Errorf("Search(%q): %d hits, want hits=%v", tt.q, res.Total, tt.hits)
				}
			}
			for _, q := range []string{`"`, `*`, `()`, `:`} {
				if _, err := db.Search(ctx, casefile.SearchQuery{Text: q}); casefile.ErrorKind(err) != casefile.EINVALID {
					t.Errorf("Search(%q): %v, want %s", q, err, casefile.EINVALID)
				}
			}
		})
	}
}
