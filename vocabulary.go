package casefile

// Every vocabulary has these two codes, so that a documenter is never forced to guess.
const (
	CodeOther   = "other"
	CodeUnknown = "unknown"
)

// Vocabulary is a controlled, hierarchical, multilingual list of terms with stable codes.
type Vocabulary struct {
	Name  string `json:"name"`
	Terms []Term `json:"terms"`
}

// Term is one entry of a vocabulary. Codes never change; labels may.
type Term struct {
	Code   string            `json:"code"`
	Parent string            `json:"parent,omitempty"`
	Labels map[string]string `json:"labels"` // lang → label: en, ru
}

// Label returns the term's label in lang, falling back to English and then the code.
func (t Term) Label(lang string) string {
	if l := t.Labels[lang]; l != "" {
		return l
	}
	if l := t.Labels["en"]; l != "" {
		return l
	}
	return t.Code
}

// Lookup returns the term with the given code.
func (v *Vocabulary) Lookup(code string) (Term, bool) {
	for _, t := range v.Terms {
		if t.Code == code {
			return t, true
		}
	}
	return Term{}, false
}

// Vocabularies maps a vocabulary's name to it.
type Vocabularies map[string]*Vocabulary

// Label returns the label of code in vocabulary name, or the code itself when it is not found.
func (vs Vocabularies) Label(name, code, lang string) string {
	if v := vs[name]; v != nil {
		if t, ok := v.Lookup(code); ok {
			return t.Label(lang)
		}
	}
	return code
}

// Check returns EINVALID naming field when code is not in vocabulary name.
func (vs Vocabularies) Check(name, code, field string) error {
	if code == "" {
		return nil
	}
	v := vs[name]
	if v == nil {
		return Errorf(EINVALID, "", "%s: no vocabulary %q", field, name)
	}
	if _, ok := v.Lookup(code); !ok {
		return Errorf(EINVALID, "", "%s: %s is not a code of vocabulary %q", field, QuoteValue(code), name)
	}
	return nil
}
