package vault

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"

	"github.com/casefile/casefile"
	"golang.org/x/crypto/chacha20poly1305"
)

// InstanceKeySetting is the settings key under which the store keeps its sealed instance key.
const InstanceKeySetting = "instance_key"

// sealedInstanceKey is the instance's Ed25519 key as the store keeps it: the public key in the
// clear, the private seed sealed under a key derived from the database key.
type sealedInstanceKey struct {
	Version   int    `json:"version"`
	PublicKey string `json:"public_key"`
	Nonce     []byte `json:"nonce"`
	Sealed    []byte `json:"sealed"`
}

// NewInstanceKey makes the instance's Ed25519 signing key and returns it with its sealed form.
func NewInstanceKey(master []byte) (ed25519.PrivateKey, string, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, "", casefile.Wrap("vault.NewInstanceKey", err)
	}
	s, err := SealInstanceKey(master, priv)
	_ = pub
	return priv, s, err
}

// SealInstanceKey seals an instance key under master for the settings table.
func SealInstanceKey(master []byte, priv ed25519.PrivateKey) (string, error) {
	aead, _ := chacha20poly1305.NewX(subkey(master, "instance key"))
	s := sealedInstanceKey{Version: 1, PublicKey: base64.StdEncoding.EncodeToString(priv.Public().(ed25519.PublicKey)), Nonce: make([]byte, 24)}
	rand.Read(s.Nonce)
	s.Sealed = aead.Seal(nil, s.Nonce, priv.Seed(), []byte(s.PublicKey))
	b, err := json.Marshal(s)
	return string(b), casefile.Wrap("vault.SealInstanceKey", err)
}

// OpenInstanceKey opens a sealed instance key with master. EINVALID when it is damaged or was
// sealed under another key.
func OpenInstanceKey(master []byte, sealed string) (ed25519.PrivateKey, error) {
	const op = "vault.OpenInstanceKey"
	var s sealedInstanceKey
	if err := json.Unmarshal([]byte(sealed), &s); err != nil || s.Version != 1 || len(s.Nonce) != 24 {
		return nil, casefile.Errorf(casefile.EINVALID, op, "the stored instance key is damaged")
	}
	aead, _ := chacha20poly1305.NewX(subkey(master, "instance key"))
	seed, err := aead.Open(nil, s.Nonce, s.Sealed, []byte(s.PublicKey))
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, casefile.Errorf(casefile.EINVALID, op, "the stored instance key does not open with this store's key (damaged, or the key was rotated without it)")
	}
	priv := ed25519.NewKeyFromSeed(seed)
	if base64.StdEncoding.EncodeToString(priv.Public().(ed25519.PublicKey)) != s.PublicKey {
		return nil, casefile.Errorf(casefile.EINVALID, op, "the stored instance key is damaged")
	}
	return priv, nil
}

// InstancePublicKey returns the public key of a sealed instance key without opening it.
func InstancePublicKey(sealed string) (ed25519.PublicKey, error) {
	var s sealedInstanceKey
	if err := json.Unmarshal([]byte(sealed), &s); err != nil {
		return nil, casefile.Errorf(casefile.EINVALID, "vault.InstancePublicKey", "the stored instance key is damaged")
	}
	b, err := base64.StdEncoding.DecodeString(s.PublicKey)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, casefile.Errorf(casefile.EINVALID, "vault.InstancePublicKey", "the stored instance key is damaged")
	}
	return b, nil
}
