package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/ledger"
	"github.com/casefile/casefile/sqldb"
	"github.com/casefile/casefile/vault"
)

// TestIdentityVault_Keepers: only the keepers an identity was sealed to can reveal it; a keeper
// added later gets access through reseal; every reveal is in the ledger.
func TestIdentityVault_Keepers(t *testing.T) {
	fastKDF(t)
	dir := t.TempDir()
	data, _, keeper1 := plantedStore(t, dir, nil)
	keeper2 := filepath.Join(dir, "second.key")
	recipient2 := strings.TrimSpace(secOK(t, nil, "identity", "keygen", "--out", keeper2))
	if code, _, stderr := sec(t, "", nil, "identity", "keygen", "--out", keeper2); code != 1 || !strings.Contains(stderr, "must not exist") {
		t.Fatalf("keygen over an existing key: %d %s", code, stderr)
	}
	secOK(t, nil, "identity", "keeper", "add", recipient2, "--label", "second lawyer", "--data", data)
	if code, _, stderr := sec(t, "", nil, "identity", "reveal", "per_planted", "--identity", keeper2, "--data", data); code != 1 || !strings.Contains(stderr, "not one of the keepers") {
		t.Fatalf("a later keeper reveals an earlier identity: %d %s", code, stderr)
	}
	out := secOK(t, nil, "identity", "reseal", "--identity", keeper1, "--json", "--data", data)
	if !strings.Contains(out, `"resealed": 1`) {
		t.Fatalf("reseal: %s", out)
	}
	if out := secOK(t, nil, "identity", "reveal", "per_planted", "--identity", keeper2, "--data", data); !strings.Contains(out, plantedName) {
		t.Fatalf("after reseal the second keeper cannot reveal: %s", out)
	}
	if out := secOK(t, nil, "identity", "keeper", "list", "--data", data); !strings.Contains(out, "second lawyer") || !strings.Contains(out, recipient2) {
		t.Fatalf("keeper list: %s", out)
	}
	for _, tt := range []struct {
		name, stdin string
		args        []string
		says        string
	}{
		{"UnknownPerson", `{"name":"x"}`, []string{"identity", "add", "per_nobody"}, "no person per_nobody"},
		{"Empty", `{}`, []string{"identity", "add", "per_planted"}, "at least a name"},
		{"UnknownField", `{"Ivan Petrov":"x"}`, []string{"identity", "add", "per_planted"}, "a field other than these"},
		{"NotJSON", `Ivan Petrov, ul. Mira`, []string{"identity", "add", "per_planted"}, "not valid JSON"},
		{"BadRecipient", "", []string{"identity", "keeper", "add", "age1notakey"}, "not an age public key"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := sec(t, tt.stdin, nil, append(tt.args, "--data", data)...)
			if code != 1 || !strings.Contains(stderr, tt.says) {
				t.Fatalf("exit %d %q, want …%s…", code, stderr, tt.says)
			}
			if strings.Contains(stderr, "Ivan") || strings.Contains(stderr, "Mira") {
				t.Fatalf("the error shows the identity: %s", stderr)
			}
		})
	}
	// Reveals are recorded: the reseal read and the second keeper's reveal, each an entry.
	secOK(t, nil, "verify", "--data", data) // makes the instance key
	k, _ := vault.ReadKeyring(data)
	key, _ := k.Unlock([]byte(secPass))
	db, err := sqldb.OpenSQLite(context.Background(), filepath.Join(data, DatabaseFile), sqldb.SQLiteOptions{Key: key})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	kind, id := "identity", "per_planted"
	es, _, err := db.FindAuditEntries(context.Background(), casefile.AuditFilter{ObjectKind: &kind, ObjectID: &id})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range es {
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, ","); got != "create,reveal,update,reveal" {
		t.Fatalf("identity entries in the ledger: %s", got)
	}

	// A running server signs checkpoints on its own.
	sealed, _ := db.Setting(context.Background(), vault.InstanceKeySetting)
	ik, err := vault.OpenInstanceKey(key, sealed)
	if err != nil {
		t.Fatal(err)
	}
	db.RecordAccess(context.Background(), "read", "evidence", "evi_x")
	seq, _, _ := db.AuditHead(context.Background())
	ctx, cancel := context.WithCancel(context.Background())
	go ledger.RunCheckpoints(ctx, db, ik, 10*time.Millisecond, slog.New(slog.NewTextHandler(io.Discard, nil)))
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := db.LatestCheckpoint(context.Background())
		if err == nil && c.Seq == seq {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no checkpoint of entry %d was signed: %v %v", seq, c, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
}
