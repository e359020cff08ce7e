#!/bin/sh
# Hub scan throughput on a synthetic mirror (bench/make_mirror.py): repositories/hour,
# files/s and MB/s, cold (empty cache) and warm (same cache, nothing changed), with worker
# isolation (the default) and with --no-isolation; the median of RUNS runs each. Also checks
# that every planted malicious file was flagged.
#
#   bench/mirror_bench.sh HUBGUARD_BINARY [MIRROR_DIR] [REPOS] [RUNS] [THREADS]
#
# The mirror is generated once (kept between runs); the files are read from the page cache,
# so the figures are CPU-bound, not disk-bound. Rates are computed from the CPU time (user +
# system, workers included) divided by THREADS, because on a machine shared with other work
# the wall clock measures the other work; both times are printed.
set -eu
BIN=${1:?usage: mirror_bench.sh HUBGUARD_BINARY [MIRROR_DIR] [REPOS] [RUNS] [THREADS]}
MIRROR=${2:-/tmp/hubguard-bench-mirror}
REPOS=${3:-2000}
RUNS=${4:-3}
THREADS=${5:-2}
HERE=$(dirname "$0")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

[ -d "$MIRROR/models" ] || python3 "$HERE/make_mirror.py" "$MIRROR" --repos "$REPOS"
# Warm the page cache so that the first cold run is not also the first disk read.
find "$MIRROR" -type f -exec cat {} + > /dev/null

# run MODE CACHE_STATE -> prints "wall cpu" seconds (cpu = user + system of hubguard and its
# worker processes); leaves the report in $WORK/report.json
run() {
  run_mode=$1
  run_state=$2
  [ "$run_state" = cold ] && rm -f "$WORK/cache.sqlite" "$WORK/cache.sqlite-wal" "$WORK/cache.sqlite-shm"
  flags="-q -f json -o $WORK/report.json -j $THREADS --cache $WORK/cache.sqlite"
  [ "$run_mode" = threads ] && flags="$flags --no-isolation"
  /usr/bin/time -f "%e %U %S" -o "$WORK/time" "$BIN" hub scan $flags "$MIRROR" || [ $? -eq 1 ]
  tail -n 1 "$WORK/time" | awk '{ printf "%s:%.2f", $1, $2 + $3 }'
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-9s %-5s %8s %8s %12s %9s %8s %8s\n' mode cache wall_s cpu_s repos/hour files/s MB/s scanned
for mode in isolated threads; do
  for state in cold warm; do
    times=""
    for i in $(seq "$RUNS"); do
      [ "$state" = warm ] && run "$mode" cold > /dev/null  # a filled cache for this run
      times="$times $(run "$mode" "$state")"
    done
    python3 - "$WORK/report.json" "$mode" "$state" "$THREADS" $times <<'PY'
import json, statistics, sys
report = json.load(open(sys.argv[1]))
mode, state, threads = sys.argv[2], sys.argv[3], int(sys.argv[4])
runs = [tuple(float(x) for x in t.split(":")) for t in sys.argv[5:]]
wall = statistics.median(r[0] for r in runs)
cpu = statistics.median(r[1] for r in runs)
# Rates from CPU time spread over THREADS cores: what an otherwise idle machine would do (the
# wall clock is also printed; on a shared machine it mostly measures the other load).
t = cpu / threads
s = report["summary"]
print("%-9s %-5s %8.2f %8.2f %12.0f %9.0f %8.1f %8d" % (mode, state, wall, cpu, s["repositories"] / t * 3600,
      s["files"] / t, s["bytes"] / t / 1e6, s["files_scanned"]))
PY
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$WORK/report.json" "$MIRROR/planted.txt" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
verdict = {f["path"]: f["verdict"] for r in report["repositories"] for f in r["files"]}
planted = [line.split("\t")[0] for line in open(sys.argv[2]) if line.strip()]
missed = [p for p in planted if verdict.get(p, "clean") == "clean"]
s = report["summary"]
print("mirror: %d repositories, %d files, %.1f MB; planted %d, flagged %d, missed %s" % (
    s["repositories"], s["files"], s["bytes"] / 1e6, len(planted), len(planted) - len(missed), missed or "none"))
print("repositories by verdict:", s["repositories_by_verdict"])
PY
