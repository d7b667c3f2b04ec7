package gomod

import "testing"

func TestValidModulePath(t *testing.T) {
	for p, want := range map[string]bool{
		"github.com/google/uuid":   true,
		"golang.org/x/mod":         true,
		"github.com":               true,
		"k8s.io/api":               true,
		"example.com/A_b~c.d-e":    true,
		"example.com/m/v2":         true,
		"example.com/m/v2/sub":     true,
		"example.com/m/v10":        true,
		"gopkg.in/yaml.v3":         true,
		"gopkg.in/check.v1":        true,
		"gopkg.in/yaml.v0":         true,
		"gopkg.in/src-d/go-git.v4": true,
		"gopkg.in/x.v2-unstable":   true,
		"xn--bcher-kva.example/m":  true,

		"":                     false,
		"myapp":                false, // no dot: fine for a main module, not downloadable
		"nodot/m":              false,
		"Github.com/x":         false,
		"-x.com/a":             false,
		"example.com/-a":       true, // only the first element may not start with a dash
		"example_x.com/a":      false,
		"example.com:8080/a":   false,
		"/example.com/a":       false,
		"example.com/":         false,
		"example.com//a":       false,
		"example.com/.a":       false,
		"example.com/a.":       false,
		"example.com/..":       false,
		"example.com/./a":      false,
		"example.com/a b":      false,
		"example.com/a+b":      false, // import paths only
		"example.com/a@v1":     false,
		"example.com/a\\b":     false,
		"example.com/é":        false,
		"example.com/\xff":     false,
		"example.com/\x00":     false,
		"example.com/v1":       false,
		"example.com/m/v0":     false,
		"example.com/m/v02":    false,
		"example.com/m/v2.1":   false,
		"gopkg.in/yaml":        false,
		"gopkg.in/yaml.v02":    false,
		"example.com/con":      false,
		"example.com/COM1.txt": false,
		"example.com/lpt9":     false,
		"example.com/PROGRA~1": false,
		"example.com/a~":       true,
		"example.com/a~b":      true,
	} {
		if got := ValidModulePath(p); got != want {
			t.Errorf("ValidModulePath(%q) = %v, want %v (%v)", p, got, want, checkModulePath(p))
		}
	}
	// A go.mod may name modules the go command cannot download, when a
	// replacement supplies them.
	for p, want := range map[string]bool{"myapp": true, "example.com/a+b": true, "example.com/.a": true, "a b": false, "-a": false} {
		if got := checkImportPath(p) == nil; got != want {
			t.Errorf("checkImportPath(%q) ok = %v, want %v", p, got, want)
		}
	}
}

func TestCheckPathMajor(t *testing.T) {
	for _, tc := range []struct {
		v, path string
		ok      bool
	}{
		{"v1.0.0", "example.com/m", true},
		{"v0.1.0", "example.com/m", true},
		{"v2.0.0", "example.com/m", false},
		{"v2.0.0+incompatible", "example.com/m", true},
		{"v2.0.0", "example.com/m/v2", true},
		{"v3.0.0", "example.com/m/v2", false},
		{"v1.0.0", "example.com/m/v2", false},
		{"v2.0.0+incompatible", "example.com/m/v2", false},
		{"v3.0.1", "gopkg.in/yaml.v3", true},
		{"v2.0.0", "gopkg.in/yaml.v3", false},
		{"v0.0.0-20161208181325-20d25e280405", "gopkg.in/check.v1", true},
		{"v1.2.0", "gopkg.in/x.v1-unstable", true},
		{"v0.1.0", "gopkg.in/x.v0", true},
	} {
		_, major, ok := splitPathVersion(tc.path)
		if !ok {
			t.Fatalf("splitPathVersion(%q) not ok", tc.path)
		}
		if err := checkPathMajor(tc.v, major); (err == nil) != tc.ok {
			t.Errorf("checkPathMajor(%q, %q) = %v, want ok %v", tc.v, major, err, tc.ok)
		}
	}
}

func TestIsLocalPath(t *testing.T) {
	for p, want := range map[string]bool{
		".": true, "..": true, "./a": true, "../a": true, "/abs": true, `.\a`: true, `..\a`: true, `\a`: true, `C:\a`: true, "c:": true,
		"": false, "a": false, ".a": false, "..a": false, "example.com/a": false, "1:": false,
	} {
		if got := isLocalPath(p); got != want {
			t.Errorf("isLocalPath(%q) = %v, want %v", p, got, want)
		}
	}
}
