package http

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/casefile/casefile"
)

//go:embed html
var htmlFS embed.FS

// templates holds one parsed template set per page: the layout and the page's own file.
type templates struct {
	pages map[string]*template.Template
}

func parseTemplates(s *Server) (*templates, error) {
	funcs := template.FuncMap{
		"asset": s.assets.url,
		"date": func(v any) string {
			switch t := v.(type) {
			case time.Time:
				return t.UTC().Format("2006-01-02 15:04")
			case *time.Time:
				if t != nil {
					return t.UTC().Format("2006-01-02 15:04")
				}
			}
			return ""
		},
		"list":  func(s ...string) []string { return s },
		"pdate": func(d casefile.PartialDate) string { return d.String() },
		"add":   func(a, b int) int { return a + b },
		"seq": func(n int) []int {
			out := make([]int, n)
			for i := range out {
				out[i] = i
			}
			return out
		},
		"join":     strings.Join,
		"contains": func(list []string, s string) bool { return contains(list, s) },
		"deref": func(p *int) string {
			if p == nil {
				return ""
			}
			return strconv.Itoa(*p)
		},
		"percent": func(n, max int) int {
			if max == 0 {
				return 0
			}
			return n * 100 / max
		},
		"mul": func(a, b int) int { return a * b },
	}
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(htmlFS, "html/layout.html")
	if err != nil {
		return nil, fmt.Errorf("http: parse layout: %w", err)
	}
	files, err := fs.Glob(htmlFS, "html/*.html")
	if err != nil {
		return nil, err
	}
	t := &templates{pages: map[string]*template.Template{}}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" {
			continue
		}
		c, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := c.ParseFS(htmlFS, f); err != nil {
			return nil, fmt.Errorf("http: parse %s: %w", f, err)
		}
		t.pages[name] = c
	}
	return t, nil
}

// Page is what every page's view carries: who is looking, in which language, the CSRF token for
// its forms, and the methods the templates call to translate and label.
type Page struct {
	Title string
	User  *casefile.User
	CSRF  string
	Lang  string
	Flash string
	Error string
	Nav   string
	srv   *Server
}

// T translates an interface string into the page's language.
func (p Page) T(s string) string { return translate(p.Lang, s) }

// L labels a vocabulary code in the page's language.
func (p Page) L(vocab, code string) string {
	if code == "" {
		return "—"
	}
	return p.srv.cfg.Vocab.Label(vocab, code, p.Lang)
}

// Terms lists a vocabulary's terms, for select boxes.
func (p Page) Terms(vocab string) []casefile.Term {
	if v := p.srv.cfg.Vocab[vocab]; v != nil {
		return v.Terms
	}
	return nil
}

// Can reports whether the user may do what a permission name says: record, assess, review, admin.
func (p Page) Can(what string) bool {
	if p.User == nil {
		return false
	}
	m := map[string]perm{"record": permRecord, "assess": permAssess, "review": permReview, "admin": permAdmin}
	return m[what].allows(p.User.Role)
}

// page fills the common part of a view for the request.
func (s *Server) page(r *http.Request, title, nav string) Page {
	c := callerOf(r)
	p := Page{Title: title, User: c.user, Lang: c.lang, Nav: nav, srv: s}
	if c.session != nil {
		p.CSRF = c.session.CSRF
	}
	if f := r.URL.Query().Get("flash"); f != "" {
		p.Flash = flashes[f]
	}
	return p
}

// flashes are the fixed messages a redirect may show; a URL never carries free text.
var flashes = map[string]string{
	"saved":     "Saved.",
	"reviewed":  "The assessment is signed off.",
	"token":     "The token was made. Copy it now: it is not shown again.",
	"password":  "The password is changed.",
	"totp_on":   "The second factor is on.",
	"totp_off":  "The second factor is off.",
	"uploaded":  "The file is stored.",
	"user":      "The user is saved.",
	"loggedout": "You are logged out.",
}

// render writes a page. A template error is an internal error; it is rendered to a buffer first
// so that a failing page never reaches the browser half-written.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, view any) {
	t, ok := s.tmpl.pages[name]
	if !ok {
		s.fail(w, r, casefile.Wrap("render", fmt.Errorf("no template %q", name)))
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", view); err != nil {
		s.log.Error("template failed", "template", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// errorView is the view of the error page.
type errorView struct {
	Page
	Status  int
	Message string
}

var kindStatus = map[string]int{
	casefile.EINVALID:      http.StatusBadRequest,
	casefile.ENOTFOUND:     http.StatusNotFound,
	casefile.ECONFLICT:     http.StatusConflict,
	casefile.EUNAUTHORIZED: http.StatusUnauthorized,
	casefile.EFORBIDDEN:    http.StatusForbidden,
	casefile.EINTERNAL:     http.StatusInternalServerError,
	casefile.ELOCKED:       http.StatusServiceUnavailable,
	casefile.ESCHEMA:       http.StatusServiceUnavailable,
	casefile.ENOTIMPL:      http.StatusNotImplemented,
}

// ErrorStatus maps an error's kind to its HTTP status: the one place that does.
func ErrorStatus(err error) int {
	if st, ok := kindStatus[casefile.ErrorKind(err)]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// fail answers an error as JSON or HTML, by route and Accept. Only the error's safe message is
// shown; the cause of an internal error goes to the log.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := ErrorStatus(err)
	msg := casefile.ErrorMessage(err)
	if status >= 500 {
		s.log.Error("request failed", "method", r.Method, "route", r.Pattern, "kind", casefile.ErrorKind(err), "err", err)
		if status == http.StatusInternalServerError {
			msg = "internal error"
		}
	}
	if wantsJSON(r) {
		writeJSON(w, status, map[string]any{"error": map[string]string{"kind": casefile.ErrorKind(err), "message": msg}})
		return
	}
	p := s.page(r, "Error", "")
	s.render(w, r, status, "error", errorView{Page: p, Status: status, Message: msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// assets are the embedded static files, served under content-hashed names so that browsers may
// cache them forever.
type assets struct {
	byHashed map[string]string // "style.1a2b3c4d.css" → "html/static/style.css"
	byName   map[string]string // "style.css" → "/static/style.1a2b3c4d.css"
}

func loadAssets() (*assets, error) {
	a := &assets{byHashed: map[string]string{}, byName: map[string]string{}}
	files, err := fs.Glob(htmlFS, "html/static/*")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		b, err := htmlFS.ReadFile(f)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(b)
		base := path.Base(f)
		ext := path.Ext(base)
		hashed := strings.TrimSuffix(base, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		a.byHashed[hashed] = f
		a.byName[base] = "/static/" + hashed
	}
	return a, nil
}

func (a *assets) url(name string) (string, error) {
	u, ok := a.byName[name]
	if !ok {
		return "", fmt.Errorf("no asset %q", name)
	}
	return u, nil
}

func (s *Server) serveAsset(w http.ResponseWriter, r *http.Request) {
	f, ok := s.assets.byHashed[r.PathValue("file")]
	if !ok {
		s.fail(w, r, casefile.Errorf(casefile.ENOTFOUND, "", "there is no such file"))
		return
	}
	b, _ := htmlFS.ReadFile(f)
	switch path.Ext(f) {
	case ".css":
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
	case ".js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	case ".svg":
		w.Header().Set("Content-Type", "image/svg+xml")
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(b)
}

// pager is the page navigation of a list.
type pager struct {
	Page, Pages, Total, Offset, Limit int
	Base                              string // the list's path; links add ?page=N
	Hidden                            int    // confidential records of this page not shown
}

const pageSize = 50

func newPager(r *http.Request, base string) pager {
	p := atoiDefault(r.URL.Query().Get("page"), 1)
	if p < 1 {
		p = 1
	}
	if p > 100000 {
		p = 100000
	}
	return pager{Page: p, Offset: (p - 1) * pageSize, Limit: pageSize, Base: base}
}

func (p *pager) setTotal(n int) {
	p.Total = n
	p.Pages = (n + p.Limit - 1) / p.Limit
	if p.Pages == 0 {
		p.Pages = 1
	}
}

// Prev and Next return the neighbouring page numbers, 0 when there is none.
func (p pager) Prev() int {
	if p.Page > 1 {
		return p.Page - 1
	}
	return 0
}

// Next returns the next page number, 0 on the last page.
func (p pager) Next() int {
	if p.Page < p.Pages {
		return p.Page + 1
	}
	return 0
}

// Link returns the URL of page n of the list, keeping the list's filters.
func (p pager) Link(n int) string {
	sep := "?"
	if strings.Contains(p.Base, "?") {
		sep = "&"
	}
	return p.Base + sep + "page=" + strconv.Itoa(n)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
