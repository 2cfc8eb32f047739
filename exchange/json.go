// Package exchange reads and writes Casefile's interchange formats: the JSON bundle (see
// docs/bundle.schema.json) and CSV files of persons, events and acts. Readers report errors with
// the file, line and field, and never write anything themselves: the store imports what they
// return in one transaction.
package exchange

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/casefile/casefile"
)

// MaxBundleSize bounds what ReadBundle accepts, so that a hostile file cannot exhaust memory.
const MaxBundleSize = 2 << 30

// ReadBundle decodes a JSON bundle. name is the file name used in errors. Unknown fields are
// errors (a misspelt field must not be dropped silently), as are a wrong format or version.
func ReadBundle(r io.Reader, name string) (*casefile.Bundle, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBundleSize+1))
	if err != nil {
		return nil, casefile.Errorf(casefile.EINVALID, "exchange.ReadBundle", "%s: cannot read: %v", name, err)
	}
	if len(data) > MaxBundleSize {
		return nil, casefile.Errorf(casefile.EINVALID, "exchange.ReadBundle", "%s: larger than %d bytes", name, MaxBundleSize)
	}
	var b casefile.Bundle
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return nil, jsonError(name, data, err)
	}
	if dec.More() {
		off := dec.InputOffset()
		return nil, casefile.Errorf(casefile.EINVALID, "exchange.ReadBundle", "%s:%d: unexpected data after the bundle", name, lineOf(data, off))
	}
	if b.Format != casefile.BundleFormat {
		return nil, casefile.Errorf(casefile.EINVALID, "exchange.ReadBundle", "%s: field format: %s is not %q", name, casefile.QuoteValue(b.Format), casefile.BundleFormat)
	}
	if b.Version < 1 || b.Version > casefile.BundleVersion {
		return nil, casefile.Errorf(casefile.EINVALID, "exchange.ReadBundle", "%s: field version: %d is not supported (1 to %d)", name, b.Version, casefile.BundleVersion)
	}
	for _, err := range []error{
		nilAt(name, "persons", b.Persons), nilAt(name, "consents", b.Consents), nilAt(name, "sources", b.Sources),
		nilAt(name, "evidence", b.Evidence), nilAt(name, "testimonies", b.Testimonies), nilAt(name, "events", b.Events),
		nilAt(name, "acts", b.Acts), nilAt(name, "information", b.Information), nilAt(name, "interventions", b.Interventions),
		nilAt(name, "indicators", b.Indicators), nilAt(name, "assessments", b.Assessments),
	} {
		if err != nil {
			return nil, err
		}
	}
	return &b, nil
}

// nilAt refuses a null in a list of records, naming its place.
func nilAt[T any](name, list string, recs []*T) error {
	for i, r := range recs {
		if r == nil {
			return casefile.Errorf(casefile.EINVALID, "exchange.ReadBundle", "%s: %s[%d] is null", name, list, i)
		}
	}
	return nil
}

// jsonError turns a decoding error into one that names the file, line and field.
func jsonError(name string, data []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return casefile.Errorf(casefile.EINVALID, "exchange.ReadBundle", "%s:%d: malformed JSON: %v", name, lineOf(data, se.Offset), se)
	case errors.As(err, &te):
		// Value is "string", "number 79991234567", …: only its kind, never the number itself.
		kind, _, _ := strings.Cut(te.Value, " ")
		return casefile.Errorf(casefile.EINVALID, "exchange.ReadBundle", "%s:%d: field %s: a %s cannot hold a %s", name, lineOf(data, te.Offset), te.Field, te.Type, kind)
	case errors.Is(err, io.EOF):
		return casefile.Errorf(casefile.EINVALID, "exchange.ReadBundle", "%s: empty file", name)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return casefile.Errorf(casefile.EINVALID, "exchange.ReadBundle", "%s:%d: the file ends inside the bundle", name, lineOf(data, int64(len(data))))
	}
	// Unknown fields carry no offset; the message names the field when it looks like one (a key
	// can be anything, a name too).
	if f, ok := strings.CutPrefix(err.Error(), `json: unknown field "`); ok {
		return casefile.Errorf(casefile.EINVALID, "exchange.ReadBundle", "%s: unknown field %s", name, casefile.QuoteValue(strings.TrimSuffix(f, `"`)))
	}
	// Other errors come from the fields' own decoders and quote the input: the cause goes to the
	// log only.
	var pe *time.ParseError
	if errors.As(err, &pe) {
		return &casefile.Error{Kind: casefile.EINVALID, Op: "exchange.ReadBundle", Message: name + ": a time is not in RFC 3339 form (2006-01-02T15:04:05Z)", Err: err}
	}
	return &casefile.Error{Kind: casefile.EINVALID, Op: "exchange.ReadBundle", Message: name + ": a field does not decode", Err: err}
}

func lineOf(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return bytes.Count(data[:off], []byte("\n")) + 1
}

// WriteBundle encodes b as indented JSON, the same bytes for the same bundle.
func WriteBundle(w io.Writer, b *casefile.Bundle) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(b); err != nil {
		return casefile.Wrap("exchange.WriteBundle", fmt.Errorf("encode: %w", err))
	}
	return nil
}
