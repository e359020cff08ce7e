#!/usr/bin/env bash
# Files/s of `hubguard scan` over SavedModel directories: every fixture folder under
# tests/fixtures/formats/*/savedmodel (saved_model.pb graphs, keras_metadata.pb, variables/,
# fingerprint.pb; benign, malicious, malformed) copied COPIES times into a temporary folder,
# scanned RUNS times on THREADS threads, as `hubguard scan MODEL_DIR` would see them.
#   bench/savedmodel_corpus.sh [BINARY] [COPIES] [RUNS] [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-build/release/hubguard}"
copies="${2:-100}"
runs="${3:-3}"
threads="${4:-1}"
corpus="$(mktemp -d /tmp/hubguard-savedmodel-corpus.XXXXXX)"
trap 'rm -rf "$corpus"' EXIT
for i in $(seq 1 "$copies"); do
  for kind in benign malicious suspicious malformed; do
    mkdir -p "$corpus/$i/$kind"
    cp -r "tests/fixtures/formats/$kind/savedmodel" "$corpus/$i/$kind/"
  done
done
files=$(find "$corpus" -type f | wc -l)
bytes=$(find "$corpus" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
for _ in $(seq 1 "$runs"); do
  start=$(date +%s.%N)
  "$bin" scan -q -j "$threads" "$corpus" >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" -v f="$files" -v by="$bytes" \
    'BEGIN {printf "%d files, %.2f MB: %.3f s -> %.0f files/s, %.1f MB/s\n", f, by / 1e6, b - a, f / (b - a), by / 1e6 / (b - a)}'
done
