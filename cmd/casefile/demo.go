package main

import (
	"context"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/demo"
	"github.com/casefile/casefile/sqldb"
)

// serveHook serves the web application on db; set by serve.go.
var serveHook func(ctx context.Context, a *app, db *sqldb.DB) error

// demoHooks run after the demonstration bundle is loaded into a new store (the legal
// assessments, for example). Each returns how many records it wrote.
var demoHooks []func(ctx context.Context, a *app, db *sqldb.DB) (int, error)

func init() {
	register(&command{Name: "demo", Summary: "create a store with the reference paper's data, then serve it (--no-serve only loads)", Run: runDemo})
}

func runDemo(ctx context.Context, a *app, args []string) error {
	fs := a.flags("demo")
	noServe := fs.Bool("no-serve", false, "load the demonstration data and stop")
	fs.StringVar(&a.cfg.Addr, "addr", a.cfg.Addr, "address to serve on")
	if _, err := a.parse(fs, args); err != nil {
		return err
	}
	ctx = casefile.NewContextWithActor(ctx, "demo")
	var db *sqldb.DB
	var err error
	switch {
	case a.cfg.DatabaseURL != "":
		if db, err = withVocab(sqldb.OpenPostgres(ctx, a.cfg.DatabaseURL)); err != nil {
			return err
		}
		if err := loadDemo(ctx, a, db); err != nil && casefile.ErrorKind(err) != casefile.ECONFLICT {
			db.Close()
			return err
		}
	case a.storeExists():
		a.infof("Using the existing store in %s.", a.cfg.DataDir)
		if a.cfg.passphrase == "" && a.cfg.passphraseFile == "" {
			a.cfg.passphrase = demo.Passphrase // a demo store made without a passphrase of its own
		}
		if db, err = a.openStore(ctx); err != nil {
			return err
		}
	default:
		pass, err := a.passphrase("", demo.Passphrase)
		if err != nil {
			return err
		}
		var recovery string
		if db, recovery, err = createStore(ctx, a, pass); err != nil {
			return err
		}
		if err := loadDemo(ctx, a, db); err != nil {
			db.Close()
			return err
		}
		if a.cfg.passphrase == "" && a.cfg.passphraseFile == "" {
			a.infof("Demonstration passphrase: %s (set CASEFILE_PASSPHRASE to choose your own)", demo.Passphrase)
		}
		a.infof("Recovery key: %s", recovery)
	}
	defer db.Close()
	if *noServe {
		return nil
	}
	if serveHook == nil {
		a.infof("This build has no web server; the demonstration store is ready in %s.", a.cfg.DataDir)
		return nil
	}
	return serveHook(ctx, a, db)
}

// loadDemo imports the demonstration bundle and runs the demo hooks.
func loadDemo(ctx context.Context, a *app, db *sqldb.DB) error {
	b, err := demo.Bundle()
	if err != nil {
		return err
	}
	if err := db.ImportBundle(ctx, b); err != nil {
		return err
	}
	a.infof("Loaded the demonstration data: %d people, %d testimonies, %d events, %d acts, %d sources, %d indicators.",
		len(b.Persons), len(b.Testimonies), len(b.Events), len(b.Acts), len(b.Sources), len(b.Indicators))
	for _, h := range demoHooks {
		if _, err := h(ctx, a, db); err != nil {
			return err
		}
	}
	return nil
}
