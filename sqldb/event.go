package sqldb

import (
	"context"
	"strings"

	"github.com/casefile/casefile"
)

const eventCols = `id, title, description, date_precision, date_start, date_end, country, region, city, setting, domain, confidential, created_by, created_at, updated_at`

func scanEvent(sc interface{ Scan(...any) error }, extra ...any) (*casefile.Event, error) {
	e := &casefile.Event{}
	var desc string
	if err := sc.Scan(append([]any{&e.ID, &e.Title, &desc, &e.Date.Precision, &e.Date.Start, &e.Date.End, &e.Country, &e.Region, &e.City,
		&e.Setting, &e.Domain, &e.Confidential, &e.CreatedBy, timeCol{&e.CreatedAt}, timeCol{&e.UpdatedAt}}, extra...)...); err != nil {
		return nil, err
	}
	return e, unjs(desc, &e.Description)
}

// FindEventByID returns the event, ENOTFOUND if there is none.
func (db *DB) FindEventByID(ctx context.Context, id string) (*casefile.Event, error) {
	es, _, err := db.FindEvents(ctx, casefile.EventFilter{ID: &id})
	if err != nil {
		return nil, err
	}
	if len(es) == 0 {
		return nil, casefile.Errorf(casefile.ENOTFOUND, "FindEventByID", "no event %s", id)
	}
	return es[0], nil
}

// FindEvents returns matching events ordered by ID.
func (db *DB) FindEvents(ctx context.Context, f casefile.EventFilter) (out []*casefile.Event, total int, err error) {
	err = db.view(ctx, func(tx *Tx) (err error) {
		out, total, err = findEvents(ctx, tx, f)
		return err
	})
	return out, total, err
}

func findEvents(ctx context.Context, tx *Tx, f casefile.EventFilter) ([]*casefile.Event, int, error) {
	var out []*casefile.Event
	total := 0
	err := func() error {
		var w where
		if f.ID != nil {
			w.add("id = ?", *f.ID)
		}
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
		rows, err := tx.query(ctx, `SELECT `+eventCols+`, COUNT(*) OVER() FROM events`+w.String()+` ORDER BY id`+page(f.Offset, f.Limit), w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			e, err := scanEvent(rows, &total)
			if err != nil {
				return err
			}
			out = append(out, e)
		}
		return rows.Err()
	}()
	return out, total, err
}

// CreateEvent stores a new event and indexes it.
func (db *DB) CreateEvent(ctx context.Context, e *casefile.Event) error {
	return db.update(ctx, func(tx *Tx) error { return createEvent(ctx, tx, e, true) })
}

func createEvent(ctx context.Context, tx *Tx, e *casefile.Event, stamp bool) error {
	if err := e.Validate(); err != nil {
		return err
	}
	if err := tx.db.checkCodes(e); err != nil {
		return err
	}
	if e.ID == "" {
		e.ID = casefile.NewID("evt")
	}
	if stamp {
		e.CreatedAt, e.UpdatedAt, e.CreatedBy = tx.now, tx.now, tx.actor
	}
	if err := tx.insert(ctx, `INSERT INTO events (`+eventCols+`, year) VALUES `, `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.Title, js(e.Description), e.Date.Precision, e.Date.Start, e.Date.End, e.Country, e.Region, e.City, e.Setting, e.Domain,
		e.Confidential, e.CreatedBy, tx.tval(e.CreatedAt), tx.tval(e.UpdatedAt), e.Date.Year()); err != nil {
		return err
	}
	if err := tx.indexEvent(ctx, e); err != nil {
		return err
	}
	if stamp {
		return tx.audit(ctx, "create", "event", e.ID, e)
	}
	return nil
}

func (tx *Tx) indexEvent(ctx context.Context, e *casefile.Event) error {
	return tx.index(ctx, searchDoc{Kind: "event", ID: e.ID, Title: e.Title, Body: joinText(append([]string{e.City, e.Region}, e.Description.All()...)...),
		Domain: e.Domain, Setting: e.Setting, Region: e.Region, Year: e.Date.Year()})
}

// UpdateEvent changes the fields set in u.
func (db *DB) UpdateEvent(ctx context.Context, id string, u casefile.EventUpdate) (*casefile.Event, error) {
	var e *casefile.Event
	err := db.update(ctx, func(tx *Tx) error {
		var err error
		e, err = scanEvent(tx.queryRow(ctx, `SELECT `+eventCols+` FROM events WHERE id = ?`, id))
		if err != nil {
			return notFound(err, "event", id)
		}
		set(&e.Title, u.Title)
		set(&e.Description, u.Description)
		set(&e.Date, u.Date)
		set(&e.Region, u.Region)
		set(&e.City, u.City)
		set(&e.Setting, u.Setting)
		set(&e.Domain, u.Domain)
		set(&e.Confidential, u.Confidential)
		if err := e.Validate(); err != nil {
			return err
		}
		if err := tx.db.checkCodes(e); err != nil {
			return err
		}
		e.UpdatedAt = tx.now
		if _, err := tx.exec(ctx, `UPDATE events SET title = ?, description = ?, date_precision = ?, date_start = ?, date_end = ?, year = ?, region = ?, city = ?,
			setting = ?, domain = ?, confidential = ?, updated_at = ? WHERE id = ?`,
			e.Title, js(e.Description), e.Date.Precision, e.Date.Start, e.Date.End, e.Date.Year(), e.Region, e.City, e.Setting, e.Domain,
			e.Confidential, tx.tval(e.UpdatedAt), id); err != nil {
			return err
		}
		if err := tx.indexEvent(ctx, e); err != nil {
			return err
		}
		// The event's domain and place reach its acts' search documents.
		acts, _, err := findActs(ctx, tx, casefile.ActFilter{EventID: &id})
		if err != nil {
			return err
		}
		for _, a := range acts {
			if err := tx.indexAct(ctx, a, e); err != nil {
				return err
			}
		}
		return tx.audit(ctx, "update", "event", id, e)
	})
	return e, err
}

// DeleteEvent deletes an event with its acts.
func (db *DB) DeleteEvent(ctx context.Context, id string) error {
	return db.update(ctx, func(tx *Tx) error {
		acts, _, err := findActs(ctx, tx, casefile.ActFilter{EventID: &id})
		if err != nil {
			return err
		}
		for _, a := range acts {
			if err := tx.unindex(ctx, "act", a.ID); err != nil {
				return err
			}
		}
		if err := tx.unindex(ctx, "event", id); err != nil {
			return err
		}
		return deleteRow(ctx, tx, "events", "event", id)
	})
}

// Acts

const actCols = `a.id, a.event_id, a.victim_id, a.type, a.method, a.consequences, a.description, a.date_precision, a.date_start, a.date_end,
	a.region, a.city, a.setting, a.confidential, a.created_by, a.created_at, a.updated_at`

func scanAct(sc interface{ Scan(...any) error }, extra ...any) (*casefile.Act, error) {
	a := &casefile.Act{}
	var cons, desc string
	if err := sc.Scan(append([]any{&a.ID, &a.EventID, &a.VictimID, &a.Type, &a.Method, &cons, &desc, &a.Date.Precision, &a.Date.Start, &a.Date.End,
		&a.Region, &a.City, &a.Setting, &a.Confidential, &a.CreatedBy, timeCol{&a.CreatedAt}, timeCol{&a.UpdatedAt}}, extra...)...); err != nil {
		return nil, err
	}
	if err := unjs(cons, &a.Consequences); err != nil {
		return nil, err
	}
	return a, unjs(desc, &a.Description)
}

// FindActByID returns the act with its involvements, ENOTFOUND if there is none.
func (db *DB) FindActByID(ctx context.Context, id string) (*casefile.Act, error) {
	as, _, err := db.FindActs(ctx, casefile.ActFilter{ID: &id})
	if err != nil {
		return nil, err
	}
	if len(as) == 0 {
		return nil, casefile.Errorf(casefile.ENOTFOUND, "FindActByID", "no act %s", id)
	}
	return as[0], nil
}

// FindActs returns matching acts, with their involvements, ordered by ID.
func (db *DB) FindActs(ctx context.Context, f casefile.ActFilter) ([]*casefile.Act, int, error) {
	var out []*casefile.Act
	total := 0
	err := db.view(ctx, func(tx *Tx) (err error) {
		out, total, err = findActs(ctx, tx, f)
		return err
	})
	return out, total, err
}

// actWhere builds the conditions of an act filter over acts a (joined to their events e when a
// filter needs the event), for the Find and List methods alike.
func actWhere(f casefile.ActFilter) (w where, join string) {
	if f.ID != nil {
		w.add("a.id = ?", *f.ID)
	}
	if f.EventID != nil {
		w.add("a.event_id = ?", *f.EventID)
	}
	if f.VictimID != nil {
		w.add("a.victim_id = ?", *f.VictimID)
	}
	if f.Type != nil {
		w.add("a.type = ?", *f.Type)
	}
	if f.Domain != nil || f.Setting != nil || f.Region != nil || f.Year != nil {
		join = " JOIN events e ON e.id = a.event_id"
		if f.Domain != nil {
			w.add("e.domain = ?", *f.Domain)
		}
		if f.Setting != nil {
			w.add("(a.setting = ? OR (a.setting = '' AND e.setting = ?))", *f.Setting, *f.Setting)
		}
		if f.Region != nil {
			w.add("(a.region = ? OR (a.region = '' AND e.region = ?))", *f.Region, *f.Region)
		}
		if f.Year != nil {
			w.add("(a.year = ? OR (a.year = 0 AND e.year = ?))", *f.Year, *f.Year)
		}
	}
	if f.PerpetratorType != nil {
		w.add("EXISTS (SELECT 1 FROM involvements i WHERE i.act_id = a.id AND i.perpetrator_type = ?)", *f.PerpetratorType)
	}
	return w, join
}

func findActs(ctx context.Context, tx *Tx, f casefile.ActFilter) ([]*casefile.Act, int, error) {
	w, join := actWhere(f)
	rows, err := tx.query(ctx, `SELECT `+actCols+`, COUNT(*) OVER() FROM acts a`+join+w.String()+` ORDER BY a.id`+page(f.Offset, f.Limit), w.args...)
	if err != nil {
		return nil, 0, err
	}
	var out []*casefile.Act
	total := 0
	byID := map[string]*casefile.Act{}
	for rows.Next() {
		a, err := scanAct(rows, &total)
		if err != nil {
			rows.Close()
			return nil, 0, err
		}
		out = append(out, a)
		byID[a.ID] = a
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	// Involvements, in batches of the page's acts.
	for start := 0; start < len(out); start += 500 {
		end := min(start+500, len(out))
		ids := make([]any, 0, end-start)
		for _, a := range out[start:end] {
			ids = append(ids, a.ID)
		}
		rows, err := tx.query(ctx, `SELECT id, act_id, perpetrator_id, perpetrator_type, degree, description FROM involvements
			WHERE act_id IN (`+placeholders(len(ids))+`) ORDER BY act_id, position`, ids...)
		if err != nil {
			return nil, 0, err
		}
		for rows.Next() {
			var inv casefile.Involvement
			if err := rows.Scan(&inv.ID, &inv.ActID, optString{&inv.PerpetratorID}, &inv.PerpetratorType, &inv.Degree, &inv.Description); err != nil {
				rows.Close()
				return nil, 0, err
			}
			a := byID[inv.ActID]
			a.Involvements = append(a.Involvements, inv)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// CreateAct stores an act with its involvements and indexes it.
func (db *DB) CreateAct(ctx context.Context, a *casefile.Act) error {
	return db.update(ctx, func(tx *Tx) error {
		e, err := scanEvent(tx.queryRow(ctx, `SELECT `+eventCols+` FROM events WHERE id = ?`, a.EventID))
		if err != nil {
			return notFound(err, "event", a.EventID)
		}
		return createAct(ctx, tx, a, e, true)
	})
}

func createAct(ctx context.Context, tx *Tx, a *casefile.Act, e *casefile.Event, stamp bool) error {
	if err := a.Validate(); err != nil {
		return err
	}
	if err := tx.db.checkCodes(a); err != nil {
		return err
	}
	if stamp {
		if err := mustExist(ctx, tx, "persons", "victim", a.VictimID); err != nil {
			return err
		}
	}
	if a.ID == "" {
		a.ID = casefile.NewID("act")
	}
	if stamp {
		a.CreatedAt, a.UpdatedAt, a.CreatedBy = tx.now, tx.now, tx.actor
	}
	if err := tx.insert(ctx, `INSERT INTO acts (id, event_id, victim_id, type, method, consequences, description, date_precision, date_start, date_end,
		region, city, setting, confidential, created_by, created_at, updated_at, year) VALUES `, `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.EventID, a.VictimID, a.Type, a.Method, js(nonNil(a.Consequences)), js(a.Description), a.Date.Precision, a.Date.Start, a.Date.End,
		a.Region, a.City, a.Setting, a.Confidential, a.CreatedBy, tx.tval(a.CreatedAt), tx.tval(a.UpdatedAt), a.Date.Year()); err != nil {
		return err
	}
	if err := tx.insertInvolvements(ctx, a); err != nil {
		return err
	}
	if err := tx.indexAct(ctx, a, e); err != nil {
		return err
	}
	if stamp {
		return tx.audit(ctx, "create", "act", a.ID, a)
	}
	return nil
}

func (tx *Tx) insertInvolvements(ctx context.Context, a *casefile.Act) error {
	for i := range a.Involvements {
		inv := &a.Involvements[i]
		if inv.ID == "" {
			inv.ID = casefile.NewID("inv")
		}
		inv.ActID = a.ID
		if err := tx.insert(ctx, `INSERT INTO involvements (id, act_id, position, perpetrator_id, perpetrator_type, degree, description) VALUES `, `(?, ?, ?, ?, ?, ?, ?)`,
			inv.ID, a.ID, i, nullStr(inv.PerpetratorID), inv.PerpetratorType, inv.Degree, inv.Description); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) indexAct(ctx context.Context, a *casefile.Act, e *casefile.Event) error {
	d := searchDoc{Kind: "act", ID: a.ID, Title: e.Title, Body: joinText(append([]string{a.Method}, a.Description.All()...)...),
		Domain: e.Domain, Setting: firstNonEmpty(a.Setting, e.Setting), ActType: a.Type, Region: firstNonEmpty(a.Region, e.Region), Year: a.Date.Year()}
	if d.Year == 0 {
		d.Year = e.Date.Year()
	}
	var types []string
	for _, inv := range a.Involvements {
		types = append(types, inv.PerpetratorType)
	}
	d.PerpetratorTypes = " " + strings.Join(types, " ") + " "
	return tx.index(ctx, d)
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// UpdateAct changes the fields set in u.
func (db *DB) UpdateAct(ctx context.Context, id string, u casefile.ActUpdate) (*casefile.Act, error) {
	var a *casefile.Act
	err := db.update(ctx, func(tx *Tx) error {
		as, _, err := findActs(ctx, tx, casefile.ActFilter{ID: &id})
		if err != nil {
			return err
		}
		if len(as) == 0 {
			return casefile.Errorf(casefile.ENOTFOUND, "UpdateAct", "no act %s", id)
		}
		a = as[0]
		set(&a.Type, u.Type)
		set(&a.Method, u.Method)
		set(&a.Consequences, u.Consequences)
		set(&a.Description, u.Description)
		set(&a.Date, u.Date)
		set(&a.Setting, u.Setting)
		set(&a.Confidential, u.Confidential)
		if u.Involvements != nil {
			a.Involvements = append([]casefile.Involvement(nil), (*u.Involvements)...)
		}
		if err := a.Validate(); err != nil {
			return err
		}
		if err := tx.db.checkCodes(a); err != nil {
			return err
		}
		a.UpdatedAt = tx.now
		if _, err := tx.exec(ctx, `UPDATE acts SET type = ?, method = ?, consequences = ?, description = ?, date_precision = ?, date_start = ?, date_end = ?,
			year = ?, setting = ?, confidential = ?, updated_at = ? WHERE id = ?`,
			a.Type, a.Method, js(nonNil(a.Consequences)), js(a.Description), a.Date.Precision, a.Date.Start, a.Date.End, a.Date.Year(), a.Setting,
			a.Confidential, tx.tval(a.UpdatedAt), id); err != nil {
			return err
		}
		if u.Involvements != nil {
			if _, err := tx.exec(ctx, `DELETE FROM involvements WHERE act_id = ?`, id); err != nil {
				return err
			}
			if err := tx.insertInvolvements(ctx, a); err != nil {
				return err
			}
		}
		e, err := scanEvent(tx.queryRow(ctx, `SELECT `+eventCols+` FROM events WHERE id = ?`, a.EventID))
		if err != nil {
			return err
		}
		if err := tx.indexAct(ctx, a, e); err != nil {
			return err
		}
		return tx.audit(ctx, "update", "act", id, a)
	})
	return a, err
}

// DeleteAct deletes an act with its involvements.
func (db *DB) DeleteAct(ctx context.Context, id string) error {
	return db.update(ctx, func(tx *Tx) error {
		if err := tx.unindex(ctx, "act", id); err != nil {
			return err
		}
		return deleteRow(ctx, tx, "acts", "act", id)
	})
}
