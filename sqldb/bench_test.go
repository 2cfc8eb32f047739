package sqldb_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/sqldb"
)

// genBundle makes n acts, each with its own victim and event, over a handful of sources, with
// narratives that mix Russian and English words the way the demo's testimonies do.
func genBundle(n int, seed uint64) *casefile.Bundle {
	r := rand.New(rand.NewPCG(seed, 1))
	b := &casefile.Bundle{Format: casefile.BundleFormat, Version: 1}
	for s := 0; s < 20; s++ {
		b.Sources = append(b.Sources, &casefile.Source{ID: fmt.Sprintf("src_%03d", s), Kind: "ngo_report", Title: fmt.Sprintf("Report %d", s)})
	}
	types := []string{"beating", "asphyxiation", "electric_shock", "denial_of_ost", "untreated_withdrawal", "extortion", "planting_of_drugs", "humiliation"}
	domains := []string{"law_enforcement", "prison", "health_care", "drug_treatment", "media"}
	settings := []string{"police_station", "prison_colony", "narcology_clinic", "tb_hospital", "general_hospital", "street"}
	cities := []string{"Volgograd", "Kursk", "Orsk", "Kaliningrad", "Kazan", "Omsk", "Tomsk", "Samara"}
	perps := []string{"police", "prison_staff", "medical_staff", "private_rehab"}
	for i := 0; i < n; i++ {
		pid, eid := fmt.Sprintf("per_%07d", i), fmt.Sprintf("evt_%07d", i)
		city := cities[r.IntN(len(cities))]
		age := 18 + r.IntN(40)
		b.Persons = append(b.Persons, &casefile.Person{ID: pid, Descriptor: fmt.Sprintf("Drug user, %d, %s", age, city), Age: &age, City: city})
		year := 2005 + r.IntN(15)
		b.Events = append(b.Events, &casefile.Event{ID: eid, Title: "Incident in " + city, City: city, Domain: domains[r.IntN(len(domains))],
			Setting: settings[r.IntN(len(settings))], Date: casefile.PartialDate{Precision: "year", Start: fmt.Sprint(year)}})
		b.Acts = append(b.Acts, &casefile.Act{ID: fmt.Sprintf("act_%07d", i), EventID: eid, VictimID: pid, Type: types[r.IntN(len(types))],
			Description:  casefile.Text{Lang: "ru", Body: narrative(r)},
			Involvements: []casefile.Involvement{{PerpetratorType: perps[r.IntN(len(perps))], Degree: "carried_out"}}})
		b.Information = append(b.Information, &casefile.Information{ID: fmt.Sprintf("inf_%07d", i), SourceID: b.Sources[r.IntN(20)].ID, ActID: fmt.Sprintf("act_%07d", i)})
	}
	return b
}

var (
	ruWords = strings.Fields("меня задержали в отделении полиции избили требовали признание надели противогаз пережимали шланг врач отказал в обезболивании " +
		"ломка без помощи в колонии сотрудники смеялись унижали больница выгнала туберкулёз лекарства не давали вкололи галоперидолом судороги наручниками " +
		"к кровати подбросили наркотики вымогали деньги следователь угрожал адвокат не пустили")
	enWords = strings.Fields("police detained beaten confession gas mask withdrawal denied methadone hospital refused pain relief prison colony tuberculosis " +
		"medicines never given haloperidol spasms handcuffed bed planted drugs extortion lawyer refused")
)

// fillerWords is a Zipf-distributed vocabulary of made-up Russian-looking words, so that a query
// word matches a realistic few per cent of the narratives rather than half of them.
var fillerWords = func() []string {
	r := rand.New(rand.NewPCG(42, 42))
	syl := strings.Fields("ка ло ми ре ту на по ст ви ше жи да ро ку бе зо ля пе ни ма")
	out := make([]string, 20000)
	for i := range out {
		n := 2 + r.IntN(3)
		var b strings.Builder
		for j := 0; j < n; j++ {
			b.WriteString(syl[r.IntN(len(syl))])
		}
		out[i] = b.String()
	}
	return out
}()

func narrative(r *rand.Rand) string {
	n := 25 + r.IntN(40)
	words := make([]string, n)
	zipf := rand.NewZipf(r, 1.1, 1, uint64(len(fillerWords)-1))
	for i := range words {
		switch x := r.IntN(20); {
		case x == 0:
			words[i] = enWords[r.IntN(len(enWords))]
		case x == 1:
			words[i] = ruWords[r.IntN(len(ruWords))]
		default:
			words[i] = fillerWords[zipf.Uint64()]
		}
	}
	return strings.Join(words, " ") + "."
}

func benchImport(b *testing.B, open func(testing.TB) *sqldb.DB, n int) {
	bundle := genBundle(n, 1)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := open(b)
		cp := *bundle
		b.StartTimer()
		if err := db.ImportBundle(context.Background(), &cp); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "acts/s")
}

// BenchmarkImport100k imports 100,000 acts with their persons, events and information links in
// one transaction: into the encrypted SQLite store, the same store unencrypted (the cost of
// encryption is the ratio of the two), and PostgreSQL when CASEFILE_TEST_POSTGRES_URL is set.
func BenchmarkImport100k(b *testing.B) {
	benchImportAll(b, 100000)
}

// BenchmarkImport10k is the same at a tenth of the size, for a quick look.
func BenchmarkImport10k(b *testing.B) { benchImportAll(b, 10000) }

func benchImportAll(b *testing.B, n int) {
	b.Run("sqlite-encrypted", func(b *testing.B) { benchImport(b, openSQLite, n) })
	b.Run("sqlite-plain", func(b *testing.B) {
		benchImport(b, func(t testing.TB) *sqldb.DB {
			db, err := sqldb.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "plain.db"), sqldb.SQLiteOptions{})
			if err != nil {
				t.Fatal(err)
			}
			return db
		}, n)
	})
	if url := os.Getenv("CASEFILE_TEST_POSTGRES_URL"); url != "" {
		b.Run("postgres", func(b *testing.B) {
			benchImport(b, func(t testing.TB) *sqldb.DB { return openPostgres(t, url) }, n)
		})
	}
}

// BenchmarkSearch1M loads CASEFILE_BENCH_DOCS acts (default 1,000,000) with generated Russian and
// English narratives and measures the latency of single-word and two-word queries, inflected
// Russian forms among them; it reports the median and 95th percentile.
func BenchmarkSearch1M(b *testing.B) {
	n := 1000000
	if s := os.Getenv("CASEFILE_BENCH_DOCS"); s != "" {
		fmt.Sscan(s, &n)
	}
	for _, enc := range []bool{true, false} {
		name := "sqlite-plain"
		var key []byte
		if enc {
			name, key = "sqlite-encrypted", testKey
		}
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			// CASEFILE_BENCH_STORE keeps the generated store between runs (loading a million
			// narratives takes minutes); by default it is made afresh in a temporary folder.
			dir, reuse := b.TempDir(), false
			if d := os.Getenv("CASEFILE_BENCH_STORE"); d != "" {
				dir = d
				_, err := os.Stat(filepath.Join(dir, name+".db"))
				reuse = err == nil
			}
			db, err := sqldb.OpenSQLite(ctx, filepath.Join(dir, name+".db"), sqldb.SQLiteOptions{Key: key})
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			for start := 0; start < n && !reuse; start += 100000 {
				chunk := genBundle(min(100000, n-start), uint64(start+7))
				rename(chunk, start)
				if err := db.ImportBundle(ctx, chunk); err != nil {
					b.Fatal(err)
				}
			}
			queries := []string{"галоперидол", "противогазом", "methadone", "обезболивании отказал", "туберкулёз лекарства", "haloperidol spasms", "наручниками кровати", "адвокат"}
			var lat []time.Duration
			perQuery := map[string][]time.Duration{}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				q := queries[i%len(queries)]
				t0 := time.Now()
				res, err := db.Search(ctx, casefile.SearchQuery{Text: q, Limit: 20})
				d := time.Since(t0)
				lat = append(lat, d)
				perQuery[q] = append(perQuery[q], d)
				if err != nil || len(res.Hits) == 0 {
					b.Fatalf("query %q: %v", q, err)
				}
			}
			b.StopTimer()
			for _, q := range queries {
				ds := perQuery[q]
				sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
				if len(ds) > 0 {
					b.Logf("%-24s median %v", q, ds[len(ds)/2])
				}
			}
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
		})
	}
}

// rename gives a generated chunk identifiers that do not clash with earlier chunks.
func rename(b *casefile.Bundle, base int) {
	suffix := fmt.Sprintf("_%d", base)
	for _, s := range b.Sources {
		s.ID += suffix
	}
	for _, p := range b.Persons {
		p.ID += suffix
	}
	for _, e := range b.Events {
		e.ID += suffix
	}
	for _, a := range b.Acts {
		a.ID += suffix
		a.EventID += suffix
		a.VictimID += suffix
	}
	for _, in := range b.Information {
		in.ID += suffix
		in.SourceID += suffix
		in.ActID += suffix
	}
}
