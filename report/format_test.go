package report

import "testing"

func TestFormatValue(t *testing.T) {
	for _, tc := range []struct {
		q    string
		v    float64
		unit string
		lang string
		want string
	}{
		{"", 222600, "crimes", "en", "222,600 crimes"},
		{"", 222600, "crimes", "ru", "222 600 преступлений"},
		{"", 1860, "beds", "en", "1,860 beds"},
		{"", 1860, "beds", "ru", "1860 коек"},
		{">", 75, "percent", "en", "> 75%"},
		{"", 0.744, "beds per 1,000", "en", "0.744 beds per 1,000"},
		{"", 0.744, "beds per 1,000", "ru", "0,744 коек на 1000"},
		{"≈", 5000000, "people", "en", "≈ 5,000,000 people"},
		{"", 12.5, "percent", "ru", "12,5%"},
		{"", -1234567, "", "en", "-1,234,567"},
		{"", 2, "times", "en", "2 times"},
	} {
		if got := formatValue(tc.q, tc.v, tc.unit, tc.lang); got != tc.want {
			t.Errorf("formatValue(%q, %v, %q, %s) = %q, want %q", tc.q, tc.v, tc.unit, tc.lang, got, tc.want)
		}
	}
}

func TestMarkdownEscape(t *testing.T) {
	for in, want := range map[string]string{
		"1. not a list":        `1\. not a list`,
		"- not a bullet":       `\- not a bullet`,
		"12) no":               `12\) no`,
		"a *b* [c](d) <e> #f":  `a \*b\* \[c\](d) \<e\> \#f`,
		"Male drug user, 29":   "Male drug user, 29",
		"2010: 222,600 crimes": "2010: 222,600 crimes",
	} {
		if got := mdEscape(in); got != want {
			t.Errorf("mdEscape(%q) = %q, want %q", in, got, want)
		}
	}
}
