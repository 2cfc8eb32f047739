package http

import (
	"io/fs"
	"regexp"
	"testing"
)

// TestRussianComplete finds every string the templates translate and every fixed message the
// handlers show, and checks that each has a Russian translation.
func TestRussianComplete(t *testing.T) {
	lit := regexp.MustCompile(`\.T "([^"]+)"`)
	files, err := fs.Glob(htmlFS, "html/*.html")
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, f := range files {
		b, _ := htmlFS.ReadFile(f)
		for _, m := range lit.FindAllSubmatch(b, -1) {
			seen++
			if _, ok := russian[string(m[1])]; !ok {
				t.Errorf("%s: %q has no Russian translation", f, m[1])
			}
		}
	}
	for _, msg := range flashes {
		if _, ok := russian[msg]; !ok {
			t.Errorf("message %q has no Russian translation", msg)
		}
	}
	for key := range english {
		if _, ok := russian[key]; !ok {
			t.Errorf("label %q has no Russian translation", key)
		}
	}
	if seen < 100 {
		t.Fatalf("found only %d translated strings in the templates", seen)
	}
}
