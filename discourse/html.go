package discourse

import (
	"bytes"
	"io"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"

	"github.com/casefile/casefile"
)

// Document is the text of one article with what its markup says about it.
type Document struct {
	Title     string
	Text      string // main text; paragraphs separated by a blank line
	Language  string // from <html lang>, if any
	Published string // from article:published_time or <time datetime>, as written
	URL       string // canonical URL, if the page names one
}

// maxHTMLBytes bounds a page read into memory.
const maxHTMLBytes = 32 << 20

// skipped elements hold no article text.
var skipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true, atom.Svg: true,
	atom.Nav: true, atom.Header: true, atom.Footer: true, atom.Aside: true, atom.Form: true,
	atom.Button: true, atom.Select: true, atom.Iframe: true, atom.Object: true, atom.Head: true,
	atom.Menu: true,
}

// block elements end a paragraph.
var block = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Br: true, atom.Li: true, atom.H1: true, atom.H2: true,
	atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true, atom.Blockquote: true, atom.Tr: true,
	atom.Td: true, atom.Th: true, atom.Article: true, atom.Section: true, atom.Main: true,
	atom.Pre: true, atom.Ul: true, atom.Ol: true, atom.Table: true, atom.Figure: true, atom.Hr: true,
	atom.Dd: true, atom.Dt: true, atom.Figcaption: true,
}

// ReadHTML extracts the main text of a web page: the text of its <article> (or <main>, or else
// its <body>), without scripts, styles, navigation, headers, footers, asides and forms.
// contentType is the Content-Type the page was served with, if known; the encoding is taken
// from it, from the page's <meta charset>, or guessed (UTF-8, windows-1251 …). EINVALID when the
// page is larger than 32 MiB.
func ReadHTML(r io.Reader, contentType string) (*Document, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxHTMLBytes+1))
	if err != nil {
		return nil, casefile.Wrap("discourse.ReadHTML", err)
	}
	if len(b) > maxHTMLBytes {
		return nil, casefile.Errorf(casefile.EINVALID, "discourse.ReadHTML", "page is larger than %d MiB", maxHTMLBytes>>20)
	}
	if enc, name, _ := charset.DetermineEncoding(b, contentType); name != "utf-8" {
		if d, err := enc.NewDecoder().Bytes(b); err == nil {
			b = d
		}
	}
	root, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		return nil, casefile.Errorf(casefile.EINVALID, "discourse.ReadHTML", "page is not HTML: %v", err)
	}
	doc := &Document{}
	var article, main, body *html.Node
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if depth > 512 {
			return
		}
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Html:
				doc.Language = attr(n, "lang")
			case atom.Title:
				if doc.Title == "" && n.FirstChild != nil {
					doc.Title = strings.Join(strings.Fields(textOf(n)), " ")
				}
			case atom.Meta:
				switch attr(n, "property") + attr(n, "name") {
				case "og:title":
					if t := strings.TrimSpace(attr(n, "content")); t != "" {
						doc.Title = t
					}
				case "article:published_time", "date", "pubdate":
					if doc.Published == "" {
						doc.Published = strings.TrimSpace(attr(n, "content"))
					}
				}
			case atom.Link:
				if attr(n, "rel") == "canonical" && doc.URL == "" {
					doc.URL = strings.TrimSpace(attr(n, "href"))
				}
			case atom.Time:
				if doc.Published == "" {
					doc.Published = strings.TrimSpace(attr(n, "datetime"))
				}
			case atom.Article:
				if article == nil {
					article = n
				}
			case atom.Main:
				if main == nil {
					main = n
				}
			case atom.Body:
				body = n
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(root, 0)
	top := article
	if top == nil {
		top = main
	}
	if top == nil {
		top = body
	}
	if top != nil {
		doc.Text = extractText(top)
	}
	return doc, nil
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node, int)
	walk = func(n *html.Node, depth int) {
		if depth > 512 {
			return
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return b.String()
}

// extractText renders the text under n: white space collapsed inside a paragraph, paragraphs
// separated by a blank line (which the scanner takes as a sentence end).
func extractText(n *html.Node) string {
	var paras []string
	var cur strings.Builder
	endPara := func() {
		if t := strings.Join(strings.Fields(cur.String()), " "); t != "" {
			paras = append(paras, t)
		}
		cur.Reset()
	}
	var walk func(*html.Node, int)
	walk = func(n *html.Node, depth int) {
		if depth > 512 {
			return
		}
		switch n.Type {
		case html.TextNode:
			cur.WriteString(n.Data)
			return
		case html.ElementNode:
			if skipped[n.DataAtom] {
				return
			}
			if block[n.DataAtom] {
				endPara()
				defer endPara()
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	endPara()
	return strings.Join(paras, "\n\n")
}

// HTMLText returns the main text of an HTML fragment, as found in a feed's description or
// content: the same extraction as ReadHTML, for a fragment without <body>.
func HTMLText(fragment string) string {
	if !strings.ContainsAny(fragment, "<&") {
		return strings.TrimSpace(fragment)
	}
	nodes, err := html.ParseFragment(strings.NewReader(fragment), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return strings.TrimSpace(fragment)
	}
	wrap := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	for _, n := range nodes {
		if n.Parent != nil {
			continue
		}
		wrap.AppendChild(n)
	}
	return extractText(wrap)
}
