#!/usr/bin/env bash
# Side-by-side throughput of the discourse scanner, ripgrep and Vectorscan on the same lexicon
# over 64 MiB of real Russian text (Debian's fortunes-ru, repeated). One thread each; best of
# RUNS; wall time and CPU time (CPU time is steadier on a shared machine).
#
#   bench/discourse/run.sh            # from the repository root
#   RUNS=9 SIZE_MIB=128 bench/discourse/run.sh
#
# Needs: apt-get install -y fortunes-ru ripgrep libvectorscan-dev gcc pkg-config python3
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-7}
SIZE_MIB=${SIZE_MIB:-64}
W=${BENCH_DIR:-${TMPDIR:-/tmp}/casefile-bench-discourse}
mkdir -p "$W"
fort=/usr/share/games/fortunes/ru
[ -d "$fort" ] || { echo "run.sh: $fort missing (apt-get install fortunes-ru)" >&2; exit 1; }
command -v rg >/dev/null || { echo "run.sh: ripgrep missing (apt-get install ripgrep)" >&2; exit 1; }
pkg-config --exists libhs || { echo "run.sh: libhs missing (apt-get install libvectorscan-dev)" >&2; exit 1; }

hay=$W/hay-${SIZE_MIB}m.txt
if [ ! -s "$hay" ]; then
  # regular files only: the package also ships symlinks to the same texts
  find "$fort" -maxdepth 1 -type f ! -name '*.dat' | sort | xargs cat > "$W/fortunes-ru.txt"
  python3 - "$W/fortunes-ru.txt" "$hay" "$SIZE_MIB" <<'PY'
import sys
src, dst, mib = sys.argv[1], sys.argv[2], int(sys.argv[3])
d = open(src, 'rb').read(); n = mib << 20
open(dst, 'wb').write((d * (n // len(d) + 1))[:n])
PY
fi
go build -o "$W/scan" ./bench/discourse/scan
"$W/scan" -patterns "$W/patterns.txt"
cc -O2 -o "$W/hs_bench" bench/discourse/hs_bench.c $(pkg-config --cflags --libs libhs)

echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); haystack: $(stat -c %s "$hay") bytes; patterns: $(wc -l < "$W/patterns.txt") literals from $(grep -vc '^#' discourse/lexicon/lexicon.tsv) lexicon entries"

cf=$("$W/scan" -json -runs "$RUNS" "$hay")
hs=$("$W/hs_bench" "$W/patterns.txt" "$hay" "$RUNS")
rgj=$(python3 - "$W/patterns.txt" "$hay" "$RUNS" <<'PY'
import json, os, resource, subprocess, sys, time
pats, hay, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
best_w = best_c = None; hits = 0
for _ in range(runs):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN); t0 = time.monotonic()
    out = subprocess.run(["rg", "-F", "-o", "-c", "-j1", "-f", pats, hay], capture_output=True, check=True).stdout
    w = time.monotonic() - t0; r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    c = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    hits = int(out.strip() or 0)
    best_w = w if best_w is None else min(best_w, w); best_c = c if best_c is None else min(best_c, c)
n = os.path.getsize(hay)
print(json.dumps({"engine": "ripgrep", "bytes": n, "hits": hits, "wall_s": round(best_w, 4), "cpu_s": round(best_c, 4),
                  "mb_s_wall": round(n / 1e6 / best_w, 1), "mb_s_cpu": round(n / 1e6 / best_c, 1)}))
PY
)
printf '%s\n%s\n%s\n' "$cf" "$hs" "$rgj" > "$W/results.jsonl"
python3 - "$W/results.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
base = rows[0]
print(f"{'engine':<12} {'hits':>8} {'wall s':>8} {'MB/s wall':>10} {'CPU s':>8} {'MB/s CPU':>9} {'casefile/x (CPU)':>17}")
for r in rows:
    ratio = base["mb_s_cpu"] / r["mb_s_cpu"]
    print(f"{r['engine']:<12} {r['hits']:>8} {r['wall_s']:>8.3f} {r['mb_s_wall']:>10.0f} {r['cpu_s']:>8.3f} {r['mb_s_cpu']:>9.0f} {ratio:>17.2f}")
print("hits: casefile = word-boundary-exact hits after the proximity rule (topic and preferred terms included);")
print("      ripgrep = non-overlapping leftmost matches (-o -c), no boundaries; vectorscan = every literal match, overlapping, no boundaries.")
PY
