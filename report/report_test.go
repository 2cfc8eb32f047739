package report_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/report"
	"github.com/casefile/casefile/vocab"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s differs from the golden file at line %d:\n got: %s\nwant: %s\n(review and run go test ./report -update if the change is intended)", name, i+1, g, w)
			}
		}
	}
}

func build(t *testing.T, st report.Store, treaty, lang string) *report.Report {
	t.Helper()
	r, err := report.Build(context.Background(), st, report.Options{Treaty: treaty, State: "RU", Lang: lang, Now: reportTime, Vocab: vocab.Default()})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func render(t *testing.T, d *report.Doc, format string) []byte {
	t.Helper()
	var b bytes.Buffer
	var err error
	switch format {
	case "md":
		err = d.WriteMarkdown(&b)
	case "html":
		err = d.WriteHTML(&b)
	case "pdf":
		err = d.WritePDF(&b, reportTime)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestShadowReport_Golden renders the demonstration data in every format and language and
// compares the text formats with reviewed golden files.
func TestShadowReport_Golden(t *testing.T) {
	db := demoStore(t)
	for _, tc := range []struct{ treaty, lang, format string }{
		{"cat", "en", "md"}, {"cat", "ru", "md"}, {"cat", "en", "html"}, {"cescr", "en", "md"}, {"cescr", "ru", "html"},
	} {
		name := tc.treaty + "-" + tc.lang + "." + tc.format
		t.Run(name, func(t *testing.T) {
			golden(t, name, render(t, build(t, db, tc.treaty, tc.lang).Doc(), tc.format))
		})
	}
}

// TestShadowReport_CAT checks what the Committee would read in the demonstration report: the
// paper's findings by domain, its figures, the articles and their cases.
func TestShadowReport_CAT(t *testing.T) {
	db := demoStore(t)
	r := build(t, db, "cat", "en")
	var arts []string
	for _, s := range r.Sections {
		arts = append(arts, s.Articles)
	}
	if got := strings.Join(arts, " "); got != "1 2 10 12–15 16" {
		t.Fatalf("CAT sections %q, want 1 2 10 12–15 16", got)
	}
	md := string(render(t, r.Doc(), "md"))
	for _, want := range []string{
		"## Article 1 — Torture", "## Article 2 — ", "## Article 10 — ", "## Articles 12–15 — ", "## Article 16 — ",
		"**Male drug user, 29, Volgograd", "222,600", "104,000", "Rehabilitation beds per 1,000",
		"### Media", "### Health care", "### Drug treatment", "### Law enforcement", "### Prison",
		"alleged torture (CAT Art. 1)", "alleged cruel, inhuman or degrading treatment (CAT Art. 16)",
		"alleged failure to prevent or protect (CAT Art. 2)",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the CAT report lacks %q", want)
		}
	}
	// The paper's domains come in its order.
	last := -1
	for _, h := range []string{"### Media", "### Health care", "### Drug treatment", "### Law enforcement", "### Prison"} {
		i := strings.Index(md, h)
		if i < last {
			t.Errorf("%s is out of the paper's order of findings", h)
		}
		last = i
	}
	// A section without findings says so rather than vanishing.
	art10 := md[strings.Index(md, "## Article 10 — "):strings.Index(md, "## Articles 12–15")]
	if !strings.Contains(art10, "No documented act or situation in this period is assessed under Article 10") {
		t.Errorf("the empty Article 10 section does not say it is empty:\n%s", art10)
	}
	// The reporting policy: alleged findings are never summarised as established.
	for _, s := range r.Sections {
		if s.Alleged+s.Corrob+s.Establ != s.Subjects {
			t.Errorf("Article %s: labels %d+%d+%d do not add up to %d acts", s.Articles, s.Alleged, s.Corrob, s.Establ, s.Subjects)
		}
		for _, f := range s.Findings {
			if f.Label == casefile.StrengthAlleged && !strings.HasPrefix(f.Wording, "alleged ") {
				t.Errorf("Article %s: alleged finding worded %q", s.Articles, f.Wording)
			}
		}
	}
	// The paper's figures, and its conclusions under Arts. 2 and 16.
	for _, fig := range []string{"222,600", "104,000", "1,730 beds", "130 beds", "≈ 2,500,000", "≈ 1,700,000", "≈ 5,000,000", "\\> 75%", "\\> 90%", "\\> 65%", "\\< 1%", "0.744"} {
		if !strings.Contains(md, fig) {
			t.Errorf("the report lacks the paper's figure %q", fig)
		}
	}
	concl := md[strings.Index(md, "## Conclusions"):]
	for _, want := range []string{"**Article 2 — Prevention of torture and ill-treatment.**", "**Article 16 — Cruel, inhuman or degrading treatment.**", "contrary to Article 2", "contrary to Article 16"} {
		if !strings.Contains(concl, want) {
			t.Errorf("the conclusions lack %q", want)
		}
	}
	art1 := r.Sections[0]
	if art1.Subjects == 0 || len(art1.Findings) == 0 || len(art1.Findings[0].Chains) == 0 || len(art1.Findings[0].Chains[0].Steps) == 0 {
		t.Fatalf("Article 1 has no findings with reason chains: %+v", art1)
	}
}

// TestShadowReport_Consent: a person whose consent does not reach UN submission never appears, in
// any format or language; withdrawing consent removes a case that was there.
func TestShadowReport_Consent(t *testing.T) {
	ctx := context.Background()
	db := demoStore(t)
	gorev, err := db.FindConsent(ctx, "per_gorev")
	if err != nil || gorev.Allows(casefile.ConsentUN, reportTime) {
		t.Fatalf("the demo no longer has a person without UN consent (per_gorev: %v, %v); the test needs one", gorev, err)
	}
	tes, err := db.FindTestimonyByID(ctx, "tes_gorev")
	if err != nil {
		t.Fatal(err)
	}
	passage := tes.Passages[0].Text(tes.Narrative.Body)
	check := func(t *testing.T, forbidden []string) {
		for _, treaty := range []string{"cat", "cescr"} {
			for _, lang := range []string{"en", "ru"} {
				r := build(t, db, treaty, lang)
				for _, s := range r.Sections {
					for _, v := range s.Vignettes {
						for _, f := range forbidden {
							if strings.Contains(v.Descriptor, f) {
								t.Errorf("%s/%s: Article %s quotes %q", treaty, lang, s.Articles, v.Descriptor)
							}
						}
					}
				}
				for _, format := range []string{"md", "html", "pdf"} {
					out := render(t, r.Doc(), format)
					if format == "pdf" {
						out = pdfText(t, out)
						if out == nil {
							continue
						}
					}
					for _, f := range forbidden {
						if bytes.Contains(out, []byte(f)) {
							t.Errorf("%s/%s/%s contains %q", treaty, lang, format, f)
						}
					}
				}
			}
		}
	}
	check(t, []string{"Gorev", "Lesha", passage[:min(len(passage), 30)]})

	before := build(t, db, "cat", "en")
	if !strings.Contains(string(render(t, before.Doc(), "md")), "Male drug user, 29, Volgograd") {
		t.Fatal("the Volgograd case is not in the report before the withdrawal")
	}
	if err := db.WithdrawConsent(ctx, "per_volgograd", reportTime.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	check(t, []string{"Gorev", "Male drug user, 29, Volgograd", "pinches the tube"})
	after := build(t, db, "cat", "en")
	if after.Withheld != before.Withheld+1 {
		t.Errorf("withheld %d after the withdrawal, want %d", after.Withheld, before.Withheld+1)
	}
	if after.Sections[0].Subjects != before.Sections[0].Subjects {
		t.Errorf("withdrawing consent changed the counts of Article 1 (%d → %d): counts are anonymous and stay", before.Sections[0].Subjects, after.Sections[0].Subjects)
	}
}

var noteRef = regexp.MustCompile(`\[\^(\d+)\]`)

// TestShadowReport_Footnotes: every footnote mark resolves to a note, every note is cited and
// names a source of the store, and the sources annex lists each of them.
func TestShadowReport_Footnotes(t *testing.T) {
	ctx := context.Background()
	db := demoStore(t)
	sources, _, err := db.FindSources(ctx, casefile.SourceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, s := range sources {
		known[s.ID] = true
	}
	for _, treaty := range []string{"cat", "cescr"} {
		d := build(t, db, treaty, "en").Doc()
		md := string(render(t, d, "md"))
		body, notes, ok := strings.Cut(md, "\n## Notes\n")
		if !ok {
			t.Fatalf("%s: no Notes section", treaty)
		}
		defined := map[int]bool{}
		for _, n := range d.Notes {
			if !known[n.SourceID] {
				t.Errorf("%s: note %d cites %q, which is not a source of the store", treaty, n.N, n.SourceID)
			}
			if !strings.Contains(notes, "[^"+strconv.Itoa(n.N)+"]: ") {
				t.Errorf("%s: note %d is not written out", treaty, n.N)
			}
			defined[n.N] = true
		}
		used := map[int]bool{}
		for _, m := range noteRef.FindAllStringSubmatch(body, -1) {
			n, _ := strconv.Atoi(m[1])
			used[n] = true
			if !defined[n] {
				t.Errorf("%s: footnote mark %d has no note", treaty, n)
			}
		}
		for n := range defined {
			if !used[n] {
				t.Errorf("%s: note %d is never cited", treaty, n)
			}
		}
		if len(defined) < 5 {
			t.Errorf("%s: only %d notes; the demo cites the paper's sources throughout", treaty, len(defined))
		}
	}
}

// TestShadowReport_CESCR: the Covenant report has Art. 12 and Art. 2(2) and carries the paper's
// conclusion under Art. 12.
func TestShadowReport_CESCR(t *testing.T) {
	db := demoStore(t)
	r := build(t, db, "cescr", "en")
	if len(r.Sections) != 2 || r.Sections[0].Articles != "12" || r.Sections[1].Articles != "2(2)" {
		t.Fatalf("CESCR sections: %+v", r.Sections)
	}
	if r.Sections[0].Subjects == 0 {
		t.Fatal("no act is assessed under ICESCR Art. 12 in the demo")
	}
	md := string(render(t, r.Doc(), "md"))
	for _, want := range []string{"## Article 12 — The right to the highest attainable standard of health", "## Article 2(2) — Non-discrimination", "opioid substitution therapy", "(ICESCR Art. 12)",
		"**Article 12 — The right to the highest attainable standard of health.**", "violations of the obligations to respect, protect and fulfil the right to health under Article 12"} {
		if !strings.Contains(md, want) {
			t.Errorf("the CESCR report lacks %q", want)
		}
	}
}

// TestShadowReport_Period: a period keeps dated acts inside it and says how many undated ones it
// left out.
func TestShadowReport_Period(t *testing.T) {
	db := demoStore(t)
	all := build(t, db, "cat", "en")
	r, err := report.Build(context.Background(), db, report.Options{Treaty: "cat", State: "RU", From: 2010, To: 2012, Now: reportTime})
	if err != nil {
		t.Fatal(err)
	}
	if r.Acts == 0 || r.Acts >= all.Acts {
		t.Errorf("acts in 2010–2012: %d (all years: %d); want some but not all", r.Acts, all.Acts)
	}
	if r.Undated == 0 {
		t.Error("the undated demo acts are not reported as left out")
	}
	// The OST ban runs 2010–2013: a period of 2012 alone overlaps it.
	r2012, err := report.Build(context.Background(), db, report.Options{Treaty: "cat", State: "RU", From: 2012, To: 2012, Now: reportTime})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, dm := range r2012.Domains {
		found = found || dm.Code == "health_care" && dm.Acts > 0
	}
	if !found {
		t.Error("the 2010–2013 ban on substitution treatment is not in a 2012 report")
	}
	md := string(render(t, r.Doc(), "md"))
	if !strings.Contains(md, "Period covered: 2010–2012") || !strings.Contains(md, "because their date is not known: "+strconv.Itoa(r.Undated)) {
		t.Error("the report does not state its period and what it left out")
	}
	if _, err := report.Build(context.Background(), db, report.Options{Treaty: "cat", State: "RU", From: 2012, To: 2010}); casefile.ErrorKind(err) != casefile.EINVALID {
		t.Errorf("a period that ends before it starts: %v, want EINVALID", err)
	}
	for _, o := range []report.Options{{Treaty: "ccpr", State: "RU"}, {Treaty: "cat", State: "russia"}, {Treaty: "cat", State: "RU", Lang: "de"}} {
		if _, err := report.Build(context.Background(), db, o); casefile.ErrorKind(err) != casefile.EINVALID {
			t.Errorf("%+v: %v, want EINVALID", o, err)
		}
	}
}

// pdfText extracts the text of a PDF with pdftotext; nil (after a visible skip message) when the
// tool is missing, unless CASEFILE_TEST_REQUIRE=all.
func pdfText(t *testing.T, pdf []byte, args ...string) []byte {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CASEFILE_TEST_REQUIRE") == "all" {
			t.Fatal("pdftotext is missing (apt-get install poppler-utils) and CASEFILE_TEST_REQUIRE=all")
		}
		t.Log("SKIP PDF text checks: pdftotext is missing (apt-get install poppler-utils)")
		return nil
	}
	f := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", append(append([]string{"-layout"}, args...), f, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return out
}

func pdfPages(t *testing.T, pdf []byte) int {
	t.Helper()
	f := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdfinfo", f).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo gave no page count:\n%s", out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// TestShadowReport_PDF: the Russian PDF renders Cyrillic (the text extracts), every page after the
// title is numbered, and the table of contents points at the page each article starts on.
func TestShadowReport_PDF(t *testing.T) {
	db := demoStore(t)
	for _, lang := range []string{"ru", "en"} {
		t.Run(lang, func(t *testing.T) {
			pdf := render(t, build(t, db, "cat", lang).Doc(), "pdf")
			if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
				t.Fatal("not a PDF")
			}
			text := pdfText(t, pdf)
			if text == nil {
				return
			}
			s := string(text)
			want := map[string][]string{
				"ru": {"Альтернативный доклад Комитету ООН против пыток", "Статья 1 — Пытки", "Статья 16", "Конвенции против пыток", "Содержание", "222 600", "Male drug user, 29, Volgograd"},
				"en": {"Shadow report to the UN Committee against Torture", "Article 1 — Torture", "Contents", "222,600", "Male drug user, 29, Volgograd"},
			}[lang]
			for _, w := range want {
				if !strings.Contains(strings.Join(strings.Fields(s), " "), w) {
					t.Errorf("the PDF text lacks %q", w)
				}
			}
			pages := pdfPages(t, pdf)
			if pages < 8 {
				t.Errorf("%d pages; a report with a title page, contents, eight chapters and notes has more", pages)
			}
			pageWord := map[string]string{"ru": "Страница", "en": "Page"}[lang]
			ofWord := map[string]string{"ru": "из", "en": "of"}[lang]
			for p := 2; p <= pages; p++ {
				pt := string(pdfText(t, pdf, "-f", strconv.Itoa(p), "-l", strconv.Itoa(p)))
				if !strings.Contains(pt, pageWord+" "+strconv.Itoa(p)+" "+ofWord+" "+strconv.Itoa(pages)) {
					t.Errorf("page %d is not numbered", p)
				}
			}
			// The contents give each article's page; the heading is on that page.
			heading := map[string]string{"ru": "Статья 16 — Жестокое", "en": "Article 16 — Cruel"}[lang]
			toc := string(pdfText(t, pdf, "-f", "2", "-l", "2"))
			m := regexp.MustCompile(regexp.QuoteMeta(heading) + `[^\n]*?(\d+)\s*\n`).FindStringSubmatch(toc)
			if m == nil {
				t.Fatalf("the contents do not list %q:\n%s", heading, toc)
			}
			p, _ := strconv.Atoi(m[1])
			if pt := string(pdfText(t, pdf, "-f", m[1], "-l", m[1])); p < 3 || !strings.Contains(pt, heading) {
				t.Errorf("the contents put %q on page %d, which does not show it", heading, p)
			}
		})
	}
}

// TestFixedText_Russian: every fixed text has its Russian version.
func TestFixedText_Russian(t *testing.T) {
	missing := report.MissingTranslations("ru")
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("fixed texts without Russian: %v", missing)
	}
}
