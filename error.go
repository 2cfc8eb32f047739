// Package casefile holds Casefile's domain: the records a documenter keeps (people, sources,
// testimonies, events, acts, involvements, assessments, indicators), the service interfaces the
// storage and the other packages implement, and the error type they all return. It imports only
// the standard library; everything else points at it.
package casefile

import (
	"errors"
	"fmt"
)

// Error kinds. They say what went wrong in terms a caller can act on; the HTTP layer maps them to
// status codes in one place and the CLI maps them to exit codes.
const (
	EINVALID      = "invalid"       // the input is wrong; Message says what and where
	ENOTFOUND     = "not_found"     // the record does not exist (or is not visible to the caller)
	ECONFLICT     = "conflict"      // the write clashes with what is stored (duplicate, reference in use)
	EUNAUTHORIZED = "unauthorized"  // the caller is not known
	EFORBIDDEN    = "forbidden"     // the caller may not do this
	EINTERNAL     = "internal"      // a fault the user cannot fix; details only in the log
	ELOCKED       = "locked"        // the store cannot be opened with the key given
	ESCHEMA       = "schema"        // the store's schema is not one this binary knows
	ENOTIMPL      = "not_available" // the operation is not available on this backend or build
)

// Error is the error every Casefile package returns. Message is safe to show to the user: it never
// holds identities or narrative text. Err is the underlying cause and reaches only the log.
type Error struct {
	Kind    string
	Op      string
	Message string
	Err     error
}

// Error renders the kind, operation and message, and the cause if any, for the log.
func (e *Error) Error() string {
	s := e.Op
	if s != "" {
		s += ": "
	}
	if e.Message != "" {
		s += e.Message
	} else {
		s += e.Kind
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error of the given kind whose Message is formatted from format and args.
func Errorf(kind, op, format string, args ...any) *Error {
	return &Error{Kind: kind, Op: op, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an *Error of kind EINTERNAL (unless err already is an *Error, which is returned
// with op added) so that driver messages never reach a user.
func Wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Kind: EINTERNAL, Op: op, Message: "internal error", Err: err}
}

// ErrorKind returns the kind of err, EINTERNAL for errors that are not *Error, "" for nil.
func ErrorKind(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return EINTERNAL
}

// ErrorMessage returns the message of err that is safe to show to a user.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return "internal error"
}

// QuoteValue quotes a value for an error message when it looks like a code, a number or a date:
// what a user needs to see to correct it. Anything else may be a name or a phrase typed into the
// wrong field, or a CSV column shifted by a comma in a descriptor, and error messages never show
// record contents: it is described instead ("the value given").
func QuoteValue(v string) string {
	if v == "" {
		return `""`
	}
	if len(v) > 40 {
		return "the value given"
	}
	code, date, digit := true, true, false
	for _, r := range v {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '.' || r == ':' || r == '+' || r == '-' || r == '/':
			date = date && (r < 'a' || r > 'z')
			digit = digit || r >= '0' && r <= '9'
		case r == 'T' || r == 'Z':
			code = false
		default:
			return "the value given"
		}
	}
	if !code && !(date && digit) {
		return "the value given"
	}
	return `"` + v + `"`
}
