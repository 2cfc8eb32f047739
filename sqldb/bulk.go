package sqldb

import (
	"context"
	"strings"
)

// bulk buffers the rows of an import and writes them as multi-row INSERTs: one round trip per
// few hundred rows instead of one per row, which is what makes a large import fast on PostgreSQL.
// Buffers flush in the order they were first used, which follows the import's order (people
// before the acts that name them), so foreign keys hold at every statement.
type bulk struct {
	order []*bulkBuf
	bufs  map[string]*bulkBuf
}

type bulkBuf struct {
	head, row string
	rows      int
	perRow    int
	args      []any
}

// maxBulkArgs stays under SQLite's limit of 32,766 bound parameters (PostgreSQL's is 65,535).
const maxBulkArgs = 30000

// insert writes one row: at once, or buffered while an import runs. head is "INSERT INTO t (…)
// VALUES ", row the row's placeholder tuple.
func (tx *Tx) insert(ctx context.Context, head, row string, args ...any) error {
	if tx.bulk == nil {
		_, err := tx.exec(ctx, head+row, args...)
		return err
	}
	key := head + row
	b := tx.bulk.bufs[key]
	if b == nil {
		b = &bulkBuf{head: head, row: row, perRow: len(args)}
		tx.bulk.bufs[key] = b
		tx.bulk.order = append(tx.bulk.order, b)
	}
	b.args = append(b.args, args...)
	b.rows++
	// Large batches matter most for FTS5, which flushes its pending index at every statement.
	if b.rows >= maxBulkArgs/max(1, b.perRow) {
		return tx.flush(ctx)
	}
	return nil
}

// flush writes every buffered row.
func (tx *Tx) flush(ctx context.Context) error {
	if tx.bulk == nil {
		return nil
	}
	for _, b := range tx.bulk.order {
		if b.rows == 0 {
			continue
		}
		q := b.head + strings.Repeat(b.row+", ", b.rows-1) + b.row
		if _, err := tx.exec(ctx, q, b.args...); err != nil {
			return err
		}
		b.rows, b.args = 0, b.args[:0]
	}
	return nil
}

// startBulk begins buffering inserts; the caller flushes and ends it.
func (tx *Tx) startBulk(ctx context.Context) error {
	tx.bulk = &bulk{bufs: map[string]*bulkBuf{}}
	if tx.db.d.name == "sqlite" {
		// Search documents get their rowids here, so that the FTS row can be written beside
		// the document without asking SQLite for the id it assigned.
		return tx.queryRow(ctx, `SELECT COALESCE(MAX(rowid), 0) FROM search_docs`).Scan(&tx.nextDoc)
	}
	return nil
}

func (tx *Tx) endBulk() { tx.bulk = nil }
