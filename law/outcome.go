package law

import (
	"fmt"
	"math/bits"
	"sort"
	"strings"

	"github.com/casefile/casefile"
)

// raiseHint says what would raise an alleged answer (§8.0 reporting policy).
const raiseHint = "alleged only; to corroborate: a second independent witness or a contemporaneous record (custody log, medical record, complaint receipt, referral papers); to establish: an official finding or admission"

// limbs turns rule results into limb results (§8.1): outcomes, no_violation or
// insufficient_information, and limbs not in issue.
func (st *state) limbs(res *Result) {
	p := st.p
	missCount := st.count[:0]
	for range p.Elements {
		missCount = append(missCount, 0)
	}
	st.count = missCount
	// every outcome lives in one array, allocated once: at most one per rule and one per limb, so
	// pointers into it stay valid while it fills
	st.limbIn = st.limbIn[:0]
	n := 0
	for li, l := range p.Limbs {
		in := st.inIssue(l, p.limbRules[li])
		st.limbIn = append(st.limbIn, in)
		if in {
			n++
		}
	}
	for i := range st.rules {
		if st.rules[i].fired {
			n++
		}
	}
	st.backing = make([]casefile.Outcome, 0, n)
	fired := make([]*casefile.Outcome, 0, 8)
	for li, l := range p.Limbs {
		rules := p.limbRules[li]
		if !st.limbIn[li] {
			note := LimbNote{Limb: l.ID}
			for k, i := range l.pointerEl {
				if st.s[i].mask == 0 {
					note.OpenQuestions = append(note.OpenQuestions, l.Pointers[k])
				}
			}
			res.NotAssessed = append(res.NotAssessed, note)
			continue
		}
		n := len(fired)
	rulesLoop:
		for _, i := range rules {
			if !st.rules[i].fired {
				continue
			}
			var o *casefile.Outcome
			for _, prev := range fired[n:] {
				if prev.Code == p.Rules[i].Outcome {
					tmp := st.outcome(i, &casefile.Outcome{})
					merge(prev, tmp)
					continue rulesLoop
				}
			}
			o = st.outcome(i, st.next())
			fired = append(fired, o)
		}
		if len(fired) > n {
			continue
		}
		undet := false
		merits := false
		for _, i := range rules {
			rs := &st.rules[i]
			if rs.val == triUndet && len(rs.blockedBy) == 0 {
				undet = true
			}
			if rs.applies != triFalse && (rs.val == triFalse || len(rs.blockedBy) > 0) {
				merits = true
			}
		}
		switch {
		case undet:
			o := st.insufficient(l, rules, missCount)
			fired = append(fired, o)
		case merits:
			fired = append(fired, st.noViolation(l, rules))
		default:
			res.NotAssessed = append(res.NotAssessed, LimbNote{Limb: l.ID})
		}
	}
	// overlays (Art. 2(2) marks the other ICESCR outcomes), pack-level tags and warnings
	for i, r := range p.Rules {
		if !st.rules[i].fired || len(r.MarkOthers) == 0 {
			continue
		}
		for _, o := range fired {
			if o.Code != r.Outcome && o.Code != "no_violation" && o.Code != "insufficient_information" {
				for k, vs := range r.MarkOthers {
					addTags(o, k, vs...)
				}
			}
		}
	}
	for _, o := range fired {
		if o.Code == "no_violation" || o.Code == "insufficient_information" {
			continue
		}
		for _, t := range p.Tagging {
			if len(t.Outcomes) > 0 && !contains(t.Outcomes, o.Code) {
				continue
			}
			if st.evalV(t.When) == triTrue {
				addTags(o, t.Tag, t.Value)
			}
		}
		if strings.HasPrefix(o.Code, "icescr12_") && len(o.Tags["aaaq"]) == 0 {
			o.Warnings = appendOnce(o.Warnings, "no AAAQ dimension is tagged: say which of availability, accessibility, acceptability, quality is affected")
		}
	}
	for _, w := range p.Warnings {
		if st.evalV(w.When) != triTrue {
			continue
		}
		attached := false
		for _, o := range fired {
			if len(w.Outcomes) == 0 || contains(w.Outcomes, o.Code) {
				o.Warnings = appendOnce(o.Warnings, w.ID+": "+w.Text)
				attached = true
			}
		}
		if len(w.Outcomes) == 0 || attached {
			res.Warnings = appendOnce(res.Warnings, w.ID+": "+w.Text)
		}
	}
	for _, o := range fired {
		for k := range o.Tags {
			if len(o.Tags[k]) > 1 {
				sort.Strings(o.Tags[k])
			}
		}
	}
	res.Outcomes = st.backing // fired points into it, in the same order
	st.backing = nil
	// the documenter's next interview questions: ordered by how many rules each would decide
	var ids []int
	for i, c := range missCount {
		if c > 0 {
			ids = append(ids, i)
		}
	}
	sort.Slice(ids, func(a, b int) bool {
		if missCount[ids[a]] != missCount[ids[b]] {
			return missCount[ids[a]] > missCount[ids[b]]
		}
		return ids[a] < ids[b]
	})
	for _, i := range ids {
		res.Missing = append(res.Missing, p.Elements[i].ID)
	}
}

// next returns the next outcome slot of the assessment's array.
func (st *state) next() *casefile.Outcome {
	st.backing = append(st.backing, casefile.Outcome{})
	return &st.backing[len(st.backing)-1]
}

// inIssue is §8.1 P4.
func (st *state) inIssue(l *Limb, rules []int) bool {
	if l.InIssueIf != nil {
		return st.evalV(l.InIssueIf) == triTrue
	}
	if l.Always {
		return true
	}
	for _, i := range rules {
		for _, e := range st.p.Rules[i].elements {
			if !st.p.notPtr[e] && st.s[e].mask != 0 {
				return true
			}
		}
	}
	return false
}

// outcome builds the record of a fired rule in o.
func (st *state) outcome(i int, o *casefile.Outcome) *casefile.Outcome {
	p := st.p
	r := p.Rules[i]
	rs := &st.rules[i]
	od := p.outcomeDef[r.Outcome]
	*o = casefile.Outcome{Code: r.Outcome, Framework: p.Name, Limb: r.Limb, Rules: r.ids, Article: od.Article,
		Sources: r.Sources[:len(r.Sources):len(r.Sources)]}
	o.ReasonChain = st.chain(rs.dec)
	text := r.Reason
	if text == "" {
		text = od.Label.In("en")
	}
	o.ReasonChain = append(o.ReasonChain, casefile.Reason{Rule: r.ID, Source: r.sourceText, Text: text})
	if len(rs.contested) > 0 {
		o.Contested = true
		o.ContestedReasons = append(o.ContestedReasons, rs.contested...)
	}
	for k, vs := range r.Tags {
		addTags(o, k, vs...)
	}
	st.branchTags(r.When, o)
	for _, t := range r.TagIf {
		if st.evalV(t.When) == triTrue {
			addTags(o, t.Tag, t.Value)
		}
	}
	for tag, id := range r.TagsFrom {
		if j := p.index[id]; st.s[j].mask != 0 {
			addTags(o, tag, st.codes(j)...)
		}
	}
	x := st.expand(rs.dec)
	o.OpenQuestions = make([]string, 0, rs.open.count()+x.count())
	rs.open.each(func(j int) {
		if st.s[j].mask == 0 {
			o.OpenQuestions = append(o.OpenQuestions, p.Elements[j].ID)
		}
	})
	allAlleged := true
	var alleged []string
	o.EvidenceLabel = st.labelOf(x)
	x.each(func(j int) {
		if st.s[j].strength == 0 && st.s[j].fill == 0 {
			alleged = append(alleged, p.Elements[j].ID)
			o.OpenQuestions = append(o.OpenQuestions, p.Elements[j].raise)
		} else {
			allAlleged = false
		}
	})
	if allAlleged && len(alleged) > 0 {
		o.Warnings = append(o.Warnings, "alleged_only: every decisive answer is alleged ("+strings.Join(alleged, ", ")+")")
	}
	return o
}

// expand replaces filled answers by the answers their fills rested on, recursively.
func (st *state) expand(s elset) elset {
	var out elset
	var visit func(i int, depth int)
	visit = func(i int, depth int) {
		if depth > 16 {
			return
		}
		if st.s[i].fill > 0 {
			st.s[i].inputs.each(func(j int) { visit(j, depth+1) })
			return
		}
		out.add(i)
	}
	s.each(func(i int) { visit(i, 0) })
	return out
}

// chain lists the decisive answers, each filled answer preceded by the answers its fill rested on,
// so the chain reads in order; a state link class closes it when it came from the actor or nexus.
func (st *state) chain(dec elset) []casefile.Reason {
	p := st.p
	n := 2
	dec.each(func(i int) {
		n++
		if st.s[i].fill > 0 {
			n += 2
		}
	})
	out := make([]casefile.Reason, 0, n)
	var seen elset
	var add func(i int, depth int)
	add = func(i int, depth int) {
		if seen.has(i) || depth > 16 {
			return
		}
		seen.add(i)
		s := &st.s[i]
		if s.fill > 0 {
			s.inputs.each(func(j int) { add(j, depth+1) })
		}
		e := p.Elements[i]
		r := casefile.Reason{Element: e.ID, Source: e.Source, Strength: strengthName[s.strength]}
		switch {
		case s.mask == 0:
			r.Answer, r.Strength = casefile.CodeUnknown, ""
		case s.mask&(s.mask-1) == 0:
			r.Answer = e.Answers[bits.TrailingZeros64(s.mask)]
		default:
			r.Answer = strings.Join(st.codes(i), ",")
		}
		switch {
		case s.fill > 0:
			f := p.Fills[s.fill-1]
			r.Rule, r.Text = f.ID, f.text
		case s.fill < 0:
			r.Text = "from the record"
		}
		out = append(out, r)
	}
	dec.each(func(i int) { add(i, 0) })
	if st.class >= 0 && ((st.p.nexusEl >= 0 && seen.has(st.p.nexusEl)) || (st.p.actorEl >= 0 && seen.has(st.p.actorEl))) {
		cl := p.Classes[st.class]
		out = append(out, casefile.Reason{Rule: "P2", Answer: cl.ID, Source: cl.Source, Text: cl.text})
	}
	return out
}

// label is the evidence label of a set of decisive answers: the weakest strength among them.
func (st *state) label(dec elset) string { return st.labelOf(st.expand(dec)) }

// labelOf is label for answers already expanded past their fills.
func (st *state) labelOf(x elset) string {
	if x.empty() {
		return casefile.StrengthAlleged
	}
	// the weakest of the four strengths; the reference's three-value label maps
	// medically_consistent to corroborated, but the weakest level is what a reader needs
	return strengthName[st.weakest(x)]
}

// branchTags adds the tags of every tagged any_of branch that holds.
func (st *state) branchTags(c *Cond, o *casefile.Outcome) {
	if c == nil {
		return
	}
	if len(c.Tags) > 0 {
		if st.evalV(c) == triTrue {
			for k, vs := range c.Tags {
				addTags(o, k, vs...)
			}
		}
	}
	for _, it := range c.Items {
		st.branchTags(it, o)
	}
}

func addTags(o *casefile.Outcome, k string, vs ...string) {
	if o.Tags == nil {
		o.Tags = map[string][]string{}
	}
	for _, v := range vs {
		if !contains(o.Tags[k], v) {
			o.Tags[k] = append(o.Tags[k], v)
		}
	}
}

// merge folds b into a (same code, same limb): rules, chains, tags, sources kept; the label is the
// weaker of the two.
func merge(a, b *casefile.Outcome) {
	a.Rules = append(a.Rules, b.Rules...)
	a.ReasonChain = append(a.ReasonChain, b.ReasonChain...)
	for _, s := range b.Sources {
		a.Sources = appendOnce(a.Sources, s)
	}
	for k, vs := range b.Tags {
		addTags(a, k, vs...)
	}
	if strengthRank[b.EvidenceLabel] < strengthRank[a.EvidenceLabel] {
		a.EvidenceLabel = b.EvidenceLabel
	}
	if b.Contested {
		a.Contested = true
		for _, r := range b.ContestedReasons {
			a.ContestedReasons = appendOnce(a.ContestedReasons, r)
		}
	}
	// "alleged_only" holds for the merged outcome only if it held for both parts
	aOnly, bOnly := hasPrefix(a.Warnings, "alleged_only"), hasPrefix(b.Warnings, "alleged_only")
	for _, w := range b.Warnings {
		if !strings.HasPrefix(w, "alleged_only") {
			a.Warnings = appendOnce(a.Warnings, w)
		}
	}
	if aOnly && !bOnly {
		kept := a.Warnings[:0]
		for _, w := range a.Warnings {
			if !strings.HasPrefix(w, "alleged_only") {
				kept = append(kept, w)
			}
		}
		a.Warnings = kept
	}
	for _, q := range b.OpenQuestions {
		a.OpenQuestions = appendOnce(a.OpenQuestions, q)
	}
}

func hasPrefix(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

// insufficient is limb result 3: the unknown elements of the undetermined rules and every
// undetermined rule as a candidate.
func (st *state) insufficient(l *Limb, rules []int, count []int) *casefile.Outcome {
	p := st.p
	o := st.next()
	*o = casefile.Outcome{Code: "insufficient_information", Framework: p.Name, Limb: l.ID}
	var local elset
	for _, i := range rules {
		rs := &st.rules[i]
		if rs.val != triUndet || len(rs.blockedBy) > 0 {
			continue
		}
		r := p.Rules[i]
		c := casefile.Candidate{Code: r.Outcome, Rule: r.ID, Missing: make([]string, 0, rs.unk.count())}
		rs.unk.each(func(j int) {
			c.Missing = append(c.Missing, p.Elements[j].ID)
			local.add(j)
			count[j]++
		})
		o.Candidates = append(o.Candidates, c)
		o.Rules = append(o.Rules, r.ID)
		o.Sources = append(o.Sources, r.Sources...)
	}
	// ordered by how many of this limb's rules each element would decide
	var ids []int
	local.each(func(j int) { ids = append(ids, j) })
	if len(o.Candidates) > 1 {
		per := st.limbCount[:0]
		for range p.Elements {
			per = append(per, 0)
		}
		st.limbCount = per
		for _, i := range rules {
			if rs := &st.rules[i]; rs.val == triUndet && len(rs.blockedBy) == 0 {
				rs.unk.each(func(j int) { per[j]++ })
			}
		}
		sort.SliceStable(ids, func(a, b int) bool { return per[ids[a]] > per[ids[b]] })
	}
	o.OpenQuestions = make([]string, 0, len(ids))
	for _, j := range ids {
		o.OpenQuestions = append(o.OpenQuestions, p.Elements[j].ID)
	}
	o.ReasonChain = []casefile.Reason{{Text: "undetermined: the candidate rules wait on the open questions"}}
	return o
}

// noViolation is limb result 2: every rule false or blocked, with the grounds that excluded each.
func (st *state) noViolation(l *Limb, rules []int) *casefile.Outcome {
	p := st.p
	o := st.next()
	*o = casefile.Outcome{Code: "no_violation", Framework: p.Name, Limb: l.ID}
	var dec elset
	for _, i := range rules {
		rs := &st.rules[i]
		r := p.Rules[i]
		if rs.applies == triFalse {
			continue
		}
		o.Rules = append(o.Rules, r.ID)
		named := false
		for _, di := range rs.blockedBy {
			d := p.Defeaters[di]
			_, dd, _ := st.eval(d.When)
			dec.or(dd)
			o.ReasonChain = append(o.ReasonChain, st.chain(dd)...)
			o.ReasonChain = append(o.ReasonChain, casefile.Reason{Rule: r.ID, Source: d.Source, Text: fmt.Sprintf("excluded by %s (%s)", d.Ground, d.ID)})
			o.Sources = appendOnce(o.Sources, d.Source)
			for _, c := range d.ContestedIf {
				if v, _, _ := st.eval(c.When); v == triTrue {
					o.Contested = true
					o.ContestedReasons = appendOnce(o.ContestedReasons, c.Reason)
				}
			}
			named = true
		}
		if len(rs.blockedBy) > 0 {
			continue
		}
		for _, g := range p.Grounds {
			if !contains(g.Excludes, r.ID) {
				continue
			}
			v, gd, _ := st.eval(g.When)
			if v != triTrue {
				continue
			}
			dec.or(gd)
			o.ReasonChain = append(o.ReasonChain, st.chain(gd)...)
			o.ReasonChain = append(o.ReasonChain, casefile.Reason{Rule: r.ID, Source: g.Source, Text: fmt.Sprintf("excluded by %s (%s)", g.ID, g.Label)})
			o.Sources = appendOnce(o.Sources, g.Source)
			named = true
		}
		if !named {
			o.ReasonChain = append(o.ReasonChain, casefile.Reason{Rule: r.ID, Text: "the rule's conditions are not met on the coded facts"})
		}
	}
	o.EvidenceLabel = st.label(dec)
	return o
}

// filled returns the answers the engine added (from the record or by a fill), and every known
// answer as the rules read it.
func (st *state) filled(echo bool) ([]filledSlot, map[string]casefile.Answer) {
	var out []filledSlot
	var all map[string]casefile.Answer
	if echo {
		all = make(map[string]casefile.Answer, 24)
	}
	for i, s := range st.s {
		if s.mask == 0 || (!echo && s.fill == 0) {
			continue
		}
		e := st.p.Elements[i]
		a := casefile.Answer{Strength: strengthName[s.strength]}
		if bits.OnesCount64(s.mask) == 1 {
			a.Codes = e.single[bits.TrailingZeros64(s.mask) : bits.TrailingZeros64(s.mask)+1 : bits.TrailingZeros64(s.mask)+1]
		} else {
			a.Codes = st.codes(i)
		}
		if s.fill != 0 {
			out = append(out, filledSlot{el: i, slot: s})
			if s.fill > 0 {
				a.Justification = st.p.Fills[s.fill-1].text
			} else {
				a.Justification = "from the record"
			}
		}
		if echo {
			all[e.ID] = a
		}
	}
	return out, all
}
