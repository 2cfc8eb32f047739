package discourse

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/casefile/casefile"
)

// Record is one line of a JSON Lines file of articles: {"outlet", "date", "url", "title",
// "language", "text"} or "html" instead of "text". Raw is the line as read, the original to keep
// as evidence.
type Record struct {
	Outlet    string     `json:"outlet"`
	Date      string     `json:"date"`
	URL       string     `json:"url"`
	Title     string     `json:"title"`
	Language  string     `json:"language"`
	Text      string     `json:"text"`
	HTML      string     `json:"html"`
	Published *time.Time `json:"-"` // Date read, nil when empty
	Line      int        `json:"-"`
	Raw       []byte     `json:"-"`
}

// maxJSONLine bounds one line of a JSON Lines file.
const maxJSONLine = 16 << 20

// ReadJSONL calls fn for each record of a JSON Lines file, in order; blank lines are skipped. A
// line that is not a JSON object of the known fields, or whose date cannot be read, stops it
// with EINVALID naming the file, line and field. An error from fn is returned as is.
func ReadJSONL(r io.Reader, name string, fn func(*Record) error) error {
	const op = "discourse.ReadJSONL"
	br := bufio.NewReaderSize(r, 64<<10)
	line := 0
	for {
		b, err := readLine(br)
		if len(b) > 0 || err == nil {
			line++
		}
		if err != nil && err != io.EOF {
			if err == errLineTooLong {
				return casefile.Errorf(casefile.EINVALID, op, "%s:%d: line is longer than %d MiB", name, line, maxJSONLine>>20)
			}
			return casefile.Wrap(op, err)
		}
		if t := bytes.TrimSpace(b); len(t) > 0 {
			rec := &Record{Line: line, Raw: append([]byte(nil), t...)}
			dec := json.NewDecoder(bytes.NewReader(t))
			dec.DisallowUnknownFields()
			if derr := dec.Decode(rec); derr != nil {
				return casefile.Errorf(casefile.EINVALID, op, "%s:%d: %s", name, line, jsonProblem(derr))
			}
			if dec.More() {
				return casefile.Errorf(casefile.EINVALID, op, "%s:%d: more than one JSON value on the line", name, line)
			}
			if rec.Text == "" && rec.HTML == "" {
				return casefile.Errorf(casefile.EINVALID, op, "%s:%d: field text (or html) is required", name, line)
			}
			if rec.Date != "" {
				if rec.Published = parseDate(rec.Date); rec.Published == nil {
					return casefile.Errorf(casefile.EINVALID, op, "%s:%d: field date: %s is not a date (want 2006-01-02 or RFC 3339)", name, line, casefile.QuoteValue(rec.Date))
				}
			}
			if rec.Text == "" {
				rec.Text = HTMLText(rec.HTML)
			}
			if err := fn(rec); err != nil {
				return err
			}
		}
		if err == io.EOF {
			return nil
		}
	}
}

var errLineTooLong = fmt.Errorf("line too long")

func readLine(br *bufio.Reader) ([]byte, error) {
	var out []byte
	for {
		chunk, err := br.ReadSlice('\n')
		out = append(out, chunk...)
		if len(out) > maxJSONLine {
			return nil, errLineTooLong
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return out, err
	}
}

// jsonProblem says what is wrong with a line without quoting its text.
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		return fmt.Sprintf("field %s: want a %s", te.Field, te.Type)
	case errors.As(err, &se):
		return fmt.Sprintf("not valid JSON (at byte %d)", se.Offset)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ") + " (known: outlet, date, url, title, language, text, html)"
	}
	return "not a JSON object"
}
