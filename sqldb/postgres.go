package sqldb

import (
	"context"
	"database/sql"
	"time"

	"github.com/casefile/casefile"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

// OpenPostgres connects to the PostgreSQL database at url and brings its schema up to date.
func OpenPostgres(ctx context.Context, url string) (*DB, error) {
	const op = "sqldb.OpenPostgres"
	p, err := sql.Open("pgx", url)
	if err != nil {
		return nil, casefile.Errorf(casefile.EINVALID, op, "the database URL is not valid")
	}
	p.SetMaxOpenConns(16)
	if err := p.PingContext(ctx); err != nil {
		p.Close()
		return nil, &casefile.Error{Kind: casefile.EINTERNAL, Op: op, Message: "cannot connect to PostgreSQL", Err: err}
	}
	db := &DB{d: postgresDialect, write: p, read: p, Now: time.Now}
	// Serialise concurrent migrations from several servers starting at once; the lock is held on
	// one connection of its own, so the unlock reaches the session that locked.
	conn, err := p.Conn(ctx)
	if err != nil {
		p.Close()
		return nil, casefile.Wrap(op, err)
	}
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(4242)`); err != nil {
		conn.Close()
		p.Close()
		return nil, casefile.Wrap(op, err)
	}
	err = db.migrate(ctx)
	conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(4242)`)
	conn.Close()
	if err != nil {
		p.Close()
		return nil, err
	}
	return db, nil
}
