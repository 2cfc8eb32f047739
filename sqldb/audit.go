package sqldb

import (
	"context"
	"time"

	"github.com/casefile/casefile"
)

var _ casefile.AuditService = (*DB)(nil)

// audit appends an entry for a write (or a read of sensitive data) to the ledger, in tx. The
// chain's tip is read and advanced under the row lock of audit_head, so that concurrent writers on
// PostgreSQL cannot fork the chain (SQLite serialises writers anyway).
func (tx *Tx) audit(ctx context.Context, action, kind, id string, state any) error {
	var seq int64
	var prev string
	lock := ""
	if tx.db.d.name == "postgres" {
		lock = " FOR UPDATE"
	}
	if err := tx.queryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`+lock).Scan(&seq, &prev); err != nil {
		return err
	}
	e := casefile.AuditEntry{
		Seq: seq + 1, At: tx.now, Actor: tx.actor, Action: action,
		ObjectKind: kind, ObjectID: id, PrevHash: prev,
	}
	if state != nil {
		e.ObjectHash = casefile.HashObject(state)
	}
	e.Hash = e.ComputeHash()
	if _, err := tx.exec(ctx, `INSERT INTO audit_log (seq, at, actor, action, object_kind, object_id, object_hash, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.Seq, tx.tval(e.At), e.Actor, e.Action, e.ObjectKind, e.ObjectID, e.ObjectHash, e.PrevHash, e.Hash); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, e.Seq, e.Hash)
	return err
}

// RecordAccess appends an entry for a read of sensitive data.
func (db *DB) RecordAccess(ctx context.Context, action, kind, id string) error {
	return db.update(ctx, func(tx *Tx) error { return tx.audit(ctx, action, kind, id, nil) })
}

// FindAuditEntries returns ledger entries in sequence order.
func (db *DB) FindAuditEntries(ctx context.Context, f casefile.AuditFilter) ([]*casefile.AuditEntry, int, error) {
	var out []*casefile.AuditEntry
	total := 0
	err := db.view(ctx, func(tx *Tx) error {
		var w where
		if f.ObjectKind != nil {
			w.add("object_kind = ?", *f.ObjectKind)
		}
		if f.ObjectID != nil {
			w.add("object_id = ?", *f.ObjectID)
		}
		if f.Actor != nil {
			w.add("actor = ?", *f.Actor)
		}
		if f.AfterSeq > 0 {
			w.add("seq > ?", f.AfterSeq)
		}
		rows, err := tx.query(ctx, `SELECT seq, at, actor, action, object_kind, object_id, object_hash, prev_hash, hash, COUNT(*) OVER()
			FROM audit_log`+w.String()+` ORDER BY seq`+page(f.Offset, f.Limit), w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			e := &casefile.AuditEntry{}
			var at time.Time
			if err := rows.Scan(&e.Seq, timeCol{&at}, &e.Actor, &e.Action, &e.ObjectKind, &e.ObjectID, &e.ObjectHash, &e.PrevHash, &e.Hash, &total); err != nil {
				return err
			}
			e.At = at
			out = append(out, e)
		}
		return rows.Err()
	})
	return out, total, err
}
