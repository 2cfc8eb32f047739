package casefile

import (
	"context"
	"time"
)

// Person is anyone in a record: victim, perpetrator, witness, source, intervening party. It holds
// only a pseudonymous descriptor and characteristics; real names and contacts live in the identity
// vault, never here.
type Person struct {
	ID              string    `json:"id"`
	Descriptor      string    `json:"descriptor"`                // "Male drug user, 29, Volgograd"
	Sex             string    `json:"sex,omitempty"`             // vocabulary "sex"
	Age             *int      `json:"age,omitempty"`             // age at the time of the events
	BirthYear       *int      `json:"birth_year,omitempty"`      // when known, for linkage
	Region          string    `json:"region,omitempty"`          // e.g. "Volgograd Oblast"
	City            string    `json:"city,omitempty"`            // e.g. "Volgograd"
	Characteristics []string  `json:"characteristics,omitempty"` // vocabulary "characteristic"
	CountingUnit    string    `json:"counting_unit,omitempty"`   // vocabulary "counting_unit"
	GroupSize       *int      `json:"group_size,omitempty"`      // for a family or group
	Deceased        bool      `json:"deceased,omitempty"`
	Notes           string    `json:"notes,omitempty"`
	Confidential    bool      `json:"confidential,omitempty"`
	CreatedBy       string    `json:"created_by,omitempty"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
}

// Validate checks the fields a person must have. It returns EINVALID naming the field.
func (p *Person) Validate() error {
	if p.Descriptor == "" {
		return Errorf(EINVALID, "", "person: descriptor is required")
	}
	if p.Age != nil && (*p.Age < 0 || *p.Age > 130) {
		return Errorf(EINVALID, "", "person: age must be 0 to 130")
	}
	if p.GroupSize != nil && *p.GroupSize < 1 {
		return Errorf(EINVALID, "", "person: group_size must be at least 1")
	}
	return nil
}

// PersonFilter selects people. Nil fields are not filtered on.
type PersonFilter struct {
	ID             *string
	Region         *string
	Characteristic *string
	Offset, Limit  int
}

// PersonUpdate changes the fields that are set.
type PersonUpdate struct {
	Descriptor      *string
	Sex             *string
	Age             *int
	Region          *string
	City            *string
	Characteristics *[]string
	Notes           *string
	Confidential    *bool
}

// PersonService keeps people.
type PersonService interface {
	// FindPersonByID returns ENOTFOUND if there is no such person.
	FindPersonByID(ctx context.Context, id string) (*Person, error)
	// FindPersons returns the matching people and the total before Offset/Limit.
	FindPersons(ctx context.Context, f PersonFilter) ([]*Person, int, error)
	// CreatePerson sets ID (when empty) and the times. EINVALID, ECONFLICT.
	CreatePerson(ctx context.Context, p *Person) error
	// UpdatePerson returns ENOTFOUND, EINVALID.
	UpdatePerson(ctx context.Context, id string, u PersonUpdate) (*Person, error)
	// DeletePerson returns ENOTFOUND, or ECONFLICT while acts or testimonies refer to the person.
	DeletePerson(ctx context.Context, id string) error
}

// Consent scopes, from the narrowest to the widest use.
const (
	ConsentInternal   = "internal"          // only inside the organisation
	ConsentAnonymised = "anonymised"        // anonymised advocacy
	ConsentUN         = "un_submission"     // anonymised submission to UN bodies
	ConsentNamed      = "named_publication" // publication with the descriptor and details
)

// ConsentRank orders scopes so that a use is allowed when the consent's rank reaches the use's.
var ConsentRank = map[string]int{ConsentInternal: 0, ConsentAnonymised: 1, ConsentUN: 2, ConsentNamed: 3}

// Consent is what a person agreed to, when, and whether it was withdrawn.
type Consent struct {
	ID          string     `json:"id"`
	PersonID    string     `json:"person_id"`
	Scope       string     `json:"scope"`
	GivenAt     string     `json:"given_at,omitempty"` // YYYY-MM-DD
	HowObtained string     `json:"how_obtained,omitempty"`
	WithdrawnAt *time.Time `json:"withdrawn_at,omitempty"`
	Notes       string     `json:"notes,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
}

// Allows reports whether the consent permits a use of the given scope at time t.
func (c *Consent) Allows(use string, t time.Time) bool {
	if c == nil {
		return false
	}
	if c.WithdrawnAt != nil && !t.Before(*c.WithdrawnAt) {
		return false
	}
	r, ok := ConsentRank[c.Scope]
	return ok && r >= ConsentRank[use]
}

// Validate checks the scope. It returns EINVALID.
func (c *Consent) Validate() error {
	if c.PersonID == "" {
		return Errorf(EINVALID, "", "consent: person_id is required")
	}
	if _, ok := ConsentRank[c.Scope]; !ok {
		return Errorf(EINVALID, "", "consent: scope %s is not one of internal, anonymised, un_submission, named_publication", QuoteValue(c.Scope))
	}
	return nil
}

// ConsentService keeps consents. A person's effective consent is the latest one recorded.
type ConsentService interface {
	// FindConsent returns the person's latest consent, ENOTFOUND if none was recorded.
	FindConsent(ctx context.Context, personID string) (*Consent, error)
	// FindConsents returns every consent, latest first per person.
	FindConsents(ctx context.Context) ([]*Consent, error)
	// CreateConsent records a consent. EINVALID, ENOTFOUND for an unknown person.
	CreateConsent(ctx context.Context, c *Consent) error
	// WithdrawConsent marks the person's consent withdrawn at the given time. ENOTFOUND.
	WithdrawConsent(ctx context.Context, personID string, at time.Time) error
}
