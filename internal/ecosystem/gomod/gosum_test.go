package gomod

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestParseGoSumFull(t *testing.T) {
	ds, diags, err := ParseGoSum("testdata/full.sum", readTestdata(t, "full.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if len(diags) > 0 {
		t.Errorf("unexpected diagnostics %q", messages(diags))
	}
	type sum struct {
		Line          int
		Name, Version string
		Hashes        []string
	}
	var got []sum
	for _, d := range ds {
		got = append(got, sum{d.Line, d.Name, d.Version, d.Hashes})
		if d.Path != "testdata/full.sum" || d.Ecosystem != "go" || d.Direct || d.Unpinned || d.Source != "" {
			t.Errorf("dependency fields: %+v", d)
		}
	}
	want := []sum{
		{1, "github.com/google/uuid", "v1.6.0", []string{"h1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0="}},
		{3, "github.com/inconshreveable/mousetrap", "v1.1.0", []string{"h1:wN+x4NVGpMsO7ErUn/mUI3vEoE6Jt13X2s0bqwp9tc8="}},
		{5, "github.com/old/lib", "v2.3.4+incompatible", []string{"h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}},
		{7, "github.com/spf13/cobra", "v1.8.1", []string{"h1:e5/vxKd/rZsfSJMUX1agtjeTDf+qv1/JdBF8gg5k9ZM="}},
		{9, "github.com/spf13/pflag", "v1.0.5", []string{"h1:iy+VFUOCP1a+8yFto/drg2CJ5u0yRoB7fZw3DKv/JXA="}},
		{11, "golang.org/x/sync", "v0.10.0", []string{"h1:3NQrjDixjgGwUOCaF8w2+VYHv0Ve/vGYSbdkTa98gmQ="}},
		// golang.org/x/sys v0.26.0 (line 13) has only a go.mod hash.
		{14, "golang.org/x/sys", "v0.28.0", []string{"h1:Fksou7UEQUWlKvIdsqzJmUmCX3cZuD2+P3XyyzwMhlA="}},
		{16, "golang.org/x/text", "v0.21.0", []string{"h1:zyQAAkrwaneQ066sspRyJaG9VNi/YJ1NfzcGB3hZ/qo="}},
		{18, "gopkg.in/check.v1", "v0.0.0-20161208181325-20d25e280405", []string{"h1:yhCVgyC4o1eVCa2tZl7eS0r+SDo693bJlVdllGtEeKM="}},
		{20, "gopkg.in/yaml.v3", "v3.0.1", []string{"h1:fxVm/GzAzEWqLHuvctI91KS9hhNmmWOoWu0XTYJS7CA="}},
		// k8s.io/client-go (line 22) has only a go.mod hash; line 25
		// repeats line 24.
		{24, "github.com/pseudo/release", "v1.2.4-0.20231231235959-abcdefabcdef", []string{"h1:CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCA="}},
		{26, "example.com/crlf", "v1.0.0", []string{"h1:DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDA="}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("dependencies:\n got %+v\nwant %+v", got, want)
	}
}

func TestReadGoSum(t *testing.T) {
	es, diags, err := ReadGoSum("go.sum", readTestdata(t, "full.sum"))
	if err != nil || len(diags) > 0 {
		t.Fatal(err, messages(diags))
	}
	if len(es) != 25 {
		t.Errorf("%d entries, want 25 (26 lines, one repeated)", len(es))
	}
	gomod := 0
	for _, e := range es {
		if e.GoMod {
			gomod++
			if strings.HasSuffix(e.Version, "/go.mod") {
				t.Errorf("version %q keeps /go.mod", e.Version)
			}
		}
	}
	if gomod != 13 {
		t.Errorf("%d go.mod entries, want 13", gomod)
	}
	if e := es[len(es)-1]; e != (SumEntry{"example.com/crlf", "v1.0.0", true, "h1:DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDA=", 27}) {
		t.Errorf("last entry %+v", e)
	}
}

func TestParseGoSumMalformed(t *testing.T) {
	ds, diags, err := ParseGoSum("go.sum", readTestdata(t, "malformed.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || ds[0].Name != "github.com/ok/one" || len(ds[0].Hashes) != 2 {
		t.Errorf("dependencies %+v", ds)
	}
	checkDiags(t, diags, []string{
		`line 2: want 3 fields (module version hash), got 2`,
		`line 3: want 3 fields (module version hash), got more`,
		`line 4: invalid module path "nodot": missing dot in first path element`,
		`line 5: "github.com/bad/version": invalid version "v1.0": not canonical`,
		`line 6: "github.com/bad/major/v2": invalid version "v1.0.0": major version should be v2`,
		`line 7: "github.com/bad/hash@v1.0.0": hash "h2:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" is not h1:`,
		`line 8: "github.com/short/hash@v1.0.0": hash "h1:AAAA" is not h1:`,
		`line 9: "github.com/notbase64/hash@v1.0.0": hash "h1:!!!`,
		`line 10: "github.com/ok/one@v1.0.0" has a second, different hash (the first is on line 1)`,
		`line 11: want 3 fields (module version hash), got more`,
	}, "go.sum")
}

func TestParseGoSumCases(t *testing.T) {
	const h = "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
	for _, tc := range []struct {
		name, src string
		deps      int
		diags     []string
	}{
		{name: "empty"},
		{name: "blank lines", src: "\n \t\n\r\n"},
		{name: "only go.mod hashes", src: "example.com/a v1.0.0/go.mod " + h + "\nexample.com/b v1.0.0/go.mod " + h + "\n"},
		{name: "tabs and no final newline", src: "example.com/a\tv1.0.0\t" + h, deps: 1},
		{name: "two /go.mod hashes", src: "example.com/a v1.0.0/go.mod " + h + "\nexample.com/a v1.0.0/go.mod h1:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=\n",
			diags: []string{`line 2: "example.com/a@v1.0.0/go.mod" has a second, different hash`}},
		{name: "go.mod suffix twice", src: "example.com/a v1.0.0/go.mod/go.mod " + h + "\n",
			diags: []string{`line 1: "example.com/a": invalid version "v1.0.0/go.mod": not a semantic version`}},
		{name: "incompatible on v1", src: "example.com/a v1.0.0+incompatible " + h + "\n",
			diags: []string{`line 1: "example.com/a": invalid version "v1.0.0+incompatible"`}},
		{name: "non-canonical base64", src: "example.com/a v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB=\n",
			diags: []string{`line 1: "example.com/a@v1.0.0": hash "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB=" is not h1:`}},
		{name: "url-safe base64", src: "example.com/a v1.0.0 h1:_-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
			diags: []string{`line 1: "example.com/a@v1.0.0": hash`}},
		{name: "control characters", src: "example.com/\x00 v1.0.0 " + h + "\n",
			diags: []string{`line 1: invalid module path "example.com/\x00": invalid char '\x00'`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds, diags, err := ParseGoSum("go.sum", []byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			if len(ds) != tc.deps {
				t.Errorf("%d dependencies, want %d", len(ds), tc.deps)
			}
			checkDiags(t, diags, tc.diags, "go.sum")
		})
	}
}

func TestParseGoSumLimits(t *testing.T) {
	if _, _, err := ParseGoSum("go.sum", make([]byte, MaxFileSize+1)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("err = %v, want ErrTooLarge", err)
	}
	var b strings.Builder
	for i := range maxEntries + 5 {
		fmt.Fprintf(&b, "example.com/m%d v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", i)
	}
	ds, diags, _ := ParseGoSum("go.sum", []byte(b.String()))
	if len(ds) != maxEntries || len(diags) != 1 || !strings.Contains(diags[0].Message, "the rest of the file was not read") {
		t.Errorf("%d dependencies, diagnostics %q", len(ds), messages(diags))
	}
	_, diags, _ = ParseGoSum("go.sum", []byte(strings.Repeat("x y\n", 1000)))
	if len(diags) != maxDiagnostics+1 {
		t.Errorf("%d diagnostics", len(diags))
	}
}
