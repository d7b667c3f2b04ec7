#!/usr/bin/env bash
# Runs airlock's whole test suite: formatting, vet, unit and end-to-end tests.
# Usage: scripts/test.sh            (add -short to skip the slower cases)
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== gofmt"
unformatted=$(find . -name '*.go' -not -path './.git/*' -print0 | xargs -0 gofmt -l)
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

echo "== go vet"
go vet ./...

echo "== go test"
go test -count=1 "$@" ./...
