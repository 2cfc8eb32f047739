package report

import "strings"

// MissingTranslations lists the keys of the English fixed text that lang lacks, for the tests.
func MissingTranslations(lang string) []string {
	var out []string
	if lang != "ru" {
		return nil
	}
	for k := range textEN {
		if _, ok := textRU[k]; !ok && k != "unit.ratio" && !strings.HasSuffix(k, ".one") {
			out = append(out, k)
		}
	}
	return out
}
