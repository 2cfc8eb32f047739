package report

import (
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gobolditalic"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/casefile/casefile"
)

// PDF page geometry, in millimetres (A4).
const (
	pdfMargin  = 20.0
	pdfBottom  = 20.0
	pdfLine    = 5.2
	tocLine    = 6.5
	tocPerPage = 34
)

// pdfWriter lays a Doc out on PDF pages.
type pdfWriter struct {
	f        *fpdf.Fpdf
	d        *Doc
	width    float64 // text width
	pageH    float64
	noteLink map[int]int
	toc      []tocItem
}

type tocItem struct {
	level int
	text  string
	link  int
	page  int
}

// WritePDF writes the document as an A4 PDF with the Go fonts embedded (they cover Latin and
// Cyrillic), a title page, a linked table of contents with page numbers, PDF bookmarks, page
// numbers on every page after the title and the notes at the end. created is stamped as the
// document's date, so the same input gives the same file.
func (d *Doc) WritePDF(w io.Writer, created time.Time) error {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetCreationDate(created)
	f.SetModificationDate(created)
	f.SetCatalogSort(true)
	f.SetCompression(true)
	f.SetTitle(d.Title, true)
	f.SetProducer("Casefile", true)
	f.AddUTF8FontFromBytes("go", "", goregular.TTF)
	f.AddUTF8FontFromBytes("go", "B", gobold.TTF)
	f.AddUTF8FontFromBytes("go", "I", goitalic.TTF)
	f.AddUTF8FontFromBytes("go", "BI", gobolditalic.TTF)
	f.AddUTF8FontFromBytes("gomono", "", gomono.TTF)
	f.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	f.SetAutoPageBreak(true, pdfBottom)
	pw, ph := f.GetPageSize()
	p := &pdfWriter{f: f, d: d, width: pw - 2*pdfMargin, pageH: ph, noteLink: map[int]int{}}
	for _, n := range d.Notes {
		p.noteLink[n.N] = f.AddLink()
	}

	p.titlePage()
	// Table of contents: its pages are reserved now and filled in once every heading has a page.
	heads := d.headings()
	tocPages := max(1, (len(heads)+tocPerPage-1)/tocPerPage)
	tocFirst := f.PageNo() + 1
	for range tocPages {
		f.AddPage()
	}
	for _, b := range d.Blocks {
		p.block(b)
	}
	if len(d.Notes) > 0 {
		p.notes()
	}
	p.fillTOC(tocFirst, tocPages)
	p.pageNumbers()
	if err := f.Error(); err != nil {
		return casefile.Errorf(casefile.EINTERNAL, "WritePDF", "pdf: %v", err)
	}
	return f.Output(w)
}

func (p *pdfWriter) font(style string, size float64) { p.f.SetFont("go", style, size) }

func (p *pdfWriter) titlePage() {
	f := p.f
	f.AddPage()
	f.SetY(70)
	p.font("B", 20)
	f.MultiCell(p.width, 9, p.d.Title, "", "L", false)
	f.Ln(6)
	p.font("", 12)
	for _, l := range p.d.TitleLines {
		f.MultiCell(p.width, 6.5, l, "", "L", false)
		f.Ln(1.5)
	}
	if p.d.Restricted != "" {
		f.Ln(6)
		f.SetTextColor(160, 0, 0)
		f.SetDrawColor(160, 0, 0)
		p.font("B", 11)
		f.MultiCell(p.width, 6, p.d.Restricted, "1", "L", false)
		f.SetTextColor(0, 0, 0)
		f.SetDrawColor(0, 0, 0)
	}
}

// room starts a new page unless h millimetres still fit on this one.
func (p *pdfWriter) room(h float64) {
	if p.f.GetY()+h > p.pageH-pdfBottom {
		p.f.AddPage()
	}
}

func (p *pdfWriter) heading(b Block, level int) {
	f := p.f
	switch level {
	case 0:
		f.AddPage()
		p.font("B", 16)
	case 1:
		p.room(20)
		f.Ln(3)
		p.font("B", 13)
	default:
		p.room(14)
		f.Ln(1.5)
		p.font("B", 11)
	}
	if level <= 1 {
		link := f.AddLink()
		f.SetLink(link, f.GetY(), -1)
		f.Bookmark(b.Text, level, -1)
		p.toc = append(p.toc, tocItem{level: level, text: b.Text, link: link, page: f.PageNo()})
	}
	f.MultiCell(p.width, []float64{8, 6.5, 5.5}[min(level, 2)], b.Text, "", "L", false)
	f.Ln(2)
}

// text writes flowing text with an optional bold lead and footnote marks, within the margins.
func (p *pdfWriter) text(style string, size float64, strong, text string, notes []int) {
	f := p.f
	if strong != "" {
		p.font("B"+strings.TrimPrefix(style, "B"), size)
		f.Write(pdfLine, strong+" ")
	}
	p.font(style, size)
	f.Write(pdfLine, text)
	p.marks(notes, size)
	f.Ln(pdfLine)
}

func (p *pdfWriter) marks(notes []int, size float64) {
	for _, n := range notes {
		p.f.SubWrite(pdfLine, strconv.Itoa(n), size*0.62, 2.2, p.noteLink[n], "")
		p.f.SubWrite(pdfLine, " ", size*0.62, 2.2, 0, "")
	}
}

func (p *pdfWriter) indented(by float64, fn func()) {
	f := p.f
	l, _, _, _ := f.GetMargins()
	f.SetLeftMargin(l + by)
	f.SetX(l + by)
	fn()
	f.SetLeftMargin(l)
	f.SetX(l)
}

func (p *pdfWriter) block(b Block) {
	f := p.f
	switch b.Kind {
	case H1:
		p.heading(b, 0)
	case H2:
		p.heading(b, 1)
	case H3:
		p.heading(b, 2)
	case Para:
		if b.Mono {
			f.SetFont("gomono", "", 8)
			f.MultiCell(p.width, 4, b.Text, "", "L", false)
		} else {
			p.text("", 10.5, b.Strong, b.Text, b.Notes)
		}
		f.Ln(2)
	case Bullets:
		for _, it := range b.Items {
			p.room(pdfLine * 2)
			x := f.GetX()
			p.font("", 10.5)
			f.CellFormat(5, pdfLine, "•", "", 0, "L", false, 0, "")
			f.SetX(x)
			p.indented(5, func() { p.text("", 10.5, "", it.Text, it.Notes) })
			f.Ln(0.8)
		}
		f.Ln(1.5)
	case Quote:
		p.room(pdfLine * 2)
		p.indented(8, func() { p.text("I", 10, "", strings.TrimSpace(b.Text), b.Notes) })
		f.Ln(2)
	case Table:
		p.table(b)
	case BarChart:
		p.chart(b)
	}
}

// table draws a table with wrapped cells, repeating the header after a page break.
func (p *pdfWriter) table(b Block) {
	f := p.f
	const size, lh, pad = 8.5, 4.0, 1.2
	cols := len(b.Head)
	if cols == 0 {
		return
	}
	rows := make([][]string, len(b.Rows))
	for i, r := range b.Rows {
		rows[i] = make([]string, cols)
		copy(rows[i], r)
		if i < len(b.RowNotes) && len(b.RowNotes[i]) > 0 {
			var ns []string
			for _, n := range b.RowNotes[i] {
				ns = append(ns, strconv.Itoa(n))
			}
			rows[i][0] += " [" + strings.Join(ns, ", ") + "]"
		}
	}
	widths := p.columnWidths(b.Head, rows, size)
	drawRow := func(cells []string, style string, fill bool) {
		p.font(style, size)
		lines := make([][]string, cols)
		h := 0.0
		for i, c := range cells {
			lines[i] = f.SplitText(c, widths[i]-2*pad)
			if len(lines[i]) == 0 {
				lines[i] = []string{""}
			}
			h = math.Max(h, float64(len(lines[i]))*lh+2*pad)
		}
		if f.GetY()+h > p.pageH-pdfBottom {
			f.AddPage()
			if style == "" {
				p.tableHead(b.Head, widths, size, lh, pad)
				p.font(style, size)
			}
		}
		x, y := pdfMargin, f.GetY()
		for i := range cells {
			if fill {
				f.SetFillColor(235, 235, 235)
				f.Rect(x, y, widths[i], h, "FD")
			} else {
				f.Rect(x, y, widths[i], h, "D")
			}
			for k, l := range lines[i] {
				f.SetXY(x+pad, y+pad+float64(k)*lh)
				f.CellFormat(widths[i]-2*pad, lh, l, "", 0, "L", false, 0, "")
			}
			x += widths[i]
		}
		f.SetXY(pdfMargin, y+h)
	}
	p.room(20)
	f.SetDrawColor(170, 170, 170)
	drawRow(b.Head, "B", true)
	for _, r := range rows {
		drawRow(r, "", false)
	}
	f.SetDrawColor(0, 0, 0)
	f.Ln(3)
}

func (p *pdfWriter) tableHead(head []string, widths []float64, size, lh, pad float64) {
	f := p.f
	p.font("B", size)
	h := 0.0
	lines := make([][]string, len(head))
	for i, c := range head {
		lines[i] = f.SplitText(c, widths[i]-2*pad)
		h = math.Max(h, float64(len(lines[i]))*lh+2*pad)
	}
	x, y := pdfMargin, f.GetY()
	f.SetFillColor(235, 235, 235)
	for i := range head {
		f.Rect(x, y, widths[i], h, "FD")
		for k, l := range lines[i] {
			f.SetXY(x+pad, y+pad+float64(k)*lh)
			f.CellFormat(widths[i]-2*pad, lh, l, "", 0, "L", false, 0, "")
		}
		x += widths[i]
	}
	f.SetXY(pdfMargin, y+h)
}

// columnWidths gives each column its natural width when the table fits, else shares the width out
// above each column's longest word.
func (p *pdfWriter) columnWidths(head []string, rows [][]string, size float64) []float64 {
	f := p.f
	cols := len(head)
	natural, minimum := make([]float64, cols), make([]float64, cols)
	measure := func(i int, s string, style string) {
		p.font(style, size)
		natural[i] = math.Max(natural[i], f.GetStringWidth(s)+7)
		for _, w := range strings.Fields(s) {
			minimum[i] = math.Max(minimum[i], math.Min(f.GetStringWidth(w)+7, p.width/float64(cols)))
		}
	}
	for i, h := range head {
		measure(i, h, "B")
	}
	for _, r := range rows {
		for i, c := range r {
			measure(i, c, "")
		}
	}
	sumN, sumM := 0.0, 0.0
	for i := range natural {
		minimum[i] = math.Max(minimum[i], 10)
		natural[i] = math.Max(natural[i], minimum[i])
		sumN += natural[i]
		sumM += minimum[i]
	}
	out := make([]float64, cols)
	for i := range out {
		switch {
		case sumN <= p.width:
			out[i] = natural[i] * p.width / sumN
		case sumM >= p.width:
			out[i] = minimum[i] * p.width / sumM
		default:
			out[i] = minimum[i] + (natural[i]-minimum[i])*(p.width-sumM)/(sumN-sumM)
		}
	}
	return out
}

func (p *pdfWriter) chart(b Block) {
	f := p.f
	if len(b.Chart) == 0 {
		return
	}
	const barH, gap, labelW = 5.0, 1.6, 45.0
	plotW := p.width - labelW - 20
	maxN := 0
	for _, c := range b.Chart {
		maxN = max(maxN, c.N)
	}
	p.room(float64(len(b.Chart))*(barH+gap) + 10)
	p.font("I", 9)
	f.CellFormat(p.width, 5, b.Text, "", 1, "L", false, 0, "")
	p.font("", 8.5)
	f.SetFillColor(58, 95, 138)
	for _, c := range b.Chart {
		p.room(barH + gap)
		y := f.GetY()
		f.SetXY(pdfMargin, y)
		f.CellFormat(labelW-2, barH, c.Label, "", 0, "R", false, 0, "")
		w := 0.0
		if maxN > 0 {
			w = float64(c.N) / float64(maxN) * plotW
		}
		if w > 0 {
			f.Rect(pdfMargin+labelW, y, w, barH, "F")
		}
		f.SetXY(pdfMargin+labelW+w+1.5, y)
		f.CellFormat(18, barH, formatNumber(float64(c.N), p.d.Lang), "", 0, "L", false, 0, "")
		f.SetXY(pdfMargin, y+barH+gap)
	}
	f.Ln(3)
}

func (p *pdfWriter) notes() {
	f := p.f
	t := p.d.tr
	p.heading(Block{Kind: H1, Text: t("notes")}, 0)
	for _, n := range p.d.Notes {
		p.room(pdfLine * 2)
		f.SetLink(p.noteLink[n.N], f.GetY(), -1)
		p.font("", 9)
		x := f.GetX()
		f.CellFormat(9, 4.5, strconv.Itoa(n.N)+".", "", 0, "R", false, 0, "")
		f.SetX(x)
		p.indented(10, func() {
			f.Write(4.5, n.Text)
			f.Ln(4.5)
		})
		f.Ln(1)
	}
}

// fillTOC writes the table of contents on the pages reserved for it.
func (p *pdfWriter) fillTOC(first, pages int) {
	f := p.f
	t := p.d.tr
	f.SetAutoPageBreak(false, 0)
	for i := range pages {
		f.SetPage(first + i)
		f.SetXY(pdfMargin, pdfMargin)
		if i == 0 {
			p.font("B", 16)
			f.CellFormat(p.width, 10, t("contents"), "", 1, "L", false, 0, "")
			f.Ln(3)
		}
		end := min(len(p.toc), (i+1)*tocPerPage)
		for _, e := range p.toc[min(len(p.toc), i*tocPerPage):end] {
			indent := float64(e.level) * 7
			size := 10.5
			style := "B"
			if e.level > 0 {
				size, style = 9.5, ""
			}
			p.font(style, size)
			num := strconv.Itoa(e.page)
			avail := p.width - indent - 14
			text := e.text
			for f.GetStringWidth(text) > avail && len([]rune(text)) > 4 {
				r := []rune(text)
				text = string(r[:len(r)-2]) + "…"
			}
			f.SetX(pdfMargin + indent)
			f.CellFormat(p.width-indent-14, tocLine, text, "", 0, "L", false, e.link, "")
			f.CellFormat(14, tocLine, num, "", 1, "R", false, e.link, "")
		}
	}
}

// pageNumbers writes "Page n of N" at the foot of every page but the title page, and the
// restriction warning at the head of every page when there is one.
func (p *pdfWriter) pageNumbers() {
	f := p.f
	t := p.d.tr
	total := f.PageCount()
	f.SetAutoPageBreak(false, 0)
	for n := 2; n <= total; n++ {
		f.SetPage(n)
		p.font("", 8.5)
		f.SetTextColor(90, 90, 90)
		f.SetXY(pdfMargin, p.pageH-12)
		f.CellFormat(p.width, 5, t("page")+" "+strconv.Itoa(n)+" "+t("of")+" "+strconv.Itoa(total), "", 0, "C", false, 0, "")
		if p.d.Restricted != "" {
			f.SetTextColor(160, 0, 0)
			f.SetXY(pdfMargin, 8)
			f.CellFormat(p.width, 5, p.d.Restricted, "", 0, "C", false, 0, "")
		}
		f.SetTextColor(0, 0, 0)
	}
}
