package pypi

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/airlock-sec/airlock/internal/model"
)

// lockSummary renders a dependency in one line for table tests:
// "name version path:line [unpinned] [direct] [dev] [c=…] [src=…] [h=N]".
func lockSummary(d model.Dependency) string {
	v := d.Version
	if v == "" {
		v = "-"
	}
	s := fmt.Sprintf("%s %s %s:%d", d.Name, v, filepath.ToSlash(d.Path), d.Line)
	if d.Unpinned {
		s += " unpinned"
	}
	if d.Direct {
		s += " direct"
	}
	if d.Dev {
		s += " dev"
	}
	if d.Constraint != "" {
		s += fmt.Sprintf(" c=%q", d.Constraint)
	}
	if d.Source != "" {
		s += fmt.Sprintf(" src=%q", d.Source)
	}
	if len(d.Hashes) > 0 {
		s += fmt.Sprintf(" h=%d", len(d.Hashes))
	}
	return s
}

// lockCheckDeps compares dependencies with their expected summaries.
func lockCheckDeps(t *testing.T, got []model.Dependency, want []string) {
	t.Helper()
	for i := 0; i < len(got) || i < len(want); i++ {
		var g, w string
		if i < len(got) {
			g = lockSummary(got[i])
			if got[i].Ecosystem != model.PyPI {
				t.Errorf("dependency %d: ecosystem %q", i, got[i].Ecosystem)
			}
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			t.Errorf("dependency %d:\n got  %s\n want %s", i, g, w)
		}
	}
}

// lockCheckDiags checks that each diagnostic's path and message matches
// the expected "path: substring" in order.
func lockCheckDiags(t *testing.T, got []model.Diagnostic, want []string) {
	t.Helper()
	for i := 0; i < len(got) || i < len(want); i++ {
		var g, w string
		if i < len(got) {
			g = filepath.ToSlash(got[i].Path) + ": " + got[i].Message
		}
		if i < len(want) {
			w = want[i]
		}
		if w == "" || !strings.HasPrefix(g, strings.SplitN(w, ": ", 2)[0]+": ") || !strings.Contains(g, strings.SplitN(w, ": ", 2)[1]) {
			t.Errorf("diagnostic %d:\n got  %s\n want %s", i, g, w)
		}
	}
}

func lockReadTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "lock", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// lockFind returns the dependency named name (the first one).
func lockFind(t *testing.T, deps []model.Dependency, name string) model.Dependency {
	t.Helper()
	for _, d := range deps {
		if d.Name == name {
			return d
		}
	}
	t.Fatalf("no dependency %q", name)
	return model.Dependency{}
}

// lockCheckInvariants checks what every parser promises of its results.
func lockCheckInvariants(t testing.TB, p string, deps []model.Dependency, diags []model.Diagnostic, needLine bool) {
	t.Helper()
	for _, d := range deps {
		if d.Name == "" || d.Ecosystem != model.PyPI || d.Path == "" {
			t.Fatalf("bad dependency %+v", d)
		}
		if d.Unpinned != (d.Version == "") {
			t.Fatalf("Unpinned and Version disagree: %+v", d)
		}
		if d.Line < 0 || needLine && d.Line == 0 {
			t.Fatalf("bad line: %+v", d)
		}
		for _, h := range d.Hashes {
			if h == "" {
				t.Fatalf("empty hash: %+v", d)
			}
		}
	}
	if len(diags) > maxLockDiagnostics+1 {
		t.Fatalf("%d diagnostics", len(diags))
	}
	for _, g := range diags {
		if g.Path == "" || g.Message == "" {
			t.Fatalf("bad diagnostic %+v", g)
		}
	}
}
