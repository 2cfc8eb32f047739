package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/casefile/casefile"
)

// searchDoc is what the search index holds of one record.
type searchDoc struct {
	Kind, ID, Title, Body                      string
	Domain, Setting, PerpetratorTypes, ActType string
	Region                                     string
	Year                                       int
}

// index adds or replaces the search document of a record, in the record's transaction.
func (tx *Tx) index(ctx context.Context, d searchDoc) error {
	if tx.db.d.name == "postgres" {
		const head = `INSERT INTO search_docs (kind, id, title, body, tsv, domain, setting, perpetrator_types, act_type, region, year) VALUES `
		const row = `(?, ?, ?, ?, setweight(to_tsvector('russian', ?), 'A') || to_tsvector('russian', ?), ?, ?, ?, ?, ?, ?)`
		args := []any{d.Kind, d.ID, d.Title, d.Body, d.Title, d.Body, d.Domain, d.Setting, d.PerpetratorTypes, d.ActType, d.Region, d.Year}
		if tx.fresh {
			return tx.insert(ctx, head, row, args...)
		}
		_, err := tx.exec(ctx, head+row+` ON CONFLICT (kind, id) DO UPDATE SET title = excluded.title, body = excluded.body, tsv = excluded.tsv, domain = excluded.domain,
			setting = excluded.setting, perpetrator_types = excluded.perpetrator_types, act_type = excluded.act_type, region = excluded.region, year = excluded.year`, args...)
		return err
	}
	const docHead = `INSERT INTO search_docs (rowid, kind, id, title, domain, setting, perpetrator_types, act_type, region, year) VALUES `
	const docRow = `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	const ftsHead, ftsRow = `INSERT INTO search_fts (rowid, title, body) VALUES `, `(?, ?, ?)`
	if tx.fresh && tx.bulk != nil {
		tx.nextDoc++
		if err := tx.insert(ctx, docHead, docRow, tx.nextDoc, d.Kind, d.ID, d.Title, d.Domain, d.Setting, d.PerpetratorTypes, d.ActType, d.Region, d.Year); err != nil {
			return err
		}
		return tx.insert(ctx, ftsHead, ftsRow, tx.nextDoc, d.Title, d.Body)
	}
	var rowid int64
	err := sql.ErrNoRows
	if !tx.fresh {
		err = tx.queryRow(ctx, `SELECT rowid FROM search_docs WHERE kind = ? AND id = ?`, d.Kind, d.ID).Scan(&rowid)
	}
	switch {
	case errors.Is(err, sql.ErrNoRows):
		res, err := tx.exec(ctx, `INSERT INTO search_docs (kind, id, title, domain, setting, perpetrator_types, act_type, region, year) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			d.Kind, d.ID, d.Title, d.Domain, d.Setting, d.PerpetratorTypes, d.ActType, d.Region, d.Year)
		if err != nil {
			return err
		}
		if rowid, err = res.LastInsertId(); err != nil {
			return err
		}
	case err != nil:
		return err
	default:
		if _, err := tx.exec(ctx, `UPDATE search_docs SET title = ?, domain = ?, setting = ?, perpetrator_types = ?, act_type = ?, region = ?, year = ? WHERE rowid = ?`,
			d.Title, d.Domain, d.Setting, d.PerpetratorTypes, d.ActType, d.Region, d.Year, rowid); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM search_fts WHERE rowid = ?`, rowid); err != nil {
			return err
		}
	}
	_, err = tx.exec(ctx, ftsHead+ftsRow, rowid, d.Title, d.Body)
	return err
}

// unindex removes a record's search document.
func (tx *Tx) unindex(ctx context.Context, kind, id string) error {
	if tx.db.d.name == "sqlite" {
		if _, err := tx.exec(ctx, `DELETE FROM search_fts WHERE rowid IN (SELECT rowid FROM search_docs WHERE kind = ? AND id = ?)`, kind, id); err != nil {
			return err
		}
	}
	_, err := tx.exec(ctx, `DELETE FROM search_docs WHERE kind = ? AND id = ?`, kind, id)
	return err
}

// rankWindow is how many of the newest matches are ranked; countCap how far matches are counted.
const (
	rankWindow = 500
	countCap   = 1000
)

// Search finds records whose text contains every word of the query, in any inflected form.
func (db *DB) Search(ctx context.Context, q casefile.SearchQuery) (*casefile.SearchResult, error) {
	var words []string
	eachWord(q.Text, func(w string, _, _ int) bool {
		words = append(words, w)
		return len(words) < 32
	})
	if len(words) == 0 {
		return nil, casefile.Errorf(casefile.EINVALID, "Search", "the query has no words to search for")
	}
	limit := q.Limit
	if limit <= 0 || limit > 200 {
		limit = 20
	}
	var w where
	var match string
	if db.d.name == "postgres" {
		// Each word goes through the same 'russian' configuration as the documents.
		match = strings.Join(words, " ")
		w.add("d.tsv @@ plainto_tsquery('russian', ?)", match)
	} else {
		quoted := make([]string, len(words))
		for i, x := range words {
			quoted[i] = `"` + x + `"` // words never hold a quote: eachWord keeps letters and digits only
		}
		match = strings.Join(quoted, " ")
		w.add("search_fts MATCH ?", match)
	}
	if len(q.Kinds) > 0 {
		args := make([]any, len(q.Kinds))
		for i, k := range q.Kinds {
			args[i] = k
		}
		w.add("d.kind IN ("+placeholders(len(args))+")", args...)
	}
	if q.Domain != nil {
		w.add("d.domain = ?", *q.Domain)
	}
	if q.Setting != nil {
		w.add("d.setting = ?", *q.Setting)
	}
	if q.ActType != nil {
		w.add("d.act_type = ?", *q.ActType)
	}
	if q.PerpetratorType != nil {
		w.add("d.perpetrator_types LIKE ?"+likeEscape, likeContains(" ", *q.PerpetratorType, " "))
	}
	if q.Region != nil {
		w.add("d.region = ?", *q.Region)
	}
	if q.Year != nil {
		w.add("d.year = ?", *q.Year)
	}
	var from, joined string
	if db.d.name == "postgres" {
		from = ` FROM search_docs d`
		joined = from
	} else {
		joined = ` FROM search_fts JOIN search_docs d ON d.rowid = search_fts.rowid`
		from = joined
		if len(w.conds) == 1 {
			// Only the MATCH: the filter columns are not needed to find and count matches.
			from = ` FROM search_fts`
		}
	}
	res := &casefile.SearchResult{Hits: []casefile.SearchHit{}}
	err := db.view(ctx, func(tx *Tx) error {
		// Ranking every match of a very common word would read the whole index, so the hits
		// are ranked among the newest rankWindow matches; Total is exact up to countCap and
		// TotalCapped says when there are more.
		var rows *sql.Rows
		var err error
		if db.d.name == "postgres" {
			rows, err = tx.query(ctx, `WITH m AS (SELECT d.doc_id FROM search_docs d`+w.String()+` ORDER BY d.doc_id DESC LIMIT `+strconv.Itoa(rankWindow)+`)
				SELECT d.kind, d.id, d.title,
				ts_headline('russian', d.body, plainto_tsquery('russian', ?), 'StartSel=[, StopSel=], MaxWords=24, MinWords=8, MaxFragments=2'),
				ts_rank(d.tsv, plainto_tsquery('russian', ?)) AS r FROM m JOIN search_docs d ON d.doc_id = m.doc_id ORDER BY r DESC, d.kind, d.id`+page(q.Offset, limit),
				append(append([]any{}, w.args...), match, match)...)
		} else {
			rows, err = tx.query(ctx, `WITH m AS (SELECT search_fts.rowid AS rid, casefile_rank(search_fts) AS score`+from+w.String()+` ORDER BY search_fts.rowid DESC LIMIT `+strconv.Itoa(rankWindow)+`)
				SELECT d.rowid, d.kind, d.id, d.title, m.score FROM m JOIN search_docs d ON d.rowid = m.rid ORDER BY m.score DESC, d.kind, d.id`+page(q.Offset, limit), w.args...)
		}
		if err != nil {
			return err
		}
		var rowids []any
		for rows.Next() {
			var h casefile.SearchHit
			if db.d.name == "postgres" {
				err = rows.Scan(&h.Kind, &h.ID, &h.Title, &h.Snippet, &h.Rank)
			} else {
				var rid int64
				err = rows.Scan(&rid, &h.Kind, &h.ID, &h.Title, &h.Rank)
				rowids = append(rowids, rid)
			}
			if err != nil {
				rows.Close()
				return err
			}
			res.Hits = append(res.Hits, h)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(rowids) > 0 {
			// Snippets only for the page's hits: FTS5 computes them from the match itself.
			srows, err := tx.query(ctx, `SELECT rowid, snippet(search_fts, 1, '[', ']', '…', 16) FROM search_fts WHERE search_fts MATCH ? AND rowid IN (`+
				placeholders(len(rowids))+`)`, append([]any{match}, rowids...)...)
			if err != nil {
				return err
			}
			snip := map[int64]string{}
			for srows.Next() {
				var rid int64
				var sn string
				if err := srows.Scan(&rid, &sn); err != nil {
					srows.Close()
					return err
				}
				snip[rid] = sn
			}
			srows.Close()
			for i, rid := range rowids {
				res.Hits[i].Snippet = snip[rid.(int64)]
			}
		}
		if q.Offset == 0 && len(res.Hits) < limit {
			res.Total = len(res.Hits)
		} else {
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1`+from+w.String()+` LIMIT `+strconv.Itoa(countCap+1)+`) c`, w.args...).Scan(&res.Total); err != nil {
				return err
			}
			if res.Total > countCap {
				res.Total, res.TotalCapped = countCap, true
			}
		}
		if !q.Facets {
			return nil
		}
		res.Facets = map[string]map[string]int{}
		for _, col := range []string{"kind", "domain", "setting", "act_type", "region", "year"} {
			rows, err := tx.query(ctx, `SELECT d.`+col+`, COUNT(*)`+joined+w.String()+` GROUP BY d.`+col, w.args...)
			if err != nil {
				return err
			}
			m := map[string]int{}
			for rows.Next() {
				var v any
				var n int
				if err := rows.Scan(&v, &n); err != nil {
					rows.Close()
					return err
				}
				key := facetKey(v)
				if key != "" && key != "0" {
					m[key] += n
				}
			}
			rows.Close()
			if len(m) > 0 {
				res.Facets[col] = m
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func facetKey(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	}
	return ""
}
