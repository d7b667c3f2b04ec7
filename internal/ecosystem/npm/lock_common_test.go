package npm

import (
	"strings"
	"testing"
)

func TestClassifyResolved(t *testing.T) {
	tests := []struct {
		name, version, url string
		source             string
		foreign            bool
	}{
		{"a", "1.0.0", "", "", false},
		{"a", "1.0.0", "https://registry.npm.example/a/-/a-1.0.0.tgz", "", false},
		{"a", "1.0.0", "https://REGISTRY.npm.example/a/-/a-1.0.0.tgz", "", false},
		{"@s/a", "1.0.0", "https://registry.yarn.example/@s/a/-/a-1.0.0.tgz#0123", "", false},
		{"@s/a", "1.0.0", "https://registry.npm.example/@s%2fa/-/a-1.0.0.tgz", "", false},
		{"a", "1.0.0", "https://registry.npm.example/a/-/a-1.0.1.tgz", "https://registry.npm.example/a/-/a-1.0.1.tgz", true},
		{"a", "1.0.0", "https://registry.npm.example/a/-/a-1.0.0.tgz?x=1", "https://registry.npm.example/a/-/a-1.0.0.tgz?x=1", true},
		{"a", "1.0.0", "https://registry.npm.example:8443/a/-/a-1.0.0.tgz", "https://registry.npm.example:8443/a/-/a-1.0.0.tgz", false},
		{"a", "1.0.0", "https://registry.npm.example.evil.com/a/-/a-1.0.0.tgz", "https://registry.npm.example.evil.com/a/-/a-1.0.0.tgz", false},
		{"a", "1.0.0", "http://registry.npm.example/a/-/a-1.0.0.tgz", "http://registry.npm.example/a/-/a-1.0.0.tgz", false},
		{"a", "1.0.0", "https://tok@npm.corp/a/-/a-1.0.0.tgz", "https://xxxxx@npm.corp/a/-/a-1.0.0.tgz", false},
		{"a", "1.0.0", "https://u:p@npm.corp/a.tgz", "https://u:xxxxx@npm.corp/a.tgz", false},
		{"a", "1.0.0", "git+ssh://git@github.com/u/a.git#abc", "git+ssh://git@github.com/u/a.git#abc", false},
		{"a", "1.0.0", "file:../a-1.0.0.tgz", "file:../a-1.0.0.tgz", false},
	}
	for _, tt := range tests {
		src, foreign := classifyResolved(tt.name, tt.version, tt.url)
		if src != tt.source || foreign != tt.foreign {
			t.Errorf("classifyResolved(%q, %q, %q) = %q, %v; want %q, %v", tt.name, tt.version, tt.url, src, foreign, tt.source, tt.foreign)
		}
	}
}

func TestIsNonRegistrySpec(t *testing.T) {
	for spec, want := range map[string]bool{
		"^1.0.0": false, "1.2.3": false, "latest": false, "": false, "*": false, ">=1 <2": false, "1.x || 2.x": false,
		"user/repo": true, "user/repo#v1": true, "github:u/r": true, "git+ssh://git@h/r.git": true, "git://h/r": true,
		"https://h/x.tgz": true, "file:x": true, "link:../x": true, "workspace:*": true, "portal:../x": true,
		"./x": true, "../x": true, "/abs": true, "~/x": true, ".": true, `C:\x`: true, "@scope/name": false,
	} {
		if got := isNonRegistrySpec(spec); got != want {
			t.Errorf("isNonRegistrySpec(%q) = %v, want %v", spec, got, want)
		}
	}
}

func TestSha1FromFragment(t *testing.T) {
	const hex = "5d128515df134ff327e90a4c93f4e077a536341f"
	for in, want := range map[string]string{
		"https://registry.yarn.example/debug/-/debug-2.6.9.tgz#" + hex: "sha1-XRKFFd8TT/Mn6QpMk/Tgd6U2NB8=",
		"git+https://github.com/u/r.git#" + hex:                        "", // a commit, not a content hash
		"https://h/x.tgz#abc":                                          "",
		"https://h/x.tgz#" + strings.Repeat("z", 40):                   "",
		"https://h/x.tgz":                                              "",
	} {
		if got := sha1FromFragment(in); got != want {
			t.Errorf("sha1FromFragment(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLineCounter(t *testing.T) {
	c := newLineCounter([]byte("a\nb\n\nc"))
	for _, q := range []struct{ off, line int }{{0, 1}, {2, 2}, {5, 4}, {1, 1}, {100, 4}, {-1, 1}, {4, 3}} {
		if got := c.at(q.off); got != q.line {
			t.Errorf("at(%d) = %d, want %d", q.off, got, q.line)
		}
	}
}

func TestLockDiagnosticsCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"packages":{`)
	for i := 0; i < maxLockDiagnostics+50; i++ {
		b.WriteString(`"node_modules/a":1,`)
	}
	b.WriteString(`"node_modules/b":{"version":"1.0.0"}}}`)
	deps, diags, err := ParsePackageLock("p", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(deps) != 1 || deps[0].Name != "b" {
		t.Errorf("deps = %v", deps)
	}
	if len(diags) != maxLockDiagnostics+1 || diags[len(diags)-1].Message != "50 more problems not listed" {
		t.Errorf("%d diagnostics, last %q", len(diags), diags[len(diags)-1].Message)
	}
}
