package vault

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/casefile/casefile"
)

func TestIdentity_SealOpen(t *testing.T) {
	idFile, recipient, err := GenerateKeeper()
	if err != nil {
		t.Fatal(err)
	}
	otherFile, other, _ := GenerateKeeper()
	id := &casefile.Identity{PersonID: "per_a", Name: "Svetlana Plantedova", Contact: "+7 900 123 45 67", Address: "Volgograd, ul. Mira 12, kv. 4"}
	sealed, err := SealIdentity(id, []string{recipient})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Plantedova", "900 123", "Mira 12"} {
		if bytes.Contains(sealed, []byte(s)) {
			t.Fatalf("the sealed identity shows %q", s)
		}
	}
	keeper, err := ParseKeeperIdentity(bytes.NewReader(idFile))
	if err != nil {
		t.Fatal(err)
	}
	got, err := OpenIdentity(sealed, keeper)
	if err != nil || got.Name != id.Name || got.Address != id.Address {
		t.Fatalf("open: %v %+v", err, got)
	}
	stranger, _ := ParseKeeperIdentity(bytes.NewReader(otherFile))
	if _, err := OpenIdentity(sealed, stranger); casefile.ErrorKind(err) != casefile.EFORBIDDEN {
		t.Fatalf("a key the identity was not sealed to: %v", err)
	}
	if _, err := OpenIdentity(flip(sealed, len(sealed)-3), keeper); casefile.ErrorKind(err) != casefile.EINVALID {
		t.Fatalf("a damaged sealed identity: %v", err)
	}
	both, err := SealIdentity(id, []string{recipient, other})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := OpenIdentity(both, stranger); err != nil {
		t.Fatalf("a second keeper: %v", err)
	}
	if _, err := SealIdentity(id, nil); casefile.ErrorKind(err) != casefile.EINVALID || !strings.Contains(casefile.ErrorMessage(err), "no identity keepers") {
		t.Fatalf("no keepers: %v", err)
	}
	if _, err := ParseRecipient("age1nope"); casefile.ErrorKind(err) != casefile.EINVALID {
		t.Fatalf("a bad recipient: %v", err)
	}
	if _, err := ParseKeeperIdentity(strings.NewReader("AGE-SECRET-KEY-1NOPE")); casefile.ErrorKind(err) != casefile.EINVALID {
		t.Fatalf("a bad identity file: %v", err)
	}
}

func TestInstanceKey(t *testing.T) {
	priv, sealed, err := NewInstanceKey(testMaster)
	if err != nil {
		t.Fatal(err)
	}
	got, err := OpenInstanceKey(testMaster, sealed)
	if err != nil || !got.Equal(priv) {
		t.Fatalf("open: %v", err)
	}
	pub, err := InstancePublicKey(sealed)
	if err != nil || !pub.Equal(priv.Public()) {
		t.Fatalf("public key: %v", err)
	}
	if strings.Contains(sealed, string(priv.Seed())) {
		t.Fatal("the seed is visible")
	}
	if _, err := OpenInstanceKey(bytes.Repeat([]byte{9}, 32), sealed); casefile.ErrorKind(err) != casefile.EINVALID {
		t.Fatalf("another store's key: %v", err)
	}
}

// fakeVault keeps sealed identities in a map; the embedded interfaces are never called.
type fakeVault struct {
	casefile.IdentityService
	casefile.AuditService
	sealed map[string][]byte
	reads  []string
}

func (f *fakeVault) FindSealedIdentity(_ context.Context, personID string) (*casefile.SealedIdentity, error) {
	b, ok := f.sealed[personID]
	if !ok {
		return nil, casefile.Errorf(casefile.ENOTFOUND, "", "no identity")
	}
	return &casefile.SealedIdentity{PersonID: personID, Sealed: b}, nil
}

func (f *fakeVault) RecordAccess(_ context.Context, action, kind, id string) error {
	f.reads = append(f.reads, id)
	return nil
}

// Someone who can write the store can move one person's sealed identity onto another's row: the
// reveal must refuse it rather than show witness A's name as witness B's.
func TestRevealIdentity_MovedCiphertext(t *testing.T) {
	idFile, recipient, err := GenerateKeeper()
	if err != nil {
		t.Fatal(err)
	}
	keeper, err := ParseKeeperIdentity(bytes.NewReader(idFile))
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := SealIdentity(&casefile.Identity{PersonID: "per_a", Name: "Svetlana Plantedova"}, []string{recipient})
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeVault{sealed: map[string][]byte{"per_a": sealed, "per_b": sealed}}
	ctx := context.Background()
	if id, err := RevealIdentity(ctx, f, f, "per_a", keeper); err != nil || id.Name != "Svetlana Plantedova" {
		t.Fatalf("reveal per_a: %v", err)
	}
	id, err := RevealIdentity(ctx, f, f, "per_b", keeper)
	if casefile.ErrorKind(err) != casefile.EINVALID || id != nil {
		t.Fatalf("reveal of a moved identity: %v, %+v", err, id)
	}
	if strings.Contains(casefile.ErrorMessage(err), "Plantedova") || strings.Contains(err.Error(), "Plantedova") {
		t.Fatalf("the error shows the name: %v", err)
	}
	if len(f.reads) != 1 {
		t.Fatalf("reveals recorded: %v", f.reads)
	}
}
