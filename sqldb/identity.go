package sqldb

import (
	"context"
	"strings"

	"github.com/casefile/casefile"
)

var _ casefile.IdentityService = (*DB)(nil)

// CreateIdentityKeeper adds an identity keeper (an age X25519 recipient). EINVALID, ECONFLICT.
func (db *DB) CreateIdentityKeeper(ctx context.Context, k *casefile.IdentityKeeper) error {
	if !strings.HasPrefix(k.Recipient, "age1") {
		return casefile.Errorf(casefile.EINVALID, "CreateIdentityKeeper", "keeper: recipient must be an age public key (age1…)")
	}
	return db.update(ctx, func(tx *Tx) error {
		if k.ID == "" {
			k.ID = casefile.NewID("kpr")
		}
		k.AddedAt = tx.now
		if k.AddedBy == "" {
			k.AddedBy = tx.actor
		}
		if _, err := tx.exec(ctx, `INSERT INTO identity_keepers (id, label, recipient, added_by, added_at) VALUES (?, ?, ?, ?, ?)`,
			k.ID, k.Label, k.Recipient, k.AddedBy, tx.tval(k.AddedAt)); err != nil {
			return err
		}
		return tx.audit(ctx, "create", "identity_keeper", k.ID, k)
	})
}

// FindIdentityKeepers returns every keeper, oldest first.
func (db *DB) FindIdentityKeepers(ctx context.Context) ([]*casefile.IdentityKeeper, error) {
	var out []*casefile.IdentityKeeper
	err := db.view(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT id, label, recipient, added_by, added_at FROM identity_keepers ORDER BY added_at, id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			k := &casefile.IdentityKeeper{}
			if err := rows.Scan(&k.ID, &k.Label, &k.Recipient, &k.AddedBy, timeCol{&k.AddedAt}); err != nil {
				return err
			}
			out = append(out, k)
		}
		return rows.Err()
	})
	return out, err
}

// PutSealedIdentity stores or replaces a person's sealed identity. The audit entry's object hash
// is the hash of the ciphertext, so the ledger proves what was stored without holding it.
func (db *DB) PutSealedIdentity(ctx context.Context, s *casefile.SealedIdentity) error {
	if len(s.Sealed) == 0 {
		return casefile.Errorf(casefile.EINVALID, "PutSealedIdentity", "identity: nothing sealed")
	}
	return db.update(ctx, func(tx *Tx) error {
		if err := mustExist(ctx, tx, "persons", "person", s.PersonID); err != nil {
			return err
		}
		s.UpdatedAt = tx.now
		if s.CreatedAt.IsZero() {
			s.CreatedAt = tx.now
		}
		if s.CreatedBy == "" {
			s.CreatedBy = tx.actor
		}
		action := "create"
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM identities WHERE person_id = ?`, s.PersonID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			action = "update"
		}
		if _, err := tx.exec(ctx, `INSERT INTO identities (person_id, keepers, sealed, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (person_id) DO UPDATE SET keepers = excluded.keepers, sealed = excluded.sealed, updated_at = excluded.updated_at`,
			s.PersonID, js(nonNil(s.KeeperIDs)), s.Sealed, s.CreatedBy, tx.tval(s.CreatedAt), tx.tval(s.UpdatedAt)); err != nil {
			return err
		}
		return tx.audit(ctx, action, "identity", s.PersonID, s.Sealed)
	})
}

// FindSealedIdentity returns a person's sealed identity, ENOTFOUND when none is stored.
func (db *DB) FindSealedIdentity(ctx context.Context, personID string) (*casefile.SealedIdentity, error) {
	s := &casefile.SealedIdentity{}
	err := db.view(ctx, func(tx *Tx) error {
		var keepers string
		err := tx.queryRow(ctx, `SELECT person_id, keepers, sealed, created_by, created_at, updated_at FROM identities WHERE person_id = ?`, personID).
			Scan(&s.PersonID, &keepers, &s.Sealed, &s.CreatedBy, timeCol{&s.CreatedAt}, timeCol{&s.UpdatedAt})
		if err := notFound(err, "identity for person", personID); err != nil {
			return err
		}
		return unjs(keepers, &s.KeeperIDs)
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// FindSealedIdentities returns every sealed identity, ordered by person.
func (db *DB) FindSealedIdentities(ctx context.Context) ([]*casefile.SealedIdentity, error) {
	var out []*casefile.SealedIdentity
	err := db.view(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT person_id, keepers, sealed, created_by, created_at, updated_at FROM identities ORDER BY person_id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			s := &casefile.SealedIdentity{}
			var keepers string
			if err := rows.Scan(&s.PersonID, &keepers, &s.Sealed, &s.CreatedBy, timeCol{&s.CreatedAt}, timeCol{&s.UpdatedAt}); err != nil {
				return err
			}
			if err := unjs(keepers, &s.KeeperIDs); err != nil {
				return err
			}
			out = append(out, s)
		}
		return rows.Err()
	})
	return out, err
}
