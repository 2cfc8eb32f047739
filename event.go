package casefile

import (
	"context"
	"time"
)

// Event is what happened: when (with precision), where (region, city, setting) and in which domain.
type Event struct {
	ID           string      `json:"id"`
	Title        string      `json:"title"`
	Description  Text        `json:"description,omitempty"`
	Date         PartialDate `json:"date,omitempty"`
	Country      string      `json:"country,omitempty"` // ISO 3166-1 alpha-2
	Region       string      `json:"region,omitempty"`
	City         string      `json:"city,omitempty"`
	Setting      string      `json:"setting,omitempty"` // vocabulary "setting"
	Domain       string      `json:"domain,omitempty"`  // vocabulary "domain"
	Confidential bool        `json:"confidential,omitempty"`
	CreatedBy    string      `json:"created_by,omitempty"`
	CreatedAt    time.Time   `json:"created_at"`
	UpdatedAt    time.Time   `json:"updated_at"`
}

// Validate checks the title and date. EINVALID.
func (e *Event) Validate() error {
	if e.Title == "" {
		return Errorf(EINVALID, "", "event: title is required")
	}
	return e.Date.Validate("event date")
}

// EventFilter selects events.
type EventFilter struct {
	ID            *string
	Domain        *string
	Setting       *string
	Region        *string
	Year          *int
	Offset, Limit int
}

// EventUpdate changes the fields that are set.
type EventUpdate struct {
	Title        *string
	Description  *Text
	Date         *PartialDate
	Region       *string
	City         *string
	Setting      *string
	Domain       *string
	Confidential *bool
}

// EventService keeps events.
type EventService interface {
	FindEventByID(ctx context.Context, id string) (*Event, error)
	FindEvents(ctx context.Context, f EventFilter) ([]*Event, int, error)
	CreateEvent(ctx context.Context, e *Event) error
	UpdateEvent(ctx context.Context, id string, u EventUpdate) (*Event, error)
	// DeleteEvent deletes the event with its acts and their involvements. ENOTFOUND.
	DeleteEvent(ctx context.Context, id string) error
}

// Act is one violation against one victim within an event. Place and date default to the event's.
type Act struct {
	ID           string        `json:"id"`
	EventID      string        `json:"event_id"`
	VictimID     string        `json:"victim_id"`
	Type         string        `json:"type"` // vocabulary "act_type"
	Method       string        `json:"method,omitempty"`
	Consequences []string      `json:"consequences,omitempty"` // vocabulary "consequence"
	Description  Text          `json:"description,omitempty"`
	Date         PartialDate   `json:"date,omitempty"`
	Region       string        `json:"region,omitempty"`
	City         string        `json:"city,omitempty"`
	Setting      string        `json:"setting,omitempty"`
	Involvements []Involvement `json:"involvements,omitempty"`
	Confidential bool          `json:"confidential,omitempty"`
	CreatedBy    string        `json:"created_by,omitempty"`
	CreatedAt    time.Time     `json:"created_at"`
	UpdatedAt    time.Time     `json:"updated_at"`
}

// Involvement is one perpetrator's part in an act: who (a person record, or only a type when the
// individual is unknown), what kind of perpetrator, and to what degree.
type Involvement struct {
	ID              string `json:"id"`
	ActID           string `json:"act_id,omitempty"`
	PerpetratorID   string `json:"perpetrator_id,omitempty"`
	PerpetratorType string `json:"perpetrator_type"` // vocabulary "perpetrator_type"
	Degree          string `json:"degree"`           // vocabulary "degree"
	Description     string `json:"description,omitempty"`
}

// Validate checks what an act must have. EINVALID.
func (a *Act) Validate() error {
	if a.EventID == "" {
		return Errorf(EINVALID, "", "act: event_id is required")
	}
	if a.VictimID == "" {
		return Errorf(EINVALID, "", "act: victim_id is required (one act, one victim)")
	}
	if a.Type == "" {
		return Errorf(EINVALID, "", "act: type is required")
	}
	if err := a.Date.Validate("act date"); err != nil {
		return err
	}
	for i, inv := range a.Involvements {
		if inv.PerpetratorType == "" {
			return Errorf(EINVALID, "", "act: involvement %d: perpetrator_type is required", i+1)
		}
		if inv.Degree == "" {
			return Errorf(EINVALID, "", "act: involvement %d: degree is required", i+1)
		}
	}
	return nil
}

// ActFilter selects acts.
type ActFilter struct {
	ID              *string
	EventID         *string
	VictimID        *string
	Type            *string
	Domain          *string // of the act's event
	Setting         *string // the act's own, else the event's
	Region          *string
	PerpetratorType *string
	Year            *int
	Offset, Limit   int
}

// ActUpdate changes the fields that are set.
type ActUpdate struct {
	Type         *string
	Method       *string
	Consequences *[]string
	Description  *Text
	Date         *PartialDate
	Setting      *string
	Involvements *[]Involvement
	Confidential *bool
}

// ActService keeps acts with their involvements.
type ActService interface {
	FindActByID(ctx context.Context, id string) (*Act, error)
	FindActs(ctx context.Context, f ActFilter) ([]*Act, int, error)
	// CreateAct returns ENOTFOUND when the event or victim does not exist.
	CreateAct(ctx context.Context, a *Act) error
	UpdateAct(ctx context.Context, id string, u ActUpdate) (*Act, error)
	DeleteAct(ctx context.Context, id string) error
}

// Information links a source to an event or act: what the source says about it, the source's
// connection to it (victim, witness, relative, lawyer, media) and how reliable it is for this.
type Information struct {
	ID          string    `json:"id"`
	SourceID    string    `json:"source_id"`
	EventID     string    `json:"event_id,omitempty"`
	ActID       string    `json:"act_id,omitempty"`
	TestimonyID string    `json:"testimony_id,omitempty"`
	Connection  string    `json:"connection,omitempty"`  // vocabulary "connection"
	Reliability string    `json:"reliability,omitempty"` // vocabulary "reliability"
	Locator     string    `json:"locator,omitempty"`     // page, paragraph, footnote
	Notes       string    `json:"notes,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
}

// InformationFilter selects information links.
type InformationFilter struct {
	SourceID *string
	EventID  *string
	ActID    *string
}

// InformationService keeps information links.
type InformationService interface {
	FindInformation(ctx context.Context, f InformationFilter) ([]*Information, error)
	// CreateInformation returns EINVALID unless an event or act is named, ENOTFOUND for unknown ones.
	CreateInformation(ctx context.Context, i *Information) error
	DeleteInformation(ctx context.Context, id string) error
}

// Intervention is what was done about an act or event: a complaint, a UN communication, a court
// case, and its outcome.
type Intervention struct {
	ID          string      `json:"id"`
	EventID     string      `json:"event_id,omitempty"`
	ActID       string      `json:"act_id,omitempty"`
	Kind        string      `json:"kind"` // vocabulary "intervention_kind"
	Date        PartialDate `json:"date,omitempty"`
	By          string      `json:"by,omitempty"`
	Body        string      `json:"body,omitempty"` // the court, committee or office addressed
	Outcome     string      `json:"outcome,omitempty"`
	Description Text        `json:"description,omitempty"`
	CreatedAt   time.Time   `json:"created_at"`
}

// InterventionService keeps interventions.
type InterventionService interface {
	FindInterventions(ctx context.Context, actID, eventID string) ([]*Intervention, error)
	CreateIntervention(ctx context.Context, i *Intervention) error
	DeleteIntervention(ctx context.Context, id string) error
}
