package sqldb

import (
	"context"

	"github.com/casefile/casefile"
)

const assessmentCols = `id, act_id, event_id, framework, pack_version, version, answers, outcomes, missing, status, reviewer, reviewed_at, note, created_by, created_at`

func scanAssessment(sc interface{ Scan(...any) error }, extra ...any) (*casefile.Assessment, error) {
	a := &casefile.Assessment{}
	var answers, outcomes, missing string
	if err := sc.Scan(append([]any{&a.ID, optString{&a.ActID}, optString{&a.EventID}, &a.Framework, &a.PackVersion, &a.Version, &answers, &outcomes, &missing,
		&a.Status, &a.Reviewer, optTime{&a.ReviewedAt}, &a.Note, &a.CreatedBy, timeCol{&a.CreatedAt}}, extra...)...); err != nil {
		return nil, err
	}
	if err := unjs(answers, &a.Answers); err != nil {
		return nil, err
	}
	if err := unjs(outcomes, &a.Outcomes); err != nil {
		return nil, err
	}
	return a, unjs(missing, &a.Missing)
}

// FindAssessmentByID returns one version of an assessment.
func (db *DB) FindAssessmentByID(ctx context.Context, id string) (*casefile.Assessment, error) {
	as, _, err := db.FindAssessments(ctx, casefile.AssessmentFilter{ID: &id})
	if err != nil {
		return nil, err
	}
	if len(as) == 0 {
		return nil, casefile.Errorf(casefile.ENOTFOUND, "FindAssessmentByID", "no assessment %s", id)
	}
	return as[0], nil
}

// FindAssessments returns matching assessments ordered by subject, framework and version.
func (db *DB) FindAssessments(ctx context.Context, f casefile.AssessmentFilter) (out []*casefile.Assessment, total int, err error) {
	err = db.view(ctx, func(tx *Tx) (err error) {
		out, total, err = findAssessments(ctx, tx, f)
		return err
	})
	return out, total, err
}

func findAssessments(ctx context.Context, tx *Tx, f casefile.AssessmentFilter) ([]*casefile.Assessment, int, error) {
	var out []*casefile.Assessment
	total := 0
	err := func() error {
		var w where
		if f.ID != nil {
			w.add("id = ?", *f.ID)
		}
		if f.ActID != nil {
			w.add("act_id = ?", *f.ActID)
		}
		if f.EventID != nil {
			w.add("event_id = ?", *f.EventID)
		}
		if f.Framework != nil {
			w.add("framework = ?", *f.Framework)
		}
		if f.Status != nil {
			w.add("status = ?", *f.Status)
		}
		if f.LatestOnly {
			w.add("version = (SELECT MAX(b.version) FROM assessments b WHERE b.subject = assessments.subject AND b.framework = assessments.framework)")
		}
		rows, err := tx.query(ctx, `SELECT `+assessmentCols+`, COUNT(*) OVER() FROM assessments`+w.String()+` ORDER BY subject, framework, version`+page(f.Offset, f.Limit), w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			a, err := scanAssessment(rows, &total)
			if err != nil {
				return err
			}
			out = append(out, a)
		}
		return rows.Err()
	}()
	return out, total, err
}

// CreateAssessment stores a as the next version for its subject and framework.
func (db *DB) CreateAssessment(ctx context.Context, a *casefile.Assessment) error {
	return db.update(ctx, func(tx *Tx) error { return createAssessment(ctx, tx, a, true) })
}

func createAssessment(ctx context.Context, tx *Tx, a *casefile.Assessment, stamp bool) error {
	if a.Framework == "" || a.PackVersion == "" {
		return casefile.Errorf(casefile.EINVALID, "", "assessment: framework and pack_version are required")
	}
	subject := a.ActID
	if subject == "" {
		subject = a.EventID
	}
	if subject == "" {
		return casefile.Errorf(casefile.EINVALID, "", "assessment: an act_id or event_id is required")
	}
	if a.ActID != "" {
		if err := mustExist(ctx, tx, "acts", "act", a.ActID); err != nil {
			return err
		}
	} else if err := mustExist(ctx, tx, "events", "event", a.EventID); err != nil {
		return err
	}
	if stamp {
		var last int
		if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM assessments WHERE subject = ? AND framework = ?`, subject, a.Framework).Scan(&last); err != nil {
			return err
		}
		a.ID = casefile.NewID("asm")
		a.Version = last + 1
		a.Status = casefile.AssessmentDraft
		a.Reviewer, a.ReviewedAt = "", nil
		a.CreatedAt, a.CreatedBy = tx.now, tx.actor
	}
	if a.Answers == nil {
		a.Answers = map[string]casefile.Answer{}
	}
	if err := tx.insert(ctx, `INSERT INTO assessments (subject, `+assessmentCols+`) VALUES `, `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		subject, a.ID, nullStr(a.ActID), nullStr(a.EventID), a.Framework, a.PackVersion, a.Version, js(a.Answers), js(nonNil(a.Outcomes)),
		js(nonNil(a.Missing)), a.Status, a.Reviewer, tx.tptr(a.ReviewedAt), a.Note, a.CreatedBy, tx.tval(a.CreatedAt)); err != nil {
		return err
	}
	if stamp {
		return tx.audit(ctx, "create", "assessment", a.ID, a)
	}
	return nil
}

// ReviewAssessment signs off the newest version of an assessment.
func (db *DB) ReviewAssessment(ctx context.Context, id, reviewer, note string) (*casefile.Assessment, error) {
	var a *casefile.Assessment
	err := db.update(ctx, func(tx *Tx) error {
		var err error
		a, err = scanAssessment(tx.queryRow(ctx, `SELECT `+assessmentCols+` FROM assessments WHERE id = ?`, id))
		if err != nil {
			return notFound(err, "assessment", id)
		}
		if a.Status == casefile.AssessmentReviewed {
			return casefile.Errorf(casefile.ECONFLICT, "ReviewAssessment", "assessment %s is reviewed already", id)
		}
		var newer int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM assessments WHERE subject = (SELECT subject FROM assessments WHERE id = ?) AND framework = ? AND version > ?`,
			id, a.Framework, a.Version).Scan(&newer); err != nil {
			return err
		}
		if newer > 0 {
			return casefile.Errorf(casefile.ECONFLICT, "ReviewAssessment", "a newer version of assessment %s exists; review that one", id)
		}
		if reviewer == "" {
			reviewer = tx.actor
		}
		now := tx.now
		a.Status, a.Reviewer, a.ReviewedAt = casefile.AssessmentReviewed, reviewer, &now
		if note != "" {
			a.Note = note
		}
		if _, err := tx.exec(ctx, `UPDATE assessments SET status = ?, reviewer = ?, reviewed_at = ?, note = ? WHERE id = ?`,
			a.Status, a.Reviewer, tx.tval(now), a.Note, id); err != nil {
			return err
		}
		return tx.audit(ctx, "review", "assessment", id, a)
	})
	return a, err
}
