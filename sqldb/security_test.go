package sqldb_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/sqldb"
)

func TestSecurity(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			t.Run("IdentityVault", func(t *testing.T) { testIdentityVault(t, b.open(t)) })
			t.Run("Blobs", func(t *testing.T) { testBlobs(t, b.open(t)) })
			t.Run("Custody", func(t *testing.T) { testCustody(t, b.open(t)) })
			t.Run("LedgerAndCheckpoints", func(t *testing.T) { testLedger(t, b.open(t)) })
		})
	}
}

func testIdentityVault(t *testing.T, db *sqldb.DB) {
	ctx := casefile.NewContextWithActor(context.Background(), "tester")
	p, _, _ := seed(t, db)
	wantKind(t, db.CreateIdentityKeeper(ctx, &casefile.IdentityKeeper{Recipient: "ssh-rsa AAAA"}), casefile.EINVALID)
	k := &casefile.IdentityKeeper{Label: "lawyer", Recipient: "age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq"}
	must(t, db.CreateIdentityKeeper(ctx, k))
	wantKind(t, db.CreateIdentityKeeper(ctx, &casefile.IdentityKeeper{Recipient: k.Recipient}), casefile.ECONFLICT)
	ks, err := db.FindIdentityKeepers(ctx)
	must(t, err)
	if len(ks) != 1 || ks[0].Label != "lawyer" || ks[0].AddedBy != "tester" {
		t.Fatalf("keepers %+v", ks)
	}
	sealed := []byte("age-encryption.org/v1\n-> X25519 opaque ciphertext")
	wantKind(t, db.PutSealedIdentity(ctx, &casefile.SealedIdentity{PersonID: "per_nobody", Sealed: sealed}), casefile.ENOTFOUND)
	_, err = db.FindSealedIdentity(ctx, p.ID)
	wantKind(t, err, casefile.ENOTFOUND)
	must(t, db.PutSealedIdentity(ctx, &casefile.SealedIdentity{PersonID: p.ID, KeeperIDs: []string{k.ID}, Sealed: sealed}))
	must(t, db.PutSealedIdentity(ctx, &casefile.SealedIdentity{PersonID: p.ID, KeeperIDs: []string{k.ID}, Sealed: append(sealed, '!')}))
	got, err := db.FindSealedIdentity(ctx, p.ID)
	must(t, err)
	if !bytes.Equal(got.Sealed, append(sealed, '!')) || len(got.KeeperIDs) != 1 || got.CreatedBy != "tester" {
		t.Fatalf("sealed identity %+v", got)
	}
	kind, id := "identity", p.ID
	es, _, err := db.FindAuditEntries(ctx, casefile.AuditFilter{ObjectKind: &kind, ObjectID: &id})
	must(t, err)
	if len(es) != 2 || es[0].Action != "create" || es[1].Action != "update" || es[1].ObjectHash == es[0].ObjectHash {
		t.Fatalf("identity audit entries %+v", es)
	}
}

func testBlobs(t *testing.T, db *sqldb.DB) {
	ctx := context.Background()
	bs := db.Blobs()
	data := make([]byte, 2<<20+12345) // three chunks, the last one partial
	rand.Read(data)
	put := func(addr string, data []byte) {
		w, err := bs.CreateBlob(ctx)
		must(t, err)
		for p := data; len(p) > 0; {
			k := min(len(p), 70000)
			if _, err := w.Write(p[:k]); err != nil {
				t.Fatal(err)
			}
			p = p[k:]
		}
		must(t, w.Commit(addr))
	}
	put("addr1", data)
	put("addr1", data) // the same content again: kept once
	rc, err := bs.OpenBlob(ctx, "addr1")
	must(t, err)
	got, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read back %d bytes (want %d): %v", len(got), len(data), err)
	}
	w, err := bs.CreateBlob(ctx)
	must(t, err)
	w.Write([]byte("abandoned"))
	must(t, w.Abort())
	_, err = bs.OpenBlob(ctx, "addr2")
	wantKind(t, err, casefile.ENOTFOUND)
	ok, err := bs.HasBlob(ctx, "addr1")
	if !ok || err != nil {
		t.Fatalf("HasBlob: %v %v", ok, err)
	}
	must(t, bs.RemoveBlob(ctx, "addr1"))
	if ok, _ := bs.HasBlob(ctx, "addr1"); ok {
		t.Fatal("a removed blob is still there")
	}
}

func testCustody(t *testing.T, db *sqldb.DB) {
	ctx := casefile.NewContextWithActor(context.Background(), "documenter")
	_, _, _ = seed(t, db)
	ss, _, err := db.FindSources(ctx, casefile.SourceFilter{})
	must(t, err)
	item := &casefile.EvidenceItem{SourceID: ss[0].ID, FileName: "rec.ogg", Size: 10, SHA256: strings.Repeat("ab", 32), AddedFrom: "phone"}
	wantKind(t, db.CreateEvidenceWithFile(ctx, &casefile.EvidenceItem{FileName: "x", SHA256: "nothex"}, &casefile.EvidenceFile{Address: "a"}), casefile.EINVALID)
	must(t, db.CreateEvidenceWithFile(ctx, item, &casefile.EvidenceFile{Address: "addr-x", StoredSize: 99}))
	f, err := db.FindEvidenceFile(ctx, item.ID)
	must(t, err)
	if f.Address != "addr-x" || f.StoredSize != 99 || item.AddedBy != "documenter" {
		t.Fatalf("evidence file %+v, item %+v", f, item)
	}
	must(t, db.MoveEvidenceFile(ctx, item.ID, "addr-y", 100))
	wantKind(t, db.MoveEvidenceFile(ctx, "evi_nope", "a", 1), casefile.ENOTFOUND)
	fs, err := db.FindEvidenceFiles(ctx)
	must(t, err)
	if len(fs) != 1 || fs[0].Address != "addr-y" {
		t.Fatalf("files %+v", fs)
	}
	_, err = db.FindEvidenceFile(ctx, "evi_nope")
	wantKind(t, err, casefile.ENOTFOUND)
	var actions []string
	for _, kind := range []string{"evidence", "evidence_file"} {
		k, id := kind, item.ID
		es, _, err := db.FindAuditEntries(ctx, casefile.AuditFilter{ObjectKind: &k, ObjectID: &id})
		must(t, err)
		for _, e := range es {
			actions = append(actions, e.Action+" "+e.ObjectKind+" by "+e.Actor)
		}
	}
	if strings.Join(actions, "; ") != "create evidence by documenter; store evidence_file by documenter; rekey evidence_file by documenter" {
		t.Fatalf("chain of custody: %v", actions)
	}
}

func testLedger(t *testing.T, db *sqldb.DB) {
	ctx := context.Background()
	seed(t, db)
	must(t, db.RecordAccess(ctx, "read", "evidence", "evi_1"))
	seq, head, err := db.AuditHead(ctx)
	must(t, err)
	n, prev := int64(0), ""
	must(t, db.EachAuditEntry(ctx, 0, func(e *casefile.AuditEntry) error {
		n++
		if e.Seq != n || e.PrevHash != prev || e.ComputeHash() != e.Hash {
			t.Fatalf("entry %d does not chain", e.Seq)
		}
		prev = e.Hash
		return nil
	}))
	if n != seq || prev != head || n < 5 {
		t.Fatalf("streamed %d entries to %s; head %d %s", n, prev, seq, head)
	}
	_, err = db.LatestCheckpoint(ctx)
	wantKind(t, err, casefile.ENOTFOUND)
	at := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	cp := &casefile.Checkpoint{Seq: seq, Hash: head, At: at, PublicKey: "pk", Signature: "sig"}
	must(t, db.CreateCheckpoint(ctx, cp))
	wantKind(t, db.CreateCheckpoint(ctx, cp), casefile.ECONFLICT)
	got, err := db.LatestCheckpoint(ctx)
	must(t, err)
	if got.Seq != seq || got.Hash != head || !got.At.Equal(at) {
		t.Fatalf("checkpoint %+v", got)
	}
	if v, err := db.CreateSetting(ctx, "instance_key", "first"); err != nil || v != "first" {
		t.Fatalf("CreateSetting: %q %v", v, err)
	}
	if v, err := db.CreateSetting(ctx, "instance_key", "second"); err != nil || v != "first" {
		t.Fatalf("CreateSetting over an existing key returned %q %v, want the first value", v, err)
	}
	must(t, db.AppendAuditEntriesForBenchmark(ctx, 2500))
	seq2, _, _ := db.AuditHead(ctx)
	if seq2 != seq+2500 {
		t.Fatalf("head after appending 2500: %d", seq2)
	}
}
