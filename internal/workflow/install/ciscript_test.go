package install

// ciScript is a realistic release pipeline of about 200 lines: setup,
// tool installs (pinned and not), tests, packaging and publishing. It is
// test data only, never run.
const ciScript = `#!/usr/bin/env bash
# Release pipeline: build, scan, publish.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
export PIP_DISABLE_PIP_VERSION_CHECK=1
VERSION="${CIRCLE_TAG:-${GITHUB_REF_NAME:-dev}}"
TRIVY_VERSION=0.50.1

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

log "installing system packages"
sudo apt-get update -qq
sudo apt-get install -y --no-install-recommends \
  build-essential \
  libssl-dev=3.0.2-0ubuntu1.15 \
  trivy
log "installing the scanner"
curl -sSfL https://raw.githubusercontent.com/anchore/grype/main/install.sh | sh -s -- -b /usr/local/bin

log "installing helm"
curl -fsSLo helm.tar.gz "https://get.helm.sh/helm-v3.14.0-linux-amd64.tar.gz"
tar -xzf helm.tar.gz -C /tmp
sudo mv /tmp/linux-amd64/helm /usr/local/bin/helm

log "installing kubectl"
curl -fsSLO "https://dl.k8s.io/release/v1.30.0/bin/linux/amd64/kubectl"
curl -fsSLO "https://dl.k8s.io/release/v1.30.0/bin/linux/amd64/kubectl.sha256"
echo "$(cat kubectl.sha256)  kubectl" | sha256sum --check
sudo install -o root -g root -m 0755 kubectl /usr/local/bin/kubectl

log "python toolchain"
python3 -m venv .venv
# shellcheck disable=SC1091
source .venv/bin/activate
if [ -n "${CI:-}" ]; then
  python -m pip install --upgrade pip
  pip install build twine==5.1.1 "check-wheel-contents>=0.6"
fi
pip install -r requirements-dev.txt --require-hashes
pip install -e ".[test]"
pip install "ruff==${RUFF_VERSION:-0.5.0}"

cat > constraints.txt <<'CONSTRAINTS'
# pip install anything-here is not run
apt-get install -y not-a-command
CONSTRAINTS

log "node toolchain"
if ! command -v node >/dev/null 2>&1; then
  echo "node missing" >&2
  exit 1
fi
npm ci
npm run build --if-present
npx --no-install tsc --noEmit
npx eslint . --max-warnings=0
npm install -g @cyclonedx/cyclonedx-npm typescript@5.4.5

log "go toolchain"
go install golang.org/x/vuln/cmd/govulncheck@v1.1.3
go install honnef.co/go/tools/cmd/staticcheck@latest
go vet ./...
govulncheck ./...

run_tests() {
  local suite="$1"
  case "$suite" in
    unit)
      pytest -q tests/unit --maxfail=1
      ;;
    integration)
      docker compose up -d db
      for i in $(seq 1 30); do
        if pg_isready -h localhost; then
          break
        fi
        sleep 1
      done
      pytest -q tests/integration
      docker compose down
      ;;
    *)
      echo "unknown suite: $suite" >&2
      return 1
      ;;
  esac
}

run_tests unit
run_tests integration

log "scanning"
trivy fs --exit-code 1 --severity HIGH,CRITICAL .
grype dir:. --fail-on high

log "building"
python -m build --sdist --wheel
check-wheel-contents dist/*.whl
ls -la dist/

log "changelog"
npx -y conventional-changelog-cli -p angular -i CHANGELOG.md -s

log "sbom"
cyclonedx-npm --output-file sbom.json
syft dir:. -o spdx-json > sbom.spdx.json

if [[ "$VERSION" == v* ]]; then
  log "publishing $VERSION"
  twine check dist/*
  TWINE_USERNAME=__token__ TWINE_PASSWORD="$PYPI_PUBLISH_PASSWORD" twine upload --non-interactive dist/*
  echo "$GHCR_TOKEN" | docker login ghcr.io -u "$GHCR_USER" --password-stdin
  docker build -t "ghcr.io/example/app:$VERSION" .
  docker push "ghcr.io/example/app:$VERSION"
else
  log "not a release: $VERSION"
fi

retry() {
  local n=0
  until "$@"; do
    n=$((n + 1))
    if [ "$n" -ge 3 ]; then
      return 1
    fi
    sleep $((n * 2))
  done
}

retry sudo apt-get install -y jq
retry curl -fsS https://example.com/healthz

cleanup() {
  rm -rf .venv dist build
  docker system prune -af || true
}
trap cleanup EXIT

summary=$(cat <<SUMMARY
version: $VERSION
trivy: $TRIVY_VERSION
commit: $(git rev-parse --short HEAD)
SUMMARY
)
echo "$summary" >> "${GITHUB_STEP_SUMMARY:-/dev/null}"

for f in dist/*; do
  sha256sum "$f" | tee -a checksums.txt
done

jq -n --arg v "$VERSION" '{version: $v}' > release.json
gh release create "$VERSION" dist/* checksums.txt --notes-file CHANGELOG.md || true

log "notify"
curl -fsS -X POST -H 'Content-Type: application/json' \
  -d "{\"text\": \"released $VERSION\"}" \
  "$SLACK_WEBHOOK_URL"

log "matrix"
for py in 3.10 3.11 3.12; do
  for os in linux darwin; do
    echo "$py/$os"
  done
done

while read -r line; do
  case "$line" in
    \#*) continue ;;
    "") continue ;;
    *) echo "dep: $line" ;;
  esac
done < requirements-dev.txt

if grep -q "TODO" README.md; then
  echo "README has TODOs"
fi

arr=(one two three)
for x in "${arr[@]}"; do
  printf '%s\n' "$x"
done

(( total = 1 + 2 ))
echo "total=$total"

[[ -f setup.cfg ]] && echo "legacy setup.cfg present"

function finish {
  log "done in ${SECONDS}s"
}
finish

exit 0
`
