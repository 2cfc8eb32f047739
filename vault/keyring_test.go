package vault

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casefile/casefile"
)

// fastKDF keeps tests quick; the parameters are recorded per slot, so production slots keep theirs.
var fastKDF = KDF{Alg: "argon2id", Time: 1, MemoryKiB: 64, Threads: 1}

func TestKeyring_Errors(t *testing.T) {
	dir := t.TempDir()
	key, recovery, err := Init(dir, "correct horse battery", fastKDF)
	if err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(filepath.Join(dir, KeyringFile))
	k, err := ReadKeyring(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := k.Unlock([]byte("correct horse battery")); err != nil || !bytes.Equal(got, key) {
		t.Fatalf("the passphrase: %v", err)
	}
	if got, err := k.Unlock([]byte(strings.ToLower(recovery))); err != nil || !bytes.Equal(got, key) {
		t.Fatalf("the recovery key, typed in lower case: %v", err)
	}
	t.Run("WrongPassphrase", func(t *testing.T) {
		_, err := k.Unlock([]byte("correct horse battery!"))
		if casefile.ErrorKind(err) != casefile.ELOCKED || !strings.Contains(casefile.ErrorMessage(err), "wrong passphrase") {
			t.Fatalf("got %v", err)
		}
	})
	var slotID string
	{
		var kr Keyring
		json.Unmarshal(good, &kr)
		slotID = kr.Slots[0].ID
	}
	for _, tt := range []struct {
		name string
		data []byte
		says string
	}{
		{"Truncated", good[:len(good)/2], "truncated"},
		{"Empty", nil, "empty (truncated)"},
		{"FlippedByteInWrappedKey", flipWrapped(good), "slot 1 (" + slotID + ") does not match its checksum"},
		{"BrokenBase64", bytes.Replace(good, []byte(`"wrapped": "`), []byte(`"wrapped": "A`), 1), "not valid base64"},
		{"SaltChanged", changeSalt(good), "does not match its checksum"},
		{"NoSlots", []byte(`{"version":1,"key_id":"x","slots":[]}`), "no key slots"},
		{"NotJSON", []byte("hello"), "not valid JSON"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseKeyring(tt.data)
			if casefile.ErrorKind(err) != casefile.EINVALID || !strings.Contains(casefile.ErrorMessage(err), "damaged") && !strings.Contains(casefile.ErrorMessage(err), tt.says) ||
				!strings.Contains(casefile.ErrorMessage(err), tt.says) {
				t.Fatalf("got %v, want EINVALID …%s…", err, tt.says)
			}
		})
	}
}

// flipWrapped changes one character of the first slot's wrapped key, keeping it valid base64.
func flipWrapped(b []byte) []byte {
	i := bytes.Index(b, []byte(`"wrapped": "`)) + len(`"wrapped": "`) + 5
	c := append([]byte{}, b...)
	if c[i] == 'A' {
		c[i] = 'B'
	} else {
		c[i] = 'A'
	}
	return c
}

// changeSalt alters the first slot's salt while keeping the JSON valid.
func changeSalt(b []byte) []byte {
	var k Keyring
	json.Unmarshal(b, &k)
	k.Slots[0].KDF.Salt[0] ^= 1
	out, _ := json.Marshal(k)
	return out
}

func TestKeyring_Slots(t *testing.T) {
	dir := t.TempDir()
	key, _, err := Init(dir, "first passphrase", fastKDF)
	if err != nil {
		t.Fatal(err)
	}
	k, _ := ReadKeyring(dir)
	if _, err := k.AddPassphrase("ana", "short", key, fastKDF); casefile.ErrorKind(err) != casefile.EINVALID {
		t.Fatalf("a 5-character passphrase: %v", err)
	}
	if _, err := k.AddPassphrase("ana", "second passphrase", key, fastKDF); err != nil {
		t.Fatal(err)
	}
	_, kf, err := k.AddKeyFile("usb", key)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteKeyring(dir, k); err != nil {
		t.Fatal(err)
	}
	k, _ = ReadKeyring(dir)
	secret, err := ParseKeyFile(kf)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range [][]byte{[]byte("first passphrase"), []byte("second passphrase"), secret} {
		got, _, err := k.UnlockSlot(s)
		if err != nil || !bytes.Equal(got, key) {
			t.Fatalf("slot for %q: %v", s[:4], err)
		}
	}
	_, used, _ := k.UnlockSlot([]byte("first passphrase"))
	if err := k.RemoveSlot(used); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Unlock([]byte("first passphrase")); casefile.ErrorKind(err) != casefile.ELOCKED {
		t.Fatalf("a removed slot still opens: %v", err)
	}
	for len(k.Slots) > 1 {
		k.RemoveSlot(k.Slots[0].ID)
	}
	if err := k.RemoveSlot(k.Slots[0].ID); casefile.ErrorKind(err) != casefile.ECONFLICT {
		t.Fatalf("removing the last slot: %v", err)
	}
	if err := k.RemoveSlot("slot_nope"); casefile.ErrorKind(err) != casefile.ENOTFOUND {
		t.Fatalf("removing an unknown slot: %v", err)
	}
}

func TestParseKeyFile_Errors(t *testing.T) {
	good := FormatKeyFile(bytes.Repeat([]byte{1}, 32))
	if _, err := ParseKeyFile(good); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		data []byte
		says string
	}{
		{"Truncated", good[:30], "line 2"},
		{"HeaderOnly", good[:len(keyFileHeader)], "line 2 (the key) is missing"},
		{"FlippedByte", bytes.Replace(good, []byte("AQEB"), []byte("AQE!"), 1), "not base64"},
		{"ShortKey", []byte(keyFileHeader + "\nAQEB\n"), "holds 3 bytes"},
		{"NotAKeyFile", []byte("my passphrase\n"), "line 1 must be"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseKeyFile(tt.data)
			if casefile.ErrorKind(err) != casefile.EINVALID || !strings.Contains(casefile.ErrorMessage(err), tt.says) {
				t.Fatalf("got %v, want …%s…", err, tt.says)
			}
		})
	}
}

// FuzzParseKeyFile: the key file parser never panics and accepts only 32-byte keys.
func FuzzParseKeyFile(f *testing.F) {
	f.Add(FormatKeyFile(bytes.Repeat([]byte{1}, 32)))
	f.Add([]byte(keyFileHeader + "\r\nAQEB\r\n"))
	f.Add([]byte(""))
	f.Add([]byte(keyFileHeader + "\n\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		k, err := ParseKeyFile(b)
		if err == nil && len(k) != 32 {
			t.Fatalf("accepted a %d-byte key", len(k))
		}
		if err != nil && casefile.ErrorKind(err) != casefile.EINVALID {
			t.Fatalf("error kind %s", casefile.ErrorKind(err))
		}
	})
}

// FuzzParseKeyring: keys.json parsing never panics; whatever it accepts has well-formed slots.
func FuzzParseKeyring(f *testing.F) {
	dir := f.TempDir()
	Init(dir, "correct horse battery", fastKDF)
	good, _ := os.ReadFile(filepath.Join(dir, KeyringFile))
	f.Add(good)
	f.Add(good[:len(good)/3])
	f.Add([]byte(`{"version":1,"slots":[{"kind":"passphrase","kdf":{"alg":"argon2id","time":4000000000,"memory_kib":4000000000,"threads":255}}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		k, err := ParseKeyring(b)
		if err != nil {
			return
		}
		for _, s := range k.Slots {
			if len(s.Nonce) != 24 || (s.KDF.Alg == "argon2id" && s.KDF.MemoryKiB > 1<<20) {
				t.Fatalf("accepted a malformed slot %+v", s)
			}
		}
		for _, s := range k.Slots {
			if s.KDF.Alg == "sha256" {
				s.Open([]byte("x")) // must not panic on accepted slots
			}
		}
	})
}

// keys.json is read with a bound, so that a huge or endless file in its place fails at once.
func TestReadKeyring_Bounded(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, KeyringFile), bytes.Repeat([]byte(" "), maxKeyring+1), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := ReadKeyring(dir)
	if casefile.ErrorKind(err) != casefile.EINVALID || !strings.Contains(casefile.ErrorMessage(err), "larger than 1 MiB") {
		t.Fatalf("a keyring past the bound: %v", err)
	}
}
