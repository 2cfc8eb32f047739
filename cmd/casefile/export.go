package main

import (
	"context"
	"crypto/ed25519"
	"io"
	"path/filepath"
	"strings"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/ledger"
)

func init() {
	register(&command{Name: "export", Summary: "export a signed bundle (records, evidence, manifest), filtered by consent", Run: runExport})
}

func runExport(ctx context.Context, a *app, args []string) error {
	fs := a.flags("export")
	out := fs.String("out", "", "the bundle folder to write: a new path, or an earlier bundle, which is replaced once the new one is complete")
	use := fs.String("use", casefile.ConsentInternal, "what the bundle is for: internal, anonymised, un_submission or named_publication; only people whose consent allows it are included")
	noEvidence := fs.Bool("no-evidence", false, "leave evidence files out (the records still list them)")
	asJSON := fs.Bool("json", false, "print a summary as JSON")
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 || *out == "" {
		return usagef("casefile export --out DIR [--use SCOPE] [--no-evidence]")
	}
	if err := casefile.ValidUse(*use); err != nil {
		return usagef("--use: %s", casefile.ErrorMessage(err))
	}
	ctx = actorContext(ctx)
	s, err := a.openSecure(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	key, err := s.instanceKey(ctx)
	if err != nil {
		return err
	}
	full, err := s.db.ExportBundle(ctx)
	if err != nil {
		return err
	}
	now := s.db.Now()
	b := casefile.Redact(full, *use, now)
	withheld := len(full.Persons) - len(b.Persons)
	id := casefile.NewID("bundle")
	b.Instance = ledger.Fingerprint(key.Public().(ed25519.PublicKey))
	// The export is recorded before the head is signed, so the bundle's checkpoint covers it.
	if err := s.db.RecordAccess(ctx, "export", "bundle", id); err != nil {
		return err
	}
	cp, err := s.checkpoint(ctx, key)
	if err != nil {
		return err
	}
	opts := ledger.WriteOptions{Key: key, Use: *use, Withheld: withheld, Head: ledger.ManifestHead{Seq: cp.Seq, Hash: cp.Hash}, Checkpoint: cp, Now: now,
		Replace: true}
	if !*noEvidence {
		ev := s.evidence()
		opts.Evidence = func(ctx context.Context, e *casefile.EvidenceItem) (io.ReadCloser, error) {
			f, err := s.db.FindEvidenceFile(ctx, e.ID)
			if err != nil {
				return nil, err
			}
			return ev.Open(ctx, f.Address)
		}
	}
	dir := strings.TrimRight(*out, "/")
	m, err := ledger.WriteBundle(ctx, dir, b, opts)
	if err != nil {
		return err
	}
	files := len(m.Files) - 1
	if *asJSON {
		return a.printJSON(map[string]any{"bundle": dir, "id": id, "use": *use, "records": len(m.Records), "evidence_files": files,
			"withheld_persons": withheld, "audit_head_seq": cp.Seq, "fingerprint": ledger.Fingerprint(key.Public().(ed25519.PublicKey))})
	}
	a.infof("Exported %d records and %d evidence file(s) for %s use to %s (%d person(s) withheld for consent).", len(m.Records), files, *use, filepath.Clean(dir), withheld)
	a.infof("Signed by instance key %s. Check it with: casefile verify %s", ledger.Fingerprint(key.Public().(ed25519.PublicKey)), filepath.Clean(dir))
	return nil
}

// verifiedRecords verifies a bundle folder and returns the path of its records file, for import.
// A bundle that does not verify is EINVALID naming its first mismatch.
func verifiedRecords(dir string) (string, error) {
	r, err := ledger.VerifyBundle(context.Background(), dir, ledger.VerifyOptions{})
	if err != nil {
		return "", err
	}
	if !r.OK {
		return "", casefile.Errorf(casefile.EINVALID, "import", "%s does not verify (%s): run 'casefile verify %s'", dir, r.Problems[0], dir)
	}
	return filepath.Join(dir, ledger.RecordsFile), nil
}
