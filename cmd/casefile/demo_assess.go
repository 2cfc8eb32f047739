package main

import (
	"context"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/law"
	"github.com/casefile/casefile/sqldb"
)

func init() {
	demoHooks = append(demoHooks, func(ctx context.Context, a *app, db *sqldb.DB) (int, error) {
		return assessDemo(ctx, db)
	})
}

// assessDemo assesses every demonstration act against each pack that applies to it, with the
// answer sets taken from the reference paper (law.DemoAnswers), and stores each result as a new
// assessment version. It returns how many assessments it stored.
func assessDemo(ctx context.Context, s casefile.Store) (int, error) {
	set := law.Builtin()
	n := 0
	for _, d := range law.DemoAnswers() {
		p, err := set.Pack(d.Framework)
		if err != nil {
			return n, err
		}
		act, err := s.FindActByID(ctx, d.ActID)
		if err != nil {
			return n, err
		}
		as, err := assessAct(ctx, s, p, act, d.Answers)
		if err != nil {
			return n, err
		}
		as.Note = "demonstration assessment from the reference paper; paper: " + d.Paper + " Engine: " + d.Note
		if err := s.CreateAssessment(ctx, as); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// assessAct runs pack p on a stored act with the given answers and returns an unsaved assessment.
func assessAct(ctx context.Context, s casefile.Store, p *law.Pack, act *casefile.Act, answers map[string]casefile.Answer) (*casefile.Assessment, error) {
	in := law.Input{Act: act, Answers: answers}
	if act.EventID != "" {
		if ev, err := s.FindEventByID(ctx, act.EventID); err == nil {
			in.Event = ev
		}
	}
	if act.VictimID != "" {
		if v, err := s.FindPersonByID(ctx, act.VictimID); err == nil {
			in.Victim = v
		}
		if c, err := s.FindConsent(ctx, act.VictimID); err == nil {
			in.Consent = c
		}
	}
	// a linked testimony makes the consent pre-check apply when the source basis is unknown
	if infos, err := s.FindInformation(ctx, casefile.InformationFilter{ActID: &act.ID}); err == nil {
		for _, i := range infos {
			if i.TestimonyID != "" {
				in.Testimony = true
			}
		}
	}
	res, err := p.Assess(in)
	if err != nil {
		return nil, err
	}
	return &casefile.Assessment{ActID: act.ID, EventID: act.EventID, Framework: p.Name, PackVersion: res.PackVersion,
		Answers: storedAnswers(answers, res), Outcomes: res.Outcomes, Missing: res.Missing,
		Note: notRunNote(res), CreatedBy: casefile.ActorFromContext(ctx)}, nil
}

// storedAnswers keeps the documenter's answers as given (with their justifications and links) and
// adds what the engine filled from the record or by an interpretation rule, marked as such.
func storedAnswers(given map[string]casefile.Answer, res *law.Result) map[string]casefile.Answer {
	out := make(map[string]casefile.Answer, len(given)+8)
	for k, v := range given {
		out[k] = v
	}
	for k, v := range res.Filled() {
		if _, ok := out[k]; !ok {
			out[k] = v
		}
	}
	return out
}

func notRunNote(res *law.Result) string {
	return res.NotRun
}
