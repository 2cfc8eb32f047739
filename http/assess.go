package http

import (
	"context"
	"net/http"
	"strings"

	"github.com/casefile/casefile"
)

// Framework is a legal framework the engine can assess against.
type Framework struct {
	Name    string `json:"name"`
	Title   string `json:"title"`
	Version string `json:"version"`
}

// Question is one element of a framework as the workspace asks it.
type Question struct {
	ID       string   `json:"id"`
	Text     string   `json:"question"`
	Guidance string   `json:"guidance,omitempty"`
	Evidence string   `json:"evidence,omitempty"`
	Source   string   `json:"source,omitempty"`
	Answers  []string `json:"answers"`
	Multi    bool     `json:"multi,omitempty"`
}

// AssessInput is what the engine assesses: an act with its event and victim, and the answers.
type AssessInput struct {
	Act       *casefile.Act
	Event     *casefile.Event
	Victim    *casefile.Person
	Answers   map[string]casefile.Answer
	Testimony bool // the act rests on a testimony or identifiable personal data
}

// AssessResult is the engine's answer: the outcomes with their reason chains, what is missing,
// and the answers after the engine's context and interpretation fills.
type AssessResult struct {
	PackVersion string                     `json:"pack_version"`
	Outcomes    []casefile.Outcome         `json:"outcomes"`
	Missing     []string                   `json:"missing,omitempty"`
	Warnings    []string                   `json:"warnings,omitempty"`
	NotRun      string                     `json:"not_run,omitempty"`
	Answers     map[string]casefile.Answer `json:"answers,omitempty"`
}

// Assessor is the legal engine, as the workspace and the API use it. cmd/casefile adapts package
// law to it.
type Assessor interface {
	// Frameworks lists the frameworks, titled in lang.
	Frameworks(lang string) []Framework
	// Questions returns a framework's elements in lang. ENOTFOUND for an unknown framework.
	Questions(framework, lang string) ([]Question, error)
	// Assess runs the engine. ENOTFOUND for an unknown framework, EINVALID for a bad answer.
	Assess(framework string, in AssessInput) (*AssessResult, error)
}

func (s *Server) assessor() (Assessor, error) {
	if s.cfg.Assessor == nil {
		return nil, casefile.Errorf(casefile.ENOTIMPL, "", "the assessment engine is not available on this server")
	}
	return s.cfg.Assessor, nil
}

// citablePassage is a passage the workspace offers for citing: from the act's linked testimonies
// and the victim's own.
type citablePassage struct {
	Ref  string // testimony_id#passage_id
	Text string
}

type workspaceView struct {
	Page
	Act        *casefile.Act
	Event      *casefile.Event
	Framework  string
	Frameworks []Framework
	Questions  []Question
	Answers    map[string]casefile.Answer
	Result     *AssessResult
	Versions   []*casefile.Assessment
	Passages   []citablePassage
	Strengths  []string
	Saved      bool
}

// Has reports whether the answer to question id includes code.
func (v workspaceView) Has(id, code string) bool {
	return contains(v.Answers[id].Codes, code)
}

// Cites reports whether the answer to question id cites passage ref.
func (v workspaceView) Cites(id, ref string) bool {
	for _, p := range v.Answers[id].Passages {
		if p.TestimonyID+"#"+p.PassageID == ref {
			return true
		}
	}
	return false
}

// loadAct reads an act, its event and victim, refusing one the caller may not see.
func (s *Server) loadAct(r *http.Request, id string) (*casefile.Act, *casefile.Event, *casefile.Person, error) {
	ctx := r.Context()
	a, err := s.cfg.Store.FindActByID(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	if !visible(r, a.Confidential, a.CreatedBy) {
		return nil, nil, nil, hidden("act", id)
	}
	e, err := s.cfg.Store.FindEventByID(ctx, a.EventID)
	if err != nil {
		return nil, nil, nil, err
	}
	p, err := s.cfg.Store.FindPersonByID(ctx, a.VictimID)
	if err != nil {
		return nil, nil, nil, err
	}
	return a, e, p, nil
}

func (s *Server) workspace(r *http.Request, actID, framework string) (*workspaceView, error) {
	as, err := s.assessor()
	if err != nil {
		return nil, err
	}
	a, e, _, err := s.loadAct(r, actID)
	if err != nil {
		return nil, err
	}
	v := &workspaceView{Page: s.page(r, "Assessment workspace", "acts"), Act: a, Event: e, Frameworks: as.Frameworks(callerOf(r).lang),
		Strengths: []string{casefile.StrengthAlleged, casefile.StrengthCorroborated, casefile.StrengthMedicallyConsistent, casefile.StrengthEstablished}}
	if framework == "" && len(v.Frameworks) > 0 {
		framework = v.Frameworks[0].Name
	}
	v.Framework = framework
	if v.Questions, err = as.Questions(framework, callerOf(r).lang); err != nil {
		return nil, err
	}
	ctx := r.Context()
	fw := framework
	if v.Versions, _, err = s.cfg.Store.FindAssessments(ctx, casefile.AssessmentFilter{ActID: &actID, Framework: &fw}); err != nil {
		return nil, err
	}
	v.Passages = s.citable(ctx, r, a)
	return v, nil
}

// citable lists the passages of the testimonies linked to the act and of the victim's testimonies.
func (s *Server) citable(ctx context.Context, r *http.Request, a *casefile.Act) []citablePassage {
	seen := map[string]bool{}
	var ts []*casefile.Testimony
	add := func(id string) {
		if id == "" || seen[id] {
			return
		}
		seen[id] = true
		if t, err := s.cfg.Store.FindTestimonyByID(ctx, id); err == nil && visible(r, t.Confidential, t.CreatedBy) {
			ts = append(ts, t)
		}
	}
	if infos, err := s.cfg.Store.FindInformation(ctx, casefile.InformationFilter{ActID: &a.ID}); err == nil {
		for _, in := range infos {
			add(in.TestimonyID)
		}
	}
	if vts, _, err := s.cfg.Store.FindTestimonies(ctx, casefile.TestimonyFilter{PersonID: &a.VictimID, Limit: 20}); err == nil {
		for _, t := range vts {
			add(t.ID)
		}
	}
	var out []citablePassage
	for _, t := range ts {
		for _, p := range t.Passages {
			txt := p.Text(t.Narrative.Body)
			if len(txt) > 160 {
				txt = txt[:160] + "…"
			}
			out = append(out, citablePassage{Ref: t.ID + "#" + p.ID, Text: txt})
		}
	}
	return out
}

func (s *Server) handleWorkspace(w http.ResponseWriter, r *http.Request) {
	v, err := s.workspace(r, r.PathValue("id"), r.URL.Query().Get("framework"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Answers = map[string]casefile.Answer{}
	if len(v.Versions) > 0 {
		latest := v.Versions[len(v.Versions)-1]
		for _, x := range v.Versions {
			if x.Version > latest.Version {
				latest = x
			}
		}
		v.Answers = latest.Answers
		v.Result = &AssessResult{PackVersion: latest.PackVersion, Outcomes: latest.Outcomes, Missing: latest.Missing}
	}
	s.render(w, r, http.StatusOK, "workspace", v)
}

// formAnswers reads the workspace's answers: el_ID (codes), str_ID, just_ID, det_ID, pas_ID.
func formAnswers(r *http.Request, qs []Question) map[string]casefile.Answer {
	out := map[string]casefile.Answer{}
	for _, q := range qs {
		var codes []string
		for _, c := range r.PostForm["el_"+q.ID] {
			if c != "" {
				codes = append(codes, c)
			}
		}
		just := strings.TrimSpace(r.PostFormValue("just_" + q.ID))
		if len(codes) == 0 {
			continue
		}
		a := casefile.Answer{Codes: codes, Strength: r.PostFormValue("str_" + q.ID), Justification: just,
			Details: strings.TrimSpace(r.PostFormValue("det_" + q.ID))}
		for _, ref := range r.PostForm["pas_"+q.ID] {
			if t, p, ok := strings.Cut(ref, "#"); ok && casefile.ValidID(t) && p != "" {
				a.Passages = append(a.Passages, casefile.PassageRef{TestimonyID: t, PassageID: p})
			}
		}
		out[q.ID] = a
	}
	return out
}

// handleAssessSave computes the outcome of the submitted answers and, unless only a preview was
// asked for, stores them as the next version.
func (s *Server) handleAssessSave(w http.ResponseWriter, r *http.Request) {
	actID := r.PathValue("id")
	framework := r.PostFormValue("framework")
	v, err := s.workspace(r, actID, framework)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Answers = formAnswers(r, v.Questions)
	a, e, victim, err := s.loadAct(r, actID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.cfg.Assessor.Assess(v.Framework, AssessInput{Act: a, Event: e, Victim: victim, Answers: v.Answers, Testimony: len(v.Passages) > 0})
	if err != nil {
		if casefile.ErrorKind(err) == casefile.EINVALID {
			v.Error = casefile.ErrorMessage(err)
			s.render(w, r, http.StatusBadRequest, "workspace", v)
			return
		}
		s.fail(w, r, err)
		return
	}
	v.Result = res
	if r.PostFormValue("action") == "preview" {
		s.render(w, r, http.StatusOK, "workspace", v)
		return
	}
	as := &casefile.Assessment{ActID: actID, Framework: v.Framework, PackVersion: res.PackVersion, Answers: v.Answers,
		Outcomes: res.Outcomes, Missing: res.Missing, Note: strings.TrimSpace(r.PostFormValue("note"))}
	if err := s.cfg.Store.CreateAssessment(r.Context(), as); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/assessments/"+as.ID+"?flash=saved", http.StatusSeeOther)
}

type assessmentView struct {
	Page
	Assessment *casefile.Assessment
	Act        *casefile.Act
	Versions   []*casefile.Assessment
	Latest     bool
}

// AnswerIDs lists the answered elements in a stable order.
func (v assessmentView) AnswerIDs() []string {
	var ids []string
	for id := range v.Assessment.Answers {
		ids = append(ids, id)
	}
	sortStrings(ids)
	return ids
}

func (s *Server) handleAssessment(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	as, err := s.cfg.Store.FindAssessmentByID(ctx, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := assessmentView{Page: s.page(r, "Assessment", "acts"), Assessment: as}
	if as.ActID != "" {
		a, _, _, err := s.loadAct(r, as.ActID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v.Act = a
		fw := as.Framework
		if v.Versions, _, err = s.cfg.Store.FindAssessments(ctx, casefile.AssessmentFilter{ActID: &as.ActID, Framework: &fw}); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	v.Latest = true
	for _, x := range v.Versions {
		if x.Version > as.Version {
			v.Latest = false
		}
	}
	s.render(w, r, http.StatusOK, "assessment", v)
}

func (s *Server) handleReview(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	as, err := s.cfg.Store.FindAssessmentByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if as.ActID != "" {
		if _, _, _, err := s.loadAct(r, as.ActID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if err := fourEyes(as, callerOf(r).user); err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.cfg.Store.ReviewAssessment(ctx, id, callerOf(r).user.Username, strings.TrimSpace(r.PostFormValue("note"))); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/assessments/"+id+"?flash=reviewed", http.StatusSeeOther)
}

// fourEyes refuses a sign-off by the assessment's own author: a review is a second person's.
func fourEyes(a *casefile.Assessment, u *casefile.User) error {
	if a.CreatedBy != "" && a.CreatedBy == u.Username {
		return casefile.Errorf(casefile.EFORBIDDEN, "", "an assessment is signed off by someone other than its author")
	}
	return nil
}
