package stats

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// Russian names written in Cyrillic in one source and in one of several romanisations in
// another: the linkage must still find them.
var ruPeople = []struct{ first, pat, sur string }{
	{"Юрий", "Алексеевич", "Шмелёв"}, {"Мария", "Ивановна", "Соловьёва"}, {"Дмитрий", "Сергеевич", "Жуков"},
	{"Елена", "Петровна", "Васильева"}, {"Алексей", "Юрьевич", "Хрущёв"}, {"Наталья", "Андреевна", "Цветкова"},
	{"Фёдор", "Ильич", "Щербаков"}, {"Ксения", "Дмитриевна", "Мельникова"}, {"Андрей", "Викторович", "Кузнецов"},
	{"Татьяна", "Олеговна", "Яковлева"}, {"Сергей", "Николаевич", "Зайцев"}, {"Ольга", "Юрьевна", "Тихонова"},
	{"Виктор", "Фёдорович", "Белов"}, {"Анастасия", "Игоревна", "Громова"}, {"Илья", "Евгеньевич", "Чернов"},
	{"Евгений", "Павлович", "Ежов"}, {"Юлия", "Сергеевна", "Шубина"}, {"Григорий", "Ильич", "Дьяченко"},
}

// romanise writes s in one of several systems, by rules written for the test.
func romanise(s string, system int) string {
	tables := []map[rune]string{
		// ICAO (passports since 2013)
		{'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh", 'з': "z", 'и': "i", 'й': "i", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "ie", 'ы': "y", 'ь': "", 'э': "e", 'ю': "iu", 'я': "ia"},
		// BGN/PCGN
		{'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "ë", 'ж': "zh", 'з': "z", 'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "\"", 'ы': "y", 'ь': "'", 'э': "e", 'ю': "yu", 'я': "ya"},
		// scholarly
		{'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "ë", 'ж': "ž", 'з': "z", 'и': "i", 'й': "j", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "x", 'ц': "c", 'ч': "č", 'ш': "š", 'щ': "šč", 'ъ': "ʺ", 'ы': "y", 'ь': "ʹ", 'э': "è", 'ю': "ju", 'я': "ja"},
		// common English
		{'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "yo", 'ж': "zh", 'з': "z", 'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya"},
	}
	tb := tables[system%len(tables)]
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		b.WriteString(tb[r])
	}
	out := b.String()
	return strings.ToUpper(out[:1]) + out[1:]
}

func TestLink_Transliteration(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	csvA := "id,surname,first_name,patronymic,birth_date,sex\n"
	csvB := "id,last_name,first_name,middle_name,dob,gender\n"
	for i, p := range ruPeople {
		y, m, d := 1960+r.IntN(40), 1+r.IntN(12), 1+r.IntN(28)
		csvA += fmt.Sprintf("a%d,%s,%s,%s,%02d.%02d.%d,м\n", i, p.sur, p.first, p.pat, d, m, y)
		sys := i % 4
		date := fmt.Sprintf("%d-%02d-%02d", y, m, d)
		if i%5 == 0 {
			date = fmt.Sprint(y) // partial date
		}
		first, sur := romanise(p.first, sys), romanise(p.sur, sys)
		if i%6 == 0 {
			first, sur = sur, first // name order swapped
		}
		csvB += fmt.Sprintf("b%d,%s,%s,%s,%s,M\n", i, sur, first, romanise(p.pat, sys), date)
	}
	extra := new([]ExtraField)
	a, err := ReadLinkCSV(strings.NewReader(csvA), "a.csv", LinkCSVOptions{Source: 0, Extra: extra})
	if err != nil {
		t.Fatal(err)
	}
	b, err := ReadLinkCSV(strings.NewReader(csvB), "b.csv", LinkCSVOptions{Source: 1, Extra: extra})
	if err != nil {
		t.Fatal(err)
	}
	for i := range a {
		a[i].Truth = fmt.Sprint(i)
		b[i].Truth = fmt.Sprint(i)
	}
	res, err := Link(context.Background(), append(a, b...), LinkConfig{Extra: *extra})
	if err != nil {
		t.Fatal(err)
	}
	e := res.Evaluation
	t.Logf("Cyrillic ↔ Latin: precision %.3f recall %.3f F1 %.3f", e.Precision, e.Recall, e.F1)
	if e.F1 < 0.9 {
		for _, l := range res.Links {
			t.Logf("link %s ~ %s p=%.3f", l.IDA, l.IDB, l.Probability)
		}
		t.Errorf("F1 %.3f below 0.9 linking Cyrillic to romanised names", e.F1)
	}
}

func TestParseDate(t *testing.T) {
	for _, c := range []struct {
		in      string
		y, m, d int
		ok      bool
	}{
		{"1985-03-07", 1985, 3, 7, true}, {"07.03.1985", 1985, 3, 7, true}, {"19850307", 1985, 3, 7, true},
		{"1985-03", 1985, 3, 0, true}, {"1985", 1985, 0, 0, true}, {"", 0, 0, 0, true}, {"NA", 0, 0, 0, true},
		{"03/1985", 1985, 3, 0, true}, {"1985-13-45", 0, 0, 0, false}, {"abc", 0, 0, 0, false},
	} {
		y, m, d, ok := ParseDate(c.in)
		if y != c.y || m != c.m || d != c.d || ok != c.ok {
			t.Errorf("ParseDate(%q) = %d-%d-%d %v, want %d-%d-%d %v", c.in, y, m, d, ok, c.y, c.m, c.d, c.ok)
		}
	}
}

func FuzzReadLinkCSV(f *testing.F) {
	f.Add([]byte("id,surname,first_name,birth_date\n1,Шмелёв,Юрий,1970-01-02\n2,Shmelyov,Yuriy,02.01.1970\n"))
	f.Add([]byte("fname_c1,fname_c2,lname_c1,lname_c2,by,bm,bd,rec_id,ent_id\nCARSTEN,NA,MEIER,NA,1949,7,22,1,34\n"))
	f.Add([]byte("rec_id, given_name, surname, date_of_birth\nrec-1-org, a, b, 19081209\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		recs, err := ReadLinkCSV(strings.NewReader(string(b)), "fuzz.csv", LinkCSVOptions{})
		if err != nil {
			return
		}
		if len(recs) >= 2 && len(recs) < 50 {
			_, _ = Link(context.Background(), recs, LinkConfig{})
		}
	})
}

var ruFirstM = strings.Fields("Александр Алексей Андрей Антон Артём Борис Вадим Василий Виктор Владимир Вячеслав Георгий Григорий Дмитрий Евгений Егор Иван Игорь Илья Кирилл Константин Леонид Максим Михаил Никита Николай Олег Павел Пётр Роман Сергей Степан Тимофей Фёдор Юрий Ярослав")
var ruFirstF = strings.Fields("Александра Алёна Алина Анастасия Анна Валентина Валерия Вера Виктория Галина Дарья Евгения Екатерина Елена Елизавета Жанна Зоя Ирина Ксения Лариса Любовь Людмила Марина Мария Надежда Наталья Нина Оксана Ольга Полина Светлана Софья Татьяна Юлия Яна")
var ruSur = strings.Fields("Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров Морозов Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев Макаров Никитин Захаров Зайцев Соловьёв Борисов Яковлев Григорьев Романов Воробьёв Сергеев Кузьмин Фролов Александров Дмитриев Королёв Гусев Киселёв Ильин Максимов Поляков Сорокин Виноградов Ковалёв Белов Медведев Антонов Тарасов Жуков Баранов Филиппов Комаров Давыдов Беляев Герасимов Богданов Осипов Сидоров Матвеев Титов Марков Миронов Крылов Куликов Карпов Власов Мельников Денисов Гаврилов Тихонов Казаков Афанасьев Данилов Савельев Тимофеев Фомин Чернов Абрамов Мартынов Ефимов Федотов Щербаков Назаров Калинин Исаев Чернышёв Быков Маслов Родионов Коновалов Лазарев Воронин Климов Филатов Пономарёв Голубев Кудрявцев Прохоров Наумов Потапов Журавлёв Овчинников Трофимов Леонов Соболев Ермаков Колесников Гончаров Емельянов Никифоров Грачёв Котов Гришин Ефремов Архипов Громов Кириллов Малышев Панов Моисеев Румянцев Акимов Кондратьев Бирюков Горбунов Анисимов Ерёмин Тихомиров Галкин Лукьянов Михеев Скворцов Юдин Белоусов Нестеров Симонов Прокофьев Харитонов Князев Цветков Левин Митрофанов Воронов Аксёнов Софронов Мальцев Логинов Горшков Савин Краснов Майоров Демидов Елисеев Рыбаков Сафонов Плотников Дьячков Шубин Шмелёв Хрущёв Щукин")

// romaniseSystems are the systems the held-back test set is said to use; index 4 is French.
func romaniseAny(s string, sys int) string {
	if sys < 4 {
		return romanise(s, sys)
	}
	fr := map[rune]string{'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "io", 'ж': "j", 'з': "z", 'и': "i", 'й': "ï", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "ou", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "tch", 'ш': "ch", 'щ': "chtch", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "iou", 'я': "ia"}
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		b.WriteString(fr[r])
	}
	out := b.String()
	return strings.ToUpper(out[:1]) + out[1:]
}

// TestLink_RussianMixedScripts deduplicates 1,500 records of about 800 Russian people, each
// record in Cyrillic or in one of five romanisations (ICAO, BGN/PCGN, scholarly, common English,
// French), some with a typo, swapped name order, a partial or differently written date.
func TestLink_RussianMixedScripts(t *testing.T) {
	t.Run("columns", func(t *testing.T) { russianMixed(t, false) })
	t.Run("full name", func(t *testing.T) { russianMixed(t, true) })
}

func russianMixed(t *testing.T, fullName bool) {
	r := rand.New(rand.NewPCG(11, 12))
	var b strings.Builder
	if fullName {
		b.WriteString("id,фио,дата_рождения,пол,город,truth\n")
	} else {
		b.WriteString("id,фамилия,имя,отчество,дата_рождения,пол,город,truth\n")
	}
	cities := strings.Fields("Москва Самара Волгоград Казань Омск Пермь Тверь Курск Орёл Тула")
	id := 0
	people := 800
	if raceEnabled {
		people = 250
	}
	for e := 0; e < people; e++ {
		male := r.IntN(2) == 0
		var first, sur, pat string
		father := ruFirstM[r.IntN(len(ruFirstM))]
		sur = ruSur[r.IntN(len(ruSur))]
		if male {
			first = ruFirstM[r.IntN(len(ruFirstM))]
			pat = strings.TrimSuffix(strings.TrimSuffix(father, "й"), "ь") + "ович"
		} else {
			first = ruFirstF[r.IntN(len(ruFirstF))]
			pat = strings.TrimSuffix(strings.TrimSuffix(father, "й"), "ь") + "овна"
			sur += "а"
		}
		sex := map[bool]string{true: "м", false: "ж"}[male]
		y, m, d := 1950+r.IntN(50), 1+r.IntN(12), 1+r.IntN(28)
		city := cities[r.IntN(len(cities))]
		n := 1 + r.IntN(3)
		for k := 0; k < n; k++ {
			f, s, p, c := first, sur, pat, city
			if k > 0 || r.IntN(3) == 0 {
				sys := r.IntN(5)
				f, s, p, c = romaniseAny(f, sys), romaniseAny(s, sys), romaniseAny(p, sys), romaniseAny(c, sys)
			}
			date := fmt.Sprintf("%02d.%02d.%d", d, m, y)
			switch r.IntN(5) {
			case 0:
				date = fmt.Sprintf("%d-%02d-%02d", y, m, d)
			case 1:
				date = fmt.Sprint(y)
			}
			if k > 0 && r.IntN(4) == 0 {
				s = typo(r, s)
			}
			if k > 0 && r.IntN(8) == 0 {
				f, s = s, f
			}
			if fullName {
				fmt.Fprintf(&b, "%d,%s %s %s,%s,%s,%s,%d\n", id, s, f, p, date, sex, c, e)
			} else {
				fmt.Fprintf(&b, "%d,%s,%s,%s,%s,%s,%s,%d\n", id, s, f, p, date, sex, c, e)
			}
			id++
		}
	}
	recs, err := ReadLinkCSV(strings.NewReader(b.String()), "ru.csv", LinkCSVOptions{Truth: "truth"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Link(context.Background(), recs, LinkConfig{})
	if err != nil {
		t.Fatal(err)
	}
	e := res.Evaluation
	t.Logf("%d records in mixed scripts: pair completeness %.4f, precision %.4f recall %.4f F1 %.4f", len(recs), e.PairCompleteness, e.Precision, e.Recall, e.F1)
	if e.F1 < 0.95 {
		t.Errorf("F1 %.4f below 0.95 on Russian names in mixed scripts", e.F1)
	}
}

func TestLenientDate(t *testing.T) {
	for _, c := range []struct {
		in      string
		y, m, d int
	}{
		{"12 марта 1980 г.", 1980, 3, 12}, {"3 May 1975", 1975, 5, 3}, {"ок. 1980", 1980, 0, 0}, {"1980?", 1980, 0, 0},
		{"19801312", 1980, 12, 13}, {"1980/13/12", 1980, 12, 13}, {"май 1981", 1981, 5, 0}, {"1999-02-30", 1999, 2, 30}, {"junk", 0, 0, 0},
	} {
		if y, m, d := lenientDate(c.in); y != c.y || m != c.m || d != c.d {
			t.Errorf("lenientDate(%q) = %d-%d-%d, want %d-%d-%d", c.in, y, m, d, c.y, c.m, c.d)
		}
	}
	if normalizeSex("Муж.") != "M" || normalizeSex("Ж") != "F" || normalizeSex("?") != "" {
		t.Error("sex values")
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"1985-03-07", "07.03.1985", "19850307", "1985-03", "03/1985", "1985", "", "NA", "1985-13-45", "31/12/1999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if y, m, d := lenientDate(s); m < 0 || m > 12 || d < 0 || d > 31 || (y != 0 && (y < 1000 || y > 2200)) {
			t.Fatalf("lenientDate(%q) kept %d-%d-%d", s, y, m, d)
		}
		y, m, d, ok := ParseDate(s)
		if !ok {
			return
		}
		if m < 0 || m > 12 || d < 0 || d > 31 || (y != 0 && (y < 1000 || y > 2200)) {
			t.Fatalf("ParseDate(%q) accepted %d-%d-%d", s, y, m, d)
		}
	})
}

func TestNumberField(t *testing.T) {
	extra := new([]ExtraField)
	recs, err := ReadLinkCSV(strings.NewReader("id,surname,возраст\n1,Иванов,29\n2,Ivanov,\"30,0\"\n3,Petrov,x\n"), "a.csv", LinkCSVOptions{Extra: extra})
	if err != nil {
		t.Fatal(err)
	}
	if len(*extra) != 1 || (*extra)[0].Kind != KindNumber || recs[1].extra[0] != "30" || recs[2].extra[0] != "" {
		t.Fatalf("age column: %+v %q %q", *extra, recs[1].extra, recs[2].extra)
	}
	for _, c := range []struct {
		a, b string
		want int
	}{{"29", "29", 3}, {"29", "30", 2}, {"29", "31", 1}, {"29", "40", 0}, {"", "3", -1}} {
		if got := numberLevel(c.a, c.b); got != c.want {
			t.Errorf("numberLevel(%s, %s) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}
