package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/report"
	"github.com/casefile/casefile/vocab"
	"golang.org/x/term"
)

func init() {
	register(&command{Name: "report", Summary: "shadow reports for CAT and CESCR, and case files (Markdown, HTML, PDF)", Run: runReport})
}

const reportUsage = "casefile report --treaty cat|cescr --state RU [--from YEAR --to YEAR] [--format html|md|pdf] [--lang en|ru] --out FILE\n" +
	"       casefile report --case ACT_OR_PERSON_ID [--format pdf|html|md] [--lang en|ru] --out FILE"

// reportSummary is what --json prints about a report that was written.
type reportSummary struct {
	Out        string           `json:"out"`
	Format     string           `json:"format"`
	Lang       string           `json:"lang"`
	Treaty     string           `json:"treaty,omitempty"`
	State      string           `json:"state,omitempty"`
	Case       string           `json:"case,omitempty"`
	Acts       int              `json:"acts"`
	Victims    int              `json:"victims"`
	Withheld   int              `json:"withheld"`
	Footnotes  int              `json:"footnotes"`
	Sections   []sectionSummary `json:"sections,omitempty"`
	Bytes      int64            `json:"bytes"`
	Generation string           `json:"generated_at"`
}

type sectionSummary struct {
	Articles     string `json:"articles"`
	Acts         int    `json:"acts"`
	Alleged      int    `json:"alleged"`
	Corroborated int    `json:"corroborated"`
	Established  int    `json:"established"`
	Vignettes    int    `json:"vignettes"`
}

func runReport(ctx context.Context, a *app, args []string) error {
	fs := a.flags("report")
	treaty := fs.String("treaty", "", "treaty of the shadow report: cat or cescr")
	state := fs.String("state", "", "State party, ISO 3166-1 code (e.g. RU)")
	from := fs.Int("from", 0, "first year covered (default: no limit)")
	to := fs.Int("to", 0, "last year covered (default: no limit)")
	format := fs.String("format", "", "html, md or pdf (default: from the extension of --out, else md; pdf for --case)")
	out := fs.String("out", "", "file to write; - for standard output")
	lang := fs.String("lang", "en", "language of the report's fixed text: en or ru")
	caseID := fs.String("case", "", "write the case file of this act or person instead of a shadow report")
	org := fs.String("org", a.getenv("CASEFILE_ORGANISATION"), "submitting organisation shown on the title page (CASEFILE_ORGANISATION)")
	reviewed := fs.Bool("reviewed-only", false, "count only assessments a reviewer has signed off")
	asJSON := fs.Bool("json", false, "print a summary of what was written as JSON")
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 || *out == "" {
		return usagef("%s", reportUsage)
	}
	if (*caseID == "") == (*treaty == "") {
		return usagef("give either --treaty (a shadow report) or --case (a case file)\n%s", reportUsage)
	}
	f := strings.ToLower(*format)
	if f == "" {
		switch strings.ToLower(filepath.Ext(*out)) {
		case ".html", ".htm":
			f = "html"
		case ".pdf":
			f = "pdf"
		case ".md", ".markdown":
			f = "md"
		default:
			f = "md"
			if *caseID != "" {
				f = "pdf"
			}
		}
	}
	if f == "markdown" {
		f = "md"
	}
	if f != "html" && f != "md" && f != "pdf" {
		return usagef("--format %q is not html, md or pdf", *format)
	}
	if *lang != "en" && *lang != "ru" {
		return usagef("--lang %q is not en or ru", *lang)
	}
	if *caseID == "" {
		if *state == "" {
			return usagef("--state is required for a shadow report\n%s", reportUsage)
		}
		*treaty = strings.ToLower(*treaty)
		*state = strings.ToUpper(*state)
	}

	ctx = actorContext(ctx)
	db, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	now := time.Now().UTC()
	status := a.reportStatus()
	defer status("") // an error is printed after this returns, on a clean line
	status("Reading the store…")
	sum := reportSummary{Out: *out, Format: f, Lang: *lang, Generation: now.Format(time.RFC3339)}
	var doc *report.Doc
	if *caseID != "" {
		if doc, err = report.BuildCase(ctx, db, report.CaseOptions{ID: *caseID, Lang: *lang, Now: now, Vocab: vocab.Default()}); err != nil {
			return err
		}
		// A case file discloses a whole record: the read is recorded in the audit ledger.
		if err := db.RecordAccess(ctx, "export", "case_file", *caseID); err != nil {
			return err
		}
		sum.Case = *caseID
	} else {
		r, err := report.Build(ctx, db, report.Options{Treaty: *treaty, State: *state, From: *from, To: *to, Lang: *lang,
			Now: now, Vocab: vocab.Default(), Organisation: *org, ReviewedOnly: *reviewed})
		if err != nil {
			return err
		}
		doc = r.Doc()
		sum.Treaty, sum.State, sum.Acts, sum.Victims, sum.Withheld = r.Treaty, r.State, r.Acts, r.Victims, r.Withheld
		for _, s := range r.Sections {
			sum.Sections = append(sum.Sections, sectionSummary{Articles: s.Articles, Acts: s.Subjects, Alleged: s.Alleged,
				Corroborated: s.Corrob, Established: s.Establ, Vignettes: len(s.Vignettes)})
		}
	}
	sum.Footnotes = len(doc.Notes)
	status("Writing " + strings.ToUpper(f) + "…")
	write := func(w io.Writer) error {
		switch f {
		case "html":
			return doc.WriteHTML(w)
		case "pdf":
			return doc.WritePDF(w, now)
		}
		return doc.WriteMarkdown(w)
	}
	if *out == "-" {
		status("")
		if err := write(a.stdout); err != nil {
			return casefile.Wrap("report", err)
		}
		return nil
	}
	n, err := writeFileAtomic(*out, write)
	status("")
	if err != nil {
		return err
	}
	sum.Bytes = n
	if *asJSON {
		return a.printJSON(sum)
	}
	a.infof("Wrote %s (%s, %d bytes).", *out, f, n)
	return nil
}

// writeFileAtomic writes through a temporary file in the same folder and renames it into place,
// so a failure never leaves half a report where the last good one was.
func writeFileAtomic(path string, write func(io.Writer) error) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".casefile-report-*")
	if err != nil {
		return 0, casefile.Errorf(casefile.EINVALID, "report", "cannot write to the folder of %s: %v", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return 0, casefile.Wrap("report", err)
	}
	st, err := tmp.Stat()
	if err != nil {
		tmp.Close()
		return 0, casefile.Wrap("report", err)
	}
	if err := tmp.Close(); err != nil {
		return 0, casefile.Wrap("report", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return 0, casefile.Errorf(casefile.EINVALID, "report", "cannot write %s: %v", path, err)
	}
	return st.Size(), nil
}

// reportStatus returns a function that shows what the command is doing on a terminal (a report
// over many acts takes seconds); it does nothing when stderr is not a terminal.
func (a *app) reportStatus() func(string) {
	f, ok := a.stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return func(string) {}
	}
	return func(msg string) { fmt.Fprint(f, "\r\033[K"+msg) }
}
