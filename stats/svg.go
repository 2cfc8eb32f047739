package stats

import (
	"fmt"
	"html"
	"io"
	"math"
	"strings"
)

// WriteSVG draws the estimates as a forest chart: one row per estimate with its point, its 95%
// interval and the observed count as a reference line, so a reader sees at once how far each
// method puts the total above what was documented.
func WriteSVG(w io.Writer, title string, observed float64, ests []*Estimate) error {
	var rows []*Estimate
	for _, e := range ests {
		if e != nil && e.Exists && !math.IsNaN(e.N) && !math.IsInf(e.N, 0) {
			rows = append(rows, e)
		}
	}
	const width, left, right, rowH, top = 860.0, 300.0, 40.0, 26.0, 72.0
	height := top + rowH*float64(len(rows)) + 50
	hi := observed
	for _, e := range rows {
		hi = math.Max(hi, e.N)
		if !math.IsInf(e.CIHigh, 0) {
			hi = math.Max(hi, e.CIHigh)
		}
	}
	hi = niceCeil(hi * 1.05)
	x := func(v float64) float64 { return left + (width-left-right)*math.Min(v, hi)/hi }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="sans-serif" font-size="12">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="#fff"/>`+"\n")
	fmt.Fprintf(&b, `<text x="10" y="22" font-size="15" font-weight="bold">%s</text>`+"\n", html.EscapeString(title))
	fmt.Fprintf(&b, `<text x="10" y="40" fill="#555">Documented: %.0f. Points: estimated total; bars: 95%% interval.</text>`+"\n", observed)
	axisY := top + rowH*float64(len(rows)) + 6
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#333"/>`+"\n", left, axisY, width-right, axisY)
	for i := 0; i <= 5; i++ {
		v := hi * float64(i) / 5
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#333"/><text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`+"\n", x(v), axisY, x(v), axisY+5, x(v), axisY+20, thousands(v))
	}
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#c00" stroke-dasharray="4 3"/><text x="%.1f" y="%.1f" fill="#c00" text-anchor="middle">documented</text>`+"\n", x(observed), top-8, x(observed), axisY, x(observed), top-10)
	for i, e := range rows {
		y := top + rowH*float64(i) + rowH/2
		label := e.Model
		if e.Method != "loglinear" {
			label = e.Method + ": " + e.Model
		}
		if r := []rune(label); len(r) > 40 {
			label = string(r[:39]) + "…"
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end">%s</text>`+"\n", left-8, y+4, html.EscapeString(label))
		lo, up := e.CILow, e.CIHigh
		if lo > 0 && up > 0 {
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#246" stroke-width="2"/>`+"\n", x(lo), y, x(up), y)
		}
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="4" fill="#246"><title>%s</title></circle>`+"\n", x(e.N), y, html.EscapeString(fmt.Sprintf("%s: %.1f (%.1f–%.1f)", label, e.N, lo, up)))
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

func thousands(v float64) string {
	s := fmt.Sprintf("%.0f", v)
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}
