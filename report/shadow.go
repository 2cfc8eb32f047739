package report

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/casefile/casefile"
)

// Treaties a shadow report can be written for.
const (
	TreatyCAT   = "cat"
	TreatyCESCR = "cescr"
)

// Limits on what one section shows, so that a report over 100,000 acts stays readable: counts
// cover every act; vignettes and reason chains show examples.
const (
	maxVignettes  = 6
	maxChains     = 8
	maxQuotations = 6
)

// Options selects what a shadow report covers and how it is written.
type Options struct {
	Treaty string    // cat or cescr
	State  string    // ISO 3166-1 alpha-2, e.g. RU
	From   int       // first year covered, 0 for no limit
	To     int       // last year covered, 0 for no limit
	Lang   string    // en or ru; fixed text only, quotations stay in their language
	Now    time.Time // the report's date: consents are checked at this time
	// Vocab gives labels for domains, settings and perpetrator types; nil shows the codes.
	Vocab casefile.Vocabularies
	// Organisation names the submitting organisation on the title page; empty leaves it out.
	Organisation string
	// ReviewedOnly leaves out assessments that no reviewer has signed off.
	ReviewedOnly bool
}

// Validate checks the options. EINVALID naming the option.
func (o *Options) Validate() error {
	if o.Treaty != TreatyCAT && o.Treaty != TreatyCESCR {
		return casefile.Errorf(casefile.EINVALID, "", "treaty %q is not cat or cescr", o.Treaty)
	}
	if len(o.State) != 2 || strings.ToUpper(o.State) != o.State {
		return casefile.Errorf(casefile.EINVALID, "", "state %q is not an ISO 3166-1 code such as RU", o.State)
	}
	if o.Lang == "" {
		o.Lang = "en"
	}
	if o.Lang != "en" && o.Lang != "ru" {
		return casefile.Errorf(casefile.EINVALID, "", "language %q is not en or ru", o.Lang)
	}
	if o.From != 0 && o.To != 0 && o.To < o.From {
		return casefile.Errorf(casefile.EINVALID, "", "period ends (%d) before it starts (%d)", o.To, o.From)
	}
	if o.Now.IsZero() {
		o.Now = time.Now().UTC()
	}
	return nil
}

// Report is a shadow report before it is written out: every figure, finding, vignette and
// footnote it will show. The renderers only lay it out.
type Report struct {
	Treaty       string    `json:"treaty"`
	State        string    `json:"state"`
	Lang         string    `json:"lang"`
	From, To     int       `json:"-"`
	Date         time.Time `json:"date"`
	Organisation string    `json:"organisation,omitempty"`
	Acts         int       `json:"acts"`       // acts with a finding under the treaty in the period
	Situations   int       `json:"situations"` // events assessed as situations
	Victims      int       `json:"victims"`    // distinct victim records
	Withheld     int       `json:"withheld"`   // people whose cases are left out because consent does not allow them
	withheld     map[string]bool
	Indicators   []Figure   `json:"indicators"`
	Sections     []*Section `json:"sections"`
	Notes        *Notes     `json:"-"`
	Statuses     []Count    `json:"statuses"` // assessments by status (draft, reviewed)
	Undetermined int        `json:"undetermined"`
	Undated      int        `json:"undated"`    // acts left out of a period for want of a date
	Unreviewed   int        `json:"unreviewed"` // assessments left out by ReviewedOnly
	Domains      []*Domain  `json:"domains"`    // the findings by domain, in the reference paper's order
	tr           func(string) string
}

// Section is one article (or group of articles) of the treaty.
type Section struct {
	Key        string      `json:"key"`
	Articles   string      `json:"articles"` // "1", "12–15", "2(2)"
	Subjects   int         `json:"subjects"` // acts and situations with a finding under it
	Alleged    int         `json:"alleged"`
	Corrob     int         `json:"corroborated"`
	Establ     int         `json:"established"`
	Contested  int         `json:"contested"`
	ByDomain   []Count     `json:"by_domain"`
	BySetting  []Count     `json:"by_setting"`
	ByPerp     []Count     `json:"by_perpetrator"`
	ByYear     []Count     `json:"by_year"`
	Findings   []Finding   `json:"findings"`
	Vignettes  []Vignette  `json:"vignettes"`
	Indicators []Figure    `json:"indicators"`
	Quotations []Quotation `json:"quotations"`
}

// Domain summarises one domain of the documentation (media, health care, drug treatment, law
// enforcement, prison): how many acts are documented, what the assessments found, and quotations.
type Domain struct {
	Code       string      `json:"code"`
	Label      string      `json:"label"`
	Acts       int         `json:"acts"`
	Findings   []Count     `json:"findings"` // outcome wording → acts
	Quotations []Quotation `json:"quotations"`
}

// Count is one row of a breakdown.
type Count struct {
	Code  string `json:"code"`
	Label string `json:"label"`
	N     int    `json:"n"`
}

// Finding is one legal conclusion reached in one domain: how many acts the engine assessed with
// that outcome and evidence label, and example reason chains.
type Finding struct {
	Domain    string  `json:"domain"`
	Code      string  `json:"code"`
	Label     string  `json:"evidence_label"`
	Wording   string  `json:"wording"` // "alleged torture (CAT Art. 1)"
	N         int     `json:"n"`
	Contested int     `json:"contested"`
	Chains    []Chain `json:"chains"`
}

// Chain is one example reason chain.
type Chain struct {
	Rule    string   `json:"rule"`
	Steps   []string `json:"steps"`
	Notes   []int    `json:"notes,omitempty"`
	Reasons []string `json:"contested_reasons,omitempty"`
}

// Vignette is an anonymised case: the person's descriptor, what happened, and testimony quoted.
type Vignette struct {
	PersonID   string   `json:"-"`
	ActID      string   `json:"-"`
	Descriptor string   `json:"descriptor"`
	Context    string   `json:"context"`
	Wording    string   `json:"wording"`
	Quotes     []string `json:"quotes"`
	Notes      []int    `json:"notes,omitempty"`
}

// Figure is an indicator as the report shows it.
type Figure struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Value   string `json:"value"`
	Year    string `json:"year,omitempty"`
	Geo     string `json:"geography,omitempty"`
	Note    string `json:"note,omitempty"`
	Formula string `json:"formula,omitempty"` // rendered with names, for derived indicators
	Notes   []int  `json:"notes,omitempty"`
	domain  string
}

// Quotation is a media quotation.
type Quotation struct {
	Text   string `json:"text"`
	Outlet string `json:"outlet"`
	Notes  []int  `json:"notes,omitempty"`
}

// Footnote is one numbered note; every footnote cites a source of the store.
type Footnote struct {
	N        int    `json:"n"`
	SourceID string `json:"source_id"`
	Text     string `json:"text"`
}

// Notes numbers footnotes in order of first citation, one per source and locator.
type Notes struct {
	List    []Footnote
	byKey   map[string]int
	cited   map[string]bool
	sources map[string]*casefile.Source
}

func newNotes(sources map[string]*casefile.Source) *Notes {
	return &Notes{byKey: map[string]int{}, cited: map[string]bool{}, sources: sources}
}

// cite returns the footnote number for the source at locator, 0 when the source is unknown: a
// footnote that would not resolve to a source is never made.
func (n *Notes) cite(sourceID, locator string) int {
	s := n.sources[sourceID]
	if s == nil {
		return 0
	}
	key := sourceID + "\x00" + locator
	if k, ok := n.byKey[key]; ok {
		return k
	}
	k := len(n.List) + 1
	text := citation(s)
	if n.cited[sourceID] && s.Title != "" && locator != "" {
		// The full citation was given at the source's first note; later notes use its short title.
		text = s.Title
	}
	n.cited[sourceID] = true
	if locator != "" && !citesLocator(text, locator) {
		text = strings.TrimSuffix(text, ".") + ", " + locator
	}
	n.List = append(n.List, Footnote{N: k, SourceID: sourceID, Text: text})
	n.byKey[key] = k
	return k
}

// citesLocator reports whether a citation names the locator already ("… Footnote 31." for "fn. 31").
func citesLocator(citation, locator string) bool {
	if strings.Contains(citation, locator) {
		return true
	}
	for _, p := range []string{"fn. ", "fns. "} {
		if rest, ok := strings.CutPrefix(locator, p); ok {
			return strings.Contains(citation, "ootnote "+rest) || strings.Contains(citation, "ootnotes "+rest)
		}
	}
	return false
}

func citation(s *casefile.Source) string {
	c := s.Citation
	if c == "" {
		parts := []string{}
		for _, p := range []string{s.Author, s.Title, s.Outlet, s.Published} {
			if p != "" {
				parts = append(parts, p)
			}
		}
		c = strings.Join(parts, ", ")
	}
	if s.URL != "" && !strings.Contains(c, s.URL) {
		c += ". " + s.URL
	}
	return c
}

func addNote(list []int, n int) []int {
	if n == 0 {
		return list
	}
	for _, x := range list {
		if x == n {
			return list
		}
	}
	return append(list, n)
}

// articleDef is one section of a treaty's report.
type articleDef struct {
	key      string
	articles string
}

var treatySections = map[string][]articleDef{
	TreatyCAT:   {{"art1", "1"}, {"art2", "2"}, {"art10", "10"}, {"art12_15", "12–15"}, {"art16", "16"}},
	TreatyCESCR: {{"art12", "12"}, {"art2_2", "2(2)"}},
}

// treatyFramework names the legal framework pack whose assessments a treaty's report reads.
var treatyFramework = map[string]string{TreatyCAT: "cat", TreatyCESCR: "icescr12"}

// sectionFor places an outcome in its section, "" when the outcome is not a finding.
func sectionFor(treaty string, o casefile.Outcome) string {
	switch treaty {
	case TreatyCAT:
		switch o.Code {
		case "torture":
			return "art1"
		case "cidt":
			return "art16"
		case "cat2_failure":
			return "art2"
		case "cat_procedural", "cat10_failure", "cat_training":
			if strings.Contains(o.Article, "Art. 10") || o.Code != "cat_procedural" {
				return "art10"
			}
			return "art12_15"
		}
	case TreatyCESCR:
		if o.Code == "icescr2_2_discrimination" {
			return "art2_2"
		}
		if strings.HasPrefix(o.Code, "icescr12_") {
			return "art12"
		}
	}
	return ""
}

// domainOrder is the order of the reference paper's findings.
var domainOrder = map[string]int{"media": 0, "health_care": 1, "drug_treatment": 2, "law_enforcement": 3, "prison": 4}

func domainRank(d string) int {
	if r, ok := domainOrder[d]; ok {
		return r
	}
	return 10
}

var labelRank = map[string]int{casefile.StrengthAlleged: 0, casefile.StrengthCorroborated: 1, casefile.StrengthMedicallyConsistent: 1, casefile.StrengthEstablished: 2}

// normLabel maps an outcome's evidence label to the three the report counts; no label is alleged.
func normLabel(l string) string {
	switch l {
	case casefile.StrengthEstablished:
		return casefile.StrengthEstablished
	case casefile.StrengthCorroborated, casefile.StrengthMedicallyConsistent:
		return casefile.StrengthCorroborated
	}
	return casefile.StrengthAlleged
}

// data is everything a report reads from the store, loaded once and indexed.
type data struct {
	persons     map[string]*casefile.Person
	consents    map[string]*casefile.Consent
	sources     map[string]*casefile.Source
	sourceList  []*casefile.Source
	testimonies map[string]*casefile.Testimony
	byPerson    map[string][]*casefile.Testimony
	events      map[string]*casefile.Event
	acts        map[string]*casefile.Act
	infoByAct   map[string][]*casefile.Information
	infoByEvent map[string][]*casefile.Information
	indicators  []*casefile.Indicator
	assessments []*casefile.Assessment
}

func load(ctx context.Context, st Store, framework string) (*data, error) {
	d := &data{persons: map[string]*casefile.Person{}, consents: map[string]*casefile.Consent{},
		sources: map[string]*casefile.Source{}, testimonies: map[string]*casefile.Testimony{},
		byPerson: map[string][]*casefile.Testimony{}, events: map[string]*casefile.Event{},
		acts: map[string]*casefile.Act{}, infoByAct: map[string][]*casefile.Information{},
		infoByEvent: map[string][]*casefile.Information{}}
	var (
		persons  []*casefile.Person
		consents []*casefile.Consent
		ts       []*casefile.Testimony
		events   []*casefile.Event
		acts     []*casefile.Act
		infos    []*casefile.Information
	)
	// The reads run one after another: the SQLite store's read transactions take the write lock
	// (its DSN sets _txlock=immediate for both pools), so concurrent reads would only queue, and
	// under load time out as "database is locked".
	fw := framework
	for _, fn := range []func() error{
		func() (err error) {
			d.assessments, _, err = st.FindAssessments(ctx, casefile.AssessmentFilter{Framework: &fw, LatestOnly: true})
			return
		},
		func() (err error) { acts, _, err = st.FindActs(ctx, casefile.ActFilter{}); return },
		func() (err error) { persons, _, err = st.FindPersons(ctx, casefile.PersonFilter{}); return },
		func() (err error) { events, _, err = st.FindEvents(ctx, casefile.EventFilter{}); return },
		func() (err error) { consents, err = st.FindConsents(ctx); return },
		func() (err error) { d.sourceList, _, err = st.FindSources(ctx, casefile.SourceFilter{}); return },
		func() (err error) { ts, _, err = st.FindTestimonies(ctx, casefile.TestimonyFilter{}); return },
		func() (err error) { infos, err = st.FindInformation(ctx, casefile.InformationFilter{}); return },
		func() (err error) { d.indicators, _, err = st.FindIndicators(ctx, casefile.IndicatorFilter{}); return },
	} {
		if err := fn(); err != nil {
			return nil, err
		}
	}
	for _, p := range persons {
		d.persons[p.ID] = p
	}
	for _, c := range consents { // latest first per person: the first seen is the effective one
		if _, ok := d.consents[c.PersonID]; !ok {
			d.consents[c.PersonID] = c
		}
	}
	for _, s := range d.sourceList {
		d.sources[s.ID] = s
	}
	for _, t := range ts {
		d.testimonies[t.ID] = t
		if t.PersonID != "" {
			d.byPerson[t.PersonID] = append(d.byPerson[t.PersonID], t)
		}
	}
	for _, e := range events {
		d.events[e.ID] = e
	}
	for _, a := range acts {
		d.acts[a.ID] = a
	}
	for _, in := range infos {
		if in.ActID != "" {
			d.infoByAct[in.ActID] = append(d.infoByAct[in.ActID], in)
		}
		if in.EventID != "" {
			d.infoByEvent[in.EventID] = append(d.infoByEvent[in.EventID], in)
		}
	}
	sort.Slice(d.assessments, func(i, j int) bool { return d.assessments[i].ID < d.assessments[j].ID })
	return d, nil
}

// subject is one act or situation with findings in one section.
type subject struct {
	act    *casefile.Act
	event  *casefile.Event
	label  string // weakest label of its outcomes in the section
	contes bool
	outs   []casefile.Outcome
	asmt   *casefile.Assessment
}

type findingKey struct{ domain, code, label string }

type sectionAcc struct {
	def      articleDef
	subjects map[string]*subject
	order    []string
}

// Build reads the store and computes the shadow report. EINVALID for bad options; storage errors
// as the store returns them.
func Build(ctx context.Context, st Store, opt Options) (*Report, error) {
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	d, err := load(ctx, st, treatyFramework[opt.Treaty])
	if err != nil {
		return nil, err
	}
	r := &Report{Treaty: opt.Treaty, State: opt.State, Lang: opt.Lang, From: opt.From, To: opt.To,
		Date: opt.Now, Organisation: opt.Organisation, tr: translator(opt.Lang), withheld: map[string]bool{}}
	r.Notes = newNotes(d.sources)
	lab := labeller{vocab: opt.Vocab, lang: opt.Lang}

	accs := map[string]*sectionAcc{}
	for _, def := range treatySections[opt.Treaty] {
		accs[def.key] = &sectionAcc{def: def, subjects: map[string]*subject{}}
	}
	statuses := map[string]int{}
	allActs, allSituations, victims := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, a := range d.assessments {
		var act *casefile.Act
		var ev *casefile.Event
		key := ""
		if a.ActID != "" {
			act = d.acts[a.ActID]
			if act == nil {
				continue
			}
			ev = d.events[act.EventID]
			key = "act:" + act.ID
		} else {
			ev = d.events[a.EventID]
			key = "event:" + a.EventID
		}
		if ok, _ := inScope(act, ev, opt); !ok {
			continue
		}
		if opt.ReviewedOnly && a.Status != casefile.AssessmentReviewed {
			r.Unreviewed++
			continue
		}
		statuses[a.Status]++
		found := false
		for _, o := range a.Outcomes {
			if o.Code == "insufficient_information" {
				r.Undetermined++
			}
			sk := sectionFor(opt.Treaty, o)
			if sk == "" || accs[sk] == nil {
				continue
			}
			found = true
			acc := accs[sk]
			s := acc.subjects[key]
			if s == nil {
				s = &subject{act: act, event: ev, label: casefile.StrengthEstablished, asmt: a}
				acc.subjects[key] = s
				acc.order = append(acc.order, key)
			}
			l := normLabel(o.EvidenceLabel)
			if labelRank[l] < labelRank[s.label] {
				s.label = l
			}
			s.contes = s.contes || o.Contested
			s.outs = append(s.outs, o)
		}
		if found {
			if act != nil {
				allActs[act.ID] = true
				victims[act.VictimID] = true
			} else {
				allSituations[ev.ID] = true
			}
		}
	}
	r.Acts, r.Situations, r.Victims = len(allActs), len(allSituations), len(victims)
	for _, k := range sortedKeys(statuses) {
		r.Statuses = append(r.Statuses, Count{Code: k, Label: r.tr("status." + k), N: statuses[k]})
	}

	// Indicators for the state, with derived values computed from their inputs.
	values, _ := Derive(d.indicators)
	indByID := map[string]*casefile.Indicator{}
	for _, ind := range d.indicators {
		indByID[ind.ID] = ind
	}
	inds := append([]*casefile.Indicator(nil), d.indicators...)
	sort.SliceStable(inds, func(i, j int) bool {
		if a, b := domainRank(inds[i].Domain), domainRank(inds[j].Domain); a != b {
			return a < b
		}
		return inds[i].ID < inds[j].ID
	})
	for _, ind := range inds {
		if ind.Geography != "" && ind.Geography != opt.State && !strings.HasPrefix(ind.Geography, opt.State+"-") {
			continue
		}
		v, ok := values[ind.ID]
		if !ok {
			continue // a derived figure that cannot be computed is not shown as a number
		}
		r.Indicators = append(r.Indicators, r.figure(ind, v, indByID))
	}

	for _, def := range treatySections[opt.Treaty] {
		r.Sections = append(r.Sections, r.section(accs[def.key], d, lab, opt))
	}
	r.domains(d, accs, lab, opt)
	return r, nil
}

// inScope reports whether an act or situation belongs to the report's State and period; undated
// is true when a period was asked for and the record has no year.
func inScope(act *casefile.Act, ev *casefile.Event, opt Options) (ok, undated bool) {
	if ev == nil || (ev.Country != "" && ev.Country != opt.State) {
		return false, false
	}
	if opt.From == 0 && opt.To == 0 {
		return true, false
	}
	lo, hi := subjectYears(act, ev)
	if lo == 0 {
		return false, true
	}
	// A date range is in the period when it overlaps it.
	return (opt.From == 0 || hi >= opt.From) && (opt.To == 0 || lo <= opt.To), false
}

// subjectYears is the first and last year of the act's date (the event's when the act has none).
func subjectYears(act *casefile.Act, ev *casefile.Event) (lo, hi int) {
	d := ev.Date
	if act != nil && act.Date.Year() != 0 {
		d = act.Date
	}
	lo, hi = d.Year(), d.Year()
	if d.Precision == casefile.PrecisionRange {
		if end := (casefile.PartialDate{Start: d.End}).Year(); end > hi {
			hi = end
		}
	}
	return lo, hi
}

// domains summarises the documentation by domain, every act in scope counted whether or not an
// assessment reached a finding.
func (r *Report) domains(d *data, accs map[string]*sectionAcc, lab labeller, opt Options) {
	byCode := map[string]*Domain{}
	actsBy := map[string][]*casefile.Act{}
	for _, id := range sortedKeys(d.acts) {
		act := d.acts[id]
		ev := d.events[act.EventID]
		ok, undated := inScope(act, ev, opt)
		if undated {
			r.Undated++
		}
		if !ok {
			continue
		}
		dm := byCode[ev.Domain]
		if dm == nil {
			dm = &Domain{Code: ev.Domain, Label: lab.label("domain", ev.Domain)}
			byCode[ev.Domain] = dm
		}
		dm.Acts++
		actsBy[ev.Domain] = append(actsBy[ev.Domain], act)
	}
	findings := map[string]map[string]int{}
	for _, def := range treatySections[opt.Treaty] {
		acc := accs[def.key]
		for _, key := range acc.order {
			sub := acc.subjects[key]
			dom := sub.event.Domain
			if findings[dom] == nil {
				findings[dom] = map[string]int{}
			}
			seen := map[string]bool{}
			for _, o := range sub.outs {
				w := r.wording(o.Code, normLabel(o.EvidenceLabel))
				if !seen[w] {
					seen[w] = true
					findings[dom][w]++
				}
			}
		}
	}
	for code, dm := range byCode {
		for w, n := range findings[code] {
			dm.Findings = append(dm.Findings, Count{Label: w, N: n})
		}
		sort.Slice(dm.Findings, func(i, j int) bool {
			if dm.Findings[i].N != dm.Findings[j].N {
				return dm.Findings[i].N > dm.Findings[j].N
			}
			return dm.Findings[i].Label < dm.Findings[j].Label
		})
		seen := map[string]bool{}
		for _, act := range actsBy[code] {
			for _, in := range d.infoByAct[act.ID] {
				if q, ok := r.quotation(in, d, seen); ok && len(dm.Quotations) < maxQuotations {
					dm.Quotations = append(dm.Quotations, q)
				}
			}
		}
		r.Domains = append(r.Domains, dm)
	}
	sort.Slice(r.Domains, func(i, j int) bool {
		a, b := r.Domains[i].Code, r.Domains[j].Code
		if domainRank(a) != domainRank(b) {
			return domainRank(a) < domainRank(b)
		}
		return a < b
	})
}

// quotation returns the quotation an information link points at: a source with a recorded quote
// (media reports, and the official statements the media carried).
func (r *Report) quotation(in *casefile.Information, d *data, seen map[string]bool) (Quotation, bool) {
	src := d.sources[in.SourceID]
	if src == nil || src.Quote.IsZero() || seen[src.ID] || src.Kind == "interview" {
		return Quotation{}, false
	}
	seen[src.ID] = true
	text, _ := src.Quote.In(r.Lang)
	outlet := src.Outlet
	if outlet == "" {
		outlet = src.Title
	}
	return Quotation{Text: text, Outlet: outlet, Notes: addNote(nil, r.Notes.cite(src.ID, in.Locator))}, true
}

func (r *Report) figure(ind *casefile.Indicator, v float64, byID map[string]*casefile.Indicator) Figure {
	name := ind.Name
	if r.Lang == "ru" && ind.NameRU != "" {
		name = ind.NameRU
	}
	f := Figure{ID: ind.ID, Name: name, Value: formatValue(ind.Qualifier, v, ind.Unit, r.Lang), Year: ind.Year, Geo: ind.Geography, Note: ind.Note, domain: ind.Domain}
	f.Notes = addNote(f.Notes, r.Notes.cite(ind.SourceID, ind.Locator))
	if ind.Formula != "" {
		if fo, err := ParseFormula(ind.Formula); err == nil {
			f.Formula = fo.Render(func(id string) string {
				if in := byID[id]; in != nil {
					n := in.Name
					if r.Lang == "ru" && in.NameRU != "" {
						n = in.NameRU
					}
					return "[" + n + "]"
				}
				return id
			})
			for _, id := range fo.Inputs() {
				if in := byID[id]; in != nil {
					f.Notes = addNote(f.Notes, r.Notes.cite(in.SourceID, in.Locator))
				}
			}
		}
	}
	return f
}

func subjectYear(act *casefile.Act, ev *casefile.Event) int {
	if act != nil {
		if y := act.Date.Year(); y != 0 {
			return y
		}
	}
	return ev.Date.Year()
}

func (r *Report) section(acc *sectionAcc, d *data, lab labeller, opt Options) *Section {
	s := &Section{Key: acc.def.key, Articles: acc.def.articles}
	domains, settings, perps, years := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	findings := map[findingKey]*Finding{}
	rulesSeen := map[findingKey]map[string]bool{}
	sort.Strings(acc.order)
	for _, key := range acc.order {
		sub := acc.subjects[key]
		s.Subjects++
		switch sub.label {
		case casefile.StrengthAlleged:
			s.Alleged++
		case casefile.StrengthCorroborated:
			s.Corrob++
		default:
			s.Establ++
		}
		if sub.contes {
			s.Contested++
		}
		dom := sub.event.Domain
		domains[dom]++
		setting := sub.event.Setting
		if sub.act != nil && sub.act.Setting != "" {
			setting = sub.act.Setting
		}
		settings[setting]++
		if sub.act != nil {
			seen := map[string]bool{}
			for _, inv := range sub.act.Involvements {
				if !seen[inv.PerpetratorType] {
					seen[inv.PerpetratorType] = true
					perps[inv.PerpetratorType]++
				}
			}
		}
		y := subjectYear(sub.act, sub.event)
		ys := "unknown"
		if y != 0 {
			ys = strconv.Itoa(y)
		}
		years[ys]++
		perCode := map[string]bool{}
		for _, o := range sub.outs {
			fk := findingKey{dom, o.Code, normLabel(o.EvidenceLabel)}
			f := findings[fk]
			if f == nil {
				f = &Finding{Domain: lab.label("domain", dom), Code: o.Code, Label: fk.label, Wording: r.wording(o.Code, fk.label)}
				findings[fk] = f
				rulesSeen[fk] = map[string]bool{}
			}
			if !perCode[o.Code+fk.label] {
				perCode[o.Code+fk.label] = true
				f.N++
				if o.Contested {
					f.Contested++
				}
			}
			rule := strings.Join(o.Rules, ", ")
			if !rulesSeen[fk][rule] && len(f.Chains) < maxChains {
				rulesSeen[fk][rule] = true
				f.Chains = append(f.Chains, r.chain(o, sub.asmt))
			}
		}
	}
	s.ByDomain = lab.counts("domain", domains, func(a, b string) bool {
		if domainRank(a) != domainRank(b) {
			return domainRank(a) < domainRank(b)
		}
		return a < b
	})
	s.BySetting = lab.counts("setting", settings, nil)
	s.ByPerp = lab.counts("perpetrator_type", perps, nil)
	s.ByYear = lab.counts("year", years, func(a, b string) bool { return a < b })
	keys := make([]findingKey, 0, len(findings))
	for k := range findings {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if domainRank(a.domain) != domainRank(b.domain) {
			return domainRank(a.domain) < domainRank(b.domain)
		}
		if a.domain != b.domain {
			return a.domain < b.domain
		}
		if a.code != b.code {
			return a.code < b.code
		}
		return labelRank[a.label] > labelRank[b.label]
	})
	for _, k := range keys {
		s.Findings = append(s.Findings, *findings[k])
	}
	r.vignettes(s, acc, d, lab, opt)
	// Indicators of the domains the section's findings are in.
	for _, f := range r.Indicators {
		if f.domain != "" && domains[f.domain] > 0 {
			s.Indicators = append(s.Indicators, f)
		}
	}
	r.quotations(s, acc, d)
	return s
}

func (r *Report) chain(o casefile.Outcome, a *casefile.Assessment) Chain {
	c := Chain{Rule: strings.Join(o.Rules, ", "), Reasons: o.ContestedReasons}
	for _, rs := range o.ReasonChain {
		var step string
		switch {
		case rs.Element != "":
			step = rs.Element + " = " + rs.Answer
			if rs.Strength != "" {
				step += " (" + r.tr("strength."+normLabel(rs.Strength)) + ")"
			}
			if ans, ok := a.Answers[rs.Element]; ok {
				for _, sid := range ans.SourceIDs {
					c.Notes = addNote(c.Notes, r.Notes.cite(sid, ""))
				}
			}
		case rs.Rule != "":
			step = r.tr("rule") + " " + rs.Rule
			if rs.Text != "" {
				step += ": " + rs.Text
			}
		default:
			step = rs.Text
		}
		if rs.Source != "" {
			if n := r.Notes.cite(rs.Source, ""); n != 0 {
				c.Notes = addNote(c.Notes, n)
			} else {
				step += " [" + rs.Source + "]"
			}
		}
		if step != "" {
			c.Steps = append(c.Steps, step)
		}
	}
	return c
}

// vignettes picks anonymised cases for the section: only acts whose victim (and whoever gave the
// testimony) consented to UN submission at the report's date, none marked confidential.
func (r *Report) vignettes(s *Section, acc *sectionAcc, d *data, lab labeller, opt Options) {
	people := map[string]bool{}
	for _, key := range acc.order {
		sub := acc.subjects[key]
		if sub.act == nil {
			continue
		}
		act := sub.act
		p := d.persons[act.VictimID]
		if p == nil || people[p.ID] {
			continue
		}
		quotes, notes, ok := r.testimonyFor(sub, p, d, opt)
		if !ok {
			if (len(quotes) > 0 || hasTestimony(sub, p, d)) && !r.withheld[p.ID] {
				r.withheld[p.ID] = true
				r.Withheld++
			}
			continue
		}
		if len(quotes) == 0 {
			continue
		}
		if len(s.Vignettes) >= maxVignettes {
			continue
		}
		people[p.ID] = true
		ctxParts := []string{}
		setting := sub.event.Setting
		if act.Setting != "" {
			setting = act.Setting
		}
		if setting != "" {
			ctxParts = append(ctxParts, lab.label("setting", setting))
		}
		city := act.City
		if city == "" {
			city = sub.event.City
		}
		if city != "" && !strings.Contains(p.Descriptor, city) {
			ctxParts = append(ctxParts, city)
		}
		date := act.Date
		if date.Start == "" {
			date = sub.event.Date
		}
		if date.Start != "" {
			ctxParts = append(ctxParts, dateText(date, r.tr))
		}
		codes := []string{}
		seen := map[string]bool{}
		for _, o := range sub.outs {
			w := r.wording(o.Code, normLabel(o.EvidenceLabel))
			if !seen[w] {
				seen[w] = true
				codes = append(codes, w)
			}
		}
		s.Vignettes = append(s.Vignettes, Vignette{PersonID: p.ID, ActID: act.ID, Descriptor: p.Descriptor,
			Context: strings.Join(ctxParts, ", "), Wording: strings.Join(codes, "; "), Quotes: quotes, Notes: notes})
	}
}

func hasTestimony(sub *subject, p *casefile.Person, d *data) bool {
	return len(d.byPerson[p.ID]) > 0 || len(passageRefs(sub.asmt)) > 0
}

// allowed reports whether the person's consent allows a UN submission at t.
func (d *data) allowed(personID string, t time.Time) bool {
	p := d.persons[personID]
	if p == nil || p.Confidential {
		return false
	}
	return d.consents[personID].Allows(casefile.ConsentUN, t)
}

func passageRefs(a *casefile.Assessment) []casefile.PassageRef {
	if a == nil {
		return nil
	}
	var out []casefile.PassageRef
	for _, el := range sortedKeys(a.Answers) {
		out = append(out, a.Answers[el].Passages...)
	}
	return out
}

// testimonyFor returns the passages to quote for the act, with their footnotes; ok is false when
// consent or confidentiality forbids quoting anything about this person.
func (r *Report) testimonyFor(sub *subject, p *casefile.Person, d *data, opt Options) (quotes []string, notes []int, ok bool) {
	if sub.act.Confidential || !d.allowed(p.ID, opt.Now) {
		return nil, nil, false
	}
	type pick struct {
		t   *casefile.Testimony
		ids map[string]bool // nil: every passage
	}
	var picks []pick
	byT := map[string]map[string]bool{}
	for _, ref := range passageRefs(sub.asmt) {
		if byT[ref.TestimonyID] == nil {
			byT[ref.TestimonyID] = map[string]bool{}
			if t := d.testimonies[ref.TestimonyID]; t != nil {
				picks = append(picks, pick{t: t, ids: byT[ref.TestimonyID]})
			}
		}
		byT[ref.TestimonyID][ref.PassageID] = true
	}
	if len(picks) == 0 {
		for _, in := range d.infoByAct[sub.act.ID] {
			if t := d.testimonies[in.TestimonyID]; t != nil {
				picks = append(picks, pick{t: t})
			}
		}
	}
	if len(picks) == 0 {
		for _, t := range d.byPerson[p.ID] {
			picks = append(picks, pick{t: t})
		}
	}
	for _, pk := range picks {
		t := pk.t
		if t.Confidential || (t.PersonID != "" && t.PersonID != p.ID && !d.allowed(t.PersonID, opt.Now)) {
			return nil, nil, false
		}
		n := 0
		for _, ps := range t.Passages {
			if pk.ids != nil && !pk.ids[ps.ID] {
				continue
			}
			if q := strings.TrimSpace(ps.Text(t.Narrative.Body)); q != "" {
				quotes = append(quotes, q)
				n++
			}
		}
		if n > 0 {
			src, loc := t.SourceID, ""
			for _, in := range d.infoByAct[sub.act.ID] {
				if in.TestimonyID == t.ID && (src == "" || in.SourceID == src) {
					src, loc = in.SourceID, in.Locator
					break
				}
			}
			notes = addNote(notes, r.Notes.cite(src, loc))
		}
	}
	return quotes, notes, true
}

// quotations gathers the quotations linked to the section's acts and situations.
func (r *Report) quotations(s *Section, acc *sectionAcc, d *data) {
	seen := map[string]bool{}
	add := func(in *casefile.Information) {
		if q, ok := r.quotation(in, d, seen); ok && len(s.Quotations) < maxQuotations {
			s.Quotations = append(s.Quotations, q)
		}
	}
	for _, key := range acc.order {
		sub := acc.subjects[key]
		if sub.act != nil {
			for _, in := range d.infoByAct[sub.act.ID] {
				add(in)
			}
		}
		for _, in := range d.infoByEvent[sub.event.ID] {
			add(in)
		}
	}
}

// labeller turns vocabulary codes into labels in the report's language.
type labeller struct {
	vocab casefile.Vocabularies
	lang  string
}

func (l labeller) label(vocab, code string) string {
	if code == "" || code == "unknown" {
		return translator(l.lang)("unknown")
	}
	if vocab == "year" {
		return code
	}
	if l.vocab != nil {
		return l.vocab.Label(vocab, code, l.lang)
	}
	return strings.ReplaceAll(code, "_", " ")
}

// counts turns a tally into rows, largest first unless less orders them.
func (l labeller) counts(vocab string, m map[string]int, less func(a, b string) bool) []Count {
	out := make([]Count, 0, len(m))
	for k, n := range m {
		out = append(out, Count{Code: k, Label: l.label(vocab, k), N: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if less != nil {
			return less(out[i].Code, out[j].Code)
		}
		if out[i].N != out[j].N {
			return out[i].N > out[j].N
		}
		return out[i].Code < out[j].Code
	})
	return out
}

// wording names an outcome as §8.0 of the framework reference asks: the evidence label first, so
// that an allegation is never read as a finding.
func (r *Report) wording(code, label string) string {
	name := r.tr("outcome." + code)
	if name == "outcome."+code {
		name = strings.ReplaceAll(code, "_", " ")
	}
	return fmt.Sprintf(r.tr("wording."+label), name)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// formatValue writes a figure as people read it in the language: 222,600 or 222 600; 75%.
func formatValue(qualifier string, v float64, unit, lang string) string {
	s := formatNumber(v, lang)
	if unit == "percent" || unit == "%" {
		s += "%"
	} else if unit != "" {
		u := translator(lang)("unit." + unit)
		if u == "unit."+unit {
			u = unit
		}
		if u != "" {
			s += " " + u
		}
	}
	if qualifier != "" {
		s = qualifier + " " + s
	}
	return s
}

func formatNumber(v float64, lang string) string {
	neg := v < 0
	if neg {
		v = -v
	}
	var s string
	if v == float64(int64(v)) && v < 1e15 {
		s = strconv.FormatInt(int64(v), 10)
	} else {
		s = strconv.FormatFloat(v, 'f', 2, 64)
		if v < 10 {
			s = strconv.FormatFloat(v, 'f', 3, 64)
		}
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i+1:]
	}
	sep, dec := ",", "."
	if lang == "ru" {
		sep, dec = " ", ","
	}
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 && len(intPart) > 4 || i > 0 && (len(intPart)-i)%3 == 0 && len(intPart) == 4 && lang != "ru" {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	out := b.String()
	if frac != "" {
		out += dec + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}
