package http

import (
	"net/http"
	"strings"

	"github.com/casefile/casefile"
)

// handleConsent records a person's consent (action=record) or withdraws it (action=withdraw).
// Exports and reports obey the latest one.
func (s *Server) handleConsent(w http.ResponseWriter, r *http.Request) {
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
	if r.PostFormValue("action") == "withdraw" {
		err = s.cfg.Store.WithdrawConsent(ctx, id, s.cfg.Now().UTC())
	} else {
		c := &casefile.Consent{PersonID: id, Scope: r.PostFormValue("scope"), GivenAt: strings.TrimSpace(r.PostFormValue("given_at")),
			HowObtained: strings.TrimSpace(r.PostFormValue("how_obtained")), Notes: strings.TrimSpace(r.PostFormValue("notes"))}
		err = s.cfg.Store.CreateConsent(ctx, c)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/people/"+id+"?flash=saved", http.StatusSeeOther)
}

// handleActSource links a source (and, for an interview, its testimony) to an act: what the
// workspace then offers for citing.
func (s *Server) handleActSource(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	if _, _, _, err := s.loadAct(r, id); err != nil {
		s.fail(w, r, err)
		return
	}
	in := &casefile.Information{SourceID: strings.TrimSpace(r.PostFormValue("source_id")), ActID: id,
		TestimonyID: strings.TrimSpace(r.PostFormValue("testimony_id")), Connection: r.PostFormValue("connection"),
		Reliability: r.PostFormValue("reliability"), Locator: strings.TrimSpace(r.PostFormValue("locator")), Notes: strings.TrimSpace(r.PostFormValue("notes"))}
	if in.TestimonyID != "" {
		t, err := s.cfg.Store.FindTestimonyByID(ctx, in.TestimonyID)
		if err != nil || !visible(r, t.Confidential, t.CreatedBy) {
			s.fail(w, r, casefile.Errorf(casefile.EINVALID, "", "there is no testimony %s", in.TestimonyID))
			return
		}
		if in.SourceID == "" {
			in.SourceID = t.SourceID
		}
	}
	if in.SourceID == "" {
		s.fail(w, r, casefile.Errorf(casefile.EINVALID, "", "name the source (or a testimony recorded in one)"))
		return
	}
	if err := s.checkVocab(map[string]string{"connection": in.Connection, "reliability": in.Reliability}); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.cfg.Store.CreateInformation(ctx, in); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/acts/"+id+"?flash=saved", http.StatusSeeOther)
}
