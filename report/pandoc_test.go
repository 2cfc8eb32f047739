package report_test

import (
	"bytes"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// TestMarkdown_Pandoc converts the Markdown reports with Pandoc, as a user making a Word or HTML
// document would, and checks that nothing is lost: every table parsed, every footnote a note, no
// markup or escape left in the text. Pandoc is optional: without it the test is skipped.
func TestMarkdown_Pandoc(t *testing.T) {
	pandoc, err := exec.LookPath("pandoc")
	if err != nil {
		t.Skip("SKIP: pandoc is not installed (apt-get install pandoc)")
	}
	db := demoStore(t)
	for _, lang := range []string{"en", "ru"} {
		d := build(t, db, "cat", lang).Doc()
		md := render(t, d, "md")
		cmd := exec.Command(pandoc, "-f", "markdown", "-t", "html")
		cmd.Stdin = bytes.NewReader(md)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("pandoc: %v", err)
		}
		html := string(out)
		if got, want := strings.Count(html, "<table"), strings.Count(string(md), "\n| ---"); got != want {
			t.Errorf("%s: pandoc made %d tables of %d", lang, got, want)
		}
		// Pandoc writes a note out once per mark, so there are as many as marks in the text.
		body, _, _ := strings.Cut(string(md), "\n[^1]: ")
		marks := len(regexp.MustCompile(`\[\^\d+\]`).FindAllString(body, -1))
		if notes := len(regexp.MustCompile(`<li id="fn\d+"`).FindAllString(html, -1)); notes != marks {
			t.Errorf("%s: pandoc made %d footnotes of %d marks", lang, notes, marks)
		}
		for _, left := range []string{"[^", `\_`, `\*`, `\[`, "**"} {
			if strings.Contains(html, left) {
				t.Errorf("%s: %q is left in the converted text", lang, left)
			}
		}
	}
}
