package install

import (
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// mapper translates the offsets of parsed nodes into offsets of the
// analyzed text. A script parsed from the text (or a chunk of it) adds
// base; a script nested in a string (`sh -c '…'`) maps each of its bytes
// through tbl into the coordinates of the script around it.
type mapper struct {
	parent *mapper
	base   int
	tbl    []int
	src    string // the text the node offsets index
}

func (m *mapper) abs(off int) int {
	for ; m != nil; m = m.parent {
		if m.tbl != nil {
			if off < 0 {
				off = 0
			}
			if off >= len(m.tbl) {
				off = len(m.tbl) - 1
			}
			off = m.tbl[off]
		} else {
			off += m.base
		}
	}
	return off
}

// slice returns the source of [pos, end) in the mapper's own text.
func (m *mapper) slice(pos, end syntax.Pos) string {
	s, e := int(pos.Offset()), int(end.Offset())
	if s < 0 || e > len(m.src) || s > e {
		return ""
	}
	return m.src[s:e]
}

func off(p syntax.Pos) int { return int(p.Offset()) }

// val is a shell word after quote removal.
type val struct {
	s    string // the value; an expansion is kept as written ("$VERSION")
	dyn  bool   // holds an expansion, substitution or template expression
	glob bool   // holds an unquoted glob character
}

// render evaluates a word's quoting. Expansions are not evaluated: they
// stay as "$NAME" (or their source text) and set dyn.
func (a *analyzer) render(w *syntax.Word, m *mapper) val {
	var v val
	var b strings.Builder
	for _, part := range w.Parts {
		// A CI template expression is dynamic and shown as written.
		if t, ok := a.templateText(part, m); ok {
			v.dyn = true
			b.WriteString(t)
			continue
		}
		switch p := part.(type) {
		case *syntax.Lit:
			if strings.ContainsAny(p.Value, "*?[") {
				v.glob = true
			}
			unescape(&b, p.Value, false)
		case *syntax.SglQuoted:
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				if t, ok := a.templateText(q, m); ok {
					v.dyn = true
					b.WriteString(t)
					continue
				}
				if l, ok := q.(*syntax.Lit); ok {
					unescape(&b, l.Value, true)
					continue
				}
				v.dyn = true
				a.renderExpansion(&b, q, m)
			}
		case *syntax.ExtGlob:
			v.glob = true
			b.WriteString(m.slice(p.Pos(), p.End()))
		default:
			v.dyn = true
			a.renderExpansion(&b, part, m)
		}
	}
	v.s = b.String()
	return v
}

// templateText returns the text as written of a word part that holds a
// CI template expression (without the quotes of a quoted part).
func (a *analyzer) templateText(part syntax.WordPart, m *mapper) (string, bool) {
	if len(a.tmpl) == 0 {
		return "", false
	}
	start, end := m.abs(off(part.Pos())), m.abs(off(part.End()))
	if !a.inTemplate(start, end) {
		return "", false
	}
	switch part.(type) {
	case *syntax.SglQuoted, *syntax.DblQuoted:
		start, end = start+1, end-1
	}
	if start < 0 || end > len(a.disp) || start > end {
		return "", true
	}
	return a.disp[start:end], true
}

func (a *analyzer) renderExpansion(b *strings.Builder, part syntax.WordPart, m *mapper) {
	if p, ok := part.(*syntax.ParamExp); ok && p.Param != nil {
		b.WriteString("$" + p.Param.Value)
		return
	}
	b.WriteString(m.slice(part.Pos(), part.End()))
}

// unescape removes backslash quoting: every escape outside quotes, and
// inside double quotes only those of $ ` " \ and newline.
func unescape(b *strings.Builder, s string, dq bool) {
	if strings.IndexByte(s, '\\') < 0 {
		b.WriteString(s)
		return
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		n := s[i+1]
		switch {
		case n == '\n':
			i++
		case !dq || n == '$' || n == '`' || n == '"' || n == '\\':
			b.WriteByte(n)
			i++
		default:
			b.WriteByte(c)
		}
	}
}

// scriptText returns the shell code a word stands for after quote
// removal (the argument of `sh -c` or eval), with a table mapping each
// byte to an offset in the word's own coordinates (plus one entry for
// the end).
func scriptText(words []*syntax.Word, m *mapper) (string, []int) {
	var b []byte
	var tbl []int
	emit := func(c byte, at int) {
		b = append(b, c)
		tbl = append(tbl, at)
	}
	// raw emits a node's source as is, or its value when the source
	// does not match it (positions then approximate).
	lit := func(value string, pos syntax.Pos, end syntax.Pos, dq bool) {
		start := off(pos)
		exact := m.slice(pos, end) == value
		for i := 0; i < len(value); i++ {
			at := start
			if exact {
				at = start + i
			}
			c := value[i]
			if c == '\\' && i+1 < len(value) {
				n := value[i+1]
				switch {
				case n == '\n':
					i++
					continue
				case !dq || n == '$' || n == '`' || n == '"' || n == '\\':
					if exact {
						at++
					}
					emit(n, at)
					i++
					continue
				}
			}
			emit(c, at)
		}
	}
	raw := func(n syntax.Node) {
		s := m.slice(n.Pos(), n.End())
		start := off(n.Pos())
		for i := 0; i < len(s); i++ {
			emit(s[i], start+i)
		}
	}
	for wi, w := range words {
		if wi > 0 {
			emit(' ', off(words[wi-1].End()))
		}
		for _, part := range w.Parts {
			switch p := part.(type) {
			case *syntax.Lit:
				lit(p.Value, p.Pos(), p.End(), false)
			case *syntax.SglQuoted:
				start := off(p.Left) + 1
				if p.Dollar {
					start++
				}
				for i := 0; i < len(p.Value); i++ {
					emit(p.Value[i], start+i)
				}
			case *syntax.DblQuoted:
				for _, q := range p.Parts {
					if l, ok := q.(*syntax.Lit); ok {
						lit(l.Value, l.Pos(), l.End(), true)
					} else {
						raw(q)
					}
				}
			default:
				raw(part)
			}
		}
	}
	// the end maps to just after the last byte (before a closing quote)
	end := 0
	if len(tbl) > 0 {
		end = tbl[len(tbl)-1] + 1
	} else if len(words) > 0 {
		end = off(words[len(words)-1].End())
	}
	tbl = append(tbl, end)
	return string(b), tbl
}

// nestedScript analyzes shell code found in a string argument.
func (a *analyzer) nestedScript(words []*syntax.Word, m *mapper) {
	if a.nested >= maxNested || a.errs >= maxParseErrors || len(words) == 0 {
		return
	}
	text, tbl := scriptText(words, m)
	if strings.TrimSpace(text) == "" || nestingDepth(text) > maxDepth {
		return
	}
	// The outer parser is still streaming: use a fresh one.
	p := syntax.NewParser(syntax.Variant(syntax.LangBash))
	f, err := p.Parse(strings.NewReader(text), "")
	if err != nil {
		a.errs++
		return
	}
	a.nested++
	a.stmts(f.Stmts, &mapper{parent: m, tbl: tbl, src: text})
	a.nested--
}

func (a *analyzer) stmts(list []*syntax.Stmt, m *mapper) {
	for _, s := range list {
		a.stmt(s, m)
	}
}

// stmt analyzes one statement: substitutions inside a command run before
// it, so they are visited first.
func (a *analyzer) stmt(s *syntax.Stmt, m *mapper) {
	switch c := s.Cmd.(type) {
	case *syntax.CallExpr:
		a.children(c, m)
		a.redirs(s, m)
		a.call(s, c, m)
		return
	case *syntax.BinaryCmd:
		if c.Op == syntax.Pipe || c.Op == syntax.PipeAll {
			a.pipeline(c, m)
			a.redirs(s, m)
			return
		}
	}
	if s.Cmd != nil {
		a.children(s.Cmd, m)
	}
	a.redirs(s, m)
}

// children visits the statements nested in a node.
func (a *analyzer) children(n syntax.Node, m *mapper) {
	syntax.Walk(n, func(x syntax.Node) bool {
		if x == nil || x == n {
			return true
		}
		if st, ok := x.(*syntax.Stmt); ok {
			a.stmt(st, m)
			return false
		}
		return true
	})
}

func (a *analyzer) redirs(s *syntax.Stmt, m *mapper) {
	for _, r := range s.Redirs {
		a.children(r, m)
	}
}

// pipeline visits the commands of `a | b | c` and then looks at what
// flows between them.
func (a *analyzer) pipeline(c *syntax.BinaryCmd, m *mapper) {
	var elems []*syntax.Stmt
	var flat func(st *syntax.Stmt)
	flat = func(st *syntax.Stmt) {
		if b, ok := st.Cmd.(*syntax.BinaryCmd); ok && (b.Op == syntax.Pipe || b.Op == syntax.PipeAll) && len(st.Redirs) == 0 && !st.Negated {
			flat(b.X)
			flat(b.Y)
			return
		}
		elems = append(elems, st)
	}
	flat(c.X)
	flat(c.Y)
	for _, e := range elems {
		a.stmt(e, m)
	}
	a.pipeFlow(elems, m)
}

// stmtEnd is where a statement's command and redirections end, without a
// trailing ';' or '&'.
func stmtEnd(st *syntax.Stmt) syntax.Pos {
	var end syntax.Pos
	if st.Cmd != nil {
		end = st.Cmd.End()
	}
	for _, r := range st.Redirs {
		if e := r.End(); e.After(end) {
			end = e
		}
	}
	if !end.IsValid() {
		end = st.End()
	}
	return end
}

// cmd is a simple command with wrappers (sudo, env, time…) looked
// through.
type cmd struct {
	words []*syntax.Word
	args  []val
	i     int      // index of the command word
	name  string   // its base name; "" when dynamic
	env   []string // variables set for the command
	start int      // absolute offsets of the whole call
	end   int
}

// rest is the arguments after the command word.
func (c *cmd) rest() []val { return c.args[c.i+1:] }

// restWords is the words after the command word.
func (c *cmd) restWords() []*syntax.Word { return c.words[c.i+1:] }

func (c *cmd) hasEnv(names ...string) bool {
	for _, e := range c.env {
		for _, n := range names {
			if e == n {
				return true
			}
		}
	}
	return false
}

func (a *analyzer) resolve(ce *syntax.CallExpr, m *mapper) *cmd {
	if len(ce.Args) == 0 {
		return nil
	}
	c := &cmd{words: ce.Args}
	for _, as := range ce.Assigns {
		if as.Name != nil {
			c.env = append(c.env, as.Name.Value)
		}
	}
	c.args = make([]val, len(ce.Args))
	for i, w := range ce.Args {
		c.args[i] = a.render(w, m)
	}
	c.i = unwrap(c)
	if c.i < 0 || c.i >= len(c.args) {
		return nil
	}
	if v := c.args[c.i]; !v.dyn {
		c.name = path.Base(v.s)
	}
	c.start = m.abs(off(ce.Pos()))
	c.end = m.abs(off(ce.End()))
	return c
}

// unwrap returns the index of the command a wrapper such as sudo, env,
// time, nice, nohup or timeout runs, or -1 when there is none (or it is
// only looked up, as in `command -v`).
func unwrap(c *cmd) int {
	v := c.args
	i := 0
	for i < len(v) {
		if v[i].dyn {
			return i
		}
		switch path.Base(v[i].s) {
		case "sudo", "doas":
			i = skipOpts(v, i+1, "ugpCDrtUThR", map[string]bool{"user": true, "group": true, "prompt": true, "close-from": true, "chdir": true, "role": true, "type": true, "other-user": true, "command-timeout": true, "host": true}, map[string]bool{"e": true, "edit": true, "l": true, "list": true, "v": true, "validate": true, "k": true, "K": true, "V": true, "h": true, "help": true})
			if i < 0 {
				return -1
			}
			i = skipAssigns(c, i)
		case "env":
			i = skipOpts(v, i+1, "uCS", map[string]bool{"unset": true, "chdir": true, "split-string": true}, map[string]bool{"S": true, "split-string": true})
			if i < 0 {
				return -1
			}
			i = skipAssigns(c, i)
		case "nice":
			i = skipOpts(v, i+1, "n", map[string]bool{"adjustment": true}, nil)
		case "ionice":
			i = skipOpts(v, i+1, "cnpPt", map[string]bool{"class": true, "classdata": true, "pid": true, "pgid": true, "uid": true}, nil)
		case "nohup", "eatmydata", "fakeroot", "builtin", "chronic", "unbuffer":
			i++
		case "exec":
			i = skipOpts(v, i+1, "a", nil, nil)
		case "command":
			j := i + 1
			for j < len(v) && strings.HasPrefix(v[j].s, "-") && v[j].s != "--" {
				if strings.ContainsAny(v[j].s, "vV") {
					return -1
				}
				j++
			}
			if j < len(v) && v[j].s == "--" {
				j++
			}
			i = j
		case "time":
			i = skipOpts(v, i+1, "fo", map[string]bool{"format": true, "output": true}, nil)
		case "timeout":
			i = skipOpts(v, i+1, "sk", map[string]bool{"signal": true, "kill-after": true}, nil)
			if i < 0 || i >= len(v) {
				return -1
			}
			i++ // the duration
		case "stdbuf":
			i = skipOpts(v, i+1, "ioe", map[string]bool{"input": true, "output": true, "error": true}, nil)
		default:
			return i
		}
		if i < 0 {
			return -1
		}
	}
	return -1
}

// skipOpts skips the options of a wrapper starting at i. short lists the
// short options that take a value, long the long ones; stop lists
// options after which the wrapper runs no command (returns -1).
func skipOpts(v []val, i int, short string, long map[string]bool, stop map[string]bool) int {
	for i < len(v) {
		s := v[i].s
		if v[i].dyn || len(s) < 2 || s[0] != '-' {
			return i
		}
		if s == "--" {
			return i + 1
		}
		if strings.HasPrefix(s, "--") {
			name := s[2:]
			if eq := strings.IndexByte(name, '='); eq >= 0 {
				if stop[name[:eq]] {
					return -1
				}
				i++
				continue
			}
			if stop[name] {
				return -1
			}
			if long[name] {
				i++
			}
			i++
			continue
		}
		if s[1] >= '0' && s[1] <= '9' { // nice -10
			i++
			continue
		}
		consumed := false
		for k := 1; k < len(s); k++ {
			if stop[string(s[k])] {
				return -1
			}
			if strings.IndexByte(short, s[k]) >= 0 {
				if k == len(s)-1 {
					consumed = true
				}
				break
			}
		}
		if consumed {
			i++
		}
		i++
	}
	return i
}

// skipAssigns skips NAME=value words (of sudo and env), recording them.
func skipAssigns(c *cmd, i int) int {
	for i < len(c.args) {
		s := c.args[i].s
		eq := strings.IndexByte(s, '=')
		if eq <= 0 || !validName(s[:eq]) {
			return i
		}
		c.env = append(c.env, s[:eq])
		i++
	}
	return i
}

func validName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}

// call analyzes one simple command.
func (a *analyzer) call(s *syntax.Stmt, ce *syntax.CallExpr, m *mapper) {
	c := a.resolve(ce, m)
	if c == nil {
		return
	}
	a.installs(c)
	a.interpreters(s, c, m)
	a.track(s, c, m)
}

// option parsing shared by the install analyzers

// optSpec describes a command's options.
type optSpec struct {
	short     string          // short options that take a value
	long      map[string]bool // long options (no dashes) that take a value
	oneDash   bool            // "-name" is one long option (go)
	stopAtPos bool            // options end at the first positional argument
}

type option struct {
	name string
	val  val
	set  bool // has a value
}

type parsed struct {
	pos  []int // indexes of positional arguments
	opts []option
}

func (p *parsed) has(names ...string) bool {
	for _, o := range p.opts {
		for _, n := range names {
			if o.name == n {
				return true
			}
		}
	}
	return false
}

func (p *parsed) values(names ...string) []val {
	var out []val
	for _, o := range p.opts {
		for _, n := range names {
			if o.name == n && o.set {
				out = append(out, o.val)
			}
		}
	}
	return out
}

func scan(args []val, spec optSpec) parsed {
	var p parsed
	for i := 0; i < len(args); i++ {
		v := args[i]
		s := v.s
		if s == "--" {
			for j := i + 1; j < len(args); j++ {
				p.pos = append(p.pos, j)
			}
			break
		}
		if len(s) < 2 || s[0] != '-' {
			p.pos = append(p.pos, i)
			if spec.stopAtPos {
				for j := i + 1; j < len(args); j++ {
					p.pos = append(p.pos, j)
				}
				break
			}
			continue
		}
		if strings.HasPrefix(s, "--") || spec.oneDash {
			name := strings.TrimLeft(s, "-")
			if eq := strings.IndexByte(name, '='); eq >= 0 {
				p.opts = append(p.opts, option{name: name[:eq], val: val{s: name[eq+1:], dyn: v.dyn}, set: true})
				continue
			}
			if spec.long[name] && i+1 < len(args) {
				p.opts = append(p.opts, option{name: name, val: args[i+1], set: true})
				i++
				continue
			}
			p.opts = append(p.opts, option{name: name})
			continue
		}
		for k := 1; k < len(s); k++ {
			ch := s[k : k+1]
			if strings.IndexByte(spec.short, s[k]) >= 0 {
				switch {
				case k+1 < len(s):
					rest := strings.TrimPrefix(s[k+1:], "=")
					p.opts = append(p.opts, option{name: ch, val: val{s: rest, dyn: v.dyn}, set: true})
				case i+1 < len(args):
					p.opts = append(p.opts, option{name: ch, val: args[i+1], set: true})
					i++
				default:
					p.opts = append(p.opts, option{name: ch})
				}
				break
			}
			p.opts = append(p.opts, option{name: ch})
		}
	}
	return p
}

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}
