package report_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestShadowReport_HTMLPrints prints the Russian HTML report with real Chromium, as a user would
// with "Print to PDF", and checks the printed pages: numbered, Cyrillic intact, one chapter per
// page break.
func TestShadowReport_HTMLPrints(t *testing.T) {
	browser := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			browser = p
			break
		}
	}
	if browser == "" {
		if os.Getenv("CASEFILE_TEST_REQUIRE") == "all" {
			t.Fatal("no Chromium on this machine and CASEFILE_TEST_REQUIRE=all")
		}
		t.Skip("SKIP: no Chromium to print the HTML with")
	}
	db := demoStore(t)
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	if err := os.WriteFile(page, render(t, build(t, db, "cat", "ru").Doc(), "html"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "printed.pdf")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--print-to-pdf="+out, "file://"+page)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, b)
	}
	pdf, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	if text == nil {
		return
	}
	pages := pdfPages(t, pdf)
	flat := strings.Join(strings.Fields(string(text)), " ")
	for _, want := range []string{"Страница 3 из " + strconv.Itoa(pages), "Статья 16 — Жестокое", "Содержание", "Male drug user, 29, Volgograd", "222 600"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the printed HTML lacks %q", want)
		}
	}
	// Each chapter starts a page: the title page, the contents and at least ten chapters.
	if pages < 12 {
		t.Errorf("the printed report has %d pages; chapters do not start on pages of their own", pages)
	}
}
