package ledger

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/casefile/casefile"
)

// Names of the files of a bundle folder.
const (
	RecordsFile   = "records.json"  // the records: a casefile.Bundle, what import reads
	ManifestFile  = "manifest.json" // every file's size and SHA-256, every record's hash
	SignatureFile = "signature"     // Ed25519 signature of manifest.json, base64
	PublicKeyFile = "instance.pub"  // the instance's public key, base64, for the reader's convenience
	EvidenceDir   = "evidence"      // evidence files named by the SHA-256 of their content
)

// ManifestFormat identifies a bundle manifest; a reader refuses a later major version.
const (
	ManifestFormat  = "casefile-bundle-manifest"
	ManifestVersion = 1
)

// maxManifest bounds what the manifest reader accepts: a bundle of a million records has a
// manifest of about 150 MB; anything larger is not a manifest this binary wrote.
const maxManifest = 512 << 20

// Manifest lists every file of a bundle with its size and SHA-256 and the hash of every record,
// and is signed with the instance's key.
type Manifest struct {
	Format     string               `json:"format"`
	Version    int                  `json:"version"`
	CreatedAt  time.Time            `json:"created_at"`
	Use        string               `json:"use"` // the consent scope the bundle was filtered for
	PublicKey  string               `json:"instance_public_key"`
	AuditHead  ManifestHead         `json:"audit_head"`
	Checkpoint *casefile.Checkpoint `json:"checkpoint,omitempty"`
	Files      []ManifestEntry      `json:"files"`
	Records    []ManifestRecord     `json:"records"`
	Withheld   int                  `json:"withheld_persons"` // people left out for consent, counted only
}

// ManifestHead is the audit ledger's tip when the bundle was made.
type ManifestHead struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

// ManifestEntry is one file of the bundle.
type ManifestEntry struct {
	Path       string `json:"path"` // slash-separated, relative to the bundle folder
	Size       int64  `json:"size"`
	SHA256     string `json:"sha256"`
	EvidenceID string `json:"evidence_id,omitempty"`
}

// ManifestRecord is the hash (casefile.HashObject) of one record of records.json.
type ManifestRecord struct {
	List   string `json:"list"`
	ID     string `json:"id"`
	SHA256 string `json:"sha256"`
}

// ParseManifest reads and checks a manifest: format and version, and every path, size and hash
// well formed. It returns EINVALID naming the field and position of what is wrong.
func ParseManifest(b []byte) (*Manifest, error) {
	const op = "ledger.ParseManifest"
	if len(b) > maxManifest {
		return nil, casefile.Errorf(casefile.EINVALID, op, "%s: larger than %d MiB", ManifestFile, maxManifest>>20)
	}
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&m); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, casefile.Errorf(casefile.EINVALID, op, "%s: not valid JSON at byte %d", ManifestFile, se.Offset)
		}
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, casefile.Errorf(casefile.EINVALID, op, "%s: not valid JSON: it ends too early (truncated)", ManifestFile)
		}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, casefile.Errorf(casefile.EINVALID, op, "%s: field %s has the wrong type", ManifestFile, te.Field)
		}
		return nil, casefile.Errorf(casefile.EINVALID, op, "%s: not a manifest (%s)", ManifestFile, trimErr(err))
	}
	if dec.More() {
		return nil, casefile.Errorf(casefile.EINVALID, op, "%s: text after the manifest", ManifestFile)
	}
	if m.Format != ManifestFormat {
		return nil, casefile.Errorf(casefile.EINVALID, op, "%s: format %q is not a Casefile bundle manifest", ManifestFile, clip(m.Format))
	}
	if m.Version < 1 || m.Version > ManifestVersion {
		return nil, casefile.Errorf(casefile.EINVALID, op, "%s: version %d is not supported (this binary reads 1 to %d)", ManifestFile, m.Version, ManifestVersion)
	}
	if k, err := base64.StdEncoding.DecodeString(m.PublicKey); err != nil || len(k) != ed25519.PublicKeySize {
		return nil, casefile.Errorf(casefile.EINVALID, op, "%s: instance_public_key is not an Ed25519 public key", ManifestFile)
	}
	seen := map[string]bool{}
	hasRecords := false
	for i, f := range m.Files {
		if !validPath(f.Path) {
			return nil, casefile.Errorf(casefile.EINVALID, op, "%s: files[%d]: path %q is not a plain relative path inside the bundle", ManifestFile, i, clip(f.Path))
		}
		if seen[f.Path] {
			return nil, casefile.Errorf(casefile.EINVALID, op, "%s: files[%d]: path %q is listed twice", ManifestFile, i, f.Path)
		}
		seen[f.Path] = true
		if f.Size < 0 {
			return nil, casefile.Errorf(casefile.EINVALID, op, "%s: files[%d] (%s): size is negative", ManifestFile, i, f.Path)
		}
		if !validHash(f.SHA256) {
			return nil, casefile.Errorf(casefile.EINVALID, op, "%s: files[%d] (%s): sha256 must be 64 lower-case hex digits", ManifestFile, i, f.Path)
		}
		hasRecords = hasRecords || f.Path == RecordsFile
	}
	if !hasRecords {
		return nil, casefile.Errorf(casefile.EINVALID, op, "%s: files does not list %s", ManifestFile, RecordsFile)
	}
	for i, r := range m.Records {
		if r.List == "" || !validHash(r.SHA256) {
			return nil, casefile.Errorf(casefile.EINVALID, op, "%s: records[%d]: list and a 64-digit sha256 are required", ManifestFile, i)
		}
	}
	return &m, nil
}

func trimErr(err error) string { return clip(strings.TrimPrefix(err.Error(), "json: ")) }

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

func validHash(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// validPath accepts clean, relative, slash-separated paths of ordinary names: nothing that could
// reach outside the bundle folder.
func validPath(p string) bool {
	if p == "" || len(p) > 512 || strings.ContainsAny(p, "\\:\x00") || path.Clean(p) != p || path.IsAbs(p) {
		return false
	}
	for _, part := range strings.Split(p, "/") {
		if part == "" || part == "." || part == ".." || strings.HasPrefix(part, ".") {
			return false
		}
	}
	return p != ManifestFile && p != SignatureFile && p != PublicKeyFile
}

func signatureMessage(manifest []byte) []byte {
	return append([]byte("casefile-bundle-manifest-v1\n"), manifest...)
}

// records lists every record of a bundle with its list name and ID, in the bundle's order.
func records(b *casefile.Bundle) []struct {
	list, id string
	v        any
} {
	var out []struct {
		list, id string
		v        any
	}
	add := func(list, id string, v any) {
		out = append(out, struct {
			list, id string
			v        any
		}{list, id, v})
	}
	for _, r := range b.Persons {
		add("persons", r.ID, r)
	}
	for _, r := range b.Consents {
		add("consents", r.ID, r)
	}
	for _, r := range b.Sources {
		add("sources", r.ID, r)
	}
	for _, r := range b.Evidence {
		add("evidence", r.ID, r)
	}
	for _, r := range b.Testimonies {
		add("testimonies", r.ID, r)
	}
	for _, r := range b.Events {
		add("events", r.ID, r)
	}
	for _, r := range b.Acts {
		add("acts", r.ID, r)
	}
	for _, r := range b.Information {
		add("information", r.ID, r)
	}
	for _, r := range b.Interventions {
		add("interventions", r.ID, r)
	}
	for _, r := range b.Indicators {
		add("indicators", r.ID, r)
	}
	for _, r := range b.Assessments {
		add("assessments", r.ID, r)
	}
	return out
}

// WriteOptions say how WriteBundle signs and what it adds.
type WriteOptions struct {
	Key        ed25519.PrivateKey // the instance key
	Use        string             // the consent scope b was filtered for (casefile.Redact)
	Withheld   int                // how many people Redact left out
	Head       ManifestHead
	Checkpoint *casefile.Checkpoint
	Now        time.Time
	// Evidence opens the plaintext of an item's file; ENOTFOUND when the item has no stored file
	// (it is then listed in the records only). Nil leaves every file out.
	Evidence func(ctx context.Context, e *casefile.EvidenceItem) (io.ReadCloser, error)
	// Replace lets dir be an earlier bundle folder (one holding a manifest), which the new bundle
	// replaces once it is complete. Any other existing file or folder is never touched.
	Replace bool
}

// WriteBundle writes b as a bundle folder at dir (which must not exist, or with Replace be an
// earlier bundle): records.json, each
// evidence file, the manifest and its signature. It writes into a temporary folder beside dir and
// renames it at the end, so dir is complete or absent. An evidence file whose content no longer
// matches the hash taken at intake stops the export with EINVALID naming the item.
func WriteBundle(ctx context.Context, dir string, b *casefile.Bundle, opts WriteOptions) (*Manifest, error) {
	const op = "ledger.WriteBundle"
	if opts.Key == nil {
		return nil, casefile.Errorf(casefile.EINTERNAL, op, "no instance key to sign with")
	}
	replacing := false
	if _, err := os.Lstat(dir); err == nil {
		st, err := os.Lstat(filepath.Join(dir, ManifestFile))
		if !opts.Replace || err != nil || !st.Mode().IsRegular() {
			return nil, casefile.Errorf(casefile.ECONFLICT, op, "%s exists already and is not an earlier bundle: choose another --out", dir)
		}
		replacing = true
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".tmp-")
	if err != nil {
		return nil, casefile.Errorf(casefile.EINVALID, op, "cannot write beside %s", dir)
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	m := &Manifest{Format: ManifestFormat, Version: ManifestVersion, CreatedAt: now.UTC().Truncate(time.Second), Use: opts.Use,
		PublicKey: base64.StdEncoding.EncodeToString(opts.Key.Public().(ed25519.PublicKey)),
		AuditHead: opts.Head, Checkpoint: opts.Checkpoint, Withheld: opts.Withheld, Files: []ManifestEntry{}, Records: []ManifestRecord{}}

	recs, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return nil, casefile.Wrap(op, err)
	}
	recs = append(recs, '\n')
	if err := os.WriteFile(filepath.Join(tmp, RecordsFile), recs, 0o600); err != nil {
		return nil, casefile.Wrap(op, err)
	}
	sum := sha256.Sum256(recs)
	m.Files = append(m.Files, ManifestEntry{Path: RecordsFile, Size: int64(len(recs)), SHA256: hex.EncodeToString(sum[:])})
	for _, r := range records(b) {
		m.Records = append(m.Records, ManifestRecord{List: r.list, ID: r.id, SHA256: casefile.HashObject(r.v)})
	}

	if opts.Evidence != nil {
		written := map[string]bool{}
		for _, e := range b.Evidence {
			if written[e.SHA256] {
				continue
			}
			f, err := writeEvidence(ctx, tmp, e, opts.Evidence)
			if casefile.ErrorKind(err) == casefile.ENOTFOUND {
				continue
			}
			if err != nil {
				return nil, err
			}
			written[e.SHA256] = true
			m.Files = append(m.Files, *f)
		}
	}
	sort.Slice(m.Files[1:], func(i, j int) bool { return m.Files[1+i].Path < m.Files[1+j].Path })

	mb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, casefile.Wrap(op, err)
	}
	mb = append(mb, '\n')
	sig := ed25519.Sign(opts.Key, signatureMessage(mb))
	for name, data := range map[string][]byte{
		ManifestFile:  mb,
		SignatureFile: []byte(base64.StdEncoding.EncodeToString(sig) + "\n"),
		PublicKeyFile: []byte(m.PublicKey + "\n"),
	} {
		if err := os.WriteFile(filepath.Join(tmp, name), data, 0o600); err != nil {
			return nil, casefile.Wrap(op, err)
		}
	}
	if replacing {
		// The old bundle moves aside before the new one takes its name, and is removed only
		// then: a crash leaves the old bundle, the new one, or both, never neither.
		old := tmp + ".old"
		if err := os.Rename(dir, old); err != nil {
			return nil, casefile.Wrap(op, err)
		}
		if err := os.Rename(tmp, dir); err != nil {
			os.Rename(old, dir)
			return nil, casefile.Wrap(op, err)
		}
		ok = true
		os.RemoveAll(old)
		return m, nil
	}
	if err := os.Rename(tmp, dir); err != nil {
		return nil, casefile.Wrap(op, err)
	}
	ok = true
	return m, nil
}

func writeEvidence(ctx context.Context, dir string, e *casefile.EvidenceItem, open func(context.Context, *casefile.EvidenceItem) (io.ReadCloser, error)) (*ManifestEntry, error) {
	const op = "ledger.WriteBundle"
	r, err := open(ctx, e)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	if err := os.MkdirAll(filepath.Join(dir, EvidenceDir), 0o700); err != nil {
		return nil, casefile.Wrap(op, err)
	}
	rel := EvidenceDir + "/" + e.SHA256
	out, err := os.OpenFile(filepath.Join(dir, filepath.FromSlash(rel)), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, casefile.Wrap(op, err)
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), r)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	got := hex.EncodeToString(h.Sum(nil))
	if got != e.SHA256 || n != e.Size {
		return nil, casefile.Errorf(casefile.EINVALID, op, "evidence item %s: the stored file no longer matches the hash taken at intake", e.ID)
	}
	return &ManifestEntry{Path: rel, Size: n, SHA256: got, EvidenceID: e.ID}, nil
}

// VerifyOptions say what VerifyBundle trusts.
type VerifyOptions struct {
	// Trusted, when set, is the instance public key the bundle must be signed with; otherwise the
	// key in the bundle is reported (with its fingerprint) for the reader to compare.
	Trusted ed25519.PublicKey
}

// VerifyBundle checks a bundle folder: the manifest's signature, every listed file's size and
// SHA-256, files present but not listed, and, when records.json does not match, which records
// were altered, added or removed. It returns an error only when dir is not a bundle at all.
func VerifyBundle(ctx context.Context, dir string, opts VerifyOptions) (*Report, error) {
	const op = "ledger.VerifyBundle"
	r := &Report{Target: "bundle", Path: dir}
	st, err := os.Stat(dir)
	if err != nil {
		return nil, casefile.Errorf(casefile.ENOTFOUND, op, "no bundle at %s", dir)
	}
	if !st.IsDir() {
		return nil, casefile.Errorf(casefile.EINVALID, op, "%s is a file: a bundle is a folder with %s, %s and %s", dir, ManifestFile, SignatureFile, RecordsFile)
	}
	mb, err := readLimited(filepath.Join(dir, ManifestFile), maxManifest)
	if err != nil {
		return nil, casefile.Errorf(casefile.EINVALID, op, "%s has no readable %s: not a Casefile bundle", dir, ManifestFile)
	}
	m, perr := ParseManifest(mb)
	sigText, err := readLimited(filepath.Join(dir, SignatureFile), 4096)
	if err != nil {
		r.Add(SignatureFile, "missing: the bundle is not signed")
	}
	if perr != nil {
		r.Add(ManifestFile, "%s", casefile.ErrorMessage(perr))
		return r.Finish(), nil
	}
	pub, _ := base64.StdEncoding.DecodeString(m.PublicKey)
	r.PublicKey, r.Fingerprint = m.PublicKey, Fingerprint(pub)
	if sigText != nil {
		sig, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(sigText)))
		if err != nil || !ed25519.Verify(pub, signatureMessage(mb), sig) {
			r.Add(ManifestFile, "the signature does not match: the manifest or the signature was altered")
		}
	}
	if opts.Trusted != nil && !opts.Trusted.Equal(ed25519.PublicKey(pub)) {
		r.Add(ManifestFile, "signed by %s, not by the trusted instance key %s", Fingerprint(pub), Fingerprint(opts.Trusted))
	}
	if pk, err := readLimited(filepath.Join(dir, PublicKeyFile), 4096); err == nil && strings.TrimSpace(string(pk)) != m.PublicKey {
		r.Add(PublicKeyFile, "differs from the key in the manifest")
	}
	if m.Checkpoint != nil {
		r.Checkpoints = 1
		if msg := VerifyCheckpoint(m.Checkpoint, pub); msg != "" {
			r.Add("manifest checkpoint", "%s", msg)
		}
	}
	r.HeadSeq = m.AuditHead.Seq

	listed := map[string]bool{ManifestFile: true, SignatureFile: true, PublicKeyFile: true}
	for _, f := range m.Files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		listed[f.Path] = true
		n, sum, err := hashFile(filepath.Join(dir, filepath.FromSlash(f.Path)), f.Size)
		name := "file " + f.Path
		if f.EvidenceID != "" {
			name += " (evidence item " + f.EvidenceID + ")"
		}
		r.Files++
		r.Bytes += n
		switch {
		case errors.Is(err, fs.ErrNotExist):
			r.Add(name, "missing")
		case errors.Is(err, errNotRegular):
			r.Add(name, "is not a plain file (a link, device or folder was put in its place)")
		case err != nil:
			r.Add(name, "cannot be read")
		case n > f.Size:
			r.Add(name, "has more than the %d bytes the manifest says (extended)", f.Size)
		case n != f.Size:
			r.Add(name, "has %d bytes, the manifest says %d (truncated or extended)", n, f.Size)
		case sum != f.SHA256:
			r.Add(name, "its SHA-256 does not match the manifest (the content was altered)")
		default:
			continue
		}
		if f.Path == RecordsFile && err == nil {
			diffRecords(r, filepath.Join(dir, RecordsFile), m.Records)
		}
	}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		if rel = filepath.ToSlash(rel); !listed[rel] {
			r.Add("file "+rel, "is not listed in the manifest (added after signing)")
		}
		return nil
	})
	r.Records = len(m.Records)
	return r.Finish(), nil
}

// diffRecords names the records of an altered records.json that differ from the manifest.
func diffRecords(r *Report, file string, want []ManifestRecord) {
	b, err := readLimited(file, 4<<30)
	if err != nil {
		return
	}
	var bun casefile.Bundle
	if err := json.Unmarshal(b, &bun); err != nil {
		r.Add("file "+RecordsFile, "is no longer valid JSON")
		return
	}
	key := func(list, id string) string { return list + "\x00" + id }
	wantBy := map[string]string{}
	pos := map[string]int{}
	for _, w := range want {
		wantBy[key(w.List, w.ID)] = w.SHA256
	}
	found := 0
	for _, rec := range records(&bun) {
		k := key(rec.list, rec.id)
		i := pos[rec.list]
		pos[rec.list]++
		h, ok := wantBy[k]
		obj := fmt.Sprintf("record %s[%d] (id %q)", rec.list, i, clip(rec.id))
		switch {
		case !ok:
			r.Add(obj, "is not in the manifest (added after signing)")
			found++
		case h != casefile.HashObject(rec.v):
			r.Add(obj, "differs from the signed record (altered after signing)")
			found++
		}
		delete(wantBy, k)
	}
	for _, w := range want {
		if _, left := wantBy[key(w.List, w.ID)]; left {
			r.Add(fmt.Sprintf("record %s (id %q)", w.List, clip(w.ID)), "is missing (removed after signing)")
			found++
		}
	}
	if found == 0 {
		r.Add("file "+RecordsFile, "altered outside any record (layout, or fields this version does not know)")
	}
}

func readLimited(p string, max int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s: too large", filepath.Base(p))
	}
	return b, nil
}

// errNotRegular is a bundle entry that is a link, a device or a folder: a bundle holds plain
// files only, and following a link would read (or, for /dev/zero, never stop reading) a file
// outside the bundle.
var errNotRegular = errors.New("not a regular file")

// hashFile hashes at most max+1 bytes of a plain file: enough to tell that it was extended.
func hashFile(p string, max int64) (int64, string, error) {
	st, err := os.Lstat(p)
	if err != nil {
		return 0, "", err
	}
	if !st.Mode().IsRegular() {
		return 0, "", errNotRegular
	}
	f, err := os.Open(p)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, io.LimitReader(f, max+1))
	return n, hex.EncodeToString(h.Sum(nil)), err
}

// ReadRecords returns the records of a bundle: path is a bundle folder (its records.json is read)
// or a JSON bundle file. It does not verify; call VerifyBundle first for a folder.
func ReadRecords(path string) (*casefile.Bundle, error) {
	const op = "ledger.ReadRecords"
	p := path
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		p = filepath.Join(path, RecordsFile)
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, casefile.Errorf(casefile.ENOTFOUND, op, "cannot read %s", p)
	}
	defer f.Close()
	var b casefile.Bundle
	if err := json.NewDecoder(f).Decode(&b); err != nil {
		return nil, casefile.Errorf(casefile.EINVALID, op, "%s: not a Casefile bundle (%s)", p, trimErr(err))
	}
	return &b, nil
}
