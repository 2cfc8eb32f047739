package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casefile/casefile/sqldb"
)

// TestSecurity_PostgresHoldsOnlyCiphertext runs the security commands against PostgreSQL: the
// identity vault's columns and the evidence chunks hold only ciphertext, and verify, export and
// reveal work there as on the embedded store.
func TestSecurity_PostgresHoldsOnlyCiphertext(t *testing.T) {
	dbURL := os.Getenv("CASEFILE_TEST_POSTGRES_URL")
	if dbURL == "" {
		if os.Getenv("CASEFILE_TEST_REQUIRE") == "all" {
			t.Fatal("CASEFILE_TEST_REQUIRE=all but CASEFILE_TEST_POSTGRES_URL is not set")
		}
		t.Skip("PostgreSQL security test skipped: CASEFILE_TEST_POSTGRES_URL is not set")
	}
	fastKDF(t)
	ctx := context.Background()
	schema, err := sqldb.CreateTestSchema(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sqldb.DropTestSchema(context.Background(), dbURL, schema) })
	u := sqldb.WithSearchPath(dbURL, schema)
	dir := t.TempDir()
	env := map[string]string{"CASEFILE_DATABASE_URL": u}
	// init on PostgreSQL only migrates; the keyring comes from key init.
	secOK(t, env, "key", "init", "--data", filepath.Join(dir, "data"))
	data, evID, keeper := plantedStoreOn(t, dir, env)

	raw, err := sql.Open("pgx", u)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var dump bytes.Buffer
	for _, q := range []string{`SELECT sealed FROM identities`, `SELECT data FROM blob_chunks`, `SELECT keepers FROM identities`} {
		rows, err := raw.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var b []byte
			rows.Scan(&b)
			dump.Write(b)
		}
		rows.Close()
	}
	if dump.Len() < 20000 {
		t.Fatalf("only %d bytes of ciphertext: the identity or the evidence did not land", dump.Len())
	}
	low := bytes.ToLower(dump.Bytes())
	for _, s := range []string{plantedName, plantedContact, plantedFile, "petrova"} {
		if bytes.Contains(low, bytes.ToLower([]byte(s))) {
			t.Fatalf("PostgreSQL holds %q in the clear", s)
		}
	}
	if out := secOK(t, env, "identity", "reveal", "per_planted", "--identity", keeper, "--data", data); !strings.Contains(out, plantedName) {
		t.Fatal("reveal on PostgreSQL failed")
	}
	got := filepath.Join(dir, "got.ogg")
	secOK(t, env, "evidence", "get", evID, "--out", got, "--data", data)
	if b, _ := os.ReadFile(got); !bytes.Equal(b, bytes.Repeat([]byte(plantedFile), 20000)) {
		t.Fatal("evidence from PostgreSQL differs")
	}
	secOK(t, env, "verify", "--data", data)
	bundle := filepath.Join(dir, "bundle")
	secOK(t, env, "export", "--out", bundle, "--data", data)
	secOK(t, nil, "verify", bundle)
	// Rotation re-encrypts the evidence chunks and the instance key; the store still verifies.
	before := dump.Len()
	oldKeys, _ := os.ReadFile(filepath.Join(data, "keys.json"))
	rot := secOK(t, env, "key", "rotate", "--json", "--data", data)
	// As if the rotation had stopped after the database switched keys but before keys.json was
	// replaced: the next unlock completes it.
	newKeys, _ := os.ReadFile(filepath.Join(data, "keys.json"))
	os.WriteFile(filepath.Join(data, "keys.json.rotate"), newKeys, 0o600)
	os.WriteFile(filepath.Join(data, "keys.json"), oldKeys, 0o600)
	secOK(t, env, "verify", "--data", data)
	if b, _ := os.ReadFile(filepath.Join(data, "keys.json")); !bytes.Equal(b, newKeys) {
		t.Fatal("an interrupted rotation on PostgreSQL was not completed")
	}
	// A staged keyring the database does not know is discarded.
	os.WriteFile(filepath.Join(data, "keys.json.rotate"), oldKeys, 0o600)
	secOK(t, env, "verify", "--data", data)
	if _, err := os.Stat(filepath.Join(data, "keys.json.rotate")); !os.IsNotExist(err) {
		t.Fatal("a stale staged keyring was kept")
	}
	if !strings.Contains(rot, `"evidence_files": 1`) {
		t.Fatalf("rotate on PostgreSQL: %s", rot)
	}
	secOK(t, env, "verify", "--data", data)
	os.Remove(got)
	secOK(t, env, "evidence", "get", evID, "--out", got, "--data", data)
	if b, _ := os.ReadFile(got); !bytes.Equal(b, bytes.Repeat([]byte(plantedFile), 20000)) {
		t.Fatal("evidence from PostgreSQL differs after rotation")
	}
	var chunks int
	raw.QueryRow(`SELECT COUNT(DISTINCT address) FROM blob_chunks`).Scan(&chunks)
	if chunks != 1 || before == 0 {
		t.Fatalf("after rotation %d blobs are stored, want 1 (the old one removed)", chunks)
	}
	// Tamper with one evidence chunk: verify names the item.
	if _, err := raw.Exec(`UPDATE blob_chunks SET data = overlay(data placing '\x00'::bytea from 1000 for 1) WHERE n = 0`); err != nil {
		t.Fatal(err)
	}
	code, out, _ := sec(t, "", env, "verify", "--data", data)
	if code != 1 || !strings.Contains(out, "MISMATCH evidence item "+evID) {
		t.Fatalf("verify after a changed chunk: %d\n%s", code, out)
	}
}
