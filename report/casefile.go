package report

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/casefile/casefile"
)

// CaseOptions selects the subject of a case file.
type CaseOptions struct {
	ID    string // an act ID or a person ID
	Lang  string // en or ru
	Now   time.Time
	Vocab casefile.Vocabularies
}

// BuildCase gathers everything the store holds about one act or one victim — the person, the
// acts with their events and perpetrators, the testimonies, the sources and evidence items with
// their hashes, the legal assessments with their reason chains, interventions and the audit trail
// of every record — and lays it out for a complaint or a lawyer. The file identifies a case, so it
// is marked restricted. ENOTFOUND when the ID names neither an act nor a person; EINVALID for a bad
// language.
func BuildCase(ctx context.Context, st Store, opt CaseOptions) (*Doc, error) {
	if opt.Lang == "" {
		opt.Lang = "en"
	}
	if opt.Lang != "en" && opt.Lang != "ru" {
		return nil, casefile.Errorf(casefile.EINVALID, "", "language %q is not en or ru", opt.Lang)
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now().UTC()
	}
	var person *casefile.Person
	var acts []*casefile.Act
	act, err := st.FindActByID(ctx, opt.ID)
	switch {
	case err == nil:
		acts = []*casefile.Act{act}
		if person, err = st.FindPersonByID(ctx, act.VictimID); err != nil {
			return nil, err
		}
	case casefile.ErrorKind(err) == casefile.ENOTFOUND:
		if person, err = st.FindPersonByID(ctx, opt.ID); err != nil {
			if casefile.ErrorKind(err) == casefile.ENOTFOUND {
				return nil, casefile.Errorf(casefile.ENOTFOUND, "", "no act or person with ID %q", opt.ID)
			}
			return nil, err
		}
		pid := person.ID
		if acts, _, err = st.FindActs(ctx, casefile.ActFilter{VictimID: &pid}); err != nil {
			return nil, err
		}
		sort.Slice(acts, func(i, j int) bool { return acts[i].ID < acts[j].ID })
	default:
		return nil, err
	}

	sources, _, err := st.FindSources(ctx, casefile.SourceFilter{})
	if err != nil {
		return nil, err
	}
	srcByID := map[string]*casefile.Source{}
	for _, s := range sources {
		srcByID[s.ID] = s
	}
	r := &Report{Lang: opt.Lang, tr: translator(opt.Lang), Notes: newNotes(srcByID)}
	t := r.tr
	lab := labeller{vocab: opt.Vocab, lang: opt.Lang}
	d := &Doc{Lang: opt.Lang, tr: t, Title: t("case.title") + ": " + person.Descriptor, Restricted: t("case.restricted")}
	subject := person.ID
	if act != nil {
		subject = act.ID
	}
	d.TitleLines = []string{t("case.subject") + ": " + subject, t("date") + ": " + opt.Now.Format("2006-01-02")}

	// Every record the file shows, for the audit trail and the record hashes.
	type rec struct {
		kind, id string
		v        any
	}
	records := []rec{{"person", person.ID, person}}

	// The person and their consent.
	d.h(H1, "person", t("h.person"))
	rows := [][]string{{t("f.descriptor"), person.Descriptor}}
	addRow := func(rows [][]string, k, v string) [][]string {
		if v != "" {
			rows = append(rows, []string{k, v})
		}
		return rows
	}
	rows = addRow(rows, t("f.sex"), lab.labelOpt("sex", person.Sex))
	if person.Age != nil {
		rows = addRow(rows, t("f.age"), strconv.Itoa(*person.Age))
	}
	rows = addRow(rows, t("f.region"), person.Region)
	rows = addRow(rows, t("f.city"), person.City)
	var chars []string
	for _, c := range person.Characteristics {
		chars = append(chars, lab.label("characteristic", c))
	}
	rows = addRow(rows, t("f.characteristics"), strings.Join(chars, ", "))
	rows = addRow(rows, t("f.counting_unit"), lab.labelOpt("counting_unit", person.CountingUnit))
	if person.Deceased {
		rows = addRow(rows, t("f.deceased"), t("yes"))
	}
	consents, err := st.FindConsents(ctx)
	if err != nil {
		return nil, err
	}
	consentText := t("case.consent.none")
	for _, c := range consents {
		if c.PersonID != person.ID {
			continue
		}
		consentText = t("consent." + c.Scope)
		if c.GivenAt != "" {
			consentText += ", " + c.GivenAt
		}
		if c.HowObtained != "" {
			consentText += ", " + c.HowObtained
		}
		if c.WithdrawnAt != nil {
			consentText += "; " + t("case.consent.withdrawn") + " " + c.WithdrawnAt.Format("2006-01-02")
		}
		records = append(records, rec{"consent", c.ID, c})
		break // latest first
	}
	rows = addRow(rows, t("case.consent"), consentText)
	d.TitleLines = append(d.TitleLines, t("case.consent")+": "+consentText)
	d.add(Block{Kind: Table, Head: []string{t("col.field"), t("col.value")}, Rows: rows})

	// Acts, with their events, perpetrators, information links and interventions.
	d.h(H1, "acts", t("h.case.acts"))
	if len(acts) == 0 {
		d.p(t("case.none"))
	}
	testimonyIDs := map[string]bool{}
	var testimonies []*casefile.Testimony
	sourceIDs := map[string]bool{}
	var assessments []*casefile.Assessment
	for _, a := range acts {
		ev, err := st.FindEventByID(ctx, a.EventID)
		if err != nil {
			return nil, err
		}
		records = append(records, rec{"act", a.ID, a}, rec{"event", ev.ID, ev})
		d.h(H2, "act-"+a.ID, lab.label("act_type", a.Type)+" ("+a.ID+")")
		rows := [][]string{{t("f.event"), ev.Title}}
		date := a.Date
		if date.Start == "" && date.Precision == "" {
			date = ev.Date
		}
		rows = addRow(rows, t("f.date"), dateText(date, t))
		place := []string{}
		for _, s := range []string{firstNonEmpty(a.City, ev.City), firstNonEmpty(a.Region, ev.Region), ev.Country} {
			if s != "" {
				place = append(place, s)
			}
		}
		rows = addRow(rows, t("f.place"), strings.Join(place, ", "))
		rows = addRow(rows, t("f.setting"), lab.labelOpt("setting", firstNonEmpty(a.Setting, ev.Setting)))
		rows = addRow(rows, t("f.domain"), lab.labelOpt("domain", ev.Domain))
		rows = addRow(rows, t("f.type"), lab.label("act_type", a.Type))
		rows = addRow(rows, t("f.method"), a.Method)
		var cons []string
		for _, c := range a.Consequences {
			cons = append(cons, lab.label("consequence", c))
		}
		rows = addRow(rows, t("f.consequences"), strings.Join(cons, ", "))
		var perps []string
		for _, inv := range a.Involvements {
			perps = append(perps, lab.label("perpetrator_type", inv.PerpetratorType)+" — "+lab.label("degree", inv.Degree))
		}
		rows = addRow(rows, t("f.perpetrators"), strings.Join(perps, "; "))
		body, _ := a.Description.In(opt.Lang)
		rows = addRow(rows, t("f.description"), body)
		d.add(Block{Kind: Table, Head: []string{t("col.field"), t("col.value")}, Rows: rows})

		aid := a.ID
		infos, err := st.FindInformation(ctx, casefile.InformationFilter{ActID: &aid})
		if err != nil {
			return nil, err
		}
		evInfos, err := st.FindInformation(ctx, casefile.InformationFilter{EventID: &ev.ID})
		if err != nil {
			return nil, err
		}
		var items []Item
		for _, in := range append(infos, evInfos...) {
			if in.ActID != "" && in.ActID != a.ID {
				continue
			}
			records = append(records, rec{"information", in.ID, in})
			s := srcByID[in.SourceID]
			if s == nil {
				continue
			}
			sourceIDs[s.ID] = true
			text := s.Title
			if k := t("kind." + s.Kind); !strings.HasPrefix(s.Title, k) {
				text = k + ": " + s.Title
			}
			if in.Connection != "" {
				text += " (" + lab.label("connection", in.Connection) + ")"
			}
			items = append(items, Item{Text: text, Notes: addNote(nil, r.Notes.cite(s.ID, in.Locator))})
			if in.TestimonyID != "" && !testimonyIDs[in.TestimonyID] {
				testimonyIDs[in.TestimonyID] = true
				ts, _, err := st.FindTestimonies(ctx, casefile.TestimonyFilter{ID: &in.TestimonyID})
				if err != nil {
					return nil, err
				}
				testimonies = append(testimonies, ts...)
			}
		}
		if len(items) > 0 {
			d.h(H3, "", t("h.case.sources"))
			d.add(Block{Kind: Bullets, Items: items})
		}
		ivs, err := st.FindInterventions(ctx, a.ID, "")
		if err != nil {
			return nil, err
		}
		if len(ivs) > 0 {
			d.h(H3, "", t("h.interventions"))
			var items []Item
			for _, iv := range ivs {
				records = append(records, rec{"intervention", iv.ID, iv})
				parts := []string{lab.label("intervention_kind", iv.Kind)}
				date := ""
				if iv.Date.Start != "" {
					date = dateText(iv.Date, t)
				}
				for _, s := range []string{date, iv.By, iv.Body, iv.Outcome} {
					if s != "" {
						parts = append(parts, s)
					}
				}
				items = append(items, Item{Text: strings.Join(parts, "; ")})
			}
			d.add(Block{Kind: Bullets, Items: items})
		}
		as, _, err := st.FindAssessments(ctx, casefile.AssessmentFilter{ActID: &aid, LatestOnly: true})
		if err != nil {
			return nil, err
		}
		sort.Slice(as, func(i, j int) bool { return as[i].Framework < as[j].Framework })
		assessments = append(assessments, as...)
	}
	pid := person.ID
	own, _, err := st.FindTestimonies(ctx, casefile.TestimonyFilter{PersonID: &pid})
	if err != nil {
		return nil, err
	}
	for _, tm := range own {
		if !testimonyIDs[tm.ID] {
			testimonyIDs[tm.ID] = true
			testimonies = append(testimonies, tm)
		}
	}

	// Legal assessments.
	d.h(H1, "assessments", t("h.assessments"))
	if len(assessments) == 0 {
		d.p(t("case.none"))
	}
	for _, a := range assessments {
		records = append(records, rec{"assessment", a.ID, a})
		head := strings.ToUpper(a.Framework) + " — " + a.ActID + " (" + t("case.version") + " " + strconv.Itoa(a.Version) + ", " + t("status."+a.Status)
		if a.Reviewer != "" {
			head += ", " + t("case.reviewed_by") + " " + a.Reviewer
		}
		d.h(H2, "asm-"+a.ID, head+")")
		for _, o := range a.Outcomes {
			if o.Code == "insufficient_information" || o.Code == "no_violation" {
				d.p(o.Code + " (" + o.Limb + ")")
			} else {
				d.p(r.wording(o.Code, normLabel(o.EvidenceLabel)) + " (" + o.Limb + ")")
			}
			c := r.chain(o, a)
			text := strings.Join(c.Steps, " → ")
			if c.Rule != "" {
				text = t("rule") + " " + c.Rule + ": " + text
			}
			if len(c.Reasons) > 0 {
				text += " (" + t("contested") + ": " + strings.Join(c.Reasons, "; ") + ")"
			}
			d.add(Block{Kind: Bullets, Items: []Item{{Text: text, Notes: c.Notes}}})
		}
		if len(a.Missing) > 0 {
			d.p(t("case.missing") + ": " + strings.Join(a.Missing, ", ") + ".")
		}
	}

	// Testimonies, whole, with their passages.
	d.h(H1, "testimonies", t("h.testimonies"))
	if len(testimonies) == 0 {
		d.p(t("case.none"))
	}
	var evidence []*casefile.EvidenceItem
	for _, tm := range testimonies {
		records = append(records, rec{"testimony", tm.ID, tm})
		head := tm.ID
		if tm.Date.Start != "" {
			head += ", " + dateText(tm.Date, t)
		}
		if tm.Place != "" {
			head += ", " + tm.Place
		}
		d.h(H2, "tes-"+tm.ID, head)
		rows := [][]string{}
		rows = addRow(rows, t("f.interviewer"), tm.Interviewer)
		rows = addRow(rows, t("f.language"), tm.Language)
		if len(rows) > 0 {
			d.add(Block{Kind: Table, Head: []string{t("col.field"), t("col.value")}, Rows: rows})
		}
		note := 0
		if tm.SourceID != "" {
			sourceIDs[tm.SourceID] = true
			note = r.Notes.cite(tm.SourceID, "")
		}
		d.add(Block{Kind: Quote, Text: tm.Narrative.Body, Notes: addNote(nil, note)})
		tid := tm.ID
		ev, _, err := st.FindEvidence(ctx, casefile.EvidenceFilter{TestimonyID: &tid})
		if err != nil {
			return nil, err
		}
		evidence = append(evidence, ev...)
	}
	for _, id := range sortedKeys(sourceIDs) {
		records = append(records, rec{"source", id, srcByID[id]})
		sid := id
		ev, _, err := st.FindEvidence(ctx, casefile.EvidenceFilter{SourceID: &sid})
		if err != nil {
			return nil, err
		}
		evidence = append(evidence, ev...)
	}

	// Evidence items with the hashes taken at intake.
	d.h(H1, "evidence", t("h.evidence"))
	if len(evidence) == 0 {
		d.p(t("case.none"))
	} else {
		b := Block{Kind: Table, Head: []string{t("col.file"), t("col.sha256"), t("col.size"), t("col.added")}}
		for _, e := range evidence {
			records = append(records, rec{"evidence", e.ID, e})
			b.Rows = append(b.Rows, []string{e.FileName + " (" + e.ID + ")", e.SHA256, strconv.FormatInt(e.Size, 10), e.AddedAt.UTC().Format(time.RFC3339) + " " + e.AddedBy})
		}
		d.add(b)
	}

	// The audit trail of every record shown, and the hash of each record as it stands.
	d.h(H1, "audit", t("h.audit"))
	hashes := Block{Kind: Table, Head: []string{t("col.object"), t("col.sha256")}}
	var entries []*casefile.AuditEntry
	ar, hasAudit := st.(AuditReader)
	importNote := false
	for _, rc := range records {
		hashes.Rows = append(hashes.Rows, []string{rc.kind + " " + rc.id, casefile.HashObject(rc.v)})
		if !hasAudit {
			continue
		}
		k, id := rc.kind, rc.id
		es, _, err := ar.FindAuditEntries(ctx, casefile.AuditFilter{ObjectKind: &k, ObjectID: &id})
		if err != nil {
			return nil, err
		}
		entries = append(entries, es...)
	}
	if hasAudit {
		// Earlier case files of this subject: each disclosure is itself on the record.
		for _, id := range []string{person.ID, subject} {
			k, id := "case_file", id
			es, _, err := ar.FindAuditEntries(ctx, casefile.AuditFilter{ObjectKind: &k, ObjectID: &id})
			if err != nil {
				return nil, err
			}
			entries = append(entries, es...)
			if subject == person.ID {
				break
			}
		}
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Seq < entries[j].Seq })
	if hasAudit {
		// Records that came in by a bundle import have no entries of their own: the import has.
		k, act := "bundle", "import"
		imports, _, err := ar.FindAuditEntries(ctx, casefile.AuditFilter{ObjectKind: &k})
		if err != nil {
			return nil, err
		}
		n := 0
		for _, e := range imports {
			if e.Action == act {
				entries = append(entries, e)
				n++
			}
		}
		importNote = n > 0
	}
	if len(entries) == 0 {
		d.p(t("case.audit.none"))
	} else {
		b := Block{Kind: Table, Head: []string{"#", t("col.when"), t("col.actor"), t("col.action"), t("col.object"), t("col.hash")}}
		for _, e := range entries {
			b.Rows = append(b.Rows, []string{strconv.FormatInt(e.Seq, 10), e.At.UTC().Format(time.RFC3339), e.Actor, e.Action, e.ObjectKind + " " + e.ObjectID, e.Hash})
		}
		d.add(b)
		if importNote {
			d.p(t("case.audit.import"))
		}
	}
	d.h(H2, "record-hashes", t("h.record_hashes"))
	d.p(t("record_hashes.intro"))
	d.add(hashes)
	d.Notes = r.Notes.List
	return d, nil
}

// dateText writes a partial date in the document's language.
func dateText(d casefile.PartialDate, t func(string) string) string {
	switch {
	case d.Start == "":
		return t("unknown")
	case d.Precision == casefile.PrecisionEstimate:
		return t("date.circa") + " " + d.Start
	case d.Precision == casefile.PrecisionRange:
		return d.Start + "–" + d.End
	}
	return d.Start
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// labelOpt is label for an optional field: "" stays "".
func (l labeller) labelOpt(vocab, code string) string {
	if code == "" {
		return ""
	}
	return l.label(vocab, code)
}
