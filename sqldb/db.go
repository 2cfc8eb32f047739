// Package sqldb is Casefile's one storage implementation, for the embedded SQLite store and for
// PostgreSQL. The two differ only in a small dialect value: placeholders, full-text search, types
// of a few columns, and how a constraint violation is recognised. Every service method runs in one
// transaction; every write appends an entry to the hash-chained audit ledger in that transaction.
package sqldb

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/casefile/casefile"
)

//go:embed migrations
var migrationsFS embed.FS

// DB is an open store. It implements casefile.Store.
type DB struct {
	d     dialect
	write *sql.DB // SQLite: one connection, so writers queue instead of failing busy
	read  *sql.DB // SQLite: a pool of readers over WAL; PostgreSQL: the same pool as write

	// Now returns the current time; tests may fix it.
	Now func() time.Time

	// Vocab, when set, makes every write check its coded fields against the vocabularies.
	Vocab casefile.Vocabularies
}

var _ casefile.Store = (*DB)(nil)

// Dialect returns "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.d.name }

// Close closes the store.
func (db *DB) Close() error {
	var err error
	if db.read != db.write {
		err = db.read.Close()
	}
	return errors.Join(err, db.write.Close())
}

// migrate applies the embedded migrations the store lacks, each in its own transaction, and
// refuses a store that has migrations this binary does not know (it was written by a newer one).
func (db *DB) migrate(ctx context.Context) error {
	const op = "sqldb.migrate"
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return casefile.Wrap(op, err)
	}
	known, err := Migrations(db.d.name)
	if err != nil {
		return err
	}
	applied := map[int]bool{}
	rows, err := db.write.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return casefile.Wrap(op, err)
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return casefile.Wrap(op, err)
		}
		applied[v] = true
	}
	rows.Close()
	byVersion := map[int]Migration{}
	for _, m := range known {
		byVersion[m.Version] = m
	}
	for v := range applied {
		if _, ok := byVersion[v]; !ok {
			return casefile.Errorf(casefile.ESCHEMA, op, "the store has schema version %d, which this binary does not know: upgrade Casefile", v)
		}
	}
	for _, m := range known {
		if applied[m.Version] {
			continue
		}
		tx, err := db.write.BeginTx(ctx, nil)
		if err != nil {
			return casefile.Wrap(op, err)
		}
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			tx.Rollback()
			return casefile.Wrap(op, fmt.Errorf("migration %03d_%s: %w", m.Version, m.Name, err))
		}
		if _, err := tx.ExecContext(ctx, db.d.rebind(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`),
			m.Version, m.Name, time.Now().UTC().Format(time.RFC3339)); err != nil {
			tx.Rollback()
			return casefile.Wrap(op, err)
		}
		if err := tx.Commit(); err != nil {
			return casefile.Wrap(op, err)
		}
	}
	return nil
}

// Migration is one numbered schema change of one dialect.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations returns the embedded migrations of a dialect ("sqlite" or "postgres") in order.
func Migrations(dialect string) ([]Migration, error) {
	dir := "migrations/" + dialect
	entries, err := fs.ReadDir(migrationsFS, dir)
	if err != nil {
		return nil, casefile.Wrap("sqldb.Migrations", err)
	}
	var out []Migration
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".sql")
		if !ok {
			continue
		}
		num, rest, _ := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if err != nil {
			return nil, casefile.Errorf(casefile.EINTERNAL, "sqldb.Migrations", "migration file %s has no number", e.Name())
		}
		b, err := migrationsFS.ReadFile(dir + "/" + e.Name())
		if err != nil {
			return nil, casefile.Wrap("sqldb.Migrations", err)
		}
		out = append(out, Migration{Version: v, Name: rest, SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// Tx is one transaction of one service method, with the time and actor fixed at its start.
type Tx struct {
	*sql.Tx
	db    *DB
	now   time.Time
	actor string
	// stmts caches the statements prepared in this transaction: an import runs the same few
	// statements hundreds of thousands of times.
	stmts map[string]*sql.Stmt
	// fresh is set while importing records that cannot exist yet (their IDs were just claimed),
	// so indexing skips looking for an older search document.
	fresh bool
	// bulk, while set, buffers inserts into multi-row statements (see bulk.go).
	bulk    *bulk
	nextDoc int64
}

// begin starts a write transaction (or a read-only one when readOnly).
func (db *DB) begin(ctx context.Context, readOnly bool) (*Tx, error) {
	pool := db.write
	var opts *sql.TxOptions
	if readOnly {
		pool = db.read
		// SQLite: a read-only transaction is DEFERRED (the DSN's _txlock=immediate applies only
		// to writes), so readers never take the write lock and run beside the writer over WAL.
		// PostgreSQL: repeatable read, so a multi-query read (an export) is one snapshot.
		opts = &sql.TxOptions{ReadOnly: true}
		if db.d.name == "postgres" {
			opts.Isolation = sql.LevelRepeatableRead
		}
	}
	tx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return nil, casefile.Wrap("sqldb.begin", err)
	}
	return &Tx{Tx: tx, db: db, now: db.Now().UTC().Truncate(time.Microsecond), actor: casefile.ActorFromContext(ctx)}, nil
}

// update runs fn in a write transaction and commits it when fn succeeds.
func (db *DB) update(ctx context.Context, fn func(tx *Tx) error) error {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return db.d.translate(err)
	}
	if err := tx.Commit(); err != nil {
		return db.d.translate(err)
	}
	return nil
}

// view runs fn in a read-only transaction.
func (db *DB) view(ctx context.Context, fn func(tx *Tx) error) error {
	tx, err := db.begin(ctx, true)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return db.d.translate(fn(tx))
}

// stmt returns the prepared statement for q, preparing it on first use in this transaction.
func (tx *Tx) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := tx.stmts[q]; ok {
		return st, nil
	}
	st, err := tx.Tx.PrepareContext(ctx, tx.db.d.rebind(q))
	if err != nil {
		return nil, err
	}
	if tx.stmts == nil {
		tx.stmts = map[string]*sql.Stmt{}
	}
	tx.stmts[q] = st
	return st, nil
}

func (tx *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	st, err := tx.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (tx *Tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := tx.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (tx *Tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	st, err := tx.stmt(ctx, q)
	if err != nil {
		// Let QueryRow report the preparation error through Scan.
		return tx.Tx.QueryRowContext(ctx, tx.db.d.rebind(q), args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// Setting returns a value of the store's settings table ("" when not set).
func (db *DB) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := db.view(ctx, func(tx *Tx) error {
		err := tx.queryRow(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		return err
	})
	return v, err
}

// SetSetting stores a value in the settings table.
func (db *DB) SetSetting(ctx context.Context, key, value string) error {
	return db.update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
		return err
	})
}

// where builds a WHERE clause from conditions with ? placeholders.
// likeContains returns a LIKE pattern (to use with likeEscape) that matches s anywhere, with s's
// own % and _ matching only themselves: codes and IDs hold underscores ("on_ost", "ind_…").
func likeContains(before, s, after string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + before + r.Replace(s) + after + "%"
}

// likeEscape follows every LIKE whose pattern likeContains made.
const likeEscape = ` ESCAPE '\'`

type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// page renders LIMIT/OFFSET for a filter's Offset and Limit.
func page(offset, limit int) string {
	s := ""
	if limit > 0 {
		s += fmt.Sprintf(" LIMIT %d", limit)
	} else if offset > 0 {
		s += " LIMIT 1000000000"
	}
	if offset > 0 {
		s += fmt.Sprintf(" OFFSET %d", offset)
	}
	return s
}

// ExecRaw runs a statement outside any service method. It exists for tests and maintenance
// commands (integrity checks, planted faults); services never use it.
func (db *DB) ExecRaw(ctx context.Context, q string, args ...any) error {
	_, err := db.write.ExecContext(ctx, db.d.rebind(q), args...)
	return db.d.translate(err)
}

// IntegrityCheck runs SQLite's integrity check (PostgreSQL: a no-op) and returns its findings.
func (db *DB) IntegrityCheck(ctx context.Context) ([]string, error) {
	if db.d.name != "sqlite" {
		return nil, nil
	}
	rows, err := db.write.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return nil, db.d.translate(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		if s != "ok" {
			out = append(out, s)
		}
	}
	return out, rows.Err()
}

// UpdateInTransactionForTest runs fn inside an open write transaction, for tests of concurrency.
func (db *DB) UpdateInTransactionForTest(ctx context.Context, fn func()) error {
	return db.update(ctx, func(tx *Tx) error {
		if err := tx.audit(ctx, "test", "lock", "hold", nil); err != nil {
			return err
		}
		fn()
		return nil
	})
}
