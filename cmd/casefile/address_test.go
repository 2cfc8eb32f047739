package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An evidence file's address is a hex HMAC. One written into the store by hand must not make
// backup read a file outside the data folder into the backup, nor make verify or backup panic.
func TestBackupVerify_DamagedEvidenceAddress(t *testing.T) {
	fastKDF(t)
	dir := t.TempDir()
	data, evID, _ := plantedStore(t, dir, nil)
	outside := filepath.Join(dir, "outside.txt")
	if err := os.WriteFile(outside, []byte("Planted-Outside-Secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(filepath.Join(data, EvidenceDir, "xx"), outside)
	if err != nil {
		t.Fatal(err)
	}
	for _, addr := range []string{filepath.ToSlash(rel), "a"} {
		t.Run(addr, func(t *testing.T) {
			c := filepath.Join(t.TempDir(), "data")
			copyDir(t, data, c)
			execAll(t, rawDB(t, c), `UPDATE evidence_files SET address = '`+addr+`'`)
			out := filepath.Join(t.TempDir(), "b.backup")
			code, _, stderr := sec(t, "", nil, "backup", "--out", out, "--data", c)
			if code != 1 || !strings.Contains(stderr, "evidence item "+evID+" has a damaged file address") {
				t.Errorf("backup: exit %d: %s", code, stderr)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("backup left %s", out)
			}
			code, stdout, stderr := sec(t, "", nil, "verify", "--data", c)
			if code != 1 || !strings.Contains(stdout+stderr, "MISMATCH evidence item "+evID) {
				t.Errorf("verify: exit %d: %s%s", code, stdout, stderr)
			}
		})
	}
}
