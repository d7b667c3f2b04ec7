package npm

import (
	"strings"
	"testing"
)

// rangeDesugarTests pairs ranges with node-semver's desugared form
// (new Range(r).range), which String returns.
var rangeDesugarTests = []struct{ in, want string }{
	// Primitive comparators, whitespace after the operator.
	{"1.0.0", "1.0.0"},
	{"=1.0.0", "1.0.0"},
	{"v1.0.0", "1.0.0"},
	{"=v1.0.0", "1.0.0"},
	{">=1.0.0", ">=1.0.0"},
	{">1.0.0", ">1.0.0"},
	{"<=2.0.0", "<=2.0.0"},
	{"<2.0.0", "<2.0.0"},
	{">= 1.0.0", ">=1.0.0"},
	{">=   1.0.0", ">=1.0.0"},
	{"> 1.0.0", ">1.0.0"},
	{"<\t2.0.0", "<2.0.0"},
	{"> 1.2", ">=1.3.0"},
	{">1.2", ">=1.3.0"},
	{"> =1.2.3", ">=1.2.3"},
	{"  >=1.2.3   <2  ", ">=1.2.3 <2.0.0-0"},
	{">=1.2.3-alpha.3", ">=1.2.3-alpha.3"},
	{"1.2.3+build", "1.2.3"},
	{">=1.2.3+build.1 <2.0.0+x", ">=1.2.3 <2.0.0"},
	// Unions.
	{"0.1.20 || 1.2.4", "0.1.20||1.2.4"},
	{">=0.2.3 || <0.0.1", ">=0.2.3||<0.0.1"},
	{"1.2.x || 2.x", ">=1.2.0 <1.3.0-0||>=2.0.0 <3.0.0-0"},
	{"1.x||>=2.5.0||5.0.0 - 7.2.3", ">=1.0.0 <2.0.0-0||>=2.5.0||>=5.0.0 <=7.2.3"},
	{"||", ""},
	{"* || 1.2.3-beta", ""},
	{"<x <* || >* 2.x", "<0.0.0-0"},
	{">x 2.x || * || <x", ""},
	{">x || 1.2.3", "1.2.3"},
	// X-ranges and partial versions.
	{"", ""},
	{"*", ""},
	{"x", ""},
	{"X", ""},
	{"x.x.x", ""},
	{">=*", ""},
	{">=0.0.0", ""},
	{"2", ">=2.0.0 <3.0.0-0"},
	{"2.3", ">=2.3.0 <2.4.0-0"},
	{"2.x", ">=2.0.0 <3.0.0-0"},
	{"2.x.x", ">=2.0.0 <3.0.0-0"},
	{"2.*.*", ">=2.0.0 <3.0.0-0"},
	{"1.2.x", ">=1.2.0 <1.3.0-0"},
	{"1.2.*", ">=1.2.0 <1.3.0-0"},
	{"1.2.X", ">=1.2.0 <1.3.0-0"},
	{"=0.7.x", ">=0.7.0 <0.8.0-0"},
	{">=0.7.x", ">=0.7.0"},
	{"<=0.7.x", "<0.8.0-0"},
	{"<0.7.x", "<0.7.0-0"},
	{"<=7.x", "<8.0.0-0"},
	{">1", ">=2.0.0"},
	{">=1", ">=1.0.0"},
	{"<1", "<1.0.0-0"},
	{"< 1.2", "<1.2.0-0"},
	{">X", "<0.0.0-0"},
	{"<X", "<0.0.0-0"},
	{"1.2.3 1.2.3", "1.2.3"},
	// Tilde.
	{"~1.2.3", ">=1.2.3 <1.3.0-0"},
	{"~1.2", ">=1.2.0 <1.3.0-0"},
	{"~1", ">=1.0.0 <2.0.0-0"},
	{"~0.0.1", ">=0.0.1 <0.1.0-0"},
	{"~>3.2.1", ">=3.2.1 <3.3.0-0"},
	{"~> 1", ">=1.0.0 <2.0.0-0"},
	{"~ 1.0", ">=1.0.0 <1.1.0-0"},
	{"~1.2.x", ">=1.2.0 <1.3.0-0"},
	{"~x", ""},
	{"~v0.5.4-pre", ">=0.5.4-pre <0.6.0-0"},
	{"~1.2.1 >=1.2.3", ">=1.2.1 <1.3.0-0 >=1.2.3"},
	// Caret.
	{"^1.2.3", ">=1.2.3 <2.0.0-0"},
	{"^0.2.3", ">=0.2.3 <0.3.0-0"},
	{"^0.0.3", ">=0.0.3 <0.0.4-0"},
	{"^1.2.x", ">=1.2.0 <2.0.0-0"},
	{"^1.2", ">=1.2.0 <2.0.0-0"},
	{"^1", ">=1.0.0 <2.0.0-0"},
	{"^0.x", "<1.0.0-0"},
	{"^0", "<1.0.0-0"},
	{"^0.0.x", "<0.1.0-0"},
	{"^0.0", "<0.1.0-0"},
	{"^0.1", ">=0.1.0 <0.2.0-0"},
	{"^ 1", ">=1.0.0 <2.0.0-0"},
	{"^x", ""},
	{"^1.2.3-beta.4", ">=1.2.3-beta.4 <2.0.0-0"},
	{"^0.0.1-beta", ">=0.0.1-beta <0.0.2-0"},
	{"^0.1.2-rc", ">=0.1.2-rc <0.2.0-0"},
	{"^1.2.3+build", ">=1.2.3 <2.0.0-0"},
	{"^ 1.2 ^ 1", ">=1.2.0 <2.0.0-0 >=1.0.0"},
	// Hyphen ranges.
	{"1.2.3 - 2.3.4", ">=1.2.3 <=2.3.4"},
	{"1.2 - 2.3.4", ">=1.2.0 <=2.3.4"},
	{"1.2.3 - 2.3", ">=1.2.3 <2.4.0-0"},
	{"1.2.3 - 2", ">=1.2.3 <3.0.0-0"},
	{"1 - 2", ">=1.0.0 <3.0.0-0"},
	{"1.0 - 2.0", ">=1.0.0 <2.1.0-0"},
	{"x - 1.0.0", "<=1.0.0"},
	{"1.0.0 - x", ">=1.0.0"},
	{"1.2.3-pre+asdf - 2.4.3-pre+asdf", ">=1.2.3-pre <=2.4.3-pre"},
	{"v1.2.3 - v2.3.4", ">=1.2.3 <=2.3.4"},
	{"1.2.3 - 2.3.4 || 3.0.0 - 3.1", ">=1.2.3 <=2.3.4||>=3.0.0 <3.2.0-0"},
}

func TestParseRangeDesugar(t *testing.T) {
	for _, tt := range rangeDesugarTests {
		r, err := ParseRange(tt.in)
		if err != nil {
			t.Errorf("ParseRange(%q): %v", tt.in, err)
			continue
		}
		if got := r.String(); got != tt.want {
			t.Errorf("ParseRange(%q).String() = %q, want %q", tt.in, got, tt.want)
		}
		// The desugared form parses to itself.
		r2, err := ParseRange(r.String())
		if err != nil || r2.String() != r.String() {
			t.Errorf("ParseRange(%q) = %q, %v", r.String(), r2.String(), err)
		}
	}
}

// rangeContainsTests: does the range contain the version, without and with
// includePrerelease (node-semver's satisfies(v, r) and satisfies(v, r,
// {includePrerelease: true})).
var rangeContainsTests = []struct {
	r, v      string
	want, pre bool
}{
	// Comparators.
	{"1.0.0", "1.0.0", true, true},
	{"1.0.0", "1.0.1", false, false},
	{"1.0.0", "1.0.0+build", true, true},
	{"=1.2.3", "1.2.3-beta", false, false},
	{">=1.0.0", "1.0.0", true, true},
	{">=1.0.0", "0.1.0", false, false},
	{">1.0.0", "1.0.0", false, false},
	{">1.0.0", "1.0.1", true, true},
	{"<=2.0.0", "2.0.0", true, true},
	{"<=2.0.0", "2.0.1", false, false},
	{"<2.0.0", "1.9999.9999", true, true},
	{"<2.0.0", "2.0.0", false, false},
	{"<2.0.0", "2.0.0-rc.1", false, true},
	{"< 2.0.0", "0.2.9", true, true},
	{">= 1.0.0 < 1.2", "1.1.5", true, true},
	{">= 1.0.0 < 1.2", "1.2.0", false, false},
	{"> 1.2", "1.2.8", false, false},
	{"> 1.2", "1.3.0", true, true},
	{">1.2", "1.3.0-beta", false, true},
	{"<=1.2.3", "1.2.3-beta", false, true},
	{"<1.2.3", "1.2.3-beta", false, true},
	// The prerelease tuple rule.
	{">1.2.3-alpha.3", "1.2.3-alpha.7", true, true},
	{">1.2.3-alpha.3", "1.2.3-alpha.2", false, false},
	{">1.2.3-alpha.3", "3.4.5-alpha.9", false, true},
	{">1.2.3-alpha.3", "3.4.5", true, true},
	{">=1.2.3-alpha <1.2.4", "1.2.3-beta", true, true},
	{">=1.2.3-alpha <1.2.4-rc.1", "1.2.4-beta", true, true},
	{">=1.2.3-alpha <1.2.4-rc.1", "1.2.4-rc.2", false, false},
	{">=1.0.0 <2.0.0-rc.1 || >=1.5.0-beta.1", "1.5.0-beta.2", true, true},
	{"* || 1.2.3-beta", "1.2.3-beta", false, true},
	{"1.2.3-beta || 2.x", "1.2.3-beta", true, true},
	// Unions.
	{"0.1.20 || 1.2.4", "1.2.4", true, true},
	{"0.1.20 || 1.2.4", "1.2.3", false, false},
	{">=0.2.3 || <0.0.1", "0.0.0", true, true},
	{">=0.2.3 || <0.0.1", "0.2.2", false, false},
	{"||", "1.3.4", true, true},
	// X-ranges and partial versions.
	{"", "1.0.0", true, true},
	{"*", "1.2.3", true, true},
	{"*", "1.2.3-foo", false, true},
	{"x", "0.0.0", true, true},
	{">=*", "0.2.4", true, true},
	{">*", "0.2.4", false, false},
	{"2", "2.1.2", true, true},
	{"2", "1.1.2", false, false},
	{"2.3", "2.3.1", true, true},
	{"2.3", "2.4.1", false, false},
	{"2.x.x", "2.1.3", true, true},
	{"2.x.x", "3.1.3", false, false},
	{"1.2.*", "1.2.3", true, true},
	{"1.2.*", "1.3.3", false, false},
	{"2.x", "2.0.0-pre.0", false, true},
	{"2.x", "3.0.0-pre.0", false, false},
	{"=0.7.x", "0.7.2", true, true},
	{"=0.7.x", "0.7.0-asdf", false, true},
	{"<=0.7.x", "0.7.2", true, true},
	{"<0.7.x", "0.7.2", false, false},
	{">=0.7.x", "0.6.2", false, false},
	{"<=7.x", "7.9.9", true, true},
	{"<1", "1.0.0", false, false},
	{"<1", "1.0.0-rc.1", false, false},
	{"<1", "0.9.9-rc.1", false, true},
	{">1", "1.9.9", false, false},
	{">1", "2.0.0", true, true},
	// Tilde.
	{"~1.2.3", "1.2.3", true, true},
	{"~1.2.3", "1.2.9", true, true},
	{"~1.2.3", "1.3.0", false, false},
	{"~1.2.3", "1.2.2", false, false},
	{"~1.2", "1.2.0", true, true},
	{"~1.2", "1.2.0-rc", false, true},
	{"~1.2", "1.1.9", false, false},
	{"~1", "1.9.9", true, true},
	{"~1", "2.0.0", false, false},
	{"~0.0.1", "0.0.2", true, true},
	{"~0.0.1", "0.1.0-alpha", false, false},
	{"~>3.2.1", "3.2.2", true, true},
	{"~> 1", "1.2.3", true, true},
	{"~ 1.0.3", "1.0.12", true, true},
	{"~v0.5.4-pre", "0.5.4", true, true},
	{"~v0.5.4-beta", "0.5.4-alpha", false, false},
	{"~v0.5.4-beta", "0.5.4-beta.1", true, true},
	// Caret.
	{"^1.2.3", "1.8.1", true, true},
	{"^1.2.3", "1.2.2", false, false},
	{"^1.2.3", "2.0.0", false, false},
	{"^1.2.3", "2.0.0-alpha", false, false},
	{"^1.2.3", "1.2.3-beta", false, false},
	{"^1.2.3", "1.2.4-beta", false, true},
	{"^0.2.3", "0.2.9", true, true},
	{"^0.2.3", "0.3.0", false, false},
	{"^0.0.3", "0.0.3", true, true},
	{"^0.0.3", "0.0.4", false, false},
	{"^1.2.x", "1.9.0", true, true},
	{"^1.2.x", "1.1.0", false, false},
	{"^0.0.x", "0.0.9", true, true},
	{"^0.0.x", "0.1.0", false, false},
	{"^0.0", "0.0.5", true, true},
	{"^0.0", "0.1.0", false, false},
	{"^0.x", "0.9.0", true, true},
	{"^1.2.3-alpha", "1.2.3-pre", true, true},
	{"^1.2.3-alpha", "1.2.4-pre", false, true},
	{"^0.0.1-alpha", "0.0.1", true, true},
	{"^1.0.0-0", "1.0.1-rc1", false, true},
	{"^1.0.0", "1.0.0-rc1", false, false},
	{"^1.2.3+build", "1.2.3", true, true},
	// Hyphen ranges.
	{"1.2.3 - 2.3.4", "1.2.3", true, true},
	{"1.2.3 - 2.3.4", "2.3.4", true, true},
	{"1.2.3 - 2.3.4", "2.3.5", false, false},
	{"1.2.3 - 2.3.4", "1.2.2", false, false},
	{"1.2.3 - 2.3.4", "2.3.4-rc.1", false, true},
	{"1.2.3 - 2.3.4", "1.2.3-rc.1", false, true},
	{"1.2 - 2.3.4", "1.2.0", true, true},
	{"1.2 - 2.3.4", "1.1.9", false, false},
	{"1.2.3 - 2.3", "2.3.9", true, true},
	{"1.2.3 - 2.3", "2.4.0", false, false},
	{"1.2.3 - 2", "2.99.0", true, true},
	{"x - 1.0.0", "0.9.7", true, true},
	{"1.0.0 - x", "1.9.7", true, true},
	{"1.2.3-pre+asdf - 2.4.3-pre+asdf", "1.2.3-pre.2", true, true},
	{"1.2.3-pre+asdf - 2.4.3-pre+asdf", "2.4.3-alpha", true, true},
	{"1.2.3+asdf - 2.4.3+asdf", "2.4.3-alpha", false, true},
}

func TestRangeContains(t *testing.T) {
	for _, tt := range rangeContainsTests {
		r, err := ParseRange(tt.r)
		if err != nil {
			t.Errorf("ParseRange(%q): %v", tt.r, err)
			continue
		}
		v, err := ParseVersion(tt.v)
		if err != nil {
			t.Errorf("ParseVersion(%q): %v", tt.v, err)
			continue
		}
		if got := r.Contains(v, false); got != tt.want {
			t.Errorf("ParseRange(%q).Contains(%s, false) = %v, want %v (desugared %q)", tt.r, tt.v, got, tt.want, r.String())
		}
		if got := r.Contains(v, true); got != tt.pre {
			t.Errorf("ParseRange(%q).Contains(%s, true) = %v, want %v", tt.r, tt.v, got, tt.pre)
		}
	}
}

func TestRangeZero(t *testing.T) {
	var r Range
	if r.Contains(Version{Major: 1}, false) || r.Contains(Version{Major: 1}, true) || r.String() != "" {
		t.Error("zero Range matches")
	}
}

// A bound that only overflows when desugared with includePrerelease: the
// range parses, and Contains with includePrerelease is false, as
// satisfies() is when new Range() throws.
func TestRangeOverflowOnlyWithPrerelease(t *testing.T) {
	r, err := ParseRange("1.2.3 - 1.2.9007199254740991")
	if err != nil {
		t.Fatal(err)
	}
	v := Version{Major: 1, Minor: 2, Patch: 5}
	if !r.Contains(v, false) || r.Contains(v, true) {
		t.Errorf("Contains = %v, %v", r.Contains(v, false), r.Contains(v, true))
	}
}

var invalidRanges = []string{
	">01.02.03", "01.2.3", "1.02", "~1.2.3beta", "1.2.3beta", "1.2.3-", "1.2.3-01", "1.2.3+",
	">", ">=", "<", "~>", "=", "-", "1.2.3 -", "- 1.2.3", "1.2.3 - 2.3.4 - 3.4.5",
	"a", "abc", "1.2.3 abc", ">=1.2.3 || abc", "x.1", "*.1", "x.1.2", "1.x.2", "1.*.2",
	">>1.2.3", "<>1.2.3", "=>1.2.3", "==1.2.3", "=< 1.2.3", "v=1.2.3", "V1.2.3", "1.2.3.4",
	"~~1.2.3", "^^1", "^~1", "~^1", "1.2.3 - =2.3.4", "!1.2.3", "!=1.2.3",
	"9007199254740992", "^9007199254740991", "~1.9007199254740991", ">9007199254740991",
	"1.2.99999999999999999999", "1.2.3-" + strings.Repeat("a", 260),
	"\x00", "1.2.3\x00", "\xff", "１.2.3", "1.2.3,2.0.0", ">=1.0.0, <2.0.0",
	strings.Repeat("1.2.3 ", MaxRangeLength/6+1), // valid for node-semver, over our limit
}

func TestParseRangeInvalid(t *testing.T) {
	for _, in := range invalidRanges {
		if r, err := ParseRange(in); err == nil {
			t.Errorf("ParseRange(%q) = %q, want error", in, r.String())
		}
	}
	// Long but valid ranges stay fine up to the limit.
	long := strings.Repeat("^1.2.3 || ", MaxRangeLength/10)
	if _, err := ParseRange(long[:len(long)-4]); err != nil {
		t.Errorf("long range: %v", err)
	}
}

func FuzzParseRange(f *testing.F) {
	for _, tt := range rangeDesugarTests {
		f.Add(tt.in, "1.2.3", false)
	}
	for _, tt := range rangeContainsTests {
		f.Add(tt.r, tt.v, true)
	}
	for _, s := range invalidRanges {
		if len(s) < 300 {
			f.Add(s, "1.2.3-rc.1", false)
		}
	}
	f.Fuzz(func(t *testing.T, s, vs string, pre bool) {
		r, err := ParseRange(s)
		if err != nil {
			return
		}
		// The desugared form is itself a valid range with the same form.
		r2, err := ParseRange(r.String())
		if err != nil {
			t.Fatalf("%q desugars to %q, which does not parse: %v", s, r.String(), err)
		}
		if r2.String() != r.String() {
			t.Fatalf("%q desugars to %q, which desugars to %q", s, r.String(), r2.String())
		}
		v, err := ParseVersion(vs)
		if err != nil {
			return
		}
		got := r.Contains(v, pre)
		if !v.IsPrerelease() && r.preErr == nil && r.Contains(v, true) != r.Contains(v, false) {
			t.Fatalf("%q: release %v: Contains differs with includePrerelease", s, v)
		}
		if got != r2.Contains(v, pre) && !pre {
			t.Fatalf("%q: %v: Contains = %v but %v for the desugared %q", s, v, got, !got, r.String())
		}
	})
}
