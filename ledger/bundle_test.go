package ledger

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/casefile/casefile"
)

var evidenceContent = []byte("recording of the interview, 3 minutes\n")

func testBundle() *casefile.Bundle {
	sum := sha256.Sum256(evidenceContent)
	t0 := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	return &casefile.Bundle{Format: casefile.BundleFormat, Version: casefile.BundleVersion, ExportedAt: t0,
		Persons: []*casefile.Person{{ID: "per_a", Descriptor: "Male drug user, 29, Volgograd", CreatedAt: t0, UpdatedAt: t0},
			{ID: "per_b", Descriptor: "Woman on OST, 35", CreatedAt: t0, UpdatedAt: t0}},
		Sources:  []*casefile.Source{{ID: "src_a", Kind: "interview", Title: "Interview 1", CreatedAt: t0, UpdatedAt: t0}},
		Evidence: []*casefile.EvidenceItem{{ID: "evi_a", SourceID: "src_a", FileName: "a.ogg", Size: int64(len(evidenceContent)), SHA256: hex.EncodeToString(sum[:]), AddedAt: t0}},
		Events:   []*casefile.Event{{ID: "evt_a", Title: "Beating at a police station", CreatedAt: t0, UpdatedAt: t0}},
	}
}

func writeTestBundle(t testing.TB) (string, ed25519.PublicKey) {
	t.Helper()
	pub, key, _ := ed25519.GenerateKey(rand.Reader)
	dir := filepath.Join(t.TempDir(), "bundle")
	_, err := WriteBundle(context.Background(), dir, testBundle(), WriteOptions{Key: key, Use: "internal", Head: ManifestHead{Seq: 7, Hash: strings.Repeat("0a", 32)},
		Checkpoint: SignCheckpoint(key, 7, strings.Repeat("0a", 32), time.Now()),
		Evidence: func(ctx context.Context, e *casefile.EvidenceItem) (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(evidenceContent)), nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	return dir, pub
}

func verify(t *testing.T, dir string, opts VerifyOptions) *Report {
	t.Helper()
	r, err := VerifyBundle(context.Background(), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func edit(t *testing.T, p string, fn func([]byte) []byte) {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, fn(b), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestVerifyBundle(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		dir, pub := writeTestBundle(t)
		r := verify(t, dir, VerifyOptions{Trusted: pub})
		if !r.OK || r.Files != 2 || r.Records != 5 || r.Fingerprint != Fingerprint(pub) {
			t.Fatalf("a fresh bundle: %+v", r)
		}
		b, err := ReadRecords(dir)
		if err != nil || len(b.Persons) != 2 || b.Persons[0].Descriptor != "Male drug user, 29, Volgograd" {
			t.Fatalf("ReadRecords: %v %+v", err, b)
		}
	})
	tests := []struct {
		name   string
		tamper func(t *testing.T, dir string)
		object string
		says   string
	}{
		{"RecordChanged", func(t *testing.T, dir string) {
			edit(t, filepath.Join(dir, RecordsFile), func(b []byte) []byte {
				return bytes.Replace(b, []byte("Woman on OST, 35"), []byte("Woman on OST, 36"), 1)
			})
		}, `record persons[1] (id "per_b")`, "altered after signing"},
		{"RecordRemoved", func(t *testing.T, dir string) {
			b, _ := ReadRecords(dir)
			b.Events = nil
			writeJSON(t, filepath.Join(dir, RecordsFile), b)
		}, `record events (id "evt_a")`, "removed after signing"},
		{"EvidenceByteFlipped", func(t *testing.T, dir string) {
			sum := sha256.Sum256(evidenceContent)
			edit(t, filepath.Join(dir, EvidenceDir, hex.EncodeToString(sum[:])), func(b []byte) []byte { b[len(b)/2] ^= 1; return b })
		}, "file evidence/", "SHA-256 does not match"},
		{"EvidenceTruncated", func(t *testing.T, dir string) {
			sum := sha256.Sum256(evidenceContent)
			edit(t, filepath.Join(dir, EvidenceDir, hex.EncodeToString(sum[:])), func(b []byte) []byte { return b[:5] })
		}, "file evidence/", "truncated"},
		{"ManifestEdited", func(t *testing.T, dir string) {
			edit(t, filepath.Join(dir, ManifestFile), func(b []byte) []byte {
				return bytes.Replace(b, []byte(`"use": "internal"`), []byte(`"use": "named_publication"`), 1)
			})
		}, ManifestFile, "signature does not match"},
		{"SignatureRemoved", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, SignatureFile)) }, SignatureFile, "not signed"},
		{"FileAdded", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, EvidenceDir, "extra"), []byte("x"), 0o600)
		}, "file evidence/extra", "not listed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, _ := writeTestBundle(t)
			tt.tamper(t, dir)
			r := verify(t, dir, VerifyOptions{})
			if r.OK {
				t.Fatal("tampering went unnoticed")
			}
			for _, p := range r.Problems {
				if strings.HasPrefix(p.Object, tt.object) && strings.Contains(p.Message, tt.says) {
					return
				}
			}
			t.Fatalf("problems %v do not name %s: …%s…", r.Problems, tt.object, tt.says)
		})
	}
	t.Run("ResignedByAnotherKey", func(t *testing.T) {
		dir, pub := writeTestBundle(t)
		other, _ := writeTestBundle(t)
		for _, f := range []string{ManifestFile, SignatureFile, PublicKeyFile} {
			b, _ := os.ReadFile(filepath.Join(other, f))
			os.WriteFile(filepath.Join(dir, f), b, 0o600)
		}
		r := verify(t, dir, VerifyOptions{Trusted: pub})
		if r.OK || !strings.Contains(r.Problems[0].Message, "not by the trusted instance key") {
			t.Fatalf("a bundle signed by another instance: %v", r.Problems)
		}
	})
	t.Run("NotABundle", func(t *testing.T) {
		_, err := VerifyBundle(context.Background(), t.TempDir(), VerifyOptions{})
		if casefile.ErrorKind(err) != casefile.EINVALID || !strings.Contains(casefile.ErrorMessage(err), "not a Casefile bundle") {
			t.Fatalf("an empty folder: %v", err)
		}
	})
}

func TestWriteBundle_EvidenceChangedSinceIntake(t *testing.T) {
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	dir := filepath.Join(t.TempDir(), "bundle")
	_, err := WriteBundle(context.Background(), dir, testBundle(), WriteOptions{Key: key,
		Evidence: func(ctx context.Context, e *casefile.EvidenceItem) (io.ReadCloser, error) {
			return io.NopCloser(strings.NewReader("something else")), nil
		}})
	if casefile.ErrorKind(err) != casefile.EINVALID || !strings.Contains(casefile.ErrorMessage(err), "evidence item evi_a") {
		t.Fatalf("export of an altered evidence file: %v", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatal("a failed export left a bundle behind")
	}
}

func writeJSON(t *testing.T, p string, v any) {
	t.Helper()
	b, err := jsonMarshal(v)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(p, b, 0o600)
}

func TestParseManifest_Errors(t *testing.T) {
	dir, _ := writeTestBundle(t)
	good, _ := os.ReadFile(filepath.Join(dir, ManifestFile))
	if _, err := ParseManifest(good); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, from, to, says string }{
		{"Truncated", "", "", "not valid JSON"},
		{"Format", `"casefile-bundle-manifest"`, `"zip"`, "not a Casefile bundle manifest"},
		{"Version", `"version": 1`, `"version": 9`, "version 9 is not supported"},
		{"PathEscapes", `"path": "evidence/`, `"path": "../`, "not a plain relative path"},
		{"BadHash", `"sha256": "`, `"sha256": "zz`, "64 lower-case hex"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := good[:len(good)/2]
			if tt.from != "" {
				b = bytes.Replace(good, []byte(tt.from), []byte(tt.to), 1)
			}
			_, err := ParseManifest(b)
			if casefile.ErrorKind(err) != casefile.EINVALID || !strings.Contains(casefile.ErrorMessage(err), tt.says) {
				t.Fatalf("got %v, want …%s…", err, tt.says)
			}
		})
	}
}

// FuzzParseManifest feeds the manifest reader arbitrary bytes: it must never panic, and whatever
// it accepts must hold only paths inside the bundle.
func FuzzParseManifest(f *testing.F) {
	dir, _ := writeTestBundle(f)
	good, _ := os.ReadFile(filepath.Join(dir, ManifestFile))
	f.Add(good)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"format":"casefile-bundle-manifest","version":1,"files":[{"path":"../x","size":1,"sha256":""}]}`))
	f.Add(bytes.Replace(good, []byte("evidence/"), []byte("/etc/"), 1))
	f.Add([]byte("null"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseManifest(b)
		if err != nil {
			if casefile.ErrorKind(err) != casefile.EINVALID {
				t.Fatalf("error of kind %s: %v", casefile.ErrorKind(err), err)
			}
			return
		}
		for _, file := range m.Files {
			if !validPath(file.Path) || strings.Contains(file.Path, "..") && strings.Contains("/"+file.Path+"/", "/../") {
				t.Fatalf("accepted path %q", file.Path)
			}
		}
	})
}

// FuzzVerifyBundle writes a fuzzed manifest into a real bundle and verifies it: the verifier
// must never panic, never report OK for a manifest whose signature does not match, and never
// read outside the bundle.
func FuzzVerifyBundle(f *testing.F) {
	dir, _ := writeTestBundle(f)
	good, _ := os.ReadFile(filepath.Join(dir, ManifestFile))
	f.Add(good)
	f.Add(good[:100])
	f.Add(bytes.Replace(good, []byte(`"size": `), []byte(`"size": -`), 1))
	f.Fuzz(func(t *testing.T, b []byte) {
		d := t.TempDir()
		for _, name := range []string{RecordsFile, SignatureFile, PublicKeyFile} {
			c, _ := os.ReadFile(filepath.Join(dir, name))
			os.WriteFile(filepath.Join(d, name), c, 0o600)
		}
		os.WriteFile(filepath.Join(d, ManifestFile), b, 0o600)
		r, err := VerifyBundle(context.Background(), d, VerifyOptions{})
		if err != nil {
			return
		}
		if r.OK && !bytes.Equal(b, good) {
			t.Fatalf("a changed manifest verified")
		}
	})
}

func jsonMarshal(v any) ([]byte, error) { return json.MarshalIndent(v, "", "  ") }
