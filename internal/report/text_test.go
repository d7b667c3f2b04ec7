package report

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// sgr matches the colour sequences the text renderer itself emits.
var sgr = regexp.MustCompile(`\x1b\[(0|1|31|32|33)m`)

func TestTextHasNoForeignEscapes(t *testing.T) {
	plain := string(render(t, fixture(), "text", Options{Verbose: true}))
	if strings.ContainsAny(plain, "\x1b\x07\u009b") {
		t.Errorf("uncoloured text output holds an escape:\n%q", plain)
	}
	colour := string(render(t, fixture(), "text", Options{Color: true, Verbose: true}))
	if !sgr.MatchString(colour) {
		t.Error("coloured output has no colour")
	}
	if rest := sgr.ReplaceAllString(colour, ""); strings.ContainsAny(rest, "\x1b\x07\u009b") {
		t.Errorf("coloured output holds an escape it did not make:\n%q", rest)
	}
	if got := sgr.ReplaceAllString(colour, ""); got != plain {
		t.Errorf("colour changed more than colour:\n%s\n---\n%s", got, plain)
	}
}

func TestTextEvidenceCapped(t *testing.T) {
	for _, max := range []int{0, 20} {
		out := string(render(t, fixture(), "text", Options{MaxEvidence: max}))
		limit := max
		if limit == 0 {
			limit = DefaultMaxEvidence
		}
		n := 0
		for _, line := range strings.Split(out, "\n") {
			ev, ok := strings.CutPrefix(line, "    evidence: ")
			if !ok {
				continue
			}
			n++
			if c := utf8.RuneCountInString(ev); c > limit {
				t.Errorf("MaxEvidence %d: evidence has %d runes: %q", max, c, ev)
			}
		}
		if n == 0 {
			t.Errorf("MaxEvidence %d: no evidence lines", max)
		}
		if !strings.Contains(out, "…\n") {
			t.Errorf("MaxEvidence %d: long evidence not marked as cut", max)
		}
	}
}

func TestTextOrderAndCollapse(t *testing.T) {
	out := string(render(t, fixture(), "text", Options{}))
	var order []string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "BLOCK") || strings.HasPrefix(line, "WARN") || strings.HasPrefix(line, "ALLOW") {
			order = append(order, strings.Fields(line)[1])
		}
	}
	// allowed packages are summarized, except allow-listed ones
	want := []string{"pypi:litellm@1.82.8", "npm:left-pad-ng@0.0.3", "pypi:internal-tool@0.1.0"}
	if strings.Join(order, " ") != strings.Join(want, " ") {
		t.Errorf("package order = %v, want %v", order, want)
	}
	for _, want := range []string{
		"4 allowed packages (1 with low-scoring findings; listed with --verbose)",
		"7 packages: 1 block, 1 warn, 5 allow; 7 findings; 2 diagnostics\n",
		"  critical  static/pth-exec  litellm_init.pth:1 → base64 → base64\n",
		"BLOCK  pypi:litellm@1.82.8  score 180  (dist/litellm-1.82.8-py3-none-any.whl)\n",
		"  why: startup hook that executes decoded code (+100)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	// Critical findings come before high ones.
	if strings.Index(out, "static/pth-exec") > strings.Index(out, "static/credential-read") {
		t.Error("findings not sorted by severity")
	}
	verbose := string(render(t, fixture(), "text", Options{Verbose: true}))
	if strings.Contains(verbose, "with no findings") || !strings.Contains(verbose, "ALLOW  pypi:six@1.16.0  score 0") {
		t.Errorf("verbose output does not list quiet packages:\n%s", verbose)
	}
}
