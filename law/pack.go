// Package law holds Casefile's legal framework packs (data files a lawyer can read and edit:
// elements, questions, allowed answers, sources, rules) and the engine that assesses an act's
// answers against them, producing outcomes with reason chains (framework reference §8).
package law

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/casefile/casefile"
	"go.yaml.in/yaml/v3"
)

//go:embed packs/*.yaml
var embedded embed.FS

// Text is a text in several languages, keyed by language code (en, ru).
type Text map[string]string

// In returns the text in lang, falling back to English.
func (t Text) In(lang string) string {
	if s := t[lang]; s != "" {
		return s
	}
	return t["en"]
}

// Element is one question of the questionnaire: what the documenter is asked, which answer codes
// are allowed, what evidence supports an answer and which article or paragraph it comes from.
type Element struct {
	ID            string            `yaml:"id" json:"id"`
	Aliases       []string          `yaml:"aliases" json:"aliases,omitempty"` // former ids, accepted on input
	Question      Text              `yaml:"question" json:"question"`
	Answers       []string          `yaml:"answers" json:"answers"` // allowed codes; "unknown" is always allowed
	Multi         bool              `yaml:"multi" json:"multi,omitempty"`
	AnswerAliases map[string]string `yaml:"answer_aliases" json:"answer_aliases,omitempty"` // old code → new code
	Recode        []string          `yaml:"recode" json:"recode,omitempty"`                 // old codes that must be answered again
	Ordered       bool              `yaml:"ordered" json:"ordered,omitempty"`               // answers run from weakest to strongest
	Guidance      string            `yaml:"guidance" json:"guidance,omitempty"`
	Evidence      string            `yaml:"evidence" json:"evidence,omitempty"`
	Source        string            `yaml:"source" json:"source"`
	File          string            `yaml:"-" json:"file"`
	Line          int               `yaml:"-" json:"line"`

	codes  map[string]int
	raise  string   // the open question that asks to raise an alleged answer
	single []string // Answers, to hand out one-code slices without allocating
}

// Class is one state-link (nexus) class of framework reference §8.1 P2; the first class whose
// condition holds is the act's class.
type Class struct {
	ID     string `yaml:"id" json:"id"`
	When   *Cond  `yaml:"when" json:"-"`
	Source string `yaml:"source" json:"source,omitempty"`
	Line   int    `yaml:"-" json:"line"`
	text   string
}

// Fill is an interpretation rule (§8.3): when its condition holds, it fills elements that are
// still unknown. It never overwrites a coded answer; a coded answer that differs raises a warning.
// Floors never set a value: they warn when a coded answer is below the floor.
type Fill struct {
	ID     string            `yaml:"id" json:"id"`
	When   *Cond             `yaml:"when" json:"-"`
	Set    map[string]string `yaml:"set" json:"set,omitempty"`
	Floor  map[string]string `yaml:"floor" json:"floor,omitempty"`
	Source string            `yaml:"source" json:"source"`
	Line   int               `yaml:"-" json:"line"`
	file   string

	setEl, floorEl     []int
	setBit, floorBit   []int
	setKeys, floorKeys []string
	text               string
}

// Defeater is an exclusion that blocks a rule only when positively established (§8.1).
type Defeater struct {
	ID           string     `yaml:"id" json:"id"`
	Ground       string     `yaml:"ground" json:"ground"`
	OmissionOnly bool       `yaml:"omission_only" json:"omission_only,omitempty"`
	When         *Cond      `yaml:"when" json:"-"`
	ContestedIf  []*Contest `yaml:"contested_if" json:"-"`
	Source       string     `yaml:"source" json:"source"`
	Line         int        `yaml:"-" json:"line"`
	file         string
}

// Ground is a no-violation ground (§8.2 NV table): when it holds, it excludes the listed rules.
type Ground struct {
	ID       string   `yaml:"id" json:"id"`
	Label    string   `yaml:"label" json:"label"`
	When     *Cond    `yaml:"when" json:"-"`
	Excludes []string `yaml:"excludes" json:"excludes"`
	Source   string   `yaml:"source" json:"source"`
	Line     int      `yaml:"-" json:"line"`
	file     string
}

// Contest is a condition under which an outcome is labelled contested, with the reason shown.
type Contest struct {
	Reason string `yaml:"reason" json:"reason"`
	When   *Cond  `yaml:"when" json:"-"`
	Line   int    `yaml:"-" json:"line"`
}

// TagIf adds a tag value to an outcome when a condition holds.
type TagIf struct {
	Tag   string `yaml:"tag" json:"tag"`
	Value string `yaml:"value" json:"value"`
	When  *Cond  `yaml:"when" json:"-"`
	// Outcomes limits a pack-level tag rule to these outcome codes.
	Outcomes []string `yaml:"outcomes" json:"outcomes,omitempty"`
	Line     int      `yaml:"-" json:"line"`
}

// Warning is a reviewer warning (§8.0): an inconsistency that is not a legal disagreement.
type Warning struct {
	ID       string   `yaml:"id" json:"id"`
	When     *Cond    `yaml:"when" json:"-"`
	Text     string   `yaml:"text" json:"text"`
	Outcomes []string `yaml:"outcomes" json:"outcomes,omitempty"`
	Line     int      `yaml:"-" json:"line"`
}

// OutcomeDef declares an outcome code a pack can produce.
type OutcomeDef struct {
	Code    string `yaml:"code" json:"code"`
	Limb    string `yaml:"limb" json:"limb"`
	Label   Text   `yaml:"label" json:"label"`
	Article string `yaml:"article" json:"article"`
	Source  string `yaml:"source" json:"source"`
	Line    int    `yaml:"-" json:"line"`
}

// Limb is one limb of a framework (substantive, prevention, procedural; respect, protect …).
// Always means the limb is in issue for every individual act; InIssueIf, when set, decides it;
// otherwise a limb is in issue when any element its rules read has a known answer (§8.1 P4).
type Limb struct {
	ID        string   `yaml:"id" json:"id"`
	Always    bool     `yaml:"always" json:"always,omitempty"`
	InIssueIf *Cond    `yaml:"in_issue_if" json:"-"`
	Pointers  []string `yaml:"pointers" json:"pointers,omitempty"` // open questions when not in issue
	Line      int      `yaml:"-" json:"line"`
	pointerEl []int
}

// Rule maps answers to an outcome.
type Rule struct {
	ID          string              `yaml:"id" json:"id"`
	Limb        string              `yaml:"limb" json:"limb"`
	Outcome     string              `yaml:"outcome" json:"outcome"`
	AppliesIf   *Cond               `yaml:"applies_if" json:"-"`
	When        *Cond               `yaml:"when" json:"-"`
	Unless      []string            `yaml:"unless" json:"unless,omitempty"`
	ContestedIf []*Contest          `yaml:"contested_if" json:"-"`
	Tags        map[string][]string `yaml:"tags" json:"tags,omitempty"`
	TagIf       []*TagIf            `yaml:"tag_if" json:"-"`
	TagsFrom    map[string]string   `yaml:"tags_from" json:"tags_from,omitempty"` // tag → element whose codes become the tag
	MarkOthers  map[string][]string `yaml:"mark_others" json:"mark_others,omitempty"`
	Sources     []string            `yaml:"sources" json:"sources"`
	Reason      string              `yaml:"reason" json:"reason,omitempty"`
	Note        string              `yaml:"note" json:"note,omitempty"`
	Line        int                 `yaml:"-" json:"line"`

	defeaters  []int
	elements   []int // every element the rule reads, for P4 and open questions
	sourceText string
	ids        []string // []string{ID}, shared by the outcomes (capacity 1: appending copies)
}

// Pack is one loaded, validated framework pack with the shared library it uses.
type Pack struct {
	Name       string              `json:"name"`
	Version    string              `json:"version"` // declared version + content hash, recorded in assessments
	Title      Text                `json:"title"`
	Files      []string            `json:"files"`
	Units      []string            `json:"units"`   // ctx.unit values the pack is run on
	Minimum    map[string][]string `json:"minimum"` // P1: unit → elements that must be known
	NotPointer []string            `json:"-"`
	Omission   []string            `json:"omission_codes"`
	Outcomes   []*OutcomeDef       `json:"outcomes"`
	Limbs      []*Limb             `json:"limbs"`
	Rules      []*Rule             `json:"rules"`
	Elements   []*Element          `json:"elements"`
	Classes    []*Class            `json:"-"`
	Fills      []*Fill             `json:"-"`
	Defeaters  []*Defeater         `json:"-"`
	Grounds    []*Ground           `json:"-"`
	Warnings   []*Warning          `json:"-"`
	Tagging    []*TagIf            `json:"-"`

	index      map[string]int // element id or alias → index
	outcomeDef map[string]*OutcomeDef
	ruleIdx    map[string]int
	omitEl     int
	omitMask   uint64
	notPtr     []bool
	used       []bool // elements read by the pack (for show)
	limbRules  [][]int
	nexusEl    int    // cat.1.nexus, or -1
	actorEl    int    // ctx.actor.type, or -1
	fillKey    string // catalog and the identity of the fills: packs with the same key fill alike
	catalog    string // the element ids in order: packs with the same catalog index answers alike
	pool       sync.Pool
}

// file is the on-disk shape of a pack or library file.
type file struct {
	Pack       string              `yaml:"pack"`
	Library    string              `yaml:"library"`
	Version    string              `yaml:"version"`
	Title      Text                `yaml:"title"`
	Uses       []string            `yaml:"uses"`
	Units      []string            `yaml:"units"`
	Minimum    map[string][]string `yaml:"minimum"`
	NotPointer []string            `yaml:"not_pointers"`
	Omission   *struct {
		Element string   `yaml:"element"`
		Codes   []string `yaml:"codes"`
	} `yaml:"omission"`
	Outcomes  []*OutcomeDef `yaml:"outcomes"`
	Limbs     []*Limb       `yaml:"limbs"`
	Rules     []*Rule       `yaml:"rules"`
	Elements  []*Element    `yaml:"elements"`
	Classes   []*Class      `yaml:"classes"`
	Fills     []*Fill       `yaml:"fills"`
	Defeaters []*Defeater   `yaml:"defeaters"`
	Grounds   []*Ground     `yaml:"grounds"`
	Warnings  []*Warning    `yaml:"warnings"`
	Tagging   []*TagIf      `yaml:"tagging"`

	name string // file name as shown in errors
	raw  []byte
}

// lineOf records the line of every mapping item of a list the struct decoder fills, since
// yaml.v3 gives no line to a decoded struct. It walks the node tree for the known list keys.
func lineOf(root *yaml.Node, f *file) {
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, val := root.Content[i].Value, root.Content[i+1]
		if val.Kind != yaml.SequenceNode {
			continue
		}
		for j, it := range val.Content {
			l := it.Line
			switch key {
			case "elements":
				if j < len(f.Elements) {
					f.Elements[j].Line = l
				}
			case "rules":
				if j < len(f.Rules) {
					f.Rules[j].Line = l
				}
			case "classes":
				if j < len(f.Classes) {
					f.Classes[j].Line = l
				}
			case "fills":
				if j < len(f.Fills) {
					f.Fills[j].Line = l
				}
			case "defeaters":
				if j < len(f.Defeaters) {
					f.Defeaters[j].Line = l
				}
			case "grounds":
				if j < len(f.Grounds) {
					f.Grounds[j].Line = l
				}
			case "warnings":
				if j < len(f.Warnings) {
					f.Warnings[j].Line = l
				}
			case "tagging":
				if j < len(f.Tagging) {
					f.Tagging[j].Line = l
				}
			case "outcomes":
				if j < len(f.Outcomes) {
					f.Outcomes[j].Line = l
				}
			case "limbs":
				if j < len(f.Limbs) {
					f.Limbs[j].Line = l
				}
			}
		}
	}
}

// parseFile decodes one pack or library file. Errors name the file and line.
func parseFile(name string, data []byte) (*file, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, packErr(name, 0, "%s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if root.Kind == 0 {
		return nil, packErr(name, 1, "the file is empty")
	}
	f := &file{name: name, raw: data}
	dec := root
	if err := dec.Decode(f); err != nil {
		var ce *condError
		if errorsAs(err, &ce) {
			return nil, packErr(name, ce.line, "%s", ce.msg)
		}
		return nil, packErr(name, 0, "%s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if err := f.noNil(); err != nil {
		return nil, packErr(name, 0, "%s", err.Error())
	}
	lineOf(&root, f)
	for _, e := range f.Elements {
		e.File = name
	}
	for _, x := range f.Fills {
		x.file = name
	}
	for _, x := range f.Defeaters {
		x.file = name
	}
	for _, x := range f.Grounds {
		x.file = name
	}
	if (f.Pack == "") == (f.Library == "") {
		return nil, packErr(name, 1, "a file declares either `pack: NAME` or `library: NAME`")
	}
	if f.Version == "" {
		return nil, packErr(name, 1, "version is required")
	}
	return f, nil
}

// packErr is the error of a bad pack: EINVALID, naming the file and line.
func packErr(name string, line int, format string, args ...any) error {
	where := name
	if line > 0 {
		where = fmt.Sprintf("%s:%d", name, line)
	}
	return casefile.Errorf(casefile.EINVALID, "law", "%s: %s", where, fmt.Sprintf(format, args...))
}

// Set is every pack loaded from one place, by name.
type Set struct {
	Packs map[string]*Pack
	Names []string // sorted

	tmpl sync.Pool // answer slots shared by packs with one questionnaire (AssessAll)
}

// Pack returns the named pack, ENOTFOUND if there is none.
func (s *Set) Pack(name string) (*Pack, error) {
	if p, ok := s.Packs[name]; ok {
		return p, nil
	}
	return nil, casefile.Errorf(casefile.ENOTFOUND, "law", "no framework pack %q (packs: %s)", name, strings.Join(s.Names, ", "))
}

var (
	builtin     *Set
	builtinOnce sync.Once
)

// Builtin returns the packs embedded in the binary. They are validated by the tests, so a failure
// here is a build defect and panics. Safe for concurrent use.
func Builtin() *Set {
	builtinOnce.Do(func() {
		s, err := LoadFS(embedded, "packs")
		if err != nil {
			panic("law: embedded packs are invalid: " + err.Error())
		}
		builtin = s
	})
	return builtin
}

// LoadDir loads and validates every *.yaml pack and library file in dir. EINVALID names the
// file and line of the first problem.
func LoadDir(dir string) (*Set, error) {
	return loadFrom(os.DirFS(dir), ".", func(n string) string { return filepath.Join(dir, n) })
}

// LoadFS loads and validates the *.yaml files in dir of fsys.
func LoadFS(fsys fs.FS, dir string) (*Set, error) {
	return loadFrom(fsys, dir, func(n string) string { return path.Join(dir, n) })
}

func loadFrom(fsys fs.FS, dir string, show func(string) string) (*Set, error) {
	ents, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, casefile.Errorf(casefile.EINVALID, "law", "cannot read the pack folder %s", show(""))
	}
	var files []*file
	for _, e := range ents {
		if e.IsDir() || !(strings.HasSuffix(e.Name(), ".yaml") || strings.HasSuffix(e.Name(), ".yml")) {
			continue
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, casefile.Errorf(casefile.EINVALID, "law", "%s: cannot read", show(e.Name()))
		}
		f, err := parseFile(show(e.Name()), b)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return build(files)
}

// Parse parses and validates one pack file together with the library files it uses, given as
// name → content. It is what the fuzz target drives.
func Parse(files map[string][]byte) (*Set, error) {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var fs []*file
	for _, n := range names {
		f, err := parseFile(n, files[n])
		if err != nil {
			return nil, err
		}
		fs = append(fs, f)
	}
	return build(fs)
}

// build compiles parsed files into packs, validating each.
func build(files []*file) (*Set, error) {
	libs := map[string]*file{}
	var packs []*file
	for _, f := range files {
		if f.Library != "" {
			if _, dup := libs[f.Library]; dup {
				return nil, packErr(f.name, 1, "library %q is defined twice", f.Library)
			}
			libs[f.Library] = f
		} else {
			packs = append(packs, f)
		}
	}
	if len(packs) == 0 {
		return nil, casefile.Errorf(casefile.EINVALID, "law", "no pack file (a file with `pack: NAME`) found")
	}
	s := &Set{Packs: map[string]*Pack{}}
	for _, pf := range packs {
		if _, dup := s.Packs[pf.Pack]; dup {
			return nil, packErr(pf.name, 1, "pack %q is defined twice", pf.Pack)
		}
		parts := []*file{}
		for _, u := range pf.Uses {
			l, ok := libs[u]
			if !ok {
				return nil, packErr(pf.name, 1, "uses: no library %q", u)
			}
			parts = append(parts, l)
		}
		parts = append(parts, pf)
		p, err := compile(pf, parts)
		if err != nil {
			return nil, err
		}
		s.Packs[p.Name] = p
		s.Names = append(s.Names, p.Name)
	}
	sort.Strings(s.Names)
	return s, nil
}

func compile(pf *file, parts []*file) (*Pack, error) {
	h := sha256.New()
	p := &Pack{Name: pf.Pack, Title: pf.Title, Units: pf.Units, Minimum: pf.Minimum, NotPointer: pf.NotPointer,
		index: map[string]int{}, outcomeDef: map[string]*OutcomeDef{}, ruleIdx: map[string]int{}, omitEl: -1}
	if len(p.Units) == 0 {
		p.Units = []string{"individual_act", "situation"}
	}
	for _, f := range parts {
		p.Files = append(p.Files, f.name)
		h.Write([]byte(f.name))
		h.Write(bytes.TrimSpace(f.raw))
		for _, e := range f.Elements {
			if err := p.addElement(e); err != nil {
				return nil, err
			}
		}
	}
	p.Version = pf.Version + "+" + hex.EncodeToString(h.Sum(nil))[:8]
	ch := sha256.New()
	for _, e := range p.Elements {
		ch.Write([]byte(e.ID))
		ch.Write([]byte{0})
		for _, a := range e.Answers {
			ch.Write([]byte(a))
			ch.Write([]byte{1})
		}
		for _, o := range sortedKeys(e.AnswerAliases) {
			ch.Write([]byte(o + "\x02" + e.AnswerAliases[o] + "\x03"))
		}
		for _, r := range e.Recode {
			ch.Write([]byte(r + "\x04"))
		}
		for _, a := range e.Aliases {
			ch.Write([]byte(a + "\x05"))
		}
	}
	p.catalog = string(ch.Sum(nil))
	p.nexusEl, p.actorEl = -1, -1
	if i, ok := p.index["cat.1.nexus"]; ok {
		p.nexusEl = i
	}
	if i, ok := p.index["ctx.actor.type"]; ok {
		p.actorEl = i
	}
	v := &validator{p: p}
	for _, f := range parts {
		if f.Omission != nil {
			i, ok := p.index[f.Omission.Element]
			if !ok {
				return nil, packErr(f.name, 1, "omission: element %q is not defined", f.Omission.Element)
			}
			p.omitEl = i
			p.Omission = f.Omission.Codes
			for _, c := range f.Omission.Codes {
				b, ok := p.Elements[i].codes[c]
				if !ok {
					return nil, packErr(f.name, 1, "omission: %q is not an answer of %s", c, f.Omission.Element)
				}
				p.omitMask |= 1 << b
			}
		}
		p.Classes = append(p.Classes, f.Classes...)
		p.Fills = append(p.Fills, f.Fills...)
		p.Defeaters = append(p.Defeaters, f.Defeaters...)
		p.Grounds = append(p.Grounds, f.Grounds...)
		p.Warnings = append(p.Warnings, f.Warnings...)
		p.Tagging = append(p.Tagging, f.Tagging...)
	}
	p.Outcomes, p.Limbs, p.Rules = pf.Outcomes, pf.Limbs, pf.Rules
	if err := v.run(pf, parts); err != nil {
		return nil, err
	}
	fk := []byte(p.catalog)
	for _, f := range p.Fills {
		fk = fmt.Appendf(fk, "%p;", f)
	}
	p.fillKey = string(fk)
	return p, nil
}

func (p *Pack) addElement(e *Element) error {
	if e.ID == "" || !strings.Contains(e.ID, ".") {
		return packErr(e.File, e.Line, "element id %q must be a dotted id such as cat.1.severity", e.ID)
	}
	if len(e.Answers) == 0 {
		return packErr(e.File, e.Line, "element %s: answers are required", e.ID)
	}
	if len(e.Answers) > 63 {
		return packErr(e.File, e.Line, "element %s: at most 63 answers", e.ID)
	}
	if e.Question["en"] == "" {
		return packErr(e.File, e.Line, "element %s: question.en is required", e.ID)
	}
	if e.Source == "" {
		return packErr(e.File, e.Line, "element %s: source is required", e.ID)
	}
	if e.Guidance == "" || e.Evidence == "" {
		return packErr(e.File, e.Line, "element %s: guidance and evidence are required", e.ID)
	}
	e.codes = map[string]int{}
	e.raise = e.ID + ": " + raiseHint
	e.single = append([]string(nil), e.Answers...)
	for i, c := range e.Answers {
		if c == "" || c == casefile.CodeUnknown {
			return packErr(e.File, e.Line, "element %s: answer %q is reserved or empty (unknown is always allowed)", e.ID, c)
		}
		if _, dup := e.codes[c]; dup {
			return packErr(e.File, e.Line, "element %s: answer %q is listed twice", e.ID, c)
		}
		e.codes[c] = i
	}
	for old, nw := range e.AnswerAliases {
		if _, ok := e.codes[nw]; !ok {
			return packErr(e.File, e.Line, "element %s: answer alias %q → %q: %q is not an allowed answer", e.ID, old, nw, nw)
		}
	}
	for _, id := range append([]string{e.ID}, e.Aliases...) {
		if j, dup := p.index[id]; dup {
			o := p.Elements[j]
			return packErr(e.File, e.Line, "element id %q is already defined at %s:%d", id, o.File, o.Line)
		}
		p.index[id] = len(p.Elements)
	}
	if len(p.Elements) >= maxElements {
		return packErr(e.File, e.Line, "a pack may hold at most %d elements", maxElements)
	}
	p.Elements = append(p.Elements, e)
	return nil
}

// Element returns the element with the given id or alias.
func (p *Pack) Element(id string) (*Element, bool) {
	i, ok := p.index[id]
	if !ok {
		return nil, false
	}
	return p.Elements[i], true
}

// Used reports whether the pack's rules, fills, classes or minimum facts read the element.
func (p *Pack) Used(id string) bool {
	i, ok := p.index[id]
	return ok && p.used[i]
}

// Outcome returns the declaration of an outcome code.
func (p *Pack) Outcome(code string) *OutcomeDef { return p.outcomeDef[code] }

// noNil rejects empty list items ("- " with nothing after it), which the decoder leaves as nil.
func (f *file) noNil() error {
	check := func(what string, n int, isNil func(int) bool) error {
		for i := 0; i < n; i++ {
			if isNil(i) {
				return fmt.Errorf("%s: item %d is empty", what, i+1)
			}
		}
		return nil
	}
	for _, c := range []struct {
		what  string
		n     int
		isNil func(int) bool
	}{
		{"elements", len(f.Elements), func(i int) bool { return f.Elements[i] == nil }},
		{"rules", len(f.Rules), func(i int) bool { return f.Rules[i] == nil }},
		{"classes", len(f.Classes), func(i int) bool { return f.Classes[i] == nil }},
		{"fills", len(f.Fills), func(i int) bool { return f.Fills[i] == nil }},
		{"defeaters", len(f.Defeaters), func(i int) bool { return f.Defeaters[i] == nil }},
		{"grounds", len(f.Grounds), func(i int) bool { return f.Grounds[i] == nil }},
		{"warnings", len(f.Warnings), func(i int) bool { return f.Warnings[i] == nil }},
		{"tagging", len(f.Tagging), func(i int) bool { return f.Tagging[i] == nil }},
		{"outcomes", len(f.Outcomes), func(i int) bool { return f.Outcomes[i] == nil }},
		{"limbs", len(f.Limbs), func(i int) bool { return f.Limbs[i] == nil }},
	} {
		if err := check(c.what, c.n, c.isNil); err != nil {
			return err
		}
	}
	for _, r := range f.Rules {
		for _, c := range r.ContestedIf {
			if c == nil {
				return fmt.Errorf("rule %s: empty contested_if item", r.ID)
			}
		}
		for _, t := range r.TagIf {
			if t == nil || t.When == nil {
				return fmt.Errorf("rule %s: tag_if needs tag, value and when", r.ID)
			}
		}
	}
	for _, d := range f.Defeaters {
		for _, c := range d.ContestedIf {
			if c == nil || c.When == nil {
				return fmt.Errorf("defeater %s: contested_if needs reason and when", d.ID)
			}
		}
	}
	return nil
}
