package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

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
       casefile media fetch [--json] [--feed-only] [--limit N] [--timeout D]
       casefile media import PATH… [--json] [--format …] [--outlet NAME] [--language ru|en]
       casefile media stats [--json|--csv] [--svg FILE] [--by outlet-month|outlet|month] [--top N] [--quotes [--category C]]`

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
	case "import":
		return runMediaImport(ctx, a, args[1:])
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
		format = formatOf(name)
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

// formatOf guesses a file's format from its name.
func formatOf(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".html", ".htm", ".xhtml":
		return "html"
	case ".jsonl", ".ndjson":
		return "jsonl"
	case ".rss", ".atom", ".xml":
		return "feed"
	}
	return "text"
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

// maxMediaBytes bounds one fetched page or feed, and one imported file.
const maxMediaBytes = 32 << 20

func runMediaFeedAdd(ctx context.Context, a *app, args []string) error {
	fs := a.flags("media feed add")
	outlet := fs.String("outlet", "", "the outlet's name (default: the feed's title when first fetched)")
	lang := fs.String("language", "", "the feed's language: ru or en (default: as the feed says)")
	asJSON := fs.Bool("json", false, "print the feed as JSON")
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("casefile media feed add URL [--outlet NAME] [--language ru|en]")
	}
	u, err := url.Parse(pos[0])
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usagef("media feed add: %q is not an http or https URL", pos[0])
	}
	db, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	f := &casefile.Feed{URL: u.String(), Outlet: *outlet, Language: *lang}
	if err := db.CreateFeed(actorContext(ctx), f); err != nil {
		return err
	}
	if *asJSON {
		return a.printJSON(f)
	}
	fmt.Fprintln(a.stdout, f.ID)
	return nil
}

func runMediaFeedList(ctx context.Context, a *app, args []string) error {
	fs := a.flags("media feed list")
	asJSON := fs.Bool("json", false, "print one JSON document")
	if _, err := a.parse(fs, args); err != nil {
		return err
	}
	db, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	feeds, total, err := db.FindFeeds(ctx, casefile.FeedFilter{})
	if err != nil {
		return err
	}
	if *asJSON {
		if feeds == nil {
			feeds = []*casefile.Feed{}
		}
		return a.printJSON(map[string]any{"feeds": feeds, "total": total})
	}
	tw := tabwriter.NewWriter(a.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tOUTLET\tLANG\tLAST FETCHED\tURL")
	for _, f := range feeds {
		last := "never"
		if f.FetchedAt != nil {
			last = f.FetchedAt.Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", f.ID, f.Outlet, f.Language, last, f.URL)
	}
	return tw.Flush()
}

// ingestor stores media items: the original as an encrypted evidence item of a media-report
// source, the extracted text and its hits as a media item.
type ingestor struct {
	s       *secureStore
	sc      *discourse.Scanner
	summary ingestSummary
}

// ingestSummary is what `media fetch --json` and `media import --json` print.
type ingestSummary struct {
	Feeds      int             `json:"feeds,omitempty"`
	Stored     int             `json:"stored"`
	Duplicates int             `json:"duplicates"` // same URL or same content as a stored item
	Hits       int             `json:"hits"`       // stigmatising hits in the stored items
	Items      []ingestedItem  `json:"items"`
	Errors     []ingestProblem `json:"errors"`
}

type ingestedItem struct {
	ID         string `json:"id"`
	URL        string `json:"url,omitempty"`
	Outlet     string `json:"outlet,omitempty"`
	SHA256     string `json:"sha256"`
	EvidenceID string `json:"evidence_id"`
	Hits       int    `json:"hits"`
	AboutDrugs bool   `json:"about_drugs"`
}

type ingestProblem struct {
	Where   string `json:"where"` // feed or article URL, or file
	Message string `json:"message"`
}

// original is one item to store: its metadata, its text, and the bytes it came as.
type original struct {
	feedID, outlet, url, title, language string
	published                            *time.Time
	text                                 string
	raw                                  []byte
	fileName, mediaType                  string
}

func (g *ingestor) problem(where string, err error) {
	g.summary.Errors = append(g.summary.Errors, ingestProblem{Where: where, Message: casefile.ErrorMessage(err)})
}

// store keeps o unless an item with its URL or content is stored already.
func (g *ingestor) store(ctx context.Context, o original) error {
	h := sha256.Sum256(o.raw)
	sum := hex.EncodeToString(h[:])
	db := g.s.db
	if _, n, err := db.FindMediaItems(ctx, casefile.MediaItemFilter{SHA256: &sum, Limit: 1}); err != nil {
		return err
	} else if n > 0 {
		g.summary.Duplicates++
		return nil
	}
	if o.url != "" {
		if _, n, err := db.FindMediaItems(ctx, casefile.MediaItemFilter{URL: &o.url, Limit: 1}); err != nil {
			return err
		} else if n > 0 {
			g.summary.Duplicates++
			return nil
		}
	}
	var hits []*casefile.DiscourseHit
	sum2, err := g.sc.Scan(strings.NewReader(o.text), func(h *casefile.DiscourseHit) error {
		if casefile.DiscourseStigmatising(h.Category) || h.Category == casefile.DiscoursePreferred {
			hits = append(hits, h)
		}
		return nil
	})
	if err != nil {
		return casefile.Wrap("media", err)
	}
	stored, err := g.s.evidence().Put(ctx, bytes.NewReader(o.raw))
	if err != nil {
		return err
	}
	title := o.title
	if title == "" {
		title = o.url
	}
	if title == "" {
		title = o.fileName
	}
	src := &casefile.Source{Kind: "media_report", Title: title, Outlet: o.outlet, URL: o.url, Language: o.language}
	if o.published != nil {
		src.Published = o.published.Format("2006-01-02")
	}
	if err := db.CreateSource(ctx, src); err != nil {
		return err
	}
	ev := &casefile.EvidenceItem{SourceID: src.ID, FileName: o.fileName, MediaType: o.mediaType, Size: stored.Size, SHA256: stored.SHA256,
		AddedFrom: o.url, Description: "original of a monitored media item"}
	if err := db.CreateEvidenceWithFile(ctx, ev, &casefile.EvidenceFile{Address: stored.Address, StoredSize: stored.StoredSize}); err != nil {
		return err
	}
	item := &casefile.MediaItem{FeedID: o.feedID, Outlet: o.outlet, URL: o.url, Title: o.title, Language: o.language, Published: o.published,
		Text: o.text, SHA256: stored.SHA256, EvidenceID: ev.ID, AboutDrugs: sum2.AboutDrugs, Hits: hits}
	if err := db.CreateMediaItem(ctx, item); err != nil {
		if casefile.ErrorKind(err) == casefile.ECONFLICT {
			g.summary.Duplicates++
			return nil
		}
		return err
	}
	n := sum2.Stigmatising()
	g.summary.Stored++
	g.summary.Hits += n
	g.summary.Items = append(g.summary.Items, ingestedItem{ID: item.ID, URL: item.URL, Outlet: item.Outlet, SHA256: item.SHA256,
		EvidenceID: ev.ID, Hits: n, AboutDrugs: item.AboutDrugs})
	return nil
}

func (g *ingestor) print(a *app, asJSON bool) error {
	if g.summary.Items == nil {
		g.summary.Items = []ingestedItem{}
	}
	if g.summary.Errors == nil {
		g.summary.Errors = []ingestProblem{}
	}
	if asJSON {
		return a.printJSON(g.summary)
	}
	for _, it := range g.summary.Items {
		fmt.Fprintf(a.stdout, "%s\t%d hit(s)\t%s\n", it.ID, it.Hits, it.URL)
	}
	for _, p := range g.summary.Errors {
		a.infof("%s: %s", p.Where, p.Message)
	}
	a.infof("%d item(s) stored, %d duplicate(s) skipped, %d stigmatising hit(s), %d problem(s)",
		g.summary.Stored, g.summary.Duplicates, g.summary.Hits, len(g.summary.Errors))
	return nil
}

func runMediaFetch(ctx context.Context, a *app, args []string) error {
	fs := a.flags("media fetch")
	asJSON := fs.Bool("json", false, "print one JSON document")
	feedOnly := fs.Bool("feed-only", false, "keep the text the feed gives instead of fetching each article's page")
	timeout := fs.Duration("timeout", 30*time.Second, "time allowed for each HTTP request")
	limit := fs.Int("limit", 0, "at most this many new items per feed (0: all)")
	lf := a.lexiconFlags(fs)
	if _, err := a.parse(fs, args); err != nil {
		return err
	}
	sc, err := lf.scanner()
	if err != nil {
		return err
	}
	ctx = actorContext(ctx)
	s, err := a.openSecure(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	feeds, _, err := s.db.FindFeeds(ctx, casefile.FeedFilter{})
	if err != nil {
		return err
	}
	if len(feeds) == 0 {
		return casefile.Errorf(casefile.EINVALID, "media fetch", "no feeds to fetch: add one with 'casefile media feed add URL'")
	}
	g := &ingestor{s: s, sc: sc}
	client := &http.Client{Timeout: *timeout}
	for _, f := range feeds {
		if err := ctx.Err(); err != nil {
			return err
		}
		g.summary.Feeds++
		if err := fetchFeed(ctx, client, g, f, *feedOnly, *limit); err != nil {
			if casefile.ErrorKind(err) == casefile.EINTERNAL {
				return err
			}
			g.problem(f.URL, err)
		}
	}
	return g.print(a, *asJSON)
}

// httpGet fetches u with the conditional headers given; it returns the body (at most
// maxMediaBytes), the response, and EINVALID naming the URL for a status other than 200 or 304.
func httpGet(ctx context.Context, client *http.Client, u, etag, modified string) ([]byte, *http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, nil, casefile.Errorf(casefile.EINVALID, "media fetch", "%s is not a URL that can be fetched", u)
	}
	req.Header.Set("User-Agent", "Casefile media monitor (+https://github.com/casefile/casefile)")
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	if modified != "" {
		req.Header.Set("If-Modified-Since", modified)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, casefile.Errorf(casefile.EINVALID, "media fetch", "cannot fetch %s: %v", u, errorsCauseHTTP(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotModified {
		return nil, resp, nil
	}
	if resp.StatusCode != http.StatusOK {
		return nil, resp, casefile.Errorf(casefile.EINVALID, "media fetch", "%s answered %s", u, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxMediaBytes+1))
	if err != nil {
		return nil, resp, casefile.Errorf(casefile.EINVALID, "media fetch", "cannot read %s: %v", u, errorsCauseHTTP(err))
	}
	if len(body) > maxMediaBytes {
		return nil, resp, casefile.Errorf(casefile.EINVALID, "media fetch", "%s is larger than %d MiB", u, maxMediaBytes>>20)
	}
	return body, resp, nil
}

// errorsCauseHTTP keeps the network reason of a failed request without repeating the URL.
func errorsCauseHTTP(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}

func fetchFeed(ctx context.Context, client *http.Client, g *ingestor, f *casefile.Feed, feedOnly bool, limit int) error {
	body, resp, err := httpGet(ctx, client, f.URL, f.ETag, f.Modified)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	upd := casefile.FeedUpdate{FetchedAt: &now}
	if resp.StatusCode == http.StatusNotModified {
		_, err := g.s.db.UpdateFeed(ctx, f.ID, upd)
		return err
	}
	feed, err := discourse.ParseFeed(bytes.NewReader(body))
	if err != nil {
		return err
	}
	base, _ := url.Parse(f.URL)
	outlet := f.Outlet
	if outlet == "" {
		outlet = feed.Title
	}
	if outlet == "" {
		outlet = base.Host
	}
	lang := f.Language
	if lang == "" {
		lang = feed.Language
	}
	stored := 0
	for _, it := range feed.Items {
		if limit > 0 && stored >= limit {
			break
		}
		link := it.URL
		if link != "" {
			if u, err := base.Parse(link); err == nil {
				link = u.String()
			}
		}
		o := original{feedID: f.ID, outlet: outlet, url: link, title: it.Title, language: lang, published: it.Published, text: it.Text}
		if link != "" {
			if _, n, err := g.s.db.FindMediaItems(ctx, casefile.MediaItemFilter{URL: &link, Limit: 1}); err != nil {
				return err
			} else if n > 0 {
				g.summary.Duplicates++
				continue
			}
		}
		if !feedOnly && link != "" {
			page, presp, err := httpGet(ctx, client, link, "", "")
			if err != nil {
				g.problem(link, err)
				continue
			}
			ct := presp.Header.Get("Content-Type")
			doc, err := discourse.ReadHTML(bytes.NewReader(page), ct)
			if err != nil {
				g.problem(link, err)
				continue
			}
			if strings.TrimSpace(doc.Text) != "" {
				o.text = doc.Text
			}
			if o.title == "" {
				o.title = doc.Title
			}
			if ct == "" {
				ct = "text/html"
			}
			o.raw, o.fileName, o.mediaType = page, "article.html", ct
		} else {
			raw, _ := json.Marshal(struct {
				Feed      string     `json:"feed"`
				Title     string     `json:"title,omitempty"`
				URL       string     `json:"url,omitempty"`
				GUID      string     `json:"guid,omitempty"`
				Published *time.Time `json:"published,omitempty"`
				Text      string     `json:"text"`
			}{f.URL, it.Title, link, it.GUID, it.Published, it.Text})
			o.raw, o.fileName, o.mediaType = raw, "feed-entry.json", "application/json"
		}
		before := g.summary.Stored
		if err := g.store(ctx, o); err != nil {
			return err
		}
		stored += g.summary.Stored - before
	}
	upd.ETag = strPtr(resp.Header.Get("ETag"))
	upd.Modified = strPtr(resp.Header.Get("Last-Modified"))
	if f.Title == "" && feed.Title != "" {
		upd.Title = &feed.Title
	}
	if f.Outlet == "" {
		upd.Outlet = &outlet
	}
	_, err = g.s.db.UpdateFeed(ctx, f.ID, upd)
	return err
}

func strPtr(s string) *string { return &s }

func runMediaImport(ctx context.Context, a *app, args []string) error {
	fs := a.flags("media import")
	asJSON := fs.Bool("json", false, "print one JSON document")
	format := fs.String("format", "auto", "input format: auto (by file name), text, html, jsonl or feed")
	outlet := fs.String("outlet", "", "the outlet, for files that do not name one")
	lang := fs.String("language", "", "the language, for files that do not name one")
	lf := a.lexiconFlags(fs)
	paths, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return usagef("media import: name one or more files")
	}
	sc, err := lf.scanner()
	if err != nil {
		return err
	}
	ctx = actorContext(ctx)
	s, err := a.openSecure(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	g := &ingestor{s: s, sc: sc}
	for _, p := range paths {
		b, err := readFileLimited(p)
		if err != nil {
			return err
		}
		f := *format
		if f == "auto" {
			f = formatOf(p)
		}
		base := filepath.Base(p)
		switch f {
		case "jsonl":
			err = discourse.ReadJSONL(bytes.NewReader(b), base, func(r *discourse.Record) error {
				o := original{outlet: firstOf(r.Outlet, *outlet), url: r.URL, title: r.Title, language: firstOf(r.Language, *lang),
					published: r.Published, text: r.Text, raw: r.Raw, fileName: fmt.Sprintf("%s#%d.json", base, r.Line), mediaType: "application/json"}
				return g.store(ctx, o)
			})
		case "html":
			var doc *discourse.Document
			if doc, err = discourse.ReadHTML(bytes.NewReader(b), ""); err == nil {
				err = g.store(ctx, original{outlet: *outlet, url: doc.URL, title: doc.Title, language: firstOf(doc.Language, *lang),
					published: parseLooseDate(doc.Published), text: doc.Text, raw: b, fileName: base, mediaType: "text/html"})
			}
		case "feed":
			var feed *discourse.FeedDoc
			if feed, err = discourse.ParseFeed(bytes.NewReader(b)); err == nil {
				for i, it := range feed.Items {
					raw, _ := json.Marshal(it)
					if err = g.store(ctx, original{outlet: firstOf(*outlet, feed.Title), url: it.URL, title: it.Title, language: firstOf(feed.Language, *lang),
						published: it.Published, text: it.Text, raw: raw, fileName: fmt.Sprintf("%s#%d.json", base, i+1), mediaType: "application/json"}); err != nil {
						break
					}
				}
			}
		case "text":
			if !utf8.Valid(b) {
				return casefile.Errorf(casefile.EINVALID, "media import", "%s: not UTF-8 text", p)
			}
			err = g.store(ctx, original{outlet: *outlet, language: *lang, text: string(b), raw: b, fileName: base, mediaType: "text/plain; charset=utf-8"})
		default:
			return usagef("media import: --format %q: want auto, text, html, jsonl or feed", *format)
		}
		if err != nil {
			return sourceError(p, err)
		}
	}
	return g.print(a, *asJSON)
}

func readFileLimited(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, casefile.Errorf(casefile.EINVALID, "media", "cannot open %s: %v", p, errorsCause(err))
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxMediaBytes+1))
	if err != nil {
		return nil, casefile.Errorf(casefile.EINVALID, "media", "cannot read %s: %v", p, errorsCause(err))
	}
	if len(b) > maxMediaBytes {
		return nil, casefile.Errorf(casefile.EINVALID, "media", "%s is larger than %d MiB; split it (JSON Lines) or scan it with 'media scan'", p, maxMediaBytes>>20)
	}
	return b, nil
}

func firstOf(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// statsOutput is the JSON document of `casefile media stats --json`.
type statsOutput struct {
	By     string           `json:"by"`
	Rows   []*discourse.Row `json:"rows"`
	Quotes []quote          `json:"quotes,omitempty"`
}

// quote is a stigmatising expression with what a report needs to cite and prove it.
type quote struct {
	Sentence   string     `json:"sentence"`
	Term       string     `json:"term"`
	Lemma      string     `json:"lemma"`
	Category   string     `json:"category"`
	Outlet     string     `json:"outlet,omitempty"`
	Title      string     `json:"title,omitempty"`
	URL        string     `json:"url,omitempty"`
	Published  *time.Time `json:"published,omitempty"`
	ItemID     string     `json:"item_id"`
	Start      int64      `json:"start"` // byte offsets into the item's text
	End        int64      `json:"end"`
	SHA256     string     `json:"sha256"` // of the original, kept as evidence
	EvidenceID string     `json:"evidence_id,omitempty"`
}

func runMediaStats(ctx context.Context, a *app, args []string) error {
	fs := a.flags("media stats")
	asJSON := fs.Bool("json", false, "print one JSON document")
	asCSV := fs.Bool("csv", false, "print the table as CSV")
	svg := fs.String("svg", "", "also write the table as an SVG chart to this file")
	by := fs.String("by", discourse.ByOutletMonth, "group by outlet-month, outlet or month")
	top := fs.Int("top", 5, "most frequent expressions listed per row")
	quotes := fs.Bool("quotes", false, "also list every stigmatising expression with its sentence and source, for reports")
	category := fs.String("category", "", "with --quotes: only this category")
	if _, err := a.parse(fs, args); err != nil {
		return err
	}
	switch *by {
	case discourse.ByOutletMonth, discourse.ByOutlet, discourse.ByMonth:
	default:
		return usagef("media stats: --by %q: want outlet-month, outlet or month", *by)
	}
	if *asJSON && *asCSV {
		return usagef("media stats: --json and --csv exclude each other")
	}
	db, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	items, _, err := db.FindMediaItems(ctx, casefile.MediaItemFilter{})
	if err != nil {
		return err
	}
	hits, _, err := db.FindDiscourseHits(ctx, casefile.DiscourseHitFilter{})
	if err != nil {
		return err
	}
	byItem := map[string]*casefile.MediaItem{}
	for _, it := range items {
		byItem[it.ID] = it
	}
	out := statsOutput{By: *by}
	for _, h := range hits {
		it := byItem[h.ItemID]
		if it == nil {
			continue
		}
		it.Hits = append(it.Hits, h)
		if *quotes && casefile.DiscourseStigmatising(h.Category) && (*category == "" || *category == h.Category) {
			out.Quotes = append(out.Quotes, quote{Sentence: h.Sentence, Term: h.Term, Lemma: h.Lemma, Category: h.Category, Outlet: it.Outlet,
				Title: it.Title, URL: it.URL, Published: it.Published, ItemID: it.ID, Start: h.Start, End: h.End, SHA256: it.SHA256, EvidenceID: it.EvidenceID})
		}
	}
	out.Rows = discourse.Measure(items, *by, *top)
	if *svg != "" {
		f, err := os.Create(*svg)
		if err != nil {
			return casefile.Errorf(casefile.EINVALID, "media stats", "cannot create %s: %v", *svg, errorsCause(err))
		}
		werr := discourse.WriteSVG(f, "Stigmatising language about people who use drugs: share of items about drugs", out.Rows)
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return casefile.Wrap("media stats", werr)
		}
	}
	switch {
	case *asJSON:
		return a.printJSON(out)
	case *asCSV:
		return discourse.WriteCSV(a.stdout, out.Rows)
	}
	tw := tabwriter.NewWriter(a.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "OUTLET\tMONTH\tITEMS\tABOUT DRUGS\tSTIGMATISING\tPREFERRED\tMOST FREQUENT")
	for _, r := range out.Rows {
		var topTerms []string
		for _, t := range r.Top {
			topTerms = append(topTerms, fmt.Sprintf("%s (%d)", t.Lemma, t.Count))
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.0f%%\t%.0f%%\t%s\n", r.Outlet, r.Month, r.Items, r.AboutDrugs, 100*r.StigmatisingShare,
			100*r.PreferredShare, strings.Join(topTerms, ", "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, q := range out.Quotes {
		date := ""
		if q.Published != nil {
			date = q.Published.Format("2006-01-02")
		}
		fmt.Fprintf(a.stdout, "\n«%s»\n  %s, %s, %s (%s; sha256 %s, bytes %d-%d)\n", q.Sentence, q.Outlet, date, q.URL, q.Category, q.SHA256, q.Start, q.End)
	}
	return nil
}
