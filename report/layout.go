package report

import (
	"fmt"
	"strconv"
	"strings"
)

// Doc lays the report out as a document for the renderers.
func (r *Report) Doc() *Doc {
	t := r.tr
	d := &Doc{Lang: r.Lang, tr: t}
	d.Title = t("title." + r.Treaty)
	d.TitleLines = append(d.TitleLines, stateName(r.State, r.Lang))
	d.TitleLines = append(d.TitleLines, t("subtitle."+r.Treaty))
	if r.Organisation != "" {
		d.TitleLines = append(d.TitleLines, t("submitted_by")+": "+r.Organisation)
	}
	d.TitleLines = append(d.TitleLines, t("period")+": "+r.period(), t("date")+": "+r.Date.Format("2006-01-02"), t("prepared_with"))

	withFindings := 0
	for _, s := range r.Sections {
		if s.Subjects > 0 {
			withFindings++
		}
	}

	// Introduction and summary.
	d.h(H1, "summary", t("h.summary"))
	d.p(t("intro." + r.Treaty))
	if r.Situations > 0 {
		d.p(fmt.Sprintf(t("summary.counts"), r.num(r.Acts), r.num(r.Victims), r.num(r.Situations), r.period()))
	} else {
		d.p(fmt.Sprintf(t("summary.counts.acts"), r.num(r.Acts), r.num(r.Victims), r.period()))
	}
	var items []Item
	var bars []Count
	for _, s := range r.Sections {
		head := r.articleName(s)
		bars = append(bars, Count{Label: t("art.short." + s.Key), N: s.Subjects})
		if s.Subjects == 0 {
			items = append(items, Item{Text: head + ": " + t("summary.none")})
			continue
		}
		items = append(items, Item{Text: head + ": " + r.labelSummary(s)})
	}
	d.add(Block{Kind: Bullets, Items: items})
	d.add(Block{Kind: BarChart, Text: t("chart.by_article"), Chart: bars})
	d.p(t("policy.alleged"))

	// Recommendations, for the articles the documentation engages and then the general ones.
	d.h(H1, "recommendations", t("h.recommendations"))
	items = nil
	for _, s := range r.Sections {
		if s.Subjects > 0 {
			items = append(items, Item{Text: t("rec." + s.Key)})
		}
	}
	items = append(items, Item{Text: t("rec.general." + r.Treaty)})
	d.add(Block{Kind: Bullets, Items: items})

	// Key figures.
	d.h(H1, "figures", t("h.figures"))
	if len(r.Indicators) == 0 {
		d.p(t("figures.none"))
	} else {
		d.p(t("figures.intro"))
		d.add(r.figureTable(r.Indicators))
	}

	d.h(H1, "domains", t("h.domains"))
	d.p(t("domains.intro." + r.Treaty))
	if len(r.Domains) == 0 {
		d.p(t("domains.none"))
	}
	for _, dm := range r.Domains {
		d.h(H2, "domain-"+dm.Code, dm.Label)
		d.p(fmt.Sprintf(t("domain.acts"), r.num(dm.Acts)))
		if len(dm.Findings) == 0 {
			d.p(t("domain.nofindings." + r.Treaty))
		} else {
			var items []Item
			for _, f := range dm.Findings {
				items = append(items, Item{Text: fmt.Sprintf(r.plural("finding.n", f.N), r.num(f.N), f.Label)})
			}
			d.add(Block{Kind: Bullets, Items: items})
		}
		for _, q := range dm.Quotations {
			d.add(Block{Kind: Quote, Text: q.Text + " — " + q.Outlet, Notes: q.Notes})
		}
	}

	for _, s := range r.Sections {
		r.layoutSection(d, s)
	}

	d.h(H1, "conclusions", t("h.conclusions"))
	if withFindings == 0 {
		d.p(t("conclusions.none"))
	}
	for _, s := range r.Sections {
		if s.Subjects == 0 {
			continue
		}
		key := "concl." + s.Key
		d.add(Block{Kind: Para, Strong: r.articleName(s) + ".", Text: fmt.Sprintf(t("concl.lead"), r.labelSummary(s)) + " " + t(key)})
	}

	d.h(H1, "annex", t("h.annex"))
	d.h(H2, "methods", t("h.methods"))
	d.p(t("methods.1"))
	d.p(t("methods.2"))
	d.p(fmt.Sprintf(t("methods.consent"), r.num(r.Withheld)))
	st := []string{}
	for _, c := range r.Statuses {
		st = append(st, c.Label+": "+r.num(c.N))
	}
	if len(st) > 0 {
		d.p(t("methods.status") + " " + strings.Join(st, "; ") + ".")
	}
	if r.Unreviewed > 0 {
		d.p(fmt.Sprintf(t("methods.unreviewed"), r.num(r.Unreviewed)))
	}
	if r.Undated > 0 {
		d.p(fmt.Sprintf(t("methods.undated"), r.num(r.Undated)))
	}
	if r.Undetermined > 0 {
		d.p(fmt.Sprintf(t("methods.undetermined"), r.num(r.Undetermined)))
	}
	d.h(H2, "sources", t("h.sources"))
	if len(r.Notes.List) == 0 {
		d.p(t("sources.none"))
	} else {
		rows := [][]string{}
		seen := map[string]bool{}
		for _, n := range r.Notes.List {
			if seen[n.SourceID] {
				continue
			}
			seen[n.SourceID] = true
			s := r.Notes.sources[n.SourceID]
			rows = append(rows, []string{strconv.Itoa(n.N), t("kind." + s.Kind), citation(s)})
		}
		d.add(Block{Kind: Table, Head: []string{t("col.first_note"), t("col.kind"), t("col.source")}, Rows: rows})
	}
	d.Notes = r.Notes.List
	return d
}

func (r *Report) layoutSection(d *Doc, s *Section) {
	t := r.tr
	d.h(H1, s.Key, r.articleName(s))
	d.p(t("scope." + s.Key))
	if s.Subjects == 0 {
		d.p(fmt.Sprintf(t("section.empty"), r.articleWord(s)))
		return
	}
	d.h(H2, s.Key+"-acts", t("h.acts"))
	d.p(fmt.Sprintf(t("section.counts"), r.num(s.Subjects), r.num(s.Alleged), r.num(s.Corrob), r.num(s.Establ), r.num(s.Contested)))
	d.add(countTable(t("col.domain"), t("col.n"), s.ByDomain, r))
	d.add(countTable(t("col.setting"), t("col.n"), s.BySetting, r))
	if len(s.ByPerp) > 0 {
		d.add(countTable(t("col.perpetrator"), t("col.n"), s.ByPerp, r))
	}
	d.add(countTable(t("col.year"), t("col.n"), s.ByYear, r))
	d.add(Block{Kind: BarChart, Text: t("chart.by_year"), Chart: s.ByYear})

	d.h(H2, s.Key+"-analysis", t("h.analysis"))
	lastDomain := ""
	for _, f := range s.Findings {
		if f.Domain != lastDomain {
			d.h(H3, "", f.Domain)
			lastDomain = f.Domain
		}
		txt := fmt.Sprintf(r.plural("finding.n", f.N), r.num(f.N), f.Wording)
		if f.Contested > 0 {
			txt += " " + fmt.Sprintf(t("finding.contested"), r.num(f.Contested))
		}
		d.p(txt)
		var items []Item
		for _, c := range f.Chains {
			text := strings.Join(c.Steps, " → ")
			if c.Rule != "" {
				text = t("rule") + " " + c.Rule + ": " + text
			}
			if len(c.Reasons) > 0 {
				text += " (" + t("contested") + ": " + strings.Join(c.Reasons, "; ") + ")"
			}
			items = append(items, Item{Text: text, Notes: c.Notes})
		}
		if len(items) > 0 {
			d.add(Block{Kind: Bullets, Items: items})
		}
	}

	d.h(H2, s.Key+"-cases", t("h.cases"))
	if len(s.Vignettes) == 0 {
		d.p(t("cases.none"))
	}
	for _, v := range s.Vignettes {
		lead := v.Descriptor
		if v.Context != "" {
			lead += " (" + v.Context + ")"
		}
		d.add(Block{Kind: Para, Strong: lead + ".", Text: t("case.assessed") + " " + v.Wording + "."})
		for i, q := range v.Quotes {
			b := Block{Kind: Quote, Text: q}
			if i == len(v.Quotes)-1 {
				b.Notes = v.Notes
			}
			d.add(b)
		}
	}
	if len(s.Indicators) > 0 {
		d.h(H2, s.Key+"-figures", t("h.section_figures"))
		d.add(r.figureTable(s.Indicators))
	}
	if len(s.Quotations) > 0 {
		d.h(H2, s.Key+"-media", t("h.quotations"))
		for _, q := range s.Quotations {
			d.add(Block{Kind: Quote, Text: q.Text + " — " + q.Outlet, Notes: q.Notes})
		}
	}
}

func countTable(col, ncol string, rows []Count, r *Report) Block {
	b := Block{Kind: Table, Head: []string{col, ncol}}
	for _, c := range rows {
		b.Rows = append(b.Rows, []string{c.Label, r.num(c.N)})
	}
	return b
}

func (r *Report) figureTable(fs []Figure) Block {
	t := r.tr
	b := Block{Kind: Table, Head: []string{t("col.indicator"), t("col.value"), t("col.year"), t("col.geo"), t("col.note")}}
	for _, f := range fs {
		note := f.Note
		if f.Formula != "" {
			if note != "" {
				note += " "
			}
			note += t("derived") + ": " + f.Formula
		}
		b.Rows = append(b.Rows, []string{f.Name, f.Value, f.Year, f.Geo, note})
		b.RowNotes = append(b.RowNotes, f.Notes)
	}
	return b
}

// labelSummary counts a section's acts apart by evidence label, as the reporting policy asks.
func (r *Report) labelSummary(s *Section) string {
	code := map[string]string{"art1": "torture", "art16": "cidt", "art2": "cat2_failure", "art10": "cat_procedural", "art12_15": "cat_procedural", "art12": "icescr12_any", "art2_2": "icescr2_2_discrimination"}[s.Key]
	parts := []string{}
	for _, lc := range []struct {
		l string
		n int
	}{{"alleged", s.Alleged}, {"corroborated", s.Corrob}, {"established", s.Establ}} {
		if lc.n > 0 {
			parts = append(parts, fmt.Sprintf(r.plural("count.acts", lc.n), r.num(lc.n), r.wording(code, lc.l)))
		}
	}
	return strings.Join(parts, "; ")
}

func (r *Report) articleName(s *Section) string {
	return r.articleWord(s) + " — " + r.tr("art.title."+s.Key)
}

func (r *Report) articleWord(s *Section) string {
	w := "art.word"
	if strings.ContainsAny(s.Articles, "–-") {
		w = "art.words"
	}
	return r.tr(w) + " " + s.Articles
}

func (r *Report) period() string {
	switch {
	case r.From != 0 && r.To != 0:
		return strconv.Itoa(r.From) + "–" + strconv.Itoa(r.To)
	case r.From != 0:
		return r.tr("from") + " " + strconv.Itoa(r.From)
	case r.To != 0:
		return r.tr("until") + " " + strconv.Itoa(r.To)
	}
	return r.tr("all_years")
}

// plural picks the key's singular form for one where the language has one ("1 act").
func (r *Report) plural(key string, n int) string {
	if n == 1 {
		if s := r.tr(key + ".one"); s != key+".one" && r.Lang == "en" {
			return s
		}
	}
	return r.tr(key)
}

func (r *Report) num(n int) string { return formatNumber(float64(n), r.Lang) }

func stateName(code, lang string) string {
	names := map[string][2]string{"RU": {"Russian Federation", "Российская Федерация"}, "UA": {"Ukraine", "Украина"}, "KZ": {"Kazakhstan", "Казахстан"}, "BY": {"Belarus", "Беларусь"}, "GE": {"Georgia", "Грузия"}}
	if n, ok := names[code]; ok {
		if lang == "ru" {
			return n[1]
		}
		return n[0]
	}
	return code
}
