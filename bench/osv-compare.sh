#!/usr/bin/env bash
# airlock vs OSV-Scanner v2: lockfile scanning speed and findings, offline,
# on the same generated OSV data (bench/osv/gen), in the same run.
#
#   bench/osv-compare.sh [-n RUNS] [--synthetic] [--keep]
#
#   -n RUNS       timed runs per tool and lockfile (default $RUNS or 10), after
#                 one untimed warm-up run; best and median wall time are shown
#   --synthetic   use a generated 1,000-entry package-lock.json instead of the
#                 real one in bench/osv/testdata (see below)
#   --keep        keep the work directory (data, reports, timings)
#
# Data: bench/osv/gen -seed $SEED (default 1) writes PyPI.zip and npm.zip in
# OSV's bulk-export shape (5,600 records: ~15% MAL-, GHSA/PYSEC alias pairs,
# withdrawn records, most on packages in neither lockfile), a 300-pin
# requirements.txt, and the findings the data was built to produce. The npm
# lockfile is, by default, bench/osv/testdata/package-lock.json: a real
# lockfileVersion 3 lock of 1,004 entries (952 distinct name@version) made
# with `npm install --package-lock-only --ignore-scripts` from
# bench/osv/testdata/package.json (this machine's npm omits "resolved", per
# its omit-lockfile-registry-resolved setting); the npm advisories are
# written against its names and versions.
#
# OSV-Scanner: built once, outside the repo, into
# ${AIRLOCK_BENCH_CACHE:-~/.cache/airlock-bench}/bin with
# `go install github.com/google/osv-scanner/v2/cmd/osv-scanner@$OSV_SCANNER_VERSION`
# (default v2.6.0, which needs Go 1.27: GOTOOLCHAIN=$OSV_GOTOOLCHAIN, default
# go1.27.3, is fetched by the go command for that build only). Set
# OSV_SCANNER=/path/to/osv-scanner to use another binary. It runs offline as
#   OSV_SCANNER_LOCAL_DB_CACHE_DIRECTORY=DIR osv-scanner scan source \
#     --offline --offline-vulnerabilities --no-resolve --format json --lockfile FILE
# with the zips at DIR/osv-scalibr/<PyPI|npm>/all.zip (--offline implies the
# other two; --download-offline-databases stays off, so it never fetches).
#
# airlock: go build ./cmd/airlock (or AIRLOCK=/path/to/airlock), then
#   airlock db update --db DB --from PyPI.zip --from npm.zip     (once, timed apart)
#   airlock scan --db DB --format json --fail-on never --quiet FILE $AIRLOCK_SCAN_FLAGS
#
# When unshare(1) can make a network namespace, each tool also runs once with
# no network at all, to show that it needs none.
#
# Exit: 0 identical findings; 1 findings differ; 2 a tool is missing or
# failed (airlock's OSV import not there yet: osv-scanner's figures are
# still printed).
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
repo=$PWD

runs=${RUNS:-10}
seed=${SEED:-1}
synthetic=0
keep=0
while [ $# -gt 0 ]; do
  case $1 in
    -n) runs=$2; shift 2 ;;
    --synthetic) synthetic=1; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "osv-compare: unknown argument $1 (see -h)" >&2; exit 2 ;;
  esac
done

cache=${AIRLOCK_BENCH_CACHE:-$HOME/.cache/airlock-bench}
osv_version=${OSV_SCANNER_VERSION:-v2.6.0}
osv_toolchain=${OSV_GOTOOLCHAIN:-go1.27.3}

name=osv-compare
source bench/lib.sh
bench_workdir
mkdir -p "$work/bin" "$work/data" "$work/py" "$work/js" "$work/osvdb/osv-scalibr/PyPI" "$work/osvdb/osv-scalibr/npm"


# ------------------------------------------------------------------ tools
say "building bench/osv/gen and bench/osv/compare"
go build -o "$work/bin/gen" ./bench/osv/gen
go build -o "$work/bin/compare" ./bench/osv/compare

build_airlock

osv=${OSV_SCANNER:-$cache/bin/osv-scanner}
if [ -z "${OSV_SCANNER:-}" ]; then
  want=${osv_version#v}
  have=""
  [ -x "$osv" ] && have=$("$osv" --version 2>/dev/null | sed -n 's/^osv-scanner version: //p')
  if [ "$have" != "$want" ]; then
    say "building osv-scanner $osv_version into $cache/bin (outside the repo; once)"
    mkdir -p "$cache/bin"
    (cd "$cache" && GOTOOLCHAIN=$osv_toolchain GOFLAGS= GOBIN="$cache/bin" \
      go install "github.com/google/osv-scanner/v2/cmd/osv-scanner@$osv_version") \
      || die "could not build osv-scanner $osv_version (GOTOOLCHAIN=$osv_toolchain)"
  fi
fi
[ -x "$osv" ] || die "no osv-scanner at $osv"

# ------------------------------------------------------------------ data
say "generating data (seed $seed)"
gen_args=(-out "$work/data" -seed "$seed")
if [ "$synthetic" = 1 ] || ! [ -f bench/osv/testdata/package-lock.json ]; then
  npm_source="synthetic (bench/osv/gen, 1,000 entries)"
  # "resolved" URLs point at the registry npm is configured with; the host is
  # read here, at run time, and only written into the temporary lockfile.
  if command -v npm >/dev/null 2>&1; then
    reg=$(npm config get registry 2>/dev/null || true)
    [ -n "$reg" ] && gen_args+=(-registry "$reg")
  fi
else
  npm_source="real (bench/osv/testdata/package-lock.json)"
  gen_args+=(-npm-lock bench/osv/testdata/package-lock.json)
fi
"$work/bin/gen" "${gen_args[@]}" | sed 's/^/   /'
cp "$work/data/requirements.txt" "$work/py/requirements.txt"
cp "$work/data/package-lock.json" "$work/js/package-lock.json"
cp "$work/data/PyPI.zip" "$work/osvdb/osv-scalibr/PyPI/all.zip"
cp "$work/data/npm.zip" "$work/osvdb/osv-scalibr/npm/all.zip"
py_pins=$(grep -c '==' "$work/py/requirements.txt")
js_entries=$(grep -c '"node_modules/' "$work/js/package-lock.json" || true)

lockfiles=(py/requirements.txt js/package-lock.json)
ecos=(pypi npm)
labels=("requirements.txt ($py_pins pins)" "package-lock.json ($js_entries entries)")

# ------------------------------------------------------------------ runners
# Each runner writes its JSON report to $2 and fails on a tool error.
osv_scan() {
  local rc=0
  OSV_SCANNER_LOCAL_DB_CACHE_DIRECTORY="$work/osvdb" \
    ${NETNS:-} "$osv" scan source --offline --offline-vulnerabilities --no-resolve \
    --format json --lockfile "$work/$1" > "$2" 2> "$2.err" || rc=$?
  # 0: no vulnerabilities, 1: vulnerabilities found; anything else is an error.
  if [ "$rc" -gt 1 ]; then
    echo "osv-scanner exited $rc on $1:" >&2; tail -5 "$2.err" >&2; return 1
  fi
}
airlock_scan() {
  local rc=0
  # shellcheck disable=SC2086
  ${NETNS:-} "$airlock" scan --db "$work/airlock.db" --format json --fail-on never --quiet \
    ${AIRLOCK_SCAN_FLAGS:-} "$work/$1" > "$2" 2> "$2.err" || rc=$?
  if [ "$rc" -gt 1 ]; then
    echo "airlock exited $rc on $1:" >&2; tail -5 "$2.err" >&2; return 1
  fi
}

now_us() { local t=$EPOCHREALTIME; echo "${t/./}"; }

# timeit TAG FUNC LOCKFILE: one warm-up run, then $runs timed runs; the
# wall times (µs) go to $work/t.TAG, the last report to $work/TAG.json.
timeit() {
  local tag=$1 fn=$2 lock=$3 i t0 t1
  "$fn" "$lock" "$work/$tag.json" || return 1
  : > "$work/t.$tag"
  for ((i = 0; i < runs; i++)); do
    t0=$(now_us)
    "$fn" "$lock" "$work/$tag.json" || return 1
    t1=$(now_us)
    echo $((t1 - t0)) >> "$work/t.$tag"
  done
}
# best and median, in seconds
stats() { sort -n "$work/t.$1" | awk '{a[NR] = $1} END {m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.3f %.3f\n", a[1] / 1e6, m / 1e6}'; }
peak_rss() { # FUNC LOCKFILE → peak RSS in MiB of one run
  /usr/bin/time -f '%M' -o "$work/rss" "$@" >/dev/null 2>&1 || true
  tail -1 "$work/rss" | awk '$1 ~ /^[0-9]+$/ {printf "%.0f", $1 / 1024; ok = 1} END {if (!ok) printf "?"}' 
}

netns=""
if unshare -n true 2>/dev/null; then netns="unshare -n"; fi

# ------------------------------------------------------------------ osv-scanner
say "osv-scanner: $runs runs per lockfile"
declare -A osv_best osv_med osv_n osv_rss air_best air_med air_n air_rss common
for i in 0 1; do
  lock=${lockfiles[$i]} eco=${ecos[$i]}
  timeit "osv-$eco" osv_scan "$lock" || die "osv-scanner failed on $lock"
  read -r osv_best[$eco] osv_med[$eco] < <(stats "osv-$eco")
  osv_n[$eco]=$("$work/bin/compare" -ecosystem "$eco" "$work/osv-$eco.json" | awk '{print $2; exit}')
  osv_rss[$eco]=$(peak_rss env OSV_SCANNER_LOCAL_DB_CACHE_DIRECTORY="$work/osvdb" "$osv" scan source --offline --format json --lockfile "$work/$lock")
  if [ -n "$netns" ]; then
    NETNS=$netns osv_scan "$lock" "$work/osv-$eco-nonet.json" || die "osv-scanner failed without network on $lock"
    cmp -s "$work/osv-$eco.json" "$work/osv-$eco-nonet.json" || echo "   note: osv-scanner's report differs without network on $lock"
  fi
  echo "   ${labels[$i]}: best ${osv_best[$eco]} s, median ${osv_med[$eco]} s, ${osv_n[$eco]} findings, peak RSS ${osv_rss[$eco]} MiB"
  # Sanity check of the generator: OSV-Scanner against the findings the data
  # was built to produce.
  if ! "$work/bin/compare" -ecosystem "$eco" -left-name osv-scanner -right-name expected \
       "$work/osv-$eco.json" "$work/data/expected.json" > "$work/sanity-$eco.txt"; then
    echo "   note: osv-scanner differs from gen's expected findings ($eco):"
    sed 's/^/     /' "$work/sanity-$eco.txt" | tail -15
  fi
done
[ -n "$netns" ] && echo "   (also ran once in an empty network namespace: no network needed)"

osv_ver=$("$osv" --version | sed -n 's/^osv-scanner version: //p')
scalibr_ver=$("$osv" --version | sed -n 's/^osv-scalibr version: //p')
rev=$(git rev-parse --short HEAD 2>/dev/null || echo "?")
git diff --quiet HEAD 2>/dev/null || rev="$rev+dirty"

table() {
  local have_airlock=$1
  echo
  say "results: wall time in seconds over $runs runs (after a warm-up), best / median"
  printf '%-36s %-22s %-22s %-17s %s\n' "lockfile" "osv-scanner" "airlock" "ratio osv/airlock" "findings osv / airlock / common"
  local i eco ratio ratio_best al fd
  for i in 0 1; do
    eco=${ecos[$i]}
    if [ "$have_airlock" = 1 ]; then
      ratio=$(awk -v a="${osv_med[$eco]}" -v b="${air_med[$eco]}" 'BEGIN {printf "%.1fx", (b > 0) ? a / b : 0}')
      ratio_best=$(awk -v a="${osv_best[$eco]}" -v b="${air_best[$eco]}" 'BEGIN {printf "%.1fx", (b > 0) ? a / b : 0}')
      al="${air_best[$eco]} / ${air_med[$eco]}"
      fd="${osv_n[$eco]} / ${air_n[$eco]} / ${common[$eco]}"
      ratio="$ratio (best $ratio_best)"
    else
      al="-" ratio="-" fd="${osv_n[$eco]} / - / -"
    fi
    printf '%-36s %-22s %-22s %-17s %s\n' "${labels[$i]}" "${osv_best[$eco]} / ${osv_med[$eco]}" "$al" "$ratio" "$fd"
  done
  echo
  echo "osv-scanner $osv_ver (osv-scalibr $scalibr_ver), peak RSS ${osv_rss[pypi]} / ${osv_rss[npm]} MiB"
  if [ "$have_airlock" = 1 ]; then
    echo "airlock $("$airlock" version 2>/dev/null | awk '{print $2}') (commit $rev), peak RSS ${air_rss[pypi]} / ${air_rss[npm]} MiB; one-time import of both zips: ${import_s} s"
  fi
  echo "data: seed $seed; npm lockfile $npm_source; $(tail -1 "$work/data/stats.txt")"
  echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
}

# ------------------------------------------------------------------ airlock
if [ -z "$airlock_err" ]; then
  help=$("$airlock" db -h 2>&1 || true)
  if ! grep -q -- '--from' <<< "$help" || ! grep -q 'update' <<< "$help"; then
    airlock_err="this airlock has no \`airlock db update --from FILE\` (OSV zip import); \`airlock db -h\` says:
$(sed 's/^/   /' <<< "$help" | head -10)"
  fi
fi
if [ -n "$airlock_err" ]; then
  table 0
  echo
  die "airlock step not run: $airlock_err"
fi

say "airlock: importing PyPI.zip and npm.zip"
t0=$(now_us)
"$airlock" db update --db "$work/airlock.db" --from "$work/data/PyPI.zip" --from "$work/data/npm.zip" \
  > "$work/import.log" 2>&1 || { tail -20 "$work/import.log" >&2; die "airlock db update failed"; }
t1=$(now_us)
import_s=$(awk -v u=$((t1 - t0)) 'BEGIN {printf "%.3f", u / 1e6}')
echo "   ${import_s} s"

say "airlock: $runs runs per lockfile"
differ=0
for i in 0 1; do
  lock=${lockfiles[$i]} eco=${ecos[$i]}
  timeit "airlock-$eco" airlock_scan "$lock" || die "airlock scan failed on $lock"
  read -r air_best[$eco] air_med[$eco] < <(stats "airlock-$eco")
  air_rss[$eco]=$(peak_rss "$airlock" scan --db "$work/airlock.db" --format json --fail-on never --quiet "$work/$lock")
  if [ -n "$netns" ]; then
    NETNS=$netns airlock_scan "$lock" "$work/airlock-$eco-nonet.json" || die "airlock failed without network on $lock"
  fi
  echo "   ${labels[$i]}: best ${air_best[$eco]} s, median ${air_med[$eco]} s, peak RSS ${air_rss[$eco]} MiB"
done
[ -n "$netns" ] && echo "   (also ran once in an empty network namespace: no network needed)"
for i in 0 1; do
  lock=${lockfiles[$i]} eco=${ecos[$i]}
  echo
  say "findings, ${labels[$i]}"
  rc=0
  "$work/bin/compare" -ecosystem "$eco" -left-name osv-scanner -right-name airlock \
    "$work/osv-$eco.json" "$work/airlock-$eco.json" > "$work/compare-$eco.txt" || rc=$?
  sed 's/^/   /' "$work/compare-$eco.txt"
  [ "$rc" -gt 1 ] && die "compare failed on $lock"
  [ "$rc" = 1 ] && differ=1
  air_n[$eco]=$(sed -n 's/^counts: .* airlock=\([0-9]*\) .*/\1/p' "$work/compare-$eco.txt")
  common[$eco]=$(sed -n 's/^counts: .* common=\([0-9]*\) .*/\1/p' "$work/compare-$eco.txt")
done

table 1
if [ "$differ" = 1 ]; then
  echo
  echo "FINDINGS DIFFER (see above)"
  exit 1
fi
echo "identical findings on both lockfiles"
