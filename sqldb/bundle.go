package sqldb

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/casefile/casefile"
)

// ImportBundle writes every record of b in one transaction: either all of it lands or none. A
// record that fails is named by its list, position and ID in the error.
func (db *DB) ImportBundle(ctx context.Context, b *casefile.Bundle) error {
	if b.Format != casefile.BundleFormat {
		return casefile.Errorf(casefile.EINVALID, "ImportBundle", "format: %s is not a Casefile bundle", casefile.QuoteValue(b.Format))
	}
	if b.Version < 1 || b.Version > casefile.BundleVersion {
		return casefile.Errorf(casefile.EINVALID, "ImportBundle", "version: bundle version %d is not supported (this binary reads 1 to %d)", b.Version, casefile.BundleVersion)
	}
	return db.update(ctx, func(tx *Tx) error { return importBundle(ctx, tx, b) })
}

// quoteID quotes an identifier for an error message. A field that should hold one may hold
// anything (a CSV column shifted by a comma puts a name there), so only a valid ID is shown.
func quoteID(id string) string {
	if id == "" || casefile.ValidID(id) {
		return fmt.Sprintf("%q", id)
	}
	return "that is not a valid id"
}

// recordError names a record of a bundle in an error, keeping the error's kind.
func recordError(list string, i int, id string, err error) error {
	kind := casefile.ErrorKind(err)
	if kind == casefile.EINTERNAL {
		return err
	}
	return &casefile.Error{Kind: kind, Op: "ImportBundle", Message: fmt.Sprintf("%s[%d] (id %s): %s", list, i, quoteID(id), casefile.ErrorMessage(err)), Err: err}
}

func importBundle(ctx context.Context, tx *Tx, b *casefile.Bundle) error {
	// Every record's ID is claimed below before it is written, and a clash with the store fails
	// the insert of the record itself, so no search document can exist for it yet.
	tx.fresh = true
	defer func() { tx.fresh = false }()
	if err := tx.startBulk(ctx); err != nil {
		return err
	}
	defer tx.endBulk()
	ids := map[string]map[string]bool{}
	have := func(table, id string) (bool, error) {
		if ids[table][id] {
			return true, nil
		}
		err := mustExist(ctx, tx, table, table, id)
		if casefile.ErrorKind(err) == casefile.ENOTFOUND {
			return false, nil
		}
		return err == nil, err
	}
	// ref checks that id (when set) names a record of table, in the bundle or the store.
	ref := func(list string, i int, id, field, table, target string) error {
		if target == "" {
			return nil
		}
		ok, err := have(table, target)
		if err != nil {
			return err
		}
		if !ok {
			return casefile.Errorf(casefile.EINVALID, "ImportBundle", "%s[%d] (id %s): %s %s names no record", list, i, quoteID(id), field, quoteID(target))
		}
		return nil
	}
	claim := func(list string, i int, table, id string) error {
		if id == "" {
			return nil // the create function assigns one
		}
		if !casefile.ValidID(id) {
			return casefile.Errorf(casefile.EINVALID, "ImportBundle", "%s[%d]: the id %s is not valid (1–64 of a-z, 0-9, _ and -)", list, i, casefile.QuoteValue(id))
		}
		if ids[table] == nil {
			ids[table] = map[string]bool{}
		}
		if ids[table][id] {
			return casefile.Errorf(casefile.EINVALID, "ImportBundle", "%s[%d]: id %q appears twice in the bundle", list, i, id)
		}
		ids[table][id] = true
		return nil
	}
	now := tx.now

	for i, p := range b.Persons {
		if err := claim("persons", i, "persons", p.ID); err != nil {
			return err
		}
		defaultTimes(&p.CreatedAt, &p.UpdatedAt, now)
		if err := createPerson(ctx, tx, p, false); err != nil {
			return recordError("persons", i, p.ID, err)
		}
		ids["persons"][p.ID] = true
	}
	for i, c := range b.Consents {
		if err := claim("consents", i, "consents", c.ID); err != nil {
			return err
		}
		if err := ref("consents", i, c.ID, "person_id", "persons", c.PersonID); err != nil {
			return err
		}
		defaultTimes(&c.CreatedAt, nil, now)
		if err := createConsent(ctx, tx, c, false); err != nil {
			return recordError("consents", i, c.ID, err)
		}
	}
	for i, s := range b.Sources {
		if err := claim("sources", i, "sources", s.ID); err != nil {
			return err
		}
		defaultTimes(&s.CreatedAt, &s.UpdatedAt, now)
		if err := createSource(ctx, tx, s, false); err != nil {
			return recordError("sources", i, s.ID, err)
		}
		ids["sources"][s.ID] = true
	}
	for i, t := range b.Testimonies {
		if err := claim("testimonies", i, "testimonies", t.ID); err != nil {
			return err
		}
		if err := ref("testimonies", i, t.ID, "person_id", "persons", t.PersonID); err != nil {
			return err
		}
		if err := ref("testimonies", i, t.ID, "source_id", "sources", t.SourceID); err != nil {
			return err
		}
		defaultTimes(&t.CreatedAt, &t.UpdatedAt, now)
		if err := createTestimony(ctx, tx, t, false); err != nil {
			return recordError("testimonies", i, t.ID, err)
		}
		ids["testimonies"][t.ID] = true
	}
	for i, e := range b.Evidence {
		if err := claim("evidence", i, "evidence", e.ID); err != nil {
			return err
		}
		if err := ref("evidence", i, e.ID, "source_id", "sources", e.SourceID); err != nil {
			return err
		}
		if err := ref("evidence", i, e.ID, "testimony_id", "testimonies", e.TestimonyID); err != nil {
			return err
		}
		defaultTimes(&e.AddedAt, nil, now)
		if err := createEvidence(ctx, tx, e, false); err != nil {
			return recordError("evidence", i, e.ID, err)
		}
	}
	events := map[string]*casefile.Event{}
	for i, e := range b.Events {
		if err := claim("events", i, "events", e.ID); err != nil {
			return err
		}
		defaultTimes(&e.CreatedAt, &e.UpdatedAt, now)
		if err := createEvent(ctx, tx, e, false); err != nil {
			return recordError("events", i, e.ID, err)
		}
		ids["events"][e.ID] = true
		events[e.ID] = e
	}
	for i, a := range b.Acts {
		if err := claim("acts", i, "acts", a.ID); err != nil {
			return err
		}
		if err := ref("acts", i, a.ID, "victim_id", "persons", a.VictimID); err != nil {
			return err
		}
		for j, inv := range a.Involvements {
			if err := ref("acts", i, a.ID, fmt.Sprintf("involvements[%d].perpetrator_id", j), "persons", inv.PerpetratorID); err != nil {
				return err
			}
		}
		e := events[a.EventID]
		if e == nil && a.EventID != "" {
			var err error
			e, err = scanEvent(tx.queryRow(ctx, `SELECT `+eventCols+` FROM events WHERE id = ?`, a.EventID))
			if err != nil {
				if casefile.ErrorKind(notFound(err, "event", a.EventID)) == casefile.ENOTFOUND {
					return casefile.Errorf(casefile.EINVALID, "ImportBundle", "acts[%d] (id %s): event_id %s names no record", i, quoteID(a.ID), quoteID(a.EventID))
				}
				return err
			}
			events[e.ID] = e
		}
		if e == nil {
			e = &casefile.Event{}
		}
		defaultTimes(&a.CreatedAt, &a.UpdatedAt, now)
		if err := createAct(ctx, tx, a, e, false); err != nil {
			return recordError("acts", i, a.ID, err)
		}
		ids["acts"][a.ID] = true
	}
	for i, in := range b.Information {
		if err := claim("information", i, "information", in.ID); err != nil {
			return err
		}
		for _, r := range []struct{ field, table, id string }{{"source_id", "sources", in.SourceID}, {"event_id", "events", in.EventID},
			{"act_id", "acts", in.ActID}, {"testimony_id", "testimonies", in.TestimonyID}} {
			if err := ref("information", i, in.ID, r.field, r.table, r.id); err != nil {
				return err
			}
		}
		defaultTimes(&in.CreatedAt, nil, now)
		if err := createInformation(ctx, tx, in, false); err != nil {
			return recordError("information", i, in.ID, err)
		}
	}
	for i, iv := range b.Interventions {
		if err := claim("interventions", i, "interventions", iv.ID); err != nil {
			return err
		}
		if err := ref("interventions", i, iv.ID, "event_id", "events", iv.EventID); err != nil {
			return err
		}
		if err := ref("interventions", i, iv.ID, "act_id", "acts", iv.ActID); err != nil {
			return err
		}
		defaultTimes(&iv.CreatedAt, nil, now)
		if err := createIntervention(ctx, tx, iv, false); err != nil {
			return recordError("interventions", i, iv.ID, err)
		}
	}
	// Indicators: base figures first, then derived ones once their inputs are in.
	order, err := indicatorOrder(b.Indicators)
	if err != nil {
		return err
	}
	for _, i := range order {
		ind := b.Indicators[i]
		if err := claim("indicators", i, "indicators", ind.ID); err != nil {
			return err
		}
		if err := ref("indicators", i, ind.ID, "source_id", "sources", ind.SourceID); err != nil {
			return err
		}
		defaultTimes(&ind.CreatedAt, nil, now)
		if err := createIndicator(ctx, tx, ind, false); err != nil {
			return recordError("indicators", i, ind.ID, err)
		}
	}
	for i, a := range b.Assessments {
		if err := claim("assessments", i, "assessments", a.ID); err != nil {
			return err
		}
		if a.ID == "" || a.Version < 1 || a.Status == "" {
			return casefile.Errorf(casefile.EINVALID, "ImportBundle", "assessments[%d]: id, version and status are required", i)
		}
		if err := ref("assessments", i, a.ID, "act_id", "acts", a.ActID); err != nil {
			return err
		}
		if err := ref("assessments", i, a.ID, "event_id", "events", a.EventID); err != nil {
			return err
		}
		defaultTimes(&a.CreatedAt, nil, now)
		if err := createAssessment(ctx, tx, a, false); err != nil {
			return recordError("assessments", i, a.ID, err)
		}
	}
	if err := tx.flush(ctx); err != nil {
		return err
	}
	n := len(b.Persons) + len(b.Consents) + len(b.Sources) + len(b.Testimonies) + len(b.Evidence) + len(b.Events) + len(b.Acts) +
		len(b.Information) + len(b.Interventions) + len(b.Indicators) + len(b.Assessments)
	return tx.audit(ctx, "import", "bundle", fmt.Sprintf("%d-records", n), b)
}

func defaultTimes(created, updated *time.Time, now time.Time) {
	if created.IsZero() {
		*created = now
	}
	if updated != nil && updated.IsZero() {
		*updated = *created
	}
}

// indicatorOrder returns the positions of indicators with every derived one after its inputs.
func indicatorOrder(inds []*casefile.Indicator) ([]int, error) {
	pos := map[string]int{}
	for i, ind := range inds {
		if ind.ID != "" {
			pos[ind.ID] = i
		}
	}
	state := make([]int, len(inds)) // 0 new, 1 visiting, 2 done
	var order []int
	var visit func(i int) error
	visit = func(i int) error {
		switch state[i] {
		case 1:
			return casefile.Errorf(casefile.EINVALID, "ImportBundle", "indicators[%d] (id %q): its formula depends on itself", i, inds[i].ID)
		case 2:
			return nil
		}
		state[i] = 1
		for _, in := range inds[i].Inputs {
			if j, ok := pos[in]; ok {
				if err := visit(j); err != nil {
					return err
				}
			}
		}
		state[i] = 2
		order = append(order, i)
		return nil
	}
	for i := range inds {
		if err := visit(i); err != nil {
			return nil, err
		}
	}
	return order, nil
}

// ExportBundle reads every record in one read transaction, so the bundle is one consistent
// snapshot even while others write.
func (db *DB) ExportBundle(ctx context.Context) (*casefile.Bundle, error) {
	b := &casefile.Bundle{Format: casefile.BundleFormat, Version: casefile.BundleVersion, ExportedAt: db.Now().UTC().Truncate(time.Second)}
	err := db.view(ctx, func(tx *Tx) error {
		var err error
		if b.Persons, _, err = findPersons(ctx, tx, casefile.PersonFilter{}); err != nil {
			return err
		}
		if b.Consents, err = findConsents(ctx, tx); err != nil {
			return err
		}
		if b.Sources, _, err = findSources(ctx, tx, casefile.SourceFilter{}); err != nil {
			return err
		}
		if b.Evidence, _, err = findEvidence(ctx, tx, casefile.EvidenceFilter{}); err != nil {
			return err
		}
		if b.Testimonies, _, err = findTestimonies(ctx, tx, casefile.TestimonyFilter{}); err != nil {
			return err
		}
		if b.Events, _, err = findEvents(ctx, tx, casefile.EventFilter{}); err != nil {
			return err
		}
		if b.Acts, _, err = findActs(ctx, tx, casefile.ActFilter{}); err != nil {
			return err
		}
		if b.Information, err = findInformation(ctx, tx, casefile.InformationFilter{}); err != nil {
			return err
		}
		if b.Interventions, err = findInterventions(ctx, tx, "", ""); err != nil {
			return err
		}
		if b.Indicators, _, err = findIndicators(ctx, tx, casefile.IndicatorFilter{}); err != nil {
			return err
		}
		if b.Assessments, _, err = findAssessments(ctx, tx, casefile.AssessmentFilter{}); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(b.Consents, func(i, j int) bool { return b.Consents[i].ID < b.Consents[j].ID })
	sort.Slice(b.Assessments, func(i, j int) bool { return b.Assessments[i].ID < b.Assessments[j].ID })
	nonNilBundle(b)
	return b, nil
}

// nonNilBundle makes empty lists encode as [] rather than null.
func nonNilBundle(b *casefile.Bundle) {
	b.Persons, b.Consents, b.Sources = nonNil(b.Persons), nonNil(b.Consents), nonNil(b.Sources)
	b.Evidence, b.Testimonies, b.Events = nonNil(b.Evidence), nonNil(b.Testimonies), nonNil(b.Events)
	b.Acts, b.Information, b.Interventions = nonNil(b.Acts), nonNil(b.Information), nonNil(b.Interventions)
	b.Indicators, b.Assessments = nonNil(b.Indicators), nonNil(b.Assessments)
}
