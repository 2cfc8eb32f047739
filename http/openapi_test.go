package http_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestOpenAPI_Routes checks the document against the server both ways: every API route is
// documented with its method, and every documented operation reaches a handler (the mux answers
// neither its own 404 nor 405).
func TestOpenAPI_Routes(t *testing.T) {
	e := newEnv(t)
	resp, err := http.Get(e.ts.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("openapi.json without logging in: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") || len(doc.Paths) < 10 {
		t.Fatalf("openapi %q with %d paths", doc.OpenAPI, len(doc.Paths))
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	routes := map[string]bool{}
	for _, rt := range e.srv.Routes() {
		if !rt.API {
			continue
		}
		key := rt.Method + " " + rt.Pattern
		routes[key] = true
		if !documented[key] {
			t.Errorf("route %s is not in the OpenAPI document", key)
		}
	}
	c := e.login("admin")
	param := regexp.MustCompile(`\{[a-z_]+\}`)
	var keys []string
	for k := range documented {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		if !routes[key] {
			t.Errorf("the document has %s, which is no route", key)
		}
		method, path, _ := strings.Cut(key, " ")
		if method == "DELETE" {
			continue // reaching a handler is checked without deleting anything: see below
		}
		st, out := c.api(method, param.ReplaceAllString(path, "x"), nil, "")
		msg := ""
		if e, ok := out["error"].(map[string]any); ok {
			msg, _ = e["message"].(string)
		}
		if st == http.StatusMethodNotAllowed || (st == 404 && msg == "there is no such page") {
			t.Errorf("documented %s reaches no handler: %d %q", key, st, msg)
		}
	}
	// DELETE on a record that does not exist reaches the handler and answers its not-found.
	for _, key := range keys {
		if method, path, _ := strings.Cut(key, " "); method == "DELETE" {
			st, out := c.api(method, param.ReplaceAllString(path, "x_none"), nil, "")
			msg := ""
			if e, ok := out["error"].(map[string]any); ok {
				msg, _ = e["message"].(string)
			}
			if st == http.StatusMethodNotAllowed || msg == "there is no such page" {
				t.Errorf("documented %s reaches no handler: %d %q", key, st, msg)
			}
		}
	}
}
