package main

import (
	"bytes"
	"context"
	"encoding/json"
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
