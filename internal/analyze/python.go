package analyze

import (
	"strings"

	"github.com/airlock-sec/airlock/internal/analyze/lex"
)

// state carries the per-unit symbol tables used to resolve callees and
// fold constant strings.
type state struct {
	toks    []lex.Token
	src     []byte
	aliases map[string]string // local name → dotted module path
	consts  map[string]value  // local name → constant string
	facts   *Facts
	budget  *budget
	js      bool
	inFunc  bool // the current token is inside a function body
	funcs   []funcRange
	match   []int32 // matching bracket per token, computed on first use
	// argBudget bounds the tokens spent analyzing call arguments.
	argBudget int
}

// column is the 0-based column of offset off.
func column(src []byte, off int) int {
	c := 0
	for i := off - 1; i >= 0 && src[i] != '\n'; i-- {
		c++
	}
	return c
}

// value is a folded string expression: its value and the decoding steps
// applied while evaluating it (reverse, rot13, base64 …).
type value struct {
	s      string
	layers []string
}

func analyzePython(u *Unit, b *budget, depth int) *Facts {
	toks := codeTokens(lex.Python(u.Text))
	st := &state{toks: toks, src: u.Text, aliases: map[string]string{}, consts: map[string]value{}, facts: &Facts{Unit: u, depth: depth}, budget: b}
	st.run()
	markCalledAtLoad(st.facts, st.funcs)
	st.obfuscationSignals()
	return st.facts
}

func (st *state) tok(i int) lex.Token {
	if i < 0 || i >= len(st.toks) {
		return lex.Token{Kind: lex.EOF}
	}
	return st.toks[i]
}

func (st *state) isOp(i int, op string) bool {
	t := st.tok(i)
	return t.Kind == lex.Op && t.Value == op
}

func (st *state) isName(i int, n string) bool {
	t := st.tok(i)
	return t.Kind == lex.Name && t.Value == n
}

// atStmtStart reports whether token i begins a statement.
func (st *state) atStmtStart(i int) bool {
	if i == 0 {
		return true
	}
	p := st.tok(i - 1)
	return p.Kind == lex.Newline || (p.Kind == lex.Op && (p.Value == ";" || p.Value == ":"))
}

// funcRange is a def or class body, by lines.
type funcRange struct {
	name       string
	start, end int
	class      bool
}

// markCalledAtLoad treats the bodies of local functions (and classes)
// that module-level code calls as module-level code too: malware defines
// steal() and calls it on the next line.
func markCalledAtLoad(f *Facts, funcs []funcRange) {
	if len(funcs) == 0 || len(f.Calls) == 0 {
		return
	}
	byName := map[string][]int{}
	maxLine := 0
	for i, r := range funcs {
		byName[r.name] = append(byName[r.name], i)
		if r.end > maxLine {
			maxLine = r.end
		}
	}
	used := make([]bool, len(funcs))
	for round := 0; round < 3; round++ {
		// ranges newly reached from load-time calls, as a difference array
		diff := make([]int, maxLine+2)
		any := false
		for _, c := range f.Calls {
			if c.InFunc {
				continue
			}
			for _, i := range byName[strings.TrimPrefix(c.Callee, "self.")] {
				if !used[i] {
					used[i] = true
					any = true
					r := funcs[i]
					if r.start >= 0 && r.start <= r.end && r.end <= maxLine {
						diff[r.start]++
						diff[r.end+1]--
					}
				}
			}
		}
		if !any {
			return
		}
		covered := make([]bool, maxLine+1)
		run := 0
		for l := 0; l <= maxLine; l++ {
			run += diff[l]
			covered[l] = run > 0
		}
		for k := range f.Calls {
			if d := &f.Calls[k]; d.InFunc && d.Line <= maxLine && d.Line >= 0 && covered[d.Line] {
				d.InFunc = false
			}
		}
	}
}

func (st *state) run() {
	n := len(st.toks)
	type block struct {
		col, start int
		name       string
		isDef      bool
	}
	var blocks []block // enclosing def and class statements
	closeBlock := func(b block, endLine int) {
		if b.name != "" && len(st.funcs) < 10000 {
			st.funcs = append(st.funcs, funcRange{name: b.name, start: b.start, end: endLine, class: !b.isDef})
		}
	}
	for i := 0; i < n; i++ {
		t := st.toks[i]
		if i == 0 || st.toks[i-1].Kind == lex.Newline {
			col := column(st.src, t.Start)
			for len(blocks) > 0 && blocks[len(blocks)-1].col >= col {
				closeBlock(blocks[len(blocks)-1], t.Line-1)
				blocks = blocks[:len(blocks)-1]
			}
			k := i
			if st.isName(k, "async") {
				k++
			}
			if st.isName(k, "def") || st.isName(k, "class") {
				blocks = append(blocks, block{col: col, start: t.Line, name: st.tok(k + 1).Value, isDef: st.tok(k).Value == "def"})
			} else if st.isMainGuard(i) {
				// if __name__ == "__main__": runs as a script, not on import
				blocks = append(blocks, block{col: col, start: t.Line, name: "", isDef: true})
			}
		}
		st.inFunc = false
		for _, b := range blocks {
			if b.isDef {
				st.inFunc = true
				break
			}
		}
		switch t.Kind {
		case lex.String:
			// Fold implicit concatenation once, at the first literal.
			if i > 0 && st.toks[i-1].Kind == lex.String {
				continue
			}
			j := i
			var sb strings.Builder
			for j < n && st.toks[j].Kind == lex.String {
				sb.WriteString(st.toks[j].Value)
				j++
			}
			if st.atStmtStart(i) && (j >= n || st.toks[j].Kind == lex.Newline || st.toks[j].Kind == lex.EOF) {
				// a docstring: prose about the code, not used by it. Still
				// offered to the decoders (exec(b64decode(__doc__)) exists),
				// but not listed as a value the code uses.
				st.budget.consider(st.facts, sb.String(), t.Line, nil)
				continue
			}
			st.addString(sb.String(), t.Line, nil)
		case lex.Op:
			if t.Value == "[" {
				if s, _, ok := charCodeRuns(st.toks, i); ok {
					st.addString(s, t.Line, []string{"char-codes"})
				}
			}
		case lex.Name:
			switch t.Value {
			case "import":
				if st.atStmtStart(i) {
					i = st.parseImport(i + 1)
					continue
				}
			case "from":
				if st.atStmtStart(i) {
					i = st.parseFromImport(i + 1)
					continue
				}
			case "def", "class":
				i++ // skip the defined name so it is not taken for a call
				continue
			}
			if t.Value == "exec" && st.atStmtStart(i) && !st.isOp(i+1, "(") && !st.isOp(i+1, "=") && !st.isOp(i+1, ".") {
				st.parseExecStatement(i)
				continue
			}
			if pyKeywords[t.Value] {
				continue
			}
			if st.atStmtStart(i) {
				st.parseAssign(i)
				if t2 := st.tok(i + 1); t2.Kind == lex.Op && len(t2.Value) >= 2 && t2.Value[len(t2.Value)-1] == '=' && t2.Value != "==" && t2.Value != "!=" && t2.Value != "<=" && t2.Value != ">=" {
					delete(st.consts, t.Value)
				}
			}
			if i > 0 && st.isOp(i-1, ".") {
				continue // middle of a chain, handled at its head
			}
			name, end := st.dotted(i)
			if st.isOp(end, "(") {
				st.parseCall(name, i, end)
				// __import__('os').system(...) / importlib.import_module('os').system(...)
				if (name == "__import__" || st.resolve(name) == "importlib.import_module") && st.tok(end+1).Kind == lex.String && st.isOp(end+2, ")") {
					mod := st.tok(end + 1).Value
					j := end + 3
					for st.isOp(j, ".") && st.tok(j+1).Kind == lex.Name {
						mod += "." + st.tok(j+1).Value
						j += 2
					}
					if j > end+3 && st.isOp(j, "(") {
						st.parseCall(mod, i, j)
					}
				}
			}
		}
	}
	last := 1
	if n > 0 {
		last = st.toks[n-1].Line
	}
	for k := len(blocks) - 1; k >= 0; k-- {
		closeBlock(blocks[k], last)
	}
}

// dotted reads NAME(.NAME)* from i and returns the raw dotted text and the
// index after it.
func (st *state) dotted(i int) (string, int) {
	var sb strings.Builder
	sb.WriteString(st.tok(i).Value)
	j := i + 1
	for st.isOp(j, ".") && st.tok(j+1).Kind == lex.Name {
		sb.WriteByte('.')
		sb.WriteString(st.tok(j + 1).Value)
		j += 2
	}
	return sb.String(), j
}

// resolve maps the first component of a dotted name through import aliases.
func (st *state) resolve(name string) string {
	head, rest, _ := strings.Cut(name, ".")
	if full, ok := st.aliases[head]; ok {
		if rest != "" {
			return full + "." + rest
		}
		return full
	}
	return name
}

func (st *state) parseImport(i int) int {
	for {
		if st.tok(i).Kind != lex.Name {
			return i
		}
		name, j := st.dotted(i)
		line := st.tok(i).Line
		st.facts.Imports = append(st.facts.Imports, Sym{name, line})
		if st.isName(j, "as") && st.tok(j+1).Kind == lex.Name {
			st.aliases[st.tok(j+1).Value] = name
			j += 2
		} else {
			head, _, _ := strings.Cut(name, ".")
			st.aliases[head] = head
		}
		if !st.isOp(j, ",") {
			return j
		}
		i = j + 1
	}
}

func (st *state) parseFromImport(i int) int {
	if st.tok(i).Kind != lex.Name && !st.isOp(i, ".") {
		return i
	}
	for st.isOp(i, ".") || st.isOp(i, "...") {
		i++
	}
	mod := ""
	if st.tok(i).Kind == lex.Name && st.tok(i).Value != "import" {
		mod, i = st.dotted(i)
	}
	line := st.tok(i).Line
	if !st.isName(i, "import") {
		return i
	}
	i++
	paren := st.isOp(i, "(")
	if paren {
		i++
	}
	for {
		t := st.tok(i)
		if t.Kind == lex.Op && t.Value == "*" {
			st.facts.Imports = append(st.facts.Imports, Sym{mod, line})
			return i + 1
		}
		if t.Kind != lex.Name {
			return i
		}
		full := t.Value
		if mod != "" {
			full = mod + "." + t.Value
		}
		st.facts.Imports = append(st.facts.Imports, Sym{full, line})
		local := t.Value
		j := i + 1
		if st.isName(j, "as") && st.tok(j+1).Kind == lex.Name {
			local = st.tok(j + 1).Value
			j += 2
		}
		st.aliases[local] = full
		for paren && st.tok(j).Kind == lex.Newline {
			j++
		}
		if !st.isOp(j, ",") {
			return j
		}
		i = j + 1
		for paren && st.tok(i).Kind == lex.Newline {
			i++
		}
	}
}

var pyKeywords = map[string]bool{
	"if": true, "elif": true, "while": true, "for": true, "in": true, "not": true, "and": true, "or": true, "return": true,
	"yield": true, "assert": true, "del": true, "with": true, "as": true, "is": true, "lambda": true, "await": true, "print": false,
	"except": true, "raise": true, "else": true, "try": true, "finally": true, "pass": true, "global": true, "nonlocal": true,
}

// dangerousBuiltins are renamed by obfuscators to hide calls.
var dangerousBuiltins = map[string]bool{"exec": true, "eval": true, "compile": true, "__import__": true, "getattr": true, "execfile": true}

// parseAssign records NAME = <constant string> and NAME = module aliases.
func (st *state) parseAssign(i int) {
	if st.tok(i).Kind != lex.Name {
		return
	}
	// a, b, c = exec, str, eval: tuple assignment of names
	if st.isOp(i+1, ",") {
		var lhs []string
		j := i
		for st.tok(j).Kind == lex.Name && len(lhs) < 64 {
			lhs = append(lhs, st.tok(j).Value)
			if !st.isOp(j+1, ",") {
				j++
				break
			}
			j += 2
		}
		if !st.isOp(j, "=") {
			return
		}
		k := j + 1
		for n := 0; n < len(lhs) && st.tok(k).Kind == lex.Name; n++ {
			d, e := st.dotted(k)
			if dangerousBuiltins[d] && lhs[n] != d {
				st.aliases[lhs[n]] = d
				if len(lhs) >= 3 {
					// a, b, c = exec, str, map: renaming builtins in bulk
					st.facts.Obfuscation = append(st.facts.Obfuscation, Note{Kind: "builtin-alias", Line: st.tok(k).Line, Text: lhs[n] + " = " + d})
				}
			} else if r := st.resolve(d); r != d {
				st.aliases[lhs[n]] = r
			}
			if !st.isOp(e, ",") {
				break
			}
			k = e + 1
		}
		return
	}
	if !st.isOp(i+1, "=") || st.isOp(i+3, "=") || !st.spend(4) {
		return
	}
	name := st.tok(i).Value
	end := st.exprEnd(i + 2)
	if end <= i+2 {
		return
	}
	// f = lambda: <constant expression> — a zero-argument function that
	// only returns a string, as obfuscators write them
	if st.isName(i+2, "lambda") && st.isOp(i+3, ":") {
		if e2 := st.exprEnd(i + 4); e2 > i+4 {
			if v, ok := st.eval(i+4, e2); ok {
				st.consts[name+"()"] = v
				if len(v.layers) > 0 {
					st.addString(v.s, st.tok(i).Line, v.layers)
				}
			}
		}
		return
	}
	// alias: x = os.system / x = __import__("os")
	if st.tok(i+2).Kind == lex.Name {
		d, j := st.dotted(i + 2)
		// instance: s = socket.socket(...) makes s.connect "socket.socket().connect"
		if st.isOp(j, "(") && st.closeOf(j, len(st.toks))+1 == end && strings.Contains(d, ".") {
			st.aliases[name] = st.resolve(d) + "()"
			return
		}
		if j == end {
			r := st.resolve(d)
			if r != d || strings.Contains(d, ".") {
				st.aliases[name] = r
			} else if dangerousBuiltins[d] && name != d {
				st.aliases[name] = d
				if strings.Trim(name, "_") == "" || isConfusableIdent(name) {
					st.facts.Obfuscation = append(st.facts.Obfuscation, Note{Kind: "builtin-alias", Line: st.tok(i).Line, Text: name + " = " + d})
				}
			}
			return
		}
		if (d == "__import__" || st.resolve(d) == "importlib.import_module") && st.isOp(j, "(") && st.tok(j+1).Kind == lex.String {
			st.aliases[name] = st.tok(j + 1).Value
			return
		}
		// x = eval("compile"): fetching a builtin by evaluating its name
		if (st.resolve(d) == "eval" || st.resolve(d) == "getattr") && st.isOp(j, "(") {
			if v, ok := st.eval(j+1, st.closeOf(j, len(st.toks))); ok && dangerousBuiltins[v.s] || ok && v.s == "exec" {
				st.aliases[name] = v.s
				st.facts.Obfuscation = append(st.facts.Obfuscation, Note{Kind: "builtins-lookup", Line: st.tok(i).Line, Text: name + " = " + d + "(\"" + v.s + "\")"})
				return
			}
		}
	}
	if v, ok := st.eval(i+2, end); ok {
		st.consts[name] = v
		if len(v.layers) > 0 {
			st.addString(v.s, st.tok(i).Line, v.layers)
		} else if end-(i+2) > 1 && !st.allStrings(i+2, end) {
			st.addString(v.s, st.tok(i).Line, nil)
		}
	} else {
		// reassigned to something unknown: the old constant no longer holds
		delete(st.consts, name)
	}
}

// exprEnd finds the end of the expression starting at i: the next
// top-level newline, ';', ',' or closing bracket.
func (st *state) exprEnd(i int) int {
	depth := 0
	for j := i; j < len(st.toks) && j-i < 20000; j++ {
		t := st.toks[j]
		if st.js && depth == 0 && j > i && t.Line > st.toks[j-1].Line && t.Kind == lex.Name {
			// automatic semicolon insertion: a name on a new line after a
			// complete operand starts the next statement.
			switch p := st.toks[j-1]; {
			case p.Kind == lex.String, p.Kind == lex.Name, p.Kind == lex.Number,
				p.Kind == lex.Op && (p.Value == ")" || p.Value == "]"):
				return j
			}
		}
		switch t.Kind {
		case lex.Newline:
			if depth == 0 {
				return j
			}
		case lex.Op:
			switch t.Value {
			case "(", "[", "{":
				depth++
			case ")", "]", "}":
				if depth == 0 {
					return j
				}
				depth--
			case ";", ",", ":":
				if depth == 0 {
					return j
				}
			}
		}
	}
	return len(st.toks)
}

// matchClose returns the index of the bracket closing the one at i.
func matchClose(toks []lex.Token, i int) int {
	depth := 0
	for j := i; j < len(toks); j++ {
		t := toks[j]
		if t.Kind != lex.Op {
			continue
		}
		switch t.Value {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return len(toks)
}

// closeOf returns the index of the bracket closing the opener at i,
// looking no further than end (end when there is none). Matches are
// computed once per unit, so nested calls cost no rescans.
func (st *state) closeOf(i, end int) int {
	if st.match == nil {
		st.match = make([]int32, len(st.toks))
		var stack []int32
		for j := range st.toks {
			st.match[j] = -1
			t := &st.toks[j]
			if t.Kind != lex.Op {
				continue
			}
			switch t.Value {
			case "(", "[", "{":
				stack = append(stack, int32(j))
			case ")", "]", "}":
				if n := len(stack); n > 0 {
					st.match[stack[n-1]] = int32(j)
					stack = stack[:n-1]
				}
			}
		}
	}
	if i < 0 || i >= len(st.toks) {
		return end
	}
	m := int(st.match[i])
	if m < 0 {
		if t := st.toks[i]; t.Kind != lex.Op || (t.Value != "(" && t.Value != "[" && t.Value != "{") {
			return matchClose(st.toks[:end], i)
		}
		return end
	}
	if m >= end {
		return end
	}
	return m
}

// spend takes n tokens of argument analysis from the unit's budget: deep
// nesting (f(f(f(…)))) must not make analysis quadratic. When the budget
// is gone, calls are still recorded, without argument details.
func (st *state) spend(n int) bool {
	if st.argBudget == 0 {
		st.argBudget = 20*len(st.toks) + 10000
	}
	if st.argBudget <= n {
		st.argBudget = 1
		return false
	}
	st.argBudget -= n
	return true
}

func (st *state) parseCall(name string, start, open int) {
	closeIdx := st.closeOf(open, len(st.toks))
	callee := st.resolve(name)
	c := Call{Callee: callee, Line: st.tok(start).Line, InFunc: st.inFunc}
	if !st.spend(closeIdx - open) {
		c.Text = snippet(st.src, st.tok(start).Start, endOff(st.toks, closeIdx, st.src))
		st.facts.Calls = append(st.facts.Calls, c)
		return
	}
	// split args
	argStart := open + 1
	depth := 0
	for j := open + 1; j <= closeIdx && j < len(st.toks); j++ {
		t := st.toks[j]
		if t.Kind == lex.Op {
			switch t.Value {
			case "(", "[", "{":
				depth++
			case ")", "]", "}":
				if j == closeIdx {
					st.addArg(&c, argStart, j)
				} else {
					depth--
				}
			case ",":
				if depth == 0 {
					st.addArg(&c, argStart, j)
					argStart = j + 1
				}
			}
		} else if t.Kind == lex.Name && st.isOp(j-1, ".") && st.isOp(j-2, ")") && st.isOp(j+1, "(") {
			// method on a call result: Fernet(key).decrypt(blob)
			c.Inner = appendInner(c.Inner, "()."+t.Value)
		} else if t.Kind == lex.Name && j > open && (j == open+1 || st.isOp(j-1, ".") == false) {
			if st.isOp(j+1, "(") || (st.isOp(j+1, ".") && !st.isOp(j-1, ".")) {
				d, e := st.dotted(j)
				if st.isOp(e, "(") && !st.isOp(j-1, ".") {
					c.Inner = appendInner(c.Inner, st.resolve(d))
				}
			}
		}
	}
	// getattr(mod, "name")(…) style: resolve
	if callee == "getattr" && len(c.Args) >= 2 && c.Args[1].IsStr && c.Args[0].Name != "" {
		c.Inner = appendInner(c.Inner, st.resolve(c.Args[0].Name)+"."+c.Args[1].Str)
	}
	c.Text = snippet(st.src, st.tok(start).Start, endOff(st.toks, closeIdx, st.src))
	st.facts.Calls = append(st.facts.Calls, c)
	st.foldPathJoin(c)
	if callee == "__import__" || callee == "importlib.import_module" {
		if len(c.Args) > 0 && c.Args[0].IsStr {
			st.facts.Imports = append(st.facts.Imports, Sym{c.Args[0].Str, c.Line})
		}
	}
}

func (st *state) addArg(c *Call, a, b int) {
	if b <= a {
		return
	}
	// keyword argument
	if st.tok(a).Kind == lex.Name && st.isOp(a+1, "=") {
		if c.Keywords == nil {
			c.Keywords = map[string]string{}
		}
		kw := st.tok(a).Value
		val := string(snippetBytes(st.src, st.tok(a+2).Start, endOff(st.toks, b-1, st.src), 200))
		if v, ok := st.eval(a+2, b); ok {
			val = v.s
		} else if st.tok(a+2).Kind == lex.Name {
			d, _ := st.dotted(a + 2)
			val = st.resolve(d)
		}
		c.Keywords[kw] = val
		return
	}
	if st.isOp(a, "*") || st.isOp(a, "**") {
		a++
	}
	arg := Arg{Raw: string(snippetBytes(st.src, st.tok(a).Start, endOff(st.toks, b-1, st.src), 300))}
	if v, ok := st.eval(a, b); ok {
		arg.Str, arg.IsStr, arg.Layers = v.s, true, v.layers
		if len(v.layers) > 0 {
			st.addString(v.s, st.tok(a).Line, v.layers)
		} else if b-a > 1 && !st.allStrings(a, b) {
			st.addString(v.s, st.tok(a).Line, nil)
		}
	} else if (st.isOp(a, "[") || st.isOp(a, "(")) && st.closeOf(a, len(st.toks)) == b-1 {
		arg.List = []string{}
		for _, r := range st.args(a+1, b-1) {
			v, _ := st.eval(r[0], r[1])
			if len(r) > 0 && v.s == "" && st.tok(r[0]).Kind == lex.Name {
				d, _ := st.dotted(r[0])
				v.s = "$" + st.resolve(d)
			}
			arg.List = append(arg.List, v.s)
		}
	} else if st.tok(a).Kind == lex.Name {
		d, e := st.dotted(a)
		if e == b {
			arg.Name = st.resolve(d)
		}
	}
	c.Args = append(c.Args, arg)
}

// addString records a string value of the unit. A value that was decoded
// (layers) belongs to the child unit consider creates, with its decoding
// chain as evidence, not to this unit.
func (st *state) addString(s string, line int, layers []string) {
	if len(s) < 3 {
		return
	}
	if len(layers) == 0 {
		st.facts.Strings = append(st.facts.Strings, Str{Value: clip(s, maxStringKept), Line: line})
	}
	st.budget.consider(st.facts, s, line, layers)
}

// pathJoins build a path from parts; folding them lets path indicators
// match os.path.join(home, ".ssh", "id_rsa") and
// path.join(appdata, "discord", "Local Storage", "leveldb").
var pathJoins = map[string]bool{
	"os.path.join": true, "path.join": true, "path.resolve": true, "pathlib.Path": true, "pathlib.PurePath": true,
	"ntpath.join": true, "posixpath.join": true, "path.posix.join": true, "path.win32.join": true,
}

func (st *state) foldPathJoin(c Call) {
	if !pathJoins[c.Callee] || len(c.Args) < 2 {
		return
	}
	parts := make([]string, 0, len(c.Args))
	consts := 0
	for _, a := range c.Args {
		if a.IsStr {
			parts = append(parts, a.Str)
			consts++
		} else {
			parts = append(parts, "$")
		}
	}
	if consts == 0 {
		return
	}
	joined := strings.Join(parts, "/")
	if len(joined) >= 3 {
		st.facts.Strings = append(st.facts.Strings, Str{Value: clip(joined, maxStringKept), Line: c.Line})
	}
}

// parseExecStatement handles Python 2's `exec code [in globals]`
// statement as a call of exec.
func (st *state) parseExecStatement(i int) {
	end := st.exprEnd(i + 1)
	if end <= i+1 {
		return
	}
	argEnd := end
	if k := st.findName(i+1, end, "in"); k > 0 {
		argEnd = k
	}
	c := Call{Callee: "exec", Line: st.tok(i).Line, InFunc: st.inFunc}
	st.addArg(&c, i+1, argEnd)
	for j := i + 1; j < argEnd; j++ {
		if st.tok(j).Kind == lex.Name && !st.isOp(j-1, ".") {
			if d, e := st.dotted(j); st.isOp(e, "(") {
				c.Inner = appendInner(c.Inner, st.resolve(d))
			}
		}
	}
	c.Text = snippet(st.src, st.tok(i).Start, endOff(st.toks, end-1, st.src))
	st.facts.Calls = append(st.facts.Calls, c)
}

// allStrings reports whether tokens [a,b) are only string literals (and
// "+"), whose values are already recorded one by one.
func (st *state) allStrings(a, b int) bool {
	for j := a; j < b; j++ {
		t := st.tok(j)
		if t.Kind != lex.String && !(t.Kind == lex.Op && t.Value == "+") {
			return false
		}
	}
	return true
}

// isMainGuard matches `if __name__ == "__main__":` (either operand order).
func (st *state) isMainGuard(i int) bool {
	if !st.isName(i, "if") {
		return false
	}
	a, b := st.tok(i+1), st.tok(i+3)
	if !st.isOp(i+2, "==") {
		return false
	}
	return a.Kind == lex.Name && a.Value == "__name__" && b.Kind == lex.String && b.Value == "__main__" ||
		b.Kind == lex.Name && b.Value == "__name__" && a.Kind == lex.String && a.Value == "__main__"
}

// codeTokens drops comments in place (no second token slice) and treats
// template literals as strings.
func codeTokens(toks []lex.Token) []lex.Token {
	n := 0
	for i := range toks {
		if toks[i].Kind == lex.Comment {
			continue
		}
		if toks[i].Kind == lex.Template {
			toks[i].Kind = lex.String
		}
		if n != i {
			toks[n] = toks[i]
		}
		n++
	}
	return toks[:n]
}
