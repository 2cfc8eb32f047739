package law

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/casefile/casefile"
)

// ParseAnswers reads an answers file: a JSON object mapping element ids to answers, either bare or
// under "answers". An answer is a code ("severe"), a list of codes, or an object with "codes" (or
// "code"), "strength", "justification", "details", "passages" and "source_ids". name is used in
// error messages, which say which element is wrong; they never repeat free text.
func ParseAnswers(name string, data []byte) (map[string]casefile.Answer, error) {
	var top map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&top); err != nil {
		return nil, casefile.Errorf(casefile.EINVALID, "law", "%s: not a JSON object of answers (%s)", name, jsonWhere(data, err))
	}
	if dec.More() {
		return nil, casefile.Errorf(casefile.EINVALID, "law", "%s: more than one JSON document", name)
	}
	if raw, ok := top["answers"]; ok {
		top = nil
		if err := json.Unmarshal(raw, &top); err != nil {
			return nil, casefile.Errorf(casefile.EINVALID, "law", "%s: \"answers\" must be an object of element id → answer", name)
		}
	}
	out := make(map[string]casefile.Answer, len(top))
	ids := make([]string, 0, len(top))
	for id := range top {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		a, err := parseAnswer(top[id])
		if err != nil {
			return nil, casefile.Errorf(casefile.EINVALID, "law", "%s: answer to %q: %s", name, id, err.Error())
		}
		out[id] = a
	}
	return out, nil
}

func parseAnswer(raw json.RawMessage) (casefile.Answer, error) {
	raw = bytes.TrimSpace(raw)
	var a casefile.Answer
	if len(raw) == 0 {
		return a, fmt.Errorf("empty")
	}
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return a, fmt.Errorf("not a string")
		}
		a.Codes = []string{s}
	case '[':
		if err := json.Unmarshal(raw, &a.Codes); err != nil {
			return a, fmt.Errorf("a list of codes must hold strings only")
		}
	case '{':
		var o struct {
			casefile.Answer
			Code string `json:"code"`
		}
		d := json.NewDecoder(bytes.NewReader(raw))
		d.DisallowUnknownFields()
		if err := d.Decode(&o); err != nil {
			return a, fmt.Errorf("the object has a field or value that is not allowed (codes, code, strength, justification, details, passages, source_ids)")
		}
		a = o.Answer
		if o.Code != "" {
			a.Codes = append([]string{o.Code}, a.Codes...)
		}
	default:
		return a, fmt.Errorf("must be a code, a list of codes or an object")
	}
	if len(a.Codes) == 0 {
		return a, fmt.Errorf("no code given (use \"unknown\" when nothing is known)")
	}
	return a, nil
}

// jsonWhere turns a JSON syntax error into "line N, column M".
func jsonWhere(data []byte, err error) string {
	var se *json.SyntaxError
	if errorsAs(err, &se) {
		line, col := 1, 1
		for i := 0; i < int(se.Offset) && i < len(data); i++ {
			if data[i] == '\n' {
				line++
				col = 1
			} else {
				col++
			}
		}
		return fmt.Sprintf("line %d, column %d: %s", line, col, se.Error())
	}
	return "the top level must be an object"
}

// AnswerLines returns the line of each element id's key in an answers file (top level or under
// "answers", as ParseAnswers reads it), so that an error about an answer can name where it is.
func AnswerLines(data []byte) map[string]int {
	return answerLines(data, 0, true)
}

func answerLines(data []byte, base int64, top bool) map[string]int {
	lines := map[string]int{}
	dec := json.NewDecoder(bytes.NewReader(data[base:]))
	lineAt := func(off int64) int {
		off += base
		if off > int64(len(data)) {
			off = int64(len(data))
		}
		return bytes.Count(data[:off], []byte{'\n'}) + 1
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return lines
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return lines
		}
		key, ok := tok.(string)
		if !ok {
			return lines
		}
		line := lineAt(dec.InputOffset())
		if top && key == "answers" {
			// the value starts after the colon and any space
			rest := data[base+dec.InputOffset():]
			skip := bytes.IndexByte(rest, '{')
			if skip >= 0 && len(bytes.TrimSpace(rest[:skip])) <= 1 {
				return answerLines(data, base+dec.InputOffset()+int64(skip), false)
			}
		}
		lines[key] = line
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return lines
		}
	}
	return lines
}

// CheckAnswers validates answers against the pack (ids, allowed codes, re-codes, strengths)
// without assessing; lines (from AnswerLines) lets the error name the line in file name.
func (p *Pack) CheckAnswers(name string, answers map[string]casefile.Answer, lines map[string]int) error {
	ids := make([]string, 0, len(answers))
	for id := range answers {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		if lines[ids[i]] != lines[ids[j]] {
			return lines[ids[i]] < lines[ids[j]]
		}
		return ids[i] < ids[j]
	})
	st := p.getState()
	defer p.putState(st)
	for _, id := range ids {
		clear(st.s)
		if _, err := p.load(st, map[string]casefile.Answer{id: answers[id]}); err != nil {
			where := name
			if l := lines[id]; l > 0 {
				where = fmt.Sprintf("%s:%d", name, l)
			}
			return casefile.Errorf(casefile.EINVALID, "law", "%s: %s", where, strings.TrimPrefix(casefile.ErrorMessage(err), "answers: "))
		}
	}
	return nil
}
