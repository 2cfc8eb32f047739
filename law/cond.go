package law

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// tri is a three-valued truth value: an element answered "unknown" makes an atom undetermined,
// never false (framework reference §8.1).
type tri int8

const (
	triFalse tri = iota
	triUndet
	triTrue
)

// String names the value, for test messages.
func (t tri) String() string {
	switch t {
	case triTrue:
		return "true"
	case triFalse:
		return "false"
	}
	return "undetermined"
}

// condKind says what a Cond node is.
type condKind int8

const (
	condAtom condKind = iota
	condAll
	condAny
	condNotFired
	condOmissionOnly
	condNexus
)

// atom operators.
const (
	opIn       = "in"       // the answer is one of the codes
	opNot      = "not"      // the answer is known and none of the codes
	opContains = "contains" // a multi-select answer includes any of the codes
	opOnly     = "only"     // every selected code is one of the codes
	opKnown    = "known"    // the element has an answer other than unknown (never undetermined)
)

// Cond is one condition of a rule, fill, defeater or ground as written in a pack. A branch of an
// any_of may carry tags (aaaq, basis) that the outcome receives when the branch holds.
type Cond struct {
	Kind    condKind
	Element string   // atom: the element id as written
	Op      string   // atom: opIn, opNot, opContains, opOnly
	Codes   []string // atom: codes; nexus: classes
	Items   []*Cond  // all, any; omission_only has one item
	Rule    string   // not_fired
	Tags    map[string][]string
	Line    int

	// compiled
	el       int    // element index in the pack
	mask     uint64 // atom codes as a bit mask over the element's answers
	wantUnk  bool   // the codes list "unknown": an unanswered element satisfies the atom
	classIdx []int  // nexus classes
	ruleIdx  int    // not_fired
}

// UnmarshalYAML reads a condition in the pack syntax of framework reference §8.2.
func (c *Cond) UnmarshalYAML(n *yaml.Node) error {
	parsed, err := parseCond(n)
	if err != nil {
		return err
	}
	*c = *parsed
	return nil
}

// condError is a parse error that knows its line.
type condError struct {
	line int
	msg  string
}

// Error renders the line and the problem.
func (e *condError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

func errAt(n *yaml.Node, format string, args ...any) error {
	return &condError{line: n.Line, msg: fmt.Sprintf(format, args...)}
}

func parseCond(n *yaml.Node) (*Cond, error) {
	switch n.Kind {
	case yaml.SequenceNode:
		c := &Cond{Kind: condAll, Line: n.Line}
		for _, it := range n.Content {
			sub, err := parseCond(it)
			if err != nil {
				return nil, err
			}
			c.Items = append(c.Items, sub)
		}
		return c, nil
	case yaml.MappingNode:
		return parseCondMap(n)
	case yaml.AliasNode:
		return parseCond(n.Alias)
	}
	return nil, errAt(n, "a condition must be a mapping (element: code) or a list of conditions")
}

func parseCondMap(n *yaml.Node) (*Cond, error) {
	if len(n.Content) == 0 {
		return nil, errAt(n, "empty condition")
	}
	var items []*Cond
	var branch *Cond
	tags := map[string][]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := k.Value
		switch key {
		case "any_of", "all_of":
			if v.Kind != yaml.SequenceNode {
				return nil, errAt(v, "%s needs a list of conditions", key)
			}
			c := &Cond{Kind: condAll, Line: k.Line}
			if key == "any_of" {
				c.Kind = condAny
			}
			for _, it := range v.Content {
				sub, err := parseCond(it)
				if err != nil {
					return nil, err
				}
				c.Items = append(c.Items, sub)
			}
			if len(c.Items) == 0 {
				return nil, errAt(v, "%s is empty", key)
			}
			items = append(items, c)
		case "not_fired":
			if v.Kind != yaml.ScalarNode || v.Value == "" {
				return nil, errAt(v, "not_fired needs a rule id")
			}
			items = append(items, &Cond{Kind: condNotFired, Rule: v.Value, Line: k.Line})
		case "omission_only":
			sub, err := parseCond(v)
			if err != nil {
				return nil, err
			}
			items = append(items, &Cond{Kind: condOmissionOnly, Items: []*Cond{sub}, Line: k.Line})
		case "nexus":
			codes, op, err := parseCodes(v)
			if err != nil {
				return nil, err
			}
			if op != opIn {
				return nil, errAt(v, "nexus takes a list of classes")
			}
			items = append(items, &Cond{Kind: condNexus, Codes: codes, Line: k.Line})
		case "if":
			sub, err := parseCond(v)
			if err != nil {
				return nil, err
			}
			branch = sub
		case "aaaq", "basis":
			codes, _, err := parseCodes(v)
			if err != nil {
				return nil, err
			}
			tags[key] = append(tags[key], codes...)
		case "note", "reason":
			// commentary for the reader; never evaluated
		default:
			if !strings.Contains(key, ".") {
				return nil, errAt(k, "unknown condition keyword %q (element ids contain a dot)", key)
			}
			codes, op, err := parseCodes(v)
			if err != nil {
				return nil, err
			}
			items = append(items, &Cond{Kind: condAtom, Element: key, Op: op, Codes: codes, Line: k.Line})
		}
	}
	if branch != nil {
		items = append(items, branch)
	}
	var c *Cond
	if len(items) == 1 {
		c = items[0]
	} else if len(items) == 0 {
		return nil, errAt(n, "condition has no element, any_of, all_of, nexus, not_fired or if")
	} else {
		c = &Cond{Kind: condAll, Items: items, Line: n.Line}
	}
	if len(tags) > 0 {
		if branch == nil {
			return nil, errAt(n, "aaaq/basis tags belong on an `if:` branch")
		}
		// wrap so that the tags stay on this branch even when c is shared
		c = &Cond{Kind: condAll, Items: []*Cond{c}, Tags: tags, Line: n.Line}
	}
	return c, nil
}

// parseCodes reads `code`, `[codes]`, or `{not|contains|only: [codes]}`.
func parseCodes(v *yaml.Node) ([]string, string, error) {
	switch v.Kind {
	case yaml.ScalarNode:
		if v.Value == "" {
			return nil, "", errAt(v, "empty code")
		}
		return []string{v.Value}, opIn, nil
	case yaml.SequenceNode:
		var out []string
		for _, it := range v.Content {
			if it.Kind != yaml.ScalarNode || it.Value == "" {
				return nil, "", errAt(it, "a code list holds plain codes")
			}
			out = append(out, it.Value)
		}
		if len(out) == 0 {
			return nil, "", errAt(v, "empty code list")
		}
		return out, opIn, nil
	case yaml.MappingNode:
		if len(v.Content) != 2 {
			return nil, "", errAt(v, "use one of {not: [...]}, {contains: [...]}, {only: [...]}, {known: true}")
		}
		op := v.Content[0].Value
		if op == opKnown {
			if v.Content[1].Value != "true" {
				return nil, "", errAt(v.Content[1], "write {known: true}")
			}
			return nil, opKnown, nil
		}
		if op != opNot && op != opContains && op != opOnly {
			return nil, "", errAt(v.Content[0], "unknown operator %q (not, contains, only)", op)
		}
		codes, _, err := parseCodes(v.Content[1])
		if err != nil {
			return nil, "", err
		}
		return codes, op, nil
	}
	return nil, "", errAt(v, "expected a code or a list of codes")
}

// walk calls f on c and every condition below it.
func (c *Cond) walk(f func(*Cond)) {
	if c == nil {
		return
	}
	f(c)
	for _, it := range c.Items {
		it.walk(f)
	}
}
