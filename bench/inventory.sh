#!/usr/bin/env bash
# Inventory store benchmarks on SQLite and PostgreSQL: Record throughput
# (package rows per second) and Where latency over 10,000 environments × 300
# packages (3M inventory rows).
#
#   bench/inventory.sh            # the 10,000-environment dataset (a few minutes)
#   bench/inventory.sh --small    # 1,000 environments
#
# PostgreSQL: the server named by $AIRLOCK_TEST_POSTGRES if set, else a
# private one started and removed like scripts/test.sh does. The full output
# goes to bench/out/inventory.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"

big=1
[ "${1:-}" = "--small" ] && big=0

source scripts/test.sh # start_postgres, stop_postgres
if [ -z "${AIRLOCK_TEST_POSTGRES:-}" ]; then
  trap stop_postgres EXIT
  start_postgres
fi
export AIRLOCK_REQUIRE_POSTGRES=1

mkdir -p bench/out
out=bench/out/inventory.txt
echo "== go test -bench (Record, Where; AIRLOCK_BENCH_BIG=$big)"
AIRLOCK_BENCH_BIG=$big go test -count=1 -run '^$' -bench '^Benchmark(Record|Where)$' -benchtime=2s -timeout 60m -v \
  ./internal/store | tee "$out" | grep -E '^Benchmark|built' || true

echo
echo "== summary"
awk '
  /^BenchmarkRecord\/.*rows\/s/ {
    split($1, p, "/"); sub(/-[0-9]+$/, "", p[4])
    for (i = 2; i < NF; i++) if ($(i+1) == "rows/s") r = $i
    printf "Record %-8s %-5s %6s pkgs/env: %9.0f rows/s\n", p[2], p[3], p[4], r
  }
  /: built [0-9]+ environments/ {
    sub(/^.*_test\.go:[0-9]+: /, "")
    print "Load   " $0
  }
  /^BenchmarkWhere\/.*ms\/op/ {
    split($1, p, "/"); sub(/-[0-9]+$/, "", p[3])
    for (i = 2; i < NF; i++) { if ($(i+1) == "ms/op") ms = $i; if ($(i+1) == "sightings") n = $i }
    printf "Where  %-8s %-8s %7.2f ms (%d sightings)\n", p[2], p[3], ms, n
  }
' "$out"
