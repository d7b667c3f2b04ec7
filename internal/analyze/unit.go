// Package analyze turns package files into facts: what each file imports,
// calls and spells out, including code hidden behind encoding layers. It
// never executes analyzed code.
package analyze

import (
	"path"
	"strings"

	"github.com/airlock-sec/airlock/internal/model"
)

// Lang is the language a unit is analyzed as.
type Lang string

const (
	Python     Lang = "python"
	JavaScript Lang = "javascript"
	Shell      Lang = "shell"
	PowerShell Lang = "powershell"
	Text       Lang = "text"
)

// Unit is one piece of code: a file, or a decoded layer inside one.
type Unit struct {
	// Path is the file inside the package.
	Path string
	// Line is where this unit starts in the original file: 1 for files, the
	// line of the encoded literal for decoded layers.
	Line int
	// Layers is the decoding chain from the file to this unit.
	Layers []string
	Lang   Lang
	// Context is when the code runs.
	Context model.Context
	Text    []byte
	// Child is set for units found inside another unit.
	Child bool
}

// Facts is what one unit does, language-neutral.
type Facts struct {
	Unit    *Unit
	Imports []Sym
	Calls   []Call
	// Strings holds string values of length ≥ 3 (literals after escape
	// decoding and constant folding).
	Strings []Str
	// Commands are shell commands found in the unit (shell files, or
	// strings passed to os.system / child_process).
	Commands []Command
	// Children are decoded layers found in this unit, analyzed in turn.
	Children []*Facts
	// Notes are binary payloads found by decoding (marshal, pyc, pe, elf).
	Notes []Note
	// Obfuscation lists tricks that make code hard to read, by kind:
	// "escaped-name", "confusable-names", "builtins-lookup",
	// "builtin-alias", "encrypted-blob", "xor-decode", "hex-identifiers".
	Obfuscation []Note

	depth int
	rev   int8 // 0 unknown, 1 the unit reverses strings, 2 it does not
}

// Sym is a name at a line.
type Sym struct {
	Name string
	Line int
}

// Str is a string value at a line.
type Str struct {
	Value string
	Line  int
}

// Call is one call site. Callee is dotted and resolved through import
// aliases ("subprocess.Popen", "os.system", "child_process.exec", "exec").
type Call struct {
	Callee string
	Line   int
	Args   []Arg
	// Inner lists callees called inside the arguments (resolved), e.g.
	// exec(base64.b64decode(x)) has Inner ["base64.b64decode"].
	Inner []string
	// Keywords are keyword-argument names (Python) or object keys at the
	// top level of object-literal arguments (JavaScript), with the value
	// text.
	Keywords map[string]string
	// Text is a short snippet of the call.
	Text string
	// InFunc is set when the call sits inside a function body, so it runs
	// only when that function is called, not when the file is loaded.
	InFunc bool
}

// Arg is one positional argument.
type Arg struct {
	// Str is the constant string value when the argument folds to one.
	Str   string
	IsStr bool
	// Layers are the decoding steps constant folding applied to get Str
	// (reverse, base64, char-codes …).
	Layers []string
	// Name is the dotted name when the argument is a plain reference.
	Name string
	// List holds the constant strings of a list or tuple argument
	// (["curl", "-s", url] → ["curl","-s",""]); nil otherwise.
	List []string
	// Raw is the argument source text (bounded).
	Raw string
}

// Command is a shell command line.
type Command struct {
	Line int
	// Words are the words of each simple command in the line.
	Words [][]string
	Raw   string
	// PipedToShell is set when downloaded or decoded text is piped into
	// an interpreter (curl … | sh, echo … | base64 -d | bash).
	PipedToShell bool
}

// Note is an obfuscation or structure observation.
type Note struct {
	Kind string // "marshal", "pyarmor", "js-obfuscator", "long-line", "pyc"
	Line int
	Text string
}

// Walk calls fn for f and every descendant layer.
func (f *Facts) Walk(fn func(*Facts)) {
	if f == nil {
		return
	}
	fn(f)
	for _, c := range f.Children {
		c.Walk(fn)
	}
}

// LangOf decides the language of a package file by name and first bytes.
func LangOf(name string, head []byte) Lang {
	base := path.Base(name)
	ext := strings.ToLower(path.Ext(base))
	switch ext {
	case ".py", ".pyw", ".pth": // .pyi stubs are never executed
		return Python
	case ".js", ".cjs", ".mjs", ".jsx":
		return JavaScript
	case ".sh", ".bash", ".zsh", ".command":
		return Shell
	case ".ps1", ".psm1":
		return PowerShell
	case ".bat", ".cmd":
		return Shell
	case "":
		if len(head) > 2 && head[0] == '#' && head[1] == '!' {
			line := head
			if i := indexByte(head, '\n'); i >= 0 {
				line = head[:i]
			}
			l := string(line)
			switch {
			case strings.Contains(l, "python"):
				return Python
			case strings.Contains(l, "node"):
				return JavaScript
			case strings.Contains(l, "sh"):
				return Shell
			}
		}
	}
	return ""
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

// ContextOf decides when a file of a package runs, from its path alone.
// Install-time files named by package.json scripts are marked by the
// caller.
func ContextOf(eco model.Ecosystem, p string) model.Context {
	if i := strings.LastIndex(p, "!/"); i >= 0 {
		// a file inside a nested archive runs as it would once that
		// archive is installed
		p = p[i+2:]
	}
	base := path.Base(p)
	lower := strings.ToLower(p)
	if eco == model.PyPI || eco == model.Unknown {
		if strings.HasSuffix(base, ".pth") && !strings.Contains(p, "/") {
			return model.Startup
		}
		if strings.HasSuffix(base, ".pth") {
			// .pth files only run from a site dir root; inside a wheel the
			// root is the site dir, elsewhere treat as startup too because
			// wheels may place them under .data/purelib.
			if strings.Contains(p, ".data/purelib/") || strings.Contains(p, ".data/platlib/") {
				return model.Startup
			}
		}
		if (base == "sitecustomize.py" || base == "usercustomize.py") && (!strings.Contains(p, "/") || strings.Contains(p, ".data/purelib/") || strings.Contains(p, ".data/platlib/")) {
			return model.Startup // only the copy at the root of site-packages is imported at start
		}
		if p == "setup.py" {
			return model.Install
		}
	}
	if isTestPath(lower) {
		return model.Other
	}
	return model.Import
}

func isTestPath(lower string) bool {
	for _, seg := range strings.Split(lower, "/") {
		switch seg {
		case "test", "tests", "testing", "__tests__", "spec", "specs", "example", "examples", "docs", "doc", "benchmark", "benchmarks", "fixtures", "testdata":
			return true
		}
	}
	return false
}

// maxInner bounds the callees kept per call: a wrapper around a whole
// bundle (define(function(){…})) would otherwise list every call in it.
const maxInner = 32

func appendInner(in []string, callee string) []string {
	if len(in) >= maxInner {
		return in
	}
	return append(in, callee)
}
