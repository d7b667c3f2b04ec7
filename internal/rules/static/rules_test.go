package static_test

// Rule tests in the actionlint style: every rule has a directory
// testdata/<rule file name>/ (the rule in pth_exec.go is tested by
// testdata/pth_exec/) holding cases as pairs:
//
//	<case>.txtar  the package: a comment, then its files ("-- path --")
//	<case>.out    the findings of that rule only, one per line:
//	              <severity> <path>:<line> [<layer> → <layer>] <message>
//	              (the [...] part only when the code came from decoded
//	              layers), in the order rules.Run sorts them (severity,
//	              path, line) with ties broken by message, because some
//	              rules report same-line findings in map order. An empty
//	              .out is a negative case: the rule must report nothing.
//
// The first line of the txtar comment names the ecosystem ("pypi" or
// "npm") and optionally the artifact kind ("sdist", "wheel",
// "npm-tarball", "installed"; default "wheel" for pypi and "npm-tarball"
// for npm). For "installed" cases the test derives what discovery would
// report about a site-packages directory: top-level .pth files that no
// *.dist-info/RECORD lists are orphans, and files whose RECORD hash does
// not match are changed after installation.
//
// Regenerate the .out files after a deliberate change of a rule with
//
//	go test ./internal/rules/static -run TestRules -update
//
// and review the diff.

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/airlock-sec/airlock/internal/artifact"
	"github.com/airlock-sec/airlock/internal/ecosystem/pypi"
	"github.com/airlock-sec/airlock/internal/engine"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
	"github.com/airlock-sec/airlock/internal/rules/ruletest"
	"github.com/airlock-sec/airlock/internal/rules/static"
	"github.com/airlock-sec/airlock/internal/txtar"
)

var update = flag.Bool("update", false, "rewrite testdata/*/*.out from the rules' current findings")

// ruleDirs maps each registered rule to its testdata directory name: the
// base name of the Go file declaring the rule's Meta method.
func ruleDirs(t *testing.T) map[string]rules.Rule {
	t.Helper()
	fileOf, err := ruletest.MetaFiles(".")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]rules.Rule{}
	for _, r := range static.List() {
		typ := reflect.TypeOf(r)
		if typ.Kind() == reflect.Pointer {
			typ = typ.Elem()
		}
		dir, ok := fileOf[typ.Name()]
		if !ok {
			t.Fatalf("rule %s: no file declares %s.Meta", r.Meta().ID, typ.Name())
		}
		if prev, dup := out[dir]; dup {
			t.Fatalf("rules %s and %s are declared in the same file %s.go; give each rule its own file", prev.Meta().ID, r.Meta().ID, dir)
		}
		out[dir] = r
	}
	return out
}

// testCase is one txtar of one rule.
type testCase struct {
	dir, name string // rule directory and case name (file name without .txtar)
	txtar     string // path of the .txtar
	out       string // path of the .out
}

func listCases(t *testing.T) []testCase {
	t.Helper()
	var out []testCase
	matches, err := filepath.Glob(filepath.Join("testdata", "*", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(matches)
	for _, m := range matches {
		name := strings.TrimSuffix(filepath.Base(m), ".txtar")
		out = append(out, testCase{
			dir:   filepath.Base(filepath.Dir(m)),
			name:  name,
			txtar: m,
			out:   strings.TrimSuffix(m, ".txtar") + ".out",
		})
	}
	return out
}

func TestRules(t *testing.T) {
	byDir := ruleDirs(t)
	eng := engine.New(engine.Options{Rules: static.List()})
	for _, tc := range listCases(t) {
		rule, ok := byDir[tc.dir]
		if !ok {
			t.Errorf("%s: directory testdata/%s names no registered rule (want the base name of a rule's .go file)", tc.txtar, tc.dir)
			continue
		}
		t.Run(tc.dir+"/"+tc.name, func(t *testing.T) {
			data, err := os.ReadFile(tc.txtar)
			if err != nil {
				t.Fatal(err)
			}
			pkg, art, err := buildCase(tc, data)
			if err != nil {
				t.Fatalf("%s: %v", tc.txtar, err)
			}
			in := eng.BuildInput(pkg, art)
			if pkg.Kind == "installed" {
				in.OrphanPth, in.HashMismatch = installedFacts(art)
			}
			findings := rules.Run(in, []rules.Rule{rule})
			// rules.Run orders by severity, path and line; break its ties
			// by message so the output does not depend on map order.
			sort.SliceStable(findings, func(i, j int) bool {
				a, b := findings[i], findings[j]
				switch {
				case a.Severity != b.Severity:
					return a.Severity > b.Severity
				case a.Path != b.Path:
					return a.Path < b.Path
				case a.Line != b.Line:
					return a.Line < b.Line
				}
				return a.Message < b.Message
			})
			got := formatFindings(findings)
			for _, f := range findings {
				if f.Rule != rule.Meta().ID {
					t.Errorf("finding carries rule %q, want %q", f.Rule, rule.Meta().ID)
				}
				if f.Line < 0 {
					t.Errorf("finding at negative line: %+v", f)
				}
			}
			if *update {
				if err := os.WriteFile(tc.out, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(tc.out)
			if err != nil {
				t.Fatalf("%v (create it, or run: go test ./internal/rules/static -run TestRules -update)", err)
			}
			if got != string(want) {
				t.Errorf("%s: findings of %s differ\n--- want (%s)\n%s--- got\n%s", tc.txtar, rule.Meta().ID, tc.out, orNone(string(want)), orNone(got))
			}
		})
	}
}

func orNone(s string) string {
	if s == "" {
		return "(no findings)\n"
	}
	return s
}

// buildCase turns a txtar into the package and the in-memory artifact the
// engine would have opened.
func buildCase(tc testCase, data []byte) (model.Package, *artifact.Artifact, error) {
	ar := txtar.Parse(data)
	var head []string
	for _, l := range strings.Split(string(ar.Comment), "\n") {
		if strings.TrimSpace(l) != "" {
			head = strings.Fields(l)
			break
		}
	}
	if len(head) == 0 || len(head) > 2 {
		return model.Package{}, nil, fmt.Errorf("the comment's first line must be \"<ecosystem> [<kind>]\", e.g. \"pypi sdist\"")
	}
	pkg := model.Package{Name: tc.dir + "-" + tc.name}
	switch head[0] {
	case "pypi":
		pkg.Ecosystem, pkg.Kind = model.PyPI, artifact.KindWheel
	case "npm":
		pkg.Ecosystem, pkg.Kind = model.NPM, artifact.KindNPMTarball
	default:
		return model.Package{}, nil, fmt.Errorf("unknown ecosystem %q (want pypi or npm)", head[0])
	}
	if len(head) == 2 {
		switch head[1] {
		case artifact.KindSdist, artifact.KindWheel, artifact.KindNPMTarball, "installed":
			pkg.Kind = head[1]
		default:
			return model.Package{}, nil, fmt.Errorf("unknown artifact kind %q (want sdist, wheel, npm-tarball or installed)", head[1])
		}
	}
	if len(ar.Files) == 0 {
		return model.Package{}, nil, fmt.Errorf("no files")
	}
	art := &artifact.Artifact{Kind: pkg.Kind, Format: "txtar"}
	seen := map[string]bool{}
	for _, f := range ar.Files {
		p := path.Clean(f.Name)
		if p != f.Name || strings.HasPrefix(p, "../") || strings.HasPrefix(p, "/") {
			return model.Package{}, nil, fmt.Errorf("file name %q is not a clean relative path", f.Name)
		}
		if seen[p] {
			return model.Package{}, nil, fmt.Errorf("file %q appears twice", p)
		}
		seen[p] = true
		mode := fs.FileMode(0o644)
		if strings.HasPrefix(string(f.Data), "#!") {
			mode = 0o755
		}
		art.Files = append(art.Files, &artifact.File{Path: p, Size: int64(len(f.Data)), Data: f.Data, Mode: mode})
	}
	sort.Slice(art.Files, func(i, j int) bool { return art.Files[i].Path < art.Files[j].Path })
	return pkg, art, nil
}

// installedFacts derives what discovery reports about a site-packages
// directory: unowned top-level .pth files and RECORD hash mismatches.
func installedFacts(art *artifact.Artifact) (orphans, mismatches []string) {
	owned := map[string]bool{}
	for _, f := range art.Files {
		if strings.Count(f.Path, "/") != 1 || !strings.HasSuffix(f.Path, ".dist-info/RECORD") {
			continue
		}
		rec, _ := pypi.ParseRecord(f.Data)
		for _, e := range rec {
			p := path.Clean(e.Path)
			owned[p] = true
			if e.Hash == "" {
				continue
			}
			if g := art.Lookup(p); g != nil {
				if ok, known := pypi.VerifyHash(e, g.Data); known && !ok {
					mismatches = append(mismatches, g.Path)
				}
			}
		}
	}
	for _, f := range art.Files {
		if !strings.Contains(f.Path, "/") && strings.HasSuffix(f.Path, ".pth") && !owned[f.Path] {
			orphans = append(orphans, f.Path)
		}
	}
	return orphans, mismatches
}

// formatFindings renders findings one per line:
// <severity> <path>:<line> [<layers>] <message>.
func formatFindings(fs []model.Finding) string {
	var b bytes.Buffer
	for _, f := range fs {
		b.WriteString(f.Severity.String())
		b.WriteByte(' ')
		b.WriteString(f.Path)
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(f.Line))
		if len(f.Layers) > 0 {
			b.WriteString(" [")
			b.WriteString(strings.Join(f.Layers, " → "))
			b.WriteByte(']')
		}
		b.WriteByte(' ')
		b.WriteString(f.Message)
		b.WriteByte('\n')
	}
	return b.String()
}

// TestEveryRuleHasCases fails when a registered rule has no testdata
// directory, no positive case (non-empty .out) or no negative case (empty
// .out), and when a .txtar has no .out or an .out no .txtar.
func TestEveryRuleHasCases(t *testing.T) {
	byDir := ruleDirs(t)
	pos := map[string]int{}
	neg := map[string]int{}
	for _, tc := range listCases(t) {
		b, err := os.ReadFile(tc.out)
		if err != nil {
			t.Errorf("%s has no expected findings file %s", tc.txtar, tc.out)
			continue
		}
		if len(bytes.TrimSpace(b)) == 0 {
			neg[tc.dir]++
		} else {
			pos[tc.dir]++
		}
	}
	outs, _ := filepath.Glob(filepath.Join("testdata", "*", "*.out"))
	for _, o := range outs {
		if _, err := os.Stat(strings.TrimSuffix(o, ".out") + ".txtar"); err != nil {
			t.Errorf("%s has no matching .txtar", o)
		}
	}
	dirs := make([]string, 0, len(byDir))
	for d := range byDir {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	for _, d := range dirs {
		id := byDir[d].Meta().ID
		if st, err := os.Stat(filepath.Join("testdata", d)); err != nil || !st.IsDir() {
			t.Errorf("rule %s has no test directory testdata/%s/", id, d)
			continue
		}
		if pos[d] == 0 {
			t.Errorf("rule %s has no positive case (a testdata/%s/*.out with findings)", id, d)
		}
		if neg[d] == 0 {
			t.Errorf("rule %s has no negative case (a testdata/%s/*.out that is empty)", id, d)
		}
	}
}

func TestParseTxtar(t *testing.T) {
	a := txtar.Parse([]byte("pypi sdist\nmore comment\n-- a.py --\nx = 1\n-- dir/b.txt --\nno newline at end\n-- c --\n"))
	if string(a.Comment) != "pypi sdist\nmore comment\n" {
		t.Errorf("comment = %q", a.Comment)
	}
	want := []txtar.File{{Name: "a.py", Data: []byte("x = 1\n")}, {Name: "dir/b.txt", Data: []byte("no newline at end\n")}, {Name: "c"}}
	if len(a.Files) != len(want) {
		t.Fatalf("files = %d, want %d", len(a.Files), len(want))
	}
	for i, w := range want {
		if a.Files[i].Name != w.Name || !bytes.Equal(a.Files[i].Data, w.Data) {
			t.Errorf("file %d = %q %q, want %q %q", i, a.Files[i].Name, a.Files[i].Data, w.Name, w.Data)
		}
	}
	// lines that only look like markers stay content
	b := txtar.Parse([]byte("npm\n-- x.js --\n--  --\n-- not a marker\n"))
	if len(b.Files) != 1 || string(b.Files[0].Data) != "--  --\n-- not a marker\n" {
		t.Errorf("near-markers parsed as markers: %+v", b.Files)
	}
}
