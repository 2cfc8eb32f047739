package casefile

import (
	"crypto/rand"
	"encoding/base32"
	"strings"
	"time"
)

// Text is a text that may reach a report (a narrative, a passage, a description, a quotation). It
// keeps its original language and may carry translations, each with its translator and date.
type Text struct {
	Lang         string        `json:"lang,omitempty"`
	Body         string        `json:"body"`
	Translations []Translation `json:"translations,omitempty"`
}

// Translation is one translation of a Text.
type Translation struct {
	Lang       string `json:"lang"`
	Body       string `json:"body"`
	Translator string `json:"translator,omitempty"`
	Date       string `json:"date,omitempty"` // YYYY-MM-DD
}

// In returns the text in lang: the original if it is in lang, else a translation, else the
// original. ok reports whether the text was found in lang.
func (t Text) In(lang string) (body string, ok bool) {
	if t.Lang == lang || lang == "" {
		return t.Body, true
	}
	for _, tr := range t.Translations {
		if tr.Lang == lang {
			return tr.Body, true
		}
	}
	return t.Body, false
}

// All returns the original and every translation, for indexing.
func (t Text) All() []string {
	out := []string{t.Body}
	for _, tr := range t.Translations {
		out = append(out, tr.Body)
	}
	return out
}

// IsZero reports whether the text is empty.
func (t Text) IsZero() bool { return t.Body == "" && len(t.Translations) == 0 }

// Date precisions, as in the HURIDOCS formats.
const (
	PrecisionExact    = "exact"
	PrecisionMonth    = "month"
	PrecisionYear     = "year"
	PrecisionEstimate = "estimate"
	PrecisionRange    = "range"
	PrecisionUnknown  = "unknown"
)

// PartialDate is a date as precise as the source allows: "2010-07-15" exact, "2010-07" month,
// "2010" year, an estimate around Start, or a range Start..End. Start and End are written as
// YYYY, YYYY-MM or YYYY-MM-DD.
type PartialDate struct {
	Precision string `json:"precision,omitempty"`
	Start     string `json:"start,omitempty"`
	End       string `json:"end,omitempty"`
}

// Validate checks the precision and the form of Start and End. It returns EINVALID naming field.
func (d PartialDate) Validate(field string) error {
	if d.Precision == "" && d.Start == "" && d.End == "" {
		return nil
	}
	switch d.Precision {
	case PrecisionExact, PrecisionMonth, PrecisionYear, PrecisionEstimate, PrecisionRange, PrecisionUnknown:
	default:
		return Errorf(EINVALID, "", "%s: precision %s is not one of exact, month, year, estimate, range, unknown", field, QuoteValue(d.Precision))
	}
	if d.Precision == PrecisionUnknown {
		return nil
	}
	if !validDatePart(d.Start) {
		return Errorf(EINVALID, "", "%s: start %s is not YYYY, YYYY-MM or YYYY-MM-DD", field, QuoteValue(d.Start))
	}
	want := map[string]int{PrecisionExact: 10, PrecisionMonth: 7, PrecisionYear: 4}
	if n, ok := want[d.Precision]; ok && len(d.Start) != n {
		return Errorf(EINVALID, "", "%s: start %s does not match precision %s", field, QuoteValue(d.Start), d.Precision)
	}
	if d.Precision == PrecisionRange {
		if !validDatePart(d.End) {
			return Errorf(EINVALID, "", "%s: end %s is not YYYY, YYYY-MM or YYYY-MM-DD", field, QuoteValue(d.End))
		}
		if d.End < d.Start {
			return Errorf(EINVALID, "", "%s: range ends (%s) before it starts (%s)", field, d.End, d.Start)
		}
	} else if d.End != "" {
		return Errorf(EINVALID, "", "%s: end is only for a range", field)
	}
	return nil
}

// InferPrecision returns d with its precision taken from the form of Start (YYYY year, YYYY-MM
// month, YYYY-MM-DD exact) when none was given. A start of any other form is left for Validate
// to refuse.
func (d PartialDate) InferPrecision() PartialDate {
	if d.Precision == "" && d.Start != "" {
		switch len(d.Start) {
		case 4:
			d.Precision = PrecisionYear
		case 7:
			d.Precision = PrecisionMonth
		case 10:
			d.Precision = PrecisionExact
		}
	}
	return d
}

// Year returns the first year the date falls in, 0 if unknown.
func (d PartialDate) Year() int {
	if len(d.Start) < 4 {
		return 0
	}
	y := 0
	for _, c := range d.Start[:4] {
		if c < '0' || c > '9' {
			return 0
		}
		y = y*10 + int(c-'0')
	}
	return y
}

// String renders the date for people: "2010-07-15", "2010-07", "c. 2010", "2009–2011".
func (d PartialDate) String() string {
	switch d.Precision {
	case PrecisionEstimate:
		return "c. " + d.Start
	case PrecisionRange:
		return d.Start + "–" + d.End
	case PrecisionUnknown, "":
		if d.Start == "" {
			return "date unknown"
		}
	}
	return d.Start
}

func validDatePart(s string) bool {
	for _, layout := range []string{"2006", "2006-01", "2006-01-02"} {
		if len(s) == len(layout) {
			if _, err := time.Parse(layout, s); err == nil {
				return true
			}
		}
	}
	return false
}

var idEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// NewID returns a new random identifier with the given prefix, e.g. "act_4f9c2k…". Identifiers are
// random rather than sequential so that records from several instances merge without clashes, and
// so that an identifier reveals nothing about how many records exist.
func NewID(prefix string) string {
	var b [10]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return prefix + "_" + idEncoding.EncodeToString(b[:])
}

// ValidID reports whether s is usable as an identifier: 1–64 characters of [a-z0-9_-].
func ValidID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	return strings.Trim(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") == ""
}
