package http_test

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/casefile/casefile"
	casefilehttp "github.com/casefile/casefile/http"
)

// TestAuthorizationMatrix calls every route as every role, and as nobody, and checks the answer:
// a role the route does not allow gets 403 and changes nothing; a role it allows is never refused;
// nobody gets 401 from the API and the login page from the pages.
func TestAuthorizationMatrix(t *testing.T) {
	roles := append([]string{""}, casefile.Roles...)
	for _, role := range roles {
		name := role
		if name == "" {
			name = "anonymous"
		}
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			var c *client
			if role == "" {
				c = e.anon()
				c.get("/login")
			} else {
				c = e.login(role)
			}
			tok, _, err := e.tokenFor(role)
			if err != nil {
				t.Fatal(err)
			}
			routes := e.srv.Routes()
			// Deletions and logging out run last, so they do not take away what other calls use.
			rank := func(r casefilehttp.RouteInfo) int {
				switch {
				case r.Pattern == "/logout":
					return 3
				case r.Method == "DELETE" || strings.HasSuffix(r.Pattern, "/delete"):
					return 2
				case r.Pattern == "/account/password" || r.Pattern == "/admin/users/{id}":
					return 1
				}
				return 0
			}
			sort.SliceStable(routes, func(i, j int) bool { return rank(routes[i]) < rank(routes[j]) })
			for _, rt := range routes {
				path := e.fill(rt.Pattern, tok)
				allowed := len(rt.Roles) == 0 || (role != "" && contains(rt.Roles, role))
				var st int
				var loc string
				if rt.API {
					st, _ = c.api(rt.Method, path, nil, "")
				} else if rt.Method == "GET" {
					req, _ := http.NewRequest("GET", e.ts.URL+path, nil)
					st, _, loc = c.do(req)
				} else {
					st, _, loc = c.post(path, url.Values{})
				}
				what := rt.Method + " " + rt.Pattern
				switch {
				case len(rt.Roles) == 0:
					if st >= 500 {
						t.Errorf("%s (public): %d", what, st)
					}
				case role == "":
					want := http.StatusUnauthorized
					if !rt.API && rt.Method == "GET" {
						want = http.StatusSeeOther
						if loc != "/login" {
							t.Errorf("%s as nobody: redirected to %q, want /login", what, loc)
						}
					}
					if st != want {
						t.Errorf("%s as nobody: %d, want %d", what, st, want)
					}
				case !allowed:
					if st != http.StatusForbidden {
						t.Errorf("%s as %s: %d, want 403", what, role, st)
					}
				default:
					if st == http.StatusUnauthorized || st == http.StatusForbidden || (st >= 500 && st != http.StatusNotImplemented) {
						t.Errorf("%s as %s (allowed): %d", what, role, st)
					}
				}
			}
		})
	}
}

// expectedAccess is who may call each route, written out by hand rather than read from the route
// table, so that a route given the wrong permission fails this test. A new route must be added.
var expectedAccess = map[string]string{
	"GET /login":                           "public",
	"POST /login":                          "public",
	"GET /login/totp":                      "public",
	"POST /login/totp":                     "public",
	"POST /logout":                         "public",
	"GET /{$}":                             "read",
	"GET /acts":                            "read",
	"GET /acts/{id}":                       "read",
	"POST /acts/{id}/sources":              "record",
	"GET /events":                          "read",
	"GET /events/new":                      "record",
	"POST /events":                         "record",
	"GET /events/{id}":                     "read",
	"GET /people":                          "read",
	"POST /people":                         "record",
	"GET /people/{id}":                     "read",
	"POST /people/{id}/consent":            "record",
	"GET /sources":                         "read",
	"POST /sources":                        "record",
	"GET /sources/{id}":                    "read",
	"POST /sources/{id}/evidence":          "record",
	"GET /evidence/{id}/file":              "read",
	"GET /testimonies":                     "read",
	"POST /testimonies":                    "record",
	"GET /testimonies/{id}":                "read",
	"POST /testimonies/{id}/passages":      "record",
	"GET /search":                          "read",
	"POST /search":                         "read",
	"GET /indicators":                      "read",
	"GET /acts/{id}/assess":                "read",
	"POST /acts/{id}/assess":               "assess",
	"GET /assessments/{id}":                "read",
	"POST /assessments/{id}/review":        "review",
	"GET /audit":                           "admin",
	"GET /admin/users":                     "admin",
	"POST /admin/users":                    "admin",
	"POST /admin/users/{id}":               "admin",
	"GET /account":                         "read",
	"POST /account/lang":                   "read",
	"POST /account/password":               "read",
	"POST /account/totp":                   "read",
	"POST /account/tokens":                 "read",
	"POST /account/tokens/{id}/delete":     "read",
	"GET /api/v1/openapi.json":             "public",
	"GET /api/v1/me":                       "read",
	"GET /api/v1/vocabularies":             "read",
	"GET /api/v1/stats/acts":               "read",
	"GET /api/v1/persons":                  "read",
	"POST /api/v1/persons":                 "record",
	"GET /api/v1/persons/{id}":             "read",
	"PATCH /api/v1/persons/{id}":           "record",
	"DELETE /api/v1/persons/{id}":          "record",
	"GET /api/v1/persons/{id}/consent":     "read",
	"POST /api/v1/persons/{id}/consents":   "record",
	"GET /api/v1/sources":                  "read",
	"POST /api/v1/sources":                 "record",
	"GET /api/v1/sources/{id}":             "read",
	"PATCH /api/v1/sources/{id}":           "record",
	"DELETE /api/v1/sources/{id}":          "record",
	"POST /api/v1/sources/{id}/evidence":   "record",
	"GET /api/v1/evidence":                 "read",
	"GET /api/v1/evidence/{id}":            "read",
	"GET /api/v1/evidence/{id}/file":       "read",
	"GET /api/v1/testimonies":              "read",
	"POST /api/v1/testimonies":             "record",
	"GET /api/v1/testimonies/{id}":         "read",
	"PATCH /api/v1/testimonies/{id}":       "record",
	"DELETE /api/v1/testimonies/{id}":      "record",
	"GET /api/v1/events":                   "read",
	"POST /api/v1/events":                  "record",
	"GET /api/v1/events/{id}":              "read",
	"PATCH /api/v1/events/{id}":            "record",
	"DELETE /api/v1/events/{id}":           "record",
	"GET /api/v1/acts":                     "read",
	"POST /api/v1/acts":                    "record",
	"GET /api/v1/acts/{id}":                "read",
	"PATCH /api/v1/acts/{id}":              "record",
	"DELETE /api/v1/acts/{id}":             "record",
	"GET /api/v1/information":              "read",
	"POST /api/v1/information":             "record",
	"DELETE /api/v1/information/{id}":      "record",
	"GET /api/v1/interventions":            "read",
	"POST /api/v1/interventions":           "record",
	"DELETE /api/v1/interventions/{id}":    "record",
	"GET /api/v1/indicators":               "read",
	"POST /api/v1/indicators":              "record",
	"GET /api/v1/indicators/{id}":          "read",
	"DELETE /api/v1/indicators/{id}":       "record",
	"GET /api/v1/frameworks":               "read",
	"GET /api/v1/frameworks/{name}":        "read",
	"POST /api/v1/assess":                  "read",
	"GET /api/v1/assessments":              "read",
	"POST /api/v1/assessments":             "assess",
	"GET /api/v1/assessments/{id}":         "read",
	"POST /api/v1/assessments/{id}/review": "review",
	"POST /api/v1/search":                  "read",
	"GET /api/v1/users":                    "admin",
	"POST /api/v1/users":                   "admin",
	"GET /api/v1/audit":                    "admin",
	"GET /api/v1/tokens":                   "read",
	"POST /api/v1/tokens":                  "read",
	"DELETE /api/v1/tokens/{id}":           "read",
}

var accessRoles = map[string][]string{
	"public": nil,
	"read":   casefile.Roles,
	"record": {"admin", "documenter", "analyst"},
	"assess": {"admin", "analyst", "reviewer"},
	"review": {"admin", "reviewer"},
	"admin":  {"admin"},
}

func TestAuthorizationMatrix_Table(t *testing.T) {
	e := newEnv(t)
	seen := map[string]bool{}
	for _, rt := range e.srv.Routes() {
		key := rt.Method + " " + rt.Pattern
		seen[key] = true
		want, ok := expectedAccess[key]
		if !ok {
			t.Errorf("route %s has no expected access in this test: add it", key)
			continue
		}
		got := append([]string(nil), rt.Roles...)
		w := append([]string(nil), accessRoles[want]...)
		sort.Strings(got)
		sort.Strings(w)
		if strings.Join(got, ",") != strings.Join(w, ",") {
			t.Errorf("%s: roles %v, want %s: %v", key, got, want, w)
		}
	}
	for key := range expectedAccess {
		if !seen[key] {
			t.Errorf("expected route %s does not exist", key)
		}
	}
}

// tokenFor makes an API token of the role's user, so the matrix can fill token IDs.
func (e *env) tokenFor(role string) (string, string, error) {
	u := e.users[role]
	if u == nil {
		u = e.users[casefile.RoleViewer]
	}
	t := &casefile.Token{UserID: u.ID, Name: "matrix", Hash: "hash-" + u.ID}
	if err := e.db.CreateToken(context.Background(), t); err != nil {
		return "", "", err
	}
	return t.ID, "", nil
}

// fill puts the IDs of seeded records into a route pattern.
func (e *env) fill(pattern, tokenID string) string {
	kinds := []struct{ prefix, kind string }{
		{"/acts/", "act"}, {"/api/v1/acts/", "act"}, {"/events/", "event"}, {"/api/v1/events/", "event"},
		{"/people/", "person"}, {"/api/v1/persons/", "person"}, {"/sources/", "source"}, {"/api/v1/sources/", "source"},
		{"/testimonies/", "testimony"}, {"/api/v1/testimonies/", "testimony"}, {"/assessments/", "assessment"},
		{"/api/v1/assessments/", "assessment"}, {"/api/v1/indicators/", "indicator"},
	}
	id := "x_none"
	for _, k := range kinds {
		if strings.HasPrefix(pattern, k.prefix) {
			id = e.ids[k.kind]
		}
	}
	switch {
	case strings.HasPrefix(pattern, "/admin/users/"):
		id = e.users[casefile.RoleViewer].ID
	case strings.Contains(pattern, "tokens/"):
		id = tokenID
	case strings.HasPrefix(pattern, "/api/v1/frameworks/"):
		id = "cat"
	}
	p := strings.ReplaceAll(pattern, "{id}", id)
	p = strings.ReplaceAll(p, "{name}", id)
	return strings.TrimSuffix(p, "{$}")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
