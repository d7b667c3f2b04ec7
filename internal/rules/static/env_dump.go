package static

import (
	"strings"

	"github.com/airlock-sec/airlock/internal/analyze"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
)

// EnvDump flags code that collects the whole process environment.
type EnvDump struct{}

func (EnvDump) Meta() rules.Meta {
	return rules.Meta{
		ID:    "static/env-dump",
		Title: "collects the whole environment",
		Description: "Serializing or copying the entire environment (`dict(os.environ)`, `json.dumps(os.environ)`, `JSON.stringify(process.env)`, `printenv`, `env`) " +
			"gathers every token a CI job holds. Reading single variables is normal and not reported.",
		Severity:     model.Medium,
		Capabilities: []model.Capability{model.CapCredentials},
	}
}

var envSerializers = map[string]bool{
	"json.dumps": true, "str": true, "repr": true, "JSON.stringify": true, "Object.entries": true, "Object.keys": false,
	"base64.b64encode": true, "Buffer.from": true, "requests.post": true, "requests.get": true, "print": false, "Object.assign": false,
}

func (EnvDump) Check(in *rules.Input, r *rules.Reporter) {
	in.EachFacts(func(f *rules.File, u *analyze.Facts) {
		for _, c := range u.Calls {
			if c.Callee == "os.environ.items" && strings.Contains(lineOfCall(u, c), "join(") {
				// ' '.join('%s=%s' % kv for kv in os.environ.items())
				fd := rules.AtCall(u, c, model.Medium, "serializes the whole environment into a string", model.CapCredentials)
				fd.Evidence = lineOfCall(u, c)
				r.Report(fd)
				continue
			}
			hidden := len(u.Unit.Layers) > 0 || u.Unit.Context == model.Install || u.Unit.Context == model.Startup
			if !envSerializers[c.Callee] && !(hidden && c.Callee == "dict") {
				// dict(os.environ) is the normal way to pass an environment to a
				// child process; in decoded or install-time code it is a dump
				continue
			}
			for _, a := range c.Args {
				raw := strings.ReplaceAll(a.Raw, " ", "")
				if a.Name == "os.environ" || a.Name == "process.env" || raw == "os.environ.copy()" || raw == "dict(os.environ)" || raw == "{...process.env}" || raw == "Object.assign({},process.env)" {
					fd := rules.AtCall(u, c, model.Medium, "serializes the whole environment with "+shortQuote(c.Callee), model.CapCredentials)
					fd.Evidence = c.Text
					r.Report(fd)
				}
			}
			for k, v := range c.Keywords {
				if (v == "os.environ" || v == "process.env") && k != "env" {
					fd := rules.AtCall(u, c, model.Medium, "sends the whole environment as "+shortQuote(k), model.CapCredentials)
					fd.Evidence = c.Text
					r.Report(fd)
				}
			}
		}
		eachCommand(u, func(c analyze.Command, words []string) {
			if p := cmdName(words); (p == "printenv" || p == "env" && len(words) == 1 || p == "set" && len(words) == 1) && (u.Unit.Lang != analyze.Shell || u.Unit.Context == model.Install || u.Unit.Context == model.Startup) {
				fd := model.Finding{Severity: model.Medium, Path: u.Unit.Path, Line: c.Line, Layers: u.Unit.Layers, Context: u.Unit.Context,
					Message: "runs " + shortQuote(p) + " to dump the environment", Evidence: c.Raw, Capabilities: []model.Capability{model.CapCredentials}}
				r.Report(fd)
			}
		})
	})
}

// lineOfCall returns the source line of a call (bounded), for context.
func lineOfCall(u *analyze.Facts, c analyze.Call) string {
	if u.Unit.Child || c.Line <= 0 {
		return c.Text
	}
	t := u.Unit.Text
	line := 1
	start := 0
	for i := 0; i < len(t) && line < c.Line; i++ {
		if t[i] == '\n' {
			line++
			start = i + 1
		}
	}
	end := start
	for end < len(t) && t[end] != '\n' && end-start < 400 {
		end++
	}
	return string(t[start:end])
}
