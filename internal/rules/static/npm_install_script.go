package static

import (
	"sort"
	"strings"

	"github.com/airlock-sec/airlock/internal/analyze"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
)

// NpmInstallScript reports npm lifecycle scripts that run at install time
// and what they run.
type NpmInstallScript struct{}

func (NpmInstallScript) Meta() rules.Meta {
	return rules.Meta{
		ID:    "static/npm-install-script",
		Title: "npm install script runs commands",
		Description: "`preinstall`, `install` and `postinstall` scripts run with the user's rights on `npm install` (Shai-Hulud, nx/s1ngularity). " +
			"Builds of native addons (`node-gyp rebuild`, `node-gyp-build`, `prebuild-install`) and common setup tools are recognized and not reported. " +
			"A script that downloads and pipes into a shell, runs inline code (`node -e`), or calls network tools is high severity; one that runs a file of the package marks that file as install-time code for the other rules.",
		Severity:     model.High,
		Ecosystems:   []model.Ecosystem{model.NPM},
		Capabilities: []model.Capability{model.CapHook, model.CapProcess, model.CapNetwork},
	}
}

// benignInstallCommands are build tools routinely run from install scripts.
var benignInstallCommands = map[string]bool{
	"node-gyp": true, "node-gyp-build": true, "prebuild-install": true, "node-pre-gyp": true, "cmake-js": true,
	"husky": true, "patch-package": true, "tsc": true, "echo": true, "exit": true, "true": true,
	"opencollective-postinstall": true, "opencollective": true, "is-ci": true, "npm": true, "yarn": true, "pnpm": true, "lerna": true,
	"ngcc": true, "electron-builder": true, "node-pre-gyp-github": true, "napi": true, "prebuild": true,
}

var networkTools = map[string]bool{
	"curl": true, "wget": true, "nslookup": true, "dig": true, "host": true, "nc": true, "ncat": true, "netcat": true,
	"invoke-webrequest": true, "iwr": true, "invoke-restmethod": true, "irm": true, "certutil": true, "bitsadmin": true, "ping": true,
}

func (NpmInstallScript) Check(in *rules.Input, r *rules.Reporter) {
	names := make([]string, 0, len(in.Scripts))
	for n := range in.Scripts {
		names = append(names, n)
	}
	sort.Strings(names)
	var unitLines []string
	if pj := in.Lookup("package.json"); pj != nil && pj.Facts != nil {
		unitLines = strings.Split(string(pj.Facts.Unit.Text), "\n")
	}
	for _, name := range names {
		script := in.Scripts[name]
		line := 0
		for i, l := range unitLines {
			if l == script {
				line = i + 1
				break
			}
		}
		cmds := analyze.ParseShell(script, 1)
		for _, c := range cmds {
			for _, words := range c.Words {
				prog := cmdName(words)
				ev := name + ": " + script
				switch {
				case c.PipedToShell:
					r.Report(at(line, finding(model.High, name+" script pipes downloaded or decoded text into an interpreter", ev, model.CapDownloadRun, model.CapNetwork)))
				case networkTools[prog]:
					r.Report(at(line, finding(model.High, name+" script runs network tool "+shortQuote(prog), ev, model.CapNetwork, model.CapProcess)))
				case (prog == "node" || prog == "bun" || prog == "deno") && inlineEval(words):
					r.Report(at(line, finding(model.High, name+" script runs inline code with "+shortQuote(prog), ev, model.CapExec, model.CapProcess)))
				case prog == "powershell" || prog == "pwsh" || prog == "bash" && inlineEval(words) || prog == "sh" && inlineEval(words):
					r.Report(at(line, finding(model.High, name+" script runs a shell with inline commands", ev, model.CapProcess)))
				case benignInstallCommands[prog] || prog == "":
				case prog == "node" || prog == "bun":
					r.Report(at(line, finding(model.Low, name+" script runs "+shortQuote(strings.Join(words, " ")), ev, model.CapHook)))
				default:
					r.Report(at(line, finding(model.Low, name+" script runs "+shortQuote(prog), ev, model.CapHook, model.CapProcess)))
				}
			}
		}
	}
}

func inlineEval(words []string) bool {
	for _, w := range words[1:] {
		switch w {
		case "-e", "--eval", "-p", "--print", "-c":
			return true
		}
	}
	return false
}

func finding(sev model.Severity, msg, ev string, caps ...model.Capability) model.Finding {
	return model.Finding{Severity: sev, Path: "package.json", Message: msg, Evidence: ev, Context: model.Install, Capabilities: append([]model.Capability{model.CapHook}, caps...)}
}

func at(line int, f model.Finding) model.Finding {
	f.Line = line
	return f
}
