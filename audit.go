package casefile

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// AuditEntry is one entry of the append-only audit ledger. Each entry's Hash covers its fields and
// the previous entry's hash, so that altering, removing or reordering any entry breaks the chain
// from there on.
type AuditEntry struct {
	Seq        int64     `json:"seq"`
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`
	Action     string    `json:"action"`      // create, update, delete, import, read, reveal, export, review, …
	ObjectKind string    `json:"object_kind"` // person, act, evidence, bundle, …
	ObjectID   string    `json:"object_id"`
	ObjectHash string    `json:"object_hash"` // SHA-256 of the object's new state (hex), "" for reads
	PrevHash   string    `json:"prev_hash"`
	Hash       string    `json:"hash"`
}

// ComputeHash returns the hash the entry must carry: SHA-256 over its fields, in a fixed order, and
// the previous entry's hash. Fields are length-prefixed so that no two entries encode alike.
func (e *AuditEntry) ComputeHash() string {
	var b strings.Builder
	for _, f := range []string{
		"casefile-audit-v1",
		strconv.FormatInt(e.Seq, 10),
		e.At.UTC().Format(time.RFC3339Nano),
		e.Actor, e.Action, e.ObjectKind, e.ObjectID, e.ObjectHash, e.PrevHash,
	} {
		b.WriteString(strconv.Itoa(len(f)))
		b.WriteByte(':')
		b.WriteString(f)
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// HashObject returns the SHA-256 (hex) of v's JSON encoding: the object hash of an audit entry.
func HashObject(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// AuditFilter selects audit entries.
type AuditFilter struct {
	ObjectKind    *string
	ObjectID      *string
	Actor         *string
	AfterSeq      int64
	Offset, Limit int
}

// AuditService reads the ledger and records reads of sensitive data. Writes are recorded by the
// services themselves, in the transaction that writes.
type AuditService interface {
	// FindAuditEntries returns entries in sequence order.
	FindAuditEntries(ctx context.Context, f AuditFilter) ([]*AuditEntry, int, error)
	// RecordAccess appends an entry for a read of identities, evidence or exports.
	RecordAccess(ctx context.Context, action, kind, id string) error
}
