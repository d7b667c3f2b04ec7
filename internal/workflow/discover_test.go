package workflow

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/airlock-sec/airlock/internal/model"
)

func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func relPaths(t *testing.T, root string, files []*File) []string {
	var out []string
	for _, f := range files {
		rel, err := filepath.Rel(root, f.Path)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, filepath.ToSlash(rel)+" "+string(f.Platform))
	}
	return out
}

func diagStrings(root string, ds []model.Diagnostic) []string {
	var out []string
	for _, d := range ds {
		rel, err := filepath.Rel(root, d.Target)
		if err != nil {
			rel = d.Target
		}
		out = append(out, filepath.ToSlash(rel)+": "+d.Message)
	}
	return out
}

func TestDiscover(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	writeTree(t, outside, map[string]string{"evil.yml": "on: push\njobs: {}\n"})
	writeTree(t, root, map[string]string{
		".github/workflows/ci.yml": `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: ./.github/actions/setup
      - run: |
          ./scripts/build.sh
          bash ci/test.sh
          ./missing.sh
          ./ci/tool.sh
          ./bin/prog
`,
		".github/workflows/notes.txt":      "not a workflow",
		".github/workflows/sub/nested.yml": "on: push\n",
		".github/actions/setup/action.yml": "name: setup\nruns:\n  using: composite\n  steps:\n    - run: ./install.sh\n      shell: bash\n",
		".github/actions/setup/install.sh": "echo install\n",
		"node_modules/pkg/action.yml":      "name: skipped\n",
		"vendor/x/action.yml":              "name: skipped\n",
		"sub/.git/action.yml":              "name: skipped\n",
		"pkg/action.yaml":                  "name: pkg\nruns: {using: node20, main: x.js}\n",
		".circleci/config.yml":             "version: 2.1\njobs:\n  a:\n    docker: [{image: cimg/base:2024.01}]\n    steps: [checkout, {run: ./scripts/build.sh}]\n",
		"scripts/build.sh":                 "#!/bin/sh\n. ./scripts/lib.sh\n",
		"scripts/lib.sh":                   "echo lib; ./scripts/build.sh\n",
		"ci/test.sh":                       "echo test\n",
		"ci/a.yml":                         "include: ci/b.yml\na: {script: echo a}\n",
		"ci/b.yml":                         "include:\n  - local: ci/a.yml\n  - local: .gitlab-ci.yml\nb: {script: echo b}\n",
		"ci/glob/one.yml":                  "one: {script: echo one}\n",
		"ci/glob/deep/two.yml":             "two: {script: bash ci/test.sh}\n",
		"ci/glob/three.txt":                "not yaml",
		"templates/build.gitlab-ci.yml":    "tpl: {script: echo tpl}\n",
		".gitlab-ci.yml": `include:
  - local: ci/a.yml
  - 'ci/glob/**.yml'
  - /../outside.yml
  - local: missing.yml
  - local: $CI_VAR/x.yml
  - project: g/p
    file: x.yml
  - local: ci/glob/*.yml
  - local: ci/nothing/*.yml
main: {script: echo main}
`,
	})
	if err := os.Symlink(filepath.Join(outside, "evil.yml"), filepath.Join(root, ".github/workflows/link.yml")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(root, "ci/test.sh"), filepath.Join(root, "ci/inside-link.sh")); err != nil {
		t.Fatal(err)
	}
	writeTree(t, root, map[string]string{
		".github/workflows/bin.yml": "on: push\x00",
		".github/workflows/big.yml": "on: push\n#" + strings.Repeat("x", MaxFileSize) + "\n",
	})

	files, diags := Discover(root)
	got := relPaths(t, root, files)
	want := []string{
		".gitlab-ci.yml gitlab",
		"ci/a.yml gitlab",
		"ci/b.yml gitlab",
		"ci/glob/deep/two.yml gitlab",
		"ci/glob/one.yml gitlab",
		".circleci/config.yml circleci",
		".github/actions/setup/action.yml action",
		".github/workflows/ci.yml github",
		"pkg/action.yaml action",
		"templates/build.gitlab-ci.yml gitlab",
		"ci/test.sh script", // called by ci/glob/deep/two.yml
		"scripts/build.sh script",
		".github/actions/setup/install.sh script", // relative to the action
		"scripts/lib.sh script",                   // called by scripts/build.sh
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("files:\n got %q\nwant %q", got, want)
	}
	gotD := diagStrings(root, diags)
	wantD := []string{
		`ci/b.yml: line 2: include cycle: "ci/a.yml" -> "ci/b.yml" -> "ci/a.yml"; not followed`,
		`ci/b.yml: line 3: include cycle: ".gitlab-ci.yml" -> "ci/a.yml" -> "ci/b.yml" -> ".gitlab-ci.yml"; not followed`,
		`.gitlab-ci.yml: line 4: local include "/../outside.yml" is outside the repository`,
		`.gitlab-ci.yml: line 5: local include "missing.yml" not found`,
		`.gitlab-ci.yml: line 10: local include "ci/nothing/*.yml" matches no file`,
		`.github/workflows/big.yml: file is larger than 4 MiB; skipped`,
		`.github/workflows/bin.yml: file is binary; skipped`,
		`.github/workflows/link.yml: cannot read: the file is outside the repository; skipped`,
	}
	if !reflect.DeepEqual(gotD, wantD) {
		t.Errorf("diagnostics:\n got %q\nwant %q", gotD, wantD)
	}
	for _, f := range files {
		if f.Platform == ShellScript && (len(f.Jobs) != 1 || len(f.Jobs[0].Steps) != 1 || f.Jobs[0].Steps[0].Run == nil) {
			t.Errorf("%s: script not read as one step", f.Path)
		}
	}
}

func TestDiscoverIncludeBounds(t *testing.T) {
	// A chain of 13 includes: depth 10 is the last read.
	root := t.TempDir()
	tree := map[string]string{".gitlab-ci.yml": "include: c/1.yml\n"}
	for i := 1; i <= 13; i++ {
		tree[fmt.Sprintf("c/%d.yml", i)] = fmt.Sprintf("include: c/%d.yml\nj%d: {script: x}\n", i+1, i)
	}
	tree["c/14.yml"] = "x: {script: x}\n"
	writeTree(t, root, tree)
	files, diags := Discover(root)
	if len(files) != 11 {
		t.Errorf("%d files, want 11: %q", len(files), relPaths(t, root, files))
	}
	if want := []string{`c/10.yml: line 1: local includes nested deeper than 10; "c/11.yml" is not read`}; !reflect.DeepEqual(diagStrings(root, diags), want) {
		t.Errorf("diagnostics %q, want %q", diagStrings(root, diags), want)
	}

	// 150 files included by one glob: 100 are read.
	root = t.TempDir()
	tree = map[string]string{".gitlab-ci.yml": "include: 'inc/*.yml'\n"}
	for i := 0; i < 150; i++ {
		tree[fmt.Sprintf("inc/%03d.yml", i)] = "j: {script: x}\n"
	}
	writeTree(t, root, tree)
	files, diags = Discover(root)
	if len(files) != 101 {
		t.Errorf("%d files, want 101", len(files))
	}
	if want := []string{`.gitlab-ci.yml: line 1: more than 100 local include files; "inc/100.yml" and the rest are not read`}; !reflect.DeepEqual(diagStrings(root, diags), want) {
		t.Errorf("diagnostics %q, want %q", diagStrings(root, diags), want)
	}
}

func TestDiscoverMissingRoot(t *testing.T) {
	files, diags := Discover(filepath.Join(t.TempDir(), "nope"))
	if len(files) != 0 || len(diags) != 1 || !strings.Contains(diags[0].Message, "cannot read the directory") {
		t.Errorf("files %v diags %v", files, diags)
	}
}
