package http

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/casefile/casefile"
)

// The event form records, in one submission, an event with several victims, several
// perpetrators and several acts: each act names one of the form's victims and, for each of the
// form's perpetrators, the degree of their involvement (or none). It is written in one
// all-or-nothing transaction, so a mistake in the third act loses nothing and stores nothing.
// "Add a victim/perpetrator/act" buttons submit the form to itself with one more row, so the form
// grows without JavaScript.

type victimRow struct {
	N                                int // 1-based
	ID, Descriptor, Sex, Age, Region string
}

type perpRow struct {
	N                    int
	ID, Type, Descriptor string
}

type actRow struct {
	N            int
	Victim       int // 1-based victim row
	Type, Method string
	Description  string
	Consequences []string
	Setting      string
	Degrees      []string // per perpetrator row
}

type eventFormView struct {
	Page
	Existing                                          *casefile.Event // acts are added to this event
	Title, Description, Region, City, Setting, Domain string
	DatePrecision, DateStart, DateEnd                 string
	Confidential                                      bool
	Victims                                           []victimRow
	Perps                                             []perpRow
	Acts                                              []actRow
}

const maxRows = 30

func (s *Server) handleEventForm(w http.ResponseWriter, r *http.Request) {
	v := eventFormView{Page: s.page(r, "Record an event", "events")}
	if id := r.URL.Query().Get("event"); id != "" {
		e, err := s.existingEvent(r, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v.Existing = e
	}
	v.grow(2, 2, 2)
	s.render(w, r, http.StatusOK, "event_new", v)
}

// grow makes sure there are at least nv victims, np perpetrators and na acts.
func (v *eventFormView) grow(nv, np, na int) {
	for len(v.Victims) < nv {
		v.Victims = append(v.Victims, victimRow{N: len(v.Victims) + 1})
	}
	for len(v.Perps) < np {
		v.Perps = append(v.Perps, perpRow{N: len(v.Perps) + 1})
	}
	for len(v.Acts) < na {
		v.Acts = append(v.Acts, actRow{N: len(v.Acts) + 1, Victim: 1})
	}
	for i := range v.Acts {
		for len(v.Acts[i].Degrees) < len(v.Perps) {
			v.Acts[i].Degrees = append(v.Acts[i].Degrees, "")
		}
	}
}

// readEventForm reads the submitted form back into its view, row by row.
func readEventForm(r *http.Request, v *eventFormView) {
	f := r.PostFormValue
	v.Title, v.Description = strings.TrimSpace(f("title")), strings.TrimSpace(strings.ReplaceAll(f("description"), "\r\n", "\n"))
	v.Region, v.City, v.Setting, v.Domain = strings.TrimSpace(f("region")), strings.TrimSpace(f("city")), f("setting"), f("domain")
	v.DatePrecision, v.DateStart, v.DateEnd = f("date_precision"), strings.TrimSpace(f("date_start")), strings.TrimSpace(f("date_end"))
	v.Confidential = f("confidential") != ""
	nv := min(max(atoiDefault(f("victims"), 1), 1), maxRows)
	np := min(max(atoiDefault(f("perps"), 0), 0), maxRows)
	na := min(max(atoiDefault(f("acts"), 1), 1), maxRows)
	for i := 1; i <= nv; i++ {
		p := fmt.Sprintf("v%d_", i)
		v.Victims = append(v.Victims, victimRow{N: i, ID: strings.TrimSpace(f(p + "id")), Descriptor: strings.TrimSpace(f(p + "descriptor")),
			Sex: f(p + "sex"), Age: strings.TrimSpace(f(p + "age")), Region: strings.TrimSpace(f(p + "region"))})
	}
	for j := 1; j <= np; j++ {
		p := fmt.Sprintf("p%d_", j)
		v.Perps = append(v.Perps, perpRow{N: j, ID: strings.TrimSpace(f(p + "id")), Type: f(p + "type"), Descriptor: strings.TrimSpace(f(p + "descriptor"))})
	}
	for k := 1; k <= na; k++ {
		p := fmt.Sprintf("a%d_", k)
		a := actRow{N: k, Victim: atoiDefault(f(p+"victim"), 1), Type: f(p + "type"), Method: strings.TrimSpace(f(p + "method")),
			Description: strings.TrimSpace(strings.ReplaceAll(f(p+"description"), "\r\n", "\n")), Consequences: r.PostForm[p+"consequences"], Setting: f(p + "setting")}
		for j := 1; j <= np; j++ {
			a.Degrees = append(a.Degrees, f(fmt.Sprintf("%sp%d_degree", p, j)))
		}
		v.Acts = append(v.Acts, a)
	}
}

// existingEvent reads the event acts are added to, refusing one the caller may not see.
func (s *Server) existingEvent(r *http.Request, id string) (*casefile.Event, error) {
	e, err := s.cfg.Store.FindEventByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if !visible(r, e.Confidential, e.CreatedBy) {
		return nil, hidden("event", id)
	}
	return e, nil
}

func (s *Server) handleEventCreate(w http.ResponseWriter, r *http.Request) {
	v := eventFormView{Page: s.page(r, "Record an event", "events")}
	if id := r.PostFormValue("event_id"); id != "" {
		e, err := s.existingEvent(r, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v.Existing = e
	}
	readEventForm(r, &v)
	switch r.PostFormValue("grow") {
	case "victim":
		v.grow(len(v.Victims)+1, 0, 0)
	case "perp":
		v.grow(0, len(v.Perps)+1, 0)
	case "act":
		v.grow(0, 0, len(v.Acts)+1)
	}
	if r.PostFormValue("grow") != "" {
		v.grow(0, 0, 0)
		s.render(w, r, http.StatusOK, "event_new", v)
		return
	}
	b, err := s.eventBundle(r, &v)
	if err == nil {
		err = s.cfg.Store.ImportBundle(r.Context(), b)
	}
	if err != nil {
		if casefile.ErrorKind(err) == casefile.EINTERNAL {
			s.fail(w, r, err)
			return
		}
		v.Error = casefile.ErrorMessage(err)
		v.grow(0, 0, 0)
		s.render(w, r, ErrorStatus(err), "event_new", v)
		return
	}
	evID := b.Acts[0].EventID
	http.Redirect(w, r, "/events/"+evID+"?flash=saved", http.StatusSeeOther)
}

// eventBundle turns the form into the records it makes: the event, new people for victims and
// perpetrators given by descriptor, and the acts with their involvements. Blank rows are skipped.
func (s *Server) eventBundle(r *http.Request, v *eventFormView) (*casefile.Bundle, error) {
	u := callerOf(r).user
	now := s.cfg.Now().UTC()
	b := &casefile.Bundle{Format: casefile.BundleFormat, Version: casefile.BundleVersion}
	ev := v.Existing
	if ev == nil {
		ev = &casefile.Event{ID: casefile.NewID("evt"), Title: v.Title, Region: v.Region, City: v.City, Setting: v.Setting, Domain: v.Domain,
			Date: casefile.PartialDate{Precision: v.DatePrecision, Start: v.DateStart, End: v.DateEnd}, Confidential: v.Confidential,
			CreatedBy: u.Username, CreatedAt: now, UpdatedAt: now}
		if v.Description != "" {
			ev.Description = casefile.Text{Lang: u.Lang, Body: v.Description}
		}
		if ev.Date.Precision == "" && ev.Date.Start != "" {
			ev.Date.Precision = map[int]string{4: "year", 7: "month", 10: "exact"}[len(ev.Date.Start)]
		}
		if err := ev.Validate(); err != nil {
			return nil, err
		}
		if err := s.checkVocab(map[string]string{"setting": ev.Setting, "domain": ev.Domain}); err != nil {
			return nil, err
		}
		b.Events = append(b.Events, ev)
	} else {
		v.Confidential = v.Confidential || ev.Confidential // acts of a confidential event stay confidential
	}
	ctx := r.Context()
	victimIDs := make([]string, len(v.Victims))
	for i, vr := range v.Victims {
		switch {
		case vr.ID != "":
			p, err := s.cfg.Store.FindPersonByID(ctx, vr.ID)
			if err != nil || !u.CanSee(p.Confidential, p.CreatedBy) {
				return nil, casefile.Errorf(casefile.EINVALID, "", "victim %d: there is no person %s", vr.N, vr.ID)
			}
			victimIDs[i] = p.ID
		case vr.Descriptor != "":
			p := &casefile.Person{ID: casefile.NewID("per"), Descriptor: vr.Descriptor, Sex: vr.Sex, Region: vr.Region,
				Confidential: v.Confidential, CreatedBy: u.Username, CreatedAt: now, UpdatedAt: now}
			if vr.Age != "" {
				age, err := strconv.Atoi(vr.Age)
				if err != nil {
					return nil, casefile.Errorf(casefile.EINVALID, "", "victim %d: the age must be a number", vr.N)
				}
				p.Age = &age
			}
			if err := p.Validate(); err != nil {
				return nil, casefile.Errorf(casefile.EINVALID, "", "victim %d: %s", vr.N, casefile.ErrorMessage(err))
			}
			if err := s.checkVocab(map[string]string{"sex": p.Sex}); err != nil {
				return nil, err
			}
			b.Persons = append(b.Persons, p)
			victimIDs[i] = p.ID
		}
	}
	perpIDs := make([]string, len(v.Perps))
	for j, pr := range v.Perps {
		if pr.Type == "" && (pr.ID != "" || pr.Descriptor != "") {
			return nil, casefile.Errorf(casefile.EINVALID, "", "perpetrator %d: choose the perpetrator type", pr.N)
		}
		if err := s.checkVocab(map[string]string{"perpetrator_type": pr.Type}); err != nil {
			return nil, err
		}
		switch {
		case pr.ID != "":
			p, err := s.cfg.Store.FindPersonByID(ctx, pr.ID)
			if err != nil || !u.CanSee(p.Confidential, p.CreatedBy) {
				return nil, casefile.Errorf(casefile.EINVALID, "", "perpetrator %d: there is no person %s", pr.N, pr.ID)
			}
			perpIDs[j] = p.ID
		case pr.Descriptor != "":
			p := &casefile.Person{ID: casefile.NewID("per"), Descriptor: pr.Descriptor, Confidential: v.Confidential,
				CreatedBy: u.Username, CreatedAt: now, UpdatedAt: now}
			b.Persons = append(b.Persons, p)
			perpIDs[j] = p.ID
		}
	}
	for _, ar := range v.Acts {
		if ar.Type == "" && ar.Method == "" && ar.Description == "" {
			continue // a blank row
		}
		if ar.Type == "" {
			return nil, casefile.Errorf(casefile.EINVALID, "", "act %d: choose the act type", ar.N)
		}
		if ar.Victim < 1 || ar.Victim > len(victimIDs) || victimIDs[ar.Victim-1] == "" {
			return nil, casefile.Errorf(casefile.EINVALID, "", "act %d: the victim it names (victim %d) is not filled in", ar.N, ar.Victim)
		}
		if err := s.checkVocab(map[string]string{"act_type": ar.Type, "setting": ar.Setting}); err != nil {
			return nil, casefile.Errorf(casefile.EINVALID, "", "act %d: %s", ar.N, casefile.ErrorMessage(err))
		}
		for _, c := range ar.Consequences {
			if err := s.checkVocab(map[string]string{"consequence": c}); err != nil {
				return nil, err
			}
		}
		a := &casefile.Act{ID: casefile.NewID("act"), EventID: ev.ID, VictimID: victimIDs[ar.Victim-1], Type: ar.Type, Method: ar.Method,
			Consequences: ar.Consequences, Setting: ar.Setting, Confidential: v.Confidential, CreatedBy: u.Username, CreatedAt: now, UpdatedAt: now}
		if ar.Description != "" {
			a.Description = casefile.Text{Lang: u.Lang, Body: ar.Description}
		}
		for j, deg := range ar.Degrees {
			if deg == "" {
				continue
			}
			pr := v.Perps[j]
			if pr.Type == "" {
				return nil, casefile.Errorf(casefile.EINVALID, "", "act %d: perpetrator %d has no type", ar.N, pr.N)
			}
			if err := s.checkVocab(map[string]string{"degree": deg}); err != nil {
				return nil, err
			}
			a.Involvements = append(a.Involvements, casefile.Involvement{ID: casefile.NewID("inv"), PerpetratorID: perpIDs[j], PerpetratorType: pr.Type, Degree: deg})
		}
		if err := a.Validate(); err != nil {
			return nil, casefile.Errorf(casefile.EINVALID, "", "act %d: %s", ar.N, casefile.ErrorMessage(err))
		}
		b.Acts = append(b.Acts, a)
	}
	if len(b.Acts) == 0 {
		return nil, casefile.Errorf(casefile.EINVALID, "", "record at least one act: what was done, to which victim")
	}
	return b, nil
}
