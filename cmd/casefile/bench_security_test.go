package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/casefile/casefile/sqldb"
	"github.com/casefile/casefile/vault"
)

// BenchmarkVerify1M measures 'casefile verify' of an embedded store whose audit ledger holds a
// million entries (CASEFILE_BENCH_AUDIT_ENTRIES changes the count). Building the ledger is not
// timed.
func BenchmarkVerify1M(b *testing.B) {
	n := 1_000_000
	if s := os.Getenv("CASEFILE_BENCH_AUDIT_ENTRIES"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	fastKDF(b)
	data := filepath.Join(b.TempDir(), "data")
	key, _, err := vault.Init(data, secPass, vault.DefaultKDF)
	if err != nil {
		b.Fatal(err)
	}
	db, err := sqldb.OpenSQLite(context.Background(), filepath.Join(data, DatabaseFile), sqldb.SQLiteOptions{Key: key})
	if err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	if err := db.AppendAuditEntriesForBenchmark(context.Background(), n); err != nil {
		b.Fatal(err)
	}
	db.Close()
	b.Logf("built a ledger of %d entries in %s", n, time.Since(t0).Round(time.Millisecond))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		code, out, stderr := sec(b, "", nil, "verify", "--no-checkpoint", "--data", data)
		if code != 0 || !strings.Contains(out, "The store verifies: "+strconv.Itoa(n+1)) {
			b.Fatalf("verify: %d %s %s", code, out, stderr)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
}
