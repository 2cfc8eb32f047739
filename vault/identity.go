package vault

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"filippo.io/age"
	"github.com/casefile/casefile"
)

// GenerateKeeper makes a new identity keeper key pair: the age identity file's content (private:
// for the keeper alone) and the recipient (public: what the store keeps).
func GenerateKeeper() (identityFile []byte, recipient string, err error) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, "", casefile.Wrap("vault.GenerateKeeper", err)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Casefile identity keeper key, created %s\n", time.Now().UTC().Format(time.RFC3339))
	fmt.Fprintf(&b, "# public key (recipient): %s\n", id.Recipient())
	fmt.Fprintf(&b, "# Whoever holds this file can read every real name sealed to it. Never put it on the server.\n")
	fmt.Fprintf(&b, "%s\n", id)
	return b.Bytes(), id.Recipient().String(), nil
}

// ParseRecipient checks an age X25519 recipient ("age1…"). EINVALID.
func ParseRecipient(s string) (string, error) {
	r, err := age.ParseX25519Recipient(strings.TrimSpace(s))
	if err != nil {
		return "", casefile.Errorf(casefile.EINVALID, "vault.ParseRecipient", "%q is not an age public key (age1…)", clipID(strings.TrimSpace(s)))
	}
	return r.String(), nil
}

// SealIdentity encrypts id to the keepers' recipients. The server calls it: it needs only the
// public keys, and cannot open what it sealed.
func SealIdentity(id *casefile.Identity, recipients []string) ([]byte, error) {
	const op = "vault.SealIdentity"
	if err := id.Validate(); err != nil {
		return nil, err
	}
	if len(recipients) == 0 {
		return nil, casefile.Errorf(casefile.EINVALID, op, "there are no identity keepers: add one with 'casefile identity keeper add'")
	}
	var rs []age.Recipient
	for _, s := range recipients {
		r, err := age.ParseX25519Recipient(s)
		if err != nil {
			return nil, casefile.Errorf(casefile.EINVALID, op, "keeper recipient %q is not an age public key", clipID(s))
		}
		rs = append(rs, r)
	}
	plain, err := json.Marshal(id)
	if err != nil {
		return nil, casefile.Wrap(op, err)
	}
	var out bytes.Buffer
	w, err := age.Encrypt(&out, rs...)
	if err != nil {
		return nil, casefile.Wrap(op, err)
	}
	if _, err := w.Write(plain); err != nil {
		return nil, casefile.Wrap(op, err)
	}
	if err := w.Close(); err != nil {
		return nil, casefile.Wrap(op, err)
	}
	return out.Bytes(), nil
}

// ParseKeeperIdentity reads an age identity file (as GenerateKeeper writes it). EINVALID.
func ParseKeeperIdentity(r io.Reader) ([]age.Identity, error) {
	ids, err := age.ParseIdentities(io.LimitReader(r, 1<<20))
	if err != nil {
		return nil, casefile.Errorf(casefile.EINVALID, "vault.ParseKeeperIdentity", "the identity file holds no age private key (AGE-SECRET-KEY-1…)")
	}
	return ids, nil
}

// OpenIdentity decrypts a sealed identity with a keeper's identities. EFORBIDDEN when the key is
// not one of the keepers it was sealed to; EINVALID when the ciphertext is damaged.
func OpenIdentity(sealed []byte, ids []age.Identity) (*casefile.Identity, error) {
	const op = "vault.OpenIdentity"
	r, err := age.Decrypt(bytes.NewReader(sealed), ids...)
	if err != nil {
		var nm *age.NoIdentityMatchError
		if errors.As(err, &nm) {
			return nil, casefile.Errorf(casefile.EFORBIDDEN, op, "this key is not one of the keepers the identity was sealed to")
		}
		return nil, casefile.Errorf(casefile.EINVALID, op, "the sealed identity is damaged")
	}
	b, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return nil, casefile.Errorf(casefile.EINVALID, op, "the sealed identity is damaged")
	}
	var id casefile.Identity
	if err := json.Unmarshal(b, &id); err != nil {
		return nil, casefile.Errorf(casefile.EINVALID, op, "the sealed identity is damaged")
	}
	return &id, nil
}

// AddIdentity seals id to every keeper the store knows and stores it: what the CLI and the web
// server call. It needs no private key, and the caller cannot read the identity back.
func AddIdentity(ctx context.Context, svc casefile.IdentityService, id *casefile.Identity) (*casefile.SealedIdentity, error) {
	ks, err := svc.FindIdentityKeepers(ctx)
	if err != nil {
		return nil, err
	}
	var recipients, ids []string
	for _, k := range ks {
		recipients, ids = append(recipients, k.Recipient), append(ids, k.ID)
	}
	sealed, err := SealIdentity(id, recipients)
	if err != nil {
		return nil, err
	}
	s := &casefile.SealedIdentity{PersonID: id.PersonID, KeeperIDs: ids, Sealed: sealed}
	if err := svc.PutSealedIdentity(ctx, s); err != nil {
		return nil, err
	}
	return s, nil
}

// CheckIdentityOwner returns EINVALID unless the opened identity names personID. age binds no
// context to its ciphertext, so someone who can write the store could move one person's sealed
// identity onto another; the person ID sealed inside is what ties the two together.
func CheckIdentityOwner(id *casefile.Identity, personID string) error {
	if id.PersonID != personID {
		return casefile.Errorf(casefile.EINVALID, "vault.OpenIdentity", "the sealed identity stored for %s was sealed for another person (moved in the store): it is not shown", clipID(personID))
	}
	return nil
}

// RevealIdentity opens a person's identity with a keeper's key and records the reveal in the
// audit ledger before returning it. ENOTFOUND, EFORBIDDEN, EINVALID as OpenIdentity.
func RevealIdentity(ctx context.Context, svc casefile.IdentityService, audit casefile.AuditService, personID string, keeper []age.Identity) (*casefile.Identity, error) {
	s, err := svc.FindSealedIdentity(ctx, personID)
	if err != nil {
		return nil, err
	}
	id, err := OpenIdentity(s.Sealed, keeper)
	if err != nil {
		return nil, err
	}
	if err := CheckIdentityOwner(id, personID); err != nil {
		return nil, err
	}
	if err := audit.RecordAccess(ctx, "reveal", "identity", personID); err != nil {
		return nil, err
	}
	return id, nil
}
