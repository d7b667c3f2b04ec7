package cli

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/report"
)

// litellmCI is the shape of litellm's pipelines before March 2026: a
// CircleCI job installing trivy unpinned while holding the PyPI password,
// and a GitHub workflow publishing with a token and actions by tag.
var litellmCI = map[string]string{
	".circleci/config.yml": `version: 2.1
jobs:
  publish_to_pypi:
    docker:
      - image: cimg/python:3.11
    environment:
      PYPI_PUBLISH_PASSWORD: $PYPI_PUBLISH_PASSWORD
    steps:
      - checkout
      - run:
          name: security scan
          command: |
            sudo apt-get update
            sudo apt-get install -y trivy
            trivy fs .
      - run:
          name: publish
          command: |
            pip install twine
            twine upload -u __token__ -p "$PYPI_PUBLISH_PASSWORD" dist/*
workflows:
  release:
    jobs:
      - publish_to_pypi
`,
	".github/workflows/publish.yml": `name: publish
on:
  push:
    tags: ['v*']
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
      - uses: aquasecurity/trivy-action@0.28.0
      - run: pip install build twine && python -m build
      - run: twine upload dist/*
        env:
          TWINE_USERNAME: __token__
          TWINE_PASSWORD: ${{ secrets.PYPI_TOKEN }}
`,
}

// cleanCI is pinned by SHA, least-privilege and uses Trusted Publishing.
var cleanCI = map[string]string{
	".github/workflows/publish.yml": `name: publish
on:
  release:
    types: [published]
permissions:
  contents: read
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with:
          persist-credentials: false
      - uses: actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065 # v5.6.0
      - run: python -m pip install build==1.2.2 && python -m build
      - uses: actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v4.6.2
        with:
          name: dist
          path: dist/
  publish:
    needs: build
    runs-on: ubuntu-latest
    environment: pypi
    permissions:
      id-token: write
    steps:
      - uses: actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093 # v4.3.0
        with:
          name: dist
          path: dist/
      - uses: pypa/gh-action-pypi-publish@76f52bc884231f62b9a034ebfe128415bbaabdfc # v1.12.4
`,
}

func writeRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for p, body := range files {
		writeFile(t, filepath.Join(root, filepath.FromSlash(p)), []byte(body))
	}
	return root
}

func ciFindings(t *testing.T, args ...string) (cliResult, []model.Finding) {
	t.Helper()
	r := runCLI(t, append([]string{"ci", "--format", "json", "--quiet"}, args...)...)
	rep, err := report.ReadJSON(strings.NewReader(r.stdout))
	if err != nil {
		t.Fatalf("ci %v: exit %d: %v\n%s\n%s", args, r.code, err, r.stdout, r.stderr)
	}
	var all []model.Finding
	for _, p := range rep.Packages {
		for _, f := range p.Findings {
			f.Path = filepath.ToSlash(f.Path)
			all = append(all, f)
		}
	}
	return r, all
}

func TestE2ECILitellm(t *testing.T) {
	root := writeRepo(t, litellmCI)
	r, fs := ciFindings(t, root)
	mustCode(t, r, ExitFail)
	want := []struct {
		rule, file string
		line       int
	}{
		{"workflow/unpinned-install", ".circleci/config.yml", 14},                  // apt-get install -y trivy
		{"workflow/secrets-with-untrusted-code", ".circleci/config.yml", 14},       // ... beside the password
		{"workflow/long-lived-publish-token", ".circleci/config.yml", 7},           // PYPI_PUBLISH_PASSWORD
		{"workflow/unpinned-action", ".github/workflows/publish.yml", 11},          // trivy-action by tag
		{"workflow/known-compromised", ".github/workflows/publish.yml", 11},        // 0.28.0 < 0.35.0
		{"workflow/long-lived-publish-token", ".github/workflows/publish.yml", 16}, // TWINE_PASSWORD
		{"workflow/secrets-with-untrusted-code", ".github/workflows/publish.yml", 11},
		{"workflow/publish-without-provenance", ".github/workflows/publish.yml", 13},
		{"workflow/excessive-permissions", ".github/workflows/publish.yml", 1},
	}
	for _, w := range want {
		found := false
		for _, f := range fs {
			if f.Rule == w.rule && strings.HasSuffix(f.Path, w.file) && f.Line == w.line {
				found = true
			}
		}
		if !found {
			var got []string
			for _, f := range fs {
				got = append(got, f.Rule+" "+f.Path+":"+strconv.Itoa(f.Line)+" "+f.Message)
			}
			t.Errorf("missing %s at %s:%d; got:\n%s", w.rule, w.file, w.line, strings.Join(got, "\n"))
		}
	}
}

func TestE2ECIClean(t *testing.T) {
	root := writeRepo(t, cleanCI)
	r, fs := ciFindings(t, root)
	mustCode(t, r, ExitOK)
	if len(fs) != 0 {
		t.Fatalf("clean pipeline has findings: %+v", fs)
	}
}

func TestE2ECISuppressionAndFormats(t *testing.T) {
	root := writeRepo(t, map[string]string{".github/workflows/ci.yml": `on: push
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      # airlock: ignore[workflow/unpinned-action] vendored fork, reviewed in SEC-1
      - uses: someone/tool@v1
      - uses: other/tool@v2 # airlock: ignore[workflow/unpinned-action]
`})
	r, fs := ciFindings(t, root)
	mustCode(t, r, ExitFail)
	if len(fs) != 1 || fs[0].Line != 9 {
		t.Fatalf("want only the unsuppressed (reasonless) line 9: %+v", fs)
	}
	r = runCLI(t, "ci", "--format", "sarif", "--fail-on", "never", root)
	mustCode(t, r, ExitOK)
	if !strings.Contains(r.stdout, `"workflow/unpinned-action"`) {
		t.Fatalf("sarif:\n%s", r.stdout)
	}
	mustCode(t, runCLI(t, "ci", "--platform", "jenkins", root), ExitUsage)
	mustCode(t, runCLI(t, "ci", filepath.Join(root, "nope")), ExitUsage)
	other := filepath.Join(root, "random.yml")
	os.WriteFile(other, []byte("a: b\n"), 0o644)
	mustCode(t, runCLI(t, "ci", other), ExitUsage)
}

func TestE2ECIHostileYAML(t *testing.T) {
	bomb := "a: &a [x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for i := 0; i < 12; i++ {
		n := "n" + strconv.Itoa(i)
		bomb += n + ": &" + n + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n"
		prev = n
	}
	bomb += "on: push\njobs:\n  x:\n    runs-on: *" + prev + "\n    steps: []\n"
	root := writeRepo(t, map[string]string{
		".github/workflows/bomb.yml":   bomb,
		".github/workflows/broken.yml": "on: push\njobs:\n  x: [\n",
		".github/workflows/types.yml":  "on: push\njobs:\n  x:\n    runs-on: {}\n    steps: \"nope\"\n",
		".gitlab-ci.yml":               "include: [{local: .gitlab-ci.yml}]\nt:\n  script: [make]\n",
		".github/workflows/huge.yml":   "on: push\n" + strings.Repeat("# padding\n", 500000),
	})
	r := runCLI(t, "ci", "--format", "json", "--quiet", "--fail-on", "never", root)
	mustCode(t, r, ExitOK)
	rep, err := report.ReadJSON(strings.NewReader(r.stdout))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Diagnostics) < 3 {
		t.Fatalf("want diagnostics for the hostile files: %+v", rep.Diagnostics)
	}
}

func TestE2ECIPin(t *testing.T) {
	root := writeRepo(t, map[string]string{".github/workflows/ci.yml": `on: push
permissions: {}
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4 # keep me
      - uses: "aquasecurity/trivy-action@0.35.0"
      - uses: ./local
      - uses: docker://alpine:3.20
`})
	mapFile := filepath.Join(t.TempDir(), "pins.txt")
	writeFile(t, mapFile, []byte("actions/checkout@v4 11bd71901bbe5b1630ceea73d27597364c9af683 v4.2.2\naquasecurity/trivy-action@0.35.0 57a97c7e7821a5776cebc9bb87c984fa69cba8f1\n"))
	wfPath := filepath.Join(root, ".github", "workflows", "ci.yml")
	before := string(readTestFile(t, wfPath))
	r := runCLI(t, "ci", "pin", "--dry-run", "--resolve-from", mapFile, root)
	mustCode(t, r, ExitOK)
	if !strings.Contains(r.stdout, "+      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2") || string(readTestFile(t, wfPath)) != before {
		t.Fatalf("dry run:\n%s", r.stdout)
	}
	mustCode(t, runCLI(t, "ci", "pin", "--resolve-from", mapFile, root), ExitOK)
	after := string(readTestFile(t, wfPath))
	for _, want := range []string{
		"actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2 # keep me",
		`"aquasecurity/trivy-action@57a97c7e7821a5776cebc9bb87c984fa69cba8f1" # 0.35.0`,
		"uses: ./local", "uses: docker://alpine:3.20",
	} {
		if !strings.Contains(after, want) {
			t.Errorf("pinned file lacks %q:\n%s", want, after)
		}
	}
	// idempotent, and the pinned workflow no longer has unpinned actions
	r = runCLI(t, "ci", "pin", "--resolve-from", mapFile, root)
	mustCode(t, r, ExitOK)
	if string(readTestFile(t, wfPath)) != after || !strings.Contains(r.stderr, "pinned 0 reference(s)") {
		t.Fatalf("second pin changed the file or said: %s", r.stderr)
	}
	_, fs := ciFindings(t, "--fail-on", "never", root)
	for _, f := range fs {
		if f.Rule == "workflow/unpinned-action" {
			t.Errorf("still unpinned after pin: %+v", f)
		}
	}
	// a ref the map lacks: left alone, exit 2
	writeFile(t, filepath.Join(root, ".github", "workflows", "other.yml"), []byte("on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: unknown/thing@v9\n"))
	mustCode(t, runCLI(t, "ci", "pin", "--resolve-from", mapFile, root), ExitUsage)
}
