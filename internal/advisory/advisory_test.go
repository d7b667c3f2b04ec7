package advisory_test

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/airlock-sec/airlock/internal/advisory"
)

func TestParseMAL(t *testing.T) {
	a := load(t, "MAL-2026-2144")
	if a.ID != "MAL-2026-2144" || a.SchemaVersion != "1.6.0" {
		t.Errorf("id/schema = %q/%q", a.ID, a.SchemaVersion)
	}
	if want := time.Date(2026, 3, 25, 8, 14, 2, 0, time.UTC); !a.Modified.Equal(want) {
		t.Errorf("modified = %v, want %v", a.Modified, want)
	}
	if want := time.Date(2026, 3, 24, 19, 41, 10, 0, time.UTC); !a.Published.Equal(want) {
		t.Errorf("published = %v, want %v", a.Published, want)
	}
	if a.Withdrawn != nil {
		t.Errorf("withdrawn = %v", a.Withdrawn)
	}
	if !a.Malicious() {
		t.Error("not malicious")
	}
	if got, want := a.AllIDs(), []string{"GHSA-92x9-889m-jgmw", "MAL-2026-2144", "PYSEC-2026-2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("AllIDs = %q, want %q", got, want)
	}
	if len(a.Affected) != 1 {
		t.Fatalf("affected = %d entries", len(a.Affected))
	}
	af := a.Affected[0]
	if af.Package != (advisory.Package{Ecosystem: "PyPI", Name: "litellm", Purl: "pkg:pypi/litellm"}) {
		t.Errorf("package = %+v", af.Package)
	}
	if !reflect.DeepEqual(af.Versions, []string{"1.82.7", "1.82.8"}) {
		t.Errorf("versions = %q", af.Versions)
	}
	if !bytes.Contains(af.DatabaseSpecific, []byte("ossf-package-analysis")) || !bytes.Contains(a.DatabaseSpecific, []byte("pypi/litellm/1.82.7")) {
		t.Error("database_specific not kept")
	}
	if len(a.Credits) != 1 || a.Credits[0].Type != "FINDER" || len(a.References) != 1 {
		t.Errorf("credits/references = %+v / %+v", a.Credits, a.References)
	}
}

func TestParseGHSA(t *testing.T) {
	a := load(t, "GHSA-35jh-r3h4-6jhm")
	if a.Malicious() {
		t.Error("GHSA reported malicious")
	}
	if len(a.Severity) != 1 || a.Severity[0].Type != "CVSS_V3" || !strings.HasPrefix(a.Severity[0].Score, "CVSS:3.1/") {
		t.Errorf("severity = %+v", a.Severity)
	}
	r := a.Affected[0].Ranges[1]
	want := []advisory.Event{{Kind: advisory.Fixed, Version: "5.0.2"}, {Kind: advisory.Introduced, Version: "5.0.0"}}
	if r.Type != advisory.RangeEcosystem || !reflect.DeepEqual(r.Events, want) {
		t.Errorf("range = %+v", r)
	}
	if a.Affected[1].Ranges[0].Type != advisory.RangeSemver {
		t.Errorf("lodash-es range type = %q", a.Affected[1].Ranges[0].Type)
	}
}

func TestParseFractionalAndLenientTimes(t *testing.T) {
	a := load(t, "PYSEC-2026-2")
	if want := time.Date(2026, 3, 24, 22, 30, 0, 123456000, time.UTC); !a.Modified.Equal(want) {
		t.Errorf("modified = %v", a.Modified)
	}
	a = mustParse(t, `{"id":"X-1","modified":"2024-01-02T03:04:05","published":"2024-01-01","withdrawn":"2024-02-01T00:00:00+02:00"}`)
	if a.Modified != time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC) || a.Published != time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC) {
		t.Errorf("times = %v %v", a.Modified, a.Published)
	}
	if a.Withdrawn == nil || !a.Withdrawn.Equal(time.Date(2024, 1, 31, 22, 0, 0, 0, time.UTC)) {
		t.Errorf("withdrawn = %v", a.Withdrawn)
	}
}

func TestParseIgnoresUnknownFields(t *testing.T) {
	a := mustParse(t, `{"id":"OSV-2026-1","future_field":{"x":[1,2]},"affected":[{"package":{"ecosystem":"PyPI","name":"x","extra":1},
		"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}],"extra":true}],"new":null}],"upstream":["CVE-2026-1"]}`)
	if a.ID != "OSV-2026-1" || len(a.Affected) != 1 || len(a.Upstream) != 1 {
		t.Errorf("parsed %+v", a)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"empty", "", "empty input"},
		{"spaces", " \n\t", "empty input"},
		{"truncated", `{"id": "GHSA-1"`, "invalid JSON"},
		{"syntax", `{"id": "GHSA-1",}`, "invalid JSON at byte"},
		{"trailing", `{"id": "GHSA-1"} {}`, "invalid JSON"},
		{"array", `[]`, "expected a JSON object"},
		{"string", `"GHSA-1"`, "expected a JSON object"},
		{"null", `null`, `field "id": required`},
		{"missing id", `{"modified": "2026-01-01T00:00:00Z"}`, `field "id": required`},
		{"blank id", `{"id": "  "}`, `field "id": required`},
		{"id with space", `{"id": "GHSA 1"}`, `field "id": "GHSA 1" contains spaces`},
		{"id number", `{"id": 5}`, `field "id": expected a string, got JSON number`},
		{"aliases string", `{"id": "X-1", "aliases": "GHSA-1"}`, `field "aliases": expected an array`},
		{"versions numbers", `{"id": "X-1", "affected": [{"versions": [1]}]}`, `field "affected.versions": expected a string`},
		{"package array", `{"id": "X-1", "affected": [{"package": []}]}`, `field "affected.package": expected an object`},
		{"bad modified", `{"id": "X-1", "modified": "yesterday"}`, `osv advisory "X-1": field "modified": "yesterday" is not an RFC 3339 timestamp`},
		{"bad published", `{"id": "X-1", "published": "2026-13-01T00:00:00Z"}`, `field "published"`},
		{"bad withdrawn", `{"id": "X-1", "withdrawn": "soon"}`, `field "withdrawn"`},
		{"range without type", `{"id": "X-1", "affected": [{"ranges": [{"events": [{"introduced": "0"}]}]}]}`,
			`field "affected[0].ranges[0].type": required`},
		{"event two kinds", `{"id": "X-1", "affected": [{}, {"ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"introduced": "1.0.0", "fixed": "1.0.2"}]}]}]}`,
			`field "affected[1].ranges[0].events[1]": has more than one`},
		{"event empty", `{"id": "X-1", "affected": [{"ranges": [{"type": "SEMVER", "events": [{}]}]}]}`,
			`field "affected[0].ranges[0].events[0]": needs one of`},
		{"event unknown kind", `{"id": "X-1", "affected": [{"ranges": [{"type": "SEMVER", "events": [{"introducd": "0"}]}]}]}`,
			`events[0]": needs one of`},
		{"event empty version", `{"id": "X-1", "affected": [{"ranges": [{"type": "SEMVER", "events": [{"fixed": ""}]}]}]}`,
			`events[0]": fixed: empty version`},
		{"event number", `{"id": "X-1", "affected": [{"ranges": [{"type": "SEMVER", "events": [{"fixed": 1}]}]}]}`,
			`field "affected.ranges.events.fixed": expected a string`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := advisory.Parse([]byte(tc.in))
			if err == nil {
				t.Fatalf("no error, got %+v", a)
			}
			if a != nil {
				t.Errorf("advisory returned with error")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q\nwant it to contain %q", err, tc.want)
			}
		})
	}
}

func TestParseTooLarge(t *testing.T) {
	big := make([]byte, advisory.MaxSize+1)
	copy(big, `{"id":"X-1","details":"`)
	for i := 23; i < len(big)-2; i++ {
		big[i] = 'a'
	}
	copy(big[len(big)-2:], `"}`)
	if _, err := advisory.Parse(big); !errors.Is(err, advisory.ErrTooLarge) {
		t.Errorf("Parse: err = %v, want ErrTooLarge", err)
	}
	if _, err := advisory.Read(bytes.NewReader(big)); !errors.Is(err, advisory.ErrTooLarge) {
		t.Errorf("Read: err = %v, want ErrTooLarge", err)
	}
	if a, err := advisory.Read(strings.NewReader(`{"id":"X-1"}`)); err != nil || a.ID != "X-1" {
		t.Errorf("Read small = %v, %v", a, err)
	}
}

func TestMaliciousAndAllIDs(t *testing.T) {
	for _, tc := range []struct {
		js   string
		mal  bool
		want []string
	}{
		{`{"id":"MAL-2026-1"}`, true, []string{"MAL-2026-1"}},
		{`{"id":"GHSA-aaaa-bbbb-cccc","aliases":["MAL-2026-1","CVE-2026-1","MAL-2026-1",""]}`, true,
			[]string{"CVE-2026-1", "GHSA-aaaa-bbbb-cccc", "MAL-2026-1"}},
		{`{"id":"PYSEC-2026-3","aliases":["GHSA-aaaa-bbbb-cccc","PYSEC-2026-3"],"related":["MAL-2026-9"]}`, false,
			[]string{"GHSA-aaaa-bbbb-cccc", "PYSEC-2026-3"}},
		{`{"id":"MALWARE-1"}`, false, []string{"MALWARE-1"}},
	} {
		a := mustParse(t, tc.js)
		if a.Malicious() != tc.mal {
			t.Errorf("%s: Malicious = %v", tc.js, !tc.mal)
		}
		if got := a.AllIDs(); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: AllIDs = %q, want %q", tc.js, got, tc.want)
		}
	}
	var nilAdv *advisory.Advisory
	if nilAdv.Malicious() || nilAdv.AllIDs() != nil {
		t.Error("nil advisory")
	}
}
