package sqldb

import (
	"context"

	"github.com/casefile/casefile"
)

// The List methods page through records for the web application: the page and the total are two
// plain queries (the total a COUNT over an index, the page an index walk that stops at the
// limit), where the Find methods' COUNT(*) OVER() reads every matching row to number them. They
// apply record confidentiality in the query, so pages are full and totals exact for the viewer.

// visibleTo limits a list to what v may see. When other conditions select the rows, the
// visibility index is kept out of SQLite's plan (a unary +), which would otherwise walk it for
// most of the table; alone, the index is what makes the count cheap.
func (db *DB) visibleTo(w *where, alias string, v casefile.Viewer) {
	if v.All {
		return
	}
	plus := ""
	if len(w.conds) > 0 && db.d.name == "sqlite" {
		plus = "+"
	}
	w.add("("+plus+alias+"confidential = ? OR "+plus+alias+"created_by = ?)", false, v.Username)
}

// ListActs returns one page of the acts f selects that v may see, and how many there are.
func (db *DB) ListActs(ctx context.Context, f casefile.ActFilter, v casefile.Viewer) (out []*casefile.Act, total int, err error) {
	var w where
	if f.EventID != nil {
		w.add("a.event_id = ?", *f.EventID)
	}
	if f.VictimID != nil {
		w.add("a.victim_id = ?", *f.VictimID)
	}
	if f.Type != nil {
		w.add("a.type = ?", *f.Type)
	}
	// Event conditions become sets of event IDs, so no act is joined to its event: an act's own
	// setting, region or year counts when it has one, else its event's.
	if f.Domain != nil {
		w.add("a.event_id IN (SELECT id FROM events WHERE domain = ?)", *f.Domain)
	}
	if f.Setting != nil {
		w.add("(a.setting = ? OR (a.setting = '' AND a.event_id IN (SELECT id FROM events WHERE setting = ?)))", *f.Setting, *f.Setting)
	}
	if f.Region != nil {
		w.add("(a.region = ? OR (a.region = '' AND a.event_id IN (SELECT id FROM events WHERE region = ?)))", *f.Region, *f.Region)
	}
	if f.Year != nil {
		w.add("(a.year = ? OR (a.year = 0 AND a.event_id IN (SELECT id FROM events WHERE year = ?)))", *f.Year, *f.Year)
	}
	if f.PerpetratorType != nil {
		w.add("a.id IN (SELECT act_id FROM involvements WHERE perpetrator_type = ?)", *f.PerpetratorType)
	}
	db.visibleTo(&w, "a.", v)
	err = db.view(ctx, func(tx *Tx) error {
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM acts a`+w.String(), w.args...).Scan(&total); err != nil {
			return err
		}
		rows, err := tx.query(ctx, `SELECT `+actCols+` FROM acts a`+w.String()+` ORDER BY a.id`+page(f.Offset, f.Limit), w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			a, err := scanAct(rows)
			if err != nil {
				return err
			}
			out = append(out, a)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		return loadInvolvements(ctx, tx, out)
	})
	return out, total, err
}

func loadInvolvements(ctx context.Context, tx *Tx, acts []*casefile.Act) error {
	if len(acts) == 0 {
		return nil
	}
	byID := map[string]*casefile.Act{}
	ids := make([]any, 0, len(acts))
	for _, a := range acts {
		byID[a.ID] = a
		ids = append(ids, a.ID)
	}
	rows, err := tx.query(ctx, `SELECT id, act_id, perpetrator_id, perpetrator_type, degree, description FROM involvements
		WHERE act_id IN (`+placeholders(len(ids))+`) ORDER BY act_id, position`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var inv casefile.Involvement
		if err := rows.Scan(&inv.ID, &inv.ActID, optString{&inv.PerpetratorID}, &inv.PerpetratorType, &inv.Degree, &inv.Description); err != nil {
			return err
		}
		a := byID[inv.ActID]
		a.Involvements = append(a.Involvements, inv)
	}
	return rows.Err()
}

// ListEvents returns one page of the events f selects that v may see, and how many there are.
func (db *DB) ListEvents(ctx context.Context, f casefile.EventFilter, v casefile.Viewer) (out []*casefile.Event, total int, err error) {
	var w where
	if f.Domain != nil {
		w.add("domain = ?", *f.Domain)
	}
	if f.Setting != nil {
		w.add("setting = ?", *f.Setting)
	}
	if f.Region != nil {
		w.add("region = ?", *f.Region)
	}
	if f.Year != nil {
		w.add("year = ?", *f.Year)
	}
	db.visibleTo(&w, "", v)
	err = db.view(ctx, func(tx *Tx) error {
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM events`+w.String(), w.args...).Scan(&total); err != nil {
			return err
		}
		rows, err := tx.query(ctx, `SELECT `+eventCols+` FROM events`+w.String()+` ORDER BY id`+page(f.Offset, f.Limit), w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			e, err := scanEvent(rows)
			if err != nil {
				return err
			}
			out = append(out, e)
		}
		return rows.Err()
	})
	return out, total, err
}

// ListPersons returns one page of the people f selects that v may see, and how many there are.
func (db *DB) ListPersons(ctx context.Context, f casefile.PersonFilter, v casefile.Viewer) (out []*casefile.Person, total int, err error) {
	var w where
	if f.Region != nil {
		w.add("region = ?", *f.Region)
	}
	if f.Characteristic != nil {
		w.add("characteristics LIKE ?"+likeEscape, likeContains(`"`, *f.Characteristic, `"`))
	}
	db.visibleTo(&w, "", v)
	err = db.view(ctx, func(tx *Tx) error {
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM persons`+w.String(), w.args...).Scan(&total); err != nil {
			return err
		}
		rows, err := tx.query(ctx, `SELECT `+personCols+` FROM persons`+w.String()+` ORDER BY id`+page(f.Offset, f.Limit), w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanPerson(rows)
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, total, err
}

// ListTestimonies returns one page of the testimonies v may see, and how many there are.
func (db *DB) ListTestimonies(ctx context.Context, f casefile.TestimonyFilter, v casefile.Viewer) (out []*casefile.Testimony, total int, err error) {
	var w where
	if f.PersonID != nil {
		w.add("person_id = ?", *f.PersonID)
	}
	db.visibleTo(&w, "", v)
	err = db.view(ctx, func(tx *Tx) error {
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM testimonies`+w.String(), w.args...).Scan(&total); err != nil {
			return err
		}
		rows, err := tx.query(ctx, `SELECT `+testimonyCols+` FROM testimonies`+w.String()+` ORDER BY id`+page(f.Offset, f.Limit), w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			t, err := scanTestimony(rows)
			if err != nil {
				return err
			}
			out = append(out, t)
		}
		return rows.Err()
	})
	return out, total, err
}
