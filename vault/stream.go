package vault

import (
	"bufio"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"io"

	"github.com/casefile/casefile"
	"golang.org/x/crypto/chacha20poly1305"
)

// The stream format encrypts a file of any size in 64 KiB parts, each sealed with
// XChaCha20-Poly1305 (the STREAM construction): a part cannot be altered, dropped, repeated,
// reordered or cut off without the reader noticing, and neither writer nor reader ever holds more
// than one part in memory.
//
//	magic "CFSTRM" | version 1 | purpose (1 byte)
//	wrap nonce (24) | file key sealed under the purpose key (32 + 16)
//	nonce prefix (16)
//	parts: ciphertext of 64 KiB of plaintext + 16-byte tag; the last part is shorter (maybe empty)
//
// Part i's nonce is the prefix, i as 7 bytes big-endian, and 1 for the last part or 0 otherwise;
// every part's additional data is the header, which binds the parts to their file key.
const (
	streamMagic   = "CFSTRM"
	streamVersion = 1
	// StreamChunk is the plaintext size of one part.
	StreamChunk  = 64 << 10
	streamHeader = len(streamMagic) + 2 + chacha20poly1305.NonceSizeX + 32 + chacha20poly1305.Overhead + 16
	encChunk     = StreamChunk + chacha20poly1305.Overhead
)

// Stream purposes: each has its own key derived from the database key.
const (
	PurposeEvidence byte = 'E'
	PurposeBackup   byte = 'B'
)

// subkey derives a purpose key from the database key with HKDF-SHA256.
func subkey(master []byte, label string) []byte {
	k, err := hkdf.Key(sha256.New, master, nil, "casefile "+label+" v1", 32)
	if err != nil {
		panic(err) // only for lengths HKDF cannot give
	}
	return k
}

func purposeKey(master []byte, purpose byte) []byte {
	return subkey(master, "stream "+string(rune(purpose)))
}

// streamError is a damaged stream: EINVALID naming what (the caller adds which file).
func streamError(format string, args ...any) error {
	return casefile.Errorf(casefile.EINVALID, "vault.stream", format, args...)
}

// EncryptWriter encrypts what is written to it onto w. Close seals the last part; it does not
// close w.
type EncryptWriter struct {
	w      io.Writer
	aead   cipher.AEAD
	header []byte
	prefix []byte
	buf    []byte
	out    []byte
	n      uint64
	err    error
	closed bool
	// Written counts the ciphertext bytes written to w, header included.
	Written int64
}

// NewEncryptWriter writes a stream header onto w and returns the writer of its parts.
func NewEncryptWriter(w io.Writer, master []byte, purpose byte) (*EncryptWriter, error) {
	fileKey := make([]byte, 32)
	if _, err := rand.Read(fileKey); err != nil {
		return nil, casefile.Wrap("vault.NewEncryptWriter", err)
	}
	h := make([]byte, 0, streamHeader)
	h = append(h, streamMagic...)
	h = append(h, streamVersion, purpose)
	nonce := make([]byte, chacha20poly1305.NonceSizeX)
	rand.Read(nonce)
	h = append(h, nonce...)
	wrap, _ := chacha20poly1305.NewX(purposeKey(master, purpose))
	h = wrap.Seal(h, nonce, fileKey, h[:len(streamMagic)+2])
	prefix := make([]byte, 16)
	rand.Read(prefix)
	h = append(h, prefix...)
	aead, _ := chacha20poly1305.NewX(fileKey)
	ew := &EncryptWriter{w: w, aead: aead, header: h, prefix: prefix, buf: make([]byte, 0, StreamChunk), out: make([]byte, 0, encChunk)}
	if _, err := w.Write(h); err != nil {
		return nil, err
	}
	ew.Written = int64(len(h))
	return ew, nil
}

func partNonce(prefix []byte, n uint64, last bool) []byte {
	nonce := make([]byte, 24)
	copy(nonce, prefix)
	var c [8]byte
	binary.BigEndian.PutUint64(c[:], n)
	copy(nonce[16:23], c[1:])
	if last {
		nonce[23] = 1
	}
	return nonce
}

func (e *EncryptWriter) seal(last bool) error {
	e.out = e.aead.Seal(e.out[:0], partNonce(e.prefix, e.n, last), e.buf, e.header)
	e.n++
	e.buf = e.buf[:0]
	k, err := e.w.Write(e.out)
	e.Written += int64(k)
	return err
}

// Write encrypts p. A full part is sealed only once more data follows, so that the last part is
// always the one marked last.
func (e *EncryptWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	if e.closed {
		return 0, errors.New("vault: write after close")
	}
	n := 0
	for len(p) > 0 {
		if len(e.buf) == StreamChunk {
			if e.err = e.seal(false); e.err != nil {
				return n, e.err
			}
		}
		k := min(len(p), StreamChunk-len(e.buf))
		e.buf = append(e.buf, p[:k]...)
		p, n = p[k:], n+k
	}
	return n, nil
}

// Close seals the last part.
func (e *EncryptWriter) Close() error {
	if e.err != nil || e.closed {
		return e.err
	}
	e.closed = true
	e.err = e.seal(true)
	return e.err
}

// DecryptReader decrypts a stream, one part at a time. Read returns EINVALID when the stream is
// damaged, truncated or was made with another key; data is only ever returned after its part
// authenticated.
type DecryptReader struct {
	r      *bufio.Reader
	aead   cipher.AEAD
	header []byte
	prefix []byte
	n      uint64
	plain  []byte
	buf    []byte
	done   bool
	err    error
}

// NewDecryptReader reads a stream header from r and unwraps its file key with master.
func NewDecryptReader(r io.Reader, master []byte, purpose byte) (*DecryptReader, error) {
	h := make([]byte, streamHeader)
	if n, err := io.ReadFull(r, h); err != nil {
		if n < len(streamMagic) || string(h[:len(streamMagic)]) != streamMagic {
			return nil, streamError("not an encrypted Casefile file")
		}
		return nil, streamError("truncated: the header ends after %d bytes", n)
	}
	if string(h[:len(streamMagic)]) != streamMagic {
		return nil, streamError("not an encrypted Casefile file")
	}
	if h[len(streamMagic)] != streamVersion {
		return nil, streamError("format version %d is not one this binary reads", h[len(streamMagic)])
	}
	if h[len(streamMagic)+1] != purpose {
		return nil, streamError("not a file of this kind (purpose %q)", h[len(streamMagic)+1])
	}
	off := len(streamMagic) + 2
	nonce := h[off : off+chacha20poly1305.NonceSizeX]
	wrapped := h[off+chacha20poly1305.NonceSizeX : off+chacha20poly1305.NonceSizeX+32+chacha20poly1305.Overhead]
	wrap, _ := chacha20poly1305.NewX(purposeKey(master, purpose))
	fileKey, err := wrap.Open(nil, nonce, wrapped, h[:off])
	if err != nil {
		return nil, streamError("its key does not open with this store's key (damaged header, or made by another store)")
	}
	aead, _ := chacha20poly1305.NewX(fileKey)
	return &DecryptReader{r: bufio.NewReaderSize(r, encChunk+1), aead: aead, header: h, prefix: h[streamHeader-16:], buf: make([]byte, 0, StreamChunk)}, nil
}

func (d *DecryptReader) next() error {
	p, err := d.r.Peek(encChunk + 1)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return err
	}
	last := len(p) <= encChunk
	part := p
	if !last {
		part = p[:encChunk]
	}
	if len(part) < chacha20poly1305.Overhead {
		return streamError("truncated: it ends inside part %d", d.n+1)
	}
	plain, oerr := d.aead.Open(d.buf[:0], partNonce(d.prefix, d.n, last), part, d.header)
	if oerr != nil {
		if last {
			if _, e2 := d.aead.Open(d.buf[:0], partNonce(d.prefix, d.n, false), part, d.header); e2 == nil {
				return streamError("truncated: it ends after part %d, before its last part", d.n+1)
			}
		}
		what := "damaged"
		if last {
			what = "damaged or truncated"
		}
		return streamError("%s: part %d (bytes %d–%d of the encrypted data) does not authenticate", what, d.n+1,
			int64(streamHeader)+int64(d.n)*encChunk, int64(streamHeader)+int64(d.n)*encChunk+int64(len(part)))
	}
	d.r.Discard(len(part))
	d.plain = plain
	d.n++
	d.done = last
	return nil
}

// Read returns decrypted bytes.
func (d *DecryptReader) Read(p []byte) (int, error) {
	for len(d.plain) == 0 {
		if d.err != nil {
			return 0, d.err
		}
		if d.done {
			return 0, io.EOF
		}
		if d.err = d.next(); d.err != nil {
			return 0, d.err
		}
	}
	n := copy(p, d.plain)
	d.plain = d.plain[n:]
	return n, nil
}
