package vault

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/casefile/casefile"
)

func TestBackup_RoundTripAndDamage(t *testing.T) {
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "casefile.db"), bytes.Repeat([]byte("page"), 50000), 0o600)
	os.MkdirAll(filepath.Join(src, "evidence", "ab"), 0o700)
	os.WriteFile(filepath.Join(src, "evidence", "ab", "abcd"), []byte("sealed evidence"), 0o600)
	keyring := []byte(`{"version":1}`)
	dir := t.TempDir()
	_, _, err := Init(dir, "correct horse battery", fastKDF)
	if err != nil {
		t.Fatal(err)
	}
	keyring, _ = os.ReadFile(filepath.Join(dir, KeyringFile))
	var b bytes.Buffer
	info := &BackupInfo{CreatedAt: time.Now().UTC(), HeadSeq: 9}
	if err := WriteBackup(&b, keyring, testMaster, []BackupFile{{"casefile.db", filepath.Join(src, "casefile.db")}, {"evidence/ab/abcd", filepath.Join(src, "evidence", "ab", "abcd")}}, info); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b.Bytes(), []byte("sealed evidence")) || bytes.Contains(b.Bytes(), []byte("pagepage")) {
		t.Fatal("the backup shows its content")
	}
	restore := func(data []byte) (*BackupInfo, string, error) {
		out := t.TempDir()
		r := bytes.NewReader(data)
		if _, err := ReadBackupKeyring(r); err != nil {
			return nil, out, err
		}
		info, err := ExtractBackup(r, testMaster, out)
		return info, out, err
	}
	got, out, err := restore(b.Bytes())
	if err != nil || got.HeadSeq != 9 || got.Files != 2 {
		t.Fatalf("restore: %v %+v", err, got)
	}
	if c, _ := os.ReadFile(filepath.Join(out, "evidence", "ab", "abcd")); string(c) != "sealed evidence" {
		t.Fatalf("restored evidence %q", c)
	}
	whole := b.Bytes()
	for _, tt := range []struct {
		name string
		data []byte
		says string
	}{
		{"Truncated", whole[:len(whole)*2/3], "truncated"},
		{"TruncatedInKeyring", whole[:40], "truncated inside its keyring"},
		{"FlippedByte", flip(whole, len(whole)/2), "does not authenticate"},
		{"LastByteFlipped", flip(whole, len(whole)-1), "does not authenticate"},
		{"NotABackup", []byte("hello world, this is not a backup at all"), "not a Casefile backup"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := restore(tt.data)
			if casefile.ErrorKind(err) != casefile.EINVALID || !strings.Contains(casefile.ErrorMessage(err), tt.says) {
				t.Fatalf("got %v, want EINVALID …%s…", err, tt.says)
			}
		})
	}
}
