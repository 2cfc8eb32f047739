package http_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/casefile/casefile"
	casefilehttp "github.com/casefile/casefile/http"
	"github.com/casefile/casefile/sqldb"
	"github.com/casefile/casefile/vocab"
)

// The benchmarks serve a store of 100,000 acts (20,000 events of five acts, 50,000 victims,
// two perpetrators an act) through the real server and report the latency of each page at the
// median and the 95th percentile. The store is built once per run (it takes a minute or two) in
// CASEFILE_BENCH_DIR if set, so that repeated runs reuse it, else in a temporary folder.
//
//	go test -run '^$' -bench . -benchtime 200x ./http

const benchActs = 100000

var (
	benchOnce sync.Once
	benchPath string
	benchErr  error
)

func benchStore(b *testing.B) string {
	benchOnce.Do(func() {
		dir := os.Getenv("CASEFILE_BENCH_DIR")
		if dir == "" {
			dir, benchErr = os.MkdirTemp("", "casefile-web-bench")
			if benchErr != nil {
				return
			}
		}
		benchPath = filepath.Join(dir, "bench.db")
		if _, err := os.Stat(benchPath + ".ok"); err == nil {
			return
		}
		os.Remove(benchPath)
		benchErr = buildBenchStore(benchPath)
		if benchErr == nil {
			benchErr = os.WriteFile(benchPath+".ok", nil, 0o600)
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchPath
}

func buildBenchStore(path string) error {
	ctx := casefile.NewContextWithActor(context.Background(), "bench")
	db, err := sqldb.OpenSQLite(ctx, path, sqldb.SQLiteOptions{Key: testKey})
	if err != nil {
		return err
	}
	defer db.Close()
	domains := []string{"law_enforcement", "health_care", "drug_treatment", "prison", "media"}
	settings := []string{"police_station", "pretrial_detention", "prison_colony", "narcology_clinic", "tb_hospital", "general_hospital", "street"}
	types := []string{"beating", "health_care_denial", "denial_of_ost", "forced_treatment", "extortion", "planting_of_drugs", "humiliation", "threats"}
	perps := []string{"police", "prison_staff", "medical_staff", "narcology_staff", "official", "drug_control_service"}
	regions := []string{"Volgograd Oblast", "Moscow", "Kursk Oblast", "Tver Oblast", "Sverdlovsk Oblast", "Irkutsk Oblast", "Samara Oblast", "Kazan"}
	now := time.Now().UTC()
	const perEvent, perBatch = 5, 1000 // events per bundle
	for start := 0; start < benchActs/perEvent; start += perBatch {
		bun := &casefile.Bundle{Format: casefile.BundleFormat, Version: casefile.BundleVersion}
		for e := start; e < start+perBatch; e++ {
			ev := &casefile.Event{ID: fmt.Sprintf("evt_%06d", e), Title: fmt.Sprintf("Event %d in %s", e, regions[e%len(regions)]),
				Description: casefile.Text{Lang: "en", Body: "Detained, beaten and refused methadone; the officers demanded money."},
				Date:        casefile.PartialDate{Precision: "year", Start: strconv.Itoa(2000 + e%14)}, Region: regions[e%len(regions)],
				Setting: settings[e%len(settings)], Domain: domains[e%len(domains)], Confidential: e%50 == 0, CreatedBy: "bench", CreatedAt: now, UpdatedAt: now}
			bun.Events = append(bun.Events, ev)
			for k := 0; k < perEvent; k++ {
				n := e*perEvent + k
				if n%2 == 0 {
					age := 18 + n%50
					bun.Persons = append(bun.Persons, &casefile.Person{ID: fmt.Sprintf("per_%06d", n/2), Descriptor: fmt.Sprintf("Drug user %d", n/2),
						Sex: "male", Age: &age, Region: ev.Region, CreatedBy: "bench", CreatedAt: now, UpdatedAt: now})
				}
				bun.Acts = append(bun.Acts, &casefile.Act{ID: fmt.Sprintf("act_%06d", n), EventID: ev.ID, VictimID: fmt.Sprintf("per_%06d", n/2),
					Type: types[n%len(types)], Method: "with a truncheon", Description: casefile.Text{Lang: "en", Body: "Beaten in custody while in withdrawal."},
					Involvements: []casefile.Involvement{
						{ID: fmt.Sprintf("inv_%06d_1", n), PerpetratorType: perps[n%len(perps)], Degree: "carried_out"},
						{ID: fmt.Sprintf("inv_%06d_2", n), PerpetratorType: perps[(n+1)%len(perps)], Degree: "acquiesced"}},
					Confidential: ev.Confidential, CreatedBy: "bench", CreatedAt: now, UpdatedAt: now})
			}
		}
		if err := db.ImportBundle(ctx, bun); err != nil {
			return err
		}
	}
	hash, err := casefilehttp.HashPassword(testPassword)
	if err != nil {
		return err
	}
	return db.CreateUser(ctx, &casefile.User{Username: "viewer1", Role: casefile.RoleViewer, Lang: "en", PasswordHash: hash})
}

// benchServer serves the benchmark store to a logged-in viewer.
func benchServer(b *testing.B) *client {
	path := benchStore(b)
	db, err := sqldb.OpenSQLite(context.Background(), path, sqldb.SQLiteOptions{Key: testKey})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	cfg := casefilehttp.Config{Store: db, Users: db, Sessions: db, Audit: db, Counter: db, Lister: db, Vocab: vocab.Default()}
	srv, err := casefilehttp.NewServer(cfg)
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	b.Cleanup(ts.Close)
	e := &env{t: b, db: db, srv: srv, ts: ts, users: map[string]*casefile.User{}}
	u, err := db.FindUserByUsername(context.Background(), "viewer1")
	if err != nil {
		b.Fatal(err)
	}
	e.users["viewer"] = u
	return e.login("viewer")
}

// measure runs req b.N times and reports the median and 95th-percentile latency.
func measure(b *testing.B, req func() int) {
	b.Helper()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if st := req(); st != 200 {
			b.Fatalf("status %d", st)
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
}

func BenchmarkPages(b *testing.B) {
	warm := []struct{ name, path string }{
		{"ActsPage1", "/acts"},
		{"ActsPage1000", "/acts?page=1000"},
		{"ActsFilteredDomainSetting", "/acts?domain=health_care&setting=tb_hospital"},
		{"ActsFilteredPerpetrator", "/acts?perpetrator_type=official&page=20"},
		{"Events", "/events?page=100"},
		{"People", "/people?page=500"},
		{"Act", "/acts/act_054321"},
		{"DashboardCached", "/"},
	}
	for _, p := range warm {
		b.Run(p.name, func(b *testing.B) {
			c := benchServer(b)
			measure(b, func() int { st, _ := c.get(p.path); return st })
		})
	}
	// The first view of the dashboard (and each background refresh) runs these counts.
	b.Run("DashboardCounts", func(b *testing.B) {
		db, err := sqldb.OpenSQLite(context.Background(), benchStore(b), sqldb.SQLiteOptions{Key: testKey})
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		measure(b, func() int {
			if _, err := db.CountAll(context.Background()); err != nil {
				b.Fatal(err)
			}
			for _, d := range []string{"domain", "setting", "perpetrator_type", "year", "region"} {
				if _, err := db.CountActs(context.Background(), d); err != nil {
					b.Fatal(err)
				}
			}
			return 200
		})
	})
	b.Run("Search", func(b *testing.B) {
		c := benchServer(b)
		measure(b, func() int { st, _, _ := c.post("/search", url.Values{"q": {"truncheon withdrawal"}}); return st })
	})
	b.Run("APIActs", func(b *testing.B) {
		c := benchServer(b)
		measure(b, func() int { st, _ := c.api(http.MethodGet, "/api/v1/acts?offset=50000&limit=50", nil, ""); return st })
	})
}
