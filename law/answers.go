package law

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"

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
