package http

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/casefile/casefile"
)

// Search is a POST form: what a person types may be narrative, and it must not end up in URLs,
// browser history, proxy logs or the Referer header.

type facetValue struct {
	Code, Label string
	N           int
	Active      bool
}

type facet struct {
	Name, Title string
	Values      []facetValue
}

type searchView struct {
	Page
	Query   string
	Filters map[string]string
	Result  *casefile.SearchResult
	Hits    []casefile.SearchHit
	Facets  []facet
	Pager   pager
	Hidden  int
}

var facetVocab = map[string]string{"kind": "", "domain": "domain", "setting": "setting", "act_type": "act_type", "perpetrator_type": "perpetrator_type", "region": "", "year": ""}
var facetOrder = []string{"kind", "domain", "setting", "act_type", "perpetrator_type", "region", "year"}

func (s *Server) handleSearchForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "search", searchView{Page: s.page(r, "Search", "search")})
}

// searchQuery reads a query and its facet filters from a form or a JSON body's fields.
func searchQuery(get func(string) string) (casefile.SearchQuery, map[string]string) {
	q := casefile.SearchQuery{Text: strings.TrimSpace(get("q")), Facets: true}
	filters := map[string]string{}
	for _, name := range facetOrder {
		v := get(name)
		if set := get("set_" + name); set != "" {
			v = set
		}
		if get("clear_"+name) != "" || v == "" || len(v) > 100 {
			continue
		}
		filters[name] = v
		val := v
		switch name {
		case "kind":
			q.Kinds = []string{val}
		case "domain":
			q.Domain = &val
		case "setting":
			q.Setting = &val
		case "act_type":
			q.ActType = &val
		case "perpetrator_type":
			q.PerpetratorType = &val
		case "region":
			q.Region = &val
		case "year":
			if y, err := strconv.Atoi(val); err == nil {
				q.Year = &y
			}
		}
	}
	return q, filters
}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	q, filters := searchQuery(r.PostFormValue)
	pg := pager{Page: max(atoiDefault(r.PostFormValue("page"), 1), 1), Limit: 20}
	pg.Offset = (pg.Page - 1) * pg.Limit
	q.Offset, q.Limit = pg.Offset, pg.Limit
	v := searchView{Page: s.page(r, "Search", "search"), Query: q.Text, Filters: filters}
	res, err := s.cfg.Store.Search(r.Context(), q)
	if err != nil {
		if casefile.ErrorKind(err) == casefile.EINVALID {
			v.Error = casefile.ErrorMessage(err)
			s.render(w, r, http.StatusBadRequest, "search", v)
			return
		}
		s.fail(w, r, err)
		return
	}
	pg.setTotal(res.Total)
	v.Result, v.Pager = res, pg
	v.Hits, v.Hidden = s.visibleHits(r, res.Hits)
	for _, name := range facetOrder {
		counts := res.Facets[name]
		if len(counts) == 0 {
			continue
		}
		f := facet{Name: name, Title: v.T("facet:" + name)}
		for code, n := range counts {
			label := code
			if voc := facetVocab[name]; voc != "" {
				label = v.L(voc, code)
			} else if name == "kind" {
				label = v.T("kind:" + code)
			}
			f.Values = append(f.Values, facetValue{Code: code, Label: label, N: n, Active: filters[name] == code})
		}
		sort.Slice(f.Values, func(i, j int) bool {
			if f.Values[i].N != f.Values[j].N {
				return f.Values[i].N > f.Values[j].N
			}
			return f.Values[i].Code < f.Values[j].Code
		})
		if len(f.Values) > 12 {
			f.Values = f.Values[:12]
		}
		v.Facets = append(v.Facets, f)
	}
	s.render(w, r, http.StatusOK, "search", v)
}

// visibleHits drops the hits on confidential records the caller may not see. The index holds no
// confidentiality, so each hit's record is read; a page has at most a few dozen.
func (s *Server) visibleHits(r *http.Request, hits []casefile.SearchHit) ([]casefile.SearchHit, int) {
	ctx := r.Context()
	var out []casefile.SearchHit
	n := 0
	for _, h := range hits {
		ok := true
		switch h.Kind {
		case "act":
			a, err := s.cfg.Store.FindActByID(ctx, h.ID)
			ok = err == nil && visible(r, a.Confidential, a.CreatedBy)
		case "event":
			e, err := s.cfg.Store.FindEventByID(ctx, h.ID)
			ok = err == nil && visible(r, e.Confidential, e.CreatedBy)
		case "testimony":
			t, err := s.cfg.Store.FindTestimonyByID(ctx, h.ID)
			ok = err == nil && visible(r, t.Confidential, t.CreatedBy)
		}
		if ok {
			out = append(out, h)
		} else {
			n++
		}
	}
	return out, n
}

// HitURL returns the page of a search hit.
func (searchView) HitURL(h casefile.SearchHit) string {
	switch h.Kind {
	case "act":
		return "/acts/" + h.ID
	case "event":
		return "/events/" + h.ID
	case "testimony":
		return "/testimonies/" + h.ID
	case "source":
		return "/sources/" + h.ID
	}
	return "/"
}
