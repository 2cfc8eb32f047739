package vault

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/casefile/casefile"
)

// patternReader yields n bytes (a random 1 MiB block, repeated) without holding them, fast
// enough not to distort the benchmark.
type patternReader struct{ n, off int64 }

var patternBlock = func() []byte {
	b := make([]byte, 1<<20)
	rand.Read(b)
	return b
}()

func (p *patternReader) Read(b []byte) (int, error) {
	if p.off >= p.n {
		return 0, io.EOF
	}
	k := min(int64(len(b)), p.n-p.off)
	n := 0
	for int64(n) < k {
		i := (p.off + int64(n)) % int64(len(patternBlock))
		n += copy(b[n:k], patternBlock[i:])
	}
	p.off += k
	return int(k), nil
}

func TestEvidence_PutOpen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ev := NewEvidence(DirBlobs{Dir: dir}, testMaster)
	content := []byte("Audio: the officer says he will plant the drugs on me. Planted-Phrase-4471.")
	st, err := ev.Put(ctx, bytes.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(content)
	if st.SHA256 != hex.EncodeToString(sum[:]) || st.Size != int64(len(content)) {
		t.Fatalf("intake hash %s size %d", st.SHA256, st.Size)
	}
	if strings.Contains(st.Address, st.SHA256) || st.Address == st.SHA256 {
		t.Fatal("the address reveals the plaintext's hash")
	}
	rc, err := ev.Open(ctx, st.Address)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || !bytes.Equal(got, content) {
		t.Fatalf("read back: %v %q", err, got)
	}
	// The same content is stored once.
	st2, err := ev.Put(ctx, bytes.NewReader(content))
	if err != nil || st2.Address != st.Address {
		t.Fatalf("second put: %v", err)
	}
	var files []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if !d.IsDir() {
			files = append(files, p)
			b, _ := os.ReadFile(p)
			if bytes.Contains(b, []byte("Planted-Phrase-4471")) {
				t.Errorf("%s holds the plaintext", p)
			}
		}
		return nil
	})
	if len(files) != 1 {
		t.Fatalf("files in the folder: %v", files)
	}
	if msg, _, err := ev.Check(ctx, st.Address, st.SHA256, st.Size); err != nil || msg != "" {
		t.Fatalf("check of a good file: %q %v", msg, err)
	}
	// One flipped byte, then a truncation: each named.
	p := files[0]
	b, _ := os.ReadFile(p)
	os.WriteFile(p, flip(b, len(b)-5), 0o600)
	if msg, _, _ := ev.Check(ctx, st.Address, st.SHA256, st.Size); !strings.Contains(msg, "does not authenticate") {
		t.Fatalf("flipped byte: %q", msg)
	}
	os.WriteFile(p, b[:streamHeader+3], 0o600)
	if msg, _, _ := ev.Check(ctx, st.Address, st.SHA256, st.Size); !strings.Contains(msg, "truncated") {
		t.Fatalf("truncated file: %q", msg)
	}
	// Adding the original again repairs the damaged copy.
	if _, err := ev.Put(ctx, bytes.NewReader(content)); err != nil {
		t.Fatal(err)
	}
	if msg, _, err := ev.Check(ctx, st.Address, st.SHA256, st.Size); err != nil || msg != "" {
		t.Fatalf("after adding the original again: %q %v", msg, err)
	}
	os.Remove(p)
	if msg, _, _ := ev.Check(ctx, st.Address, st.SHA256, st.Size); !strings.Contains(msg, "missing") {
		t.Fatalf("missing file: %q", msg)
	}
	if _, err := ev.Open(ctx, "../../etc/passwd"); casefile.ErrorKind(err) != casefile.EINVALID {
		t.Fatalf("a path as an address: %v", err)
	}
}

// peakHeap samples the heap while fn runs and returns the highest in-use heap seen above the
// level before fn started.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	base := m.HeapInuse
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > base && m.HeapInuse-base > peak.Load() {
				peak.Store(m.HeapInuse - base)
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	fn()
	close(stop)
	<-done
	return peak.Load()
}

// TestEvidence_FlatMemory streams 64 MiB in and out and checks that the heap never grows by more
// than a few parts: memory does not depend on the file's size (the 2 GB run is
// BenchmarkEvidence2GB).
func TestEvidence_FlatMemory(t *testing.T) {
	ctx := context.Background()
	ev := NewEvidence(DirBlobs{Dir: t.TempDir()}, testMaster)
	const size = 64 << 20
	var st *Stored
	in := peakHeap(func() {
		var err error
		if st, err = ev.Put(ctx, &patternReader{n: size}); err != nil {
			t.Fatal(err)
		}
	})
	var n int64
	out := peakHeap(func() {
		rc, err := ev.Open(ctx, st.Address)
		if err != nil {
			t.Fatal(err)
		}
		n, err = io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
	})
	if n != size || st.Size != size {
		t.Fatalf("sizes %d %d", n, st.Size)
	}
	const limit = 8 << 20
	if in > limit || out > limit {
		t.Fatalf("heap grew by %d KiB (in) and %d KiB (out) for a %d MiB file; want under %d KiB", in>>10, out>>10, size>>20, limit>>10)
	}
	t.Logf("64 MiB: peak heap growth %d KiB in, %d KiB out", in>>10, out>>10)
}

// BenchmarkEvidence2GB streams a 2 GiB file into the store and back out, reporting throughput and
// peak heap growth. CASEFILE_BENCH_EVIDENCE_BYTES changes the size.
func BenchmarkEvidence2GB(b *testing.B) {
	size := int64(2 << 30)
	if s := os.Getenv("CASEFILE_BENCH_EVIDENCE_BYTES"); s != "" {
		size, _ = strconv.ParseInt(s, 10, 64)
	}
	ctx := context.Background()
	ev := NewEvidence(DirBlobs{Dir: b.TempDir()}, testMaster)
	b.SetBytes(size)
	var inPeak, outPeak uint64
	var inTime, outTime time.Duration
	for i := 0; i < b.N; i++ {
		var st *Stored
		t0 := time.Now()
		p := peakHeap(func() {
			var err error
			if st, err = ev.Put(ctx, &patternReader{n: size}); err != nil {
				b.Fatal(err)
			}
		})
		inTime += time.Since(t0)
		inPeak = max(inPeak, p)
		t0 = time.Now()
		p = peakHeap(func() {
			rc, err := ev.Open(ctx, st.Address)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, rc); err != nil {
				b.Fatal(err)
			}
			rc.Close()
		})
		outTime += time.Since(t0)
		outPeak = max(outPeak, p)
		ev.blobs.RemoveBlob(ctx, st.Address)
	}
	mb := float64(size) * float64(b.N) / (1 << 20)
	b.ReportMetric(mb/inTime.Seconds(), "MiB/s-in")
	b.ReportMetric(mb/outTime.Seconds(), "MiB/s-out")
	b.ReportMetric(float64(inPeak)/(1<<20), "peak-heap-MiB-in")
	b.ReportMetric(float64(outPeak)/(1<<20), "peak-heap-MiB-out")
}
