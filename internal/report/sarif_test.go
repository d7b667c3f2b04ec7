package report

import (
	"encoding/json"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/airlock-sec/airlock/internal/model"
)

// Loose views of SARIF for checking what GitHub code scanning requires.
type checkLog struct {
	Schema  *string `json:"$schema"`
	Version *string `json:"version"`
	Runs    []struct {
		Tool *struct {
			Driver *struct {
				Name           string `json:"name"`
				Version        string `json:"version"`
				InformationURI string `json:"informationUri"`
				Rules          []struct {
					ID               string                  `json:"id"`
					Name             string                  `json:"name"`
					ShortDescription *checkText              `json:"shortDescription"`
					FullDescription  *checkText              `json:"fullDescription"`
					HelpURI          string                  `json:"helpUri"`
					Default          *struct{ Level string } `json:"defaultConfiguration"`
					Properties       map[string]any          `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    *string    `json:"ruleId"`
			RuleIndex *int       `json:"ruleIndex"`
			Level     string     `json:"level"`
			Message   *checkText `json:"message"`
			Locations []struct {
				PhysicalLocation *struct {
					ArtifactLocation *struct {
						URI string `json:"uri"`
					} `json:"artifactLocation"`
					Region *struct {
						StartLine int `json:"startLine"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Suppressions        []struct {
				Kind          string `json:"kind"`
				Status        string `json:"status"`
				Justification string `json:"justification"`
			} `json:"suppressions"`
			Properties map[string]any `json:"properties"`
		} `json:"results"`
		Invocations []struct {
			ExecutionSuccessful *bool `json:"executionSuccessful"`
			Notifications       []struct {
				Level     string     `json:"level"`
				Message   *checkText `json:"message"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
	} `json:"runs"`
}

type checkText struct {
	Text string `json:"text"`
}

var levels = []string{"error", "warning", "note", "none"}

func TestSARIFStructure(t *testing.T) {
	out := render(t, fixture(), "sarif", Options{Rules: testRules(), BaseDir: testBase})
	var log checkLog
	dec := json.NewDecoder(strings.NewReader(string(out)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&log); err != nil {
		t.Fatalf("sarif does not decode into the checked shape: %v", err)
	}
	if log.Schema == nil || *log.Schema != "https://json.schemastore.org/sarif-2.1.0.json" {
		t.Errorf("$schema = %v", log.Schema)
	}
	if log.Version == nil || *log.Version != "2.1.0" {
		t.Errorf("version = %v", log.Version)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(log.Runs))
	}
	run := log.Runs[0]
	if run.Tool == nil || run.Tool.Driver == nil {
		t.Fatal("no tool.driver")
	}
	d := run.Tool.Driver
	if d.Name != "airlock" || d.Version != "0.1.0-test" || d.InformationURI == "" {
		t.Errorf("driver = %q %q %q", d.Name, d.Version, d.InformationURI)
	}
	ruleIDs := map[string]int{}
	for i, r := range d.Rules {
		if r.ID == "" || r.Name == "" || r.ShortDescription == nil || r.ShortDescription.Text == "" ||
			r.FullDescription == nil || r.FullDescription.Text == "" || r.Default == nil {
			t.Errorf("rule %d lacks required fields: %+v", i, r)
			continue
		}
		if _, dup := ruleIDs[r.ID]; dup {
			t.Errorf("rule %q listed twice", r.ID)
		}
		ruleIDs[r.ID] = i
		if !slices.Contains(levels, r.Default.Level) {
			t.Errorf("rule %q: level %q", r.ID, r.Default.Level)
		}
		tags, _ := r.Properties["tags"].([]any)
		if !slices.Contains(tags, any("security")) {
			t.Errorf("rule %q: tags %v lack security", r.ID, tags)
		}
		ss, ok := r.Properties["security-severity"].(string)
		if v, err := strconv.ParseFloat(ss, 64); !ok || err != nil || v < 0 || v > 10 {
			t.Errorf("rule %q: security-severity %v", r.ID, r.Properties["security-severity"])
		}
		if r.HelpURI != "" {
			if u, err := url.Parse(r.HelpURI); err != nil || u.Scheme != "https" {
				t.Errorf("rule %q: helpUri %q", r.ID, r.HelpURI)
			}
		}
	}
	if got := d.Rules[ruleIDs["static/pth-exec"]]; got.HelpURI != "https://github.com/airlock-sec/airlock/blob/main/docs/rules/static-pth-exec.md" ||
		got.ShortDescription.Text != "Executable .pth file" || got.Default.Level != "error" || got.Properties["security-severity"] != "9.5" {
		t.Errorf("static/pth-exec rule = %+v", got)
	}
	if _, ok := ruleIDs["workflow/unpinned-action"]; !ok {
		t.Error("rule given in Options.Rules but unused is missing")
	}
	if i, ok := ruleIDs["advisory/known-malicious"]; !ok {
		t.Error("rule referenced but not in Options.Rules has no entry")
	} else if r := d.Rules[i]; r.Default.Level != "error" || r.HelpURI != "" {
		t.Errorf("minimal rule entry = %+v", r)
	}

	if len(run.Results) != fixture().Summary.Findings {
		t.Errorf("%d results, want %d", len(run.Results), fixture().Summary.Findings)
	}
	fps := map[string]bool{}
	byKey := map[string]int{}
	for i, res := range run.Results {
		if res.RuleID == nil || res.RuleIndex == nil || res.Message == nil || res.Message.Text == "" {
			t.Errorf("result %d lacks ruleId, ruleIndex or message", i)
			continue
		}
		if *res.RuleIndex < 0 || *res.RuleIndex >= len(d.Rules) || d.Rules[*res.RuleIndex].ID != *res.RuleID {
			t.Errorf("result %d: ruleIndex %d does not point at %q", i, *res.RuleIndex, *res.RuleID)
		}
		if !slices.Contains(levels[:3], res.Level) {
			t.Errorf("result %d: level %q", i, res.Level)
		}
		if len(res.Locations) == 0 || res.Locations[0].PhysicalLocation == nil || res.Locations[0].PhysicalLocation.ArtifactLocation == nil {
			t.Errorf("result %d has no physical location", i)
			continue
		}
		pl := res.Locations[0].PhysicalLocation
		u, err := url.Parse(pl.ArtifactLocation.URI)
		if err != nil || pl.ArtifactLocation.URI == "" || u.IsAbs() || strings.HasPrefix(u.Path, "/") || strings.Contains(pl.ArtifactLocation.URI, `\`) {
			t.Errorf("result %d: uri %q is not a relative path", i, pl.ArtifactLocation.URI)
		}
		if pl.Region != nil && pl.Region.StartLine < 1 {
			t.Errorf("result %d: startLine %d", i, pl.Region.StartLine)
		}
		fp := res.PartialFingerprints["airlock/v1"]
		if len(fp) != 64 || fps[fp] {
			t.Errorf("result %d: fingerprint %q missing or repeated", i, fp)
		}
		fps[fp] = true
		for _, k := range []string{"package", "verdict", "score", "layers", "innerPath"} {
			if _, ok := res.Properties[k]; !ok {
				t.Errorf("result %d: properties lack %q", i, k)
			}
		}
		byKey[*res.RuleID+" "+res.Properties["package"].(string)] = i
	}

	// An archive: the archive is the uri, no region; inner path and layers in
	// message and properties.
	pth := run.Results[byKey["static/pth-exec pypi:litellm@1.82.8"]]
	if pl := pth.Locations[0].PhysicalLocation; pl.ArtifactLocation.URI != "dist/litellm-1.82.8-py3-none-any.whl" || pl.Region != nil {
		t.Errorf("archive location = %q region %v", pl.ArtifactLocation.URI, pl.Region)
	}
	if !strings.Contains(pth.Message.Text, "pypi:litellm@1.82.8") || !strings.Contains(pth.Message.Text, "litellm_init.pth:1 → base64 → base64") {
		t.Errorf("message %q lacks package or layers", pth.Message.Text)
	}
	if pth.Level != "error" || pth.Properties["innerPath"] != "litellm_init.pth" || pth.Properties["line"] != 1.0 {
		t.Errorf("pth result = %+v", pth)
	}
	if ev, _ := pth.Properties["evidence"].(string); strings.ContainsAny(ev, "\x1b\x07") || ev == "" {
		t.Errorf("evidence not sanitized: %q", ev)
	}
	// A directory under the base dir: the file itself, relative, with its line.
	inst := run.Results[byKey["static/install-script npm:left-pad-ng@0.0.3"]]
	if pl := inst.Locations[0].PhysicalLocation; pl.ArtifactLocation.URI != "node_modules/left-pad-ng/package.json" || pl.Region == nil || pl.Region.StartLine != 7 {
		t.Errorf("directory location = %q region %v", pl.ArtifactLocation.URI, pl.Region)
	}
	if inst.Level != "warning" {
		t.Errorf("medium finding level = %q", inst.Level)
	}

	// An allow-listed package: its results are suppressed, others are not.
	allowed := run.Results[byKey["static/install-script pypi:internal-tool@0.1.0"]]
	if len(allowed.Suppressions) != 1 || allowed.Suppressions[0].Kind != "external" || !strings.Contains(allowed.Suppressions[0].Justification, "allow-list") {
		t.Errorf("allow-listed result suppressions = %+v", allowed.Suppressions)
	}
	if len(inst.Suppressions) != 0 {
		t.Errorf("result of a warned package is suppressed: %+v", inst.Suppressions)
	}

	if len(run.Invocations) != 1 || run.Invocations[0].ExecutionSuccessful == nil || len(run.Invocations[0].Notifications) != 2 {
		t.Errorf("diagnostics not reported as notifications: %+v", run.Invocations)
	}
}

func TestSARIFStable(t *testing.T) {
	opts := Options{Rules: testRules(), BaseDir: testBase}
	a := string(render(t, fixture(), "sarif", opts))
	r := fixture()
	r.Packages[1].Score = 999 // not part of the fingerprint
	b := string(render(t, r, "sarif", opts))
	fp := func(s string) []string {
		var log struct {
			Runs []struct {
				Results []struct {
					PartialFingerprints map[string]string `json:"partialFingerprints"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal([]byte(s), &log); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range log.Runs[0].Results {
			out = append(out, r.PartialFingerprints["airlock/v1"])
		}
		return out
	}
	if !slices.Equal(fp(a), fp(b)) {
		t.Error("fingerprints changed with the score")
	}
}

func TestSARIFLevels(t *testing.T) {
	tests := []struct {
		s            model.Severity
		level, score string
	}{
		{model.Critical, "error", "9.5"},
		{model.High, "error", "8.0"},
		{model.Medium, "warning", "5.5"},
		{model.Low, "note", "3.0"},
		{model.Info, "note", "1.0"},
	}
	for _, tc := range tests {
		if got := sarifLevel(tc.s); got != tc.level {
			t.Errorf("sarifLevel(%v) = %q, want %q", tc.s, got, tc.level)
		}
		if got := securitySeverity(tc.s); got != tc.score {
			t.Errorf("securitySeverity(%v) = %q, want %q", tc.s, got, tc.score)
		}
	}
}

func TestDiskPathURI(t *testing.T) {
	base := filepath.FromSlash("/home/dev/project")
	tests := []struct {
		in, want string
	}{
		{"dist/a.whl", "dist/a.whl"},
		{"./dist/../dist/a.whl", "dist/a.whl"},
		{filepath.FromSlash("/home/dev/project/dist/a b#1.whl"), "dist/a%20b%231.whl"},
		{filepath.FromSlash("/home/dev/project"), "."},
		{filepath.FromSlash("/home/dev/projectx/a.whl"), "file:///home/dev/projectx/a.whl"},
		{filepath.FromSlash("/tmp/a.whl"), "file:///tmp/a.whl"},
		{"c:weird/a.whl", "./c:weird/a.whl"},
		{"node_modules/@scope/util", "node_modules/@scope/util"},
	}
	for _, tc := range tests {
		if got := toDiskPath(tc.in, base).uri(); got != tc.want {
			t.Errorf("uri of %q = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRuleName(t *testing.T) {
	for in, want := range map[string]string{
		"static/pth-exec":          "StaticPthExec",
		"workflow/unpinned-action": "WorkflowUnpinnedAction",
		"a":                        "A",
	} {
		if got := ruleName(in); got != want {
			t.Errorf("ruleName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCleanInnerPath(t *testing.T) {
	for in, want := range map[string]string{
		"a/b.py":      "a/b.py",
		"./a//b.py":   "a/b.py",
		`a\b.py`:      "a/b.py",
		"../etc/pass": "",
		"/abs":        "",
		"":            "",
		".":           "",
	} {
		if got := cleanInnerPath(in); got != want {
			t.Errorf("cleanInnerPath(%q) = %q, want %q", in, got, want)
		}
	}
}
