// Command scan measures the discourse scanner's throughput on a file: it scans the file
// repeatedly on one goroutine and prints the best run, in wall time and in CPU time of the
// process (so that a busy machine shows less noise), with the number of hits.
//
//	go run ./bench/discourse/scan -runs 5 hay.txt
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/discourse"
)

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func main() {
	runs := flag.Int("runs", 5, "scans of the file; the best is reported")
	window := flag.Int("window", 0, "proximity window in words")
	jsonOut := flag.Bool("json", false, "print one JSON line")
	patterns := flag.String("patterns", "", "write the lexicon's forms as literal patterns for the other engines to this file and exit")
	flag.Parse()
	if *patterns != "" {
		if err := writePatterns(*patterns); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: scan [-runs N] FILE")
		os.Exit(2)
	}
	runtime.GOMAXPROCS(1)
	data, err := os.ReadFile(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	sc, err := discourse.NewScanner(discourse.DefaultLexicon(), discourse.Options{Window: *window})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var bestWall, bestCPU time.Duration
	all, stig := 0, 0
	for r := 0; r < *runs; r++ {
		all, stig = 0, 0
		t0, c0 := time.Now(), cpuTime()
		_, err := sc.Scan(bytes.NewReader(data), func(h *casefile.DiscourseHit) error {
			all++
			if casefile.DiscourseStigmatising(h.Category) {
				stig++
			}
			return nil
		})
		wall, cpu := time.Since(t0), cpuTime()-c0
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if r == 0 || wall < bestWall {
			bestWall = wall
		}
		if r == 0 || cpu < bestCPU {
			bestCPU = cpu
		}
	}
	mb := float64(len(data)) / 1e6
	if *jsonOut {
		fmt.Printf("{\"engine\":\"casefile\",\"bytes\":%d,\"hits\":%d,\"stigmatising\":%d,\"wall_s\":%.4f,\"cpu_s\":%.4f,\"mb_s_wall\":%.1f,\"mb_s_cpu\":%.1f}\n",
			len(data), all, stig, bestWall.Seconds(), bestCPU.Seconds(), mb/bestWall.Seconds(), mb/bestCPU.Seconds())
		return
	}
	fmt.Printf("casefile scanner: %d bytes, %d hits (%d stigmatising); best of %d: %.3f s wall (%.0f MB/s), %.3f s CPU (%.0f MB/s)\n",
		len(data), all, stig, *runs, bestWall.Seconds(), mb/bestWall.Seconds(), bestCPU.Seconds(), mb/bestCPU.Seconds())
}

// writePatterns writes every form of the shipped lexicon as the literal byte strings the other
// engines search for: lower case, capitalised and upper case (they fold no Cyrillic case), with
// one space between the words of a multiword form.
func writePatterns(path string) error {
	seen := map[string]bool{}
	for _, e := range discourse.DefaultLexicon().Entries {
		for _, f := range e.Forms {
			n := discourse.Normalize(f)
			r, size := utf8.DecodeRuneInString(n)
			for _, v := range []string{n, string(unicode.ToUpper(r)) + n[size:], strings.ToUpper(n)} {
				seen[v] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return os.WriteFile(path, []byte(strings.Join(out, "\n")+"\n"), 0o644)
}
