package report

import (
	"embed"
	"fmt"
	"html"
	"html/template"
	"io"
	"strconv"
	"strings"
)

//go:embed templates/doc.html.tmpl
var templateFS embed.FS

// The template is parsed once at start-up; a broken template fails every test at once.
var docTemplate = template.Must(template.New("doc.html.tmpl").ParseFS(templateFS, "templates/doc.html.tmpl"))

type htmlView struct {
	Lang, Title                               string
	TitleLines                                []string
	Restricted                                string
	TOC                                       []tocEntry
	ContentsWord, NotesWord, PageWord, OfWord string
	Sections                                  []htmlSection
	Notes                                     []Footnote
}

type tocEntry struct {
	ID, Text string
	Children []tocEntry
}

type htmlSection struct{ Blocks []htmlBlock }

type htmlBlock struct {
	Kind, ID, Text, Strong string
	Mono                   bool
	Notes                  []noteRef
	Items                  []htmlItem
	Head                   []string
	Rows                   []htmlRow
	SVG                    template.HTML
}

type htmlRow struct{ Cells []htmlCell }

type htmlCell struct {
	Text  string
	Num   bool
	Notes []noteRef
}

type htmlItem struct {
	Text  string
	Notes []noteRef
}

// noteRef is a footnote mark; the first mark of each note carries the anchor the note links back to.
type noteRef struct {
	N  int
	ID string
}

type noteRefs map[int]bool

func (seen noteRefs) refs(ns []int) []noteRef {
	out := make([]noteRef, 0, len(ns))
	for _, n := range ns {
		r := noteRef{N: n}
		if !seen[n] {
			seen[n] = true
			r.ID = "ref-" + strconv.Itoa(n)
		}
		out = append(out, r)
	}
	return out
}

var kindNames = map[BlockKind]string{H1: "h1", H2: "h2", H3: "h3", Para: "p", Bullets: "ul", Quote: "quote", Table: "table", BarChart: "chart"}

// WriteHTML writes the document as one self-contained HTML page that prints well: a title page,
// a linked table of contents, page breaks before each chapter and page numbers in print.
func (d *Doc) WriteHTML(w io.Writer) error {
	t := d.tr
	v := htmlView{Lang: d.Lang, Title: d.Title, TitleLines: d.TitleLines, Restricted: d.Restricted,
		ContentsWord: t("contents"), NotesWord: t("notes"), PageWord: t("page"), OfWord: t("of"), Notes: d.Notes}
	n := 0
	seen := noteRefs{}
	for _, b := range d.Blocks {
		if b.Kind == H1 || len(v.Sections) == 0 {
			v.Sections = append(v.Sections, htmlSection{})
		}
		hb := htmlBlock{Kind: kindNames[b.Kind], ID: b.ID, Text: b.Text, Strong: b.Strong, Mono: b.Mono, Notes: seen.refs(b.Notes), Head: b.Head}
		for _, it := range b.Items {
			hb.Items = append(hb.Items, htmlItem{Text: it.Text, Notes: seen.refs(it.Notes)})
		}
		if (b.Kind == H1 || b.Kind == H2) && hb.ID == "" {
			n++
			hb.ID = "s" + strconv.Itoa(n)
		}
		switch b.Kind {
		case H1:
			v.TOC = append(v.TOC, tocEntry{ID: hb.ID, Text: b.Text})
		case H2:
			if len(v.TOC) > 0 {
				last := &v.TOC[len(v.TOC)-1]
				last.Children = append(last.Children, tocEntry{ID: hb.ID, Text: b.Text})
			}
		case Table:
			for i, row := range b.Rows {
				hr := htmlRow{}
				for j, c := range row {
					cell := htmlCell{Text: c, Num: isNumeric(c)}
					if j == 0 && i < len(b.RowNotes) {
						cell.Notes = seen.refs(b.RowNotes[i])
					}
					hr.Cells = append(hr.Cells, cell)
				}
				hb.Rows = append(hb.Rows, hr)
			}
		case BarChart:
			if len(b.Chart) == 0 {
				continue
			}
			hb.SVG = svgChart(b.Chart, b.Text, d.Lang)
		}
		s := &v.Sections[len(v.Sections)-1]
		s.Blocks = append(s.Blocks, hb)
	}
	return docTemplate.Execute(w, v)
}

func isNumeric(s string) bool {
	if s == "" {
		return false
	}
	return strings.Trim(s, "0123456789,. \u00a0%<>≈≥≤") == ""
}

// svgChart draws a horizontal bar chart as inline SVG, so the page needs no script or image file.
func svgChart(bars []Count, title, lang string) template.HTML {
	const barH, gap, labelW, plotW = 16, 6, 150, 300
	maxN := 0
	for _, c := range bars {
		maxN = max(maxN, c.N)
	}
	h := len(bars)*(barH+gap) + gap
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="%s" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">`,
		html.EscapeString(title), labelW+plotW+60, h, labelW+plotW+60, h)
	for i, c := range bars {
		y := gap + i*(barH+gap)
		w := 0
		if maxN > 0 {
			w = c.N * plotW / maxN
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`, labelW-6, y+barH-4, html.EscapeString(c.Label))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#3a5f8a"/>`, labelW, y, w, barH)
		fmt.Fprintf(&b, `<text x="%d" y="%d">%s</text>`, labelW+w+4, y+barH-4, formatNumber(float64(c.N), lang))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // every text in it is escaped above
}
