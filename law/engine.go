package law

import (
	"fmt"
	"math/bits"
	"sort"
	"strings"

	"github.com/casefile/casefile"
)

// maxElements bounds a pack's questionnaire so that element sets fit a fixed-size bit set.
const maxElements = 256

// elset is a set of element indices.
type elset [maxElements / 64]uint64

func (s *elset) add(i int)      { s[i>>6] |= 1 << (uint(i) & 63) }
func (s *elset) has(i int) bool { return s[i>>6]&(1<<(uint(i)&63)) != 0 }
func (s *elset) or(o elset)     { s[0] |= o[0]; s[1] |= o[1]; s[2] |= o[2]; s[3] |= o[3] }
func (s elset) count() int {
	return bits.OnesCount64(s[0]) + bits.OnesCount64(s[1]) + bits.OnesCount64(s[2]) + bits.OnesCount64(s[3])
}
func (s elset) empty() bool { return s[0]|s[1]|s[2]|s[3] == 0 }
func (s elset) each(f func(i int)) {
	for w, x := range s {
		for x != 0 {
			b := bits.TrailingZeros64(x)
			f(w*64 + b)
			x &= x - 1
		}
	}
}

// Strength ranks, weakest first; an answer without a strength counts as alleged (§8.0).
var strengthRank = map[string]int8{
	casefile.StrengthAlleged:             0,
	casefile.StrengthCorroborated:        1,
	casefile.StrengthMedicallyConsistent: 2,
	casefile.StrengthEstablished:         3,
}

// rankOf is strengthRank without a map lookup; "" (no strength given) counts as alleged.
func rankOf(s string) (int8, bool) {
	switch s {
	case "", casefile.StrengthAlleged:
		return 0, true
	case casefile.StrengthCorroborated:
		return 1, true
	case casefile.StrengthMedicallyConsistent:
		return 2, true
	case casefile.StrengthEstablished:
		return 3, true
	}
	return 0, false
}

var strengthName = []string{casefile.StrengthAlleged, casefile.StrengthCorroborated,
	casefile.StrengthMedicallyConsistent, casefile.StrengthEstablished}

// slot is one element's answer during an assessment.
type slot struct {
	mask     uint64 // selected codes; 0 = unknown
	strength int8
	fill     int16 // 0 coded; >0 filled by Fills[fill-1]; -1 taken from the record
	inputs   elset // for a filled answer: the answers its fill rested on
}

// Input is what one assessment is computed from: an act with its event and victim when available
// (the engine fills context elements from them where the answer is unknown), and the answers.
type Input struct {
	Act     *casefile.Act
	Event   *casefile.Event
	Victim  *casefile.Person
	Answers map[string]casefile.Answer
	// Testimony says the record links the act to a testimony or identifiable personal data
	// (read by the consent pre-check when ctx.source_basis is unknown).
	Testimony bool
	// Consent is the consent on record for the person whose testimony the act rests on, if any;
	// when ip.consent.informed is unknown it is filled from it (pre-check P0).
	Consent *casefile.Consent
	// NoEcho leaves Result.Answers empty: for bulk re-assessment of stored acts, whose answers are
	// kept already (Filled still reports what the engine added).
	NoEcho bool
}

// LimbNote is a limb that is not in issue on the coded facts, with what would put it in issue.
type LimbNote struct {
	Limb          string   `json:"limb"`
	OpenQuestions []string `json:"open_questions,omitempty"`
}

// Result is the engine's answer for one pack.
type Result struct {
	Framework   string             `json:"framework"`
	PackVersion string             `json:"pack_version"`
	Outcomes    []casefile.Outcome `json:"outcomes"`
	Missing     []string           `json:"missing,omitempty"`
	NotAssessed []LimbNote         `json:"not_assessed,omitempty"`
	Warnings    []string           `json:"warnings,omitempty"`
	// NotRun says why the pack was not applied (for example, a situation given to a pack that
	// assesses acts against a person); Outcomes is then empty.
	NotRun string `json:"not_run,omitempty"`
	// Answers are the answers the rules read, after context and interpretation fills: the input's
	// codes and strengths, and what the engine added (its justification says from where).
	Answers map[string]casefile.Answer `json:"answers,omitempty"`

	filled []filledSlot
	pack   *Pack
}

// filledSlot is an answer the engine added, kept compact until Filled is asked for.
type filledSlot struct {
	el   int
	slot slot
}

// Filled returns the answers the engine added where the input said unknown: taken from the record
// or filled by an interpretation rule (the justification says which), so that a stored
// assessment shows what each fill added.
func (r *Result) Filled() map[string]casefile.Answer {
	if len(r.filled) == 0 {
		return nil
	}
	out := make(map[string]casefile.Answer, len(r.filled))
	for _, f := range r.filled {
		e := r.pack.Elements[f.el]
		a := casefile.Answer{Strength: strengthName[f.slot.strength]}
		for m := f.slot.mask; m != 0; m &= m - 1 {
			a.Codes = append(a.Codes, e.Answers[bits.TrailingZeros64(m)])
		}
		if f.slot.fill > 0 {
			a.Justification = r.pack.Fills[f.slot.fill-1].text
		} else {
			a.Justification = "from the record"
		}
		out[e.ID] = a
	}
	return out
}

// ruleState is one rule's evaluation.
type ruleState struct {
	val       tri
	fired     bool
	blockedBy []int // defeaters established
	dec, unk  elset
	open      elset // unknown defeater elements and what would fire a not_fired rule
	contested []string
	applies   tri
}

type state struct {
	p         *Pack
	s         []slot
	rules     []ruleState
	cur       *ruleState
	classOK   bool
	class     int // first class that holds, -1 none
	classDec  elset
	classes   []tri
	classUnk  []elset
	warnings  []string
	count     []int
	limbCount []int
	backing   []casefile.Outcome
	limbIn    []bool
	defs      []defState // per defeater, evaluated once per assessment
}

// defState caches one defeater's evaluation.
type defState struct {
	done      bool
	val       tri
	unk       elset
	unclearAt int // element answered unclear among its atoms, or -1
}

// Assess evaluates the pack on one input. Answers that name an unknown element, use a code outside
// the allowed set, or use a code that must be re-coded are EINVALID, naming the element.
func (p *Pack) Assess(in Input) (*Result, error) {
	st := p.getState()
	defer p.putState(st)
	coded, err := p.load(st, in.Answers)
	if err != nil {
		return nil, err
	}
	return p.run(st, in, coded, nil), nil
}

// allBuf is AssessAll's reusable scratch space.
type allBuf struct {
	slots []slot
	share fillShare
}

// fillShare carries the result of the interpretation fills from one pack to the next in
// AssessAll, for packs whose questionnaire and fills are the same.
type fillShare struct {
	key      string
	valid    bool
	slots    []slot
	warnings []string
}

// AssessAll evaluates every pack of the set on one input, in name order. Packs that share one
// questionnaire read the answers once.
func (s *Set) AssessAll(in Input) ([]*Result, error) {
	out := make([]*Result, 0, len(s.Names))
	buf, _ := s.tmpl.Get().(*allBuf)
	if buf == nil {
		buf = &allBuf{}
	}
	defer s.tmpl.Put(buf)
	tmpl := buf.slots[:0]
	have := false
	share := &buf.share
	share.valid = false
	var tmplCoded elset
	var tmplKey string
	for _, n := range s.Names {
		p := s.Packs[n]
		st := p.getState()
		if have && p.catalog == tmplKey {
			copy(st.s, tmpl)
		} else {
			coded, err := p.load(st, in.Answers)
			if err != nil {
				p.putState(st)
				return nil, err
			}
			tmpl = append(tmpl[:0], st.s...)
			buf.slots = tmpl
			tmplCoded, tmplKey, have = coded, p.catalog, true
		}
		out = append(out, p.run(st, in, tmplCoded, share))
		p.putState(st)
	}
	return out, nil
}

// run is Assess after the answers are loaded into st.
func (p *Pack) run(st *state, in Input, coded elset, share *fillShare) *Result {
	fillFromRecord(st, in, coded)
	res := &Result{Framework: p.Name, PackVersion: p.Version, pack: p}
	if st.consentStop(in) {
		res.Outcomes = []casefile.Outcome{{Code: "insufficient_information", Framework: p.Name, Limb: "all",
			ReasonChain:   []casefile.Reason{{Rule: "P0", Text: "no informed consent recorded for the testimony or personal data this unit rests on; processing stops"}},
			OpenQuestions: []string{"ip.consent.informed"}}}
		res.Missing = []string{"ip.consent.informed"}
		res.filled, res.Answers = st.filled(!in.NoEcho)
		return res
	}
	unit := st.code("ctx.unit")
	if unit != "" && !contains(p.Units, unit) {
		res.NotRun = fmt.Sprintf("the %s pack is not run on a %s unit: it concerns an act against a person (framework reference §8.1 P1)", p.Name, unit)
		res.filled, res.Answers = st.filled(!in.NoEcho)
		return res
	}
	if miss := st.minimum(unit); len(miss) > 0 {
		res.Outcomes = []casefile.Outcome{{Code: "insufficient_information", Framework: p.Name, Limb: "all",
			ReasonChain:   []casefile.Reason{{Rule: "P1", Text: "the minimum facts of the framework are not known"}},
			OpenQuestions: miss}}
		res.Missing = miss
		res.filled, res.Answers = st.filled(!in.NoEcho)
		return res
	}
	if share != nil && share.valid && share.key == p.fillKey {
		copy(st.s, share.slots)
		st.warnings = append(st.warnings, share.warnings...)
	} else {
		n := len(st.warnings)
		st.fills()
		if share != nil {
			share.key, share.valid = p.fillKey, true
			share.slots = append(share.slots[:0], st.s...)
			share.warnings = append(share.warnings[:0], st.warnings[n:]...)
		}
	}
	st.evalRules()
	st.limbs(res)
	if len(st.warnings) > 0 {
		res.Warnings = append(res.Warnings, st.warnings...)
		// reviewer warnings about the answers travel with every outcome, so a stored assessment
		// (which keeps outcomes, not the result) still shows them
		for i := range res.Outcomes {
			for _, w := range st.warnings {
				res.Outcomes[i].Warnings = appendOnce(res.Outcomes[i].Warnings, w)
			}
		}
	}
	res.filled, res.Answers = st.filled(!in.NoEcho)
	return res
}

// getState takes a cleared evaluation state from the pack's pool: assessing many acts then
// allocates little beyond the results.
func (p *Pack) getState() *state {
	if st, ok := p.pool.Get().(*state); ok {
		return st
	}
	return &state{p: p, s: make([]slot, len(p.Elements)), rules: make([]ruleState, len(p.Rules)),
		classes: make([]tri, len(p.Classes)), classUnk: make([]elset, len(p.Classes)), defs: make([]defState, len(p.Defeaters))}
}

func (p *Pack) putState(st *state) {
	clear(st.s)
	clear(st.rules)
	clear(st.defs)
	st.cur, st.classOK, st.class, st.classDec, st.warnings = nil, false, -1, elset{}, st.warnings[:0]
	p.pool.Put(st)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// load normalises and checks the answers (aliases of ids and codes, re-codes, single vs multi).
func (p *Pack) load(st *state, answers map[string]casefile.Answer) (elset, error) {
	var coded elset
	for id, a := range answers {
		i, ok := p.index[id]
		if !ok {
			return coded, casefile.Errorf(casefile.EINVALID, "law", "answers: element %q is not defined in pack %s", id, p.Name)
		}
		e := p.Elements[i]
		var mask uint64
		unknown := false
		for _, c := range a.Codes {
			if len(c) > 0 && (c[0] == ' ' || c[len(c)-1] == ' ' || c[0] == '\t' || c[len(c)-1] == '\n') {
				c = strings.TrimSpace(c)
			}
			if c == casefile.CodeUnknown || c == "" {
				unknown = true
				continue
			}
			if nw, ok := e.AnswerAliases[c]; ok {
				c = nw
			}
			b, ok := e.codes[c]
			if !ok {
				if contains(e.Recode, c) {
					return coded, casefile.Errorf(casefile.EINVALID, "law", "answers: %s: the old answer %q has no single meaning and must be answered again (allowed: %s)", id, c, strings.Join(e.Answers, ", "))
				}
				return coded, casefile.Errorf(casefile.EINVALID, "law", "answers: %s: %q is not an allowed answer (allowed: %s, unknown)", id, c, strings.Join(e.Answers, ", "))
			}
			mask |= 1 << b
		}
		if unknown && mask != 0 {
			return coded, casefile.Errorf(casefile.EINVALID, "law", "answers: %s: unknown cannot be combined with other answers", id)
		}
		if !e.Multi && bits.OnesCount64(mask) > 1 {
			return coded, casefile.Errorf(casefile.EINVALID, "law", "answers: %s takes one answer, not %d", id, bits.OnesCount64(mask))
		}
		rank, ok := rankOf(a.Strength)
		if !ok {
			return coded, casefile.Errorf(casefile.EINVALID, "law", "answers: %s: strength %q is not one of alleged, corroborated, medically_consistent, established", id, a.Strength)
		}
		if st.s[i].mask != 0 && mask != 0 && st.s[i].mask != mask {
			return coded, casefile.Errorf(casefile.EINVALID, "law", "answers: %s is answered twice (under an id and its alias) with different answers", e.ID)
		}
		if mask != 0 {
			st.s[i] = slot{mask: mask, strength: rank}
		}
		coded.add(i)
	}
	return coded, nil
}

// code returns the single code of element id, "" when unknown or absent from the pack.
func (st *state) code(id string) string {
	i, ok := st.p.index[id]
	if !ok || st.s[i].mask == 0 {
		return ""
	}
	return st.p.Elements[i].Answers[bits.TrailingZeros64(st.s[i].mask)]
}

func (st *state) codes(i int) []string {
	var out []string
	m := st.s[i].mask
	for m != 0 {
		b := bits.TrailingZeros64(m)
		out = append(out, st.p.Elements[i].Answers[b])
		m &= m - 1
	}
	return out
}

func (st *state) has(id, code string) bool {
	i, ok := st.p.index[id]
	if !ok {
		return false
	}
	b, ok := st.p.Elements[i].codes[code]
	return ok && st.s[i].mask&(1<<b) != 0
}

// consentStop is pre-check P0: a unit resting on an identifiable person's testimony or personal
// data is not processed without informed consent.
func (st *state) consentStop(in Input) bool {
	si, ok1 := st.p.index["ctx.source_basis"]
	_, ok2 := st.p.index["ip.consent.informed"]
	if !ok1 || !ok2 {
		return false
	}
	applies := st.has("ctx.source_basis", "own_testimony") || st.has("ctx.source_basis", "identifiable_personal_data")
	if st.s[si].mask == 0 {
		if in.Testimony {
			applies = true
		} else {
			st.warnings = append(st.warnings, "P0 skipped: ctx.source_basis is unknown; record what the account rests on")
		}
	}
	return applies && st.code("ip.consent.informed") != "informed_consent_given"
}

// minimum is pre-check P1: the elements that must be known for the unit.
func (st *state) minimum(unit string) []string {
	ids := st.p.Minimum[unit]
	if unit == "" {
		ids = append([]string{"ctx.unit"}, st.p.Minimum["individual_act"]...)
	}
	var miss []string
	for _, id := range ids {
		i := st.p.index[id]
		if st.s[i].mask == 0 && !contains(miss, id) {
			miss = append(miss, id)
		}
	}
	return miss
}

// fills applies the interpretation rules until nothing changes, then warns where a coded answer
// differs from what a fill would have set or lies below a floor.
func (st *state) fills() {
	p := st.p
	var held [64]bool // fills whose condition held in the last (unchanged) pass
	for pass := 0; pass < 8; pass++ {
		changed := false
		for fi, f := range p.Fills {
			if pass > 0 && len(f.floorEl) == 0 && !st.anyUnknown(f.setEl) {
				continue // nothing left to fill; its value from the earlier pass stands for the warnings
			}
			v := st.evalV(f.When)
			if fi < len(held) {
				held[fi] = v == triTrue
			}
			if v != triTrue {
				continue
			}
			_, dec, _ := st.eval(f.When)
			for k, i := range f.setEl {
				if st.s[i].mask != 0 {
					continue
				}
				st.s[i] = slot{mask: 1 << f.setBit[k], fill: int16(fi + 1), inputs: dec, strength: st.weakest(dec)}
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	for fi, f := range p.Fills {
		if fi < len(held) && !held[fi] {
			continue
		}
		if fi >= len(held) {
			if v, _, _ := st.eval(f.When); v != triTrue {
				continue
			}
		}
		for k, i := range f.setEl {
			want := uint64(1) << f.setBit[k]
			if s := st.s[i]; s.fill == 0 && s.mask != want && s.mask != 0 {
				st.warnings = append(st.warnings, fmt.Sprintf("%s would fill %s = %s; the coded answer %s stands", f.ID, f.setKeys[k], f.Set[f.setKeys[k]], strings.Join(st.codes(i), ",")))
			}
		}
		for k, i := range f.floorEl {
			if st.s[i].mask != 0 && bits.TrailingZeros64(st.s[i].mask) < f.floorBit[k] {
				st.warnings = append(st.warnings, fmt.Sprintf("%s: %s is coded %s, below the floor %s", f.ID, f.floorKeys[k], strings.Join(st.codes(i), ","), f.Floor[f.floorKeys[k]]))
			}
		}
	}
}

func (st *state) anyUnknown(els []int) bool {
	for _, i := range els {
		if st.s[i].mask == 0 {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// weakest is the lowest strength among the answers in s (a fill inherits it from its inputs).
func (st *state) weakest(s elset) int8 {
	w := int8(3)
	any := false
	s.each(func(i int) {
		any = true
		if st.s[i].strength < w {
			w = st.s[i].strength
		}
	})
	if !any {
		return 0
	}
	return w
}

// allOmission: every cat.1.act tag is an omission tag.
func (st *state) allOmission() (tri, elset) {
	var e elset
	if st.p.omitEl < 0 {
		return triFalse, e
	}
	m := st.s[st.p.omitEl].mask
	if m == 0 {
		e.add(st.p.omitEl)
		return triUndet, e
	}
	if m&^st.p.omitMask == 0 {
		return triTrue, e
	}
	return triFalse, e
}

// eval is the three-valued evaluation of §8.1: it returns the value, the answers that made it
// true (decisive) and, when undetermined, the unknown elements that would decide it.
func (st *state) eval(c *Cond) (v tri, dec, unk elset) {
	switch c.Kind {
	case condAtom:
		s := st.s[c.el]
		if c.Op == opKnown {
			if s.mask == 0 {
				return triFalse, dec, unk
			}
			dec.add(c.el)
			return triTrue, dec, unk
		}
		if s.mask == 0 {
			if c.wantUnk {
				dec.add(c.el) // that nothing is known is itself what the condition rests on
				return triTrue, dec, unk
			}
			unk.add(c.el)
			return triUndet, dec, unk
		}
		ok := false
		switch c.Op {
		case opIn, opContains:
			ok = s.mask&c.mask != 0
		case opNot:
			ok = s.mask&c.mask == 0
		case opOnly:
			ok = s.mask&^c.mask == 0
		}
		if ok {
			dec.add(c.el)
			return triTrue, dec, unk
		}
		return triFalse, dec, unk
	case condAll:
		v = triTrue
		for _, it := range c.Items {
			iv, id, iu := st.eval(it)
			switch iv {
			case triFalse:
				return triFalse, elset{}, elset{}
			case triUndet:
				v = triUndet
				unk.or(iu)
			default:
				dec.or(id)
			}
		}
		if v == triUndet {
			dec = elset{}
		}
		return v, dec, unk
	case condAny:
		v = triFalse
		for _, it := range c.Items {
			iv, id, iu := st.eval(it)
			switch iv {
			case triTrue:
				v = triTrue
				dec.or(id)
			case triUndet:
				if v != triTrue {
					v = triUndet
				}
				unk.or(iu)
			}
		}
		if v == triTrue {
			unk = elset{}
		}
		return v, dec, unk
	case condOmissionOnly:
		ov, ou := st.allOmission()
		switch ov {
		case triFalse:
			return triTrue, dec, unk
		case triTrue:
			return st.eval(c.Items[0])
		}
		iv, id, iu := st.eval(c.Items[0])
		if iv == triTrue {
			return triTrue, id, unk
		}
		iu.or(ou)
		return triUndet, dec, iu
	case condNotFired:
		r := &st.rules[c.ruleIdx]
		if r.fired {
			return triFalse, dec, unk
		}
		if st.cur != nil {
			st.cur.open.or(r.unk)
			st.cur.open.or(r.open)
		}
		return triTrue, dec, unk
	case condNexus:
		return st.nexus(c)
	}
	return triUndet, dec, unk
}

// evalV is eval for the value alone, without collecting decisive or unknown elements.
func (st *state) evalV(c *Cond) tri {
	switch c.Kind {
	case condAtom:
		m := st.s[c.el].mask
		if c.Op == opKnown {
			if m == 0 {
				return triFalse
			}
			return triTrue
		}
		if m == 0 {
			if c.wantUnk {
				return triTrue
			}
			return triUndet
		}
		switch c.Op {
		case opNot:
			if m&c.mask == 0 {
				return triTrue
			}
		case opOnly:
			if m&^c.mask == 0 {
				return triTrue
			}
		default:
			if m&c.mask != 0 {
				return triTrue
			}
		}
		return triFalse
	case condAll:
		v := triTrue
		for _, it := range c.Items {
			switch st.evalV(it) {
			case triFalse:
				return triFalse
			case triUndet:
				v = triUndet
			}
		}
		return v
	case condAny:
		v := triFalse
		for _, it := range c.Items {
			switch st.evalV(it) {
			case triTrue:
				return triTrue
			case triUndet:
				v = triUndet
			}
		}
		return v
	}
	v, _, _ := st.eval(c)
	return v
}

// nexus tests the state-link class (§8.1 P2): the first class whose condition holds.
func (st *state) nexus(c *Cond) (tri, elset, elset) {
	st.classify()
	in := func(j int) bool {
		for _, k := range c.classIdx {
			if k == j {
				return true
			}
		}
		return false
	}
	var unk elset
	sawIn, sawOut := false, false
	for j, v := range st.classes {
		switch v {
		case triTrue:
			if in(j) {
				sawIn = true
			} else {
				sawOut = true
			}
			if sawIn && !sawOut {
				return triTrue, st.classDec, elset{}
			}
			if sawOut && !sawIn {
				return triFalse, elset{}, elset{}
			}
			return triUndet, elset{}, unk
		case triUndet:
			unk.or(st.classUnk[j])
			if in(j) {
				sawIn = true
			} else {
				sawOut = true
			}
		}
	}
	return triUndet, elset{}, unk
}

func (st *state) classify() {
	if st.classOK {
		return
	}
	st.classOK = true
	st.class = -1
	clear(st.classes)
	clear(st.classUnk)
	for j, cl := range st.p.Classes {
		v, dec, unk := st.eval(cl.When)
		st.classes[j] = v
		st.classUnk[j] = unk
		if v == triTrue {
			st.class = j
			st.classDec = dec
			break
		}
	}
}

// evalRules evaluates every rule with its defeaters and contested conditions.
func (st *state) evalRules() {
	p := st.p
	st.classOK = false
	for i, r := range p.Rules {
		rs := &st.rules[i]
		st.cur = rs
		rs.applies = triTrue
		if r.AppliesIf != nil {
			var d, u elset
			rs.applies, d, u = st.eval(r.AppliesIf)
			rs.dec.or(d)
			rs.unk.or(u)
		}
		if rs.applies == triFalse {
			rs.val = triFalse
			rs.dec = elset{}
			st.cur = nil
			continue
		}
		v, d, u := st.eval(r.When)
		rs.unk.or(u)
		if rs.applies == triUndet && v != triFalse {
			v = triUndet
		}
		rs.val = v
		if v == triTrue {
			rs.dec.or(d)
		} else {
			rs.dec = elset{}
		}
		if v == triFalse {
			st.cur = nil
			continue
		}
		for _, di := range r.defeaters {
			ds := st.defeater(di)
			switch ds.val {
			case triTrue:
				rs.blockedBy = append(rs.blockedBy, di)
			case triUndet:
				rs.open.or(ds.unk)
			}
			if ds.unclearAt >= 0 {
				rs.contested = appendOnce(rs.contested, fmt.Sprintf("the exclusion %s (%s) was answered unclear", p.Defeaters[di].ID, p.Elements[ds.unclearAt].ID))
			}
		}
		rs.fired = v == triTrue && len(rs.blockedBy) == 0
		if rs.fired {
			rs.dec.each(func(i int) {
				if st.isUnclear(i) {
					rs.contested = appendOnce(rs.contested, fmt.Sprintf("%s was answered unclear", p.Elements[i].ID))
				}
			})
			for _, c := range r.ContestedIf {
				if st.evalV(c.When) == triTrue {
					rs.contested = appendOnce(rs.contested, c.Reason)
				}
			}
		}
		st.cur = nil
	}
}

// defeater evaluates defeater di once per assessment (§8.1: established, undetermined or not).
func (st *state) defeater(di int) *defState {
	ds := &st.defs[di]
	if ds.done {
		return ds
	}
	ds.done = true
	d := st.p.Defeaters[di]
	dv, _, du := st.eval(d.When)
	if d.OmissionOnly {
		ov, ou := st.allOmission()
		if ov == triFalse {
			dv = triFalse
		} else if ov == triUndet && dv != triFalse {
			dv = triUndet
			du.or(ou)
		}
	}
	ds.val, ds.unk, ds.unclearAt = dv, du, -1
	d.When.walk(func(x *Cond) {
		if x.Kind == condAtom && ds.unclearAt < 0 && st.isUnclear(x.el) {
			ds.unclearAt = x.el
		}
	})
	return ds
}

func appendOnce(list []string, s string) []string {
	if contains(list, s) {
		return list
	}
	return append(list, s)
}

func (st *state) isUnclear(i int) bool {
	e := st.p.Elements[i]
	b, ok := e.codes["unclear"]
	return ok && st.s[i].mask&(1<<b) != 0
}
