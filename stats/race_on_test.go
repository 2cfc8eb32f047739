//go:build race

package stats

// raceEnabled shortens the sampler tests under the race detector, which slows them tenfold.
const raceEnabled = true
