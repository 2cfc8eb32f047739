package vault

import (
	"bytes"
	"encoding/json"
	"io"
	"testing"
	"time"

	"github.com/casefile/casefile"
)

// FuzzDecryptReader: the reader of encrypted evidence and backups never panics, never returns
// data that did not authenticate, and fails only with EINVALID.
func FuzzDecryptReader(f *testing.F) {
	plain := bytes.Repeat([]byte("evidence "), StreamChunk/4)
	good := seal(f, plain, PurposeEvidence)
	f.Add(good)
	f.Add(good[:streamHeader])
	f.Add(good[:len(good)-1])
	f.Add(seal(f, nil, PurposeEvidence))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := NewDecryptReader(bytes.NewReader(b), testMaster, PurposeEvidence)
		if err != nil {
			if casefile.ErrorKind(err) != casefile.EINVALID {
				t.Fatalf("header error of kind %s", casefile.ErrorKind(err))
			}
			return
		}
		got, err := io.ReadAll(r)
		if err != nil {
			if casefile.ErrorKind(err) != casefile.EINVALID {
				t.Fatalf("read error of kind %s: %v", casefile.ErrorKind(err), err)
			}
			return
		}
		// Only the streams sealed by the seeds authenticate (each fuzz worker seals its own, so
		// compare what they decrypt to): any change to them must fail.
		if !bytes.Equal(got, plain) && len(got) != 0 {
			t.Fatalf("a stream that was never sealed decrypted (%d bytes)", len(got))
		}
	})
}

// FuzzReadBackup: the backup reader (keyring header, then the encrypted archive) never panics
// and refuses anything but an intact backup with EINVALID.
func FuzzReadBackup(f *testing.F) {
	dir := f.TempDir()
	Init(dir, "correct horse battery", fastKDF)
	k, _ := ReadKeyring(dir)
	keyring, _ := jsonKeyring(k)
	var good bytes.Buffer
	WriteBackup(&good, keyring, testMaster, nil, &BackupInfo{CreatedAt: time.Unix(0, 0).UTC()})
	f.Add(good.Bytes())
	f.Add(good.Bytes()[:len(backupMagic)+4])
	f.Add([]byte(backupMagic + "\xff\xff\xff\xff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r := bytes.NewReader(b)
		if _, err := ReadBackupKeyring(r); err != nil {
			if casefile.ErrorKind(err) != casefile.EINVALID {
				t.Fatalf("keyring error of kind %s", casefile.ErrorKind(err))
			}
			return
		}
		if _, err := ExtractBackup(r, testMaster, t.TempDir()); err != nil && casefile.ErrorKind(err) != casefile.EINVALID {
			t.Fatalf("archive error of kind %s: %v", casefile.ErrorKind(err), err)
		}
	})
}

func jsonKeyring(k *Keyring) ([]byte, error) { return json.Marshal(k) }
