package sqldb

import (
	"context"
	"database/sql"
	"errors"

	"github.com/casefile/casefile"
)

var _ casefile.UserService = (*DB)(nil)

const userCols = `id, username, name, role, lang, password_hash, totp_secret, disabled, last_login_at, created_at, updated_at`

func scanUser(sc interface{ Scan(...any) error }, extra ...any) (*casefile.User, error) {
	u := &casefile.User{}
	err := sc.Scan(append([]any{&u.ID, &u.Username, &u.Name, &u.Role, &u.Lang, &u.PasswordHash, &u.TOTPSecret, &u.Disabled,
		optTime{&u.LastLoginAt}, timeCol{&u.CreatedAt}, timeCol{&u.UpdatedAt}}, extra...)...)
	return u, err
}

// FindUserByID returns the user, ENOTFOUND if there is none.
func (db *DB) FindUserByID(ctx context.Context, id string) (*casefile.User, error) {
	us, _, err := db.FindUsers(ctx, casefile.UserFilter{ID: &id})
	if err != nil {
		return nil, err
	}
	if len(us) == 0 {
		return nil, casefile.Errorf(casefile.ENOTFOUND, "FindUserByID", "no such user")
	}
	return us[0], nil
}

// FindUserByUsername returns the user, ENOTFOUND if there is none.
func (db *DB) FindUserByUsername(ctx context.Context, username string) (*casefile.User, error) {
	us, _, err := db.FindUsers(ctx, casefile.UserFilter{Username: &username})
	if err != nil {
		return nil, err
	}
	if len(us) == 0 {
		return nil, casefile.Errorf(casefile.ENOTFOUND, "FindUserByUsername", "no such user")
	}
	return us[0], nil
}

// FindUsers returns matching users ordered by username.
func (db *DB) FindUsers(ctx context.Context, f casefile.UserFilter) (out []*casefile.User, total int, err error) {
	err = db.view(ctx, func(tx *Tx) error {
		var w where
		if f.ID != nil {
			w.add("id = ?", *f.ID)
		}
		if f.Username != nil {
			w.add("username = ?", *f.Username)
		}
		if f.Role != nil {
			w.add("role = ?", *f.Role)
		}
		rows, err := tx.query(ctx, `SELECT `+userCols+`, COUNT(*) OVER() FROM users`+w.String()+` ORDER BY username`+page(f.Offset, f.Limit), w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			u, err := scanUser(rows, &total)
			if err != nil {
				return err
			}
			out = append(out, u)
		}
		return rows.Err()
	})
	return out, total, err
}

// CreateUser stores a new user. EINVALID; ECONFLICT when the username is taken.
func (db *DB) CreateUser(ctx context.Context, u *casefile.User) error {
	if u.Lang == "" {
		u.Lang = "en"
	}
	if err := u.Validate(); err != nil {
		return err
	}
	err := db.update(ctx, func(tx *Tx) error {
		if u.ID == "" {
			u.ID = casefile.NewID("usr")
		}
		u.CreatedAt, u.UpdatedAt = tx.now, tx.now
		if _, err := tx.exec(ctx, `INSERT INTO users (`+userCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			u.ID, u.Username, u.Name, u.Role, u.Lang, u.PasswordHash, u.TOTPSecret, u.Disabled, tx.tptr(u.LastLoginAt),
			tx.tval(u.CreatedAt), tx.tval(u.UpdatedAt)); err != nil {
			return err
		}
		return tx.audit(ctx, "create", "user", u.ID, u)
	})
	if casefile.ErrorKind(err) == casefile.ECONFLICT {
		return &casefile.Error{Kind: casefile.ECONFLICT, Op: "CreateUser", Message: "the username is taken", Err: err}
	}
	return err
}

// UpdateUser changes the fields set in u. ENOTFOUND, EINVALID.
func (db *DB) UpdateUser(ctx context.Context, id string, up casefile.UserUpdate) (*casefile.User, error) {
	var u *casefile.User
	err := db.update(ctx, func(tx *Tx) error {
		var err error
		u, err = scanUser(tx.queryRow(ctx, `SELECT `+userCols+` FROM users WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return casefile.Errorf(casefile.ENOTFOUND, "UpdateUser", "no such user")
		} else if err != nil {
			return err
		}
		set(&u.Name, up.Name)
		set(&u.Role, up.Role)
		set(&u.Lang, up.Lang)
		set(&u.PasswordHash, up.PasswordHash)
		set(&u.TOTPSecret, up.TOTPSecret)
		set(&u.Disabled, up.Disabled)
		if up.LastLoginAt != nil {
			t := *up.LastLoginAt
			u.LastLoginAt = &t
		}
		if err := u.Validate(); err != nil {
			return err
		}
		u.UpdatedAt = tx.now
		if _, err := tx.exec(ctx, `UPDATE users SET name = ?, role = ?, lang = ?, password_hash = ?, totp_secret = ?, disabled = ?, last_login_at = ?, updated_at = ?
			WHERE id = ?`, u.Name, u.Role, u.Lang, u.PasswordHash, u.TOTPSecret, u.Disabled, tx.tptr(u.LastLoginAt), tx.tval(u.UpdatedAt), id); err != nil {
			return err
		}
		// A login only stamps the time; it is not a change worth a ledger entry of its own.
		if up.LastLoginAt != nil && up.Name == nil && up.Role == nil && up.Lang == nil && up.PasswordHash == nil && up.TOTPSecret == nil && up.Disabled == nil {
			return nil
		}
		return tx.audit(ctx, "update", "user", id, u)
	})
	return u, err
}

// Dimensions CountActs counts by.
var actDimensions = map[string]string{
	"domain":           `SELECT e.domain, COUNT(*) FROM acts a JOIN events e ON e.id = a.event_id GROUP BY 1`,
	"setting":          `SELECT CASE WHEN a.setting <> '' THEN a.setting ELSE e.setting END, COUNT(*) FROM acts a JOIN events e ON e.id = a.event_id GROUP BY 1`,
	"region":           `SELECT CASE WHEN a.region <> '' THEN a.region ELSE e.region END, COUNT(*) FROM acts a JOIN events e ON e.id = a.event_id GROUP BY 1`,
	"year":             `SELECT CAST(CASE WHEN a.year <> 0 THEN a.year ELSE e.year END AS TEXT), COUNT(*) FROM acts a JOIN events e ON e.id = a.event_id GROUP BY 1`,
	"type":             `SELECT a.type, COUNT(*) FROM acts a GROUP BY 1`,
	"perpetrator_type": `SELECT perpetrator_type, COUNT(DISTINCT act_id) FROM involvements GROUP BY 1`,
}

// CountActs counts acts by one dimension: domain, setting, region, year (as text), type or
// perpetrator_type (an act with two perpetrator types counts once under each). Values that are
// not recorded count under "". EINVALID for another dimension.
func (db *DB) CountActs(ctx context.Context, dimension string) (map[string]int, error) {
	q, ok := actDimensions[dimension]
	if !ok {
		return nil, casefile.Errorf(casefile.EINVALID, "CountActs", "no dimension %q", dimension)
	}
	out := map[string]int{}
	err := db.view(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, q)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k string
			var n int
			if err := rows.Scan(&k, &n); err != nil {
				return err
			}
			if k == "0" && dimension == "year" {
				k = ""
			}
			out[k] += n
		}
		return rows.Err()
	})
	return out, err
}

// CountAll returns how many acts, events, people, sources and testimonies the store holds.
func (db *DB) CountAll(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	err := db.view(ctx, func(tx *Tx) error {
		for _, t := range []string{"acts", "events", "persons", "sources", "testimonies", "assessments", "indicators"} {
			var n int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM `+t).Scan(&n); err != nil {
				return err
			}
			out[t] = n
		}
		return nil
	})
	return out, err
}
