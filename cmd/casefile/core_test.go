package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/exchange"
	"github.com/casefile/casefile/sqldb"
	"github.com/casefile/casefile/vault"
)

const testPass = "test-passphrase-1"

// cli runs one command line in-process, as the binary would, and returns its exit code and output.
func cli(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		if k == "CASEFILE_PASSPHRASE" {
			return testPass
		}
		return ""
	}
	code := run(context.Background(), args, strings.NewReader(""), &out, &errb, getenv)
	return code, out.String(), errb.String()
}

func TestCLI_DemoSearchExportImport(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if code, _, stderr := cli(t, nil, "demo", "--no-serve", "--data", data); code != 0 {
		t.Fatalf("demo: exit %d: %s", code, stderr)
	}
	for _, q := range []string{"haloperidol", "галоперидолом"} {
		code, out, stderr := cli(t, nil, "search", q, "--json", "--data", data)
		if code != 0 {
			t.Fatalf("search %s: exit %d: %s", q, code, stderr)
		}
		var res casefile.SearchResult
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("search --json is not JSON: %v", err)
		}
		if res.Total == 0 || !strings.Contains(strings.ToLower(out), "галоперидол") && !strings.Contains(strings.ToLower(out), "haloperidol") {
			t.Fatalf("search %s found nothing in the demo", q)
		}
	}
	// Export, then import into an empty store: the second export is the same.
	exp1 := filepath.Join(dir, "one")
	if code, _, stderr := cli(t, nil, "export", "--data", data, "--out", exp1); code != 0 {
		t.Fatalf("export: %s", stderr)
	}
	data2 := filepath.Join(dir, "data2")
	if code, _, stderr := cli(t, nil, "init", "--data", data2); code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	if code, _, stderr := cli(t, nil, "import", exp1, "--data", data2); code != 0 {
		t.Fatalf("import: %s", stderr)
	}
	exp2 := filepath.Join(dir, "two")
	if code, _, stderr := cli(t, nil, "export", "--data", data2, "--out", exp2); code != 0 {
		t.Fatalf("export 2: %s", stderr)
	}
	if a, b := stripExportTime(t, exp1), stripExportTime(t, exp2); a != b {
		t.Fatal("export → import → export is not identical")
	}
	// A wrong passphrase is a clear error, exit 1.
	code, _, stderr := cli(t, map[string]string{"CASEFILE_PASSPHRASE": "wrong-passphrase"}, "search", "x", "--data", data)
	if code != 1 || !strings.Contains(stderr, "wrong passphrase") {
		t.Fatalf("wrong passphrase: exit %d, %q", code, stderr)
	}
	// Bad usage is exit 2.
	if code, _, _ := cli(t, nil, "search", "--data", data); code != 2 {
		t.Fatalf("search without words: exit %d, want 2", code)
	}
	if code, _, _ := cli(t, nil, "no-such-command"); code != 2 {
		t.Fatalf("unknown command: exit %d, want 2", code)
	}
}

// stripExportTime reads the records of an exported bundle folder without its export time.
func stripExportTime(t *testing.T, path string) string {
	b, err := os.ReadFile(filepath.Join(path, "records.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "exported_at")
	delete(m, "instance") // each store signs with its own instance key
	out, _ := json.Marshal(m)
	return string(out)
}

func TestCLI_ImportCSVAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if code, _, stderr := cli(t, nil, "init", "--data", data); code != 0 {
		t.Fatal(stderr)
	}
	persons := filepath.Join(dir, "persons.csv")
	os.WriteFile(persons, []byte("id,descriptor,age\nper_1,\"Woman, 40, Orsk\",40\nper_2,\"Man, 22, Orsk\",22\n"), 0o600)
	events := filepath.Join(dir, "events.csv")
	os.WriteFile(events, []byte("id,title,domain,setting,date_start\nevt_1,Raid,law_enforcement,street,2012-03\n"), 0o600)
	acts := filepath.Join(dir, "acts.csv")
	os.WriteFile(acts, []byte("id,event_id,victim_id,type,perpetrator_types,degrees\nact_1,evt_1,per_1,beating,police,carried_out\nact_2,evt_1,per_9,extortion,police,carried_out\n"), 0o600)
	code, _, stderr := cli(t, nil, "import", persons, events, acts, "--data", data)
	if code != 1 || !strings.Contains(stderr, "acts[1]") || !strings.Contains(stderr, "per_9") {
		t.Fatalf("dangling victim: exit %d, %q", code, stderr)
	}
	if n := countRecords(t, dir, data); n != 0 {
		t.Fatalf("a failed import left %d records behind", n)
	}
	os.WriteFile(acts, []byte("id,event_id,victim_id,type,perpetrator_types,degrees\nact_1,evt_1,per_1,beating,police,carried_out\nact_2,evt_1,per_2,extortion,police,carried_out\n"), 0o600)
	if code, _, stderr := cli(t, nil, "import", persons, events, acts, "--data", data, "--json"); code != 0 {
		t.Fatalf("import: %s", stderr)
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("descriptor,age\nA,3\nB,old\n"), 0o600)
	if code, _, stderr := cli(t, nil, "import", bad, "--data", data); code != 1 || !strings.Contains(stderr, "bad.csv:3: field age") {
		t.Fatalf("bad CSV: exit %d %q", code, stderr)
	}
}

// TestCrash_ImportKilledMidway starts an import of many acts in a child process, kills it with
// SIGKILL while the transaction is being written, and checks that the store opens, passes
// SQLite's integrity check, and holds either all of the import or none of it.
func TestCrash_ImportKilledMidway(t *testing.T) {
	if os.Getenv("CASEFILE_CRASH_CHILD") == "1" {
		return // the child's work is done in TestMain
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if code, _, stderr := cli(t, nil, "init", "--data", data); code != 0 {
		t.Fatal(stderr)
	}
	const n = 20000
	file := filepath.Join(dir, "big.json")
	writeBigBundle(t, file, n)
	for attempt := 0; attempt < 3; attempt++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrash_ImportKilledMidway$")
		cmd.Env = append(os.Environ(), "CASEFILE_CRASH_CHILD=1", "CASEFILE_CRASH_ARGS=import\x1f"+file+"\x1f--data\x1f"+data, "CASEFILE_PASSPHRASE="+testPass)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill as soon as the transaction's pages start reaching the write-ahead log: the page
		// cache holds most of an import until commit, so this is the commit itself being written,
		// the moment a crash is most likely to tear.
		wal := filepath.Join(data, DatabaseFile+"-wal")
		killed := false
		deadline := time.Now().Add(10 * time.Minute)
		for time.Now().Before(deadline) {
			if st, err := os.Stat(wal); err == nil && st.Size() > 64<<10 {
				cmd.Process.Signal(syscall.SIGKILL)
				killed = true
				break
			}
			time.Sleep(time.Millisecond)
		}
		cmd.Wait()
		key, err := unlockForTest(data)
		if err != nil {
			t.Fatal(err)
		}
		db, err := sqldb.OpenSQLite(context.Background(), filepath.Join(data, DatabaseFile), sqldb.SQLiteOptions{Key: key})
		if err != nil {
			t.Fatalf("after SIGKILL the store does not open: %v", err)
		}
		problems, err := db.IntegrityCheck(context.Background())
		if err != nil || len(problems) > 0 {
			t.Fatalf("integrity check: %v %v", err, problems)
		}
		_, acts, _ := db.FindActs(context.Background(), casefile.ActFilter{Limit: 1})
		_, persons, _ := db.FindPersons(context.Background(), casefile.PersonFilter{Limit: 1})
		db.Close()
		if acts != 0 && acts != n || persons != 0 && persons != n {
			t.Fatalf("after SIGKILL the store holds %d acts and %d persons: part of an import", acts, persons)
		}
		if killed && acts == 0 {
			t.Logf("killed mid-import (attempt %d): the store holds none of it", attempt+1)
			return
		}
		if acts == n {
			t.Fatalf("the import finished before it could be killed; make the bundle larger")
		}
	}
	t.Fatal("never caught the import mid-write")
}

// countRecords exports the store and counts persons, events and acts in it.
func countRecords(t *testing.T, dir, data string) int {
	t.Helper()
	out := filepath.Join(t.TempDir(), "count")
	if code, _, stderr := cli(t, nil, "export", "--data", data, "--out", out); code != 0 {
		t.Fatalf("export: %s", stderr)
	}
	f, err := os.Open(filepath.Join(out, "records.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := exchange.ReadBundle(f, "records.json")
	if err != nil {
		t.Fatal(err)
	}
	return len(b.Persons) + len(b.Events) + len(b.Acts)
}

func unlockForTest(data string) ([]byte, error) {
	k, err := vault.ReadKeyring(data)
	if err != nil {
		return nil, err
	}
	return k.Unlock([]byte(testPass))
}

func writeBigBundle(t *testing.T, path string, n int) {
	b := &casefile.Bundle{Format: casefile.BundleFormat, Version: 1}
	b.Events = append(b.Events, &casefile.Event{ID: "evt_big", Title: "Mass detentions", Domain: "law_enforcement"})
	for i := 0; i < n; i++ {
		pid := fmt.Sprintf("per_%06d", i)
		b.Persons = append(b.Persons, &casefile.Person{ID: pid, Descriptor: fmt.Sprintf("Detainee %d", i)})
		b.Acts = append(b.Acts, &casefile.Act{ID: fmt.Sprintf("act_%06d", i), EventID: "evt_big", VictimID: pid, Type: "beating",
			Description:  casefile.Text{Lang: "en", Body: "Beaten in the police station during questioning about drug possession."},
			Involvements: []casefile.Involvement{{PerpetratorType: "police", Degree: "carried_out"}}})
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := exchange.WriteBundle(f, b); err != nil {
		t.Fatal(err)
	}
}

func TestMain(m *testing.M) {
	if os.Getenv("CASEFILE_CRASH_CHILD") == "1" {
		args := strings.Split(os.Getenv("CASEFILE_CRASH_ARGS"), "\x1f")
		os.Exit(run(context.Background(), args, os.Stdin, os.Stdout, os.Stderr, os.Getenv))
	}
	os.Exit(m.Run())
}

// Exporting again to the same folder replaces the earlier bundle; any other existing path is
// refused and left alone.
func TestCLI_ExportReplacesOnlyAnEarlierBundle(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if code, _, stderr := cli(t, nil, "demo", "--no-serve", "--data", data); code != 0 {
		t.Fatal(stderr)
	}
	out := filepath.Join(dir, "bundle")
	for i := 0; i < 2; i++ {
		if code, _, stderr := cli(t, nil, "export", "--data", data, "--out", out); code != 0 {
			t.Fatalf("export %d: %s", i+1, stderr)
		}
		if code, _, stderr := cli(t, nil, "verify", out); code != 0 {
			t.Fatalf("verify after export %d: %s", i+1, stderr)
		}
	}
	other := filepath.Join(dir, "notes")
	os.Mkdir(other, 0o700)
	os.WriteFile(filepath.Join(other, "keep.txt"), []byte("mine"), 0o600)
	if code, _, stderr := cli(t, nil, "export", "--data", data, "--out", other); code != 1 || !strings.Contains(stderr, "not an earlier bundle") {
		t.Fatalf("export over a folder that is not a bundle: exit %d, %q", code, stderr)
	}
	if b, err := os.ReadFile(filepath.Join(other, "keep.txt")); err != nil || string(b) != "mine" {
		t.Fatal("the existing folder was touched")
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".bundle.tmp-*"))
	if len(leftovers) != 0 {
		t.Fatalf("temporary folders left behind: %v", leftovers)
	}
}
