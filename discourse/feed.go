package discourse

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/casefile/casefile"
)

// FeedDoc is a parsed RSS or Atom feed.
type FeedDoc struct {
	Title    string
	Language string
	Items    []FeedItem
}

// FeedItem is one entry of a feed.
type FeedItem struct {
	Title     string
	URL       string
	GUID      string
	Published *time.Time // nil when the feed gives no date it can be read from
	Text      string     // the entry's content or summary, markup removed
}

// maxFeedBytes bounds a feed read into memory.
const maxFeedBytes = 32 << 20

type rssDoc struct {
	XMLName xml.Name
	Channel struct {
		Title    string    `xml:"title"`
		Language string    `xml:"language"`
		Items    []rssItem `xml:"item"`
	} `xml:"channel"`
	Items []rssItem `xml:"item"` // RSS 1.0 (RDF) keeps items beside the channel
	// Atom
	Title   string      `xml:"title"`
	Lang    string      `xml:"lang,attr"`
	Entries []atomEntry `xml:"entry"`
}

type rssItem struct {
	Title       string `xml:"title"`
	Link        string `xml:"link"`
	GUID        string `xml:"guid"`
	PubDate     string `xml:"pubDate"`
	Date        string `xml:"http://purl.org/dc/elements/1.1/ date"`
	Description string `xml:"description"`
	Content     string `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
}

type atomEntry struct {
	Title string `xml:"title"`
	Links []struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr"`
	} `xml:"link"`
	ID        string `xml:"id"`
	Published string `xml:"published"`
	Updated   string `xml:"updated"`
	Summary   string `xml:"summary"`
	Content   string `xml:"content"`
}

// ParseFeed reads an RSS 2.0, RSS 1.0 or Atom feed. EINVALID, naming the line, when it is not
// well-formed XML or not a feed.
func ParseFeed(r io.Reader) (*FeedDoc, error) {
	const op = "discourse.ParseFeed"
	b, err := io.ReadAll(io.LimitReader(r, maxFeedBytes+1))
	if err != nil {
		return nil, casefile.Wrap(op, err)
	}
	if len(b) > maxFeedBytes {
		return nil, casefile.Errorf(casefile.EINVALID, op, "feed is larger than %d MiB", maxFeedBytes>>20)
	}
	var d rssDoc
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = false
	dec.Entity = xml.HTMLEntity
	dec.CharsetReader = charsetReader
	if err := dec.Decode(&d); err != nil {
		if se, ok := err.(*xml.SyntaxError); ok {
			return nil, casefile.Errorf(casefile.EINVALID, op, "feed is not well-formed XML (line %d): %s", se.Line, se.Msg)
		}
		return nil, casefile.Errorf(casefile.EINVALID, op, "feed could not be read: %v", err)
	}
	out := &FeedDoc{}
	switch strings.ToLower(d.XMLName.Local) {
	case "rss", "rdf":
		out.Title = strings.TrimSpace(d.Channel.Title)
		out.Language = strings.TrimSpace(d.Channel.Language)
		for _, it := range append(d.Channel.Items, d.Items...) {
			text := it.Content
			if strings.TrimSpace(text) == "" {
				text = it.Description
			}
			fi := FeedItem{Title: strings.TrimSpace(HTMLText(it.Title)), URL: strings.TrimSpace(it.Link),
				GUID: strings.TrimSpace(it.GUID), Text: HTMLText(text)}
			fi.Published = parseDate(it.PubDate)
			if fi.Published == nil {
				fi.Published = parseDate(it.Date)
			}
			out.Items = append(out.Items, fi)
		}
	case "feed":
		out.Title = strings.TrimSpace(d.Title)
		out.Language = d.Lang
		for _, e := range d.Entries {
			fi := FeedItem{Title: strings.TrimSpace(HTMLText(e.Title)), GUID: strings.TrimSpace(e.ID)}
			for _, l := range e.Links {
				if l.Rel == "" || l.Rel == "alternate" {
					fi.URL = strings.TrimSpace(l.Href)
					break
				}
			}
			text := e.Content
			if strings.TrimSpace(text) == "" {
				text = e.Summary
			}
			fi.Text = HTMLText(text)
			fi.Published = parseDate(e.Published)
			if fi.Published == nil {
				fi.Published = parseDate(e.Updated)
			}
			out.Items = append(out.Items, fi)
		}
	default:
		return nil, casefile.Errorf(casefile.EINVALID, op, "document is not an RSS or Atom feed (root element <%s>)", d.XMLName.Local)
	}
	return out, nil
}

// charsetReader accepts the encodings Russian feeds still use besides UTF-8.
func charsetReader(label string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return r, nil
	case "windows-1251", "cp1251":
		return charmap.Windows1251.NewDecoder().Reader(r), nil
	case "koi8-r":
		return charmap.KOI8R.NewDecoder().Reader(r), nil
	}
	return nil, casefile.Errorf(casefile.EINVALID, "discourse.ParseFeed", "feed encoding %q is not supported (UTF-8, windows-1251, KOI8-R are)", label)
}

var dateLayouts = []string{time.RFC3339Nano, time.RFC3339, time.RFC1123Z, time.RFC1123, time.RFC822Z, time.RFC822,
	"Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST", "2 Jan 2006 15:04:05 -0700",
	"2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"}

// parseDate reads the dates feeds and JSON Lines carry; nil when none of the layouts fit.
func parseDate(s string) *time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			t = t.UTC()
			return &t
		}
	}
	return nil
}
