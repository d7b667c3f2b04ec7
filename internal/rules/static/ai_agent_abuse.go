package static

import (
	"strings"

	"github.com/airlock-sec/airlock/internal/analyze"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
)

// AIAgentAbuse flags code that drives a locally installed AI coding
// agent with its permission checks switched off.
type AIAgentAbuse struct{}

func (AIAgentAbuse) Meta() rules.Meta {
	return rules.Meta{
		ID:    "static/ai-agent-abuse",
		Title: "drives an AI coding agent with permission checks disabled",
		Description: "The nx \"s1ngularity\" compromise (August 2025) ran `claude`, `gemini` and `q` from a `postinstall` script with " +
			"`--dangerously-skip-permissions`, `--yolo` and `--trust-all-tools` and a prompt to hunt for secrets and wallets: the agent does the stealing. " +
			"A package has no reason to start an AI agent unattended with its safeguards off. Critical in install-time or startup code, high elsewhere.",
		Severity:     model.Critical,
		Capabilities: []model.Capability{model.CapProcess, model.CapCredentials},
	}
}

// agentBypassFlags are the command-line switches that disable an agent's
// confirmation prompts or sandbox.
var agentBypassFlags = []string{
	"--dangerously-skip-permissions", "--yolo", "--trust-all-tools", "--full-auto", "--dangerously-bypass-approvals-and-sandbox",
	"--allow-all-tools", "--approval-mode=yolo", "--permission-mode=bypasspermissions",
}

func bypassFlag(s string) string {
	ls := strings.ToLower(s)
	for _, f := range agentBypassFlags {
		if strings.Contains(ls, f) {
			return f
		}
	}
	return ""
}

func (AIAgentAbuse) Check(in *rules.Input, r *rules.Reporter) {
	in.EachFacts(func(f *rules.File, u *analyze.Facts) {
		sev := model.High
		if u.Unit.Context == model.Install || u.Unit.Context == model.Startup {
			sev = model.Critical
		}
		for _, c := range u.Calls {
			if !analyze.IsProcessCall(c.Callee) {
				continue
			}
			text := c.Text
			for _, a := range c.Args {
				text += " " + a.Str + " " + strings.Join(a.List, " ")
			}
			if flag := bypassFlag(text); flag != "" {
				fd := rules.AtCall(u, c, sev, "starts an AI agent with "+shortQuote(flag), model.CapProcess, model.CapCredentials)
				fd.Evidence = c.Text
				r.Report(fd)
			}
		}
		spawns := false
		for _, c := range u.Calls {
			spawns = spawns || analyze.IsProcessCall(c.Callee)
		}
		if spawns {
			// flags kept in arrays or variables: [bin, ['--yolo', '-p', prompt]]
			for _, s := range u.Strings {
				if len(s.Value) < 64 {
					if flag := bypassFlag(s.Value); flag != "" {
						fd := rules.At(u, s.Line, sev, "passes "+shortQuote(flag)+" to a process it starts (AI agent with safeguards off)", model.CapProcess, model.CapCredentials)
						fd.Evidence = s.Value
						r.Report(fd)
					}
				}
			}
		}
		eachCommand(u, func(c analyze.Command, words []string) {
			if flag := bypassFlag(strings.Join(words, " ")); flag != "" {
				r.Report(model.Finding{Severity: sev, Path: u.Unit.Path, Line: c.Line, Layers: u.Unit.Layers, Context: u.Unit.Context,
					Message: "runs " + shortQuote(cmdName(words)) + " with " + shortQuote(flag), Evidence: c.Raw, Capabilities: []model.Capability{model.CapProcess, model.CapCredentials}})
			}
		})
	})
}
