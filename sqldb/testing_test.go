package sqldb_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/casefile/casefile/sqldb"
)

// testKey is a fixed database key for tests.
var testKey = []byte("0123456789abcdef0123456789abcdef")

// backend is one store to run the contract suite against.
type backend struct {
	name string
	open func(t testing.TB) *sqldb.DB
}

// backends returns SQLite always, and PostgreSQL when CASEFILE_TEST_POSTGRES_URL is set. With
// CASEFILE_TEST_REQUIRE=all a missing PostgreSQL fails the test instead of skipping it.
func backends(t *testing.T) []backend {
	bs := []backend{{"sqlite", openSQLite}}
	if url := os.Getenv("CASEFILE_TEST_POSTGRES_URL"); url != "" {
		bs = append(bs, backend{"postgres", func(t testing.TB) *sqldb.DB { return openPostgres(t, url) }})
	} else if os.Getenv("CASEFILE_TEST_REQUIRE") == "all" {
		t.Fatal("CASEFILE_TEST_REQUIRE=all but CASEFILE_TEST_POSTGRES_URL is not set")
	} else {
		t.Log("PostgreSQL contract tests skipped: CASEFILE_TEST_POSTGRES_URL is not set")
	}
	return bs
}

func openSQLite(t testing.TB) *sqldb.DB {
	t.Helper()
	db, err := sqldb.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "test.db"), sqldb.SQLiteOptions{Key: testKey})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// openPostgres gives each test a schema of its own in the test database, dropped afterwards.
func openPostgres(t testing.TB, url string) *sqldb.DB {
	t.Helper()
	ctx := context.Background()
	schema, err := sqldb.CreateTestSchema(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqldb.OpenPostgres(ctx, sqldb.WithSearchPath(url, schema))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Close()
		sqldb.DropTestSchema(context.Background(), url, schema)
	})
	return db
}

func fixedNow(db *sqldb.DB) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { now = now.Add(time.Second); return now }
}
