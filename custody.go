package casefile

import (
	"context"
	"io"
	"time"
)

// BlobStore keeps opaque, already encrypted blobs under content addresses: a folder beside the
// embedded store, or chunks in the PostgreSQL database. It never sees plaintext.
type BlobStore interface {
	// CreateBlob starts a new blob; the caller writes it, then commits it under its address.
	CreateBlob(ctx context.Context) (BlobWriter, error)
	// OpenBlob returns the blob's bytes as a stream. ENOTFOUND when there is no such blob.
	OpenBlob(ctx context.Context, address string) (io.ReadCloser, error)
	// HasBlob reports whether a blob is stored under address.
	HasBlob(ctx context.Context, address string) (bool, error)
	// RemoveBlob deletes a blob (only key rotation does, once it stored the re-encrypted copy).
	RemoveBlob(ctx context.Context, address string) error
}

// BlobWriter receives a blob's bytes. Commit makes it visible under address (keeping an existing
// blob of that address, which by construction has the same content); Abort discards it.
type BlobWriter interface {
	io.Writer
	Commit(address string) error
	Abort() error
}

// EvidenceFile says where the encrypted file of an evidence item is kept.
type EvidenceFile struct {
	EvidenceID string    `json:"evidence_id"`
	Address    string    `json:"address"`
	StoredSize int64     `json:"stored_size"`
	StoredAt   time.Time `json:"stored_at"`
}

// CustodyService records evidence files together with their items, so that the chain of custody
// (who added a file, when, from where, and every later access) lives in the audit ledger.
type CustodyService interface {
	// CreateEvidenceWithFile records the item and its stored file in one transaction. EINVALID.
	CreateEvidenceWithFile(ctx context.Context, e *EvidenceItem, f *EvidenceFile) error
	// FindEvidenceFile returns where an item's file is kept, ENOTFOUND if it has none.
	FindEvidenceFile(ctx context.Context, evidenceID string) (*EvidenceFile, error)
	// FindEvidenceFiles returns every stored evidence file, ordered by evidence ID.
	FindEvidenceFiles(ctx context.Context) ([]*EvidenceFile, error)
	// MoveEvidenceFile changes the address of an item's file (after key rotation). ENOTFOUND.
	MoveEvidenceFile(ctx context.Context, evidenceID, address string, storedSize int64) error
}

// Checkpoint is the instance's Ed25519 signature over one state of the audit ledger: the entry
// Seq and its Hash. Keys and signatures are base64 (standard encoding).
type Checkpoint struct {
	Seq       int64     `json:"seq"`
	Hash      string    `json:"hash"`
	At        time.Time `json:"at"`
	PublicKey string    `json:"public_key"`
	Signature string    `json:"signature"`
}
