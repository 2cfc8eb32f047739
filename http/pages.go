package http

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/casefile/casefile"
)

// visible reports whether the caller may see a record; one they may not see is "not found", so
// that its existence is not revealed either.
func visible(r *http.Request, confidential bool, createdBy string) bool {
	u := callerOf(r).user
	return u != nil && u.CanSee(confidential, createdBy)
}

func hidden(kind, id string) error {
	return casefile.Errorf(casefile.ENOTFOUND, "", "no %s %s", kind, id)
}

// Dashboard.

type bar struct {
	Label string
	Code  string
	N     int
	Width int // of the longest bar's 100
	Y     int
}

type chart struct {
	Title  string
	Dim    string
	Bars   []bar
	Height int
}

type dashboardView struct {
	Page
	Totals    map[string]int
	Charts    []chart
	CountedAt time.Time
}

// dashCache keeps the dashboard's counts: they scan every act (about a second at 100,000 acts),
// so a dashboard older than dashTTL is shown as it is while one refresh runs in the background,
// and only the very first view waits for the counting.
type dashCache struct {
	mu         sync.Mutex
	at         time.Time
	totals     map[string]int
	counts     map[string]map[string]int
	refreshing bool
}

const dashTTL = 15 * time.Second

var dashDims = []struct{ Dim, Vocab, Title string }{
	{"domain", "domain", "Acts by domain"},
	{"setting", "setting", "Acts by setting"},
	{"perpetrator_type", "perpetrator_type", "Acts by perpetrator type"},
	{"year", "", "Acts by year"},
	{"region", "", "Acts by region"},
}

func (s *Server) dashCounts(ctx context.Context) (map[string]int, map[string]map[string]int, time.Time, error) {
	s.dash.mu.Lock()
	if s.dash.counts != nil {
		totals, counts, at := s.dash.totals, s.dash.counts, s.dash.at
		if s.cfg.Now().Sub(at) >= dashTTL && !s.dash.refreshing {
			s.dash.refreshing = true
			go func() {
				// The refresh outlives the request that started it.
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				totals, counts, err := s.countNow(ctx)
				s.dash.mu.Lock()
				defer s.dash.mu.Unlock()
				s.dash.refreshing = false
				if err != nil {
					s.log.Error("dashboard counts failed", "err", err)
					return
				}
				s.dash.at, s.dash.totals, s.dash.counts = s.cfg.Now(), totals, counts
			}()
		}
		s.dash.mu.Unlock()
		return totals, counts, at, nil
	}
	s.dash.mu.Unlock()
	totals, counts, err := s.countNow(ctx)
	if err != nil {
		return nil, nil, time.Time{}, err
	}
	s.dash.mu.Lock()
	defer s.dash.mu.Unlock()
	now := s.cfg.Now()
	s.dash.at, s.dash.totals, s.dash.counts = now, totals, counts
	return totals, counts, now, nil
}

// Warm counts the dashboard once, so that the first person to open it after a start does not
// wait for the counting. It returns when the counts are in (or ctx ends).
func (s *Server) Warm(ctx context.Context) error {
	if s.cfg.Counter == nil {
		return nil
	}
	_, _, _, err := s.dashCounts(ctx)
	return err
}

// countNow counts every dimension of the dashboard.
func (s *Server) countNow(ctx context.Context) (map[string]int, map[string]map[string]int, error) {
	totals, err := s.cfg.Counter.CountAll(ctx)
	if err != nil {
		return nil, nil, err
	}
	counts := map[string]map[string]int{}
	for _, d := range dashDims {
		c, err := s.cfg.Counter.CountActs(ctx, d.Dim)
		if err != nil {
			return nil, nil, err
		}
		counts[d.Dim] = c
	}
	return totals, counts, nil
}

func (s *Server) handleDashboard(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "Dashboard", "dashboard")
	v := dashboardView{Page: p}
	if s.cfg.Counter == nil {
		s.render(w, r, http.StatusOK, "dashboard", v)
		return
	}
	totals, counts, at, err := s.dashCounts(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Totals, v.CountedAt = totals, at
	for _, d := range dashDims {
		c := counts[d.Dim]
		ch := chart{Title: p.T(d.Title), Dim: d.Dim}
		max := 0
		for code, n := range c {
			label := code
			if d.Vocab != "" {
				label = p.L(d.Vocab, code)
			} else if code == "" {
				label = p.T("not recorded")
			}
			ch.Bars = append(ch.Bars, bar{Label: label, Code: code, N: n})
			if n > max {
				max = n
			}
		}
		if d.Dim == "year" {
			sort.Slice(ch.Bars, func(i, j int) bool { return ch.Bars[i].Code < ch.Bars[j].Code })
		} else {
			sort.Slice(ch.Bars, func(i, j int) bool {
				if ch.Bars[i].N != ch.Bars[j].N {
					return ch.Bars[i].N > ch.Bars[j].N
				}
				return ch.Bars[i].Code < ch.Bars[j].Code
			})
			if len(ch.Bars) > 15 {
				ch.Bars = ch.Bars[:15]
			}
		}
		for i := range ch.Bars {
			if max > 0 {
				ch.Bars[i].Width = ch.Bars[i].N * 100 / max
			}
			ch.Bars[i].Y = i * 22
		}
		ch.Height = len(ch.Bars)*22 + 4
		v.Charts = append(v.Charts, ch)
	}
	s.render(w, r, http.StatusOK, "dashboard", v)
}

// Acts.

type actsView struct {
	Page
	Acts   []*casefile.Act
	Pager  pager
	Filter map[string]string
}

// actFilter reads the list filters from the query: vocabulary codes and a year, never free text.
func actFilter(q url.Values) (casefile.ActFilter, map[string]string, string) {
	var f casefile.ActFilter
	used := map[string]string{}
	base := url.Values{}
	str := func(key string, dst **string) {
		if v := q.Get(key); v != "" && casefile.ValidID(v) {
			*dst = &v
			used[key] = v
			base.Set(key, v)
		}
	}
	str("type", &f.Type)
	str("domain", &f.Domain)
	str("setting", &f.Setting)
	str("perpetrator_type", &f.PerpetratorType)
	str("event_id", &f.EventID)
	str("victim_id", &f.VictimID)
	if v := q.Get("region"); v != "" && len(v) < 100 {
		f.Region = &v
		used["region"] = v
		base.Set("region", v)
	}
	if y, err := strconv.Atoi(q.Get("year")); err == nil && y > 0 {
		f.Year = &y
		used["year"] = q.Get("year")
		base.Set("year", q.Get("year"))
	}
	b := "/acts"
	if len(base) > 0 {
		b += "?" + base.Encode()
	}
	return f, used, b
}

func (s *Server) handleActs(w http.ResponseWriter, r *http.Request) {
	f, used, base := actFilter(r.URL.Query())
	pg := newPager(r, base)
	f.Offset, f.Limit = pg.Offset, pg.Limit
	shown, total, hid, err := s.listActs(r, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg.setTotal(total)
	pg.Hidden = hid
	s.render(w, r, http.StatusOK, "acts", actsView{Page: s.page(r, "Acts", "acts"), Acts: shown, Pager: pg, Filter: used})
}

type actView struct {
	Page
	Act           *casefile.Act
	Event         *casefile.Event
	Victim        *casefile.Person
	Assessments   []*casefile.Assessment
	Information   []*casefile.Information
	Interventions []*casefile.Intervention
	Frameworks    []Framework
}

func (s *Server) handleAct(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	a, err := s.cfg.Store.FindActByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !visible(r, a.Confidential, a.CreatedBy) {
		s.fail(w, r, hidden("act", id))
		return
	}
	v := actView{Page: s.page(r, "Act", "acts"), Act: a}
	if v.Event, err = s.cfg.Store.FindEventByID(ctx, a.EventID); err != nil {
		s.fail(w, r, err)
		return
	}
	if vic, err := s.cfg.Store.FindPersonByID(ctx, a.VictimID); err == nil && visible(r, vic.Confidential, vic.CreatedBy) {
		v.Victim = vic
	}
	if v.Assessments, _, err = s.cfg.Store.FindAssessments(ctx, casefile.AssessmentFilter{ActID: &id}); err != nil {
		s.fail(w, r, err)
		return
	}
	if v.Information, err = s.cfg.Store.FindInformation(ctx, casefile.InformationFilter{ActID: &id}); err != nil {
		s.fail(w, r, err)
		return
	}
	if v.Interventions, err = s.cfg.Store.FindInterventions(ctx, id, ""); err != nil {
		s.fail(w, r, err)
		return
	}
	if s.cfg.Assessor != nil {
		v.Frameworks = s.cfg.Assessor.Frameworks(callerOf(r).lang)
	}
	s.render(w, r, http.StatusOK, "act", v)
}

// Events.

type eventsView struct {
	Page
	Events []*casefile.Event
	Pager  pager
}

func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	pg := newPager(r, "/events")
	var f casefile.EventFilter
	if d := r.URL.Query().Get("domain"); casefile.ValidID(d) {
		f.Domain = &d
		pg.Base = "/events?domain=" + d
	}
	f.Offset, f.Limit = pg.Offset, pg.Limit
	shown, total, hid, err := s.listEvents(r, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg.setTotal(total)
	pg.Hidden = hid
	s.render(w, r, http.StatusOK, "events", eventsView{Page: s.page(r, "Events", "events"), Events: shown, Pager: pg})
}

type eventView struct {
	Page
	Event *casefile.Event
	Acts  []*casefile.Act
}

func (s *Server) handleEvent(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	e, err := s.cfg.Store.FindEventByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !visible(r, e.Confidential, e.CreatedBy) {
		s.fail(w, r, hidden("event", id))
		return
	}
	acts, _, _, err := s.listActs(r, casefile.ActFilter{EventID: &id, Limit: 500})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := eventView{Page: s.page(r, "Event", "events"), Event: e, Acts: acts}
	s.render(w, r, http.StatusOK, "event", v)
}

// People.

type peopleView struct {
	Page
	People []*casefile.Person
	Pager  pager
}

func (s *Server) handlePeople(w http.ResponseWriter, r *http.Request) {
	pg := newPager(r, "/people")
	shown, total, hid, err := s.listPersons(r, casefile.PersonFilter{Offset: pg.Offset, Limit: pg.Limit})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg.setTotal(total)
	pg.Hidden = hid
	s.render(w, r, http.StatusOK, "people", peopleView{Page: s.page(r, "People", "people"), People: shown, Pager: pg})
}

type personView struct {
	Page
	Person      *casefile.Person
	Acts        []*casefile.Act
	Testimonies []*casefile.Testimony
	Consent     *casefile.Consent
}

func (s *Server) handlePerson(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	p, err := s.cfg.Store.FindPersonByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !visible(r, p.Confidential, p.CreatedBy) {
		s.fail(w, r, hidden("person", id))
		return
	}
	v := personView{Page: s.page(r, "Person", "people"), Person: p}
	if v.Acts, _, _, err = s.listActs(r, casefile.ActFilter{VictimID: &id, Limit: 200}); err != nil {
		s.fail(w, r, err)
		return
	}
	if v.Testimonies, _, _, err = s.listTestimonies(r, casefile.TestimonyFilter{PersonID: &id, Limit: 200}); err != nil {
		s.fail(w, r, err)
		return
	}
	if c, err := s.cfg.Store.FindConsent(ctx, id); err == nil {
		v.Consent = c
	}
	s.render(w, r, http.StatusOK, "person", v)
}

func (s *Server) handlePersonCreate(w http.ResponseWriter, r *http.Request) {
	p := &casefile.Person{
		Descriptor: strings.TrimSpace(r.PostFormValue("descriptor")), Sex: r.PostFormValue("sex"),
		Region: strings.TrimSpace(r.PostFormValue("region")), City: strings.TrimSpace(r.PostFormValue("city")),
		Characteristics: r.PostForm["characteristics"], CountingUnit: r.PostFormValue("counting_unit"),
		Notes: r.PostFormValue("notes"), Confidential: r.PostFormValue("confidential") != "",
	}
	if age, err := strconv.Atoi(r.PostFormValue("age")); err == nil {
		p.Age = &age
	}
	if err := s.checkVocab(map[string]string{"sex": p.Sex, "counting_unit": p.CountingUnit}); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.cfg.Store.CreatePerson(r.Context(), p); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/people/"+p.ID+"?flash=saved", http.StatusSeeOther)
}

// checkVocab checks codes against their vocabularies (name → code; empty codes pass).
func (s *Server) checkVocab(codes map[string]string) error {
	for name, code := range codes {
		if err := s.cfg.Vocab.Check(name, code, name); err != nil && s.cfg.Vocab[name] != nil {
			return err
		}
	}
	return nil
}

// Sources.

type sourcesView struct {
	Page
	Sources []*casefile.Source
	Pager   pager
}

func (s *Server) handleSources(w http.ResponseWriter, r *http.Request) {
	pg := newPager(r, "/sources")
	ss, total, err := s.cfg.Store.FindSources(r.Context(), casefile.SourceFilter{Offset: pg.Offset, Limit: pg.Limit})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg.setTotal(total)
	s.render(w, r, http.StatusOK, "sources", sourcesView{Page: s.page(r, "Sources", "sources"), Sources: ss, Pager: pg})
}

type sourceView struct {
	Page
	Source      *casefile.Source
	Evidence    []*casefile.EvidenceItem
	Information []*casefile.Information
	Uploads     bool
	MaxUploadMB int64
}

func (s *Server) handleSource(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	src, err := s.cfg.Store.FindSourceByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := sourceView{Page: s.page(r, "Source", "sources"), Source: src, Uploads: s.cfg.Evidence != nil, MaxUploadMB: s.cfg.MaxUpload >> 20}
	if v.Evidence, _, err = s.cfg.Store.FindEvidence(ctx, casefile.EvidenceFilter{SourceID: &id, Limit: 500}); err != nil {
		s.fail(w, r, err)
		return
	}
	if v.Information, err = s.cfg.Store.FindInformation(ctx, casefile.InformationFilter{SourceID: &id}); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "source", v)
}

func (s *Server) handleSourceCreate(w http.ResponseWriter, r *http.Request) {
	src := &casefile.Source{
		Kind: r.PostFormValue("kind"), Title: strings.TrimSpace(r.PostFormValue("title")), Citation: strings.TrimSpace(r.PostFormValue("citation")),
		Author: r.PostFormValue("author"), Outlet: r.PostFormValue("outlet"), Published: r.PostFormValue("published"),
		URL: strings.TrimSpace(r.PostFormValue("url")), Language: r.PostFormValue("language"), Reliability: r.PostFormValue("reliability"),
		Notes: r.PostFormValue("notes"),
	}
	if src.URL != "" {
		if u, err := url.Parse(src.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			s.fail(w, r, casefile.Errorf(casefile.EINVALID, "", "source: the URL must start with http:// or https://"))
			return
		}
	}
	if err := s.checkVocab(map[string]string{"source_kind": src.Kind, "reliability": src.Reliability}); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.cfg.Store.CreateSource(r.Context(), src); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/sources/"+src.ID+"?flash=saved", http.StatusSeeOther)
}

// Testimonies.

type testimoniesView struct {
	Page
	Testimonies []*casefile.Testimony
	Pager       pager
}

func (s *Server) handleTestimonies(w http.ResponseWriter, r *http.Request) {
	pg := newPager(r, "/testimonies")
	shown, total, hid, err := s.listTestimonies(r, casefile.TestimonyFilter{Offset: pg.Offset, Limit: pg.Limit})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg.setTotal(total)
	pg.Hidden = hid
	s.render(w, r, http.StatusOK, "testimonies", testimoniesView{Page: s.page(r, "Testimonies", "testimonies"), Testimonies: shown, Pager: pg})
}

// segment is a run of a narrative, inside a cited passage or not.
type segment struct {
	Text    string
	Passage string
}

type testimonyView struct {
	Page
	Testimony *casefile.Testimony
	Segments  []segment
	Passages  []passageRow
}

type passageRow struct {
	ID, Text, Note string
	Start, End     int
}

// segments cuts a narrative at the passage boundaries, so the page can mark each passage.
func segments(body string, ps []casefile.Passage) []segment {
	var cuts []int
	for _, p := range ps {
		if p.Text(body) != "" {
			cuts = append(cuts, p.Start, p.End)
		}
	}
	cuts = append(cuts, 0, len(body))
	sort.Ints(cuts)
	var out []segment
	for i := 0; i+1 < len(cuts); i++ {
		a, b := cuts[i], cuts[i+1]
		if a == b {
			continue
		}
		seg := segment{Text: body[a:b]}
		for _, p := range ps {
			if p.Start <= a && b <= p.End {
				seg.Passage = p.ID
				break
			}
		}
		out = append(out, seg)
	}
	return out
}

func (s *Server) handleTestimony(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	t, err := s.cfg.Store.FindTestimonyByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !visible(r, t.Confidential, t.CreatedBy) {
		s.fail(w, r, hidden("testimony", id))
		return
	}
	v := testimonyView{Page: s.page(r, "Testimony", "testimonies"), Testimony: t, Segments: segments(t.Narrative.Body, t.Passages)}
	for _, p := range t.Passages {
		v.Passages = append(v.Passages, passageRow{ID: p.ID, Text: p.Text(t.Narrative.Body), Note: p.Note, Start: p.Start, End: p.End})
	}
	s.render(w, r, http.StatusOK, "testimony", v)
}

func (s *Server) handleTestimonyCreate(w http.ResponseWriter, r *http.Request) {
	t := &casefile.Testimony{
		PersonID: strings.TrimSpace(r.PostFormValue("person_id")), SourceID: strings.TrimSpace(r.PostFormValue("source_id")),
		Interviewer: r.PostFormValue("interviewer"), Place: r.PostFormValue("place"), Language: r.PostFormValue("language"),
		Narrative:    casefile.Text{Lang: r.PostFormValue("language"), Body: strings.ReplaceAll(r.PostFormValue("narrative"), "\r\n", "\n")},
		Confidential: r.PostFormValue("confidential") != "",
		Date:         formDate(r, "date"),
	}
	if err := s.cfg.Store.CreateTestimony(r.Context(), t); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/testimonies/"+t.ID+"?flash=saved", http.StatusSeeOther)
}

// handlePassageCreate marks a passage of a testimony so findings can cite it. Without
// JavaScript the documenter pastes the passage's text (and, if it occurs more than once, which
// occurrence); with the page's script, selecting text in the narrative fills the same fields.
func (s *Server) handlePassageCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	t, err := s.cfg.Store.FindTestimonyByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !visible(r, t.Confidential, t.CreatedBy) {
		s.fail(w, r, hidden("testimony", id))
		return
	}
	body := t.Narrative.Body
	quote := strings.ReplaceAll(r.PostFormValue("quote"), "\r\n", "\n")
	start, end := -1, -1
	if quote != "" {
		n := atoiDefault(r.PostFormValue("occurrence"), 1)
		from := 0
		for i := 0; i < n; i++ {
			k := strings.Index(body[from:], quote)
			if k < 0 {
				start = -1
				break
			}
			start = from + k
			from = start + 1
		}
		if start >= 0 {
			end = start + len(quote)
		}
	} else {
		start, end = atoiDefault(r.PostFormValue("start"), -1), atoiDefault(r.PostFormValue("end"), -1)
	}
	if start < 0 || end <= start || end > len(body) {
		s.fail(w, r, casefile.Errorf(casefile.EINVALID, "", "the passage is not in the narrative: paste its exact text"))
		return
	}
	ps := append([]casefile.Passage(nil), t.Passages...)
	next := len(ps) + 1
	for {
		pid := "p" + strconv.Itoa(next)
		dup := false
		for _, p := range ps {
			if p.ID == pid {
				dup = true
			}
		}
		if !dup {
			break
		}
		next++
	}
	ps = append(ps, casefile.Passage{ID: "p" + strconv.Itoa(next), Start: start, End: end, Note: r.PostFormValue("note")})
	if _, err := s.cfg.Store.UpdateTestimony(ctx, id, casefile.TestimonyUpdate{Passages: &ps}); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/testimonies/"+id+"?flash=saved", http.StatusSeeOther)
}

// formDate reads a partial date from the fields PREFIX_precision, PREFIX_start, PREFIX_end.
// A start alone infers the precision from its length.
func formDate(r *http.Request, prefix string) casefile.PartialDate {
	return casefile.PartialDate{Precision: r.PostFormValue(prefix + "_precision"), Start: strings.TrimSpace(r.PostFormValue(prefix + "_start")),
		End: strings.TrimSpace(r.PostFormValue(prefix + "_end"))}.InferPrecision()
}

// Indicators.

type indicatorsView struct {
	Page
	Indicators []*casefile.Indicator
	Pager      pager
}

func (s *Server) handleIndicators(w http.ResponseWriter, r *http.Request) {
	pg := newPager(r, "/indicators")
	is, total, err := s.cfg.Store.FindIndicators(r.Context(), casefile.IndicatorFilter{Offset: pg.Offset, Limit: pg.Limit})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg.setTotal(total)
	s.render(w, r, http.StatusOK, "indicators", indicatorsView{Page: s.page(r, "Indicators", "indicators"), Indicators: is, Pager: pg})
}

// Audit log.

type auditView struct {
	Page
	Entries []*casefile.AuditEntry
	Pager   pager
	Filter  map[string]string
}

func (s *Server) handleAudit(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Audit == nil {
		s.fail(w, r, casefile.Errorf(casefile.ENOTIMPL, "", "the audit log is not available on this server"))
		return
	}
	// Filters are record kinds, IDs and user names: never free text.
	var f casefile.AuditFilter
	q := r.URL.Query()
	base := url.Values{}
	for key, dst := range map[string]**string{"object_kind": &f.ObjectKind, "object_id": &f.ObjectID, "actor": &f.Actor} {
		if v := q.Get(key); v != "" && len(v) <= 100 {
			*dst = &v
			base.Set(key, v)
		}
	}
	b := "/audit"
	if len(base) > 0 {
		b += "?" + base.Encode()
	}
	pg := newPager(r, b)
	// Newest first: count, then read the page's slice of the sequence and turn it round.
	cf := f
	cf.Limit = 1
	_, total, err := s.cfg.Audit.FindAuditEntries(r.Context(), cf)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg.setTotal(total)
	f.Offset = max(total-pg.Page*pg.Limit, 0)
	f.Limit = total - (pg.Page-1)*pg.Limit - f.Offset
	var es []*casefile.AuditEntry
	if f.Limit > 0 {
		if es, _, err = s.cfg.Audit.FindAuditEntries(r.Context(), f); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	for i, j := 0, len(es)-1; i < j; i, j = i+1, j-1 {
		es[i], es[j] = es[j], es[i]
	}
	s.render(w, r, http.StatusOK, "audit", auditView{Page: s.page(r, "Audit log", "audit"), Entries: es, Pager: pg,
		Filter: map[string]string{"object_kind": q.Get("object_kind"), "object_id": q.Get("object_id"), "actor": q.Get("actor")}})
}
