package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/law"
)

func init() {
	register(&command{Name: "assess", Summary: "assess acts against a framework (cat, icescr12, echr3, iccpr7); list, review, history", Run: runAssess})
}

const assessUsage = `usage:
  casefile assess --framework NAME|all --answers FILE [--json]          evaluate an answers file, no store
  casefile assess --act ID --framework NAME|all [--answers FILE] [--save] [--json]
      (the latest stored answers, updated by FILE when given)
  casefile assess list [--framework NAME] [--json]
  casefile assess review ID [--reviewer NAME] [--note TEXT] [--json]
  casefile assess history --act ID [--framework NAME] [--json]`

func runAssess(ctx context.Context, a *app, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "list":
			return runAssessList(ctx, a, args[1:])
		case "review":
			return runAssessReview(ctx, a, args[1:])
		case "history":
			return runAssessHistory(ctx, a, args[1:])
		}
	}
	fs := a.flags("assess")
	actID := fs.String("act", "", "the act to assess (from the store)")
	framework := fs.String("framework", "", "pack name (cat, icescr12, echr3, iccpr7) or all")
	answersFile := fs.String("answers", "", "answers file (JSON: element id → answer); - reads standard input")
	save := fs.Bool("save", false, "store the result as the next assessment version")
	asJSON := fs.Bool("json", false, "print JSON")
	dir := fs.String("packs", "", "load packs from this folder instead of the built-in ones")
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q\n%s", pos[0], assessUsage)
	}
	if *framework == "" {
		return usagef("--framework is required\n%s", assessUsage)
	}
	if *actID == "" && *answersFile == "" {
		return usagef("give --answers FILE, or --act ID\n%s", assessUsage)
	}
	if *save && *actID == "" {
		return usagef("--save needs --act ID")
	}
	set, err := loadPacks(*dir)
	if err != nil {
		return err
	}
	packs, err := selectPacks(set, *framework)
	if err != nil {
		return err
	}
	var answers map[string]casefile.Answer
	if *answersFile != "" {
		var lines map[string]int
		if answers, lines, err = readAnswers(a, *answersFile); err != nil {
			return err
		}
		for _, p := range packs {
			if err := p.CheckAnswers(*answersFile, answers, lines); err != nil {
				return err
			}
		}
	}
	var results []*casefile.Assessment
	if *actID == "" {
		for _, p := range packs {
			res, err := p.Assess(law.Input{Answers: answers})
			if err != nil {
				return err
			}
			results = append(results, &casefile.Assessment{Framework: p.Name, PackVersion: res.PackVersion, Answers: storedAnswers(answers, res),
				Outcomes: res.Outcomes, Missing: res.Missing, Note: res.NotRun, Status: casefile.AssessmentDraft})
		}
		return printAssessments(a, results, *asJSON)
	}
	db, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	act, err := db.FindActByID(ctx, *actID)
	if err != nil {
		return err
	}
	for _, p := range packs {
		// the stored answers of the latest version, updated by the answers file when one is given
		fw := p.Name
		prev, _, err := db.FindAssessments(ctx, casefile.AssessmentFilter{ActID: actID, Framework: &fw, LatestOnly: true})
		if err != nil {
			return err
		}
		ans := map[string]casefile.Answer{}
		if len(prev) > 0 {
			for k, v := range prev[0].Answers {
				if !strings.HasPrefix(v.Justification, "filled by ") && v.Justification != "from the record" {
					ans[k] = v
				}
			}
		}
		for k, v := range answers {
			ans[k] = v
		}
		as, err := assessAct(ctx, db, p, act, ans)
		if err != nil {
			return err
		}
		as.Status = casefile.AssessmentDraft
		if *save {
			if err := db.CreateAssessment(ctx, as); err != nil {
				return err
			}
			a.infof("Stored %s version %d (%s).", as.Framework, as.Version, as.ID)
		}
		results = append(results, as)
	}
	return printAssessments(a, results, *asJSON)
}

func selectPacks(set *law.Set, name string) ([]*law.Pack, error) {
	if name == "all" {
		var out []*law.Pack
		for _, n := range set.Names {
			out = append(out, set.Packs[n])
		}
		return out, nil
	}
	p, err := set.Pack(name)
	if err != nil {
		return nil, err
	}
	return []*law.Pack{p}, nil
}

func readAnswers(a *app, name string) (map[string]casefile.Answer, map[string]int, error) {
	var b []byte
	var err error
	if name == "-" {
		b, err = io.ReadAll(io.LimitReader(a.stdin, 16<<20))
	} else {
		b, err = os.ReadFile(name)
	}
	if err != nil {
		return nil, nil, casefile.Errorf(casefile.EINVALID, "assess", "cannot read the answers file %s", name)
	}
	ans, err := law.ParseAnswers(name, b)
	if err != nil {
		return nil, nil, err
	}
	return ans, law.AnswerLines(b), nil
}

// assessmentView is what assess prints for one framework: the stored fields plus nothing hidden.
func printAssessments(a *app, results []*casefile.Assessment, asJSON bool) error {
	if asJSON {
		if len(results) == 1 {
			return a.printJSON(results[0])
		}
		return a.printJSON(map[string]any{"assessments": results})
	}
	for i, r := range results {
		if i > 0 {
			fmt.Fprintln(a.stdout)
		}
		printAssessment(a.stdout, r)
	}
	return nil
}

func printAssessment(w io.Writer, r *casefile.Assessment) {
	head := r.Framework + " " + r.PackVersion
	if r.ActID != "" {
		head = r.ActID + " — " + head
	}
	if r.Version > 0 {
		head += fmt.Sprintf(" — version %d, %s", r.Version, r.Status)
		if r.Reviewer != "" {
			head += " by " + r.Reviewer
		}
	}
	fmt.Fprintln(w, head)
	if r.Note != "" && len(r.Outcomes) == 0 {
		fmt.Fprintf(w, "  not run: %s\n", r.Note)
	}
	for _, o := range r.Outcomes {
		flags := []string{o.Limb}
		if o.EvidenceLabel != "" {
			flags = append(flags, o.EvidenceLabel)
		}
		if o.Contested {
			flags = append(flags, "CONTESTED")
		}
		fmt.Fprintf(w, "  %s (%s) [%s]\n", o.Code, o.Article, strings.Join(flags, ", "))
		for _, rs := range o.ReasonChain {
			switch {
			case rs.Element != "":
				fmt.Fprintf(w, "    %s = %s (%s)", rs.Element, rs.Answer, rs.Strength)
				if rs.Text != "" {
					fmt.Fprintf(w, " — %s", rs.Text)
				}
				fmt.Fprintln(w)
			case rs.Rule != "":
				fmt.Fprintf(w, "    rule %s: %s [%s]\n", rs.Rule, rs.Text, rs.Source)
			default:
				fmt.Fprintf(w, "    %s\n", rs.Text)
			}
		}
		keys := make([]string, 0, len(o.Tags))
		for k := range o.Tags {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(w, "    %s: %s\n", k, strings.Join(o.Tags[k], ", "))
		}
		for _, c := range o.ContestedReasons {
			fmt.Fprintf(w, "    contested: %s\n", c)
		}
		for _, c := range o.Candidates {
			fmt.Fprintf(w, "    candidate %s (%s) waits on: %s\n", c.Code, c.Rule, strings.Join(c.Missing, ", "))
		}
		for _, x := range o.Warnings {
			fmt.Fprintf(w, "    warning: %s\n", x)
		}
	}
	if len(r.Missing) > 0 {
		fmt.Fprintf(w, "  next questions: %s\n", strings.Join(r.Missing, ", "))
	}
}

// listedAct is one act in assess list, with the latest assessment per framework.
type listedAct struct {
	ActID       string           `json:"act_id"`
	Assessments []listedOutcomes `json:"assessments"`
}

type listedOutcomes struct {
	ID          string             `json:"id"`
	Framework   string             `json:"framework"`
	Version     int                `json:"version"`
	Status      string             `json:"status"`
	PackVersion string             `json:"pack_version"`
	Outcomes    []casefile.Outcome `json:"outcomes"`
	Missing     []string           `json:"missing,omitempty"`
}

func runAssessList(ctx context.Context, a *app, args []string) error {
	fs := a.flags("assess list")
	asJSON := fs.Bool("json", false, "print JSON")
	framework := fs.String("framework", "", "only this framework")
	if pos, err := a.parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	db, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	f := casefile.AssessmentFilter{LatestOnly: true}
	if *framework != "" {
		f.Framework = framework
	}
	list, _, err := db.FindAssessments(ctx, f)
	if err != nil {
		return err
	}
	byAct := map[string]*listedAct{}
	var acts []*listedAct
	for _, as := range list {
		key := as.ActID
		if key == "" {
			key = "event:" + as.EventID
		}
		la := byAct[key]
		if la == nil {
			la = &listedAct{ActID: key}
			byAct[key] = la
			acts = append(acts, la)
		}
		la.Assessments = append(la.Assessments, listedOutcomes{as.ID, as.Framework, as.Version, as.Status, as.PackVersion, as.Outcomes, as.Missing})
	}
	sort.Slice(acts, func(i, j int) bool { return acts[i].ActID < acts[j].ActID })
	for _, la := range acts {
		sort.Slice(la.Assessments, func(i, j int) bool { return la.Assessments[i].Framework < la.Assessments[j].Framework })
	}
	if *asJSON {
		if acts == nil {
			acts = []*listedAct{}
		}
		return a.printJSON(map[string]any{"acts": acts})
	}
	for _, la := range acts {
		fmt.Fprintln(a.stdout, la.ActID)
		for _, as := range la.Assessments {
			var codes []string
			for _, o := range as.Outcomes {
				var flags []string
				if o.EvidenceLabel != "" {
					flags = append(flags, o.EvidenceLabel)
				}
				if o.Contested {
					flags = append(flags, "contested")
				}
				c := o.Code + "/" + o.Limb
				if len(flags) > 0 {
					c += " (" + strings.Join(flags, ", ") + ")"
				}
				codes = append(codes, c)
			}
			if len(codes) == 0 {
				codes = []string{"not run"}
			}
			fmt.Fprintf(a.stdout, "  %-9s v%d %-8s %s\n", as.Framework, as.Version, as.Status, strings.Join(codes, "; "))
		}
	}
	return nil
}

func runAssessReview(ctx context.Context, a *app, args []string) error {
	fs := a.flags("assess review")
	reviewer := fs.String("reviewer", "", "who signs off (default: $USER)")
	note := fs.String("note", "", "review note")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("usage: casefile assess review ID [--reviewer NAME] [--note TEXT]")
	}
	if *reviewer == "" {
		*reviewer = a.getenv("USER")
	}
	if *reviewer == "" {
		return usagef("--reviewer is required")
	}
	db, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	as, err := db.ReviewAssessment(ctx, pos[0], *reviewer, *note)
	if err != nil {
		return err
	}
	if *asJSON {
		return a.printJSON(as)
	}
	a.infof("Assessment %s (%s, version %d) reviewed by %s.", as.ID, as.Framework, as.Version, as.Reviewer)
	return nil
}

func runAssessHistory(ctx context.Context, a *app, args []string) error {
	fs := a.flags("assess history")
	actID := fs.String("act", "", "the act")
	framework := fs.String("framework", "", "only this framework")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := a.parse(fs, args); err != nil {
		return err
	}
	if *actID == "" {
		return usagef("usage: casefile assess history --act ID [--framework NAME]")
	}
	db, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	f := casefile.AssessmentFilter{ActID: actID}
	if *framework != "" {
		f.Framework = framework
	}
	list, _, err := db.FindAssessments(ctx, f)
	if err != nil {
		return err
	}
	sort.SliceStable(list, func(i, j int) bool {
		if list[i].Framework != list[j].Framework {
			return list[i].Framework < list[j].Framework
		}
		return list[i].Version < list[j].Version
	})
	if *asJSON {
		if list == nil {
			list = []*casefile.Assessment{}
		}
		return a.printJSON(map[string]any{"act_id": *actID, "assessments": list})
	}
	for _, as := range list {
		var codes []string
		for _, o := range as.Outcomes {
			codes = append(codes, o.Code)
		}
		line := fmt.Sprintf("%-9s v%d %-8s %s %s", as.Framework, as.Version, as.Status, as.CreatedAt.UTC().Format("2006-01-02 15:04"), strings.Join(codes, ", "))
		if as.Reviewer != "" && as.ReviewedAt != nil {
			line += fmt.Sprintf(" (reviewed by %s, %s)", as.Reviewer, as.ReviewedAt.UTC().Format("2006-01-02 15:04"))
		}
		fmt.Fprintln(a.stdout, line)
	}
	return nil
}
