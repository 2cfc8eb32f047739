package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/stats"
	"golang.org/x/term"
)

func init() {
	register(&command{
		Name:    "link",
		Summary: "record linkage: find records of the same person across and within sources",
		Run:     runLink,
	})
}

// multiFlag collects a repeated string flag.
type multiFlag []string

// String joins the values, for flag.Value.
func (m *multiFlag) String() string { return strings.Join(*m, ",") }

// Set adds one value, for flag.Value.
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// linkConfigFile is the JSON of --config: column kinds and linkage settings.
type linkConfigFile struct {
	Columns map[string]string `json:"columns"` // column name → first_name, surname, patronymic, full_name, birth_date, birth_year, birth_month, birth_day, city, sex, text, code, id, skip
	stats.LinkConfig
}

// linkOutput is the JSON document `casefile link --json` prints.
type linkOutput struct {
	Files []string `json:"files"`
	*stats.LinkResult
	F1 *float64 `json:"f1,omitempty"` // pairwise F1 against --truth, repeated at the top for scripts
}

func runLink(ctx context.Context, a *app, args []string) error {
	fs := a.flags("link")
	var csvs multiFlag
	fs.Var(&csvs, "csv", "CSV file of records (repeat for linkage across files)")
	config := fs.String("config", "", "JSON configuration: column kinds, threshold, review band, blocking rules")
	truth := fs.String("truth", "", "column with the true entity, to print pairwise precision, recall and F1")
	threshold := fs.Float64("threshold", 0, "match probability at which to link (default 0.5)")
	asJSON := fs.Bool("json", false, "print one JSON document")
	maxLinks := fs.Int("max-links", 0, "print at most this many links (0: all)")
	explain := fs.Bool("explain", false, "text output: show each link's weight terms")
	if _, err := a.parse(fs, args); err != nil {
		return err
	}
	if len(csvs) == 0 {
		return linkStore(ctx, a, *threshold, *asJSON, *maxLinks)
	}
	var cfgFile linkConfigFile
	if *config != "" {
		b, err := os.ReadFile(*config)
		if err != nil {
			return casefile.Errorf(casefile.EINVALID, "link", "cannot read %s", filepath.Base(*config))
		}
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&cfgFile); err != nil {
			return casefile.Errorf(casefile.EINVALID, "link", "%s: %v", filepath.Base(*config), err)
		}
	}
	if *threshold != 0 {
		if *threshold <= 0 || *threshold >= 1 {
			return usagef("--threshold must be between 0 and 1")
		}
		cfgFile.Threshold = *threshold
	}
	var recs []*stats.LinkRecord
	extra := new([]stats.ExtraField)
	*extra = append(*extra, cfgFile.Extra...)
	var names []string
	for s, path := range csvs {
		f, err := os.Open(path)
		if err != nil {
			return casefile.Errorf(casefile.EINVALID, "link", "cannot open %s", filepath.Base(path))
		}
		rs, err := stats.ReadLinkCSV(f, filepath.Base(path), stats.LinkCSVOptions{Source: s, Truth: *truth, Kinds: cfgFile.Columns, Extra: extra})
		f.Close()
		if err != nil {
			return err
		}
		recs = append(recs, rs...)
		names = append(names, filepath.Base(path))
	}
	cfg := cfgFile.LinkConfig
	cfg.Extra = *extra
	cfg.Progress = a.stageReporter()
	res, err := stats.Link(ctx, recs, cfg)
	if cfg.Progress != nil {
		fmt.Fprint(a.stderr, "\r\033[K")
	}
	if err != nil {
		return err
	}
	if *maxLinks > 0 && len(res.Links) > *maxLinks {
		res.Links = res.Links[:*maxLinks]
	}
	out := linkOutput{Files: names, LinkResult: res}
	if res.Evaluation != nil {
		f1 := res.Evaluation.F1
		out.F1 = &f1
	}
	if *asJSON {
		return a.printJSON(out)
	}
	w := a.stdout
	fmt.Fprintf(w, "%d records from %d file(s); %d candidate pairs from %d blocking rules\n", res.Records, len(names), res.Candidates, countUsed(res.Rules))
	fmt.Fprintf(w, "Prior match probability %.3g; %d entities\n", res.Lambda, res.Entities)
	linked, review := 0, 0
	for _, l := range res.Links {
		if l.Linked {
			linked++
		}
		if l.Review {
			review++
		}
	}
	fmt.Fprintf(w, "Links: %d; in the clerical-review band: %d\n", linked, review)
	for _, f := range res.Params {
		fmt.Fprintf(w, "  %s:", f.Field)
		for _, l := range f.Levels {
			fmt.Fprintf(w, " %s %+.1f;", l.Level, l.Weight)
		}
		fmt.Fprintln(w)
	}
	if e := res.Evaluation; e != nil {
		fmt.Fprintf(w, "Against %s: precision %.4f, recall %.4f, F1 %.4f (%d of %d true pairs found, %d predicted; blocking kept %.4f)\n",
			*truth, e.Precision, e.Recall, e.F1, e.TruePositives, e.TruePairs, e.PredictedPairs, e.PairCompleteness)
	}
	if *explain {
		for _, l := range res.Links {
			state := "linked"
			if !l.Linked {
				state = "not linked"
			}
			if l.Review {
				state += ", review"
			}
			fmt.Fprintf(w, "%d:%s ~ %d:%s  p=%.3f weight %.2f (%s)\n", l.SourceA, l.IDA, l.SourceB, l.IDB, l.Probability, l.Weight, state)
			for _, r := range l.Explain {
				fmt.Fprintf(w, "    %-12s %-45s %+.2f\n", r.Field, r.Level, r.Weight)
			}
		}
	}
	return nil
}

func countUsed(rs []stats.BlockRule) int {
	n := 0
	for _, r := range rs {
		if r.Used {
			n++
		}
	}
	return n
}

// loadDocumented reads what store-backed linkage and estimation need from the configured store.
func loadDocumented(ctx context.Context, a *app) (stats.Documented, error) {
	var d stats.Documented
	db, err := a.openStore(ctx)
	if err != nil {
		return d, err
	}
	defer db.Close()
	if d.Persons, _, err = db.FindPersons(ctx, casefile.PersonFilter{}); err != nil {
		return d, err
	}
	if d.Acts, _, err = db.FindActs(ctx, casefile.ActFilter{}); err != nil {
		return d, err
	}
	if d.Events, _, err = db.FindEvents(ctx, casefile.EventFilter{}); err != nil {
		return d, err
	}
	if d.Sources, _, err = db.FindSources(ctx, casefile.SourceFilter{}); err != nil {
		return d, err
	}
	if d.Info, err = db.FindInformation(ctx, casefile.InformationFilter{}); err != nil {
		return d, err
	}
	return d, nil
}

// linkStore links the store's victims: records of the same person entered from different
// sources. Only person IDs are printed, never descriptors.
func linkStore(ctx context.Context, a *app, threshold float64, asJSON bool, maxLinks int) error {
	d, err := loadDocumented(ctx, a)
	if err != nil {
		return err
	}
	res, err := linkPersons(ctx, d, threshold)
	if err != nil {
		return err
	}
	if maxLinks > 0 && len(res.Links) > maxLinks {
		res.Links = res.Links[:maxLinks]
	}
	if asJSON {
		return a.printJSON(linkOutput{Files: []string{}, LinkResult: res})
	}
	linked := 0
	for _, l := range res.Links {
		if l.Linked {
			linked++
		}
	}
	fmt.Fprintf(a.stdout, "%d persons in the store; %d links; %d distinct people\n", res.Records, linked, res.Entities)
	for _, l := range res.Links {
		state := "linked"
		if !l.Linked {
			state = "not linked"
		}
		if l.Review {
			state += ", review"
		}
		fmt.Fprintf(a.stdout, "  %s ~ %s  p=%.3f (%s)\n", l.IDA, l.IDB, l.Probability, state)
	}
	return nil
}

func linkPersons(ctx context.Context, d stats.Documented, threshold float64) (*stats.LinkResult, error) {
	recs, extra := stats.PersonRecords(d)
	if len(recs) < 2 {
		return &stats.LinkResult{Records: len(recs), Entities: len(recs), Entity: make([]int, len(recs)), Rules: []stats.BlockRule{}, Links: []stats.Pair{}}, nil
	}
	return stats.Link(ctx, recs, stats.LinkConfig{Extra: extra, Threshold: threshold})
}

// stageReporter returns a reporter that writes stages to stderr when it is a terminal, else nil.
func (a *app) stageReporter() func(string) {
	f, ok := a.stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return func(stage string) { fmt.Fprintf(a.stderr, "\r\033[K%s", stage) }
}
