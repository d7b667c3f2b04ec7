package pypi

import (
	"errors"
	"strings"
	"testing"
)

// versionNormalization maps inputs to the canonical form packaging's
// str(Version(input)) gives.
var versionNormalization = []struct{ in, want string }{
	// Release, leading zeros, epoch.
	{"1", "1"},
	{"1.0", "1.0"},
	{"1.0.0", "1.0.0"},
	{"01.02.003", "1.2.3"},
	{"0000000000000000000001", "1"},
	{"1.0.99999999999999999999999999", "1.0.99999999999999999999999999"},
	{"0!1.0", "1.0"},
	{"00!1.0", "1.0"},
	{"1!1.0", "1!1.0"},
	{"01!1.0", "1!1.0"},
	// Leading v, case, whitespace.
	{"v1.0", "1.0"},
	{"V1.0", "1.0"},
	{"v1!2.0", "1!2.0"},
	{" 1.0\n", "1.0"},
	{"\t\v1.0\f\r", "1.0"},
	{"\u00a01.0\u3000", "1.0"},
	{"\x1c1.0\x1f", "1.0"},
	// Pre-releases: spellings, separators, implicit number.
	{"1.0a1", "1.0a1"},
	{"1.0a", "1.0a0"},
	{"1.0.a1", "1.0a1"},
	{"1.0-a1", "1.0a1"},
	{"1.0_a1", "1.0a1"},
	{"1.0a.1", "1.0a1"},
	{"1.0a-1", "1.0a1"},
	{"1.0a_1", "1.0a1"},
	{"1.0-a-1", "1.0a1"},
	{"1.0a01", "1.0a1"},
	{"1.0alpha1", "1.0a1"},
	{"1.0ALPHA1", "1.0a1"},
	{"1.0Alpha", "1.0a0"},
	{"1.0b2", "1.0b2"},
	{"1.0beta2", "1.0b2"},
	{"1.0B2", "1.0b2"},
	{"1.0c1", "1.0rc1"},
	{"1.0c", "1.0rc0"},
	{"1.0pre1", "1.0rc1"},
	{"1.0preview1", "1.0rc1"},
	{"1.0RC1", "1.0rc1"},
	{"1.0rc", "1.0rc0"},
	{"1.0-c-1", "1.0rc1"},
	{"1.0a-", "1.0a0"},
	// Post-releases.
	{"1.0.post1", "1.0.post1"},
	{"1.0post1", "1.0.post1"},
	{"1.0-post1", "1.0.post1"},
	{"1.0_post1", "1.0.post1"},
	{"1.0.post.1", "1.0.post1"},
	{"1.0.post01", "1.0.post1"},
	{"1.0.POST1", "1.0.post1"},
	{"1.0.post", "1.0.post0"},
	{"1.0post", "1.0.post0"},
	{"1.0.post.", "1.0.post0"},
	{"1.0-1", "1.0.post1"},
	{"1.0-01", "1.0.post1"},
	{"1.0.rev1", "1.0.post1"},
	{"1.0r1", "1.0.post1"},
	{"1.0-r", "1.0.post0"},
	{"1.0-r-1", "1.0.post1"},
	{"1.0REV", "1.0.post0"},
	// Development releases.
	{"1.0.dev1", "1.0.dev1"},
	{"1.0dev1", "1.0.dev1"},
	{"1.0-dev1", "1.0.dev1"},
	{"1.0_dev_1", "1.0.dev1"},
	{"1.0dev", "1.0.dev0"},
	{"1.0.DEV", "1.0.dev0"},
	{"1.0dev_", "1.0.dev0"},
	// Combinations.
	{"1.0a1.post2.dev3", "1.0a1.post2.dev3"},
	{"1.0a1-2", "1.0a1.post2"},
	{"1.0a1-2dev3", "1.0a1.post2.dev3"},
	{"1.0a.-1", "1.0a0.post1"},
	{"1.0rcr1", "1.0rc0.post1"},
	{"1.0prerev1", "1.0rc0.post1"},
	{"1.0.post.dev", "1.0.post0.dev0"},
	{"1.0_c_1_r_2_dev_3+X", "1.0rc1.post2.dev3+x"},
	{"V1!2.0-Beta-3_REV-4.DEV-5+Ubuntu-1", "1!2.0b3.post4.dev5+ubuntu.1"},
	{"1!2.0.post1.dev3+local.1", "1!2.0.post1.dev3+local.1"},
	{"00!01.00a00.post00.dev00+00.a0", "1.0a0.post0.dev0+0.a0"},
	// Local versions.
	{"1.0+ubuntu-1", "1.0+ubuntu.1"},
	{"1.0+Ubuntu_1", "1.0+ubuntu.1"},
	{"1.0+abc.5", "1.0+abc.5"},
	{"1.0+01.0a", "1.0+1.0a"},
	{"1.0+00", "1.0+0"},
	{"1.0+A-B_c", "1.0+a.b.c"},
	{"1.0a1+1", "1.0a1+1"},
}

func TestParseVersionNormalization(t *testing.T) {
	for _, tt := range versionNormalization {
		v, err := ParseVersion(tt.in)
		if err != nil {
			t.Errorf("ParseVersion(%q): %v", tt.in, err)
			continue
		}
		if got := v.String(); got != tt.want {
			t.Errorf("ParseVersion(%q) = %q, want %q", tt.in, got, tt.want)
		}
		// The canonical form parses to itself.
		w, err := ParseVersion(v.String())
		if err != nil || w != v {
			t.Errorf("ParseVersion(%q) = %q, %v; want the same Version", v, w, err)
		}
	}
}

var invalidVersions = []string{
	"", " ", "v", "vv1.0", "version", "1.", ".1", "1..0", "1.0.", "1.0-", "1.0.-1",
	"1!", "!1", "1!!2", "1!v2", "-1", "+1", "1.0a1a2", "1.0post1post2", "1.0dev1dev2",
	"1.0.post1-1", "1.0-1-1", "1.0+", "1.0+a.", "1.0+.a", "1.0+a..b", "1.0+a+b",
	"1.0+a b", "1.0 a1", "1.0\x00", "1.0e1", "1.0f", "1.0re", "1.0alph", "1.0deva",
	"1.0.*", "1.*", "1,0", "1.0;", "french toast", "1.0\u212a", "1.0+\u017f",
	"1.0\xff", "\xff1.0", "1.0+\xc3", "1.0.post1.a1", "1.0.dev1.a1", "1.0.dev1.post1",
	"1.0+local..dev1",
}

func TestParseVersionInvalid(t *testing.T) {
	long := "1" + strings.Repeat(".0", (MaxVersionLen)/2) // 257 bytes
	for _, in := range append(invalidVersions, long) {
		v, err := ParseVersion(in)
		if err == nil {
			t.Errorf("ParseVersion(%q) = %q, want an error", in, v)
			continue
		}
		if !errors.Is(err, ErrInvalidVersion) {
			t.Errorf("ParseVersion(%q): error %v does not wrap ErrInvalidVersion", in, err)
		}
		if v != (Version{}) {
			t.Errorf("ParseVersion(%q) returned %q with its error", in, v)
		}
	}
	if _, err := ParseVersion(long[:MaxVersionLen-1]); err != nil { // 255 bytes
		t.Errorf("a %d-byte version: %v", MaxVersionLen-1, err)
	}
	if _, err := ParseVersion(long[:MaxVersionLen-1] + " "); err != nil {
		t.Errorf("a %d-byte version: %v", MaxVersionLen, err)
	}
}

// sortedVersions is packaging's test_version.py VERSIONS list, in order,
// with a few more versions around final releases.
var sortedVersions = []string{
	// Implicit epoch of 0.
	"0.dev0", "0", "0.0.1",
	"1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12",
	"1.0b1.dev456", "1.0b2", "1.0b2.post345.dev456", "1.0b2.post345",
	"1.0b2-346", "1.0c1.dev456", "1.0c1", "1.0rc2", "1.0c3", "1.0",
	"1.0+abc", "1.0+1",
	"1.0.post456.dev34", "1.0.post456", "1.1.dev1",
	"1.2+123abc", "1.2+123abc456", "1.2+abc", "1.2+abc123", "1.2+abc123def",
	"1.2+1234.abc", "1.2+123456", "1.2.r32+123456", "1.2.rev33+123456",
	"99999999999999999999.dev0", "99999999999999999999",
	// Explicit epoch of 1.
	"1!1.0.dev456", "1!1.0a1", "1!1.0a2.dev456", "1!1.0a12.dev456", "1!1.0a12",
	"1!1.0b1.dev456", "1!1.0b2", "1!1.0b2.post345.dev456", "1!1.0b2.post345",
	"1!1.0b2-346", "1!1.0c1.dev456", "1!1.0c1", "1!1.0rc2", "1!1.0c3", "1!1.0",
	"1!1.0.post456.dev34", "1!1.0.post456", "1!1.1.dev1",
	"1!1.2+123abc", "1!1.2+123abc456", "1!1.2+abc", "1!1.2+abc123", "1!1.2+abc123def",
	"1!1.2+1234.abc", "1!1.2+123456", "1!1.2.r32+123456", "1!1.2.rev33+123456",
	"2!0.dev0",
}

func mustVersion(t testing.TB, s string) Version {
	t.Helper()
	v, err := ParseVersion(s)
	if err != nil {
		t.Fatalf("ParseVersion(%q): %v", s, err)
	}
	return v
}

func TestVersionOrdering(t *testing.T) {
	vs := make([]Version, len(sortedVersions))
	for i, s := range sortedVersions {
		vs[i] = mustVersion(t, s)
	}
	for i := range vs {
		for j := range vs {
			want := cmpInt(i, j)
			if got := vs[i].Compare(vs[j]); got != want {
				t.Errorf("Compare(%s, %s) = %d, want %d", vs[i], vs[j], got, want)
			}
		}
	}
}

func TestVersionCompareEqual(t *testing.T) {
	for _, p := range [][2]string{
		{"1.0", "1.0.0"}, {"1", "1.0.0.0"}, {"1.0", "v1.0"}, {"0!1.0", "1.0"},
		{"1.0a", "1.0a0"}, {"1.0alpha0", "1.0a0"}, {"1.0c1", "1.0rc1"},
		{"1.0-1", "1.0.post1"}, {"1.0.0.post1", "1.0.post1"}, {"1.0+01", "1.0+1"},
		{"1.0+Ubuntu-1", "1.0+ubuntu.1"}, {"0", "0.0"}, {"1.01", "1.1"},
	} {
		a, b := mustVersion(t, p[0]), mustVersion(t, p[1])
		if a.Compare(b) != 0 || b.Compare(a) != 0 {
			t.Errorf("%s and %s should compare equal", p[0], p[1])
		}
	}
	for _, p := range [][2]string{
		{"1.0", "1.0.1"}, {"1.0.1", "1.1"}, {"1.9", "1.10"}, {"1.0+a", "1.0+a.0"},
		{"1.0+z", "1.0+0"}, {"1.0+2", "1.0+10"}, {"1.0+a1", "1.0+a2"}, {"1.0+a10", "1.0+a2"},
		{"999", "1!0"}, {"1.0rc1", "1.0"}, {"1.0.dev0", "1.0a0.dev0"}, {"1.0a0.dev0", "1.0a0"},
		{"1.0a0", "1.0a0.post0.dev0"}, {"1.0a0.post0.dev0", "1.0a0.post0"}, {"1.0", "1.0+0"},
		{"1.0+0", "1.0.post0.dev0"}, {"1.0.post0.dev0", "1.0.post0"},
		{"18446744073709551615", "18446744073709551616"},
	} {
		a, b := mustVersion(t, p[0]), mustVersion(t, p[1])
		if a.Compare(b) != -1 || b.Compare(a) != 1 {
			t.Errorf("want %s < %s", p[0], p[1])
		}
	}
}

func TestVersionAccessors(t *testing.T) {
	for _, tt := range []struct {
		in, public string
		pre        bool
	}{
		{"1.0", "1.0", false},
		{"1.0a1", "1.0a1", true},
		{"1.0rc1.post1", "1.0rc1.post1", true},
		{"1.0.dev1", "1.0.dev1", true},
		{"1.0.post1.dev1", "1.0.post1.dev1", true},
		{"1.0.post1", "1.0.post1", false},
		{"1!1.0b2+abc.1", "1!1.0b2", true},
		{"1.0+local", "1.0", false},
	} {
		v := mustVersion(t, tt.in)
		if got := v.Public().String(); got != tt.public {
			t.Errorf("%s.Public() = %s, want %s", tt.in, got, tt.public)
		}
		if p := v.Public(); p != mustVersion(t, tt.public) {
			t.Errorf("%s.Public() is not ParseVersion(%q)", tt.in, tt.public)
		}
		if got := v.IsPrerelease(); got != tt.pre {
			t.Errorf("%s.IsPrerelease() = %v, want %v", tt.in, got, tt.pre)
		}
	}
	var zero Version
	if zero.String() != "0" || zero.Compare(mustVersion(t, "0.0")) != 0 || zero.IsPrerelease() {
		t.Errorf("the zero Version should be 0")
	}
}

func TestVersionAllocs(t *testing.T) {
	a, b := mustVersion(t, "1.2.3"), mustVersion(t, "1.2.3.0+local.7")
	if n := testing.AllocsPerRun(100, func() { _, _ = ParseVersion("v1.02.3rc1.post2.dev3+Ubuntu-1") }); n > 1 {
		t.Errorf("ParseVersion: %v allocations, want at most 1", n)
	}
	if n := testing.AllocsPerRun(100, func() { _ = a.Compare(b) }); n != 0 {
		t.Errorf("Compare: %v allocations, want 0", n)
	}
}

func BenchmarkParseVersion(b *testing.B) {
	for b.Loop() {
		_, _ = ParseVersion("1.2.3rc1.post2.dev3+ubuntu.1")
	}
}

func BenchmarkCompare(b *testing.B) {
	x, y := mustVersion(b, "1.2.3rc1.post2+ubuntu.1"), mustVersion(b, "1.2.3.0rc1.post2+ubuntu.2")
	for b.Loop() {
		_ = x.Compare(y)
	}
}

func FuzzParseVersion(f *testing.F) {
	for _, tt := range versionNormalization {
		f.Add(tt.in, tt.want)
	}
	for i, s := range sortedVersions {
		f.Add(s, sortedVersions[len(sortedVersions)-1-i])
	}
	for _, s := range invalidVersions {
		f.Add(s, "1.0")
	}
	pivots := []Version{{}, mustVersion(f, "1.0.dev0"), mustVersion(f, "1.0"), mustVersion(f, "1.0+a.1"), mustVersion(f, "1.0.post1"), mustVersion(f, "1!2")}
	f.Fuzz(func(t *testing.T, a, b string) {
		va, errA := ParseVersion(a)
		vb, errB := ParseVersion(b)
		for _, c := range []struct {
			in  string
			v   Version
			err error
		}{{a, va, errA}, {b, vb, errB}} {
			if c.err != nil {
				continue
			}
			s := c.v.String()
			w, err := ParseVersion(s)
			if err != nil {
				t.Fatalf("ParseVersion(%q) = %q, which does not parse: %v", c.in, s, err)
			}
			if w != c.v || w.String() != s {
				t.Fatalf("ParseVersion(%q) = %q, which parses to %q", c.in, s, w)
			}
			if c.v.Compare(c.v) != 0 || c.v.Compare(w) != 0 {
				t.Fatalf("%q does not compare equal to itself", s)
			}
			if c.v.Public().Compare(c.v) > 0 || c.v.Public().IsPrerelease() != c.v.IsPrerelease() {
				t.Fatalf("%q: bad Public %q", s, c.v.Public())
			}
		}
		if errA != nil || errB != nil {
			return
		}
		ab, ba := va.Compare(vb), vb.Compare(va)
		if ab != -ba || ab < -1 || ab > 1 {
			t.Fatalf("Compare(%q, %q) = %d but Compare(%q, %q) = %d", va, vb, ab, vb, va, ba)
		}
		if va == vb && ab != 0 {
			t.Fatalf("%q == %q but Compare = %d", va, vb, ab)
		}
		for _, p := range pivots {
			// Transitivity through a pivot.
			if ab < 0 && vb.Compare(p) <= 0 && va.Compare(p) >= 0 {
				t.Fatalf("%q < %q <= %q but not %q < %q", va, vb, p, va, p)
			}
			if ab == 0 && va.Compare(p) != vb.Compare(p) {
				t.Fatalf("%q == %q compare differently to %q", va, vb, p)
			}
		}
	})
}
