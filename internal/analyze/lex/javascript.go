package lex

import "unicode/utf8"

// Kinds of "{" on the brace stack.
const (
	braceBlock    uint8 = iota // statement block, class or function body
	braceObject                // "{" in expression position
	braceTemplate              // "${" in a template literal
)

var jsStrSpecial, jsTmplSpecial [256]bool

func init() {
	for _, c := range []byte{'\'', '"', '\\', '\n', '\r'} {
		jsStrSpecial[c] = true
	}
	for _, c := range []byte{'`', '$', '\\', '\r'} {
		jsTmplSpecial[c] = true
	}
}

type tmplState struct {
	tok   int    // index of the Template token
	buf   []byte // cooked text so far, valid when dirty
	dirty bool
}

type jsLexer struct {
	sink

	// Context of the previous significant token.
	regexOK   bool // a "/" would start a regexp
	exprBrace bool // a "{" would open an object literal
	dot       bool // previous token is "." or "?."
	kwParen   bool // previous token is if/while/for/with

	noRegexUntil int // a failed regexp scan reached here; do not retry before

	parens []bool  // per open "(": follows if/while/for/with
	braces []uint8 // per open "{" / "${"
	tmpls  []tmplState
	spare  []byte // a template buffer for reuse
}

// JavaScript lexes JavaScript (ES2024, sloppy or strict, minified or not).
// See the package documentation for the conventions.
func JavaScript(src []byte) []Token {
	lx := jsLexer{sink: newSink(src), regexOK: true}
	lx.run()
	return lx.finish()
}

// operand records that the previous significant token ends an operand.
func (lx *jsLexer) operand() {
	lx.regexOK, lx.exprBrace, lx.dot, lx.kwParen = false, false, false, false
}

func (lx *jsLexer) run() {
	src := lx.src
	n := len(src)
	i := skipBOM(src)
	if i+1 < n && src[i] == '#' && src[i+1] == '!' {
		j := lx.lineEnd(i + 2)
		lx.add(Comment, i, j, i+2, j)
		i = j
	}
	for i < n {
		c := src[i]
		switch {
		case c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f':
			i++
		case jsIDStart[c]:
			i = lx.ident(i, i)
		case isDigit(c) || (c == '.' && i+1 < n && isDigit(src[i+1])):
			i = lx.number(i)
		case c == '"' || c == '\'':
			i = lx.str(i)
		case c == '`':
			i = lx.template(i)
		case c == '/':
			switch {
			case i+1 < n && src[i+1] == '/':
				j := lx.lineEnd(i + 2)
				lx.add(Comment, i, j, i+2, j)
				i = j
			case i+1 < n && src[i+1] == '*':
				i = lx.blockComment(i)
			case lx.regexOK && i >= lx.noRegexUntil:
				i = lx.regex(i)
			default:
				i = lx.operator(i)
			}
		case c == '}':
			i = lx.closeBrace(i)
		case c == '\\':
			if r, k := jsUnicodeEscape(src, i); k > 0 && isIDStartRune(r) {
				i = lx.ident(i, i)
			} else {
				i = lx.operator(i)
			}
		case c == '#' && i+1 < n && lx.idStartAt(i+1):
			i = lx.ident(i, i+1)
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(src[i:])
			switch {
			case r == utf8.RuneError && size <= 1:
				lx.add(Op, i, i+1, i, i+1)
				lx.regexOK, lx.exprBrace, lx.dot, lx.kwParen = true, true, false, false
				i++
			case isIDStartRune(r):
				i = lx.ident(i, i)
			case isUnicodeSpace(r):
				i += size
			default:
				lx.add(Op, i, i+size, i, i+size)
				lx.regexOK, lx.exprBrace, lx.dot, lx.kwParen = true, true, false, false
				i += size
			}
		default:
			i = lx.operator(i)
		}
	}
	// Templates still open at EOF.
	for k := len(lx.tmpls) - 1; k >= 0; k-- {
		st := &lx.tmpls[k]
		t := &lx.toks[st.tok]
		t.end = int32(n)
		t.flags |= fUnterminated
		if st.dirty {
			t.vs = int32(len(lx.arena))
			lx.arena = append(lx.arena, st.buf...)
			t.ve = int32(len(lx.arena))
			t.flags |= fArena
		}
	}
}

// isLS reports whether src[j:] starts with U+2028 or U+2029.
func isLS(src []byte, j int) bool {
	return j+2 < len(src) && src[j] == 0xE2 && src[j+1] == 0x80 && (src[j+2] == 0xA8 || src[j+2] == 0xA9)
}

// lineEnd returns the offset of the next line terminator at or after j.
func (lx *jsLexer) lineEnd(j int) int {
	src := lx.src
	for j < len(src) {
		c := src[j]
		if c == '\n' || c == '\r' || (c == 0xE2 && isLS(src, j)) {
			return j
		}
		j++
	}
	return j
}

func (lx *jsLexer) blockComment(i int) int {
	src := lx.src
	n := len(src)
	for j := i + 2; j+1 < n; j++ {
		if src[j] == '*' && src[j+1] == '/' {
			lx.add(Comment, i, j+2, i+2, j)
			return j + 2
		}
	}
	lx.addFull(Comment, i, n, i+2, n, fUnterminated, 0)
	return n
}

// idStartAt reports whether an identifier starts at j.
func (lx *jsLexer) idStartAt(j int) bool {
	c := lx.src[j]
	if jsIDStart[c] {
		return true
	}
	if c == '\\' {
		r, k := jsUnicodeEscape(lx.src, j)
		return k > 0 && isIDStartRune(r)
	}
	if c >= utf8.RuneSelf {
		r, size := utf8.DecodeRune(lx.src[j:])
		return !(r == utf8.RuneError && size <= 1) && isIDStartRune(r)
	}
	return false
}

// jsUnicodeEscape decodes \uHHHH or \u{H...} at src[j] (a backslash). It
// returns k == 0 if there is no valid escape.
func jsUnicodeEscape(src []byte, j int) (r rune, k int) {
	n := len(src)
	if j+1 >= n || src[j+1] != 'u' {
		return 0, 0
	}
	if j+2 < n && src[j+2] == '{' {
		var v rune
		m := j + 3
		for m < n && hexVal[src[m]] >= 0 {
			v = v<<4 | rune(hexVal[src[m]])
			if v > utf8.MaxRune {
				return 0, 0
			}
			m++
		}
		if m == j+3 || m >= n || src[m] != '}' {
			return 0, 0
		}
		return v, m + 1 - j
	}
	v, ok := hexN(src, j+2, 4)
	if !ok {
		return 0, 0
	}
	return v, 6
}

// ident lexes a name whose token starts at start (a "#" for private names)
// and whose identifier characters start at from.
func (lx *jsLexer) ident(start, from int) int {
	src := lx.src
	n := len(src)
	j := from
	ls := start
	as := -1 // arena offset of the decoded name, once an escape was seen
	for j < n {
		c := src[j]
		if c < utf8.RuneSelf {
			if jsIDCont[c] {
				j++
				continue
			}
			if c == '\\' {
				if r, k := jsUnicodeEscape(src, j); k > 0 && (isIDContRune(r) || j == from && isIDStartRune(r)) {
					if as < 0 {
						as = len(lx.arena)
					}
					lx.arena = append(lx.arena, src[ls:j]...)
					lx.arena = utf8.AppendRune(lx.arena, r)
					j += k
					ls = j
					continue
				}
			}
			break
		}
		r, size := utf8.DecodeRune(src[j:])
		if (r == utf8.RuneError && size <= 1) || !isIDContRune(r) {
			break
		}
		j += size
	}
	if j == from { // defensive: caller guarantees a start character
		j = from + 1
	}
	var val string
	if as < 0 {
		val = lx.s[start:j]
		lx.add(Name, start, j, start, j)
	} else {
		lx.arena = append(lx.arena, src[ls:j]...)
		lx.addFull(Name, start, j, as, len(lx.arena), fArena, 0)
		val = string(lx.arena[as:])
	}

	wasDot := lx.dot
	lx.operand()
	if wasDot || start != from || len(val) < 2 || len(val) > 10 || val[0] < 'a' || val[0] > 'y' {
		return j
	}
	switch val {
	case "return", "typeof", "case", "default", "in", "of", "new", "delete", "void", "throw", "instanceof", "yield", "await":
		lx.regexOK, lx.exprBrace = true, true
	case "do", "else":
		lx.regexOK = true
	case "if", "while", "for", "with":
		lx.kwParen = true
	}
	return j
}

func (lx *jsLexer) number(i int) int {
	src := lx.src
	n := len(src)
	j := i
	if src[j] == '0' && j+1 < n {
		switch src[j+1] | 0x20 {
		case 'x', 'o', 'b':
			j = scanHexDigits(src, j+2)
			goto suffix
		}
	}
	j = scanDigits(src, j)
	if j < n && src[j] == '.' {
		j = scanDigits(src, j+1)
	}
	j = scanExponent(src, j)
suffix:
	if j < n && src[j] == 'n' {
		j++
	}
	lx.add(Number, i, j, i, j)
	lx.operand()
	return j
}

// jsOpLen returns the length of the operator at src[i] (longest match).
func jsOpLen(src []byte, i int) int {
	n := len(src)
	c := src[i]
	var c1, c2, c3 byte
	if i+1 < n {
		c1 = src[i+1]
	}
	if i+2 < n {
		c2 = src[i+2]
	}
	if i+3 < n {
		c3 = src[i+3]
	}
	switch c {
	case '>':
		if c1 == '>' {
			if c2 == '>' {
				if c3 == '=' {
					return 4
				}
				return 3
			}
			if c2 == '=' {
				return 3
			}
			return 2
		}
		if c1 == '=' {
			return 2
		}
	case '<', '*', '&', '|':
		if c1 == c {
			if c2 == '=' {
				return 3
			}
			return 2
		}
		if c1 == '=' {
			return 2
		}
	case '=', '!':
		if c1 == '=' {
			if c2 == '=' {
				return 3
			}
			return 2
		}
		if c == '=' && c1 == '>' {
			return 2
		}
	case '?':
		if c1 == '?' {
			if c2 == '=' {
				return 3
			}
			return 2
		}
		if c1 == '.' && !isDigit(c2) {
			return 2
		}
	case '+', '-':
		if c1 == c || c1 == '=' {
			return 2
		}
	case '/', '%', '^':
		if c1 == '=' {
			return 2
		}
	case '.':
		if c1 == '.' && c2 == '.' {
			return 3
		}
	}
	return 1
}

func (lx *jsLexer) operator(i int) int {
	l := jsOpLen(lx.src, i)
	j := i + l
	lx.add(Op, i, j, i, j)
	kw := lx.kwParen
	lx.dot, lx.kwParen = false, false
	c := lx.src[i]
	if l == 2 {
		switch {
		case c == '=' && lx.src[i+1] == '>':
			lx.regexOK, lx.exprBrace = true, false
		case c == '?' && lx.src[i+1] == '.':
			lx.regexOK, lx.exprBrace, lx.dot = false, false, true
		case (c == '+' || c == '-') && lx.src[i+1] == c:
			// postfix or prefix: keep the previous decision
		default:
			lx.regexOK, lx.exprBrace = true, true
		}
		return j
	}
	if l > 2 {
		lx.regexOK, lx.exprBrace = true, true
		return j
	}
	switch c {
	case '(':
		lx.parens = append(lx.parens, kw)
		lx.regexOK, lx.exprBrace = true, true
	case ')':
		cond := false
		if k := len(lx.parens); k > 0 {
			cond = lx.parens[k-1]
			lx.parens = lx.parens[:k-1]
		}
		lx.regexOK, lx.exprBrace = cond, false
	case ']':
		lx.regexOK, lx.exprBrace = false, false
	case '{':
		kind := braceBlock
		if lx.exprBrace {
			kind = braceObject
		}
		lx.braces = append(lx.braces, kind)
		lx.regexOK, lx.exprBrace = true, false
	case ';':
		lx.regexOK, lx.exprBrace = true, false
	case '.':
		lx.regexOK, lx.exprBrace, lx.dot = false, false, true
	default:
		lx.regexOK, lx.exprBrace = true, true
	}
	return j
}

func (lx *jsLexer) closeBrace(i int) int {
	kind := braceBlock
	if k := len(lx.braces); k > 0 {
		kind = lx.braces[k-1]
		lx.braces = lx.braces[:k-1]
	}
	if kind == braceTemplate && len(lx.tmpls) > 0 {
		return lx.templateChunk(i + 1)
	}
	lx.add(Op, i, i+1, i, i+1)
	lx.regexOK, lx.exprBrace, lx.dot, lx.kwParen = kind == braceBlock, false, false, false
	return i + 1
}

// regex lexes a regular expression literal at i, or a division operator if
// there is no closing "/" on the line.
func (lx *jsLexer) regex(i int) int {
	src := lx.src
	n := len(src)
	inClass := false
	j := i + 1
scan:
	for j < n {
		switch src[j] {
		case '\n', '\r':
			break scan
		case 0xE2:
			if isLS(src, j) {
				break scan
			}
			j++
		case '\\':
			if j+1 < n && (src[j+1] == '\n' || src[j+1] == '\r' || isLS(src, j+1)) {
				j++
				break scan
			}
			j += 2
			if j > n {
				j = n
			}
		case '[':
			inClass = true
			j++
		case ']':
			inClass = false
			j++
		case '/':
			if inClass {
				j++
				continue
			}
			j++
			for j < n && jsIDCont[src[j]] {
				j++
			}
			lx.add(Regexp, i, j, i, j)
			lx.operand()
			return j
		default:
			j++
		}
	}
	lx.noRegexUntil = j
	return lx.operator(i)
}

// jsEscape decodes the escape whose backslash is at src[j], appending the
// result to buf. It returns the new buf and the number of bytes consumed.
func jsEscape(src []byte, j int, buf []byte, tmpl bool) ([]byte, int) {
	n := len(src)
	if j+1 >= n {
		return buf, 1
	}
	e := src[j+1]
	switch e {
	case '\n':
		return buf, 2
	case '\r':
		if j+2 < n && src[j+2] == '\n' {
			return buf, 3
		}
		return buf, 2
	case 'n':
		return append(buf, '\n'), 2
	case 't':
		return append(buf, '\t'), 2
	case 'r':
		return append(buf, '\r'), 2
	case 'b':
		return append(buf, '\b'), 2
	case 'f':
		return append(buf, '\f'), 2
	case 'v':
		return append(buf, '\v'), 2
	case '0', '1', '2', '3', '4', '5', '6', '7':
		if tmpl {
			if e == '0' && (j+2 >= n || !isDigit(src[j+2])) {
				return append(buf, 0), 2
			}
			return append(buf, '\\', e), 2
		}
		maxLen := 3
		if e > '3' {
			maxLen = 2
		}
		var v rune
		k := 0
		for k < maxLen && j+1+k < n && src[j+1+k] >= '0' && src[j+1+k] <= '7' {
			v = v<<3 | rune(src[j+1+k]-'0')
			k++
		}
		return utf8.AppendRune(buf, v), 1 + k
	case 'x':
		if v, ok := hexN(src, j+2, 2); ok {
			return utf8.AppendRune(buf, v), 4
		}
		return append(buf, '\\', 'x'), 2
	case 'u':
		r, k := jsUnicodeEscape(src, j)
		if k == 0 {
			return append(buf, '\\', 'u'), 2
		}
		if r >= 0xD800 && r <= 0xDBFF {
			if r2, k2 := jsUnicodeEscape(src, j+k); k2 > 0 && r2 >= 0xDC00 && r2 <= 0xDFFF {
				return utf8.AppendRune(buf, 0x10000+(r-0xD800)<<10+(r2-0xDC00)), k + k2
			}
		}
		return utf8.AppendRune(buf, r), k
	case 0xE2:
		if isLS(src, j+1) { // line continuation with U+2028/U+2029
			return buf, 4
		}
		return buf, 1
	}
	if e < utf8.RuneSelf {
		return append(buf, e), 2
	}
	return buf, 1 // identity escape of a non-ASCII character: drop the backslash
}

func (lx *jsLexer) str(i int) int {
	src := lx.src
	n := len(src)
	q := src[i]
	j := i + 1
	ls := j
	as := -1 // arena offset of the value once anything was decoded
	end, contentEnd, unterm := n, n, true
loop:
	for j < n {
		for j < n && !jsStrSpecial[src[j]] {
			j++
		}
		if j >= n {
			break
		}
		switch c := src[j]; {
		case c == q:
			end, contentEnd, unterm = j+1, j, false
			break loop
		case c == '\n' || c == '\r':
			end, contentEnd = j, j
			break loop
		case c == '\\':
			if as < 0 {
				as = len(lx.arena)
			}
			lx.arena = append(lx.arena, src[ls:j]...)
			var k int
			lx.arena, k = jsEscape(src, j, lx.arena, false)
			j += k
			ls = j
		default:
			j++
		}
	}
	var flags uint8
	if unterm {
		flags = fUnterminated
	}
	if as < 0 {
		lx.addFull(String, i, end, ls, contentEnd, flags, 0)
	} else {
		lx.arena = append(lx.arena, src[ls:contentEnd]...)
		lx.addFull(String, i, end, as, len(lx.arena), flags|fArena, 0)
	}
	lx.operand()
	return end
}

// template starts a template literal at the backtick at i.
func (lx *jsLexer) template(i int) int {
	lx.tmpls = append(lx.tmpls, tmplState{tok: len(lx.toks), buf: lx.spare[:0]})
	lx.spare = nil
	lx.add(Template, i, i+1, i, i)
	return lx.templateChunk(i + 1)
}

// templateChunk scans literal text of the innermost open template from j to
// the closing backtick, a "${" or EOF.
func (lx *jsLexer) templateChunk(j int) int {
	src := lx.src
	n := len(src)
	st := &lx.tmpls[len(lx.tmpls)-1]
	ls := j
	for j < n {
		for j < n && !jsTmplSpecial[src[j]] {
			j++
		}
		if j >= n {
			break
		}
		switch src[j] {
		case '`':
			t := &lx.toks[st.tok]
			t.end = int32(j + 1)
			if st.dirty {
				t.vs = int32(len(lx.arena))
				lx.arena = append(lx.arena, st.buf...)
				lx.arena = append(lx.arena, src[ls:j]...)
				t.ve = int32(len(lx.arena))
				t.flags |= fArena
			} else {
				t.vs, t.ve = int32(ls), int32(j)
			}
			lx.spare = st.buf
			lx.tmpls = lx.tmpls[:len(lx.tmpls)-1]
			lx.operand()
			return j + 1
		case '$':
			if j+1 < n && src[j+1] == '{' {
				st.buf = append(st.buf, src[ls:j]...)
				st.dirty = true
				lx.braces = append(lx.braces, braceTemplate)
				lx.regexOK, lx.exprBrace, lx.dot, lx.kwParen = true, true, false, false
				return j + 2
			}
			j++
		case '\r':
			st.buf = append(st.buf, src[ls:j]...)
			st.buf = append(st.buf, '\n')
			st.dirty = true
			j++
			if j < n && src[j] == '\n' {
				j++
			}
			ls = j
		case '\\':
			st.buf = append(st.buf, src[ls:j]...)
			var k int
			st.buf, k = jsEscape(src, j, st.buf, true)
			st.dirty = true
			j += k
			ls = j
		}
	}
	st.buf = append(st.buf, src[ls:n]...)
	st.dirty = true
	return n
}
