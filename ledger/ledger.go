// Package ledger proves what a Casefile store holds and that nothing was altered since: it checks
// the hash-chained audit ledger, signs and checks checkpoints with the instance's Ed25519 key,
// and writes and verifies signed export bundles. Every check names what does not match: which
// entry, which file, which record.
package ledger

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/casefile/casefile"
)

// Problem is one mismatch found by a check. Object names it ("audit entry 17", "file
// evidence/ab12…", "records.json persons[3] (id per_…)"); Message says what is wrong. Neither ever
// holds identities or narrative text.
type Problem struct {
	Object  string `json:"object"`
	Message string `json:"message"`
}

// String renders the problem as one line: "object: message".
func (p Problem) String() string { return p.Object + ": " + p.Message }

// Report is the outcome of a verify: what was checked and every problem found.
type Report struct {
	OK          bool      `json:"ok"`
	Target      string    `json:"target"` // "store" or "bundle"
	Path        string    `json:"path,omitempty"`
	PublicKey   string    `json:"public_key,omitempty"`  // the instance's Ed25519 public key, base64
	Fingerprint string    `json:"fingerprint,omitempty"` // SHA-256 of the public key, for comparing by eye
	Entries     int64     `json:"audit_entries"`
	HeadSeq     int64     `json:"audit_head_seq"`
	Checkpoints int       `json:"checkpoints"`
	Files       int       `json:"files"`
	Bytes       int64     `json:"bytes"`
	Records     int       `json:"records"`
	Problems    []Problem `json:"problems"`
	Omitted     int       `json:"problems_omitted,omitempty"` // problems past MaxProblems, counted only
}

// MaxProblems caps the problems a report lists, so that a wholly corrupt store does not print
// millions of lines; the rest are counted in Omitted.
const MaxProblems = 200

// Add records a problem.
func (r *Report) Add(object, format string, args ...any) {
	if len(r.Problems) >= MaxProblems {
		r.Omitted++
		return
	}
	r.Problems = append(r.Problems, Problem{Object: object, Message: fmt.Sprintf(format, args...)})
}

// Finish sets OK from the problems found and returns r.
func (r *Report) Finish() *Report {
	r.OK = len(r.Problems) == 0 && r.Omitted == 0
	if r.Problems == nil {
		r.Problems = []Problem{}
	}
	return r
}

// Fingerprint returns the SHA-256 of an Ed25519 public key, hex in groups of four, the form to
// read out over a telephone or print in a court filing.
func Fingerprint(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	s := fmt.Sprintf("%x", sum[:16])
	out := ""
	for i := 0; i < len(s); i += 4 {
		if i > 0 {
			out += " "
		}
		out += s[i : i+4]
	}
	return out
}

func checkpointMessage(seq int64, hash string, at time.Time) []byte {
	return []byte("casefile-checkpoint-v1\n" + strconv.FormatInt(seq, 10) + "\n" + hash + "\n" + at.UTC().Format(time.RFC3339Nano) + "\n")
}

// SignCheckpoint signs the ledger state (seq, hash) at time at with the instance key.
func SignCheckpoint(key ed25519.PrivateKey, seq int64, hash string, at time.Time) *casefile.Checkpoint {
	at = at.UTC().Truncate(time.Microsecond)
	return &casefile.Checkpoint{
		Seq: seq, Hash: hash, At: at,
		PublicKey: base64.StdEncoding.EncodeToString(key.Public().(ed25519.PublicKey)),
		Signature: base64.StdEncoding.EncodeToString(ed25519.Sign(key, checkpointMessage(seq, hash, at))),
	}
}

// VerifyCheckpoint checks a checkpoint's signature; with trusted set, also that it was made with
// that key. It returns a message saying what is wrong, or "".
func VerifyCheckpoint(c *casefile.Checkpoint, trusted ed25519.PublicKey) string {
	pub, err := base64.StdEncoding.DecodeString(c.PublicKey)
	if err != nil || len(pub) != ed25519.PublicKeySize {
		return "its public key is not an Ed25519 key"
	}
	if trusted != nil && !ed25519.PublicKey(pub).Equal(trusted) {
		return "it was signed by another key (" + Fingerprint(pub) + "), not this instance's"
	}
	sig, err := base64.StdEncoding.DecodeString(c.Signature)
	if err != nil || !ed25519.Verify(pub, checkpointMessage(c.Seq, c.Hash, c.At), sig) {
		return "its signature does not match (the checkpoint was altered)"
	}
	return ""
}

// ChainChecker checks the audit ledger one entry at a time, in sequence order, so that a ledger
// of any length is checked in constant memory. Feed it with Add, then call Finish.
type ChainChecker struct {
	r        *Report
	last     int64
	lastHash string
	cps      map[int64]*casefile.Checkpoint
}

// NewChainChecker returns a checker that adds its problems to r. The checkpoints (already checked
// for their signatures) must each match the entry they signed.
func NewChainChecker(r *Report, checkpoints []*casefile.Checkpoint) *ChainChecker {
	c := &ChainChecker{r: r, cps: map[int64]*casefile.Checkpoint{}}
	for _, cp := range checkpoints {
		c.cps[cp.Seq] = cp
	}
	return c
}

// Add checks one entry against its own hash and the entry before it.
func (c *ChainChecker) Add(e *casefile.AuditEntry) {
	c.r.Entries++
	obj := "audit entry " + strconv.FormatInt(e.Seq, 10)
	broken := false
	switch {
	case e.Seq > c.last+1:
		if e.Seq == c.last+2 {
			c.r.Add("audit entry "+strconv.FormatInt(c.last+1, 10), "missing here: the ledger jumps from entry %d to entry %d (the entry was deleted or moved)", c.last, e.Seq)
		} else {
			c.r.Add(fmt.Sprintf("audit entries %d–%d", c.last+1, e.Seq-1), "missing: the ledger jumps from entry %d to entry %d (entries were deleted)", c.last, e.Seq)
		}
		broken = true
	case e.Seq <= c.last:
		c.r.Add(obj, "out of order: it comes after entry %d (entries were reordered)", c.last)
		broken = true
	}
	if e.ComputeHash() != e.Hash {
		c.r.Add(obj, "its hash does not match its content (the entry was altered or moved)")
	} else if !broken && e.PrevHash != c.lastHash {
		if c.last == 0 {
			c.r.Add(obj, "the first entry must have an empty previous hash (entries before it were removed)")
		} else {
			c.r.Add(obj, "its previous hash does not match entry %d (entry %d was altered, replaced or reordered)", c.last, c.last)
		}
	}
	if cp := c.cps[e.Seq]; cp != nil {
		if cp.Hash != e.Hash {
			c.r.Add(obj, "differs from the checkpoint signed at %s (the ledger was rewritten since)", cp.At.Format(time.RFC3339))
		}
		delete(c.cps, e.Seq)
	}
	c.last, c.lastHash = e.Seq, e.Hash
}

// Finish compares the last entry with the head the store records, and reports checkpoints whose
// entries no longer exist.
func (c *ChainChecker) Finish(headSeq int64, headHash string) {
	c.r.HeadSeq = headSeq
	if headSeq != c.last || headHash != c.lastHash {
		if headSeq > c.last {
			c.r.Add("audit ledger", "the head records entry %d but the last entry is %d (entries at the end were deleted)", headSeq, c.last)
		} else {
			c.r.Add("audit ledger", "the head records entry %d with another hash than the last entry %d (the head or the last entries were altered)", headSeq, c.last)
		}
	}
	seqs := make([]int64, 0, len(c.cps))
	for seq := range c.cps {
		seqs = append(seqs, seq)
	}
	slices.Sort(seqs)
	for _, seq := range seqs {
		c.r.Add("checkpoint "+strconv.FormatInt(seq, 10), "signed at %s for an entry that no longer exists (entries were deleted)", c.cps[seq].At.Format(time.RFC3339))
	}
}
