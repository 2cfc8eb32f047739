#!/usr/bin/env bash
# Benchmarks of the stats package: record linkage of generated records (default 1,000,000, with
# known duplicates; LINK_BENCH_N=... to change) and the latent class sampler on the Kosovo table.
# Run from the repository root: bash bench/stats/run.sh. Results go to bench/out/stats-*.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p bench/out
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=bench/out/stats-$stamp.txt
{
  echo "# $(date -u) $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(go version)"
  go test -c -o bench/out/stats.test ./stats
  cd stats
  echo "## linkage of ${LINK_BENCH_N:-1000000} generated records"
  /usr/bin/time -v ../bench/out/stats.test -test.run '^$' -test.bench 'BenchmarkLink1M$' -test.benchtime 1x -test.benchmem 2>&1 \
    | grep -E 'Benchmark|Maximum resident|Elapsed \(wall'
  echo "## linkage of RLdata10000"
  ../bench/out/stats.test -test.run '^$' -test.bench 'BenchmarkLink_RLdata10000$' -test.benchtime 3x -test.benchmem | grep Benchmark
  echo "## latent class sampler, Kosovo 4 lists (one chain)"
  ../bench/out/stats.test -test.run '^$' -test.bench 'BenchmarkLCMCR_Kosovo$' -test.benchtime 5x | grep Benchmark
} | tee "$out"
echo "written to $out"
