package sqldb

import (
	"context"
	"database/sql"
	"net/url"
	"strings"

	"github.com/casefile/casefile"
)

// CreateTestSchema creates a fresh, uniquely named schema in the PostgreSQL database at dbURL, so
// that tests (and benchmarks) running at once do not see each other's records.
func CreateTestSchema(ctx context.Context, dbURL string) (string, error) {
	p, err := sql.Open("pgx", dbURL)
	if err != nil {
		return "", casefile.Wrap("CreateTestSchema", err)
	}
	defer p.Close()
	name := strings.ReplaceAll(casefile.NewID("t"), "-", "_")
	if _, err := p.ExecContext(ctx, `CREATE SCHEMA `+name); err != nil {
		return "", casefile.Wrap("CreateTestSchema", err)
	}
	return name, nil
}

// DropTestSchema drops a schema made by CreateTestSchema.
func DropTestSchema(ctx context.Context, dbURL, schema string) error {
	p, err := sql.Open("pgx", dbURL)
	if err != nil {
		return err
	}
	defer p.Close()
	_, err = p.ExecContext(ctx, `DROP SCHEMA `+schema+` CASCADE`)
	return err
}

// WithSearchPath returns dbURL with the session's search_path set to schema.
func WithSearchPath(dbURL, schema string) string {
	u, err := url.Parse(dbURL)
	if err != nil {
		return dbURL
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
