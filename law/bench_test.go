package law

import (
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"

	"github.com/casefile/casefile"
)

// benchInputs builds n acts: the demonstration answer sets, each perturbed by re-answering a few
// elements at random, so that the engine meets varied, realistic answer sets.
func benchInputs(n int) []map[string]casefile.Answer {
	r := rand.New(rand.NewPCG(7, 8))
	demo := DemoAnswers()
	p := Builtin().Packs["cat"]
	strengths := []string{"alleged", "corroborated", "established"}
	out := make([]map[string]casefile.Answer, n)
	for i := range out {
		a := with(demo[i%len(demo)].Answers)
		for k := 0; k < 3; k++ {
			e := p.Elements[r.IntN(len(p.Elements))]
			if e.ID == "ctx.unit" || e.ID == "ctx.source_basis" || e.ID == "ip.consent.informed" {
				continue
			}
			a[e.ID] = randomAnswer(r, e, strengths)
		}
		out[i] = a
	}
	return out
}

// BenchmarkAssess100kActsAllPacks assesses 100,000 acts against all four packs, one goroutine per
// core. One iteration is the whole batch of 400,000 pack assessments. The acts cycle through 1,000
// distinct answer sets, as a store streams acts page by page rather than holding 100,000 answer
// maps in memory at once (holding them all makes the garbage collector, not the engine, the cost).
func BenchmarkAssess100kActsAllPacks(b *testing.B) {
	distinct := benchInputs(1000)
	inputs := make([]map[string]casefile.Answer, 100_000)
	for i := range inputs {
		inputs[i] = distinct[i%len(distinct)]
	}
	set := Builtin()
	workers := runtime.GOMAXPROCS(0)
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := w; i < len(inputs); i += workers {
					if _, err := set.AssessAll(Input{Answers: inputs[i], NoEcho: true}); err != nil {
						b.Error(err)
						return
					}
				}
			}(w)
		}
		wg.Wait()
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(inputs)*len(set.Names)), "ns/assessment")
	// CPU time is less disturbed by other processes on a shared machine than wall time
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
}

// BenchmarkAssessOne is one act against one pack (cat), single goroutine.
func BenchmarkAssessOne(b *testing.B) {
	inputs := benchInputs(1000)
	p := Builtin().Packs["cat"]
	i := 0
	for b.Loop() {
		if _, err := p.Assess(Input{Answers: inputs[i%len(inputs)], NoEcho: true}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
