#!/usr/bin/env bash
# airlock ci vs actionlint: GitHub Actions workflow checking throughput and
# peak memory on the same real-world corpus, in the same run.
#
#   bench/ci-compare.sh [-n RUNS] [--no-info] [--keep]
#
#   -n RUNS     timed runs per tool (default $RUNS or 5), after one untimed
#               warm-up run; best and median wall time are shown
#   --no-info   skip the informational actionlint run (one) with its default
#               -shellcheck/-pyflakes settings: shellcheck and pyflakes from
#               PATH where they are (pyflakes3, Debian's name, too), else
#               none; with shellcheck it takes some 20 s
#   --keep      keep the work directory (workflows, reports, timings)
#
# Corpus: $CORPUS, default ../shared/corpus/workflows-realworld.zip beside the
# repository: 1,503 real GitHub Actions workflow files at the zip root, with
# flat names (owner_repo_.github_workflows_x.yml). It is unzipped into a
# temporary directory; every *.yml / *.yaml there is one workflow.
#
# actionlint: built once, outside the repo, into
# ${AIRLOCK_BENCH_CACHE:-~/.cache/airlock-bench}/bin with
# `go install github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION`
# (default v1.7.12). Set ACTIONLINT=/path/to/actionlint to use another
# binary. It runs once per timed run, in one process, over all files given
# as arguments (they are not under .github/workflows, so it must be given
# them), from the corpus directory, with its external checkers off:
#   actionlint -shellcheck= -pyflakes= -no-color -format '{{json .}}' FILE...
# Its exit code is 1 when it reports errors; 0 none; anything else is a
# failure. Problems counted: the elements of its JSON array.
#
# airlock: go build ./cmd/airlock (or AIRLOCK=/path/to/airlock), then, once
# per timed run, in one process, over the corpus directory:
#   airlock ci --platform github --format json --fail-on never --quiet DIR $AIRLOCK_CI_FLAGS
# (every *.yml/*.yaml directly under DIR parsed as a GitHub workflow, the
# full rule set). Problems counted: summary.findings of its JSON report.
#
# Timing: wall clock from just before the tool is started to just after it
# exits, read from bash's $EPOCHREALTIME (the clock of `date +%s.%N`, with no
# fork of date in the measured interval; `date +%s%N` where bash has no
# EPOCHREALTIME). Peak RSS: separate runs, as many as the timed ones, through
# bench/ci/rss, which reports ru_maxrss of the reaped process (exact, KiB)
# and its user+sys CPU time; median and largest are shown.
#
# Exit: 0 both ran and airlock's median time is below actionlint's; 1 both
# ran but airlock is not faster; 2 a tool is missing or failed (airlock's
# `ci` command not there yet: actionlint's figures are still printed).
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
repo=$PWD

runs=${RUNS:-5}
info=1
keep=0
while [ $# -gt 0 ]; do
  case $1 in
    -n) runs=$2; shift 2 ;;
    --no-info) info=0; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "ci-compare: unknown argument $1 (see -h)" >&2; exit 2 ;;
  esac
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "ci-compare: -n wants a positive number, not $runs" >&2; exit 2; }

cache=${AIRLOCK_BENCH_CACHE:-$HOME/.cache/airlock-bench}
al_version=${ACTIONLINT_VERSION:-v1.7.12}
corpus=${CORPUS:-$repo/../shared/corpus/workflows-realworld.zip}

name=ci-compare
source bench/lib.sh
[ -f "$corpus" ] || die "no corpus at $corpus (set CORPUS=)"
command -v unzip >/dev/null || die "unzip is needed (apt-get install unzip)"
bench_workdir
mkdir -p "$work/bin" "$work/wf" "$work/out"

# ------------------------------------------------------------------ tools
say "building bench/ci/rss and bench/ci/count"
go build -o "$work/bin/rss" ./bench/ci/rss
go build -o "$work/bin/count" ./bench/ci/count

build_airlock

al=${ACTIONLINT:-$cache/bin/actionlint}
if [ -z "${ACTIONLINT:-}" ]; then
  have=""
  [ -x "$al" ] && have=$("$al" -version 2>/dev/null | head -1)
  if [ "$have" != "$al_version" ]; then
    say "building actionlint $al_version into $cache/bin (outside the repo; once)"
    mkdir -p "$cache/bin"
    (cd "$cache" && GOFLAGS="" GOBIN="$cache/bin" \
      go install "github.com/rhysd/actionlint/cmd/actionlint@$al_version") \
      || die "could not build actionlint $al_version"
  fi
fi
[ -x "$al" ] || die "no actionlint at $al"
al_ver=$("$al" -version 2>/dev/null | head -1)

# ------------------------------------------------------------------ corpus
say "unzipping $(basename "$corpus")"
unzip -q "$corpus" -d "$work/wf"
cd "$work/wf"
shopt -s nullglob
files=(*.yml *.yaml)
shopt -u nullglob
nfiles=${#files[@]}
[ "$nfiles" -gt 0 ] || die "no *.yml/*.yaml at the root of $corpus"
nother=$(find . -mindepth 1 -maxdepth 1 ! -name '*.yml' ! -name '*.yaml' | wc -l)
nsub=$(find . -mindepth 2 | wc -l)
corpus_bytes=$(cat "${files[@]}" | wc -c)
argbytes=$(printf '%s ' "${files[@]}" | wc -c)
echo "   $nfiles workflow files, $corpus_bytes bytes; $nother other entries at the root, $nsub below it (ignored by both)"
echo "   actionlint's command line: $argbytes bytes of file names (limit $(getconf ARG_MAX)), one invocation"
cd "$repo"

# ------------------------------------------------------------------ runners
# Each runner runs from the corpus directory, writes its report to $1 and
# stderr to $1.err, and sets rc; a tool failure returns 1.
al_flags=(-shellcheck= -pyflakes= -no-color -format '{{json .}}')
al_cmd=("$al" "${al_flags[@]}" "${files[@]}")
al_default_cmd=("$al" -no-color -format '{{json .}}' "${files[@]}")
# shellcheck disable=SC2206
air_cmd=("$airlock" ci --platform github --format json --fail-on never --quiet ${AIRLOCK_CI_FLAGS:-} "$work/wf")

rc=0
# run_tool MAXOK OUT CMD...: runs CMD from the corpus directory; an exit
# code above MAXOK is a failure.
run_tool() {
  local maxok=$1 out=$2; shift 2
  rc=0
  (cd "$work/wf" && exec "$@") > "$out" 2> "$out.err" || rc=$?
  if [ "$rc" -gt "$maxok" ]; then
    echo "$(basename "$1") exited $rc:" >&2; tail -5 "$out.err" >&2; return 1
  fi
}

if [ -n "${EPOCHREALTIME:-}" ]; then
  now_ns() { local t=$EPOCHREALTIME; echo "${t/./}000"; }
  clock="bash's EPOCHREALTIME"
else
  now_ns() { date +%s%N; }
  clock='date +%s%N'
fi

# timeit TAG MAXOK CMD...: one warm-up run, then $runs timed runs (wall ns
# to $work/t.TAG), then $runs runs through rss (lines to $work/m.TAG); the
# last report is $work/out/TAG.json, the last exit code ${code[TAG]}.
declare -A code
timeit() {
  local tag=$1 maxok=$2 i t0 t1; shift 2
  run_tool "$maxok" "$work/out/$tag.json" "$@" || return 1
  : > "$work/t.$tag"
  for ((i = 0; i < runs; i++)); do
    t0=$(now_ns)
    run_tool "$maxok" "$work/out/$tag.json" "$@" || return 1
    t1=$(now_ns)
    echo $((t1 - t0)) >> "$work/t.$tag"
  done
  code[$tag]=$rc
  : > "$work/m.$tag"
  for ((i = 0; i < runs; i++)); do
    run_tool "$maxok" "$work/out/$tag.rss.json" "$work/bin/rss" -o "$work/m1" "$@" || return 1
    cat "$work/m1" >> "$work/m.$tag"
  done
  cmp -s "$work/out/$tag.json" "$work/out/$tag.rss.json" || echo "   note: $tag's report differs between runs"
}
# median of column (1-based) of a file of numbers
median() { sort -g "$1" | awk '{a[NR] = $1} END {printf "%s", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
declare -A best med wps rss_med rss_max cpu_med
stats() {
  local tag=$1
  best[$tag]=$(sort -n "$work/t.$tag" | head -1 | awk '{printf "%.3f", $1 / 1e9}')
  med[$tag]=$(awk '{print $1 / 1e9}' "$work/t.$tag" > "$work/s"; median "$work/s" | awk '{printf "%.3f", $1}')
  wps[$tag]=$(awk -v n="$nfiles" -v s="${med[$tag]}" 'BEGIN {printf "%.0f", (s > 0) ? n / s : 0}')
  sed -n 's/.*maxrss_kib=\([0-9]*\).*/\1/p' "$work/m.$tag" > "$work/s"
  rss_med[$tag]=$(median "$work/s" | awk '{printf "%.1f", $1 / 1024}')
  rss_max[$tag]=$(sort -n "$work/s" | tail -1 | awk '{printf "%.1f", $1 / 1024}')
  awk '{u = $3; s = $4; sub(/.*=/, "", u); sub(/.*=/, "", s); print u + s}' "$work/m.$tag" > "$work/s"
  cpu_med[$tag]=$(median "$work/s" | awk '{printf "%.3f", $1}')
}
declare -A problems pfiles diags scanned kinds
count_report() {
  local tag=$1 line
  "$work/bin/count" -top 10 "$work/out/$tag.json" > "$work/count.$tag" || die "could not read $tag's report"
  line=$(head -1 "$work/count.$tag")
  problems[$tag]=$(sed -n 's/.* reported=\([0-9]*\).*/\1/p' <<< "$line")
  pfiles[$tag]=$(sed -n 's/.* files=\([0-9]*\).*/\1/p' <<< "$line")
  diags[$tag]=$(sed -n 's/.* diagnostics=\([0-9]*\).*/\1/p' <<< "$line")
  scanned[$tag]=$(sed -n 's/.* scanned=\([0-9]*\).*/\1/p' <<< "$line")
  kinds[$tag]=$(tail -n +2 "$work/count.$tag")
}

# ------------------------------------------------------------------ actionlint
say "actionlint $al_ver ($(printf '%s ' "${al_flags[@]}")FILE x $nfiles): $runs timed runs, $runs RSS runs"
timeit al 1 "${al_cmd[@]}" || die "actionlint failed"
stats al
count_report al
echo "   best ${best[al]} s, median ${med[al]} s ($(awk -v s="${med[al]}" -v n="$nfiles" 'BEGIN {printf "%.3f", s * 1000 / n}') ms/workflow), ${wps[al]} workflows/s, CPU ${cpu_med[al]} s, peak RSS ${rss_med[al]} MiB median / ${rss_max[al]} MiB max, exit ${code[al]}"
echo "   ${problems[al]} errors in ${pfiles[al]} of $nfiles files, by kind:"
sed 's/^/   /' <<< "${kinds[al]}"

info_line=""
if [ "$info" = 1 ]; then
  sc=$(command -v shellcheck || true)
  pf=$(command -v pyflakes || true)
  if [ -z "$pf" ] && pf=$(command -v pyflakes3); then
    # Debian's package pyflakes3 installs only pyflakes3
    al_default_cmd=("$al" -pyflakes="$pf" "${al_default_cmd[@]:1}")
  fi
  sc_desc=${sc:+"shellcheck $(shellcheck --version 2>/dev/null | sed -n 's/^version: //p') at $sc"}
  pf_desc=${pf:+"pyflakes $("$pf" --version 2>/dev/null | awk '{print $1; exit}') at $pf"}
  say "for information only: actionlint with its default -shellcheck/-pyflakes (${sc_desc:-shellcheck not on PATH: skipped}; ${pf_desc:-pyflakes not on PATH: skipped}), 1 run through bench/ci/rss"
  run_tool 1 "$work/out/al-default.json" "$work/bin/rss" -o "$work/m1" "${al_default_cmd[@]}" \
    || die "actionlint (default checkers) failed"
  "$work/bin/count" -top 50 "$work/out/al-default.json" > "$work/count.al-default"
  d_s=$(sed -n 's/.*wall_s=\([0-9.]*\).*/\1/p' "$work/m1" | awk '{printf "%.3f", $1}')
  d_rss=$(sed -n 's/.*maxrss_kib=\([0-9]*\).*/\1/p' "$work/m1" | awk '{printf "%.1f", $1 / 1024}')
  d_n=$(sed -n 's/.* reported=\([0-9]*\).*/\1/p' "$work/count.al-default")
  d_sc=$(awk '$2 == "shellcheck" {print $1}' "$work/count.al-default")
  d_pf=$(awk '$2 == "pyflakes" {print $1}' "$work/count.al-default")
  ran="${sc:+shellcheck}${sc:+${pf:+ and }}${pf:+pyflakes} ran"
  [ -z "$sc$pf" ] && ran="neither shellcheck nor pyflakes on PATH, so none ran"
  info_line="actionlint with its default checkers ($ran): ${d_s} s ($(awk -v n="$nfiles" -v s="$d_s" 'BEGIN {printf "%.0f", n / s}') workflows/s), peak RSS $d_rss MiB, $d_n errors (shellcheck ${d_sc:-0}, pyflakes ${d_pf:-0}), exit $rc"
  echo "   $d_s s, peak RSS $d_rss MiB, $d_n errors (shellcheck ${d_sc:-0}, pyflakes ${d_pf:-0}), exit $rc"
fi

rev=$(git rev-parse --short HEAD 2>/dev/null || echo "?")
git diff --quiet HEAD 2>/dev/null || rev="$rev+dirty"

table() {
  local have_airlock=$1 t
  echo
  say "results: $nfiles workflows ($corpus_bytes bytes), wall time over $runs runs after a warm-up"
  printf '%-11s %8s %8s %12s %8s %17s %9s %15s %s\n' tool "best s" "median s" "workflows/s" "CPU s" "peak RSS MiB" problems "files w/ probl." exit
  for t in al air; do
    [ "$t" = air ] && [ "$have_airlock" != 1 ] && { printf '%-11s %s\n' airlock "- (not run)"; continue; }
    printf '%-11s %8s %8s %12s %8s %17s %9s %15s %s\n' "$([ $t = al ] && echo actionlint || echo airlock)" \
      "${best[$t]}" "${med[$t]}" "${wps[$t]}" "${cpu_med[$t]}" "${rss_med[$t]} (max ${rss_max[$t]})" \
      "${problems[$t]}" "${pfiles[$t]}" "${code[$t]}"
  done
  if [ "$have_airlock" = 1 ]; then
    echo
    echo "ratio actionlint / airlock wall time: $(awk -v a="${med[al]}" -v b="${med[air]}" 'BEGIN {printf "%.2fx", (b > 0) ? a / b : 0}') median, $(awk -v a="${best[al]}" -v b="${best[air]}" 'BEGIN {printf "%.2fx", (b > 0) ? a / b : 0}') best; peak RSS airlock / actionlint: $(awk -v a="${rss_med[air]}" -v b="${rss_med[al]}" 'BEGIN {printf "%.2fx", (b > 0) ? a / b : 0}')"
  fi
  echo
  echo "actionlint $al_ver: ${al_flags[*]} FILE x $nfiles (problems: errors in its JSON array; exit 1 = errors found)"
  if [ "$have_airlock" = 1 ]; then
    echo "airlock $("$airlock" version 2>/dev/null | awk '{print $2}') (commit $rev): ci --platform github --format json --fail-on never --quiet${AIRLOCK_CI_FLAGS:+ $AIRLOCK_CI_FLAGS} DIR (problems: summary.findings; ${diags[air]} diagnostics; scanned ${scanned[air]:-?} files)"
  fi
  [ -n "$info_line" ] && echo "info: $info_line"
  echo "timing: $clock; RSS and CPU: bench/ci/rss (ru_maxrss, utime+stime), $runs separate runs"
  echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
}

# ------------------------------------------------------------------ airlock
if [ -z "$airlock_err" ]; then
  help_rc=0
  help=$("$airlock" ci -h 2>&1) || help_rc=$?
  if [ "$help_rc" != 0 ] || ! grep -q -- 'platform' <<< "$help"; then
    airlock_err="this airlock has no \`airlock ci --platform\` (\`airlock ci -h\` exited $help_rc):
$(sed 's/^/   /' <<< "$help" | head -10)"
  fi
fi
if [ -n "$airlock_err" ]; then
  table 0
  echo
  die "airlock step not run: $airlock_err"
fi

say "airlock ci: $runs timed runs, $runs RSS runs"
timeit air 1 "${air_cmd[@]}" || die "airlock ci failed"
[ "${code[air]}" = 0 ] || echo "   note: airlock exited ${code[air]} with --fail-on never"
stats air
count_report air
echo "   best ${best[air]} s, median ${med[air]} s ($(awk -v s="${med[air]}" -v n="$nfiles" 'BEGIN {printf "%.3f", s * 1000 / n}') ms/workflow), ${wps[air]} workflows/s, CPU ${cpu_med[air]} s, peak RSS ${rss_med[air]} MiB median / ${rss_max[air]} MiB max, exit ${code[air]}"
echo "   ${problems[air]} findings in ${pfiles[air]} of $nfiles files, ${diags[air]} diagnostics, by rule:"
sed 's/^/   /' <<< "${kinds[air]}"
if [ "${scanned[air]:-}" != "$nfiles" ]; then
  echo "   WARNING: airlock's summary.packages is ${scanned[air]:-missing}, not $nfiles: it did not check every workflow"
fi

table 1
if awk -v a="${med[al]}" -v b="${med[air]}" 'BEGIN {exit !(b < a)}'; then
  echo "target met: airlock is faster than actionlint"
else
  echo
  echo "TARGET MISSED: airlock is not faster than actionlint"
  exit 1
fi
