package sweep

import (
	"context"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/airlock-sec/airlock/internal/model"
)

// TestSweepRealHost sweeps this machine ("/") and prints a summary. It
// runs only with AIRLOCK_SWEEP_REAL=1: its outcome depends on the machine.
// AIRLOCK_SWEEP_ROOTS (comma-separated) adds search roots, e.g. "/";
// AIRLOCK_SWEEP_VERBOSE=1 prints every diagnostic.
func TestSweepRealHost(t *testing.T) {
	if os.Getenv("AIRLOCK_SWEEP_REAL") != "1" {
		t.Skip("set AIRLOCK_SWEEP_REAL=1 to sweep this machine")
	}
	opt := Options{Root: "/"}
	if r := os.Getenv("AIRLOCK_SWEEP_ROOTS"); r != "" {
		opt.Roots = strings.Split(r, ",")
	}
	start := time.Now()
	res, err := Sweep(context.Background(), opt)
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	pkgs := map[model.Ecosystem]int{}
	for _, e := range res.Environments {
		kinds[e.Kind]++
		pkgs[e.Ecosystem] += len(e.Packages)
	}
	var ks []string
	for k := range kinds {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	t.Logf("sweep of / took %v", took.Round(time.Millisecond))
	t.Logf("environments: %d", len(res.Environments))
	for _, k := range ks {
		t.Logf("  %-20s %d", k, kinds[k])
	}
	t.Logf("packages: pypi %d, npm %d", pkgs[model.PyPI], pkgs[model.NPM])
	sev := map[model.Severity]int{}
	for _, r := range res.Results {
		t.Logf("result %s %s verdict=%s score=%d", r.Kind, r.Name, r.Verdict, r.Score)
		for _, f := range r.Findings {
			sev[f.Severity]++
			t.Logf("  [%s] %s %s:%d %s | %s", f.Severity, f.Rule, f.Path, f.Line, f.Message, f.Evidence)
		}
	}
	t.Logf("findings by severity: critical %d, high %d, medium %d, low %d", sev[model.Critical], sev[model.High], sev[model.Medium], sev[model.Low])
	t.Logf("diagnostics: %d", len(res.Diagnostics))
	max := 40
	if os.Getenv("AIRLOCK_SWEEP_VERBOSE") == "1" {
		max = len(res.Diagnostics)
	}
	for i, d := range res.Diagnostics {
		if i >= max {
			t.Logf("  … %d more", len(res.Diagnostics)-max)
			break
		}
		t.Logf("  %s", d)
	}
}
