//go:build !race

package law

// raceEnabled shortens the property tests under the race detector, which slows them tenfold.
const raceEnabled = false
