package stats

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/casefile/casefile"
)

// Field kinds a linkage configuration can name.
const (
	KindFirstName  = "first_name"
	KindSurname    = "surname"
	KindPatronymic = "patronymic"
	KindFullName   = "full_name" // all name parts in one field, in any order
	KindBirthDate  = "birth_date"
	KindBirthYear  = "birth_year"
	KindBirthMonth = "birth_month"
	KindBirthDay   = "birth_day"
	KindCity       = "city"
	KindSex        = "sex"
	KindText       = "text"   // any other string: exact / Jaro–Winkler levels
	KindCode       = "code"   // identifiers, postcodes, numbers: exact / one edit
	KindNumber     = "number" // quantities such as an age: exact / within 1 / within 2
)

// LinkRecord is one record to link: which source it comes from, its identifier in that source,
// and its standardised fields.
type LinkRecord struct {
	Source int
	ID     string
	Truth  string // ground-truth entity, for evaluation only

	first, sur, pat, full string // normalised names
	year, month, day      int    // 0 when unknown
	city, sex             string
	extra                 []string // text and code fields, in LinkConfig.Extra order
}

// LinkConfig says which fields the records have and how to decide.
type LinkConfig struct {
	// Extra lists the kinds (KindText, KindCode or KindNumber) of the extra fields, with their
	// names.
	Extra     []ExtraField `json:"extra,omitempty"`
	Threshold float64      `json:"threshold,omitempty"` // match probability to link (0.5)
	// ReviewLow and ReviewHigh bound the clerical-review band of match probabilities (0.2, 0.8).
	ReviewLow  float64 `json:"review_low,omitempty"`
	ReviewHigh float64 `json:"review_high,omitempty"`
	// OneToOne keeps, in linkage across two sources, at most one link per record (the
	// strongest); on by default for two sources.
	OneToOne *bool `json:"one_to_one,omitempty"`
	// MaxPairsPerRecord bounds how many candidate pairs a blocking rule may generate, per record
	// (rules over the budget are skipped); 0 means 200 for small files, down to 30 for large.
	MaxPairsPerRecord int    `json:"max_pairs_per_record,omitempty"`
	Seed              uint64 `json:"seed,omitempty"`
	// Rules are extra blocking rules, each a list of field names to agree on exactly.
	Rules [][]string `json:"blocking_rules,omitempty"`
	// Progress, when set, is told what stage the linkage is at (for a terminal).
	Progress func(stage string) `json:"-"`
}

// ExtraField is a field beyond names, dates, city and sex.
type ExtraField struct {
	Name string `json:"name"`
	Kind string `json:"kind"` // KindText, KindCode or KindNumber
}

// comparison is one field's comparison of a pair into levels.
type comparison struct {
	name   string
	levels []string // level labels, highest agreement last
	tf     func(a *LinkRecord) string
	// compare returns the level, or -1 when either side is missing.
	compare func(a, b *LinkRecord) int
	uses    []string // record attributes it reads, for excluding it under a blocking rule
}

// BlockRule is one blocking rule: records whose keys agree become candidate pairs.
type BlockRule struct {
	Name  string   `json:"rule"`
	Uses  []string `json:"fields"`
	Pairs int      `json:"pairs"`   // candidate pairs this rule added (not already from earlier rules)
	Used  bool     `json:"used"`    // false when over the pair budget
	Total int      `json:"in_rule"` // pairs inside the rule's blocks
	key   func(r *LinkRecord) (string, bool)
}

// LevelParam is one comparison level's m and u probabilities and its match weight.
type LevelParam struct {
	Level  string  `json:"level"`
	M      float64 `json:"m"`
	U      float64 `json:"u"`
	Weight float64 `json:"weight"` // log2(m/u)
}

// FieldParams are one comparison's trained levels.
type FieldParams struct {
	Field  string       `json:"field"`
	Levels []LevelParam `json:"levels"`
	TF     bool         `json:"term_frequency_adjusted"`
}

// Pair is one linked (or review-band) pair with the explanation of its weight.
type Pair struct {
	A, B        string   `json:"-"`
	SourceA     int      `json:"source_a"`
	SourceB     int      `json:"source_b"`
	IDA         string   `json:"id_a"`
	IDB         string   `json:"id_b"`
	Probability float64  `json:"probability"`
	Weight      float64  `json:"weight"`
	Review      bool     `json:"review"` // in the clerical-review band
	Linked      bool     `json:"linked"`
	Explain     []Reason `json:"explanation,omitempty"`
	i, j        int32
}

// Reason is one term of a link's match weight.
type Reason struct {
	Field  string  `json:"field"`
	Level  string  `json:"level"`
	Weight float64 `json:"weight"`
}

// Evaluation compares the linkage with ground truth, pair by pair.
type Evaluation struct {
	TruePairs        int     `json:"true_pairs"`
	PredictedPairs   int     `json:"predicted_pairs"`
	TruePositives    int     `json:"true_positives"`
	Precision        float64 `json:"precision"`
	Recall           float64 `json:"recall"`
	F1               float64 `json:"f1"`
	PairCompleteness float64 `json:"pair_completeness"` // share of true pairs among the candidates
	TrueEntities     int     `json:"true_entities"`
}

// LinkResult is the outcome of linking: parameters, links, entities and, with ground truth, the
// accuracy.
type LinkResult struct {
	Records    int           `json:"records"`
	Sources    int           `json:"sources"`
	Candidates int           `json:"candidate_pairs"`
	Rules      []BlockRule   `json:"blocking_rules"`
	Lambda     float64       `json:"prior_match_probability"`
	Params     []FieldParams `json:"fields"`
	Links      []Pair        `json:"links"`
	Entities   int           `json:"entities"`
	Entity     []int         `json:"-"` // entity number of each record
	Evaluation *Evaluation   `json:"evaluation,omitempty"`
}

type pairRec struct {
	i, j int32
	pat  uint64
}

const levelBits = 4

func patLevel(p uint64, f int) int { return int(p>>(levelBits*f)&0xF) - 1 }

// Link links records (deduplication within one source, linkage across sources when records
// come from several): standardised comparisons, OR-ed blocking rules, Fellegi–Sunter weights
// trained without labels as Splink does (u from random pairs; m by EM under each blocking rule
// with that rule's fields left out; the prior from the candidate pairs), term-frequency
// adjustment of exact name matches, a clerical-review band, and clustering into entities. It
// returns EINVALID when there is nothing to compare.
func Link(ctx context.Context, recs []*LinkRecord, cfg LinkConfig) (*LinkResult, error) {
	const op = "stats.Link"
	if len(recs) < 2 {
		return nil, casefile.Errorf(casefile.EINVALID, op, "need at least 2 records to link")
	}
	if cfg.Threshold <= 0 || cfg.Threshold >= 1 {
		cfg.Threshold = 0.5
	}
	if cfg.ReviewLow <= 0 {
		cfg.ReviewLow = 0.2
	}
	if cfg.ReviewHigh <= 0 {
		cfg.ReviewHigh = 0.8
	}
	budget := cfg.MaxPairsPerRecord * len(recs)
	if cfg.MaxPairsPerRecord <= 0 {
		// Small files can afford broad rules (a birth year); large ones keep to tight ones.
		budget = min(200*len(recs), max(2_000_000, 30*len(recs)))
	}
	sources := 0
	for _, r := range recs {
		sources = max(sources, r.Source+1)
	}
	cross := sources > 1
	oneToOne := sources == 2
	if cfg.OneToOne != nil {
		oneToOne = *cfg.OneToOne && sources == 2
	}
	comps := buildComparisons(recs, cfg)
	if len(comps) == 0 {
		return nil, casefile.Errorf(casefile.EINVALID, op, "no fields to compare: name at least one name, date or other field")
	}
	if len(comps) > 15 {
		comps = comps[:15]
	}
	rules := buildRules(recs, cfg)
	res := &LinkResult{Records: len(recs), Sources: sources}

	// Candidate pairs, rule by rule; a pair goes to the first rule that produces it.
	keys := make([][]uint64, len(rules))
	var pairs []pairRec
	var usedRules []int
	for ri := range rules {
		rl := &rules[ri]
		ks := make([]uint64, len(recs))
		for i, r := range recs {
			if k, ok := rl.key(r); ok {
				ks[i] = keyHash(k) | 1
			}
		}
		keys[ri] = ks
		blocks := blocksOf(ks)
		total := 0
		for _, b := range blocks {
			if cross {
				total += crossPairs(recs, b)
			} else {
				total += len(b) * (len(b) - 1) / 2
			}
		}
		rl.Total = total
		if total > budget && len(usedRules) > 0 {
			continue
		}
		rl.Used = true
		usedRules = append(usedRules, ri)
		before := len(pairs)
		pairs = appendPairs(ctx, pairs, recs, blocks, keys, usedRules[:len(usedRules)-1], cross, comps)
		rl.Pairs = len(pairs) - before
		if cfg.Progress != nil {
			cfg.Progress(fmt.Sprintf("blocking: %s: %d new pairs (%d in all)", rl.Name, rl.Pairs, len(pairs)))
		}
		if ctx.Err() != nil {
			return nil, casefile.Errorf(casefile.EINVALID, op, "cancelled")
		}
	}
	res.Rules = rules
	res.Candidates = len(pairs)

	// u from random pairs.
	if cfg.Progress != nil {
		cfg.Progress("training: u from random pairs, m by EM per blocking rule")
	}
	u := estimateU(recs, comps, cross, cfg.Seed)
	// m by EM, once per used blocking rule, leaving out the comparisons that read its fields.
	// Only rules whose blocks are tight enough (at most 30 pairs per record) that matches are a
	// sizeable share of their pairs train well; broad rules would let EM settle on some other
	// split of the pairs.
	var training []int
	for _, ri := range usedRules {
		if rules[ri].Total <= 30*len(recs) {
			training = append(training, ri)
		}
	}
	if len(training) == 0 {
		training = usedRules
	}
	m, trainMatches := estimateM(pairs, keys, rules, training, comps, u)
	for f := range m {
		for l := range m[f] {
			// a level seen neither among matches nor among random pairs carries no evidence
			if m[f][l] <= 1e-3 && u[f][l] < 1e-3 {
				m[f][l] = u[f][l]
			}
		}
	}
	// TF tables for exact levels.
	tfs := make([]map[string]float64, len(comps))
	for f, c := range comps {
		if c.tf == nil {
			continue
		}
		cnt := map[string]float64{}
		tot := 0.0
		for _, r := range recs {
			if v := c.tf(r); v != "" {
				cnt[v]++
				tot++
			}
		}
		for k := range cnt {
			cnt[k] /= tot
		}
		tfs[f] = cnt
	}
	lw := make([][]float64, len(comps))
	for f := range comps {
		lw[f] = make([]float64, len(comps[f].levels))
		for l := range lw[f] {
			lw[f][l] = math.Log2(m[f][l] / u[f][l])
		}
	}
	// Prior: expected matches among the candidates over all possible pairs, by fixed point.
	totalPairs := float64(len(recs)) * float64(len(recs)-1) / 2
	if cross {
		totalPairs = crossTotal(recs)
	}
	patCount := map[uint64]float64{}
	for _, p := range pairs {
		patCount[p.pat]++
	}
	// in a fixed order, so that sums (and so borderline decisions) do not vary between runs
	patOrder := make([]uint64, 0, len(patCount))
	for p := range patCount {
		patOrder = append(patOrder, p)
	}
	slices.Sort(patOrder)
	lambda := 1 / float64(len(recs))
	for it := 0; it < 100; it++ {
		prior := math.Log2(lambda / (1 - lambda))
		exp := 0.0
		for _, p := range patOrder {
			exp += patCount[p] * prob(prior+patWeight(p, lw))
		}
		nl := math.Min(math.Max(exp/totalPairs, 1e-12), 0.5)
		// With weak fields the fixed point can run away (every pair a little likely, so more
		// matches, so a higher prior...): no more than twice what the best training rule found.
		if trainMatches > 0 {
			nl = math.Min(nl, 2*trainMatches/totalPairs)
		}
		if math.Abs(nl-lambda) < 1e-9*lambda {
			lambda = nl
			break
		}
		lambda = nl
	}
	res.Lambda = lambda
	prior := math.Log2(lambda / (1 - lambda))
	for f, c := range comps {
		fp := FieldParams{Field: c.name, TF: c.tf != nil}
		for l, lab := range c.levels {
			fp.Levels = append(fp.Levels, LevelParam{Level: lab, M: m[f][l], U: u[f][l], Weight: lw[f][l]})
		}
		res.Params = append(res.Params, fp)
	}

	// Score.
	if cfg.Progress != nil {
		cfg.Progress(fmt.Sprintf("scoring %d candidate pairs", len(pairs)))
	}
	// Per record, the term-frequency adjustment its value would earn on an exact match
	// (Splink's: the average u of an exact match replaced by the frequency of the value itself,
	// bounded so that a rare value cannot dominate).
	tfBonus := make([][]float32, len(comps))
	nTF := 0
	for f, c := range comps {
		if c.tf == nil {
			continue
		}
		nTF++
		top := len(c.levels) - 1
		tfBonus[f] = make([]float32, len(recs))
		for i, r := range recs {
			if fr, ok := tfs[f][c.tf(r)]; ok && fr > 0 {
				tfBonus[f][i] = float32(math.Max(math.Min(math.Log2(u[f][top]/fr), 4), -4))
			}
		}
	}
	patW := map[uint64]float64{}
	for p := range patCount {
		patW[p] = prior + patWeight(p, lw)
	}
	// A pair that stays below the review band even with every bonus is skipped without more work.
	floor := math.Log2(cfg.ReviewLow/(1-cfg.ReviewLow)) - 4*float64(nTF)
	workers := runtime.GOMAXPROCS(0)
	parts := make([][]Pair, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Go(func() {
			var local []Pair
			for k := w; k < len(pairs); k += workers {
				p := &pairs[k]
				wt := patW[p.pat]
				if wt < floor {
					continue
				}
				for f, c := range comps {
					if tfBonus[f] != nil && patLevel(p.pat, f) == len(c.levels)-1 {
						wt += float64(tfBonus[f][p.i])
					}
				}
				pr := prob(wt)
				if pr < cfg.ReviewLow {
					continue
				}
				local = append(local, Pair{i: p.i, j: p.j, Probability: pr, Weight: wt,
					Review: pr >= cfg.ReviewLow && pr < cfg.ReviewHigh, Linked: pr >= cfg.Threshold})
			}
			parts[w] = local
		})
	}
	wg.Wait()
	var links []Pair
	for _, l := range parts {
		links = append(links, l...)
	}
	sort.Slice(links, func(a, b int) bool {
		if links[a].Weight != links[b].Weight {
			return links[a].Weight > links[b].Weight
		}
		if links[a].i != links[b].i {
			return links[a].i < links[b].i
		}
		return links[a].j < links[b].j
	})
	if oneToOne {
		taken := map[int32]bool{}
		for k := range links {
			l := &links[k]
			if !l.Linked {
				continue
			}
			if taken[l.i] || taken[l.j] {
				l.Linked = false
				continue
			}
			taken[l.i], taken[l.j] = true, true
		}
	}
	// Entities: connected components of the links.
	uf := newUnionFind(len(recs))
	for _, l := range links {
		if l.Linked {
			uf.union(int(l.i), int(l.j))
		}
	}
	res.Entity = make([]int, len(recs))
	ids := map[int]int{}
	for i := range recs {
		r := uf.find(i)
		id, ok := ids[r]
		if !ok {
			id = len(ids)
			ids[r] = id
		}
		res.Entity[i] = id
	}
	res.Entities = len(ids)
	for k := range links {
		l := &links[k]
		a, b := recs[l.i], recs[l.j]
		l.SourceA, l.SourceB, l.IDA, l.IDB = a.Source, b.Source, a.ID, b.ID
		l.Explain = explain(a, b, comps, lw, prior, tfs, u)
	}
	res.Links = links
	if recs[0].Truth != "" {
		res.Evaluation = evaluate(recs, res.Entity, pairs, cross)
	}
	return res, nil
}

func prob(w float64) float64 {
	if w > 60 {
		return 1
	}
	e := math.Exp2(w)
	return e / (1 + e)
}

func patWeight(p uint64, lw [][]float64) float64 {
	s := 0.0
	for f := range lw {
		if l := patLevel(p, f); l >= 0 {
			s += lw[f][l]
		}
	}
	return s
}

func explain(a, b *LinkRecord, comps []comparison, lw [][]float64, prior float64, tfs []map[string]float64, u [][]float64) []Reason {
	out := []Reason{{Field: "prior", Level: "probability two records match", Weight: prior}}
	for f, c := range comps {
		l := c.compare(a, b)
		if l < 0 {
			out = append(out, Reason{Field: c.name, Level: "missing", Weight: 0})
			continue
		}
		out = append(out, Reason{Field: c.name, Level: c.levels[l], Weight: lw[f][l]})
		if c.tf != nil && l == len(c.levels)-1 {
			if fr, ok := tfs[f][c.tf(a)]; ok && fr > 0 {
				adj := math.Max(math.Min(math.Log2(u[f][l]/fr), 4), -4)
				out = append(out, Reason{Field: c.name, Level: "term frequency of the value", Weight: adj})
			}
		}
	}
	return out
}

func blocksOf(ks []uint64) [][]int32 {
	type ki struct {
		k uint64
		i int32
	}
	all := make([]ki, 0, len(ks))
	for i, k := range ks {
		if k != 0 {
			all = append(all, ki{k, int32(i)})
		}
	}
	slices.SortFunc(all, func(a, b ki) int {
		if c := cmp.Compare(a.k, b.k); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	idx := make([]int32, len(all))
	for n, x := range all {
		idx[n] = x.i
	}
	var blocks [][]int32
	for s := 0; s < len(all); {
		e := s + 1
		for e < len(all) && all[e].k == all[s].k {
			e++
		}
		if e-s > 1 {
			blocks = append(blocks, idx[s:e])
		}
		s = e
	}
	return blocks
}

func crossPairs(recs []*LinkRecord, b []int32) int {
	c := map[int]int{}
	for _, i := range b {
		c[recs[i].Source]++
	}
	n, s2 := 0, 0
	for _, v := range c {
		n += v
		s2 += v * v
	}
	return (n*n - s2) / 2
}

func crossTotal(recs []*LinkRecord) float64 {
	c := map[int]float64{}
	for _, r := range recs {
		c[r.Source]++
	}
	n, s2 := 0.0, 0.0
	for _, v := range c {
		n += v
		s2 += v * v
	}
	return (n*n - s2) / 2
}

// appendPairs compares every pair inside the blocks that no earlier rule produced.
func appendPairs(ctx context.Context, pairs []pairRec, recs []*LinkRecord, blocks [][]int32, keys [][]uint64, earlier []int, cross bool, comps []comparison) []pairRec {
	workers := runtime.GOMAXPROCS(0)
	out := make([][]pairRec, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Go(func() {
			var local []pairRec
			for bi := w; bi < len(blocks); bi += workers {
				if bi%1024 == w && ctx.Err() != nil {
					break
				}
				b := blocks[bi]
				for x := 0; x < len(b); x++ {
					for y := x + 1; y < len(b); y++ {
						i, j := b[x], b[y]
						if cross && recs[i].Source == recs[j].Source {
							continue
						}
						dup := false
						for _, e := range earlier {
							if k := keys[e][i]; k != 0 && k == keys[e][j] {
								dup = true
								break
							}
						}
						if dup {
							continue
						}
						if i > j {
							i, j = j, i
						}
						local = append(local, pairRec{i: i, j: j, pat: comparePair(recs[i], recs[j], comps)})
					}
				}
			}
			out[w] = local
		})
	}
	wg.Wait()
	for _, l := range out {
		pairs = append(pairs, l...)
	}
	return pairs
}

func comparePair(a, b *LinkRecord, comps []comparison) uint64 {
	var p uint64
	for f, c := range comps {
		p |= uint64(c.compare(a, b)+1) << (levelBits * f)
	}
	return p
}

// estimateU estimates u, P(level | non-match), from random pairs (almost all non-matches).
func estimateU(recs []*LinkRecord, comps []comparison, cross bool, seed uint64) [][]float64 {
	r := rand.New(rand.NewPCG(seed+7, 0x5eed))
	n := len(recs)
	samples := min(1_000_000, n*(n-1)/2)
	if samples < 1 {
		samples = 1
	}
	cnt := make([][]float64, len(comps))
	for f := range comps {
		cnt[f] = make([]float64, len(comps[f].levels))
	}
	for s := 0; s < samples*3 && s < 3_000_000; s++ {
		i, j := r.IntN(n), r.IntN(n)
		if i == j || (cross && recs[i].Source == recs[j].Source) {
			continue
		}
		for f, c := range comps {
			if l := c.compare(recs[i], recs[j]); l >= 0 {
				cnt[f][l]++
			}
		}
		samples--
		if samples == 0 {
			break
		}
	}
	u := make([][]float64, len(comps))
	for f := range comps {
		tot := 0.0
		for _, v := range cnt[f] {
			tot += v
		}
		u[f] = make([]float64, len(cnt[f]))
		for l := range cnt[f] {
			u[f][l] = (cnt[f][l] + 0.5) / (tot + 0.5*float64(len(cnt[f])))
		}
	}
	return u
}

// estimateM runs EM for m under each used blocking rule, with the comparisons that read the
// rule's fields left out of that run, and averages each comparison's m over the runs that
// estimated it.
func estimateM(pairs []pairRec, keys [][]uint64, rules []BlockRule, used []int, comps []comparison, u [][]float64) ([][]float64, float64) {
	F := len(comps)
	sum := make([][]float64, F)
	runs := make([]int, F)
	matches := 0.0 // the most matches any one training rule found
	for f := range comps {
		sum[f] = make([]float64, len(comps[f].levels))
	}
	for _, ri := range used {
		excluded := make([]bool, F)
		for f, c := range comps {
			for _, a := range c.uses {
				for _, b := range rules[ri].Uses {
					if a == b {
						excluded[f] = true
					}
				}
			}
		}
		counts := map[uint64]float64{}
		// Every candidate pair inside the rule's blocks, also those an earlier rule produced:
		// a training run must see the rule's pairs as they are, not what other rules left.
		ks := keys[ri]
		for _, p := range pairs {
			if k := ks[p.i]; k != 0 && k == ks[p.j] {
				counts[p.pat]++
			}
		}
		if len(counts) == 0 {
			continue
		}
		m, lam := emRun(counts, comps, u, excluded)
		if m == nil {
			continue
		}
		tot := 0
		for _, c := range counts {
			tot += int(c) // whole counts: the sum does not depend on the order
		}
		matches = math.Max(matches, lam*float64(tot))
		for f := range comps {
			if excluded[f] {
				continue
			}
			runs[f]++
			for l := range m[f] {
				sum[f][l] += m[f][l]
			}
		}
	}
	out := make([][]float64, F)
	for f := range comps {
		L := len(comps[f].levels)
		out[f] = make([]float64, L)
		for l := 0; l < L; l++ {
			if runs[f] > 0 {
				out[f][l] = sum[f][l] / float64(runs[f])
			} else {
				// never estimated: a conventional guess, mostly at the top level
				out[f][l] = 0.05 / float64(L-1)
				if l == L-1 {
					out[f][l] = 0.95
				}
			}
			out[f][l] = math.Max(out[f][l], 1e-3) // no level is impossible among matches
		}
	}
	return out, matches
}

func emRun(counts map[uint64]float64, comps []comparison, u [][]float64, excluded []bool) ([][]float64, float64) {
	F := len(comps)
	m := make([][]float64, F)
	for f := range comps {
		L := len(comps[f].levels)
		m[f] = make([]float64, L)
		for l := 0; l < L; l++ {
			m[f][l] = 0.1 / float64(L-1)
		}
		m[f][L-1] = 0.9
	}
	type pc struct {
		p uint64
		c float64
	}
	var list []pc
	total := 0.0
	for p, c := range counts {
		list = append(list, pc{p, c})
		total += c
	}
	sort.Slice(list, func(a, b int) bool { return list[a].p < list[b].p })
	lambda := 0.1
	acc := make([][]float64, F)
	den := make([]float64, F)
	for f := range comps {
		acc[f] = make([]float64, len(comps[f].levels))
	}
	for it := 0; it < 200; it++ {
		for f := range acc {
			clear(acc[f])
		}
		clear(den)
		sp := 0.0
		lo := math.Log(lambda / (1 - lambda))
		for _, x := range list {
			s := lo
			for f := 0; f < F; f++ {
				if excluded[f] {
					continue
				}
				if l := patLevel(x.p, f); l >= 0 {
					s += math.Log(m[f][l] / u[f][l])
				}
			}
			post := 1 / (1 + math.Exp(-s))
			w := post * x.c
			sp += w
			for f := 0; f < F; f++ {
				if excluded[f] {
					continue
				}
				if l := patLevel(x.p, f); l >= 0 {
					acc[f][l] += w
					den[f] += w
				}
			}
		}
		nl := math.Min(math.Max(sp/total, 1e-9), 1-1e-9)
		delta := math.Abs(nl - lambda)
		lambda = nl
		for f := 0; f < F; f++ {
			if excluded[f] || den[f] == 0 {
				continue
			}
			for l := range m[f] {
				v := math.Max(acc[f][l]/den[f], 1e-6)
				delta = math.Max(delta, math.Abs(v-m[f][l]))
				m[f][l] = v
			}
		}
		if delta < 1e-7 {
			break
		}
	}
	return m, lambda
}

type unionFind struct{ parent []int32 }

func newUnionFind(n int) *unionFind {
	p := make([]int32, n)
	for i := range p {
		p[i] = int32(i)
	}
	return &unionFind{p}
}

func (u *unionFind) find(i int) int {
	for int(u.parent[i]) != i {
		u.parent[i] = u.parent[u.parent[i]]
		i = int(u.parent[i])
	}
	return i
}

func (u *unionFind) union(a, b int) {
	ra, rb := u.find(a), u.find(b)
	if ra != rb {
		u.parent[rb] = int32(ra)
	}
}

// evaluate computes pairwise precision, recall and F1 of the entities against the truth (for
// linkage across sources, only cross-source pairs count).
func evaluate(recs []*LinkRecord, entity []int, cand []pairRec, cross bool) *Evaluation {
	truthID := map[string]int{}
	tid := make([]int, len(recs))
	for i, r := range recs {
		if r.Truth == "" {
			tid[i] = -1
			continue
		}
		id, ok := truthID[r.Truth]
		if !ok {
			id = len(truthID)
			truthID[r.Truth] = id
		}
		tid[i] = id
	}
	// pairs within groups; across sources only, when linking several sources
	type gs struct {
		g   int64
		src int
	}
	pairsIn := func(group func(i int) int64) int {
		tot := map[int64]int{}
		bySrc := map[gs]int{}
		for i := range recs {
			if tid[i] < 0 {
				continue
			}
			g := group(i)
			tot[g]++
			if cross {
				bySrc[gs{g, recs[i].Source}]++
			}
		}
		n := 0
		for _, c := range tot {
			n += c * (c - 1) / 2
		}
		if cross {
			for _, c := range bySrc {
				n -= c * (c - 1) / 2
			}
		}
		return n
	}
	nt := int64(len(truthID) + 1)
	e := &Evaluation{
		TruePairs:      pairsIn(func(i int) int64 { return int64(tid[i]) }),
		PredictedPairs: pairsIn(func(i int) int64 { return int64(entity[i]) }),
		TruePositives:  pairsIn(func(i int) int64 { return int64(entity[i])*nt + int64(tid[i]) }),
		TrueEntities:   len(truthID),
	}
	if e.PredictedPairs > 0 {
		e.Precision = float64(e.TruePositives) / float64(e.PredictedPairs)
	}
	if e.TruePairs > 0 {
		e.Recall = float64(e.TruePositives) / float64(e.TruePairs)
	}
	if e.Precision+e.Recall > 0 {
		e.F1 = 2 * e.Precision * e.Recall / (e.Precision + e.Recall)
	}
	kept := 0
	for _, p := range cand {
		if recs[p.i].Truth != "" && recs[p.i].Truth == recs[p.j].Truth {
			kept++
		}
	}
	if e.TruePairs > 0 {
		e.PairCompleteness = float64(kept) / float64(e.TruePairs)
	}
	return e
}

// ---- comparisons and blocking rules built from the fields present ----

func has(recs []*LinkRecord, f func(r *LinkRecord) bool) bool {
	n := 0
	for _, r := range recs {
		if f(r) {
			n++
		}
	}
	return n*20 >= len(recs) // present in at least 5% of records
}

func nameLevels(a, b string) int {
	if a == "" || b == "" {
		return -1
	}
	if a == b {
		return 3
	}
	if jwUpperBound(a, b) < 0.80 {
		return 0
	}
	jw := JaroWinkler(a, b)
	switch {
	case jw >= 0.92:
		return 2
	case jw >= 0.80:
		return 1
	}
	return 0
}

func buildComparisons(recs []*LinkRecord, cfg LinkConfig) []comparison {
	var cs []comparison
	nameLv := []string{"different", "similar (Jaro-Winkler >= 0.80)", "close (Jaro-Winkler >= 0.92)", "exact"}
	hasFirst := has(recs, func(r *LinkRecord) bool { return r.first != "" })
	hasSur := has(recs, func(r *LinkRecord) bool { return r.sur != "" })
	if hasFirst {
		cs = append(cs, comparison{name: "first_name", levels: nameLv, uses: []string{"first"},
			tf: func(r *LinkRecord) string { return r.first },
			compare: func(a, b *LinkRecord) int {
				l := nameLevels(a.first, b.first)
				if hasSur && l < 2 {
					// name order swapped between the records
					// one level down: a swap is weaker evidence than the same order
					if s := nameLevels(a.first, b.sur) - 1; s > l && nameLevels(a.sur, b.first) >= 2 {
						return s
					}
				}
				return l
			}})
	}
	if hasSur {
		cs = append(cs, comparison{name: "surname", levels: nameLv, uses: []string{"sur"},
			tf: func(r *LinkRecord) string { return r.sur },
			compare: func(a, b *LinkRecord) int {
				l := nameLevels(a.sur, b.sur)
				if hasFirst && l < 2 {
					if s := nameLevels(a.sur, b.first) - 1; s > l && nameLevels(a.first, b.sur) >= 2 {
						return s
					}
				}
				return l
			}})
	}
	if has(recs, func(r *LinkRecord) bool { return r.pat != "" }) {
		cs = append(cs, comparison{name: "patronymic", levels: nameLv, uses: []string{"pat"},
			compare: func(a, b *LinkRecord) int { return nameLevels(a.pat, b.pat) }})
	}
	if has(recs, func(r *LinkRecord) bool { return r.full != "" }) {
		cs = append(cs, comparison{name: "name", levels: nameLv, uses: []string{"full"},
			tf:      func(r *LinkRecord) string { return r.full },
			compare: func(a, b *LinkRecord) int { return fullNameLevel(a.full, b.full) }})
	}
	if has(recs, func(r *LinkRecord) bool { return r.year != 0 || r.month != 0 || r.day != 0 }) {
		cs = append(cs, comparison{name: "birth_date",
			levels: []string{"different", "one part agrees or year within 1", "month and day agree, year differs", "year and month or day agree (or day and month swapped)", "exact (all known parts)"},
			uses:   []string{"year", "month", "day"},
			compare: func(a, b *LinkRecord) int {
				return dateLevel(a, b)
			}})
	}
	if has(recs, func(r *LinkRecord) bool { return r.city != "" }) {
		cs = append(cs, comparison{name: "city", levels: []string{"different", "similar (Jaro-Winkler >= 0.88)", "exact"}, uses: []string{"city"},
			tf:      func(r *LinkRecord) string { return r.city },
			compare: func(a, b *LinkRecord) int { return textLevel(a.city, b.city) }})
	}
	if has(recs, func(r *LinkRecord) bool { return r.sex != "" }) {
		cs = append(cs, comparison{name: "sex", levels: []string{"different", "same"}, uses: []string{"sex"},
			compare: func(a, b *LinkRecord) int {
				if a.sex == "" || b.sex == "" {
					return -1
				}
				if a.sex == b.sex {
					return 1
				}
				return 0
			}})
	}
	for x, ef := range cfg.Extra {
		x := x
		if !has(recs, func(r *LinkRecord) bool { return x < len(r.extra) && r.extra[x] != "" }) {
			continue
		}
		get := func(r *LinkRecord) string {
			if x < len(r.extra) {
				return r.extra[x]
			}
			return ""
		}
		if ef.Kind == KindNumber {
			cs = append(cs, comparison{name: ef.Name, levels: []string{"different", "within 2", "within 1", "exact"}, uses: []string{"x" + strconv.Itoa(x)},
				compare: func(a, b *LinkRecord) int { return numberLevel(get(a), get(b)) }})
		} else if ef.Kind == KindCode {
			cs = append(cs, comparison{name: ef.Name, levels: []string{"different", "one edit or transposition", "exact"}, uses: []string{"x" + strconv.Itoa(x)},
				compare: func(a, b *LinkRecord) int { return codeLevel(get(a), get(b)) }})
		} else {
			cs = append(cs, comparison{name: ef.Name, levels: []string{"different", "similar (Jaro-Winkler >= 0.88)", "exact"}, uses: []string{"x" + strconv.Itoa(x)},
				compare: func(a, b *LinkRecord) int { return textLevel(get(a), get(b)) }})
		}
	}
	return cs
}

func numberLevel(a, b string) int {
	if a == "" || b == "" {
		return -1
	}
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	if err1 != nil || err2 != nil {
		return -1
	}
	switch d := math.Abs(x - y); {
	case d == 0:
		return 3
	case d <= 1:
		return 2
	case d <= 2:
		return 1
	}
	return 0
}

func textLevel(a, b string) int {
	if a == "" || b == "" {
		return -1
	}
	if a == b {
		return 2
	}
	if jwUpperBound(a, b) >= 0.88 && JaroWinkler(a, b) >= 0.88 {
		return 1
	}
	return 0
}

func codeLevel(a, b string) int {
	if a == "" || b == "" {
		return -1
	}
	if a == b {
		return 2
	}
	if len(a) == len(b) {
		// one substitution or one adjacent transposition
		diff := -1
		n := 0
		for i := 0; i < len(a); i++ {
			if a[i] != b[i] {
				if n == 0 {
					diff = i
				}
				n++
			}
		}
		if n == 1 || (n == 2 && diff+1 < len(a) && a[diff] == b[diff+1] && a[diff+1] == b[diff]) {
			return 1
		}
		return 0
	}
	if d := len(a) - len(b); d == 1 || d == -1 {
		if Levenshtein(a, b) == 1 {
			return 1
		}
	}
	return 0
}

func fullNameLevel(a, b string) int {
	if a == "" || b == "" {
		return -1
	}
	if a == b {
		return 3
	}
	// Compare word by word, each word with its best counterpart, so that order does not matter.
	wa, wb := strings.Fields(a), strings.Fields(b)
	if len(wa) > len(wb) {
		wa, wb = wb, wa
	}
	s := 0.0
	for _, x := range wa {
		best := 0.0
		for _, y := range wb {
			best = math.Max(best, JaroWinkler(x, y))
		}
		s += best
	}
	s /= float64(len(wa))
	if len(wa) != len(wb) {
		s *= 0.97
	}
	switch {
	case s >= 0.999:
		return 3
	case s >= 0.92:
		return 2
	case s >= 0.80:
		return 1
	}
	return 0
}

func dateLevel(a, b *LinkRecord) int {
	present, agree := 0, 0
	for _, p := range [][2]int{{a.year, b.year}, {a.month, b.month}, {a.day, b.day}} {
		if p[0] != 0 && p[1] != 0 {
			present++
			if p[0] == p[1] {
				agree++
			}
		}
	}
	if present == 0 {
		return -1
	}
	if agree == present {
		if present >= 2 {
			return 4
		}
		return 3
	}
	if present == 3 && a.year == b.year && a.month == b.day && a.day == b.month {
		return 3
	}
	if agree >= 2 {
		if a.year != b.year {
			return 2
		}
		return 3
	}
	if agree == 1 || (a.year != 0 && b.year != 0 && abs(a.year-b.year) <= 1) {
		return 1
	}
	return 0
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func buildRules(recs []*LinkRecord, cfg LinkConfig) []BlockRule {
	hasName := has(recs, func(r *LinkRecord) bool { return r.first != "" || r.sur != "" })
	hasDate := has(recs, func(r *LinkRecord) bool { return r.year != 0 })
	hasFull := has(recs, func(r *LinkRecord) bool { return r.full != "" })
	prefix := func(s string, n int) string {
		if len(s) > n {
			return s[:n]
		}
		return s
	}
	var rules []BlockRule
	add := func(name string, uses []string, key func(r *LinkRecord) (string, bool)) {
		rules = append(rules, BlockRule{Name: name, Uses: uses, key: key})
	}
	if hasName {
		add("first name and surname (either order)", []string{"first", "sur"}, func(r *LinkRecord) (string, bool) {
			if r.first == "" || r.sur == "" {
				return "", false
			}
			a, b := r.first, r.sur
			if a > b {
				a, b = b, a
			}
			return a + "|" + b, true
		})
	}
	if hasFull {
		add("name words", []string{"full"}, func(r *LinkRecord) (string, bool) { return sortedTokens(r.full), r.full != "" })
	}
	if hasDate {
		add("birth date (day and month in either order)", []string{"year", "month", "day"}, func(r *LinkRecord) (string, bool) {
			a, b := r.month, r.day
			if a > b {
				a, b = b, a
			}
			return strconv.Itoa(r.year) + "-" + strconv.Itoa(a) + "-" + strconv.Itoa(b), r.year != 0 && r.month != 0 && r.day != 0
		})
	}
	if hasName && hasDate {
		add("surname and birth year", []string{"sur", "year"}, func(r *LinkRecord) (string, bool) {
			return r.sur + "|" + strconv.Itoa(r.year), r.sur != "" && r.year != 0
		})
		add("first name, surname initial and birth year", []string{"first", "sur", "year"}, func(r *LinkRecord) (string, bool) {
			// first names are few: alone with a year they make huge blocks in large files
			return r.first + "|" + prefix(r.sur, 1) + "|" + strconv.Itoa(r.year), r.first != "" && r.sur != "" && r.year != 0
		})
		prefixes := func(r *LinkRecord) (string, bool) {
			if len(r.first) < 3 || len(r.sur) < 3 {
				return "", false
			}
			a, b := r.first[:3], r.sur[:3]
			if a > b {
				a, b = b, a
			}
			return a + "|" + b, true
		}
		// Name prefixes alone would make blocks that grow with the square of the file; with a
		// date part they stay small at a million records.
		add("name prefixes (either order) and birth year", []string{"first", "sur", "year"}, func(r *LinkRecord) (string, bool) {
			k, ok := prefixes(r)
			return k + "|" + strconv.Itoa(r.year), ok && r.year != 0
		})
		add("name prefixes (either order) and birth month and day", []string{"first", "sur", "month", "day"}, func(r *LinkRecord) (string, bool) {
			k, ok := prefixes(r)
			return k + "|" + strconv.Itoa(r.month) + "-" + strconv.Itoa(r.day), ok && r.month != 0 && r.day != 0
		})
		add("surname start and birth year and month", []string{"sur", "year", "month"}, func(r *LinkRecord) (string, bool) {
			return prefix(r.sur, 3) + "|" + strconv.Itoa(r.year) + "-" + strconv.Itoa(r.month), len(r.sur) >= 3 && r.year != 0 && r.month != 0
		})
		add("surname letters 2-5 and birth year", []string{"sur", "year"}, func(r *LinkRecord) (string, bool) {
			// catches a typo in the first letter; Russian endings (-ova, -ev) would make an
			// ending-based key far too broad
			if len(r.sur) < 5 || r.year == 0 {
				return "", false
			}
			return r.sur[1:5] + "|" + strconv.Itoa(r.year), true
		})
		add("first name start and birth month and day", []string{"first", "month", "day"}, func(r *LinkRecord) (string, bool) {
			return prefix(r.first, 2) + "|" + strconv.Itoa(r.month) + "-" + strconv.Itoa(r.day), len(r.first) >= 2 && r.month != 0 && r.day != 0
		})
		add("initials and birth month and day", []string{"first", "sur", "month", "day"}, func(r *LinkRecord) (string, bool) {
			return prefix(r.first, 1) + prefix(r.sur, 1) + "|" + strconv.Itoa(r.month) + "-" + strconv.Itoa(r.day), r.month != 0 && r.day != 0
		})
		add("initials and birth month", []string{"first", "sur", "month"}, func(r *LinkRecord) (string, bool) {
			a, b := prefix(r.first, 1), prefix(r.sur, 1)
			if a > b {
				a, b = b, a
			}
			return a + b + "|" + strconv.Itoa(r.month), r.month != 0
		})
		add("birth year", []string{"year"}, func(r *LinkRecord) (string, bool) {
			return strconv.Itoa(r.year), r.year != 0
		})
	}
	if hasFull && hasDate {
		// one rule per word position (words in alphabetical order), so a typo in one word
		// leaves the others to block on
		for k := 0; k < 3; k++ {
			k := k
			add("name word "+strconv.Itoa(k+1)+" and birth year", []string{"year"}, func(r *LinkRecord) (string, bool) {
				f := strings.Fields(r.full)
				if len(f) <= k || r.year == 0 {
					return "", false
				}
				return f[k] + "|" + strconv.Itoa(r.year), true
			})
		}
		add("name word starts", []string{"full"}, func(r *LinkRecord) (string, bool) {
			f := strings.Fields(r.full)
			if len(f) < 2 {
				return "", false
			}
			var b strings.Builder
			for _, w := range f {
				b.WriteString(prefix(w, 3))
				b.WriteByte('|')
			}
			return b.String(), true
		})
	}
	if !hasName && !hasFull && hasDate {
		// records without names (the store's pseudonymous persons)
		add("birth year and city", []string{"year", "city"}, func(r *LinkRecord) (string, bool) {
			return strconv.Itoa(r.year) + "|" + r.city, r.year != 0 && r.city != ""
		})
		add("birth year", []string{"year"}, func(r *LinkRecord) (string, bool) {
			return strconv.Itoa(r.year), r.year != 0
		})
	}
	for x, ef := range cfg.Extra {
		x := x
		add(ef.Name, []string{"x" + strconv.Itoa(x)}, func(r *LinkRecord) (string, bool) {
			if x >= len(r.extra) || r.extra[x] == "" {
				return "", false
			}
			return r.extra[x], true
		})
	}
	if hasName {
		for x, ef := range cfg.Extra {
			x := x
			add("surname initial and "+ef.Name, []string{"sur", "x" + strconv.Itoa(x)}, func(r *LinkRecord) (string, bool) {
				if x >= len(r.extra) || r.extra[x] == "" {
					return "", false
				}
				return prefix(r.sur, 1) + "|" + r.extra[x], true
			})
		}
		add("surname", []string{"sur"}, func(r *LinkRecord) (string, bool) { return r.sur, r.sur != "" })
		add("first name", []string{"first"}, func(r *LinkRecord) (string, bool) { return r.first, r.first != "" })
	}
	if has(recs, func(r *LinkRecord) bool { return r.city != "" }) && hasName {
		add("surname and city", []string{"sur", "city"}, func(r *LinkRecord) (string, bool) {
			return r.sur + "|" + r.city, r.sur != "" && r.city != ""
		})
	}
	byName := map[string]int{}
	for x, ef := range cfg.Extra {
		byName[ef.Name] = x
	}
	for _, rule := range cfg.Rules {
		var idx []int
		for _, f := range rule {
			if x, ok := byName[f]; ok {
				idx = append(idx, x)
			}
		}
		if len(idx) == 0 {
			continue
		}
		var uses []string
		for _, x := range idx {
			uses = append(uses, "x"+strconv.Itoa(x))
		}
		add(strings.Join(rule, " and "), uses, func(r *LinkRecord) (string, bool) {
			var b strings.Builder
			for _, x := range idx {
				if x >= len(r.extra) || r.extra[x] == "" {
					return "", false
				}
				b.WriteString(r.extra[x])
				b.WriteByte('|')
			}
			return b.String(), true
		})
	}
	return rules
}

// keyHash is 64-bit FNV-1a: a fixed function, so that runs are reproducible.
func keyHash(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
