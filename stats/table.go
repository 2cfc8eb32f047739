package stats

import (
	"encoding/csv"
	"errors"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/casefile/casefile"
)

// MaxLists is the largest number of lists an overlap table may have.
const MaxLists = 16

// Table is a list-overlap table: for each inclusion pattern (which lists a person is on) the
// number of people observed with it. The all-zero pattern is never observed; it is what multiple
// systems estimation estimates.
//
// A table may instead hold count data (CountData true): Cells[k-1] is the number of people seen
// exactly k times, with no record of which occasions; Occasions is then the number of occasions,
// or 0 when unbounded (Rcapture's t = Inf).
type Table struct {
	Lists     []string  `json:"lists,omitempty"`
	Counts    []float64 `json:"counts"` // indexed by pattern: bit j set means on list j; Counts[0] is unused
	CountData bool      `json:"count_data,omitempty"`
	Occasions int       `json:"occasions,omitempty"`
	Stratum   string    `json:"stratum,omitempty"`
}

// NewTable returns an empty table over the named lists.
func NewTable(lists ...string) (*Table, error) {
	if len(lists) < 2 || len(lists) > MaxLists {
		return nil, casefile.Errorf(casefile.EINVALID, "stats.NewTable", "an overlap table needs 2 to %d lists, got %d", MaxLists, len(lists))
	}
	return &Table{Lists: append([]string(nil), lists...), Counts: make([]float64, 1<<len(lists))}, nil
}

// Add adds count people seen on exactly the lists whose bits are set in pattern.
func (t *Table) Add(pattern uint32, count float64) {
	t.Counts[pattern] += count
}

// Observed returns the number of people seen on at least one list.
func (t *Table) Observed() float64 {
	s := 0.0
	for i, c := range t.Counts {
		if i > 0 || t.CountData { // for list patterns, Counts[0] is the unobserved cell
			s += c
		}
	}
	return s
}

// NumLists returns the number of lists J (for count data, the number of frequency classes).
func (t *Table) NumLists() int {
	if t.CountData {
		return len(t.Counts)
	}
	return len(t.Lists)
}

// ListSizes returns how many people each list holds.
func (t *Table) ListSizes() []float64 {
	out := make([]float64, len(t.Lists))
	for p := 1; p < len(t.Counts); p++ {
		for j := range t.Lists {
			if p>>j&1 == 1 {
				out[j] += t.Counts[p]
			}
		}
	}
	return out
}

// ReadTableCSV reads a list-overlap table from CSV. The header names one column per list (values
// 0/1, or obs/un as the conting package writes them) and one count column (freq, frequency,
// count, n or y). Rows with an empty or NA count are unobservable cells and are skipped. Other
// columns are strata: ReadTableCSV returns one table per stratum value combination, plus the
// collapsed table first when there are strata. A header "nbcap,freq" reads count data. name is
// used in error messages.
func ReadTableCSV(r io.Reader, name string) ([]*Table, error) {
	const op = "stats.ReadTableCSV"
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, casefile.Errorf(casefile.EINVALID, op, "%s: empty file", name)
		}
		return nil, casefile.Errorf(casefile.EINVALID, op, "%s: line 1: %v", name, csvErr(err))
	}
	for i := range header {
		header[i] = strings.TrimSpace(strings.TrimPrefix(header[i], "\ufeff"))
	}
	countCol := -1
	for i, h := range header {
		switch strings.ToLower(h) {
		case "freq", "frequency", "count", "n", "y", "counts", "number":
			if countCol < 0 {
				countCol = i
			}
		}
	}
	if countCol < 0 {
		return nil, casefile.Errorf(casefile.EINVALID, op, "%s: line 1: no count column (freq, frequency, count, n or y)", name)
	}
	rows, err := readAll(cr, name, len(header))
	if err != nil {
		return nil, err
	}
	if len(header) == 2 {
		other := 1 - countCol
		if h := strings.ToLower(header[other]); h == "nbcap" || h == "k" || h == "times" {
			return readCountData(rows, name, other, countCol)
		}
	}
	// A column is a list when every value in it is binary.
	var listCols, strataCols []int
	for i := range header {
		if i == countCol {
			continue
		}
		binary := true
		for _, row := range rows {
			if _, ok := parseBinary(row.fields[i]); !ok {
				binary = false
				break
			}
		}
		if binary {
			listCols = append(listCols, i)
		} else {
			strataCols = append(strataCols, i)
		}
	}
	if len(listCols) < 2 || len(listCols) > MaxLists {
		return nil, casefile.Errorf(casefile.EINVALID, op, "%s: need 2 to %d list columns with values 0/1, found %d", name, MaxLists, len(listCols))
	}
	names := make([]string, len(listCols))
	for j, c := range listCols {
		names[j] = header[c]
	}
	total, _ := NewTable(names...)
	byStratum := map[string]*Table{}
	var order []string
	for _, row := range rows {
		raw := strings.TrimSpace(row.fields[countCol])
		if raw == "" || strings.EqualFold(raw, "NA") {
			continue
		}
		c, err := strconv.ParseFloat(raw, 64)
		if err != nil || c < 0 || math.IsInf(c, 0) || math.IsNaN(c) {
			return nil, casefile.Errorf(casefile.EINVALID, op, "%s: line %d: field %q: count %q is not a non-negative number", name, row.line, header[countCol], raw)
		}
		var pat uint32
		for j, col := range listCols {
			v, _ := parseBinary(row.fields[col])
			if v {
				pat |= 1 << j
			}
		}
		if pat == 0 {
			if c != 0 {
				return nil, casefile.Errorf(casefile.EINVALID, op, "%s: line %d: a row on no list has count %v; the unobserved cell must be empty", name, row.line, c)
			}
			continue
		}
		total.Add(pat, c)
		if len(strataCols) > 0 {
			parts := make([]string, len(strataCols))
			for k, sc := range strataCols {
				parts[k] = header[sc] + "=" + strings.TrimSpace(row.fields[sc])
			}
			key := strings.Join(parts, ",")
			t, ok := byStratum[key]
			if !ok {
				t, _ = NewTable(names...)
				t.Stratum = key
				byStratum[key] = t
				order = append(order, key)
			}
			t.Add(pat, c)
		}
	}
	if total.Observed() == 0 {
		return nil, casefile.Errorf(casefile.EINVALID, op, "%s: the table has no observed people", name)
	}
	out := []*Table{total}
	sort.Strings(order)
	for _, k := range order {
		out = append(out, byStratum[k])
	}
	return out, nil
}

type csvRow struct {
	line   int
	fields []string
}

func readAll(cr *csv.Reader, name string, width int) ([]csvRow, error) {
	var rows []csvRow
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return nil, casefile.Errorf(casefile.EINVALID, "stats.ReadTableCSV", "%s: line %d: %v", name, line, csvErr(err))
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != width {
			return nil, casefile.Errorf(casefile.EINVALID, "stats.ReadTableCSV", "%s: line %d: %d fields, the header has %d", name, line, len(rec), width)
		}
		rows = append(rows, csvRow{line: line, fields: rec})
	}
	if len(rows) == 0 {
		return nil, casefile.Errorf(casefile.EINVALID, "stats.ReadTableCSV", "%s: no data rows", name)
	}
	return rows, nil
}

func csvErr(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return "unreadable CSV"
}

func readCountData(rows []csvRow, name string, kCol, countCol int) ([]*Table, error) {
	const op = "stats.ReadTableCSV"
	freq := map[int]float64{}
	maxK := 0
	for _, row := range rows {
		k, err := strconv.Atoi(strings.TrimSpace(row.fields[kCol]))
		if err != nil || k < 1 || k > 10000 {
			return nil, casefile.Errorf(casefile.EINVALID, op, "%s: line %d: number of captures %q is not an integer from 1 to 10000", name, row.line, row.fields[kCol])
		}
		c, err := strconv.ParseFloat(strings.TrimSpace(row.fields[countCol]), 64)
		if err != nil || c < 0 || math.IsInf(c, 0) || math.IsNaN(c) {
			return nil, casefile.Errorf(casefile.EINVALID, op, "%s: line %d: count %q is not a non-negative number", name, row.line, row.fields[countCol])
		}
		freq[k] += c
		maxK = max(maxK, k)
	}
	if maxK < 2 || freq[1]+freq[2] == 0 {
		return nil, casefile.Errorf(casefile.EINVALID, op, "%s: count data needs people seen once or twice", name)
	}
	t := &Table{CountData: true, Counts: make([]float64, maxK)}
	for k, c := range freq {
		t.Counts[k-1] = c
	}
	return []*Table{t}, nil
}

func parseBinary(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "obs", "yes", "true", "y":
		return true, true
	case "0", "un", "no", "false":
		return false, true
	}
	return false, false
}
