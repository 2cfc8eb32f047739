package sqldb

import (
	"context"
	"encoding/hex"

	"github.com/casefile/casefile"
)

const sourceCols = `id, kind, title, citation, author, outlet, published, url, language, reliability, quote, notes, created_by, created_at, updated_at`

func scanSource(sc interface{ Scan(...any) error }, extra ...any) (*casefile.Source, error) {
	s := &casefile.Source{}
	var quote string
	if err := sc.Scan(append([]any{&s.ID, &s.Kind, &s.Title, &s.Citation, &s.Author, &s.Outlet, &s.Published, &s.URL, &s.Language,
		&s.Reliability, &quote, &s.Notes, &s.CreatedBy, timeCol{&s.CreatedAt}, timeCol{&s.UpdatedAt}}, extra...)...); err != nil {
		return nil, err
	}
	return s, unjs(quote, &s.Quote)
}

// FindSourceByID returns the source, ENOTFOUND if there is none.
func (db *DB) FindSourceByID(ctx context.Context, id string) (*casefile.Source, error) {
	ss, _, err := db.FindSources(ctx, casefile.SourceFilter{ID: &id})
	if err != nil {
		return nil, err
	}
	if len(ss) == 0 {
		return nil, casefile.Errorf(casefile.ENOTFOUND, "FindSourceByID", "no source %s", id)
	}
	return ss[0], nil
}

// FindSources returns the matching sources ordered by ID.
func (db *DB) FindSources(ctx context.Context, f casefile.SourceFilter) (out []*casefile.Source, total int, err error) {
	err = db.view(ctx, func(tx *Tx) (err error) {
		out, total, err = findSources(ctx, tx, f)
		return err
	})
	return out, total, err
}

func findSources(ctx context.Context, tx *Tx, f casefile.SourceFilter) ([]*casefile.Source, int, error) {
	var out []*casefile.Source
	total := 0
	err := func() error {
		var w where
		if f.ID != nil {
			w.add("id = ?", *f.ID)
		}
		if f.Kind != nil {
			w.add("kind = ?", *f.Kind)
		}
		rows, err := tx.query(ctx, `SELECT `+sourceCols+`, COUNT(*) OVER() FROM sources`+w.String()+` ORDER BY id`+page(f.Offset, f.Limit), w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			s, err := scanSource(rows, &total)
			if err != nil {
				return err
			}
			out = append(out, s)
		}
		return rows.Err()
	}()
	return out, total, err
}

// CreateSource stores a new source and indexes it for search.
func (db *DB) CreateSource(ctx context.Context, s *casefile.Source) error {
	return db.update(ctx, func(tx *Tx) error { return createSource(ctx, tx, s, true) })
}

func createSource(ctx context.Context, tx *Tx, s *casefile.Source, stamp bool) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if err := tx.db.checkCodes(s); err != nil {
		return err
	}
	if s.ID == "" {
		s.ID = casefile.NewID("src")
	}
	if stamp {
		s.CreatedAt, s.UpdatedAt, s.CreatedBy = tx.now, tx.now, tx.actor
	}
	if err := tx.insert(ctx, `INSERT INTO sources (`+sourceCols+`) VALUES `, `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.ID, s.Kind, s.Title, s.Citation, s.Author, s.Outlet, s.Published, s.URL, s.Language, s.Reliability, js(s.Quote), s.Notes,
		s.CreatedBy, tx.tval(s.CreatedAt), tx.tval(s.UpdatedAt)); err != nil {
		return err
	}
	if err := tx.indexSource(ctx, s); err != nil {
		return err
	}
	if stamp {
		return tx.audit(ctx, "create", "source", s.ID, s)
	}
	return nil
}

func (tx *Tx) indexSource(ctx context.Context, s *casefile.Source) error {
	title := s.Title
	if title == "" {
		title = s.Citation
	}
	body := joinText(append([]string{s.Citation, s.Outlet, s.Notes}, s.Quote.All()...)...)
	return tx.index(ctx, searchDoc{Kind: "source", ID: s.ID, Title: title, Body: body})
}

// UpdateSource changes the fields set in u.
func (db *DB) UpdateSource(ctx context.Context, id string, u casefile.SourceUpdate) (*casefile.Source, error) {
	var s *casefile.Source
	err := db.update(ctx, func(tx *Tx) error {
		var err error
		s, err = scanSource(tx.queryRow(ctx, `SELECT `+sourceCols+` FROM sources WHERE id = ?`, id))
		if err != nil {
			return notFound(err, "source", id)
		}
		set(&s.Title, u.Title)
		set(&s.Citation, u.Citation)
		set(&s.Reliability, u.Reliability)
		set(&s.Quote, u.Quote)
		set(&s.Notes, u.Notes)
		if err := s.Validate(); err != nil {
			return err
		}
		if err := tx.db.checkCodes(s); err != nil {
			return err
		}
		s.UpdatedAt = tx.now
		if _, err := tx.exec(ctx, `UPDATE sources SET title = ?, citation = ?, reliability = ?, quote = ?, notes = ?, updated_at = ? WHERE id = ?`,
			s.Title, s.Citation, s.Reliability, js(s.Quote), s.Notes, tx.tval(s.UpdatedAt), id); err != nil {
			return err
		}
		if err := tx.indexSource(ctx, s); err != nil {
			return err
		}
		return tx.audit(ctx, "update", "source", id, s)
	})
	return s, err
}

// DeleteSource deletes a source nothing refers to.
func (db *DB) DeleteSource(ctx context.Context, id string) error {
	return db.update(ctx, func(tx *Tx) error {
		if err := tx.unindex(ctx, "source", id); err != nil {
			return err
		}
		return deleteRow(ctx, tx, "sources", "source", id)
	})
}

// Evidence

const evidenceCols = `id, source_id, testimony_id, file_name, media_type, size, sha256, description, added_by, added_from, added_at`

func scanEvidence(sc interface{ Scan(...any) error }, extra ...any) (*casefile.EvidenceItem, error) {
	e := &casefile.EvidenceItem{}
	err := sc.Scan(append([]any{&e.ID, optString{&e.SourceID}, optString{&e.TestimonyID}, &e.FileName, &e.MediaType, &e.Size, &e.SHA256,
		&e.Description, &e.AddedBy, &e.AddedFrom, timeCol{&e.AddedAt}}, extra...)...)
	return e, err
}

// FindEvidenceByID returns the evidence item, ENOTFOUND if there is none.
func (db *DB) FindEvidenceByID(ctx context.Context, id string) (*casefile.EvidenceItem, error) {
	var e *casefile.EvidenceItem
	err := db.view(ctx, func(tx *Tx) error {
		var err error
		e, err = scanEvidence(tx.queryRow(ctx, `SELECT `+evidenceCols+` FROM evidence WHERE id = ?`, id))
		return notFound(err, "evidence item", id)
	})
	return e, err
}

// FindEvidence returns matching evidence items ordered by ID.
func (db *DB) FindEvidence(ctx context.Context, f casefile.EvidenceFilter) (out []*casefile.EvidenceItem, total int, err error) {
	err = db.view(ctx, func(tx *Tx) (err error) {
		out, total, err = findEvidence(ctx, tx, f)
		return err
	})
	return out, total, err
}

func findEvidence(ctx context.Context, tx *Tx, f casefile.EvidenceFilter) ([]*casefile.EvidenceItem, int, error) {
	var out []*casefile.EvidenceItem
	total := 0
	err := func() error {
		var w where
		if f.SourceID != nil {
			w.add("source_id = ?", *f.SourceID)
		}
		if f.TestimonyID != nil {
			w.add("testimony_id = ?", *f.TestimonyID)
		}
		if f.SHA256 != nil {
			w.add("sha256 = ?", *f.SHA256)
		}
		rows, err := tx.query(ctx, `SELECT `+evidenceCols+`, COUNT(*) OVER() FROM evidence`+w.String()+` ORDER BY id`+page(f.Offset, f.Limit), w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			e, err := scanEvidence(rows, &total)
			if err != nil {
				return err
			}
			out = append(out, e)
		}
		return rows.Err()
	}()
	return out, total, err
}

// CreateEvidence records an evidence item whose hash was taken at intake.
func (db *DB) CreateEvidence(ctx context.Context, e *casefile.EvidenceItem) error {
	return db.update(ctx, func(tx *Tx) error { return createEvidence(ctx, tx, e, true) })
}

func createEvidence(ctx context.Context, tx *Tx, e *casefile.EvidenceItem, stamp bool) error {
	if e.FileName == "" {
		return casefile.Errorf(casefile.EINVALID, "", "evidence: file_name is required")
	}
	if b, err := hex.DecodeString(e.SHA256); err != nil || len(b) != 32 {
		return casefile.Errorf(casefile.EINVALID, "", "evidence: sha256 must be 64 hex digits")
	}
	if e.Size < 0 {
		return casefile.Errorf(casefile.EINVALID, "", "evidence: size must not be negative")
	}
	if e.ID == "" {
		e.ID = casefile.NewID("evi")
	}
	if stamp {
		e.AddedAt = tx.now
		if e.AddedBy == "" {
			e.AddedBy = tx.actor
		}
	}
	if err := tx.insert(ctx, `INSERT INTO evidence (`+evidenceCols+`) VALUES `, `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, nullStr(e.SourceID), nullStr(e.TestimonyID), e.FileName, e.MediaType, e.Size, e.SHA256, e.Description, e.AddedBy, e.AddedFrom, tx.tval(e.AddedAt)); err != nil {
		return err
	}
	if stamp {
		return tx.audit(ctx, "create", "evidence", e.ID, e)
	}
	return nil
}
