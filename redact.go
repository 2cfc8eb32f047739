package casefile

import (
	"sort"
	"time"
)

// ValidUse returns EINVALID unless use is one of the consent scopes, which are also the uses an
// output can be produced for.
func ValidUse(use string) error {
	if _, ok := ConsentRank[use]; !ok {
		return Errorf(EINVALID, "", "use %q is not one of internal, anonymised, un_submission, named_publication", use)
	}
	return nil
}

// EffectiveConsents returns each person's effective consent: the latest one recorded (by
// CreatedAt, then ID), as ConsentService defines it.
func EffectiveConsents(consents []*Consent) map[string]*Consent {
	out := map[string]*Consent{}
	for _, c := range consents {
		cur := out[c.PersonID]
		if cur == nil || c.CreatedAt.After(cur.CreatedAt) || (c.CreatedAt.Equal(cur.CreatedAt) && c.ID > cur.ID) {
			out[c.PersonID] = c
		}
	}
	return out
}

// Redact returns the part of b that may be used for use (a consent scope) at time at, leaving b
// untouched. Every export and report goes through it:
//
//   - A person who is a victim, gave a testimony or is not referred to at all is kept only when
//     their effective consent allows the use at that time; with no consent recorded, only for
//     internal use. A withdrawn consent removes the person from every output made at or after the
//     withdrawal, whatever the use. Someone who appears only as a perpetrator needs no consent.
//   - With a person go their consents, their testimonies (and the evidence of those testimonies),
//     the acts they suffered, information, interventions and assessments about those acts, and
//     events that had acts and have none left; passages they gave are dropped from citations.
//   - A source in which testimonies were recorded goes when none of them is kept: an interview's
//     title and citation describe the person who gave it. With it go its evidence, information
//     and indicators, and citations of it in assessments.
//   - For any use beyond internal, records marked confidential are removed, and people's notes,
//     birth year and city, and the place of testimonies, are blanked.
//
// An unknown use is treated as the strictest, named publication.
func Redact(b *Bundle, use string, at time.Time) *Bundle {
	if _, ok := ConsentRank[use]; !ok {
		use = ConsentNamed
	}
	internal := use == ConsentInternal
	out := *b
	consent := EffectiveConsents(b.Consents)

	victim, gave, perp := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, a := range b.Acts {
		victim[a.VictimID] = true
		for _, inv := range a.Involvements {
			if inv.PerpetratorID != "" {
				perp[inv.PerpetratorID] = true
			}
		}
	}
	for _, t := range b.Testimonies {
		if t.PersonID != "" {
			gave[t.PersonID] = true
		}
	}
	keepPerson := map[string]bool{}
	out.Persons = nil
	for _, p := range b.Persons {
		c := consent[p.ID]
		withdrawn := c != nil && c.WithdrawnAt != nil && !at.Before(*c.WithdrawnAt)
		ok := !withdrawn
		if ok && (victim[p.ID] || gave[p.ID] || !perp[p.ID]) {
			if c == nil {
				ok = internal
			} else {
				ok = c.Allows(use, at)
			}
		}
		if ok && !internal && p.Confidential {
			ok = false
		}
		if !ok {
			continue
		}
		keepPerson[p.ID] = true
		if !internal {
			cp := *p
			cp.Notes, cp.BirthYear, cp.City = "", nil, ""
			p = &cp
		}
		out.Persons = append(out.Persons, p)
	}
	out.Consents = nil
	for _, c := range b.Consents {
		if keepPerson[c.PersonID] {
			out.Consents = append(out.Consents, c)
		}
	}
	keepTestimony := map[string]bool{}
	out.Testimonies = nil
	for _, t := range b.Testimonies {
		if (t.PersonID != "" && !keepPerson[t.PersonID]) || (!internal && t.Confidential) {
			continue
		}
		keepTestimony[t.ID] = true
		if !internal {
			cp := *t
			cp.Place = ""
			t = &cp
		}
		out.Testimonies = append(out.Testimonies, t)
	}
	// A source that recorded testimonies is kept only with at least one of them.
	recorded, recordedKept := map[string]bool{}, map[string]bool{}
	for _, t := range b.Testimonies {
		if t.SourceID != "" {
			recorded[t.SourceID] = true
			if keepTestimony[t.ID] {
				recordedKept[t.SourceID] = true
			}
		}
	}
	dropSource := map[string]bool{}
	out.Sources = []*Source{}
	for _, s := range b.Sources {
		if recorded[s.ID] && !recordedKept[s.ID] {
			dropSource[s.ID] = true
			continue
		}
		out.Sources = append(out.Sources, s)
	}
	out.Evidence = nil
	for _, e := range b.Evidence {
		if (e.TestimonyID != "" && !keepTestimony[e.TestimonyID]) || dropSource[e.SourceID] {
			continue
		}
		out.Evidence = append(out.Evidence, e)
	}
	eventOK := map[string]bool{}
	for _, e := range b.Events {
		eventOK[e.ID] = internal || !e.Confidential
	}
	keepAct := map[string]bool{}
	hadActs, hasActs := map[string]bool{}, map[string]bool{}
	out.Acts = nil
	for _, a := range b.Acts {
		hadActs[a.EventID] = true
		if !keepPerson[a.VictimID] || !eventOK[a.EventID] || (!internal && a.Confidential) {
			continue
		}
		cp := *a
		cp.Involvements = nil
		for _, inv := range a.Involvements {
			if inv.PerpetratorID != "" && !keepPerson[inv.PerpetratorID] {
				inv.PerpetratorID = "" // the type and degree still count
			}
			cp.Involvements = append(cp.Involvements, inv)
		}
		keepAct[a.ID] = true
		hasActs[a.EventID] = true
		out.Acts = append(out.Acts, &cp)
	}
	keepEvent := map[string]bool{}
	out.Events = nil
	for _, e := range b.Events {
		if !eventOK[e.ID] || (hadActs[e.ID] && !hasActs[e.ID]) {
			continue
		}
		keepEvent[e.ID] = true
		out.Events = append(out.Events, e)
	}
	refOK := func(id string, keep map[string]bool) bool { return id == "" || keep[id] }
	out.Information = nil
	for _, in := range b.Information {
		if refOK(in.EventID, keepEvent) && refOK(in.ActID, keepAct) && refOK(in.TestimonyID, keepTestimony) && !dropSource[in.SourceID] {
			out.Information = append(out.Information, in)
		}
	}
	out.Interventions = nil
	for _, iv := range b.Interventions {
		if refOK(iv.EventID, keepEvent) && refOK(iv.ActID, keepAct) {
			out.Interventions = append(out.Interventions, iv)
		}
	}
	out.Assessments = nil
	for _, a := range b.Assessments {
		if !refOK(a.EventID, keepEvent) || !refOK(a.ActID, keepAct) {
			continue
		}
		cp := *a
		cp.Answers = make(map[string]Answer, len(a.Answers))
		for k, ans := range a.Answers {
			var refs []PassageRef
			for _, r := range ans.Passages {
				if keepTestimony[r.TestimonyID] {
					refs = append(refs, r)
				}
			}
			ans.Passages = refs
			var srcs []string
			for _, id := range ans.SourceIDs {
				if !dropSource[id] {
					srcs = append(srcs, id)
				}
			}
			ans.SourceIDs = srcs
			cp.Answers[k] = ans
		}
		out.Assessments = append(out.Assessments, &cp)
	}
	out.Indicators = []*Indicator{}
	for _, i := range b.Indicators {
		if !dropSource[i.SourceID] {
			out.Indicators = append(out.Indicators, i)
		}
	}
	out.Persons, out.Consents, out.Testimonies = orEmpty(out.Persons), orEmpty(out.Consents), orEmpty(out.Testimonies)
	out.Evidence, out.Acts, out.Events = orEmpty(out.Evidence), orEmpty(out.Acts), orEmpty(out.Events)
	out.Information, out.Interventions, out.Assessments = orEmpty(out.Information), orEmpty(out.Interventions), orEmpty(out.Assessments)
	return &out
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// RedactedPersons returns the IDs of the people of b that Redact leaves out for use at at, sorted:
// what an output's summary can count without naming anyone.
func RedactedPersons(b *Bundle, use string, at time.Time) []string {
	kept := map[string]bool{}
	for _, p := range Redact(b, use, at).Persons {
		kept[p.ID] = true
	}
	var out []string
	for _, p := range b.Persons {
		if !kept[p.ID] {
			out = append(out, p.ID)
		}
	}
	sort.Strings(out)
	return out
}
