// Package vault keeps Casefile's secrets: the random database key wrapped in key slots, the identity
// vault sealed to the identity keepers, and the encrypted evidence blobs.
package vault

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/casefile/casefile"
	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
)

// KeyringFile is the name of the key slot file in a data folder.
const KeyringFile = "keys.json"

// Slot kinds.
const (
	SlotPassphrase = "passphrase"
	SlotRecovery   = "recovery"
	SlotKeyFile    = "keyfile"
)

// KDF records how a slot's wrapping key is derived, so that parameters can change over time
// without breaking older slots.
type KDF struct {
	Alg       string `json:"alg"` // argon2id, or sha256 for high-entropy secrets
	Time      uint32 `json:"time,omitempty"`
	MemoryKiB uint32 `json:"memory_kib,omitempty"`
	Threads   uint8  `json:"threads,omitempty"`
	Salt      []byte `json:"salt"`
}

// Slot is one way to unwrap the database key.
type Slot struct {
	ID        string    `json:"id"`
	Kind      string    `json:"kind"`
	Label     string    `json:"label,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	KDF       KDF       `json:"kdf"`
	Nonce     []byte    `json:"nonce"`
	Wrapped   []byte    `json:"wrapped"` // XChaCha20-Poly1305 of the database key
	// Check is the SHA-256 (hex) of the slot's other fields, so that a damaged keys.json is told
	// apart from a wrong passphrase. Slots written before it existed have none.
	Check string `json:"check,omitempty"`
}

// Keyring is the content of keys.json: the key slots and the ID of the key they wrap.
type Keyring struct {
	Version int    `json:"version"`
	KeyID   string `json:"key_id"` // SHA-256 prefix of the database key, to tell keys apart after rotation
	Slots   []Slot `json:"slots"`
}

// DefaultKDF is the Argon2id cost for passphrase slots (RFC 9106's second recommended option).
var DefaultKDF = KDF{Alg: "argon2id", Time: 3, MemoryKiB: 64 * 1024, Threads: 4}

func (k KDF) derive(secret []byte) ([]byte, error) {
	switch k.Alg {
	case "argon2id":
		if k.Time == 0 || k.MemoryKiB == 0 || k.Threads == 0 {
			return nil, errors.New("argon2id parameters missing")
		}
		return argon2.IDKey(secret, k.Salt, k.Time, k.MemoryKiB, k.Threads, 32), nil
	case "sha256":
		h := sha256.New()
		h.Write([]byte("casefile-slot-v1"))
		h.Write(k.Salt)
		h.Write(secret)
		return h.Sum(nil), nil
	}
	return nil, errors.New("unknown KDF " + k.Alg)
}

func aad(slotID string) []byte { return []byte("casefile-keyslot-v1|" + slotID) }

// NewSlot wraps dbKey under secret in a new slot of the given kind.
func NewSlot(kind, label string, secret, dbKey []byte, kdf KDF) (Slot, error) {
	s := Slot{ID: casefile.NewID("slot"), Kind: kind, Label: label, CreatedAt: time.Now().UTC().Truncate(time.Second), KDF: kdf}
	s.KDF.Salt = make([]byte, 16)
	s.Nonce = make([]byte, chacha20poly1305.NonceSizeX)
	if _, err := rand.Read(s.KDF.Salt); err != nil {
		return s, err
	}
	if _, err := rand.Read(s.Nonce); err != nil {
		return s, err
	}
	wk, err := s.KDF.derive(secret)
	if err != nil {
		return s, err
	}
	aead, err := chacha20poly1305.NewX(wk)
	if err != nil {
		return s, err
	}
	s.Wrapped = aead.Seal(nil, s.Nonce, dbKey, aad(s.ID))
	s.Check = s.checksum()
	return s, nil
}

// Open unwraps the database key with secret; ok is false when the secret does not fit this slot.
func (s Slot) Open(secret []byte) (key []byte, ok bool) {
	wk, err := s.KDF.derive(secret)
	if err != nil {
		return nil, false
	}
	aead, err := chacha20poly1305.NewX(wk)
	if err != nil {
		return nil, false
	}
	key, err = aead.Open(nil, s.Nonce, s.Wrapped, aad(s.ID))
	return key, err == nil
}

// KeyID returns the identifier of a database key: a hash prefix that reveals nothing of the key.
func KeyID(key []byte) string {
	h := sha256.Sum256(append([]byte("casefile-key-id|"), key...))
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(h[:10]))
}

// maxKeyring bounds keys.json.
const maxKeyring = 1 << 20

// ReadKeyring reads keys.json from dir. ENOTFOUND when the folder holds no store.
func ReadKeyring(dir string) (*Keyring, error) {
	f, err := os.Open(filepath.Join(dir, KeyringFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, casefile.Errorf(casefile.ENOTFOUND, "vault.ReadKeyring", "no Casefile store in %s (run 'casefile init' or 'casefile demo')", dir)
	}
	if err != nil {
		return nil, casefile.Wrap("vault.ReadKeyring", err)
	}
	defer f.Close()
	// The same bound as a backup's keyring: a keyring of a thousand slots is under 1 MiB.
	b, err := io.ReadAll(io.LimitReader(f, maxKeyring+1))
	if err != nil {
		return nil, casefile.Wrap("vault.ReadKeyring", err)
	}
	if len(b) > maxKeyring {
		return nil, casefile.Errorf(casefile.EINVALID, "vault.ReadKeyring", "%s is larger than %d MiB: it is not a keyring", KeyringFile, maxKeyring>>20)
	}
	return ParseKeyring(b)
}

// WriteKeyring replaces keys.json atomically: a crash leaves the old or the new file, never half.
func WriteKeyring(dir string, k *Keyring) error { return WriteKeyringAs(dir, KeyringFile, k) }

// WriteKeyringAs writes the keyring under another name in dir, atomically: key rotation stages the
// new keyring beside the old one before it swaps them.
func WriteKeyringAs(dir, name string, k *Keyring) error {
	b, err := json.MarshalIndent(k, "", "  ")
	if err != nil {
		return casefile.Wrap("vault.WriteKeyring", err)
	}
	tmp := filepath.Join(dir, name+".tmp")
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return casefile.Wrap("vault.WriteKeyring", err)
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return casefile.Wrap("vault.WriteKeyring", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return casefile.Wrap("vault.WriteKeyring", err)
	}
	if err := f.Close(); err != nil {
		return casefile.Wrap("vault.WriteKeyring", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		return casefile.Wrap("vault.WriteKeyring", err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// Unlock returns the database key wrapped in dir's keyring, trying every slot with secret.
// A secret that fits no slot is ELOCKED.
func (k *Keyring) Unlock(secret []byte) ([]byte, error) {
	for _, s := range k.Slots {
		try := secret
		if s.Kind == SlotRecovery {
			try = []byte(NormaliseRecoveryKey(string(secret)))
		}
		if key, ok := s.Open(try); ok {
			if k.KeyID != "" && KeyID(key) != k.KeyID {
				return nil, casefile.Errorf(casefile.EINVALID, "vault.Unlock", "%s is damaged: slot %s opens a key that is not the store's", KeyringFile, s.ID)
			}
			return key, nil
		}
	}
	return nil, casefile.Errorf(casefile.ELOCKED, "vault.Unlock", "wrong passphrase or key: it opens none of the store's key slots")
}

// Init creates a keyring in dir with a new random database key, one passphrase slot and one
// recovery slot. It returns the database key and the recovery key, to be shown once.
func Init(dir, passphrase string, kdf KDF) (dbKey []byte, recovery string, err error) {
	if _, err := os.Stat(filepath.Join(dir, KeyringFile)); err == nil {
		return nil, "", casefile.Errorf(casefile.ECONFLICT, "vault.Init", "%s already holds a Casefile store", dir)
	}
	if len(passphrase) < 8 {
		return nil, "", casefile.Errorf(casefile.EINVALID, "vault.Init", "the passphrase must have at least 8 characters")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, "", casefile.Wrap("vault.Init", err)
	}
	dbKey = make([]byte, 32)
	if _, err := rand.Read(dbKey); err != nil {
		return nil, "", casefile.Wrap("vault.Init", err)
	}
	rk := make([]byte, 20)
	if _, err := rand.Read(rk); err != nil {
		return nil, "", casefile.Wrap("vault.Init", err)
	}
	recovery = FormatRecoveryKey(rk)
	ps, err := NewSlot(SlotPassphrase, "initial passphrase", []byte(passphrase), dbKey, kdf)
	if err != nil {
		return nil, "", casefile.Wrap("vault.Init", err)
	}
	rs, err := NewSlot(SlotRecovery, "recovery key", []byte(NormaliseRecoveryKey(recovery)), dbKey, KDF{Alg: "sha256"})
	if err != nil {
		return nil, "", casefile.Wrap("vault.Init", err)
	}
	k := &Keyring{Version: 1, KeyID: KeyID(dbKey), Slots: []Slot{ps, rs}}
	if err := WriteKeyring(dir, k); err != nil {
		return nil, "", err
	}
	return dbKey, recovery, nil
}

var recoveryEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// FormatRecoveryKey renders a recovery key as groups of four characters for printing.
func FormatRecoveryKey(b []byte) string {
	s := recoveryEncoding.EncodeToString(b)
	var groups []string
	for len(s) > 4 {
		groups = append(groups, s[:4])
		s = s[4:]
	}
	groups = append(groups, s)
	return strings.Join(groups, "-")
}

// NormaliseRecoveryKey removes separators and case from a typed recovery key.
func NormaliseRecoveryKey(s string) string {
	s = strings.ToUpper(s)
	return strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, s)
}
