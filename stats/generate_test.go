package stats

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

var genFirst = strings.Fields(`ivan petr sergei andrei dmitri alexei nikolai mikhail vladimir yuri oleg igor pavel
artem maksim denis roman anton kirill evgeni boris viktor grigori fedor ilya stepan timur ruslan vadim leonid
anna maria elena olga tatiana natalia irina svetlana ekaterina yulia anastasia ksenia daria alina polina vera
nadezhda galina lyudmila marina valentina sofia alisa milana oksana larisa zhanna inna yana lilia regina
thomas michael andreas stefan peter frank klaus juergen uwe dieter wolfgang karl hans werner ralf sabine petra
monika ursula karin brigitte renate helga susanne claudia birgit andrea martina silke heike kerstin anja katrin
john james robert william david richard joseph charles daniel mark paul steven kevin brian george edward mary
patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa betty margaret sandra ashley`)

var genSyll = strings.Fields(`ko va le no mi ro sa to ka ri ne po lo vi ma ta de bo ru ze gi la na chi she sko
nov ev in ov ski ko ra dur bel gor mor ste pan kuz tsov lev yak sor zai tik mel nik shub dya cher gro vas sol
zhu shch bau mann schmi fer berg hof stein wald ner ling ham ton son well field wood bridge`)

var genCity = strings.Fields(`moskva sankt-peterburg novosibirsk ekaterinburg kazan nizhni chelyabinsk samara omsk
rostov ufa krasnoyarsk voronezh perm volgograd krasnodar saratov tyumen tolyatti izhevsk barnaul ulyanovsk
irkutsk khabarovsk yaroslavl vladivostok makhachkala tomsk orenburg kemerovo novokuznetsk ryazan astrakhan
penza lipetsk kirov cheboksary tula kaliningrad kursk stavropol sochi tver ivanovo bryansk belgorod surgut`)

type genRecord struct {
	entity                int
	first, sur, city, sex string
	y, m, d               int
}

func genSurname(r *rand.Rand) string {
	n := 2 + r.IntN(2)
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(genSyll[r.IntN(len(genSyll))])
	}
	if r.IntN(2) == 0 {
		b.WriteString([]string{"ov", "ev", "in", "ova", "eva", "ina", "sky", "er", "ko"}[r.IntN(9)])
	}
	return b.String()
}

func typo(r *rand.Rand, s string) string {
	if len(s) < 3 {
		return s
	}
	i := 1 + r.IntN(len(s)-2)
	switch r.IntN(4) {
	case 0: // substitute
		return s[:i] + string(rune('a'+r.IntN(26))) + s[i+1:]
	case 1: // delete
		return s[:i] + s[i+1:]
	case 2: // insert
		return s[:i] + string(rune('a'+r.IntN(26))) + s[i:]
	default: // transpose
		return s[:i-1] + string(s[i]) + string(s[i-1]) + s[i+1:]
	}
}

// generateRecords makes n person records of which about dupShare are extra records of an
// already generated person, each with one to three corruptions (typos, swapped names, missing
// fields, a wrong date part, day and month swapped). It returns CSV text with a truth column.
func generateRecords(n int, dupShare float64, seed uint64) string {
	r := rand.New(rand.NewPCG(seed, seed+1))
	var b strings.Builder
	b.Grow(n * 48)
	b.WriteString("rec_id,first_name,surname,birth_date,city,sex,truth\n")
	var people []genRecord
	for i := 0; i < n; i++ {
		var g genRecord
		if len(people) > 0 && r.Float64() < dupShare {
			g = people[r.IntN(len(people))]
			for k := 0; k < 1+r.IntN(3); k++ {
				switch r.IntN(8) {
				case 0, 1:
					g.first = typo(r, g.first)
				case 2, 3:
					g.sur = typo(r, g.sur)
				case 4:
					g.first, g.sur = g.sur, g.first
				case 5:
					if r.IntN(2) == 0 {
						g.city = ""
					} else {
						g.first = ""
					}
				case 6:
					switch r.IntN(3) {
					case 0:
						g.y += 1 - 2*r.IntN(2)
					case 1:
						g.m = 1 + r.IntN(12)
					default:
						g.d = 1 + r.IntN(28)
					}
				default:
					if g.d <= 12 {
						g.m, g.d = g.d, g.m
					} else {
						g.city = genCity[r.IntN(len(genCity))]
					}
				}
			}
		} else {
			g = genRecord{entity: len(people), first: genFirst[r.IntN(len(genFirst))], sur: genSurname(r),
				city: genCity[r.IntN(len(genCity))], sex: []string{"m", "f"}[r.IntN(2)],
				y: 1930 + r.IntN(75), m: 1 + r.IntN(12), d: 1 + r.IntN(28)}
			people = append(people, g)
		}
		fmt.Fprintf(&b, "%d,%s,%s,%04d-%02d-%02d,%s,%s,%d\n", i, g.first, g.sur, g.y, g.m, g.d, g.city, g.sex, g.entity)
	}
	return b.String()
}
