package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/casefile/casefile"
)

func init() {
	register(&command{Name: "search", Summary: "full-text search (Russian and English stemming) over testimonies, events, acts, sources", Run: runSearch})
}

func runSearch(ctx context.Context, a *app, args []string) error {
	fs := a.flags("search")
	asJSON := fs.Bool("json", false, "print the results as JSON")
	kind := fs.String("kind", "", "only these kinds, comma-separated: testimony, event, act, source")
	domain := fs.String("domain", "", "only this domain")
	setting := fs.String("setting", "", "only this setting")
	perp := fs.String("perpetrator-type", "", "only acts with this perpetrator type")
	actType := fs.String("act-type", "", "only acts of this type")
	region := fs.String("region", "", "only this region")
	year := fs.Int("year", 0, "only this year")
	limit := fs.Int("limit", 20, "how many hits")
	offset := fs.Int("offset", 0, "skip this many hits")
	facets := fs.Bool("facets", false, "count hits by kind, domain, setting, act type, region and year")
	words, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(words) == 0 {
		return usagef("give words to search for: casefile search WORDS…")
	}
	q := casefile.SearchQuery{Text: strings.Join(words, " "), Limit: *limit, Offset: *offset, Facets: *facets}
	if *kind != "" {
		q.Kinds = strings.Split(*kind, ",")
	}
	opt := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	q.Domain, q.Setting, q.PerpetratorType, q.ActType, q.Region = opt(*domain), opt(*setting), opt(*perp), opt(*actType), opt(*region)
	if *year != 0 {
		q.Year = year
	}
	db, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := db.Search(ctx, q)
	if err != nil {
		return err
	}
	if *asJSON {
		return a.printJSON(res)
	}
	if res.Total == 0 {
		fmt.Fprintln(a.stdout, "No matches.")
		return nil
	}
	fmt.Fprintf(a.stdout, "%d match(es); showing %d.\n\n", res.Total, len(res.Hits))
	for _, h := range res.Hits {
		fmt.Fprintf(a.stdout, "%-9s %s  %s\n          %s\n\n", h.Kind, h.ID, h.Title, h.Snippet)
	}
	return nil
}
