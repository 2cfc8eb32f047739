package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/sqldb"
	"github.com/casefile/casefile/vault"
)

func init() {
	register(&command{Name: "backup", Summary: "write an encrypted, authenticated snapshot of the store while it runs", Run: runBackup})
	register(&command{Name: "restore", Summary: "restore a backup into the data folder, verifying it before anything is replaced", Run: runRestore})
}

func runBackup(ctx context.Context, a *app, args []string) error {
	fs := a.flags("backup")
	out := fs.String("out", "", "the backup file to write (it must not exist)")
	asJSON := fs.Bool("json", false, "print a summary as JSON")
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 || *out == "" {
		return usagef("casefile backup --out FILE")
	}
	if a.cfg.DatabaseURL != "" {
		return casefile.Errorf(casefile.ENOTIMPL, "backup", "backup covers the embedded store; back up PostgreSQL with pg_dump (its evidence is in the database)")
	}
	ctx = actorContext(ctx)
	s, err := a.openSecure(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if key, err := s.instanceKey(ctx); err != nil {
		return err
	} else if _, err := s.checkpoint(ctx, key); err != nil {
		return err
	}
	if err := s.db.RecordAccess(ctx, "backup", "store", filepath.Base(*out)); err != nil {
		return err
	}
	seq, hash, err := s.db.AuditHead(ctx)
	if err != nil {
		return err
	}
	// The snapshot goes beside the output, already encrypted under the store's key.
	tmp, err := os.MkdirTemp(filepath.Dir(*out), ".casefile-backup-")
	if err != nil {
		return casefile.Errorf(casefile.EINVALID, "backup", "cannot write beside %s", *out)
	}
	defer os.RemoveAll(tmp)
	snap := filepath.Join(tmp, DatabaseFile)
	if err := s.db.SnapshotSQLite(ctx, snap, s.master); err != nil {
		return err
	}
	files := []vault.BackupFile{{Name: DatabaseFile, Path: snap}}
	efs, err := s.db.FindEvidenceFiles(ctx)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, f := range efs {
		if seen[f.Address] {
			continue
		}
		seen[f.Address] = true
		if !validAddress(f.Address) {
			// An address is a hex HMAC; anything else was written into the store by hand, and as a
			// path it could name a file outside the data folder.
			return casefile.Errorf(casefile.EINVALID, "backup", "evidence item %s has a damaged file address: run 'casefile verify'", f.EvidenceID)
		}
		rel := EvidenceDir + "/" + f.Address[:2] + "/" + f.Address
		files = append(files, vault.BackupFile{Name: rel, Path: filepath.Join(a.cfg.DataDir, filepath.FromSlash(rel))})
	}
	kb, err := os.ReadFile(filepath.Join(a.cfg.DataDir, vault.KeyringFile))
	if err != nil {
		return casefile.Wrap("backup", err)
	}
	info := &vault.BackupInfo{CreatedAt: time.Now().UTC().Truncate(time.Second), KeyID: s.keyring.KeyID, HeadSeq: seq, HeadHash: hash}
	partial := filepath.Join(tmp, "backup")
	f, err := os.OpenFile(partial, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return casefile.Wrap("backup", err)
	}
	err = vault.WriteBackup(f, kb, s.master, files, info)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return casefile.Wrap("backup", err)
	}
	if _, err := os.Stat(*out); err == nil {
		return usagef("%s exists already", *out)
	}
	if err := os.Rename(partial, *out); err != nil {
		return casefile.Wrap("backup", err)
	}
	if *asJSON {
		return a.printJSON(map[string]any{"backup": *out, "info": info})
	}
	a.infof("Backup written to %s: %d files, %d bytes, audit head %d. Restore it with the store's passphrase: casefile restore %s", *out, info.Files, info.Bytes, info.HeadSeq, *out)
	return nil
}

func runRestore(ctx context.Context, a *app, args []string) error {
	fs := a.flags("restore")
	force := fs.Bool("force", false, "replace the store in the data folder (it is kept aside, not deleted)")
	asJSON := fs.Bool("json", false, "print a summary as JSON")
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("casefile restore BACKUP [--data DIR] [--force]")
	}
	if a.cfg.DatabaseURL != "" {
		return casefile.Errorf(casefile.ENOTIMPL, "restore", "restore is for the embedded store; restore PostgreSQL with pg_restore")
	}
	dir := filepath.Clean(a.cfg.DataDir)
	if a.storeExists() && !*force {
		return casefile.Errorf(casefile.ECONFLICT, "restore", "%s holds a store already: restore into another --data folder, or add --force to replace it (the old one is kept aside)", dir)
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return casefile.Errorf(casefile.EINVALID, "restore", "cannot open %s", pos[0])
	}
	defer f.Close()
	k, err := vault.ReadBackupKeyring(f)
	if err != nil {
		return err
	}
	secret, err := a.unlockSecret()
	if err != nil {
		return err
	}
	key, _, err := k.UnlockSlot(secret)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
		return casefile.Wrap("restore", err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".restore-")
	if err != nil {
		return casefile.Wrap("restore", err)
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(tmp)
		}
	}()
	info, err := vault.ExtractBackup(f, key, tmp)
	if err != nil {
		return err
	}
	// Every byte authenticated; now the restored store itself must verify.
	db, err := sqldb.OpenSQLite(ctx, filepath.Join(tmp, DatabaseFile), sqldb.SQLiteOptions{Key: key})
	if err != nil {
		return err
	}
	rk, err := vault.ReadKeyring(tmp)
	if err != nil {
		db.Close()
		return err
	}
	s := &secureStore{db: db, master: key, keyring: rk, a: &app{cfg: config{DataDir: tmp}}}
	r, err := verifyStore(ctx, s, false)
	db.Close()
	if err != nil {
		return err
	}
	if !r.OK {
		printReport(a, r)
		return casefile.Errorf(casefile.EINVALID, "restore", "the backup's store does not verify (%s): nothing was replaced", r.Problems[0])
	}
	if r.HeadSeq < info.HeadSeq {
		return casefile.Errorf(casefile.EINVALID, "restore", "the backup's ledger ends at entry %d but the backup was made at entry %d: nothing was replaced", r.HeadSeq, info.HeadSeq)
	}
	aside := ""
	if _, err := os.Stat(dir); err == nil {
		aside = dir + ".before-restore-" + time.Now().UTC().Format("20060102T150405Z")
		if err := os.Rename(dir, aside); err != nil {
			return casefile.Wrap("restore", err)
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		if aside != "" {
			os.Rename(aside, dir)
		}
		return casefile.Wrap("restore", err)
	}
	done = true
	if *asJSON {
		return a.printJSON(map[string]any{"data_dir": dir, "info": info, "previous_store": aside, "verified": r})
	}
	fmt.Fprintf(a.stdout, "Restored the backup of %s into %s: %d audit entries and %d evidence file(s) verified.\n", info.CreatedAt.Format(time.RFC3339), dir, r.Entries, r.Files)
	if aside != "" {
		fmt.Fprintf(a.stdout, "The store it replaced is kept in %s.\n", aside)
	}
	return nil
}
