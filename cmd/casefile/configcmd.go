package main

import (
	"context"
	"fmt"
	"net/url"
)

func init() {
	register(&command{Name: "config", Summary: "print the effective configuration, secrets hidden", Run: runConfig})
}

func runConfig(ctx context.Context, a *app, args []string) error {
	fs := a.flags("config")
	asJSON := fs.Bool("json", false, "print as JSON")
	if _, err := a.parse(fs, args); err != nil {
		return err
	}
	pass := "not set (prompted when needed)"
	switch {
	case a.cfg.passphrase != "":
		pass = "set by CASEFILE_PASSPHRASE (hidden)"
	case a.cfg.passphraseFile != "":
		pass = "read from CASEFILE_PASSPHRASE_FILE " + a.cfg.passphraseFile
	}
	backend := "embedded encrypted SQLite in " + a.cfg.DataDir
	if a.cfg.DatabaseURL != "" {
		backend = "PostgreSQL"
	}
	eff := map[string]string{
		"backend":      backend,
		"data_dir":     a.cfg.DataDir,
		"database_url": redactURL(a.cfg.DatabaseURL),
		"addr":         a.cfg.Addr,
		"passphrase":   pass,
	}
	if *asJSON {
		return a.printJSON(eff)
	}
	for _, k := range []string{"backend", "data_dir", "database_url", "addr", "passphrase"} {
		fmt.Fprintf(a.stdout, "%-13s %s\n", k, eff[k])
	}
	return nil
}

// redactURL hides the password of a database URL.
func redactURL(s string) string {
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil {
		return "(unparseable, hidden)"
	}
	return u.Redacted()
}
