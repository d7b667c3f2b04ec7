package static

import (
	"strings"

	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
)

// SetupHook flags setup.py files that replace setuptools commands, the
// classic way to run code at `pip install` time.
type SetupHook struct{}

func (SetupHook) Meta() rules.Meta {
	return rules.Meta{
		ID:    "static/setup-install-hook",
		Title: "setup.py overrides an install command",
		Description: "A `cmdclass` entry for `install`, `develop`, `egg_info`, `build_py`, `bdist_egg` or `bdist_wheel` runs the package's own code when pip builds or installs it. " +
			"The finding itself is low severity (build tooling does this too); what the overriding code does is reported by the other rules and scored as install-time code.",
		Severity:     model.Low,
		Ecosystems:   []model.Ecosystem{model.PyPI},
		Capabilities: []model.Capability{model.CapHook},
	}
}

var hookedCommands = map[string]bool{"install": true, "develop": true, "egg_info": true, "build_py": true, "bdist_egg": true, "bdist_wheel": true, "build": true, "sdist": true, "build_ext": false}

// hookedOrder lists hookedCommands in a stable order for reporting.
var hookedOrder = []string{"bdist_egg", "bdist_wheel", "build", "build_py", "develop", "egg_info", "install", "sdist"}

func (SetupHook) Check(in *rules.Input, r *rules.Reporter) {
	f := in.Lookup("setup.py")
	if f == nil || f.Facts == nil {
		return
	}
	for _, im := range f.Facts.Imports {
		for _, cmd := range hookedOrder {
			if hookedCommands[cmd] && (strings.HasSuffix(im.Name, ".command."+cmd+"."+cmd) || strings.HasSuffix(im.Name, ".command."+cmd)) {
				fd := rules.At(f.Facts, im.Line, model.Low, "setup.py subclasses the "+shortQuote(cmd)+" command to run its own code", model.CapHook)
				fd.Evidence = im.Name
				r.Report(fd)
			}
		}
	}
	for _, c := range f.Facts.Calls {
		if !strings.HasSuffix(c.Callee, "setup") {
			continue
		}
		v, ok := c.Keywords["cmdclass"]
		if !ok {
			continue
		}
		for _, cmd := range hookedOrder {
			if hookedCommands[cmd] && (strings.Contains(v, "'"+cmd+"'") || strings.Contains(v, "\""+cmd+"\"") || strings.Contains(v, cmd+"=")) {
				fd := rules.At(f.Facts, c.Line, model.Low, "setup.py replaces the "+shortQuote(cmd)+" command with its own code", model.CapHook)
				fd.Evidence = "cmdclass=" + v
				r.Report(fd)
			}
		}
	}
}
