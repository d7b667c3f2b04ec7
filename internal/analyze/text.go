package analyze

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"mvdan.cc/sh/v3/syntax"

	"github.com/airlock-sec/airlock/internal/analyze/lex"
)

// snippet returns a one-line, bounded excerpt of src[a:b].
func snippet(src []byte, a, b int) string {
	return string(snippetBytes(src, a, b, 240))
}

func snippetBytes(src []byte, a, b, max int) []byte {
	if a < 0 {
		a = 0
	}
	if b > len(src) {
		b = len(src)
	}
	if a >= b {
		return nil
	}
	if b-a > max {
		b = a + max
	}
	return src[a:b]
}

// endOff is the end offset of token i, or the end of src.
func endOff(toks []lex.Token, i int, src []byte) int {
	if i >= 0 && i < len(toks) {
		return toks[i].End
	}
	return len(src)
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

// analyzeText handles shell, PowerShell and other text: each line is a
// string, shell files yield commands, and encoded blobs are peeled.
func analyzeText(u *Unit, b *budget, depth int) *Facts {
	f := &Facts{Unit: u, depth: depth}
	line := 1
	rest := u.Text
	for len(rest) > 0 {
		i := bytes.IndexByte(rest, '\n')
		var l []byte
		if i < 0 {
			l, rest = rest, nil
		} else {
			l, rest = rest[:i], rest[i+1:]
		}
		if t := bytes.TrimSpace(l); len(t) >= 3 {
			f.Strings = append(f.Strings, Str{Value: clip(string(t), maxStringKept), Line: line})
			for _, w := range bytes.Fields(t) {
				w = bytes.Trim(w, `'"();`)
				if len(w) >= 24 {
					b.consider(f, string(w), line, nil)
				}
			}
		}
		line++
	}
	if u.Lang == Shell {
		f.Commands = ParseShell(string(u.Text), 1)
		for i := range f.Commands {
			f.Commands[i].Line = f.loc(f.Commands[i].Line)
		}
	}
	return f
}

const maxShellBytes = 1 << 20

// ParseShell parses a shell command line or script into simple commands.
// Scripts that do not parse are split on separators instead, so a broken
// script still yields its commands.
func ParseShell(s string, line int) []Command {
	if len(s) > maxShellBytes {
		s = s[:maxShellBytes]
	}
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(s), "")
	if err != nil {
		return fallbackShell(s, line)
	}
	var out []Command
	for _, stmt := range f.Stmts {
		c := Command{Line: line + int(stmt.Pos().Line()) - 1, Raw: clip(shellRaw(s, stmt), 300)}
		syntax.Walk(stmt, func(n syntax.Node) bool {
			switch x := n.(type) {
			case *syntax.CallExpr:
				var words []string
				for _, w := range x.Args {
					words = append(words, wordText(w))
				}
				if len(words) > 0 {
					c.Words = append(c.Words, words)
				}
			case *syntax.BinaryCmd:
				if x.Op == syntax.Pipe || x.Op == syntax.PipeAll {
					if isInterpreterCmd(x.Y) {
						c.PipedToShell = true
					}
				}
			}
			return true
		})
		out = append(out, c)
	}
	return out
}

func shellRaw(s string, n syntax.Node) string {
	a, b := int(n.Pos().Offset()), int(n.End().Offset())
	if a < 0 || b > len(s) || a >= b {
		return ""
	}
	return s[a:b]
}

func isInterpreterCmd(st *syntax.Stmt) bool {
	call, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || len(call.Args) == 0 {
		return false
	}
	name := wordText(call.Args[0])
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	switch name {
	case "sh", "bash", "zsh", "dash", "ksh", "python", "python3", "python2", "node", "perl", "ruby", "pwsh", "powershell", "iex":
		return true
	case "sudo":
		return len(call.Args) > 1 && isInterpreterWord(wordText(call.Args[1]))
	}
	return false
}

func isInterpreterWord(n string) bool {
	switch n {
	case "sh", "bash", "zsh", "python", "python3", "node", "perl":
		return true
	}
	return false
}

func wordText(w *syntax.Word) string {
	var sb strings.Builder
	for _, p := range w.Parts {
		switch x := p.(type) {
		case *syntax.Lit:
			sb.WriteString(x.Value)
		case *syntax.SglQuoted:
			sb.WriteString(x.Value)
		case *syntax.DblQuoted:
			for _, q := range x.Parts {
				if l, ok := q.(*syntax.Lit); ok {
					sb.WriteString(l.Value)
				} else {
					sb.WriteString("$…")
				}
			}
		default:
			sb.WriteString("$…")
		}
		if sb.Len() > 4096 {
			break
		}
	}
	return sb.String()
}

func fallbackShell(s string, line int) []Command {
	var out []Command
	for i, l := range strings.Split(s, "\n") {
		if len(out) > 10000 {
			break
		}
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		c := Command{Line: line + i, Raw: clip(l, 300)}
		for _, seg := range splitAny(l, "|;&") {
			if w := strings.Fields(seg); len(w) > 0 {
				c.Words = append(c.Words, w)
			}
		}
		if idx := strings.LastIndex(l, "|"); idx >= 0 {
			if w := strings.Fields(l[idx+1:]); len(w) > 0 && isInterpreterWord(baseName(w[0])) {
				c.PipedToShell = true
			}
		}
		out = append(out, c)
	}
	return out
}

func baseName(s string) string {
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		return s[i+1:]
	}
	return s
}

func splitAny(s, seps string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(seps, r) })
}

// processCallees run their first argument as a command.
var processCallees = map[string]bool{
	"os.system": true, "os.popen": true, "os.popen2": true, "os.popen3": true,
	"subprocess.Popen": true, "subprocess.call": true, "subprocess.run": true,
	"subprocess.check_call": true, "subprocess.check_output": true,
	"subprocess.getoutput": true, "subprocess.getstatusoutput": true,
	"commands.getoutput": true, "commands.getstatusoutput": true,
	"os.execl": true, "os.execlp": true, "os.execv": true, "os.execvp": true, "os.spawnl": true,
	"pty.spawn": true, "asyncio.create_subprocess_shell": true, "asyncio.create_subprocess_exec": true,
	"child_process.exec": true, "child_process.execSync": true, "child_process.spawn": true,
	"child_process.spawnSync": true, "child_process.execFile": true, "child_process.execFileSync": true,
	"child_process.fork": true, "Bun.spawn": true, "Bun.spawnSync": true,
}

// IsProcessCall reports whether a resolved callee starts a process.
func IsProcessCall(callee string) bool {
	if processCallees[callee] {
		return true
	}
	return strings.HasPrefix(callee, "subprocess.") && (strings.HasSuffix(callee, "Popen") || strings.HasSuffix(callee, "call") || strings.HasSuffix(callee, "run") || strings.HasSuffix(callee, "output"))
}

// commandsFromCalls turns the arguments of process-spawning calls into
// shell commands.
func commandsFromCalls(f *Facts) []Command {
	var out []Command
	for _, c := range f.Calls {
		if !IsProcessCall(c.Callee) || len(c.Args) == 0 {
			continue
		}
		a := c.Args[0]
		switch {
		case a.IsStr:
			if strings.HasPrefix(c.Callee, "child_process.spawn") || strings.HasPrefix(c.Callee, "child_process.execFile") {
				words := []string{a.Str}
				if len(c.Args) > 1 && c.Args[1].List != nil {
					words = append(words, c.Args[1].List...)
				}
				out = append(out, Command{Line: f.loc(c.Line), Words: [][]string{words}, Raw: clip(strings.Join(words, " "), 300)})
				continue
			}
			for _, cmd := range ParseShell(a.Str, f.loc(c.Line)) {
				if f.Unit.Child {
					cmd.Line = f.loc(c.Line)
				} else {
					cmd.Line = f.loc(c.Line)
				}
				out = append(out, cmd)
			}
		case a.List != nil:
			words := a.List
			out = append(out, Command{Line: f.loc(c.Line), Words: [][]string{words}, Raw: clip(strings.Join(words, " "), 300)})
			// sh -c "…" inside a list
			for i := 0; i+1 < len(words); i++ {
				if words[i] == "-c" && isInterpreterWord(baseName(words[0])) && !strings.HasPrefix(baseName(words[0]), "python") && baseName(words[0]) != "node" {
					out = append(out, ParseShell(words[i+1], f.loc(c.Line))...)
				}
			}
		}
	}
	return out
}
