package gomod

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/airlock-sec/airlock/internal/model"
)

// dep is the part of a model.Dependency these tests compare.
type dep struct {
	Line          int
	Name, Version string
	Query         string
	Direct        bool
	Source        string
}

func deps(ds []model.Dependency) []dep {
	var out []dep
	for _, d := range ds {
		out = append(out, dep{d.Line, d.Name, d.Version, d.Constraint, d.Direct, d.Source})
	}
	return out
}

func messages(ds []model.Diagnostic) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Message)
	}
	return out
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParseGoModFull(t *testing.T) {
	f, diags, err := ParseGoModFile("testdata/full.mod", readTestdata(t, "full.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if len(diags) > 0 {
		t.Errorf("unexpected diagnostics:\n%s", strings.Join(messages(diags), "\n"))
	}
	if f.Module != "example.com/platform/v2" || f.ModuleLine != 3 || f.Go != "1.23.0" || f.Toolchain != "go1.24.2" {
		t.Errorf("module %q (line %d), go %q, toolchain %q", f.Module, f.ModuleLine, f.Go, f.Toolchain)
	}
	wantExclude := []Exclude{{"github.com/google/uuid", "v1.5.0", 44}, {"golang.org/x/sys", "v0.27.0", 47}, {"golang.org/x/sys", "v0.26.0", 48}}
	if !reflect.DeepEqual(f.Exclude, wantExclude) {
		t.Errorf("exclude = %v", f.Exclude)
	}
	wantRetract := []Retract{{"v2.0.1", "v2.0.1", 62}, {"v2.1.0", "v2.1.9", 65}, {"v2.0.0-rc.1", "v2.0.0-rc.1", 66}}
	if !reflect.DeepEqual(f.Retract, wantRetract) {
		t.Errorf("retract = %v", f.Retract)
	}
	wantTool := []Tool{{"golang.org/x/tools/cmd/stringer", 69}, {"github.com/local/helper/cmd/gen", 72}, {"k8s.io/code-generator/cmd/deepcopy-gen", 73}}
	if !reflect.DeepEqual(f.Tool, wantTool) {
		t.Errorf("tool = %v", f.Tool)
	}
	wantReplace := []Replace{
		{"github.com/forked/thing", "", "github.com/ourorg/thing", "v1.4.1-fix.1", 51},
		{"github.com/local/helper", "", "./internal/helper", "", 54},
		{"github.com/spf13/pflag", "v1.0.5", "../pflag", "", 55},
		{"example.com/monorepo/sub", "v0.2.0", "example.com/monorepo/sub", "v0.2.1", 56},
		{"example.com/monorepo/sub", "", "example.com/monorepo/other", "v0.9.0", 57},
		{"github.com/not/required", "", "/abs/path", "", 58},
		{"github.com/quoted/path", "", "../quoted dir", "", 59},
	}
	if !reflect.DeepEqual(f.Replace, wantReplace) {
		t.Errorf("replace = %+v", f.Replace)
	}

	got := deps(f.Dependencies())
	want := []dep{
		{17, "github.com/google/uuid", "v1.6.0", "", true, ""},
		{18, "github.com/spf13/cobra", "v1.8.1", "", true, ""},
		{19, "golang.org/x/sync", "v0.10.0", "", true, ""},
		{20, "gopkg.in/yaml.v3", "v3.0.1", "", true, ""},
		{21, "k8s.io/client-go", "v0.31.2", "", true, ""},
		{22, "github.com/quoted/path", "v1.0.0", "", true, "../quoted dir"},
		{23, "github.com/old/lib", "v2.3.4+incompatible", "", true, ""},
		{24, "github.com/forked/thing", "v1.4.0", "", true, "github.com/ourorg/thing@v1.4.1-fix.1"},
		{25, "github.com/local/helper", "v0.0.0-00010101000000-000000000000", "", true, "./internal/helper"},
		// The version-specific replacement wins over the one for every version.
		{26, "example.com/monorepo/sub", "v0.2.0", "", true, "example.com/monorepo/sub@v0.2.1"},
		{28, "github.com/inconshreveable/mousetrap", "v1.1.0", "", false, ""},
		{29, "github.com/spf13/pflag", "v1.0.5", "", false, "../pflag"},
		{30, "golang.org/x/sys", "v0.28.0", "", false, ""},
		{31, "golang.org/x/text", "v0.21.0", "", false, ""},
		{32, "gopkg.in/check.v1", "v0.0.0-20161208181325-20d25e280405", "", false, ""},
		{33, "github.com/pseudo/prerelease", "v1.3.0-rc.1.0.20240102030405-0123456789ab", "", false, ""},
		{34, "github.com/pseudo/release", "v1.2.4-0.20231231235959-abcdefabcdef", "", false, ""},
		{35, "github.com/not/indirect", "v1.0.0", "", true, ""},
		{38, "github.com/single/line", "v1.0.0", "", true, ""},
		{40, "github.com/single/indirect", "v1.1.0", "", false, ""},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("dependencies:\n got %+v\nwant %+v", got, want)
	}

	all, _, _ := ParseGoMod("testdata/full.mod", readTestdata(t, "full.mod"))
	for _, d := range all {
		if d.Ecosystem != model.Go || d.Path != "testdata/full.mod" || d.Unpinned || d.Dev || len(d.Hashes) > 0 {
			t.Errorf("dependency fields: %+v", d)
		}
	}
}

func TestParseGoModMalformed(t *testing.T) {
	ds, diags, err := ParseGoMod("bad/go.mod", readTestdata(t, "malformed.mod"))
	if err != nil {
		t.Fatal(err)
	}
	want := []dep{
		{8, "github.com/ok/first", "v1.0.0", "", true, ""},
		{9, "github.com/short/version", "", "v1.2", true, ""},
		{10, "github.com/branch/name", "", "master", true, ""},
		{15, "github.com/bad/build", "", "v1.0.0+meta", true, ""},
		{21, "github.com/UPPER/Case", "v1.0.0", "", true, ""},
		{22, "Github.com/upper/host", "v1.0.0", "", true, ""},
		{26, "nodot/module", "v1.0.0", "", true, ""},
		{27, "github.com/ok/second", "v1.1.0", "", true, ""},
		// In a block never closed: kept, with a diagnostic.
		{52, "github.com/ok/sixth", "v1.4.0", "", true, ""},
	}
	if got := deps(ds); !reflect.DeepEqual(got, want) {
		t.Errorf("dependencies:\n got %+v\nwant %+v", got, want)
	}
	for _, d := range ds {
		if d.Unpinned != (d.Version == "") {
			t.Errorf("%s: Unpinned %v with version %q", d.Name, d.Unpinned, d.Version)
		}
	}
	wantDiags := []string{
		`line 4: repeated go directive`,
		`line 5: repeated go directive`,
		`line 9: require "github.com/short/version": version "v1.2" is not canonical`,
		`line 10: require "github.com/branch/name": version "master" is not canonical`,
		`line 11: usage: require module/path v1.2.3`,
		`line 12: usage: require module/path v1.2.3`,
		`line 13: require "github.com/major/v2": invalid version "v1.0.0": major version should be v2`,
		`line 14: require "github.com/needs/suffix": invalid version "v2.0.0": major version v2 needs a "/v2" suffix`,
		`line 15: require "github.com/bad/build": version "v1.0.0+meta" is not canonical`,
		`line 16: require "github.com/bad/incompat": invalid version "v1.0.0+incompatible": +incompatible is only for major versions 2 and up`,
		`line 17: require "github.com/bad/date": invalid version "v0.0.0-20241399000000-abcdefabcdef": pseudo-version has a malformed time`,
		"line 18: require: back-quoted string \"`github.com/backquoted/path`\" is not allowed",
		`line 19: require: unquoted string "github.com/bad\"quote" contains a quote`,
		`line 20: require: invalid quoted string "\"github.com/bad\\qescape\""`,
		`line 23: require: invalid module path "github.com/x/v1": invalid major version suffix`,
		`line 24: /* */ comments are not allowed`,
		`line 25: unterminated quoted string`,
		`line 30: /* */ comments are not allowed`,
		`line 31: usage: require module/path v1.2.3`,
		`line 32: unknown directive "frobnicate"`,
		`line 34: replace "github.com/a/b": replacement "github.com/c/d" has no version, so it must be a directory`,
		`line 35: replace "github.com/a/b": replacement "github.com/c/d@v1.0.0" must be written 'path version'`,
		`line 36: replace "github.com/a/b": replacement directory "./dir" cannot have a version`,
		`line 37: usage: replace module/path [v1.2.3] => other/module v1.4.0, or => ../local/directory`,
		`line 38: replace "github.com/a/b": invalid replacement module path "nodot": missing dot in first path element`,
		`line 40: conflicting replacements for "github.com/a/b": "../one" (line 39) and "../two"`,
		`line 42: retract: expected , after version`,
		`line 43: retract: expected a version after ,`,
		`line 44: retract: unexpected "v1.1.0" after the version`,
		`line 45: retract: invalid version "latest": not a semantic version`,
		`line 47: unknown block type "unknown"`,
		`line 51: block is never closed with )`,
		`line 22: require "Github.com/upper/host": the module cannot be downloaded (invalid char 'G' in first path element) and is not replaced`,
		`line 26: require "nodot/module": the module cannot be downloaded (missing dot in first path element) and is not replaced`,
	}
	checkDiags(t, diags, wantDiags, "bad/go.mod")
}

// checkDiags checks that diagnostic i starts with want[i].
func checkDiags(t *testing.T, diags []model.Diagnostic, want []string, target string) {
	t.Helper()
	got := messages(diags)
	for i := 0; i < len(got) || i < len(want); i++ {
		switch {
		case i >= len(got):
			t.Errorf("missing diagnostic %q", want[i])
		case i >= len(want):
			t.Errorf("unexpected diagnostic %q", got[i])
		case !strings.HasPrefix(got[i], want[i]):
			t.Errorf("diagnostic %d:\n got %q\nwant %q…", i, got[i], want[i])
		}
	}
	for _, d := range diags {
		if d.Target != target || d.Path != "" {
			t.Errorf("diagnostic target %q path %q, want %q", d.Target, d.Path, target)
		}
	}
}

func TestParseGoModCases(t *testing.T) {
	for _, tc := range []struct {
		name  string
		src   string
		deps  []string // name@version, name?query, with " indirect" and " => source"
		diags []string
	}{
		{name: "empty"},
		{name: "only comments", src: "// a\n//b\n\n   // c"},
		{
			name: "crlf and indirect with carriage return",
			src:  "module example.com/m\r\n\r\nrequire (\r\n\texample.com/a v1.0.0 // indirect\r\n\texample.com/b v1.0.0\r\n)\r\n",
			deps: []string{"example.com/a@v1.0.0 indirect", "example.com/b@v1.0.0"},
		},
		{
			name:  "byte order mark",
			src:   "\ufeffmodule example.com/m\nrequire example.com/a v1.0.0\n",
			deps:  []string{"example.com/a@v1.0.0"},
			diags: []string{"line 1: the file starts with a byte order mark"},
		},
		{
			name: "indirect comment forms",
			src: "require (\n" +
				"example.com/a v1.0.0//indirect\n" +
				"example.com/b v1.0.0 // indirect; needed by example.com/x\n" +
				"example.com/c v1.0.0 // INDIRECT\n" +
				"example.com/d v1.0.0 // indirect:\n" +
				"example.com/e v1.0.0 // indirect more words\n" +
				"example.com/f v1.0.0 //\tindirect\t\n" +
				"// indirect\n" +
				"example.com/g v1.0.0\n" +
				")\n",
			deps: []string{
				"example.com/a@v1.0.0 indirect", "example.com/b@v1.0.0 indirect", "example.com/c@v1.0.0",
				"example.com/d@v1.0.0", "example.com/e@v1.0.0", "example.com/f@v1.0.0 indirect", "example.com/g@v1.0.0",
			},
		},
		{
			name: "quoted strings",
			src: `require "example.com/\x61" "v1.0.0"` + "\n" +
				`require "example.com/b//c" v1.0.0` + "\n" +
				`require "example.com/d // not a comment" v1.0.0` + "\n" +
				`require example.com/e"v1.0.0"` + "\n",
			deps: []string{"example.com/a@v1.0.0"},
			diags: []string{
				`line 2: require: invalid module path "example.com/b//c": double slash`,
				`line 3: require: invalid module path "example.com/d // not a comment": double slash`,
				`line 4: usage: require module/path v1.2.3`,
			},
		},
		{
			name: "empty blocks",
			src:  "require ()\nrequire ( )\nexclude () // nothing\nrequire example.com/a v1.0.0\n",
			deps: []string{"example.com/a@v1.0.0"},
		},
		{
			name: "block punctuation",
			src: "(\n)\nrequire example.com/x v1.0.0 (\n)\n" +
				"require ( // opening comment\n" +
				"\texample.com/a v1.0.0\n" +
				"\trequire example.com/b v1.0.0\n" +
				"\texample.com/c (\n" +
				") trailing\n" +
				"require example.com/d v1.0.0\n" +
				"go (\n\t1.21\n)\n",
			deps: []string{"example.com/a@v1.0.0", "example.com/d@v1.0.0"},
			diags: []string{
				`line 1: unknown directive "("`,
				`line 2: unknown directive ")"`,
				`line 3: unknown block type "require example.com/x v1.0.0"`,
				`line 7: usage: require module/path v1.2.3`,
				`line 8: require "example.com/c": invalid version "("`,
				`line 9: unexpected "trailing" after the ) that closes the block`,
				`line 11: unknown block type "go"`,
			},
		},
		{
			name:  "bad characters",
			src:   "require example.com/a v1.0.0\x00\nrequire example.com/b\x7f v1.0.0\nrequire example.com/c\u200b v1.0.0\nrequire example.com/d v1.0.0\v\nrequire example.com/e v1.0.0\n",
			deps:  []string{"example.com/e@v1.0.0"},
			diags: []string{`line 1: unexpected character '\x00'`, `line 2: unexpected character '\x7f'`, `line 3: unexpected character '\u200b'`, `line 4: unexpected character '\v'`},
		},
		{
			name:  "invalid utf-8",
			src:   "require example.com/\xff v1.0.0\nrequire example.com/a v1.0.0\n",
			deps:  []string{"example.com/a@v1.0.0"},
			diags: []string{`line 1: require: invalid module path "example.com/\xff": invalid UTF-8`},
		},
		{
			name:  "too many tokens",
			src:   "require" + strings.Repeat(" (", 40) + "\nrequire example.com/a v1.0.0\n",
			deps:  []string{"example.com/a@v1.0.0"},
			diags: []string{"line 1: more than 32 tokens on one line"},
		},
		{
			name: "replacement precedence and queries",
			src: "require (\n\texample.com/a v1.0.0\n\texample.com/a/v2 v2.0.0\n\texample.com/b master\n\texample.com/c v1.1.0\n)\n" +
				"replace example.com/a v1.0.1 => ../other-version\n" +
				"replace example.com/a => ../a\n" +
				"replace example.com/a v1.0.0 => example.com/fork v1.0.0-fix\n" +
				"replace example.com/b v1.0.0 => ../b-exact\n" +
				"replace example.com/b => example.com/b-fork v0.1.0\n" +
				"replace example.com/c => example.com/c v1.1.0\n" +
				"replace example.com/c => example.com/c v1.1.0 // same again\n" +
				"replace example.com/d => ..\\windows\\d\n",
			deps: []string{
				"example.com/a@v1.0.0 => example.com/fork@v1.0.0-fix",
				"example.com/a/v2@v2.0.0",
				"example.com/b?master => example.com/b-fork@v0.1.0",
				"example.com/c@v1.1.0 => example.com/c@v1.1.0",
			},
			diags: []string{
				`line 4: require "example.com/b": version "master" is not canonical`,
				`line 14: replace "example.com/d": replacement directory "..\\windows\\d" looks like a Windows path`,
			},
		},
		{
			name: "bad queries",
			src:  "require example.com/a \"\"\nrequire example.com/b \"has space\"\nrequire example.com/c " + strings.Repeat("x", 200) + "\n",
			diags: []string{
				`line 1: require "example.com/a": invalid version ""`,
				`line 2: require "example.com/b": invalid version "has space"`,
				`line 3: require "example.com/c": invalid version "xxxx`,
			},
		},
		{
			name: "exclude is exact",
			src:  "exclude example.com/a v1.2\nexclude example.com/a v1.2.0\nexclude example.com/a v1.2.0\n",
			diags: []string{
				`line 1: exclude "example.com/a": invalid version "v1.2": not canonical`,
			},
		},
		{
			name: "directive arguments",
			src: "module\nmodule a b\nmodule example.com/m\ngo\ngo 1.21 1.22\ngo 1.21rc1\ngo 1.22\n" +
				"toolchain go1.21.0-custom\ntoolchain go2\ntoolchain default\n" +
				"godebug x\ngodebug 'x=1'\ngodebug x=1\n" +
				"tool\ntool k8s.io/api/core/v1\ntool \"bad path\"\nignore\nignore \"./a b\"\nretract\nretract ( v1.0.0\nretract [\n",
			diags: []string{
				`line 1: usage: module module/path`,
				`line 2: repeated module directive`,
				`line 3: repeated module directive`,
				`line 4: go directive expects exactly one argument`,
				`line 5: repeated go directive`,
				`line 6: repeated go directive`,
				`line 7: repeated go directive`,
				`line 9: repeated toolchain directive`,
				`line 10: repeated toolchain directive`,
				`line 11: usage: godebug key=value`,
				`line 12: usage: godebug key=value`,
				`line 14: tool directive expects exactly one argument`,
				`line 16: tool: invalid package path "bad path": invalid char ' '`,
				`line 17: ignore directive expects exactly one argument`,
				`line 19: retract: expected [ or a version`,
				`line 20: retract: expected [ or a version`,
				`line 21: retract: expected a version after [`,
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds, diags, err := ParseGoMod("go.mod", []byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range ds {
				s := d.Name + "@" + d.Version
				if d.Unpinned {
					s = d.Name + "?" + d.Constraint
				}
				if !d.Direct {
					s += " indirect"
				}
				if d.Source != "" {
					s += " => " + d.Source
				}
				got = append(got, s)
			}
			if !reflect.DeepEqual(got, tc.deps) {
				t.Errorf("dependencies:\n got %q\nwant %q", got, tc.deps)
			}
			checkDiags(t, diags, tc.diags, "go.mod")
		})
	}
}

func TestParseGoModModuleAndVersions(t *testing.T) {
	f, diags, _ := ParseGoModFile("go.mod", []byte("module \"my app\"\nmodule x\n"))
	if f.Module != "" || len(diags) != 2 {
		t.Errorf("module %q, diagnostics %q", f.Module, messages(diags))
	}
	f, diags, _ = ParseGoModFile("go.mod", []byte("go 1.21rc1\ntoolchain go1.21rc1\nmodule myapp\n"))
	if f.Go != "1.21rc1" || f.Toolchain != "go1.21rc1" || f.Module != "myapp" || len(diags) > 0 {
		t.Errorf("%+v %q", f, messages(diags))
	}
	for _, bad := range []string{"go 1.21.0.1", "go v1.21", "go 1", "go 01.21", "go 1.21-rc1", "toolchain 1.21", "toolchain go1-x"} {
		f, diags, _ := ParseGoModFile("go.mod", []byte(bad))
		if f.Go != "" || f.Toolchain != "" || len(diags) != 1 {
			t.Errorf("%q: go %q toolchain %q, diagnostics %q", bad, f.Go, f.Toolchain, messages(diags))
		}
	}
}

func TestParseGoModLimits(t *testing.T) {
	big := make([]byte, MaxFileSize+1)
	if _, _, err := ParseGoMod("big/go.mod", big); !errors.Is(err, ErrTooLarge) {
		t.Errorf("err = %v, want ErrTooLarge", err)
	}
	if _, _, err := ParseGoMod("ok/go.mod", big[:MaxFileSize]); err != nil {
		t.Errorf("file of exactly MaxFileSize: %v", err)
	}

	bad := strings.Repeat("nonsense\n", 500)
	_, diags, _ := ParseGoMod("go.mod", []byte(bad))
	if len(diags) != maxDiagnostics+1 || diags[maxDiagnostics].Message != "400 more problems not shown" {
		t.Errorf("%d diagnostics, last %q", len(diags), diags[len(diags)-1].Message)
	}

	var b strings.Builder
	b.WriteString("require (\n")
	for i := range maxEntries + 10 {
		fmt.Fprintf(&b, "\texample.com/m%d v1.0.0\n", i)
	}
	b.WriteString(")\n")
	ds, diags, _ := ParseGoMod("go.mod", []byte(b.String()))
	if len(ds) != maxEntries || len(diags) != 1 || !strings.Contains(diags[0].Message, "the rest of the file was not read") {
		t.Errorf("%d dependencies, diagnostics %q", len(ds), messages(diags))
	}
}

func TestQuote(t *testing.T) {
	long := strings.Repeat("é", 100)
	q := quote(long)
	if !strings.HasSuffix(q, "\"…") || len(q) > 90 || strings.Contains(q, "\\x") {
		t.Errorf("quote(long) = %s", q)
	}
	if q := quote("a\nb\x00"); q != `"a\nb\x00"` {
		t.Errorf("quote = %s", q)
	}
}
