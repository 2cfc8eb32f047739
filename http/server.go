// Package http is Casefile's web server: the HTML interface (templates and assets embedded from
// http/html) and the JSON API under /api/v1. Pages are rendered on the server and work without
// JavaScript; every response carries a strict Content-Security-Policy; every form carries a CSRF
// token; sessions and API tokens are kept in the database so that several servers share them.
//
// The server depends only on the root package's service interfaces and on a few small optional
// interfaces declared where they are used (Assessor, Counter, Evidence).
package http

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/casefile/casefile"
)

// Counter counts acts for the dashboard. sqldb.DB implements it.
type Counter interface {
	// CountActs counts acts by domain, setting, region, year, type or perpetrator_type.
	CountActs(ctx context.Context, dimension string) (map[string]int, error)
	// CountAll counts the records of each table: acts, events, persons, sources, testimonies.
	CountAll(ctx context.Context) (map[string]int, error)
}

// Evidence keeps the files of evidence items, encrypted. cmd/casefile adapts the vault to it.
type Evidence interface {
	// PutEvidence streams r in, hashing and encrypting it on the way, sets item's SHA256 and
	// Size, and records item with where its file is kept.
	PutEvidence(ctx context.Context, item *casefile.EvidenceItem, r io.Reader) error
	// OpenEvidence returns the plaintext of an item's file. ENOTFOUND when it has none.
	OpenEvidence(ctx context.Context, id string) (io.ReadCloser, error)
}

// Lister pages through lists with confidentiality applied in the query, so that pages stay fast
// on large stores and hold only what the viewer may see. sqldb.DB implements it; without it the
// server pages with the Find methods and leaves out what the viewer may not see.
type Lister interface {
	ListActs(ctx context.Context, f casefile.ActFilter, v casefile.Viewer) ([]*casefile.Act, int, error)
	ListEvents(ctx context.Context, f casefile.EventFilter, v casefile.Viewer) ([]*casefile.Event, int, error)
	ListPersons(ctx context.Context, f casefile.PersonFilter, v casefile.Viewer) ([]*casefile.Person, int, error)
	ListTestimonies(ctx context.Context, f casefile.TestimonyFilter, v casefile.Viewer) ([]*casefile.Testimony, int, error)
}

// Config is what a Server is made of. Store, Users and Sessions are required.
type Config struct {
	Store    casefile.Store
	Users    casefile.UserService
	Sessions casefile.SessionService
	Audit    casefile.AuditService // optional: the audit log page
	Counter  Counter               // optional: dashboard counts
	Lister   Lister                // optional: fast, confidentiality-aware lists
	Evidence Evidence              // optional: evidence upload and download
	Assessor Assessor              // optional: the assessment workspace
	Vocab    casefile.Vocabularies
	Logger   *slog.Logger
	// SecureCookies sets the Secure attribute on cookies even when the request did not arrive
	// over TLS (a TLS-terminating proxy in front).
	SecureCookies bool
	// SessionTTL is how long a session lasts without use (default 12 hours).
	SessionTTL time.Duration
	// MaxUpload is the largest evidence file accepted (default 32 MiB).
	MaxUpload int64
	// Now returns the current time; tests may fix it.
	Now func() time.Time
}

// Server is the web application and the JSON API. It implements http.Handler.
type Server struct {
	cfg     Config
	log     *slog.Logger
	mux     *http.ServeMux
	tmpl    *templates
	assets  *assets
	limiter *limiter
	routes  []route
	dash    *dashCache
}

// route is one entry of the route table: the table drives the mux, the authorisation matrix test
// and the OpenAPI document, so that the three cannot drift apart.
type route struct {
	Method  string
	Pattern string
	Perm    perm   // what the caller needs
	API     bool   // under /api/v1, documented in OpenAPI
	Summary string // for OpenAPI
	Tag     string // for OpenAPI
	Body    string // for OpenAPI: the schema name of the request body, if any
	handler func(w http.ResponseWriter, r *http.Request)
}

// NewServer parses every template (failing fast on an error) and builds the routes.
func NewServer(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.Users == nil || cfg.Sessions == nil {
		return nil, errors.New("http.NewServer: Store, Users and Sessions are required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = 32 << 20
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Vocab == nil {
		cfg.Vocab = casefile.Vocabularies{}
	}
	s := &Server{cfg: cfg, log: cfg.Logger, mux: http.NewServeMux(), limiter: newLimiter(cfg.Now), dash: &dashCache{}}
	var err error
	if s.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if s.tmpl, err = parseTemplates(s); err != nil {
		return nil, err
	}
	s.routes = s.routeTable()
	for _, rt := range s.routes {
		s.mux.Handle(rt.Method+" "+rt.Pattern, s.guard(rt))
	}
	s.mux.HandleFunc("GET /static/{file}", s.serveAsset)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, casefile.Errorf(casefile.ENOTFOUND, "", "there is no such page"))
	})
	return s, nil
}

// Routes lists the method and pattern of every route of the application, for tests and docs.
func (s *Server) Routes() []RouteInfo {
	out := make([]RouteInfo, 0, len(s.routes))
	for _, rt := range s.routes {
		out = append(out, RouteInfo{Method: rt.Method, Pattern: rt.Pattern, API: rt.API, Roles: rt.Perm.roles()})
	}
	return out
}

// RouteInfo describes one route: its method, pattern, whether it belongs to the JSON API, and the
// roles allowed to call it (empty: anyone, logged in or not).
type RouteInfo struct {
	Method, Pattern string
	API             bool
	Roles           []string
}

// ServeHTTP sets the security headers on every response and dispatches.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
		"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	if s.secure(r) {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("panic in handler", "method", r.Method, "route", r.Pattern, "panic", v)
			s.fail(w, r, &casefile.Error{Kind: casefile.EINTERNAL, Message: "internal error"})
		}
	}()
	start := s.cfg.Now()
	sw := &statusWriter{ResponseWriter: w}
	s.mux.ServeHTTP(sw, r)
	// Only the route pattern is logged, never the path or query: a path holds IDs only, but a
	// query could hold what a person typed.
	s.log.Debug("request", "method", r.Method, "route", r.Pattern, "status", sw.status, "ms", s.cfg.Now().Sub(start).Milliseconds())
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

// WriteHeader records the status for the request log.
func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write records an implicit 200.
func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (s *Server) secure(r *http.Request) bool {
	return r.TLS != nil || s.cfg.SecureCookies
}

// clientIP is the address the rate limiter counts by.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// wantsJSON reports whether the error answer should be JSON: API routes, or a client that asks.
func wantsJSON(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/") || strings.Contains(r.Header.Get("Accept"), "application/json")
}
