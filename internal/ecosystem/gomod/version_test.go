package gomod

import "testing"

func TestValidVersion(t *testing.T) {
	for v, want := range map[string]bool{
		"v0.0.0":                                            true,
		"v1.2.3":                                            true,
		"v1.2.3-pre":                                        true,
		"v1.2.3-pre.1.x-y":                                  true,
		"v1.2.3-0":                                          true,
		"v2.3.4+incompatible":                               true,
		"v2.0.0-rc.1+incompatible":                          true,
		"v123456789012345678901234567890.0.0":               true,
		"v0.0.0-20191109021931-daa7c04131f5":                true,
		"v0.0.0-00010101000000-000000000000":                true,
		"v1.2.4-0.20191109021931-daa7c04131f5":              true,
		"v1.3.0-rc.1.0.20191109021931-daa7c04131f5":         true,
		"v2.0.1-0.20191109021931-daa7c04131f5+incompatible": true,
		"v0.0.0-20200229000000-abcdefabcdef":                true, // leap day
		"v1.2.3-20191109021931-daa7c04131f5":                true, // a prerelease, not a pseudo-version

		"":                                     false,
		"1.2.3":                                false,
		"V1.2.3":                               false,
		"v1":                                   false,
		"v1.2":                                 false,
		"v1.2.3.4":                             false,
		"v01.2.3":                              false,
		"v1.02.3":                              false,
		"v1.2.03":                              false,
		"v1.2.3-01":                            false,
		"v1.2.3-":                              false,
		"v1.2.3-a..b":                          false,
		"v1.2.3-a.":                            false,
		"v1.2.3+":                              false,
		"v1.2.3+meta":                          false,
		"v1.2.3-é":                             false,
		"v1.2.3 ":                              false,
		"v1.0.0+incompatible":                  false,
		"v0.1.0+incompatible":                  false,
		"v1.2.3-pre+incompatible":              false,
		"v2.0.0+incompatible+incompatible":     false,
		"latest":                               false,
		"master":                               false,
		"v1.2.0-0.20191109021931-daa7c04131f5": false, // base would be v1.1.-1
		"v0.0.0-20191309021931-daa7c04131f5":   false, // month 13
		"v0.0.0-20190229000000-abcdefabcdef":   false, // 2019 is no leap year
		"v0.0.0-20191109246000-daa7c04131f5":   false,
		"v2.0.0-20191109021931-daa7c04131f5+incompatible": false, // no base, but +incompatible
	} {
		if got := ValidVersion(v); got != want {
			t.Errorf("ValidVersion(%q) = %v, want %v (%v)", v, got, want, checkVersion(v))
		}
	}
}

func TestIsPseudoVersion(t *testing.T) {
	for v, want := range map[string]bool{
		"v0.0.0-20191109021931-daa7c04131f5":                true,
		"v1.2.4-0.20191109021931-daa7c04131f5":              true,
		"v1.3.0-rc.1.0.20191109021931-daa7c04131f5":         true,
		"v2.0.1-0.20191109021931-daa7c04131f5+incompatible": true,
		"v0.0.0-20191399021931-daa7c04131f5":                true, // syntax only
		"v1.2.3-20191109021931-daa7c04131f5":                false,
		"v1.2.3":                                            false,
		"v0.0.0-2019110902193-daa7c04131f5":                 false,
		"v0.0.0-20191109021931-":                            false,
		"v0.0.0-20191109021931-daa7c04131f5-x":              false,
		"v0.0.0-20191109021931-daa7c04131f5+":               false,
	} {
		if got := IsPseudoVersion(v); got != want {
			t.Errorf("IsPseudoVersion(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestCanonicalVersion(t *testing.T) {
	for v, want := range map[string]string{
		"v1":                      "v1.0.0",
		"v1.2":                    "v1.2.0",
		"v1.2.3":                  "v1.2.3",
		"v1.2.3-pre+meta":         "v1.2.3-pre",
		"v2.0.0+incompatible":     "v2.0.0+incompatible",
		"v1.2.3-pre+incompatible": "v1.2.3-pre+incompatible",
		"1.2.3":                   "",
		"v1.2.":                   "",
		"v1..2":                   "",
		"v":                       "",
	} {
		if got := canonicalVersion(v); got != want {
			t.Errorf("canonicalVersion(%q) = %q, want %q", v, got, want)
		}
	}
}
