// Package report turns a store's records into documents for treaty bodies and lawyers: shadow
// reports organised article by article (CAT, CESCR) and case files about one victim or act, in
// Markdown, HTML and PDF, in English or Russian. It reads through the root package's services
// only, so it works the same on every storage backend.
package report

import (
	"context"

	"github.com/casefile/casefile"
)

// Store is what the report package reads. *sqldb.DB implements it, as does any casefile.Store.
type Store interface {
	FindPersonByID(ctx context.Context, id string) (*casefile.Person, error)
	FindPersons(ctx context.Context, f casefile.PersonFilter) ([]*casefile.Person, int, error)
	FindConsents(ctx context.Context) ([]*casefile.Consent, error)
	FindSources(ctx context.Context, f casefile.SourceFilter) ([]*casefile.Source, int, error)
	FindEvidence(ctx context.Context, f casefile.EvidenceFilter) ([]*casefile.EvidenceItem, int, error)
	FindTestimonies(ctx context.Context, f casefile.TestimonyFilter) ([]*casefile.Testimony, int, error)
	FindEventByID(ctx context.Context, id string) (*casefile.Event, error)
	FindEvents(ctx context.Context, f casefile.EventFilter) ([]*casefile.Event, int, error)
	FindActByID(ctx context.Context, id string) (*casefile.Act, error)
	FindActs(ctx context.Context, f casefile.ActFilter) ([]*casefile.Act, int, error)
	FindInformation(ctx context.Context, f casefile.InformationFilter) ([]*casefile.Information, error)
	FindInterventions(ctx context.Context, actID, eventID string) ([]*casefile.Intervention, error)
	FindIndicators(ctx context.Context, f casefile.IndicatorFilter) ([]*casefile.Indicator, int, error)
	FindAssessments(ctx context.Context, f casefile.AssessmentFilter) ([]*casefile.Assessment, int, error)
}

// AuditReader is the part of the audit ledger a case file reads. A store that does not keep one
// gives case files without an audit trail.
type AuditReader interface {
	FindAuditEntries(ctx context.Context, f casefile.AuditFilter) ([]*casefile.AuditEntry, int, error)
}

var _ Store = casefile.Store(nil)
var _ AuditReader = casefile.AuditService(nil)
