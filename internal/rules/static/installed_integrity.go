package static

import (
	"path"

	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
)

// InstalledIntegrity checks installed environments: startup files no
// distribution owns, and files that differ from their RECORD hash.
type InstalledIntegrity struct{}

func (InstalledIntegrity) Meta() rules.Meta {
	return rules.Meta{
		ID:    "static/installed-integrity",
		Title: "installed files not matching their records",
		Description: "In a site-packages directory every file should belong to a distribution and match the hash in its `RECORD`. A `.pth` file that no " +
			"distribution owns was dropped by something other than pip (a payload's second stage, a compromised build step); a file whose hash differs " +
			"was changed after installation. Startup files (`.pth`, `sitecustomize.py`) are high severity, modified code medium, modified metadata and data files low (distributions patch those).",
		Severity:     model.High,
		Ecosystems:   []model.Ecosystem{model.PyPI},
		Capabilities: []model.Capability{model.CapHook},
	}
}

func (InstalledIntegrity) Check(in *rules.Input, r *rules.Reporter) {
	for _, p := range in.OrphanPth {
		r.Report(model.Finding{Severity: model.High, Path: p, Context: model.Startup, Message: "startup file " + shortQuote(p) + " is not owned by any installed distribution",
			Capabilities: []model.Capability{model.CapHook}})
	}
	for _, p := range in.HashMismatch {
		sev := model.Low // metadata, data files: distributions patch these
		caps := []model.Capability(nil)
		ctx := model.Import
		switch path.Ext(p) {
		case ".py", ".js", ".so", ".pyd", ".sh":
			sev = model.Medium
		}
		if path.Ext(p) == ".pth" || path.Base(p) == "sitecustomize.py" || path.Base(p) == "usercustomize.py" {
			sev = model.High
			caps = []model.Capability{model.CapHook}
			ctx = model.Startup
		}
		r.Report(model.Finding{Severity: sev, Path: p, Context: ctx, Message: "file " + shortQuote(p) + " does not match the hash in RECORD: changed after installation", Capabilities: caps})
	}
}
