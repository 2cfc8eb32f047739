package stats

import (
	"sort"
	"strconv"

	"github.com/casefile/casefile"
)

// Documented is what store-backed linkage and estimation read: the people, the acts against
// them with their events, and which sources say what (information links).
type Documented struct {
	Persons []*casefile.Person
	Acts    []*casefile.Act
	Events  []*casefile.Event
	Info    []*casefile.Information
	Sources []*casefile.Source
}

// Extra fields of person records built from the store, in LinkRecord.extra order.
var personExtra = []ExtraField{
	{Name: "event_date", Kind: KindCode},
	{Name: "act_type", Kind: KindCode},
}

// PersonRecords turns the store's victims into linkage records: sex, birth year (recorded, or
// the year of the first act minus the age then), place (the city, else the region: one field,
// since the two are dependent and would count the same evidence twice), and the date and type
// of the first act against them. Names are not used: they live in the identity vault. The second value
// is the extra-field list to pass in LinkConfig.Extra.
func PersonRecords(d Documented) ([]*LinkRecord, []ExtraField) {
	events := map[string]*casefile.Event{}
	for _, e := range d.Events {
		events[e.ID] = e
	}
	first := map[string]*casefile.Act{}
	for _, a := range d.Acts {
		if a.VictimID == "" {
			continue
		}
		if cur, ok := first[a.VictimID]; !ok || actDate(a, events) < actDate(cur, events) {
			first[a.VictimID] = a
		}
	}
	var out []*LinkRecord
	for _, p := range d.Persons {
		r := &LinkRecord{ID: p.ID, sex: normalizeSex(p.Sex), city: NormalizeName(p.City)}
		r.extra = []string{"", ""}
		if a, ok := first[p.ID]; ok {
			date := actDate(a, events)
			r.extra[0] = normalizeCode(date)
			r.extra[1] = normalizeCode(a.Type)
			if r.city == "" {
				r.city = NormalizeName(a.City)
			}
			if p.BirthYear == nil && p.Age != nil {
				if y, _, _, ok := ParseDate(date); ok && y != 0 {
					r.year = y - *p.Age
				}
			}
		}
		if p.BirthYear != nil {
			r.year = *p.BirthYear
		}
		if r.city == "" {
			r.city = NormalizeName(p.Region)
		}
		out = append(out, r)
	}
	return out, append([]ExtraField(nil), personExtra...)
}

func actDate(a *casefile.Act, events map[string]*casefile.Event) string {
	if a.Date.Start != "" {
		return a.Date.Start
	}
	if e, ok := events[a.EventID]; ok {
		return e.Date.Start
	}
	return ""
}

// Strata for store-backed overlap tables.
const (
	ByNone   = ""
	ByRegion = "region"
	ByYear   = "year"
	ByDomain = "domain"
)

// OverlapTables builds list-overlap tables from the store: one list per source (or per source
// kind when there are more than MaxLists sources, or when byKind is true), one row per victim
// entity, on a list when the source documents any act against the entity (directly, or through
// the act's event). entity maps a person ID to its entity after linkage; people missing from it
// count as entities of their own. With by set, it returns the collapsed table first and then one
// table per stratum (the region, year or domain of the entity's first act). It returns EINVALID
// when fewer than two lists document anyone.
func OverlapTables(d Documented, entity map[string]int, by string, byKind bool) ([]*Table, error) {
	const op = "stats.OverlapTables"
	events := map[string]*casefile.Event{}
	for _, e := range d.Events {
		events[e.ID] = e
	}
	kindOf := map[string]string{}
	for _, s := range d.Sources {
		kindOf[s.ID] = s.Kind
	}
	actsByEvent := map[string][]*casefile.Act{}
	actByID := map[string]*casefile.Act{}
	for _, a := range d.Acts {
		actsByEvent[a.EventID] = append(actsByEvent[a.EventID], a)
		actByID[a.ID] = a
	}
	entOf := func(pid string) string {
		if e, ok := entity[pid]; ok {
			return "e" + strconv.Itoa(e)
		}
		return "p" + pid
	}
	// entity → lists, and entity → stratum
	lists := map[string]map[string]bool{}
	stratum := map[string]string{}
	listKey := func(sourceID string) string {
		if byKind {
			if k := kindOf[sourceID]; k != "" {
				return k
			}
			return "unknown"
		}
		return sourceID
	}
	mark := func(a *casefile.Act, sourceID string) {
		if a.VictimID == "" {
			return
		}
		e := entOf(a.VictimID)
		if lists[e] == nil {
			lists[e] = map[string]bool{}
		}
		lists[e][listKey(sourceID)] = true
		if _, ok := stratum[e]; !ok {
			stratum[e] = stratumOf(a, events[a.EventID], by)
		}
	}
	for _, in := range d.Info {
		if in.ActID != "" {
			if a, ok := actByID[in.ActID]; ok {
				mark(a, in.SourceID)
			}
			continue
		}
		for _, a := range actsByEvent[in.EventID] {
			mark(a, in.SourceID)
		}
	}
	names := map[string]bool{}
	for _, ls := range lists {
		for l := range ls {
			names[l] = true
		}
	}
	if !byKind && len(names) > MaxLists {
		return OverlapTables(d, entity, by, true)
	}
	var order []string
	for l := range names {
		order = append(order, l)
	}
	sort.Strings(order)
	if len(order) < 2 {
		return nil, casefile.Errorf(casefile.EINVALID, op, "the store has %d source(s) documenting victims; estimation needs at least 2 lists", len(order))
	}
	idx := map[string]int{}
	for i, l := range order {
		idx[l] = i
	}
	total, err := NewTable(order...)
	if err != nil {
		return nil, err
	}
	per := map[string]*Table{}
	var keys []string
	for e, ls := range lists {
		var p uint32
		for l := range ls {
			p |= 1 << idx[l]
		}
		total.Add(p, 1)
		if by != ByNone {
			k := by + "=" + stratum[e]
			t, ok := per[k]
			if !ok {
				t, _ = NewTable(order...)
				t.Stratum = k
				per[k] = t
				keys = append(keys, k)
			}
			t.Add(p, 1)
		}
	}
	sort.Strings(keys)
	out := []*Table{total}
	for _, k := range keys {
		out = append(out, per[k])
	}
	return out, nil
}

func stratumOf(a *casefile.Act, e *casefile.Event, by string) string {
	switch by {
	case ByRegion:
		if a.Region != "" {
			return a.Region
		}
		if e != nil && e.Region != "" {
			return e.Region
		}
	case ByYear:
		y := a.Date.Year()
		if y == 0 && e != nil {
			y = e.Date.Year()
		}
		if y != 0 {
			return strconv.Itoa(y)
		}
	case ByDomain:
		if e != nil && e.Domain != "" {
			return e.Domain
		}
	}
	return "unknown"
}
