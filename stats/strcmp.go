package stats

// JaroWinkler returns the Jaro–Winkler similarity of a and b (prefix scale 0.1, prefix of at most
// 4 characters), 1 for identical strings and 0 when either is empty.
func JaroWinkler(a, b string) float64 {
	j := jaro(a, b)
	if j <= 0 {
		return j
	}
	l := 0
	for l < len(a) && l < len(b) && l < 4 && a[l] == b[l] {
		l++
	}
	return j + float64(l)*0.1*(1-j)
}

func jaro(a, b string) float64 {
	if a == b {
		if a == "" {
			return 0
		}
		return 1
	}
	la, lb := len(a), len(b)
	if la == 0 || lb == 0 {
		return 0
	}
	win := max(la, lb)/2 - 1
	if win < 0 {
		win = 0
	}
	var ma, mb [64]bool
	var fa, fb []bool
	if la <= 64 && lb <= 64 {
		fa, fb = ma[:la], mb[:lb]
	} else {
		fa, fb = make([]bool, la), make([]bool, lb)
	}
	m := 0
	for i := 0; i < la; i++ {
		lo, hi := max(0, i-win), min(lb, i+win+1)
		for k := lo; k < hi; k++ {
			if !fb[k] && a[i] == b[k] {
				fa[i], fb[k] = true, true
				m++
				break
			}
		}
	}
	if m == 0 {
		return 0
	}
	t, k := 0, 0
	for i := 0; i < la; i++ {
		if !fa[i] {
			continue
		}
		for !fb[k] {
			k++
		}
		if a[i] != b[k] {
			t++
		}
		k++
	}
	fm := float64(m)
	return (fm/float64(la) + fm/float64(lb) + (fm-float64(t)/2)/fm) / 3
}

// Levenshtein returns the edit distance (insertions, deletions, substitutions) between a and b,
// byte-wise.
func Levenshtein(a, b string) int {
	if len(a) < len(b) {
		a, b = b, a
	}
	var buf [65]int
	var row []int
	if len(b) < 65 {
		row = buf[:len(b)+1]
	} else {
		row = make([]int, len(b)+1)
	}
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(a); i++ {
		prev := row[0]
		row[0] = i
		for j := 1; j <= len(b); j++ {
			cur := row[j]
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			row[j] = min(row[j]+1, row[j-1]+1, prev+cost)
			prev = cur
		}
	}
	return row[len(b)]
}

// jwUpperBound bounds JaroWinkler(a, b) from above cheaply: no more characters can match than
// the two strings have in common, and no transpositions is the best case. Comparisons use it to
// skip the full computation for pairs that cannot reach a level's threshold.
func jwUpperBound(a, b string) float64 {
	if a == "" || b == "" {
		return 0
	}
	var ca [64]int16
	for i := 0; i < len(a); i++ {
		ca[a[i]&63]++
	}
	m := 0
	for i := 0; i < len(b); i++ {
		k := b[i] & 63
		if ca[k] > 0 {
			ca[k]--
			m++
		}
	}
	if m == 0 {
		return 0
	}
	fm := float64(m)
	j := (fm/float64(len(a)) + fm/float64(len(b)) + 1) / 3
	l := 0
	for l < len(a) && l < len(b) && l < 4 && a[l] == b[l] {
		l++
	}
	return j + float64(l)*0.1*(1-j)
}
