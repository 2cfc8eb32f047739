package law

import (
	"strings"
	"time"

	"github.com/casefile/casefile"
)

// Record fills: where an answer is unknown, the engine takes context elements from the record
// (setting, actor type from involvements, victim characteristics, the act's date). A coded answer
// is never overwritten. Codes not in a pack's allowed set are left alone.

var actorTypes = map[string]string{
	"police": "state_official", "prison_staff": "state_official", "official": "state_official",
	"state_official": "state_official", "investigator": "state_official", "military": "state_official",
	"prosecutor": "state_official", "judge": "state_official", "prison_administration": "state_official",
	"medical_staff": "state_health_worker", "prison_medical_staff": "state_health_worker", "narcology_staff": "state_health_worker",
	"state_health_worker": "state_health_worker", "doctor": "state_health_worker", "nurse": "state_health_worker",
	"contractor": "contractor_for_state", "contractor_for_state": "contractor_for_state",
	"private_rehab": "private_rehab_staff", "private_rehab_staff": "private_rehab_staff",
	"private_health_worker": "private_health_worker", "private_clinic": "private_health_worker",
	"family": "family_or_private_person", "private_person": "family_or_private_person", "relative": "family_or_private_person",
	"media_outlet": "media_or_public_figure", "media": "media_or_public_figure", "church": "media_or_public_figure",
	"public_figure": "media_or_public_figure",
}

var stateActor = map[string]bool{"state_official": true, "state_health_worker": true, "contractor_for_state": true}

var privateSettings = map[string]bool{"private_rehab_centre": true, "private_health_facility": true}

// settingAliases maps record settings that the packs do not list to the pack's code.
var settingAliases = map[string]string{"prison_hospital": "prison", "penal_institution": "prison", "police_car": "police_station"}

var custodySettings = map[string]bool{"police_station": true, "pretrial_detention": true, "prison": true,
	"prison_colony": true, "state_compulsory_treatment_centre": true, "penal_institution": true}

var actTypes = map[string][]string{
	"beating": {"beating"}, "flogging": {"beating"}, "humiliation": {"humiliation"}, "threats": {"threats"},
	"sexual_violence": {"sexual_violence"}, "rape": {"sexual_violence"}, "isolation": {"isolation"},
	"restraint": {"restraint"}, "handcuffing": {"restraint"}, "handcuffing_to_bed": {"restraint"}, "forced_labour": {"forced_labour"},
	"asphyxiation": {"other"}, "electric_shock": {"other"}, "starvation": {"other"},
	"forced_treatment": {"forced_treatment"}, "non_therapeutic_psychiatric_medication": {"forced_treatment"},
	"denial_of_pain_relief": {"treatment_denied"}, "denial_of_hiv_tb_care": {"treatment_denied"},
	"denial_of_ost": {"treatment_denied"}, "denial_of_care": {"treatment_denied"},
	"inadequate_medical_care": {"inadequate_medical_care"}, "untreated_withdrawal": {"treatment_denied"},
	"withdrawal_exploited": {"withdrawal_induced_or_exploited"}, "positional_stress": {"positional/stress"},
}

var characteristics = map[string]string{
	"hiv": "HIV", "hiv_positive": "HIV", "terminally_ill": "other_chronic_condition", "tb": "TB", "hcv": "HCV", "pregnant": "pregnancy", "pregnancy": "pregnancy",
	"disability": "disability", "chronic_pain": "chronic_pain", "mental_health_condition": "mental_health_condition",
}

func (st *state) setFromRecord(id string, codes ...string) {
	i, ok := st.p.index[id]
	if !ok || st.s[i].mask != 0 {
		return
	}
	e := st.p.Elements[i]
	var m uint64
	for _, c := range codes {
		b, ok := e.codes[c]
		if !ok {
			continue
		}
		if !e.Multi && m != 0 {
			break
		}
		m |= 1 << b
	}
	if m != 0 {
		st.s[i] = slot{mask: m, fill: -1}
	}
}

func fillFromRecord(st *state, in Input, _ elset) {
	if in.Consent != nil {
		if in.Consent.Allows(casefile.ConsentInternal, time.Now()) {
			st.setFromRecord("ip.consent.informed", "informed_consent_given")
		} else {
			st.setFromRecord("ip.consent.informed", "not_obtained") // withdrawn
		}
	}
	a, ev, v := in.Act, in.Event, in.Victim
	if a == nil {
		return
	}
	st.setFromRecord("ctx.unit", "individual_act")
	setting := a.Setting
	if setting == "" && ev != nil {
		setting = ev.Setting
	}
	if s, ok := settingAliases[setting]; ok {
		setting = s
	}
	if setting != "" {
		if e, ok := st.p.Element("ctx.setting"); ok {
			if _, ok := e.codes[setting]; ok {
				st.setFromRecord("ctx.setting", setting)
			} else {
				st.setFromRecord("ctx.setting", "other")
			}
		}
	}
	if custodySettings[setting] {
		st.setFromRecord("ctx.custody", "yes")
		st.setFromRecord("cat.2.custody_context", "yes")
	}
	// the actor who carried out the act; officials who acquiesced give the state link
	var actor string
	acquiesced, ordered := false, false
	for _, inv := range a.Involvements {
		t := actorTypes[strings.ToLower(inv.PerpetratorType)]
		if t == "state_health_worker" && privateSettings[setting] {
			t = "private_health_worker"
		}
		switch inv.Degree {
		case "carried_out", "":
			if actor == "" {
				actor = t
			}
		case "acquiesced", "failed_to_prevent", "consented":
			if stateActor[t] {
				acquiesced = true
			}
		case "ordered", "instigated", "authored_law":
			if stateActor[t] {
				ordered = true
			}
		}
	}
	if actor == "" {
		for _, inv := range a.Involvements {
			if t := actorTypes[strings.ToLower(inv.PerpetratorType)]; t != "" {
				actor = t
				break
			}
		}
	}
	if actor != "" {
		st.setFromRecord("ctx.actor.type", actor)
		if !stateActor[actor] {
			switch {
			case ordered:
				st.setFromRecord("cat.1.nexus", "instigated_by_official")
			case acquiesced:
				st.setFromRecord("cat.1.nexus", "with_official_acquiescence")
			}
		}
	}
	if tags := actTypes[a.Type]; len(tags) > 0 {
		st.setFromRecord("cat.1.act", tags...)
	}
	year := a.Date.Year()
	if year == 0 && ev != nil {
		year = ev.Date.Year()
	}
	if year > 0 {
		if year >= 2005 {
			st.setFromRecord("ctx.period", "2005_or_later")
		} else {
			st.setFromRecord("ctx.period", "before_2005")
		}
	}
	if v == nil {
		return
	}
	var health []string
	for _, c := range v.Characteristics {
		c = strings.ToLower(c)
		if h := characteristics[c]; h != "" {
			health = append(health, h)
		}
		switch c {
		case "drug_dependent", "drug_dependence":
			st.setFromRecord("ctx.victim.dependence", "yes")
		case "on_ost":
			st.setFromRecord("ctx.victim.ost_status", "on_OST")
		case "uses_opioids":
			st.setFromRecord("ctx.victim.drug_use", "opioids")
		case "detainee", "prisoner":
			st.setFromRecord("ctx.custody", "yes")
		}
	}
	if v.Age != nil {
		if *v.Age < 18 {
			health = append(health, "minor_under_18")
		} else if *v.Age >= 65 {
			health = append(health, "older_age")
		}
	}
	if len(health) > 0 {
		st.setFromRecord("ctx.victim.health", health...)
	}
}
