#!/bin/sh
# `hub scan --db` throughput through PostgreSQL: one process with THREADS scanning threads
# against WORKERS processes sharing the queue (THREADS/WORKERS threads each), and the same
# mirror scanned without a database for reference. Every run starts from an empty database
# and no result cache, so every file is parsed; figures are repositories/s and files/s by the
# wall clock (the queue's cost is round trips and waiting, which CPU time would not show), so
# run it on an otherwise idle machine. Also checks that the database holds one verdict per
# file the reference scan reported.
#
#   bench/pg_queue_bench.sh HUBGUARD_BINARY [MIRROR_DIR] [REPOS] [THREADS] [MODE]
#
# MODE: isolated (default, worker processes) or threads (--no-isolation). A private
# PostgreSQL is started on a free loopback port (as the postgres user when run as root) and
# stopped at the end; the mirror comes from bench/make_mirror.py and is kept.
set -eu
BIN=$(readlink -f "${1:?usage: pg_queue_bench.sh HUBGUARD_BINARY [MIRROR_DIR] [REPOS] [THREADS] [MODE]}")
MIRROR=${2:-/tmp/hubguard-bench-mirror}
REPOS=${3:-2000}
THREADS=${4:-2}
MODE=${5:-isolated}
HERE=$(dirname "$0")
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
WORK=$(mktemp -d /tmp/hubguard-pg-bench.XXXXXX)
chmod 755 "$WORK"
AS=""
if [ "$(id -u)" -eq 0 ]; then AS="runuser -u postgres --"; chown postgres "$WORK"; fi
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() {
  $AS "$PGBIN/pg_ctl" -D "$WORK/data" -m fast stop > /dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

$AS "$PGBIN/initdb" -D "$WORK/data" -U postgres -A trust -E UTF8 --no-locale --no-sync > "$WORK/initdb.log"
$AS "$PGBIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w -o "-h 127.0.0.1 -p $PORT -k $WORK" start > /dev/null
URL="postgresql://postgres@127.0.0.1:$PORT"

[ -d "$MIRROR/models" ] || python3 "$HERE/make_mirror.py" "$MIRROR" --repos "$REPOS"
find "$MIRROR" -type f -exec cat {} + > /dev/null  # page cache warm: measure CPU, not disk

flags="-q --no-cache -f json"
[ "$MODE" = threads ] && flags="$flags --no-isolation"
now() { python3 -c 'import time; print(time.monotonic())'; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
t0=$(now)
"$BIN" hub scan $flags -j "$THREADS" -o "$WORK/local.json" "$MIRROR" || [ $? -eq 1 ]
t1=$(now)
echo "local $t0 $t1" > "$WORK/times"

for workers in 1 2; do
  db="bench_w$workers"
  "$PGBIN/psql" -q -h 127.0.0.1 -p "$PORT" -U postgres -c "CREATE DATABASE $db" postgres
  per=$(( THREADS / workers )); [ "$per" -ge 1 ] || per=1
  t0=$(now)
  pids=""
  for w in $(seq "$workers"); do
    "$BIN" hub scan $flags -j "$per" --db "$URL/$db" --worker-id "w$w" -o "$WORK/db_${workers}_$w.json" "$MIRROR" &
    pids="$pids $!"
  done
  for p in $pids; do wait "$p" || [ $? -eq 1 ]; done
  t1=$(now)
  echo "db$workers $t0 $t1" >> "$WORK/times"
  "$PGBIN/psql" -qtA -h 127.0.0.1 -p "$PORT" -U postgres -d "$db" \
    -c "SELECT count(*), count(DISTINCT (repository, file_path)) FROM hubguard_results" > "$WORK/counts_$workers"
done

python3 - "$WORK" "$THREADS" "$MODE" <<'PY'
import json, sys
work, threads, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
local = json.load(open(f"{work}/local.json"))["summary"]
repos, files = local["repositories"], local["files"]
print(f"mirror: {repos} repositories, {files} files, {local['bytes'] / 1e6:.1f} MB; mode {mode}; {threads} threads in all")
print("%-28s %8s %8s %9s" % ("run", "wall_s", "repos/s", "files/s"))
for line in open(f"{work}/times"):
    name, t0, t1 = line.split()
    wall = float(t1) - float(t0)
    label = {"local": f"hub scan (no db), -j{threads}",
             "db1": f"--db, 1 process x -j{threads}",
             "db2": f"--db, 2 processes x -j{max(1, threads // 2)}"}[name]
    print("%-28s %8.2f %8.1f %9.1f" % (label, wall, repos / wall, files / wall))
    if name.startswith("db"):
        n = name[2:]
        stored, distinct = (int(x) for x in open(f"{work}/counts_{n}").read().strip().split("|"))
        ok = stored == distinct == files
        print(f"    verdicts stored: {stored} ({distinct} distinct) for {files} files: {'OK' if ok else 'MISMATCH'}")
        if not ok:
            sys.exit(1)
PY
