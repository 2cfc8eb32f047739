package discourse

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/casefile/casefile"
)

func statItem(t *testing.T, outlet, date, text string) *casefile.MediaItem {
	t.Helper()
	hits, sum := newTestScanner(t, Options{}).ScanString(text)
	var p *time.Time
	if date != "" {
		d, _ := time.Parse("2006-01-02", date)
		p = &d
	}
	return &casefile.MediaItem{Outlet: outlet, Published: p, Text: text, AboutDrugs: sum.AboutDrugs, Hits: hits}
}

func TestMeasure(t *testing.T) {
	items := []*casefile.MediaItem{
		statItem(t, "Газета", "2024-03-01", "Эти наркоманы — просто животные."),
		statItem(t, "Газета", "2024-03-09", "Наркоманы снова во дворе. Наркоманы!"),
		statItem(t, "Газета", "2024-03-20", "Люди, употребляющие наркотики, получили помощь."),
		statItem(t, "Газета", "2024-03-21", "Погода будет тёплой."), // not about drugs
		statItem(t, "Газета", "2024-04-02", "Героин изъяли на границе."),
		statItem(t, "Paper", "", "Junkies are scum."),
	}
	rows := Measure(items, ByOutletMonth, 3)
	if len(rows) != 3 {
		t.Fatalf("rows = %d", len(rows))
	}
	r := rows[0] // Paper, unknown month: sorted by outlet then month
	if r.Outlet != "Paper" || r.Month != "unknown" || r.StigmatisingShare != 1 {
		t.Errorf("row 0 = %+v", r)
	}
	m := rows[1]
	if m.Outlet != "Газета" || m.Month != "2024-03" || m.Items != 4 || m.AboutDrugs != 3 || m.Stigmatising != 2 ||
		m.Categories["dehumanisation"] != 1 || m.Preferred != 1 {
		t.Errorf("March = %+v", m)
	}
	if got := m.StigmatisingShare; got < 0.666 || got > 0.667 {
		t.Errorf("stigmatising share = %v, want 2/3", got)
	}
	if len(m.Top) == 0 || m.Top[0] != (TermCount{Lemma: "наркоман", Category: "label", Count: 3}) {
		t.Errorf("top = %+v", m.Top)
	}
	if a := rows[2]; a.Month != "2024-04" || a.AboutDrugs != 1 || a.Stigmatising != 0 || a.StigmatisingShare != 0 {
		t.Errorf("April = %+v", a)
	}
	if byOutlet := Measure(items, ByOutlet, 3); len(byOutlet) != 2 || byOutlet[1].Items != 5 || byOutlet[1].Month != "" {
		t.Errorf("by outlet = %+v", byOutlet)
	}

	var csvOut bytes.Buffer
	if err := WriteCSV(&csvOut, rows); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(csvOut.String()), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "outlet,month,items,about_drugs,stigmatising,stigmatising_share,label_share") ||
		lines[2] != "Газета,2024-03,4,3,2,0.667,0.667,0.333,0.000,0.000,0.000,0.000,1,0.333,наркоман (3); животное (1)" {
		t.Errorf("csv:\n%s", csvOut.String())
	}

	var svg bytes.Buffer
	if err := WriteSVG(&svg, "Stigma <by> outlet", rows); err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(svg.Bytes(), new(struct{})); err != nil {
		t.Errorf("SVG is not well-formed XML: %v", err)
	}
	for _, want := range []string{"Газета · 2024-03", "Stigma &lt;by&gt; outlet", "label: 66.7%", "preferred: 33.3%"} {
		if !strings.Contains(svg.String(), want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
}
