package main

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/report"
)

func init() {
	register(&command{Name: "indicator", Summary: "sourced figures and derived indicators: add, list, show", Run: runIndicator})
}

const indicatorUsage = "casefile indicator add --name NAME (--value N --source SOURCE_ID | --formula EXPR) [--id ID] [--unit U] [--year Y] [--geo RU] [--domain D] [--locator L] [--note N] [--qualifier Q] [--name-ru NAME]\n" +
	"       casefile indicator list [--geo RU] [--domain D] [--json]\n" +
	"       casefile indicator show ID [--json]"

func runIndicator(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 {
		return usagef("%s", indicatorUsage)
	}
	switch args[0] {
	case "add":
		return indicatorAdd(ctx, a, args[1:])
	case "list":
		return indicatorList(ctx, a, args[1:])
	case "show":
		return indicatorShow(ctx, a, args[1:])
	}
	return usagef("unknown subcommand %q\n%s", args[0], indicatorUsage)
}

// indicatorView is an indicator as the CLI prints it: the stored record and, for a derived one,
// the value computed now from its inputs.
type indicatorView struct {
	*casefile.Indicator
	Computed *float64 `json:"computed,omitempty"`
	Error    string   `json:"error,omitempty"`
}

func indicatorAdd(ctx context.Context, a *app, args []string) error {
	fs := a.flags("indicator add")
	id := fs.String("id", "", "identifier (default: a new random one); letters, digits, _ and -")
	name := fs.String("name", "", "what the figure counts, e.g. \"Drug crimes registered\"")
	nameRU := fs.String("name-ru", "", "the name in Russian")
	value := fs.String("value", "", "the figure (e.g. 222600 or 12.5); not with --formula")
	qualifier := fs.String("qualifier", "", "qualifier of the value: >, <, ≈, ≥, ≤")
	unit := fs.String("unit", "", "unit: people, beds, percent, crimes, …")
	year := fs.String("year", "", "year or span, e.g. 2010 or 2005–2011")
	geo := fs.String("geo", "", "geography, e.g. RU or RU-VGG")
	domain := fs.String("domain", "", "domain: media, health_care, drug_treatment, law_enforcement, prison")
	source := fs.String("source", "", "ID of the source the figure is taken from (required for a figure)")
	locator := fs.String("locator", "", "page, table or footnote in the source")
	note := fs.String("note", "", "note shown with the figure")
	formula := fs.String("formula", "", "derive the value from other indicators, e.g. \"ind_beds / ind_registered * 1000\"")
	asJSON := fs.Bool("json", false, "print the stored indicator as JSON")
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 || *name == "" {
		return usagef("%s", indicatorUsage)
	}
	if (*value == "") == (*formula == "") {
		return usagef("give either --value (a sourced figure) or --formula (a derived indicator)")
	}
	switch *qualifier {
	case "", ">", "<", "≈", "≥", "≤":
	default:
		return usagef("--qualifier %q is not one of >, <, ≈, ≥, ≤", *qualifier)
	}
	ind := &casefile.Indicator{ID: *id, Name: *name, NameRU: *nameRU, Qualifier: *qualifier, Unit: *unit, Year: *year,
		Geography: *geo, Domain: *domain, SourceID: *source, Locator: *locator, Note: *note}
	if ind.ID == "" {
		ind.ID = casefile.NewID("ind")
	} else if !casefile.ValidID(ind.ID) {
		return usagef("--id %q: use 1–64 lower-case letters, digits, _ and -", ind.ID)
	}
	if *value != "" {
		v, err := strconv.ParseFloat(strings.ReplaceAll(*value, ",", ""), 64)
		if err != nil {
			return usagef("--value %q is not a number", *value)
		}
		ind.Value = v
	}
	if err := ind.Validate(); err != nil && *formula == "" {
		return err
	}
	ctx = actorContext(ctx)
	db, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if *formula != "" {
		f, err := report.ParseFormula(*formula)
		if err != nil {
			return err
		}
		ind.Formula = f.String()
		ind.Inputs = f.Inputs()
		if len(ind.Inputs) == 0 {
			return casefile.Errorf(casefile.EINVALID, "", "formula %q names no indicator: a derived indicator is computed from others", *formula)
		}
		all, _, err := db.FindIndicators(ctx, casefile.IndicatorFilter{})
		if err != nil {
			return err
		}
		for _, in := range ind.Inputs {
			if in == ind.ID {
				return casefile.Errorf(casefile.EINVALID, "", "formula: indicator %q cannot be computed from itself", in)
			}
		}
		values, errs := report.Derive(append(all, ind))
		if err := errs[ind.ID]; err != nil {
			return err
		}
		ind.Value = values[ind.ID]
	}
	if err := db.CreateIndicator(ctx, ind); err != nil {
		return err
	}
	if *asJSON {
		return a.printJSON(ind)
	}
	if ind.Formula != "" {
		a.infof("Added %s = %s = %s.", ind.ID, ind.Formula, strconv.FormatFloat(ind.Value, 'f', -1, 64))
	} else {
		a.infof("Added %s.", ind.ID)
	}
	return nil
}

func indicatorViews(ctx context.Context, a *app, f casefile.IndicatorFilter) ([]indicatorView, error) {
	db, err := a.openStore(ctx)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	all, _, err := db.FindIndicators(ctx, casefile.IndicatorFilter{})
	if err != nil {
		return nil, err
	}
	values, errs := report.Derive(all)
	var out []indicatorView
	for _, ind := range all {
		if f.ID != nil && ind.ID != *f.ID || f.Geography != nil && ind.Geography != *f.Geography || f.Domain != nil && ind.Domain != *f.Domain {
			continue
		}
		v := indicatorView{Indicator: ind}
		if ind.Formula != "" {
			if x, ok := values[ind.ID]; ok {
				v.Computed = &x
			} else if e := errs[ind.ID]; e != nil {
				v.Error = casefile.ErrorMessage(e)
			}
		}
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func indicatorList(ctx context.Context, a *app, args []string) error {
	fs := a.flags("indicator list")
	geo := fs.String("geo", "", "only this geography")
	domain := fs.String("domain", "", "only this domain")
	asJSON := fs.Bool("json", false, "print the indicators as JSON")
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("%s", indicatorUsage)
	}
	var f casefile.IndicatorFilter
	if *geo != "" {
		f.Geography = geo
	}
	if *domain != "" {
		f.Domain = domain
	}
	views, err := indicatorViews(ctx, a, f)
	if err != nil {
		return err
	}
	if *asJSON {
		if views == nil {
			views = []indicatorView{}
		}
		return a.printJSON(views)
	}
	tw := tabwriter.NewWriter(a.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tVALUE\tUNIT\tYEAR\tGEO\tSOURCE")
	for _, v := range views {
		src := v.SourceID
		if v.Formula != "" {
			src = "= " + v.Formula
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", v.ID, v.Name, v.value(), v.Unit, v.Year, v.Geography, src)
	}
	return tw.Flush()
}

func (v indicatorView) value() string {
	x := v.Value
	if v.Computed != nil {
		x = *v.Computed
	} else if v.Formula != "" {
		return "(" + v.Error + ")"
	}
	s := strconv.FormatFloat(x, 'f', -1, 64)
	if v.Qualifier != "" {
		s = v.Qualifier + " " + s
	}
	return s
}

func indicatorShow(ctx context.Context, a *app, args []string) error {
	fs := a.flags("indicator show")
	asJSON := fs.Bool("json", false, "print the indicator as JSON")
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("%s", indicatorUsage)
	}
	views, err := indicatorViews(ctx, a, casefile.IndicatorFilter{ID: &pos[0]})
	if err != nil {
		return err
	}
	if len(views) == 0 {
		return casefile.Errorf(casefile.ENOTFOUND, "", "no indicator %q", pos[0])
	}
	v := views[0]
	if *asJSON {
		return a.printJSON(v)
	}
	w := a.stdout
	fmt.Fprintf(w, "%s\n  name:      %s\n", v.ID, v.Name)
	if v.NameRU != "" {
		fmt.Fprintf(w, "  name (ru): %s\n", v.NameRU)
	}
	fmt.Fprintf(w, "  value:     %s %s\n", v.value(), v.Unit)
	for _, kv := range [][2]string{{"year", v.Year}, {"geography", v.Geography}, {"domain", v.Domain}, {"source", v.SourceID}, {"locator", v.Locator}, {"note", v.Note}} {
		if kv[1] != "" {
			fmt.Fprintf(w, "  %-10s %s\n", kv[0]+":", kv[1])
		}
	}
	if v.Formula != "" {
		fmt.Fprintf(w, "  formula:   %s\n  inputs:    %s\n", v.Formula, strings.Join(v.Inputs, ", "))
	}
	return nil
}
