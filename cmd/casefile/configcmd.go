package main

import (
	"context"
	"fmt"
	"net/url"
	"strings"
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

// redactURL hides the passwords of a database URL: in its user information and in any query
// parameter that holds one (?password=…, ?sslpassword=…). A connection string that is not a
// postgres:// URL (libpq's "host=… password=…" form) is hidden whole.
func redactURL(s string) string {
	if s == "" {
		return ""
	}
	if !strings.HasPrefix(s, "postgres://") && !strings.HasPrefix(s, "postgresql://") {
		return "(set, hidden: not a postgres:// URL)"
	}
	u, err := url.Parse(s)
	if err != nil {
		return "(unparseable, hidden)"
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return "(unparseable, hidden)"
	}
	for k := range q {
		if strings.Contains(strings.ToLower(k), "password") {
			q[k] = []string{"xxxxx"}
		}
	}
	u.RawQuery = q.Encode()
	return u.Redacted()
}
