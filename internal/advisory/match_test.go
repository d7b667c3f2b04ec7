package advisory_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/airlock-sec/airlock/internal/advisory"
)

func TestSemverCompare(t *testing.T) {
	// Each version sorts strictly after the one before it (semver.org §11
	// and Go module ordering).
	order := []string{
		"0.0.0-20191109021931-daa7c04131f5",
		"v0.0.0-20220412211240-33da011f77ad",
		"0.0.0",
		"0.1.0",
		"1.0.0-0.3.7",
		"1.0.0-alpha",
		"1.0.0-alpha.1",
		"1.0.0-alpha.beta",
		"1.0.0-beta",
		"1.0.0-beta.2",
		"1.0.0-beta.11",
		"1.0.0-rc.1",
		"1.0.0",
		"v1.2.3",
		"v1.2.4-0.20210101000000-abcdef123456", // pseudo-version after v1.2.3
		"v1.2.4-pre",
		"v1.2.4-pre.0.20210101000000-abcdef123456", // pseudo-version after v1.2.4-pre
		"1.2.4",
		"2.0.0",
		"10.0.0",
		"20.10.8+incompatible",
		"20.10.9",
		"99999999999999999999.0.0", // larger than uint64
		"100000000000000000000.0.0",
	}
	s := advisory.SemverScheme{}
	for i := range order {
		for j := range order {
			c, err := s.Compare(order[i], order[j])
			if err != nil {
				t.Fatalf("Compare(%q, %q): %v", order[i], order[j], err)
			}
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if c != want {
				t.Errorf("Compare(%q, %q) = %d, want %d", order[i], order[j], c, want)
			}
		}
	}
	for _, eq := range [][2]string{
		{"1.0.0+build.1", "1.0.0+build.2"},
		{"v20.10.9+incompatible", "20.10.9"},
		{"v1.2.3", "1.2.3"},
	} {
		if c, err := s.Compare(eq[0], eq[1]); err != nil || c != 0 {
			t.Errorf("Compare(%q, %q) = %d, %v; want equal", eq[0], eq[1], c, err)
		}
	}
	for _, bad := range []string{
		"", "v", "1", "1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.03", "1.2.3-", "1.2.3-01", "1.2.3-a..b",
		"1.2.3+", "1.2.3+a..b", "1.2.3-a_b", "1.2.3+é", "-1.2.3", "1.2.x", " 1.2.3", "vv1.2.3", "0",
	} {
		if _, err := s.Compare(bad, "1.0.0"); err == nil {
			t.Errorf("Compare(%q) accepted", bad)
		}
		if _, err := s.Compare("1.0.0", bad); err == nil {
			t.Errorf("Compare(_, %q) accepted", bad)
		}
	}
}

// affectsCase is a version and the expected answer.
type affectsCase struct {
	version string
	want    bool
}

func checkAffects(t *testing.T, a *advisory.Advisory, eco, name string, norm func(string) string, cases []affectsCase) {
	t.Helper()
	for _, c := range cases {
		got, err := a.Affects(eco, name, c.version, norm)
		if err != nil {
			t.Errorf("%s: Affects(%s, %s, %s): %v", a.ID, eco, name, c.version, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s: Affects(%s, %s, %s) = %v, want %v", a.ID, eco, name, c.version, got, c.want)
		}
	}
}

func TestAffectsVersionsList(t *testing.T) {
	a := load(t, "MAL-2026-2144")
	checkAffects(t, a, "PyPI", "litellm", pep503, []affectsCase{
		{"1.82.7", true}, {"1.82.8", true}, {"1.82.6", false}, {"1.82.9", false}, {"1.82", false},
		// Equal under the registered scheme counts as listed.
		{"1.82.7.0", true},
		// Unparsable versions are simply not listed.
		{"1.82.7rc1", false}, {"", false},
	})
	checkAffects(t, a, "PyPI", "LiteLLM", pep503, []affectsCase{{"1.82.7", true}})
	checkAffects(t, a, "PyPI", "LiteLLM", nil, []affectsCase{{"1.82.7", false}})
	// Ecosystems are case-sensitive, as OSV defines them.
	checkAffects(t, a, "pypi", "litellm", pep503, []affectsCase{{"1.82.7", false}})
	checkAffects(t, a, "npm", "litellm", nil, []affectsCase{{"1.82.7", false}})
	checkAffects(t, a, "PyPI", "litellm-proxy", pep503, []affectsCase{{"1.82.7", false}})
}

func TestAffectsRanges(t *testing.T) {
	t.Run("ecosystem fixed, events out of order, multiple ranges", func(t *testing.T) {
		a := load(t, "GHSA-35jh-r3h4-6jhm")
		checkAffects(t, a, "npm", "lodash", nil, []affectsCase{
			{"0.0.1", true}, {"4.17.20", true}, {"4.17.21", false}, {"4.17.22", false}, {"4.99.0", false},
			{"5.0.0", true}, {"5.0.1", true}, {"5.0.2", false}, {"6.0.0", false},
		})
		// SEMVER range on the second package: npm's own scheme is not used.
		checkAffects(t, a, "npm", "lodash-es", nil, []affectsCase{
			{"4.17.20", true}, {"4.17.21-beta.1", true}, {"4.17.21", false},
		})
	})
	t.Run("ecosystem introduced/fixed", func(t *testing.T) {
		a := load(t, "PYSEC-2026-2")
		checkAffects(t, a, "PyPI", "litellm", pep503, []affectsCase{
			{"1.82.6", false}, {"1.82.7", true}, {"1.82.8.1", true}, {"1.82.9", false},
		})
	})
	t.Run("last_affected", func(t *testing.T) {
		a := load(t, "GHSA-92x9-889m-jgmw")
		checkAffects(t, a, "PyPI", "litellm", pep503, []affectsCase{
			{"1.82.6", false}, {"1.82.7", true}, {"1.82.8", true}, {"1.82.8.1", false}, {"1.83", false},
		})
	})
	t.Run("limit", func(t *testing.T) {
		a := mustParse(t, `{"id":"OSV-2026-10","affected":[{"package":{"ecosystem":"crates.io","name":"h2"},
			"ranges":[{"type":"SEMVER","events":[{"introduced":"1.0.0"},{"limit":"1.5.0"},{"limit":"1.3.0"}]}]}]}`)
		checkAffects(t, a, "crates.io", "h2", nil, []affectsCase{
			{"0.9.0", false}, {"1.0.0", true}, {"1.4.9", true}, {"1.5.0", false}, {"2.0.0", false},
		})
		a = mustParse(t, `{"id":"OSV-2026-11","affected":[{"package":{"ecosystem":"crates.io","name":"h2"},
			"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"limit":"*"}]}]}]}`)
		checkAffects(t, a, "crates.io", "h2", nil, []affectsCase{{"0.0.1", true}, {"999.0.0", true}})
	})
	t.Run("reintroduced", func(t *testing.T) {
		a := mustParse(t, `{"id":"OSV-2026-12","affected":[{"package":{"ecosystem":"PyPI","name":"pkg"},
			"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"2.0"},{"fixed":"1.5"},{"introduced":"1.0"},{"fixed":"2.1"}]}]}]}`)
		checkAffects(t, a, "PyPI", "pkg", nil, []affectsCase{
			{"0.9", false}, {"1.0", true}, {"1.4.9", true}, {"1.5", false}, {"1.9", false}, {"2.0", true}, {"2.1", false},
		})
	})
	t.Run("multiple ranges are or-ed", func(t *testing.T) {
		a := mustParse(t, `{"id":"OSV-2026-13","affected":[{"package":{"ecosystem":"PyPI","name":"pkg"},
			"ranges":[
				{"type":"ECOSYSTEM","events":[{"introduced":"1.0"},{"fixed":"1.1"}]},
				{"type":"GIT","repo":"https://github.com/example/pkg","events":[{"introduced":"0"},{"fixed":"0123456789abcdef0123456789abcdef01234567"}]},
				{"type":"ECOSYSTEM","events":[{"introduced":"3.0"},{"last_affected":"3.2"}]}
			]}]}`)
		checkAffects(t, a, "PyPI", "pkg", nil, []affectsCase{
			{"0.1", false}, {"1.0.5", true}, {"2.0", false}, {"3.0", true}, {"3.2", true}, {"3.2.1", false},
		})
	})
	t.Run("go pseudo-versions", func(t *testing.T) {
		a := load(t, "GO-2022-0493")
		checkAffects(t, a, "Go", "golang.org/x/sys", nil, []affectsCase{
			{"v0.0.0-20190412213103-97732733099d", true},
			{"v0.0.0-20220412211239-ffffffffffff", true},
			{"v0.0.0-20220412211240-33da011f77ad", false},
			{"v0.0.0-20220520151302-bc2c85ada10a", false},
			{"v0.1.0", false},
		})
	})
	t.Run("go +incompatible", func(t *testing.T) {
		a := load(t, "GO-2022-0390")
		checkAffects(t, a, "Go", "github.com/docker/docker", nil, []affectsCase{
			{"v1.13.1", true},
			{"v20.10.8+incompatible", true},
			{"v20.10.9+incompatible", false},
			{"v20.10.9", false},
			{"v23.0.0+incompatible", false},
		})
	})
	t.Run("go ecosystem range uses the built-in Go scheme", func(t *testing.T) {
		a := mustParse(t, `{"id":"GHSA-aaaa-bbbb-cccc","affected":[{"package":{"ecosystem":"Go","name":"example.com/m"},
			"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"1.2.0"},{"fixed":"1.2.5"}]}]}]}`)
		checkAffects(t, a, "Go", "example.com/m", nil, []affectsCase{
			{"v1.1.9", false}, {"v1.2.0", true}, {"v1.2.5-0.20240101000000-abcdefabcdef", true}, {"v1.2.5", false},
		})
	})
	t.Run("withdrawn", func(t *testing.T) {
		a := mustParse(t, `{"id":"GHSA-wwww-wwww-wwww","withdrawn":"2026-02-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"left-pad"},
			"versions":["1.3.0"],"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}]}]}`)
		checkAffects(t, a, "npm", "left-pad", nil, []affectsCase{{"1.3.0", false}, {"0.0.1", false}})
	})
	t.Run("ecosystem suffix", func(t *testing.T) {
		a := mustParse(t, `{"id":"DSA-5000-1","affected":[
			{"package":{"ecosystem":"Debian:12","name":"openssl"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"3.0.11"}]}]},
			{"package":{"ecosystem":"Debian:11","name":"openssl"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.1.1"}]}]}]}`)
		checkAffects(t, a, "Debian", "openssl", nil, []affectsCase{{"3.0.10", true}, {"1.1.0", true}, {"3.0.11", false}})
		checkAffects(t, a, "Debian:12", "openssl", nil, []affectsCase{{"3.0.10", true}, {"3.0.11", false}})
		checkAffects(t, a, "Debian:11", "openssl", nil, []affectsCase{{"1.1.0", true}, {"3.0.10", false}})
		checkAffects(t, a, "Debian:13", "openssl", nil, []affectsCase{{"1.1.0", false}})
		checkAffects(t, a, "Debian12", "openssl", nil, []affectsCase{{"1.1.0", false}})
	})
}

func TestAffectsErrors(t *testing.T) {
	a := load(t, "GHSA-35jh-r3h4-6jhm")
	// An unparsable version is an error when the answer depends on it.
	if got, err := a.Affects("npm", "lodash", "not-a-version", nil); got || err == nil {
		t.Errorf("Affects(not-a-version) = %v, %v; want false and an error", got, err)
	} else if !strings.Contains(err.Error(), `GHSA-35jh-r3h4-6jhm`) || !strings.Contains(err.Error(), `not-a-version`) {
		t.Errorf("error does not name the advisory and the version: %v", err)
	}

	// No scheme for the ecosystem: an error, unless no comparison is needed.
	a = mustParse(t, `{"id":"RUSTSEC-2026-1","affected":[{"package":{"ecosystem":"crates.io","name":"x"},
		"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.0.0"}]}]}]}`)
	if _, err := a.Affects("crates.io", "x", "0.1.0", nil); !errors.Is(err, advisory.ErrNoScheme) {
		t.Errorf("err = %v, want ErrNoScheme", err)
	}
	all := mustParse(t, `{"id":"MAL-2026-7","affected":[{"package":{"ecosystem":"RubyGems","name":"x"},
		"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}]}]}`)
	checkAffects(t, all, "RubyGems", "x", nil, []affectsCase{{"0.1.0", true}, {"anything at all", true}})

	// A broken range does not hide a match in another one.
	a = mustParse(t, `{"id":"OSV-2026-14","affected":[{"package":{"ecosystem":"PyPI","name":"pkg"},
		"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"x.y"},{"fixed":"2.0"}]},
		          {"type":"ECOSYSTEM","events":[{"introduced":"1.0"},{"fixed":"1.1"}]}]}]}`)
	checkAffects(t, a, "PyPI", "pkg", nil, []affectsCase{{"1.0.5", true}})
	if _, err := a.Affects("PyPI", "pkg", "3.0", nil); err == nil || !strings.Contains(err.Error(), "x.y") {
		t.Errorf("err = %v, want one naming the bad event", err)
	}

	// Unknown range types are skipped, not errors.
	a = mustParse(t, `{"id":"OSV-2026-15","affected":[{"package":{"ecosystem":"PyPI","name":"pkg"},
		"ranges":[{"type":"CALVER","events":[{"introduced":"0"}]}]}]}`)
	checkAffects(t, a, "PyPI", "pkg", nil, []affectsCase{{"1.0", false}})

	var nilAdv *advisory.Advisory
	if got, err := nilAdv.Affects("PyPI", "x", "1.0", nil); got || err != nil {
		t.Errorf("nil advisory: %v, %v", got, err)
	}
}

func TestRegister(t *testing.T) {
	a := mustParse(t, `{"id":"OSV-2026-16","affected":[{"package":{"ecosystem":"Hex","name":"plug"},
		"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"1.0"},{"fixed":"1.2"}]}]}]}`)
	if _, ok := advisory.SchemeFor("Hex"); ok {
		t.Fatal("Hex registered before the test")
	}
	advisory.Register("Hex", dotted{})
	defer advisory.Register("Hex", nil)
	if _, ok := advisory.SchemeFor("Hex:https://repo.hex.pm"); !ok {
		t.Error("suffixed ecosystem does not find the base scheme")
	}
	checkAffects(t, a, "Hex", "plug", nil, []affectsCase{{"1.1", true}, {"1.2", false}})
	if s, ok := advisory.SchemeFor("Go"); !ok || s != (advisory.SemverScheme{}) {
		t.Errorf("Go scheme = %v, %v", s, ok)
	}
}
