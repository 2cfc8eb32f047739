package law

import (
	"strings"
	"testing"

	"github.com/casefile/casefile"
)

// answers builds an answer set from "element=code[,code]" pairs.
func answers(pairs ...string) map[string]casefile.Answer {
	out := map[string]casefile.Answer{}
	for _, p := range pairs {
		k, v, ok := strings.Cut(p, "=")
		if !ok {
			panic("bad pair " + p)
		}
		out[k] = casefile.Answer{Codes: strings.Split(v, ","), Strength: casefile.StrengthCorroborated}
	}
	return out
}

func with(base map[string]casefile.Answer, pairs ...string) map[string]casefile.Answer {
	out := map[string]casefile.Answer{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range answers(pairs...) {
		out[k] = v
	}
	return out
}

func assess(t *testing.T, pack string, a map[string]casefile.Answer) *Result {
	t.Helper()
	p, err := Builtin().Pack(pack)
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Assess(Input{Answers: a})
	if err != nil {
		t.Fatalf("%s: %v", pack, err)
	}
	return res
}

func find(res *Result, code string) *casefile.Outcome {
	for i := range res.Outcomes {
		if res.Outcomes[i].Code == code {
			return &res.Outcomes[i]
		}
	}
	return nil
}

func firedBy(res *Result, code, rule string) bool {
	o := find(res, code)
	if o == nil {
		return false
	}
	for _, r := range o.Rules {
		if r == rule {
			return true
		}
	}
	return false
}

var (
	catAct      = answers("ctx.unit=individual_act", "ctx.setting=police_station", "ctx.actor.type=state_official", "cat.1.act=beating")
	custodyCare = answers("ctx.unit=individual_act", "ctx.setting=prison", "ctx.actor.type=state_health_worker", "cat.1.act=treatment_denied",
		"ctx.custody=yes", "health.need=serious_condition", "health.staff_informed=informed_or_aware", "health.care_provided=no_care")
	icescrAct = answers("ctx.unit=individual_act", "ctx.setting=prison", "icescr.12.service=OST")
)

// golden is one rule's case: the answers that make it fire, and single-element flips that each
// must stop it. Every rule of every pack has one (TestGolden_EveryRuleCovered).
type golden struct {
	name    string
	pack    string
	rule    string
	outcome string
	answers map[string]casefile.Answer
	tags    map[string]string // tag → value the outcome must carry
	flips   []string          // element=code, each of which blocks the rule
}

var goldens = []golden{
	{name: "torture by police for a confession", pack: "cat", rule: "R1_torture_CAT1", outcome: "torture",
		answers: with(catAct, "cat.1.severity=severe", "cat.1.intent=deliberate", "cat.1.purpose=confession/information", "cat.16.powerlessness=yes"),
		flips: []string{"cat.1.severity=serious_not_severe", "cat.1.intent=negligent", "cat.1.purpose=none_identifiable", "cat.16.powerlessness=no",
			"cat.1.lawful_sanction=yes_only_lawful_sanction", "cat.16.force_necessity=strictly_necessary_and_proportionate",
			"impact.individual=general_risk_only", "health.therapeutic_necessity=convincingly_shown", "cat.1.nexus=private_no_state_link"}},
	{name: "cidt: serious ill-treatment without purpose", pack: "cat", rule: "R2_CIDT_CAT16", outcome: "cidt",
		answers: with(catAct, "cat.1.severity=serious_not_severe", "cat.16.threshold=inhuman"),
		flips:   []string{"cat.16.force_necessity=strictly_necessary_and_proportionate", "cat.1.lawful_sanction=yes_only_lawful_sanction", "cat.1.nexus=private_no_state_link"}},
	{name: "cidt: omission known to staff", pack: "cat", rule: "R2_CIDT_CAT16", outcome: "cidt",
		answers: with(catAct, "cat.1.act=treatment_denied", "cat.1.severity=severe", "cat.16.negligence=aware_and_failed_to_act", "ctx.custody=no"),
		flips:   []string{"cat.16.negligence=could_not_have_known", "health.care_provided=requested_treatment_provided", "health.need=minor_condition"}},
	{name: "cidt: detention health", pack: "cat", rule: "R2b_CIDT_detention_health", outcome: "cidt", answers: custodyCare,
		tags:  map[string]string{"basis": "detention_health"},
		flips: []string{"health.care_provided=requested_treatment_provided", "health.need=minor_condition", "health.staff_informed=not_informed_and_not_evident", "ctx.custody=no"}},
	{name: "cat2: private rehab the state knew of", pack: "cat", rule: "R3_state_failure_CAT2_GC2_18", outcome: "cat2_failure",
		answers: answers("ctx.unit=individual_act", "ctx.setting=private_rehab_centre", "ctx.actor.type=private_rehab_staff", "cat.1.act=beating",
			"cat.1.severity=severe", "cat.2.private.knowledge=knew_or_ought_to_have_known", "cat.2.private.due_diligence=no_measures"),
		flips: []string{"cat.2.private.due_diligence=adequate_measures", "cat.2.private.knowledge=no_grounds_to_know", "cat.1.severity=minor"}},
	{name: "cat2: preventive measures absent", pack: "cat", rule: "R3_state_failure_CAT2_GC2_18", outcome: "cat2_failure",
		answers: with(catAct, "cat.1.severity=severe", "cat.2.prevention=absent"),
		flips:   []string{"cat.2.prevention=measures_existed_and_applied"}},
	{name: "cat procedural: complaint ignored", pack: "cat", rule: "R3b_procedural_CAT12_13_14", outcome: "cat_procedural",
		answers: with(catAct, "proc.arguable_claim=arguable", "cat.13.complaint=complaint_ignored"),
		flips:   []string{"proc.arguable_claim=not_arguable", "cat.13.complaint=complaint_examined", "cat.1.nexus=private_no_state_link"}},
	{name: "echr3 torture: very serious and cruel", pack: "echr3", rule: "E1_echr3_torture", outcome: "echr3_torture",
		answers: with(catAct, "cat.1.severity=very_serious_and_cruel", "cat.1.intent=deliberate", "cat.1.purpose=confession/information"),
		flips:   []string{"cat.1.severity=severe", "cat.1.intent=accidental", "cat.16.force_necessity=strictly_necessary_and_proportionate"}},
	{name: "echr3 inhuman or degrading", pack: "echr3", rule: "E2_echr3_inhuman_degrading", outcome: "echr3_inhuman_degrading",
		answers: with(catAct, "cat.1.severity=serious_not_severe"), tags: map[string]string{"basis": "treatment"},
		flips: []string{"cat.16.force_necessity=strictly_necessary_and_proportionate", "cat.1.nexus=private_no_state_link"}},
	{name: "echr3 detention health", pack: "echr3", rule: "E3_echr3_detention_health", outcome: "echr3_inhuman_degrading", answers: custodyCare,
		tags:  map[string]string{"basis": "detention_health"},
		flips: []string{"health.need=minor_condition", "health.care_provided=requested_treatment_provided"}},
	{name: "echr3 procedural: no remedy in practice", pack: "echr3", rule: "E4_echr3_procedural", outcome: "echr3_procedural",
		answers: with(catAct, "proc.arguable_claim=arguable", "proc.remedy=not_available_in_practice"),
		flips:   []string{"proc.arguable_claim=not_arguable", "proc.remedy=available_effective"}},
	{name: "icescr respect: state denial", pack: "icescr12", rule: "R4a_ICESCR12_respect", outcome: "icescr12_respect",
		answers: with(icescrAct, "icescr.12.respect.deny=denied_or_limited_by_state"), tags: map[string]string{"aaaq": "accessibility"},
		flips: []string{"icescr.12.respect.deny=not_denied"}},
	{name: "icescr respect: misinformation", pack: "icescr12", rule: "R4a_ICESCR12_respect", outcome: "icescr12_respect",
		answers: with(icescrAct, "icescr.12.respect.misinformation=state_withheld_or_misrepresented"),
		flips:   []string{"icescr.12.respect.misinformation=no_state_misinformation"}},
	{name: "icescr respect: non-evidence-based state treatment", pack: "icescr12", rule: "R4a_ICESCR12_respect", outcome: "icescr12_respect",
		answers: with(icescrAct, "icescr.12.quality=not_evidence_based", "icescr.12.provider=state_run"), tags: map[string]string{"aaaq": "quality"},
		flips: []string{"icescr.12.provider=private", "icescr.12.quality=evidence_based"}},
	{name: "icescr protect: third party", pack: "icescr12", rule: "R4b_ICESCR12_protect", outcome: "icescr12_protect",
		answers: with(icescrAct, "icescr.12.protect.third_party=third_party_harm_and_state_failed", "icescr.12.quality=not_evidence_based"),
		tags:    map[string]string{"aaaq": "quality"},
		flips:   []string{"icescr.12.protect.third_party=third_party_harm_state_acted"}},
	{name: "icescr fulfil: insufficient steps, no justification", pack: "icescr12", rule: "R4c_ICESCR12_fulfil", outcome: "icescr12_fulfil",
		answers: with(icescrAct, "icescr.12.availability=available_insufficient", "icescr.12.fulfil.justification=no_justification_shown"),
		tags:    map[string]string{"aaaq": "availability"},
		flips:   []string{"icescr.12.fulfil.justification=resource_constraint_and_effort_shown", "icescr.12.availability=available_adequate"}},
	{name: "icescr core: EML medicine banned", pack: "icescr12", rule: "R4d_ICESCR12_core", outcome: "icescr12_core",
		answers: with(icescrAct, "icescr.12.core.essential_drugs=prohibited_by_law", "icescr.12.core.eml_listed=listed_at_date"),
		tags:    map[string]string{"basis": "para43d", "aaaq": "availability"},
		flips:   []string{"icescr.12.core.eml_listed=not_listed_at_date", "icescr.12.core.essential_drugs=alternative_prohibited_other_available"}},
	{name: "icescr core: group excluded without justification", pack: "icescr12", rule: "R4d_ICESCR12_core", outcome: "icescr12_core",
		answers: with(icescrAct, "icescr.12.core.nondiscrim_access=group_excluded", "icescr.2_2.justification=no_justification_shown"),
		tags:    map[string]string{"basis": "para43a"},
		flips:   []string{"icescr.2_2.justification=reasonable_and_objective", "icescr.12.core.nondiscrim_access=no_group_exclusion"}},
	{name: "icescr 2(2) discrimination", pack: "icescr12", rule: "R4x_discrimination_overlay", outcome: "icescr2_2_discrimination",
		answers: with(icescrAct, "icescr.2_2.differential=differential_treatment_shown", "icescr.2_2.ground=drug_use/dependence (health status)",
			"icescr.2_2.justification=no_justification_shown", "icescr.2_2.level=law_or_policy"),
		tags:  map[string]string{"level": "law_or_policy", "ground": "drug_use/dependence (health status)"},
		flips: []string{"icescr.2_2.justification=reasonable_and_objective", "icescr.2_2.differential=no_differential_treatment"}},
	{name: "iccpr7 ill-treatment", pack: "iccpr7", rule: "I1_iccpr7", outcome: "iccpr7_ill_treatment",
		answers: with(catAct, "cat.1.severity=serious_not_severe"),
		flips:   []string{"cat.16.force_necessity=strictly_necessary_and_proportionate", "cat.1.nexus=private_no_state_link"}},
	{name: "iccpr10 detention", pack: "iccpr7", rule: "I2_iccpr10", outcome: "iccpr10_inhumane_detention",
		answers: with(catAct, "ctx.custody=yes", "iccpr.10.dignity=not_treated_with_humanity"),
		flips:   []string{"iccpr.10.dignity=treated_with_humanity", "ctx.custody=no"}},
	{name: "iccpr7 procedural", pack: "iccpr7", rule: "I3_iccpr7_procedural", outcome: "iccpr7_procedural",
		answers: with(catAct, "proc.arguable_claim=arguable", "cat.13.complaint=reprisal"),
		flips:   []string{"proc.arguable_claim=not_arguable", "cat.13.complaint=complaint_examined"}},
}

// TestGolden_Rules: each rule fires on its case with a reason chain naming the rule and its
// sources, and each listed flip of one element stops it.
func TestGolden_Rules(t *testing.T) {
	for _, g := range goldens {
		t.Run(g.pack+"/"+g.name, func(t *testing.T) {
			res := assess(t, g.pack, g.answers)
			if !firedBy(res, g.outcome, g.rule) {
				t.Fatalf("%s did not give %s:\n%s", g.rule, g.outcome, dump(res.Outcomes))
			}
			o := find(res, g.outcome)
			last := o.ReasonChain[len(o.ReasonChain)-1]
			if !hasRule(o.ReasonChain, g.rule) || len(o.Sources) == 0 || o.Article == "" || last.Source == "" {
				t.Errorf("reason chain lacks the rule or its sources: %s", dump(o))
			}
			if o.EvidenceLabel == "" {
				t.Errorf("no evidence label")
			}
			for k, v := range g.tags {
				if !contains(o.Tags[k], v) {
					t.Errorf("tag %s=%s missing: %v", k, v, o.Tags)
				}
			}
			for _, f := range g.flips {
				res := assess(t, g.pack, with(g.answers, f))
				if firedBy(res, g.outcome, g.rule) {
					t.Errorf("flip %s: %s still gives %s", f, g.rule, g.outcome)
				}
			}
		})
	}
}

func hasRule(chain []casefile.Reason, rule string) bool {
	for _, r := range chain {
		if r.Rule == rule {
			return true
		}
	}
	return false
}

// TestGolden_EveryRuleCovered fails when a pack gains a rule without a golden case.
func TestGolden_EveryRuleCovered(t *testing.T) {
	covered := map[string]bool{}
	for _, g := range goldens {
		covered[g.pack+"/"+g.rule] = true
	}
	set := Builtin()
	for _, n := range set.Names {
		for _, r := range set.Packs[n].Rules {
			if !covered[n+"/"+r.ID] {
				t.Errorf("rule %s/%s has no golden case", n, r.ID)
			}
		}
	}
}

// TestUnknownIsNotNo: an unknown severity leaves the limb undetermined, naming what would decide
// it; a coded minor severity below the threshold excludes the rules (NV2).
func TestUnknownIsNotNo(t *testing.T) {
	res := assess(t, "cat", with(catAct, "cat.1.intent=deliberate"))
	o := find(res, "insufficient_information")
	if o == nil || o.Limb != "substantive" {
		t.Fatalf("want insufficient_information for the substantive limb: %s", dump(res.Outcomes))
	}
	if !contains(o.OpenQuestions, "cat.1.severity") || !contains(res.Missing, "cat.1.severity") {
		t.Errorf("cat.1.severity is not among the next questions: %v / %v", o.OpenQuestions, res.Missing)
	}
	var cands []string
	for _, c := range o.Candidates {
		cands = append(cands, c.Code)
	}
	if !contains(cands, "torture") || !contains(cands, "cidt") {
		t.Errorf("candidates %v, want torture and cidt", cands)
	}
	res = assess(t, "cat", with(catAct, "cat.1.intent=deliberate", "cat.1.severity=minor", "cat.16.threshold=below_threshold", "ctx.custody=no"))
	nv := find(res, "no_violation")
	if nv == nil || find(res, "insufficient_information") != nil {
		t.Fatalf("want no_violation: %s", dump(res.Outcomes))
	}
	if !strings.Contains(dump(nv.ReasonChain), "NV2") {
		t.Errorf("no_violation does not name NV2: %s", dump(nv.ReasonChain))
	}
}

// TestJustificationAndSilence: with the justification unknown, discrimination is a candidate, not
// a violation (reference §2.5).
func TestJustificationAndSilence(t *testing.T) {
	res := assess(t, "icescr12", with(icescrAct, "icescr.2_2.differential=differential_treatment_shown", "icescr.2_2.ground=HIV"))
	if find(res, "icescr2_2_discrimination") != nil {
		t.Fatal("discrimination reported although the state's justification is unknown")
	}
	o := find(res, "insufficient_information")
	if o == nil || len(o.Candidates) != 1 || o.Candidates[0].Code != "icescr2_2_discrimination" || !contains(o.Candidates[0].Missing, "icescr.2_2.justification") {
		t.Fatalf("want the candidate waiting on icescr.2_2.justification: %s", dump(res.Outcomes))
	}
}

// TestContested: the flags of reference §8.0 items 1, 2, 3 and 5.
func TestContested(t *testing.T) {
	cases := []struct {
		pack, code string
		a          map[string]casefile.Answer
		reason     string
	}{
		{"cat", "torture", with(catAct, "cat.1.severity=severe", "cat.1.intent=deliberate", "cat.1.purpose=punishment", "cat.16.powerlessness=unclear"), "unclear"},
		{"cat", "cidt", with(catAct, "cat.1.severity=severe", "cat.1.intent=deliberate", "cat.1.purpose=punishment", "cat.16.powerlessness=no"), "powerlessness"},
		{"echr3", "echr3_torture", with(catAct, "cat.1.severity=very_serious_and_cruel", "cat.1.intent=deliberate"), "purposive"},
		{"cat", "cidt", with(custodyCare, "ctx.victim.ost_status=not_available_by_law"), "banned by law"},
	}
	for _, c := range cases {
		o := find(assess(t, c.pack, c.a), c.code)
		if o == nil || !o.Contested || !strings.Contains(strings.Join(o.ContestedReasons, " "), c.reason) {
			t.Errorf("%s %s: want contested (%s): %s", c.pack, c.code, c.reason, dump(o))
		}
	}
	// not contested when nothing is in dispute
	if o := find(assess(t, "cat", with(catAct, "cat.1.severity=severe", "cat.1.intent=deliberate", "cat.1.purpose=punishment", "cat.16.powerlessness=yes")), "torture"); o == nil || o.Contested {
		t.Errorf("torture on settled facts should not be contested: %s", dump(o))
	}
}

// TestFillsAndEvidence: example A of reference §8.4 — fills are shown in the chain and the
// evidence label is the weakest decisive answer.
func TestFillsAndEvidence(t *testing.T) {
	a := answers("ctx.unit=individual_act", "ctx.setting=police_station", "ctx.actor.type=state_official",
		"cat.1.act=withdrawal_induced_or_exploited,treatment_denied", "ctx.custody=yes", "ctx.victim.dependence=yes",
		"ctx.victim.ost_status=OST_interrupted_by_event", "health.withdrawal=withdrawal_reported", "health.care_provided=no_care",
		"health.individual_assessment=no_assessment", "health.staff_informed=informed_or_aware", "cat.1.severity=severe",
		"cat.16.powerlessness=yes", "cat.1.relief_conditioned=conditioned_on_confession_or_information", "cat.2.safeguards.doctor=not_respected")
	rc := a["cat.1.relief_conditioned"]
	rc.Strength = casefile.StrengthAlleged
	a["cat.1.relief_conditioned"] = rc
	res := assess(t, "cat", a)
	tor, cidt := find(res, "torture"), find(res, "cidt")
	if tor == nil || cidt == nil {
		t.Fatalf("want torture and cidt: %s", dump(res.Outcomes))
	}
	if tor.EvidenceLabel != "alleged" || cidt.EvidenceLabel != "corroborated" {
		t.Errorf("labels torture=%s cidt=%s, want alleged and corroborated", tor.EvidenceLabel, cidt.EvidenceLabel)
	}
	if !hasRule(tor.ReasonChain, "X2_withdrawal_exploited") || !contains(cidt.Tags["basis"], "detention_health") {
		t.Errorf("fill X2 not in the torture chain or basis missing:\n%s", dump(res.Outcomes))
	}
	pre := ""
	for _, o := range res.Outcomes {
		if o.Limb == "prevention" {
			pre = o.Code + ":" + strings.Join(o.OpenQuestions, ",")
		}
	}
	if pre != "insufficient_information:cat.2.prevention" {
		t.Errorf("prevention limb = %q, want insufficient_information waiting on cat.2.prevention", pre)
	}
	e := assess(t, "echr3", a)
	if find(e, "echr3_torture") != nil || find(e, "echr3_inhuman_degrading") == nil {
		t.Errorf("echr3: want inhuman/degrading, not torture: %s", dump(e.Outcomes))
	}
	i := assess(t, "icescr12", with(a, "icescr.12.service=OST"))
	if find(i, "icescr12_respect") == nil {
		t.Errorf("icescr12: X3 should fill respect.deny: %s", dump(i.Outcomes))
	}
}

// TestAnswersRejected: answers outside the allowed set, unknown ids and re-codes are errors
// naming the element.
func TestAnswersRejected(t *testing.T) {
	p, _ := Builtin().Pack("cat")
	for a, want := range map[string]string{
		"cat.1.severity=horrible":             `cat.1.severity: "horrible" is not an allowed answer`,
		"cat.1.sevrity=severe":                `element "cat.1.sevrity" is not defined`,
		"cat.16.negligence=no":                "must be answered again",
		"cat.1.severity=severe,minor":         "takes one answer",
		"cat.1.lawful_sanction=no":            "",
		"cat.16.nexus=public_official_direct": "",
	} {
		_, err := p.Assess(Input{Answers: answers(a)})
		if want == "" {
			if err != nil {
				t.Errorf("%s: alias should be accepted: %v", a, err)
			}
			continue
		}
		if err == nil || !strings.Contains(casefile.ErrorMessage(err), want) {
			t.Errorf("%s: error %v, want %q", a, err, want)
		}
	}
}

// TestSituationNotRunUnderCAT: a situation unit is assessed by icescr12 only (§8.1 P1).
func TestSituationNotRunUnderCAT(t *testing.T) {
	a := answers("ctx.unit=situation", "ctx.situation.measure=law", "icescr.12.service=OST", "icescr.12.availability=prohibited_by_law", "ctx.period=2005_or_later")
	if r := assess(t, "cat", a); r.NotRun == "" || len(r.Outcomes) != 0 {
		t.Errorf("cat on a situation: %s", dump(r))
	}
	r := assess(t, "icescr12", a)
	core := find(r, "icescr12_core")
	if core == nil || !hasRule(core.ReasonChain, "X4_ost_ban") || len(core.Warnings) == 0 {
		t.Errorf("icescr12 on an OST ban: want core via X4 with the divergence warning: %s", dump(r.Outcomes))
	}
}

// TestConsentPrecheck: an account resting on the person's own testimony is not processed without
// informed consent (P0); a consent on record fills it; a published account needs none.
func TestConsentPrecheck(t *testing.T) {
	p := Builtin().Packs["cat"]
	facts := with(catAct, "cat.1.severity=severe", "cat.1.intent=deliberate", "cat.1.purpose=punishment", "cat.16.powerlessness=yes")
	stopped := func(in Input) bool {
		res, err := p.Assess(in)
		if err != nil {
			t.Fatal(err)
		}
		return len(res.Outcomes) == 1 && res.Outcomes[0].Code == "insufficient_information" && contains(res.Missing, "ip.consent.informed")
	}
	if !stopped(Input{Answers: with(facts, "ctx.source_basis=own_testimony")}) {
		t.Error("own testimony without consent was processed")
	}
	if !stopped(Input{Answers: facts, Testimony: true}) {
		t.Error("a linked testimony with an unknown source basis was processed without consent")
	}
	given := &casefile.Consent{PersonID: "p", Scope: casefile.ConsentUN}
	if stopped(Input{Answers: with(facts, "ctx.source_basis=own_testimony"), Consent: given}) {
		t.Error("the consent on record was not used")
	}
	if stopped(Input{Answers: with(facts, "ctx.source_basis=published_report")}) {
		t.Error("a published report was stopped for consent")
	}
}

// TestReviewerWarnings: a coded answer that differs from a fill, and a severity below a floor,
// are flagged on the outcomes without changing the coded answer.
func TestReviewerWarnings(t *testing.T) {
	a := with(custodyCare, "ctx.victim.dependence=yes", "health.withdrawal=withdrawal_documented", "cat.1.severity=minor",
		"cat.1.nexus=with_official_consent")
	res := assess(t, "cat", a)
	all := strings.Join(res.Warnings, "\n")
	if !strings.Contains(all, "X1_withdrawal_untreated: cat.1.severity is coded minor, below the floor serious_not_severe") {
		t.Errorf("no floor warning: %v", res.Warnings)
	}
	if !strings.Contains(all, "X0_actor_default would fill cat.1.nexus = public_official_direct; the coded answer with_official_consent stands") {
		t.Errorf("no fill-conflict warning: %v", res.Warnings)
	}
	o := find(res, "cidt")
	if o == nil || !strings.Contains(strings.Join(o.Warnings, "\n"), "below the floor") {
		t.Errorf("the warnings do not travel with the outcome: %s", dump(o))
	}
}

// TestEvidenceLabel_Weakest: the label is the weakest strength among the decisive answers.
func TestEvidenceLabel_Weakest(t *testing.T) {
	a := with(catAct, "cat.1.severity=severe", "cat.1.intent=deliberate", "cat.1.purpose=punishment", "cat.16.powerlessness=yes")
	set := func(strength string) map[string]casefile.Answer {
		b := with(a)
		for k, v := range b {
			v.Strength = strength
			b[k] = v
		}
		return b
	}
	for strength, want := range map[string]string{"established": "established", "medically_consistent": "medically_consistent", "corroborated": "corroborated", "": "alleged"} {
		b := set("established")
		sev := b["cat.1.severity"]
		sev.Strength = strength
		b["cat.1.severity"] = sev
		if o := find(assess(t, "cat", b), "torture"); o == nil || o.EvidenceLabel != want {
			t.Errorf("severity %q: label %v, want %s", strength, o, want)
		}
	}
}
