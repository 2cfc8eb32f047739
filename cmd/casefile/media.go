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
	"github.com/casefile/casefile/discourse"
)

func init() {
	register(&command{
		Name:    "media",
		Summary: "scan media for stigmatising language about people who use drugs; feeds, fetch, statistics",
		Run:     runMedia,
	})
}

const mediaUsage = `usage: casefile media scan PATH…|- [--json] [--format auto|text|html|jsonl|feed] [--lexicon FILE] [--window N]
       casefile media feed add URL [--outlet NAME] [--language ru|en]
       casefile media feed list [--json]
       casefile media fetch [--json]
       casefile media stats [--json|--csv] [--svg FILE] [--by month|outlet]`

func runMedia(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 {
		return usagef("%s", mediaUsage)
	}
	switch args[0] {
	case "scan":
		return runMediaScan(ctx, a, args[1:])
	case "feed":
		if len(args) > 1 && args[1] == "add" {
			return runMediaFeedAdd(ctx, a, args[2:])
		}
		if len(args) > 1 && args[1] == "list" {
			return runMediaFeedList(ctx, a, args[2:])
		}
		return usagef("media feed: want add or list\n%s", mediaUsage)
	case "fetch":
		return runMediaFetch(ctx, a, args[1:])
	case "stats":
		return runMediaStats(ctx, a, args[1:])
	case "-h", "--help", "help":
		fmt.Fprintln(a.stdout, mediaUsage)
		return nil
	}
	return usagef("media: unknown subcommand %q\n%s", args[0], mediaUsage)
}

// scanHit is one hit as `media scan --json` prints it: the hit and where it was found.
type scanHit struct {
	Source string `json:"source"`         // the file, or "-" for standard input
	Item   int    `json:"item,omitempty"` // 1-based record or feed entry within the source, for JSON Lines and feeds
	URL    string `json:"url,omitempty"`
	*casefile.DiscourseHit
}

// scanItem is one scanned text.
type scanItem struct {
	Source    string     `json:"source"`
	Item      int        `json:"item,omitempty"`
	Outlet    string     `json:"outlet,omitempty"`
	URL       string     `json:"url,omitempty"`
	Title     string     `json:"title,omitempty"`
	Published *time.Time `json:"published,omitempty"`
	Language  string     `json:"language,omitempty"`
	discourse.Summary
}

// scanOutput is the JSON document of `casefile media scan --json`.
type scanOutput struct {
	Hits      []scanHit  `json:"hits"`      // stigmatising expressions
	Preferred []scanHit  `json:"preferred"` // person-first terms
	Items     []scanItem `json:"items"`
	Summary   scanTotals `json:"summary"`
}

type scanTotals struct {
	Items        int            `json:"items"`
	Bytes        int64          `json:"bytes"`
	AboutDrugs   int            `json:"about_drugs"`
	Stigmatising int            `json:"stigmatising"`
	Preferred    int            `json:"preferred"`
	Counts       map[string]int `json:"counts"`
}

// mediaText is one text to scan, as the readers give it.
type mediaText struct {
	item      int
	outlet    string
	url       string
	title     string
	published *time.Time
	language  string
	text      io.Reader
}

// lexiconFlags are the options shared by the commands that scan.
type lexiconFlags struct {
	lexicon *string
	window  *int
}

func (a *app) lexiconFlags(fs interface {
	String(string, string, string) *string
	Int(string, int, string) *int
}) lexiconFlags {
	return lexiconFlags{
		lexicon: fs.String("lexicon", "", "a lexicon TSV to use instead of the shipped one"),
		window:  fs.Int("window", 0, "a metaphor also counts when a word for people who use drugs is at most N words away (0: same sentence only)"),
	}
}

func (l lexiconFlags) scanner() (*discourse.Scanner, error) {
	lx := discourse.DefaultLexicon()
	if *l.lexicon != "" {
		f, err := os.Open(*l.lexicon)
		if err != nil {
			return nil, casefile.Errorf(casefile.EINVALID, "media", "cannot open lexicon %s: %v", *l.lexicon, errorsCause(err))
		}
		defer f.Close()
		if lx, err = discourse.ParseLexicon(f, filepath.Base(*l.lexicon)); err != nil {
			return nil, err
		}
	}
	return discourse.NewScanner(lx, discourse.Options{Window: *l.window})
}

func runMediaScan(ctx context.Context, a *app, args []string) error {
	fs := a.flags("media scan")
	asJSON := fs.Bool("json", false, "print one JSON document")
	format := fs.String("format", "auto", "input format: auto (by file name), text, html, jsonl or feed")
	lf := a.lexiconFlags(fs)
	paths, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return usagef("media scan: name one or more files, or - for standard input")
	}
	switch *format {
	case "auto", "text", "html", "jsonl", "feed":
	default:
		return usagef("media scan: --format %q: want auto, text, html, jsonl or feed", *format)
	}
	sc, err := lf.scanner()
	if err != nil {
		return err
	}
	out := scanOutput{Hits: []scanHit{}, Preferred: []scanHit{}, Items: []scanItem{}, Summary: scanTotals{Counts: map[string]int{}}}
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		var r io.Reader = a.stdin
		if p != "-" {
			f, err := os.Open(p)
			if err != nil {
				return casefile.Errorf(casefile.EINVALID, "media scan", "cannot open %s: %v", p, errorsCause(err))
			}
			defer f.Close()
			r = f
		}
		err := readMedia(r, p, *format, func(t mediaText) error {
			it := scanItem{Source: p, Item: t.item, Outlet: t.outlet, URL: t.url, Title: t.title, Published: t.published, Language: t.language}
			sum, err := sc.Scan(t.text, func(h *casefile.DiscourseHit) error {
				sh := scanHit{Source: p, Item: t.item, URL: t.url, DiscourseHit: h}
				switch {
				case casefile.DiscourseStigmatising(h.Category):
					out.Hits = append(out.Hits, sh)
					if !*asJSON {
						printHit(a, sh)
					}
				case h.Category == casefile.DiscoursePreferred:
					out.Preferred = append(out.Preferred, sh)
				}
				return nil
			})
			if err != nil {
				return casefile.Errorf(casefile.EINVALID, "media scan", "%s: cannot read: %v", p, errorsCause(err))
			}
			it.Summary = sum
			out.Items = append(out.Items, it)
			out.Summary.Items++
			out.Summary.Bytes += sum.Bytes
			if sum.AboutDrugs {
				out.Summary.AboutDrugs++
			}
			for c, n := range sum.Counts {
				out.Summary.Counts[c] += n
			}
			out.Summary.Stigmatising += sum.Stigmatising()
			out.Summary.Preferred += sum.Counts[casefile.DiscoursePreferred]
			return nil
		})
		if err != nil {
			return err
		}
	}
	if *asJSON {
		return a.printJSON(out)
	}
	a.infof("%d item(s), %d about drugs; %d stigmatising expression(s), %d preferred term(s)",
		out.Summary.Items, out.Summary.AboutDrugs, out.Summary.Stigmatising, out.Summary.Preferred)
	return nil
}

func printHit(a *app, h scanHit) {
	where := h.Source
	if h.Item > 0 {
		where = fmt.Sprintf("%s#%d", where, h.Item)
	}
	near := ""
	if h.Referent != nil {
		near = " (near " + h.Referent.Term + ")"
	}
	fmt.Fprintf(a.stdout, "%s:%d-%d\t%s\t%s%s\t%s\n", where, h.Start, h.End, h.Category, h.Term, near, h.Sentence)
}

// readMedia calls fn for each text in r: one for plain text and HTML, one per record of JSON
// Lines, one per entry of a feed.
func readMedia(r io.Reader, name, format string, fn func(mediaText) error) error {
	if format == "auto" {
		switch strings.ToLower(filepath.Ext(name)) {
		case ".html", ".htm", ".xhtml":
			format = "html"
		case ".jsonl", ".ndjson":
			format = "jsonl"
		case ".rss", ".atom", ".xml":
			format = "feed"
		default:
			format = "text"
		}
	}
	switch format {
	case "html":
		doc, err := discourse.ReadHTML(r, "")
		if err != nil {
			return sourceError(name, err)
		}
		return fn(mediaText{url: doc.URL, title: doc.Title, language: doc.Language, published: parseLooseDate(doc.Published), text: strings.NewReader(doc.Text)})
	case "jsonl":
		return discourse.ReadJSONL(r, name, func(rec *discourse.Record) error {
			return fn(mediaText{item: rec.Line, outlet: rec.Outlet, url: rec.URL, title: rec.Title, language: rec.Language,
				published: rec.Published, text: strings.NewReader(rec.Text)})
		})
	case "feed":
		feed, err := discourse.ParseFeed(r)
		if err != nil {
			return sourceError(name, err)
		}
		for i, it := range feed.Items {
			if err := fn(mediaText{item: i + 1, outlet: feed.Title, url: it.URL, title: it.Title, language: feed.Language,
				published: it.Published, text: strings.NewReader(it.Text)}); err != nil {
				return err
			}
		}
		return nil
	}
	return fn(mediaText{text: r})
}

// sourceError puts the file name in front of a reader's message.
func sourceError(name string, err error) error {
	if casefile.ErrorKind(err) == casefile.EINVALID {
		return casefile.Errorf(casefile.EINVALID, "media", "%s: %s", name, casefile.ErrorMessage(err))
	}
	return err
}

func parseLooseDate(s string) *time.Time {
	for _, l := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(l, strings.TrimSpace(s)); err == nil {
			t = t.UTC()
			return &t
		}
	}
	return nil
}

// errorsCause returns the operating system's reason without the path, which the caller names.
func errorsCause(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

func runMediaFeedAdd(ctx context.Context, a *app, args []string) error {
	return casefile.Errorf(casefile.ENOTIMPL, "media feed add", "media feed add is not available yet")
}

func runMediaFeedList(ctx context.Context, a *app, args []string) error {
	return casefile.Errorf(casefile.ENOTIMPL, "media feed list", "media feed list is not available yet")
}

func runMediaFetch(ctx context.Context, a *app, args []string) error {
	return casefile.Errorf(casefile.ENOTIMPL, "media fetch", "media fetch is not available yet")
}

func runMediaStats(ctx context.Context, a *app, args []string) error {
	return casefile.Errorf(casefile.ENOTIMPL, "media stats", "media stats is not available yet")
}
