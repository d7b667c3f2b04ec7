package policy

import (
	"strings"
	"testing"
	"time"

	"github.com/airlock-sec/airlock/internal/model"
)

func f(path string, sev model.Severity, ctx model.Context, caps ...model.Capability) model.Finding {
	return model.Finding{Rule: "static/x", Path: path, Severity: sev, Context: ctx, Capabilities: caps}
}

func TestScoreCombinations(t *testing.T) {
	cases := []struct {
		name string
		fs   []model.Finding
		want model.Verdict
	}{
		{"nothing", nil, model.Allow},
		{"sdk reads aws credentials and uses network", []model.Finding{
			f("boto/creds.py", model.Medium, model.Import, model.CapCredentials),
			f("boto/creds.py", model.Low, model.Import, model.CapNetwork),
			f("boto/creds.py", model.Medium, model.Import, model.CapCloudMeta),
		}, model.Allow},
		{"dependency confusion callback", []model.Finding{
			f("setup.py", model.Low, model.Install, model.CapHook),
			f("setup.py", model.Low, model.Install, model.CapRecon),
			f("setup.py", model.Low, model.Install, model.CapNetwork),
		}, model.Block},
		{"identity sent by module-level code as soon as it is imported", []model.Finding{
			f("pkg/telemetry.py", model.Low, model.Import, model.CapRecon),
			f("pkg/telemetry.py", model.Low, model.Import, model.CapNetwork),
		}, model.Block},
		{"same calls inside functions are allowed", []model.Finding{
			f("pkg/telemetry.py", model.Low, model.Runtime, model.CapRecon),
			f("pkg/telemetry.py", model.Low, model.Runtime, model.CapNetwork),
		}, model.Allow},
		{"stealer with webhook", []model.Finding{
			f("a.js", model.Medium, model.Import, model.CapCredentials),
			f("a.js", model.High, model.Import, model.CapExfilHost, model.CapNetwork),
		}, model.Block},
		{"critical alone", []model.Finding{f("x.pth", model.Critical, model.Startup, model.CapHook, model.CapExec)}, model.Block},
		{"signals spread over files do not add up to block", []model.Finding{
			f("a.py", model.Medium, model.Import, model.CapCredentials),
			f("b.py", model.Low, model.Import, model.CapNetwork),
			f("c.py", model.Low, model.Import, model.CapRecon),
		}, model.Allow},
		{"tests count half", []model.Finding{
			f("tests/t.py", model.High, model.Other, model.CapExfilHost, model.CapNetwork),
		}, model.Allow},
	}
	for _, c := range cases {
		s, why := Score(c.fs)
		if got := Decide(s, DefaultThresholds()); got != c.want {
			t.Errorf("%s: verdict %s (score %d, why %q), want %s", c.name, got, s, why, c.want)
		}
		if s > 0 && len(why) == 0 {
			t.Errorf("%s: score %d without explanation", c.name, s)
		}
	}
}

const digest = "sha256:" + "aa00aa00aa00aa00aa00aa00aa00aa00aa00aa00aa00aa00aa00aa00aa00aa00"

func TestConfigParseErrors(t *testing.T) {
	known := map[string]bool{"static/pth-exec": true}
	bad := map[string]string{
		"unknown key":         "colour: red\n",
		"unknown rule":        "rules: {disable: [static/nope]}\n",
		"bad severity":        "rules: {severity: {static/pth-exec: huge}}\n",
		"bad thresholds":      "thresholds: {warn: 200, block: 100}\n",
		"digest form":         "allow: [{digest: md5:abc, reason: r, expires: 2030-01-01}]\n",
		"missing reason":      "allow: [{digest: " + digest + ", expires: 2030-01-01}]\n",
		"bad expiry":          "allow: [{digest: " + digest + ", reason: r, expires: soon}]\n",
		"severity unknown id": "rules: {severity: {static/nope: low}}\n",
	}
	for name, y := range bad {
		if _, err := ParseConfig([]byte(y), known); err == nil {
			t.Errorf("%s: expected an error for %q", name, y)
		}
	}
	c, err := ParseConfig([]byte("rules: {disable: [static/pth-exec], severity: {static/pth-exec: low}}\n"), known)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Disabled("static/pth-exec") || c.Rules.Severity["static/pth-exec"] != model.Low {
		t.Errorf("config not applied: %+v", c.Rules)
	}
	empty, err := ParseConfig(nil, known)
	if err != nil || empty.Thresholds != DefaultThresholds() {
		t.Errorf("empty config: %v %+v", err, empty)
	}
}

func TestAllowListAndExpiry(t *testing.T) {
	c, err := ParseConfig([]byte("allow:\n  - {package: pypi:x@1, digest: "+digest+", reason: reviewed SEC-1, expires: 2026-06-30}\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	mk := func() *model.Result {
		return &model.Result{Package: model.Package{Digest: digest, Path: "x.whl"}, Findings: []model.Finding{f("x.pth", model.Critical, model.Startup, model.CapHook)}}
	}
	r := mk()
	if d := c.Judge(r, time.Date(2026, 6, 30, 23, 0, 0, 0, time.UTC)); len(d) != 0 || r.Verdict != model.Allow || r.Allowed == "" {
		t.Errorf("entry valid through its expiry day: verdict %s, diags %v", r.Verdict, d)
	}
	if !strings.Contains(strings.Join(r.Explanation, "\n"), "allow-listed") {
		t.Errorf("allow-list not explained: %q", r.Explanation)
	}
	r = mk()
	d := c.Judge(r, time.Date(2026, 7, 1, 0, 0, 1, 0, time.UTC))
	if r.Verdict != model.Block || len(d) != 1 || !strings.Contains(d[0].Message, "expired") {
		t.Errorf("expired entry must not apply: verdict %s, diags %v", r.Verdict, d)
	}
	r = mk()
	r.Digest = "sha256:" + strings.Repeat("b", 64)
	if c.Judge(r, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); r.Verdict != model.Block {
		t.Errorf("other digest must not be allowed")
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add([]byte("thresholds: {warn: 40, block: 100}\nrules: {disable: [static/pth-exec]}\n"))
	f.Add([]byte("allow:\n  - {digest: " + digest + ", reason: r, expires: 2030-01-01}\n"))
	f.Add([]byte("rules:\n  severity:\n    static/pth-exec: critical\n"))
	f.Add([]byte("{{{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseConfig(data, map[string]bool{"static/pth-exec": true})
		if err == nil && (c.Thresholds.Block <= 0 || c.Thresholds.Warn > c.Thresholds.Block) {
			t.Fatalf("accepted invalid thresholds %+v", c.Thresholds)
		}
	})
}
