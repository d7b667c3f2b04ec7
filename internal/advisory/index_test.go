package advisory_test

import (
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/airlock-sec/airlock/internal/advisory"
)

func ids(as []*advisory.Advisory) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.ID)
	}
	return out
}

func TestIndexMergesAliases(t *testing.T) {
	ix := advisory.NewIndex()
	ix.SetNormalizer("PyPI", pep503)
	for _, name := range []string{"MAL-2026-2144", "PYSEC-2026-2", "GHSA-92x9-889m-jgmw", "GHSA-35jh-r3h4-6jhm", "GO-2022-0493"} {
		ix.Add(load(t, name))
	}
	// An older, unrelated litellm advisory forms its own group.
	ix.Add(mustParse(t, `{"id":"PYSEC-2024-200","modified":"2024-06-01T00:00:00Z","aliases":["CVE-2024-6825"],
		"affected":[{"package":{"ecosystem":"PyPI","name":"LiteLLM"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.40.0"}]}]}]}`))
	if ix.Len() != 6 {
		t.Errorf("Len = %d", ix.Len())
	}

	got := ix.Lookup("PyPI", "litellm")
	if len(got) != 2 {
		t.Fatalf("Lookup = %q, want 2 groups", ids(got))
	}
	m := got[0]
	// The most recently modified record (the GHSA) is the primary; the
	// group is still malicious through its aliases.
	if m.ID != "GHSA-92x9-889m-jgmw" || got[1].ID != "PYSEC-2024-200" {
		t.Errorf("Lookup order = %q", ids(got))
	}
	if want := []string{"MAL-2026-2144", "PYSEC-2026-2"}; !reflect.DeepEqual(m.Aliases, want) {
		t.Errorf("aliases = %q, want %q", m.Aliases, want)
	}
	if want := []string{"GHSA-92x9-889m-jgmw", "MAL-2026-2144", "PYSEC-2026-2"}; !reflect.DeepEqual(m.AllIDs(), want) {
		t.Errorf("AllIDs = %q", m.AllIDs())
	}
	if !m.Malicious() {
		t.Error("merged group not malicious")
	}
	if want := []string{"GHSA-92x9-889m-jgmw", "MAL-2026-2144", "PYSEC-2026-2"}; !reflect.DeepEqual(ids(m.Members), want) {
		t.Errorf("members = %q, want most recently modified first %q", ids(m.Members), want)
	}
	if !m.Modified.Equal(time.Date(2026, 3, 26, 11, 2, 45, 0, time.UTC)) || !m.Published.Equal(time.Date(2026, 3, 24, 19, 41, 10, 0, time.UTC)) {
		t.Errorf("modified/published = %v / %v", m.Modified, m.Published)
	}
	if m.Summary != "LiteLLM releases 1.82.7 and 1.82.8 contain a credential stealer" || len(m.Severity) != 1 {
		t.Errorf("summary/severity = %q / %+v", m.Summary, m.Severity)
	}
	if len(m.Affected) != 3 || len(m.References) != 3 {
		t.Errorf("affected/references = %d / %d, want unions 3 / 3", len(m.Affected), len(m.References))
	}
	checkAffects(t, m, "PyPI", "litellm", pep503, []affectsCase{
		{"1.82.6", false}, {"1.82.7", true}, {"1.82.8", true}, {"1.82.9", false},
	})
	// Singletons come back as the record itself.
	if got[1] != ix.Lookup("PyPI", "LiteLLM")[1] {
		t.Error("singleton group copied or name not normalized")
	}

	// Other packages and ecosystems.
	if got := ids(ix.Lookup("npm", "lodash")); !reflect.DeepEqual(got, []string{"GHSA-35jh-r3h4-6jhm"}) {
		t.Errorf("lodash = %q", got)
	}
	if got := ids(ix.Lookup("npm", "lodash-es")); !reflect.DeepEqual(got, []string{"GHSA-35jh-r3h4-6jhm"}) {
		t.Errorf("lodash-es = %q", got)
	}
	if got := ix.Lookup("npm", "litellm"); len(got) != 0 {
		t.Errorf("npm litellm = %q", ids(got))
	}
	if got := ix.Lookup("pypi", "litellm"); len(got) != 0 {
		t.Errorf("lowercase ecosystem = %q", ids(got))
	}
	if got := ids(ix.Lookup("Go", "golang.org/x/sys")); !reflect.DeepEqual(got, []string{"GO-2022-0493"}) {
		t.Errorf("x/sys = %q", got)
	}
}

func TestIndexTransitiveAliases(t *testing.T) {
	ix := advisory.NewIndex()
	// A names B, C names B; B is not in the index: one group of A and C.
	ix.Add(mustParse(t, `{"id":"PYSEC-2026-5","modified":"2026-01-01T00:00:00Z","aliases":["CVE-2026-5"],
		"affected":[{"package":{"ecosystem":"PyPI","name":"pkg"},"versions":["1.0"]}]}`))
	ix.Add(mustParse(t, `{"id":"GHSA-cccc-cccc-cccc","modified":"2026-02-01T00:00:00Z","aliases":["CVE-2026-5"],
		"affected":[{"package":{"ecosystem":"PyPI","name":"pkg"},"versions":["2.0"]}]}`))
	got := ix.Lookup("PyPI", "pkg")
	if len(got) != 1 || got[0].ID != "GHSA-cccc-cccc-cccc" {
		t.Fatalf("Lookup = %q", ids(got))
	}
	if want := []string{"CVE-2026-5", "PYSEC-2026-5"}; !reflect.DeepEqual(got[0].Aliases, want) {
		t.Errorf("aliases = %q", got[0].Aliases)
	}
	checkAffects(t, got[0], "PyPI", "pkg", nil, []affectsCase{{"1.0", true}, {"2.0", true}, {"3.0", false}})
}

func TestIndexWithdrawn(t *testing.T) {
	ix := advisory.NewIndex()
	ix.Add(mustParse(t, `{"id":"MAL-2026-30","modified":"2026-01-02T00:00:00Z","aliases":["GHSA-dddd-dddd-dddd"],
		"affected":[{"package":{"ecosystem":"npm","name":"evil"},"versions":["1.0.0"]}]}`))
	// The GHSA was withdrawn (say, as a duplicate) and is newer: the MAL
	// record stays the primary and only its affected entries count.
	ix.Add(mustParse(t, `{"id":"GHSA-dddd-dddd-dddd","modified":"2026-01-05T00:00:00Z","withdrawn":"2026-01-05T00:00:00Z",
		"affected":[{"package":{"ecosystem":"npm","name":"evil"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}]}]}`))
	got := ix.Lookup("npm", "evil")
	if len(got) != 1 {
		t.Fatalf("Lookup = %q", ids(got))
	}
	m := got[0]
	if m.ID != "MAL-2026-30" || m.Withdrawn != nil || len(m.Affected) != 1 {
		t.Errorf("merged = %s withdrawn=%v affected=%d", m.ID, m.Withdrawn, len(m.Affected))
	}
	checkAffects(t, m, "npm", "evil", nil, []affectsCase{{"1.0.0", true}, {"2.0.0", false}})

	// Withdrawing the MAL record too withdraws the group.
	ix.Add(mustParse(t, `{"id":"MAL-2026-30","modified":"2026-01-09T00:00:00Z","withdrawn":"2026-01-08T00:00:00Z","aliases":["GHSA-dddd-dddd-dddd"],
		"affected":[{"package":{"ecosystem":"npm","name":"evil"},"versions":["1.0.0"]}]}`))
	m = ix.Lookup("npm", "evil")[0]
	if m.Withdrawn == nil || !m.Withdrawn.Equal(time.Date(2026, 1, 8, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("withdrawn = %v", m.Withdrawn)
	}
	checkAffects(t, m, "npm", "evil", nil, []affectsCase{{"1.0.0", false}})
}

func TestIndexKeepsNewestRecord(t *testing.T) {
	ix := advisory.NewIndex()
	newer := mustParse(t, `{"id":"GHSA-eeee-eeee-eeee","modified":"2026-05-01T00:00:00Z",
		"affected":[{"package":{"ecosystem":"npm","name":"a"},"versions":["2.0.0"]}]}`)
	older := mustParse(t, `{"id":"GHSA-eeee-eeee-eeee","modified":"2026-04-01T00:00:00Z","aliases":["CVE-2026-9"],
		"affected":[{"package":{"ecosystem":"npm","name":"b"},"versions":["1.0.0"]}]}`)
	ix.Add(newer)
	ix.Add(older)
	ix.Add(nil)
	ix.Add(&advisory.Advisory{})
	if ix.Len() != 1 {
		t.Errorf("Len = %d", ix.Len())
	}
	if got := ix.Lookup("npm", "a"); len(got) != 1 || got[0] != newer {
		t.Errorf("a = %q", ids(got))
	}
	if got := ix.Lookup("npm", "b"); len(got) != 0 {
		t.Errorf("b = %q (older record kept)", ids(got))
	}
}

func TestIndexEcosystemSuffix(t *testing.T) {
	ix := advisory.NewIndex()
	ix.Add(mustParse(t, `{"id":"DSA-5001-1","affected":[{"package":{"ecosystem":"Debian:12","name":"curl"},"versions":["7.88.1-10"]}]}`))
	ix.Add(mustParse(t, `{"id":"DSA-5002-1","affected":[{"package":{"ecosystem":"Debian:11","name":"curl"},"versions":["7.74.0-1.3"]}]}`))
	if got := ids(ix.Lookup("Debian", "curl")); !reflect.DeepEqual(got, []string{"DSA-5001-1", "DSA-5002-1"}) {
		t.Errorf("Debian = %q", got)
	}
	if got := ids(ix.Lookup("Debian:12", "curl")); !reflect.DeepEqual(got, []string{"DSA-5001-1"}) {
		t.Errorf("Debian:12 = %q", got)
	}
}

func TestIndexConcurrent(t *testing.T) {
	ix := advisory.NewIndex()
	ix.SetNormalizer("PyPI", pep503)
	mal, pysec := load(t, "MAL-2026-2144"), load(t, "PYSEC-2026-2")
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			if i%2 == 0 {
				ix.Add(mal)
			} else {
				ix.Add(pysec)
			}
			for range 50 {
				for _, a := range ix.Lookup("PyPI", "litellm") {
					_, _ = a.Affects("PyPI", "litellm", "1.82.7", pep503)
				}
			}
		})
	}
	wg.Wait()
	if got := ix.Lookup("PyPI", "litellm"); len(got) != 1 || len(got[0].Members) != 2 {
		t.Errorf("Lookup = %q", ids(got))
	}
}
