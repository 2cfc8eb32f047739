package casefile

import (
	"context"
	"time"
)

// Assessment statuses.
const (
	AssessmentDraft    = "draft"
	AssessmentReviewed = "reviewed"
)

// Evidence strengths of an answer, weakest first (framework reference §0.2).
const (
	StrengthAlleged             = "alleged"
	StrengthCorroborated        = "corroborated"
	StrengthMedicallyConsistent = "medically_consistent"
	StrengthEstablished         = "established"
)

// Assessment is one act (or event, for a situation) assessed against one legal framework: an answer
// per element, each with its justification and the passages and sources that support it, and the
// outcomes the engine computed from them. Assessments are never overwritten: a change is a new
// version of the same (subject, framework) pair, and the history stays.
type Assessment struct {
	ID          string            `json:"id"`
	ActID       string            `json:"act_id,omitempty"`
	EventID     string            `json:"event_id,omitempty"`
	Framework   string            `json:"framework"`    // pack name: cat, icescr12, echr3, iccpr7
	PackVersion string            `json:"pack_version"` // the version of the pack that computed Outcomes
	Version     int               `json:"version"`      // 1, 2, … per (subject, framework)
	Answers     map[string]Answer `json:"answers"`
	Outcomes    []Outcome         `json:"outcomes"`
	Missing     []string          `json:"missing,omitempty"` // elements that would decide what is undetermined
	Status      string            `json:"status"`
	Reviewer    string            `json:"reviewer,omitempty"`
	ReviewedAt  *time.Time        `json:"reviewed_at,omitempty"`
	Note        string            `json:"note,omitempty"`
	CreatedBy   string            `json:"created_by,omitempty"`
	CreatedAt   time.Time         `json:"created_at"`
}

// Answer is the answer to one element: one code, or several for a multi-select element.
type Answer struct {
	Codes         []string     `json:"codes"`
	Details       string       `json:"details,omitempty"`  // free text; never read by a rule
	Strength      string       `json:"strength,omitempty"` // evidence strength
	Justification string       `json:"justification,omitempty"`
	Passages      []PassageRef `json:"passages,omitempty"`
	SourceIDs     []string     `json:"source_ids,omitempty"`
}

// PassageRef cites one passage of one testimony.
type PassageRef struct {
	TestimonyID string `json:"testimony_id"`
	PassageID   string `json:"passage_id"`
}

// Outcome is one finding the engine reached, with the chain of reasons that led to it.
type Outcome struct {
	Code             string              `json:"code"` // torture, cidt, cat2_failure, …, insufficient_information
	Framework        string              `json:"framework"`
	Limb             string              `json:"limb"`
	Rules            []string            `json:"rules,omitempty"`
	Article          string              `json:"article,omitempty"` // e.g. "CAT Art. 16"
	ReasonChain      []Reason            `json:"reason_chain"`
	EvidenceLabel    string              `json:"evidence_label,omitempty"`
	Contested        bool                `json:"contested"`
	ContestedReasons []string            `json:"contested_reasons,omitempty"`
	Warnings         []string            `json:"warnings,omitempty"`
	Tags             map[string][]string `json:"tags,omitempty"` // e.g. aaaq: [availability, quality]
	OpenQuestions    []string            `json:"open_questions,omitempty"`
	Candidates       []Candidate         `json:"candidates,omitempty"`
	Sources          []string            `json:"sources,omitempty"` // article and paragraph authorities
}

// Reason is one link of a reason chain: an element's answer, or the rule it satisfied.
type Reason struct {
	Element  string `json:"element,omitempty"`
	Answer   string `json:"answer,omitempty"`
	Rule     string `json:"rule,omitempty"`
	Source   string `json:"source,omitempty"`
	Strength string `json:"strength,omitempty"`
	Text     string `json:"text,omitempty"`
}

// Candidate is an outcome that waits only on the listed elements.
type Candidate struct {
	Code    string   `json:"code"`
	Rule    string   `json:"rule"`
	Missing []string `json:"missing"`
}

// AssessmentFilter selects assessments.
type AssessmentFilter struct {
	ID            *string
	ActID         *string
	EventID       *string
	Framework     *string
	Status        *string
	LatestOnly    bool // only the newest version of each (subject, framework)
	Offset, Limit int
}

// AssessmentService keeps assessments and their versions.
type AssessmentService interface {
	FindAssessmentByID(ctx context.Context, id string) (*Assessment, error)
	FindAssessments(ctx context.Context, f AssessmentFilter) ([]*Assessment, int, error)
	// CreateAssessment stores a as the next version for its subject and framework (setting ID,
	// Version, Status draft and CreatedAt). ENOTFOUND for an unknown act or event.
	CreateAssessment(ctx context.Context, a *Assessment) error
	// ReviewAssessment marks a version reviewed by reviewer. ENOTFOUND; ECONFLICT if a newer
	// version exists or it is already reviewed.
	ReviewAssessment(ctx context.Context, id, reviewer, note string) (*Assessment, error)
}
