package main

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/ledger"
	"github.com/casefile/casefile/sqldb"
)

func init() {
	register(&command{Name: "verify", Summary: "check the audit chain, evidence hashes and signatures of the store or a bundle", Run: runVerify})
}

func runVerify(ctx context.Context, a *app, args []string) error {
	fs := a.flags("verify")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	trusted := fs.String("key", "", "the instance public key (base64, or a file holding it) a bundle must be signed with")
	noCheckpoint := fs.Bool("no-checkpoint", false, "do not sign a new checkpoint after a clean check of the store")
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usagef("casefile verify [BUNDLE]")
	}
	var r *ledger.Report
	if len(pos) == 1 {
		var opts ledger.VerifyOptions
		if *trusted != "" {
			if opts.Trusted, err = parsePublicKey(*trusted); err != nil {
				return err
			}
		}
		if r, err = ledger.VerifyBundle(ctx, pos[0], opts); err != nil {
			return err
		}
	} else {
		s, err := a.openSecure(ctx)
		if err != nil {
			return err
		}
		defer s.Close()
		if r, err = verifyStore(actorContext(ctx), s, !*noCheckpoint); err != nil {
			return err
		}
	}
	if *asJSON {
		if err := a.printJSON(r); err != nil {
			return err
		}
	} else {
		printReport(a, r)
	}
	if !r.OK {
		n := len(r.Problems) + r.Omitted
		return casefile.Errorf(casefile.EINVALID, "verify", "verification failed: %d problem(s) found", n)
	}
	return nil
}

func printReport(a *app, r *ledger.Report) {
	what := "The store"
	if r.Target == "bundle" {
		what = "The bundle " + r.Path
	}
	for _, p := range r.Problems {
		fmt.Fprintf(a.stdout, "MISMATCH %s\n", p)
	}
	if r.Omitted > 0 {
		fmt.Fprintf(a.stdout, "… and %d more\n", r.Omitted)
	}
	if r.OK {
		fmt.Fprintf(a.stdout, "%s verifies: ", what)
	} else {
		fmt.Fprintf(a.stdout, "%s does NOT verify: ", what)
	}
	if r.Target == "bundle" {
		fmt.Fprintf(a.stdout, "%d files (%d bytes), %d records, audit head %d.\n", r.Files, r.Bytes, r.Records, r.HeadSeq)
	} else {
		fmt.Fprintf(a.stdout, "%d audit entries (head %d), %d checkpoints, %d evidence files (%d bytes).\n", r.Entries, r.HeadSeq, r.Checkpoints, r.Files, r.Bytes)
	}
	if r.Fingerprint != "" {
		fmt.Fprintf(a.stdout, "Instance key fingerprint: %s\n", r.Fingerprint)
	}
}

func parsePublicKey(s string) (ed25519.PublicKey, error) {
	if b, err := os.ReadFile(s); err == nil {
		s = string(b)
	}
	k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || len(k) != ed25519.PublicKeySize {
		return nil, usagef("--key: not an Ed25519 public key in base64 (the content of a bundle's instance.pub)")
	}
	return k, nil
}

// verifyStore checks the live store: every checkpoint's signature, the whole audit chain against
// its head and the checkpoints, every stored evidence file against its intake hash, and that no
// stored file's record was removed. A clean check is sealed with a new signed checkpoint.
func verifyStore(ctx context.Context, s *secureStore, sign bool) (*ledger.Report, error) {
	r := &ledger.Report{Target: "store"}
	key, err := s.instanceKey(ctx)
	if err != nil {
		return nil, err
	}
	pub := key.Public().(ed25519.PublicKey)
	r.PublicKey, r.Fingerprint = base64.StdEncoding.EncodeToString(pub), ledger.Fingerprint(pub)
	if id, err := s.db.Setting(ctx, sqldb.KeyIDSetting); err != nil {
		return nil, err
	} else if id != "" && s.keyring != nil && id != s.keyring.KeyID {
		r.Add("keys.json", "wraps key %s but the store was last re-encrypted under key %s", s.keyring.KeyID, id)
	}
	cps, err := s.db.FindCheckpoints(ctx)
	if err != nil {
		return nil, err
	}
	var good []*casefile.Checkpoint
	for _, c := range cps {
		if msg := ledger.VerifyCheckpoint(c, pub); msg != "" {
			r.Add(fmt.Sprintf("checkpoint %d", c.Seq), "%s", msg)
			continue
		}
		good = append(good, c)
	}
	r.Checkpoints = len(cps)
	chain := ledger.NewChainChecker(r, good)
	stored := map[string]bool{} // evidence items whose file the ledger says was stored
	headSeq, _, err := s.db.AuditHead(ctx)
	if err != nil {
		return nil, err
	}
	pr := s.a.progress("Checking the audit ledger", "entries", headSeq)
	defer pr.finish()
	if err := s.db.EachAuditEntry(ctx, 0, func(e *casefile.AuditEntry) error {
		chain.Add(e)
		pr.add(1)
		if e.Action == "store" && e.ObjectKind == "evidence_file" {
			stored[e.ObjectID] = true
		}
		return ctx.Err()
	}); err != nil {
		return nil, err
	}
	seq, hash, err := s.db.AuditHead(ctx)
	if err != nil {
		return nil, err
	}
	chain.Finish(seq, hash)

	files, err := s.db.FindEvidenceFiles(ctx)
	if err != nil {
		return nil, err
	}
	ev := s.evidence()
	for _, f := range files {
		delete(stored, f.EvidenceID)
		obj := "evidence item " + f.EvidenceID
		item, err := s.db.FindEvidenceByID(ctx, f.EvidenceID)
		if err != nil {
			r.Add(obj, "its record is missing")
			continue
		}
		msg, n, err := ev.Check(ctx, f.Address, item.SHA256, item.Size)
		if err != nil {
			return nil, err
		}
		r.Files++
		r.Bytes += n
		if msg != "" {
			r.Add(obj+" (file "+blobPath(s, f.Address)+")", "%s", msg)
		}
	}
	var removed []string
	for id := range stored {
		removed = append(removed, id)
	}
	sort.Strings(removed)
	for _, id := range removed {
		r.Add("evidence item "+id, "the ledger records its file as stored, but the store no longer lists it (removed)")
	}
	r.Finish()
	if r.OK && sign {
		if _, err := s.checkpoint(ctx, key); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// blobPath names where an evidence blob lives, for a report.
func blobPath(s *secureStore, address string) string {
	if s.db.Dialect() == "postgres" {
		return "blob_chunks " + address
	}
	if !validAddress(address) {
		return EvidenceDir + "/ (a damaged address)"
	}
	return EvidenceDir + "/" + address[:2] + "/" + address
}

// validAddress reports whether address is what vault.Evidence.Address makes: 64 lower-case hex
// digits, safe to use as a file name.
func validAddress(address string) bool {
	if len(address) != 64 {
		return false
	}
	for _, c := range address {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
