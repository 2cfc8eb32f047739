package http_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/casefile/casefile"
	casefilehttp "github.com/casefile/casefile/http"
	"github.com/casefile/casefile/sqldb"
	"github.com/casefile/casefile/vocab"
)

// The tests run the server over a real, encrypted SQLite store with the shipped vocabularies.
// (The package's own code imports only the root; its tests may use the storage implementation,
// because a test that cannot touch a real database would have to use a fake one.)

var testKey = []byte("0123456789abcdef0123456789abcdef")

const testPassword = "correct horse battery"

// env is one server over one fresh store, with a user of every role and a small case.
type env struct {
	t     testing.TB
	db    *sqldb.DB
	srv   *casefilehttp.Server
	ts    *httptest.Server
	users map[string]*casefile.User
	ids   map[string]string // kind → an ID of a seeded record
}

func newEnv(t testing.TB, opts ...func(*casefilehttp.Config)) *env {
	t.Helper()
	db, err := sqldb.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "web.db"), sqldb.SQLiteOptions{Key: testKey})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return newEnvDB(t, db, opts...)
}

// newEnvPostgres is newEnv over a schema of its own in the PostgreSQL database at url.
func newEnvPostgres(t testing.TB, url string) *env {
	t.Helper()
	ctx := context.Background()
	schema, err := sqldb.CreateTestSchema(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqldb.OpenPostgres(ctx, sqldb.WithSearchPath(url, schema))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Close()
		sqldb.DropTestSchema(context.Background(), url, schema)
	})
	return newEnvDB(t, db)
}

func newEnvDB(t testing.TB, db *sqldb.DB, opts ...func(*casefilehttp.Config)) *env {
	t.Helper()
	ctx := context.Background()
	cfg := casefilehttp.Config{Store: db, Users: db, Sessions: db, Audit: db, Counter: db, Lister: db, Vocab: vocab.Default()}
	for _, o := range opts {
		o(&cfg)
	}
	srv, err := casefilehttp.NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	e := &env{t: t, db: db, srv: srv, ts: ts, users: map[string]*casefile.User{}, ids: map[string]string{}}
	hash, err := casefilehttp.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range casefile.Roles {
		u := &casefile.User{Username: role + "1", Role: role, Lang: "en", PasswordHash: hash}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		e.users[role] = u
	}
	e.seed()
	return e
}

// seed writes a case as the documenter: a victim, a source, a testimony with a passage, an event
// with an act, and a confidential act of its own.
func (e *env) seed() {
	t := e.t
	ctx := casefile.NewContextWithActor(context.Background(), "documenter1")
	age := 29
	p := &casefile.Person{Descriptor: "Male drug user, 29, Volgograd", Sex: "male", Age: &age, Region: "Volgograd Oblast"}
	must(t, e.db.CreatePerson(ctx, p))
	s := &casefile.Source{Kind: "interview", Title: "Interview V-1", Language: "ru"}
	must(t, e.db.CreateSource(ctx, s))
	narr := "They beat me at the police station. Nobody gave me methadone."
	tes := &casefile.Testimony{PersonID: p.ID, SourceID: s.ID, Language: "en", Narrative: casefile.Text{Lang: "en", Body: narr},
		Passages: []casefile.Passage{{ID: "p1", Start: 0, End: strings.Index(narr, ".") + 1}}}
	must(t, e.db.CreateTestimony(ctx, tes))
	ev := &casefile.Event{Title: "Beating in custody", Date: casefile.PartialDate{Precision: "year", Start: "2012"}, Region: "Volgograd Oblast",
		Setting: "police_station", Domain: "law_enforcement"}
	must(t, e.db.CreateEvent(ctx, ev))
	a := &casefile.Act{EventID: ev.ID, VictimID: p.ID, Type: "beating", Involvements: []casefile.Involvement{{PerpetratorType: "police", Degree: "carried_out"}}}
	must(t, e.db.CreateAct(ctx, a))
	must(t, e.db.CreateInformation(ctx, &casefile.Information{SourceID: s.ID, ActID: a.ID, TestimonyID: tes.ID, Connection: "victim"}))
	secret := &casefile.Act{EventID: ev.ID, VictimID: p.ID, Type: "threats", Confidential: true, Method: "confidential-method-marker"}
	must(t, e.db.CreateAct(ctx, secret))
	as := &casefile.Assessment{ActID: a.ID, Framework: "cat", PackVersion: "test", Answers: map[string]casefile.Answer{}, Outcomes: []casefile.Outcome{}}
	must(t, e.db.CreateAssessment(ctx, as))
	ind := &casefile.Indicator{Name: "Drug crimes registered", Value: 222600, Year: "2010", Geography: "RU", SourceID: s.ID}
	must(t, e.db.CreateIndicator(ctx, ind))
	e.ids = map[string]string{"person": p.ID, "source": s.ID, "testimony": tes.ID, "event": ev.ID, "act": a.ID, "secret_act": secret.ID,
		"assessment": as.ID, "indicator": ind.ID}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// client is a browser: it keeps cookies and the CSRF token of the last page it read.
type client struct {
	t    testing.TB
	e    *env
	c    *http.Client
	csrf string
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (e *env) anon() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: e.t, e: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// login logs a user of role in through the login form.
func (e *env) login(role string) *client {
	c := e.anon()
	c.t.Helper()
	if st, _ := c.get("/login"); st != 200 {
		c.t.Fatalf("GET /login: %d", st)
	}
	st, _, loc := c.post("/login", url.Values{"username": {e.users[role].Username}, "password": {testPassword}})
	if st != http.StatusSeeOther || loc != "/" {
		c.t.Fatalf("login as %s: %d → %q", role, st, loc)
	}
	if st, _ := c.get("/"); st != 200 {
		c.t.Fatalf("dashboard after login: %d", st)
	}
	return c
}

func (c *client) do(req *http.Request) (int, string, string) {
	c.t.Helper()
	resp, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	body := string(b)
	if m := csrfField.FindStringSubmatch(body); m != nil {
		c.csrf = m[1]
	}
	return resp.StatusCode, body, resp.Header.Get("Location")
}

func (c *client) get(path string) (int, string) {
	req, _ := http.NewRequest("GET", c.e.ts.URL+path, nil)
	st, body, _ := c.do(req)
	return st, body
}

// post submits a form with the client's CSRF token (unless the form sets its own).
func (c *client) post(path string, form url.Values) (int, string, string) {
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", c.csrf)
	}
	req, _ := http.NewRequest("POST", c.e.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// api calls the JSON API with the session cookie and the CSRF header, or with token when set.
func (c *client) api(method, path string, body any, token string) (int, map[string]any) {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = strings.NewReader(string(b))
	}
	req, _ := http.NewRequest(method, c.e.ts.URL+path, r)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	} else {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	st, text, _ := c.do(req)
	var out map[string]any
	if strings.HasPrefix(strings.TrimSpace(text), "{") {
		json.Unmarshal([]byte(text), &out)
	}
	return st, out
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	resp, err := http.Get(e.ts.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	csp := resp.Header.Get("Content-Security-Policy")
	if csp == "" || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") || !strings.Contains(csp, "script-src 'self'") {
		t.Fatalf("CSP = %q", csp)
	}
	if resp.Request.URL.Path != "/login" {
		t.Fatalf("anonymous GET / ended at %s, want /login", resp.Request.URL.Path)
	}
	for _, h := range []string{"X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"} {
		if resp.Header.Get(h) == "" {
			t.Errorf("no %s header", h)
		}
	}
}

func TestLogin(t *testing.T) {
	e := newEnv(t)
	t.Run("CookieAttributes", func(t *testing.T) {
		c := e.anon()
		c.get("/login")
		form := url.Values{"username": {"admin1"}, "password": {testPassword}, "csrf": {c.csrf}}
		req, _ := http.NewRequest("POST", e.ts.URL+"/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := c.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		var found bool
		for _, ck := range resp.Cookies() {
			if ck.Name == "casefile_session" {
				found = true
				if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure {
					t.Errorf("session cookie attributes: HttpOnly=%v SameSite=%v Secure=%v (plain HTTP)", ck.HttpOnly, ck.SameSite, ck.Secure)
				}
			}
		}
		if !found {
			t.Fatal("no session cookie after login")
		}
	})
	t.Run("WrongPasswordThenRateLimited", func(t *testing.T) {
		c := e.anon()
		c.get("/login")
		for i := 0; i < 5; i++ {
			st, body, _ := c.post("/login", url.Values{"username": {"viewer1"}, "password": {"wrong password!"}})
			if st != http.StatusUnauthorized || !strings.Contains(body, "The user name or password is wrong.") {
				t.Fatalf("attempt %d: %d", i+1, st)
			}
		}
		st, body, _ := c.post("/login", url.Values{"username": {"viewer1"}, "password": {testPassword}})
		if st != http.StatusTooManyRequests || !strings.Contains(body, "Too many failed attempts") {
			t.Fatalf("sixth attempt, right password: %d, want 429", st)
		}
	})
	t.Run("NoCSRFNoLogin", func(t *testing.T) {
		c := e.anon()
		c.get("/login")
		st, _, _ := c.post("/login", url.Values{"username": {"admin1"}, "password": {testPassword}, "csrf": {"forged"}})
		if st != http.StatusForbidden {
			t.Fatalf("login with a forged CSRF token: %d, want 403", st)
		}
	})
	t.Run("DisabledUser", func(t *testing.T) {
		d := true
		if _, err := e.db.UpdateUser(context.Background(), e.users["analyst"].ID, casefile.UserUpdate{Disabled: &d}); err != nil {
			t.Fatal(err)
		}
		c := e.anon()
		c.get("/login")
		if st, _, _ := c.post("/login", url.Values{"username": {"analyst1"}, "password": {testPassword}}); st != http.StatusUnauthorized {
			t.Fatalf("disabled user logged in: %d", st)
		}
	})
	t.Run("LogoutEndsSession", func(t *testing.T) {
		c := e.login("reviewer")
		if st, _, loc := c.post("/logout", nil); st != http.StatusSeeOther || loc != "/login" {
			t.Fatalf("logout: %d %q", st, loc)
		}
		if st, _ := c.get("/acts"); st != http.StatusSeeOther {
			t.Fatalf("GET /acts after logout: %d, want a redirect to the login page", st)
		}
	})
}

func TestTOTP(t *testing.T) {
	e := newEnv(t)
	c := e.login("documenter")
	_, body, _ := c.post("/account/totp", url.Values{"action": {"start"}})
	m := regexp.MustCompile(`id="totp-secret">([A-Z2-7]+)<`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no TOTP secret on the set-up page")
	}
	secret := m[1]
	if st, _, _ := c.post("/account/totp", url.Values{"action": {"confirm"}, "secret": {secret}, "code": {"000000"}}); st != http.StatusBadRequest {
		t.Fatalf("confirm with a wrong code: %d", st)
	}
	now := casefilehttp.TOTPCode(secret, timeNow())
	if st, _, loc := c.post("/account/totp", url.Values{"action": {"confirm"}, "secret": {secret}, "code": {now}}); st != http.StatusSeeOther || !strings.Contains(loc, "totp_on") {
		t.Fatalf("confirm: %d %q", st, loc)
	}
	// A new login now stops at the code prompt.
	c2 := e.anon()
	c2.get("/login")
	st, _, loc := c2.post("/login", url.Values{"username": {"documenter1"}, "password": {testPassword}})
	if st != http.StatusSeeOther || loc != "/login/totp" {
		t.Fatalf("login with TOTP on: %d → %q", st, loc)
	}
	if st, _ := c2.get("/acts"); st != http.StatusSeeOther {
		t.Fatalf("a page before the code: %d, want a redirect", st)
	}
	if st, _ := c2.get("/login/totp"); st != 200 {
		t.Fatalf("code prompt: %d", st)
	}
	if st, _, _ := c2.post("/login/totp", url.Values{"code": {"123456"}}); st != http.StatusUnauthorized {
		t.Fatalf("wrong code: %d", st)
	}
	if st, _, loc := c2.post("/login/totp", url.Values{"code": {casefilehttp.TOTPCode(secret, timeNow())}}); st != http.StatusSeeOther || loc != "/" {
		t.Fatalf("right code: %d %q", st, loc)
	}
	if st, _ := c2.get("/acts"); st != 200 {
		t.Fatalf("after the code: %d", st)
	}
}

func TestCSRF(t *testing.T) {
	e := newEnv(t)
	c := e.login("documenter")
	st, _, _ := c.post("/people", url.Values{"descriptor": {"Someone"}, "csrf": {"wrong"}})
	if st != http.StatusForbidden {
		t.Fatalf("form with a wrong CSRF token: %d, want 403", st)
	}
	// A JSON call with the session cookie but without the header is refused too.
	req, _ := http.NewRequest("POST", e.ts.URL+"/api/v1/persons", strings.NewReader(`{"descriptor":"x"}`))
	req.Header.Set("Content-Type", "application/json")
	if st, _, _ := c.do(req); st != http.StatusForbidden {
		t.Fatalf("API call with a cookie and no CSRF header: %d, want 403", st)
	}
	ps, _, _ := e.db.FindPersons(context.Background(), casefile.PersonFilter{})
	for _, p := range ps {
		if p.Descriptor == "Someone" || p.Descriptor == "x" {
			t.Fatal("a forged request wrote a record")
		}
	}
}

func TestConfidentiality(t *testing.T) {
	t.Run("Lister", func(t *testing.T) { testConfidentiality(t, newEnv(t)) })
	t.Run("FindAndFilter", func(t *testing.T) { testConfidentiality(t, newEnv(t, func(c *casefilehttp.Config) { c.Lister = nil })) })
}

func testConfidentiality(t *testing.T, e *env) {
	id := e.ids["secret_act"]
	for role, want := range map[string]int{"viewer": 404, "analyst": 404, "reviewer": 200, "admin": 200, "documenter": 200} {
		c := e.login(role)
		st, body := c.get("/acts/" + id)
		if st != want {
			t.Errorf("%s: GET confidential act: %d, want %d", role, st, want)
		}
		_, list := c.get("/acts")
		if shown := strings.Contains(list, id); shown != (want == 200) {
			t.Errorf("%s: confidential act in the list: %v", role, shown)
		}
		if want == 404 && strings.Contains(body, "confidential-method-marker") {
			t.Errorf("%s: the 404 page shows the act", role)
		}
		st, _ = c.api("GET", "/api/v1/acts/"+id, nil, "")
		if st != want {
			t.Errorf("%s: API GET confidential act: %d, want %d", role, st, want)
		}
	}
}

func TestEventForm(t *testing.T) { testEventForm(t, newEnv(t)) }

func testEventForm(t *testing.T, e *env) {
	c := e.login("documenter")
	if st, body := c.get("/events/new"); st != 200 || !strings.Contains(body, `name="a2_p2_degree"`) || !strings.Contains(body, "Confidential: only I, reviewers") {
		t.Fatalf("form: %d, want two acts with two perpetrators", st)
	}
	// Growing the form keeps what was typed.
	st, body, _ := c.post("/events", url.Values{"victims": {"2"}, "perps": {"2"}, "acts": {"2"}, "title": {"Raid on a clinic"}, "grow": {"act"}})
	if st != 200 || !strings.Contains(body, `name="a3_type"`) || !strings.Contains(body, `value="Raid on a clinic"`) {
		t.Fatalf("grow: %d", st)
	}
	// A mistake in the second act stores nothing.
	form := url.Values{"victims": {"2"}, "perps": {"2"}, "acts": {"2"}, "title": {"Detention and beating in Kursk"}, "date_start": {"2011-05"},
		"domain": {"law_enforcement"}, "setting": {"police_station"}, "region": {"Kursk Oblast"},
		"v1_descriptor": {"Female drug user, 34, Kursk"}, "v1_sex": {"female"}, "v1_age": {"34"},
		"p1_type": {"police"}, "p2_type": {"medical_staff"},
		"a1_victim": {"1"}, "a1_type": {"beating"}, "a1_method": {"kicked while handcuffed"}, "a1_p1_degree": {"carried_out"}, "a1_p2_degree": {"acquiesced"},
		"a2_victim": {"2"}, "a2_type": {"health_care_denial"}, "a2_p2_degree": {"carried_out"}}
	st, body, _ = c.post("/events", form)
	if st != http.StatusBadRequest || !strings.Contains(body, "act 2: the victim it names (victim 2) is not filled in") {
		t.Fatalf("bad second act: %d", st)
	}
	if _, n, _ := e.db.FindEvents(context.Background(), casefile.EventFilter{}); n != 1 {
		t.Fatalf("a failed form stored an event: %d events", n)
	}
	if !strings.Contains(body, `value="Female drug user, 34, Kursk"`) {
		t.Fatal("the form lost what was typed")
	}
	form.Set("a2_victim", "1")
	st, body, loc := c.post("/events", form)
	if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/events/evt_") {
		t.Fatalf("save: %d %q %s", st, loc, regexp.MustCompile(`id="form-error">[^<]*`).FindString(body))
	}
	evID := strings.TrimPrefix(strings.Split(loc, "?")[0], "/events/")
	acts, n, err := e.db.FindActs(context.Background(), casefile.ActFilter{EventID: &evID})
	must(t, err)
	if n != 2 {
		t.Fatalf("%d acts, want 2", n)
	}
	perps := map[string]bool{}
	for _, a := range acts {
		if a.VictimID != acts[0].VictimID || a.CreatedBy != "documenter1" {
			t.Fatalf("act %+v", a)
		}
		for _, inv := range a.Involvements {
			perps[inv.PerpetratorType+"/"+inv.Degree] = true
		}
	}
	for _, want := range []string{"police/carried_out", "medical_staff/acquiesced", "medical_staff/carried_out"} {
		if !perps[want] {
			t.Errorf("no involvement %s: %v", want, perps)
		}
	}
	_, page := c.get("/events/" + evID)
	for _, want := range []string{"Detention and beating in Kursk", "Beating", "Police"} {
		if !strings.Contains(page, want) {
			t.Errorf("event page lacks %q", want)
		}
	}
	// A third act, added to the same event later, with an existing victim.
	if st, body := c.get("/events/new?event=" + evID); st != 200 || !strings.Contains(body, `name="event_id" value="`+evID+`"`) || strings.Contains(body, `name="title"`) {
		t.Fatalf("add-acts form: %d", st)
	}
	st, _, loc = c.post("/events", url.Values{"event_id": {evID}, "victims": {"1"}, "perps": {"1"}, "acts": {"1"}, "v1_id": {acts[0].VictimID},
		"p1_type": {"police"}, "a1_victim": {"1"}, "a1_type": {"extortion"}, "a1_p1_degree": {"carried_out"}})
	if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/events/"+evID) {
		t.Fatalf("add an act: %d %q", st, loc)
	}
	if _, n, _ := e.db.FindActs(context.Background(), casefile.ActFilter{EventID: &evID}); n != 3 {
		t.Fatalf("%d acts after adding one, want 3", n)
	}
	if _, n, _ := e.db.FindEvents(context.Background(), casefile.EventFilter{}); n != 2 {
		t.Fatalf("adding acts made a new event: %d events", n)
	}
}

func TestSearchIsPost(t *testing.T) {
	e := newEnv(t)
	c := e.login("viewer")
	st, body, _ := c.post("/search", url.Values{"q": {"beat"}})
	if st != 200 || !strings.Contains(body, "/events/"+e.ids["event"]) {
		t.Fatalf("search: %d %s", st, regexp.MustCompile(`(?s)<main>.*</main>`).FindString(body))
	}
	// A facet narrows the hits and keeps the query.
	st, body, _ = c.post("/search", url.Values{"q": {"beat"}, "set_kind": {"testimony"}})
	if st != 200 || strings.Contains(body, "/events/"+e.ids["event"]) || !strings.Contains(body, "/testimonies/"+e.ids["testimony"]) {
		t.Fatalf("facet kind=testimony: %d", st)
	}
}

func TestAPIToken(t *testing.T) {
	e := newEnv(t)
	c := e.login("analyst")
	st, out := c.api("POST", "/api/v1/tokens", map[string]string{"name": "script"}, "")
	if st != http.StatusCreated {
		t.Fatalf("make token: %d %v", st, out)
	}
	tok := out["secret"].(string)
	script := e.anon()
	st, me := script.api("GET", "/api/v1/me", nil, tok)
	if st != 200 || me["username"] != "analyst1" {
		t.Fatalf("me with token: %d %v", st, me)
	}
	if _, ok := me["password_hash"]; ok {
		t.Fatal("the API shows the password hash")
	}
	st, created := script.api("POST", "/api/v1/persons", map[string]any{"descriptor": "Made by a script"}, tok)
	if st != http.StatusCreated || created["created_by"] != "analyst1" {
		t.Fatalf("create with token: %d %v", st, created)
	}
	if st, _ := script.api("GET", "/api/v1/me", nil, "cf_wrong"); st != http.StatusUnauthorized {
		t.Fatalf("wrong token: %d", st)
	}
	st, bad := script.api("POST", "/api/v1/persons", map[string]any{"descriptor": "x", "nmae": "typo"}, tok)
	if st != http.StatusBadRequest || !strings.Contains(bad["error"].(map[string]any)["message"].(string), "nmae") {
		t.Fatalf("unknown field: %d %v", st, bad)
	}
	// The token does not open pages.
	req, _ := http.NewRequest("GET", e.ts.URL+"/acts", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	if st, _, _ := script.do(req); st != http.StatusUnauthorized {
		t.Fatalf("token on a page: %d", st)
	}
	id := out["token"].(map[string]any)["id"].(string)
	if st, _ := c.api("DELETE", "/api/v1/tokens/"+id, nil, ""); st != http.StatusNoContent {
		t.Fatalf("delete token: %d", st)
	}
	if st, _ := script.api("GET", "/api/v1/me", nil, tok); st != http.StatusUnauthorized {
		t.Fatalf("deleted token still works: %d", st)
	}
}

func TestErrorsRevealNothing(t *testing.T) {
	e := newEnv(t)
	c := e.login("admin")
	st, body := c.get("/no/such/page")
	if st != 404 || !strings.Contains(body, "there is no such page") {
		t.Fatalf("404 page: %d", st)
	}
	st, out := c.api("GET", "/api/v1/acts/act_none", nil, "")
	if st != 404 || out["error"] == nil {
		t.Fatalf("API 404: %d %v", st, out)
	}
	// A duplicate username is a conflict in the user's words, not the driver's.
	st, out = c.api("POST", "/api/v1/users", map[string]any{"username": "viewer1", "role": "viewer"}, "")
	msg, _ := out["error"].(map[string]any)["message"].(string)
	if st != http.StatusConflict || strings.Contains(strings.ToLower(msg), "sqlite") || strings.Contains(msg, "UNIQUE") {
		t.Fatalf("duplicate user: %d %q", st, msg)
	}
}

func timeNow() time.Time { return time.Now() }

// TestSessionsShared logs in through one server and uses the cookie on another over the same
// database, as behind a load balancer.
func TestSessionsShared(t *testing.T) { testSessionsShared(t, newEnv(t)) }

func testSessionsShared(t *testing.T, e *env) {
	c := e.login("documenter")
	other, err := casefilehttp.NewServer(casefilehttp.Config{Store: e.db, Users: e.db, Sessions: e.db, Lister: e.db, Vocab: vocab.Default()})
	if err != nil {
		t.Fatal(err)
	}
	ts2 := httptest.NewServer(other)
	defer ts2.Close()
	u1, _ := url.Parse(e.ts.URL)
	u2, _ := url.Parse(ts2.URL)
	c.c.Jar.SetCookies(u2, c.c.Jar.Cookies(u1))
	req, _ := http.NewRequest("GET", ts2.URL+"/people", nil)
	st, body, _ := c.do(req)
	if st != 200 || !strings.Contains(body, "Male drug user, 29, Volgograd") {
		t.Fatalf("the second server did not know the session: %d", st)
	}
	// A form made on one server posts to the other: the CSRF token lives with the session.
	form := url.Values{"descriptor": {"Made through the second server"}, "csrf": {c.csrf}}
	req, _ = http.NewRequest("POST", ts2.URL+"/people", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if st, _, _ := c.do(req); st != http.StatusSeeOther {
		t.Fatalf("post to the second server: %d", st)
	}
}

// TestRussian shows the interface and the vocabularies in Russian to a user who chose it.
func TestRussian(t *testing.T) {
	e := newEnv(t)
	c := e.login("viewer")
	c.get("/account")
	if st, _, _ := c.post("/account/lang", url.Values{"lang": {"ru"}}); st != http.StatusSeeOther {
		t.Fatalf("choose Russian: %d", st)
	}
	_, body := c.get("/acts/" + e.ids["act"])
	for _, want := range []string{"Нарушение", "Исполнители", "Избиение", "Полиция", `lang="ru"`} {
		if !strings.Contains(body, want) {
			t.Errorf("Russian act page lacks %q", want)
		}
	}
	_, body = c.get("/")
	if !strings.Contains(body, "Нарушения по сферам") || !strings.Contains(body, "Правоохранительные органы") {
		t.Errorf("Russian dashboard lacks its chart titles or labels")
	}
	// Another user still sees English.
	_, body = e.login("admin").get("/acts/" + e.ids["act"])
	if !strings.Contains(body, "Perpetrators") || strings.Contains(body, "Исполнители") {
		t.Error("the English user sees Russian")
	}
}

// TestEmptyStore opens every page of a store without events or acts: nothing may fail, and the
// dashboard says there is nothing to count.
func TestEmptyStore(t *testing.T) {
	e := newEnvEmpty(t)
	c := e.login("admin")
	for _, rt := range e.srv.Routes() {
		if rt.Method != "GET" {
			continue
		}
		path := strings.TrimSuffix(strings.NewReplacer("{id}", "x_none", "{name}", "cat").Replace(rt.Pattern), "{$}")
		req, _ := http.NewRequest("GET", e.ts.URL+path, nil)
		if rt.API {
			req.Header.Set("Accept", "application/json")
		}
		st, body, _ := c.do(req)
		if st >= 500 && st != http.StatusNotImplemented {
			t.Errorf("GET %s on an empty store: %d %.200s", path, st, body)
		}
	}
	if st, body := c.get("/"); st != 200 || !strings.Contains(body, "No acts recorded yet.") {
		t.Errorf("empty dashboard: %d", st)
	}
}

// newEnvEmpty is newEnv without the seeded event and its acts.
func newEnvEmpty(t testing.TB) *env {
	e := newEnv(t)
	ctx := context.Background()
	for _, id := range []string{e.ids["event"]} {
		must(t, e.db.DeleteEvent(ctx, id))
	}
	return e
}

func TestConsentAndLinks(t *testing.T) {
	e := newEnv(t)
	c := e.login("documenter")
	pid := e.ids["person"]
	c.get("/people/" + pid)
	if st, _, _ := c.post("/people/"+pid+"/consent", url.Values{"action": {"record"}, "scope": {"un_submission"}, "given_at": {"2013-05-02"}}); st != http.StatusSeeOther {
		t.Fatalf("record consent: %d", st)
	}
	_, body := c.get("/people/" + pid)
	if !strings.Contains(body, "UN submission") || !strings.Contains(body, "Withdraw consent") {
		t.Fatal("the person page does not show the consent")
	}
	if st, _, _ := c.post("/people/"+pid+"/consent", url.Values{"action": {"record"}, "scope": {"everything"}}); st != http.StatusBadRequest {
		t.Fatalf("a bad scope: %d", st)
	}
	if st, _, _ := c.post("/people/"+pid+"/consent", url.Values{"action": {"withdraw"}}); st != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", st)
	}
	if _, body = c.get("/people/" + pid); !strings.Contains(body, "(withdrawn)") {
		t.Fatal("the withdrawal is not shown")
	}
	// Link the testimony to the secret act: its source comes with it.
	act := e.ids["secret_act"]
	c.get("/acts/" + act)
	if st, _, _ := c.post("/acts/"+act+"/sources", url.Values{"testimony_id": {e.ids["testimony"]}, "connection": {"victim"}, "locator": {"p. 3"}}); st != http.StatusSeeOther {
		t.Fatalf("link: %d", st)
	}
	infos, err := e.db.FindInformation(context.Background(), casefile.InformationFilter{ActID: &act})
	must(t, err)
	if len(infos) != 1 || infos[0].SourceID != e.ids["source"] || infos[0].Locator != "p. 3" {
		t.Fatalf("information %+v", infos)
	}
	if st, _, _ := c.post("/acts/"+act+"/sources", url.Values{"testimony_id": {"tes_none"}}); st != http.StatusBadRequest {
		t.Fatalf("link to no testimony: %d", st)
	}
}

// TestPostgres runs the tests that touch the storage most against PostgreSQL, when
// CASEFILE_TEST_POSTGRES_URL names one (and fails without it under CASEFILE_TEST_REQUIRE=all).
func TestPostgres(t *testing.T) {
	url := os.Getenv("CASEFILE_TEST_POSTGRES_URL")
	if url == "" {
		if os.Getenv("CASEFILE_TEST_REQUIRE") == "all" {
			t.Fatal("CASEFILE_TEST_REQUIRE=all but CASEFILE_TEST_POSTGRES_URL is not set")
		}
		t.Skip("web tests on PostgreSQL skipped: CASEFILE_TEST_POSTGRES_URL is not set")
	}
	for name, fn := range map[string]func(*testing.T, *env){
		"Confidentiality": testConfidentiality, "EventForm": testEventForm, "SessionsShared": testSessionsShared, "XSS": testXSS,
	} {
		t.Run(name, func(t *testing.T) { fn(t, newEnvPostgres(t, url)) })
	}
	t.Run("Login", func(t *testing.T) {
		e := newEnvPostgres(t, url)
		c := e.login("admin")
		if st, _ := c.get("/admin/users"); st != 200 {
			t.Fatalf("users page: %d", st)
		}
	})
}

func TestAuditPage(t *testing.T) {
	e := newEnv(t)
	c := e.login("admin")
	act := e.ids["act"]
	st, body := c.get("/audit?object_id=" + act)
	if st != 200 || !strings.Contains(body, ">"+act+"</a>") || strings.Contains(body, ">"+e.ids["person"]+"</a>") {
		t.Fatalf("audit filtered by the act: %d", st)
	}
	if strings.Count(body, "<tr>") != 2 { // the header and the act's creation
		t.Fatalf("audit rows for one act: %d", strings.Count(body, "<tr>")-1)
	}
	_, body = c.get("/audit")
	seqs := regexp.MustCompile(`<tr><td>(\d+)</td>`).FindAllStringSubmatch(body, -1)
	if len(seqs) < 5 {
		t.Fatalf("the audit log shows %d entries", len(seqs))
	}
	for i := 1; i < len(seqs); i++ {
		a, _ := strconv.Atoi(seqs[i-1][1])
		b, _ := strconv.Atoi(seqs[i][1])
		if a <= b {
			t.Fatalf("the audit log is not newest first: %d before %d", a, b)
		}
	}
}

// TestSecureCookieOverTLS: served over TLS, the session cookie is Secure.
func TestSecureCookieOverTLS(t *testing.T) {
	e := newEnv(t)
	ts := httptest.NewTLSServer(e.srv)
	defer ts.Close()
	hc := ts.Client()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	jar, _ := cookiejar.New(nil)
	hc.Jar = jar
	resp, err := hc.Get(ts.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	tok := csrfField.FindStringSubmatch(string(b))[1]
	resp, err = hc.PostForm(ts.URL+"/login", url.Values{"csrf": {tok}, "username": {"admin1"}, "password": {testPassword}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var secure bool
	for _, ck := range resp.Cookies() {
		if ck.Name == "casefile_session" {
			secure = ck.Secure && ck.HttpOnly
		}
	}
	if !secure || resp.Header.Get("Strict-Transport-Security") == "" {
		t.Fatalf("over TLS: Secure+HttpOnly session cookie %v, HSTS %q", secure, resp.Header.Get("Strict-Transport-Security"))
	}
}

// TestWarm: after Warm, the dashboard shows counts taken before the request, and a record made
// since is counted once the counts are older than their 15 seconds.
func TestWarm(t *testing.T) {
	now := time.Now()
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	e := newEnv(t, func(c *casefilehttp.Config) { c.Now = clock })
	must(t, e.srv.Warm(context.Background()))
	c := e.login("viewer")
	ctx := casefile.NewContextWithActor(context.Background(), "documenter1")
	must(t, e.db.CreateAct(ctx, &casefile.Act{EventID: e.ids["event"], VictimID: e.ids["person"], Type: "extortion"}))
	total := regexp.MustCompile(`id="total-acts">(\d+)<`)
	_, body := c.get("/")
	if m := total.FindStringSubmatch(body); m == nil || m[1] != "2" {
		t.Fatalf("warm dashboard shows %v acts, want the 2 counted before", m)
	}
	mu.Lock()
	now = now.Add(time.Minute)
	mu.Unlock()
	c.get("/") // stale: shown as it is, refreshed in the background
	for i := 0; i < 100; i++ {
		_, body = c.get("/")
		if m := total.FindStringSubmatch(body); m != nil && m[1] == "3" {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the dashboard never counted the new act")
}
