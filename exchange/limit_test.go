package exchange

import (
	"strings"
	"testing"

	"github.com/casefile/casefile"
)

// encoding/csv keeps a whole field in memory: an unclosed quote must not read an input without
// end into one field.
func TestReadCSV_Bounded(t *testing.T) {
	old := maxCSVBytes
	maxCSVBytes = 1 << 16
	defer func() { maxCSVBytes = old }()
	ok := "descriptor,age\n" + strings.Repeat("Man,30\n", 100)
	if b, err := ReadCSV(strings.NewReader(ok), "p.csv"); err != nil || len(b.Persons) != 100 {
		t.Fatalf("a small file: %v", err)
	}
	huge := "descriptor,age\n\"" + strings.Repeat("x", 1<<17)
	_, err := ReadCSV(strings.NewReader(huge), "p.csv")
	if casefile.ErrorKind(err) != casefile.EINVALID || !strings.Contains(casefile.ErrorMessage(err), "p.csv: larger than") {
		t.Fatalf("a file past the limit: %v", err)
	}
	exact := "descriptor,age\n" + strings.Repeat("Man,30\n", (1<<16-15)/7)
	exact += strings.Repeat("\n", 1<<16-len(exact))
	if _, err := ReadCSV(strings.NewReader(exact), "p.csv"); err != nil {
		t.Fatalf("a file of exactly the limit: %v", err)
	}
}
