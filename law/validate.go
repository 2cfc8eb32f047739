package law

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

func errorsAs(err error, target any) bool { return errors.As(err, target) }

// validator compiles a pack's conditions against its elements and reports the first problem:
// an unknown element id, an answer outside the allowed set, a rule that can never fire, an
// outcome without a source. Every message names the file and line.
type validator struct {
	p       *Pack
	file    string
	classes map[string]int
}

func (v *validator) run(pf *file, parts []*file) error {
	p := v.p
	p.used = make([]bool, len(p.Elements))
	p.notPtr = make([]bool, len(p.Elements))
	v.file = pf.name
	for _, id := range p.NotPointer {
		i, ok := p.index[id]
		if !ok {
			return packErr(pf.name, 1, "not_pointers: element %q is not defined", id)
		}
		p.notPtr[i] = true
	}
	if err := v.shared(parts, pf); err != nil {
		return err
	}
	classes := v.classes
	// what the pack itself reads (shown by framework show): minimum facts, rules, classes
	p.used = make([]bool, len(p.Elements))
	for _, c := range p.Classes {
		c.When.walk(func(x *Cond) {
			if x.Kind == condAtom {
				p.used[x.el] = true
			}
		})
	}
	for unit, ids := range p.Minimum {
		if unit != "individual_act" && unit != "situation" {
			return packErr(pf.name, 1, "minimum: unit %q is not individual_act or situation", unit)
		}
		for _, id := range ids {
			i, ok := p.index[id]
			if !ok {
				return packErr(pf.name, 1, "minimum: element %q is not defined", id)
			}
			p.used[i] = true
		}
	}
	v.file = pf.name
	defIdx := map[string]int{}
	for i, d := range p.Defeaters {
		defIdx[d.ID] = i
	}
	// outcomes, limbs, rules
	limbs := map[string]bool{}
	for _, l := range p.Limbs {
		if l.ID == "" {
			return packErr(pf.name, l.Line, "limb without id")
		}
		limbs[l.ID] = true
	}
	for _, o := range p.Outcomes {
		if o.Code == "" || !limbs[o.Limb] {
			return packErr(pf.name, o.Line, "outcome %q: code and a declared limb are required", o.Code)
		}
		if o.Source == "" || o.Article == "" {
			return packErr(pf.name, o.Line, "outcome %s has no source (article and source are required)", o.Code)
		}
		p.outcomeDef[o.Code] = o
	}
	if len(p.Rules) == 0 {
		return packErr(pf.name, 1, "pack %s has no rules", p.Name)
	}
	for i, r := range p.Rules {
		if r.ID == "" {
			return packErr(pf.name, r.Line, "rule without id")
		}
		if _, dup := p.ruleIdx[r.ID]; dup {
			return packErr(pf.name, r.Line, "rule %s is defined twice", r.ID)
		}
		od := p.outcomeDef[r.Outcome]
		if od == nil {
			return packErr(pf.name, r.Line, "rule %s: outcome %q is not declared under outcomes", r.ID, r.Outcome)
		}
		if r.Limb == "" {
			r.Limb = od.Limb
		}
		if r.Limb != od.Limb {
			return packErr(pf.name, r.Line, "rule %s: limb %q differs from its outcome's limb %q", r.ID, r.Limb, od.Limb)
		}
		if len(r.Sources) == 0 {
			return packErr(pf.name, r.Line, "rule %s: outcome %s has no source (sources are required)", r.ID, r.Outcome)
		}
		if r.When == nil {
			return packErr(pf.name, r.Line, "rule %s: when is required", r.ID)
		}
		seen := map[int]bool{}
		track := func(c *Cond) {
			c.walk(func(x *Cond) {
				if x.Kind == condAtom && !seen[x.el] {
					seen[x.el] = true
					r.elements = append(r.elements, x.el)
				}
			})
		}
		for _, c := range []*Cond{r.AppliesIf, r.When} {
			if c == nil {
				continue
			}
			if err := v.cond(c, classes, p.ruleIdx); err != nil {
				return err
			}
			track(c)
		}
		for _, c := range r.ContestedIf {
			if c.When == nil || c.Reason == "" {
				return packErr(pf.name, r.Line, "rule %s: contested_if needs reason and when", r.ID)
			}
			if err := v.cond(c.When, classes, p.ruleIdx); err != nil {
				return err
			}
		}
		for _, t := range r.TagIf {
			if err := v.cond(t.When, classes, p.ruleIdx); err != nil {
				return err
			}
		}
		for tag, id := range r.TagsFrom {
			i, ok := p.index[id]
			if !ok {
				return packErr(pf.name, r.Line, "rule %s: tags_from %s: element %q is not defined", r.ID, tag, id)
			}
			p.used[i] = true
		}
		for _, d := range r.Unless {
			j, ok := defIdx[d]
			if !ok {
				return packErr(pf.name, r.Line, "rule %s: unless: no defeater %q", r.ID, d)
			}
			r.defeaters = append(r.defeaters, j)
			p.Defeaters[j].When.walk(func(x *Cond) {
				if x.Kind == condAtom {
					p.used[x.el] = true
				}
			})
		}
		if why := v.neverFires(r); why != "" {
			return packErr(pf.name, r.Line, "rule %s can never fire: %s", r.ID, why)
		}
		p.ruleIdx[r.ID] = i
		r.sourceText = strings.Join(r.Sources, "; ")
		r.ids = []string{r.ID}
	}
	p.limbRules = make([][]int, len(p.Limbs))
	for _, l := range p.Limbs {
		if l.InIssueIf != nil {
			if err := v.cond(l.InIssueIf, classes, p.ruleIdx); err != nil {
				return err
			}
		}
		l.pointerEl = nil
		for _, id := range l.Pointers {
			i, ok := p.index[id]
			if !ok {
				return packErr(pf.name, l.Line, "limb %s: pointer %q is not defined", l.ID, id)
			}
			l.pointerEl = append(l.pointerEl, i)
		}
		n := 0
		for i, r := range p.Rules {
			if r.Limb == l.ID {
				n++
				for li, l2 := range p.Limbs {
					if l2 == l {
						p.limbRules[li] = append(p.limbRules[li], i)
					}
				}
			}
		}
		if n == 0 {
			return packErr(pf.name, l.Line, "limb %s has no rule", l.ID)
		}
	}
	for _, o := range p.Outcomes {
		found := false
		for _, r := range p.Rules {
			found = found || r.Outcome == o.Code
		}
		if !found {
			return packErr(pf.name, o.Line, "outcome %s is produced by no rule", o.Code)
		}
	}
	return nil
}

// code checks that code is an allowed answer of element id.
func (v *validator) code(line int, what, id, code string) error {
	e, ok := v.p.Element(id)
	if !ok {
		return packErr(v.file, line, "%s: element %q is not defined", what, id)
	}
	if _, ok := e.codes[code]; !ok {
		return packErr(v.file, line, "%s: %q is not an allowed answer of %s (allowed: %s)", what, code, e.ID, strings.Join(e.Answers, ", "))
	}
	v.p.used[v.p.index[id]] = true
	return nil
}

// cond resolves element ids, codes, classes and rule references of c.
func (v *validator) cond(c *Cond, classes map[string]int, rules map[string]int) error {
	if c == nil {
		return packErr(v.file, 0, "empty condition")
	}
	var err error
	c.walk(func(x *Cond) {
		if err != nil {
			return
		}
		switch x.Kind {
		case condAtom:
			i, ok := v.p.index[x.Element]
			if !ok {
				err = packErr(v.file, x.Line, "element %q is not defined", x.Element)
				return
			}
			e := v.p.Elements[i]
			x.el = i
			v.p.used[i] = true
			x.mask = 0
			for _, code := range x.Codes {
				if code == "unknown" {
					x.wantUnk = true
					continue
				}
				b, ok := e.codes[code]
				if !ok {
					err = packErr(v.file, x.Line, "%q is not an allowed answer of %s (allowed: %s)", code, e.ID, strings.Join(e.Answers, ", "))
					return
				}
				x.mask |= 1 << b
			}
		case condNexus:
			x.classIdx = nil
			for _, c := range x.Codes {
				j, ok := classes[c]
				if !ok {
					err = packErr(v.file, x.Line, "nexus class %q is not defined", c)
					return
				}
				x.classIdx = append(x.classIdx, j)
			}
			for _, cl := range v.p.Classes {
				cl.When.walk(func(y *Cond) {
					if y.Kind == condAtom {
						if i, ok := v.p.index[y.Element]; ok {
							v.p.used[i] = true
						}
					}
				})
			}
		case condNotFired:
			if rules == nil {
				err = packErr(v.file, x.Line, "not_fired is allowed only in rules")
				return
			}
			j, ok := rules[x.Rule]
			if !ok {
				err = packErr(v.file, x.Line, "not_fired: rule %q is not defined earlier in this pack", x.Rule)
				return
			}
			x.ruleIdx = j
		case condOmissionOnly:
			if v.p.omitEl < 0 {
				err = packErr(v.file, x.Line, "omission_only needs an `omission:` declaration")
			}
		}
	})
	return err
}

// neverFires reports why a rule's conditions can never all hold together, or "". It expands the
// conditions into alternatives (capped) and checks each element's required codes for overlap.
func (v *validator) neverFires(r *Rule) string {
	when := r.When
	if r.AppliesIf != nil {
		when = &Cond{Kind: condAll, Items: []*Cond{r.AppliesIf, r.When}}
	}
	alts := v.dnf(when, 256)
	if len(alts) == 0 {
		return "no alternative of its conditions can hold"
	}
	var reasons []string
	for _, alt := range alts {
		why := v.conflict(alt)
		if why == "" {
			return ""
		}
		reasons = append(reasons, why)
	}
	sort.Strings(reasons)
	return reasons[0]
}

// dnf returns the alternatives of c as lists of atoms; it stops expanding past limit and then
// treats the rest as satisfiable (a conservative answer: no false error).
func (v *validator) dnf(c *Cond, limit int) [][]*Cond {
	switch c.Kind {
	case condAtom:
		return [][]*Cond{{c}}
	case condAny:
		var out [][]*Cond
		for _, it := range c.Items {
			out = append(out, v.dnf(it, limit)...)
			if len(out) > limit {
				return [][]*Cond{{}}
			}
		}
		return out
	case condAll:
		out := [][]*Cond{{}}
		for _, it := range c.Items {
			sub := v.dnf(it, limit)
			if len(out)*len(sub) > limit {
				return [][]*Cond{{}}
			}
			var next [][]*Cond
			for _, a := range out {
				for _, b := range sub {
					n := append(append([]*Cond{}, a...), b...)
					next = append(next, n)
				}
			}
			if len(next) > limit {
				return [][]*Cond{{}}
			}
			out = next
		}
		return out
	}
	// nexus, not_fired, omission_only: can hold
	return [][]*Cond{{}}
}

// conflict reports two atoms of one alternative that no single answer satisfies.
func (v *validator) conflict(atoms []*Cond) string {
	type st struct {
		allowed uint64
		first   *Cond
	}
	m := map[int]*st{}
	for _, a := range atoms {
		e := v.p.Elements[a.el]
		full := uint64(1)<<len(e.Answers) - 1
		var ok uint64
		switch a.Op {
		case opKnown:
			continue
		case opIn:
			ok = a.mask
			if e.Multi {
				continue // several codes may be selected together
			}
		case opNot:
			ok = full &^ a.mask
		default:
			continue
		}
		if a.wantUnk {
			continue
		}
		s := m[a.el]
		if s == nil {
			m[a.el] = &st{allowed: ok, first: a}
			if ok == 0 {
				return fmt.Sprintf("line %d: no answer of %s satisfies it", a.Line, e.ID)
			}
			continue
		}
		s.allowed &= ok
		if s.allowed == 0 {
			return fmt.Sprintf("%s must be both %s (line %d) and %s (line %d)", e.ID,
				describe(s.first), s.first.Line, describe(a), a.Line)
		}
	}
	return ""
}

func describe(a *Cond) string {
	if a.Op == opNot {
		return "none of [" + strings.Join(a.Codes, ", ") + "]"
	}
	return "[" + strings.Join(a.Codes, ", ") + "]"
}

// shared validates the parts a pack takes from its libraries and itself: classes, fills,
// defeaters, grounds, warnings and tagging.
func (v *validator) shared(parts []*file, pf *file) error {
	p := v.p
	// the shared parts: classes, fills, defeaters, grounds, warnings, tagging
	classes := map[string]int{}
	for _, f := range parts {
		for _, c := range f.Classes {
			if c.ID == "" {
				return packErr(f.name, c.Line, "class without id")
			}
		}
	}
	for i, c := range p.Classes {
		classes[c.ID] = i
		c.text = "state link class " + c.ID
	}
	v.classes = classes
	for _, f := range parts {
		v.file = f.name
		for _, c := range f.Classes {
			if c.When == nil {
				return packErr(f.name, c.Line, "class %s: when is required", c.ID)
			}
			if err := v.cond(c.When, classes, nil); err != nil {
				return err
			}
		}
		for _, x := range f.Fills {
			if x.ID == "" || x.When == nil || x.Source == "" {
				return packErr(f.name, x.Line, "fill %q: id, when and source are required", x.ID)
			}
			if err := v.cond(x.When, classes, nil); err != nil {
				return err
			}
			for _, m := range []map[string]string{x.Set, x.Floor} {
				for id, code := range m {
					if err := v.code(x.Line, "fill "+x.ID, id, code); err != nil {
						return err
					}
				}
			}
			for id := range x.Floor {
				if e, _ := p.Element(id); !e.Ordered {
					return packErr(f.name, x.Line, "fill %s: floor on %s, whose answers are not ordered", x.ID, id)
				}
			}
			x.setEl, x.setBit, x.floorEl, x.floorBit = nil, nil, nil, nil
			x.setKeys, x.floorKeys = sortedKeys(x.Set), sortedKeys(x.Floor)
			x.text = "filled by " + x.ID + " (" + x.Source + ")"
			for _, id := range x.setKeys {
				i := p.index[id]
				x.setEl = append(x.setEl, i)
				x.setBit = append(x.setBit, p.Elements[i].codes[x.Set[id]])
			}
			for _, id := range x.floorKeys {
				i := p.index[id]
				x.floorEl = append(x.floorEl, i)
				x.floorBit = append(x.floorBit, p.Elements[i].codes[x.Floor[id]])
			}
		}
		for _, d := range f.Defeaters {
			if d.ID == "" || d.When == nil || d.Source == "" || d.Ground == "" {
				return packErr(f.name, d.Line, "defeater %q: id, ground, when and source are required", d.ID)
			}
			if err := v.cond(d.When, classes, nil); err != nil {
				return err
			}
			for _, c := range d.ContestedIf {
				if err := v.cond(c.When, classes, nil); err != nil {
					return err
				}
			}
		}
		for _, g := range f.Grounds {
			if g.ID == "" || g.When == nil {
				return packErr(f.name, g.Line, "ground %q: id and when are required", g.ID)
			}
			if g.Source == "" {
				return packErr(f.name, g.Line, "ground %s has no source", g.ID)
			}
			if err := v.cond(g.When, classes, nil); err != nil {
				return err
			}
		}
		for _, w := range f.Warnings {
			if w.ID == "" || w.When == nil || w.Text == "" {
				return packErr(f.name, w.Line, "warning %q: id, when and text are required", w.ID)
			}
			if err := v.cond(w.When, classes, nil); err != nil {
				return err
			}
		}
		for _, t := range f.Tagging {
			if t.Tag == "" || t.Value == "" || t.When == nil {
				return packErr(f.name, t.Line, "tagging: tag, value and when are required")
			}
			if err := v.cond(t.When, classes, nil); err != nil {
				return err
			}
		}
	}
	return nil
}
