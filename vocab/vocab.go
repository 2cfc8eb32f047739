// Package vocab loads Casefile's controlled vocabularies, shipped as a data file in the binary.
package vocab

import (
	"bufio"
	_ "embed"

	"io"
	"strings"
	"sync"

	"github.com/casefile/casefile"
)

//go:embed vocabularies.tsv
var shipped string

var (
	once   sync.Once
	loaded casefile.Vocabularies
	errLd  error
)

// Default returns the shipped vocabularies. It panics if the shipped file is invalid, which the
// package's tests rule out.
func Default() casefile.Vocabularies {
	once.Do(func() { loaded, errLd = Parse(strings.NewReader(shipped), "vocabularies.tsv") })
	if errLd != nil {
		panic(errLd)
	}
	return loaded
}

// Parse reads vocabularies in the TSV form of vocabularies.tsv: vocabulary, code, parent, en, ru.
// Errors name the file and line. Every vocabulary must hold "other" and "unknown"; a parent must be
// a code of the same vocabulary, given before its children; codes are unique per vocabulary.
func Parse(r io.Reader, name string) (casefile.Vocabularies, error) {
	vs := casefile.Vocabularies{}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.Split(text, "\t")
		if len(f) != 5 {
			return nil, casefile.Errorf(casefile.EINVALID, "vocab.Parse", "%s:%d: want 5 tab-separated fields (vocabulary, code, parent, en, ru), got %d", name, line, len(f))
		}
		vname, code, parent, en, ru := f[0], f[1], f[2], f[3], f[4]
		if !casefile.ValidID(vname) || !casefile.ValidID(code) {
			return nil, casefile.Errorf(casefile.EINVALID, "vocab.Parse", "%s:%d: vocabulary and code must be lower-case identifiers", name, line)
		}
		if en == "" || ru == "" {
			return nil, casefile.Errorf(casefile.EINVALID, "vocab.Parse", "%s:%d: term %s.%s needs an English and a Russian label", name, line, vname, code)
		}
		v := vs[vname]
		if v == nil {
			v = &casefile.Vocabulary{Name: vname}
			vs[vname] = v
		}
		if _, dup := v.Lookup(code); dup {
			return nil, casefile.Errorf(casefile.EINVALID, "vocab.Parse", "%s:%d: code %s.%s is defined twice", name, line, vname, code)
		}
		if parent != "" {
			if _, ok := v.Lookup(parent); !ok {
				return nil, casefile.Errorf(casefile.EINVALID, "vocab.Parse", "%s:%d: parent %q of %s.%s is not defined above it", name, line, parent, vname, code)
			}
		}
		v.Terms = append(v.Terms, casefile.Term{Code: code, Parent: parent, Labels: map[string]string{"en": en, "ru": ru}})
	}
	if err := sc.Err(); err != nil {
		return nil, casefile.Errorf(casefile.EINVALID, "vocab.Parse", "%s: %v", name, err)
	}
	for _, v := range vs {
		for _, must := range []string{casefile.CodeOther, casefile.CodeUnknown} {
			if _, ok := v.Lookup(must); !ok {
				return nil, casefile.Errorf(casefile.EINVALID, "vocab.Parse", "%s: vocabulary %s lacks the code %q", name, v.Name, must)
			}
		}
	}
	return vs, nil
}

// Fields lists the fields of each record kind and the vocabulary that governs them, so importers
// can check codes.
var Fields = map[string]string{
	"event.domain":                 "domain",
	"event.setting":                "setting",
	"act.setting":                  "setting",
	"act.type":                     "act_type",
	"act.consequences":             "consequence",
	"involvement.perpetrator_type": "perpetrator_type",
	"involvement.degree":           "degree",
	"source.kind":                  "source_kind",
	"source.reliability":           "reliability",
	"information.connection":       "connection",
	"information.reliability":      "reliability",
	"person.characteristics":       "characteristic",
	"person.sex":                   "sex",
	"person.counting_unit":         "counting_unit",
	"intervention.kind":            "intervention_kind",
}
