#!/usr/bin/env bash
# Benchmarks of the stats package: record linkage of generated records (default 1,000,000, with
# known duplicates; LINK_BENCH_N=... to change) and the latent class sampler on the Kosovo table.
# Run from the repository root: bash bench/stats/run.sh. Results go to bench/out/stats-*.txt.
# Wall time depends on what else the machine runs, so CPU time (user+sys) is reported too; the
# load average at the start is printed with the results.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p bench/out
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=bench/out/stats-$stamp.txt
timed() { /usr/bin/time -f "  wall %e s, user %U s, sys %S s, max RSS %M KB" "$@"; }
{
  echo "# $(date -u) $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(go version); load: $(cut -d' ' -f1-3 /proc/loadavg)"
  go test -c -o bench/out/stats.test ./stats
  cd stats
  echo "## linkage of ${LINK_BENCH_N:-1000000} generated records"
  timed ../bench/out/stats.test -test.run '^$' -test.bench 'BenchmarkLink1M$' -test.benchtime 1x -test.benchmem 2>&1 | grep -v '^goos\|^goarch\|^pkg\|^cpu\|^PASS'
  echo "## linkage of RLdata10000 (3 runs)"
  timed ../bench/out/stats.test -test.run '^$' -test.bench 'BenchmarkLink_RLdata10000$' -test.benchtime 3x -test.benchmem 2>&1 | grep -v '^goos\|^goarch\|^pkg\|^cpu\|^PASS'
  echo "## latent class sampler, Kosovo 4 lists, one chain of 11,000 iterations, 1+5 runs"
  timed ../bench/out/stats.test -test.run '^$' -test.bench 'BenchmarkLCMCR_Kosovo$' -test.benchtime 5x -test.cpu 1 2>&1 | grep -v '^goos\|^goarch\|^pkg\|^cpu\|^PASS'
  echo "## log-linear model selection, Rome HIV (73 models)"
  ../bench/out/stats.test -test.run '^$' -test.bench 'BenchmarkSelectLoglinear' -test.benchmem 2>&1 | grep Benchmark
} 2>&1 | tee "$out"
echo "written to $out"
