package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/sqldb"
	"github.com/casefile/casefile/vault"
	"github.com/ncruces/go-sqlite3/driver"
)

const secPass = "security-test-passphrase"

// fastKDF makes passphrase slots cheap for the duration of a test; every slot records its own
// parameters, so nothing else changes.
func fastKDF(t testing.TB) {
	old := vault.DefaultKDF
	vault.DefaultKDF = vault.KDF{Alg: "argon2id", Time: 1, MemoryKiB: 64, Threads: 1}
	t.Cleanup(func() { vault.DefaultKDF = old })
}

// sec runs one command line as a user would, with env on top of CASEFILE_PASSPHRASE=secPass.
func sec(t testing.TB, stdin string, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		if k == "CASEFILE_PASSPHRASE" {
			return secPass
		}
		return ""
	}
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb, getenv)
	return code, out.String(), errb.String()
}

// secOK runs a command that must succeed and returns its stdout.
func secOK(t testing.TB, env map[string]string, args ...string) string {
	t.Helper()
	code, out, stderr := sec(t, "", env, args...)
	if code != 0 {
		t.Fatalf("casefile %s: exit %d: %s%s", strings.Join(args, " "), code, stderr, out)
	}
	return out
}

// Planted secrets: none of them may be found in any file of the data folder or in a backup.
var (
	plantedDescriptor = "Planted-Descriptor-Zhukova-5512"
	plantedNarrative  = "officer Planted-Narrative-Ogurtsov broke my ribs"
	plantedName       = "Planted-RealName-Petrova-9931"
	plantedContact    = "+7-999-PLANTED-0042"
	plantedFile       = "Planted-Evidence-Content-7731 "
)

// plantedStore makes a store holding each planted secret: a person and testimony (imported), a
// sealed identity, and an evidence file. It returns the data folder and the person's ID.
func plantedStore(t *testing.T, dir string, env map[string]string) (string, string, string) {
	t.Helper()
	secOK(t, env, "init", "--data", filepath.Join(dir, "data"))
	return plantedStoreOn(t, dir, env)
}

// plantedStoreOn plants the secrets in a store that exists already.
func plantedStoreOn(t *testing.T, dir string, env map[string]string) (string, string, string) {
	t.Helper()
	data := filepath.Join(dir, "data")
	base := []string{"--data", data}
	bundle := map[string]any{
		"format": casefile.BundleFormat, "version": 1,
		"persons":  []map[string]any{{"id": "per_planted", "descriptor": plantedDescriptor}},
		"consents": []map[string]any{{"id": "con_planted", "person_id": "per_planted", "scope": "named_publication"}},
		"sources":  []map[string]any{{"id": "src_planted", "kind": "interview", "title": "Interview P-1"}},
		"testimonies": []map[string]any{{"id": "tes_planted", "person_id": "per_planted", "source_id": "src_planted",
			"narrative": map[string]any{"lang": "en", "body": "In the station the " + plantedNarrative + " and laughed."}}},
	}
	b, _ := json.Marshal(bundle)
	bf := filepath.Join(dir, "planted.json")
	os.WriteFile(bf, b, 0o600)
	secOK(t, env, append([]string{"import", bf}, base...)...)
	ef := filepath.Join(dir, "recording.ogg")
	os.WriteFile(ef, bytes.Repeat([]byte(plantedFile), 20000), 0o600)
	evID := strings.TrimSpace(secOK(t, env, append([]string{"evidence", "add", ef, "--testimony", "tes_planted", "--from", "interviewer's phone"}, base...)...))
	keeper := filepath.Join(dir, "keeper.key")
	recipient := strings.TrimSpace(secOK(t, env, "identity", "keygen", "--out", keeper))
	secOK(t, env, append([]string{"identity", "keeper", "add", recipient, "--label", "lawyer"}, base...)...)
	code, _, stderr := sec(t, `{"name":"`+plantedName+`","contact":"`+plantedContact+`","address":"ul. Mira 12"}`, env, append([]string{"identity", "add", "per_planted"}, base...)...)
	if code != 0 {
		t.Fatalf("identity add: %s", stderr)
	}
	return data, evID, keeper
}

func scanForPlanted(t *testing.T, files ...string) {
	t.Helper()
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		low := bytes.ToLower(b)
		for _, s := range []string{plantedDescriptor, plantedNarrative, plantedName, plantedContact, plantedFile, "ogurtsov", "zhukova", "petrova"} {
			if bytes.Contains(low, bytes.ToLower([]byte(s))) {
				t.Errorf("%s contains %q", filepath.Base(f), s)
			}
		}
	}
}

func filesUnder(t *testing.T, dir string) []string {
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// TestSecurity_NoPlaintextOnDisk: the store file, its WAL and shared-memory files while a writer
// has them open, the evidence folder and a backup hold none of the planted names, phrases and
// file contents; the signed export (meant to be read) does hold the consented records, and the
// identity keeper can reveal the real name.
func TestSecurity_NoPlaintextOnDisk(t *testing.T) {
	fastKDF(t)
	dir := t.TempDir()
	data, evID, keeper := plantedStore(t, dir, nil)

	// A writer with uncommitted WAL frames: the WAL and -shm exist now.
	key, err := vault.ReadKeyring(data)
	if err != nil {
		t.Fatal(err)
	}
	dbKey, _ := key.Unlock([]byte(secPass))
	db, err := sqldb.OpenSQLite(context.Background(), filepath.Join(data, DatabaseFile), sqldb.SQLiteOptions{Key: dbKey})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreatePerson(context.Background(), &casefile.Person{Descriptor: "second " + plantedDescriptor, Notes: plantedNarrative}); err != nil {
		t.Fatal(err)
	}
	files := filesUnder(t, data)
	var names []string
	for _, f := range files {
		names = append(names, strings.TrimPrefix(f, data))
	}
	joined := strings.Join(names, " ")
	if !strings.Contains(joined, DatabaseFile+"-wal") || !strings.Contains(joined, "/"+EvidenceDir+"/") {
		t.Fatalf("expected the WAL and an evidence file among %v", names)
	}
	scanForPlanted(t, files...)
	db.Close()
	scanForPlanted(t, filesUnder(t, data)...)

	backup := filepath.Join(dir, "store.backup")
	secOK(t, nil, "backup", "--data", data, "--out", backup)
	scanForPlanted(t, backup)

	// The planting worked: what is meant to be readable is readable.
	bundle := filepath.Join(dir, "bundle")
	secOK(t, nil, "export", "--data", data, "--out", bundle, "--use", "named_publication")
	recs, _ := os.ReadFile(filepath.Join(bundle, "records.json"))
	if !bytes.Contains(recs, []byte(plantedDescriptor)) || !bytes.Contains(recs, []byte(plantedNarrative)) {
		t.Fatal("the export lacks the consented records: the planted data never reached the store")
	}
	for _, f := range filesUnder(t, bundle) {
		if b, _ := os.ReadFile(f); bytes.Contains(b, []byte(plantedName)) || bytes.Contains(b, []byte(plantedContact)) {
			t.Fatalf("the export %s holds the sealed identity", filepath.Base(f))
		}
	}
	out := secOK(t, nil, "identity", "reveal", "per_planted", "--identity", keeper, "--data", data)
	if !strings.Contains(out, plantedName) {
		t.Fatalf("the keeper cannot reveal the identity: %s", out)
	}
	got := filepath.Join(dir, "got.ogg")
	secOK(t, nil, "evidence", "get", evID, "--out", got, "--data", data)
	if b, _ := os.ReadFile(got); !bytes.Equal(b, bytes.Repeat([]byte(plantedFile), 20000)) {
		t.Fatal("evidence get returned other bytes")
	}
	// Reveal and read are in the chain of custody and the ledger.
	out = secOK(t, nil, "evidence", "custody", evID, "--data", data)
	for _, want := range []string{"create   evidence", "store    evidence_file", "read     evidence"} {
		if !strings.Contains(out, want) {
			t.Fatalf("custody lacks %q:\n%s", want, out)
		}
	}
	// The audit ledger itself holds no names either: only IDs and hashes.
	scanForPlanted(t, filesUnder(t, data)...)
}

// rawDB opens the embedded store's file directly, as an attacker holding the key could, to
// tamper with what the store's own code never allows.
func rawDB(t *testing.T, data string) *sql.DB {
	t.Helper()
	k, err := vault.ReadKeyring(data)
	if err != nil {
		t.Fatal(err)
	}
	key, err := k.Unlock([]byte(secPass))
	if err != nil {
		t.Fatal(err)
	}
	q := url.Values{}
	q.Set("vfs", "adiantum")
	q.Set("hexkey", hex.EncodeToString(key))
	abs, _ := filepath.Abs(filepath.Join(data, DatabaseFile))
	db, err := driver.Open((&url.URL{Scheme: "file", OmitHost: true, Path: abs, RawQuery: q.Encode()}).String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func execAll(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	for _, f := range filesUnder(t, from) {
		rel, _ := filepath.Rel(from, f)
		b, _ := os.ReadFile(f)
		os.MkdirAll(filepath.Dir(filepath.Join(to, rel)), 0o700)
		if err := os.WriteFile(filepath.Join(to, rel), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

const unlockTriggers = `DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete`

// TestSecurity_TamperNamedByVerify: editing, deleting or reordering an audit entry, cutting off
// the end of the ledger, changing one byte of an evidence file, and changing a record of a bundle
// are each detected by verify, which names the entry, file or record.
func TestSecurity_TamperNamedByVerify(t *testing.T) {
	fastKDF(t)
	dir := t.TempDir()
	data, evID, _ := plantedStore(t, dir, nil)
	if out := secOK(t, nil, "verify", "--data", data); !strings.Contains(out, "The store verifies") {
		t.Fatalf("a fresh store: %s", out)
	}
	tests := []struct {
		name   string
		tamper func(t *testing.T, data string)
		want   string
	}{
		{"EntryEdited", func(t *testing.T, data string) {
			execAll(t, rawDB(t, data), unlockTriggers, `UPDATE audit_log SET actor = 'cli:someone-else' WHERE seq = 3`)
		}, "MISMATCH audit entry 3: its hash does not match its content"},
		{"EntryDeleted", func(t *testing.T, data string) {
			execAll(t, rawDB(t, data), unlockTriggers, `DELETE FROM audit_log WHERE seq = 4`)
		}, "MISMATCH audit entry 4: missing"},
		{"EntriesReordered", func(t *testing.T, data string) {
			execAll(t, rawDB(t, data), unlockTriggers, `UPDATE audit_log SET seq = -1 WHERE seq = 2`, `UPDATE audit_log SET seq = 2 WHERE seq = 3`, `UPDATE audit_log SET seq = 3 WHERE seq = -1`)
		}, "MISMATCH audit entry 2: its hash does not match its content (the entry was altered or moved)"},
		{"EndCutOff", func(t *testing.T, data string) {
			execAll(t, rawDB(t, data), unlockTriggers, `DELETE FROM audit_log WHERE seq > (SELECT MAX(seq) - 2 FROM audit_log)`)
		}, "entries at the end were deleted"},
		{"LedgerRewrittenUnderCheckpoint", func(t *testing.T, data string) {
			// Rewrite the whole chain consistently from entry 2: only the signed checkpoint shows it.
			db := rawDB(t, data)
			execAll(t, db, unlockTriggers, `UPDATE audit_log SET actor = 'cli:someone-else' WHERE seq = 2`)
			rehash(t, db)
		}, ": differs from the checkpoint signed at"},
		{"EvidenceByteFlipped", func(t *testing.T, data string) {
			f := filesUnder(t, filepath.Join(data, EvidenceDir))[0]
			b, _ := os.ReadFile(f)
			b[len(b)/2] ^= 1
			os.WriteFile(f, b, 0o600)
		}, "MISMATCH evidence item " + evID + " (file evidence/"},
		{"EvidenceFileDeleted", func(t *testing.T, data string) {
			os.Remove(filesUnder(t, filepath.Join(data, EvidenceDir))[0])
		}, "MISMATCH evidence item " + evID + " (file evidence/"},
		{"EvidenceRecordRemoved", func(t *testing.T, data string) {
			execAll(t, rawDB(t, data), `DELETE FROM evidence_files`)
		}, "MISMATCH evidence item " + evID + ": the ledger records its file as stored"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := filepath.Join(t.TempDir(), "data")
			copyDir(t, data, c)
			tt.tamper(t, c)
			code, out, stderr := sec(t, "", nil, "verify", "--data", c)
			if tt.name == "LedgerRewrittenUnderCheckpoint" && strings.Contains(out, "hash does not match") {
				t.Fatalf("the rewrite was not consistent, so the test proves nothing:\n%s", out)
			}
			if code != 1 || !strings.Contains(out, tt.want) || !strings.Contains(stderr, "verification failed") {
				t.Fatalf("verify: exit %d\n%s%s\nwant …%s…", code, out, stderr, tt.want)
			}
		})
	}
	t.Run("BundleRecordChanged", func(t *testing.T) {
		bundle := filepath.Join(t.TempDir(), "bundle")
		secOK(t, nil, "export", "--data", data, "--out", bundle)
		secOK(t, nil, "verify", bundle)
		p := filepath.Join(bundle, "records.json")
		b, _ := os.ReadFile(p)
		os.WriteFile(p, bytes.Replace(b, []byte("Interview P-1"), []byte("Interview P-2"), 1), 0o600)
		code, out, _ := sec(t, "", nil, "verify", bundle)
		if code != 1 || !strings.Contains(out, `MISMATCH record sources[0] (id "src_planted"): differs from the signed record`) {
			t.Fatalf("verify of an altered bundle: exit %d\n%s", code, out)
		}
		// import refuses it too, naming the mismatch.
		code, _, stderr := sec(t, "", nil, "import", bundle, "--data", data)
		if code != 1 || !strings.Contains(stderr, "does not verify") {
			t.Fatalf("import of an altered bundle: exit %d %s", code, stderr)
		}
	})
}

// rehash recomputes every entry's hash and the head after an edit, as a thorough attacker would.
func rehash(t *testing.T, db *sql.DB) {
	t.Helper()
	rows, err := db.Query(`SELECT seq, at, actor, action, object_kind, object_id, object_hash FROM audit_log ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	var es []casefile.AuditEntry
	for rows.Next() {
		var e casefile.AuditEntry
		var at string
		rows.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.ObjectKind, &e.ObjectID, &e.ObjectHash)
		e.At, _ = parseTime(at)
		es = append(es, e)
	}
	rows.Close()
	prev := ""
	for _, e := range es {
		e.PrevHash = prev
		e.Hash = e.ComputeHash()
		execArgs(t, db, `UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?`, e.PrevHash, e.Hash, e.Seq)
		prev = e.Hash
	}
	execArgs(t, db, `UPDATE audit_head SET hash = ? WHERE id = 1`, prev)
}

func execArgs(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatal(err)
	}
}

func parseTime(s string) (time.Time, error) { return time.Parse(time.RFC3339Nano, s) }
