package sweep

import (
	"fmt"
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// hitKind is a kind of suspicious command found in a shell line, a cron
// entry or a unit's Exec line. Each source decides which kinds it reports
// and at which severity (see severityFor).
type hitKind int

const (
	hitDownloadRun   hitKind = iota // downloaded code piped or passed to an interpreter
	hitDecodeRun                    // base64-decoded text run by an interpreter
	hitDecode                       // base64 decoding (reported in cron only)
	hitTmpScript                    // interpreter runs a script from a temporary directory
	hitHiddenScript                 // interpreter runs a script from a hidden directory
	hitTmpProgram                   // program started from a temporary directory
	hitHiddenProgram                // program started from a hidden directory
	hitLDPreload                    // LD_PRELOAD into a hidden or temporary directory
	hitNodeOptions                  // NODE_OPTIONS preloads a module from a hidden or temporary directory
	hitPythonPath                   // PYTHONPATH entry in a hidden or temporary directory
	hitPythonStartup                // PYTHONSTARTUP in a hidden or temporary directory
)

// hit is one suspicious thing seen in shell text.
type hit struct {
	Kind hitKind
	// Line is 1-based in the analyzed text (or the line given to
	// analyzeShellLine).
	Line int
	// What is a lowercase message fragment with quoted values.
	What string
	// Background is set when the command was started in the background
	// (nohup, setsid, "&").
	Background bool
}

const (
	maxShellDepth = 4  // nesting of "sh -c" / "eval" text analyzed
	maxHits       = 64 // per analyzed text
	maxShellText  = 1 << 20
)

// analyzeShell looks for persistence and download-and-run patterns in a
// shell script or startup file. It never executes anything. zsh selects
// the zsh dialect (falling back to bash). Text that does not parse is
// analyzed line by line, and lines that still do not parse are split on
// shell operators.
func analyzeShell(text string, env *pathEnv, zsh bool) []hit {
	a := &shAnalyzer{env: env, zsh: zsh}
	a.text(text, 0)
	return dedupeHits(a.hits)
}

// analyzeShellLine analyzes one command line (a cron command, a shell
// command from a unit); every hit is reported at line.
func analyzeShellLine(cmd string, env *pathEnv, line int) []hit {
	a := &shAnalyzer{env: env, fixed: line}
	a.text(cmd, 0)
	return dedupeHits(a.hits)
}

// analyzeArgv analyzes an already split command (a systemd Exec line).
func analyzeArgv(argv []string, env *pathEnv, line int) []hit {
	a := &shAnalyzer{env: env, fixed: line}
	a.argv(argv, nil, nil, line, false)
	return dedupeHits(a.hits)
}

type shAnalyzer struct {
	env   *pathEnv
	zsh   bool
	hits  []hit
	depth int
	fixed int // when > 0, every hit is at this line
}

func (a *shAnalyzer) add(k hitKind, line int, bg bool, format string, args ...any) {
	if len(a.hits) >= maxHits {
		return
	}
	if a.fixed > 0 {
		line = a.fixed
	}
	a.hits = append(a.hits, hit{Kind: k, Line: line, What: fmt.Sprintf(format, args...), Background: bg})
}

func dedupeHits(hs []hit) []hit {
	seen := map[string]bool{}
	var out []hit
	for _, h := range hs {
		k := fmt.Sprint(h.Kind, "\x00", h.Line, "\x00", h.What)
		if !seen[k] {
			seen[k] = true
			out = append(out, h)
		}
	}
	return out
}

func (a *shAnalyzer) parse(text string) (*syntax.File, error) {
	if a.zsh {
		if f, err := syntax.NewParser(syntax.Variant(syntax.LangZsh)).Parse(strings.NewReader(text), ""); err == nil {
			return f, nil
		}
	}
	return syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(text), "")
}

// text analyzes shell text whose first line is line base+1.
func (a *shAnalyzer) text(text string, base int) {
	if len(text) > maxShellText {
		text = text[:maxShellText]
	}
	if f, err := a.parse(text); err == nil {
		for _, st := range f.Stmts {
			a.stmt(st, base, false)
		}
		return
	}
	for _, ll := range logicalLines(text) {
		if f, err := a.parse(ll.text); err == nil {
			for _, st := range f.Stmts {
				a.stmt(st, base+ll.line-1, false)
			}
			continue
		}
		a.crude(ll.text, base+ll.line)
	}
}

// sub analyzes code found inside a command ("sh -c", "eval", a variable
// run as a command) at the line of that command.
func (a *shAnalyzer) sub(code string, line int) {
	if a.depth >= maxShellDepth || strings.TrimSpace(code) == "" {
		return
	}
	a.depth++
	saved := a.fixed
	if a.fixed == 0 {
		a.fixed = line
	}
	a.text(code, 0)
	a.fixed = saved
	a.depth--
}

type logicalLine struct {
	line int
	text string
}

// logicalLines splits text into lines, joining backslash-continued lines;
// each keeps the number of its first physical line.
func logicalLines(text string) []logicalLine {
	var out []logicalLine
	phys := strings.Split(text, "\n")
	for i := 0; i < len(phys); i++ {
		start := i
		var b strings.Builder
		l := strings.TrimSuffix(phys[i], "\r")
		for continued(l) && i+1 < len(phys) {
			b.WriteString(l[:len(l)-1])
			i++
			l = strings.TrimSuffix(phys[i], "\r")
		}
		b.WriteString(l)
		if t := strings.TrimSpace(b.String()); t != "" && !strings.HasPrefix(t, "#") {
			out = append(out, logicalLine{line: start + 1, text: b.String()})
		}
	}
	return out
}

// continued reports a line ending in an odd number of backslashes.
func continued(l string) bool {
	n := 0
	for i := len(l) - 1; i >= 0 && l[i] == '\\'; i-- {
		n++
	}
	return n%2 == 1
}

func (a *shAnalyzer) stmt(st *syntax.Stmt, base int, bg bool) {
	if st == nil || len(a.hits) >= maxHits {
		return
	}
	bg = bg || st.Background || st.Coprocess || st.Disown
	line := base + int(st.Pos().Line())
	switch x := st.Cmd.(type) {
	case *syntax.BinaryCmd:
		if x.Op == syntax.Pipe || x.Op == syntax.PipeAll {
			a.pipeline(flattenPipe(st), line)
		}
	case *syntax.CallExpr:
		for _, as := range x.Assigns {
			a.assign(as, line)
		}
		if len(x.Args) > 0 {
			words := make([]string, len(x.Args))
			for i, w := range x.Args {
				words[i] = a.word(w)
			}
			a.argv(words, x.Args, st.Redirs, line, bg)
		}
	case *syntax.DeclClause:
		for _, as := range x.Args {
			a.assign(as, line)
		}
	}
	if st.Cmd != nil {
		a.nested(st.Cmd, base, bg)
	}
	for _, r := range st.Redirs {
		if r.Word != nil {
			a.nested(r.Word, base, false)
		}
	}
}

// nested analyzes the statements below n: bodies of compound commands and
// command or process substitutions in words.
func (a *shAnalyzer) nested(n syntax.Node, base int, bg bool) {
	syntax.Walk(n, func(m syntax.Node) bool {
		if m == n {
			return true
		}
		switch x := m.(type) {
		case *syntax.Stmt:
			a.stmt(x, base, bg)
			return false
		case *syntax.CmdSubst:
			for _, st := range x.Stmts {
				a.stmt(st, base, false)
			}
			return false
		case *syntax.ProcSubst:
			for _, st := range x.Stmts {
				a.stmt(st, base, false)
			}
			return false
		}
		return true
	})
}

// flattenPipe returns the stages of a pipeline statement.
func flattenPipe(st *syntax.Stmt) []*syntax.Stmt {
	if b, ok := st.Cmd.(*syntax.BinaryCmd); ok && (b.Op == syntax.Pipe || b.Op == syntax.PipeAll) {
		return append(flattenPipe(b.X), flattenPipe(b.Y)...)
	}
	return []*syntax.Stmt{st}
}

// stageArgv returns the words of a simple-command pipeline stage.
func (a *shAnalyzer) stageArgv(st *syntax.Stmt) []string {
	call, ok := st.Cmd.(*syntax.CallExpr)
	if !ok {
		return nil
	}
	words := make([]string, len(call.Args))
	for i, w := range call.Args {
		words[i] = a.word(w)
	}
	return words
}

func (a *shAnalyzer) pipeline(stages []*syntax.Stmt, line int) {
	argvs := make([][]string, len(stages))
	dl := make([]bool, len(stages))
	for i, st := range stages {
		argvs[i] = a.stageArgv(st)
		if argvs[i] == nil {
			// a compound stage such as "(curl …; echo) | sh"
			d, _ := a.stmtsHave([]*syntax.Stmt{st})
			dl[i] = d
		}
	}
	a.pipeArgv(argvs, dl, line)
}

// pipeArgv reports a download or a base64 decoding piped into an
// interpreter. extraDl marks stages known to download.
func (a *shAnalyzer) pipeArgv(argvs [][]string, extraDl []bool, line int) {
	downloaded, decoded := false, false
	for i, argv := range argvs {
		if i > 0 && (downloaded || decoded) {
			if r := runnerName(argv); r != "" {
				if downloaded {
					a.add(hitDownloadRun, line, false, "pipes a download into %s", quote(r))
				} else {
					a.add(hitDecodeRun, line, false, "decodes base64 and pipes it into %s", quote(r))
				}
				return
			}
		}
		if isDownloader(argv) || (extraDl != nil && extraDl[i]) {
			downloaded = true
		}
		if isBase64Decode(argv) {
			decoded = true
		}
	}
}

// stmtsHave reports whether any simple command below stmts downloads or
// decodes base64.
func (a *shAnalyzer) stmtsHave(stmts []*syntax.Stmt) (download, decode bool) {
	for _, st := range stmts {
		syntax.Walk(st, func(n syntax.Node) bool {
			call, ok := n.(*syntax.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			words := make([]string, len(call.Args))
			for i, w := range call.Args {
				words[i] = a.word(w)
			}
			if isDownloader(words) || inlineNetwork(words) {
				download = true
			}
			if isBase64Decode(words) {
				decode = true
			}
			return true
		})
	}
	return download, decode
}

// substsHave reports whether command or process substitutions in words
// (or input redirections) download or decode.
func (a *shAnalyzer) substsHave(words []*syntax.Word, redirs []*syntax.Redirect) (download, decode bool) {
	var nodes []syntax.Node
	for _, w := range words {
		nodes = append(nodes, w)
	}
	for _, r := range redirs {
		if r.Word != nil && (r.Op == syntax.RdrIn || r.Op == syntax.WordHdoc) {
			nodes = append(nodes, r.Word)
		}
		if r.Hdoc != nil {
			nodes = append(nodes, r.Hdoc)
		}
	}
	for _, n := range nodes {
		syntax.Walk(n, func(m syntax.Node) bool {
			var stmts []*syntax.Stmt
			switch x := m.(type) {
			case *syntax.CmdSubst:
				stmts = x.Stmts
			case *syntax.ProcSubst:
				stmts = x.Stmts
			default:
				return true
			}
			d, e := a.stmtsHave(stmts)
			download = download || d
			decode = decode || e
			return false
		})
	}
	return download, decode
}

// word renders a shell word: quotes removed, $HOME and ~ expanded, other
// parameters kept as "$NAME", substitutions as "$(…)".
func (a *shAnalyzer) word(w *syntax.Word) string {
	var b strings.Builder
	a.parts(&b, w.Parts)
	return a.env.expandTilde(b.String())
}

func (a *shAnalyzer) parts(b *strings.Builder, parts []syntax.WordPart) {
	for _, p := range parts {
		if b.Len() > 4096 {
			return
		}
		switch x := p.(type) {
		case *syntax.Lit:
			b.WriteString(unescape(x.Value))
		case *syntax.SglQuoted:
			b.WriteString(x.Value)
		case *syntax.DblQuoted:
			a.parts(b, x.Parts)
		case *syntax.ParamExp:
			name := ""
			if x.Param != nil {
				name = x.Param.Value
			}
			switch {
			case name == "HOME" && !x.Length && !x.Excl:
				if a.env.home != "" {
					b.WriteString(a.env.home)
				} else {
					b.WriteString("~")
				}
			case name == "TMPDIR" && !x.Length && !x.Excl:
				b.WriteString("/tmp")
			case name != "":
				b.WriteString("$" + name)
			default:
				b.WriteString("$…")
			}
		case *syntax.CmdSubst:
			b.WriteString("$(…)")
		case *syntax.ProcSubst:
			b.WriteString("<(…)")
		default:
			b.WriteString("…")
		}
	}
}

// unescape removes shell backslash escapes from an unquoted literal.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func (a *shAnalyzer) assign(as *syntax.Assign, line int) {
	if as == nil || as.Name == nil || as.Value == nil {
		return
	}
	a.envVar(as.Name.Value, a.word(as.Value), line)
}

// envVar checks an environment variable assignment.
func (a *shAnalyzer) envVar(name, val string, line int) {
	where := func(c pathClass) string {
		if c == pathTmp {
			return "a temporary directory"
		}
		return "a hidden directory"
	}
	switch name {
	case "LD_PRELOAD":
		for _, p := range strings.FieldsFunc(val, func(r rune) bool { return r == ':' || r == ' ' }) {
			if c := a.env.classify(p, false); c != pathPlain {
				a.add(hitLDPreload, line, false, "preloads library %s from %s into every program (LD_PRELOAD)", quote(p), where(c))
			}
		}
	case "NODE_OPTIONS":
		f := strings.Fields(val)
		for i, t := range f {
			var p string
			for _, opt := range []string{"--require", "-r", "--import", "--loader", "--experimental-loader"} {
				if t == opt && i+1 < len(f) {
					p = f[i+1]
				} else if strings.HasPrefix(t, opt+"=") {
					p = t[len(opt)+1:]
				}
			}
			if p == "" {
				continue
			}
			if c := a.env.classify(p, false); c != pathPlain {
				a.add(hitNodeOptions, line, false, "makes every node process load %s from %s (NODE_OPTIONS)", quote(p), where(c))
			}
		}
	case "PYTHONPATH":
		for _, p := range strings.Split(val, ":") {
			if c := a.env.classify(p, false); c != pathPlain {
				a.add(hitPythonPath, line, false, "puts %s from %s first on every python's import path (PYTHONPATH)", quote(p), where(c))
			}
		}
	case "PYTHONSTARTUP":
		c := a.env.classify(val, true)
		if c != pathPlain && !xdgPythonStartup(a.env, val) {
			a.add(hitPythonStartup, line, false, "makes interactive python run %s from %s (PYTHONSTARTUP)", quote(val), where(c))
		}
	case "PROMPT_COMMAND":
		a.sub(val, line)
	}
}

// xdgPythonStartup recognizes the XDG location many setups use for the
// interactive startup file: ~/.config/python/….
func xdgPythonStartup(e *pathEnv, p string) bool {
	p = e.expandTilde(p)
	segs := splitHost(path.Clean(p))
	abs := strings.HasPrefix(p, "/")
	h := e.homeSegs(abs, segs)
	return h >= 0 && len(segs) == h+3 && segs[h] == ".config" && strings.HasPrefix(segs[h+1], "python")
}

// argv checks one simple command. raw holds the parsed words when the
// command came from the shell parser (for substitutions), redirs its
// redirections.
func (a *shAnalyzer) argv(words []string, raw []*syntax.Word, redirs []*syntax.Redirect, line int, bg bool) {
	i, wbg := skipWrappers(words)
	bg = bg || wbg
	if i >= len(words) {
		return
	}
	cmd := words[i]
	args := words[i+1:]
	var rawArgs []*syntax.Word
	if raw != nil && len(raw) == len(words) {
		rawArgs = raw[i+1:]
	}
	base := baseName(cmd)
	if base == "busybox" && len(args) > 0 {
		cmd, args = args[0], args[1:]
		base = baseName(cmd)
		if rawArgs != nil {
			rawArgs = rawArgs[1:]
		}
	}
	if isBase64Decode(words[i:]) {
		a.add(hitDecode, line, bg, "decodes base64 (%s)", quote(strings.Join(words[i:], " ")))
	}
	dl, dec := a.substsHave(rawArgs, redirs)
	switch {
	case base == "eval" || base == "." || base == "source":
		if base == "eval" {
			a.sub(strings.Join(args, " "), line)
		}
		switch {
		case dl:
			a.add(hitDownloadRun, line, bg, "runs downloaded code with %s", quote(base))
		case dec:
			a.add(hitDecodeRun, line, bg, "runs base64-decoded code with %s", quote(base))
		}
		if base != "eval" && len(args) > 0 && a.env.classify(args[0], false) == pathTmp {
			a.add(hitTmpScript, line, bg, "sources %s from a temporary directory", quote(args[0]))
		}
	case isShellName(base):
		code, hasCode := optValue(args, "-c")
		if hasCode {
			a.sub(code, line)
		}
		switch {
		case dl:
			a.add(hitDownloadRun, line, bg, "runs downloaded code with %s", quote(base))
		case dec:
			a.add(hitDecodeRun, line, bg, "runs base64-decoded code with %s", quote(base))
		}
		if !hasCode {
			a.script(scriptArg(base, args), line, bg)
		}
		a.program(cmd, line, bg)
	case isInterpreterName(base):
		if code := inlineCode(base, args); code != "" {
			a.inline(base, code, line, bg)
		}
		switch {
		case dl:
			a.add(hitDownloadRun, line, bg, "runs downloaded code with %s", quote(base))
		case dec:
			a.add(hitDecodeRun, line, bg, "runs base64-decoded code with %s", quote(base))
		}
		for _, p := range preloads(base, args) {
			a.script(p, line, bg)
		}
		a.script(scriptArg(base, args), line, bg)
		a.program(cmd, line, bg)
	case base == "su" || base == "runuser":
		// su [options] [user] -c command: options may follow the user
		for k, w := range args {
			if (w == "-c" || w == "--command") && k+1 < len(args) {
				a.sub(args[k+1], line)
			} else if strings.HasPrefix(w, "--command=") {
				a.sub(strings.TrimPrefix(w, "--command="), line)
			}
		}
	default:
		if hasScriptExt(cmd) {
			a.script(cmd, line, bg)
		} else {
			a.program(cmd, line, bg)
		}
	}
}

// inline checks code given to an interpreter on its command line.
func (a *shAnalyzer) inline(interp, code string, line int, bg bool) {
	l := strings.ToLower(code)
	execs := containsAny(l, "exec(", "exec (", "eval(", "eval (", "function(", "new function", "compile(")
	switch {
	case execs && containsAny(l, "b64decode", "base64", "atob(", "decodebytes", "unhexlify", "fromhex", "decompress", "marshal.loads"):
		a.add(hitDecodeRun, line, bg, "runs base64-decoded code with %s", quote(interp))
	case execs && containsAny(l, "urlopen", "urllib", "requests.get", "http.client", "https://", "http://", "fetch(", "socket"):
		a.add(hitDownloadRun, line, bg, "runs downloaded code with %s", quote(interp))
	}
}

func (a *shAnalyzer) script(p string, line int, bg bool) {
	if p == "" || p == "-" {
		return
	}
	switch a.env.classify(p, false) {
	case pathTmp:
		a.add(hitTmpScript, line, bg, "runs script %s from a temporary directory", quote(p))
	case pathHiddenDir:
		a.add(hitHiddenScript, line, bg, "runs script %s from a hidden directory", quote(p))
	case pathHiddenFile:
		a.add(hitHiddenScript, line, bg, "runs hidden script %s", quote(p))
	}
}

func (a *shAnalyzer) program(p string, line int, bg bool) {
	if !strings.Contains(p, "/") {
		return // looked up in PATH
	}
	how := "runs"
	if bg {
		how = "starts"
	}
	suffix := ""
	if bg {
		suffix = " in the background"
	}
	switch a.env.classify(p, false) {
	case pathTmp:
		a.add(hitTmpProgram, line, bg, "%s program %s from a temporary directory%s", how, quote(p), suffix)
	case pathHiddenDir:
		a.add(hitHiddenProgram, line, bg, "%s program %s from a hidden directory%s", how, quote(p), suffix)
	case pathHiddenFile:
		a.add(hitHiddenProgram, line, bg, "%s hidden program %s%s", how, quote(p), suffix)
	}
}

// crude analyzes a line the shell parser rejected: it is split on ";",
// "&&", "||", "&" and "|" and words are split on blanks.
func (a *shAnalyzer) crude(l string, line int) {
	l = strings.NewReplacer("&&", ";", "||", ";", "$(", " ", "`", " ", "<(", " ", ")", " ").Replace(l)
	for _, seg := range strings.Split(l, ";") {
		bg := strings.HasSuffix(strings.TrimSpace(seg), "&")
		var argvs [][]string
		for _, stage := range strings.FieldsFunc(seg, func(r rune) bool { return r == '|' || r == '&' }) {
			var words []string
			for _, w := range strings.Fields(stage) {
				w = strings.Trim(w, `"'(){}<>`)
				w = strings.ReplaceAll(strings.ReplaceAll(w, "${HOME}", "$HOME"), "$HOME", "~")
				if w != "" {
					words = append(words, a.env.expandTilde(w))
				}
			}
			if len(words) > 0 {
				argvs = append(argvs, words)
			}
		}
		a.pipeArgv(argvs, nil, line)
		// "eval"/"source"/a shell whose text is built from a download or a decoding
		if len(argvs) > 1 {
			if i, _ := skipWrappers(argvs[0]); i < len(argvs[0]) {
				b := baseName(argvs[0][i])
				if b == "eval" || b == "source" || b == "." || isShellName(b) || isInterpreterName(b) {
					for _, rest := range argvs[1:] {
						if isDownloader(rest) {
							a.add(hitDownloadRun, line, bg, "runs downloaded code with %s", quote(b))
							break
						}
						if isBase64Decode(rest) {
							a.add(hitDecodeRun, line, bg, "runs base64-decoded code with %s", quote(b))
							break
						}
					}
				}
			}
		}
		for _, argv := range argvs {
			a.argv(argv, nil, nil, line, bg)
		}
	}
}

func baseName(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

func containsAny(s string, subs ...string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

func isShellName(b string) bool {
	switch b {
	case "sh", "bash", "zsh", "dash", "ksh", "ash", "mksh", "fish", "busybox":
		return true
	}
	return false
}

// isInterpreterName recognizes script interpreters other than shells.
func isInterpreterName(b string) bool {
	switch b {
	case "node", "nodejs", "perl", "ruby", "php", "bun", "deno", "lua", "pwsh":
		return true
	}
	if strings.HasPrefix(b, "python") || strings.HasPrefix(b, "pypy") {
		rest := strings.TrimLeft(strings.TrimPrefix(strings.TrimPrefix(b, "python"), "pypy"), "0123456789.")
		return rest == "" || rest == "w" || rest == "m"
	}
	return false
}

func hasScriptExt(p string) bool {
	switch strings.ToLower(path.Ext(p)) {
	case ".py", ".sh", ".bash", ".pl", ".rb", ".js", ".mjs", ".cjs", ".php", ".ts":
		return true
	}
	return false
}

// runnerName returns the interpreter that reads code from standard input
// in a pipeline stage, or "".
func runnerName(argv []string) string {
	i, _ := skipWrappers(argv)
	if i >= len(argv) {
		return ""
	}
	b := baseName(argv[i])
	args := argv[i+1:]
	if b == "busybox" && len(args) > 0 && isShellName(args[0]) {
		b, args = args[0], args[1:]
	}
	switch {
	case isShellName(b) && b != "busybox":
		if _, ok := optValue(args, "-c"); ok {
			return ""
		}
		if s := scriptArg(b, args); s != "" && s != "-" {
			return ""
		}
		return b
	case isInterpreterName(b):
		if inlineCode(b, args) != "" {
			return ""
		}
		if s := scriptArg(b, args); s != "" && s != "-" {
			return ""
		}
		return b
	}
	return ""
}

// isDownloader recognizes commands that fetch from the network.
func isDownloader(argv []string) bool {
	i, _ := skipWrappers(argv)
	if i >= len(argv) {
		return false
	}
	b := baseName(argv[i])
	if b == "busybox" && i+1 < len(argv) {
		b = argv[i+1]
	}
	switch b {
	case "curl", "wget", "fetch", "aria2c", "lwp-download", "lwp-request", "GET", "http", "https", "xh", "tftp":
		return true
	}
	return false
}

// inlineNetwork recognizes an interpreter fetching code on its command
// line ("python3 -c 'import urllib…'").
func inlineNetwork(argv []string) bool {
	i, _ := skipWrappers(argv)
	if i >= len(argv) || !isInterpreterName(baseName(argv[i])) {
		return false
	}
	code := strings.ToLower(inlineCode(baseName(argv[i]), argv[i+1:]))
	return containsAny(code, "urlopen", "urllib", "requests.get", "http.client", "fetch(")
}

// isBase64Decode recognizes "base64 -d", "openssl base64 -d",
// "openssl enc -base64 -d" and "python -m base64 -d".
func isBase64Decode(argv []string) bool {
	i, _ := skipWrappers(argv)
	if i >= len(argv) {
		return false
	}
	b := baseName(argv[i])
	args := argv[i+1:]
	if b == "busybox" && len(args) > 0 {
		b, args = args[0], args[1:]
	}
	hasDecodeFlag := func() bool {
		for _, a := range args {
			if a == "--decode" || a == "-D" {
				return true
			}
			if strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && strings.ContainsRune(a, 'd') {
				return true
			}
		}
		return false
	}
	switch {
	case b == "base64" || b == "gbase64" || b == "base32":
		return hasDecodeFlag()
	case b == "openssl":
		for _, a := range args {
			if a == "base64" || a == "-base64" || a == "-a" {
				return hasDecodeFlag()
			}
		}
	case isInterpreterName(b):
		for k := 0; k+1 < len(args); k++ {
			if args[k] == "-m" && args[k+1] == "base64" {
				return hasDecodeFlag()
			}
		}
	}
	return false
}

// skipWrappers skips commands that run the rest of the line as a command
// (nohup, sudo, env, nice, timeout, …) with their options. bg reports
// nohup or setsid, which detach what they run.
func skipWrappers(words []string) (i int, bg bool) {
	for i < len(words) {
		b := baseName(words[i])
		switch b {
		case "nohup", "setsid", "disown":
			bg = true
			i = skipOpts(words, i+1, b)
		case "exec", "command", "builtin", "time", "chronic", "unbuffer", "stdbuf", "nice", "ionice", "doas", "sudo", "env", "caffeinate", "systemd-run", "systemd-cat", "xargs":
			i = skipOpts(words, i+1, b)
			if b == "env" {
				for i < len(words) && isAssignWord(words[i]) {
					i++
				}
			}
		case "timeout", "flock", "taskset", "chrt":
			i = skipOpts(words, i+1, b)
			i++ // the duration, lock file, mask or priority
		default:
			return i, bg
		}
	}
	return i, bg
}

// skipOpts skips options (and their values for options known to take one)
// from index i.
func skipOpts(words []string, i int, cmd string) int {
	for i < len(words) {
		w := words[i]
		if w == "--" {
			return i + 1
		}
		if !strings.HasPrefix(w, "-") || w == "-" {
			return i
		}
		i++
		if takesValue(cmd, w) {
			i++
		}
	}
	return i
}

func takesValue(cmd, opt string) bool {
	switch cmd {
	case "sudo", "doas":
		switch opt {
		case "-u", "-g", "-h", "-p", "-C", "-D", "-R", "-T", "-U", "-r", "-t":
			return true
		}
	case "nice":
		return opt == "-n"
	case "ionice":
		return opt == "-c" || opt == "-n" || opt == "-p"
	case "env":
		return opt == "-u" || opt == "-C" || opt == "-S"
	case "timeout":
		return opt == "-s" || opt == "-k"
	case "flock":
		return opt == "-w" || opt == "-E" || opt == "-c"
	case "systemd-run":
		return opt == "-p" || opt == "-u" || opt == "--unit" || opt == "-E"
	case "xargs":
		return opt == "-I" || opt == "-n" || opt == "-P" || opt == "-L" || opt == "-d" || opt == "-a"
	}
	return false
}

func isAssignWord(w string) bool {
	eq := strings.IndexByte(w, '=')
	if eq <= 0 {
		return false
	}
	for k, r := range w[:eq] {
		if !(r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || k > 0 && '0' <= r && r <= '9') {
			return false
		}
	}
	return true
}

// optValue returns the value of option opt ("-c") in args: the next word,
// also when opt is bundled with other one-letter flags ("-lc").
func optValue(args []string, opt string) (string, bool) {
	letter := opt[1:]
	for k, a := range args {
		if a == "--" || !strings.HasPrefix(a, "-") {
			return "", false
		}
		if a == opt || len(opt) == 2 && !strings.HasPrefix(a, "--") && strings.HasSuffix(a, letter) {
			if k+1 < len(args) {
				return args[k+1], true
			}
			return "", true
		}
	}
	return "", false
}

// inlineCode returns code an interpreter is given on its command line.
func inlineCode(interp string, args []string) string {
	var opts []string
	switch {
	case strings.HasPrefix(interp, "python") || strings.HasPrefix(interp, "pypy"):
		opts = []string{"-c"}
	case interp == "node" || interp == "nodejs" || interp == "bun" || interp == "deno":
		opts = []string{"-e", "--eval", "-p", "--print"}
	case interp == "perl" || interp == "ruby":
		opts = []string{"-e", "-E"}
	case interp == "php":
		opts = []string{"-r"}
	case interp == "pwsh":
		opts = []string{"-c", "-Command", "-EncodedCommand", "-e", "-enc"}
	}
	for k, a := range args {
		if a == "--" {
			break
		}
		for _, o := range opts {
			if a == o && k+1 < len(args) {
				return args[k+1]
			}
			if strings.HasPrefix(a, o+"=") && strings.HasPrefix(o, "--") {
				return a[len(o)+1:]
			}
		}
	}
	return ""
}

// preloads returns modules an interpreter is told to load before the
// script (node -r / --require / --import / --loader).
func preloads(interp string, args []string) []string {
	if interp != "node" && interp != "nodejs" && interp != "bun" {
		return nil
	}
	var out []string
	for k, a := range args {
		if !strings.HasPrefix(a, "-") {
			break
		}
		for _, o := range []string{"-r", "--require", "--import", "--loader", "--experimental-loader"} {
			if a == o && k+1 < len(args) {
				out = append(out, args[k+1])
			} else if strings.HasPrefix(a, o+"=") {
				out = append(out, a[len(o)+1:])
			}
		}
	}
	return out
}

// takesArg reports interpreter options whose value is the next word.
func takesArg(interp, opt string) bool {
	switch {
	case strings.HasPrefix(interp, "python") || strings.HasPrefix(interp, "pypy"):
		return opt == "-W" || opt == "-X" || opt == "-Q"
	case interp == "node" || interp == "nodejs" || interp == "bun" || interp == "deno":
		switch opt {
		case "-r", "--require", "--import", "--loader", "--experimental-loader", "--conditions", "-C", "--title":
			return true
		}
	case interp == "ruby":
		return opt == "-I" || opt == "-r"
	case isShellName(interp):
		return opt == "-o" || opt == "+o" || opt == "-O" || opt == "+O" || opt == "--rcfile" || opt == "--init-file"
	}
	return false
}

// scriptArg returns the script an interpreter or shell runs: the first
// word that is not an option. "" when it runs a module (-m), inline code
// or standard input (-s).
func scriptArg(interp string, args []string) string {
	python := strings.HasPrefix(interp, "python") || strings.HasPrefix(interp, "pypy")
	for k := 0; k < len(args); k++ {
		a := args[k]
		switch {
		case a == "--":
			if k+1 < len(args) {
				return args[k+1]
			}
			return ""
		case a == "-":
			return "-"
		case !strings.HasPrefix(a, "-") && !(isShellName(interp) && strings.HasPrefix(a, "+")):
			return a
		case python && (a == "-m" || a == "-c"), isShellName(interp) && (a == "-c" || a == "-s"), !python && inlineCode(interp, []string{a, "x"}) != "":
			return ""
		case takesArg(interp, a):
			k++
		}
	}
	return ""
}
