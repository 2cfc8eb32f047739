package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/sqldb"
	"github.com/casefile/casefile/vault"
)

// TestSecurity_ClearErrors: a wrong passphrase, a truncated file and a flipped byte each give an
// error that says what is wrong and where, exit 1, and leave the store as it was.
func TestSecurity_ClearErrors(t *testing.T) {
	fastKDF(t)
	dir := t.TempDir()
	data, evID, _ := plantedStore(t, dir, nil)
	backup := filepath.Join(dir, "store.backup")
	secOK(t, nil, "backup", "--data", data, "--out", backup)
	keyFile := filepath.Join(dir, "usb.key")
	secOK(t, nil, "key", "add", "keyfile", "--out", keyFile, "--data", data)
	keys, _ := os.ReadFile(filepath.Join(data, vault.KeyringFile))
	evFile := filesUnder(t, filepath.Join(data, EvidenceDir))[0]
	evBytes, _ := os.ReadFile(evFile)
	bk, _ := os.ReadFile(backup)
	kf, _ := os.ReadFile(keyFile)

	type tcase struct {
		name  string
		setup func(t *testing.T, data string) // damages a copy of the store
		env   map[string]string
		args  []string
		says  string
	}
	flipAt := func(b []byte, i int) []byte { c := bytes.Clone(b); c[i] ^= 1; return c }
	write := func(p string, b []byte) { os.WriteFile(p, b, 0o600) }
	tests := []tcase{
		{"WrongPassphrase", nil, map[string]string{"CASEFILE_PASSPHRASE": "not the passphrase"}, []string{"verify"}, "wrong passphrase or key"},
		{"KeyringTruncated", func(t *testing.T, d string) { write(filepath.Join(d, vault.KeyringFile), keys[:len(keys)/2]) }, nil, []string{"verify"}, "keys.json is damaged"},
		{"KeyringByteFlipped", func(t *testing.T, d string) {
			i := bytes.Index(keys, []byte(`"wrapped": "`)) + 15
			c := bytes.Clone(keys)
			if c[i] == 'Q' {
				c[i] = 'R'
			} else {
				c[i] = 'Q'
			}
			write(filepath.Join(d, vault.KeyringFile), c)
		}, nil, []string{"verify"}, "does not match its checksum (altered)"},
		{"EvidenceTruncated", func(t *testing.T, d string) {
			write(filepath.Join(d, strings.TrimPrefix(evFile, data)), evBytes[:len(evBytes)-100])
		}, nil, []string{"evidence", "get", evID, "--out", "OUT"}, "truncated"},
		{"EvidenceByteFlipped", func(t *testing.T, d string) {
			write(filepath.Join(d, strings.TrimPrefix(evFile, data)), flipAt(evBytes, len(evBytes)/2))
		}, nil, []string{"evidence", "get", evID, "--out", "OUT"}, "does not authenticate"},
		{"BackupTruncated", func(t *testing.T, d string) { write(backup+".t", bk[:len(bk)*3/4]) }, nil, []string{"restore", backup + ".t", "--data", "NEW"}, "truncated"},
		{"BackupByteFlipped", func(t *testing.T, d string) { write(backup+".f", flipAt(bk, len(bk)/2)) }, nil, []string{"restore", backup + ".f", "--data", "NEW"}, "does not authenticate"},
		{"BackupWrongPassphrase", nil, map[string]string{"CASEFILE_PASSPHRASE": "not the passphrase"}, []string{"restore", backup, "--data", "NEW"}, "wrong passphrase"},
		{"KeyFileTruncated", func(t *testing.T, d string) { write(keyFile+".t", kf[:25]) }, map[string]string{"CASEFILE_KEY_FILE": keyFile + ".t"}, []string{"verify"}, "key file: line 2"},
		{"KeyFileByteFlipped", func(t *testing.T, d string) {
			write(keyFile+".f", bytes.Replace(kf, kf[21:25], []byte("!!!!"), 1))
		}, map[string]string{"CASEFILE_KEY_FILE": keyFile + ".f"}, []string{"verify"}, "key file: line 2 is not base64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := filepath.Join(t.TempDir(), "data")
			copyDir(t, data, c)
			if tt.setup != nil {
				tt.setup(t, c)
			}
			var args []string
			out := filepath.Join(t.TempDir(), "out.bin")
			newData := filepath.Join(t.TempDir(), "restored")
			for _, a := range tt.args {
				switch a {
				case "OUT":
					a = out
				case "NEW":
					a = newData
				}
				args = append(args, a)
			}
			if !hasArg(args, "--data") {
				args = append(args, "--data", c)
			}
			code, stdout, stderr := sec(t, "", tt.env, args...)
			if code != 1 || !strings.Contains(stderr, tt.says) {
				t.Fatalf("exit %d, stderr %q (stdout %q), want …%s…", code, stderr, stdout, tt.says)
			}
			if strings.Contains(stderr, "internal error") {
				t.Fatalf("an unexplained error: %s", stderr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Fatal("a failed evidence get left a partial file")
			}
			if _, err := os.Stat(newData); err == nil {
				t.Fatal("a failed restore created the data folder")
			}
		})
	}
	// The undamaged store still opens: nothing above changed it.
	secOK(t, nil, "verify", "--data", data)
	// A restore never replaces a store without --force, and with it keeps the old one aside.
	if code, _, stderr := sec(t, "", nil, "restore", backup, "--data", data); code != 1 || !strings.Contains(stderr, "--force") {
		t.Fatalf("restore over a store: exit %d %s", code, stderr)
	}
	out := secOK(t, nil, "restore", backup, "--data", data, "--force")
	if !strings.Contains(out, "kept in") {
		t.Fatalf("restore --force: %s", out)
	}
	secOK(t, nil, "verify", "--data", data)
}

func hasArg(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

type keyList struct {
	KeyID string `json:"key_id"`
	Slots []struct {
		ID, Kind, Label string
	} `json:"slots"`
}

func listKeys(t *testing.T, data string) keyList {
	t.Helper()
	var kl keyList
	if err := json.Unmarshal([]byte(secOK(t, nil, "key", "list", "--json", "--data", data)), &kl); err != nil {
		t.Fatal(err)
	}
	return kl
}

// TestKeyCommands: slots are added, removed and changed without touching the data; rotation
// re-encrypts everything under a new key, keeps the slot used, prints a new recovery key and
// drops the rest.
func TestKeyCommands(t *testing.T) {
	fastKDF(t)
	dir := t.TempDir()
	data, evID, keeper := plantedStore(t, dir, nil)
	first := listKeys(t, data)
	if len(first.Slots) != 2 || first.Slots[0].Kind != "passphrase" || first.Slots[1].Kind != "recovery" {
		t.Fatalf("slots after init: %+v", first)
	}
	evFile := filesUnder(t, filepath.Join(data, EvidenceDir))[0]
	evBefore, _ := os.ReadFile(evFile)

	second := map[string]string{"CASEFILE_NEW_PASSPHRASE": "second passphrase here"}
	secOK(t, second, "key", "add", "passphrase", "--label", "ana", "--data", data)
	byNew := map[string]string{"CASEFILE_PASSPHRASE": "second passphrase here"}
	secOK(t, byNew, "verify", "--data", data)
	if code, _, stderr := sec(t, "", map[string]string{"CASEFILE_NEW_PASSPHRASE": "short"}, "key", "add", "passphrase", "--data", data); code != 1 || !strings.Contains(stderr, "at least 8 characters") {
		t.Fatalf("a short passphrase: %d %s", code, stderr)
	}
	// change-passphrase replaces the slot that opened; the old passphrase stops working.
	third := map[string]string{"CASEFILE_PASSPHRASE": "second passphrase here", "CASEFILE_NEW_PASSPHRASE": "third passphrase here"}
	secOK(t, third, "key", "change-passphrase", "--data", data)
	if code, _, stderr := sec(t, "", byNew, "verify", "--data", data); code != 1 || !strings.Contains(stderr, "wrong passphrase") {
		t.Fatalf("the changed passphrase still opens: %d %s", code, stderr)
	}
	byThird := map[string]string{"CASEFILE_PASSPHRASE": "third passphrase here"}
	secOK(t, byThird, "verify", "--data", data)
	if kl := listKeys(t, data); kl.KeyID != first.KeyID || len(kl.Slots) != 3 || kl.Slots[2].Label != "ana" {
		t.Fatalf("after change-passphrase: %+v", kl)
	}
	if b, _ := os.ReadFile(evFile); !bytes.Equal(b, evBefore) {
		t.Fatal("changing a passphrase re-encrypted evidence")
	}
	// A key file unlocks on its own.
	kf := filepath.Join(dir, "usb.key")
	secOK(t, nil, "key", "add", "keyfile", "--out", kf, "--data", data)
	byFile := map[string]string{"CASEFILE_KEY_FILE": kf, "CASEFILE_PASSPHRASE": "not used"}
	secOK(t, byFile, "verify", "--data", data)
	// remove: unknown slot, then the first passphrase's slot.
	if code, _, stderr := sec(t, "", nil, "key", "remove", "slot_nope", "--data", data); code != 1 || !strings.Contains(stderr, "no key slot slot_nope") {
		t.Fatalf("remove unknown: %d %s", code, stderr)
	}
	secOK(t, nil, "key", "remove", first.Slots[0].ID, "--data", data)
	if code, _, _ := sec(t, "", nil, "verify", "--data", data); code != 1 {
		t.Fatal("a removed slot still opens")
	}
	// The ledger records each change of slots.
	ledgerOut := secOK(t, byThird, "verify", "--json", "--data", data)
	if !strings.Contains(ledgerOut, `"ok": true`) {
		t.Fatalf("verify after slot changes: %s", ledgerOut)
	}

	// Rotation.
	out := secOK(t, byThird, "key", "rotate", "--json", "--data", data)
	var rot struct {
		KeyID    string   `json:"key_id"`
		Dropped  []string `json:"dropped_slots"`
		Recovery string   `json:"recovery_key"`
		Files    int      `json:"evidence_files"`
	}
	if err := json.Unmarshal([]byte(out), &rot); err != nil {
		t.Fatal(err)
	}
	if rot.KeyID == first.KeyID || rot.Files != 1 || len(rot.Dropped) != 2 || rot.Recovery == "" {
		t.Fatalf("rotate: %s", out)
	}
	if _, err := os.Stat(evFile); !os.IsNotExist(err) {
		t.Fatal("the evidence file under the old key is still there")
	}
	if b, _ := os.ReadFile(filesUnder(t, filepath.Join(data, EvidenceDir))[0]); bytes.Equal(b, evBefore) {
		t.Fatal("evidence was not re-encrypted")
	}
	secOK(t, byThird, "verify", "--data", data)
	if code, _, _ := sec(t, "", byFile, "verify", "--data", data); code != 1 {
		t.Fatal("a dropped key file still opens the rotated store")
	}
	byRecovery := map[string]string{"CASEFILE_PASSPHRASE": strings.ToLower(rot.Recovery)}
	got := filepath.Join(dir, "after-rotate.ogg")
	secOK(t, byRecovery, "evidence", "get", evID, "--out", got, "--data", data)
	if b, _ := os.ReadFile(got); !bytes.Equal(b, bytes.Repeat([]byte(plantedFile), 20000)) {
		t.Fatal("evidence after rotation differs")
	}
	if out := secOK(t, byThird, "identity", "reveal", "per_planted", "--identity", keeper, "--data", data); !strings.Contains(out, plantedName) {
		t.Fatal("the identity vault did not survive rotation")
	}
	if _, err := os.Stat(filepath.Join(data, DatabaseFile+".rotate")); !os.IsNotExist(err) {
		t.Fatal("rotation left its staging file")
	}
}

// TestExport_Consent: a person who withdrew consent disappears from every export made after the
// withdrawal; a use beyond a person's scope leaves them out.
func TestExport_Consent(t *testing.T) {
	fastKDF(t)
	dir := t.TempDir()
	data, _, _ := plantedStore(t, dir, nil)
	export := func(name, use string) []byte {
		p := filepath.Join(dir, name)
		secOK(t, nil, "export", "--data", data, "--out", p, "--use", use)
		secOK(t, nil, "verify", p)
		b, _ := os.ReadFile(filepath.Join(p, "records.json"))
		return b
	}
	if b := export("before", "un_submission"); !bytes.Contains(b, []byte(plantedDescriptor)) || !bytes.Contains(b, []byte("tes_planted")) {
		t.Fatal("a person with named-publication consent is missing from a UN submission")
	}
	k, _ := vault.ReadKeyring(data)
	key, _ := k.Unlock([]byte(secPass))
	db, err := sqldb.OpenSQLite(context.Background(), filepath.Join(data, DatabaseFile), sqldb.SQLiteOptions{Key: key})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := db.CreatePerson(ctx, &casefile.Person{ID: "per_internal_only", Descriptor: "Woman on OST, 41"}); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateConsent(ctx, &casefile.Consent{PersonID: "per_internal_only", Scope: casefile.ConsentInternal}); err != nil {
		t.Fatal(err)
	}
	if err := db.WithdrawConsent(ctx, "per_planted", time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, use := range []string{"internal", "anonymised", "un_submission", "named_publication"} {
		b := export("after-"+use, use)
		for _, s := range []string{plantedDescriptor, "per_planted", "tes_planted", plantedNarrative} {
			if bytes.Contains(b, []byte(s)) {
				t.Fatalf("%s export after withdrawal still holds %q", use, s)
			}
		}
		if has := bytes.Contains(b, []byte("per_internal_only")); has != (use == "internal") {
			t.Fatalf("%s export: internal-only person included = %v", use, has)
		}
	}
	if code, _, _ := sec(t, "", nil, "export", "--data", data, "--out", filepath.Join(dir, "x"), "--use", "press"); code != 2 {
		t.Fatalf("an unknown use: exit %d, want 2", code)
	}
}

// TestBackup_WhileWriting: a backup taken while another connection keeps writing restores to a
// store whose ledger and evidence verify: the snapshot is consistent.
func TestBackup_WhileWriting(t *testing.T) {
	fastKDF(t)
	dir := t.TempDir()
	data, _, _ := plantedStore(t, dir, nil)
	k, _ := vault.ReadKeyring(data)
	key, _ := k.Unlock([]byte(secPass))
	db, err := sqldb.OpenSQLite(context.Background(), filepath.Join(data, DatabaseFile), sqldb.SQLiteOptions{Key: key})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stop := make(chan struct{})
	done := make(chan int)
	go func() {
		n := 0
		for {
			select {
			case <-stop:
				done <- n
				return
			default:
			}
			if err := db.CreatePerson(context.Background(), &casefile.Person{Descriptor: "written during the backup"}); err != nil {
				t.Error(err)
				done <- n
				return
			}
			n++
		}
	}()
	backups := []string{}
	for i := 0; i < 3; i++ {
		b := filepath.Join(dir, "b"+string(rune('0'+i)))
		secOK(t, nil, "backup", "--data", data, "--out", b)
		backups = append(backups, b)
	}
	close(stop)
	if n := <-done; n == 0 {
		t.Fatal("nothing was written during the backups: the test proves nothing")
	}
	for _, b := range backups {
		out := secOK(t, nil, "restore", b, "--data", filepath.Join(t.TempDir(), "restored"))
		if !strings.Contains(out, "audit entries and 1 evidence file(s) verified") {
			t.Fatalf("restore: %s", out)
		}
	}
}

// TestKeyRotate_Interrupted: a rotation cut off before the database swap is undone (the old key
// still opens the whole store); one cut off after the swap is completed (the new key opens it).
func TestKeyRotate_Interrupted(t *testing.T) {
	fastKDF(t)
	dir := t.TempDir()
	data, _, _ := plantedStore(t, dir, nil)
	oldKeys, _ := os.ReadFile(filepath.Join(data, vault.KeyringFile))

	// Before the swap: staged keyring and database beside the live ones.
	before := filepath.Join(t.TempDir(), "data")
	copyDir(t, data, before)
	os.WriteFile(filepath.Join(before, vault.KeyringFile+".rotate"), []byte("{half"), 0o600)
	os.WriteFile(filepath.Join(before, DatabaseFile+".rotate"), []byte("partial"), 0o600)
	secOK(t, nil, "verify", "--data", before)
	if _, err := os.Stat(filepath.Join(before, DatabaseFile+".rotate")); !os.IsNotExist(err) {
		t.Fatal("the staged database of an undone rotation is still there")
	}

	// After the swap: rotate a copy fully, then put the old keyring back as if the last rename
	// never happened.
	after := filepath.Join(t.TempDir(), "data")
	copyDir(t, data, after)
	secOK(t, nil, "key", "rotate", "--data", after)
	newKeys, _ := os.ReadFile(filepath.Join(after, vault.KeyringFile))
	os.WriteFile(filepath.Join(after, vault.KeyringFile+".rotate"), newKeys, 0o600)
	os.WriteFile(filepath.Join(after, vault.KeyringFile), oldKeys, 0o600)
	secOK(t, nil, "verify", "--data", after)
	if b, _ := os.ReadFile(filepath.Join(after, vault.KeyringFile)); !bytes.Equal(b, newKeys) {
		t.Fatal("the interrupted rotation was not completed")
	}
}
