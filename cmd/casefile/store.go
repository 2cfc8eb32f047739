package main

import (
	"context"
	"os"
	"path/filepath"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/sqldb"
	"github.com/casefile/casefile/vault"
	"github.com/casefile/casefile/vocab"
)

// DatabaseFile is the name of the embedded store in the data folder.
const DatabaseFile = "casefile.db"

// openStore opens the configured store: PostgreSQL when a database URL is set, else the encrypted
// SQLite store in the data folder, unlocked with the passphrase.
func (a *app) openStore(ctx context.Context) (*sqldb.DB, error) {
	if a.cfg.DatabaseURL != "" {
		return withVocab(sqldb.OpenPostgres(ctx, a.cfg.DatabaseURL))
	}
	key, err := a.unlock()
	if err != nil {
		return nil, err
	}
	return withVocab(sqldb.OpenSQLite(ctx, filepath.Join(a.cfg.DataDir, DatabaseFile), sqldb.SQLiteOptions{Key: key}))
}

// withVocab makes the store check every coded field against the shipped vocabularies.
func withVocab(db *sqldb.DB, err error) (*sqldb.DB, error) {
	if err != nil {
		return nil, err
	}
	db.Vocab = vocab.Default()
	return db, nil
}

// unlock reads the data folder's keyring and unwraps the database key with the passphrase.
func (a *app) unlock() ([]byte, error) {
	finishRotation(a, a.cfg.DataDir) // key.go
	k, err := vault.ReadKeyring(a.cfg.DataDir)
	if err != nil {
		return nil, err
	}
	secret, err := a.unlockSecret() // the passphrase, or the key file of CASEFILE_KEY_FILE (key.go)
	if err != nil {
		return nil, err
	}
	return k.Unlock(secret)
}

// storeExists reports whether the data folder holds a store.
func (a *app) storeExists() bool {
	_, err := os.Stat(filepath.Join(a.cfg.DataDir, vault.KeyringFile))
	return err == nil
}

// actorContext names the person at the terminal as the actor of what the command writes.
func actorContext(ctx context.Context) context.Context {
	name := os.Getenv("USER")
	if name == "" {
		name = "unknown"
	}
	return casefile.NewContextWithActor(ctx, "cli:"+name)
}
