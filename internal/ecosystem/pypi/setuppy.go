package pypi

import (
	"strconv"
	"strings"
)

// SetupPyNameVersion returns the name and version passed as literal keyword
// arguments to setup() in a setup.py, without executing it. It tokenizes
// the file (skipping comments and string contents, so commented-out or
// quoted "name=" text does not count) and accepts:
//
//	setup(name="foo", version='1.0')           # string literals
//	setup(name="foo" "bar")                     # implicit concatenation
//	NAME = "foo"; setup(name=NAME)              # a module-level constant
//	setuptools.setup(...)                       # any callee named setup
//
// Keyword arguments to another call (setup(**dict(name="foo"))) are used
// when setup() has none. Anything else (f-strings, expressions, values read
// from files) yields "".
func SetupPyNameVersion(data []byte) (name, version string) {
	toks := pyTokens(string(data))
	consts := map[string]pyValue{}
	setupKw := map[string]pyValue{}
	otherKw := map[string]pyValue{}
	var stack []string // callee of each open bracket ("" when none)
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.kind == tkOp && (t.text == "(" || t.text == "[" || t.text == "{"):
			callee := ""
			if t.text == "(" && i > 0 && toks[i-1].kind == tkIdent {
				callee = toks[i-1].text
			}
			stack = append(stack, callee)
		case t.kind == tkOp && (t.text == ")" || t.text == "]" || t.text == "}"):
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case t.kind == tkIdent && i+1 < len(toks) && toks[i+1].kind == tkOp && toks[i+1].text == "=" &&
			(i == 0 || !(toks[i-1].kind == tkOp && toks[i-1].text == ".")):
			v, ok := pyValueAt(toks, i+2)
			if !ok {
				continue
			}
			switch {
			case len(stack) == 0:
				if _, seen := consts[t.text]; !seen {
					consts[t.text] = v
				}
			case stack[len(stack)-1] == "setup":
				if _, seen := setupKw[t.text]; !seen {
					setupKw[t.text] = v
				}
			default:
				if _, seen := otherKw[t.text]; !seen {
					otherKw[t.text] = v
				}
			}
		}
	}
	pick := func(k string) string {
		v, ok := setupKw[k]
		if !ok {
			v, ok = otherKw[k]
		}
		if !ok {
			return ""
		}
		if v.ident != "" {
			c, ok := consts[v.ident]
			if !ok || c.ident != "" {
				return ""
			}
			v = c
		}
		return strings.TrimSpace(v.str)
	}
	return pick("name"), pick("version")
}

type pyValue struct {
	str   string // literal value
	ident string // or a name to resolve among module-level constants
}

// pyValueAt reads a literal value (one or more adjacent plain string
// literals, or a bare identifier) at toks[i]. The value must end the
// expression: it may not be followed by an operator, call, attribute or
// subscript.
func pyValueAt(toks []pyToken, i int) (pyValue, bool) {
	if i >= len(toks) {
		return pyValue{}, false
	}
	var v pyValue
	j := i
	switch toks[i].kind {
	case tkString:
		var b strings.Builder
		for j < len(toks) && toks[j].kind == tkString {
			if !toks[j].literal {
				return pyValue{}, false
			}
			b.WriteString(toks[j].text)
			j++
		}
		v.str = b.String()
	case tkIdent:
		switch toks[i].text {
		case "None", "True", "False", "lambda", "not", "await", "yield":
			return pyValue{}, false
		}
		v.ident = toks[i].text
		j++
	default:
		return pyValue{}, false
	}
	if j < len(toks) {
		next := toks[j]
		if next.kind == tkOp {
			switch next.text {
			case ",", ")", "]", "}", ";":
				return v, true
			case ".", "+", "%", "[", "(", "*":
				return pyValue{}, false
			}
		}
		// Anything else on the same line continues the expression
		// (x if y else z, x or y, …); on a later line it starts a new
		// statement.
		if next.line == toks[j-1].line {
			return pyValue{}, false
		}
	}
	return v, true
}

type tokKind int

const (
	tkIdent tokKind = iota
	tkString
	tkOp
	tkOther
)

type pyToken struct {
	kind tokKind
	text string // identifier, operator, or decoded string value
	// literal is false for strings whose value is not a plain str
	// literal (f-strings, bytes).
	literal bool
	line    int
}

func isIdentByte(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c >= 0x80
}

// pyTokens is a small, forgiving Python tokenizer: identifiers, strings
// (with prefixes, triple quotes and escapes), operators and comments. It
// never fails; unterminated strings end at the end of the line (or file for
// triple-quoted ones).
func pyTokens(s string) []pyToken {
	var toks []pyToken
	line := 1
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\n':
			line++
			i++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\\':
			i++
		case c == '#':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '"' || c == '\'':
			tok, n := pyString(s[i:], "")
			tok.line = line
			line += strings.Count(s[i:i+n], "\n")
			toks = append(toks, tok)
			i += n
		case isIdentByte(c) && !('0' <= c && c <= '9'):
			j := i
			for j < len(s) && isIdentByte(s[j]) {
				j++
			}
			word := s[i:j]
			if j < len(s) && (s[j] == '"' || s[j] == '\'') && isStringPrefix(word) {
				tok, n := pyString(s[j:], strings.ToLower(word))
				tok.line = line
				line += strings.Count(s[j:j+n], "\n")
				toks = append(toks, tok)
				i = j + n
				continue
			}
			toks = append(toks, pyToken{kind: tkIdent, text: word, line: line})
			i = j
		case '0' <= c && c <= '9':
			j := i
			for j < len(s) && (isIdentByte(s[j]) || s[j] == '.') {
				j++
			}
			toks = append(toks, pyToken{kind: tkOther, text: s[i:j], line: line})
			i = j
		default:
			op := string(c)
			if i+1 < len(s) && s[i+1] == '=' && strings.IndexByte("=!<>:+-*/%&|^@~", c) >= 0 {
				op = s[i : i+2]
			}
			toks = append(toks, pyToken{kind: tkOp, text: op, line: line})
			i += len(op)
		}
	}
	return toks
}

func isStringPrefix(w string) bool {
	switch strings.ToLower(w) {
	case "r", "u", "b", "f", "br", "rb", "fr", "rf", "t", "tr", "rt":
		return true
	}
	return false
}

// pyString reads a string literal at the start of s (s[0] is the quote)
// and returns its token and length.
func pyString(s, prefix string) (pyToken, int) {
	raw := strings.Contains(prefix, "r")
	literal := !strings.ContainsAny(prefix, "bft")
	q := s[:1]
	triple := strings.HasPrefix(s, strings.Repeat(q, 3))
	delim := q
	if triple {
		delim = strings.Repeat(q, 3)
	}
	i := len(delim)
	var b strings.Builder
	for i < len(s) {
		if strings.HasPrefix(s[i:], delim) {
			return pyToken{kind: tkString, text: b.String(), literal: literal}, i + len(delim)
		}
		c := s[i]
		if c == '\n' && !triple {
			break // unterminated
		}
		if c == '\\' && i+1 < len(s) {
			e := s[i+1]
			if raw {
				b.WriteByte(c)
				b.WriteByte(e)
				i += 2
				continue
			}
			i += 2
			switch e {
			case '\n':
			case '\\', '\'', '"':
				b.WriteByte(e)
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case 'x', 'u', 'U':
				n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
				if i+n <= len(s) {
					if r, err := strconv.ParseUint(s[i:i+n], 16, 32); err == nil && r <= 0x10FFFF {
						b.WriteRune(rune(r))
						i += n
						continue
					}
				}
				literal = false
			default:
				b.WriteByte('\\')
				b.WriteByte(e)
			}
			continue
		}
		b.WriteByte(c)
		i++
	}
	return pyToken{kind: tkString, text: b.String(), literal: false}, i
}
