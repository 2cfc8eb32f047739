package sqldb

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/casefile/casefile"
	"github.com/ncruces/go-sqlite3"
	"github.com/ncruces/go-sqlite3/driver"
	"github.com/ncruces/go-sqlite3/ext/fts5"
	_ "github.com/ncruces/go-sqlite3/vfs/adiantum" // registers the "adiantum" VFS
)

// SQLiteOptions configure OpenSQLite.
type SQLiteOptions struct {
	// Key is the 32-byte database key. Nil opens the file unencrypted, which only benchmarks that
	// measure the cost of encryption do.
	Key []byte
	// Readers is the size of the read pool (default 4).
	Readers int
}

// OpenSQLite opens (creating if needed) the SQLite store at path, encrypted with the Adiantum VFS
// under opts.Key, and brings its schema up to date. A wrong key is ELOCKED; a schema from a newer
// binary is ESCHEMA.
func OpenSQLite(ctx context.Context, path string, opts SQLiteOptions) (*DB, error) {
	const op = "sqldb.OpenSQLite"
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, casefile.Wrap(op, err)
	}
	q := url.Values{}
	if opts.Key != nil {
		if len(opts.Key) != 32 {
			return nil, casefile.Errorf(casefile.EINVALID, op, "the database key must be 32 bytes")
		}
		q.Set("vfs", "adiantum")
		q.Set("hexkey", hex.EncodeToString(opts.Key))
	}
	// Order matters: the key (in the VFS parameters) first, then the busy timeout.
	q.Add("_pragma", "busy_timeout(30000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(wal)")
	q.Add("_pragma", "synchronous(normal)")
	// A 64 MiB page cache keeps a large import from spilling half-written pages to the WAL.
	q.Add("_pragma", "cache_size(-65536)")
	// Temporary tables and indices stay in memory, never in a temporary file.
	q.Add("_pragma", "temp_store(memory)")
	q.Set("_txlock", "immediate")
	// The DSN holds the key: it is never logged, and errors from Open are wrapped without it.
	dsn := (&url.URL{Scheme: "file", OmitHost: true, Path: abs, RawQuery: q.Encode()}).String()

	// SQLite creates its files with 0666 less the umask: readable by everyone on most systems.
	// The store is created owner-only first, and its WAL and shared-memory files are narrowed
	// once they exist.
	if f, err := os.OpenFile(abs, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600); err == nil {
		f.Close()
	}
	open := func() (*sql.DB, error) { return driver.Open(dsn, registerFTS) }
	w, err := open()
	if err != nil {
		return nil, casefile.Wrap(op, hideKey(err, opts.Key))
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, sqliteOpenError(op, hideKey(err, opts.Key))
	}
	// Reading the schema proves the key: a wrong key makes the first page unreadable.
	if _, err := w.ExecContext(ctx, `SELECT count(*) FROM sqlite_master`); err != nil {
		w.Close()
		return nil, sqliteOpenError(op, hideKey(err, opts.Key))
	}
	ownerOnly(abs)
	r, err := open()
	if err != nil {
		w.Close()
		return nil, casefile.Wrap(op, hideKey(err, opts.Key))
	}
	n := opts.Readers
	if n <= 0 {
		n = 4
	}
	r.SetMaxOpenConns(n)
	db := &DB{d: sqliteDialect, write: w, read: r, Now: time.Now}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// keyHiddenError is a driver error whose message held the database key. It does not unwrap: the
// cause it replaces must not reach a log through errors.As either.
type keyHiddenError struct {
	msg        string
	notADB     bool
	notADBCode error
}

func (e *keyHiddenError) Error() string { return e.msg }

// Is keeps sqliteOpenError's test for a wrong key working on the hidden error.
func (e *keyHiddenError) Is(target error) bool { return e.notADB && target == e.notADBCode }

// hideKey removes the database key from err's message. SQLite names the file it could not open
// in its error, and for this store (and a snapshot's VACUUM INTO) the file name is the URI that
// carries the key in hex: "unable to open database: file:…?hexkey=…". Such an error goes to the
// log as the cause of an internal error.
func hideKey(err error, key []byte) error {
	if err == nil || key == nil {
		return err
	}
	h := hex.EncodeToString(key)
	msg := err.Error()
	if !strings.Contains(strings.ToLower(msg), h) {
		return err
	}
	for _, v := range []string{h, strings.ToUpper(h)} {
		msg = strings.ReplaceAll(msg, v, "(hidden)")
	}
	e := &keyHiddenError{msg: msg}
	for _, code := range []error{sqlite3.NOTADB, sqlite3.CORRUPT} {
		if errors.Is(err, code) {
			e.notADB, e.notADBCode = true, code
		}
	}
	return e
}

// ownerOnly makes a store file and its WAL and shared-memory files readable by their owner only.
func ownerOnly(path string) {
	for _, p := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		if st, err := os.Stat(p); err == nil && st.Mode().Perm()&0o077 != 0 {
			os.Chmod(p, st.Mode().Perm()&0o700)
		}
	}
}

func sqliteOpenError(op string, err error) error {
	if errors.Is(err, sqlite3.NOTADB) || errors.Is(err, sqlite3.CORRUPT) || strings.Contains(err.Error(), "file is not a database") {
		return &casefile.Error{Kind: casefile.ELOCKED, Op: op, Message: "the store cannot be opened with this key (wrong passphrase, or not a Casefile store)"}
	}
	return casefile.Wrap(op, err)
}

// registerFTS registers FTS5 with the "casefile" tokenizer on each new connection.
func registerFTS(c *sqlite3.Conn) error {
	return fts5.RegisterCustom(c, func(api *fts5.API) error {
		if err := api.CreateTokenizer("casefile", func(arg []string) (fts5.Tokenizer, error) {
			return stemTokenizer{}, nil
		}); err != nil {
			return err
		}
		return api.CreateFunction("casefile_rank", rankFunction)
	})
}

// rankFunction scores a row by BM25's saturating term frequency (k1 = 1.2), the title weighted 4
// times the body, without the inverse document frequency and without length normalisation.
// FTS5's bm25() learns each word's document frequency by reading the word's whole posting list
// once per query, which for a common word in a million narratives costs more than everything else
// a search does. Every hit of a Casefile search contains every query word, so the IDF would only
// reweigh the words against each other. (Length normalisation needs xColumnSize, which this
// SQLite build cannot call from an auxiliary function.)
func rankFunction(fts fts5.Context, ctx sqlite3.Context, _ ...sqlite3.Value) {
	n, err := fts.InstCount()
	if err != nil {
		ctx.ResultError(err)
		return
	}
	phrases := fts.PhraseCount()
	tf := make([]float64, 2*phrases)
	for i := 0; i < n; i++ {
		p, col, _, err := fts.Inst(i)
		if err != nil {
			ctx.ResultError(err)
			return
		}
		if col < 2 && p < phrases {
			tf[col*phrases+p]++
		}
	}
	const k1 = 1.2
	weight := [2]float64{4, 1}
	score := 0.0
	for col := 0; col < 2; col++ {
		for p := 0; p < phrases; p++ {
			if f := tf[col*phrases+p]; f > 0 {
				score += weight[col] * f * (k1 + 1) / (f + k1)
			}
		}
	}
	ctx.ResultFloat(score)
}

// stemTokenizer splits text into words, folds case and ё, and stems each word with the Russian
// or English Snowball stemmer according to its script. The same code stems queries.
type stemTokenizer struct{}

func (stemTokenizer) Tokenize(flags fts5.TokenizeFlag, text, locale string, emit fts5.TokenCallback) error {
	var err error
	eachWord(text, func(word string, start, end int) bool {
		err = emit(0, Stem(word), start, end)
		return err == nil
	})
	return err
}
