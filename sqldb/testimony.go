package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/casefile/casefile"
)

const testimonyCols = `id, person_id, source_id, interviewer, date_precision, date_start, date_end, place, language, narrative, passages, confidential, created_by, created_at, updated_at`

func scanTestimony(sc interface{ Scan(...any) error }, extra ...any) (*casefile.Testimony, error) {
	t := &casefile.Testimony{}
	var narrative, passages string
	if err := sc.Scan(append([]any{&t.ID, optString{&t.PersonID}, optString{&t.SourceID}, &t.Interviewer, &t.Date.Precision, &t.Date.Start, &t.Date.End,
		&t.Place, &t.Language, &narrative, &passages, &t.Confidential, &t.CreatedBy, timeCol{&t.CreatedAt}, timeCol{&t.UpdatedAt}}, extra...)...); err != nil {
		return nil, err
	}
	if err := unjs(narrative, &t.Narrative); err != nil {
		return nil, err
	}
	return t, unjs(passages, &t.Passages)
}

// FindTestimonyByID returns the testimony, ENOTFOUND if there is none.
func (db *DB) FindTestimonyByID(ctx context.Context, id string) (*casefile.Testimony, error) {
	ts, _, err := db.FindTestimonies(ctx, casefile.TestimonyFilter{ID: &id})
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return nil, casefile.Errorf(casefile.ENOTFOUND, "FindTestimonyByID", "no testimony %s", id)
	}
	return ts[0], nil
}

// FindTestimonies returns matching testimonies ordered by ID.
func (db *DB) FindTestimonies(ctx context.Context, f casefile.TestimonyFilter) (out []*casefile.Testimony, total int, err error) {
	err = db.view(ctx, func(tx *Tx) (err error) {
		out, total, err = findTestimonies(ctx, tx, f)
		return err
	})
	return out, total, err
}

func findTestimonies(ctx context.Context, tx *Tx, f casefile.TestimonyFilter) ([]*casefile.Testimony, int, error) {
	var out []*casefile.Testimony
	total := 0
	err := func() error {
		var w where
		if f.ID != nil {
			w.add("id = ?", *f.ID)
		}
		if f.PersonID != nil {
			w.add("person_id = ?", *f.PersonID)
		}
		rows, err := tx.query(ctx, `SELECT `+testimonyCols+`, COUNT(*) OVER() FROM testimonies`+w.String()+` ORDER BY id`+page(f.Offset, f.Limit), w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			t, err := scanTestimony(rows, &total)
			if err != nil {
				return err
			}
			out = append(out, t)
		}
		return rows.Err()
	}()
	return out, total, err
}

// CreateTestimony stores a testimony and indexes its narrative.
func (db *DB) CreateTestimony(ctx context.Context, t *casefile.Testimony) error {
	return db.update(ctx, func(tx *Tx) error { return createTestimony(ctx, tx, t, true) })
}

func createTestimony(ctx context.Context, tx *Tx, t *casefile.Testimony, stamp bool) error {
	if err := t.Validate(); err != nil {
		return err
	}
	if t.PersonID != "" {
		if err := mustExist(ctx, tx, "persons", "person", t.PersonID); err != nil {
			return err
		}
	}
	if t.SourceID != "" {
		if err := mustExist(ctx, tx, "sources", "source", t.SourceID); err != nil {
			return err
		}
	}
	if t.ID == "" {
		t.ID = casefile.NewID("tes")
	}
	if stamp {
		t.CreatedAt, t.UpdatedAt, t.CreatedBy = tx.now, tx.now, tx.actor
	}
	if err := tx.insert(ctx, `INSERT INTO testimonies (`+testimonyCols+`) VALUES `, `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, nullStr(t.PersonID), nullStr(t.SourceID), t.Interviewer, t.Date.Precision, t.Date.Start, t.Date.End, t.Place, t.Language,
		js(t.Narrative), js(nonNil(t.Passages)), t.Confidential, t.CreatedBy, tx.tval(t.CreatedAt), tx.tval(t.UpdatedAt)); err != nil {
		return err
	}
	if err := tx.indexTestimony(ctx, t); err != nil {
		return err
	}
	if stamp {
		return tx.audit(ctx, "create", "testimony", t.ID, t)
	}
	return nil
}

func (tx *Tx) indexTestimony(ctx context.Context, t *casefile.Testimony) error {
	title := "Testimony"
	if t.Place != "" {
		title += ", " + t.Place
	}
	if d := t.Date.String(); t.Date.Start != "" {
		title += ", " + d
	}
	return tx.index(ctx, searchDoc{Kind: "testimony", ID: t.ID, Title: title, Body: joinText(t.Narrative.All()...), Year: t.Date.Year()})
}

// UpdateTestimony changes the fields set in u.
func (db *DB) UpdateTestimony(ctx context.Context, id string, u casefile.TestimonyUpdate) (*casefile.Testimony, error) {
	var t *casefile.Testimony
	err := db.update(ctx, func(tx *Tx) error {
		var err error
		t, err = scanTestimony(tx.queryRow(ctx, `SELECT `+testimonyCols+` FROM testimonies WHERE id = ?`, id))
		if err != nil {
			return notFound(err, "testimony", id)
		}
		set(&t.Narrative, u.Narrative)
		set(&t.Passages, u.Passages)
		set(&t.Interviewer, u.Interviewer)
		set(&t.Confidential, u.Confidential)
		if err := t.Validate(); err != nil {
			return err
		}
		t.UpdatedAt = tx.now
		if _, err := tx.exec(ctx, `UPDATE testimonies SET narrative = ?, passages = ?, interviewer = ?, confidential = ?, updated_at = ? WHERE id = ?`,
			js(t.Narrative), js(nonNil(t.Passages)), t.Interviewer, t.Confidential, tx.tval(t.UpdatedAt), id); err != nil {
			return err
		}
		if err := tx.indexTestimony(ctx, t); err != nil {
			return err
		}
		return tx.audit(ctx, "update", "testimony", id, t)
	})
	return t, err
}

// DeleteTestimony deletes a testimony nothing refers to.
func (db *DB) DeleteTestimony(ctx context.Context, id string) error {
	return db.update(ctx, func(tx *Tx) error {
		if err := tx.unindex(ctx, "testimony", id); err != nil {
			return err
		}
		return deleteRow(ctx, tx, "testimonies", "testimony", id)
	})
}

// notFound turns sql.ErrNoRows into ENOTFOUND naming kind and id.
func notFound(err error, kind, id string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return casefile.Errorf(casefile.ENOTFOUND, "", "no %s %s", kind, id)
	}
	return err
}

func joinText(parts ...string) string {
	var nonEmpty []string
	for _, p := range parts {
		if p != "" {
			nonEmpty = append(nonEmpty, p)
		}
	}
	return strings.Join(nonEmpty, "\n")
}
