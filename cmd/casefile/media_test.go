package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runMediaCmd runs the casefile command line in-process with the given standard input.
func runMediaCmd(t *testing.T, stdin string, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb, func(k string) string { return env[k] })
	return code, out.String(), errb.String()
}

func TestMediaScan_JSON(t *testing.T) {
	data := filepath.Join(t.TempDir(), "no-store")
	env := map[string]string{"CASEFILE_DATA": data}
	for _, tc := range []struct {
		text string
		want []string // category of each hit
	}{
		{"Эти наркоманы — просто животные, их надо изолировать.", []string{"label", "dehumanisation", "violence"}},
		{"Он посветил фонариком в подъезд и увидел соседа.", nil},
		{"Junkies are scum, said the presenter.", []string{"label", "dehumanisation"}},
	} {
		code, stdout, stderr := runMediaCmd(t, tc.text, env, "media", "scan", "-", "--json")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var out scanOutput
		if err := json.Unmarshal([]byte(stdout), &out); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, stdout)
		}
		var got []string
		for _, h := range out.Hits {
			got = append(got, h.Category)
			if tc.text[h.Start:h.End] != h.Term || h.Sentence != tc.text || h.Source != "-" {
				t.Errorf("hit %+v does not point into the text", h.DiscourseHit)
			}
		}
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%q: hits %v, want %v", tc.text, got, tc.want)
		}
		if len(out.Hits) > 1 && (out.Hits[1].Referent == nil || out.Hits[1].Referent.Term == "") {
			t.Errorf("metaphor without its referent: %+v", out.Hits[1].DiscourseHit)
		}
	}
	if _, err := os.Stat(data); !os.IsNotExist(err) {
		t.Errorf("media scan touched the data folder: %v", err)
	}
}

func TestMediaScan_Files(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	html := write("a.html", `<html lang="ru"><body><nav>Наркоманы</nav><article><p>Торчки — зомби.</p></article></body></html>`)
	jsonl := write("b.jsonl", `{"outlet":"Газета","date":"2024-03-05","url":"https://example.org/1","text":"Нарики во дворе."}`+"\n")
	feed := write("c.rss", `<rss><channel><title>Paper</title><item><link>https://example.com/1</link><description>Addicts are vermin.</description></item></channel></rss>`)
	code, stdout, stderr := runMediaCmd(t, "", nil, "media", "scan", html, jsonl, feed, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var out scanOutput
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range out.Hits {
		got = append(got, filepath.Base(h.Source)+":"+h.Term+":"+h.URL)
	}
	want := "a.html:Торчки: a.html:зомби: b.jsonl:Нарики:https://example.org/1 c.rss:Addicts:https://example.com/1 c.rss:vermin:https://example.com/1"
	if strings.Join(got, " ") != want {
		t.Errorf("hits\n%s\nwant\n%s", strings.Join(got, " "), want)
	}
	if out.Summary.Items != 3 || out.Summary.AboutDrugs != 3 || out.Items[1].Outlet != "Газета" || out.Items[2].Outlet != "Paper" {
		t.Errorf("summary %+v items %+v", out.Summary, out.Items)
	}

	// Plain output: one line per hit with its offsets.
	code, stdout, _ = runMediaCmd(t, "Нарики во дворе.", nil, "media", "scan", "-")
	if code != 0 || stdout != "-:0-12\tlabel\tНарики\tНарики во дворе.\n" {
		t.Errorf("exit %d, stdout %q", code, stdout)
	}
}

func TestMediaScan_Errors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte(`{"text":"ok"}`+"\n"+`{"text": 1}`+"\n"), 0o600)
	lex := filepath.Join(dir, "lex.tsv")
	os.WriteFile(lex, []byte("x\tru\tslur\talone\tабв\n"), 0o600)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"media", "scan"}, 2, "name one or more files"},
		{[]string{"media", "scan", "-", "--format", "pdf"}, 2, `--format "pdf"`},
		{[]string{"media", "scan", filepath.Join(dir, "missing.txt")}, 1, "cannot open " + filepath.Join(dir, "missing.txt") + ": no such file"},
		{[]string{"media", "scan", bad}, 1, "bad.jsonl:2: field text: want a string"},
		{[]string{"media", "scan", "-", "--lexicon", lex}, 1, `lex.tsv:1: category "slur"`},
		{[]string{"media", "scan", "-", "--window", "-3"}, 1, "window must be between"},
		{[]string{"media", "frobnicate"}, 2, `unknown subcommand "frobnicate"`},
	} {
		code, _, stderr := runMediaCmd(t, "", nil, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d with %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
}

// TestMediaFetchStats runs the whole monitor against a news site served on loopback: a feed is
// added, fetched (each article's page kept as evidence), fetched again (nothing new), and the
// statistics and quotations come out with the hash of the page they quote.
func TestMediaFetchStats(t *testing.T) {
	var feedHits, etagHits int
	mux := http.NewServeMux()
	mux.HandleFunc("/rss", func(w http.ResponseWriter, r *http.Request) {
		feedHits++
		if r.Header.Get("If-None-Match") == `"v1"` {
			etagHits++
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Городская газета</title><language>ru</language>
<item><title>Первая</title><link>/news/1</link><pubDate>Tue, 05 Mar 2024 10:00:00 +0000</pubDate><description>кратко</description></item>
<item><title>Вторая</title><link>/news/2</link><pubDate>Wed, 10 Apr 2024 10:00:00 +0000</pubDate><description>кратко</description></item>
<item><title>Третья (копия первой)</title><link>/news/1-copy</link><pubDate>Wed, 06 Mar 2024 10:00:00 +0000</pubDate></item>
<item><title>Пропавшая</title><link>/news/404</link></item>
</channel></rss>`)
	})
	page1 := `<html><body><nav>Меню</nav><article><p>Эти наркоманы — просто животные, их надо изолировать.</p></article></body></html>`
	mux.HandleFunc("/news/1", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, page1) })
	mux.HandleFunc("/news/1-copy", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, page1) })
	mux.HandleFunc("/news/2", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><body><article><p>Люди, употребляющие наркотики, получили доступ к помощи.</p></article></body></html>`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	data := filepath.Join(t.TempDir(), "data")
	env := map[string]string{"CASEFILE_DATA": data, "CASEFILE_PASSPHRASE": "media-test-passphrase"}
	if code, _, stderr := runMediaCmd(t, "", env, "init"); code != 0 {
		t.Fatalf("init: %d %s", code, stderr)
	}
	if code, _, stderr := runMediaCmd(t, "", env, "media", "feed", "add", "ftp://example.org/x"); code != 2 || !strings.Contains(stderr, "not an http or https URL") {
		t.Errorf("bad feed URL: %d %s", code, stderr)
	}
	if code, _, stderr := runMediaCmd(t, "", env, "media", "feed", "add", srv.URL+"/rss"); code != 0 {
		t.Fatalf("feed add: %d %s", code, stderr)
	}
	if code, _, stderr := runMediaCmd(t, "", env, "media", "feed", "add", srv.URL+"/rss"); code != 1 || !strings.Contains(stderr, "monitored already") {
		t.Errorf("feed added twice: %d %s", code, stderr)
	}
	code, stdout, stderr := runMediaCmd(t, "", env, "media", "fetch", "--json")
	if code != 0 {
		t.Fatalf("fetch: %d %s", code, stderr)
	}
	var sum ingestSummary
	if err := json.Unmarshal([]byte(stdout), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Stored != 2 || sum.Duplicates != 1 || sum.Hits != 3 || len(sum.Errors) != 1 || !strings.Contains(sum.Errors[0].Message, "404") {
		t.Fatalf("first fetch: %+v", sum)
	}
	// Again: the server says nothing changed.
	code, stdout, stderr = runMediaCmd(t, "", env, "media", "fetch", "--json")
	if code != 0 || json.Unmarshal([]byte(stdout), &sum) != nil || sum.Stored != 0 || etagHits != 1 {
		t.Fatalf("second fetch: %d %s %+v (conditional requests %d)", code, stderr, sum, etagHits)
	}
	code, stdout, _ = runMediaCmd(t, "", env, "media", "feed", "list", "--json")
	if code != 0 || !strings.Contains(stdout, `"outlet": "Городская газета"`) || !strings.Contains(stdout, `"etag": "\"v1\""`) {
		t.Errorf("feed list: %s", stdout)
	}

	svg := filepath.Join(t.TempDir(), "stats.svg")
	code, stdout, stderr = runMediaCmd(t, "", env, "media", "stats", "--json", "--quotes", "--svg", svg)
	if code != 0 {
		t.Fatalf("stats: %d %s", code, stderr)
	}
	var st statsOutput
	if err := json.Unmarshal([]byte(stdout), &st); err != nil {
		t.Fatal(err)
	}
	if len(st.Rows) != 2 || st.Rows[0].Month != "2024-03" || st.Rows[0].StigmatisingShare != 1 || st.Rows[1].PreferredShare != 1 || st.Rows[1].StigmatisingShare != 0 {
		t.Fatalf("rows: %+v %+v", st.Rows[0], st.Rows[1])
	}
	if len(st.Quotes) != 3 || st.Quotes[1].Term != "животные" || st.Quotes[1].Sentence != "Эти наркоманы — просто животные, их надо изолировать." {
		t.Fatalf("quotes: %+v", st.Quotes)
	}
	// The quotation is provable: the evidence item is the page as fetched, with the hash quoted.
	q := st.Quotes[1]
	orig := filepath.Join(t.TempDir(), "original.html")
	if code, _, stderr := runMediaCmd(t, "", env, "evidence", "get", q.EvidenceID, "--out", orig); code != 0 {
		t.Fatalf("evidence get: %d %s", code, stderr)
	}
	b, _ := os.ReadFile(orig)
	h := sha256.Sum256(b)
	if string(b) != page1 || hex.EncodeToString(h[:]) != q.SHA256 {
		t.Errorf("original differs from the page or its hash")
	}
	if b, err := os.ReadFile(svg); err != nil || !strings.Contains(string(b), "Городская газета · 2024-03") {
		t.Errorf("svg: %v", err)
	}
	code, stdout, _ = runMediaCmd(t, "", env, "media", "stats", "--csv")
	if code != 0 || !strings.Contains(stdout, "Городская газета,2024-03,1,1,1,1.000,1.000,1.000") {
		t.Errorf("csv:\n%s", stdout)
	}

	// Import: JSON Lines from another monitor; a line seen before is a duplicate.
	jl := filepath.Join(t.TempDir(), "archive.jsonl")
	os.WriteFile(jl, []byte(`{"outlet":"Paper","date":"2024-05-01","url":"https://example.com/a","text":"Junkies are scum."}`+"\n"+
		`{"outlet":"Paper","date":"2024-05-01","url":"https://example.com/a","text":"Junkies are scum."}`+"\n"), 0o600)
	code, stdout, stderr = runMediaCmd(t, "", env, "media", "import", jl, "--json")
	if code != 0 || json.Unmarshal([]byte(stdout), &sum) != nil || sum.Stored != 1 || sum.Duplicates != 1 || sum.Hits != 2 {
		t.Fatalf("import: %d %s %s", code, stderr, stdout)
	}
}
