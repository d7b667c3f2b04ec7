package npm

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/airlock-sec/airlock/internal/model"
)

// Integrity values used by the testdata lockfiles.
const (
	sriBabel      = "sha512-J67eobtznyT+JUBdvWxXiyKWeSVeIwpqSSOnYqilU5GOg2zSMDCjasFsgk9P6Rjwsngf1J/szISMIOhX8uDAFw=="
	sriDebug      = "sha512-IGyVRcglbQuX9vghGUdjPizKtlC9kF6pKI4iF0VbeM2D4OcU4I7EVNu7jF1NtCnvCg2K4VRgeCD4JBcMVJvekg=="
	sriMs200      = "sha512-GzDco1VK+DfxVedli4bMu6XC47vqtBmY8/ezspZotp8r4Hs/5pUXBizBu70MZuxmkTa9Zk713DWfcC47dVLcaA=="
	sha1Ms200     = "sha1-da7kGBFmY6ZgBiYm2JAJR6gBmV4="
	sriMs213      = "sha512-SNPMCfwMJciLloOwk1dR7uiNbEGq+2NV3Dxrg760V/KNK+Uq4w5U2vcmL31cswWNU1Fht3QgPY4jDq3ysrp7FQ=="
	sriLodash     = "sha512-fxzPxCwrTent7KYhmQeq0bJWwlz0JeL/i+kQPiTfMp16m0A2Xb0sMtBqoprlMokIPx1b6Wjvam1PKY+foW2HVQ=="
	sriExpress    = "sha512-BETSeBhc75eQie6auXgLUg3O7qEBPKTelWPeSZ1wyYuHLI2e5t9/4QYZlIa7jttOoWylKQPJ1YUDJE7ak2/xtw=="
	sriPreGyp     = "sha512-eGP6oALhLTjmvQrCgcKP4p9sVZIH8iq+f2POLPRxWFwhDKfG8aDSF4Cn59UCdc3/QOAND038w5Gve/mHkNaoow=="
	sriTypesNode  = "sha512-cSW9fq4vDFZ+A5Joh9LIgPEPDMDsaAWgvJievvQzm/hJrGlRpJdmIDccDp2azX08HvXT61R1Xeuidp08V4GN4g=="
	sriReact      = "sha512-eemt7WyP4lp5p56A5e8Te6hpPeeAcZLyKxqn7Q9XbG1N8f90duI8MAVdbJZrtLZ89Q8Ro8yv0+rHeWHYZIWngQ=="
	sriLooseEnv   = "sha512-p6tV/43Z8c4seu03wSajLEoUgCE8tth0qwIk9TQuGL/l4A1cGuu5pJMkpTfGeg4X8Ex5aYGsz2uKe7iYEkGBGw=="
	sriJSTokens   = "sha512-hgvFIIZXEh0qKUvHJA9tb+6uMdEHBUTTBVdE5bnB0HXjEjOjXG0NsMmG74DF0EoiAWA+OCL55ZseKfL6rFqqEw=="
	sriTypeScript = "sha512-s5u+hixxHQRuxUKS90Ro/yr+jsB56/5x67gr5DXB7QTC8zoo8qHGsqsmyDrN36KQuKyFGrjkJeTBkh66LNjNIQ=="
	sriFsevents   = "sha512-ooO4QSxscGtRF5OrKsYxCmGrW7zqKYLLG8pkcSCM+hyToKaLqpfpelxLPd+cSUDhQAPRZkhhQIla2opyOj/PAA=="
	sriEsbuild    = "sha512-brG1wnE5FUaLJa/YoCiv0O9en8DMg3hmj+AhY7uKM9FrLjEoiuGTt565WMV6DXKZDlXSYzlQzTJWrMSwtAvANA=="
	sriTar        = "sha512-DXXN9n9uFpcHv+FR83IiA0qVOdUi5eNpcL/CEG5COeP63rc7f/jg6BpM6jIkTXBgcCQc+W0nzBwZE+CP7ZiVig=="
	sriNopt       = "sha512-r/jHsOWvcBXEBUUhXeetcYXavPDmvRa38R5F0gCfZSxAf0XMm08oe4VAHcgiQjW/YKNE7M9SdCN2b/kjahnJkg=="
)

// dw is an expected dependency; hashes nil means none.
type dw struct {
	line          int
	name, version string
	source        string
	direct, dev   bool
	hashes        []string
}

func (w dw) String() string {
	return fmt.Sprintf("%d %s@%s src=%q direct=%v dev=%v hashes=%v", w.line, w.name, w.version, w.source, w.direct, w.dev, w.hashes)
}

func gotDW(d model.Dependency) dw {
	return dw{d.Line, d.Name, d.Version, d.Source, d.Direct, d.Dev, d.Hashes}
}

func readLock(t *testing.T, name string) (string, []byte) {
	t.Helper()
	p := filepath.Join("testdata", "lock", name)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return p, data
}

// checkDeps compares got with want entry by entry and checks the fields
// every lockfile dependency has.
func checkDeps(t *testing.T, path string, got []model.Dependency, want []dw) {
	t.Helper()
	for _, d := range got {
		if d.Ecosystem != model.NPM || d.Path != path || d.Unpinned || d.Constraint != "" {
			t.Errorf("%s: ecosystem %q, path %q, unpinned %v, constraint %q", d.Name, d.Ecosystem, d.Path, d.Unpinned, d.Constraint)
		}
	}
	n := max(len(got), len(want))
	for i := 0; i < n; i++ {
		var g, w string
		if i < len(got) {
			g = gotDW(got[i]).String()
		}
		if i < len(want) {
			w = want[i].String()
		}
		if g != w {
			t.Errorf("dependency %d:\n got  %s\n want %s", i, g, w)
		}
	}
}

// checkDiags asserts that the diagnostics are exactly those matching the
// wanted substrings, in order, all with path.
func checkDiags(t *testing.T, path string, got []model.Diagnostic, want ...string) {
	t.Helper()
	n := max(len(got), len(want))
	for i := 0; i < n; i++ {
		switch {
		case i >= len(got):
			t.Errorf("missing diagnostic %q", want[i])
		case i >= len(want):
			t.Errorf("unexpected diagnostic %q", got[i].Message)
		case !strings.Contains(got[i].Message, want[i]):
			t.Errorf("diagnostic %d: got %q, want it to contain %q", i, got[i].Message, want[i])
		}
		if i < len(got) && got[i].Path != path {
			t.Errorf("diagnostic %q has path %q", got[i].Message, got[i].Path)
		}
	}
}

func hs(h ...string) []string { return h }

// lockParser is the signature of the lock parsers.
type lockParser func(path string, data []byte) ([]model.Dependency, []model.Diagnostic, error)

// inlineCase is a small input with the dependencies and diagnostics it
// must give.
type inlineCase struct {
	name, in string
	want     []dw
	diags    []string
}

func runInlineCases(t *testing.T, parse lockParser, path string, tests []inlineCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			deps, diags, err := parse(path, []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			checkDeps(t, path, deps, tt.want)
			checkDiags(t, path, diags, tt.diags...)
		})
	}
}

// errorCase is an input that must be refused with an error containing
// want.
type errorCase struct{ name, in, want string }

func runErrorCases(t *testing.T, parse lockParser, tests []errorCase) {
	t.Helper()
	tests = append(tests, errorCase{"too large", "", "more than the 64 MiB limit"})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := []byte(tt.in)
			if tt.name == "too large" {
				in = make([]byte, MaxLockfileBytes+1)
			}
			deps, diags, err := parse("p", in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			if deps != nil || diags != nil {
				t.Errorf("results with an error: %v %v", deps, diags)
			}
		})
	}
}

// runFixture parses testdata/lock/name and checks its dependencies and
// diagnostics.
func runFixture(t *testing.T, parse lockParser, name string, want []dw, diags ...string) {
	t.Helper()
	path, data := readLock(t, name)
	deps, got, err := parse(path, data)
	if err != nil {
		t.Fatal(err)
	}
	checkDeps(t, path, deps, want)
	checkDiags(t, path, got, diags...)
}
