package sqldb

import (
	"database/sql/driver"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/casefile/casefile"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/ncruces/go-sqlite3"
)

// dialect is what differs between SQLite and PostgreSQL.
type dialect struct {
	name string
}

var (
	sqliteDialect   = dialect{name: "sqlite"}
	postgresDialect = dialect{name: "postgres"}
)

// rebind turns ? placeholders into $1, $2, … for PostgreSQL. Queries never hold a literal '?'.
func (d dialect) rebind(q string) string {
	if d.name != "postgres" || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// translate turns constraint violations into domain errors, so a raw driver message never
// reaches a user. Other errors pass through casefile.Wrap.
func (d dialect) translate(err error) error {
	if err == nil {
		return nil
	}
	var ce *casefile.Error
	if errors.As(err, &ce) {
		return err
	}
	var se *sqlite3.Error
	if errors.As(err, &se) {
		switch se.ExtendedCode() {
		case sqlite3.CONSTRAINT_UNIQUE, sqlite3.CONSTRAINT_PRIMARYKEY:
			return &casefile.Error{Kind: casefile.ECONFLICT, Message: "a record with this identifier exists already", Err: err}
		case sqlite3.CONSTRAINT_FOREIGNKEY:
			return &casefile.Error{Kind: casefile.ECONFLICT, Message: "the record refers to, or is referred to by, another record", Err: err}
		}
		if se.Code() == sqlite3.NOTADB {
			return &casefile.Error{Kind: casefile.ELOCKED, Message: "the store cannot be read with this key", Err: err}
		}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return &casefile.Error{Kind: casefile.ECONFLICT, Message: "a record with this identifier exists already", Err: err}
		case "23503":
			return &casefile.Error{Kind: casefile.ECONFLICT, Message: "the record refers to, or is referred to by, another record", Err: err}
		}
	}
	return casefile.Wrap("sqldb", err)
}

// js encodes v as JSON text for a JSON column.
func js(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only domain types reach here; they always encode
	}
	return string(b)
}

// unjs decodes a JSON column into v; an empty column leaves v as it is.
func unjs(s string, v any) error {
	if s == "" {
		return nil
	}
	return json.Unmarshal([]byte(s), v)
}

// nullStr stores "" as NULL, for optional references.
func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nullInt stores nil as NULL.
func nullInt(p *int) any {
	if p == nil {
		return nil
	}
	return int64(*p)
}

// optString scans a nullable text column into a string ("" for NULL).
type optString struct{ s *string }

func (o optString) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*o.s = ""
	case string:
		*o.s = x
	case []byte:
		*o.s = string(x)
	default:
		return errors.New("optString: unexpected type")
	}
	return nil
}

// optInt scans a nullable integer into *int (nil for NULL).
type optInt struct{ p **int }

func (o optInt) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*o.p = nil
	case int64:
		n := int(x)
		*o.p = &n
	case int32:
		n := int(x)
		*o.p = &n
	default:
		return errors.New("optInt: unexpected type")
	}
	return nil
}

// timeCol scans a time stored as RFC 3339 text (SQLite) or timestamptz (PostgreSQL).
type timeCol struct{ t *time.Time }

func (c timeCol) Scan(v any) error {
	switch x := v.(type) {
	case time.Time:
		*c.t = x.UTC()
	case string:
		return c.parse(x)
	case []byte:
		return c.parse(string(x))
	case nil:
		*c.t = time.Time{}
	default:
		return errors.New("timeCol: unexpected type")
	}
	return nil
}

func (c timeCol) parse(s string) error {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return err
	}
	*c.t = t.UTC()
	return nil
}

// optTime scans a nullable time into **time.Time.
type optTime struct{ p **time.Time }

func (o optTime) Scan(v any) error {
	if v == nil {
		*o.p = nil
		return nil
	}
	var t time.Time
	if err := (timeCol{&t}).Scan(v); err != nil {
		return err
	}
	*o.p = &t
	return nil
}

// tval is a time argument: RFC 3339 text for SQLite (sortable, exact), time.Time for PostgreSQL.
func (tx *Tx) tval(t time.Time) driver.Value {
	if tx.db.d.name == "postgres" {
		return t.UTC()
	}
	return t.UTC().Format("2006-01-02T15:04:05.000000Z07:00")
}

// tptr is tval for an optional time.
func (tx *Tx) tptr(t *time.Time) driver.Value {
	if t == nil {
		return nil
	}
	return tx.tval(*t)
}
