package static

import (
	"strings"

	"github.com/airlock-sec/airlock/internal/analyze"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
)

// DownloadExec flags fetching code or programs and running them.
type DownloadExec struct{}

func (DownloadExec) Meta() rules.Meta {
	return rules.Meta{
		ID:    "static/download-exec",
		Title: "downloads and runs code",
		Description: "Fetched text passed to `exec`/`eval`; `curl … | sh` and PowerShell download cradles (`IEX (New-Object Net.WebClient).DownloadString`); " +
			"a download written to disk and then made executable or started in the same code; `pip install` / `npm install` run from package code; " +
			"and fetching a second runtime such as Bun to run a payload outside Python (the 2026 `.pth` Bun dropper). " +
			"Install scripts of native packages that fetch their own prebuilt binary are scored with the rest of the evidence, not blocked on this alone.",
		Severity:     model.Critical,
		Capabilities: []model.Capability{model.CapDownloadRun, model.CapNetwork},
	}
}

var runFileCallees = map[string]bool{
	"os.system": true, "os.startfile": true, "subprocess.Popen": true, "subprocess.call": true, "subprocess.run": true, "os.chmod": true,
	"child_process.exec": true, "child_process.execSync": true, "child_process.spawn": true, "child_process.execFile": true, "child_process.execFileSync": true,
	"fs.chmodSync": true, "fs.chmod": true,
}

var writeCallees = map[string]bool{"open": true, "fs.writeFileSync": true, "fs.writeFile": true, "fs.createWriteStream": true, "urllib.request.urlretrieve": true, "urllib.urlretrieve": true, "fs.promises.writeFile": true}

func (DownloadExec) Check(in *rules.Input, r *rules.Reporter) {
	in.EachFacts(func(f *rules.File, u *analyze.Facts) {
		fetch, write, run, spawn := 0, 0, 0, 0
		var runCall, spawnCall analyze.Call
		writtenName := ""
		for _, c := range u.Calls {
			if execCallees[c.Callee] {
				for _, ic := range c.Inner {
					if k, ok := netCallees[ic]; ok && k != "session" || strings.HasSuffix(ic, ".urlopen") {
						fd := rules.AtCall(u, c, model.Critical, "runs code fetched from the network with "+shortQuote(c.Callee), model.CapDownloadRun, model.CapExec, model.CapNetwork)
						fd.Evidence = c.Text
						r.Report(fd)
						break
					}
				}
			}
			if k, ok := netCallees[c.Callee]; ok && (k == "get" || k == "request") && fetch == 0 {
				fetch = c.Line
			}
			if writeCallees[c.Callee] && write == 0 {
				if c.Callee != "open" || strings.Contains(c.Text, "'wb'") || strings.Contains(c.Text, "\"wb\"") {
					write = c.Line
					if i := writtenArg(c.Callee); len(c.Args) > i {
						writtenName = c.Args[i].Name
					}
				}
			}
			if runFileCallees[c.Callee] && run == 0 {
				run, runCall = c.Line, c
			}
			if (analyze.IsProcessCall(c.Callee) || c.Callee == "os.startfile") && c.Line > spawn && writtenName != "" && argMentions(c, writtenName) {
				spawn, spawnCall = c.Line, c
			}
			if analyze.IsProcessCall(c.Callee) {
				for _, a := range c.Args {
					words := a.List
					if a.IsStr {
						words = strings.Fields(a.Str)
					}
					if pipInstall(words) {
						fd := rules.AtCall(u, c, model.Medium, "installs packages at run time with "+shortQuote(strings.Join(words, " ")), model.CapDownloadRun)
						fd.Evidence = c.Text
						r.Report(fd)
					}
				}
			}
		}
		if fetch > 0 && write > 0 && run > 0 && u.Unit.Lang == analyze.Python {
			if spawn > write {
				fd := rules.AtCall(u, spawnCall, model.High, "downloads a file, writes it and runs it", model.CapDownloadRun, model.CapNetwork, model.CapProcess)
				r.Report(fd)
			} else {
				fd := rules.AtCall(u, runCall, model.Medium, "downloads a file, writes it and makes it executable", model.CapDownloadRun, model.CapNetwork)
				r.Report(fd)
			}
		}
		for _, s := range u.Strings {
			if !(fetch > 0 && len(s.Value) < 2048 && strings.Contains(s.Value, "://")) && !mentions(s.Value, downloadWords) {
				continue
			}
			ls := strings.ToLower(s.Value)
			if fetch > 0 && len(ls) < 2048 {
				for _, raw := range urlsIn(s.Value) {
					if isExecutableURL(raw) {
						fd := rules.At(u, s.Line, model.High, "downloads a program "+shortQuote(raw), model.CapDownloadRun, model.CapNetwork)
						fd.Evidence = s.Value
						r.Report(fd)
					}
				}
			}
			if strings.Contains(ls, "bun.sh/install") || strings.Contains(ls, "oven-sh/bun/releases") || strings.Contains(ls, "deno.land/install") {
				fd := rules.At(u, s.Line, model.High, "fetches the Bun/Deno runtime "+shortQuote(s.Value), model.CapDownloadRun, model.CapNetwork)
				fd.Evidence = s.Value
				r.Report(fd)
			}
			if proseApplies(u) && isProse(s.Value) {
				continue
			}
			if (strings.Contains(ls, "downloadstring") || strings.Contains(ls, "downloadfile") || strings.Contains(ls, "invoke-webrequest") || strings.Contains(ls, "iwr ")) &&
				(strings.Contains(ls, "iex") || strings.Contains(ls, "invoke-expression") || strings.Contains(ls, "start-process") || strings.Contains(ls, ".exe")) {
				fd := rules.At(u, s.Line, model.High, "PowerShell download cradle "+shortQuote(s.Value), model.CapDownloadRun, model.CapNetwork)
				fd.Evidence = s.Value
				r.Report(fd)
			}
		}
		for _, c := range u.Commands {
			if out, ran := downloadedThenRun(c.Words); ran {
				r.Report(model.Finding{Severity: model.High, Path: u.Unit.Path, Line: c.Line, Layers: u.Unit.Layers, Context: u.Unit.Context,
					Message: "downloads " + shortQuote(out) + " and runs it", Evidence: c.Raw, Capabilities: []model.Capability{model.CapDownloadRun, model.CapNetwork, model.CapProcess}})
			}
		}
		eachCommand(u, func(c analyze.Command, words []string) {
			p := cmdName(words)
			switch {
			case c.PipedToShell && (p == "curl" || p == "wget" || p == "iwr" || p == "invoke-webrequest"):
				r.Report(model.Finding{Severity: model.High, Path: u.Unit.Path, Line: c.Line, Layers: u.Unit.Layers, Context: u.Unit.Context,
					Message: "pipes a download into an interpreter", Evidence: c.Raw, Capabilities: []model.Capability{model.CapDownloadRun, model.CapNetwork}})
			case (p == "curl" || p == "wget") && strings.Contains(c.Raw, "chmod") && (strings.Contains(c.Raw, "&& ./") || strings.Contains(c.Raw, "; ./")):
				r.Report(model.Finding{Severity: model.High, Path: u.Unit.Path, Line: c.Line, Layers: u.Unit.Layers, Context: u.Unit.Context,
					Message: "downloads a program, makes it executable and runs it", Evidence: c.Raw, Capabilities: []model.Capability{model.CapDownloadRun, model.CapNetwork}})
			case pipInstall(words) && u.Unit.Lang != analyze.Shell:
				r.Report(model.Finding{Severity: model.Medium, Path: u.Unit.Path, Line: c.Line, Layers: u.Unit.Layers, Context: u.Unit.Context,
					Message: "installs packages at run time with " + shortQuote(strings.Join(words, " ")), Evidence: c.Raw, Capabilities: []model.Capability{model.CapDownloadRun}})
			}
		})
	})
}

// pipInstall matches pip install / python -m pip install / npm install <pkg>.
func pipInstall(words []string) bool {
	for i, w := range words {
		b := strings.ToLower(w)
		if j := strings.LastIndexAny(b, `/\`); j >= 0 {
			b = b[j+1:]
		}
		if (b == "pip" || b == "pip3" || b == "pip.exe") && i+1 < len(words) && words[i+1] == "install" && i+2 < len(words) {
			return true
		}
	}
	return false
}

// argMentions reports whether a call passes the variable name, alone or
// in a list.
func argMentions(c analyze.Call, name string) bool {
	for _, a := range c.Args {
		if a.Name == name {
			return true
		}
		for _, w := range a.List {
			if w == "$"+name {
				return true
			}
		}
	}
	return false
}

// isExecutableURL reports URLs whose path ends in a program or script a
// Windows or Unix host would run.
func isExecutableURL(raw string) bool {
	p := strings.ToLower(raw)
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	for _, ext := range []string{".exe", ".scr", ".msi", ".bat", ".cmd", ".ps1", ".vbs", ".hta", ".jar", ".dll", ".elf", ".bin", ".sh"} {
		if strings.HasSuffix(p, ext) {
			return true
		}
	}
	return false
}

var downloadWords = words("bun.sh", "oven-sh", "deno.land", "downloadstring", "downloadfile", "invoke-webrequest", "iwr ")

// writtenArg is the argument holding the path a write call creates.
func writtenArg(callee string) int {
	if strings.HasSuffix(callee, "urlretrieve") {
		return 1 // urlretrieve(url, filename)
	}
	return 0
}

// downloadedThenRun finds `curl -o F …; chmod +x F; F` (or wget -O, and
// running F through sh/bash/python/node) within one command line.
func downloadedThenRun(cmds [][]string) (string, bool) {
	out := ""
	for _, w := range cmds {
		p := cmdName(w)
		if out == "" && (p == "curl" || p == "wget") {
			for i := 1; i+1 < len(w); i++ {
				if w[i] == "-o" || w[i] == "-O" || w[i] == "--output" || w[i] == "--output-document" {
					out = w[i+1]
				}
			}
			continue
		}
		if out == "" || len(w) == 0 {
			continue
		}
		base := out
		if i := strings.LastIndexByte(out, '/'); i >= 0 {
			base = out[i+1:]
		}
		if w[0] == out || w[0] == "./"+base {
			return out, true
		}
		switch p {
		case "sh", "bash", "python", "python3", "node", "perl", "start":
			if len(w) > 1 && (w[1] == out || w[1] == "./"+base) {
				return out, true
			}
		}
	}
	return "", false
}
