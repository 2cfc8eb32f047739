package vault

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/casefile/casefile"
	"golang.org/x/crypto/chacha20poly1305"
)

// checksum returns the hex SHA-256 of the slot without its Check field.
func (s Slot) checksum() string {
	s.Check = ""
	b, _ := json.Marshal(s)
	sum := sha256.Sum256(append([]byte("casefile-slot-check-v1|"), b...))
	return hex.EncodeToString(sum[:])
}

// ParseKeyring reads the content of keys.json and checks every slot, so that a truncated or
// altered file is reported as damaged (naming the slot) rather than as a wrong passphrase.
// It returns EINVALID.
func ParseKeyring(b []byte) (*Keyring, error) {
	const op = "vault.ReadKeyring"
	var k Keyring
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&k); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, casefile.Errorf(casefile.EINVALID, op, "%s is damaged: not valid JSON at byte %d (truncated or altered)", KeyringFile, se.Offset)
		}
		if errors.Is(err, io.EOF) {
			return nil, casefile.Errorf(casefile.EINVALID, op, "%s is empty (truncated)", KeyringFile)
		}
		var ce base64.CorruptInputError
		if errors.As(err, &ce) {
			return nil, casefile.Errorf(casefile.EINVALID, op, "%s is damaged: a key, salt or nonce is not valid base64 (altered)", KeyringFile)
		}
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, casefile.Errorf(casefile.EINVALID, op, "%s is damaged: it ends too early (truncated)", KeyringFile)
		}
		return nil, casefile.Errorf(casefile.EINVALID, op, "%s is damaged: %s", KeyringFile, strings.TrimPrefix(err.Error(), "json: "))
	}
	if dec.More() {
		return nil, casefile.Errorf(casefile.EINVALID, op, "%s is damaged: text after the keyring", KeyringFile)
	}
	if k.Version != 1 {
		return nil, casefile.Errorf(casefile.EINVALID, op, "%s: version %d is not one this binary knows", KeyringFile, k.Version)
	}
	if len(k.Slots) == 0 {
		return nil, casefile.Errorf(casefile.EINVALID, op, "%s is damaged: it has no key slots", KeyringFile)
	}
	for i, s := range k.Slots {
		where := fmt.Sprintf("%s is damaged: slot %d (%s)", KeyringFile, i+1, clipID(s.ID))
		if s.Check != "" && s.Check != s.checksum() {
			return nil, casefile.Errorf(casefile.EINVALID, op, "%s does not match its checksum (altered)", where)
		}
		switch s.Kind {
		case SlotPassphrase, SlotRecovery, SlotKeyFile:
		default:
			return nil, casefile.Errorf(casefile.EINVALID, op, "%s has an unknown kind %q", where, clipID(s.Kind))
		}
		if len(s.Nonce) != chacha20poly1305.NonceSizeX || len(s.Wrapped) != 32+chacha20poly1305.Overhead {
			return nil, casefile.Errorf(casefile.EINVALID, op, "%s: its nonce or wrapped key has the wrong length", where)
		}
		if len(s.KDF.Salt) < 16 {
			return nil, casefile.Errorf(casefile.EINVALID, op, "%s: its salt is too short", where)
		}
		switch s.KDF.Alg {
		case "argon2id":
			if s.KDF.Time == 0 || s.KDF.MemoryKiB < 8 || s.KDF.Threads == 0 || s.KDF.Time > 20 || s.KDF.MemoryKiB > 1<<20 || s.KDF.Threads > 64 {
				return nil, casefile.Errorf(casefile.EINVALID, op, "%s: its Argon2id parameters are out of range", where)
			}
		case "sha256":
		default:
			return nil, casefile.Errorf(casefile.EINVALID, op, "%s: unknown key derivation %q", where, clipID(s.KDF.Alg))
		}
	}
	return &k, nil
}

func clipID(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// UnlockSlot is Unlock that also says which slot opened: key change-passphrase replaces that one.
func (k *Keyring) UnlockSlot(secret []byte) (key []byte, slotID string, err error) {
	for _, s := range k.Slots {
		try := secret
		if s.Kind == SlotRecovery {
			try = []byte(NormaliseRecoveryKey(string(secret)))
		}
		if key, ok := s.Open(try); ok {
			if k.KeyID != "" && KeyID(key) != k.KeyID {
				return nil, "", casefile.Errorf(casefile.EINVALID, "vault.Unlock", "%s is damaged: slot %s opens a key that is not the store's", KeyringFile, s.ID)
			}
			return key, s.ID, nil
		}
	}
	return nil, "", casefile.Errorf(casefile.ELOCKED, "vault.Unlock", "wrong passphrase or key: it opens none of the store's key slots")
}

// AddPassphrase adds a passphrase slot wrapping dbKey. EINVALID for a passphrase under 8 characters.
func (k *Keyring) AddPassphrase(label, passphrase string, dbKey []byte, kdf KDF) (Slot, error) {
	if len(passphrase) < 8 {
		return Slot{}, casefile.Errorf(casefile.EINVALID, "vault.AddPassphrase", "the passphrase must have at least 8 characters")
	}
	s, err := NewSlot(SlotPassphrase, label, []byte(passphrase), dbKey, kdf)
	if err != nil {
		return Slot{}, casefile.Wrap("vault.AddPassphrase", err)
	}
	k.Slots = append(k.Slots, s)
	return s, nil
}

// AddKeyFile adds a key-file slot wrapping dbKey and returns the new key file's content, to be
// written where its holder keeps it (a USB stick, not the laptop).
func (k *Keyring) AddKeyFile(label string, dbKey []byte) (Slot, []byte, error) {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return Slot{}, nil, casefile.Wrap("vault.AddKeyFile", err)
	}
	s, err := NewSlot(SlotKeyFile, label, secret, dbKey, KDF{Alg: "sha256"})
	if err != nil {
		return Slot{}, nil, casefile.Wrap("vault.AddKeyFile", err)
	}
	k.Slots = append(k.Slots, s)
	return s, FormatKeyFile(secret), nil
}

// AddRecovery adds a recovery slot wrapping dbKey and returns the recovery key, to be shown once.
func (k *Keyring) AddRecovery(dbKey []byte) (Slot, string, error) {
	rk := make([]byte, 20)
	if _, err := rand.Read(rk); err != nil {
		return Slot{}, "", casefile.Wrap("vault.AddRecovery", err)
	}
	recovery := FormatRecoveryKey(rk)
	s, err := NewSlot(SlotRecovery, "recovery key", []byte(NormaliseRecoveryKey(recovery)), dbKey, KDF{Alg: "sha256"})
	if err != nil {
		return Slot{}, "", casefile.Wrap("vault.AddRecovery", err)
	}
	k.Slots = append(k.Slots, s)
	return s, recovery, nil
}

// RemoveSlot removes a slot by ID. ENOTFOUND; ECONFLICT when it is the last slot (the store
// would be locked for ever).
func (k *Keyring) RemoveSlot(id string) error {
	for i, s := range k.Slots {
		if s.ID != id {
			continue
		}
		if len(k.Slots) == 1 {
			return casefile.Errorf(casefile.ECONFLICT, "vault.RemoveSlot", "slot %s is the store's last key slot: add another before removing it", id)
		}
		k.Slots = append(k.Slots[:i], k.Slots[i+1:]...)
		return nil
	}
	return casefile.Errorf(casefile.ENOTFOUND, "vault.RemoveSlot", "no key slot %s (see 'casefile key list')", clipID(id))
}

// NewKeyring returns a keyring for a new database key with no slots yet.
func NewKeyring(dbKey []byte) *Keyring { return &Keyring{Version: 1, KeyID: KeyID(dbKey)} }

// NewDatabaseKey returns a new random 32-byte key.
func NewDatabaseKey() ([]byte, error) {
	k := make([]byte, 32)
	_, err := rand.Read(k)
	return k, err
}

// keyFileHeader starts every key file, so that a key file is recognised and not mistaken for a
// passphrase file.
const keyFileHeader = "CASEFILE KEY FILE v1"

// FormatKeyFile renders a key file: a header line and the base64 secret.
func FormatKeyFile(secret []byte) []byte {
	return []byte(keyFileHeader + "\n" + base64.StdEncoding.EncodeToString(secret) + "\n" +
		"# Unlocks a Casefile store (CASEFILE_KEY_FILE). Keep it apart from the store.\n" +
		"created " + time.Now().UTC().Format("2006-01-02") + "\n")
}

// ParseKeyFile reads a key file and returns its 32-byte secret. EINVALID naming the line that is
// wrong.
func ParseKeyFile(b []byte) ([]byte, error) {
	const op = "vault.ParseKeyFile"
	if len(b) > 4096 {
		return nil, casefile.Errorf(casefile.EINVALID, op, "key file: too large to be a Casefile key file")
	}
	lines := strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
	if strings.TrimSpace(lines[0]) != keyFileHeader {
		return nil, casefile.Errorf(casefile.EINVALID, op, "key file: line 1 must be %q", keyFileHeader)
	}
	if len(lines) < 2 || strings.TrimSpace(lines[1]) == "" {
		return nil, casefile.Errorf(casefile.EINVALID, op, "key file: line 2 (the key) is missing (truncated?)")
	}
	secret, err := base64.StdEncoding.DecodeString(strings.TrimSpace(lines[1]))
	if err != nil {
		return nil, casefile.Errorf(casefile.EINVALID, op, "key file: line 2 is not base64 (damaged)")
	}
	if len(secret) != 32 {
		return nil, casefile.Errorf(casefile.EINVALID, op, "key file: line 2 holds %d bytes, a key has 32 (truncated or damaged)", len(secret))
	}
	return secret, nil
}
