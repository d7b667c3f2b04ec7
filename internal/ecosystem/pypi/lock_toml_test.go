package pypi

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
)

func TestLockTOMLScanLines(t *testing.T) {
	// Headers and keys inside strings and comments are not headers or keys.
	doc := "\ufeff# comment [[package]]\r\n" + // 1
		"top = \"\"\"\n" + // 2
		"[[package]]\n" + // 3
		"name = \"fake\"\n" + // 4
		"\\\"\"\"\"\"\n" + // 5: the last two quotes belong to the string
		"lit = '''\n[[package]]'''\n" + // 6-7
		"[[ \"package\" ]]   # real\n" + // 8
		"name = \"real\"\n" // 9
	lines, err := lockTOMLScan(doc, func([]string) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	if lines.at("package", tomlIdx(0)) != 8 || lines.at("package", tomlIdx(0), "name") != 9 || lines.at("package", tomlIdx(1)) != 0 {
		t.Errorf("strings: %v", lines)
	}
	if _, err := toml.Decode(doc, new(any)); err != nil {
		t.Fatalf("the test document is not valid TOML: %v", err)
	}

	doc = "[[package]]\n" + // 1
		"name = \"a\"\n" + // 2
		"files = [\n" + // 3
		"  {file = \"x\", hash = \"sha256:1\"}, # c\n" + // 4
		"\n" + // 5
		"  { file = \"y\",\n    hash = \"z\" },\n" + // 6-7 (TOML 1.1 newline)
		"]\n" + // 8
		"[package.dependencies]\n" + // 9
		"name = \"not the package name\"\n" + // 10
		"[[package.wheels]]\n" + // 11
		"name = \"w\"\n" + // 12
		"[[ package ]]\n" + // 13
		"version = 1979-05-27 07:32:00Z\n" + // 14
		"\"name\" = \"b\\u0041\"\n" + // 15
		"[[package.wheels]]\n" + // 16
		"[[package]]\r\n" + // 17
		"deps = [[1, 2], [\n3]]\r\n" + // 18-19
		"name = 'c'\r\n" // 20
	lines, err = lockTOMLScan(doc, func([]string) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		path []string
		want int
	}{
		{[]string{"package", tomlIdx(0)}, 1},
		{[]string{"package", tomlIdx(0), "name"}, 2},
		{[]string{"package", tomlIdx(0), "files", tomlIdx(0), "hash"}, 4},
		{[]string{"package", tomlIdx(0), "files", tomlIdx(1)}, 6},
		{[]string{"package", tomlIdx(0), "files", tomlIdx(1), "hash"}, 7},
		{[]string{"package", tomlIdx(0), "dependencies", "name"}, 10},
		{[]string{"package", tomlIdx(0), "wheels", tomlIdx(0), "name"}, 12},
		{[]string{"package", tomlIdx(1)}, 13},
		{[]string{"package", tomlIdx(1), "version"}, 14},
		{[]string{"package", tomlIdx(1), "name"}, 15},
		{[]string{"package", tomlIdx(1), "wheels", tomlIdx(0)}, 16},
		{[]string{"package", tomlIdx(2), "deps", tomlIdx(1), tomlIdx(0)}, 19},
		{[]string{"package", tomlIdx(2), "name"}, 20},
	} {
		if got := lines.at(tt.path...); got != tt.want {
			t.Errorf("%q: line %d, want %d", tt.path, got, tt.want)
		}
	}
	if got := lockEntryLine(lines, "package", 1); got != 15 {
		t.Errorf("entry line %d", got)
	}
	var v map[string]any
	if _, err := toml.Decode(doc, &v); err != nil {
		t.Fatalf("the test document is not valid TOML: %v", err)
	}
	if names := []any{v["package"].([]map[string]any)[1]["name"]}; names[0] != "bA" {
		t.Errorf("decoded %v", names)
	}
}

func TestLockTOMLScanErrors(t *testing.T) {
	tests := []struct{ in, err string }{
		{"a = \"x\n", "line 1: unterminated string"},
		{"a = \"x\\\ny\"", "line 1: unterminated string"},
		{"a = '''\n\n", "line 3: unterminated multi-line string"},
		{"[a\n", "table header not closed"},
		{"[[a]\n", "table header not closed by \"]]\""},
		{"a = [1, 2\n", "unterminated array"},
		{"a = {b = 1\n", "unterminated inline table"},
		{"a = {b = 1 c = 2}", "unexpected 'c' in an inline table"},
		{"a = [1 2]", "unexpected '2' in an array"},
		{"a = 1 b = 2", "unexpected 'b' after a value"},
		{"a", "expected \"=\""},
		{"= 1", "where a key should be"},
		{"a = ", "where a value should be"},
		{"a = @", "unexpected '@' where a value should be"},
		{"\"a\\q\" = 1", "invalid escape"},
		{"a." + strings.Repeat("b.", maxTOMLKeyParts) + "c = 1", "a key is longer than"},
		{"'" + strings.Repeat("k", maxTOMLKeyBytes+1) + "' = 1", "a key is longer than"},
		{"a = " + strings.Repeat("[", maxTOMLDepth+1), "nest more than"},
		{"a = " + strings.Repeat("{b=", maxTOMLDepth+1), "nest more than"},
	}
	for _, tt := range tests {
		_, err := lockTOMLScan(tt.in, nil)
		if err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%.40q: err %v, want %q", tt.in, err, tt.err)
		}
	}
}

// TestLockTOMLWorkLimit feeds documents that make the TOML decoder slow
// (deep inline tables, long dotted keys, many keys): the scanner must
// refuse them before the decoder sees them.
func TestLockTOMLWorkLimit(t *testing.T) {
	build := func(line func(i int) string, n int) []byte {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString(line(i))
		}
		return []byte(b.String())
	}
	docs := map[string][]byte{
		"nested inline tables": build(func(i int) string {
			return "k" + strconv.Itoa(i) + " = " + strings.Repeat("{a=", 30) + "1" + strings.Repeat("}", 30) + "\n"
		}, 20000),
		"dotted keys": build(func(i int) string { return "k" + strconv.Itoa(i) + strings.Repeat(".a", 60) + " = 1\n" }, 20000),
		"many keys":   build(func(i int) string { return "k" + strconv.Itoa(i) + " = 1\n" }, 600000),
		"flat array":  append(append([]byte("a = ["), build(func(int) string { return "1," }, 9_000_000)...), ']'),
	}
	for name, doc := range docs {
		start := time.Now()
		_, _, err := ParsePoetryLock("poetry.lock", doc)
		if err == nil || !strings.Contains(err.Error(), "work limit") {
			t.Errorf("%s: err %v", name, err)
		}
		if d := time.Since(start); d > 20*time.Second {
			t.Errorf("%s: took %v", name, d)
		}
	}
}

func TestLockTOMLDecodeErrors(t *testing.T) {
	tests := []struct {
		label, in, err string
	}{
		{"truncated", "[[package]]\nname = \"a\"\nversion = \"1.0", "unterminated string"},
		{"duplicate key", "[[package]]\nname = \"a\"\nname = \"b\"\n", "has already been defined"},
		{"package is a table", "[package]\nname = \"a\"\n", "\"package\" is a table, not an array of tables"},
		{"package is a string", "package = \"a\"\n", "\"package\" is a string"},
		{"invalid UTF-8", "a = \"\xff\"\n", "not valid UTF-8"},
		{"invalid number", "a = 1__2\n", "toml"},
		{"oversized", string(make([]byte, MaxLockfileSize+1)), "limit"},
	}
	parsers := map[string]func(string, []byte) error{
		"poetry": func(p string, b []byte) error { _, _, err := ParsePoetryLock(p, b); return err },
		"uv":     func(p string, b []byte) error { _, _, err := ParseUvLock(p, b); return err },
		"pdm":    func(p string, b []byte) error { _, _, err := ParsePdmLock(p, b); return err },
	}
	for _, tt := range tests {
		for pname, parse := range parsers {
			err := parse("x", []byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s %s: err %v, want %q", pname, tt.label, err, tt.err)
			}
		}
	}
	for _, in := range []string{"[[packages]]\nname = \"a\"\nversion = ", "packages = {}"} {
		if _, _, err := ParsePylock("pylock.toml", []byte(in)); err == nil {
			t.Errorf("pylock %q: no error", in)
		}
	}
	if _, _, err := ParsePyprojectDependencies("pyproject.toml", []byte("[project\n")); err == nil {
		t.Error("pyproject: no error")
	}
}
