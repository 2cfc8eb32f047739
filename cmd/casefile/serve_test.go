package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// serveLog is an io.Writer the server's goroutine writes to while the test reads it.
type serveLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *serveLog) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *serveLog) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// webStore makes a fresh store with the real init command and users with the real user command,
// starts the real serve command on a free port, and returns its URL and the users' passwords.
func webStore(t *testing.T) (base string, passwords map[string]string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	env := map[string]string{"CASEFILE_PASSPHRASE": "serve-test-passphrase"}
	getenv := func(k string) string { return env[k] }
	ctx := context.Background()
	var out, errb bytes.Buffer
	if code := run(ctx, []string{"init", "--data", dir}, strings.NewReader(""), &out, &errb, getenv); code != 0 {
		t.Fatalf("init: %d %s", code, errb.String())
	}
	passwords = map[string]string{}
	for name, role := range map[string]string{"dana": "documenter", "anton": "analyst", "rita": "reviewer"} {
		out.Reset()
		errb.Reset()
		if code := run(ctx, []string{"user", "add", name, "--role", role, "--json", "--data", dir}, strings.NewReader(""), &out, &errb, getenv); code != 0 {
			t.Fatalf("user add %s: %d %s", name, code, errb.String())
		}
		var res struct {
			Password string `json:"password"`
		}
		if err := json.Unmarshal(out.Bytes(), &res); err != nil || res.Password == "" {
			t.Fatalf("user add %s printed %q", name, out.String())
		}
		passwords[name] = res.Password
	}
	sctx, stop := context.WithCancel(ctx)
	logs := &serveLog{}
	done := make(chan int, 1)
	go func() {
		done <- run(sctx, []string{"serve", "--data", dir, "--addr", "127.0.0.1:0"}, strings.NewReader(""), &bytes.Buffer{}, logs, getenv)
	}()
	t.Cleanup(func() {
		stop()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d: %s", code, logs.String())
		}
	})
	addr := regexp.MustCompile(`serving on (http://127\.0\.0\.1:\d+)/`)
	for i := 0; i < 200; i++ {
		if m := addr.FindStringSubmatch(logs.String()); m != nil {
			if !strings.Contains(logs.String(), `Created the first administrator: user "admin"`) {
				t.Errorf("serve did not create the first administrator: %s", logs.String())
			}
			return m[1], passwords
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d: %s", code, logs.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("serve did not start: %s", logs.String())
	return "", nil
}

// startChromium starts headless Chromium, or skips (fails with CASEFILE_TEST_REQUIRE=all) without it.
func startChromium(t *testing.T) context.Context {
	t.Helper()
	path := "/usr/bin/chromium"
	if _, err := os.Stat(path); err != nil {
		if p, err := exec.LookPath("chromium"); err == nil {
			path = p
		} else if os.Getenv("CASEFILE_TEST_REQUIRE") == "all" {
			t.Fatal("CASEFILE_TEST_REQUIRE=all but Chromium is not installed (apt-get install -y chromium)")
		} else {
			t.Skip("end-to-end browser test skipped: Chromium is not installed (apt-get install -y chromium)")
		}
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 1000),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	bctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	// The first action starts the browser, on a context without a deadline (a deadline there
	// would stop the browser); the steps then run under one.
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	ctx, cancel3 := context.WithTimeout(bctx, 120*time.Second)
	t.Cleanup(cancel3)
	return ctx
}

type browserStep = chromedp.Action[chromedp.Void]

func browserLogin(base, user, pass string) browserStep {
	return chromedp.Steps(
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), user),
		chromedp.SendKeys(chromedp.ID("password"), pass),
		chromedp.Click(chromedp.ID("login")),
		chromedp.WaitVisible(chromedp.ID("total-acts")),
	)
}

func browserLogout() browserStep {
	return chromedp.Steps(chromedp.Click(chromedp.ID("logout")), chromedp.WaitVisible(chromedp.ID("username")))
}

// TestServeEndToEnd drives the real server in real Chromium through a documenter's, an analyst's
// and a reviewer's work: record an event with two acts and two perpetrators in one form, find it
// by search, assess one act, sign the assessment off.
func TestServeEndToEnd(t *testing.T) {
	ctx := startChromium(t)
	base, pw := webStore(t)
	do := func(what string, steps ...browserStep) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(id string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID(id)))
		if err != nil {
			t.Fatalf("text of #%s: %v", id, err)
		}
		return strings.TrimSpace(s)
	}
	count := func(css string) int {
		t.Helper()
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+jsQuote(css)+`).length`))
		if err != nil {
			t.Fatalf("count %s: %v", css, err)
		}
		return n
	}

	// A documenter records the event: one victim, two perpetrators, two acts, in one form.
	do("record the event",
		browserLogin(base, "dana", pw["dana"]),
		chromedp.Navigate(base+"/events/new"),
		chromedp.WaitVisible(chromedp.ID("event-form")),
		chromedp.SendKeys(chromedp.ID("title"), "Beating and forced confession at Zavodskoy station"),
		chromedp.SendKeys(chromedp.ID("date_start"), "2013-04"),
		chromedp.SetValue(chromedp.ID("domain"), "law_enforcement"),
		chromedp.SetValue(chromedp.ID("setting"), "police_station"),
		chromedp.SendKeys(chromedp.ID("description"), "Two officers held the man overnight in the cells."),
		chromedp.SendKeys(chromedp.ID("v1_descriptor"), "Male drug user, 41, Tver"),
		chromedp.SetValue(chromedp.ID("p1_type"), "police"),
		chromedp.SetValue(chromedp.ID("p2_type"), "official"),
		chromedp.SetValue(chromedp.ID("a1_type"), "beating"),
		chromedp.SendKeys(chromedp.ID("a1_description"), "Beaten with a truncheon while in withdrawal"),
		chromedp.SetValue(chromedp.ID("a1_p1_degree"), "carried_out"),
		chromedp.SetValue(chromedp.ID("a1_p2_degree"), "ordered"),
		chromedp.SetValue(chromedp.ID("a2_type"), "coerced_confession"),
		chromedp.SetValue(chromedp.ID("a2_p1_degree"), "carried_out"),
		chromedp.Click(chromedp.ID("save-event")),
		chromedp.WaitVisible(chromedp.ID("event-title")),
	)
	if got := text("event-title"); got != "Beating and forced confession at Zavodskoy station" {
		t.Fatalf("event page title %q", got)
	}
	if n := count("#event-acts tbody tr"); n != 2 {
		t.Fatalf("the event has %d acts, want 2", n)
	}
	acts := strings.ToLower(text("event-acts"))
	for _, want := range []string{"beating", "coerced confession", "police (carried out)", "public official or legislator (ordered)"} {
		if !strings.Contains(acts, want) {
			t.Errorf("the event's acts lack %q: %s", want, acts)
		}
	}

	// She records the victim's testimony and marks a passage by selecting it (the page's one
	// script fills the passage form from the selection; it runs under the strict CSP).
	const said = "they took my methadone away"
	do("record a testimony",
		chromedp.Navigate(base+"/testimonies"),
		chromedp.Click(chromedp.ID("add-testimony")),
		chromedp.SendKeys(chromedp.ID("narrative-input"), "I was beaten in the cells. Then "+said+" and laughed."),
		chromedp.Click(chromedp.ID("save-testimony")),
		chromedp.WaitVisible(chromedp.ID("narrative")),
	)
	quote, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const n = document.getElementById("narrative"), t = n.firstChild, s = t.nodeValue.indexOf(`+jsQuote(said)+`);
		const r = document.createRange(); r.setStart(t, s); r.setEnd(t, s + `+jsQuote(said)+`.length);
		const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(r);
		n.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
		return document.getElementById("quote").value; })()`))
	if err != nil || quote != said {
		t.Fatalf("selecting the passage filled the form with %q (%v), want %q", quote, err, said)
	}
	do("mark the passage", chromedp.Click(chromedp.ID("mark-passage")), chromedp.WaitVisible(chromedp.ID("passage-p1")))
	if got := text("passage-p1"); got != said {
		t.Fatalf("marked passage %q, want %q", got, said)
	}
	do("log out", browserLogout())

	// An analyst finds it by search and assesses the beating against CAT.
	do("search",
		browserLogin(base, "anton", pw["anton"]),
		chromedp.Navigate(base+"/search"),
		chromedp.WaitVisible(chromedp.ID("q")),
		chromedp.SendKeys(chromedp.ID("q"), "truncheon"),
		chromedp.Click(chromedp.ID("search-submit")),
		chromedp.WaitVisible(chromedp.ID("hits")),
	)
	if hits := text("hits"); !strings.Contains(hits, "Zavodskoy") {
		t.Fatalf("search hits: %q", hits)
	}
	do("assess",
		chromedp.Click(chromedp.CSS(`#hits a[href^="/acts/"]`)),
		chromedp.WaitVisible(chromedp.ID("assess-cat")),
		chromedp.Click(chromedp.ID("assess-cat")),
		chromedp.WaitVisible(chromedp.ID("workspace")),
		chromedp.SetValue(chromedp.CSS(`select[name="el_cat.1.severity"]`), "severe"),
		chromedp.SendKeys(chromedp.CSS(`textarea[name="just_cat.1.severity"]`), "Beaten with a truncheon during withdrawal"),
		chromedp.Click(chromedp.ID("save-assessment")),
		chromedp.WaitVisible(chromedp.ID("assessment-status")),
	)
	if st := text("assessment-status"); st != "draft" {
		t.Fatalf("new assessment status %q, want draft", st)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	assessmentURL := strings.Split(loc, "?")[0]
	if !strings.Contains(text("answers"), "Beaten with a truncheon during withdrawal") {
		t.Error("the stored assessment does not show the justification")
	}
	do("log out", browserLogout())

	// A reviewer signs it off.
	do("sign off",
		browserLogin(base, "rita", pw["rita"]),
		chromedp.Navigate(assessmentURL),
		chromedp.WaitVisible(chromedp.ID("sign-off")),
		chromedp.Click(chromedp.ID("sign-off")),
		chromedp.WaitVisible(chromedp.ID("assessment-reviewer")),
	)
	if st, rv := text("assessment-status"), text("assessment-reviewer"); st != "reviewed" || !strings.HasPrefix(rv, "rita") {
		t.Fatalf("after sign-off: status %q, reviewer %q", st, rv)
	}
	if n := count("#sign-off"); n != 0 {
		t.Fatalf("a reviewed assessment still offers sign-off")
	}
}

func jsQuote(s string) string { b, _ := json.Marshal(s); return string(b) }

// TestServeEvidence uploads evidence through the running server (into the real vault), downloads
// it back, and checks what is refused: a type that is not evidence, and a file that is too large.
func TestServeEvidence(t *testing.T) {
	base, pw := webStore(t)
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar}
	csrfRe := regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	get := func(path string) (int, string) {
		resp, err := hc.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	_, page := get("/login")
	tok := csrfRe.FindStringSubmatch(page)[1]
	resp, err := hc.PostForm(base+"/login", url.Values{"csrf": {tok}, "username": {"dana"}, "password": {pw["dana"]}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	_, page = get("/sources")
	csrf := csrfRe.FindStringSubmatch(page)[1]
	resp, err = hc.PostForm(base+"/sources", url.Values{"csrf": {csrf}, "kind": {"interview"}, "title": {"Interview T-1"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	sourcePath := resp.Request.URL.Path
	if !strings.HasPrefix(sourcePath, "/sources/src_") {
		t.Fatalf("new source at %s", sourcePath)
	}
	upload := func(name string, content []byte) (int, string) {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("description", "Scan of the medical record")
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(content)
		mw.Close()
		req, _ := http.NewRequest("POST", base+sourcePath+"/evidence?csrf="+url.QueryEscape(csrf), &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	pdf := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("evidence "), 5000)...)
	st, page := upload("record.pdf", pdf)
	if st != 200 || !strings.Contains(page, "record.pdf") {
		t.Fatalf("upload a PDF: %d", st)
	}
	sum := sha256.Sum256(pdf)
	if !strings.Contains(page, hex.EncodeToString(sum[:])) {
		t.Fatal("the source page does not show the file's SHA-256")
	}
	link := regexp.MustCompile(`href="(/evidence/[a-z0-9_]+/file)"`).FindStringSubmatch(page)
	if link == nil {
		t.Fatal("no download link")
	}
	resp, err = hc.Get(base + link[1])
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Equal(got, pdf) || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("download: %d, %d bytes, %q", resp.StatusCode, len(got), resp.Header.Get("Content-Disposition"))
	}
	if st, page := upload("page.html", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>")); st != 400 || !strings.Contains(page, "not accepted as evidence") {
		t.Fatalf("HTML accepted as evidence: %d", st)
	}
	big := append([]byte("%PDF-1.4\n"), make([]byte, 33<<20)...)
	if st, page := upload("big.pdf", big); st != 400 || !strings.Contains(page, "larger than 32 MiB") {
		t.Fatalf("a 33 MiB file: %d", st)
	}
	if _, page := get(sourcePath); strings.Count(page, "/file\"") != 1 {
		t.Fatal("a refused upload left an evidence item")
	}
}

// webClient logs a user in over plain HTTP and keeps the page's CSRF token.
type webClient struct {
	t    *testing.T
	base string
	hc   *http.Client
	csrf string
}

var webCSRFField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func newWebClient(t *testing.T, base, user, pass string) *webClient {
	jar, _ := cookiejar.New(nil)
	c := &webClient{t: t, base: base, hc: &http.Client{Jar: jar}}
	c.get("/login")
	if st, _ := c.post("/login", url.Values{"username": {user}, "password": {pass}}); st != 200 {
		t.Fatalf("login %s: %d", user, st)
	}
	return c
}

func (c *webClient) read(resp *http.Response, err error) (int, string) {
	c.t.Helper()
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if m := webCSRFField.FindSubmatch(b); m != nil {
		c.csrf = string(m[1])
	}
	return resp.StatusCode, string(b)
}

func (c *webClient) get(path string) (int, string) { return c.read(c.hc.Get(c.base + path)) }

func (c *webClient) post(path string, form url.Values) (int, string) {
	form.Set("csrf", c.csrf)
	return c.read(c.hc.PostForm(c.base+path, form))
}

func (c *webClient) api(method, path string, body any) (int, map[string]any) {
	c.t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, c.base+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", c.csrf)
	st, text := c.read(c.hc.Do(req))
	var out map[string]any
	json.Unmarshal([]byte(text), &out)
	return st, out
}

// TestServeWorkspace assesses an act in the workspace with the real legal engine: answers with a
// justification and a cited testimony passage, the computed outcome, a new version, sign-off.
func TestServeWorkspace(t *testing.T) {
	base, pw := webStore(t)
	dana := newWebClient(t, base, "dana", pw["dana"])
	narr := "At the station they beat me until I signed. I was in withdrawal and begged for a doctor."
	st, out := dana.api("POST", "/api/v1/events", map[string]any{
		"title": "Confession under beating", "domain": "law_enforcement", "setting": "police_station",
		"date":    map[string]string{"precision": "year", "start": "2012"},
		"persons": []map[string]any{{"id": "per_w1", "descriptor": "Male drug user, 30, Samara", "sex": "male"}},
		"acts": []map[string]any{{"id": "act_w1", "victim_id": "per_w1", "type": "beating",
			"involvements": []map[string]string{{"perpetrator_type": "police", "degree": "carried_out"}}}},
	})
	if st != 201 {
		t.Fatalf("event with an act: %d %v", st, out)
	}
	if st, out = dana.api("POST", "/api/v1/sources", map[string]any{"id": "src_w1", "kind": "interview", "title": "Interview S-1"}); st != 201 {
		t.Fatalf("source: %d %v", st, out)
	}
	end := strings.Index(narr, ".") + 1
	if st, out = dana.api("POST", "/api/v1/testimonies", map[string]any{"id": "tes_w1", "person_id": "per_w1", "source_id": "src_w1",
		"narrative": map[string]string{"lang": "en", "body": narr}, "passages": []map[string]any{{"id": "p1", "start": 0, "end": end}}}); st != 201 {
		t.Fatalf("testimony: %d %v", st, out)
	}
	if st, out = dana.api("POST", "/api/v1/information", map[string]any{"source_id": "src_w1", "act_id": "act_w1", "testimony_id": "tes_w1", "connection": "victim"}); st != 201 {
		t.Fatalf("information: %d %v", st, out)
	}
	if st, _ := dana.get("/acts/act_w1/assess?framework=cat"); st != 200 {
		t.Fatalf("a documenter reads the workspace: %d", st)
	}
	if st, _ := dana.post("/acts/act_w1/assess", url.Values{"framework": {"cat"}}); st != 403 {
		t.Fatalf("a documenter saves an assessment: %d, want 403", st)
	}

	anton := newWebClient(t, base, "anton", pw["anton"])
	st, page := anton.get("/acts/act_w1/assess?framework=cat")
	if st != 200 || !strings.Contains(page, `name="el_cat.1.severity"`) || !strings.Contains(page, `value="tes_w1#p1"`) {
		t.Fatalf("workspace: %d (questions and the citable passage expected)", st)
	}
	form := url.Values{"framework": {"cat"}, "el_cat.1.severity": {"severe"}, "str_cat.1.severity": {"alleged"},
		"just_cat.1.severity": {"Beaten until he signed <script>alert(1)</script>"}, "pas_cat.1.severity": {"tes_w1#p1"}, "action": {"preview"},
		"note": {"<img src=x onerror=alert(2)>"}}
	st, page = anton.post("/acts/act_w1/assess", form)
	if st != 200 || !strings.Contains(page, `id="outcome"`) || !strings.Contains(page, "cat.1.severity") {
		t.Fatalf("preview: %d", st)
	}
	if strings.Contains(page, "<script>alert(1)") || !strings.Contains(page, "&lt;script&gt;alert(1)") {
		t.Fatal("the workspace does not show the justification escaped")
	}
	form.Set("action", "save")
	st, page = anton.post("/acts/act_w1/assess", form)
	if st != 200 || !strings.Contains(page, "Beaten until he signed &lt;script&gt;") || !strings.Contains(page, `/testimonies/tes_w1#passage-p1`) {
		t.Fatalf("saved assessment: %d", st)
	}
	if strings.Contains(page, "<script>alert(1)") || strings.Contains(page, "<img src=x") {
		t.Fatal("the assessment page shows the justification or note unescaped")
	}
	id := regexp.MustCompile(`action="/assessments/(asm[a-z0-9_]+|[a-z]+_[a-z0-9]+)/review"`).FindStringSubmatch(page)
	if id == nil {
		// The analyst may not sign off, so the page has no form: read the ID from the API.
		_, list := anton.api("GET", "/api/v1/assessments?act_id=act_w1", nil)
		items, _ := list["items"].([]any)
		if len(items) != 1 {
			t.Fatalf("assessments of the act: %v", list)
		}
		a := items[0].(map[string]any)
		if a["status"] != "draft" || len(a["outcomes"].([]any)) == 0 {
			t.Fatalf("stored assessment: %v", a)
		}
		id = []string{"", a["id"].(string)}
	}
	if st, _ := anton.post("/assessments/"+id[1]+"/review", url.Values{}); st != 403 {
		t.Fatalf("an analyst signs off: %d, want 403", st)
	}
	rita := newWebClient(t, base, "rita", pw["rita"])
	rita.get("/assessments/" + id[1])
	st, page = rita.post("/assessments/"+id[1]+"/review", url.Values{"note": {"Agreed."}})
	if st != 200 || !strings.Contains(page, `id="assessment-status">reviewed`) {
		t.Fatalf("sign-off: %d", st)
	}
	if st, out := rita.api("POST", "/api/v1/assessments/"+id[1]+"/review", map[string]string{}); st != 409 {
		t.Fatalf("second sign-off: %d %v, want 409", st, out)
	}
}

// TestServeFourEyes: a reviewer who drafted an assessment cannot sign it off.
func TestServeFourEyes(t *testing.T) {
	base, pw := webStore(t)
	dana := newWebClient(t, base, "dana", pw["dana"])
	if st, out := dana.api("POST", "/api/v1/events", map[string]any{"title": "Denied methadone", "domain": "prison",
		"persons": []map[string]any{{"id": "per_f1", "descriptor": "Woman on OST, 38"}},
		"acts":    []map[string]any{{"id": "act_f1", "victim_id": "per_f1", "type": "denial_of_ost"}}}); st != 201 {
		t.Fatalf("event: %d %v", st, out)
	}
	rita := newWebClient(t, base, "rita", pw["rita"])
	st, out := rita.api("POST", "/api/v1/assessments", map[string]any{"act_id": "act_f1", "framework": "cat", "answers": map[string]any{}})
	if st != 201 {
		t.Fatalf("draft: %d %v", st, out)
	}
	id := out["id"].(string)
	if st, _ := rita.api("POST", "/api/v1/assessments/"+id+"/review", map[string]string{}); st != 403 {
		t.Fatalf("the author signs off: %d, want 403", st)
	}
	if _, page := rita.get("/assessments/" + id); strings.Contains(page, `id="sign-off"`) {
		t.Fatal("the author is offered the sign-off")
	}
}

// TestUserCommand runs casefile user add, list, disable, enable and reset-password on a real
// store, and refuses what it must.
func TestUserCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	env := map[string]string{"CASEFILE_PASSPHRASE": "user-test-passphrase"}
	cf := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(context.Background(), append(args, "--data", dir), strings.NewReader(""), &out, &errb, func(k string) string { return env[k] })
		return code, out.String(), errb.String()
	}
	if code, _, e := cf("init"); code != 0 {
		t.Fatalf("init: %s", e)
	}
	code, out, _ := cf("user", "add", "Vera", "--role", "admin")
	if code != 0 || len(strings.TrimSpace(out)) < 16 {
		t.Fatalf("user add: %d %q", code, out)
	}
	if code, _, _ := cf("user", "add", "vera", "--role", "viewer"); code != 1 {
		t.Fatalf("a second vera: exit %d, want 1", code)
	}
	if code, _, _ := cf("user", "add", "ivan", "--role", "boss"); code != 2 {
		t.Fatalf("a bad role: exit %d, want 2", code)
	}
	if code, _, e := cf("user", "disable", "vera"); code != 1 || !strings.Contains(e, "last active administrator") {
		t.Fatalf("disable the last admin: %d %q", code, e)
	}
	cf("user", "add", "ivan", "--role", "documenter", "--lang", "ru")
	if code, _, _ := cf("user", "disable", "ivan"); code != 0 {
		t.Fatal("disable ivan")
	}
	code, out, _ = cf("user", "list", "--json")
	var us []map[string]any
	if err := json.Unmarshal([]byte(out), &us); code != 0 || err != nil || len(us) != 2 {
		t.Fatalf("user list: %d %q", code, out)
	}
	if us[0]["username"] != "ivan" || us[0]["disabled"] != true || us[0]["lang"] != "ru" || us[0]["password_hash"] != nil {
		t.Fatalf("ivan listed as %v", us[0])
	}
	code, out, _ = cf("user", "reset-password", "ivan", "--json")
	var res map[string]any
	if json.Unmarshal([]byte(out), &res); code != 0 || len(res["password"].(string)) < 16 {
		t.Fatalf("reset-password: %d %q", code, out)
	}
	if code, _, _ := cf("user", "frobnicate"); code != 2 {
		t.Fatalf("unknown subcommand: exit %d, want 2", code)
	}
}
