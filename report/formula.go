package report

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/casefile/casefile"
)

// Limits that keep a formula small enough to read in a report and cheap to evaluate.
const (
	maxFormulaLen   = 1000
	maxFormulaDepth = 32
)

// Formula is a parsed arithmetic expression over indicator IDs: numbers, IDs, + - * /, unary minus
// and parentheses. An ID is written bare when it is letters, digits and underscores
// (ind_beds_total), or in braces when it holds a hyphen ({ind-beds}). Nothing else is accepted, so a
// formula can never do more than arithmetic.
type Formula struct {
	src    string
	root   *node
	inputs []string
}

type node struct {
	op    byte // 'n' number, 'v' variable, '+', '-', '*', '/', 'u' unary minus
	num   float64
	name  string
	left  *node
	right *node
}

// ParseFormula parses s. It returns EINVALID with the position of the first error.
func ParseFormula(s string) (*Formula, error) {
	if strings.TrimSpace(s) == "" {
		return nil, casefile.Errorf(casefile.EINVALID, "", "formula is empty")
	}
	if len(s) > maxFormulaLen {
		return nil, casefile.Errorf(casefile.EINVALID, "", "formula is longer than %d characters", maxFormulaLen)
	}
	p := &parser{s: s}
	n, err := p.expr(0)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i < len(p.s) {
		return nil, p.errorf("unexpected %q", p.s[p.i])
	}
	f := &Formula{src: s, root: n}
	seen := map[string]bool{}
	walk(n, func(x *node) {
		if x.op == 'v' && !seen[x.name] {
			seen[x.name] = true
			f.inputs = append(f.inputs, x.name)
		}
	})
	sort.Strings(f.inputs)
	return f, nil
}

func walk(n *node, fn func(*node)) {
	if n == nil {
		return
	}
	fn(n)
	walk(n.left, fn)
	walk(n.right, fn)
}

// Inputs returns the indicator IDs the formula reads, sorted and without repeats.
func (f *Formula) Inputs() []string { return append([]string(nil), f.inputs...) }

// String renders the formula in a canonical form, fully parenthesised where precedence needs it.
func (f *Formula) String() string { return render(f.root, 0) }

// Render writes the formula with each ID replaced by name(id), for people to read in a report.
func (f *Formula) Render(name func(id string) string) string {
	return renderWith(f.root, 0, name)
}

func render(n *node, prec int) string { return renderWith(n, prec, nil) }

func renderWith(n *node, prec int, name func(string) string) string {
	switch n.op {
	case 'n':
		return strconv.FormatFloat(n.num, 'f', -1, 64)
	case 'v':
		if name != nil {
			return name(n.name)
		}
		if c := n.name[0]; strings.ContainsRune(n.name, '-') || c >= '0' && c <= '9' {
			return "{" + n.name + "}"
		}
		return n.name
	case 'u':
		return "-" + renderWith(n.left, 3, name)
	}
	my := 1
	if n.op == '*' || n.op == '/' {
		my = 2
	}
	// The right operand of - and / binds tighter, so a-(b-c) keeps its parentheses.
	s := renderWith(n.left, my, name) + " " + string(n.op) + " " + renderWith(n.right, my+1, name)
	if my < prec {
		return "(" + s + ")"
	}
	return s
}

// Eval computes the formula with the values value gives. It returns EINVALID for an unknown input,
// a division by zero or a result that is not a finite number.
func (f *Formula) Eval(value func(id string) (float64, bool)) (float64, error) {
	v, err := eval(f.root, value)
	if err != nil {
		return 0, err
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, casefile.Errorf(casefile.EINVALID, "", "formula %q does not give a finite number", f.String())
	}
	return v, nil
}

func eval(n *node, value func(string) (float64, bool)) (float64, error) {
	switch n.op {
	case 'n':
		return n.num, nil
	case 'v':
		v, ok := value(n.name)
		if !ok {
			return 0, casefile.Errorf(casefile.EINVALID, "", "formula: no indicator %q", n.name)
		}
		return v, nil
	case 'u':
		v, err := eval(n.left, value)
		return -v, err
	}
	a, err := eval(n.left, value)
	if err != nil {
		return 0, err
	}
	b, err := eval(n.right, value)
	if err != nil {
		return 0, err
	}
	switch n.op {
	case '+':
		return a + b, nil
	case '-':
		return a - b, nil
	case '*':
		return a * b, nil
	}
	if b == 0 {
		return 0, casefile.Errorf(casefile.EINVALID, "", "formula: division by zero")
	}
	return a / b, nil
}

type parser struct {
	s string
	i int
}

func (p *parser) errorf(format string, args ...any) error {
	return casefile.Errorf(casefile.EINVALID, "", "formula: at character %d: %s", p.i+1, fmt.Sprintf(format, args...))
}

func (p *parser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

func (p *parser) expr(depth int) (*node, error) {
	if depth > maxFormulaDepth {
		return nil, p.errorf("nested too deeply")
	}
	left, err := p.term(depth)
	if err != nil {
		return nil, err
	}
	for {
		p.space()
		if p.i >= len(p.s) || (p.s[p.i] != '+' && p.s[p.i] != '-') {
			return left, nil
		}
		op := p.s[p.i]
		p.i++
		right, err := p.term(depth)
		if err != nil {
			return nil, err
		}
		left = &node{op: op, left: left, right: right}
	}
}

func (p *parser) term(depth int) (*node, error) {
	left, err := p.factor(depth)
	if err != nil {
		return nil, err
	}
	for {
		p.space()
		if p.i >= len(p.s) || (p.s[p.i] != '*' && p.s[p.i] != '/') {
			return left, nil
		}
		op := p.s[p.i]
		p.i++
		right, err := p.factor(depth)
		if err != nil {
			return nil, err
		}
		left = &node{op: op, left: left, right: right}
	}
}

func (p *parser) factor(depth int) (*node, error) {
	if depth > maxFormulaDepth {
		return nil, p.errorf("nested too deeply")
	}
	p.space()
	if p.i >= len(p.s) {
		return nil, p.errorf("a number, an indicator ID or ( is missing")
	}
	c := p.s[p.i]
	switch {
	case c == '(':
		p.i++
		n, err := p.expr(depth + 1)
		if err != nil {
			return nil, err
		}
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != ')' {
			return nil, p.errorf(") is missing")
		}
		p.i++
		return n, nil
	case c == '-':
		p.i++
		n, err := p.factor(depth + 1)
		if err != nil {
			return nil, err
		}
		return &node{op: 'u', left: n}, nil
	case c == '{':
		end := strings.IndexByte(p.s[p.i:], '}')
		if end < 0 {
			return nil, p.errorf("} is missing")
		}
		id := p.s[p.i+1 : p.i+end]
		if !casefile.ValidID(id) {
			return nil, p.errorf("%q is not an indicator ID", id)
		}
		p.i += end + 1
		return &node{op: 'v', name: id}, nil
	case c >= '0' && c <= '9' || c == '.':
		start := p.i
		for p.i < len(p.s) && (p.s[p.i] >= '0' && p.s[p.i] <= '9' || p.s[p.i] == '.') {
			p.i++
		}
		v, err := strconv.ParseFloat(p.s[start:p.i], 64)
		if err != nil || math.IsInf(v, 0) {
			p.i = start
			return nil, p.errorf("%q is not a number", p.s[start:min(len(p.s), start+20)])
		}
		return &node{op: 'n', num: v}, nil
	case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_':
		start := p.i
		for p.i < len(p.s) && isIDByte(p.s[p.i]) {
			p.i++
		}
		id := p.s[start:p.i]
		if !casefile.ValidID(id) {
			p.i = start
			return nil, p.errorf("%q is not an indicator ID (IDs are lower case)", id)
		}
		return &node{op: 'v', name: id}, nil
	}
	return nil, p.errorf("unexpected %q", c)
}

func isIDByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// Derive computes every derived indicator of list from its inputs, in dependency order, and
// returns the values by ID (sourced figures keep their stored value). A derived indicator whose
// formula does not parse, names an unknown indicator, divides by zero or depends on itself is left
// out of the result and reported in errs by ID.
func Derive(list []*casefile.Indicator) (values map[string]float64, errs map[string]error) {
	byID := make(map[string]*casefile.Indicator, len(list))
	for _, ind := range list {
		byID[ind.ID] = ind
	}
	values = map[string]float64{}
	errs = map[string]error{}
	state := map[string]int{} // 1 in progress, 2 done
	var visit func(id string) (float64, bool)
	visit = func(id string) (float64, bool) {
		ind := byID[id]
		if ind == nil {
			return 0, false
		}
		if ind.Formula == "" {
			return ind.Value, true
		}
		switch state[id] {
		case 1:
			errs[id] = casefile.Errorf(casefile.EINVALID, "", "indicator %q depends on itself", id)
			return 0, false
		case 2:
			v, ok := values[id]
			return v, ok
		}
		state[id] = 1
		defer func() { state[id] = 2 }()
		f, err := ParseFormula(ind.Formula)
		if err != nil {
			errs[id] = err
			return 0, false
		}
		v, err := f.Eval(visit)
		if err != nil {
			if _, seen := errs[id]; !seen {
				errs[id] = err
			}
			return 0, false
		}
		values[id] = v
		return v, true
	}
	for _, ind := range list {
		if v, ok := visit(ind.ID); ok {
			values[ind.ID] = v
		}
	}
	return values, errs
}
