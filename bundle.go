package casefile

import (
	"context"
	"time"
)

// BundleFormat and BundleVersion identify Casefile's JSON bundle (docs/bundle.schema.json).
// A reader refuses a bundle of a later major version.
const (
	BundleFormat  = "casefile-bundle"
	BundleVersion = 1
)

// Bundle is every record of a store, or of a selection, in one document: what export writes and
// import reads. Records are sorted by ID so that the same store always gives the same bundle.
type Bundle struct {
	Format        string          `json:"format"`
	Version       int             `json:"version"`
	ExportedAt    time.Time       `json:"exported_at"`
	Instance      string          `json:"instance,omitempty"`
	Persons       []*Person       `json:"persons"`
	Consents      []*Consent      `json:"consents"`
	Sources       []*Source       `json:"sources"`
	Evidence      []*EvidenceItem `json:"evidence"`
	Testimonies   []*Testimony    `json:"testimonies"`
	Events        []*Event        `json:"events"`
	Acts          []*Act          `json:"acts"`
	Information   []*Information  `json:"information"`
	Interventions []*Intervention `json:"interventions"`
	Indicators    []*Indicator    `json:"indicators"`
	Assessments   []*Assessment   `json:"assessments"`
}

// BundleService moves whole bundles in and out of a store.
type BundleService interface {
	// ImportBundle writes every record of b in one transaction: all or nothing. A record whose ID
	// exists already is ECONFLICT; a dangling reference is EINVALID naming the record and field.
	ImportBundle(ctx context.Context, b *Bundle) error
	// ExportBundle reads every record in one consistent snapshot.
	ExportBundle(ctx context.Context) (*Bundle, error)
}

// Store is every service of one Casefile store. The sqldb package implements it for SQLite and
// PostgreSQL.
type Store interface {
	PersonService
	ConsentService
	SourceService
	EvidenceService
	TestimonyService
	EventService
	ActService
	InformationService
	InterventionService
	IndicatorService
	AssessmentService
	SearchService
	BundleService
	Close() error
}
