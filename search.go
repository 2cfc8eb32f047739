package casefile

import "context"

// SearchQuery is a full-text query with optional filters. Text is stemmed in Russian and English.
type SearchQuery struct {
	Text            string
	Kinds           []string // testimony, event, act, source; empty means all
	Domain          *string
	Setting         *string
	PerpetratorType *string
	ActType         *string
	Region          *string
	Year            *int
	Facets          bool // also count every hit by kind, domain, setting, act type, region and year
	Offset, Limit   int
}

// SearchHit is one record that matched, with a snippet around the match.
type SearchHit struct {
	Kind    string  `json:"kind"` // testimony, event, act, source
	ID      string  `json:"id"`
	Title   string  `json:"title"`
	Snippet string  `json:"snippet"`
	Rank    float64 `json:"rank"`
}

// SearchResult is a page of hits and the facet counts of every hit.
type SearchResult struct {
	Hits  []SearchHit `json:"hits"`
	Total int         `json:"total"`
	// TotalCapped says that there are more matches than Total (counting stops at 1,000, and the
	// hits are ranked among the newest 500 matches; narrow the query or filter to see the rest).
	TotalCapped bool                      `json:"total_capped,omitempty"`
	Facets      map[string]map[string]int `json:"facets,omitempty"` // facet → value → count
}

// SearchService finds records by their text.
type SearchService interface {
	// Search returns EINVALID for an empty or malformed query.
	Search(ctx context.Context, q SearchQuery) (*SearchResult, error)
}
