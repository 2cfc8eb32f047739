package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/casefile/casefile"
)

var _ casefile.SessionService = (*DB)(nil)

// CreateSession stores a browser session. Expired sessions are removed on the way, so the table
// does not grow without bound.
func (db *DB) CreateSession(ctx context.Context, s *casefile.Session) error {
	if s.ID == "" || s.UserID == "" || s.CSRF == "" {
		return casefile.Errorf(casefile.EINVALID, "CreateSession", "a session needs an id, a user and a CSRF token")
	}
	return db.update(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE expires_at < ?`, tx.tval(tx.now)); err != nil {
			return err
		}
		s.CreatedAt = tx.now
		_, err := tx.exec(ctx, `INSERT INTO sessions (id, user_id, csrf, mfa_pending, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
			s.ID, s.UserID, s.CSRF, s.MFAPending, tx.tval(s.CreatedAt), tx.tval(s.ExpiresAt))
		return err
	})
}

// FindSession returns the unexpired session. ENOTFOUND.
func (db *DB) FindSession(ctx context.Context, id string) (*casefile.Session, error) {
	s := &casefile.Session{}
	err := db.view(ctx, func(tx *Tx) error {
		err := tx.queryRow(ctx, `SELECT id, user_id, csrf, mfa_pending, created_at, expires_at FROM sessions WHERE id = ? AND expires_at > ?`,
			id, tx.tval(tx.now)).Scan(&s.ID, &s.UserID, &s.CSRF, &s.MFAPending, timeCol{&s.CreatedAt}, timeCol{&s.ExpiresAt})
		if errors.Is(err, sql.ErrNoRows) {
			return casefile.Errorf(casefile.ENOTFOUND, "FindSession", "no such session")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// UpdateSession sets the second-factor state and the expiry of a session. ENOTFOUND.
func (db *DB) UpdateSession(ctx context.Context, id string, mfaPending bool, expires time.Time) error {
	return db.update(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE sessions SET mfa_pending = ?, expires_at = ? WHERE id = ?`, mfaPending, tx.tval(expires), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return casefile.Errorf(casefile.ENOTFOUND, "UpdateSession", "no such session")
		}
		return nil
	})
}

// DeleteSession removes a session (logging out). A session that is gone already is not an error.
func (db *DB) DeleteSession(ctx context.Context, id string) error {
	return db.update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM sessions WHERE id = ?`, id)
		return err
	})
}

// DeleteUserSessions removes every session of a user: after a password reset or disabling.
func (db *DB) DeleteUserSessions(ctx context.Context, userID string) error {
	return db.update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
		return err
	})
}

// CreateToken stores an API token. EINVALID.
func (db *DB) CreateToken(ctx context.Context, t *casefile.Token) error {
	if t.UserID == "" || t.Hash == "" || t.Name == "" {
		return casefile.Errorf(casefile.EINVALID, "CreateToken", "a token needs a user, a name and a hash")
	}
	return db.update(ctx, func(tx *Tx) error {
		if t.ID == "" {
			t.ID = casefile.NewID("tok")
		}
		t.CreatedAt = tx.now
		if _, err := tx.exec(ctx, `INSERT INTO api_tokens (id, user_id, name, hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
			t.ID, t.UserID, t.Name, t.Hash, tx.tval(t.CreatedAt), tx.tptr(t.ExpiresAt)); err != nil {
			return err
		}
		return tx.audit(ctx, "create", "token", t.ID, t)
	})
}

const tokenCols = `id, user_id, name, hash, created_at, expires_at, last_used_at`

func scanToken(sc interface{ Scan(...any) error }) (*casefile.Token, error) {
	t := &casefile.Token{}
	return t, sc.Scan(&t.ID, &t.UserID, &t.Name, &t.Hash, timeCol{&t.CreatedAt}, optTime{&t.ExpiresAt}, optTime{&t.LastUsedAt})
}

// FindTokenByHash returns the unexpired token with the hash and stamps its last use. ENOTFOUND.
func (db *DB) FindTokenByHash(ctx context.Context, hash string) (*casefile.Token, error) {
	var t *casefile.Token
	err := db.update(ctx, func(tx *Tx) error {
		var err error
		t, err = scanToken(tx.queryRow(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE hash = ? AND (expires_at IS NULL OR expires_at > ?)`, hash, tx.tval(tx.now)))
		if errors.Is(err, sql.ErrNoRows) {
			return casefile.Errorf(casefile.EUNAUTHORIZED, "FindTokenByHash", "the token is not valid")
		} else if err != nil {
			return err
		}
		// Stamp at most once a minute, so a busy script does not turn every read into a write.
		if t.LastUsedAt == nil || tx.now.Sub(*t.LastUsedAt) > time.Minute {
			now := tx.now
			t.LastUsedAt = &now
			_, err = tx.exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, tx.tval(now), t.ID)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// FindTokens returns a user's tokens, newest first.
func (db *DB) FindTokens(ctx context.Context, userID string) (out []*casefile.Token, err error) {
	err = db.view(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE user_id = ? ORDER BY created_at DESC, id`, userID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			t, err := scanToken(rows)
			if err != nil {
				return err
			}
			out = append(out, t)
		}
		return rows.Err()
	})
	return out, err
}

// DeleteToken removes one of the user's tokens. ENOTFOUND.
func (db *DB) DeleteToken(ctx context.Context, userID, id string) error {
	return db.update(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM api_tokens WHERE id = ? AND user_id = ?`, id, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return casefile.Errorf(casefile.ENOTFOUND, "DeleteToken", "no such token")
		}
		return tx.audit(ctx, "delete", "token", id, nil)
	})
}
