#!/usr/bin/env bash
# Runs airlock's whole test suite: formatting, vet, unit and end-to-end tests.
# Usage: scripts/test.sh            (add -short to skip the slower cases)
#
# The store's conformance suite also runs against PostgreSQL: this script
# starts a throwaway server (Debian's postgresql package, any version under
# /usr/lib/postgresql/*/bin) in a temporary directory, listening on 127.0.0.1
# on a free port and on a unix socket in that directory, with trust
# authentication, and removes it on exit. It never touches the package's own
# cluster. Other scripts may `source` this file to reuse start_postgres.
set -euo pipefail

# pg_bin prints the newest PostgreSQL server bin directory, or fails.
pg_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$d" ] || [ ! -x "$d/initdb" ] || [ ! -x "$d/pg_ctl" ]; then
    echo "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin;" >&2
    echo "install them with: apt-get install postgresql" >&2
    return 1
  fi
  echo "$d"
}

# start_postgres starts a private server and exports AIRLOCK_TEST_POSTGRES
# (a DSN to its "postgres" database as superuser "airlock") and PG_TMPDIR.
# stop_postgres stops it and removes its directory; call it from a trap.
start_postgres() {
  local bin port as=()
  bin=$(pg_bin) || return 1
  PG_TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/airlock-pg.XXXXXX")
  export PG_TMPDIR
  if [ "$(id -u)" = 0 ]; then
    # initdb and postgres refuse to run as root.
    chown postgres: "$PG_TMPDIR"
    as=(runuser -u postgres --)
  fi
  chmod 0700 "$PG_TMPDIR"
  "${as[@]}" "$bin/initdb" -D "$PG_TMPDIR/data" -U airlock --auth=trust -E UTF8 --no-locale >"$PG_TMPDIR/initdb.log" 2>&1 ||
    { cat "$PG_TMPDIR/initdb.log" >&2; return 1; }
  # A free port: a random one nothing answers on; retried if the server
  # still cannot bind it (someone took it meanwhile).
  local try started=
  for try in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 40000))
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
    if "${as[@]}" "$bin/pg_ctl" -D "$PG_TMPDIR/data" -l "$PG_TMPDIR/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$PG_TMPDIR -c max_connections=200" \
      start >/dev/null; then
      started=1; break
    fi
  done
  if [ -z "$started" ]; then
    echo "could not start PostgreSQL:" >&2; cat "$PG_TMPDIR/server.log" >&2 2>/dev/null; return 1
  fi
  export AIRLOCK_TEST_POSTGRES="postgres://airlock@127.0.0.1:$port/postgres?sslmode=disable"
  export AIRLOCK_REQUIRE_POSTGRES=1
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($PG_TMPDIR)"
}

stop_postgres() {
  [ -n "${PG_TMPDIR:-}" ] || return 0
  local bin as=()
  bin=$(pg_bin) || true
  [ "$(id -u)" = 0 ] && as=(runuser -u postgres --)
  if [ -n "$bin" ] && [ -f "$PG_TMPDIR/data/postmaster.pid" ]; then
    "${as[@]}" "$bin/pg_ctl" -D "$PG_TMPDIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_TMPDIR"
  PG_TMPDIR=
}

main() {
  cd "$(dirname "$0")/.."

  echo "== gofmt"
  unformatted=$(find . -name '*.go' -not -path './.git/*' -print0 | xargs -0 gofmt -l)
  if [ -n "$unformatted" ]; then
    echo "gofmt would change:"; echo "$unformatted"; exit 1
  fi

  echo "== go vet"
  go vet ./...

  echo "== postgresql"
  trap stop_postgres EXIT
  start_postgres

  echo "== go test"
  go test -count=1 "$@" ./...
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  main "$@"
fi
