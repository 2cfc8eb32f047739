package sqldb_test

import (
	"context"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/sqldb"
)

// SQLite names the file it cannot open, and the store's file name is a URI carrying the key in
// hex: no error, not even the cause that goes to the log, may hold it.
func TestSQLite_ErrorsHideTheKey(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqldb.OpenSQLite(ctx, filepath.Join(dir, "s.db"), sqldb.SQLiteOptions{Key: testKey})
	must(t, err)
	defer db.Close()
	other := []byte("abcdefabcdefabcdefabcdefabcdefab")
	check := func(what string, err error, key []byte) {
		t.Helper()
		if err == nil {
			t.Fatalf("%s: no error", what)
		}
		if h := hex.EncodeToString(key); strings.Contains(strings.ToLower(err.Error()), h) {
			t.Errorf("%s: the error holds the key: %v", what, err)
		}
		if casefile.ErrorKind(err) == "" {
			t.Errorf("%s: not a casefile error: %v", what, err)
		}
	}
	missing := filepath.Join(dir, "no", "such", "folder", "snap.db")
	check("snapshot into a missing folder", db.SnapshotSQLite(ctx, missing, testKey), testKey)
	check("snapshot under another key", db.SnapshotSQLite(ctx, missing, other), other)
	_, err = sqldb.OpenSQLite(ctx, missing, sqldb.SQLiteOptions{Key: testKey})
	check("open in a missing folder", err, testKey)
	_, err = sqldb.OpenSQLite(ctx, filepath.Join(dir, "s.db"), sqldb.SQLiteOptions{Key: other})
	check("open with the wrong key", err, other)
	if casefile.ErrorKind(err) != casefile.ELOCKED {
		t.Errorf("a wrong key: %v, want %s", err, casefile.ELOCKED)
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("a failed snapshot left %s", missing)
	}
}
