// Package install finds tools that a shell script installs without a pinned
// version, and downloads it runs without verifying them: the CI half of the
// litellm compromise, where a CircleCI job ran `apt-get install trivy`
// unpinned while holding the PyPI publishing password.
//
// Scripts are parsed with mvdan.cc/sh (bash dialect) so that only real
// command words count: text in comments, strings, heredocs written to files
// and `echo "apt-get install x"` is never reported. When a script does not
// parse, the statements before the error are kept and the rest is analyzed
// line by line, so one bad line does not hide the others.
//
// Precision matters more than recall: anything that is dynamic (a version
// or package name from a variable, a command substitution or a CI template
// expression such as `${{ inputs.version }}`) is taken as pinned, and
// commands whose effect cannot be told from the text (a bare `npx tool`
// that may run the project's locked copy, `pip install -r`, `npm ci`) are
// not reported.
package install

import (
	"sort"
	"strings"
	"unicode/utf8"

	"mvdan.cc/sh/v3/syntax"
)

// Finding is one unpinned install or unverified download in a script.
type Finding struct {
	// Kind is one of "apt", "yum", "apk", "brew", "pip", "pip-self",
	// "pipx", "uv-tool", "npm-global", "npx", "go-install", "gem",
	// "cargo", "curl-pipe-shell" and "download-exec".
	Kind string
	// Line is the 1-based line within the script text where the command
	// starts (a command continued with `\` reports its first line).
	Line int
	// Col is the 1-based column, in characters, of the command within
	// that line.
	Col int
	// Command is the command as written, on one line, clipped to 200
	// characters.
	Command string
	// Packages is what is installed unpinned (["trivy"]); for
	// download-exec the downloaded file, empty for curl-pipe-shell.
	Packages []string
	// Message says, in lowercase with values quoted, what is unpinned and
	// how to pin it.
	Message string
}

// Analyze parses script as POSIX shell / bash and returns its findings in
// the order they appear. shell names the interpreter the script is given
// to ("", "bash" and "sh" are analyzed; "pwsh", "powershell", "cmd",
// "python" and other non-POSIX shells return nil). Analyze never panics
// and runs in time roughly linear in the size of the script.
func Analyze(script string, shell string) []Finding {
	if !posixShell(shell) || strings.TrimSpace(script) == "" || !mayInstall(script) {
		return nil
	}
	a := newAnalyzer(script)
	a.run()
	return a.result()
}

// installWords are the words without which no command this package
// reports can occur: every package-manager verb, global flag, runner and
// downloader it knows. Most CI scripts (make, npm test, go build) have
// none, and skip parsing.
var installWords = []string{"install", "add", "curl", "wget", "npx", "dlx", "uvx", "bunx", "exec", "pipx", "pip", "uv ", "go run", "go get", "gem", "cargo", "brew", "apk", "apt", "yum", "dnf", " i ", "\ti ", "-g", "--global", "upgrade"}

func mayInstall(script string) bool {
	for _, w := range installWords {
		if strings.Contains(script, w) {
			return true
		}
	}
	return false
}

// posixShell reports whether a step's shell runs POSIX shell code. A
// custom GitHub shell string such as "bash --noprofile --norc -eo pipefail
// {0}" names the program first.
func posixShell(shell string) bool {
	f := strings.Fields(strings.ToLower(shell))
	if len(f) == 0 {
		return true
	}
	name := f[0]
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimSuffix(name, ".exe")
	switch name {
	case "bash", "sh", "dash", "ash", "ksh", "mksh", "zsh", "busybox":
		return true
	}
	return false
}

const (
	// maxDepth bounds how deeply nested a chunk may look before it is
	// given to the parser: mvdan.cc/sh recurses per nesting level and a
	// pathological script would otherwise exhaust the goroutine stack.
	maxDepth = 200
	// maxParseErrors bounds the parse attempts that fail; a failing
	// parse is much slower than a successful one.
	maxParseErrors = 2000
	// maxNested bounds `sh -c '…'` / eval strings analyzed inside each
	// other.
	maxNested = 4
	// maxCommand is the length of Finding.Command in characters.
	maxCommand = 200
)

// span is a half-open byte range of the normalized text.
type span struct{ start, end int }

type analyzer struct {
	disp  string // the script with CR of CRLF removed: what Command shows
	text  string // disp with CI template expressions replaced: what is parsed
	tmpl  []span // where the template expressions were
	lines []int  // byte offset of each line start in text

	parser   *syntax.Parser
	findings []found
	nested   int
	errs     int // failed parses so far
	budget   int // bytes the line-by-line fallback may still re-parse

	dl dlState

	colLine, colOff, colCol int // cache for column computation
}

// found is a finding with the offset used to order the results.
type found struct {
	off int
	seq int
	f   Finding
}

func newAnalyzer(script string) *analyzer {
	disp := stripCR(script)
	text, tmpl := replaceTemplates(disp)
	a := &analyzer{
		disp:    disp,
		text:    text,
		tmpl:    tmpl,
		parser:  syntax.NewParser(syntax.Variant(syntax.LangBash)),
		budget:  4*len(text) + 1<<16,
		colLine: -1,
	}
	a.lines = append(a.lines, 0)
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			a.lines = append(a.lines, i+1)
		}
	}
	a.dl.byPath = map[string]*download{}
	return a
}

// stripCR removes the CR of every CRLF and turns a lone CR into a space.
// Removing a CR before a newline changes no line number and no column of
// any character before it.
func stripCR(s string) string {
	if strings.IndexByte(s, '\r') < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\r' {
			if i+1 == len(s) || s[i+1] == '\n' {
				continue
			}
			c = ' '
		}
		b.WriteByte(c)
	}
	return b.String()
}

// replaceTemplates replaces CI template expressions with a parameter
// expansion of the same length ("$___…"), so that the shell parser
// accepts them, every position stays exact, and a value that contains
// one counts as set by a variable. Handled on one line each:
// `${{ … }}` (GitHub Actions, Azure), `{{ … }}` (Go and Jinja templates),
// `$[[ … ]]` (GitLab CI inputs) and `<< parameters.x >>` /
// `<< pipeline.x >>` (CircleCI).
func replaceTemplates(s string) (string, []span) {
	if !strings.Contains(s, "{{") && !strings.Contains(s, "$[[") && !strings.Contains(s, "<<") {
		return s, nil
	}
	var spans []span
	// finder returns the next occurrence of pat at or after i. Queries
	// come with growing i, so each pattern is searched once per match:
	// linear in the text.
	type finder struct {
		pat  string
		next int // last match; -1 not searched yet; -2 no more matches
	}
	find := func(f *finder, i int) int {
		if f.next == -2 {
			return -1
		}
		if f.next >= i {
			return f.next
		}
		j := strings.Index(s[i:], f.pat)
		if j < 0 {
			f.next = -2
			return -1
		}
		f.next = i + j
		return f.next
	}
	braces := &finder{pat: "}}", next: -1}
	brackets := &finder{pat: "]]", next: -1}
	angles := &finder{pat: ">>", next: -1}
	nl := &finder{pat: "\n", next: -1}
	lineEnd := func(i int) int {
		if j := find(nl, i); j >= 0 {
			return j
		}
		return len(s)
	}
	for i := 0; i+1 < len(s); i++ {
		var start, end int
		switch {
		case s[i] == '{' && s[i+1] == '{':
			start = i
			if i > 0 && s[i-1] == '$' {
				start = i - 1
			}
			j := find(braces, i+2)
			if j < 0 || j > lineEnd(i) {
				continue
			}
			end = j + 2
		case s[i] == '$' && strings.HasPrefix(s[i:], "$[["):
			start = i
			j := find(brackets, i+3)
			if j < 0 || j > lineEnd(i) {
				continue
			}
			end = j + 2
		case s[i] == '<' && s[i+1] == '<':
			k := i + 2
			for k < len(s) && (s[k] == ' ' || s[k] == '\t') {
				k++
			}
			if !strings.HasPrefix(s[k:], "parameters.") && !strings.HasPrefix(s[k:], "pipeline.") {
				continue
			}
			j := find(angles, k)
			if j < 0 || j > lineEnd(i) {
				continue
			}
			end = j + 2
			start = i
		default:
			continue
		}
		if len(spans) > 0 && start < spans[len(spans)-1].end {
			continue
		}
		spans = append(spans, span{start, end})
		i = end - 1
	}
	if len(spans) == 0 {
		return s, nil
	}
	b := []byte(s)
	for _, sp := range spans {
		b[sp.start] = '$'
		for k := sp.start + 1; k < sp.end; k++ {
			if b[k] != '\n' {
				b[k] = '_'
			}
		}
	}
	return string(b), spans
}

// inTemplate reports whether [start, end) overlaps a template expression.
func (a *analyzer) inTemplate(start, end int) bool {
	if len(a.tmpl) == 0 {
		return false
	}
	i := sort.Search(len(a.tmpl), func(i int) bool { return a.tmpl[i].end > start })
	return i < len(a.tmpl) && a.tmpl[i].start < end
}

// lineOf returns the 0-based line index of a byte offset.
func (a *analyzer) lineOf(off int) int {
	return sort.Search(len(a.lines), func(i int) bool { return a.lines[i] > off }) - 1
}

// lineCol converts a byte offset into a 1-based line and character column.
func (a *analyzer) lineCol(off int) (int, int) {
	if off < 0 {
		off = 0
	}
	if off > len(a.disp) {
		off = len(a.disp)
	}
	ln := a.lineOf(off)
	if ln < 0 {
		ln = 0
	}
	start := a.lines[ln]
	// Findings arrive mostly in order: count characters from the last
	// computed column on the same line instead of the line start.
	from, col := start, 1
	if a.colLine == ln && a.colOff <= off {
		from, col = a.colOff, a.colCol
	}
	col += utf8.RuneCountInString(a.disp[from:off])
	a.colLine, a.colOff, a.colCol = ln, off, col
	return ln + 1, col
}

// commandText is the source between two offsets on one line, clipped.
func (a *analyzer) commandText(start, end int) string {
	if start < 0 {
		start = 0
	}
	if end > len(a.disp) {
		end = len(a.disp)
	}
	if end < start {
		end = start
	}
	// Look no further than needed for maxCommand characters, even when
	// a continued command is long; collapse continuations and newlines.
	limit := end
	if limit-start > 8*maxCommand {
		limit = start + 8*maxCommand
	}
	raw := a.disp[start:limit]
	var b strings.Builder
	space := false
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c == '\\' && i+1 < len(raw) && raw[i+1] == '\n' {
			i++
			space = true
			continue
		}
		if c == '\n' || c == '\t' || c == ' ' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteByte(c)
	}
	return clip(b.String(), maxCommand)
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// add records a finding for the command at [start, end).
func (a *analyzer) add(kind string, start, end int, pkgs []string, msg string) {
	line, col := a.lineCol(start)
	a.findings = append(a.findings, found{off: start, seq: len(a.findings), f: Finding{
		Kind:     kind,
		Line:     line,
		Col:      col,
		Command:  a.commandText(start, end),
		Packages: pkgs,
		Message:  msg,
	}})
}

func (a *analyzer) result() []Finding {
	if len(a.findings) == 0 {
		return nil
	}
	sort.SliceStable(a.findings, func(i, j int) bool {
		if a.findings[i].off != a.findings[j].off {
			return a.findings[i].off < a.findings[j].off
		}
		return a.findings[i].seq < a.findings[j].seq
	})
	out := make([]Finding, 0, len(a.findings))
	for i, f := range a.findings {
		// the same command reached twice (never expected, but cheap to guard)
		if i > 0 && a.findings[i-1].off == f.off && a.findings[i-1].f.Kind == f.f.Kind && a.findings[i-1].f.Message == f.f.Message {
			continue
		}
		out = append(out, f.f)
	}
	return out
}

// run parses the whole script and, after a parse error, continues past
// the bad region.
func (a *analyzer) run() {
	start := 0
	for start < len(a.text) {
		next, ok := a.parseFrom(start)
		if ok || next <= start {
			return
		}
		start = next
	}
}

// parseFrom parses text from offset start, analyzing every complete
// top-level statement. It returns true when the rest of the text was
// handled, or the offset to resume whole-text parsing from.
func (a *analyzer) parseFrom(start int) (int, bool) {
	sub := a.text[start:]
	if nestingDepth(sub) > maxDepth || a.errs >= maxParseErrors {
		a.lineMode(start, len(a.text))
		return len(a.text), true
	}
	m := &mapper{base: start}
	lastEnd := 0
	var err error
	// The loop never stops the iterator early: mvdan.cc/sh v3.14.1 yields
	// a statement together with its error and then yields the error
	// again, which panics ("range function continued iteration") when the
	// first yield returned false, as Parser.Stmts does.
	for st, e := range a.parser.StmtsSeq(strings.NewReader(sub)) {
		if e != nil && err == nil {
			err = e
		}
		if err != nil || st == nil {
			continue
		}
		a.stmt(st, m)
		if end := int(st.End().Offset()); end > lastEnd {
			lastEnd = end
		}
	}
	if err == nil {
		return len(a.text), true
	}
	a.errs++
	errOff, incomplete, ok := errorPos(err)
	if !ok {
		return len(a.text), true
	}
	// The failing statement starts on the line after the last good one.
	bad := start
	if lastEnd > 0 {
		bad = a.nextLine(start + lastEnd)
	}
	if incomplete {
		// an unclosed quote, heredoc or block reaches the end
		a.lineMode(bad, len(a.text))
		return len(a.text), true
	}
	errEnd := a.nextLine(start + errOff)
	if errEnd > bad {
		a.lineMode(bad, errEnd)
	}
	if errEnd < bad {
		errEnd = bad
	}
	if errEnd <= start {
		errEnd = a.nextLine(start)
	}
	return errEnd, false
}

// errorPos extracts the offset of a parse error.
func errorPos(err error) (off int, incomplete bool, ok bool) {
	switch e := err.(type) {
	case syntax.ParseError:
		return int(e.Pos.Offset()), e.Incomplete, true
	case *syntax.ParseError:
		return int(e.Pos.Offset()), e.Incomplete, true
	case syntax.LangError:
		return int(e.Pos.Offset()), false, true
	case *syntax.LangError:
		return int(e.Pos.Offset()), false, true
	}
	return 0, false, false
}

// nextLine returns the offset of the line after the one holding off.
func (a *analyzer) nextLine(off int) int {
	if off >= len(a.text) {
		return len(a.text)
	}
	if off < 0 {
		off = 0
	}
	if j := strings.IndexByte(a.text[off:], '\n'); j >= 0 {
		return off + j + 1
	}
	return len(a.text)
}

// logicalEnd returns the end of the logical line starting at off: the
// physical line plus any lines joined to it by a trailing backslash.
func (a *analyzer) logicalEnd(off, limit int) int {
	for off < limit {
		j := strings.IndexByte(a.text[off:limit], '\n')
		if j < 0 {
			return limit
		}
		end := off + j
		if end > 0 && a.text[end-1] == '\\' && !(end > 1 && a.text[end-2] == '\\') {
			off = end + 1
			continue
		}
		return end + 1
	}
	return limit
}

// lineMode analyzes [from, to) one logical line at a time. A line that
// opens an unclosed here-document, quote or block is retried together
// with the following lines (within a byte budget), so heredoc bodies and
// multi-line strings are not mistaken for commands.
func (a *analyzer) lineMode(from, to int) {
	for off := from; off < to; {
		end := a.logicalEnd(off, to)
		chunk := a.text[off:end]
		if strings.TrimSpace(chunk) == "" {
			off = end
			continue
		}
		if a.errs >= maxParseErrors {
			return
		}
		if nestingDepth(chunk) > maxDepth {
			off = end
			continue
		}
		f, err := a.parseChunk(off, end)
		if err == nil {
			a.stmts(f.Stmts, &mapper{base: off})
			off = end
			continue
		}
		a.errs++
		_, incomplete, _ := errorPos(err)
		if !incomplete {
			off = end
			continue
		}
		// Try to close the construct with more lines.
		if next, ok := a.extend(off, end, to, err); ok {
			off = next
			continue
		}
		if delim, ok := heredocDelim(err); ok {
			// skip the heredoc body we could not parse
			off = a.skipHeredoc(end, to, delim)
			continue
		}
		off = end
	}
}

// extend tries chunks [off, e) for growing e until one parses.
func (a *analyzer) extend(off, end, to int, err error) (int, bool) {
	if delim, ok := heredocDelim(err); ok {
		e := a.skipHeredoc(end, to, delim)
		if e > end && e-off <= a.budget {
			a.budget -= e - off
			if f, err := a.parseChunk(off, e); err == nil {
				a.stmts(f.Stmts, &mapper{base: off})
				return e, true
			}
			a.errs++
		}
		return 0, false
	}
	e := end
	for n := 2; n <= 64 && e < to; n *= 2 {
		for k := 0; k < n && e < to; k++ {
			e = a.logicalEnd(e, to)
		}
		if e-off > a.budget || e-off > 1<<16 || a.errs >= maxParseErrors {
			return 0, false
		}
		a.budget -= e - off
		if nestingDepth(a.text[off:e]) > maxDepth {
			return 0, false
		}
		f, err := a.parseChunk(off, e)
		if err == nil {
			a.stmts(f.Stmts, &mapper{base: off})
			return e, true
		}
		a.errs++
		if _, inc, _ := errorPos(err); !inc {
			return 0, false
		}
	}
	return 0, false
}

func (a *analyzer) parseChunk(off, end int) (*syntax.File, error) {
	return a.parser.Parse(strings.NewReader(a.text[off:end]), "")
}

// heredocDelim returns the delimiter named by an "unclosed here-document"
// error.
func heredocDelim(err error) (string, bool) {
	var text string
	switch e := err.(type) {
	case syntax.ParseError:
		text = e.Text
	case *syntax.ParseError:
		text = e.Text
	default:
		return "", false
	}
	const prefix = "unclosed here-document `"
	if !strings.HasPrefix(text, prefix) || !strings.HasSuffix(text, "`") {
		return "", false
	}
	d := text[len(prefix) : len(text)-1]
	return d, d != ""
}

// skipHeredoc returns the offset after the line equal to delim (leading
// tabs allowed, for <<-), or to when there is none.
func (a *analyzer) skipHeredoc(off, to int, delim string) int {
	for off < to {
		e := a.nextLine(off)
		if e > to {
			e = to
		}
		if strings.TrimLeft(strings.TrimRight(a.text[off:e], "\n"), "\t") == delim {
			return e
		}
		off = e
	}
	return to
}

// nestingDepth estimates how deeply text nests brackets, braces,
// parentheses, substitutions and compound commands, skipping quoted
// strings, comments and heredoc bodies, and counting keywords only where
// a command starts. It is an upper-bound guard for the parser (which
// recurses per level), not a parser.
func nestingDepth(s string) int {
	depth, max := 0, 0
	up := func() {
		depth++
		if depth > max {
			max = depth
		}
	}
	down := func() {
		if depth > 0 {
			depth--
		}
	}
	atCmd := true
	var heredocs []string // delimiters whose bodies start at the next line
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			i++
		case c == '\'':
			if j := strings.IndexByte(s[i+1:], '\''); j >= 0 {
				i += j + 1
			} else {
				i = len(s)
			}
			atCmd = false
		case c == '"':
			// inside double quotes only substitutions nest
			for i++; i < len(s) && s[i] != '"'; i++ {
				switch s[i] {
				case '\\':
					i++
				case '$':
					if i+1 < len(s) && (s[i+1] == '(' || s[i+1] == '{') {
						up()
						i++
					}
				case ')', '}':
					down()
				}
			}
			atCmd = false
		case c == '#' && (i == 0 || s[i-1] == ' ' || s[i-1] == '\t' || s[i-1] == '\n' || s[i-1] == ';'):
			if j := strings.IndexByte(s[i:], '\n'); j >= 0 {
				i += j - 1
			} else {
				i = len(s)
			}
		case c == '\n':
			atCmd = true
			for _, d := range heredocs {
				i = skipBody(s, i+1, d) - 1
			}
			heredocs = heredocs[:0]
		case c == '<' && i+1 < len(s) && s[i+1] == '<' && (i+2 >= len(s) || s[i+2] != '<'):
			j := i + 2
			if j < len(s) && s[j] == '-' {
				j++
			}
			for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
				j++
			}
			k := j
			for k < len(s) && !strings.ContainsRune(" \t\n;&|<>()", rune(s[k])) {
				k++
			}
			if d := strings.Trim(s[j:k], `'"\`); d != "" && len(heredocs) < 16 {
				heredocs = append(heredocs, d)
			}
			i = k - 1
		case c == '(' || c == '{' || c == '[':
			up()
			atCmd = true
		case c == ')' || c == '}' || c == ']':
			down()
			atCmd = true
		case c == ';' || c == '&' || c == '|':
			atCmd = true
		case c == ' ' || c == '\t':
		default:
			j := i
			for j < len(s) && isWordByte(s[j]) {
				j++
			}
			if j == i {
				atCmd = false
				continue
			}
			w := s[i:j]
			if atCmd {
				switch w {
				case "if", "case", "while", "until", "for", "select":
					up()
				case "fi", "esac", "done":
					down()
				}
			}
			switch w {
			case "then", "do", "else", "elif", "if", "while", "until", "!", "time":
				atCmd = true
			default:
				atCmd = false
			}
			i = j - 1
		}
	}
	return max
}

// skipBody returns the offset after the heredoc body starting at i, whose
// last line is delim (leading tabs allowed).
func skipBody(s string, i int, delim string) int {
	for i < len(s) {
		e := strings.IndexByte(s[i:], '\n')
		line := s[i:]
		next := len(s)
		if e >= 0 {
			line = s[i : i+e]
			next = i + e + 1
		}
		if strings.TrimLeft(line, "\t") == delim {
			return next
		}
		i = next
	}
	return len(s)
}

func isWordByte(c byte) bool {
	return c == '_' || c == '-' || c == '.' || c == '/' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
