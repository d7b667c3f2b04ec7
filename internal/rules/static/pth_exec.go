package static

import (
	"bytes"
	"path"
	"strings"

	"github.com/airlock-sec/airlock/internal/analyze"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
)

// PthExec flags .pth lines that run code at every interpreter start.
type PthExec struct{}

func (PthExec) Meta() rules.Meta {
	return rules.Meta{
		ID:    "static/pth-exec",
		Title: "startup hook in a .pth file runs code",
		Description: "Python's `site` module executes every line that starts with `import` in each `.pth` file of site-packages, " +
			"at every interpreter start, before any `import` of the package (litellm 1.82.8's `litellm_init.pth`, the 2026 Bun dropper's `<pkg>-setup.pth`). " +
			"A line that spawns processes, runs `exec`/`eval`, decodes data, touches the network or starts `sys.executable` is reported as critical. " +
			"Benign shapes are recognized and left alone: setuptools' `distutils-precedence.pth`, editable-install finders (`__editable__.*.pth`), " +
			"namespace-package `*-nspkg.pth` shims and coverage's `process_startup` hook; plain path lines are never code.",
		Severity:     model.Critical,
		Ecosystems:   []model.Ecosystem{model.PyPI},
		Capabilities: []model.Capability{model.CapHook, model.CapExec, model.CapProcess},
	}
}

// pthDangerous are callees that make a startup line dangerous.
var pthDangerous = map[string]string{
	"exec": "exec", "eval": "eval", "compile": "compile", "execfile": "execfile",
	"base64.b64decode": "base64 decoding", "zlib.decompress": "zlib decompression", "marshal.loads": "marshal loading",
	"codecs.decode": "codecs decoding", "bytes.fromhex": "hex decoding", "binascii.unhexlify": "hex decoding",
	"urllib.request.urlopen": "network access", "urllib.urlopen": "network access", "urllib.request.urlretrieve": "network access", "urllib.urlretrieve": "network access", "requests.get": "network access", "requests.post": "network access",
	"socket.socket": "network access", "open": "file access", "os.remove": "file deletion", "shutil.rmtree": "file deletion",
}

func (p PthExec) Check(in *rules.Input, r *rules.Reporter) {
	for _, f := range in.Files {
		if f.Context != model.Startup || path.Ext(f.Path) != ".pth" || f.Facts == nil {
			continue
		}
		base := path.Base(f.Path)
		lines := bytes.Split(f.Text, []byte("\n"))
		for i, raw := range lines {
			line := strings.TrimSpace(strings.TrimPrefix(string(raw), "\ufeff")) // newer Pythons read .pth as utf-8-sig
			if !strings.HasPrefix(line, "import ") && !strings.HasPrefix(line, "import\t") {
				continue
			}
			why := dangerousLine(f.Facts, i+1)
			if len(why) == 0 {
				if benignPthLine(base, line) {
					continue
				}
				fd := rules.At(f.Facts, i+1, model.Low, "\".pth\" line runs code at every interpreter start", model.CapHook)
				fd.Evidence = line
				r.Report(fd)
				continue
			}
			sev := model.Critical
			if len(why) == 1 && why[0] == "exec" && execsConstant(f.Facts, i+1) {
				// exec of code written out in the line: still a startup hook
				// running arbitrary code, but readable — its content is
				// analyzed and scored on its own
				sev = model.High
			}
			fd := rules.At(f.Facts, i+1, sev, "\".pth\" line runs code at every interpreter start: "+strings.Join(why, ", "), model.CapHook, model.CapExec)
			fd.Evidence = line
			r.Report(fd)
		}
	}
}

// dangerousLine lists what the code on one line of a .pth file does,
// including code decoded from it.
func dangerousLine(f *analyze.Facts, line int) []string {
	var why []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			why = append(why, s)
		}
	}
	for _, c := range f.Calls {
		if c.Line != line {
			continue
		}
		if analyze.IsProcessCall(c.Callee) {
			add("spawns a process (" + shortQuote(c.Callee) + ")")
			for _, a := range c.Args {
				for _, w := range a.List {
					if w == "$sys.executable" {
						add("starts \"sys.executable\" again (the fork-bomb pattern)")
					}
				}
				if a.Name == "sys.executable" {
					add("starts \"sys.executable\" again (the fork-bomb pattern)")
				}
			}
		}
		if what, ok := pthDangerous[c.Callee]; ok {
			add(what)
		}
	}
	for _, ch := range f.Children {
		if ch.Unit.Line != line {
			continue
		}
		if len(ch.Unit.Layers) > 0 {
			add("hides code behind " + strings.Join(ch.Unit.Layers, " → "))
		}
		ch.Walk(func(u *analyze.Facts) {
			for _, c := range u.Calls {
				if analyze.IsProcessCall(c.Callee) {
					add("spawns a process (" + shortQuote(c.Callee) + ")")
				}
				if what, ok := pthDangerous[c.Callee]; ok && what != "file access" {
					add(what)
				}
			}
		})
	}
	return why
}

// benignPthLine recognizes the import lines that packaging tools write.
func benignPthLine(base, line string) bool {
	switch {
	case base == "distutils-precedence.pth" && strings.Contains(line, "_distutils_hack"):
		return true
	case strings.HasPrefix(base, "__editable__") && strings.Contains(line, ".install()"):
		return true
	case strings.HasSuffix(base, "-nspkg.pth"):
		return true
	case strings.Contains(line, "coverage.process_startup()"):
		return true
	case line == "import _virtualenv" || strings.HasPrefix(line, "import _virtualenv;"):
		return true
	}
	return false
}

// execsConstant reports whether every exec on the line runs a constant
// string.
func execsConstant(f *analyze.Facts, line int) bool {
	n := 0
	for _, c := range f.Calls {
		if c.Line == line && (c.Callee == "exec" || c.Callee == "eval") {
			if len(c.Args) == 0 || !c.Args[0].IsStr {
				return false
			}
			n++
		}
	}
	return n > 0
}
