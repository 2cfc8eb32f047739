package vocab

import (
	"strings"
	"testing"

	"github.com/casefile/casefile"
)

func TestDefault(t *testing.T) {
	vs := Default()
	for _, name := range []string{"domain", "setting", "act_type", "perpetrator_type", "degree", "consequence", "source_kind", "characteristic", "reliability", "connection"} {
		v := vs[name]
		if v == nil {
			t.Fatalf("vocabulary %s is missing", name)
		}
		for _, code := range []string{casefile.CodeOther, casefile.CodeUnknown} {
			if _, ok := v.Lookup(code); !ok {
				t.Errorf("%s lacks %s", name, code)
			}
		}
	}
	// The act types the paper documents, which no general documentation vocabulary has.
	for _, code := range []string{"denial_of_ost", "untreated_withdrawal", "withdrawal_exploited", "denial_of_pain_relief", "non_therapeutic_psychiatric_medication",
		"forced_treatment", "flogging", "handcuffing_to_bed", "planting_of_drugs", "extortion", "beating", "asphyxiation", "electric_shock", "sexual_violence",
		"humiliation", "medical_misinformation", "denial_of_hiv_tb_care"} {
		if _, ok := vs["act_type"].Lookup(code); !ok {
			t.Errorf("act_type lacks %s", code)
		}
	}
	for _, code := range []string{"failed_to_prevent", "acquiesced", "authored_law"} {
		if _, ok := vs["degree"].Lookup(code); !ok {
			t.Errorf("degree lacks %s", code)
		}
	}
	if got := vs.Label("setting", "narcology_clinic", "ru"); got != "Наркологический диспансер" {
		t.Errorf("Russian label = %q", got)
	}
	if got := vs.Label("act_type", "asphyxiation", "en"); !strings.HasPrefix(got, "Asphyxiation") {
		t.Errorf("English label = %q", got)
	}
	beating, _ := vs["act_type"].Lookup("beating")
	if beating.Parent != "ill_treatment" {
		t.Errorf("beating's parent = %q, want ill_treatment", beating.Parent)
	}
}

func TestParse_Errors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"domain\tmedia\t\tMedia\n", "v.tsv:1: want 5 tab-separated fields"},
		{"domain\tmedia\t\tMedia\t\n", "v.tsv:1: term domain.media needs an English and a Russian label"},
		{"domain\tmedia\tnone\tMedia\tСМИ\n", "v.tsv:1: parent \"none\""},
		{"domain\tmedia\t\tMedia\tСМИ\ndomain\tmedia\t\tMedia\tСМИ\n", "v.tsv:2: code domain.media is defined twice"},
		{"domain\tmedia\t\tMedia\tСМИ\n", "vocabulary domain lacks the code \"other\""},
		{"Domain\tmedia\t\tMedia\tСМИ\n", "v.tsv:1: vocabulary and code must be lower-case"},
	} {
		_, err := Parse(strings.NewReader(tc.in), "v.tsv")
		if err == nil || !strings.Contains(casefile.ErrorMessage(err), tc.want) {
			t.Errorf("Parse(%q) = %v, want %q", tc.in, err, tc.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(shipped)
	f.Add("x\ta\t\tA\tА\nx\tother\t\tO\tД\nx\tunknown\t\tU\tН\n")
	f.Fuzz(func(t *testing.T, in string) {
		vs, err := Parse(strings.NewReader(in), "f.tsv")
		if err != nil {
			return
		}
		for _, v := range vs {
			if _, ok := v.Lookup(casefile.CodeOther); !ok {
				t.Fatal("accepted a vocabulary without other")
			}
		}
	})
}
