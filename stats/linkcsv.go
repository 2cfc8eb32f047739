package stats

import (
	"encoding/csv"
	"errors"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/casefile/casefile"
)

// ColumnKinds maps CSV column names to field kinds (Kind* constants, or "id", "truth", "skip").
type ColumnKinds map[string]string

// Column roles besides the field kinds.
const (
	KindID    = "id"
	KindTruth = "truth"
	KindSkip  = "skip"
)

var columnNames = map[string]string{
	"first_name": KindFirstName, "firstname": KindFirstName, "fname": KindFirstName, "fname_c1": KindFirstName,
	"given_name": KindFirstName, "givenname": KindFirstName, "given": KindFirstName, "forename": KindFirstName,
	"name_first": KindFirstName, "first": KindFirstName, "имя": KindFirstName, "imia": KindFirstName, "imya": KindFirstName,
	"fname_c2": "first2", "lname_c2": "sur2",
	"surname": KindSurname, "last_name": KindSurname, "lastname": KindSurname, "lname": KindSurname, "lname_c1": KindSurname,
	"family_name": KindSurname, "familyname": KindSurname, "name_last": KindSurname, "last": KindSurname,
	"фамилия": KindSurname, "familiia": KindSurname, "familiya": KindSurname,
	"patronymic": KindPatronymic, "middle_name": KindPatronymic, "middlename": KindPatronymic, "fathers_name": KindPatronymic,
	"отчество": KindPatronymic, "otchestvo": KindPatronymic, "patronym": KindPatronymic, "father_name": KindPatronymic,
	"second_name": KindPatronymic, "middle": KindPatronymic,
	"name": KindFullName, "full_name": KindFullName, "fullname": KindFullName, "фио": KindFullName, "fio": KindFullName,
	"birth_date": KindBirthDate, "date_of_birth": KindBirthDate, "dob": KindBirthDate, "birthdate": KindBirthDate,
	"born": KindBirthDate, "дата_рождения": KindBirthDate, "birthday": KindBirthDate,
	"by": KindBirthYear, "birth_year": KindBirthYear, "year_of_birth": KindBirthYear, "yob": KindBirthYear, "год_рождения": KindBirthYear,
	"bm": KindBirthMonth, "birth_month": KindBirthMonth, "month_of_birth": KindBirthMonth,
	"bd": KindBirthDay, "birth_day": KindBirthDay, "day_of_birth": KindBirthDay,
	"city": KindCity, "town": KindCity, "suburb": KindCity, "locality": KindCity, "place": KindCity, "город": KindCity,
	"settlement": KindCity, "place_of_birth": KindCity,
	"sex": KindSex, "gender": KindSex, "пол": KindSex,
	"age": KindNumber, "возраст": KindNumber, "age_at_event": KindNumber,
	"rec_id": KindID, "id": KindID, "record_id": KindID, "row_id": KindID, "unique_id": KindID,
	"ent_id": KindSkip, "cluster": KindSkip, "true_id": KindSkip, "entity_id": KindSkip,
}

// LinkCSVOptions says how to read a CSV file for linkage.
type LinkCSVOptions struct {
	Source int         // source number of the file's records
	Truth  string      // column holding the ground-truth entity (optional)
	Kinds  ColumnKinds // column kinds from a configuration; unnamed columns are recognised
	// Extra is shared across files: the extra fields found so far, extended by this file.
	Extra *[]ExtraField
}

var febrlID = regexp.MustCompile(`^rec-(\d+)-(org|dup-\d+)$`)

// ReadLinkCSV reads records for linkage from CSV, recognising common column names (first name,
// surname, patronymic, full name, birth date or year/month/day, city, sex) and treating other
// columns as text or codes. Spaces after commas are trimmed. name is used in error messages,
// which give the line and column but never a value.
func ReadLinkCSV(r io.Reader, name string, opt LinkCSVOptions) ([]*LinkRecord, error) {
	const op = "stats.ReadLinkCSV"
	cr := csv.NewReader(r)
	cr.TrimLeadingSpace = true
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, casefile.Errorf(casefile.EINVALID, op, "%s: empty file", name)
		}
		return nil, casefile.Errorf(casefile.EINVALID, op, "%s: line 1: %s", name, csvErr(err))
	}
	kinds := make([]string, len(header))
	truthCol := -1
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		header[i] = h
		key := strings.ToLower(strings.ReplaceAll(strings.ReplaceAll(h, " ", "_"), "-", "_"))
		if opt.Truth != "" && h == opt.Truth {
			truthCol = i
			kinds[i] = KindTruth
			if opt.Kinds[h] == "" && columnNames[key] == KindID {
				// the truth may be encoded in the record id (FEBRL): keep it as id too
				kinds[i] = KindTruth + "+id"
			}
			continue
		}
		if k, ok := opt.Kinds[h]; ok {
			kinds[i] = k
			continue
		}
		if k, ok := columnNames[key]; ok {
			kinds[i] = k
			continue
		}
		kinds[i] = "" // decided from the values below
	}
	if opt.Truth != "" && truthCol < 0 {
		return nil, casefile.Errorf(casefile.EINVALID, op, "%s: no column named %q for the ground truth", name, opt.Truth)
	}
	var rows [][]string
	var lines []int
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
			return nil, casefile.Errorf(casefile.EINVALID, op, "%s: line %d: %s", name, line, csvErr(err))
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != len(header) {
			return nil, casefile.Errorf(casefile.EINVALID, op, "%s: line %d: %d fields, the header has %d", name, line, len(rec), len(header))
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		rows = append(rows, rec)
		lines = append(lines, line)
	}
	if len(rows) == 0 {
		return nil, casefile.Errorf(casefile.EINVALID, op, "%s: no records", name)
	}
	if opt.Extra == nil {
		opt.Extra = new([]ExtraField)
	}
	extraIdx := make([]int, len(header))
	for i := range header {
		extraIdx[i] = -1
		if kinds[i] == "" {
			kinds[i] = KindText
			if numericColumn(rows, i) {
				kinds[i] = KindCode
			}
		}
		if kinds[i] == KindText || kinds[i] == KindCode || kinds[i] == KindNumber {
			found := -1
			for x, ef := range *opt.Extra {
				if ef.Name == header[i] {
					found = x
				}
			}
			if found < 0 {
				*opt.Extra = append(*opt.Extra, ExtraField{Name: header[i], Kind: kinds[i]})
				found = len(*opt.Extra) - 1
			}
			extraIdx[i] = found
		}
	}
	recs := make([]*LinkRecord, 0, len(rows))
	for ri, row := range rows {
		r := &LinkRecord{Source: opt.Source, ID: strconv.Itoa(lines[ri])}
		var first2, sur2 string
		for i, v := range row {
			switch kinds[i] {
			case KindTruth, KindTruth + "+id":
				r.Truth = v
				if m := febrlID.FindStringSubmatch(v); m != nil {
					r.Truth = m[1]
				}
				if kinds[i] == KindTruth+"+id" {
					r.ID = v
				}
			case KindID:
				r.ID = v
			case KindFirstName:
				r.first = NormalizeName(v)
			case "first2":
				first2 = NormalizeName(v)
			case KindSurname:
				r.sur = NormalizeName(v)
			case "sur2":
				sur2 = NormalizeName(v)
			case KindPatronymic:
				r.pat = NormalizeName(v)
			case KindFullName:
				r.full = sortedTokens(NormalizeName(v))
			case KindBirthDate:
				// A corrupted date is evidence too (a typo in one part): keep what parses.
				r.year, r.month, r.day = lenientDate(v)
			case KindBirthYear, KindBirthMonth, KindBirthDay:
				n, ok := parsePart(v)
				lim := map[string][2]int{KindBirthYear: {1000, 2200}, KindBirthMonth: {1, 12}, KindBirthDay: {1, 31}}[kinds[i]]
				if !ok {
					return nil, casefile.Errorf(casefile.EINVALID, op, "%s: line %d: column %q: not a number from %d to %d", name, lines[ri], header[i], lim[0], lim[1])
				}
				if n < lim[0] || n > lim[1] {
					n = 0
				}
				switch kinds[i] {
				case KindBirthYear:
					r.year = n
				case KindBirthMonth:
					r.month = n
				default:
					r.day = n
				}
			case KindCity:
				r.city = NormalizeName(v)
			case KindSex:
				r.sex = normalizeSex(v)
			case KindText, KindCode, KindNumber:
				x := extraIdx[i]
				for len(r.extra) <= x {
					r.extra = append(r.extra, "")
				}
				switch kinds[i] {
				case KindCode:
					r.extra[x] = normalizeCode(v)
				case KindNumber:
					if f, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", "."), 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
						r.extra[x] = strconv.FormatFloat(f, 'f', -1, 64)
					} else {
						r.extra[x] = ""
					}
				default:
					r.extra[x] = NormalizeName(v)
				}
			}
		}
		if first2 != "" {
			r.first = strings.TrimSpace(r.first + " " + first2)
		}
		if sur2 != "" {
			r.sur = strings.TrimSpace(r.sur + " " + sur2)
		}
		recs = append(recs, r)
	}
	return recs, nil
}

func numericColumn(rows [][]string, c int) bool {
	n := 0
	for _, r := range rows {
		v := r[c]
		if v == "" {
			continue
		}
		for _, ch := range v {
			if !unicode.IsDigit(ch) && ch != ' ' && ch != '-' {
				return false
			}
		}
		n++
	}
	return n > 0
}

func normalizeCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	out := b.String()
	if out == "NA" || out == "NULL" {
		return ""
	}
	return out
}

func normalizeSex(s string) string {
	switch strings.Trim(strings.ToLower(strings.TrimSpace(s)), ".") {
	case "m", "male", "man", "men", "м", "муж", "мужской", "мужчина", "1":
		return "M"
	case "f", "female", "woman", "women", "ж", "жен", "женский", "женщина", "2", "w":
		return "F"
	}
	return ""
}

func parsePart(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "NA") || s == "-" {
		return 0, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// ParseDate reads a full or partial date: YYYY-MM-DD, YYYY/MM/DD, DD.MM.YYYY, DD/MM/YYYY,
// YYYYMMDD, YYYY-MM, MM.YYYY or YYYY. Unknown parts are 0; an empty value or NA gives all zero
// with ok true. Impossible months or days give ok false.
func ParseDate(s string) (year, month, day int, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "NA") || s == "-" {
		return 0, 0, 0, true
	}
	if i := strings.IndexAny(s, "T "); i > 0 {
		s = s[:i]
	}
	atoi := func(p string) (int, bool) {
		if p == "" || strings.Trim(p, "?xX") == "" {
			return 0, true
		}
		n, err := strconv.Atoi(p)
		return n, err == nil && n >= 0
	}
	var parts []string
	switch {
	case strings.ContainsAny(s, "-/."):
		parts = strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '/' || r == '.' })
	case len(s) == 8:
		parts = []string{s[:4], s[4:6], s[6:]}
	case len(s) == 6:
		parts = []string{s[:4], s[4:]}
	case len(s) == 4:
		parts = []string{s}
	default:
		return 0, 0, 0, false
	}
	nums := make([]int, len(parts))
	for i, p := range parts {
		n, good := atoi(p)
		if !good {
			return 0, 0, 0, false
		}
		nums[i] = n
	}
	switch len(nums) {
	case 1:
		year = nums[0]
	case 2:
		if len(parts[0]) == 4 {
			year, month = nums[0], nums[1]
		} else {
			month, year = nums[0], nums[1]
		}
	case 3:
		if len(parts[0]) == 4 {
			year, month, day = nums[0], nums[1], nums[2]
		} else {
			day, month, year = nums[0], nums[1], nums[2]
		}
	default:
		return 0, 0, 0, false
	}
	if month > 12 && day >= 1 && day <= 12 {
		month, day = day, month
	}
	if (year != 0 && (year < 1000 || year > 2200)) || month > 12 || day > 31 {
		return 0, 0, 0, false
	}
	return year, month, day, true
}

// monthNames are month names and their abbreviations in Russian (nominative and genitive)
// and English.
var monthNames = func() map[string]int {
	m := map[string]int{}
	for i, names := range [][]string{
		{"январь", "января", "янв", "january", "jan"}, {"февраль", "февраля", "фев", "february", "feb"},
		{"март", "марта", "мар", "march", "mar"}, {"апрель", "апреля", "апр", "april", "apr"},
		{"май", "мая", "may"}, {"июнь", "июня", "июн", "june", "jun"}, {"июль", "июля", "июл", "july", "jul"},
		{"август", "августа", "авг", "august", "aug"}, {"сентябрь", "сентября", "сен", "сент", "september", "sep", "sept"},
		{"октябрь", "октября", "окт", "october", "oct"}, {"ноябрь", "ноября", "ноя", "november", "nov"},
		{"декабрь", "декабря", "дек", "december", "dec"},
	} {
		for _, n := range names {
			m[n] = i + 1
		}
	}
	return m
}()

// lenientDate keeps what it can of a date that ParseDate rejects: a corrupted date is evidence
// too. It reads digit groups ("12 марта 1980 г.", "ок. 1980", "1980?", "19801312") and month
// names; parts out of range are dropped.
func lenientDate(v string) (int, int, int) {
	if y, m, d, ok := ParseDate(v); ok {
		return y, m, d
	}
	var groups []string
	month := 0
	lower := strings.ToLower(v)
	for _, f := range strings.FieldsFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if f[0] >= '0' && f[0] <= '9' {
			digits := strings.Map(func(r rune) rune {
				if r >= '0' && r <= '9' {
					return r
				}
				return -1
			}, f)
			groups = append(groups, digits)
			continue
		}
		if mn, ok := monthNames[f]; ok {
			month = mn
		}
	}
	if len(groups) == 0 {
		return 0, 0, 0
	}
	num := func(s string) int { n, _ := strconv.Atoi(s); return n }
	y, m, d := 0, month, 0
	switch {
	case len(groups) == 1 && len(groups[0]) == 8:
		y, m, d = num(groups[0][:4]), num(groups[0][4:6]), num(groups[0][6:])
	case len(groups) == 1 && len(groups[0]) == 4:
		y = num(groups[0])
	case len(groups) == 2 && month != 0:
		if len(groups[0]) == 4 {
			y, d = num(groups[0]), num(groups[1])
		} else {
			d, y = num(groups[0]), num(groups[1])
		}
	case len(groups) == 2:
		if len(groups[0]) == 4 {
			y, m = num(groups[0]), num(groups[1])
		} else {
			m, y = num(groups[0]), num(groups[1])
		}
	case len(groups) == 3:
		if len(groups[0]) == 4 {
			y, m, d = num(groups[0]), num(groups[1]), num(groups[2])
		} else {
			d, m, y = num(groups[0]), num(groups[1]), num(groups[2])
		}
	}
	if y < 1000 || y > 2200 {
		y = 0
	}
	if m < 1 || m > 12 {
		m = 0
	}
	if d < 1 || d > 31 {
		d = 0
	}
	return y, m, d
}
