package npm

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseVersion(t *testing.T) {
	tests := []struct {
		in   string
		want Version
		str  string // String(); "" means same as in
	}{
		{"0.0.0", Version{}, ""},
		{"1.2.3", Version{Major: 1, Minor: 2, Patch: 3}, ""},
		{"10.20.30", Version{Major: 10, Minor: 20, Patch: 30}, ""},
		{"1.0.0-alpha", Version{Major: 1, Pre: []PreID{"alpha"}}, ""},
		{"1.0.0-alpha.1", Version{Major: 1, Pre: []PreID{"alpha", "1"}}, ""},
		{"1.0.0-0.3.7", Version{Major: 1, Pre: []PreID{"0", "3", "7"}}, ""},
		{"1.0.0-x.7.z.92", Version{Major: 1, Pre: []PreID{"x", "7", "z", "92"}}, ""},
		{"1.0.0-x-y-z.--", Version{Major: 1, Pre: []PreID{"x-y-z", "--"}}, ""},
		{"1.0.0-0a.00a.-1", Version{Major: 1, Pre: []PreID{"0a", "00a", "-1"}}, ""},
		{"1.0.0-alpha+001", Version{Major: 1, Pre: []PreID{"alpha"}, Build: []string{"001"}}, ""},
		{"1.0.0+20130313144700", Version{Major: 1, Build: []string{"20130313144700"}}, ""},
		{"1.0.0-beta+exp.sha.5114f85", Version{Major: 1, Pre: []PreID{"beta"}, Build: []string{"exp", "sha", "5114f85"}}, ""},
		{"1.0.0+21AF26D3----117B344092BD", Version{Major: 1, Build: []string{"21AF26D3----117B344092BD"}}, ""},
		{"1.2.3-99999999999999999999999", Version{Major: 1, Minor: 2, Patch: 3, Pre: []PreID{"99999999999999999999999"}}, ""},
		{"9007199254740991.9007199254740991.9007199254740991",
			Version{Major: maxSafeInteger, Minor: maxSafeInteger, Patch: maxSafeInteger}, ""},
		// node-semver's loose leading "v"/"=" and surrounding whitespace.
		{"v1.2.3", Version{Major: 1, Minor: 2, Patch: 3}, "1.2.3"},
		{"=1.2.3", Version{Major: 1, Minor: 2, Patch: 3}, "1.2.3"},
		{"=v1.2.3", Version{Major: 1, Minor: 2, Patch: 3}, "1.2.3"},
		{"v=1.2.3", Version{Major: 1, Minor: 2, Patch: 3}, "1.2.3"},
		{"= v 1.2.3", Version{Major: 1, Minor: 2, Patch: 3}, "1.2.3"},
		{"  1.2.3\t\n", Version{Major: 1, Minor: 2, Patch: 3}, "1.2.3"},
		{"\u00a0\ufeff1.2.3-rc.1\u2028", Version{Major: 1, Minor: 2, Patch: 3, Pre: []PreID{"rc", "1"}}, "1.2.3-rc.1"},
	}
	for _, tt := range tests {
		got, err := ParseVersion(tt.in)
		if err != nil {
			t.Errorf("ParseVersion(%q): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseVersion(%q) = %#v, want %#v", tt.in, got, tt.want)
		}
		want := tt.str
		if want == "" {
			want = tt.in
		}
		if got.String() != want {
			t.Errorf("ParseVersion(%q).String() = %q, want %q", tt.in, got.String(), want)
		}
	}
}

func TestParseVersionInvalid(t *testing.T) {
	for _, in := range []string{
		"", " ", "v", "=", "1", "1.2", "1.2.3.4", "1.2.", ".1.2", "1..2", "a.b.c",
		"01.2.3", "1.02.3", "1.2.03", "00.0.0", "1.2.3-01", "1.2.3-alpha.01", "1.2.3-00",
		"1.2.3-", "1.2.3+", "1.2.3-+", "1.2.3-a..b", "1.2.3-a.", "1.2.3+a..b", "1.2.3+b.",
		"1.2.3++b", "1.2.3+a+b", "1.2.3-a_b", "1.2.3+a_b", "1.2.3-é", "1.2.3-a b",
		"1.2.3beta", "1.2.3.beta", "-1.2.3", "+1.2.3", "1.-2.3", "1.2.-3",
		"9007199254740992.0.0", "0.9007199254740992.0", "0.0.9007199254740992",
		"18446744073709551616.0.0", "1.2.99999999999999999999999",
		">1.2.3", "<1.2.3", "~1.2.3", "^1.2.3", "1.2.x", "1.2.*", "*", "x", "1.2.3 - 2.0.0",
		"V1.2.3", "vv", "1.2.3 4", "1. 2.3", "1 .2.3", "1.2.3v", "1.2.3=",
		"\x00", "1.2.3\x00", "1.2.3-\xff", "\xff1.2.3", "１.2.3",
		"1.2.3-" + strings.Repeat("a", 251), // 257 bytes
		strings.Repeat(" ", 255) + "1.2.3",
	} {
		if v, err := ParseVersion(in); err == nil {
			t.Errorf("ParseVersion(%q) = %v, want error", in, v)
		}
	}
	// 256 bytes is still fine.
	if _, err := ParseVersion("1.2.3-" + strings.Repeat("a", 250)); err != nil {
		t.Errorf("256-byte version: %v", err)
	}
}

// versionOrder is in ascending SemVer precedence; versions within one
// group are equal (they differ only in build metadata).
var versionOrder = [][]string{
	{"0.0.0-0"},
	{"0.0.0-0.0"},
	{"0.0.0-1"},
	{"0.0.0-a"},
	{"0.0.0"},
	{"0.0.1"},
	{"0.1.0"},
	{"0.9.0"},
	{"0.10.0"},
	{"1.0.0-0"},
	{"1.0.0-1"},
	{"1.0.0-2"},
	{"1.0.0-10"},
	{"1.0.0-9007199254740991"},
	{"1.0.0-9007199254740992"},
	{"1.0.0-9007199254740993"},
	{"1.0.0-99999999999999999999"},
	{"1.0.0--"},
	{"1.0.0-0a"},
	{"1.0.0-1a"},
	{"1.0.0-A"},
	{"1.0.0-Z"},
	{"1.0.0-a"},
	{"1.0.0-alpha", "1.0.0-alpha+build", "1.0.0-alpha+other.1"},
	{"1.0.0-alpha.1"},
	{"1.0.0-alpha.beta"},
	{"1.0.0-beta"},
	{"1.0.0-beta.2"},
	{"1.0.0-beta.11"},
	{"1.0.0-beta.11.0"},
	{"1.0.0-rc.1"},
	{"1.0.0-rc.1.a"},
	{"1.0.0-rc1"},
	{"1.0.0", "1.0.0+build", "1.0.0+0.1", "v1.0.0"},
	{"1.0.1-0"},
	{"1.0.1"},
	{"1.0.10"},
	{"1.1.0"},
	{"1.2.0"},
	{"1.10.0"},
	{"2.0.0-alpha"},
	{"2.0.0"},
	{"10.0.0"},
	{"9007199254740991.0.0"},
}

func TestVersionCompare(t *testing.T) {
	type item struct {
		s     string
		v     Version
		group int
	}
	var items []item
	for g, group := range versionOrder {
		for _, s := range group {
			v, err := ParseVersion(s)
			if err != nil {
				t.Fatalf("ParseVersion(%q): %v", s, err)
			}
			items = append(items, item{s, v, g})
		}
	}
	for _, a := range items {
		for _, b := range items {
			want := cmpInt(a.group, b.group)
			if got := a.v.Compare(b.v); got != want {
				t.Errorf("%s.Compare(%s) = %d, want %d", a.s, b.s, got, want)
			}
		}
	}
}

func TestVersionStringRoundTrip(t *testing.T) {
	for _, group := range versionOrder {
		for _, s := range group {
			v, err := ParseVersion(s)
			if err != nil {
				t.Fatal(err)
			}
			w, err := ParseVersion(v.String())
			if err != nil || !reflect.DeepEqual(v, w) {
				t.Errorf("%q: String %q reparses as %#v, %v", s, v.String(), w, err)
			}
		}
	}
}

func TestPreIDIsNumeric(t *testing.T) {
	for id, want := range map[PreID]bool{"0": true, "123": true, "99999999999999999999999": true, "": false, "a": false, "1a": false, "-1": false} {
		if got := id.IsNumeric(); got != want {
			t.Errorf("PreID(%q).IsNumeric() = %v", id, got)
		}
	}
	// Manually built numeric identifiers with leading zeros still compare
	// by value.
	a := Version{Pre: []PreID{"007"}}
	b := Version{Pre: []PreID{"7"}}
	if a.Compare(b) != 0 || a.Compare(Version{Pre: []PreID{"10"}}) != -1 {
		t.Error("leading-zero numeric identifiers do not compare by value")
	}
}

func FuzzParseVersion(f *testing.F) {
	for _, group := range versionOrder {
		for _, s := range group {
			f.Add(s, "1.0.0", "1.0.0-rc.1")
		}
	}
	f.Add("v1.2.3", "=1.2.3-0", " 1.2.3+x ")
	f.Add("1.2.3-a.1", "1.2.3-a.b", "1.2.3-a.1.0")
	f.Add("1.0.0-99999999999999999999", "1.0.0-9007199254740993", "1.0.0-1a")
	f.Add("01.2.3", "1.2", "\xff")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		var vs []Version
		for _, s := range []string{a, b, c} {
			v, err := ParseVersion(s)
			if err != nil {
				continue
			}
			if v.Major > maxSafeInteger || v.Minor > maxSafeInteger || v.Patch > maxSafeInteger {
				t.Fatalf("%q: component above 2^53-1: %#v", s, v)
			}
			str := v.String()
			w, err := ParseVersion(str)
			if err != nil {
				t.Fatalf("%q: String %q does not parse: %v", s, str, err)
			}
			if !reflect.DeepEqual(v, w) || w.String() != str {
				t.Fatalf("%q: round trip %#v -> %q -> %#v", s, v, str, w)
			}
			if v.Compare(v) != 0 {
				t.Fatalf("%q: Compare with itself = %d", s, v.Compare(v))
			}
			if len(str) > MaxVersionLength {
				t.Fatalf("%q: String %q too long", s, str)
			}
			vs = append(vs, v)
		}
		for _, x := range vs {
			for _, y := range vs {
				xy, yx := x.Compare(y), y.Compare(x)
				if xy != -yx || xy < -1 || xy > 1 {
					t.Fatalf("Compare not antisymmetric: %v vs %v: %d, %d", x, y, xy, yx)
				}
				if xy == 0 && x.mainAndPre() != y.mainAndPre() {
					t.Fatalf("%v and %v compare equal", x, y)
				}
				for _, z := range vs {
					yz, xz := y.Compare(z), x.Compare(z)
					if xy <= 0 && yz <= 0 && xz > 0 || xy >= 0 && yz >= 0 && xz < 0 {
						t.Fatalf("Compare not transitive: %v, %v, %v: %d %d %d", x, y, z, xy, yz, xz)
					}
				}
			}
		}
	})
}
