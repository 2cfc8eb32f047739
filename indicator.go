package casefile

import (
	"context"
	"time"
)

// Indicator is a sourced figure ("drug crimes registered, Russia, 2010: 222,600"). A derived
// indicator is computed from others by Formula, written over their IDs, and shows it.
type Indicator struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	NameRU    string    `json:"name_ru,omitempty"`
	Value     float64   `json:"value"`
	Qualifier string    `json:"qualifier,omitempty"` // "", ">", "<", "≈", "≥", "≤"
	Unit      string    `json:"unit,omitempty"`      // people, beds, percent, crimes, …
	Year      string    `json:"year,omitempty"`      // "2010", or a span "2005–2011"
	Geography string    `json:"geography,omitempty"` // "RU", "RU-VGG"
	Domain    string    `json:"domain,omitempty"`
	SourceID  string    `json:"source_id"`
	Locator   string    `json:"locator,omitempty"` // page, paragraph, footnote
	Note      string    `json:"note,omitempty"`
	Formula   string    `json:"formula,omitempty"` // e.g. "ind_beds / ind_registered * 1000"
	Inputs    []string  `json:"inputs,omitempty"`  // indicator IDs used by Formula
	CreatedAt time.Time `json:"created_at"`
}

// Validate refuses a figure without a source. EINVALID.
func (i *Indicator) Validate() error {
	if i.Name == "" {
		return Errorf(EINVALID, "", "indicator: name is required")
	}
	if i.SourceID == "" && i.Formula == "" {
		return Errorf(EINVALID, "", "indicator %q: a figure needs a source (source_id)", i.Name)
	}
	if i.Formula != "" && len(i.Inputs) == 0 {
		return Errorf(EINVALID, "", "indicator %q: a derived indicator lists its inputs", i.Name)
	}
	return nil
}

// IndicatorFilter selects indicators.
type IndicatorFilter struct {
	ID            *string
	Geography     *string
	Domain        *string
	Offset, Limit int
}

// IndicatorService keeps indicators.
type IndicatorService interface {
	FindIndicatorByID(ctx context.Context, id string) (*Indicator, error)
	FindIndicators(ctx context.Context, f IndicatorFilter) ([]*Indicator, int, error)
	// CreateIndicator returns EINVALID for a figure without a source, ENOTFOUND for an unknown one.
	CreateIndicator(ctx context.Context, i *Indicator) error
	DeleteIndicator(ctx context.Context, id string) error
}
