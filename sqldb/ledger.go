package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/casefile/casefile"
)

// EachAuditEntry calls fn with every ledger entry after afterSeq, in the order of the table's
// primary key, streaming them from one read transaction so that a ledger of millions of entries
// is checked with flat memory. The entry passed to fn is reused: fn must copy what it keeps.
func (db *DB) EachAuditEntry(ctx context.Context, afterSeq int64, fn func(e *casefile.AuditEntry) error) error {
	return db.view(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT seq, at, actor, action, object_kind, object_id, object_hash, prev_hash, hash
			FROM audit_log WHERE seq > ? ORDER BY seq`, afterSeq)
		if err != nil {
			return err
		}
		defer rows.Close()
		e := &casefile.AuditEntry{}
		for rows.Next() {
			if err := rows.Scan(&e.Seq, timeCol{&e.At}, &e.Actor, &e.Action, &e.ObjectKind, &e.ObjectID, &e.ObjectHash, &e.PrevHash, &e.Hash); err != nil {
				return err
			}
			if err := fn(e); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

// AuditHead returns the ledger's tip as audit_head records it: the last sequence number and hash.
func (db *DB) AuditHead(ctx context.Context) (seq int64, hash string, err error) {
	err = db.view(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&seq, &hash)
	})
	return seq, hash, err
}

// CreateCheckpoint stores a signed checkpoint. A checkpoint for the same seq exists already is
// ECONFLICT (there is nothing new to sign).
func (db *DB) CreateCheckpoint(ctx context.Context, c *casefile.Checkpoint) error {
	return db.update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO audit_checkpoints (seq, hash, at, public_key, signature) VALUES (?, ?, ?, ?, ?)`,
			c.Seq, c.Hash, tx.tval(c.At), c.PublicKey, c.Signature)
		return err
	})
}

// FindCheckpoints returns every checkpoint in sequence order.
func (db *DB) FindCheckpoints(ctx context.Context) ([]*casefile.Checkpoint, error) {
	var out []*casefile.Checkpoint
	err := db.view(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT seq, hash, at, public_key, signature FROM audit_checkpoints ORDER BY seq`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			c := &casefile.Checkpoint{}
			if err := rows.Scan(&c.Seq, &c.Hash, timeCol{&c.At}, &c.PublicKey, &c.Signature); err != nil {
				return err
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}

// LatestCheckpoint returns the checkpoint with the highest seq, ENOTFOUND when none was made.
func (db *DB) LatestCheckpoint(ctx context.Context) (*casefile.Checkpoint, error) {
	c := &casefile.Checkpoint{}
	err := db.view(ctx, func(tx *Tx) error {
		err := tx.queryRow(ctx, `SELECT seq, hash, at, public_key, signature FROM audit_checkpoints ORDER BY seq DESC LIMIT 1`).
			Scan(&c.Seq, &c.Hash, timeCol{&c.At}, &c.PublicKey, &c.Signature)
		if errors.Is(err, sql.ErrNoRows) {
			return casefile.Errorf(casefile.ENOTFOUND, "LatestCheckpoint", "no checkpoint has been made")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// AppendAuditEntriesForBenchmark appends n synthetic, correctly chained read entries in batches:
// how the benchmark of verify builds a ledger of a million entries in reasonable time.
func (db *DB) AppendAuditEntriesForBenchmark(ctx context.Context, n int) error {
	const batch = 2000
	for done := 0; done < n; {
		err := db.update(ctx, func(tx *Tx) error {
			var seq int64
			var prev string
			if err := tx.queryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&seq, &prev); err != nil {
				return err
			}
			stmt, err := tx.PrepareContext(ctx, tx.db.d.rebind(`INSERT INTO audit_log (seq, at, actor, action, object_kind, object_id, object_hash, prev_hash, hash)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`))
			if err != nil {
				return err
			}
			defer stmt.Close()
			for i := 0; i < batch && done < n; i++ {
				e := casefile.AuditEntry{Seq: seq + 1, At: tx.now.Add(time.Duration(i) * time.Microsecond), Actor: "benchmark", Action: "read",
					ObjectKind: "evidence", ObjectID: "evi_benchmark", PrevHash: prev}
				e.Hash = e.ComputeHash()
				if _, err := stmt.ExecContext(ctx, e.Seq, tx.tval(e.At), e.Actor, e.Action, e.ObjectKind, e.ObjectID, e.ObjectHash, e.PrevHash, e.Hash); err != nil {
					return err
				}
				seq, prev = e.Seq, e.Hash
				done++
			}
			_, err = tx.exec(ctx, `UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, seq, prev)
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// CreateSetting stores value under key unless the key is set already, and returns the value that
// is stored: so that two servers creating the instance key at once end up with the same one.
func (db *DB) CreateSetting(ctx context.Context, key, value string) (string, error) {
	var stored string
	err := db.update(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, key, value); err != nil {
			return err
		}
		return tx.queryRow(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&stored)
	})
	return stored, err
}
