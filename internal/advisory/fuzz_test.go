package advisory_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/airlock-sec/airlock/internal/advisory"
)

// FuzzParse: any input parses or fails with an error, never a panic, and
// whatever parses can be matched and indexed.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		``, `null`, `{}`, `[]`, `{"id":""}`, `{"id":"X-1","modified":"2026-01-01T00:00:00Z"}`,
		`{"id":"X-1","affected":[{"package":{"ecosystem":"PyPI","name":"a"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"limit":"*"}]}]}]}`,
		`{"id":"X-1","affected":[{"package":{"ecosystem":"Go","name":"m"},"ranges":[{"type":"SEMVER","events":[{"fixed":"v1.0.0+incompatible"},{"introduced":"0.0.0-2020-x"}]}]}]}`,
		`{"id":"X-1","affected":[{"ranges":[{"type":"SEMVER","events":[{"introduced":"0","fixed":"1"}]}]}]}`,
		`{"id":"X-1","withdrawn":"2026-01-01","aliases":["MAL-1","X-1",""],"affected":[{"package":{"ecosystem":"Debian:12","name":"a"},"versions":["1"]}]}`,
		`{"id":"X-1","severity":[{"type":1}]}`,
		`{"id":"X-1"`, `{"id":"X-1"}}`, "\xff\xfe",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := advisory.Parse(data)
		if err != nil {
			if a != nil {
				t.Fatal("advisory returned with an error")
			}
			return
		}
		if a.ID == "" {
			t.Fatal("parsed advisory without an ID")
		}
		ids := a.AllIDs()
		for i := 1; i < len(ids); i++ {
			if ids[i-1] >= ids[i] {
				t.Fatalf("AllIDs not sorted and unique: %q", ids)
			}
		}
		_ = a.Malicious()
		ix := advisory.NewIndex()
		ix.SetNormalizer("PyPI", pep503)
		ix.Add(a)
		for _, af := range a.Affected {
			versions := append([]string{"0", "1.0.0", "v1.2.3", "1.82.7", ""}, af.Versions...)
			for _, r := range af.Ranges {
				for _, e := range r.Events {
					versions = append(versions, e.Version)
				}
			}
			for _, v := range versions {
				ok, err := a.Affects(af.Package.Ecosystem, af.Package.Name, v, pep503)
				if ok && err != nil {
					t.Fatalf("Affects(%q) = true with error %v", v, err)
				}
				if ok && a.Withdrawn != nil {
					t.Fatal("withdrawn advisory affects")
				}
			}
			if af.Package.Ecosystem != "" && af.Package.Name != "" {
				name := af.Package.Name
				if strings.SplitN(af.Package.Ecosystem, ":", 2)[0] == "PyPI" {
					name = pep503(name)
				}
				found := false
				for _, m := range ix.Lookup(af.Package.Ecosystem, name) {
					found = found || m == a
				}
				if !found {
					t.Fatalf("Lookup(%q, %q) does not find the advisory", af.Package.Ecosystem, name)
				}
			}
		}
	})
}

// FuzzAffects checks range evaluation against a direct statement of the
// OSV algorithm for one introduced/fixed-or-last_affected pair, and the
// SemVer ordering for antisymmetry, under both SEMVER and an ECOSYSTEM
// range with the test scheme.
func FuzzAffects(f *testing.F) {
	for _, s := range [][5]string{
		{"0", "1.0.2", "", "1.0.1", "SEMVER"},
		{"1.0.0", "", "1.5.0", "1.5.0", "SEMVER"},
		{"1.0.0", "2.0.0", "", "1.0.0-rc.1", "SEMVER"},
		{"0", "0.0.0-20220412211240-33da011f77ad", "", "v0.0.0-20190412213103-97732733099d", "SEMVER"},
		{"0", "20.10.9+incompatible", "", "v20.10.8+incompatible", "SEMVER"},
		{"2.0", "1.0", "", "1.5", "ECOSYSTEM"},
		{"1.82.7", "", "1.82.8", "1.82.8.0", "ECOSYSTEM"},
		{"0", "", "", "garbage", "ECOSYSTEM"},
		{"1.0.0", "1.0.0", "", "1.0.0", "SEMVER"},
		{"x", "y", "", "z", "SEMVER"},
	} {
		f.Add(s[0], s[1], s[2], s[3], s[4])
	}
	f.Fuzz(func(t *testing.T, introduced, fixed, lastAffected, version, typ string) {
		var s advisory.Scheme = advisory.SemverScheme{}
		rt := advisory.RangeSemver
		if typ == "ECOSYSTEM" {
			s, rt = dotted{}, advisory.RangeEcosystem
		}
		events := []advisory.Event{{Kind: advisory.Introduced, Version: introduced}}
		end := fixed
		kind := advisory.Fixed
		if end == "" && lastAffected != "" {
			end, kind = lastAffected, advisory.LastAffected
		}
		if end != "" {
			events = append(events, advisory.Event{Kind: kind, Version: end})
		}
		a := &advisory.Advisory{ID: "FUZZ-1", Affected: []advisory.Affected{{
			Package: advisory.Package{Ecosystem: "PyPI", Name: "pkg"},
			Ranges:  []advisory.Range{{Type: rt, Events: events}},
		}}}
		got, err := a.Affects("PyPI", "pkg", version, nil)
		if got && err != nil {
			t.Fatalf("true with error %v", err)
		}

		// SemVer ordering is antisymmetric and reflexive.
		if typ != "ECOSYSTEM" {
			if c1, err1 := s.Compare(version, end); err1 == nil {
				c2, err2 := s.Compare(end, version)
				if err2 != nil || c1 != -c2 {
					t.Fatalf("Compare(%q,%q)=%d but reverse=%d,%v", version, end, c1, c2, err2)
				}
				if c, err := s.Compare(version, version); err != nil || c != 0 {
					t.Fatalf("Compare(%q,itself)=%d,%v", version, c, err)
				}
			}
		}

		// The OSV algorithm for these events, stated directly.
		cmp := func(x, y string) (int, bool) {
			c, err := s.Compare(x, y)
			return c, err == nil
		}
		geIntro := true
		if introduced != "0" {
			c, ok := cmp(version, introduced)
			if !ok {
				return
			}
			geIntro = c >= 0
		}
		want := geIntro
		if end != "" {
			cv, ok1 := cmp(version, end)
			ci := -1 // "0" sorts first
			ok2 := true
			if introduced != "0" {
				ci, ok2 = cmp(introduced, end)
			}
			if !ok1 || !ok2 {
				return
			}
			if ci <= 0 { // introduced first (stable on a tie): the end event decides last
				if kind == advisory.Fixed && cv >= 0 || kind == advisory.LastAffected && cv > 0 {
					want = false
				}
			}
			// End event first: introduced alone decides.
		}
		if err != nil {
			t.Fatalf("Affects(%q) in [%q, %s %q]: %v", version, introduced, kind, end, err)
		}
		if got != want {
			t.Fatalf("Affects(%q) in [%q, %s %q] (%s) = %v, want %v", version, introduced, kind, end, typ, got, want)
		}
	})
}
