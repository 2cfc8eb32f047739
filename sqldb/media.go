package sqldb

import (
	"context"
	"encoding/hex"
	"fmt"

	"github.com/casefile/casefile"
)

var _ casefile.MediaService = (*DB)(nil)

const feedCols = `id, url, outlet, language, title, etag, last_modified, fetched_at, created_at`

func scanFeed(sc interface{ Scan(...any) error }, extra ...any) (*casefile.Feed, error) {
	f := &casefile.Feed{}
	err := sc.Scan(append([]any{&f.ID, &f.URL, &f.Outlet, &f.Language, &f.Title, &f.ETag, &f.Modified,
		optTime{&f.FetchedAt}, timeCol{&f.CreatedAt}}, extra...)...)
	return f, err
}

// CreateFeed adds a feed to monitor. ECONFLICT when its URL is there already; EINVALID.
func (db *DB) CreateFeed(ctx context.Context, f *casefile.Feed) error {
	if err := f.Validate(); err != nil {
		return err
	}
	err := db.update(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM media_feeds WHERE url = ?`, f.URL).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return casefile.Errorf(casefile.ECONFLICT, "CreateFeed", "the feed %s is monitored already", f.URL)
		}
		if f.ID == "" {
			f.ID = casefile.NewID("feed")
		}
		f.CreatedAt = tx.now
		if _, err := tx.exec(ctx, `INSERT INTO media_feeds (`+feedCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			f.ID, f.URL, f.Outlet, f.Language, f.Title, f.ETag, f.Modified, tx.tptr(f.FetchedAt), tx.tval(f.CreatedAt)); err != nil {
			return err
		}
		return tx.audit(ctx, "create", "media_feed", f.ID, f)
	})
	return err
}

// FindFeeds returns the matching feeds ordered by URL.
func (db *DB) FindFeeds(ctx context.Context, f casefile.FeedFilter) (out []*casefile.Feed, total int, err error) {
	err = db.view(ctx, func(tx *Tx) error {
		var w where
		if f.ID != nil {
			w.add("id = ?", *f.ID)
		}
		if f.URL != nil {
			w.add("url = ?", *f.URL)
		}
		rows, err := tx.query(ctx, `SELECT `+feedCols+`, COUNT(*) OVER() FROM media_feeds`+w.String()+` ORDER BY url`+page(f.Offset, f.Limit), w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			fd, err := scanFeed(rows, &total)
			if err != nil {
				return err
			}
			out = append(out, fd)
		}
		return rows.Err()
	})
	return out, total, err
}

// UpdateFeed changes the fields set in u. ENOTFOUND.
func (db *DB) UpdateFeed(ctx context.Context, id string, u casefile.FeedUpdate) (*casefile.Feed, error) {
	var f *casefile.Feed
	err := db.update(ctx, func(tx *Tx) error {
		var err error
		f, err = scanFeed(tx.queryRow(ctx, `SELECT `+feedCols+` FROM media_feeds WHERE id = ?`, id))
		if err != nil {
			return notFound(err, "feed", id)
		}
		set(&f.Outlet, u.Outlet)
		set(&f.Title, u.Title)
		set(&f.ETag, u.ETag)
		set(&f.Modified, u.Modified)
		if u.FetchedAt != nil {
			t := u.FetchedAt.UTC()
			f.FetchedAt = &t
		}
		if _, err := tx.exec(ctx, `UPDATE media_feeds SET outlet = ?, title = ?, etag = ?, last_modified = ?, fetched_at = ? WHERE id = ?`,
			f.Outlet, f.Title, f.ETag, f.Modified, tx.tptr(f.FetchedAt), id); err != nil {
			return err
		}
		return tx.audit(ctx, "update", "media_feed", id, f)
	})
	return f, err
}

const mediaItemCols = `id, feed_id, outlet, url, title, language, published, text, sha256, evidence_id, about_drugs, created_at`

func scanMediaItem(sc interface{ Scan(...any) error }, extra ...any) (*casefile.MediaItem, error) {
	m := &casefile.MediaItem{}
	err := sc.Scan(append([]any{&m.ID, optString{&m.FeedID}, &m.Outlet, optString{&m.URL}, &m.Title, &m.Language,
		optTime{&m.Published}, &m.Text, &m.SHA256, optString{&m.EvidenceID}, &m.AboutDrugs, timeCol{&m.CreatedAt}}, extra...)...)
	return m, err
}

// CreateMediaItem stores an item and its hits in one transaction. ECONFLICT when an item with the
// same URL or the same SHA-256 is stored already; EINVALID.
func (db *DB) CreateMediaItem(ctx context.Context, m *casefile.MediaItem) error {
	if err := m.Validate(); err != nil {
		return err
	}
	if b, err := hex.DecodeString(m.SHA256); err != nil || len(b) != 32 {
		return casefile.Errorf(casefile.EINVALID, "CreateMediaItem", "media item: sha256 must be 64 hex digits")
	}
	return db.update(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM media_items WHERE sha256 = ? OR (url IS NOT NULL AND url = ?)`, m.SHA256, m.URL).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return casefile.Errorf(casefile.ECONFLICT, "CreateMediaItem", "this item is stored already (same URL or same content)")
		}
		if m.ID == "" {
			m.ID = casefile.NewID("med")
		}
		m.CreatedAt = tx.now
		if _, err := tx.exec(ctx, `INSERT INTO media_items (`+mediaItemCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			m.ID, nullStr(m.FeedID), m.Outlet, nullStr(m.URL), m.Title, m.Language, tx.tptr(m.Published), m.Text, m.SHA256,
			nullStr(m.EvidenceID), m.AboutDrugs, tx.tval(m.CreatedAt)); err != nil {
			return err
		}
		for k, h := range m.Hits {
			h.ItemID = m.ID
			if h.ID == "" {
				h.ID = fmt.Sprintf("%s-%d", m.ID, k+1)
			}
			ref := ""
			if h.Referent != nil {
				ref = js(h.Referent)
			}
			if _, err := tx.exec(ctx, `INSERT INTO discourse_hits (id, item_id, seq, term, lemma, category, language, rule, start_offset, end_offset, sentence, referent)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				h.ID, m.ID, k+1, h.Term, h.Lemma, h.Category, h.Language, h.Rule, h.Start, h.End, h.Sentence, ref); err != nil {
				return err
			}
		}
		// The audit entry holds the item's hash, not its text.
		return tx.audit(ctx, "create", "media_item", m.ID, struct {
			SHA256 string `json:"sha256"`
			URL    string `json:"url,omitempty"`
			Hits   int    `json:"hits"`
		}{m.SHA256, m.URL, len(m.Hits)})
	})
}

// FindMediaItems returns the matching items (without their hits) ordered by publication date,
// then ID.
func (db *DB) FindMediaItems(ctx context.Context, f casefile.MediaItemFilter) (out []*casefile.MediaItem, total int, err error) {
	err = db.view(ctx, func(tx *Tx) error {
		var w where
		if f.ID != nil {
			w.add("id = ?", *f.ID)
		}
		if f.FeedID != nil {
			w.add("feed_id = ?", *f.FeedID)
		}
		if f.Outlet != nil {
			w.add("outlet = ?", *f.Outlet)
		}
		if f.URL != nil {
			w.add("url = ?", *f.URL)
		}
		if f.SHA256 != nil {
			w.add("sha256 = ?", *f.SHA256)
		}
		rows, err := tx.query(ctx, `SELECT `+mediaItemCols+`, COUNT(*) OVER() FROM media_items`+w.String()+
			` ORDER BY published, id`+page(f.Offset, f.Limit), w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			m, err := scanMediaItem(rows, &total)
			if err != nil {
				return err
			}
			out = append(out, m)
		}
		return rows.Err()
	})
	return out, total, err
}

// FindDiscourseHits returns the matching hits ordered by item and position.
func (db *DB) FindDiscourseHits(ctx context.Context, f casefile.DiscourseHitFilter) (out []*casefile.DiscourseHit, total int, err error) {
	err = db.view(ctx, func(tx *Tx) error {
		var w where
		if f.ItemID != nil {
			w.add("item_id = ?", *f.ItemID)
		}
		if f.Category != nil {
			w.add("category = ?", *f.Category)
		}
		rows, err := tx.query(ctx, `SELECT id, item_id, term, lemma, category, language, rule, start_offset, end_offset, sentence, referent,
			COUNT(*) OVER() FROM discourse_hits`+w.String()+` ORDER BY item_id, seq`+page(f.Offset, f.Limit), w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			h := &casefile.DiscourseHit{}
			var ref string
			if err := rows.Scan(&h.ID, &h.ItemID, &h.Term, &h.Lemma, &h.Category, &h.Language, &h.Rule, &h.Start, &h.End,
				&h.Sentence, &ref, &total); err != nil {
				return err
			}
			if ref != "" {
				h.Referent = &casefile.DiscourseReferent{}
				if err := unjs(ref, h.Referent); err != nil {
					return err
				}
			}
			out = append(out, h)
		}
		return rows.Err()
	})
	return out, total, err
}
