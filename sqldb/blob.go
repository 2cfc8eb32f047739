package sqldb

import (
	"context"
	"database/sql"
	"io"

	"github.com/casefile/casefile"
)

var _ casefile.CustodyService = (*DB)(nil)

// blobChunk is the size of one row of blob_chunks: large enough that a 2 GB file is 2,000 rows,
// small enough that memory stays flat.
const blobChunk = 1 << 20

// Blobs returns the blob store kept inside the database, in chunks: the evidence store of the
// server deployment, where there is no data folder beside the database. On SQLite a blob being
// written holds the one write connection until Commit or Abort, so the embedded store keeps its
// evidence in a folder instead (vault.DirBlobs).
func (db *DB) Blobs() casefile.BlobStore { return dbBlobs{db} }

type dbBlobs struct{ db *DB }

func (b dbBlobs) CreateBlob(ctx context.Context) (casefile.BlobWriter, error) {
	tx, err := b.db.begin(ctx, false)
	if err != nil {
		return nil, err
	}
	return &dbBlobWriter{ctx: ctx, tx: tx, tmp: casefile.NewID("upload"), buf: make([]byte, 0, blobChunk)}, nil
}

// dbBlobWriter writes the blob under a temporary address in one transaction and renames it at
// Commit, so that a blob is either complete or absent.
type dbBlobWriter struct {
	ctx  context.Context
	tx   *Tx
	tmp  string
	n    int
	buf  []byte
	err  error
	done bool
}

func (w *dbBlobWriter) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	written := 0
	for len(p) > 0 {
		k := min(len(p), blobChunk-len(w.buf))
		w.buf = append(w.buf, p[:k]...)
		p, written = p[k:], written+k
		if len(w.buf) == blobChunk {
			if w.err = w.flush(); w.err != nil {
				return written, w.err
			}
		}
	}
	return written, nil
}

func (w *dbBlobWriter) flush() error {
	if len(w.buf) == 0 {
		return nil
	}
	_, err := w.tx.exec(w.ctx, `INSERT INTO blob_chunks (address, n, data) VALUES (?, ?, ?)`, w.tmp, w.n, w.buf)
	w.n++
	w.buf = w.buf[:0]
	return casefile.Wrap("sqldb.BlobWriter", err)
}

func (w *dbBlobWriter) Commit(address string) error {
	if w.done {
		return casefile.Errorf(casefile.EINTERNAL, "sqldb.BlobWriter", "blob committed twice")
	}
	w.done = true
	if w.err == nil {
		w.err = w.flush()
	}
	if w.err != nil {
		w.tx.Rollback()
		return w.err
	}
	var n int
	if err := w.tx.queryRow(w.ctx, `SELECT COUNT(*) FROM blob_chunks WHERE address = ?`, address).Scan(&n); err != nil {
		w.tx.Rollback()
		return casefile.Wrap("sqldb.BlobWriter", err)
	}
	q := `UPDATE blob_chunks SET address = ? WHERE address = ?`
	args := []any{address, w.tmp}
	if n > 0 { // the same content is stored already
		q, args = `DELETE FROM blob_chunks WHERE address = ?`, []any{w.tmp}
	}
	if _, err := w.tx.exec(w.ctx, q, args...); err != nil {
		w.tx.Rollback()
		return casefile.Wrap("sqldb.BlobWriter", err)
	}
	return w.tx.db.d.translate(w.tx.Commit())
}

func (w *dbBlobWriter) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	return w.tx.Rollback()
}

func (b dbBlobs) OpenBlob(ctx context.Context, address string) (io.ReadCloser, error) {
	ok, err := b.HasBlob(ctx, address)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, casefile.Errorf(casefile.ENOTFOUND, "OpenBlob", "no stored file %s", address)
	}
	tx, err := b.db.begin(ctx, true)
	if err != nil {
		return nil, err
	}
	rows, err := tx.query(ctx, `SELECT data FROM blob_chunks WHERE address = ? ORDER BY n`, address)
	if err != nil {
		tx.Rollback()
		return nil, casefile.Wrap("OpenBlob", err)
	}
	return &dbBlobReader{tx: tx, rows: rows}, nil
}

// dbBlobReader streams a blob's chunks from one read transaction.
type dbBlobReader struct {
	tx   *Tx
	rows *sql.Rows
	cur  []byte
}

func (r *dbBlobReader) Read(p []byte) (int, error) {
	for len(r.cur) == 0 {
		if !r.rows.Next() {
			if err := r.rows.Err(); err != nil {
				return 0, casefile.Wrap("BlobReader", err)
			}
			return 0, io.EOF
		}
		r.cur = r.cur[:0]
		if err := r.rows.Scan(&r.cur); err != nil {
			return 0, casefile.Wrap("BlobReader", err)
		}
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}

func (r *dbBlobReader) Close() error {
	r.rows.Close()
	return r.tx.Rollback()
}

func (b dbBlobs) HasBlob(ctx context.Context, address string) (bool, error) {
	var n int
	err := b.db.view(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, `SELECT COUNT(*) FROM blob_chunks WHERE address = ? AND n = 0`, address).Scan(&n)
	})
	return n > 0, err
}

func (b dbBlobs) RemoveBlob(ctx context.Context, address string) error {
	return b.db.update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM blob_chunks WHERE address = ?`, address)
		return err
	})
}

// CreateEvidenceWithFile records an evidence item and where its encrypted file is kept, in one
// transaction with two ledger entries: the item's creation and the file's storage.
func (db *DB) CreateEvidenceWithFile(ctx context.Context, e *casefile.EvidenceItem, f *casefile.EvidenceFile) error {
	return db.update(ctx, func(tx *Tx) error {
		if err := createEvidence(ctx, tx, e, true); err != nil {
			return err
		}
		f.EvidenceID, f.StoredAt = e.ID, tx.now
		if _, err := tx.exec(ctx, `INSERT INTO evidence_files (evidence_id, address, stored_size, stored_at) VALUES (?, ?, ?, ?)`,
			f.EvidenceID, f.Address, f.StoredSize, tx.tval(f.StoredAt)); err != nil {
			return err
		}
		return tx.audit(ctx, "store", "evidence_file", e.ID, f)
	})
}

// FindEvidenceFile returns where an item's file is kept, ENOTFOUND when it has none.
func (db *DB) FindEvidenceFile(ctx context.Context, evidenceID string) (*casefile.EvidenceFile, error) {
	f := &casefile.EvidenceFile{}
	err := db.view(ctx, func(tx *Tx) error {
		err := tx.queryRow(ctx, `SELECT evidence_id, address, stored_size, stored_at FROM evidence_files WHERE evidence_id = ?`, evidenceID).
			Scan(&f.EvidenceID, &f.Address, &f.StoredSize, timeCol{&f.StoredAt})
		return notFound(err, "stored file for evidence item", evidenceID)
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// FindEvidenceFiles returns every stored evidence file, ordered by evidence ID.
func (db *DB) FindEvidenceFiles(ctx context.Context) ([]*casefile.EvidenceFile, error) {
	var out []*casefile.EvidenceFile
	err := db.view(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT evidence_id, address, stored_size, stored_at FROM evidence_files ORDER BY evidence_id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			f := &casefile.EvidenceFile{}
			if err := rows.Scan(&f.EvidenceID, &f.Address, &f.StoredSize, timeCol{&f.StoredAt}); err != nil {
				return err
			}
			out = append(out, f)
		}
		return rows.Err()
	})
	return out, err
}

// MoveEvidenceFile records the new address of an item's file after key rotation.
func (db *DB) MoveEvidenceFile(ctx context.Context, evidenceID, address string, storedSize int64) error {
	return db.update(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE evidence_files SET address = ?, stored_size = ? WHERE evidence_id = ?`, address, storedSize, evidenceID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return casefile.Errorf(casefile.ENOTFOUND, "MoveEvidenceFile", "no stored file for evidence item %s", evidenceID)
		}
		return tx.audit(ctx, "rekey", "evidence_file", evidenceID, map[string]any{"address": address, "stored_size": storedSize})
	})
}

// KeyIDSetting is the settings key recording which database key the store's evidence and
// instance key are encrypted under, so that an interrupted key rotation can tell which keyring
// fits the store.
const KeyIDSetting = "database_key_id"

// RekeyStore records, in one transaction, everything key rotation changes in the database: the
// new address of every evidence file, the re-sealed instance key (when set) and the new key's ID.
// Either all of it lands or none.
func (db *DB) RekeyStore(ctx context.Context, moves []*casefile.EvidenceFile, sealedInstanceKey, settingKey, keyID string) error {
	return db.update(ctx, func(tx *Tx) error {
		for _, f := range moves {
			res, err := tx.exec(ctx, `UPDATE evidence_files SET address = ?, stored_size = ? WHERE evidence_id = ?`, f.Address, f.StoredSize, f.EvidenceID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return casefile.Errorf(casefile.ENOTFOUND, "RekeyStore", "no stored file for evidence item %s", f.EvidenceID)
			}
			if err := tx.audit(ctx, "rekey", "evidence_file", f.EvidenceID, map[string]any{"address": f.Address, "stored_size": f.StoredSize}); err != nil {
				return err
			}
		}
		set := func(k, v string) error {
			_, err := tx.exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, k, v)
			return err
		}
		if sealedInstanceKey != "" {
			if err := set(settingKey, sealedInstanceKey); err != nil {
				return err
			}
		}
		if err := set(KeyIDSetting, keyID); err != nil {
			return err
		}
		return tx.audit(ctx, "rotate", "database_key", keyID, nil)
	})
}
