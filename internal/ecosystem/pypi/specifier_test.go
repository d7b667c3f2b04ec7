package pypi

import (
	"errors"
	"strings"
	"testing"
)

// specifierCases were checked against packaging 26's range semantics; pre
// says whether pre-releases are asked for (includePrereleases).
var specifierCases = []struct {
	spec, version string
	pre, want     bool
}{
	// == and != with release padding and local labels.
	{"==1.0", "1.0", false, true},
	{"==1.0", "1.0.0", false, true},
	{"==1.0.0", "1", false, true},
	{"==v1.0", "1.0", false, true},
	{"==1.0", "1.0+local", false, true},
	{"==1.0", "1.0.post1", false, false},
	{"==1.0", "1.0.1", false, false},
	{"==1.0+local", "1.0+local", false, true},
	{"==1.0+local", "1.0+LOCAL", false, true},
	{"==1.0+local", "1.0", false, false},
	{"==1.0+local", "1.0+other", false, false},
	{"!=1.0", "1.0", false, false},
	{"!=1.0", "1.0+x", false, false},
	{"!=1.0", "1.0.post1", false, true},
	{"!=1.0+x", "1.0", false, true},
	{"!=1.0a1", "1.0a2", false, false}, // != does not name a pre-release
	{"!=1.0a1", "1.0a2", true, true},
	// Prefix matches.
	{"==1.2.*", "1.2", false, true},
	{"==1.2.*", "1.2.3", false, true},
	{"==1.2.*", "1.2.3.post1+x", false, true},
	{"==1.2.*", "1.3", false, false},
	{"==1.2.*", "1.20", false, false},
	{"==1.2.*", "1.1.9", false, false},
	{"==1.0.*", "1", false, true},
	{"==1.*", "1.0a1", false, false},
	{"==1.*", "1.0a1", true, true},
	{"==1.*", "1!1.0", false, false},
	{"==1!1.*", "1!1.5", false, true},
	{"==1!1.*", "1.5", false, false},
	{"!=1.2.*", "1.2.5", false, false},
	{"!=1.2.*", "1.3", false, true},
	{"!=1.2.*", "1.2.dev0", true, false},
	// <= and >=.
	{"<=1.0", "1.0", false, true},
	{"<=1.0", "1.0+local", false, true},
	{"<=1.0", "1.0.post1", false, false},
	{"<=1.0", "0.9", false, true},
	{">=1.0", "1.0", false, true},
	{">=1.0", "1.0+local", false, true},
	{">=1.0", "0.9.9", false, false},
	{">=1.0", "1.1a1", false, false},
	{">=1.0", "1.1a1", true, true},
	{">=1.0", "1.0a1", true, false},
	{">=1.0b1", "1.0b2", false, true}, // the clause names a pre-release
	{">=1.0b1", "1.1.dev1", false, true},
	{"<=2.0.dev1", "1.5a1", false, true},
	// Exclusive <.
	{"<2.0", "1.9", false, true},
	{"<2.0", "1.9+local", false, true},
	{"<2.0", "2.0", false, false},
	{"<2.0", "1.9a1", false, false},
	{"<2.0", "1.9a1", true, true},
	{"<2.0", "2.0a1", true, false}, // a pre-release of 2.0
	{"<2.0", "2.0.dev0", true, false},
	{"<2.0", "2.0.0rc1", true, false},
	{"<2.0rc1", "2.0b1", false, true},
	{"<2.0rc1", "2.0.dev5", false, true},
	{"<2.0rc1", "2.0rc1", false, false},
	{"<1.0.post1", "1.0", false, true},
	{"<1.0.post1", "1.0.post0", false, true},
	{"<1.0.post1", "1.0.post1.dev0", true, false},
	{"<1.0.post1", "1.0a1", true, true},
	{"<0", "0.dev0", true, false},
	// Exclusive >.
	{">1.0", "1.0.1", false, true},
	{">1.0", "1.1.post1", false, true},
	{">1.0", "1.0", false, false},
	{">1.0", "1.0+local", false, false},
	{">1.0", "1.0.post1", false, false},
	{">1.0", "1.0.0.post1+x", false, false},
	{">1.0", "1.0.post1.dev1", true, false},
	{">1.0", "1.1.dev0", true, true},
	{">1.0.post1", "1.0.post2", false, true},
	{">1.0.post1", "1.0.post2+x", false, true},
	{">1.0.post1", "1.0.post1+x", false, false},
	{">1.0a1", "1.0a2", false, true},
	{">1.0a1", "1.0", false, true},
	{">1.0a1", "1.0+x", false, true},
	{">1.0a1", "1.0a1+x", false, false},
	{">1.0a1", "1.0a1.post1", false, false},
	{">1.0.dev1", "1.0.dev2", false, true},
	{">1.0.dev1", "1.0.dev1+x", false, false},
	{">1.0.dev1", "1.0.post1", false, true},
	// Compatible release.
	{"~=1.4.2", "1.4.2", false, true},
	{"~=1.4.2", "1.4.9", false, true},
	{"~=1.4.2", "1.4.2.post1", false, true},
	{"~=1.4.2", "1.4.2+local", false, true},
	{"~=1.4.2", "1.4.1", false, false},
	{"~=1.4.2", "1.5", false, false},
	{"~=1.4.2", "1.5.dev0", true, false},
	{"~=1.4", "1.9", false, true},
	{"~=1.4", "2.0", false, false},
	{"~=1.4", "1.4.0.0", false, true},
	{"~=1.4.5a4", "1.4.5a4", false, true},
	{"~=1.4.5a4", "1.4.5", false, true},
	{"~=1.4.5a4", "1.4.9b1", false, true},
	{"~=1.4.5a4", "1.5", false, false},
	{"~=1.4.5.post2", "1.4.5.post3", false, true},
	{"~=1.4.5.post2", "1.4.6", false, true},
	{"~=1!1.4", "1!1.5", false, true},
	{"~=1!1.4", "1.5", false, false},
	{"~=2.2.0", "2.2.1", false, true},
	{"~=2.2.0", "2.3", false, false},
	// Arbitrary equality.
	{"===1.0", "1.0", false, true},
	{"===1.0", "1.0.0", false, false},
	{"===1.0", "1.0+local", false, false},
	{"===1.0+LOCAL", "1.0+local", false, true},
	{"===1.0+\u212a", "1.0+k", false, true},
	{"===foo", "1.0", false, false},
	{"===", "1.0", false, false},
	{"===1.0a1", "1.0a1", false, true}, // names a pre-release
	// Sets.
	{">=1.0,<2.0", "1.5", false, true},
	{">=1.0,<2.0", "2.0", false, false},
	{">=1.0,<2.0", "0.9", false, false},
	{"~=1.4.2, !=1.4.5, <2", "1.4.5", false, false},
	{"~=1.4.2, !=1.4.5, <2", "1.4.6", false, true},
	{"~=1.4.2, !=1.4.5, <2", "1.4.6rc1", false, false},
	{">=1.0rc1, <2", "1.9a1", false, true}, // one clause names a pre-release
	{" >= 1.0 ,, < 2 , ", "1.5", false, true},
	{"", "1.0", false, true},
	{"", "1.0a1", false, false},
	{"", "1.0a1", true, true},
	{"", "1.0.post1", false, true},
}

func TestSpecifierSetContains(t *testing.T) {
	for _, tt := range specifierCases {
		ss, err := ParseSpecifierSet(tt.spec)
		if err != nil {
			t.Errorf("ParseSpecifierSet(%q): %v", tt.spec, err)
			continue
		}
		v := mustVersion(t, tt.version)
		if got := ss.Contains(v, tt.pre); got != tt.want {
			t.Errorf("ParseSpecifierSet(%q).Contains(%s, %v) = %v, want %v", tt.spec, v, tt.pre, got, tt.want)
		}
	}
}

func TestParseSpecifierSetNormalization(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{" , ,", ""},
		{">=1.0,<2.0", ">=1.0,<2.0"},
		{"  >= 1.0 , ==V1.2.* ,,  ~=1.4.2a", ">=1.0,==1.2.*,~=1.4.2a0"},
		{"==1.0+Ubuntu-1", "==1.0+ubuntu.1"},
		{"!= 01.0.*", "!=1.0.*"},
		{"=== Foo-Bar ", "===Foo-Bar"},
		{"====1", "====1"},
		{"<1!2.0-1\t", "<1!2.0.post1"},
		{"\u00a0>1.0\u2003", ">1.0"},
	} {
		ss, err := ParseSpecifierSet(tt.in)
		if err != nil {
			t.Errorf("ParseSpecifierSet(%q): %v", tt.in, err)
			continue
		}
		if got := ss.String(); got != tt.want {
			t.Errorf("ParseSpecifierSet(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	s, err := ParseSpecifier(" ~= 1.4.2 ")
	if err != nil || s.Operator() != "~=" || s.Version().String() != "1.4.2" || s.Wildcard() {
		t.Errorf("ParseSpecifier(~= 1.4.2) = %+v, %v", s, err)
	}
	s, err = ParseSpecifier("!=1.2.*")
	if err != nil || s.Operator() != "!=" || s.Version().String() != "1.2" || !s.Wildcard() {
		t.Errorf("ParseSpecifier(!=1.2.*) = %+v, %v", s, err)
	}
}

var invalidSpecifiers = []string{
	"1.0", "=1.0", "= =1.0", "<>1.0", "=>1.0", "=<1.0", "<==1.0", "~1.0", "~ =1.0",
	"==", ">=", "< ", "==v",
	"<1.0+local", "<=1.0+local", ">1.0+local", ">=1.0+local", "~=1.0+local",
	"~=1", "~=1!1", "~=1.0.*", ">=1.*", "<1.0.*", "==1.0a1.*", "==1.0.post1.*",
	"==1.0.dev1.*", "==1.0+local.*", "==1.*.0", "==1.*.*", "==*", "==.*", "== .*",
	"==1.0 .*", "==1 .0", "== 1.0 +local", "=== foo bar", "===foo;", "===foo)",
	"===foo\u00a0bar", "===\xff", "==1.0;", ">=1.0 <2.0", ">=1.0;<2.0", "1.0, >=1.0",
	">=1.0, foo", "==1.0\x00", ">=french", "==1.0+", "~=1.0-",
}

func TestParseSpecifierSetInvalid(t *testing.T) {
	long := ">=1.0" + strings.Repeat(",>=1.0", MaxSpecifierSetLen/6)
	longOperand := "==" + "1" + strings.Repeat(".0", MaxVersionLen/2)
	for _, in := range append(invalidSpecifiers, long, longOperand) {
		ss, err := ParseSpecifierSet(in)
		if err == nil {
			t.Errorf("ParseSpecifierSet(%q) = %q, want an error", in, ss)
			continue
		}
		if !errors.Is(err, ErrInvalidSpecifier) {
			t.Errorf("ParseSpecifierSet(%q): error %v does not wrap ErrInvalidSpecifier", in, err)
		}
	}
	if ss, err := ParseSpecifierSet("==1.0,"); err != nil || len(ss) != 1 {
		t.Errorf(`ParseSpecifierSet("==1.0,") = %q, %v`, ss, err)
	}
	if _, err := ParseSpecifierSet("==="); err != nil {
		t.Errorf(`ParseSpecifierSet("==="): %v`, err)
	}
}

func TestSpecifierSetAllocs(t *testing.T) {
	ss, err := ParseSpecifierSet("~=1.4.2, !=1.4.5, <2, ==1.*, >1.4.2.dev1")
	if err != nil {
		t.Fatal(err)
	}
	v := mustVersion(t, "1.4.6+local")
	if n := testing.AllocsPerRun(100, func() { _ = ss.Contains(v, false) }); n != 0 {
		t.Errorf("Contains: %v allocations, want 0", n)
	}
}

func BenchmarkParseSpecifierSet(b *testing.B) {
	for b.Loop() {
		_, _ = ParseSpecifierSet("~=1.4.2, !=1.4.5, <2")
	}
}

func FuzzParseSpecifierSet(f *testing.F) {
	for _, tt := range specifierCases {
		f.Add(tt.spec, tt.version)
	}
	for _, s := range invalidSpecifiers {
		f.Add(s, "1.0a1")
	}
	f.Fuzz(func(t *testing.T, spec, version string) {
		ss, err := ParseSpecifierSet(spec)
		if err != nil {
			if ss != nil {
				t.Fatalf("ParseSpecifierSet(%q) returned %q with its error", spec, ss)
			}
			return
		}
		again, err := ParseSpecifierSet(ss.String())
		if err != nil {
			t.Fatalf("ParseSpecifierSet(%q) = %q, which does not parse: %v", spec, ss, err)
		}
		if again.String() != ss.String() {
			t.Fatalf("ParseSpecifierSet(%q) = %q, which parses to %q", spec, ss, again)
		}
		v, err := ParseVersion(version)
		if err != nil {
			return
		}
		for _, pre := range []bool{false, true} {
			got := ss.Contains(v, pre)
			if again.Contains(v, pre) != got {
				t.Fatalf("%q and its normal form %q disagree on %s", ss, again, v)
			}
			if got && !pre && !ss.Contains(v, true) {
				t.Fatalf("%q contains %s without pre-releases but not with them", ss, v)
			}
		}
		// Without pre-releases asked for, a pre-release gets in only when a
		// clause names one.
		if v.IsPrerelease() && ss.Contains(v, false) && !ss.namesPrerelease() {
			t.Fatalf("%q lets in pre-release %s", ss, v)
		}
		for _, s := range ss {
			if s.op == "!=" || s.op == "==" {
				flip := s
				flip.op = map[string]string{"==": "!=", "!=": "=="}[s.op]
				if flip.Matches(v) == s.Matches(v) {
					t.Fatalf("%s and %s agree on %s", s, flip, v)
				}
			}
		}
	})
}
