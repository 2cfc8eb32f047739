package main

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/ledger"
	"github.com/casefile/casefile/sqldb"
	"github.com/casefile/casefile/vault"
	"golang.org/x/term"
)

// EvidenceDir is the folder of encrypted evidence files beside the embedded store.
const EvidenceDir = "evidence"

func init() {
	register(&command{Name: "key", Summary: "key slots: list, add, remove, change-passphrase, rotate", Run: runKey})
}

// secureStore is an open store together with the database key and the keyring that wraps it:
// what the security commands (key, verify, export, evidence, identity, backup) need.
type secureStore struct {
	db      *sqldb.DB
	master  []byte
	keyring *vault.Keyring
	slotID  string // the slot that opened the keyring
	secret  []byte // what opened it (passphrase or key-file secret), for key rotation
	a       *app
}

// unlockSecret returns what unlocks the keyring: the key file named by CASEFILE_KEY_FILE, else the
// passphrase.
func (a *app) unlockSecret() ([]byte, error) {
	if p := a.getenv("CASEFILE_KEY_FILE"); p != "" {
		// A key file is under 4 KiB: read no more, so that a wrong path (a device, a huge file)
		// fails at once instead of filling memory.
		b, err := readSmallFile(p, 4096)
		if err != nil {
			return nil, casefile.Errorf(casefile.EINVALID, "unlock", "cannot read the key file named by CASEFILE_KEY_FILE")
		}
		return vault.ParseKeyFile(b)
	}
	pass, err := a.passphrase("Passphrase: ", "")
	return []byte(pass), err
}

// finishRotation completes or undoes a key rotation that was interrupted: if the new database
// was already swapped in, its staged keyring replaces the old one; if not, the staged files are
// discarded and the old store, still whole, stays as it was.
// On PostgreSQL the database itself says which key it is under (finishRotationPostgres).
func finishRotation(a *app, dir string) {
	staged := filepath.Join(dir, vault.KeyringFile+".rotate")
	if _, err := os.Stat(staged); err != nil || a.cfg.DatabaseURL != "" {
		return
	}
	rotDB := filepath.Join(dir, DatabaseFile+".rotate")
	if _, err := os.Stat(rotDB); err == nil {
		for _, p := range []string{rotDB, rotDB + "-wal", rotDB + "-shm", staged} {
			os.Remove(p)
		}
		a.log.Warn("an interrupted key rotation was undone; the store keeps its old key")
		return
	}
	if err := os.Rename(staged, filepath.Join(dir, vault.KeyringFile)); err == nil {
		a.log.Warn("an interrupted key rotation was completed; the new recovery key was printed when it ran")
	}
}

// finishRotationPostgres completes or undoes an interrupted rotation of a PostgreSQL store's key:
// the staged keyring replaces the old one if the database records its key as current, and is
// discarded otherwise.
func finishRotationPostgres(ctx context.Context, a *app, db *sqldb.DB, k *vault.Keyring, key []byte, slot string, secret []byte) (*vault.Keyring, []byte, string, error) {
	staged := filepath.Join(a.cfg.DataDir, vault.KeyringFile+".rotate")
	b, err := os.ReadFile(staged)
	if err != nil {
		return k, key, slot, nil
	}
	current, err := db.Setting(ctx, sqldb.KeyIDSetting)
	if err != nil {
		return nil, nil, "", err
	}
	nk, perr := vault.ParseKeyring(b)
	if perr != nil || current != nk.KeyID {
		os.Remove(staged)
		a.log.Warn("an interrupted key rotation was undone; the store keeps its old key")
		return k, key, slot, nil
	}
	nkey, nslot, err := nk.UnlockSlot(secret)
	if err != nil {
		return nil, nil, "", casefile.Errorf(casefile.ELOCKED, "unlock", "a key rotation was interrupted after the store switched keys: unlock with the passphrase or key file used for the rotation, or the recovery key it printed")
	}
	if err := os.Rename(staged, filepath.Join(a.cfg.DataDir, vault.KeyringFile)); err != nil {
		return nil, nil, "", casefile.Wrap("unlock", err)
	}
	a.log.Warn("an interrupted key rotation was completed")
	return nk, nkey, nslot, nil
}

// unlockKeyring reads the data folder's keyring and opens it.
func (a *app) unlockKeyring() (*vault.Keyring, []byte, string, []byte, error) {
	finishRotation(a, a.cfg.DataDir)
	k, err := vault.ReadKeyring(a.cfg.DataDir)
	if err != nil {
		if casefile.ErrorKind(err) == casefile.ENOTFOUND && a.cfg.DatabaseURL != "" {
			return nil, nil, "", nil, casefile.Errorf(casefile.ENOTFOUND, "unlock", "no keyring in %s: run 'casefile key init' once to create the key that protects this PostgreSQL store's evidence and instance key", a.cfg.DataDir)
		}
		return nil, nil, "", nil, err
	}
	secret, err := a.unlockSecret()
	if err != nil {
		return nil, nil, "", nil, err
	}
	key, slot, err := k.UnlockSlot(secret)
	if err != nil {
		return nil, nil, "", nil, err
	}
	return k, key, slot, secret, nil
}

// openSecure unlocks the keyring and opens the store: the embedded one under the database key, or
// PostgreSQL (whose evidence and instance key the same key protects).
func (a *app) openSecure(ctx context.Context) (*secureStore, error) {
	k, key, slot, secret, err := a.unlockKeyring()
	if err != nil {
		return nil, err
	}
	var db *sqldb.DB
	if a.cfg.DatabaseURL != "" {
		db, err = sqldb.OpenPostgres(ctx, a.cfg.DatabaseURL)
		if err == nil {
			if k, key, slot, err = finishRotationPostgres(ctx, a, db, k, key, slot, secret); err != nil {
				db.Close()
				return nil, err
			}
		}
	} else {
		db, err = sqldb.OpenSQLite(ctx, filepath.Join(a.cfg.DataDir, DatabaseFile), sqldb.SQLiteOptions{Key: key})
	}
	if err != nil {
		return nil, err
	}
	return &secureStore{db: db, master: key, keyring: k, slotID: slot, secret: secret, a: a}, nil
}

func (s *secureStore) Close() error { return s.db.Close() }

// blobs is where the store keeps encrypted evidence: a folder beside the embedded store, chunks
// in the database for PostgreSQL.
func (s *secureStore) blobs() casefile.BlobStore {
	if s.db.Dialect() == "postgres" {
		return s.db.Blobs()
	}
	return vault.DirBlobs{Dir: filepath.Join(s.a.cfg.DataDir, EvidenceDir)}
}

func (s *secureStore) evidence() *vault.Evidence { return vault.NewEvidence(s.blobs(), s.master) }

// instanceKey returns the instance's Ed25519 key, making it the first time it is needed.
func (s *secureStore) instanceKey(ctx context.Context) (ed25519.PrivateKey, error) {
	sealed, err := s.db.Setting(ctx, vault.InstanceKeySetting)
	if err != nil {
		return nil, err
	}
	if sealed != "" {
		return vault.OpenInstanceKey(s.master, sealed)
	}
	_, fresh, err := vault.NewInstanceKey(s.master)
	if err != nil {
		return nil, err
	}
	if sealed, err = s.db.CreateSetting(ctx, vault.InstanceKeySetting, fresh); err != nil {
		return nil, err
	}
	priv, err := vault.OpenInstanceKey(s.master, sealed)
	if err != nil {
		return nil, err
	}
	if sealed != fresh { // another process made it first
		return priv, nil
	}
	if err := s.db.RecordAccess(ctx, "create", "instance_key", ledger.Fingerprint(priv.Public().(ed25519.PublicKey))); err != nil {
		return nil, err
	}
	return priv, nil
}

// checkpoint signs the ledger's current head, unless the latest checkpoint already covers it.
func (s *secureStore) checkpoint(ctx context.Context, key ed25519.PrivateKey) (*casefile.Checkpoint, error) {
	return ledger.Checkpoint(ctx, s.db, key, s.db.Now())
}

// newPassphrase reads a new passphrase: CASEFILE_NEW_PASSPHRASE, CASEFILE_NEW_PASSPHRASE_FILE,
// or a prompt (twice) on a terminal.
func (a *app) newPassphrase() (string, error) {
	if p := a.getenv("CASEFILE_NEW_PASSPHRASE"); p != "" {
		return p, nil
	}
	if f := a.getenv("CASEFILE_NEW_PASSPHRASE_FILE"); f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", casefile.Errorf(casefile.EINVALID, "passphrase", "cannot read CASEFILE_NEW_PASSPHRASE_FILE")
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	if f, ok := a.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(a.stderr, "New passphrase: ")
		p1, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprint(a.stderr, "\nRepeat it: ")
		p2, err2 := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(a.stderr)
		if err != nil || err2 != nil {
			return "", casefile.Errorf(casefile.EINVALID, "passphrase", "cannot read the new passphrase")
		}
		if string(p1) != string(p2) {
			return "", casefile.Errorf(casefile.EINVALID, "passphrase", "the two passphrases differ")
		}
		return string(p1), nil
	}
	if a.stdin != nil {
		line, _ := bufio.NewReader(a.stdin).ReadString('\n')
		if p := strings.TrimRight(line, "\r\n"); p != "" {
			return p, nil
		}
	}
	return "", casefile.Errorf(casefile.EINVALID, "passphrase", "no new passphrase: set CASEFILE_NEW_PASSPHRASE or CASEFILE_NEW_PASSPHRASE_FILE")
}

// slotView is a key slot as key list shows it: never the wrapped key or salt.
type slotView struct {
	ID        string    `json:"id"`
	Kind      string    `json:"kind"`
	Label     string    `json:"label,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	KDF       string    `json:"kdf"`
	Time      uint32    `json:"argon2_time,omitempty"`
	MemoryKiB uint32    `json:"argon2_memory_kib,omitempty"`
	Threads   uint8     `json:"argon2_threads,omitempty"`
}

func viewSlots(k *vault.Keyring) []slotView {
	out := []slotView{}
	for _, s := range k.Slots {
		out = append(out, slotView{ID: s.ID, Kind: s.Kind, Label: s.Label, CreatedAt: s.CreatedAt, KDF: s.KDF.Alg, Time: s.KDF.Time, MemoryKiB: s.KDF.MemoryKiB, Threads: s.KDF.Threads})
	}
	return out
}

const keyUsage = `casefile key list | add passphrase|keyfile|recovery | remove SLOT | change-passphrase | rotate | init`

func runKey(ctx context.Context, a *app, args []string) error {
	fs := a.flags("key")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	label := fs.String("label", "", "label of the new slot (add)")
	out := fs.String("out", "", "where to write the new key file (add keyfile)")
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("%s", keyUsage)
	}
	ctx = actorContext(ctx)
	switch pos[0] {
	case "list":
		k, err := vault.ReadKeyring(a.cfg.DataDir)
		if err != nil {
			return err
		}
		if *asJSON {
			return a.printJSON(map[string]any{"key_id": k.KeyID, "slots": viewSlots(k)})
		}
		fmt.Fprintf(a.stdout, "Database key %s, %d slot(s):\n", k.KeyID, len(k.Slots))
		for _, s := range viewSlots(k) {
			kdf := s.KDF
			if s.KDF == "argon2id" {
				kdf = fmt.Sprintf("argon2id t=%d m=%d MiB p=%d", s.Time, s.MemoryKiB/1024, s.Threads)
			}
			fmt.Fprintf(a.stdout, "  %-30s %-10s %-22s %s  %s\n", s.ID, s.Kind, s.Label, s.CreatedAt.Format("2006-01-02"), kdf)
		}
		return nil
	case "init":
		return keyInit(ctx, a, *asJSON)
	case "add":
		if len(pos) != 2 {
			return usagef("casefile key add passphrase|keyfile|recovery [--label L] [--out FILE]")
		}
		return keyAdd(ctx, a, pos[1], *label, *out, *asJSON)
	case "remove":
		if len(pos) != 2 {
			return usagef("casefile key remove SLOT (see 'casefile key list')")
		}
		return keyEdit(ctx, a, func(k *vault.Keyring, key []byte, used string) (string, error) {
			if err := k.RemoveSlot(pos[1]); err != nil {
				return "", err
			}
			if pos[1] == used {
				a.infof("Note: you removed the slot you unlocked with.")
			}
			return "remove", nil
		}, pos[1], *asJSON)
	case "change-passphrase":
		return keyEdit(ctx, a, func(k *vault.Keyring, key []byte, used string) (string, error) {
			i := slotIndex(k, used)
			if k.Slots[i].Kind != vault.SlotPassphrase {
				return "", casefile.Errorf(casefile.EINVALID, "key", "unlock with the passphrase to change (CASEFILE_PASSPHRASE), not a %s", k.Slots[i].Kind)
			}
			pass, err := a.newPassphrase()
			if err != nil {
				return "", err
			}
			old := k.Slots[i]
			ns, err := k.AddPassphrase(old.Label, pass, key, vault.DefaultKDF)
			if err != nil {
				return "", err
			}
			k.Slots = k.Slots[:len(k.Slots)-1]
			k.Slots[i] = ns
			return "change", nil
		}, "", *asJSON)
	case "rotate":
		return keyRotate(ctx, a, *asJSON)
	}
	return usagef("unknown key action %q: %s", pos[0], keyUsage)
}

func slotIndex(k *vault.Keyring, id string) int {
	for i, s := range k.Slots {
		if s.ID == id {
			return i
		}
	}
	return -1
}

// keyEdit unlocks the keyring, applies fn, writes the keyring back and records the change in the
// audit ledger. Only the key slots change: no data is re-encrypted.
func keyEdit(ctx context.Context, a *app, fn func(k *vault.Keyring, key []byte, used string) (string, error), object string, asJSON bool) error {
	return keyEditQuiet(ctx, a, fn, object, asJSON, false)
}

// keyEditQuiet is keyEdit that, when quiet, prints nothing (its caller reports).
func keyEditQuiet(ctx context.Context, a *app, fn func(k *vault.Keyring, key []byte, used string) (string, error), object string, asJSON, quiet bool) error {
	k, key, used, _, err := a.unlockKeyring()
	if err != nil {
		return err
	}
	action, err := fn(k, key, used)
	if err != nil {
		return err
	}
	if err := vault.WriteKeyring(a.cfg.DataDir, k); err != nil {
		return err
	}
	if object == "" {
		object = used
	}
	recordKeyChange(ctx, a, key, action, object)
	if quiet {
		return nil
	}
	if asJSON {
		return a.printJSON(map[string]any{"key_id": k.KeyID, "slots": viewSlots(k)})
	}
	a.infof("Key slots updated (%s); %d slot(s) now. No data was re-encrypted.", action, len(k.Slots))
	return nil
}

// recordKeyChange appends an audit entry for a change of key slots (best effort: the keyring is
// already written, and a store that cannot be opened must not undo that).
func recordKeyChange(ctx context.Context, a *app, key []byte, action, slot string) {
	var db *sqldb.DB
	var err error
	if a.cfg.DatabaseURL != "" {
		db, err = sqldb.OpenPostgres(ctx, a.cfg.DatabaseURL)
	} else {
		db, err = sqldb.OpenSQLite(ctx, filepath.Join(a.cfg.DataDir, DatabaseFile), sqldb.SQLiteOptions{Key: key})
	}
	if err != nil {
		a.log.Warn("the key change could not be recorded in the audit ledger", "err", err)
		return
	}
	defer db.Close()
	if err := db.RecordAccess(ctx, action, "key_slot", slot); err != nil {
		a.log.Warn("the key change could not be recorded in the audit ledger", "err", err)
	}
}

func keyAdd(ctx context.Context, a *app, kind, label, out string, asJSON bool) error {
	var keyFile []byte
	var recovery string
	var added vault.Slot
	if kind == "keyfile" {
		if out == "" {
			return usagef("casefile key add keyfile --out FILE (put it on removable media)")
		}
		if _, err := os.Stat(out); err == nil {
			return usagef("%s exists already", out)
		}
	}
	if kind != "passphrase" && kind != "keyfile" && kind != "recovery" {
		return usagef("casefile key add passphrase|keyfile|recovery")
	}
	err := keyEditQuiet(ctx, a, func(k *vault.Keyring, key []byte, used string) (string, error) {
		var err error
		switch kind {
		case "passphrase":
			pass, perr := a.newPassphrase()
			if perr != nil {
				return "", perr
			}
			if label == "" {
				label = "passphrase"
			}
			added, err = k.AddPassphrase(label, pass, key, vault.DefaultKDF)
		case "keyfile":
			if label == "" {
				label = "key file " + filepath.Base(out)
			}
			added, keyFile, err = k.AddKeyFile(label, key)
			if err == nil {
				err = writeNew(out, keyFile)
			}
		case "recovery":
			added, recovery, err = k.AddRecovery(key)
		}
		return "add", err
	}, "", asJSON, true)
	if err != nil {
		return err
	}
	if asJSON {
		v := map[string]any{"slot": slotView{ID: added.ID, Kind: added.Kind, Label: added.Label, CreatedAt: added.CreatedAt, KDF: added.KDF.Alg,
			Time: added.KDF.Time, MemoryKiB: added.KDF.MemoryKiB, Threads: added.KDF.Threads}}
		if recovery != "" {
			v["recovery_key"] = recovery
		}
		if keyFile != nil {
			v["key_file"] = out
		}
		return a.printJSON(v)
	}
	if recovery != "" {
		fmt.Fprintf(a.stdout, "New recovery key (shown only now):\n\n    %s\n\n", recovery)
	}
	if keyFile != nil {
		a.infof("Key file written to %s. Unlock with CASEFILE_KEY_FILE=%s.", out, out)
	}
	a.infof("Added slot %s (%s).", added.ID, added.Kind)
	return nil
}

// writeNew writes a secret file that must not exist yet, readable by its owner only.
func writeNew(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return casefile.Errorf(casefile.EINVALID, "write", "cannot create %s (it must not exist yet)", path)
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(path)
		return casefile.Wrap("write", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return casefile.Wrap("write", err)
	}
	return casefile.Wrap("write", f.Close())
}

// keyInit creates a keyring for a PostgreSQL store, whose evidence and instance key it protects.
func keyInit(ctx context.Context, a *app, asJSON bool) error {
	if a.cfg.DatabaseURL == "" {
		return usagef("the embedded store gets its keyring from 'casefile init'; key init is for a PostgreSQL store (--database-url)")
	}
	pass, err := a.passphrase("New passphrase: ", "")
	if err != nil {
		return err
	}
	_, recovery, err := vault.Init(a.cfg.DataDir, pass, vault.DefaultKDF)
	if err != nil {
		return err
	}
	if asJSON {
		return a.printJSON(map[string]string{"data_dir": a.cfg.DataDir, "recovery_key": recovery})
	}
	fmt.Fprintf(a.stdout, "Created the keyring in %s.\n\nRecovery key (shown only now):\n\n    %s\n\n", a.cfg.DataDir, recovery)
	return nil
}

// keyRotate re-encrypts the store under a new random key: the database (a fresh copy written
// under the new key), every evidence file, and the sealed instance key. The slot that unlocked
// (passphrase or key file) is carried over, a new recovery key is printed, and every other slot
// is dropped: their secrets are unknown here, and the old key they wrap must stop working.
// The old files are removed only once the new ones are complete.
func keyRotate(ctx context.Context, a *app, asJSON bool) error {
	const op = "key rotate"
	s, err := a.openSecure(ctx)
	if err != nil {
		return err
	}
	defer func() { s.db.Close() }()
	newKey, err := vault.NewDatabaseKey()
	if err != nil {
		return casefile.Wrap(op, err)
	}
	dir := a.cfg.DataDir
	embedded := s.db.Dialect() == "sqlite"
	ndb := s.db
	rotDB := filepath.Join(dir, DatabaseFile+".rotate")
	if embedded {
		for _, p := range []string{rotDB, rotDB + "-wal", rotDB + "-shm"} {
			os.Remove(p)
		}
		if err := s.db.SnapshotSQLite(ctx, rotDB, newKey); err != nil {
			return err
		}
		if ndb, err = sqldb.OpenSQLite(ctx, rotDB, sqldb.SQLiteOptions{Key: newKey}); err != nil {
			os.Remove(rotDB)
			return err
		}
	}
	abort := func(err error) error {
		if embedded {
			ndb.Close()
			os.Remove(rotDB)
		}
		return err
	}
	oldEv, newEv := vault.NewEvidence(s.blobs(), s.master), vault.NewEvidence(s.blobs(), newKey)
	files, err := ndb.FindEvidenceFiles(ctx)
	if err != nil {
		return abort(err)
	}
	moved := map[string]*vault.Stored{}
	var moves []*casefile.EvidenceFile
	for _, f := range files {
		st := moved[f.Address]
		if st == nil {
			item, err := ndb.FindEvidenceByID(ctx, f.EvidenceID)
			if err != nil {
				return abort(err)
			}
			rc, err := oldEv.Open(ctx, f.Address)
			if err != nil {
				return abort(casefile.Errorf(casefile.EINVALID, op, "evidence item %s: its file cannot be read (%s); run 'casefile verify'", f.EvidenceID, casefile.ErrorMessage(err)))
			}
			st, err = newEv.Put(ctx, rc)
			rc.Close()
			if err != nil {
				return abort(casefile.Errorf(casefile.EINVALID, op, "evidence item %s: its file cannot be re-encrypted (%s); run 'casefile verify'", f.EvidenceID, casefile.ErrorMessage(err)))
			}
			if st.SHA256 != item.SHA256 {
				return abort(casefile.Errorf(casefile.EINVALID, op, "evidence item %s: its file no longer matches its intake hash; run 'casefile verify'", f.EvidenceID))
			}
			moved[f.Address] = st
		}
		moves = append(moves, &casefile.EvidenceFile{EvidenceID: f.EvidenceID, Address: st.Address, StoredSize: st.StoredSize})
	}
	resealed := ""
	if sealed, err := ndb.Setting(ctx, vault.InstanceKeySetting); err != nil {
		return abort(err)
	} else if sealed != "" {
		priv, err := vault.OpenInstanceKey(s.master, sealed)
		if err != nil {
			return abort(err)
		}
		if resealed, err = vault.SealInstanceKey(newKey, priv); err != nil {
			return abort(err)
		}
	}

	// The new keyring: the slot used to unlock, carried over, and a new recovery key.
	k := vault.NewKeyring(newKey)
	used := s.keyring.Slots[slotIndex(s.keyring, s.slotID)]
	var dropped []string
	for _, sl := range s.keyring.Slots {
		if sl.ID != used.ID {
			dropped = append(dropped, sl.ID+" ("+sl.Kind+")")
		}
	}
	switch used.Kind {
	case vault.SlotPassphrase:
		if _, err := k.AddPassphrase(used.Label, string(s.secret), newKey, vault.DefaultKDF); err != nil {
			return abort(err)
		}
	case vault.SlotKeyFile:
		sl, err := vault.NewSlot(vault.SlotKeyFile, used.Label, s.secret, newKey, vault.KDF{Alg: "sha256"})
		if err != nil {
			return abort(casefile.Wrap(op, err))
		}
		k.Slots = append(k.Slots, sl)
	}
	_, recovery, err := k.AddRecovery(newKey)
	if err != nil {
		return abort(err)
	}
	const staged = vault.KeyringFile + ".rotate"
	if err := vault.WriteKeyringAs(dir, staged, k); err != nil {
		return abort(err)
	}
	// One transaction switches the database to the new key: evidence addresses, instance key and
	// the key ID that tells an interrupted rotation which keyring fits (finishRotation).
	if err := ndb.RekeyStore(actorContext(ctx), moves, resealed, vault.InstanceKeySetting, vault.KeyID(newKey)); err != nil {
		os.Remove(filepath.Join(dir, staged))
		return abort(err)
	}
	// Swap. From here on, an interruption leaves keys.json.rotate holding the key of
	// casefile.db.rotate (or of casefile.db once renamed): docs/security.md says how to finish.
	if embedded {
		if err := ndb.Close(); err != nil {
			return casefile.Wrap(op, err)
		}
		if err := s.db.Close(); err != nil {
			return casefile.Wrap(op, err)
		}
		live := filepath.Join(dir, DatabaseFile)
		if err := os.Rename(rotDB, live); err != nil {
			return casefile.Wrap(op, err)
		}
		os.Remove(live + "-wal")
		os.Remove(live + "-shm")
		s.db = ndb // closed already; Close again is harmless
	}
	if err := os.Rename(filepath.Join(dir, staged), filepath.Join(dir, vault.KeyringFile)); err != nil {
		return casefile.Wrap(op, err)
	}
	// Only now may the files under the old key go.
	for old, st := range moved {
		if old != st.Address {
			s.blobs().RemoveBlob(ctx, old)
		}
	}
	if asJSON {
		return a.printJSON(map[string]any{"key_id": k.KeyID, "slots": viewSlots(k), "dropped_slots": dropped, "evidence_files": len(moved), "recovery_key": recovery})
	}
	fmt.Fprintf(a.stdout, "The store is now encrypted under a new key (%s); %d evidence file(s) re-encrypted.\n", k.KeyID, len(moved))
	if len(dropped) > 0 {
		fmt.Fprintf(a.stdout, "Slots dropped (add them again with 'casefile key add'): %s\n", strings.Join(dropped, ", "))
	}
	fmt.Fprintf(a.stdout, "\nNew recovery key (shown only now; the old one no longer works):\n\n    %s\n\n", recovery)
	return nil
}
