package workflow_test

// Rule tests in the actionlint style: every rule has a directory
// testdata/<rule file name>/ holding cases as pairs:
//
//	<case>.txtar  a repository: a comment, then its files ("-- path --"),
//	              e.g. ".github/workflows/release.yml"
//	<case>.out    the findings of that rule only, one per line:
//	              <severity> <path>:<line>:<col> <message>
//	              An empty .out is a negative case.
//
// The files are written to a temporary directory and found with
// workflow.Discover, as `airlock ci` finds them. A case whose comment
// starts with "pins:" passes the rest of that line as the resolution map
// ("owner/repo@ref sha" pairs separated by ";").
//
// Regenerate after a deliberate change: go test ./internal/rules/workflow -run TestRules -update

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/airlock-sec/airlock/internal/rules/ruletest"
	wfrules "github.com/airlock-sec/airlock/internal/rules/workflow"
	"github.com/airlock-sec/airlock/internal/txtar"
	wf "github.com/airlock-sec/airlock/internal/workflow"
)

var update = flag.Bool("update", false, "rewrite testdata/*/*.out from the rules' current findings")

func ruleDirs(t *testing.T) map[string]wfrules.Rule {
	t.Helper()
	fileOf, err := ruletest.MetaFiles(".")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]wfrules.Rule{}
	for _, r := range wfrules.List() {
		dir, ok := fileOf[reflect.TypeOf(r).Name()]
		if !ok {
			t.Fatalf("rule %s: no file declares its Meta", r.Meta().ID)
		}
		out[dir] = r
	}
	return out
}

func TestRules(t *testing.T) {
	for dir, rule := range ruleDirs(t) {
		cases, _ := filepath.Glob(filepath.Join("testdata", dir, "*.txtar"))
		pos, neg := 0, 0
		for _, c := range cases {
			got := runCase(t, c, rule)
			outPath := strings.TrimSuffix(c, ".txtar") + ".out"
			if *update {
				if err := os.WriteFile(outPath, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(outPath)
			if err != nil {
				t.Errorf("%s: %v (run with -update)", c, err)
				continue
			}
			if got != string(want) {
				t.Errorf("%s: findings differ\n--- got\n%s--- want\n%s", c, got, want)
			}
			if strings.TrimSpace(string(want)) == "" {
				neg++
			} else {
				pos++
			}
		}
		if pos == 0 || neg == 0 {
			t.Errorf("rule %s (testdata/%s): needs at least one positive and one negative case (have %d and %d)", rule.Meta().ID, dir, pos, neg)
		}
	}
}

func runCase(t *testing.T, path string, rule wfrules.Rule) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	a := txtar.Parse(data)
	root := t.TempDir()
	for _, f := range a.Files {
		p := filepath.Join(root, filepath.FromSlash(f.Name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rc := &wfrules.Context{}
	if first, _, _ := strings.Cut(string(a.Comment), "\n"); strings.HasPrefix(first, "pins:") {
		rc.Pins = map[string]string{}
		for _, kv := range strings.Split(strings.TrimPrefix(first, "pins:"), ";") {
			if k, v, ok := strings.Cut(strings.TrimSpace(kv), " "); ok {
				rc.Pins[k] = strings.TrimSpace(v)
			}
		}
	}
	files, _ := wf.Discover(root)
	var b strings.Builder
	for _, f := range files {
		rel, _ := filepath.Rel(root, f.Path)
		fs, _ := wfrules.Run(rc, f, []wfrules.Rule{rule})
		for _, fd := range fs {
			fmt.Fprintf(&b, "%s %s:%d:%d %s\n", fd.Severity, filepath.ToSlash(rel), fd.Line, fd.Column, fd.Message)
		}
	}
	return b.String()
}
