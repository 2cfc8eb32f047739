package report_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/demo"
	"github.com/casefile/casefile/law"
	"github.com/casefile/casefile/sqldb"
)

// testKey is a fixed database key for tests.
var testKey = []byte("0123456789abcdef0123456789abcdef")

// reportTime is the fixed date of every test report, so that golden files do not change by day.
var reportTime = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

func openStore(t testing.TB) *sqldb.DB {
	t.Helper()
	db, err := sqldb.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "test.db"), sqldb.SQLiteOptions{Key: testKey})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// demoStore is a real SQLite store holding the demonstration bundle and the legal engine's
// assessments of it, made the way 'casefile demo' makes them.
func demoStore(t testing.TB) *sqldb.DB {
	t.Helper()
	ctx := context.Background()
	db := openStore(t)
	b, err := demo.Bundle()
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ImportBundle(ctx, b); err != nil {
		t.Fatal(err)
	}
	assessDemo(t, db)
	return db
}

// assessDemo runs the built-in packs on the demonstration answer sets and stores the results.
func assessDemo(t testing.TB, db *sqldb.DB) {
	t.Helper()
	ctx := context.Background()
	set := law.Builtin()
	for _, d := range law.DemoAnswers() {
		p, err := set.Pack(d.Framework)
		if err != nil {
			t.Fatal(err)
		}
		act, err := db.FindActByID(ctx, d.ActID)
		if err != nil {
			t.Fatal(err)
		}
		in := law.Input{Act: act, Answers: d.Answers}
		if in.Event, err = db.FindEventByID(ctx, act.EventID); err != nil {
			t.Fatal(err)
		}
		if in.Victim, err = db.FindPersonByID(ctx, act.VictimID); err != nil {
			t.Fatal(err)
		}
		res, err := p.Assess(in)
		if err != nil {
			t.Fatal(err)
		}
		as := &casefile.Assessment{ActID: act.ID, EventID: act.EventID, Framework: p.Name, PackVersion: res.PackVersion,
			Answers: d.Answers, Outcomes: res.Outcomes, Missing: res.Missing}
		if err := db.CreateAssessment(ctx, as); err != nil {
			t.Fatal(err)
		}
	}
}

// tempDirOutsideTest makes a folder for a store shared by several benchmarks; it lives in the
// system's temporary folder and is left to the system to clean.
func tempDirOutsideTest() (string, error) { return os.MkdirTemp("", "casefile-report-bench-*") }
