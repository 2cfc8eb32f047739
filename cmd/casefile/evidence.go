package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"mime"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/casefile/casefile"
	"golang.org/x/term"
)

func init() {
	register(&command{Name: "evidence", Summary: "evidence files: add (hash, encrypt, store), get, list, custody", Run: runEvidence})
}

const evidenceUsage = "casefile evidence add FILE (--source ID | --testimony ID) [--from WHERE] [--description TEXT] | get ID --out FILE | list | custody ID"

func runEvidence(ctx context.Context, a *app, args []string) error {
	fs := a.flags("evidence")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	source := fs.String("source", "", "the source the file supports (add)")
	testimony := fs.String("testimony", "", "the testimony the file records (add)")
	from := fs.String("from", "", "where the file came from: device, person, address (add)")
	description := fs.String("description", "", "what the file shows (add)")
	mediaType := fs.String("media-type", "", "the file's media type (add; default from its extension)")
	out := fs.String("out", "", "where to write the file (get); - for standard output")
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("%s", evidenceUsage)
	}
	ctx = actorContext(ctx)
	switch pos[0] {
	case "add":
		if len(pos) != 2 || (*source == "") == (*testimony == "") {
			return usagef("casefile evidence add FILE (--source ID | --testimony ID)")
		}
		return evidenceAdd(ctx, a, pos[1], &casefile.EvidenceItem{SourceID: *source, TestimonyID: *testimony, AddedFrom: *from, Description: *description, MediaType: *mediaType}, *asJSON)
	case "get":
		if len(pos) != 2 || *out == "" {
			return usagef("casefile evidence get ID --out FILE")
		}
		return evidenceGet(ctx, a, pos[1], *out)
	case "list":
		s, err := a.openSecure(ctx)
		if err != nil {
			return err
		}
		defer s.Close()
		items, _, err := s.db.FindEvidence(ctx, casefile.EvidenceFilter{})
		if err != nil {
			return err
		}
		if *asJSON {
			return a.printJSON(map[string]any{"evidence": nonNilItems(items)})
		}
		for _, e := range items {
			fmt.Fprintf(a.stdout, "%s  %12d  %s  %s  %s\n", e.ID, e.Size, e.SHA256[:16], e.AddedAt.Format("2006-01-02"), e.FileName)
		}
		return nil
	case "custody":
		if len(pos) != 2 {
			return usagef("casefile evidence custody ID")
		}
		return evidenceCustody(ctx, a, pos[1], *asJSON)
	}
	return usagef("%s", evidenceUsage)
}

func nonNilItems(s []*casefile.EvidenceItem) []*casefile.EvidenceItem {
	if s == nil {
		return []*casefile.EvidenceItem{}
	}
	return s
}

// evidenceAdd streams a file in: hashed and encrypted on the way, stored under its address, and
// recorded with who added it, when and from where.
func evidenceAdd(ctx context.Context, a *app, path string, item *casefile.EvidenceItem, asJSON bool) error {
	f, err := os.Open(path)
	if err != nil {
		return casefile.Errorf(casefile.EINVALID, "evidence add", "cannot open %s", path)
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return casefile.Errorf(casefile.EINVALID, "evidence add", "%s is not a regular file", path)
	}
	s, err := a.openSecure(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	// Check the references before the (possibly long) upload.
	if item.SourceID != "" {
		if _, err := s.db.FindSourceByID(ctx, item.SourceID); err != nil {
			return err
		}
	}
	if item.TestimonyID != "" {
		if _, err := s.db.FindTestimonyByID(ctx, item.TestimonyID); err != nil {
			return err
		}
	}
	size := int64(0)
	if fi, err := f.Stat(); err == nil {
		size = fi.Size()
	}
	pr := a.progress("Encrypting "+filepath.Base(path), "bytes", size)
	st, err := s.evidence().Put(ctx, progressReader{f, pr})
	pr.finish()
	if err != nil {
		return err
	}
	item.FileName = filepath.Base(path)
	item.Size, item.SHA256 = st.Size, st.SHA256
	if item.MediaType == "" {
		item.MediaType = mime.TypeByExtension(filepath.Ext(path))
	}
	if item.AddedFrom == "" {
		host, _ := os.Hostname()
		item.AddedFrom = "cli on " + host
	}
	if err := s.db.CreateEvidenceWithFile(ctx, item, &casefile.EvidenceFile{Address: st.Address, StoredSize: st.StoredSize}); err != nil {
		return err
	}
	if asJSON {
		return a.printJSON(item)
	}
	fmt.Fprintf(a.stdout, "%s\n", item.ID)
	a.infof("Stored %s (%d bytes, SHA-256 %s), encrypted.", item.FileName, item.Size, item.SHA256)
	return nil
}

// evidenceGet decrypts an evidence file to out, checking it against its intake hash; the read is
// recorded in the audit ledger before any byte leaves the store.
func evidenceGet(ctx context.Context, a *app, id, out string) error {
	s, err := a.openSecure(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	item, err := s.db.FindEvidenceByID(ctx, id)
	if err != nil {
		return err
	}
	f, err := s.db.FindEvidenceFile(ctx, id)
	if err != nil {
		return err
	}
	if err := s.db.RecordAccess(ctx, "read", "evidence", id); err != nil {
		return err
	}
	rc, err := s.evidence().Open(ctx, f.Address)
	if err != nil {
		return err
	}
	defer rc.Close()
	var w io.Writer = a.stdout
	var file *os.File
	if out != "-" {
		if file, err = os.OpenFile(out, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600); err != nil {
			return usagef("cannot create %s (it must not exist yet)", out)
		}
		w = file
	}
	h := newHashWriter(w)
	var pr *progress
	if file != nil {
		pr = a.progress("Decrypting "+item.FileName, "bytes", item.Size)
	}
	n, err := io.Copy(h, progressReader{rc, pr})
	pr.finish()
	if err == nil && (n != item.Size || h.sum() != item.SHA256) {
		err = casefile.Errorf(casefile.EINVALID, "evidence get", "the stored file no longer matches its intake hash")
	}
	if file != nil {
		if cerr := file.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(out)
		}
	}
	if casefile.ErrorKind(err) == casefile.EINVALID {
		note := ""
		if file != nil {
			note = "; " + out + " was not kept"
		}
		return casefile.Errorf(casefile.EINVALID, "evidence get", "evidence item %s (file %s): %s%s", id, blobPath(s, f.Address), casefile.ErrorMessage(err), note)
	}
	if err != nil {
		return casefile.Wrap("evidence get", err)
	}
	if file != nil {
		a.infof("Wrote %s (%d bytes, SHA-256 verified).", out, n)
	}
	return nil
}

// evidenceCustody prints an item's chain of custody: its record and every ledger entry about it.
func evidenceCustody(ctx context.Context, a *app, id string, asJSON bool) error {
	s, err := a.openSecure(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	item, err := s.db.FindEvidenceByID(ctx, id)
	if err != nil {
		return err
	}
	var entries []*casefile.AuditEntry
	for _, kind := range []string{"evidence", "evidence_file"} {
		k := kind
		es, _, err := s.db.FindAuditEntries(ctx, casefile.AuditFilter{ObjectKind: &k, ObjectID: &id})
		if err != nil {
			return err
		}
		entries = append(entries, es...)
	}
	sortEntries(entries)
	file, _ := s.db.FindEvidenceFile(ctx, id)
	if asJSON {
		return a.printJSON(map[string]any{"item": item, "file": file, "custody": entries})
	}
	fmt.Fprintf(a.stdout, "%s  %s  %d bytes  SHA-256 %s\nAdded by %s from %q at %s\n", item.ID, item.FileName, item.Size, item.SHA256, item.AddedBy, item.AddedFrom, item.AddedAt.Format(time.RFC3339))
	for _, e := range entries {
		fmt.Fprintf(a.stdout, "  #%d  %s  %-8s %-14s by %s\n", e.Seq, e.At.Format(time.RFC3339), e.Action, e.ObjectKind, e.Actor)
	}
	return nil
}

func sortEntries(es []*casefile.AuditEntry) {
	sort.Slice(es, func(i, j int) bool { return es[i].Seq < es[j].Seq })
}

// hashWriter passes bytes on and hashes them.
type hashWriter struct {
	w io.Writer
	h hash.Hash
}

func newHashWriter(w io.Writer) *hashWriter { return &hashWriter{w: w, h: sha256.New()} }

func (h *hashWriter) Write(p []byte) (int, error) {
	n, err := h.w.Write(p)
	h.h.Write(p[:n])
	return n, err
}

func (h *hashWriter) sum() string { return hex.EncodeToString(h.h.Sum(nil)) }

// progress shows how far long work has got, on a terminal only (never in --json output or logs).
type progress struct {
	w           io.Writer
	label, unit string
	total, n    int64
	last        time.Time
}

// progress returns a progress line for work of total units ("bytes" or "entries"); nil (which
// ignores every call) when stderr is not a terminal.
func (a *app) progress(label, unit string, total int64) *progress {
	f, ok := a.stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return &progress{w: f, label: label, unit: unit, total: total, last: time.Now()}
}

func (p *progress) add(n int64) {
	if p == nil {
		return
	}
	p.n += n
	if time.Since(p.last) < 300*time.Millisecond {
		return
	}
	p.last = time.Now()
	amount := func(v int64) string {
		if p.unit == "bytes" {
			return fmt.Sprintf("%.1f MiB", float64(v)/(1<<20))
		}
		return fmt.Sprintf("%d %s", v, p.unit)
	}
	if p.total > 0 {
		fmt.Fprintf(p.w, "\r%s: %3d%% (%s of %s)  ", p.label, p.n*100/p.total, amount(p.n), amount(p.total))
	} else {
		fmt.Fprintf(p.w, "\r%s: %s  ", p.label, amount(p.n))
	}
}

func (p *progress) finish() {
	if p != nil {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// progressReader counts what passes through it.
type progressReader struct {
	r io.Reader
	p *progress
}

func (r progressReader) Read(b []byte) (int, error) {
	n, err := r.r.Read(b)
	r.p.add(int64(n))
	return n, err
}
