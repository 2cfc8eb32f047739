package exchange

import (
	"encoding/json"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/casefile/casefile"
)

// The documented schema names exactly the fields the Go types encode, so the document cannot
// drift from the format.
func TestSchemaMatchesTypes(t *testing.T) {
	raw, err := os.ReadFile("../docs/bundle.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Properties map[string]any `json:"properties"`
		Defs       map[string]struct {
			Properties map[string]any `json:"properties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatal(err)
	}
	for def, v := range map[string]any{
		"person": casefile.Person{}, "consent": casefile.Consent{}, "source": casefile.Source{}, "evidence": casefile.EvidenceItem{},
		"testimony": casefile.Testimony{}, "event": casefile.Event{}, "act": casefile.Act{}, "involvement": casefile.Involvement{},
		"information": casefile.Information{}, "intervention": casefile.Intervention{}, "indicator": casefile.Indicator{},
		"assessment": casefile.Assessment{}, "answer": casefile.Answer{}, "text": casefile.Text{}, "partial_date": casefile.PartialDate{},
	} {
		want := jsonFields(reflect.TypeOf(v))
		got := keys(schema.Defs[def].Properties)
		if strings.Join(want, ",") != strings.Join(got, ",") {
			t.Errorf("schema $defs/%s has %v, the type encodes %v", def, got, want)
		}
	}
	if want, got := jsonFields(reflect.TypeOf(casefile.Bundle{})), keys(schema.Properties); strings.Join(want, ",") != strings.Join(got, ",") {
		t.Errorf("schema bundle has %v, the type encodes %v", got, want)
	}
}

func jsonFields(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		tag := strings.Split(t.Field(i).Tag.Get("json"), ",")[0]
		if tag != "" && tag != "-" {
			out = append(out, tag)
		}
	}
	sort.Strings(out)
	return out
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
