package casefile

import (
	"context"
	"time"
)

// Identity is who a person really is: what the identity vault keeps sealed to the identity keepers'
// public keys. It never reaches an ordinary column, a log, an error message or an export.
type Identity struct {
	PersonID   string   `json:"person_id"`
	Name       string   `json:"name"`
	OtherNames []string `json:"other_names,omitempty"`
	Contact    string   `json:"contact,omitempty"` // telephone, messenger, e-mail
	Address    string   `json:"address,omitempty"` // the exact address
	Notes      string   `json:"notes,omitempty"`
}

// Validate checks that the identity names whom it belongs to and holds something. EINVALID.
func (i *Identity) Validate() error {
	if i.PersonID == "" {
		return Errorf(EINVALID, "", "identity: person is required")
	}
	if i.Name == "" && i.Contact == "" && i.Address == "" && len(i.OtherNames) == 0 {
		return Errorf(EINVALID, "", "identity: give at least a name, a contact or an address")
	}
	return nil
}

// IdentityKeeper is someone who may read identities: their age X25519 recipient ("age1…"). The
// matching private key never reaches the store.
type IdentityKeeper struct {
	ID        string    `json:"id"`
	Label     string    `json:"label,omitempty"`
	Recipient string    `json:"recipient"`
	AddedBy   string    `json:"added_by,omitempty"`
	AddedAt   time.Time `json:"added_at"`
}

// SealedIdentity is an Identity as the store keeps it: ciphertext that only the keepers named in
// KeeperIDs can open.
type SealedIdentity struct {
	PersonID  string    `json:"person_id"`
	KeeperIDs []string  `json:"keepers"`
	Sealed    []byte    `json:"sealed"`
	CreatedBy string    `json:"created_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// IdentityService keeps the identity vault's ciphertext and its keepers. It never sees plaintext.
type IdentityService interface {
	// CreateIdentityKeeper adds a keeper. EINVALID, ECONFLICT for a recipient already known.
	CreateIdentityKeeper(ctx context.Context, k *IdentityKeeper) error
	// FindIdentityKeepers returns every keeper, oldest first.
	FindIdentityKeepers(ctx context.Context) ([]*IdentityKeeper, error)
	// PutSealedIdentity stores (or replaces) a person's sealed identity. ENOTFOUND for an unknown person.
	PutSealedIdentity(ctx context.Context, s *SealedIdentity) error
	// FindSealedIdentity returns a person's sealed identity, ENOTFOUND when none is stored.
	FindSealedIdentity(ctx context.Context, personID string) (*SealedIdentity, error)
	// FindSealedIdentities returns every sealed identity, ordered by person.
	FindSealedIdentities(ctx context.Context) ([]*SealedIdentity, error)
}
