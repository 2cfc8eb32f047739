package vault

import (
	"bytes"
	"crypto/rand"
	"io"
	"strings"
	"testing"

	"github.com/casefile/casefile"
)

var testMaster = bytes.Repeat([]byte{7}, 32)

func seal(t testing.TB, plain []byte, purpose byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := NewEncryptWriter(&b, testMaster, purpose)
	if err != nil {
		t.Fatal(err)
	}
	// Odd-sized writes cross part boundaries.
	for p := plain; len(p) > 0; {
		k := min(len(p), 10007)
		if _, err := w.Write(p[:k]); err != nil {
			t.Fatal(err)
		}
		p = p[k:]
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if w.Written != int64(b.Len()) {
		t.Fatalf("Written = %d, wrote %d", w.Written, b.Len())
	}
	return b.Bytes()
}

func open(master []byte, c []byte, purpose byte) ([]byte, error) {
	r, err := NewDecryptReader(bytes.NewReader(c), master, purpose)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

func TestStream_RoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, StreamChunk - 1, StreamChunk, StreamChunk + 1, 3*StreamChunk + 5} {
		plain := make([]byte, n)
		rand.Read(plain)
		c := seal(t, plain, PurposeEvidence)
		got, err := open(testMaster, c, PurposeEvidence)
		if err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("%d bytes: err %v, equal %v", n, err, bytes.Equal(got, plain))
		}
		if n > 64 && bytes.Contains(c, plain[:64]) {
			t.Fatalf("%d bytes: plaintext visible in the ciphertext", n)
		}
	}
}

func TestStream_Damage(t *testing.T) {
	plain := make([]byte, 3*StreamChunk+100)
	rand.Read(plain)
	c := seal(t, plain, PurposeEvidence)
	other := bytes.Repeat([]byte{8}, 32)
	part := encChunk
	tests := []struct {
		name   string
		data   []byte
		master []byte
		says   string
	}{
		{"FlippedInPart2", flip(c, streamHeader+part+10), testMaster, "damaged: part 2"},
		{"FlippedInHeader", flip(c, 30), testMaster, "does not open with this store's key"},
		{"FlippedInLastPart", flip(c, len(c)-3), testMaster, "part 4"},
		{"TruncatedAtPartBoundary", c[:streamHeader+2*part], testMaster, "truncated: it ends after part 2"},
		{"TruncatedInsidePart", c[:streamHeader+part+500], testMaster, "damaged or truncated: part 2"},
		{"TruncatedInHeader", c[:20], testMaster, "truncated: the header"},
		{"Empty", nil, testMaster, "not an encrypted Casefile file"},
		{"PartsSwapped", swap(c, streamHeader, streamHeader+part, part), testMaster, "damaged: part 1"},
		{"Appended", append(append([]byte{}, c...), 1, 2, 3), testMaster, "does not authenticate"},
		{"WrongKey", c, other, "does not open with this store's key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := open(tt.master, tt.data, PurposeEvidence)
			if casefile.ErrorKind(err) != casefile.EINVALID || !strings.Contains(casefile.ErrorMessage(err), tt.says) {
				t.Fatalf("got %d bytes, error %v; want EINVALID …%s…", len(got), err, tt.says)
			}
		})
	}
	t.Run("WrongPurpose", func(t *testing.T) {
		if _, err := open(testMaster, c, PurposeBackup); err == nil || !strings.Contains(err.Error(), "not a file of this kind") {
			t.Fatalf("an evidence stream opened as a backup: %v", err)
		}
	})
}

func flip(b []byte, i int) []byte {
	c := append([]byte{}, b...)
	c[i] ^= 0x01
	return c
}

func swap(b []byte, i, j, n int) []byte {
	c := append([]byte{}, b...)
	copy(c[i:i+n], b[j:j+n])
	copy(c[j:j+n], b[i:i+n])
	return c
}
