package advisory

import "testing"

func TestEcosystemSchemes(t *testing.T) {
	// the package's other tests register a simplified scheme; use the real
	// ones here and put theirs back afterwards
	for eco, s := range map[string]Scheme{"PyPI": PEP440Scheme{}, "npm": NpmScheme{}} {
		old, _ := SchemeFor(eco)
		Register(eco, s)
		defer Register(eco, old)
	}
	a, err := Parse([]byte(`{"id":"GHSA-test-pypi","modified":"2026-03-24T12:00:00Z",
	  "affected":[{"package":{"ecosystem":"PyPI","name":"litellm"},
	    "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"1.82.7"},{"fixed":"1.82.9"}]}]},
	   {"package":{"ecosystem":"npm","name":"left-pad-ng"},
	    "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"1.0.0-rc.1"},{"fixed":"1.0.1"}]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		eco, name, version string
		want               bool
	}{
		{"PyPI", "litellm", "1.82.7", true},
		{"PyPI", "litellm", "1.82.8.0", true},      // PEP 440: trailing zeros are insignificant
		{"PyPI", "litellm", "1.82.9rc1", true},     // a pre-release of the fix is still before it
		{"PyPI", "litellm", "1.82.6.post1", false}, // before introduced
		{"PyPI", "litellm", "1.82.9", false},
		{"npm", "left-pad-ng", "1.0.0", true},
		{"npm", "left-pad-ng", "1.0.0-beta.9", false}, // beta < rc
		{"npm", "left-pad-ng", "1.0.1", false},
	}
	for _, c := range cases {
		got, err := a.Affects(c.eco, c.name, c.version, nil)
		if err != nil || got != c.want {
			t.Errorf("%s %s@%s: affected %v (err %v), want %v", c.eco, c.name, c.version, got, err, c.want)
		}
	}
}
