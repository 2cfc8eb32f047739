package sqldb_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/sqldb"
)

// Both dialects must have the same migrations, so that a store can move between them.
func TestMigrations_SameNamesInBothDialects(t *testing.T) {
	lite, err := sqldb.Migrations("sqlite")
	must(t, err)
	pg, err := sqldb.Migrations("postgres")
	must(t, err)
	if len(lite) != len(pg) {
		t.Fatalf("sqlite has %d migrations, postgres %d", len(lite), len(pg))
	}
	for i := range lite {
		if lite[i].Version != pg[i].Version || lite[i].Name != pg[i].Name {
			t.Errorf("migration %d: sqlite %03d_%s, postgres %03d_%s", i, lite[i].Version, lite[i].Name, pg[i].Version, pg[i].Name)
		}
	}
}

// A store written by a newer binary is refused, not silently used.
func TestOpen_RefusesUnknownSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	db, err := sqldb.OpenSQLite(ctx, path, sqldb.SQLiteOptions{Key: testKey})
	must(t, err)
	must(t, db.ExecRaw(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', '2030-01-01')`))
	db.Close()
	_, err = sqldb.OpenSQLite(ctx, path, sqldb.SQLiteOptions{Key: testKey})
	wantKind(t, err, casefile.ESCHEMA)
	if !strings.Contains(casefile.ErrorMessage(err), "999") {
		t.Fatalf("message does not name the version: %q", casefile.ErrorMessage(err))
	}
}

// A wrong key is a clear error and leaves the store intact.
func TestOpen_WrongKey(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	db, err := sqldb.OpenSQLite(ctx, path, sqldb.SQLiteOptions{Key: testKey})
	must(t, err)
	must(t, db.CreatePerson(ctx, &casefile.Person{Descriptor: "X"}))
	db.Close()
	before, _ := os.ReadFile(path)
	_, err = sqldb.OpenSQLite(ctx, path, sqldb.SQLiteOptions{Key: []byte("ffffffffffffffffffffffffffffffff")})
	wantKind(t, err, casefile.ELOCKED)
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Fatal("opening with a wrong key changed the file")
	}
	db, err = sqldb.OpenSQLite(ctx, path, sqldb.SQLiteOptions{Key: testKey})
	must(t, err)
	defer db.Close()
	if _, n, _ := db.FindPersons(ctx, casefile.PersonFilter{}); n != 1 {
		t.Fatalf("after a wrong key the store holds %d persons, want 1", n)
	}
}

// The store file, its WAL and anything else SQLite writes beside it hold none of the names and
// phrases written into the store: the whole file set is encrypted.
func TestSQLite_NoPlaintextOnDisk(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqldb.OpenSQLite(ctx, filepath.Join(dir, "s.db"), sqldb.SQLiteOptions{Key: testKey})
	must(t, err)
	planted := []string{"Zhemchuzhnikova", "Volgograd", "haloperidol", "галоперидол", "pinches the tube so that you cannot breathe"}
	for i := 0; i < 200; i++ {
		p := &casefile.Person{Descriptor: "Woman, 40, Zhemchuzhnikova street, Volgograd", City: "Volgograd"}
		must(t, db.CreatePerson(ctx, p))
		e := &casefile.Event{Title: "Event", City: "Volgograd"}
		must(t, db.CreateEvent(ctx, e))
		must(t, db.CreateAct(ctx, &casefile.Act{EventID: e.ID, VictimID: p.ID, Type: "asphyxiation",
			Description: casefile.Text{Lang: "en", Body: "He pinches the tube so that you cannot breathe; then haloperidol; галоперидол"}}))
	}
	// A big sort forces temporary storage; with temp_store=memory it must not reach a file.
	_, err = db.Search(ctx, casefile.SearchQuery{Text: "haloperidol", Facets: true})
	must(t, err)
	check := func(when string) {
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		if len(files) == 0 {
			t.Fatal("no files written")
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			must(t, err)
			for _, p := range planted {
				if bytes.Contains(bytes.ToLower(b), bytes.ToLower([]byte(p))) {
					t.Errorf("%s: %s holds %q in plaintext", when, filepath.Base(f), p)
				}
			}
		}
	}
	check("while open") // the WAL is there now
	db.Close()
	check("after close")
}

// With vocabularies, a code outside them is refused, naming the field.
func TestVocabularyChecks(t *testing.T) {
	db := openSQLite(t)
	db.Vocab = casefile.Vocabularies{
		"act_type":         {Name: "act_type", Terms: []casefile.Term{{Code: "beating"}, {Code: "other"}, {Code: "unknown"}}},
		"degree":           {Name: "degree", Terms: []casefile.Term{{Code: "carried_out"}, {Code: "other"}, {Code: "unknown"}}},
		"domain":           {Name: "domain", Terms: []casefile.Term{{Code: "prison"}, {Code: "other"}, {Code: "unknown"}}},
		"perpetrator_type": {Name: "perpetrator_type", Terms: []casefile.Term{{Code: "police"}, {Code: "other"}, {Code: "unknown"}}},
	}
	ctx := context.Background()
	err := db.CreateEvent(ctx, &casefile.Event{Title: "E", Domain: "prisons"})
	wantKind(t, err, casefile.EINVALID)
	if !strings.Contains(casefile.ErrorMessage(err), "domain") || !strings.Contains(casefile.ErrorMessage(err), "prisons") {
		t.Fatalf("message: %q", casefile.ErrorMessage(err))
	}
	b := &casefile.Bundle{Format: casefile.BundleFormat, Version: 1,
		Persons: []*casefile.Person{{ID: "per_a", Descriptor: "A"}}, Events: []*casefile.Event{{ID: "evt_a", Title: "E", Domain: "prison"}},
		Acts: []*casefile.Act{{ID: "act_a", EventID: "evt_a", VictimID: "per_a", Type: "beating", Involvements: []casefile.Involvement{{PerpetratorType: "police", Degree: "did_it"}}}}}
	err = db.ImportBundle(ctx, b)
	wantKind(t, err, casefile.EINVALID)
	if !strings.Contains(casefile.ErrorMessage(err), "acts[0]") || !strings.Contains(casefile.ErrorMessage(err), "involvements[0].degree") {
		t.Fatalf("message: %q", casefile.ErrorMessage(err))
	}
}

// Readers do not take the write lock: a read completes while a write transaction is open.
func TestSQLite_ReadsRunBesideAWriter(t *testing.T) {
	db := openSQLite(t)
	ctx := context.Background()
	must(t, db.CreatePerson(ctx, &casefile.Person{Descriptor: "A"}))
	hold := make(chan struct{})
	held := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- db.UpdateInTransactionForTest(ctx, func() { close(held); <-hold })
	}()
	<-held
	readDone := make(chan error, 1)
	go func() {
		_, n, err := db.FindPersons(ctx, casefile.PersonFilter{})
		if err == nil && n != 1 {
			err = fmt.Errorf("read %d persons", n)
		}
		readDone <- err
	}()
	select {
	case err := <-readDone:
		must(t, err)
	case <-time.After(20 * time.Second):
		t.Fatal("a read waited for the open write transaction")
	}
	close(hold)
	must(t, <-done)
}

// Hits are ordered by relevance: the word in the title, then more uses of it, then fewer.
func TestSearch_Ranking(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			db := b.open(t)
			ctx := context.Background()
			mk := func(title, body string) string {
				s := &casefile.Source{Kind: "ngo_report", Title: title, Notes: body}
				must(t, db.CreateSource(ctx, s))
				return s.ID
			}
			once := mk("Report A", "Detained once; methadone was mentioned in passing among many other things said that day.")
			title := mk("Methadone refused", "The clinic staff said no.")
			twice := mk("Report B", "Methadone was refused; without methadone the withdrawal began.")
			res, err := db.Search(ctx, casefile.SearchQuery{Text: "methadone"})
			must(t, err)
			var got []string
			for _, h := range res.Hits {
				got = append(got, h.ID)
			}
			want := []string{title, twice, once}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Fatalf("order %v, want title match, then two uses, then one: %v", got, want)
			}
		})
	}
}
