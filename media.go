package casefile

import (
	"context"
	"time"
)

// Discourse categories: what a lexicon entry says about people who use drugs. The first six are
// stigmatising; preferred terms are counted so each outlet gets a stigmatising-vs-preferred
// ratio; neutral terms refer to people who use drugs without either; topic terms only mark an
// item as being about drugs.
const (
	DiscourseLabel           = "label"           // a label for people who use drugs («наркоман», "junkie")
	DiscourseDehumanisation  = "dehumanisation"  // animals, undead, waste, denial of humanity
	DiscourseDisgust         = "disgust"         // disgust and contagion («зараза», "plague")
	DiscourseCriminalisation = "criminalisation" // the person framed as a criminal
	DiscourseMoral           = "moral"           // moral condemnation, blame
	DiscourseViolence        = "violence"        // calls for violence, isolation or expulsion
	DiscoursePreferred       = "preferred"       // person-first terms ("people who use drugs")
	DiscourseNeutral         = "neutral"         // refers to people who use drugs, neither stigmatising nor preferred
	DiscourseTopic           = "topic"           // about drugs, not about people («героин», "overdose")
)

// DiscourseStigmatising reports whether hits of category cat count as stigmatising language.
func DiscourseStigmatising(cat string) bool {
	switch cat {
	case DiscourseLabel, DiscourseDehumanisation, DiscourseDisgust, DiscourseCriminalisation,
		DiscourseMoral, DiscourseViolence:
		return true
	}
	return false
}

// DiscourseReferent is the word for people who use drugs that a metaphor was found near.
type DiscourseReferent struct {
	Term  string `json:"term"`
	Start int64  `json:"start"`
	End   int64  `json:"end"`
}

// DiscourseHit is one expression of the lexicon found in a text. Start and End are byte offsets
// into the item's original text, so that a quotation can be checked against the hashed original.
type DiscourseHit struct {
	ID       string `json:"id,omitempty"`
	ItemID   string `json:"item_id,omitempty"`
	Term     string `json:"term"`     // as written in the text
	Lemma    string `json:"lemma"`    // the lexicon entry
	Category string `json:"category"` // one of the Discourse* categories
	Language string `json:"language"`
	// Rule is "alone" when the expression counts by itself, "near" when it counted because a word
	// for people who use drugs was near it (Referent).
	Rule     string             `json:"rule"`
	Start    int64              `json:"start"`
	End      int64              `json:"end"`
	Sentence string             `json:"sentence"`
	Referent *DiscourseReferent `json:"referent,omitempty"`
}

// Feed is an RSS or Atom feed the monitor fetches.
type Feed struct {
	ID        string     `json:"id"`
	URL       string     `json:"url"`
	Outlet    string     `json:"outlet,omitempty"` // defaults to the feed's own title or host
	Language  string     `json:"language,omitempty"`
	Title     string     `json:"title,omitempty"`
	ETag      string     `json:"etag,omitempty"`
	Modified  string     `json:"last_modified,omitempty"` // the server's Last-Modified, sent back as If-Modified-Since
	FetchedAt *time.Time `json:"fetched_at,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
}

// Validate checks the fields a feed must have. EINVALID.
func (f *Feed) Validate() error {
	if f.URL == "" {
		return Errorf(EINVALID, "", "feed: url is required")
	}
	return nil
}

// FeedUpdate changes the fields that are set.
type FeedUpdate struct {
	Outlet    *string
	Title     *string
	ETag      *string
	Modified  *string
	FetchedAt *time.Time
}

// MediaItem is one monitored article: where it was published, its text, the hash of the
// original as fetched or read (kept as an evidence item), and the discourse hits found in it.
type MediaItem struct {
	ID         string          `json:"id"`
	FeedID     string          `json:"feed_id,omitempty"`
	Outlet     string          `json:"outlet,omitempty"`
	URL        string          `json:"url,omitempty"`
	Title      string          `json:"title,omitempty"`
	Language   string          `json:"language,omitempty"`
	Published  *time.Time      `json:"published,omitempty"`
	Text       string          `json:"text"`
	SHA256     string          `json:"sha256"`                // hex SHA-256 of the original bytes
	EvidenceID string          `json:"evidence_id,omitempty"` // the original kept as evidence
	AboutDrugs bool            `json:"about_drugs"`
	Hits       []*DiscourseHit `json:"hits,omitempty"`
	CreatedAt  time.Time       `json:"created_at"`
}

// Validate checks the fields a media item must have. EINVALID.
func (m *MediaItem) Validate() error {
	if m.SHA256 == "" {
		return Errorf(EINVALID, "", "media item: sha256 is required")
	}
	return nil
}

// FeedFilter selects feeds.
type FeedFilter struct {
	ID            *string
	URL           *string
	Offset, Limit int
}

// MediaItemFilter selects media items.
type MediaItemFilter struct {
	ID            *string
	FeedID        *string
	Outlet        *string
	URL           *string
	SHA256        *string
	Offset, Limit int
}

// DiscourseHitFilter selects discourse hits.
type DiscourseHitFilter struct {
	ItemID        *string
	Category      *string
	Offset, Limit int
}

// MediaService keeps monitored feeds, media items and their discourse hits.
type MediaService interface {
	// CreateFeed adds a feed. ECONFLICT when a feed with the same URL exists; EINVALID.
	CreateFeed(ctx context.Context, f *Feed) error
	// FindFeeds lists feeds and their total count.
	FindFeeds(ctx context.Context, f FeedFilter) ([]*Feed, int, error)
	// UpdateFeed changes a feed. ENOTFOUND.
	UpdateFeed(ctx context.Context, id string, u FeedUpdate) (*Feed, error)
	// CreateMediaItem stores an item with its hits. ECONFLICT when an item with the same URL or
	// the same SHA256 is stored already; EINVALID.
	CreateMediaItem(ctx context.Context, m *MediaItem) error
	// FindMediaItems lists items (without hits) and their total count.
	FindMediaItems(ctx context.Context, f MediaItemFilter) ([]*MediaItem, int, error)
	// FindDiscourseHits lists hits and their total count.
	FindDiscourseHits(ctx context.Context, f DiscourseHitFilter) ([]*DiscourseHit, int, error)
}
