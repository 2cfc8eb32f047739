package sqldb_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/sqldb"
)

// The store, its WAL and shared-memory files, and a snapshot of it are the owner's only, whatever
// the umask: SQLite alone would create them readable by everyone.
func TestSQLite_FilesOwnerOnly(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "s.db")
	db, err := sqldb.OpenSQLite(ctx, path, sqldb.SQLiteOptions{Key: testKey})
	must(t, err)
	defer db.Close()
	must(t, db.CreatePerson(ctx, &casefile.Person{Descriptor: "Woman, 40", CountingUnit: "individual"}))
	snap := filepath.Join(dir, "snap.db")
	must(t, db.SnapshotSQLite(ctx, snap, testKey))
	checked := 0
	for _, p := range []string{path, path + "-wal", path + "-shm", snap} {
		st, err := os.Stat(p)
		if os.IsNotExist(err) && p != path && p != snap {
			continue
		}
		must(t, err)
		checked++
		if st.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v, want owner-only", filepath.Base(p), st.Mode().Perm())
		}
	}
	if checked < 3 {
		t.Fatalf("only %d files to check: the WAL was not created", checked)
	}
	snapDB, err := sqldb.OpenSQLite(ctx, snap, sqldb.SQLiteOptions{Key: testKey})
	must(t, err)
	snapDB.Close()
}
