package advisory

import "testing"

func TestCVSS3Score(t *testing.T) {
	// expected scores from the FIRST CVSS v3.1 calculator
	cases := []struct {
		v    string
		want float64
	}{
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1},
		{"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8},
		{"CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", 5.9},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5},
		{"CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.6},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0},
		{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4},
	}
	for _, c := range cases {
		got, err := CVSS3Score(c.v)
		if err != nil || got != c.want {
			t.Errorf("CVSS3Score(%q) = %v, %v; want %v", c.v, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.1/AV:N", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:Q/C:H/I:H/A:H"} {
		if _, err := CVSS3Score(bad); err == nil {
			t.Errorf("CVSS3Score(%q): want an error", bad)
		}
	}
}

func TestSeverityLabel(t *testing.T) {
	a, err := Parse([]byte(`{"id":"GHSA-aaaa-bbbb-cccc","modified":"2026-01-01T00:00:00Z","severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if l, v := a.SeverityLabel(); l != "critical" || v == "" {
		t.Errorf("label %q vector %q", l, v)
	}
	b, _ := Parse([]byte(`{"id":"GHSA-aaaa-bbbb-dddd","modified":"2026-01-01T00:00:00Z","database_specific":{"severity":"MODERATE"}}`))
	if l, _ := b.SeverityLabel(); l != "medium" {
		t.Errorf("label %q, want medium", l)
	}
	c, _ := Parse([]byte(`{"id":"PYSEC-2026-1","modified":"2026-01-01T00:00:00Z"}`))
	if l, _ := c.SeverityLabel(); l != "" {
		t.Errorf("label %q, want none", l)
	}
}
