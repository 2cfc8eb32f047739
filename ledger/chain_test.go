package ledger

import (
	"crypto/ed25519"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/casefile/casefile"
)

// chain builds n correctly linked entries.
func chain(n int) []*casefile.AuditEntry {
	var out []*casefile.AuditEntry
	prev := ""
	t0 := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	for i := 1; i <= n; i++ {
		e := &casefile.AuditEntry{Seq: int64(i), At: t0.Add(time.Duration(i) * time.Second), Actor: "cli:ana", Action: "create",
			ObjectKind: "act", ObjectID: "act_" + string(rune('a'+i%26)), ObjectHash: strings.Repeat("ab", 32), PrevHash: prev}
		e.Hash = e.ComputeHash()
		prev = e.Hash
		out = append(out, e)
	}
	return out
}

func check(entries []*casefile.AuditEntry, cps []*casefile.Checkpoint) *Report {
	r := &Report{Target: "store"}
	c := NewChainChecker(r, cps)
	for _, e := range entries {
		c.Add(e)
	}
	last := entries[len(entries)-1]
	c.Finish(last.Seq, last.Hash)
	return r.Finish()
}

func TestChainChecker(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		if r := check(chain(10), nil); !r.OK || r.Entries != 10 {
			t.Fatalf("a clean chain: %+v", r)
		}
	})
	tests := []struct {
		name   string
		tamper func([]*casefile.AuditEntry) []*casefile.AuditEntry
		object string
		says   string
	}{
		{"EditedField", func(es []*casefile.AuditEntry) []*casefile.AuditEntry { es[4].Actor = "cli:mallory"; return es },
			"audit entry 5", "does not match its content"},
		{"EditedAndRehashed", func(es []*casefile.AuditEntry) []*casefile.AuditEntry {
			es[4].ObjectHash = strings.Repeat("cd", 32)
			es[4].Hash = es[4].ComputeHash()
			return es
		}, "audit entry 6", "does not match entry 5"},
		{"Deleted", func(es []*casefile.AuditEntry) []*casefile.AuditEntry { return append(es[:3], es[4:]...) },
			"audit entry 4", "missing"},
		{"DeletedSeveral", func(es []*casefile.AuditEntry) []*casefile.AuditEntry { return append(es[:3], es[6:]...) },
			"audit entries 4–6", "missing"},
		{"Reordered", func(es []*casefile.AuditEntry) []*casefile.AuditEntry {
			es[3], es[4] = es[4], es[3]
			return es
		}, "audit entry 4", "deleted or moved"},
		{"SeqSwapped", func(es []*casefile.AuditEntry) []*casefile.AuditEntry {
			es[3].Seq, es[4].Seq = 5, 4
			es[3], es[4] = es[4], es[3]
			return es
		}, "audit entry 4", "altered or moved"},
		{"FirstRemoved", func(es []*casefile.AuditEntry) []*casefile.AuditEntry { return es[1:] },
			"audit entry 1", "missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := check(tt.tamper(chain(10)), nil)
			if r.OK || len(r.Problems) == 0 {
				t.Fatal("tampering went unnoticed")
			}
			p := r.Problems[0]
			if p.Object != tt.object || !strings.Contains(p.Message, tt.says) {
				t.Fatalf("first problem = %q, want %s: …%s…", p, tt.object, tt.says)
			}
			if tt.name == "Reordered" && (len(r.Problems) < 2 || !strings.Contains(r.Problems[1].String(), "audit entry 4: out of order")) {
				t.Fatalf("a reordered entry is not named as out of order: %v", r.Problems)
			}
		})
	}
	t.Run("TailDeleted", func(t *testing.T) {
		es := chain(10)
		r := &Report{}
		c := NewChainChecker(r, nil)
		for _, e := range es[:8] {
			c.Add(e)
		}
		c.Finish(10, es[9].Hash)
		if r.Finish().OK || !strings.Contains(r.Problems[0].Message, "entries at the end were deleted") {
			t.Fatalf("a ledger cut short at the end: %+v", r.Problems)
		}
	})
	t.Run("RewrittenAfterCheckpoint", func(t *testing.T) {
		_, key, _ := ed25519.GenerateKey(rand.Reader)
		es := chain(10)
		cp := SignCheckpoint(key, 6, es[5].Hash, time.Now())
		// An attacker with the database key rewrites the chain from entry 3 consistently.
		es[2].Actor = "cli:mallory"
		for i := 2; i < len(es); i++ {
			es[i].PrevHash = es[i-1].Hash
			es[i].Hash = es[i].ComputeHash()
		}
		r := check(es, []*casefile.Checkpoint{cp})
		if r.OK || r.Problems[0].Object != "audit entry 6" || !strings.Contains(r.Problems[0].Message, "checkpoint") {
			t.Fatalf("a consistent rewrite under a checkpoint: %+v", r.Problems)
		}
	})
}

func TestCheckpoint(t *testing.T) {
	pub, key, _ := ed25519.GenerateKey(rand.Reader)
	other, _, _ := ed25519.GenerateKey(rand.Reader)
	cp := SignCheckpoint(key, 42, strings.Repeat("0f", 32), time.Now())
	if msg := VerifyCheckpoint(cp, pub); msg != "" {
		t.Fatalf("a good checkpoint: %s", msg)
	}
	if msg := VerifyCheckpoint(cp, other); !strings.Contains(msg, "another key") {
		t.Fatalf("checkpoint under another key: %q", msg)
	}
	cp.Seq = 43
	if msg := VerifyCheckpoint(cp, pub); !strings.Contains(msg, "signature does not match") {
		t.Fatalf("altered checkpoint: %q", msg)
	}
}
