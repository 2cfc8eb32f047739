package sqldb

import (
	"context"

	"github.com/casefile/casefile"
)

const informationCols = `id, source_id, event_id, act_id, testimony_id, connection, reliability, locator, notes, created_at`

// FindInformation returns the information links that match, ordered by ID.
func (db *DB) FindInformation(ctx context.Context, f casefile.InformationFilter) (out []*casefile.Information, err error) {
	err = db.view(ctx, func(tx *Tx) (err error) {
		out, err = findInformation(ctx, tx, f)
		return err
	})
	return out, err
}

func findInformation(ctx context.Context, tx *Tx, f casefile.InformationFilter) ([]*casefile.Information, error) {
	var out []*casefile.Information
	err := func() error {
		var w where
		if f.SourceID != nil {
			w.add("source_id = ?", *f.SourceID)
		}
		if f.EventID != nil {
			w.add("event_id = ?", *f.EventID)
		}
		if f.ActID != nil {
			w.add("act_id = ?", *f.ActID)
		}
		rows, err := tx.query(ctx, `SELECT `+informationCols+` FROM information`+w.String()+` ORDER BY id`, w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			i := &casefile.Information{}
			if err := rows.Scan(&i.ID, &i.SourceID, optString{&i.EventID}, optString{&i.ActID}, optString{&i.TestimonyID}, &i.Connection, &i.Reliability,
				&i.Locator, &i.Notes, timeCol{&i.CreatedAt}); err != nil {
				return err
			}
			out = append(out, i)
		}
		return rows.Err()
	}()
	return out, err
}

// CreateInformation links a source to an event or act.
func (db *DB) CreateInformation(ctx context.Context, i *casefile.Information) error {
	return db.update(ctx, func(tx *Tx) error {
		for _, ref := range []struct{ table, kind, id string }{
			{"sources", "source", i.SourceID}, {"events", "event", i.EventID}, {"acts", "act", i.ActID}, {"testimonies", "testimony", i.TestimonyID},
		} {
			if ref.id != "" {
				if err := mustExist(ctx, tx, ref.table, ref.kind, ref.id); err != nil {
					return err
				}
			}
		}
		return createInformation(ctx, tx, i, true)
	})
}

func createInformation(ctx context.Context, tx *Tx, i *casefile.Information, stamp bool) error {
	if i.SourceID == "" {
		return casefile.Errorf(casefile.EINVALID, "", "information: source_id is required")
	}
	if i.EventID == "" && i.ActID == "" {
		return casefile.Errorf(casefile.EINVALID, "", "information: an event_id or act_id is required")
	}
	if err := tx.db.checkCodes(i); err != nil {
		return err
	}
	if i.ID == "" {
		i.ID = casefile.NewID("inf")
	}
	if stamp {
		i.CreatedAt = tx.now
	}
	if err := tx.insert(ctx, `INSERT INTO information (`+informationCols+`) VALUES `, `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		i.ID, i.SourceID, nullStr(i.EventID), nullStr(i.ActID), nullStr(i.TestimonyID), i.Connection, i.Reliability, i.Locator, i.Notes, tx.tval(i.CreatedAt)); err != nil {
		return err
	}
	if stamp {
		return tx.audit(ctx, "create", "information", i.ID, i)
	}
	return nil
}

// DeleteInformation deletes one information link.
func (db *DB) DeleteInformation(ctx context.Context, id string) error {
	return db.update(ctx, func(tx *Tx) error { return deleteRow(ctx, tx, "information", "information", id) })
}

const interventionCols = `id, event_id, act_id, kind, date_precision, date_start, date_end, by_whom, body, outcome, description, created_at`

// FindInterventions returns the interventions about an act or an event (both empty: all).
func (db *DB) FindInterventions(ctx context.Context, actID, eventID string) (out []*casefile.Intervention, err error) {
	err = db.view(ctx, func(tx *Tx) (err error) {
		out, err = findInterventions(ctx, tx, actID, eventID)
		return err
	})
	return out, err
}

func findInterventions(ctx context.Context, tx *Tx, actID, eventID string) ([]*casefile.Intervention, error) {
	var out []*casefile.Intervention
	err := func() error {
		var w where
		if actID != "" {
			w.add("act_id = ?", actID)
		}
		if eventID != "" {
			w.add("event_id = ?", eventID)
		}
		rows, err := tx.query(ctx, `SELECT `+interventionCols+` FROM interventions`+w.String()+` ORDER BY id`, w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			i := &casefile.Intervention{}
			var desc string
			if err := rows.Scan(&i.ID, optString{&i.EventID}, optString{&i.ActID}, &i.Kind, &i.Date.Precision, &i.Date.Start, &i.Date.End, &i.By, &i.Body,
				&i.Outcome, &desc, timeCol{&i.CreatedAt}); err != nil {
				return err
			}
			if err := unjs(desc, &i.Description); err != nil {
				return err
			}
			out = append(out, i)
		}
		return rows.Err()
	}()
	return out, err
}

// CreateIntervention records an intervention.
func (db *DB) CreateIntervention(ctx context.Context, i *casefile.Intervention) error {
	return db.update(ctx, func(tx *Tx) error { return createIntervention(ctx, tx, i, true) })
}

func createIntervention(ctx context.Context, tx *Tx, i *casefile.Intervention, stamp bool) error {
	if i.Kind == "" {
		return casefile.Errorf(casefile.EINVALID, "", "intervention: kind is required")
	}
	if i.EventID == "" && i.ActID == "" {
		return casefile.Errorf(casefile.EINVALID, "", "intervention: an event_id or act_id is required")
	}
	if err := i.Date.Validate("intervention date"); err != nil {
		return err
	}
	if err := tx.db.checkCodes(i); err != nil {
		return err
	}
	if i.ID == "" {
		i.ID = casefile.NewID("itv")
	}
	if stamp {
		i.CreatedAt = tx.now
	}
	if err := tx.insert(ctx, `INSERT INTO interventions (`+interventionCols+`) VALUES `, `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		i.ID, nullStr(i.EventID), nullStr(i.ActID), i.Kind, i.Date.Precision, i.Date.Start, i.Date.End, i.By, i.Body, i.Outcome, js(i.Description),
		tx.tval(i.CreatedAt)); err != nil {
		return err
	}
	if stamp {
		return tx.audit(ctx, "create", "intervention", i.ID, i)
	}
	return nil
}

// DeleteIntervention deletes an intervention.
func (db *DB) DeleteIntervention(ctx context.Context, id string) error {
	return db.update(ctx, func(tx *Tx) error { return deleteRow(ctx, tx, "interventions", "intervention", id) })
}

const indicatorCols = `id, name, name_ru, value, qualifier, unit, year, geography, domain, source_id, locator, note, formula, inputs, created_at`

// FindIndicatorByID returns the indicator, ENOTFOUND if there is none.
func (db *DB) FindIndicatorByID(ctx context.Context, id string) (*casefile.Indicator, error) {
	is, _, err := db.FindIndicators(ctx, casefile.IndicatorFilter{ID: &id})
	if err != nil {
		return nil, err
	}
	if len(is) == 0 {
		return nil, casefile.Errorf(casefile.ENOTFOUND, "FindIndicatorByID", "no indicator %s", id)
	}
	return is[0], nil
}

// FindIndicators returns the matching indicators ordered by ID.
func (db *DB) FindIndicators(ctx context.Context, f casefile.IndicatorFilter) (out []*casefile.Indicator, total int, err error) {
	err = db.view(ctx, func(tx *Tx) (err error) {
		out, total, err = findIndicators(ctx, tx, f)
		return err
	})
	return out, total, err
}

func findIndicators(ctx context.Context, tx *Tx, f casefile.IndicatorFilter) ([]*casefile.Indicator, int, error) {
	var out []*casefile.Indicator
	total := 0
	err := func() error {
		var w where
		if f.ID != nil {
			w.add("id = ?", *f.ID)
		}
		if f.Geography != nil {
			w.add("geography = ?", *f.Geography)
		}
		if f.Domain != nil {
			w.add("domain = ?", *f.Domain)
		}
		rows, err := tx.query(ctx, `SELECT `+indicatorCols+`, COUNT(*) OVER() FROM indicators`+w.String()+` ORDER BY id`+page(f.Offset, f.Limit), w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			i := &casefile.Indicator{}
			var inputs string
			if err := rows.Scan(&i.ID, &i.Name, &i.NameRU, &i.Value, &i.Qualifier, &i.Unit, &i.Year, &i.Geography, &i.Domain, optString{&i.SourceID},
				&i.Locator, &i.Note, &i.Formula, &inputs, timeCol{&i.CreatedAt}, &total); err != nil {
				return err
			}
			if err := unjs(inputs, &i.Inputs); err != nil {
				return err
			}
			out = append(out, i)
		}
		return rows.Err()
	}()
	return out, total, err
}

// CreateIndicator stores a sourced figure; a figure without a source is refused.
func (db *DB) CreateIndicator(ctx context.Context, i *casefile.Indicator) error {
	return db.update(ctx, func(tx *Tx) error { return createIndicator(ctx, tx, i, true) })
}

func createIndicator(ctx context.Context, tx *Tx, i *casefile.Indicator, stamp bool) error {
	if err := i.Validate(); err != nil {
		return err
	}
	if i.SourceID != "" {
		if err := mustExist(ctx, tx, "sources", "source", i.SourceID); err != nil {
			return err
		}
	}
	for _, in := range i.Inputs {
		if err := mustExist(ctx, tx, "indicators", "input indicator", in); err != nil {
			return err
		}
	}
	if i.ID == "" {
		i.ID = casefile.NewID("ind")
	}
	if stamp {
		i.CreatedAt = tx.now
	}
	if err := tx.insert(ctx, `INSERT INTO indicators (`+indicatorCols+`) VALUES `, `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		i.ID, i.Name, i.NameRU, i.Value, i.Qualifier, i.Unit, i.Year, i.Geography, i.Domain, nullStr(i.SourceID), i.Locator, i.Note, i.Formula,
		js(nonNil(i.Inputs)), tx.tval(i.CreatedAt)); err != nil {
		return err
	}
	if stamp {
		return tx.audit(ctx, "create", "indicator", i.ID, i)
	}
	return nil
}

// DeleteIndicator deletes an indicator no derived indicator uses.
func (db *DB) DeleteIndicator(ctx context.Context, id string) error {
	return db.update(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM indicators WHERE inputs LIKE ?`+likeEscape, likeContains(`"`, id, `"`)).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return casefile.Errorf(casefile.ECONFLICT, "DeleteIndicator", "indicator %s is an input of %d derived indicator(s)", id, n)
		}
		return deleteRow(ctx, tx, "indicators", "indicator", id)
	})
}
