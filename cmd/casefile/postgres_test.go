package main

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/sqldb"
)

// testPostgresURL returns a URL to a fresh schema of the test database, dropped after the test,
// or skips (fails with CASEFILE_TEST_REQUIRE=all) when no PostgreSQL is configured.
func testPostgresURL(t *testing.T) string {
	t.Helper()
	url := os.Getenv("CASEFILE_TEST_POSTGRES_URL")
	if url == "" {
		if os.Getenv("CASEFILE_TEST_REQUIRE") == "all" {
			t.Fatal("CASEFILE_TEST_REQUIRE=all but CASEFILE_TEST_POSTGRES_URL is not set")
		}
		t.Skip("PostgreSQL not configured: set CASEFILE_TEST_POSTGRES_URL")
	}
	schema, err := sqldb.CreateTestSchema(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sqldb.DropTestSchema(context.Background(), url, schema) })
	return sqldb.WithSearchPath(url, schema)
}

// The demo loads into PostgreSQL and is searchable there with the same results as on SQLite.
func TestCLI_DemoOnPostgres(t *testing.T) {
	url := testPostgresURL(t)
	env := map[string]string{"CASEFILE_DATABASE_URL": url}
	if code, _, stderr := cli(t, env, "demo", "--no-serve"); code != 0 {
		t.Fatalf("demo on PostgreSQL: exit %d: %s", code, stderr)
	}
	for _, q := range []string{"haloperidol", "галоперидолом", "противогаз"} {
		code, out, stderr := cli(t, env, "search", q, "--json")
		if code != 0 {
			t.Fatalf("search %s: %s", q, stderr)
		}
		var res casefile.SearchResult
		if err := json.Unmarshal([]byte(out), &res); err != nil || res.Total == 0 {
			t.Fatalf("search %s on PostgreSQL found nothing (%v)", q, err)
		}
	}
	// Running the demo again on the same database does not duplicate anything.
	if code, _, stderr := cli(t, env, "demo", "--no-serve"); code != 0 {
		t.Fatalf("second demo on PostgreSQL: exit %d: %s", code, stderr)
	}
	db, err := sqldb.OpenPostgres(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, n, _ := db.FindActs(context.Background(), casefile.ActFilter{Limit: 1}); n != 15 {
		t.Fatalf("PostgreSQL holds %d demo acts, want 15", n)
	}
}
