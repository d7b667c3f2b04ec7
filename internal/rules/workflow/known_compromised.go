package workflow

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
	wf "github.com/airlock-sec/airlock/internal/workflow"
)

//go:embed compromised.json
var compromisedJSON []byte

type compromised struct {
	Names    []string `json:"names"`
	Tags     []string `json:"tags"`
	Commits  []string `json:"commits"`
	Below    string   `json:"below"`
	Fixed    string   `json:"fixed"`
	Advisory string   `json:"advisory"`
	Window   string   `json:"window"`
	What     string   `json:"what"`
}

var compromisedData = sync.OnceValue(func() []compromised {
	var d struct {
		Entries []compromised `json:"entries"`
	}
	if err := json.Unmarshal(compromisedJSON, &d); err != nil {
		panic("compromised.json: " + err.Error()) // embedded data; a test parses it
	}
	return d.Entries
})

// KnownCompromised reports references to CI components whose tags or
// commits are known to have been malicious.
type KnownCompromised struct{}

func (KnownCompromised) Meta() rules.Meta {
	return rules.Meta{
		ID:    "workflow/known-compromised",
		Title: "reference to a CI component known to have been compromised",
		Description: "The component is on airlock's list of known-compromised CI references (shipped as data in " +
			"`internal/rules/workflow/compromised.json`): tj-actions/changed-files and reviewdog (March 2025), " +
			"aquasecurity/trivy-action and setup-trivy (March 2026, tags below 0.35.0), Checkmarx kics-github-action " +
			"(March 2026). A reference by an affected tag, or a pin to a known malicious commit, is critical: if the " +
			"workflow ran in the exposure window, treat every secret the job could read as stolen and rotate it. " +
			"A pin to any other commit is not reported.",
		Severity: model.Critical,
	}
}

func (KnownCompromised) Check(_ *Context, f *wf.File, r *rules.Reporter) {
	check := func(ref *wf.Ref) {
		if ref == nil || ref.Kind != "action" && ref.Kind != "reusable-workflow" {
			return
		}
		name := actionName(ref)
		for _, e := range compromisedData() {
			if !containsFold(e.Names, name) {
				continue
			}
			v := ref.Version
			var why string
			switch {
			case isSHA(v):
				if !containsFold(e.Commits, v) {
					continue
				}
				why = fmt.Sprintf("is pinned to the malicious commit %q", v)
			case tagAffected(e, v):
				why = fmt.Sprintf("is referenced by tag %q, which was re-pointed to malicious code (%s)", v, e.Window)
			default:
				continue
			}
			msg := fmt.Sprintf("%q %s: %s [%s]; rotate every secret this job could read", ref.Name, why, e.What, e.Advisory)
			if e.Fixed != "" {
				msg += fmt.Sprintf(", and pin %s or later by commit SHA", e.Fixed)
			}
			r.Report(at(f, ref.Raw.Pos, model.Critical, msg))
		}
	}
	eachUses(f, check)
}

func tagAffected(e compromised, v string) bool {
	if v == "" {
		return false
	}
	if e.Below != "" {
		return versionLess(strings.TrimPrefix(v, "v"), e.Below)
	}
	for _, t := range e.Tags {
		if t == "*" || strings.EqualFold(t, v) {
			return true
		}
	}
	return false
}

// versionLess compares dotted numeric versions; a non-numeric tag (a
// branch) counts as affected.
func versionLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) || i < len(bs); i++ {
		var x, y int
		if i < len(as) {
			if _, err := fmt.Sscanf(as[i], "%d", &x); err != nil {
				return true
			}
		}
		if i < len(bs) {
			fmt.Sscanf(bs[i], "%d", &y)
		}
		if x != y {
			return x < y
		}
	}
	return false
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
