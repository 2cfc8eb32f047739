package sqldb_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/sqldb"
)

// mediaStores returns the stores the media tests run against: a fresh SQLite file always, and
// PostgreSQL when CASEFILE_TEST_POSTGRES_URL is set (the data is made unique per run, so the
// tests share the database safely).
func mediaStores(t *testing.T) map[string]*sqldb.DB {
	t.Helper()
	ctx := context.Background()
	out := map[string]*sqldb.DB{}
	db, err := sqldb.OpenSQLite(ctx, filepath.Join(t.TempDir(), "media.db"), sqldb.SQLiteOptions{Key: []byte("0123456789abcdef0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	out["sqlite"] = db
	if url := os.Getenv("CASEFILE_TEST_POSTGRES_URL"); url != "" {
		pg, err := sqldb.OpenPostgres(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { pg.Close() })
		out["postgres"] = pg
	} else if os.Getenv("CASEFILE_TEST_REQUIRE") == "all" {
		t.Fatal("CASEFILE_TEST_REQUIRE=all but CASEFILE_TEST_POSTGRES_URL is not set")
	} else {
		t.Log("PostgreSQL media tests skipped: CASEFILE_TEST_POSTGRES_URL is not set")
	}
	return out
}

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func TestMediaService(t *testing.T) {
	ctx := context.Background()
	for name, db := range mediaStores(t) {
		t.Run(name, func(t *testing.T) {
			run := casefile.NewID("run") // unique per run, for a shared PostgreSQL
			feed := &casefile.Feed{URL: "https://example.org/" + run + "/rss", Outlet: "Газета", Language: "ru"}
			if err := db.CreateFeed(ctx, feed); err != nil {
				t.Fatal(err)
			}
			if err := db.CreateFeed(ctx, &casefile.Feed{URL: feed.URL}); casefile.ErrorKind(err) != casefile.ECONFLICT {
				t.Errorf("same feed twice: %v, want ECONFLICT", err)
			}
			if err := db.CreateFeed(ctx, &casefile.Feed{}); casefile.ErrorKind(err) != casefile.EINVALID {
				t.Errorf("feed without URL: %v, want EINVALID", err)
			}
			now := time.Date(2024, 3, 5, 10, 0, 0, 0, time.UTC)
			etag := `"abc"`
			got, err := db.UpdateFeed(ctx, feed.ID, casefile.FeedUpdate{ETag: &etag, FetchedAt: &now})
			if err != nil || got.ETag != etag || got.FetchedAt == nil || !got.FetchedAt.Equal(now) {
				t.Fatalf("UpdateFeed = %+v, %v", got, err)
			}
			if _, err := db.UpdateFeed(ctx, "feed_missing", casefile.FeedUpdate{}); casefile.ErrorKind(err) != casefile.ENOTFOUND {
				t.Errorf("update of a missing feed: %v", err)
			}
			feeds, total, err := db.FindFeeds(ctx, casefile.FeedFilter{URL: &feed.URL})
			if err != nil || total != 1 || feeds[0].Outlet != "Газета" || feeds[0].ETag != etag {
				t.Fatalf("FindFeeds = %+v %d %v", feeds, total, err)
			}

			text := "Эти наркоманы — просто животные. " + run
			item := &casefile.MediaItem{FeedID: feed.ID, Outlet: "Газета", URL: "https://example.org/" + run + "/1", Title: "Т",
				Language: "ru", Published: &now, Text: text, SHA256: sum(text), AboutDrugs: true,
				Hits: []*casefile.DiscourseHit{
					{Term: "наркоманы", Lemma: "наркоман", Category: "label", Language: "ru", Rule: "alone", Start: 7, End: 25, Sentence: "Эти наркоманы — просто животные."},
					{Term: "животные", Lemma: "животное", Category: "dehumanisation", Language: "ru", Rule: "near", Start: 43, End: 59,
						Sentence: "Эти наркоманы — просто животные.", Referent: &casefile.DiscourseReferent{Term: "наркоманы", Start: 7, End: 25}},
				}}
			if err := db.CreateMediaItem(ctx, item); err != nil {
				t.Fatal(err)
			}
			// Duplicates: same URL with other content, same content under another URL.
			other := "другой текст " + run
			if err := db.CreateMediaItem(ctx, &casefile.MediaItem{URL: item.URL, Text: other, SHA256: sum(other)}); casefile.ErrorKind(err) != casefile.ECONFLICT {
				t.Errorf("same URL: %v, want ECONFLICT", err)
			}
			if err := db.CreateMediaItem(ctx, &casefile.MediaItem{URL: item.URL + "?utm=x", Text: text, SHA256: item.SHA256}); casefile.ErrorKind(err) != casefile.ECONFLICT {
				t.Errorf("same content: %v, want ECONFLICT", err)
			}
			if err := db.CreateMediaItem(ctx, &casefile.MediaItem{Text: "x", SHA256: "zz"}); casefile.ErrorKind(err) != casefile.EINVALID {
				t.Errorf("bad hash: %v, want EINVALID", err)
			}
			// Items without a URL (local files) are told apart by their content.
			a, b := "первый "+run, "второй "+run
			for _, s := range []string{a, b} {
				if err := db.CreateMediaItem(ctx, &casefile.MediaItem{Outlet: "Local " + run, Text: s, SHA256: sum(s)}); err != nil {
					t.Fatalf("item without URL: %v", err)
				}
			}
			items, total, err := db.FindMediaItems(ctx, casefile.MediaItemFilter{FeedID: &feed.ID})
			if err != nil || total != 1 || items[0].Text != text || items[0].Published == nil || !items[0].Published.Equal(now) || !items[0].AboutDrugs {
				t.Fatalf("FindMediaItems = %+v %d %v", items, total, err)
			}
			outlet := "Local " + run
			if _, total, _ := db.FindMediaItems(ctx, casefile.MediaItemFilter{Outlet: &outlet}); total != 2 {
				t.Errorf("items of the local outlet: %d", total)
			}
			hits, total, err := db.FindDiscourseHits(ctx, casefile.DiscourseHitFilter{ItemID: &item.ID})
			if err != nil || total != 2 || hits[1].Referent == nil || hits[1].Referent.Term != "наркоманы" || hits[0].Start != 7 || hits[1].Rule != "near" {
				t.Fatalf("FindDiscourseHits = %+v %d %v", hits, total, err)
			}
			cat := "dehumanisation"
			if _, total, _ := db.FindDiscourseHits(ctx, casefile.DiscourseHitFilter{ItemID: &item.ID, Category: &cat}); total != 1 {
				t.Errorf("hits of one category: %d", total)
			}
		})
	}
}

func TestMigrations_MediaInBothDialects(t *testing.T) {
	for _, d := range []string{"sqlite", "postgres"} {
		ms, err := sqldb.Migrations(d)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, m := range ms {
			if m.Version == 4 && m.Name == "media" {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no migration 004_media", d)
		}
	}
}
