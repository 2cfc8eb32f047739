package ledger

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A bundle holds plain files. A link put in place of one is reported, not followed: followed, it
// would read a file outside the bundle, and /dev/zero would never end.
func TestVerifyBundle_LinksAreNotFollowed(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	dir, _ := writeTestBundle(t)
	ev, err := filepath.Glob(filepath.Join(dir, EvidenceDir, "*"))
	if err != nil || len(ev) != 1 {
		t.Fatalf("evidence files: %v %v", ev, err)
	}
	outside := filepath.Join(t.TempDir(), "copy")
	if err := os.Rename(ev[0], outside); err != nil {
		t.Fatal(err)
	}
	// A link to an identical copy outside the bundle would verify if it were followed.
	if err := os.Symlink(outside, ev[0]); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, RecordsFile+".tmp")); err != nil {
		t.Fatal(err)
	}
	records := filepath.Join(dir, RecordsFile)
	if err := os.Rename(records, records+".orig"); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(records+".tmp", records); err != nil {
		t.Fatal(err)
	}
	os.Remove(records + ".orig")
	done := make(chan *Report, 1)
	go func() {
		r, _ := VerifyBundle(context.Background(), dir, VerifyOptions{})
		done <- r
	}()
	var r *Report
	select {
	case r = <-done:
	case <-time.After(2 * time.Minute):
		t.Fatal("verify is still reading a link to /dev/zero")
	}
	if r == nil || r.OK {
		t.Fatalf("a bundle with links verifies: %+v", r)
	}
	var got []string
	for _, p := range r.Problems {
		got = append(got, p.Object+": "+p.Message)
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{"file " + RecordsFile + ": is not a plain file", "(evidence item evi_a): is not a plain file"} {
		if !strings.Contains(all, want) {
			t.Errorf("the report lacks %q:\n%s", want, all)
		}
	}
}
