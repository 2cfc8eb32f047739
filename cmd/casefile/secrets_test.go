package main

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/casefile/casefile/vault"
)

// A value in the wrong field is often a name or a phrase of a narrative: a CSV descriptor with an
// unquoted comma shifts every column after it. Import errors name the file, line and field, and
// never the value, even with the debug log on.
func TestImport_ErrorsShowNoRecordContent(t *testing.T) {
	fastKDF(t)
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	secOK(t, nil, "init", "--data", data)
	bundle := func(persons, consents string) string {
		return `{"format": "casefile-bundle", "version": 1, "persons": [` + persons + `], "consents": [` + consents + `]}`
	}
	cases := []struct {
		name, file, content, secret, want string
	}{
		{"csv bool", "p1.csv", "descriptor,confidential\nMan,Planted-Vasilyev\n", "Vasilyev", "field confidential"},
		{"csv int", "p2.csv", "descriptor,age\nMan,Planted Petrov\n", "Petrov", "field age"},
		{"csv code", "p3.csv", "descriptor,sex\nMan,Planted-Sidorov\n", "Sidorov", "sex"},
		{"csv list code", "p4.csv", "descriptor,characteristics\nMan,Planted-Kuznetsov\n", "Kuznetsov", "characteristics[0]"},
		{"csv date", "e1.csv", "title,date_start\nBeating,Planted-Orlov\n", "Orlov", "date_start"},
		{"csv header", "p5.csv", "descriptor,Planted Header Smirnova\nMan,x\n", "Smirnova", "p5.csv:1"},
		{"json phone in age", "b1.json", bundle(`{"id": "per_x", "descriptor": "x", "age": 79991234567}`, ""), "79991234567", "age"},
		{"json number in a text field", "b2.json", `{"format": "casefile-bundle", "version": 1, "persons": [{"id": "per_x", "descriptor": 79991234567}]}`, "79991234567", "descriptor"},
		{"json scope", "b3.json", bundle(`{"id": "per_x", "descriptor": "x"}`, `{"id": "c", "person_id": "per_x", "scope": "Planted-Scope-Egorova"}`), "Egorova", "scope"},
		{"json format", "b4.json", `{"format": "Planted-Format-Belova", "version": 1}`, "Belova", "format"},
		{"json key", "b5.json", bundle(`{"id": "per_x", "descriptor": "x", "Planted-Key-Fomina": 1}`, ""), "Fomina", "unknown field"},
		{"json time", "b6.json", bundle(`{"id": "per_x", "descriptor": "x", "created_at": "Planted-Time-Gusev"}`, ""), "Gusev", "time"},
		{"csv id", "p6.csv", "id,descriptor\nPlanted Ivanov,Man\n", "Ivanov", "persons[0]"},
		{"csv reference", "a1.csv", "victim_id,event_id,type\nPlanted Popov,Planted Sokolov,beating\n", "popov", "acts[0]"},
		{"json reference", "b8.json", `{"format": "casefile-bundle", "version": 1, "consents": [{"id": "c", "person_id": "Planted Kozlov", "scope": "internal"}]}`, "Kozlov", "person_id"},
		{"json date", "b7.json", `{"format": "casefile-bundle", "version": 1, "events": [{"id": "evt_x", "title": "x", "date": {"precision": "year", "start": "Planted-Date-Lebedev"}}]}`, "Lebedev", "start"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := filepath.Join(dir, c.file)
			if err := os.WriteFile(f, []byte(c.content), 0o600); err != nil {
				t.Fatal(err)
			}
			code, out, stderr := sec(t, "", map[string]string{"CASEFILE_LOG_LEVEL": "debug"}, "import", f, "--data", data)
			if code != 1 {
				t.Fatalf("exit %d, want 1: %s", code, stderr)
			}
			if strings.Contains(strings.ToLower(stderr+out), strings.ToLower(c.secret)) {
				t.Errorf("the error shows the value: %s", stderr)
			}
			if !strings.Contains(stderr, c.want) {
				t.Errorf("the error does not say where (%q): %s", c.want, stderr)
			}
		})
	}
}

// casefile config hides every password of the database connection string, wherever it is written.
func TestConfig_HidesDatabasePasswords(t *testing.T) {
	for _, u := range []string{
		"postgres://casefile:Sekrit-Userinfo@db.example:5432/casefile",
		"postgres://casefile@db.example/casefile?password=Sekrit-Query&sslmode=require",
		"postgresql://casefile@db.example/casefile?sslpassword=Sekrit-SSL",
		"host=db.example user=casefile password=Sekrit-Keyword dbname=casefile",
		"host=db.example password='Sekrit Quoted'",
		"postgres://casefile:Sek%zzrit-Broken@db.example/casefile",
	} {
		for _, asJSON := range []bool{false, true} {
			args := []string{"config", "--database-url", u}
			if asJSON {
				args = append(args, "--json")
			}
			code, out, stderr := sec(t, "", nil, args...)
			if code != 0 {
				t.Fatalf("config: exit %d: %s", code, stderr)
			}
			if strings.Contains(out+stderr, "Sekrit") || strings.Contains(out+stderr, "Sek%zzrit") {
				t.Errorf("config shows a password of %q:\n%s", u, out)
			}
			if !strings.Contains(out, "database_url") {
				t.Errorf("config does not list database_url:\n%s", out)
			}
		}
	}
}

// A key file or passphrase file is small: a wrong path to a device or a huge file is refused at
// once, not read until memory runs out.
func TestUnlock_SecretFilesAreBounded(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	fastKDF(t)
	data := filepath.Join(t.TempDir(), "data")
	secOK(t, nil, "init", "--data", data)
	for _, env := range []map[string]string{
		{"CASEFILE_KEY_FILE": "/dev/zero"},
		{"CASEFILE_PASSPHRASE": "", "CASEFILE_PASSPHRASE_FILE": "/dev/zero"},
	} {
		type result struct {
			code   int
			stderr string
		}
		done := make(chan result, 1)
		go func() {
			code, _, stderr := sec(t, "", env, "search", "x", "--data", data)
			done <- result{code, stderr}
		}()
		select {
		case r := <-done:
			if r.code != 1 || !strings.Contains(r.stderr, "large") {
				t.Errorf("%v: exit %d: %s", env, r.code, r.stderr)
			}
		case <-time.After(2 * time.Minute):
			t.Fatalf("%v: still reading /dev/zero", env)
		}
	}
}

// Every command, succeeding or failing, with the debug log on, keeps the planted names, phrases,
// file contents, passphrase and database key off standard error: that is where logs and messages
// go, and logs end up in places (journald, CI, support tickets) that no consent covers.
func TestCommands_StderrHoldsNoPlantedSecrets(t *testing.T) {
	fastKDF(t)
	dir := t.TempDir()
	env := map[string]string{"CASEFILE_LOG_LEVEL": "debug"}
	data, evID, keeper := plantedStore(t, dir, env)
	base := []string{"--data", data}
	other := filepath.Join(dir, "other.key")
	secOK(t, nil, "identity", "keygen", "--out", other)
	bundle := filepath.Join(dir, "planted.json")
	runs := [][]string{
		{"search", "Ogurtsov"},
		{"search", "Ogurtsov", "--json"},
		{"verify"},
		{"evidence", "list"},
		{"evidence", "custody", evID},
		{"evidence", "get", evID, "--out", filepath.Join(dir, "copy.ogg")},
		{"evidence", "get", evID, "--out", filepath.Join(dir, "copy.ogg")}, // exists: refused
		{"identity", "reveal", "per_planted", "--identity", keeper},
		{"identity", "reveal", "per_planted", "--identity", other}, // not a keeper
		{"identity", "reveal", "per_nobody", "--identity", keeper},
		{"identity", "add", "per_planted", "--file", bundle}, // a bundle, not an identity
		{"import", bundle}, // the same records again
		{"export", "--out", filepath.Join(dir, "export")},
		{"export", "--out", filepath.Join(dir, "export")}, // exists: refused
		{"backup", "--out", filepath.Join(dir, "b.backup")},
		{"backup", "--out", filepath.Join(dir, "no", "such", "folder", "b.backup")},
		{"key", "list"},
		{"config"},
	}
	var all strings.Builder
	for _, args := range runs {
		_, _, stderr := sec(t, "", env, append(args, base...)...)
		all.WriteString(stderr)
	}
	// A wrong passphrase, and restore with one.
	for _, args := range [][]string{{"search", "Ogurtsov", "--data", data}, {"restore", filepath.Join(dir, "b.backup"), "--data", filepath.Join(dir, "restored")}} {
		_, _, stderr := sec(t, "", map[string]string{"CASEFILE_LOG_LEVEL": "debug", "CASEFILE_PASSPHRASE": "Planted-Wrong-Passphrase"}, args...)
		all.WriteString(stderr)
	}
	got := strings.ToLower(all.String())
	if strings.Count(got, "wrong passphrase") != 2 || !strings.Contains(got, "not one of the keepers") || !strings.Contains(got, "backup written") {
		t.Fatalf("the failing commands did not fail as planned:\n%s", all.String())
	}
	k, err := rawKey(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{plantedDescriptor, plantedNarrative, plantedName, plantedContact, strings.TrimSpace(plantedFile),
		"ogurtsov", "zhukova", "petrova", secPass, "planted-wrong-passphrase", k} {
		if strings.Contains(got, strings.ToLower(s)) {
			t.Errorf("standard error holds %q", s)
		}
	}
}

// rawKey returns the store's database key in hex, as the SQLite DSN carries it.
func rawKey(data string) (string, error) {
	k, err := vault.ReadKeyring(data)
	if err != nil {
		return "", err
	}
	key, err := k.Unlock([]byte(secPass))
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(key), nil
}
