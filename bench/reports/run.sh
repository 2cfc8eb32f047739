#!/usr/bin/env bash
# Benchmarks of the report package: a CAT shadow report over a generated store of 100,000 acts
# (20,000 victims, 10,000 events, one CAT assessment per act), in Markdown, HTML and PDF, and the
# report model alone. Run from the repository root:  bench/reports/run.sh [COUNT]
# Loading the store takes about half a minute and is not timed. Results: docs/benchmarks/reports.md.
set -euo pipefail
count=${1:-3}
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(go version)"
go test -run '^$' -bench 'ShadowReport_100k|Build_100k' -benchtime "${count}x" -benchmem ./report/
