package main

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/demo"
	casefilehttp "github.com/casefile/casefile/http"
	"github.com/casefile/casefile/law"
	"github.com/casefile/casefile/ledger"
	"github.com/casefile/casefile/sqldb"
	"github.com/casefile/casefile/vault"
	"github.com/casefile/casefile/vocab"
)

func init() {
	register(&command{Name: "serve", Summary: "the web application and JSON API (--addr, default 127.0.0.1:8080)", Run: runServe})
	serveHook = func(ctx context.Context, a *app, db *sqldb.DB) error {
		return serveStore(ctx, a, db, a.cfg.Addr, false, nil)
	}
}

func runServe(ctx context.Context, a *app, args []string) error {
	fs := a.flags("serve")
	fs.StringVar(&a.cfg.Addr, "addr", a.cfg.Addr, "address to listen on (CASEFILE_ADDR)")
	secure := fs.Bool("secure-cookies", a.getenv("CASEFILE_SECURE_COOKIES") == "1", "mark cookies Secure behind a TLS proxy (CASEFILE_SECURE_COOKIES=1)")
	if _, err := a.parse(fs, args); err != nil {
		return err
	}
	if a.cfg.DatabaseURL == "" && !a.storeExists() {
		return casefile.Errorf(casefile.ENOTFOUND, "serve", "no store in %s: run 'casefile init' (or 'casefile demo') first", a.cfg.DataDir)
	}
	s, err := a.openSecure(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	return serveStore(ctx, a, s.db, a.cfg.Addr, *secure, s)
}

// serveStore serves db on addr until ctx ends. sec, when known, gives the evidence store its key;
// without it (the demo, which opened the store itself) the key is unlocked again here.
func serveStore(ctx context.Context, a *app, db *sqldb.DB, addr string, secure bool, sec *secureStore) error {
	user, pass, created, err := ensureAdmin(ctx, db)
	if err != nil {
		return err
	}
	if created {
		a.infof("Created the first administrator: user %q, password %s (shown once; change it under Account).", user, pass)
	}
	var ev casefilehttp.Evidence
	if sec == nil {
		if key, err := demoKey(a); err == nil {
			sec = &secureStore{db: db, master: key, a: a}
		} else {
			a.log.Warn("evidence files are not available: the keyring could not be unlocked", "kind", casefile.ErrorKind(err))
		}
	}
	if sec != nil {
		ev = vaultEvidence{db: db, ev: sec.evidence()}
		// A running server signs a checkpoint of the audit chain every hour, so that a later
		// rewrite of the ledger by someone holding the database key shows against it.
		if key, err := sec.instanceKey(ctx); err == nil {
			go ledger.RunCheckpoints(ctx, db, key, time.Hour, a.log)
		} else {
			a.log.Warn("audit checkpoints are not signed: no instance key", "kind", casefile.ErrorKind(err))
		}
	}
	srv, err := casefilehttp.NewServer(casefilehttp.Config{
		Store: db, Users: db, Sessions: db, Audit: db, Counter: db, Lister: db, Evidence: ev,
		Assessor: lawAssessor{set: law.Builtin()}, Vocab: vocab.Default(), Logger: a.log, SecureCookies: secure,
	})
	if err != nil {
		return casefile.Wrap("serve", err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return casefile.Errorf(casefile.EINVALID, "serve", "cannot listen on %s", addr)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 10 * time.Minute, WriteTimeout: 10 * time.Minute,
		IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	go func() {
		if err := srv.Warm(ctx); err != nil {
			a.log.Warn("dashboard counts failed", "kind", casefile.ErrorKind(err))
		}
	}()
	a.infof("Casefile is serving on http://%s/ (stop with Ctrl-C).", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return casefile.Wrap("serve", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return casefile.Wrap("serve", err)
	}
	return nil
}

// demoKey unlocks the database key for the demo, which opened its store itself: with the key
// file or passphrase configured, else the demonstration passphrase, and never with a prompt.
func demoKey(a *app) ([]byte, error) {
	if a.getenv("CASEFILE_KEY_FILE") != "" {
		_, key, _, _, err := a.unlockKeyring()
		return key, err
	}
	k, err := vault.ReadKeyring(a.cfg.DataDir)
	if err != nil {
		return nil, err
	}
	pass, err := a.passphrase("", demo.Passphrase)
	if err != nil {
		return nil, err
	}
	key, _, err := k.UnlockSlot([]byte(pass))
	return key, err
}

// ensureAdmin creates the first administrator, "admin" with a random password, when the store has
// no administrator yet. It returns the name and password to show once, and whether it created one.
// init and demo call it and print the credentials; serve calls it so a new PostgreSQL store is
// never left without a way in.
func ensureAdmin(ctx context.Context, db *sqldb.DB) (username, password string, created bool, err error) {
	role := casefile.RoleAdmin
	admins, _, err := db.FindUsers(ctx, casefile.UserFilter{Role: &role, Limit: 1})
	if err != nil {
		return "", "", false, err
	}
	if len(admins) > 0 {
		return admins[0].Username, "", false, nil
	}
	password = casefilehttp.GeneratePassword()
	hash, err := casefilehttp.HashPassword(password)
	if err != nil {
		return "", "", false, err
	}
	u := &casefile.User{Username: "admin", Name: "Administrator", Role: casefile.RoleAdmin, Lang: "en", PasswordHash: hash}
	if err := db.CreateUser(casefile.NewContextWithActor(ctx, "setup"), u); err != nil {
		return "", "", false, err
	}
	return u.Username, password, true, nil
}

// vaultEvidence keeps the web application's evidence files in the vault, exactly as
// 'casefile evidence add' does, so either side reads what the other stored.
type vaultEvidence struct {
	db *sqldb.DB
	ev *vault.Evidence
}

// PutEvidence encrypts the file into the blob store and records the item with its address.
func (v vaultEvidence) PutEvidence(ctx context.Context, item *casefile.EvidenceItem, r io.Reader) error {
	st, err := v.ev.Put(ctx, r)
	if err != nil {
		return err
	}
	item.Size, item.SHA256 = st.Size, st.SHA256
	return v.db.CreateEvidenceWithFile(ctx, item, &casefile.EvidenceFile{Address: st.Address, StoredSize: st.StoredSize})
}

// OpenEvidence decrypts the item's file.
func (v vaultEvidence) OpenEvidence(ctx context.Context, id string) (io.ReadCloser, error) {
	f, err := v.db.FindEvidenceFile(ctx, id)
	if err != nil {
		return nil, err
	}
	return v.ev.Open(ctx, f.Address)
}

// lawAssessor adapts the legal engine's packs to the web application's Assessor.
type lawAssessor struct{ set *law.Set }

// Frameworks lists the built-in packs.
func (l lawAssessor) Frameworks(lang string) []casefilehttp.Framework {
	var out []casefilehttp.Framework
	for _, name := range l.set.Names {
		p := l.set.Packs[name]
		out = append(out, casefilehttp.Framework{Name: p.Name, Title: p.Title.In(lang), Version: p.Version})
	}
	return out
}

// Questions lists the elements the pack reads, with "unknown" always allowed.
func (l lawAssessor) Questions(framework, lang string) ([]casefilehttp.Question, error) {
	p, err := l.set.Pack(framework)
	if err != nil {
		return nil, err
	}
	var out []casefilehttp.Question
	for _, el := range p.Elements {
		if !p.Used(el.ID) {
			continue
		}
		answers := el.Answers
		if !hasCode(answers, casefile.CodeUnknown) {
			answers = append(append([]string(nil), answers...), casefile.CodeUnknown)
		}
		out = append(out, casefilehttp.Question{ID: el.ID, Text: el.Question.In(lang), Guidance: el.Guidance, Evidence: el.Evidence,
			Source: el.Source, Answers: answers, Multi: el.Multi})
	}
	return out, nil
}

// Assess runs the pack's engine.
func (l lawAssessor) Assess(framework string, in casefilehttp.AssessInput) (*casefilehttp.AssessResult, error) {
	p, err := l.set.Pack(framework)
	if err != nil {
		return nil, err
	}
	res, err := p.Assess(law.Input{Act: in.Act, Event: in.Event, Victim: in.Victim, Answers: in.Answers, Testimony: in.Testimony})
	if err != nil {
		return nil, err
	}
	return &casefilehttp.AssessResult{PackVersion: res.PackVersion, Outcomes: res.Outcomes, Missing: res.Missing, Warnings: res.Warnings,
		NotRun: res.NotRun}, nil
}

func hasCode(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
