package vault

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/casefile/casefile"
)

// Evidence keeps evidence files encrypted in a blob store. A file is addressed by a keyed hash of
// its plaintext's SHA-256, so that the same file is stored once while the folder's names reveal
// nothing to someone who holds a copy of a known file.
type Evidence struct {
	blobs   casefile.BlobStore
	master  []byte
	addrKey []byte
}

// NewEvidence returns the evidence store over blobs under the database key master.
func NewEvidence(blobs casefile.BlobStore, master []byte) *Evidence {
	return &Evidence{blobs: blobs, master: master, addrKey: subkey(master, "evidence address")}
}

// Address returns the blob address of the file whose plaintext SHA-256 (hex) is sum.
func (v *Evidence) Address(sum string) string {
	m := hmac.New(sha256.New, v.addrKey)
	m.Write([]byte(sum))
	return hex.EncodeToString(m.Sum(nil))
}

// Stored is what Put learnt about a file while it streamed in.
type Stored struct {
	SHA256     string // of the plaintext, hex
	Size       int64  // of the plaintext
	Address    string
	StoredSize int64 // of the ciphertext
}

// Put streams r into the store, hashing the plaintext and encrypting it on the way. Memory use
// does not depend on the file's size.
func (v *Evidence) Put(ctx context.Context, r io.Reader) (*Stored, error) {
	w, err := v.blobs.CreateBlob(ctx)
	if err != nil {
		return nil, err
	}
	ew, err := NewEncryptWriter(w, v.master, PurposeEvidence)
	if err != nil {
		w.Abort()
		return nil, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(ew, h), r)
	if err == nil {
		err = ew.Close()
	}
	if err != nil {
		w.Abort()
		return nil, casefile.Wrap("vault.Evidence.Put", err)
	}
	s := &Stored{SHA256: hex.EncodeToString(h.Sum(nil)), Size: n, StoredSize: ew.Written}
	s.Address = v.Address(s.SHA256)
	// The same content may be stored already. If that copy was damaged since, this intake
	// replaces it: adding the original again repairs the store.
	if ok, _ := v.blobs.HasBlob(ctx, s.Address); ok {
		if msg, _, err := v.Check(ctx, s.Address, s.SHA256, s.Size); err == nil && msg != "" {
			if err := v.blobs.RemoveBlob(ctx, s.Address); err != nil {
				w.Abort()
				return nil, err
			}
		}
	}
	if err := w.Commit(s.Address); err != nil {
		return nil, err
	}
	return s, nil
}

// Open returns the decrypted content of the blob at address. A damaged file fails at Read with
// EINVALID.
func (v *Evidence) Open(ctx context.Context, address string) (io.ReadCloser, error) {
	rc, err := v.blobs.OpenBlob(ctx, address)
	if err != nil {
		return nil, err
	}
	dr, err := NewDecryptReader(rc, v.master, PurposeEvidence)
	if err != nil {
		rc.Close()
		return nil, err
	}
	return struct {
		io.Reader
		io.Closer
	}{dr, rc}, nil
}

// Check streams the file at address and compares it with the SHA-256 and size taken at intake. It
// returns a message saying what is wrong, or "".
func (v *Evidence) Check(ctx context.Context, address, sum string, size int64) (string, int64, error) {
	if v.Address(sum) != address {
		return "its address does not derive from its recorded SHA-256 (the record or the address was altered)", 0, nil
	}
	rc, err := v.Open(ctx, address)
	if casefile.ErrorKind(err) == casefile.ENOTFOUND {
		return "its encrypted file is missing", 0, nil
	}
	if casefile.ErrorKind(err) == casefile.EINVALID {
		return casefile.ErrorMessage(err), 0, nil
	}
	if err != nil {
		return "", 0, err
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(h, rc)
	if casefile.ErrorKind(err) == casefile.EINVALID {
		return "its encrypted file is " + casefile.ErrorMessage(err), n, nil
	}
	if err != nil {
		return "", n, err
	}
	if n != size {
		return "it decrypts to " + itoa(n) + " bytes, the record says " + itoa(size), n, nil
	}
	if hex.EncodeToString(h.Sum(nil)) != sum {
		return "its content no longer matches the SHA-256 taken at intake", n, nil
	}
	return "", n, nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// DirBlobs is a blob store in a folder: <dir>/<first two hex digits>/<address>. Files are
// written to a temporary name, synced, and renamed, so a blob is complete or absent.
type DirBlobs struct{ Dir string }

var _ casefile.BlobStore = DirBlobs{}

func (d DirBlobs) path(address string) (string, error) {
	if len(address) < 3 || strings.ContainsAny(address, `/\.`) {
		return "", casefile.Errorf(casefile.EINVALID, "vault.DirBlobs", "%q is not a blob address", clipID(address))
	}
	return filepath.Join(d.Dir, address[:2], address), nil
}

// CreateBlob starts a new blob in a temporary file of the folder.
func (d DirBlobs) CreateBlob(ctx context.Context) (casefile.BlobWriter, error) {
	if err := os.MkdirAll(filepath.Join(d.Dir, "tmp"), 0o700); err != nil {
		return nil, casefile.Wrap("vault.DirBlobs", err)
	}
	f, err := os.CreateTemp(filepath.Join(d.Dir, "tmp"), "upload-")
	if err != nil {
		return nil, casefile.Wrap("vault.DirBlobs", err)
	}
	return &dirBlobWriter{d: d, f: f}, nil
}

type dirBlobWriter struct {
	d    DirBlobs
	f    *os.File
	done bool
}

func (w *dirBlobWriter) Write(p []byte) (int, error) { return w.f.Write(p) }

func (w *dirBlobWriter) Commit(address string) error {
	const op = "vault.DirBlobs"
	w.done = true
	p, err := w.d.path(address)
	if err != nil {
		w.discard()
		return err
	}
	if err := w.f.Sync(); err != nil {
		w.discard()
		return casefile.Wrap(op, err)
	}
	if err := w.f.Close(); err != nil {
		os.Remove(w.f.Name())
		return casefile.Wrap(op, err)
	}
	if _, err := os.Stat(p); err == nil {
		os.Remove(w.f.Name()) // the same content is stored already
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		os.Remove(w.f.Name())
		return casefile.Wrap(op, err)
	}
	if err := os.Rename(w.f.Name(), p); err != nil {
		os.Remove(w.f.Name())
		return casefile.Wrap(op, err)
	}
	syncDir(filepath.Dir(p))
	return nil
}

func (w *dirBlobWriter) discard() {
	w.f.Close()
	os.Remove(w.f.Name())
}

func (w *dirBlobWriter) Abort() error {
	if !w.done {
		w.done = true
		w.discard()
	}
	return nil
}

// OpenBlob opens a blob file. ENOTFOUND when it is missing.
func (d DirBlobs) OpenBlob(ctx context.Context, address string) (io.ReadCloser, error) {
	p, err := d.path(address)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if os.IsNotExist(err) {
		return nil, casefile.Errorf(casefile.ENOTFOUND, "vault.DirBlobs", "no stored file %s", address)
	}
	if err != nil {
		return nil, casefile.Wrap("vault.DirBlobs", err)
	}
	return f, nil
}

// HasBlob reports whether the blob file exists.
func (d DirBlobs) HasBlob(ctx context.Context, address string) (bool, error) {
	p, err := d.path(address)
	if err != nil {
		return false, err
	}
	_, err = os.Stat(p)
	return err == nil, nil
}

// RemoveBlob deletes a blob file; a missing one is not an error.
func (d DirBlobs) RemoveBlob(ctx context.Context, address string) error {
	p, err := d.path(address)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
		return casefile.Wrap("vault.DirBlobs", err)
	}
	return nil
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
