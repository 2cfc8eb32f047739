package discourse

import (
	"encoding/csv"
	"fmt"
	"html"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/casefile/casefile"
)

// StigmaCategories are the stigmatising categories, in the order tables show them.
var StigmaCategories = []string{casefile.DiscourseLabel, casefile.DiscourseDehumanisation, casefile.DiscourseDisgust,
	casefile.DiscourseCriminalisation, casefile.DiscourseMoral, casefile.DiscourseViolence}

// TermCount is how often one expression (lemma) occurred.
type TermCount struct {
	Lemma    string `json:"lemma"`
	Category string `json:"category"`
	Count    int    `json:"count"`
}

// Row is the measures of one group of items (an outlet in a month, by default). Shares are of
// the items about drugs, so an outlet that writes little about drugs is not made to look clean.
type Row struct {
	Outlet            string             `json:"outlet"`
	Month             string             `json:"month"` // YYYY-MM, "unknown" without a date, "" when not grouped by month
	Items             int                `json:"items"`
	AboutDrugs        int                `json:"about_drugs"`
	Stigmatising      int                `json:"stigmatising"` // items about drugs with at least one stigmatising hit
	StigmatisingShare float64            `json:"stigmatising_share"`
	Categories        map[string]int     `json:"categories"` // items about drugs with at least one hit of the category
	CategoryShares    map[string]float64 `json:"category_shares"`
	Preferred         int                `json:"preferred"` // items about drugs with at least one preferred term
	PreferredShare    float64            `json:"preferred_share"`
	Top               []TermCount        `json:"top"` // most frequent stigmatising expressions
}

// Grouping of Measure.
const (
	ByOutletMonth = "outlet-month"
	ByOutlet      = "outlet"
	ByMonth       = "month"
)

// Measure computes the rows of items grouped by outlet and month (by ByOutlet or ByMonth). The
// items must carry their hits. topN bounds each row's list of frequent expressions.
func Measure(items []*casefile.MediaItem, by string, topN int) []*Row {
	rows := map[[2]string]*Row{}
	terms := map[[2]string]map[[2]string]int{}
	for _, it := range items {
		month := "unknown"
		if it.Published != nil {
			month = it.Published.UTC().Format("2006-01")
		}
		outlet := it.Outlet
		if outlet == "" {
			outlet = "unknown"
		}
		key := [2]string{outlet, month}
		switch by {
		case ByOutlet:
			key[1] = ""
		case ByMonth:
			key[0] = ""
		}
		r := rows[key]
		if r == nil {
			r = &Row{Outlet: key[0], Month: key[1], Categories: map[string]int{}, CategoryShares: map[string]float64{}}
			rows[key] = r
			terms[key] = map[[2]string]int{}
		}
		r.Items++
		if !it.AboutDrugs {
			continue
		}
		r.AboutDrugs++
		seen := map[string]bool{}
		for _, h := range it.Hits {
			if casefile.DiscourseStigmatising(h.Category) {
				terms[key][[2]string{h.Lemma, h.Category}]++
			}
			seen[h.Category] = true
		}
		stig := false
		for _, c := range StigmaCategories {
			if seen[c] {
				r.Categories[c]++
				stig = true
			}
		}
		if stig {
			r.Stigmatising++
		}
		if seen[casefile.DiscoursePreferred] {
			r.Preferred++
		}
	}
	out := make([]*Row, 0, len(rows))
	for key, r := range rows {
		if r.AboutDrugs > 0 {
			d := float64(r.AboutDrugs)
			r.StigmatisingShare = float64(r.Stigmatising) / d
			r.PreferredShare = float64(r.Preferred) / d
			for _, c := range StigmaCategories {
				r.CategoryShares[c] = float64(r.Categories[c]) / d
			}
		}
		for t, n := range terms[key] {
			r.Top = append(r.Top, TermCount{Lemma: t[0], Category: t[1], Count: n})
		}
		sort.Slice(r.Top, func(i, j int) bool {
			if r.Top[i].Count != r.Top[j].Count {
				return r.Top[i].Count > r.Top[j].Count
			}
			return r.Top[i].Lemma < r.Top[j].Lemma
		})
		if len(r.Top) > topN {
			r.Top = r.Top[:topN]
		}
		if r.Top == nil {
			r.Top = []TermCount{}
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Outlet != out[j].Outlet {
			return out[i].Outlet < out[j].Outlet
		}
		return out[i].Month < out[j].Month
	})
	return out
}

// WriteCSV writes rows as CSV with a header: shares as fractions with three decimals, the
// frequent expressions as "lemma (count)" joined by "; ".
func WriteCSV(w io.Writer, rows []*Row) error {
	cw := csv.NewWriter(w)
	head := []string{"outlet", "month", "items", "about_drugs", "stigmatising", "stigmatising_share"}
	for _, c := range StigmaCategories {
		head = append(head, c+"_share")
	}
	head = append(head, "preferred", "preferred_share", "top")
	if err := cw.Write(head); err != nil {
		return err
	}
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', 3, 64) }
	for _, r := range rows {
		rec := []string{r.Outlet, r.Month, strconv.Itoa(r.Items), strconv.Itoa(r.AboutDrugs), strconv.Itoa(r.Stigmatising), f(r.StigmatisingShare)}
		for _, c := range StigmaCategories {
			rec = append(rec, f(r.CategoryShares[c]))
		}
		var top []string
		for _, t := range r.Top {
			top = append(top, fmt.Sprintf("%s (%d)", t.Lemma, t.Count))
		}
		rec = append(rec, strconv.Itoa(r.Preferred), f(r.PreferredShare), strings.Join(top, "; "))
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// categoryColours are fixed so that charts of different runs compare.
var categoryColours = map[string]string{
	casefile.DiscourseLabel: "#b2182b", casefile.DiscourseDehumanisation: "#ef8a62", casefile.DiscourseDisgust: "#8c510a",
	casefile.DiscourseCriminalisation: "#762a83", casefile.DiscourseMoral: "#5e3c99", casefile.DiscourseViolence: "#000000",
	casefile.DiscoursePreferred: "#1b7837",
}

// WriteSVG draws rows as a chart: for each row, one bar per stigmatising category and one for
// preferred terms, each the share of the row's items about drugs. The SVG stands alone (no
// scripts, no external fonts) so it can go into a report as it is.
func WriteSVG(w io.Writer, title string, rows []*Row) error {
	cats := append(append([]string{}, StigmaCategories...), casefile.DiscoursePreferred)
	const (
		left, right, top, barH, gap, plotW = 230, 30, 70, 9, 14, 420
	)
	groupH := len(cats)*barH + gap
	height := top + len(rows)*groupH + 40
	width := left + plotW + right
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, `<title>%s</title>`+"\n", html.EscapeString(title))
	fmt.Fprintf(&b, `<text x="10" y="20" font-size="14" font-weight="bold">%s</text>`+"\n", html.EscapeString(title))
	// legend
	x := 10
	for _, c := range cats {
		fmt.Fprintf(&b, `<rect x="%d" y="32" width="10" height="10" fill="%s"/><text x="%d" y="41">%s</text>`+"\n", x, categoryColours[c], x+13, c)
		x += 13 + 7*len(c) + 12
	}
	// axis: 0, 25, 50, 75, 100 %
	for k := 0; k <= 4; k++ {
		ax := left + plotW*k/4
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#ddd"/><text x="%d" y="%d" text-anchor="middle">%d%%</text>`+"\n",
			ax, top-8, ax, height-30, ax, height-16, 25*k)
	}
	for i, r := range rows {
		y := top + i*groupH
		label := r.Outlet
		if r.Month != "" {
			if label != "" {
				label += " · "
			}
			label += r.Month
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`+"\n", left-8, y+len(cats)*barH/2+4, html.EscapeString(label))
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" fill="#666">%d about drugs</text>`+"\n", left-8, y+len(cats)*barH/2+16, r.AboutDrugs)
		for k, c := range cats {
			share := r.CategoryShares[c]
			if c == casefile.DiscoursePreferred {
				share = r.PreferredShare
			}
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"><title>%s: %.1f%%</title></rect>`+"\n",
				left, y+k*barH, share*plotW, barH-1, categoryColours[c], c, share*100)
		}
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}
