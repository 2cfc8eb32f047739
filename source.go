package casefile

import (
	"context"
	"time"
)

// Source is where information comes from: an interview, an NGO report, government data, a
// scientific publication, a media report, a court document, an official statement.
type Source struct {
	ID          string    `json:"id"`
	Kind        string    `json:"kind"` // vocabulary "source_kind"
	Title       string    `json:"title"`
	Citation    string    `json:"citation,omitempty"` // full bibliographic citation, as footnoted
	Author      string    `json:"author,omitempty"`
	Outlet      string    `json:"outlet,omitempty"` // for media: the outlet
	Published   string    `json:"published,omitempty"`
	URL         string    `json:"url,omitempty"`
	Language    string    `json:"language,omitempty"`
	Reliability string    `json:"reliability,omitempty"` // vocabulary "reliability"
	Quote       Text      `json:"quote,omitempty"`       // the quoted passage, for media quotations
	Notes       string    `json:"notes,omitempty"`
	CreatedBy   string    `json:"created_by,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Validate checks the fields a source must have. EINVALID.
func (s *Source) Validate() error {
	if s.Kind == "" {
		return Errorf(EINVALID, "", "source: kind is required")
	}
	if s.Title == "" && s.Citation == "" {
		return Errorf(EINVALID, "", "source: title or citation is required")
	}
	return nil
}

// SourceFilter selects sources.
type SourceFilter struct {
	ID            *string
	Kind          *string
	Offset, Limit int
}

// SourceUpdate changes the fields that are set.
type SourceUpdate struct {
	Title       *string
	Citation    *string
	Reliability *string
	Quote       *Text
	Notes       *string
}

// SourceService keeps sources.
type SourceService interface {
	FindSourceByID(ctx context.Context, id string) (*Source, error)
	FindSources(ctx context.Context, f SourceFilter) ([]*Source, int, error)
	CreateSource(ctx context.Context, s *Source) error
	UpdateSource(ctx context.Context, id string, u SourceUpdate) (*Source, error)
	// DeleteSource returns ECONFLICT while information, indicators or evidence refer to it.
	DeleteSource(ctx context.Context, id string) error
}

// EvidenceItem is a file that supports a source or testimony: audio, photo, PDF, video, a web page.
// SHA256 is the hash of the plaintext taken at intake; the file itself is stored encrypted and
// content-addressed by that hash.
type EvidenceItem struct {
	ID          string    `json:"id"`
	SourceID    string    `json:"source_id,omitempty"`
	TestimonyID string    `json:"testimony_id,omitempty"`
	FileName    string    `json:"file_name"`
	MediaType   string    `json:"media_type,omitempty"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"` // hex
	Description string    `json:"description,omitempty"`
	AddedBy     string    `json:"added_by,omitempty"`
	AddedFrom   string    `json:"added_from,omitempty"` // where it came from: device, address, person
	AddedAt     time.Time `json:"added_at"`
}

// EvidenceFilter selects evidence items.
type EvidenceFilter struct {
	SourceID      *string
	TestimonyID   *string
	SHA256        *string
	Offset, Limit int
}

// EvidenceService keeps the records of evidence items (the encrypted blobs are kept by the vault).
type EvidenceService interface {
	FindEvidenceByID(ctx context.Context, id string) (*EvidenceItem, error)
	FindEvidence(ctx context.Context, f EvidenceFilter) ([]*EvidenceItem, int, error)
	// CreateEvidence records an item whose SHA256 and Size were taken at intake. EINVALID.
	CreateEvidence(ctx context.Context, e *EvidenceItem) error
}

// Testimony is an interview: who gave it, who took it, when, where, in which language, the
// narrative, and the passages that findings cite.
type Testimony struct {
	ID           string      `json:"id"`
	PersonID     string      `json:"person_id,omitempty"` // who gave it
	SourceID     string      `json:"source_id,omitempty"` // the source it is recorded in
	Interviewer  string      `json:"interviewer,omitempty"`
	Date         PartialDate `json:"date,omitempty"`
	Place        string      `json:"place,omitempty"`
	Language     string      `json:"language,omitempty"`
	Narrative    Text        `json:"narrative"`
	Passages     []Passage   `json:"passages,omitempty"`
	Confidential bool        `json:"confidential,omitempty"`
	CreatedBy    string      `json:"created_by,omitempty"`
	CreatedAt    time.Time   `json:"created_at"`
	UpdatedAt    time.Time   `json:"updated_at"`
}

// Passage is a citable span of a testimony's narrative, in bytes of the original text.
type Passage struct {
	ID    string `json:"id"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	Note  string `json:"note,omitempty"`
}

// Text returns the passage's text within narrative, or "" when the span does not fit.
func (p Passage) Text(narrative string) string {
	if p.Start < 0 || p.End > len(narrative) || p.Start >= p.End {
		return ""
	}
	return narrative[p.Start:p.End]
}

// Validate checks the narrative and that every passage lies within it. EINVALID.
func (t *Testimony) Validate() error {
	if t.Narrative.Body == "" {
		return Errorf(EINVALID, "", "testimony: narrative is required")
	}
	if err := t.Date.Validate("testimony date"); err != nil {
		return err
	}
	seen := map[string]bool{}
	for i, p := range t.Passages {
		if p.ID == "" {
			return Errorf(EINVALID, "", "testimony: passage %d has no id", i+1)
		}
		if seen[p.ID] {
			return Errorf(EINVALID, "", "testimony: passage id %q is used twice", p.ID)
		}
		seen[p.ID] = true
		if p.Text(t.Narrative.Body) == "" {
			return Errorf(EINVALID, "", "testimony: passage %q (%d–%d) lies outside the narrative", p.ID, p.Start, p.End)
		}
	}
	return nil
}

// TestimonyFilter selects testimonies.
type TestimonyFilter struct {
	ID            *string
	PersonID      *string
	Offset, Limit int
}

// TestimonyUpdate changes the fields that are set.
type TestimonyUpdate struct {
	Narrative    *Text
	Passages     *[]Passage
	Interviewer  *string
	Confidential *bool
}

// TestimonyService keeps testimonies.
type TestimonyService interface {
	FindTestimonyByID(ctx context.Context, id string) (*Testimony, error)
	FindTestimonies(ctx context.Context, f TestimonyFilter) ([]*Testimony, int, error)
	CreateTestimony(ctx context.Context, t *Testimony) error
	UpdateTestimony(ctx context.Context, id string, u TestimonyUpdate) (*Testimony, error)
	DeleteTestimony(ctx context.Context, id string) error
}
