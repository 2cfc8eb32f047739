package exchange

import (
	"bytes"
	"strings"
	"testing"

	"github.com/casefile/casefile"
)

func TestReadBundle_ErrorsSayWhere(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"syntax", "{\n\"format\": \"casefile-bundle\",\n\"version\": 1,\n\"persons\": [ {\"id\": \"per_a\" \"descriptor\": \"x\"} ]\n}", "b.json:4: malformed JSON"},
		{"type", "{\n\"format\": \"casefile-bundle\",\n\"version\": 1,\n\"persons\": [\n {\"id\": \"per_a\", \"age\": \"old\"}\n]}", "b.json:5: field persons.age"},
		{"unknown field", `{"format": "casefile-bundle", "version": 1, "persons": [{"id": "per_a", "name": "Real Name"}]}`, `unknown field "name"`},
		{"format", `{"format": "other", "version": 1}`, "field format"},
		{"version", `{"format": "casefile-bundle", "version": 7}`, "field version: 7"},
		{"null record", `{"format": "casefile-bundle", "version": 1, "acts": [null]}`, "acts[0] is null"},
		{"empty", ``, "empty file"},
		{"truncated", `{"format": "casefile-bundle", "version": 1, "acts": [`, "ends inside the bundle"},
		{"trailing", `{"format": "casefile-bundle", "version": 1} {}`, "unexpected data after the bundle"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadBundle(strings.NewReader(tc.in), "b.json")
			if casefile.ErrorKind(err) != casefile.EINVALID || !strings.Contains(casefile.ErrorMessage(err), tc.want) {
				t.Fatalf("error %q, want kind invalid containing %q", casefile.ErrorMessage(err), tc.want)
			}
		})
	}
}

func TestBundle_WriteRead(t *testing.T) {
	age := 29
	b := &casefile.Bundle{Format: casefile.BundleFormat, Version: 1, Persons: []*casefile.Person{{ID: "per_a", Descriptor: "Male drug user, 29, Volgograd", Age: &age}}}
	var buf bytes.Buffer
	if err := WriteBundle(&buf, b); err != nil {
		t.Fatal(err)
	}
	got, err := ReadBundle(&buf, "b.json")
	if err != nil {
		t.Fatal(err)
	}
	if got.Persons[0].Descriptor != b.Persons[0].Descriptor || *got.Persons[0].Age != 29 {
		t.Fatalf("read back %+v", got.Persons[0])
	}
}

func TestReadCSV(t *testing.T) {
	in := "id,event_id,victim_id,type,perpetrator_types,degrees,date_start,consequences\n" +
		"act_1,evt_1,per_1,beating,police;official,carried_out;acquiesced,2010-05,injury;severe_pain\n" +
		"act_2,evt_1,per_2,humiliation,,,2011,\n"
	b, err := ReadCSV(strings.NewReader(in), "acts.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Acts) != 2 || len(b.Acts[0].Involvements) != 2 || b.Acts[0].Involvements[1].Degree != "acquiesced" ||
		b.Acts[0].Date.Precision != "month" || b.Acts[1].Date.Precision != "year" || len(b.Acts[0].Consequences) != 2 {
		t.Fatalf("acts read: %+v %+v", b.Acts[0], b.Acts[1])
	}
	p, err := ReadCSV(strings.NewReader("descriptor,age,city\n\"Woman, 40, Orsk\",40,Orsk\n"), "p.csv")
	if err != nil || len(p.Persons) != 1 || *p.Persons[0].Age != 40 {
		t.Fatalf("persons: %v %+v", err, p)
	}
}

func TestReadCSV_ErrorsSayWhere(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"bad number", "descriptor,age\nA,30\nB,thirty\n", "p.csv:3: field age: \"thirty\" is not a whole number"},
		{"missing required", "id,event_id,victim_id,type\nact_1,evt_1,,beating\n", "p.csv:2: field victim_id: is required"},
		{"unknown column", "descriptor,real_name\nA,B\n", "p.csv:1: column \"real_name\""},
		{"no kind", "foo,bar\n1,2\n", "p.csv:1: the header names no known kind"},
		{"bad date", "title,date_start\nE,2010-13\n", "p.csv:2: field date_start"},
		{"unbalanced degrees", "id,event_id,victim_id,type,perpetrator_types,degrees\na,e,v,beating,police;official,carried_out\n", "p.csv:2: field degrees"},
		{"bad quoting", "descriptor,age\n\"A,30\n", "p.csv:"},
		{"empty", "", "p.csv: empty file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadCSV(strings.NewReader(tc.in), "p.csv")
			if casefile.ErrorKind(err) != casefile.EINVALID || !strings.Contains(casefile.ErrorMessage(err), tc.want) {
				t.Fatalf("error %q, want one containing %q", casefile.ErrorMessage(err), tc.want)
			}
		})
	}
}

// FuzzReadBundle: no input makes the bundle reader panic, and whatever it accepts writes back
// and reads again to the same records.
func FuzzReadBundle(f *testing.F) {
	f.Add([]byte(`{"format": "casefile-bundle", "version": 1, "persons": [{"id": "per_a", "descriptor": "A", "age": 3}]}`))
	f.Add([]byte(`{"format": "casefile-bundle", "version": 1, "acts": [{"id": "a", "event_id": "e", "victim_id": "v", "type": "beating", "involvements": [{"perpetrator_type": "police", "degree": "carried_out"}]}]}`))
	f.Add([]byte(`{"format": "casefile-bundle", "version": 1, "testimonies": [{"narrative": {"lang": "ru", "body": "галоперидол"}, "passages": [{"id": "p", "start": 0, "end": 4}]}]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ReadBundle(bytes.NewReader(data), "f.json")
		if err != nil {
			if casefile.ErrorKind(err) != casefile.EINVALID {
				t.Fatalf("error of kind %q: %v", casefile.ErrorKind(err), err)
			}
			return
		}
		var buf bytes.Buffer
		if err := WriteBundle(&buf, b); err != nil {
			t.Fatal(err)
		}
		again, err := ReadBundle(bytes.NewReader(buf.Bytes()), "f.json")
		if err != nil {
			t.Fatalf("re-reading what was written: %v", err)
		}
		var buf2 bytes.Buffer
		WriteBundle(&buf2, again)
		if !bytes.Equal(buf.Bytes(), buf2.Bytes()) {
			t.Fatal("write → read → write is not stable")
		}
	})
}

// FuzzReadCSV: no input makes the CSV reader panic; errors are always input errors that say where.
func FuzzReadCSV(f *testing.F) {
	f.Add("descriptor,age,city\nA,30,Orsk\n")
	f.Add("id,event_id,victim_id,type,perpetrator_types,degrees\na,e,v,beating,police,carried_out\n")
	f.Add("title,date_precision,date_start,date_end\nE,range,2009,2011\n")
	f.Add("\ufeffdescriptor\n\"x\"\"y\"\n")
	f.Fuzz(func(t *testing.T, in string) {
		b, err := ReadCSV(strings.NewReader(in), "f.csv")
		if err != nil {
			if casefile.ErrorKind(err) != casefile.EINVALID || !strings.HasPrefix(casefile.ErrorMessage(err), "f.csv") {
				t.Fatalf("error %q (%s)", casefile.ErrorMessage(err), casefile.ErrorKind(err))
			}
			return
		}
		for _, p := range b.Persons {
			if p.Descriptor == "" {
				t.Fatal("accepted a person without a descriptor")
			}
		}
		for _, a := range b.Acts {
			if a.EventID == "" || a.VictimID == "" || a.Type == "" {
				t.Fatal("accepted an act without event, victim or type")
			}
		}
	})
}
