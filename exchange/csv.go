package exchange

import (
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/casefile/casefile"
)

// CSV columns per record kind. A file's kind is told by its header: "descriptor" makes persons,
// "victim_id" acts, "title" events. Lists (characteristics, consequences, perpetrator types and
// degrees) are separated by semicolons; an act's i-th perpetrator type goes with its i-th degree.
var csvColumns = map[string][]string{
	"persons": {"id", "descriptor", "sex", "age", "birth_year", "region", "city", "characteristics", "counting_unit", "group_size", "notes", "confidential"},
	"events":  {"id", "title", "description", "description_lang", "date_precision", "date_start", "date_end", "country", "region", "city", "setting", "domain", "confidential"},
	"acts": {"id", "event_id", "victim_id", "type", "method", "consequences", "description", "description_lang", "date_precision", "date_start", "date_end",
		"region", "city", "setting", "perpetrator_types", "degrees", "confidential"},
}

// CSVKind returns the record kind a header describes, or "" when it describes none.
func CSVKind(header []string) string {
	has := map[string]bool{}
	for _, h := range header {
		has[strings.TrimSpace(strings.ToLower(h))] = true
	}
	switch {
	case has["descriptor"]:
		return "persons"
	case has["victim_id"]:
		return "acts"
	case has["title"]:
		return "events"
	}
	return ""
}

// ReadCSV reads persons, events or acts from a CSV file with a header line into a bundle. Every
// error names the file, the line and the column.
func ReadCSV(r io.Reader, name string) (*casefile.Bundle, error) {
	// A CSV file is bounded like a JSON bundle: encoding/csv keeps a whole field in memory however
	// long it is, so an unclosed quote would otherwise read the rest of any input into one field.
	lr := &limitReader{r: r, n: maxCSVBytes}
	cr := csv.NewReader(lr)
	cr.ReuseRecord = false
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, casefile.Errorf(casefile.EINVALID, "exchange.ReadCSV", "%s: empty file", name)
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	kind := CSVKind(header)
	if kind == "" {
		return nil, casefile.Errorf(casefile.EINVALID, "exchange.ReadCSV", "%s:1: the header names no known kind: persons need a descriptor column, events a title, acts a victim_id", name)
	}
	allowed := map[string]bool{}
	for _, c := range csvColumns[kind] {
		allowed[c] = true
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.ToLower(strings.TrimPrefix(h, "\ufeff")))
		if !allowed[h] {
			return nil, casefile.Errorf(casefile.EINVALID, "exchange.ReadCSV", "%s:1: column %s is not a column of %s (allowed: %s)", name, casefile.QuoteValue(h), kind, strings.Join(csvColumns[kind], ", "))
		}
		if _, dup := col[h]; dup {
			return nil, casefile.Errorf(casefile.EINVALID, "exchange.ReadCSV", "%s:1: column %s appears twice", name, casefile.QuoteValue(h))
		}
		col[h] = i
	}
	b := &casefile.Bundle{Format: casefile.BundleFormat, Version: casefile.BundleVersion}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		line, _ := cr.FieldPos(0)
		row := csvRow{name: name, line: line, rec: rec, col: col}
		switch kind {
		case "persons":
			p := &casefile.Person{ID: row.get("id"), Descriptor: row.get("descriptor"), Sex: row.get("sex"), Region: row.get("region"), City: row.get("city"),
				Characteristics: row.list("characteristics"), CountingUnit: row.get("counting_unit"), Notes: row.get("notes")}
			p.Age, p.BirthYear, p.GroupSize = row.int("age"), row.int("birth_year"), row.int("group_size")
			p.Confidential = row.bool("confidential")
			if row.err == nil && p.Descriptor == "" {
				row.fail("descriptor", "is required")
			}
			b.Persons = append(b.Persons, p)
		case "events":
			e := &casefile.Event{ID: row.get("id"), Title: row.get("title"), Country: row.get("country"), Region: row.get("region"), City: row.get("city"),
				Setting: row.get("setting"), Domain: row.get("domain"), Date: row.date()}
			if d := row.get("description"); d != "" {
				e.Description = casefile.Text{Lang: row.get("description_lang"), Body: d}
			}
			e.Confidential = row.bool("confidential")
			if row.err == nil && e.Title == "" {
				row.fail("title", "is required")
			}
			b.Events = append(b.Events, e)
		case "acts":
			a := &casefile.Act{ID: row.get("id"), EventID: row.get("event_id"), VictimID: row.get("victim_id"), Type: row.get("type"), Method: row.get("method"),
				Consequences: row.list("consequences"), Region: row.get("region"), City: row.get("city"), Setting: row.get("setting"), Date: row.date()}
			if d := row.get("description"); d != "" {
				a.Description = casefile.Text{Lang: row.get("description_lang"), Body: d}
			}
			a.Confidential = row.bool("confidential")
			types, degrees := row.list("perpetrator_types"), row.list("degrees")
			if row.err == nil && len(types) != len(degrees) {
				row.fail("degrees", "lists "+strconv.Itoa(len(degrees))+" degrees for "+strconv.Itoa(len(types))+" perpetrator types")
			}
			for i := range types {
				if i < len(degrees) {
					a.Involvements = append(a.Involvements, casefile.Involvement{PerpetratorType: types[i], Degree: degrees[i]})
				}
			}
			for _, f := range []struct{ field, v string }{{"event_id", a.EventID}, {"victim_id", a.VictimID}, {"type", a.Type}} {
				if row.err == nil && f.v == "" {
					row.fail(f.field, "is required")
				}
			}
			b.Acts = append(b.Acts, a)
		}
		if row.err != nil {
			return nil, row.err
		}
	}
	return b, nil
}

// maxCSVBytes bounds a CSV file as MaxBundleSize does a JSON bundle; tests lower it.
var maxCSVBytes int64 = MaxBundleSize

// errTooLarge is what limitReader returns past its limit.
var errTooLarge = errors.New("larger than the limit")

// limitReader is io.LimitReader that fails, rather than ends, past its limit, so that a cut-off
// file is never read as a whole one.
type limitReader struct {
	r io.Reader
	n int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		var one [1]byte
		if k, _ := l.r.Read(one[:]); k > 0 {
			return 0, errTooLarge
		}
		return l.r.Read(p)
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	k, err := l.r.Read(p)
	l.n -= int64(k)
	return k, err
}

func csvError(name string, err error) error {
	if errors.Is(err, errTooLarge) {
		return casefile.Errorf(casefile.EINVALID, "exchange.ReadCSV", "%s: larger than %d bytes", name, maxCSVBytes)
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return casefile.Errorf(casefile.EINVALID, "exchange.ReadCSV", "%s:%d: column %d: %v", name, pe.Line, pe.Column, pe.Err)
	}
	return casefile.Errorf(casefile.EINVALID, "exchange.ReadCSV", "%s: %v", name, err)
}

// csvRow reads the fields of one record, keeping the first error.
type csvRow struct {
	name string
	line int
	rec  []string
	col  map[string]int
	err  error
}

func (r *csvRow) get(c string) string {
	i, ok := r.col[c]
	if !ok || i >= len(r.rec) {
		return ""
	}
	return strings.TrimSpace(r.rec[i])
}

func (r *csvRow) fail(c, msg string) {
	if r.err == nil {
		r.err = casefile.Errorf(casefile.EINVALID, "exchange.ReadCSV", "%s:%d: field %s: %s", r.name, r.line, c, msg)
	}
}

func (r *csvRow) int(c string) *int {
	s := r.get(c)
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		r.fail(c, casefile.QuoteValue(s)+" is not a whole number")
		return nil
	}
	return &n
}

func (r *csvRow) bool(c string) bool {
	switch strings.ToLower(r.get(c)) {
	case "", "0", "false", "no":
		return false
	case "1", "true", "yes":
		return true
	}
	r.fail(c, casefile.QuoteValue(r.get(c))+" is not true or false")
	return false
}

func (r *csvRow) list(c string) []string {
	s := r.get(c)
	if s == "" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(s, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (r *csvRow) date() casefile.PartialDate {
	d := casefile.PartialDate{Precision: r.get("date_precision"), Start: r.get("date_start"), End: r.get("date_end")}.InferPrecision()
	if err := d.Validate("date"); err != nil && r.err == nil {
		r.err = casefile.Errorf(casefile.EINVALID, "exchange.ReadCSV", "%s:%d: field date_start: %s", r.name, r.line, casefile.ErrorMessage(err))
	}
	return d
}
