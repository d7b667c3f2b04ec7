package npm

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/airlock-sec/airlock/internal/model"
)

// addLockSeeds adds the testdata lockfiles matching pattern and extra
// inputs to the corpus.
func addLockSeeds(f *testing.F, pattern string, extra ...string) {
	files, _ := filepath.Glob(filepath.Join("testdata", "lock", pattern))
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	for _, s := range extra {
		f.Add([]byte(s))
	}
}

// checkLockOutput asserts what every parser promises, whatever the input.
func checkLockOutput(t *testing.T, data []byte, deps []model.Dependency, diags []model.Diagnostic, err error, manifest bool) {
	t.Helper()
	if err != nil {
		if deps != nil || diags != nil {
			t.Fatalf("error %v with results", err)
		}
		return
	}
	lines := bytes.Count(data, []byte{'\n'}) + 1
	seen := map[depKey]bool{}
	prev := 0
	for _, d := range deps {
		if d.Ecosystem != model.NPM || d.Path != "fuzz" {
			t.Fatalf("bad ecosystem or path: %+v", d)
		}
		if !ValidName(d.Name) {
			t.Fatalf("invalid name %q", d.Name)
		}
		if d.Line < 1 || d.Line > lines || d.Line < prev {
			t.Fatalf("line %d out of range 1..%d or unsorted (prev %d): %+v", d.Line, lines, prev, d)
		}
		prev = d.Line
		if len(d.Hashes) > maxHashesPerEntry {
			t.Fatalf("too many hashes: %+v", d)
		}
		if manifest {
			if d.Version == "" && !d.Unpinned && d.Source == "" {
				t.Fatalf("manifest entry neither pinned nor unpinned: %+v", d)
			}
			continue
		}
		if d.Version == "" && d.Source == "" {
			t.Fatalf("lockfile entry without version or source: %+v", d)
		}
		if d.Unpinned {
			t.Fatalf("lockfile entry unpinned: %+v", d)
		}
		k := depKey{d.Name, d.Version, d.Source}
		if seen[k] {
			t.Fatalf("duplicate %+v", d)
		}
		seen[k] = true
	}
	if len(diags) > maxLockDiagnostics+1 {
		t.Fatalf("%d diagnostics", len(diags))
	}
	for _, d := range diags {
		if d.Path != "fuzz" || d.Message == "" || strings.ContainsAny(d.Message, "\n\r") {
			t.Fatalf("bad diagnostic %+v", d)
		}
	}
}

func FuzzParsePackageLock(f *testing.F) {
	addLockSeeds(f, "package-lock*.json",
		``, `{}`, `[]`, `null`, `{"packages":null}`, `{"packages":[]}`, `{"dependencies":{"a":{"dependencies":{"b":{"version":"1.0.0"}}}}}`,
		`{"lockfileVersion":2,"packages":{"":{"dependencies":{"a":"1"}},"node_modules/a":{"version":"1.0.0","link":true,"resolved":"x"}}}`,
		`{"packages":{"node_modules/a":{"name":"@b/c","version":"npm:d@1.0.0"}}}`,
		`{"packages":{"node_modules/a":{"version":"1.0.0"}}} trailing`,
		`{"dependencies":{"a":{"version":"1.0.0","dependencies":{"a":{"version":"1.0.0","dependencies":{}}}}}}`,
		`{"packages":{"a/node_modules/b":{"version":"1.0.0"},"node_modules/":{"version":"1.0.0"}}}`,
		strings.Repeat(`{"dependencies":{"a":`, 80)+`{}`,
		"\xef\xbb\xbf{}")
	f.Fuzz(func(t *testing.T, data []byte) {
		deps, diags, err := ParsePackageLock("fuzz", data)
		checkLockOutput(t, data, deps, diags, err, false)
	})
}

func FuzzParseYarnLock(f *testing.F) {
	addLockSeeds(f, "yarn-*.lock",
		``, `a@1:`, "a@^1:\n  version \"1.0.0\"\n", "\"a@npm:b@^1\", c@2:\n  version 1.0.0\n  resolved \"https://registry.yarn.example/b/-/b-1.0.0.tgz#0000000000000000000000000000000000000000\"\n",
		"__metadata:\n  version: 8\n\"a@npm:^1\":\n  version: 1.0.0\n  resolution: \"a@npm:1.0.0\"\n",
		"__metadata:\n  version: 8\nx: &a {resolution: \"b@npm:1.0.0\"}\ny: *a\nz:\n  <<: *a\n",
		"__metadata:\n[", "   \n\t\n", "a@1:\n   version \"1\"\n", "\"unterminated:\n", "a@1, :\n",
		"__metadata: \n0: {0}")
	f.Fuzz(func(t *testing.T, data []byte) {
		deps, diags, err := ParseYarnLock("fuzz", data)
		checkLockOutput(t, data, deps, diags, err, false)
	})
}

func FuzzParsePnpmLock(f *testing.F) {
	addLockSeeds(f, "pnpm-lock-*.yaml",
		``, `{}`, `[]`, `lockfileVersion: 5.4`, "lockfileVersion: '9.0'\npackages:\n  a@1.0.0: {}\n",
		"packages:\n  /a/1.0.0_b@2.0.0:\n    resolution: {integrity: sha512-AA==}\n",
		"lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      a: {version: 1.0.0(b@1.0.0)}\npackages:\n  a@1.0.0: {resolution: {}}\nsnapshots:\n  a@1.0.0(b@1.0.0):\n    dependencies: {a: 1.0.0(b@1.0.0)}\n",
		"---\nlockfileVersion: '9.0'\n---\nlockfileVersion: '9.0'\n", "a: &x [*x]", "packages: {<<: {'/a/1.0.0': {}}}")
	f.Fuzz(func(t *testing.T, data []byte) {
		deps, diags, err := ParsePnpmLock("fuzz", data)
		checkLockOutput(t, data, deps, diags, err, false)
	})
}

func FuzzParsePackageJSONDependencies(f *testing.F) {
	addLockSeeds(f, "package*.json",
		``, `{}`, `{"dependencies":null}`, `{"dependencies":{"a":1,"b":"npm:c@1.0.0","d":"git+ssh://x@y/z#0123456789012345678901234567890123456789"}}`,
		`{"devDependencies":{"@a/b":"https://u:p@x/y.tgz"}}`, `{"peerDependencies":[]}`, `{"dependencies":{"a":"1"}} {}`)
	f.Fuzz(func(t *testing.T, data []byte) {
		deps, diags, err := ParsePackageJSONDependencies("fuzz", data)
		checkLockOutput(t, data, deps, diags, err, true)
	})
}
