package main

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/casefile/casefile/law"
)

func init() {
	register(&command{Name: "framework", Summary: "legal framework packs: list, show NAME, validate DIR", Run: runFramework})
}

// loadPacks returns the embedded packs, or those of dir when given.
func loadPacks(dir string) (*law.Set, error) {
	if dir == "" {
		return law.Builtin(), nil
	}
	return law.LoadDir(dir)
}

func runFramework(ctx context.Context, a *app, args []string) error {
	fs := a.flags("framework")
	asJSON := fs.Bool("json", false, "print JSON")
	dir := fs.String("packs", "", "load packs from this folder instead of the built-in ones")
	lang := fs.String("lang", "en", "language of the questions: en or ru")
	all := fs.Bool("all", false, "show: list every element of the questionnaire, not only those the pack reads")
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("usage: casefile framework list | show NAME | validate DIR")
	}
	switch pos[0] {
	case "list":
		set, err := loadPacks(*dir)
		if err != nil {
			return err
		}
		type row struct {
			Name    string `json:"name"`
			Version string `json:"version"`
			Title   string `json:"title"`
			Rules   int    `json:"rules"`
		}
		var rows []row
		for _, n := range set.Names {
			p := set.Packs[n]
			rows = append(rows, row{p.Name, p.Version, p.Title.In(*lang), len(p.Rules)})
		}
		if *asJSON {
			return a.printJSON(map[string]any{"frameworks": rows})
		}
		for _, r := range rows {
			fmt.Fprintf(a.stdout, "%-9s %-16s %2d rules  %s\n", r.Name, r.Version, r.Rules, r.Title)
		}
		return nil
	case "show":
		if len(pos) != 2 {
			return usagef("usage: casefile framework show NAME")
		}
		set, err := loadPacks(*dir)
		if err != nil {
			return err
		}
		p, err := set.Pack(pos[1])
		if err != nil {
			return err
		}
		var els []*law.Element
		for _, e := range p.Elements {
			if *all || p.Used(e.ID) {
				els = append(els, e)
			}
		}
		if *asJSON {
			return a.printJSON(map[string]any{"name": p.Name, "version": p.Version, "title": p.Title, "files": p.Files,
				"outcomes": p.Outcomes, "limbs": p.Limbs, "rules": p.Rules, "elements": els})
		}
		w := a.stdout
		fmt.Fprintf(w, "%s %s: %s\nfiles: %s\n\nOutcomes:\n", p.Name, p.Version, p.Title.In(*lang), strings.Join(p.Files, ", "))
		for _, o := range p.Outcomes {
			fmt.Fprintf(w, "  %-26s [%s] %s — %s\n", o.Code, o.Limb, o.Label.In(*lang), o.Source)
		}
		fmt.Fprintln(w, "\nRules:")
		for _, r := range p.Rules {
			fmt.Fprintf(w, "  %-30s → %s [%s]; sources: %s\n", r.ID, r.Outcome, r.Limb, strings.Join(r.Sources, "; "))
		}
		fmt.Fprintln(w, "\nExclusions (block a rule only when positively established):")
		for _, d := range p.Defeaters {
			fmt.Fprintf(w, "  %-26s %s; %s\n", d.ID, d.Ground, d.Source)
		}
		fmt.Fprintln(w, "\nInterpretation rules (fill unknown answers only):")
		for _, f := range p.Fills {
			var sets []string
			for k, v := range f.Set {
				sets = append(sets, k+" = "+v)
			}
			for k, v := range f.Floor {
				sets = append(sets, k+" ≥ "+v+" (floor)")
			}
			sort.Strings(sets)
			fmt.Fprintf(w, "  %-30s %s; %s\n", f.ID, strings.Join(sets, ", "), f.Source)
		}
		fmt.Fprintf(w, "\nElements (%d):\n", len(els))
		for _, e := range els {
			fmt.Fprintf(w, "\n  %s", e.ID)
			if len(e.Aliases) > 0 {
				fmt.Fprintf(w, " (also %s)", strings.Join(e.Aliases, ", "))
			}
			fmt.Fprintf(w, "\n    %s\n", e.Question.In(*lang))
			kind := "one of"
			if e.Multi {
				kind = "any of"
			}
			fmt.Fprintf(w, "    answers (%s): %s, unknown\n", kind, strings.Join(e.Answers, ", "))
			if len(e.AnswerAliases) > 0 {
				var al []string
				for o, n := range e.AnswerAliases {
					al = append(al, o+" → "+n)
				}
				fmt.Fprintf(w, "    accepted old answers: %s\n", strings.Join(al, "; "))
			}
			if e.Guidance != "" {
				fmt.Fprintf(w, "    guidance: %s\n", e.Guidance)
			}
			if e.Evidence != "" {
				fmt.Fprintf(w, "    evidence: %s\n", e.Evidence)
			}
			fmt.Fprintf(w, "    source: %s\n", e.Source)
		}
		return nil
	case "validate":
		if len(pos) != 2 {
			return usagef("usage: casefile framework validate DIR")
		}
		set, err := law.LoadDir(pos[1])
		if err != nil {
			return err
		}
		if *asJSON {
			var out []map[string]any
			for _, n := range set.Names {
				p := set.Packs[n]
				out = append(out, map[string]any{"name": n, "version": p.Version, "rules": len(p.Rules), "elements": len(p.Elements)})
			}
			return a.printJSON(map[string]any{"valid": true, "frameworks": out})
		}
		for _, n := range set.Names {
			p := set.Packs[n]
			fmt.Fprintf(a.stdout, "%s %s: valid (%d rules, %d elements)\n", n, p.Version, len(p.Rules), len(p.Elements))
		}
		return nil
	}
	return usagef("unknown framework subcommand %q (list, show, validate)", pos[0])
}
