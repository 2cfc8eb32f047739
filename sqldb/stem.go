package sqldb

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/russian"
)

// eachWord calls fn for every word of text (a run of letters and digits, with inner hyphens and
// apostrophes kept out), with its byte offsets. fn returns false to stop.
func eachWord(text string, fn func(word string, start, end int) bool) {
	start := -1
	for i, r := range text {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			if !fn(text[start:i], start, i) {
				return
			}
			start = -1
		}
	}
	if start >= 0 {
		fn(text[start:], start, len(text))
	}
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\u0301' || r == '\u0300'
}

// Fold lowercases a word, maps ё to е and drops combining stress marks.
func Fold(word string) string {
	var b strings.Builder
	b.Grow(len(word))
	for _, r := range word {
		switch r {
		case '\u0301', '\u0300':
			continue
		case 'ё', 'Ё':
			r = 'е'
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// Stem folds a word and stems it with the Russian Snowball stemmer when it is Cyrillic, the
// English one when it is Latin; other words are only folded. Stop words are stemmed too, so that
// a query never silently drops a term.
func Stem(word string) string {
	if s, ok := stemCache.Load(word); ok {
		return s.(string)
	}
	s := stem(word)
	if stemCacheSize.Add(1) <= maxStemCache {
		stemCache.Store(word, s)
	}
	return s
}

// The stemmers are slow next to everything else an import does, and words repeat: a bounded cache
// of stems serves almost every word of a large import after the first few thousand documents.
var (
	stemCache     sync.Map
	stemCacheSize atomic.Int64
)

const maxStemCache = 500000

func stem(word string) string {
	w := Fold(word)
	r, _ := utf8.DecodeRuneInString(w)
	switch {
	case unicode.Is(unicode.Cyrillic, r):
		return russian.Stem(w, true)
	case r < utf8.RuneSelf && unicode.IsLetter(r):
		return english.Stem(w, true)
	}
	return w
}
