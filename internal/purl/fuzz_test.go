package purl

import (
	"reflect"
	"testing"
)

// FuzzParse checks that Parse never panics and that whatever it accepts
// renders to a string that parses back to the same components (and
// renders to itself).
func FuzzParse(f *testing.F) {
	for _, tt := range specCases {
		f.Add(tt.in)
	}
	for _, s := range []string{
		"pkg:npm/@babel/core@7.0.0",
		"pkg:npm/%40babel/core@7.0.0?a=b&c=d#x/y",
		"pkg:golang/github.com/Azure/go-autorest@v1.0.0%2Bincompatible",
		"pkg:pypi/Foo_Bar@1.0",
		"pkg:x/@",
		"pkg:x/a/@b/c",
		"pkg:x//a//b//@1//",
		"pkg:x/a?=&=b&k=%25#%2e%2E/./..",
		"pkg:",
		"pkg:/",
		"#?@",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Parse(s)
		if err != nil {
			return
		}
		str := p.String()
		p2, err := Parse(str)
		if err != nil {
			t.Fatalf("Parse(%q) = %+v, rendered %q, which does not parse: %v", s, p, str, err)
		}
		if !reflect.DeepEqual(p, p2) {
			t.Fatalf("Parse(%q) = %+v\nrendered %q parses to %+v", s, p, str, p2)
		}
		if str2 := p2.String(); str2 != str {
			t.Fatalf("rendering not stable: %q then %q", str, str2)
		}
		if b, err := Build(p); err != nil || b != str {
			t.Fatalf("Build(Parse(%q)) = %q, %v; String gave %q", s, b, err, str)
		}
	})
}
