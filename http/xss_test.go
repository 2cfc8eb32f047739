package http_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/casefile/casefile"
)

// xss is what a hostile source or a careless paste could put in any text field.
const xss = `"'><script>alert(1)</script><img src=x onerror=alert(2)>`

// TestXSS submits the payload in every text field of every form, and through the API, then reads
// every page that shows those fields: the payload must appear escaped, never as markup.
func TestXSS(t *testing.T) { testXSS(t, newEnv(t)) }

func testXSS(t *testing.T, e *env) {
	c := e.login("admin")
	ctx := context.Background()
	tag := func(n string) string { return n + xss }

	st, _, loc := c.post("/people", url.Values{"descriptor": {tag("d")}, "region": {tag("r")}, "city": {tag("c")}, "notes": {tag("n")}})
	if st != http.StatusSeeOther {
		t.Fatalf("person: %d", st)
	}
	personPage := strings.Split(loc, "?")[0]
	st, _, loc = c.post("/sources", url.Values{"kind": {"interview"}, "title": {tag("t")}, "citation": {tag("c")}, "author": {tag("a")},
		"outlet": {tag("o")}, "published": {tag("p")}, "url": {"https://example.org/?q=" + xss}, "language": {tag("l")}, "notes": {tag("n")}})
	if st != http.StatusSeeOther {
		t.Fatalf("source: %d", st)
	}
	sourcePage := strings.Split(loc, "?")[0]
	narrative := "Before. " + xss + " After."
	st, _, loc = c.post("/testimonies", url.Values{"person_id": {e.ids["person"]}, "interviewer": {tag("i")}, "place": {tag("p")}, "language": {"en"},
		"narrative": {narrative}})
	if st != http.StatusSeeOther {
		t.Fatalf("testimony: %d", st)
	}
	testimonyPage := strings.Split(loc, "?")[0]
	c.get(testimonyPage)
	if st, _, _ := c.post(testimonyPage+"/passages", url.Values{"quote": {xss}, "note": {tag("note")}}); st != http.StatusSeeOther {
		t.Fatalf("passage: %d", st)
	}
	c.get("/events/new")
	st, _, loc = c.post("/events", url.Values{"victims": {"1"}, "perps": {"1"}, "acts": {"1"}, "title": {tag("title")}, "description": {tag("desc")},
		"region": {tag("region")}, "city": {tag("city")}, "v1_descriptor": {tag("victim")}, "v1_region": {tag("vr")}, "p1_type": {"police"},
		"p1_descriptor": {tag("perp")}, "a1_victim": {"1"}, "a1_type": {"beating"}, "a1_method": {tag("method")}, "a1_description": {tag("actdesc")},
		"a1_p1_degree": {"carried_out"}})
	if st != http.StatusSeeOther {
		t.Fatalf("event: %d", st)
	}
	eventPage := strings.Split(loc, "?")[0]
	// The form re-rendered with an error shows what was typed: escaped too.
	_, errPage, _ := c.post("/events", url.Values{"victims": {"1"}, "acts": {"1"}, "title": {tag("again")}, "a1_type": {"beating"}, "a1_victim": {"1"}})
	c.get("/admin/users")
	if st, _ := c.postOK("/admin/users", url.Values{"username": {"xssuser"}, "role": {"viewer"}, "name": {tag("name")}}); st != 200 {
		t.Fatalf("user: %d", st)
	}
	c.get("/account")
	if st, _ := c.postOK("/account/tokens", url.Values{"name": {tag("token")}}); st != 200 {
		t.Fatalf("token: %d", st)
	}
	// Through the API: an indicator and an act's text.
	if st, out := c.api("POST", "/api/v1/indicators", map[string]any{"name": tag("ind"), "value": 1, "unit": tag("u"), "year": "2010",
		"geography": tag("g"), "source_id": e.ids["source"], "locator": tag("loc")}, ""); st != 201 {
		t.Fatalf("indicator: %d %v", st, out)
	}
	evID := strings.TrimPrefix(eventPage, "/events/")
	acts, _, err := e.db.FindActs(ctx, casefile.ActFilter{EventID: &evID})
	must(t, err)
	if len(acts) != 1 {
		t.Fatalf("%d acts", len(acts))
	}
	ev, err := e.db.FindEventByID(ctx, evID)
	must(t, err)
	if ev.Title != tag("title") {
		t.Fatalf("the title was not stored as typed: %q", ev.Title)
	}

	pages := map[string]string{}
	for _, p := range []string{"/", "/people", personPage, "/sources", sourcePage, "/testimonies", testimonyPage, "/events", eventPage,
		"/acts", "/acts/" + acts[0].ID, "/people/" + acts[0].VictimID, "/indicators", "/admin/users", "/account", "/audit"} {
		st, body := c.get(p)
		if st != 200 {
			t.Fatalf("GET %s: %d", p, st)
		}
		pages[p] = body
	}
	_, pages["search"], _ = c.post("/search", url.Values{"q": {"title script alert"}})
	_, pages["search-echo"], _ = c.post("/search", url.Values{"q": {xss}})
	pages["event form error"] = errPage
	_, pages["users after create"] = c.postOK("/admin/users", url.Values{"username": {"xssuser2"}, "role": {"viewer"}, "name": {tag("name2")}})

	raw := []string{"<script>alert(1)</script>", "<img src=x onerror", `"'><`}
	for p, body := range pages {
		for _, r := range raw {
			if strings.Contains(body, r) {
				i := strings.Index(body, r)
				t.Errorf("%s shows the payload unescaped: …%s…", p, body[max(i-80, 0):min(i+80, len(body))])
			}
		}
	}
	// And the escaped text is what the user sees (the page did render the field).
	escaped := regexp.MustCompile(`&lt;script&gt;alert\(1\)&lt;/script&gt;`)
	for _, p := range []string{personPage, sourcePage, testimonyPage, eventPage, "/acts/" + acts[0].ID, "/indicators", "/admin/users", "/account", "event form error"} {
		if !escaped.MatchString(pages[p]) {
			t.Errorf("%s does not show the escaped payload", p)
		}
	}
	// A javascript: URL never becomes a link.
	if st, _, _ := c.post("/sources", url.Values{"kind": {"interview"}, "title": {"x"}, "url": {"javascript:alert(1)"}}); st != http.StatusBadRequest {
		t.Errorf("javascript: URL accepted: %d", st)
	}
}

// postOK posts a form and returns the status and body of a page that answers 200.
func (c *client) postOK(path string, form url.Values) (int, string) {
	st, body, _ := c.post(path, form)
	return st, body
}
