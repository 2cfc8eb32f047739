package stats

import (
	"fmt"
	"testing"
)

func TestJaroWinkler(t *testing.T) {
	// Unit values from the fastLink appendix definition (stats-reference §1.2).
	for _, c := range []struct {
		a, b string
		want string
	}{
		{"MARTHA", "MARHTA", "0.9611"},
		{"DWAYNE", "DUANE", "0.8400"},
		{"DIXON", "DICKSONX", "0.8133"},
		{"JONES", "JOHNSON", "0.8324"},
		{"ABC", "ABC", "1.0000"},
		{"", "ABC", "0.0000"},
		{"ABC", "XYZ", "0.0000"},
	} {
		if got := fmt.Sprintf("%.4f", JaroWinkler(c.a, c.b)); got != c.want {
			t.Errorf("JW(%s, %s) = %s, want %s", c.a, c.b, got, c.want)
		}
	}
}

func TestLevenshtein(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{{"kitten", "sitting", 3}, {"", "abc", 3}, {"flaw", "lawn", 2}, {"same", "same", 0}} {
		if got := Levenshtein(c.a, c.b); got != c.want {
			t.Errorf("Levenshtein(%s, %s) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestNormalizeName(t *testing.T) {
	groups := [][]string{
		{"Шмелев", "Шмелёв", "Shmelev", "Shmelyov", "Šmelëv", "SHMELEV", "shmeliov", "Chmelev", "Schmeljow"},
		{"Щукин", "Shchukin", "Ščukin", "Schtschukin", "Shhukin"},
		{"Чернов", "Chernov", "Černov", "Tchernov", "Tschernow"},
		{"Юрий", "Yuriy", "Iurii", "Jurij", "Yuri", "Yury", "I͡uriĭ", "Jurij", "Юрйй"},
		{"Ксения", "Kseniya", "Xenia", "Kseniia", "Ksenija", "Ksenii͡a"},
		{"Эдуард", "E'duard", "Èduard", "Ėduard", "Eduard"},
		{"Рыбаков", "Ry'bakov", "Rybakov"},
		{"Наталья", "Natalya", "Natalia", "Nataliya", "Natal'ya", "Natalʹja"},
		{"Мария", "Mariya", "Maria", "Marija", "Mar'ya"},
		{"Дмитрий", "Dmitriy", "Dmitry", "Dmitrii", "Dmitrij"},
		{"Фёдор", "Fyodor", "Fedor", "Fiodor", "Fëdor"},
		{"Александр", "Aleksandr", "Alexandr"},
		{"Алексей", "Aleksey", "Alexei", "Aleksei", "Aleksej"},
		{"Хрущёв", "Khrushchev", "Khrushchyov"},
		{"Елена", "Yelena", "Elena", "Jelena"},
		{"Цветкова", "Tsvetkova", "Cvetkova"},
		{"Жуков", "Zhukov", "Žukov"},
		{"Мельников", "Mel'nikov", "Melnikov", "Mel’nikov", "Melʹnikov"},
		{"Васильев", "Vasilyev", "Vasil'ev", "Vasiliev", "Wassiljew"},
	}
	for _, g := range groups {
		want := NormalizeName(g[0])
		for _, s := range g[1:] {
			got := NormalizeName(s)
			if got != want && JaroWinkler(got, want) < 0.92 {
				t.Errorf("NormalizeName(%q) = %q, far from %q = %q (JW %.3f)", s, got, g[0], want, JaroWinkler(got, want))
			}
		}
	}
	if NormalizeName("NA") != "" || NormalizeName("  ") != "" {
		t.Error("missing-value markers must normalise to empty")
	}
	if got := NormalizeName("  mary-ann  o'neil "); got != "MARI AN ONEIL" {
		t.Errorf("punctuation: got %q", got)
	}
}

func TestJWUpperBound(t *testing.T) {
	words := []string{"SHMELEV", "SMIRNOV", "IVANOV", "IVANOVA", "PETROV", "A", "MARTHA", "MARHTA", "DIXON", "DICKSONX", "KUZNETSOV", "ZZZ"}
	for _, a := range words {
		for _, b := range words {
			if jw, ub := JaroWinkler(a, b), jwUpperBound(a, b); ub+1e-12 < jw {
				t.Errorf("bound %.4f below JW %.4f for %s/%s", ub, jw, a, b)
			}
		}
	}
}
