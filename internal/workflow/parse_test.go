package workflow

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateParse = flag.Bool("update-parse", false, "rewrite the parser goldens under testdata/parse")

// TestParseGolden parses every file under testdata/parse/<platform>/ and
// compares DumpFile and the diagnostics with <file>.golden.
func TestParseGolden(t *testing.T) {
	dirs := map[string]Platform{
		"github": GitHub, "action": Action, "gitlab": GitLab, "circleci": CircleCI, "script": ShellScript,
	}
	n := 0
	for dir, plat := range dirs {
		paths, err := filepath.Glob(filepath.Join("testdata", "parse", dir, "*"))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range paths {
			if strings.HasSuffix(p, ".golden") {
				continue
			}
			n++
			t.Run(dir+"/"+filepath.Base(p), func(t *testing.T) {
				data, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				name := filepath.ToSlash(filepath.Join(dir, filepath.Base(p)))
				f, diags, err := Parse(name, data, plat)
				if err != nil {
					t.Fatal(err)
				}
				for _, d := range diags {
					if d.Target != name || d.Path != "" {
						t.Errorf("diagnostic %+v: want Target %q and no Path", d, name)
					}
				}
				got := DumpFile(f) + dumpDiags(diags)
				golden := p + ".golden"
				if *updateParse {
					if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test -update-parse)", err)
				}
				if got != string(want) {
					t.Errorf("dump differs from %s (go test -update-parse to accept):\n%s", golden, lineDiff(string(want), got))
				}
			})
		}
	}
	if n == 0 {
		t.Fatal("no test files")
	}
}

// lineDiff shows the lines that differ, in order.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, c string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			c = g[i]
		}
		if a != c {
			b.WriteString("- " + a + "\n+ " + c + "\n")
		}
	}
	return b.String()
}
