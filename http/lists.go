package http

import (
	"net/http"

	"github.com/casefile/casefile"
)

// The list helpers return a page of what the caller may see, its total, and how many records of
// the page were left out (only without a Lister, which filters in the query).

func (s *Server) listActs(r *http.Request, f casefile.ActFilter) ([]*casefile.Act, int, int, error) {
	if s.cfg.Lister != nil {
		as, n, err := s.cfg.Lister.ListActs(r.Context(), f, casefile.ViewerOf(callerOf(r).user))
		return as, n, 0, err
	}
	as, n, err := s.cfg.Store.FindActs(r.Context(), f)
	if err != nil {
		return nil, 0, 0, err
	}
	var out []*casefile.Act
	for _, a := range as {
		if visible(r, a.Confidential, a.CreatedBy) {
			out = append(out, a)
		}
	}
	return out, n, len(as) - len(out), nil
}

func (s *Server) listEvents(r *http.Request, f casefile.EventFilter) ([]*casefile.Event, int, int, error) {
	if s.cfg.Lister != nil {
		es, n, err := s.cfg.Lister.ListEvents(r.Context(), f, casefile.ViewerOf(callerOf(r).user))
		return es, n, 0, err
	}
	es, n, err := s.cfg.Store.FindEvents(r.Context(), f)
	if err != nil {
		return nil, 0, 0, err
	}
	var out []*casefile.Event
	for _, e := range es {
		if visible(r, e.Confidential, e.CreatedBy) {
			out = append(out, e)
		}
	}
	return out, n, len(es) - len(out), nil
}

func (s *Server) listPersons(r *http.Request, f casefile.PersonFilter) ([]*casefile.Person, int, int, error) {
	if s.cfg.Lister != nil {
		ps, n, err := s.cfg.Lister.ListPersons(r.Context(), f, casefile.ViewerOf(callerOf(r).user))
		return ps, n, 0, err
	}
	ps, n, err := s.cfg.Store.FindPersons(r.Context(), f)
	if err != nil {
		return nil, 0, 0, err
	}
	var out []*casefile.Person
	for _, p := range ps {
		if visible(r, p.Confidential, p.CreatedBy) {
			out = append(out, p)
		}
	}
	return out, n, len(ps) - len(out), nil
}

func (s *Server) listTestimonies(r *http.Request, f casefile.TestimonyFilter) ([]*casefile.Testimony, int, int, error) {
	if s.cfg.Lister != nil {
		ts, n, err := s.cfg.Lister.ListTestimonies(r.Context(), f, casefile.ViewerOf(callerOf(r).user))
		return ts, n, 0, err
	}
	ts, n, err := s.cfg.Store.FindTestimonies(r.Context(), f)
	if err != nil {
		return nil, 0, 0, err
	}
	var out []*casefile.Testimony
	for _, t := range ts {
		if visible(r, t.Confidential, t.CreatedBy) {
			out = append(out, t)
		}
	}
	return out, n, len(ts) - len(out), nil
}
