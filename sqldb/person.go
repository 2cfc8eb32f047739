package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/casefile/casefile"
)

const personCols = `id, descriptor, sex, age, birth_year, region, city, characteristics, counting_unit, group_size, deceased, notes, confidential, created_by, created_at, updated_at`

func scanPerson(sc interface{ Scan(...any) error }, extra ...any) (*casefile.Person, error) {
	p := &casefile.Person{}
	var chars string
	dest := []any{&p.ID, &p.Descriptor, &p.Sex, optInt{&p.Age}, optInt{&p.BirthYear}, &p.Region, &p.City, &chars,
		&p.CountingUnit, optInt{&p.GroupSize}, &p.Deceased, &p.Notes, &p.Confidential, &p.CreatedBy, timeCol{&p.CreatedAt}, timeCol{&p.UpdatedAt}}
	if err := sc.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	return p, unjs(chars, &p.Characteristics)
}

// FindPersonByID returns the person, ENOTFOUND if there is none.
func (db *DB) FindPersonByID(ctx context.Context, id string) (*casefile.Person, error) {
	ps, _, err := db.FindPersons(ctx, casefile.PersonFilter{ID: &id})
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, casefile.Errorf(casefile.ENOTFOUND, "FindPersonByID", "no person %s", id)
	}
	return ps[0], nil
}

// FindPersons returns the matching people, ordered by ID, and their total.
func (db *DB) FindPersons(ctx context.Context, f casefile.PersonFilter) ([]*casefile.Person, int, error) {
	var out []*casefile.Person
	var total int
	err := db.view(ctx, func(tx *Tx) (err error) {
		out, total, err = findPersons(ctx, tx, f)
		return err
	})
	return out, total, err
}

func findPersons(ctx context.Context, tx *Tx, f casefile.PersonFilter) ([]*casefile.Person, int, error) {
	var w where
	if f.ID != nil {
		w.add("id = ?", *f.ID)
	}
	if f.Region != nil {
		w.add("region = ?", *f.Region)
	}
	if f.Characteristic != nil {
		w.add("characteristics LIKE ?"+likeEscape, likeContains(`"`, *f.Characteristic, `"`))
	}
	rows, err := tx.query(ctx, `SELECT `+personCols+`, COUNT(*) OVER() FROM persons`+w.String()+` ORDER BY id`+page(f.Offset, f.Limit), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*casefile.Person
	total := 0
	for rows.Next() {
		p, err := scanPerson(rows, &total)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, p)
	}
	return out, total, rows.Err()
}

// CreatePerson stores a new person.
func (db *DB) CreatePerson(ctx context.Context, p *casefile.Person) error {
	return db.update(ctx, func(tx *Tx) error { return createPerson(ctx, tx, p, true) })
}

func createPerson(ctx context.Context, tx *Tx, p *casefile.Person, stamp bool) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if err := tx.db.checkCodes(p); err != nil {
		return err
	}
	if p.ID == "" {
		p.ID = casefile.NewID("per")
	}
	if stamp {
		p.CreatedAt, p.UpdatedAt, p.CreatedBy = tx.now, tx.now, tx.actor
	}
	if err := tx.insert(ctx, `INSERT INTO persons (`+personCols+`) VALUES `, `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.Descriptor, p.Sex, nullInt(p.Age), nullInt(p.BirthYear), p.Region, p.City, js(nonNil(p.Characteristics)), p.CountingUnit,
		nullInt(p.GroupSize), p.Deceased, p.Notes, p.Confidential, p.CreatedBy, tx.tval(p.CreatedAt), tx.tval(p.UpdatedAt)); err != nil {
		return err
	}
	if stamp {
		return tx.audit(ctx, "create", "person", p.ID, p)
	}
	return nil
}

// UpdatePerson changes the fields set in u.
func (db *DB) UpdatePerson(ctx context.Context, id string, u casefile.PersonUpdate) (*casefile.Person, error) {
	var p *casefile.Person
	err := db.update(ctx, func(tx *Tx) error {
		ps, _, err := findPersons(ctx, tx, casefile.PersonFilter{ID: &id})
		if err != nil {
			return err
		}
		if len(ps) == 0 {
			return casefile.Errorf(casefile.ENOTFOUND, "UpdatePerson", "no person %s", id)
		}
		p = ps[0]
		set(&p.Descriptor, u.Descriptor)
		set(&p.Sex, u.Sex)
		if u.Age != nil {
			p.Age = u.Age
		}
		set(&p.Region, u.Region)
		set(&p.City, u.City)
		set(&p.Characteristics, u.Characteristics)
		set(&p.Notes, u.Notes)
		set(&p.Confidential, u.Confidential)
		if err := p.Validate(); err != nil {
			return err
		}
		if err := tx.db.checkCodes(p); err != nil {
			return err
		}
		p.UpdatedAt = tx.now
		if _, err := tx.exec(ctx, `UPDATE persons SET descriptor = ?, sex = ?, age = ?, region = ?, city = ?, characteristics = ?, notes = ?, confidential = ?, updated_at = ? WHERE id = ?`,
			p.Descriptor, p.Sex, nullInt(p.Age), p.Region, p.City, js(nonNil(p.Characteristics)), p.Notes, p.Confidential, tx.tval(p.UpdatedAt), id); err != nil {
			return err
		}
		return tx.audit(ctx, "update", "person", id, p)
	})
	return p, err
}

// DeletePerson deletes a person no act or testimony refers to.
func (db *DB) DeletePerson(ctx context.Context, id string) error {
	return db.update(ctx, func(tx *Tx) error {
		return deleteRow(ctx, tx, "persons", "person", id)
	})
}

// deleteRow deletes one row by id and audits it; ENOTFOUND when there was none. A row still
// referred to is refused by the foreign keys (ECONFLICT).
func deleteRow(ctx context.Context, tx *Tx, table, kind, id string) error {
	res, err := tx.exec(ctx, `DELETE FROM `+table+` WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return casefile.Errorf(casefile.ENOTFOUND, "Delete", "no %s %s", kind, id)
	}
	return tx.audit(ctx, "delete", kind, id, nil)
}

// set assigns *p = *v when v is set.
func set[T any](p *T, v *T) {
	if v != nil {
		*p = *v
	}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// ConsentService

const consentCols = `id, person_id, scope, given_at, how_obtained, withdrawn_at, notes, created_at`

func scanConsent(sc interface{ Scan(...any) error }) (*casefile.Consent, error) {
	c := &casefile.Consent{}
	err := sc.Scan(&c.ID, &c.PersonID, &c.Scope, &c.GivenAt, &c.HowObtained, optTime{&c.WithdrawnAt}, &c.Notes, timeCol{&c.CreatedAt})
	return c, err
}

// FindConsent returns the person's latest consent.
func (db *DB) FindConsent(ctx context.Context, personID string) (*casefile.Consent, error) {
	var c *casefile.Consent
	err := db.view(ctx, func(tx *Tx) error {
		var err error
		c, err = scanConsent(tx.queryRow(ctx, `SELECT `+consentCols+` FROM consents WHERE person_id = ? ORDER BY created_at DESC, id DESC LIMIT 1`, personID))
		if errors.Is(err, sql.ErrNoRows) {
			return casefile.Errorf(casefile.ENOTFOUND, "FindConsent", "no consent recorded for person %s", personID)
		}
		return err
	})
	return c, err
}

// FindConsents returns every consent, ordered by person and then latest first.
func (db *DB) FindConsents(ctx context.Context) (out []*casefile.Consent, err error) {
	err = db.view(ctx, func(tx *Tx) (err error) {
		out, err = findConsents(ctx, tx)
		return err
	})
	return out, err
}

func findConsents(ctx context.Context, tx *Tx) ([]*casefile.Consent, error) {
	var out []*casefile.Consent
	err := func() error {
		rows, err := tx.query(ctx, `SELECT `+consentCols+` FROM consents ORDER BY person_id, created_at DESC, id DESC`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			c, err := scanConsent(rows)
			if err != nil {
				return err
			}
			out = append(out, c)
		}
		return rows.Err()
	}()
	return out, err
}

// CreateConsent records a consent.
func (db *DB) CreateConsent(ctx context.Context, c *casefile.Consent) error {
	return db.update(ctx, func(tx *Tx) error { return createConsent(ctx, tx, c, true) })
}

func createConsent(ctx context.Context, tx *Tx, c *casefile.Consent, stamp bool) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if err := mustExist(ctx, tx, "persons", "person", c.PersonID); err != nil {
		return err
	}
	if c.ID == "" {
		c.ID = casefile.NewID("con")
	}
	if stamp {
		c.CreatedAt = tx.now
	}
	if err := tx.insert(ctx, `INSERT INTO consents (`+consentCols+`) VALUES `, `(?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.PersonID, c.Scope, c.GivenAt, c.HowObtained, tx.tptr(c.WithdrawnAt), c.Notes, tx.tval(c.CreatedAt)); err != nil {
		return err
	}
	if stamp {
		return tx.audit(ctx, "create", "consent", c.ID, c)
	}
	return nil
}

// WithdrawConsent marks the person's consents withdrawn at the given time.
func (db *DB) WithdrawConsent(ctx context.Context, personID string, at time.Time) error {
	return db.update(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE consents SET withdrawn_at = ? WHERE person_id = ? AND withdrawn_at IS NULL`, tx.tval(at), personID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return casefile.Errorf(casefile.ENOTFOUND, "WithdrawConsent", "no standing consent for person %s", personID)
		}
		return tx.audit(ctx, "withdraw", "consent", personID, map[string]any{"person_id": personID, "withdrawn_at": at.UTC()})
	})
}

// mustExist returns ENOTFOUND naming kind and id when table has no row id.
func mustExist(ctx context.Context, tx *Tx, table, kind, id string) error {
	// Rows buffered by an import must be visible to the check.
	if err := tx.flush(ctx); err != nil {
		return err
	}
	var one int
	err := tx.queryRow(ctx, `SELECT 1 FROM `+table+` WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return casefile.Errorf(casefile.ENOTFOUND, "", "no %s %s", kind, id)
	}
	return err
}
