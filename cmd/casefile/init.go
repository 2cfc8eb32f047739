package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/casefile/casefile/sqldb"
	"github.com/casefile/casefile/vault"
)

func init() {
	register(&command{Name: "init", Summary: "create an encrypted store; print the recovery key once", Run: runInit})
}

func runInit(ctx context.Context, a *app, args []string) error {
	fs := a.flags("init")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if _, err := a.parse(fs, args); err != nil {
		return err
	}
	if a.cfg.DatabaseURL != "" {
		db, err := sqldb.OpenPostgres(ctx, a.cfg.DatabaseURL)
		if err != nil {
			return err
		}
		defer db.Close()
		a.infof("PostgreSQL store ready (schema up to date).")
		return nil
	}
	pass, err := a.passphrase("New passphrase: ", "")
	if err != nil {
		return err
	}
	db, recovery, err := createStore(ctx, a, pass)
	if err != nil {
		return err
	}
	defer db.Close()
	if *asJSON {
		return a.printJSON(map[string]string{"data_dir": a.cfg.DataDir, "recovery_key": recovery})
	}
	printRecovery(a, recovery)
	return nil
}

// createStore creates the keyring and the encrypted SQLite store in the data folder.
func createStore(ctx context.Context, a *app, pass string) (*sqldb.DB, string, error) {
	key, recovery, err := vault.Init(a.cfg.DataDir, pass, vault.DefaultKDF)
	if err != nil {
		return nil, "", err
	}
	db, err := withVocab(sqldb.OpenSQLite(ctx, filepath.Join(a.cfg.DataDir, DatabaseFile), sqldb.SQLiteOptions{Key: key}))
	if err != nil {
		return nil, "", err
	}
	return db, recovery, nil
}

func printRecovery(a *app, recovery string) {
	fmt.Fprintf(a.stdout, "Created an encrypted store in %s.\n\nRecovery key (shown only now; write it down and keep it apart from the laptop):\n\n    %s\n\n", a.cfg.DataDir, recovery)
}
