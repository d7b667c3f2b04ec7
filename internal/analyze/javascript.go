package analyze

import (
	"net/url"
	"strings"

	"github.com/airlock-sec/airlock/internal/analyze/decode"
	"github.com/airlock-sec/airlock/internal/analyze/lex"
)

func analyzeJS(u *Unit, b *budget, depth int) *Facts {
	toks := codeTokens(lex.JavaScript(u.Text))
	st := &state{toks: toks, src: u.Text, aliases: map[string]string{}, consts: map[string]value{}, facts: &Facts{Unit: u, depth: depth}, budget: b, js: true}
	st.runJS()
	markCalledAtLoad(st.facts, st.funcs)
	st.obfuscationSignals()
	return st.facts
}

var jsDeclKeywords = map[string]bool{"var": true, "let": true, "const": true}

func (st *state) runJS() {
	n := len(st.toks)
	type brace struct {
		isFunc bool
		name   string
		start  int
	}
	var braces []brace // open braces; function bodies are marked
	funcs := 0
	pending := false
	pendingName := ""
	for i := 0; i < n; i++ {
		t := st.toks[i]
		if t.Kind == lex.Op {
			switch t.Value {
			case "=>":
				pending = true
			case "{":
				isFunc := pending
				name := pendingName
				if !isFunc && st.isOp(i-1, ")") {
					if open := st.methodHead(i - 1); open > 0 {
						isFunc, name = true, st.tok(open-1).Value
					}
				}
				pending, pendingName = false, ""
				braces = append(braces, brace{isFunc: isFunc, name: name, start: t.Line})
				if isFunc {
					funcs++
				}
			case "}":
				if len(braces) > 0 {
					b := braces[len(braces)-1]
					if b.isFunc {
						funcs--
						if b.name != "" && len(st.funcs) < 10000 {
							st.funcs = append(st.funcs, funcRange{name: b.name, start: b.start, end: t.Line})
						}
					}
					braces = braces[:len(braces)-1]
				}
			}
		} else if t.Kind == lex.Name && t.Value == "function" {
			pending = true
			if st.tok(i+1).Kind == lex.Name {
				pendingName = st.tok(i + 1).Value
			} else if st.isOp(i-1, "=") || st.isOp(i-1, ":") {
				pendingName = st.tok(i - 2).Value // f = function () {…} / f: function () {…}
			}
		} else if pending && !(t.Kind == lex.Name || t.Kind == lex.Op && (t.Value == "(" || t.Value == ")" || t.Value == "," || t.Value == "*" || t.Value == "=" || t.Value == "...")) {
			pending, pendingName = false, "" // arrow function with an expression body
		}
		if t.Kind == lex.Op && t.Value == "=>" && pendingName == "" {
			// const f = (…) => {…} / const f = async x => {…}
			for k := i - 1; k >= 0 && i-k < 64; k-- {
				if st.isOp(k, "=") && st.tok(k-1).Kind == lex.Name {
					pendingName = st.tok(k - 1).Value
					break
				}
				if st.isOp(k, ";") || st.isOp(k, "{") || st.isOp(k, "}") {
					break
				}
			}
		}
		st.inFunc = funcs > 0
		switch t.Kind {
		case lex.String:
			if i > 0 && st.isOp(i-1, "+") && st.tok(i-2).Kind == lex.String {
				continue
			}
			st.addString(t.Value, t.Line, nil)
		case lex.Op:
			if t.Value == "[" {
				if s, _, ok := charCodeRuns(st.toks, i); ok {
					st.addString(s, t.Line, []string{"char-codes"})
				}
			}
			if t.Value == "=" && st.isOp(i-1, "}") {
				st.parseJSDestructure(i)
			}
		case lex.Name:
			if i > 0 && (st.isOp(i-1, ".") || st.isOp(i-1, "?.")) {
				continue
			}
			switch t.Value {
			case "import":
				if st.tok(i+1).Kind == lex.String {
					st.facts.Imports = append(st.facts.Imports, Sym{st.tok(i + 1).Value, t.Line})
					continue
				}
				if !st.isOp(i+1, "(") {
					i = st.parseJSImport(i + 1)
					continue
				}
			case "function", "class":
				i++
				continue
			}
			if jsDeclKeywords[t.Value] {
				continue
			}
			if st.isOp(i+1, "=") && !st.isOp(i-1, ".") {
				st.parseJSAssign(i, i+2)
			} else if t2 := st.tok(i + 1); t2.Kind == lex.Op && (t2.Value == "+=" || t2.Value == "-=" || t2.Value == "||=" || t2.Value == "??=" || t2.Value == "&&=") {
				delete(st.consts, t.Value)
			}
			name, end := st.jsDotted(i)
			if st.isOp(end, "(") {
				st.parseJSCall(name, i, end)
			}
		}
	}
}

// jsDotted reads a member chain: a.b["c"]?.d and returns "a.b.c.d".
func (st *state) jsDotted(i int) (string, int) {
	var sb strings.Builder
	sb.WriteString(st.tok(i).Value)
	j := i + 1
	for sb.Len() < 512 {
		switch {
		case (st.isOp(j, ".") || st.isOp(j, "?.")) && st.tok(j+1).Kind == lex.Name:
			sb.WriteByte('.')
			sb.WriteString(st.tok(j + 1).Value)
			j += 2
		case st.isOp(j, "["):
			closeIdx := st.closeOf(j, len(st.toks))
			if closeIdx >= len(st.toks) || closeIdx-j > 64 {
				return sb.String(), j
			}
			v, ok := st.evalJS(j+1, closeIdx)
			if !ok || v.s == "" || strings.ContainsAny(v.s, " \n") {
				return sb.String(), j
			}
			sb.WriteByte('.')
			sb.WriteString(v.s)
			j = closeIdx + 1
		default:
			return sb.String(), j
		}
	}
	return sb.String(), j
}

func (st *state) parseJSImport(i int) int {
	// import X from 'm' | import {a as b, c} from 'm' | import * as X from 'm' | import X, {a} from 'm'
	type bind struct{ local, imported string }
	var binds []bind
	j := i
	for k := 0; k < 64 && j < len(st.toks); k++ {
		t := st.tok(j)
		switch {
		case t.Kind == lex.Name && t.Value == "from":
			if st.tok(j+1).Kind == lex.String {
				mod := st.tok(j + 1).Value
				st.facts.Imports = append(st.facts.Imports, Sym{mod, t.Line})
				for _, b := range binds {
					if b.imported == "" {
						st.aliases[b.local] = mod
					} else {
						st.aliases[b.local] = mod + "." + b.imported
					}
				}
				return j + 1
			}
			return j
		case t.Kind == lex.Op && t.Value == "*":
			if st.isName(j+1, "as") && st.tok(j+2).Kind == lex.Name {
				binds = append(binds, bind{st.tok(j + 2).Value, ""})
				j += 3
				continue
			}
		case t.Kind == lex.Op && t.Value == "{":
			closeIdx := st.closeOf(j, len(st.toks))
			for m := j + 1; m < closeIdx; m++ {
				if st.tok(m).Kind != lex.Name {
					continue
				}
				imp := st.tok(m).Value
				local := imp
				if st.isName(m+1, "as") && st.tok(m+2).Kind == lex.Name {
					local = st.tok(m + 2).Value
					m += 2
				}
				binds = append(binds, bind{local, imp})
			}
			j = closeIdx + 1
			continue
		case t.Kind == lex.Name:
			binds = append(binds, bind{t.Value, ""})
		case t.Kind == lex.Op && t.Value == ",":
		default:
			return j
		}
		j++
	}
	return j
}

// parseJSAssign records aliases (x = require('m'), {a} = require('m'),
// x = m.y) and constant strings.
func (st *state) parseJSAssign(nameIdx, rhs int) {
	if st.isOp(rhs+1, "=") || !st.spend(4) {
		return // a = b = …: the inner assignment is handled on its own
	}
	end := st.exprEnd(rhs)
	if end <= rhs {
		return
	}
	name := st.tok(nameIdx).Value
	if m, ok := st.requireAt(rhs, end); ok {
		st.aliases[name] = m
		return
	}
	newAt := rhs
	if st.isName(rhs, "new") {
		newAt = rhs + 1
	}
	if st.tok(newAt).Kind == lex.Name {
		// instance: const s = new net.Socket() makes s.connect "net.Socket().connect"
		if d, j := st.jsDotted(newAt); st.isOp(j, "(") && st.closeOf(j, len(st.toks))+1 == end && d != "require" && strings.Contains(st.resolve(d), ".") {
			st.aliases[name] = st.resolve(d) + "()"
			return
		}
	}
	if st.tok(rhs).Kind == lex.Name {
		d, j := st.jsDotted(rhs)
		if j == end {
			if r := st.resolve(d); r != d || strings.Contains(d, ".") {
				st.aliases[name] = r
			}
			return
		}
	}
	if v, ok := st.evalJS(rhs, end); ok {
		st.consts[name] = v
		if len(v.layers) > 0 {
			st.addString(v.s, st.tok(nameIdx).Line, v.layers)
		}
	} else {
		delete(st.consts, name)
	}
}

// requireAt matches require('m') or require('m').x spanning [a,b).
func (st *state) requireAt(a, b int) (string, bool) {
	if !st.isName(a, "require") || !st.isOp(a+1, "(") || st.tok(a+2).Kind != lex.String || !st.isOp(a+3, ")") {
		return "", false
	}
	mod := strings.TrimPrefix(st.tok(a+2).Value, "node:")
	j := a + 4
	for j+1 < b && st.isOp(j, ".") && st.tok(j+1).Kind == lex.Name {
		mod += "." + st.tok(j+1).Value
		j += 2
	}
	return mod, j == b
}

func (st *state) parseJSCall(name string, start, open int) {
	closeIdx := st.closeOf(open, len(st.toks))
	callee := st.resolve(name)
	c := Call{Callee: callee, Line: st.tok(start).Line, InFunc: st.inFunc}
	if !st.spend(closeIdx - open) {
		c.Text = snippet(st.src, st.tok(start).Start, endOff(st.toks, closeIdx, st.src))
		st.facts.Calls = append(st.facts.Calls, c)
		return
	}
	if st.isName(start-1, "new") {
		c.Callee = "new " + callee
		if callee == "Function" {
			c.Callee = "Function"
		}
	}
	for _, r := range st.args(open+1, closeIdx) {
		st.addJSArg(&c, r[0], r[1])
	}
	for j := open + 1; j < closeIdx; j++ {
		if st.tok(j).Kind == lex.Name && st.isOp(j-1, ".") && st.isOp(j-2, ")") && st.isOp(j+1, "(") {
			c.Inner = appendInner(c.Inner, "()."+st.tok(j).Value)
		}
		if st.tok(j).Kind == lex.Name && !st.isOp(j-1, ".") && !st.isOp(j-1, "?.") {
			d, e := st.jsDotted(j)
			if st.isOp(e, "(") {
				c.Inner = appendInner(c.Inner, st.resolve(d))
			}
		}
	}
	c.Text = snippet(st.src, st.tok(start).Start, endOff(st.toks, closeIdx, st.src))
	if callee == "require" && len(c.Args) > 0 && c.Args[0].IsStr {
		mod := strings.TrimPrefix(c.Args[0].Str, "node:")
		st.facts.Imports = append(st.facts.Imports, Sym{mod, c.Line})
		// require('child_process').exec(...)
		if d, e := st.jsDottedFrom(closeIdx+1, mod); e > closeIdx+1 && st.isOp(e, "(") {
			st.facts.Calls = append(st.facts.Calls, c)
			st.parseJSCall(d, start, e)
			return
		}
	}
	if callee == "import" && len(c.Args) > 0 && c.Args[0].IsStr {
		st.facts.Imports = append(st.facts.Imports, Sym{c.Args[0].Str, c.Line})
	}
	st.facts.Calls = append(st.facts.Calls, c)
	st.foldPathJoin(c)
}

// jsDottedFrom reads .a.b after index i, prefixed by base.
func (st *state) jsDottedFrom(i int, base string) (string, int) {
	j := i
	for (st.isOp(j, ".") || st.isOp(j, "?.")) && st.tok(j+1).Kind == lex.Name {
		base += "." + st.tok(j+1).Value
		j += 2
	}
	return base, j
}

func (st *state) addJSArg(c *Call, a, b int) {
	if b <= a {
		return
	}
	if st.isOp(a, "...") {
		a++
	}
	arg := Arg{Raw: string(snippetBytes(st.src, st.tok(a).Start, endOff(st.toks, b-1, st.src), 300))}
	switch {
	case st.isOp(a, "{") && st.closeOf(a, len(st.toks)) == b-1:
		if c.Keywords == nil {
			c.Keywords = map[string]string{}
		}
		for _, r := range st.args(a+1, b-1) {
			k := st.tok(r[0])
			if (k.Kind == lex.Name || k.Kind == lex.String) && st.isOp(r[0]+1, ":") {
				val := string(snippetBytes(st.src, st.tok(r[0]+2).Start, endOff(st.toks, r[1]-1, st.src), 200))
				if v, ok := st.evalJS(r[0]+2, r[1]); ok {
					val = v.s
				} else if st.tok(r[0]+2).Kind == lex.Name {
					d, _ := st.jsDotted(r[0] + 2)
					val = st.resolve(d)
				}
				c.Keywords[k.Value] = val
			} else if k.Kind == lex.Name && r[1] == r[0]+1 {
				c.Keywords[k.Value] = k.Value
			}
		}
	case st.isOp(a, "[") && st.closeOf(a, len(st.toks)) == b-1:
		arg.List = []string{}
		for _, r := range st.args(a+1, b-1) {
			v, _ := st.evalJS(r[0], r[1])
			arg.List = append(arg.List, v.s)
		}
	default:
		if v, ok := st.evalJS(a, b); ok {
			arg.Str, arg.IsStr, arg.Layers = v.s, true, v.layers
			if len(v.layers) > 0 {
				st.addString(v.s, st.tok(a).Line, v.layers)
			} else if b-a > 1 && !st.allStrings(a, b) {
				// folded from several parts (SA + "/token"): the whole value
				// is a string the code uses
				st.addString(v.s, st.tok(a).Line, nil)
			}
		} else if st.tok(a).Kind == lex.Name {
			d, e := st.jsDotted(a)
			if e == b {
				arg.Name = st.resolve(d)
			}
		}
	}
	c.Args = append(c.Args, arg)
}

// evalJS folds a JavaScript string expression (literals, constants,
// atob/Buffer.from decoding, String.fromCharCode, split/reverse/join).
func (st *state) evalJS(a, b int) (value, bool) {
	if b <= a {
		return value{}, false
	}
	e := &pyEval{st: st, i: a, end: b}
	v, ok := e.jsSum()
	if !ok || e.i != b {
		return value{}, false
	}
	return v, true
}

func (e *pyEval) jsSum() (value, bool) {
	v, ok := e.jsTerm()
	if !ok {
		return v, false
	}
	for e.op("+") {
		e.i++
		w, ok := e.jsTerm()
		if !ok {
			return v, false
		}
		v = concat(v, w)
	}
	return v, true
}

func (e *pyEval) jsTerm() (value, bool) {
	e.ops++
	if e.ops > maxEvalOps {
		return value{}, false
	}
	st := e.st
	var v value
	t := e.tok()
	switch {
	case t.Kind == lex.String:
		v = value{s: t.Value}
		e.i++
	case t.Kind == lex.Op && t.Value == "(":
		closeIdx := st.closeOf(e.i, e.end)
		if closeIdx >= e.end {
			return v, false
		}
		w, ok := st.evalJS(e.i+1, closeIdx)
		if !ok {
			return v, false
		}
		v = w
		e.i = closeIdx + 1
	case t.Kind == lex.Op && t.Value == "[":
		// array literal, only meaningful with .join()
		closeIdx := st.closeOf(e.i, e.end)
		if closeIdx >= e.end || !st.isOp(closeIdx+1, ".") || !st.isName(closeIdx+2, "join") {
			return v, false
		}
		var parts []string
		var layers []string
		for _, r := range st.args(e.i+1, closeIdx) {
			w, ok := st.evalJS(r[0], r[1])
			if !ok {
				return v, false
			}
			parts = append(parts, w.s)
			layers = mergeLayers(layers, w.layers)
		}
		e.i = closeIdx + 3
		if !e.op("(") {
			return v, false
		}
		c2 := st.closeOf(e.i, e.end)
		if c2 >= e.end {
			return v, false
		}
		sep := ","
		if c2 > e.i+1 {
			w, ok := st.evalJS(e.i+1, c2)
			if !ok {
				return v, false
			}
			sep = w.s
		}
		v = value{s: strings.Join(parts, sep), layers: layers}
		e.i = c2 + 1
	case t.Kind == lex.Name:
		name, j := st.jsDotted(e.i)
		if j > e.end {
			return v, false
		}
		if st.isOp(j, "(") && j < e.end {
			closeIdx := st.closeOf(j, e.end)
			if closeIdx >= e.end {
				return v, false
			}
			w, ok := e.jsCall(st.resolve(name), j+1, closeIdx)
			if !ok {
				return v, false
			}
			v = w
			e.i = closeIdx + 1
		} else if w, ok := st.consts[name]; ok {
			v = w
			e.i = j
		} else {
			return v, false
		}
	default:
		return v, false
	}
	return e.jsPostfix(v)
}

func (e *pyEval) jsCall(callee string, a, b int) (value, bool) {
	st := e.st
	switch callee {
	case "atob", "window.atob", "Buffer.from", "new Buffer", "Buffer", "String.fromCharCode", "String.fromCodePoint", "unescape", "decodeURIComponent", "decodeURI", "String":
	default:
		return value{}, false
	}
	args := st.args(a, b)
	argVal := func(k int) (value, bool) {
		if k >= len(args) {
			return value{}, false
		}
		return st.evalJS(args[k][0], args[k][1])
	}
	add := func(v value, step string) (value, bool) {
		out, ok := applyStep(step, v.s)
		if !ok {
			return value{}, false
		}
		return value{s: out, layers: append(append([]string(nil), v.layers...), step)}, true
	}
	switch callee {
	case "atob", "window.atob":
		if v, ok := argVal(0); ok {
			return add(v, "base64")
		}
	case "Buffer.from", "new Buffer", "Buffer":
		v, ok := argVal(0)
		if !ok {
			return v, false
		}
		if len(args) > 1 {
			enc, ok := argVal(1)
			if !ok {
				return v, false
			}
			switch strings.ToLower(enc.s) {
			case "base64", "base64url":
				return add(v, "base64")
			case "hex":
				return add(v, "hex")
			}
		}
		return v, true
	case "String.fromCharCode", "String.fromCodePoint":
		var sb strings.Builder
		for _, r := range args {
			n, ok := st.intLit(r[0], r[1])
			if !ok || n < 0 || n >= 0x110000 {
				return value{}, false
			}
			sb.WriteRune(rune(n))
		}
		return value{s: sb.String(), layers: []string{"char-codes"}}, true
	case "unescape", "decodeURIComponent", "decodeURI":
		v, ok := argVal(0)
		if !ok {
			return v, false
		}
		if s, err := url.PathUnescape(v.s); err == nil && s != v.s {
			return value{s: s, layers: append(append([]string(nil), v.layers...), "percent")}, true
		}
		return v, true
	case "String":
		return argVal(0)
	}
	return value{}, false
}

func (e *pyEval) jsPostfix(v value) (value, bool) {
	st := e.st
	for e.op(".") && st.tok(e.i+1).Kind == lex.Name && st.isOp(e.i+2, "(") {
		method := st.tok(e.i + 1).Value
		closeIdx := st.closeOf(e.i+2, e.end)
		if closeIdx >= e.end {
			return v, false
		}
		args := st.args(e.i+3, closeIdx)
		argStr := func(k int) (string, bool) {
			if k >= len(args) {
				return "", false
			}
			w, ok := st.evalJS(args[k][0], args[k][1])
			return w.s, ok
		}
		switch method {
		case "toString":
			if s, ok := argStr(0); ok && (s == "base64" || s == "hex") {
				// Buffer.toString('base64') encodes; leave as is
				_ = s
			}
		case "trim", "toLowerCase", "toUpperCase":
			switch method {
			case "toLowerCase":
				v.s = strings.ToLower(v.s)
			case "toUpperCase":
				v.s = strings.ToUpper(v.s)
			default:
				v.s = strings.TrimSpace(v.s)
			}
		case "replace", "replaceAll":
			a, ok1 := argStr(0)
			b, ok2 := argStr(1)
			if !ok1 || !ok2 || a == "" {
				return v, false
			}
			v.s = strings.ReplaceAll(v.s, a, b)
			if len(v.s) > maxFold {
				return v, false
			}
		case "split":
			// only the split('').reverse().join('') idiom
			sep, ok := argStr(0)
			if !ok || sep != "" || !st.isOp(closeIdx+1, ".") || !st.isName(closeIdx+2, "reverse") {
				return v, false
			}
			j := closeIdx + 3
			if !st.isOp(j, "(") || !st.isOp(j+1, ")") || !st.isOp(j+2, ".") || !st.isName(j+3, "join") || !st.isOp(j+4, "(") {
				return v, false
			}
			c2 := st.closeOf(j+4, e.end)
			if c2 >= e.end {
				return v, false
			}
			v = value{s: string(decode.Reverse([]byte(v.s))), layers: append(append([]string(nil), v.layers...), "reverse")}
			e.i = c2 + 1
			continue
		default:
			return v, false
		}
		e.i = closeIdx + 1
	}
	return v, true
}

// parseJSDestructure handles const { a, b: c } = require('m') with the
// "=" at index eq.
func (st *state) parseJSDestructure(eq int) {
	end := st.exprEnd(eq + 1)
	mod, ok := st.requireAt(eq+1, end)
	if !ok {
		if st.tok(eq+1).Kind != lex.Name {
			return
		}
		d, j := st.jsDotted(eq + 1)
		if j != end {
			return
		}
		mod = st.resolve(d)
	}
	// find the matching "{"
	depth := 0
	open := -1
	for j := eq - 1; j >= 0 && eq-j < 512; j-- {
		if st.isOp(j, "}") {
			depth++
		} else if st.isOp(j, "{") {
			depth--
			if depth == 0 {
				open = j
				break
			}
		}
	}
	if open < 0 {
		return
	}
	for _, r := range st.args(open+1, eq-1) {
		if st.tok(r[0]).Kind != lex.Name {
			continue
		}
		imported := st.tok(r[0]).Value
		local := imported
		if st.isOp(r[0]+1, ":") && st.tok(r[0]+2).Kind == lex.Name {
			local = st.tok(r[0] + 2).Value
		}
		st.aliases[local] = mod + "." + imported
	}
}

// methodHead reports whether the ")" at index close ends the parameter
// list of a method or function definition (name(...) {) rather than the
// condition of if/for/while/switch/catch; it returns the index of the
// matching "(", or 0.
func (st *state) methodHead(close int) int {
	depth := 0
	for j := close; j >= 0 && close-j < 4096; j-- {
		if st.isOp(j, ")") {
			depth++
		} else if st.isOp(j, "(") {
			depth--
			if depth == 0 {
				p := st.tok(j - 1)
				if p.Kind != lex.Name {
					return 0
				}
				switch p.Value {
				case "if", "for", "while", "switch", "catch", "with":
					return 0
				}
				return j
			}
		}
	}
	return 0
}
