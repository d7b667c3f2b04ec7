package npm

import (
	"strconv"
	"strings"
	"testing"

	"github.com/airlock-sec/airlock/internal/model"
)

func TestParsePackageJSONDependencies(t *testing.T) {
	path, data := readLock(t, "package.json")
	deps, diags, err := ParsePackageJSONDependencies(path, data)
	if err != nil {
		t.Fatal(err)
	}
	d := func(line int, name, version, constraint, source string, unpinned, dev bool) model.Dependency {
		return model.Dependency{Ecosystem: model.NPM, Name: name, Version: version, Constraint: constraint, Unpinned: unpinned,
			Path: path, Line: line, Direct: true, Dev: dev, Source: source}
	}
	const gh = "github:stevemao/left-pad#5ec1f6f4e7d8b5b6a2b4c1e5d3d5e0b3f2c4a1b2"
	want := []model.Dependency{
		d(10, "@types/node", "", "^20.11.0", "", true, false),
		d(11, "express", "4.18.2", "4.18.2", "", false, false),
		d(12, "left-pad", "", gh, gh, false, false),      // git fixed to a commit
		d(13, "lodash", "", "^4.17.21", "", true, false), // alias lodash-es
		d(14, "local-utils", "", "file:../local-utils", "file:../local-utils", true, false),
		d(15, "react", "", "latest", "", true, false),
		d(16, "tiny", "", "user/tiny-lib", "user/tiny-lib", true, false),
		d(17, "ui", "", "workspace:*", "workspace:*", true, false),
		d(18, "vendored", "", "https://cdn.example.com/vendored-1.0.0.tgz", "https://cdn.example.com/vendored-1.0.0.tgz", true, false),
		d(19, "any", "", "", "", true, false),
		d(22, "typescript", "", "~5.3.0", "", true, true),
		d(23, "vitest", "", ">=1.0.0 <2", "", true, true),
		d(26, "fsevents", "2.3.3", "=2.3.3", "", false, false),
		d(29, "react", "", ">=17", "", true, false), // peerDependencies
	}
	if len(deps) != len(want) {
		t.Errorf("got %d dependencies, want %d", len(deps), len(want))
	}
	for i := range min(len(deps), len(want)) {
		if g, w := deps[i], want[i]; g.Name != w.Name || g.Version != w.Version || g.Constraint != w.Constraint || g.Unpinned != w.Unpinned ||
			g.Path != w.Path || g.Line != w.Line || g.Direct != w.Direct || g.Dev != w.Dev || g.Source != w.Source || g.Ecosystem != w.Ecosystem || g.Hashes != nil {
			t.Errorf("dependency %d:\n got  %+v\n want %+v", i, g, w)
		}
	}
	checkDiags(t, path, diags)
}

func TestParsePackageJSONDependenciesInline(t *testing.T) {
	in := `{
  "dependencies": {
    "a": 1,
    "../b": "1.0.0",
    "c": "npm:../d@1",
    "e": "git+https://user:pw@example.com/e.git#0123456789abcdef0123456789abcdef01234567",
    "f": "git+https://example.com/f.git#main",
    "g": "npm:h",
    "i": "v2.0.0"
  },
  "devDependencies": [],
  "peerDependencies": null,
  "optionalDependencies": {"j": "C:\\lib\\j"}
}
trailing`
	deps, diags, err := ParsePackageJSONDependencies("package.json", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range deps {
		got = append(got, strings.Join([]string{strconv.Itoa(d.Line), d.Name, d.Version, d.Constraint, d.Source, boolStr(d.Unpinned)}, " | "))
	}
	want := []string{
		"6 | e |  | git+https://user:xxxxx@example.com/e.git#0123456789abcdef0123456789abcdef01234567 | git+https://user:xxxxx@example.com/e.git#0123456789abcdef0123456789abcdef01234567 | pinned",
		"7 | f |  | git+https://example.com/f.git#main | git+https://example.com/f.git#main | unpinned",
		"8 | h |  |  |  | unpinned",
		"9 | i | 2.0.0 | v2.0.0 |  | pinned",
		`13 | j |  | C:\lib\j | C:\lib\j | unpinned`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	checkDiags(t, "package.json", diags,
		`line 3: dependencies entry "a" is a number, not a string; skipped`,
		`line 4: dependency: "../b" is not a valid npm package name; skipped`,
		`line 5: alias "c": "../d" is not a valid npm package name; skipped`,
		`line 11: "devDependencies" is an array, not an object; ignored`,
		`line 15: data after the top-level JSON object ignored`)
}

func boolStr(unpinned bool) string {
	if unpinned {
		return "unpinned"
	}
	return "pinned"
}

func TestParsePackageJSONDependenciesErrors(t *testing.T) {
	runErrorCases(t, ParsePackageJSONDependencies, []errorCase{
		{"empty", "", "package.json is empty"},
		{"array", "[]", "is an array, not a JSON object"},
		{"truncated", `{"dependencies": {`, "unexpected end of input"},
		{"trailing comma", "{\"dependencies\": {\"a\": \"1\"},\n}", "invalid JSON at line 2"},
	})
}
