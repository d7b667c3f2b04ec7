package pypi

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// lockAddSeeds adds the lockfile fixtures matching glob and inline seeds.
func lockAddSeeds(f *testing.F, glob string, inline ...string) {
	files, _ := filepath.Glob(filepath.Join("testdata", "lock", glob))
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	for _, s := range inline {
		f.Add([]byte(s))
	}
}

func FuzzParseRequirements(f *testing.F) {
	lockAddSeeds(f, "*.txt",
		"a==1 \\\n  --hash=sha256:"+strings.Repeat("0", 64)+" \\",
		"-r self.txt\n-c self.txt\n-e .\n",
		"-r 'x\n--hash\n-e\n--constraint=",
		"x @ https://h/x-1-py3-none-any.whl ; a\nhttps://h/y.zip#egg=y&subdirectory=z\n",
		"# c \\\n\\\\\n\\",
	)
	f.Fuzz(func(t *testing.T, data []byte) {
		// Every included file is the input itself, so includes recurse
		// until the cycle, depth and file limits stop them.
		inc := func(rel string) ([]byte, error) { return data, nil }
		deps, diags, err := ParseRequirements("requirements.txt", data, inc)
		if err != nil {
			if len(deps) != 0 || len(diags) != 0 {
				t.Fatal("results with an error")
			}
			return
		}
		lockCheckInvariants(t, "requirements.txt", deps, diags, true)
		for _, d := range deps {
			if !validProjectName(d.Name) {
				t.Fatalf("invalid name %q", d.Name)
			}
		}
	})
}

func FuzzParsePipfileLock(f *testing.F) {
	lockAddSeeds(f, "Pipfile.lock",
		`{"default":{"a":{"version":"==1","hashes":["sha256:x"]}},"develop":{"b":{"git":"u","ref":"r"}}}`,
		`{"default":{"a":null,"a":[],"b":{"version":1}},"_meta":{"sources":[{"name":"x","url":"u"}]}}`,
		`{"default":{"a":{}}`,
	)
	f.Fuzz(func(t *testing.T, data []byte) {
		deps, diags, err := ParsePipfileLock("Pipfile.lock", data)
		if err != nil {
			return
		}
		lockCheckInvariants(t, "Pipfile.lock", deps, diags, true)
	})
}

// fuzzTOMLLock runs a TOML lockfile parser on fuzz input.
func fuzzTOMLLock(f *testing.F, glob string, parse lockParser, inline ...string) {
	lockAddSeeds(f, glob, inline...)
	f.Fuzz(func(t *testing.T, data []byte) {
		deps, diags, err := parse("lock", data)
		if err != nil {
			if len(deps) != 0 || len(diags) != 0 {
				t.Fatal("results with an error")
			}
			return
		}
		lockCheckInvariants(t, "lock", deps, diags, true)
	})
}

func FuzzParsePoetryLock(f *testing.F) {
	fuzzTOMLLock(f, "poetry.lock", ParsePoetryLock,
		"[[package]]\nname = \"a\"\nversion = \"1\"\nfiles = [{file = \"f\", hash = \"h\"}]\n[package.source]\ntype = \"git\"\nurl = \"u\"\n[metadata]\nfiles = {a = []}\n",
		"package = [{name = \"a\"}, {name = 1}]\n",
	)
}

func FuzzParseUvLock(f *testing.F) {
	fuzzTOMLLock(f, "uv.lock", ParseUvLock,
		"version = 1\n[[package]]\nname = \"a\"\nsource = { editable = \".\" }\ndependencies = [{ name = \"b\", extra = [\"x\"] }]\n[[package]]\nname = \"b\"\n[package.optional-dependencies]\nx = [{ name = \"a\" }]\n",
	)
}

func FuzzParsePdmLock(f *testing.F) {
	fuzzTOMLLock(f, "pdm.lock", ParsePdmLock,
		"[metadata]\n[metadata.files]\n\"a 1\" = [{hash = \"h\"}]\n[[package]]\nname = \"a\"\nversion = \"1\"\ngit = \"u\"\n",
	)
}

func FuzzParsePylock(f *testing.F) {
	fuzzTOMLLock(f, "pylock.toml", ParsePylock,
		"lock-version = \"1.0\"\n[[packages]]\nname = \"a\"\n[packages.vcs]\ntype = \"git\"\n[[packages.wheels]]\nhashes = {sha256 = \"x\"}\n",
	)
}

func FuzzParsePyprojectDependencies(f *testing.F) {
	fuzzTOMLLock(f, "pyproject.toml", ParsePyprojectDependencies,
		"[project]\ndependencies = [\"a>=1\", \"b @ u ; c\"]\n[project.optional-dependencies]\nx = [\"c\"]\n",
		"[tool.poetry.dependencies]\na = [{version = \"1\"}, \"2\"]\n[tool.poetry.group.g.dependencies.b]\ngit = \"u\"\n",
		"[tool.poetry.dependencies.0.0]",
	)
}

// FuzzLockTOMLScan checks that the guarding scanner accepts every
// document the decoder accepts (short of its limits), and never panics.
func FuzzLockTOMLScan(f *testing.F) {
	lockAddSeeds(f, "*.toml")
	lockAddSeeds(f, "*.lock",
		"a = \"\"\"\\\n\"\"\"\"\"\nb = '''x'''''\n",
		"a = 1979-05-27 07:32:00Z\nb = [1, [2], {c = 3,}]\n",
		"[a.'b'.\"c\"]\n[[d]]\n[[d.e]]\n",
		"\xff\xfe",
	)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 || !utf8.Valid(data) {
			return // decodeLockTOML rejects invalid UTF-8 before scanning
		}
		lines, serr := lockTOMLScan(string(data), func([]string) bool { return true })
		for _, l := range lines {
			if l < 1 {
				t.Fatalf("line %d", l)
			}
		}
		if serr == nil {
			return
		}
		if errors.Is(serr, errTOMLDepth) || errors.Is(serr, errTOMLKey) || errors.Is(serr, errTOMLWork) {
			return
		}
		var v any
		if _, err := toml.Decode(string(data), &v); err == nil {
			t.Fatalf("the scanner rejects a document the decoder accepts: %v", serr)
		}
	})
}
