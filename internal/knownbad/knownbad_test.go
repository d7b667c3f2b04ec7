package knownbad

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/airlock-sec/airlock/internal/advisory"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/store"
)

// records are OSV documents exercising each matching rule.
var records = []string{
	// a malicious-package report with an explicit versions list
	`{"id":"MAL-2026-2144","modified":"2026-03-24T12:00:00Z","summary":"Malicious code in litellm (PyPI)",
	  "affected":[{"package":{"ecosystem":"PyPI","name":"litellm"},"versions":["1.82.7","1.82.8"]}]}`,
	// the same incident as a GHSA aliasing the MAL record: one group
	`{"id":"GHSA-aaaa-bbbb-cccc","modified":"2026-03-25T00:00:00Z","aliases":["MAL-2026-2144"],"summary":"litellm compromised",
	  "affected":[{"package":{"ecosystem":"PyPI","name":"LiteLLM"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"1.82.7"},{"fixed":"1.82.9"}]}]}]}`,
	// PYSEC + GHSA pair for a vulnerability, PEP 440 ranges with pre/post/local
	`{"id":"PYSEC-2025-10","modified":"2025-01-01T00:00:00Z","aliases":["GHSA-xxxx-yyyy-zzzz","CVE-2025-0001"],
	  "affected":[{"package":{"ecosystem":"PyPI","name":"Some_Pkg"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"2.0.0rc1"}]}]}]}`,
	`{"id":"GHSA-xxxx-yyyy-zzzz","modified":"2025-01-02T00:00:00Z","aliases":["CVE-2025-0001"],
	  "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
	  "affected":[{"package":{"ecosystem":"PyPI","name":"some-pkg"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"2.0.0rc1"}]}]}]}`,
	// withdrawn: matches nothing
	`{"id":"GHSA-wwww-wwww-wwww","modified":"2025-02-01T00:00:00Z","withdrawn":"2025-02-02T00:00:00Z",
	  "affected":[{"package":{"ecosystem":"PyPI","name":"some-pkg"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}]}]}`,
	// npm with prereleases and last_affected
	`{"id":"GHSA-npmm-npmm-npmm","modified":"2025-03-01T00:00:00Z","database_specific":{"severity":"HIGH"},
	  "affected":[{"package":{"ecosystem":"npm","name":"@scope/lib"},"ranges":[{"type":"SEMVER","events":[{"introduced":"1.0.0-beta.2"},{"last_affected":"1.4.0"}]}]}]}`,
	// Go: pseudo-versions and +incompatible
	`{"id":"GO-2025-0001","modified":"2025-04-01T00:00:00Z",
	  "affected":[{"package":{"ecosystem":"Go","name":"example.com/mod"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.2.3"}]}]},
	              {"package":{"ecosystem":"Go","name":"example.com/old"},"ranges":[{"type":"SEMVER","events":[{"introduced":"2.0.0+incompatible"},{"fixed":"2.5.0+incompatible"}]}]}]}`,
	// a withdrawn MAL- record aliased by a live GHSA: the GHSA alone counts
	`{"id":"MAL-2023-9","modified":"2023-01-01T00:00:00Z","withdrawn":"2023-02-01T00:00:00Z",
	  "affected":[{"package":{"ecosystem":"npm","name":"wd"},"versions":["1.0.0"]}]}`,
	`{"id":"GHSA-wdwd-wdwd-wdwd","modified":"2023-03-01T00:00:00Z","aliases":["MAL-2023-9"],
	  "affected":[{"package":{"ecosystem":"npm","name":"wd"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"2.0.0"}]}]}]}`,
	// a sibling whose versions exclude the pin lends it no ID
	`{"id":"PYSEC-2025-99","modified":"2025-06-01T00:00:00Z","aliases":["GHSA-sibl-sibl-sibl"],
	  "affected":[{"package":{"ecosystem":"PyPI","name":"sib"},"versions":["3.0"]}]}`,
	`{"id":"GHSA-sibl-sibl-sibl","modified":"2025-06-02T00:00:00Z",
	  "affected":[{"package":{"ecosystem":"PyPI","name":"sib"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"4.0"}]}]}]}`,
	// another ecosystem: not stored
	`{"id":"RUSTSEC-2025-0001","modified":"2025-04-01T00:00:00Z","affected":[{"package":{"ecosystem":"crates.io","name":"x"},"versions":["1.0.0"]}]}`,
}

func openStore(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "airlock.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	im, err := st.BeginImport(ctx, "test")
	if err != nil {
		t.Fatal(err)
	}
	stored := 0
	for _, r := range records {
		a, err := advisory.Parse([]byte(r))
		if err != nil {
			t.Fatal(err)
		}
		keys := RecordKeys(a)
		if len(keys) == 0 {
			continue
		}
		stored++
		if _, err := im.Put(ctx, store.AdvisoryRecord{ID: a.ID, Modified: a.Modified, Withdrawn: a.Withdrawn != nil, Malicious: a.Malicious(), Aliases: a.Aliases, Packages: keys, JSON: []byte(r)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := im.Commit(ctx, store.SourceStatus{Source: "test", Records: stored}); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestMatch(t *testing.T) {
	st := openStore(t)
	m := New(st)
	cases := []struct {
		pkg       model.Package
		want      []string // primary IDs
		malicious bool
		sev       model.Severity
	}{
		{model.Package{Ecosystem: model.PyPI, Name: "litellm", Version: "1.82.8"}, []string{"MAL-2026-2144"}, true, model.Critical},
		{model.Package{Ecosystem: model.PyPI, Name: "LiteLLM", Version: "1.82.7"}, []string{"MAL-2026-2144"}, true, model.Critical},
		{model.Package{Ecosystem: model.PyPI, Name: "litellm", Version: "1.82.07"}, []string{"MAL-2026-2144"}, true, model.Critical}, // PEP 440 equality
		{model.Package{Ecosystem: model.PyPI, Name: "litellm", Version: "1.82.6"}, nil, false, 0},
		{model.Package{Ecosystem: model.PyPI, Name: "litellm", Version: "1.82.9"}, nil, false, 0},
		{model.Package{Ecosystem: model.PyPI, Name: "some.pkg", Version: "1.9.post1"}, []string{"GHSA-xxxx-yyyy-zzzz"}, false, model.Critical},
		{model.Package{Ecosystem: model.PyPI, Name: "some-pkg", Version: "2.0.0b9"}, []string{"GHSA-xxxx-yyyy-zzzz"}, false, model.Critical},
		{model.Package{Ecosystem: model.PyPI, Name: "some-pkg", Version: "2.0.0rc1"}, nil, false, 0},
		{model.Package{Ecosystem: model.PyPI, Name: "some-pkg", Version: "1!0.1"}, nil, false, 0}, // epoch 1 sorts after 2.0
		{model.Package{Ecosystem: model.PyPI, Name: "some-pkg", Version: "1.0+local.7"}, []string{"GHSA-xxxx-yyyy-zzzz"}, false, model.Critical},
		{model.Package{Ecosystem: model.NPM, Name: "@scope/lib", Version: "1.0.0-beta.1"}, nil, false, 0},
		{model.Package{Ecosystem: model.NPM, Name: "@scope/lib", Version: "1.0.0-beta.10"}, []string{"GHSA-npmm-npmm-npmm"}, false, model.High},
		{model.Package{Ecosystem: model.NPM, Name: "@scope/lib", Version: "1.4.0"}, []string{"GHSA-npmm-npmm-npmm"}, false, model.High},
		{model.Package{Ecosystem: model.NPM, Name: "@scope/lib", Version: "1.4.1"}, nil, false, 0},
		{model.Package{Ecosystem: model.Go, Name: "example.com/mod", Version: "v0.0.0-20240101000000-abcdefabcdef"}, []string{"GO-2025-0001"}, false, model.Medium},
		{model.Package{Ecosystem: model.Go, Name: "example.com/mod", Version: "v1.2.3"}, nil, false, 0},
		{model.Package{Ecosystem: model.Go, Name: "example.com/old", Version: "v2.1.0+incompatible"}, []string{"GO-2025-0001"}, false, model.Medium},
		{model.Package{Ecosystem: model.Go, Name: "example.com/old", Version: "v2.5.0+incompatible"}, nil, false, 0},
		{model.Package{Ecosystem: model.NPM, Name: "wd", Version: "1.0.0"}, []string{"GHSA-wdwd-wdwd-wdwd"}, false, model.Medium},
		{model.Package{Ecosystem: model.PyPI, Name: "sib", Version: "2.0"}, []string{"GHSA-sibl-sibl-sibl"}, false, model.Medium},
	}
	var pkgs []model.Package
	for _, c := range cases {
		pkgs = append(pkgs, c.pkg)
	}
	got, _, err := m.Match(context.Background(), pkgs)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		var ids []string
		for _, k := range got[i] {
			ids = append(ids, k.Ref.ID)
			if k.Malicious != c.malicious || k.Severity != c.sev {
				t.Errorf("%s: %s malicious=%v severity=%s, want %v %s", c.pkg.ID(), k.Ref.ID, k.Malicious, k.Severity, c.malicious, c.sev)
			}
		}
		if !slices.Equal(ids, c.want) {
			t.Errorf("%s: matched %v, want %v", c.pkg.ID(), ids, c.want)
		}
	}
	// the alias group is one finding naming every ID
	if k := got[0][0]; !slices.Contains(k.Ref.Aliases, "GHSA-aaaa-bbbb-cccc") || len(k.Ref.Fixed) != 1 || k.Ref.Fixed[0] != "1.82.9" {
		t.Errorf("litellm ref = %+v", k.Ref)
	}
	if k := got[5][0]; !slices.Equal(k.Ref.Aliases, []string{"CVE-2025-0001", "PYSEC-2025-10"}) || k.Ref.CVSS == "" {
		t.Errorf("some-pkg ref = %+v", k.Ref)
	}
	if k := got[len(got)-1][0]; len(k.Ref.Aliases) != 0 {
		t.Errorf("sib: a sibling that does not affect 2.0 lent its ID: %+v", k.Ref)
	}
}

func TestRecordKeys(t *testing.T) {
	a, _ := advisory.Parse([]byte(records[1]))
	if k := RecordKeys(a); len(k) != 1 || k[0] != (store.PackageKey{Ecosystem: "PyPI", Name: "litellm"}) {
		t.Errorf("keys %v", k)
	}
	b, _ := advisory.Parse([]byte(records[len(records)-1]))
	if k := RecordKeys(b); len(k) != 0 {
		t.Errorf("crates.io keys %v", k)
	}
}
