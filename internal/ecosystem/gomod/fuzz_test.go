package gomod

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/airlock-sec/airlock/internal/model"
)

func addSeeds(f *testing.F, glob string, extra ...string) {
	files, _ := filepath.Glob(glob)
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	for _, s := range extra {
		f.Add([]byte(s))
	}
}

// checkCommon checks what every parser result must satisfy.
func checkCommon(t *testing.T, path string, data []byte, ds []model.Dependency, diags []model.Diagnostic) {
	t.Helper()
	lines := bytes.Count(data, []byte("\n")) + 1
	if len(diags) > maxDiagnostics+1 {
		t.Fatalf("%d diagnostics", len(diags))
	}
	for _, d := range diags {
		if d.Target != path || d.Message == "" || strings.ContainsAny(d.Message, "\n\r") {
			t.Fatalf("bad diagnostic %+v", d)
		}
	}
	for _, d := range ds {
		if d.Ecosystem != model.Go || d.Path != path || d.Line < 1 || d.Line > lines {
			t.Fatalf("bad dependency %+v", d)
		}
		if err := checkImportPath(d.Name); err != nil {
			t.Fatalf("dependency name %q: %v", d.Name, err)
		}
	}
}

func FuzzParseGoMod(f *testing.F) {
	addSeeds(f, "testdata/*.mod",
		"", "module", "require (", ")", "require ()", "require ( )", "(\n)", "require (\n)\n)",
		"require example.com/a v1.0.0 // indirect", "require example.com/a master",
		"replace example.com/a => ../a", "replace example.com/a v1.0.0 => example.com/b v1.0.0",
		"retract [v1.0.0, v1.1.0]", "exclude example.com/a v1.0.0", "require \"example.com/\\x61\" v1.0.0",
		"require `example.com/a` v1.0.0", "require example.com/a /* x */ v1.0.0", "\ufeffmodule m",
		"require example.com/a \"v1.0.0", "require example.com/a v1.0.0\r\n", "go 1.21\ntoolchain go1.21.0",
	)
	f.Fuzz(func(t *testing.T, data []byte) {
		file, diags, err := ParseGoModFile("go.mod", data)
		if err != nil {
			if len(data) <= MaxFileSize {
				t.Fatalf("error for %d bytes: %v", len(data), err)
			}
			return
		}
		ds := file.Dependencies()
		checkCommon(t, "go.mod", data, ds, diags)
		for _, d := range ds {
			if d.Unpinned {
				if d.Version != "" || d.Constraint == "" || len(d.Constraint) > maxQuery {
					t.Fatalf("bad unpinned dependency %+v", d)
				}
			} else if !ValidVersion(d.Version) || d.Constraint != "" {
				t.Fatalf("bad pinned dependency %+v", d)
			}
			if d.Source == "" {
				continue
			}
			if isLocalPath(d.Source) {
				if strings.ContainsFunc(d.Source, func(r rune) bool { return r < ' ' || r == 0x7f }) {
					t.Fatalf("source %q has control characters", d.Source)
				}
				continue
			}
			p, v, ok := strings.Cut(d.Source, "@")
			if !ok || !ValidModulePath(p) || !ValidVersion(v) {
				t.Fatalf("bad source %q", d.Source)
			}
		}
		for _, r := range file.Replace {
			if (r.NewVersion == "") != isLocalPath(r.NewPath) {
				t.Fatalf("replacement %+v", r)
			}
		}
		for _, e := range file.Exclude {
			if !ValidVersion(e.Version) {
				t.Fatalf("exclude %+v", e)
			}
		}
		for _, r := range file.Retract {
			if !ValidVersion(r.Low) || !ValidVersion(r.High) {
				t.Fatalf("retract %+v", r)
			}
		}
	})
}

func FuzzParseGoSum(f *testing.F) {
	const h = " h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
	addSeeds(f, "testdata/*.sum",
		"", "\n\n", "example.com/a v1.0.0"+h, "example.com/a v1.0.0/go.mod"+h,
		"example.com/a v1.0.0"+h+"example.com/a v1.0.0 h1:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=",
		"example.com/a/v2 v2.0.0-20200101000000-abcdefabcdef"+h, "a b c d\n", "a\tb\u00a0c",
	)
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, diags, err := ParseGoSum("go.sum", data)
		if err != nil {
			if len(data) <= MaxFileSize {
				t.Fatalf("error for %d bytes: %v", len(data), err)
			}
			return
		}
		checkCommon(t, "go.sum", data, ds, diags)
		seen := map[string]bool{}
		for _, d := range ds {
			if !ValidModulePath(d.Name) || !ValidVersion(d.Version) || len(d.Hashes) == 0 || d.Unpinned {
				t.Fatalf("bad dependency %+v", d)
			}
			if seen[d.Name+"@"+d.Version] {
				t.Fatalf("%s@%s twice", d.Name, d.Version)
			}
			seen[d.Name+"@"+d.Version] = true
			for _, h := range d.Hashes {
				if !validH1(h) {
					t.Fatalf("bad hash %q", h)
				}
			}
		}
	})
}

func FuzzValidVersion(f *testing.F) {
	for _, s := range []string{"v1.2.3", "v1.2", "v2.0.0+incompatible", "v0.0.0-20191109021931-daa7c04131f5", "v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.0-0.20191109021931-x", "v1.2.3-a.b+c.d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		cv := canonicalVersion(v)
		if ValidVersion(v) && cv != v {
			t.Fatalf("valid %q is not canonical (%q)", v, cv)
		}
		if cv != "" && canonicalVersion(cv) != cv {
			t.Fatalf("canonicalVersion(%q) = %q is not stable", v, cv)
		}
		if IsPseudoVersion(v) && cv == "" {
			t.Fatalf("pseudo-version %q is not semver", v)
		}
		if ValidModulePath(v) && checkImportPath(v) != nil {
			t.Fatalf("module path %q is not an import path", v)
		}
	})
}
