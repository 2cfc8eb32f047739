package ledger

import (
	"context"
	"crypto/ed25519"
	"log/slog"
	"time"

	"github.com/casefile/casefile"
)

// CheckpointStore is what signing checkpoints needs of a store; sqldb.DB has it.
type CheckpointStore interface {
	AuditHead(ctx context.Context) (seq int64, hash string, err error)
	LatestCheckpoint(ctx context.Context) (*casefile.Checkpoint, error)
	CreateCheckpoint(ctx context.Context, c *casefile.Checkpoint) error
}

// Checkpoint signs the ledger's current head with the instance key and stores the checkpoint,
// unless the latest checkpoint already covers the head (then it returns that one).
func Checkpoint(ctx context.Context, s CheckpointStore, key ed25519.PrivateKey, now time.Time) (*casefile.Checkpoint, error) {
	seq, hash, err := s.AuditHead(ctx)
	if err != nil {
		return nil, err
	}
	last, err := s.LatestCheckpoint(ctx)
	if err == nil && last.Seq == seq {
		return last, nil
	}
	if err != nil && casefile.ErrorKind(err) != casefile.ENOTFOUND {
		return nil, err
	}
	c := SignCheckpoint(key, seq, hash, now)
	if err := s.CreateCheckpoint(ctx, c); err != nil {
		if casefile.ErrorKind(err) == casefile.ECONFLICT { // another server signed this head first
			return s.LatestCheckpoint(ctx)
		}
		return nil, err
	}
	return c, nil
}

// RunCheckpoints signs a checkpoint every interval until ctx ends: what a long-running server
// calls so that its ledger is anchored even when nobody runs verify or export.
func RunCheckpoints(ctx context.Context, s CheckpointStore, key ed25519.PrivateKey, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			if c, err := Checkpoint(ctx, s, key, now); err != nil {
				log.Warn("signing an audit checkpoint failed", "err", err)
			} else {
				log.Debug("audit checkpoint", "seq", c.Seq)
			}
		}
	}
}
