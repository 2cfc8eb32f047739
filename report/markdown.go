package report

import (
	"bufio"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// WriteMarkdown writes the document as Markdown with footnotes ([^1]), which Pandoc and GitHub
// render as numbered notes.
func (d *Doc) WriteMarkdown(w io.Writer) error {
	b := bufio.NewWriter(w)
	t := d.tr
	b.WriteString("# " + mdEscape(d.Title) + "\n\n")
	for _, l := range d.TitleLines {
		b.WriteString(mdEscape(l) + "  \n")
	}
	b.WriteString("\n")
	if d.Restricted != "" {
		b.WriteString("> **" + mdEscape(d.Restricted) + "**\n\n")
	}
	if hs := d.headings(); len(hs) > 0 {
		b.WriteString("## " + mdEscape(t("contents")) + "\n\n")
		for _, h := range hs {
			indent := ""
			if h.Kind == H2 {
				indent = "  "
			}
			b.WriteString(indent + "- " + mdEscape(h.Text) + "\n")
		}
		b.WriteString("\n")
	}
	for _, bl := range d.Blocks {
		switch bl.Kind {
		case H1:
			b.WriteString("## " + mdEscape(bl.Text) + "\n\n")
		case H2:
			b.WriteString("### " + mdEscape(bl.Text) + "\n\n")
		case H3:
			b.WriteString("#### " + mdEscape(bl.Text) + "\n\n")
		case Para:
			s := mdEscape(bl.Text)
			if bl.Mono {
				s = "`" + strings.ReplaceAll(bl.Text, "`", "'") + "`"
			}
			if bl.Strong != "" {
				s = "**" + mdEscape(bl.Strong) + "** " + s
			}
			b.WriteString(s + mdNotes(bl.Notes) + "\n\n")
		case Bullets:
			for _, it := range bl.Items {
				b.WriteString("- " + mdEscape(it.Text) + mdNotes(it.Notes) + "\n")
			}
			b.WriteString("\n")
		case Quote:
			lines := strings.Split(strings.TrimSpace(bl.Text), "\n")
			for i, line := range lines {
				b.WriteString("> " + mdEscape(strings.TrimSpace(line)))
				if i == len(lines)-1 {
					b.WriteString(mdNotes(bl.Notes))
				}
				b.WriteString("\n")
			}
			b.WriteString("\n")
		case Table:
			b.WriteString("| " + strings.Join(mapStrings(bl.Head, mdCell), " | ") + " |\n|")
			for range bl.Head {
				b.WriteString(" --- |")
			}
			b.WriteString("\n")
			for i, row := range bl.Rows {
				cells := mapStrings(row, mdCell)
				if i < len(bl.RowNotes) && len(cells) > 0 {
					cells[0] += mdNotes(bl.RowNotes[i])
				}
				b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
			}
			b.WriteString("\n")
		case BarChart:
			if len(bl.Chart) == 0 {
				continue
			}
			b.WriteString("*" + mdEscape(bl.Text) + "*\n\n```text\n")
			b.WriteString(textChart(bl.Chart, d.Lang))
			b.WriteString("```\n\n")
		}
	}
	if len(d.Notes) > 0 {
		b.WriteString("## " + mdEscape(t("notes")) + "\n\n")
		for _, n := range d.Notes {
			b.WriteString("[^" + strconv.Itoa(n.N) + "]: " + mdEscape(n.Text) + "\n")
		}
	}
	return b.Flush()
}

// textChart draws a horizontal bar chart in characters, for Markdown and plain text.
func textChart(bars []Count, lang string) string {
	width, maxN := 0, 0
	for _, c := range bars {
		width = max(width, len([]rune(c.Label)))
		maxN = max(maxN, c.N)
	}
	var b strings.Builder
	for _, c := range bars {
		n := 0
		if maxN > 0 {
			n = (c.N*40 + maxN - 1) / maxN
		}
		b.WriteString(c.Label + strings.Repeat(" ", width-len([]rune(c.Label))) + " │" + strings.Repeat("█", n) + " " + formatNumber(float64(c.N), lang) + "\n")
	}
	return b.String()
}

func mdNotes(ns []int) string {
	var b strings.Builder
	for _, n := range ns {
		b.WriteString("[^" + strconv.Itoa(n) + "]")
	}
	return b.String()
}

var mdReplacer = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`, "<", `\<`, ">", `\>`, "#", `\#`, "|", `\|`)

var mdListStart = regexp.MustCompile(`^(\s*)([-+]|\d+[.)])(\s)`)

// mdEscape keeps recorded text from being read as Markdown markup, including a line that would
// start a list ("1. …", "- …").
func mdEscape(s string) string {
	s = mdReplacer.Replace(s)
	if m := mdListStart.FindStringSubmatchIndex(s); m != nil {
		// Escape the list marker's last character: "1\. " or "\- ".
		end := m[5]
		s = s[:end-1] + "\\" + s[end-1:]
	}
	return s
}

func mdCell(s string) string { return strings.ReplaceAll(mdEscape(s), "\n", " ") }

func mapStrings(in []string, f func(string) string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = f(s)
	}
	return out
}
