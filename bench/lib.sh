# Shared helpers of the comparison benchmarks (bench/*-compare.sh); source
# it after setting $name (used in messages) and $keep (1 keeps the work
# directory).

say() { printf '== %s\n' "$*"; }
die() { printf '%s: %s\n' "$name" "$*" >&2; exit 2; }

# bench_workdir creates $work and removes it on exit unless $keep is 1.
bench_workdir() {
  work=$(mktemp -d "${TMPDIR:-/tmp}/airlock-$name.XXXXXX")
  if [ "${keep:-0}" = 1 ]; then
    trap 'echo "work directory kept: $work"' EXIT
  else
    trap 'rm -rf "$work"' EXIT
  fi
}

# build_airlock sets $airlock to $AIRLOCK or a fresh build in $work/bin,
# and $airlock_err to why it is unusable (empty when it is fine).
build_airlock() {
  airlock_err=""
  if [ -n "${AIRLOCK:-}" ]; then
    airlock=$AIRLOCK
    [ -x "$airlock" ] || airlock_err="AIRLOCK=$airlock is not an executable"
    return 0
  fi
  say "building airlock"
  airlock="$work/bin/airlock"
  mkdir -p "$work/bin"
  if ! go build -o "$airlock" ./cmd/airlock 2> "$work/airlock-build.log"; then
    airlock_err="go build ./cmd/airlock failed:
$(sed 's/^/   /' "$work/airlock-build.log" | head -20)"
  fi
}
