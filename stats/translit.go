package stats

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// cyrillic maps Russian (and common Ukrainian/Belarusian) Cyrillic letters to one canonical
// Latin spelling. The folding in NormalizeName then brings the other romanisations (GOST 7.79,
// ICAO, BGN/PCGN, scholarly, French, German, common English) to the same form.
var cyrillic = map[rune]string{
	'А': "A", 'Б': "B", 'В': "V", 'Г': "G", 'Д': "D", 'Е': "E", 'Ё': "E", 'Ж': "ZH", 'З': "Z",
	'И': "I", 'Й': "Y", 'К': "K", 'Л': "L", 'М': "M", 'Н': "N", 'О': "O", 'П': "P", 'Р': "R",
	'С': "S", 'Т': "T", 'У': "U", 'Ф': "F", 'Х': "KH", 'Ц': "TS", 'Ч': "CH", 'Ш': "SH",
	'Щ': "SHCH", 'Ъ': "", 'Ы': "Y", 'Ь': "", 'Э': "E", 'Ю': "YU", 'Я': "YA",
	'І': "I", 'Ї': "YI", 'Є': "YE", 'Ґ': "G", 'Ў': "U",
}

// latinSpecial maps the letters with diacritics that romanisation systems use to their
// digraph equivalents; other accents are dropped.
var latinSpecial = map[rune]string{
	'Š': "SH", 'Č': "CH", 'Ž': "ZH", 'Ŝ': "SHCH", 'Ë': "YO", 'È': "E", 'É': "E", 'Ê': "E",
	'Û': "YU", 'Â': "YA", 'Ǎ': "A", 'Ï': "Y", 'Ì': "I", 'Í': "I", 'Ý': "Y", 'Ÿ': "Y",
	'Ä': "AE", 'Ö': "OE", 'Ü': "UE", 'ß': "SS", 'À': "A", 'Á': "A", 'Ã': "A", 'Å': "A",
	'Ç': "C", 'Ñ': "N", 'Ò': "O", 'Ó': "O", 'Ô': "O", 'Õ': "O", 'Ø': "O", 'Ù': "U", 'Ú': "U",
	'Ł': "L", 'Ń': "N", 'Ś': "S", 'Ź': "Z", 'Ż': "Z", 'Ć': "C", 'Ę': "E", 'Ą': "A", 'Ř': "R",
	'Ě': "E", 'Ů': "U", 'Ğ': "G", 'Ş': "SH", 'İ': "I",
}

// foldRules rewrite romanisation variants to one spelling, longest first.
var foldRules = strings.NewReplacer(
	"SCHTSCH", "SHCH", "SHTCH", "SHCH", "SHCH", "SHCH", "SHH", "SHCH",
	"TSCH", "SH", "TCH", "SH", "SCH", "SH",
	"KH", "H", "PH", "F", "W", "V", "OU", "U", "CZ", "TS", "TZ", "TS", "X", "KS", "Q", "K",
	"YO", "E", "JO", "E", "IO", "E", "YE", "E", "JE", "E",
	"CE", "TSE", "CI", "TSI", "CY", "TSY", "CV", "TSV", "CK", "K", "CH", "SH", "C", "K",
)

// NormalizeName returns the comparison form of a name: upper case, transliterated from Cyrillic,
// accents and punctuation removed, romanisation variants folded (Shmelev, Shmelyov, Šmelëv,
// Chmelev, Шмелёв → SHMELEV; Yuriy, Iurii, Jurij → IURI), doubled letters collapsed. CH and SH
// fold together, since French and German write ш as ch and sch while English writes ч as ch. Words stay separated
// by single spaces. Missing-value markers (NA, NULL, -) give "".
func NormalizeName(s string) string {
	s = strings.TrimSpace(s)
	switch strings.ToUpper(s) {
	case "", "NA", "N/A", "NULL", "NONE", "-", "?", "UNKNOWN":
		return ""
	}
	var b strings.Builder
	// Compose first (й typed as и + breve is still й), map whole letters, then strip the
	// accents of anything left (Library of Congress ĭ, ė, the tie in i͡a).
	for _, r := range norm.NFC.String(strings.ToUpper(s)) {
		if t, ok := cyrillic[r]; ok {
			b.WriteString(t)
			continue
		}
		if t, ok := latinSpecial[r]; ok {
			b.WriteString(t)
			continue
		}
		switch {
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		case r == 'ʹ' || r == 'ʺ' || r == 'ʼ' || r == '\'' || r == '"' || r == '`' || r == '’' || r == '‘' || r == '´' || r == '′' || r == '″':
			// soft and hard signs in GOST/scholarly/BGN: dropped
		case unicode.Is(unicode.Mn, r):
			// a combining mark left over: dropped
		case unicode.IsLetter(r):
			for _, d := range norm.NFD.String(string(r)) {
				if d >= 'A' && d <= 'Z' {
					b.WriteRune(d)
				} else if d >= 'a' && d <= 'z' {
					b.WriteRune(d - 32)
				}
			}
		default:
			b.WriteByte(' ')
		}
	}
	s = foldRules.Replace(b.String())
	// Y, J and I are one letter across romanisations (й, ы, и, я/ю/е glides).
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == 'Y' || c == 'J' {
			c = 'I'
		}
		if c == ' ' && (len(out) == 0 || out[len(out)-1] == ' ') {
			continue
		}
		if len(out) > 0 && out[len(out)-1] == c && c != ' ' {
			continue
		}
		out = append(out, c)
	}
	return strings.TrimSpace(string(out))
}

// sortedTokens returns the words of s in alphabetical order, so that "IVANOV PETR" and
// "PETR IVANOV" compare equal.
func sortedTokens(s string) string {
	f := strings.Fields(s)
	if len(f) < 2 {
		return s
	}
	for i := 1; i < len(f); i++ {
		for j := i; j > 0 && f[j] < f[j-1]; j-- {
			f[j], f[j-1] = f[j-1], f[j]
		}
	}
	return strings.Join(f, " ")
}
