package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/stats"
)

func init() {
	register(&command{
		Name:    "estimate",
		Summary: "multiple systems estimation of the undocumented from a list-overlap table",
		Run:     runEstimate,
	})
}

// estimateOutput is the JSON document `casefile estimate --json` prints.
type estimateOutput struct {
	Table     tableSummary     `json:"table"`
	Estimate  *stats.Estimate  `json:"estimate"`        // the chosen result
	Model     *stats.Estimate  `json:"model,omitempty"` // the --model fit
	Loglinear *stats.Selection `json:"loglinear,omitempty"`
	LCMCR     *stats.Estimate  `json:"lcmcr,omitempty"`
	Strata    []stratumResult  `json:"strata,omitempty"`
}

type tableSummary struct {
	File     string      `json:"file,omitempty"`
	Lists    []string    `json:"lists,omitempty"`
	Observed float64     `json:"observed"`
	Cells    []tableCell `json:"cells"`
}

type tableCell struct {
	Pattern string  `json:"pattern"` // 0/1 per list, in list order; for count data the number of captures
	Count   float64 `json:"count"`
}

type stratumResult struct {
	Stratum  string          `json:"stratum"`
	Observed float64         `json:"observed"`
	Estimate *stats.Estimate `json:"estimate,omitempty"`
	Error    string          `json:"error,omitempty"`
}

func runEstimate(ctx context.Context, a *app, args []string) error {
	fs := a.flags("estimate")
	table := fs.String("table", "", "list-overlap table CSV: one 0/1 column per list and a freq column; without it the table is built from the store")
	method := fs.String("method", "loglinear", "loglinear, lcmcr (latent-class) or all")
	criterion := fs.String("criterion", "bic", "model selection criterion for log-linear models: aic or bic")
	svg := fs.String("svg", "", "also write a chart of the estimates to this SVG file")
	asJSON := fs.Bool("json", false, "print one JSON document")
	strata := fs.Bool("strata", false, "also estimate each stratum of a stratified table separately")
	seed := fs.Uint64("seed", 1, "latent class sampler: random seed")
	iters := fs.Int("iterations", 100000, "latent class sampler: kept iterations per chain, before thinning")
	burn := fs.Int("burn-in", 10000, "latent class sampler: burn-in iterations per chain")
	thin := fs.Int("thin", 10, "latent class sampler: keep every n-th iteration")
	chains := fs.Int("chains", 2, "latent class sampler: independent chains (for R-hat)")
	classes := fs.Int("classes", 10, "latent class sampler: maximum number of latent classes K")
	model := fs.String("model", "", `log-linear: fit this one model as well, e.g. "Mt", "M0", "Mt+c1:c2+c2:c3", "Mth+c1:c2" (list names as in the header)`)
	het := fs.String("het", "", "heterogeneity for --model: chao, poisson, darroch or gamma")
	theta := fs.Float64("theta", 0, "θ of the poisson (default 2) or gamma (default 3.5) heterogeneity")
	by := fs.String("by", "", "store tables: stratify by region, year or domain")
	lists := fs.String("lists", "auto", "store tables: one list per source (source), per source kind (kind), or auto: per source up to 6 sources, else per kind")
	noLink := fs.Bool("no-link", false, "store tables: count each person record as a separate person (skip linkage)")
	if _, err := a.parse(fs, args); err != nil {
		return err
	}
	switch *by {
	case stats.ByNone, stats.ByRegion, stats.ByYear, stats.ByDomain:
	default:
		return usagef("--by %q: want region, year or domain", *by)
	}
	if *lists != "source" && *lists != "kind" && *lists != "auto" {
		return usagef("--lists %q: want source, kind or auto", *lists)
	}
	m := strings.ToLower(*method)
	switch m {
	case "loglinear", "log-linear", "lcmcr", "latent-class", "all":
	default:
		return usagef("--method %q: want loglinear, lcmcr or all", *method)
	}
	if c := strings.ToLower(*criterion); c != "aic" && c != "bic" {
		return usagef("--criterion %q: want aic or bic", *criterion)
	}
	var tables []*stats.Table
	label := filepath.Base(*table)
	if *table != "" {
		f, err := os.Open(*table)
		if err != nil {
			return casefile.Errorf(casefile.EINVALID, "estimate", "cannot open %s", filepath.Base(*table))
		}
		tables, err = stats.ReadTableCSV(f, filepath.Base(*table))
		f.Close()
		if err != nil {
			return err
		}
	} else {
		// From the store: link the victims into people, then count who each source documents.
		d, err := loadDocumented(ctx, a)
		if err != nil {
			return err
		}
		var entity map[string]int
		if !*noLink {
			res, err := linkPersons(ctx, d, 0)
			if err != nil {
				return err
			}
			entity = map[string]int{}
			for i, p := range d.Persons {
				entity[p.ID] = res.Entity[i]
			}
		}
		tables, err = stats.OverlapTables(d, entity, *by, *lists == "kind")
		if err == nil && *lists == "auto" && len(tables[0].Lists) > 6 {
			// a list per source would spread few people over thousands of cells
			tables, err = stats.OverlapTables(d, entity, *by, true)
		}
		if err != nil {
			return err
		}
		label = "the store"
		*strata = *strata || *by != ""
	}
	lcOpts := stats.LCMCROptions{Seed: *seed, Iterations: *iters, BurnIn: *burn, Thin: *thin, Chains: *chains, K: *classes}
	t := tables[0]
	out := estimateOutput{Table: summarise(t, label)}
	var shown []*stats.Estimate
	var chosen *stats.Estimate
	if *model != "" {
		spec, err := stats.ParseModel(*model, t.Lists)
		if err != nil {
			return err
		}
		switch *het {
		case "":
		case stats.HetChao, stats.HetPoisson, stats.HetDarroch, stats.HetGamma:
			spec.Het, spec.Theta = *het, *theta
		default:
			return usagef("--het %q: want chao, poisson, darroch or gamma", *het)
		}
		if chosen, err = stats.FitLoglinear(t, spec); err != nil {
			return err
		}
	}
	if m == "loglinear" || m == "log-linear" || m == "all" {
		sel, err := stats.SelectLoglinear(ctx, t, *criterion)
		if err != nil && sel == nil {
			return err
		}
		out.Loglinear = sel
		if sel.Best != nil {
			out.Estimate = sel.Best
		}
		for i, e := range sel.Models {
			if i < 12 && e.Exists {
				shown = append(shown, e)
			}
		}
	}
	if m == "lcmcr" || m == "latent-class" || m == "all" {
		if t.CountData {
			return casefile.Errorf(casefile.EINVALID, "estimate", "the latent class model needs list patterns, not count data")
		}
		e, err := stats.EstimateLCMCR(ctx, t, lcOpts)
		if err != nil {
			return err
		}
		out.LCMCR = e
		if out.Estimate == nil || m != "all" {
			out.Estimate = e
		}
		shown = append([]*stats.Estimate{e}, shown...)
	}
	if chosen != nil {
		// the model asked for is the answer; the selection stays in the output for comparison
		out.Estimate = chosen
		out.Model = chosen
		shown = append([]*stats.Estimate{chosen}, shown...)
	}
	if *strata && len(tables) > 1 {
		for _, st := range tables[1:] {
			r := stratumResult{Stratum: st.Stratum, Observed: st.Observed()}
			var e *stats.Estimate
			var err error
			if m == "lcmcr" || m == "latent-class" {
				e, err = stats.EstimateLCMCR(ctx, st, lcOpts)
			} else {
				var sel *stats.Selection
				sel, err = stats.SelectLoglinear(ctx, st, *criterion)
				if sel != nil {
					e = sel.Best
				}
			}
			if err != nil {
				r.Error = casefile.ErrorMessage(err)
			}
			r.Estimate = e
			out.Strata = append(out.Strata, r)
		}
	}
	if *svg != "" {
		w, err := os.Create(*svg)
		if err != nil {
			return casefile.Errorf(casefile.EINVALID, "estimate", "cannot create %s", filepath.Base(*svg))
		}
		err = stats.WriteSVG(w, "Multiple systems estimation: "+label, t.Observed(), shown)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return casefile.Wrap("estimate", err)
		}
		a.infof("chart written to %s", *svg)
	}
	if out.Estimate == nil {
		if *asJSON {
			_ = a.printJSON(out)
		}
		return casefile.Errorf(casefile.EINVALID, "estimate", "no model gives an estimate on this table (too sparse)")
	}
	if *asJSON {
		return a.printJSON(out)
	}
	printEstimates(a, out)
	return nil
}

func summarise(t *stats.Table, file string) tableSummary {
	s := tableSummary{File: file, Lists: t.Lists, Observed: t.Observed()}
	for p, c := range t.Counts {
		if t.CountData {
			s.Cells = append(s.Cells, tableCell{Pattern: fmt.Sprint(p + 1), Count: c})
			continue
		}
		if p == 0 {
			continue
		}
		b := make([]byte, len(t.Lists))
		for j := range t.Lists {
			b[j] = '0' + byte(p>>j&1)
		}
		s.Cells = append(s.Cells, tableCell{Pattern: string(b), Count: c})
	}
	return s
}

func printEstimates(a *app, out estimateOutput) {
	w := a.stdout
	e := out.Estimate
	fmt.Fprintf(w, "Documented: %.0f people on %d lists (%s)\n", out.Table.Observed, len(out.Table.Lists), strings.Join(out.Table.Lists, ", "))
	fmt.Fprintf(w, "Estimate:   %.1f (%s: %.1f–%s), model %s [%s]\n", e.N, e.Interval, e.CILow, fmtHi(e.CIHigh), e.Model, e.Method)
	fmt.Fprintf(w, "Undocumented: %.1f (standard error %.1f)\n", e.Unobserved, e.StdErr)
	for _, warn := range e.Warnings {
		fmt.Fprintf(w, "  note: %s\n", warn)
	}
	if d := e.Diagnostics; d != nil {
		fmt.Fprintf(w, "Sampler: %d chains x %d draws, R-hat %.3f, ESS %.0f, MC error %.1f, Geweke z %.2f\n", d.Chains, d.Iterations, d.RHat, d.ESS, d.MCSE, d.Geweke)
	}
	if out.LCMCR != nil && out.LCMCR != e {
		l := out.LCMCR
		fmt.Fprintf(w, "Latent class (LCMCR): %.1f (%.1f–%.1f), R-hat %.3f\n", l.N, l.CILow, l.CIHigh, l.Diagnostics.RHat)
	}
	if out.Loglinear != nil {
		fmt.Fprintf(w, "\nLog-linear models by %s (best first):\n", strings.ToUpper(out.Loglinear.Criterion))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "        N\t  stderr\tdeviance\t  df\t     AIC\t     BIC\tmodel")
		for i, m := range out.Loglinear.Models {
			if i >= 15 {
				fmt.Fprintf(tw, "\t\t\t\t\t\t… %d more (see --json)\n", len(out.Loglinear.Models)-i)
				break
			}
			if !m.Exists {
				fmt.Fprintf(tw, "%9s\t\t\t\t\t\t%s\n", "-", m.Model+" (estimate does not exist)")
				continue
			}
			fmt.Fprintf(tw, "%9.1f\t%8.1f\t%8.3f\t%4d\t%8.3f\t%8.3f\t%s\n", m.N, m.StdErr, m.Deviance, m.DF, m.AIC, m.BIC, m.Model)
		}
		tw.Flush()
	}
	for _, s := range out.Strata {
		if s.Estimate == nil {
			fmt.Fprintf(w, "stratum %s: documented %.0f, no estimate (%s)\n", s.Stratum, s.Observed, s.Error)
			continue
		}
		fmt.Fprintf(w, "stratum %s: documented %.0f, estimate %.1f (%.1f–%s) %s\n", s.Stratum, s.Observed, s.Estimate.N, s.Estimate.CILow, fmtHi(s.Estimate.CIHigh), s.Estimate.Model)
	}
}

func fmtHi(v float64) string {
	if math.IsInf(v, 1) {
		return "unbounded"
	}
	return fmt.Sprintf("%.1f", v)
}
