#!/usr/bin/env bash
# Detection and speed evaluation of `airlock scan` over ../shared/corpus.
#
#   bench/eval.sh                 # detection: recall and false-positive rates
#   bench/eval.sh --speed         # also speed, memory and the read-only baseline
#
# Malware is unpacked (password "infected") into a temporary directory and
# only ever read by airlock, never installed or run. Benign packages are
# fetched once with the user's own npm and apt configuration into
# $AIRLOCK_CORPUS_CACHE (default ~/.cache/airlock-corpus), outside the repo.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${AIRLOCK_CORPUS:-../shared/corpus}
cache=${AIRLOCK_CORPUS_CACHE:-$HOME/.cache/airlock-corpus}
speed=0
[ "${1:-}" = "--speed" ] && speed=1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$cache/npm" "$cache/debian" "$cache/debian-x" bench/out

go build -o "$work/airlock" ./cmd/airlock
go build -o "$work/evalsum" ./bench/evalsum
go build -o "$work/readonly" ./bench/readonly

echo "== preparing corpus"
unzip -q -P infected "$corpus/pypi-malware-dev.zip" -d "$work/pypi-mal"
unzip -q -P infected "$corpus/npm-malware-dev.zip" -d "$work/npm-mal"
find "$work/pypi-mal" -type f | sort > "$work/t-pypi-mal.txt"
find "$work/npm-mal" -type f | sort > "$work/t-npm-mal.txt"

# benign npm: one tarball per name@version, fetched with `npm pack`
missing=()
while read -r spec; do
  [ -z "$spec" ] && continue
  name=${spec%@*}; ver=${spec##*@}
  file="$(echo "${name#@}" | tr '/' '-')-$ver.tgz"
  [ -f "$cache/npm/$file" ] || missing+=("$spec")
done < "$corpus/benign-npm-dev.txt"
if [ ${#missing[@]} -gt 0 ]; then
  echo "fetching ${#missing[@]} npm packages into $cache/npm"
  (cd "$cache/npm" && printf '%s\n' "${missing[@]}" | xargs -n 50 npm pack --silent >/dev/null)
fi
ls -d "$cache"/npm/*.tgz > "$work/t-npm-benign.txt"

# benign Debian python packages: apt-get download + dpkg-deb -x
need=()
while read -r pkg; do
  [ -z "$pkg" ] && continue
  [ -d "$cache/debian-x/$pkg" ] || need+=("$pkg")
done < "$corpus/benign-debian-python-dev.txt"
if [ ${#need[@]} -gt 0 ]; then
  echo "fetching ${#need[@]} Debian packages into $cache/debian"
  (cd "$cache/debian" && printf '%s\n' "${need[@]}" | xargs -n 50 apt-get download -qq) || true
  for deb in "$cache"/debian/*.deb; do
    p=$(basename "$deb"); p=${p%%_*}
    [ -d "$cache/debian-x/$p" ] || dpkg-deb -x "$deb" "$cache/debian-x/$p"
  done
fi
: > "$work/t-deb-benign.txt"
while read -r pkg; do
  [ -d "$cache/debian-x/$pkg" ] && echo "$cache/debian-x/$pkg" >> "$work/t-deb-benign.txt"
done < "$corpus/benign-debian-python-dev.txt"
echo "debian packages available: $(wc -l < "$work/t-deb-benign.txt") of $(grep -c . "$corpus/benign-debian-python-dev.txt")"

echo "== detection ($(date -u +%F) on $(nproc) cores)"
for set in pypi-mal:malicious npm-mal:malicious npm-benign:benign deb-benign:benign; do
  name=${set%%:*}; label=${set##*:}
  mapfile -t targets < "$work/t-$name.txt"
  "$work/airlock" scan -q --fail-on never -f json -o "bench/out/$name.json" "${targets[@]}"
  "$work/evalsum" -report "bench/out/$name.json" -targets "$work/t-$name.txt" -label "$label" -name "$name" -show 100 > "bench/out/$name.txt"
  sed -n 1p "bench/out/$name.txt"
done

[ $speed = 1 ] || exit 0
echo "== speed (scan vs read-only, same run, best of 3)"
for name in npm-benign deb-benign; do
  mapfile -t targets < "$work/t-$name.txt"
  best_ro=""; best_scan=""; rss=""
  for i in 1 2 3; do
    ro=$("$work/readonly" "${targets[@]}")
    ro_s=$(echo "$ro" | sed 's/.*"seconds":\([0-9.]*\).*/\1/')
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$work/airlock" scan -q --fail-on never -f json -o /dev/null "${targets[@]}"
    read -r scan_s rss_kb < "$work/time.txt"
    if [ -z "$best_scan" ] || awk "BEGIN{exit !($scan_s < $best_scan)}"; then best_scan=$scan_s; rss=$rss_kb; fi
    if [ -z "$best_ro" ] || awk "BEGIN{exit !($ro_s < $best_ro)}"; then best_ro=$ro_s; fi
  done
  pk=$(echo "$ro" | sed 's/.*"packages":\([0-9]*\).*/\1/')
  src=$(echo "$ro" | sed 's/.*"source_bytes":\([0-9]*\).*/\1/')
  all=$(echo "$ro" | sed 's/.*"bytes":\([0-9]*\).*/\1/')
  awk -v n="$name" -v s="$best_scan" -v r="$best_ro" -v pk="$pk" -v src="$src" -v all="$all" -v rss="$rss" 'BEGIN{
    printf "%s: %d packages, %.1f MB source (%.1f MB read); scan %.2fs = %.1f MB/s source, %.0f packages/s; read-only %.2fs; ratio %.1fx; peak RSS %.0f MiB\n",
      n, pk, src/1e6, all/1e6, s, src/1e6/s, pk/s, r, s/r, rss/1024 }' | tee -a bench/out/speed.txt
done
