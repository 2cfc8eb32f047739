//go:build !unix

package report_test

import "time"

// cpuTime is not measured on this system; the benchmarks then report 0 cpu-s/op.
func cpuTime() time.Duration { return 0 }
