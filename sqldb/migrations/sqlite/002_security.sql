-- Security and integrity: signed checkpoints of the audit ledger, the identity vault (ciphertext
-- sealed to the identity keepers only), and where each evidence item's encrypted file is kept.

-- A checkpoint is the instance's Ed25519 signature over one state of the ledger (seq, hash).
CREATE TABLE audit_checkpoints (
	seq INTEGER PRIMARY KEY,
	hash TEXT NOT NULL,
	at TEXT NOT NULL,
	public_key TEXT NOT NULL,
	signature TEXT NOT NULL
);
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints BEGIN SELECT RAISE(ABORT, 'checkpoints are never updated'); END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints BEGIN SELECT RAISE(ABORT, 'checkpoints are never deleted'); END;

-- The people who may read identities: their age X25519 public keys (recipients).
CREATE TABLE identity_keepers (
	id TEXT PRIMARY KEY,
	label TEXT NOT NULL DEFAULT '',
	recipient TEXT NOT NULL UNIQUE,
	added_by TEXT NOT NULL DEFAULT '',
	added_at TEXT NOT NULL
);

-- Real names, contacts and exact addresses, sealed with age to the keepers: only ciphertext here.
CREATE TABLE identities (
	person_id TEXT PRIMARY KEY REFERENCES persons(id) ON DELETE CASCADE,
	keepers TEXT NOT NULL DEFAULT '[]',
	sealed BLOB NOT NULL,
	created_by TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

-- The encrypted file of an evidence item: its address in the blob store (a keyed hash of the
-- plaintext's SHA-256) and the size of the ciphertext.
CREATE TABLE evidence_files (
	evidence_id TEXT PRIMARY KEY REFERENCES evidence(id),
	address TEXT NOT NULL,
	stored_size INTEGER NOT NULL,
	stored_at TEXT NOT NULL
);
CREATE INDEX evidence_files_address ON evidence_files(address);

-- Encrypted blobs kept inside the database (the server deployment), in chunks so that a large
-- file streams in and out with flat memory.
CREATE TABLE blob_chunks (
	address TEXT NOT NULL,
	n INTEGER NOT NULL,
	data BLOB NOT NULL,
	PRIMARY KEY (address, n)
);
