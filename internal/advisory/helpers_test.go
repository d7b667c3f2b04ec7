package advisory_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/airlock-sec/airlock/internal/advisory"
)

// dotted is a test-only scheme: dot-separated non-negative integers,
// missing components count as zero ("1.2" == "1.2.0").
type dotted struct{}

func (dotted) Compare(a, b string) (int, error) {
	pa, err := parseDotted(a)
	if err != nil {
		return 0, err
	}
	pb, err := parseDotted(b)
	if err != nil {
		return 0, err
	}
	for i := 0; i < len(pa) || i < len(pb); i++ {
		var x, y uint64
		if i < len(pa) {
			x = pa[i]
		}
		if i < len(pb) {
			y = pb[i]
		}
		switch {
		case x < y:
			return -1, nil
		case x > y:
			return 1, nil
		}
	}
	return 0, nil
}

func parseDotted(s string) ([]uint64, error) {
	if s == "" {
		return nil, fmt.Errorf("empty version")
	}
	var out []uint64
	for p := range strings.SplitSeq(s, ".") {
		n, err := strconv.ParseUint(p, 10, 32)
		if err != nil {
			return nil, fmt.Errorf("invalid dotted version %q", s)
		}
		out = append(out, n)
	}
	return out, nil
}

func TestMain(m *testing.M) {
	for _, eco := range []string{"PyPI", "npm", "Debian"} {
		advisory.Register(eco, dotted{})
	}
	os.Exit(m.Run())
}

var pep503Sep = regexp.MustCompile(`[-_.]+`)

// pep503 is the PEP 503 name normalization the PyPI caller passes.
func pep503(s string) string { return strings.ToLower(pep503Sep.ReplaceAllString(s, "-")) }

func load(t testing.TB, name string) *advisory.Advisory {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := advisory.Parse(data)
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	return a
}

func mustParse(t testing.TB, js string) *advisory.Advisory {
	t.Helper()
	a, err := advisory.Parse([]byte(js))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, js)
	}
	return a
}
