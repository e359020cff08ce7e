#!/usr/bin/env bash
# Throughput of `hubguard scan` over a corpus of real-library pickles and containers, in MB/s
# and files/s, beside `cat` reading the same files (the I/O baseline) in the same run.
# Corpus: every fixture under tests/fixtures/scan (made by make_fixtures.py with torch, numpy,
# scikit-learn, joblib, dill, cloudpickle, 7z), copied COPIES times into a temporary folder.
#   bench/scan_corpus.sh [BINARY] [COPIES] [RUNS] [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-build/release/hubguard}"
copies="${2:-40}"
runs="${3:-5}"
threads="${4:-1}"
corpus="$(mktemp -d /tmp/hubguard-scan-corpus.XXXXXX)"
trap 'rm -rf "$corpus"' EXIT
for i in $(seq 1 "$copies"); do
  mkdir -p "$corpus/$i"
  cp -r tests/fixtures/scan/benign tests/fixtures/scan/malicious "$corpus/$i/"
done
files=$(find "$corpus" -type f | wc -l)
bytes=$(find "$corpus" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
time_of() {  # wall seconds of a command, output discarded
  local start end
  start=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN {printf "%.4f\n", b - a}' 
}
scan_t=(); cat_t=()
for _ in $(seq 1 "$runs"); do
  cat_t+=("$(time_of sh -c "find '$corpus' -type f -print0 | xargs -0 cat")")
  scan_t+=("$(time_of "$bin" scan -q -j "$threads" "$corpus")")
done
scan_med=$(printf '%s\n' "${scan_t[@]}" | median)
cat_med=$(printf '%s\n' "${cat_t[@]}" | median)
div() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.4f\n", a / b}'; }
mb=$(div "$bytes" 1000000)
printf 'corpus: %d files, %.1f MB (%d copies of tests/fixtures/scan), %d runs, %d thread(s)\n' \
  "$files" "$mb" "$copies" "$runs" "$threads"
printf 'hubguard scan: median %.3f s  -> %.1f MB/s, %.0f files/s\n' "$scan_med" \
  "$(div "$mb" "$scan_med")" "$(div "$files" "$scan_med")"
printf 'cat (baseline): median %.3f s -> %.1f MB/s, %.0f files/s\n' "$cat_med" \
  "$(div "$mb" "$cat_med")" "$(div "$files" "$cat_med")"
printf 'ratio scan/cat time: %.1fx\n' "$(div "$scan_med" "$cat_med")"
