package workflow

import (
	"path"
	"regexp"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// maxCalledScripts bounds the scripts recorded per file.
const maxCalledScripts = 500

// noteWorkdir remembers the working directory of a run script, so a
// script it calls by a relative path is found from the repository root.
func (p *parser) noteWorkdir(s *Script, wd string) {
	if wd == "" {
		return
	}
	if p.workdirs == nil {
		p.workdirs = map[*Script]string{}
	}
	p.workdirs[s] = wd
}

// calledScripts fills File.CalledScripts from the run scripts of every
// step: repository scripts a command runs ("./scripts/x.sh", "bash
// ci/y.sh", "source env.sh"). The path is relative to the repository
// root (joined to the step's working directory when one is given) and the
// position is the line of the call (for one-line scripts, the script's
// own position).
func (p *parser) calledScripts() {
	f := p.file
	seen := map[string]bool{}
	for _, j := range f.Jobs {
		for _, s := range j.Steps {
			r := s.Run
			if r == nil || !posixShell(r.Shell) {
				continue
			}
			for _, c := range scriptCalls(r.Text) {
				name := c.path
				if wd := p.workdirs[r]; wd != "" {
					wd = strings.TrimSpace(wd)
					if !literalPath(wd) {
						continue
					}
					name = path.Join(wd, name)
					if !relativeInside(name) {
						continue
					}
				}
				pos := r.Pos
				if r.Block {
					pos = Pos{Line: r.LineOf(c.line), Col: r.Pos.Col + c.col - 1}
				}
				key := name + "\x00" + itoa(pos.Line)
				if seen[key] {
					continue
				}
				seen[key] = true
				if len(f.CalledScripts) >= maxCalledScripts {
					return
				}
				f.CalledScripts = append(f.CalledScripts, Str{Value: name, Pos: pos})
			}
		}
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// posixShell reports whether a step's shell runs POSIX shell code.
func posixShell(shell string) bool {
	switch path.Base(shell) {
	case "", ".", "bash", "sh", "zsh", "dash", "ksh", "ash":
		return true
	}
	return false
}

// call is a script run by a command, at a 1-based line and column of the
// script text.
type call struct {
	path      string
	line, col int
}

// placeholder replaces template expressions the shell parser does not
// know (GitHub "${{ … }}", CircleCI "<< parameters.x >>") with this byte,
// line breaks kept; a word holding it is not a literal path.
const placeholder = "\x01"

var (
	ghExprRE     = regexp.MustCompile(`\$\{\{[\s\S]*?\}\}`)
	circleParmRE = regexp.MustCompile(`<<\s*(?:parameters|pipeline)\.[^>\n]*>>`)
)

func maskExprs(text string) string {
	mask := func(s string) string {
		b := []byte(s)
		for i := range b {
			if b[i] != '\n' {
				b[i] = placeholder[0]
			}
		}
		return string(b)
	}
	if strings.Contains(text, "${{") {
		text = ghExprRE.ReplaceAllStringFunc(text, mask)
	}
	if strings.Contains(text, "<<") {
		text = circleParmRE.ReplaceAllStringFunc(text, mask)
	}
	return text
}

// scriptCalls finds the repository scripts a shell script runs. It parses
// the script (bash dialect) and falls back to splitting lines on shell
// operators when it does not parse.
func scriptCalls(text string) []call {
	if !mayCallScript(text) {
		return nil
	}
	text = maskExprs(text)
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash), syntax.KeepComments(false)).Parse(strings.NewReader(text), "")
	if err != nil {
		return crudeCalls(text)
	}
	var out []call
	syntax.Walk(f, func(n syntax.Node) bool {
		ce, ok := n.(*syntax.CallExpr)
		if !ok || len(ce.Args) == 0 {
			return true
		}
		words := make([]string, len(ce.Args))
		for i, w := range ce.Args {
			words[i] = wordLit(w)
		}
		if i := scriptArg(words); i >= 0 {
			pos := ce.Args[i].Pos()
			out = append(out, call{path: words[i], line: int(pos.Line()), col: int(pos.Col())})
		}
		return true
	})
	return out
}

// mayCallScript is a quick test before parsing: some word ends in ".sh"
// or starts with "./", or a path follows a shell or "source".
func mayCallScript(text string) bool {
	return strings.Contains(text, ".sh") || strings.Contains(text, "./") ||
		(strings.Contains(text, "/") && (strings.Contains(text, "sh ") || strings.Contains(text, "source ") || strings.Contains(text, ". ")))
}

// wordLit is the literal value of a shell word, or "" when any part of it
// expands (variables, command substitution, globs are kept as text and
// refused later).
func wordLit(w *syntax.Word) string {
	var b strings.Builder
	for _, part := range w.Parts {
		switch x := part.(type) {
		case *syntax.Lit:
			b.WriteString(x.Value)
		case *syntax.SglQuoted:
			b.WriteString(x.Value)
		case *syntax.DblQuoted:
			for _, q := range x.Parts {
				l, ok := q.(*syntax.Lit)
				if !ok {
					return ""
				}
				b.WriteString(l.Value)
			}
		default:
			return ""
		}
	}
	return b.String()
}

// wrappers run the command that follows them.
var wrappers = map[string]bool{
	"sudo": true, "exec": true, "nohup": true, "time": true, "command": true,
	"env": true, "nice": true, "timeout": true, "xvfb-run": true,
}

// keywords may start a command line the crude splitter sees ("then
// ./x.sh"); they are skipped like wrappers.
var keywords = map[string]bool{
	"if": true, "then": true, "else": true, "elif": true, "do": true,
	"while": true, "until": true, "!": true, "{": true,
}

// shells run the script file named by their first operand.
var shells = map[string]bool{
	"bash": true, "sh": true, "zsh": true, "dash": true, "ksh": true, "ash": true,
	"source": true, ".": true,
}

// scriptArg returns the index of the word that names a repository script
// run by the command words, or -1.
func scriptArg(words []string) int {
	i := 0
	for i < len(words) && keywords[words[i]] {
		i++
	}
	for i < len(words) && wrappers[words[i]] {
		w := words[i]
		i++
		for i < len(words) {
			a := words[i]
			switch {
			case strings.HasPrefix(a, "-") && a != "-":
				i++
				if w == "timeout" || (w == "sudo" && (a == "-u" || a == "-g")) {
					i++
				}
				continue
			case w == "env" && strings.Contains(a, "=") && !strings.HasPrefix(a, "="):
				i++
				continue
			case w == "timeout" && a != "" && a[0] >= '0' && a[0] <= '9':
				i++
				continue
			}
			break
		}
	}
	if i >= len(words) {
		return -1
	}
	cmd := words[i]
	if shells[path.Base(cmd)] && (cmd == path.Base(cmd) || strings.HasPrefix(cmd, "/")) {
		for j := i + 1; j < len(words); j++ {
			a := words[j]
			if a == "--" {
				continue
			}
			if strings.HasPrefix(a, "-") || strings.HasPrefix(a, "+") {
				if cmd != "source" && cmd != "." && strings.Contains(a[1:], "c") && !strings.HasPrefix(a, "--") {
					return -1 // "sh -c 'code'"
				}
				if a == "-o" || a == "+o" || a == "-O" || a == "+O" {
					j++
				}
				continue
			}
			if scriptPath(a, true) {
				return j
			}
			return -1
		}
		return -1
	}
	if scriptPath(cmd, false) {
		return i
	}
	return -1
}

// scriptPath reports whether a literal word names a repository script: a
// relative path ending in ".sh" or starting with "./" (after a shell or
// "source", any relative path with a directory), without expansions,
// globs or a way out of the repository.
func scriptPath(w string, operand bool) bool {
	if !literalPath(w) {
		return false
	}
	ok := strings.HasSuffix(w, ".sh") || strings.HasPrefix(w, "./") || (operand && strings.Contains(w, "/"))
	return ok && relativeInside(w)
}

// literalPath reports a plain relative path: no expansion, glob, home,
// absolute path or template placeholder.
func literalPath(w string) bool {
	if w == "" || strings.ContainsAny(w, "$`*?[]{}~\\\x01 \t\n<>|&;()=") {
		return false
	}
	return !strings.HasPrefix(w, "/") && !strings.HasPrefix(w, "-")
}

// relativeInside reports that a relative path stays inside the
// repository once cleaned.
func relativeInside(w string) bool {
	c := path.Clean(w)
	return c != "." && c != ".." && !strings.HasPrefix(c, "../") && !strings.HasPrefix(c, "/")
}

// crudeCalls splits unparsable shell text on operators and whitespace.
func crudeCalls(text string) []call {
	var out []call
	for li, line := range strings.Split(text, "\n") {
		t := strings.TrimSpace(line)
		if t == "" || t[0] == '#' {
			continue
		}
		for _, seg := range splitOps(line) {
			words := strings.Fields(seg.text)
			for k, w := range words {
				words[k] = strings.Trim(w, `"'`)
			}
			if i := scriptArg(words); i >= 0 {
				col := strings.Index(line[seg.off:], words[i])
				if col < 0 {
					col = 0
				}
				out = append(out, call{path: words[i], line: li + 1, col: seg.off + col + 1})
			}
		}
	}
	return out
}

type segment struct {
	text string
	off  int
}

// splitOps splits a line at ;, &, |, (, ) and a "#" comment.
func splitOps(line string) []segment {
	var out []segment
	start := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case ';', '&', '|', '(', ')':
			out = append(out, segment{line[start:i], start})
			start = i + 1
		case '#':
			if i == 0 || line[i-1] == ' ' || line[i-1] == '\t' {
				out = append(out, segment{line[start:i], start})
				return out
			}
		}
	}
	return append(out, segment{line[start:], start})
}
