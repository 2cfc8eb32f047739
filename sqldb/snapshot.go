package sqldb

import (
	"context"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"

	"github.com/casefile/casefile"
)

// SnapshotSQLite writes a consistent copy of the embedded store to path, encrypted with the
// Adiantum VFS under key (the store's own key for a backup, a new one for key rotation), while
// the store stays open for others. path must not exist. Only the SQLite store has this; on
// PostgreSQL it is ENOTIMPL (use pg_dump).
func (db *DB) SnapshotSQLite(ctx context.Context, path string, key []byte) error {
	const op = "sqldb.SnapshotSQLite"
	if db.d.name != "sqlite" {
		return casefile.Errorf(casefile.ENOTIMPL, op, "snapshots are made of the embedded store only; back up PostgreSQL with pg_dump")
	}
	if len(key) != 32 {
		return casefile.Errorf(casefile.EINVALID, op, "the database key must be 32 bytes")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return casefile.Wrap(op, err)
	}
	if _, err := os.Stat(abs); err == nil {
		return casefile.Errorf(casefile.ECONFLICT, op, "%s exists already", path)
	}
	q := url.Values{}
	q.Set("vfs", "adiantum")
	q.Set("hexkey", hex.EncodeToString(key))
	target := (&url.URL{Scheme: "file", OmitHost: true, Path: abs, RawQuery: q.Encode()}).String()
	// The read pool's transaction sees one snapshot; VACUUM INTO copies it page by page.
	conn, err := db.read.Conn(ctx)
	if err != nil {
		return casefile.Wrap(op, err)
	}
	defer conn.Close()
	if f, err := os.OpenFile(abs, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600); err == nil {
		f.Close() // VACUUM INTO fills an empty file, and this one is the owner's only
	}
	if _, err := conn.ExecContext(ctx, `VACUUM INTO ?`, target); err != nil {
		os.Remove(abs)
		return casefile.Wrap(op, hideKey(err, key))
	}
	ownerOnly(abs)
	return nil
}
