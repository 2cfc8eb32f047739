package main

import (
	"context"
	"os"

	"github.com/casefile/casefile/exchange"
)

func init() {
	register(&command{Name: "export", Summary: "export every record as a JSON bundle", Run: runExport})
}

func runExport(ctx context.Context, a *app, args []string) error {
	fs := a.flags("export")
	out := fs.String("out", "", "write the bundle to this file (default: standard output)")
	if _, err := a.parse(fs, args); err != nil {
		return err
	}
	db, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	b, err := db.ExportBundle(ctx)
	if err != nil {
		return err
	}
	if *out == "" {
		return exchange.WriteBundle(a.stdout, b)
	}
	f, err := os.OpenFile(*out, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return usagef("cannot create %s (it must not exist yet)", *out)
	}
	if err := exchange.WriteBundle(f, b); err != nil {
		f.Close()
		os.Remove(*out)
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	a.infof("Exported %d acts, %d persons to %s.", len(b.Acts), len(b.Persons), *out)
	return nil
}
