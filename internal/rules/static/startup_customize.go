package static

import (
	"path"

	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
)

// StartupCustomize flags sitecustomize/usercustomize modules shipped by a
// package: Python imports them at every start.
type StartupCustomize struct{}

func (StartupCustomize) Meta() rules.Meta {
	return rules.Meta{
		ID:    "static/startup-customize",
		Title: "package ships sitecustomize or usercustomize",
		Description: "`sitecustomize.py` and `usercustomize.py` on the path are imported by Python's `site` module at every interpreter start. " +
			"A library has no reason to ship one; whatever else the module does is scored as startup code.",
		Severity:     model.Medium,
		Ecosystems:   []model.Ecosystem{model.PyPI},
		Capabilities: []model.Capability{model.CapHook},
	}
}

func (StartupCustomize) Check(in *rules.Input, r *rules.Reporter) {
	for _, f := range in.Files {
		base := path.Base(f.Path)
		if (base == "sitecustomize.py" || base == "usercustomize.py") && f.Context == model.Startup {
			r.Report(model.Finding{Severity: model.Medium, Path: f.Path, Line: 1, Context: model.Startup,
				Message: "package ships " + shortQuote(base) + ", which Python imports at every start", Capabilities: []model.Capability{model.CapHook}})
		}
	}
}
