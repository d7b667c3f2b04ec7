package lex

import "unicode/utf8"

// maxFDepth bounds the nesting of f-string replacement fields the lexer
// follows; deeper nesting is scanned without recursion.
const maxFDepth = 32

// pyStrSpecial marks bytes the string scanner must look at.
var pyStrSpecial [256]bool

func init() {
	for _, c := range []byte{'\'', '"', '\n', '\r', '\\', '{'} {
		pyStrSpecial[c] = true
	}
}

type pyLexer struct {
	sink
	depth   int  // bracket depth
	pending bool // the current logical line holds a token
}

// Python lexes Python 2 or 3 source. See the package documentation for the
// conventions.
func Python(src []byte) []Token {
	lx := pyLexer{sink: newSink(src)}
	lx.run()
	return lx.finish()
}

func (lx *pyLexer) op(i, j int) {
	lx.pending = true
	lx.add(Op, i, j, i, j)
}

func (lx *pyLexer) run() {
	src := lx.src
	n := len(src)
	i := skipBOM(src)
	for i < n {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\f' || c == '\v':
			i++
		case pyIDStart[c]:
			i = lx.ident(i)
		case c == '\n' || c == '\r':
			j := i + 1
			if c == '\r' && j < n && src[j] == '\n' {
				j++
			}
			if lx.pending && lx.depth == 0 {
				lx.add(Newline, i, j, i, i)
				lx.pending = false
			}
			i = j
		case c == '#':
			j := i + 1
			for j < n && src[j] != '\n' && src[j] != '\r' {
				j++
			}
			lx.add(Comment, i, j, i+1, j)
			i = j
		case isDigit(c) || (c == '.' && i+1 < n && isDigit(src[i+1])):
			i = lx.number(i)
		case c == '"' || c == '\'':
			i = lx.str(i, i, 0)
		case c == '\\':
			j := i + 1
			if j < n && (src[j] == '\n' || src[j] == '\r') {
				j++
				if src[j-1] == '\r' && j < n && src[j] == '\n' {
					j++
				}
				i = j // explicit line joining
				continue
			}
			lx.op(i, j)
			i = j
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(src[i:])
			switch {
			case r == utf8.RuneError && size <= 1:
				lx.op(i, i+1)
				i++
			case isIDStartRune(r):
				i = lx.ident(i)
			case isUnicodeSpace(r):
				i += size
			default:
				lx.op(i, i+size)
				i += size
			}
		default:
			i = lx.operator(i)
		}
	}
	if lx.pending {
		lx.add(Newline, n, n, n, n)
	}
}

func (lx *pyLexer) ident(i int) int {
	src := lx.src
	n := len(src)
	j := i
	for j < n {
		c := src[j]
		if c < utf8.RuneSelf {
			if !pyIDCont[c] {
				break
			}
			j++
			continue
		}
		r, size := utf8.DecodeRune(src[j:])
		if (r == utf8.RuneError && size <= 1) || !isIDContRune(r) || r == 0x200C || r == 0x200D {
			break
		}
		j += size
	}
	if j == i { // defensive: caller guarantees a start character
		j = i + 1
	}
	if j-i <= 2 && j < n && (src[j] == '\'' || src[j] == '"') {
		if p, ok := pyPrefix(src[i:j]); ok {
			return lx.str(i, j, p)
		}
	}
	lx.pending = true
	lx.add(Name, i, j, i, j)
	return j
}

// pyPrefix returns the index in prefixNames of the string prefix b, if b is
// a valid one.
func pyPrefix(b []byte) (uint8, bool) {
	switch len(b) {
	case 1:
		switch b[0] | 0x20 {
		case 'r':
			return 1, true
		case 'u':
			return 2, true
		case 'b':
			return 3, true
		case 'f':
			return 4, true
		case 't':
			return 5, true
		}
	case 2:
		switch uint16(b[0]|0x20)<<8 | uint16(b[1]|0x20) {
		case 'b'<<8 | 'r':
			return 6, true
		case 'r'<<8 | 'b':
			return 7, true
		case 'f'<<8 | 'r':
			return 8, true
		case 'r'<<8 | 'f':
			return 9, true
		case 'u'<<8 | 'r':
			return 10, true
		case 't'<<8 | 'r':
			return 11, true
		case 'r'<<8 | 't':
			return 12, true
		}
	}
	return 0, false
}

// prefixFlags decodes a prefix index.
func prefixFlags(prefix uint8) (raw, isBytes, isFmt bool) {
	p := prefixNames[prefix]
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case 'r':
			raw = true
		case 'b':
			isBytes = true
		case 'f', 't':
			isFmt = true
		}
	}
	return
}

func (lx *pyLexer) number(i int) int {
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
	if j < n {
		switch src[j] {
		case 'j', 'J', 'l', 'L':
			j++
		}
	}
	lx.pending = true
	lx.add(Number, i, j, i, j)
	return j
}

func (lx *pyLexer) operator(i int) int {
	src := lx.src
	n := len(src)
	c := src[i]
	var c1, c2 byte
	if i+1 < n {
		c1 = src[i+1]
	}
	if i+2 < n {
		c2 = src[i+2]
	}
	l := 1
	switch c {
	case '(', '[', '{':
		lx.depth++
	case ')', ']', '}':
		if lx.depth > 0 {
			lx.depth--
		}
	case '*', '/', '<', '>':
		if c1 == c {
			l = 2
			if c2 == '=' {
				l = 3
			}
		} else if c1 == '=' || (c == '<' && c1 == '>') {
			l = 2
		}
	case '-':
		if c1 == '>' || c1 == '=' {
			l = 2
		}
	case '+', '%', '&', '|', '^', '@', '=', '!', ':':
		if c1 == '=' {
			l = 2
		}
	case '.':
		if c1 == '.' && c2 == '.' {
			l = 3
		}
	}
	lx.op(i, i+l)
	return i + l
}

// str lexes a string literal starting at start whose opening quote is at q.
func (lx *pyLexer) str(start, q int, prefix uint8) int {
	raw, isBytes, isFmt := prefixFlags(prefix)
	end, vs, ve, flags := lx.scanStr(q, raw, isBytes, isFmt, 0, true)
	if isBytes {
		flags |= fBytes
	}
	lx.pending = true
	lx.addFull(String, start, end, vs, ve, flags, prefix)
	return end
}

// escape kinds returned by pyEscape.
const (
	escKeep     = iota // not an escape: keep the backslash, go on after it
	escDrop            // line continuation: produces nothing
	escByte            // a single byte
	escRune            // a code point
	escVerbatim        // keep the whole k bytes as written (\N{...})
)

// pyEscape decodes the escape whose backslash is at src[j] (j+1 < len).
// It returns the kind, the number of bytes it spans and its value.
func pyEscape(src []byte, j int, isBytes bool) (kind, k int, v rune) {
	n := len(src)
	e := src[j+1]
	switch e {
	case '\n':
		return escDrop, 2, 0
	case '\r':
		if j+2 < n && src[j+2] == '\n' {
			return escDrop, 3, 0
		}
		return escDrop, 2, 0
	case '\\', '\'', '"':
		return escByte, 2, rune(e)
	case 'a':
		return escByte, 2, 7
	case 'b':
		return escByte, 2, 8
	case 'f':
		return escByte, 2, 12
	case 'n':
		return escByte, 2, 10
	case 'r':
		return escByte, 2, 13
	case 't':
		return escByte, 2, 9
	case 'v':
		return escByte, 2, 11
	case '0', '1', '2', '3', '4', '5', '6', '7':
		k = 1
		for k < 4 && j+k < n && src[j+k] >= '0' && src[j+k] <= '7' {
			v = v<<3 | rune(src[j+k]-'0')
			k++
		}
		if isBytes {
			return escByte, k, v & 0xff
		}
		return escRune, k, v
	case 'x':
		if v, ok := hexN(src, j+2, 2); ok {
			if isBytes {
				return escByte, 4, v
			}
			return escRune, 4, v
		}
	case 'u', 'U':
		if isBytes {
			break
		}
		d := 4
		if e == 'U' {
			d = 8
		}
		if v, ok := hexN(src, j+2, d); ok && v <= utf8.MaxRune {
			return escRune, 2 + d, v
		}
	case 'N':
		if isBytes || j+2 >= n || src[j+2] != '{' {
			break
		}
		for k := j + 3; k < n && k < j+3+128; k++ {
			c := src[k]
			if c == '}' {
				return escVerbatim, k + 1 - j, 0
			}
			if !(pyIDCont[c] || c == ' ' || c == '-') {
				break
			}
		}
	}
	return escKeep, 1, 0
}

// scanStr scans the string literal whose opening quote is at q. It returns
// the end offset, the location of the decoded value (only if want; in the
// arena if flags has fArena) and fUnterminated if it is unterminated. depth
// counts f-string nesting.
func (lx *pyLexer) scanStr(q int, raw, isBytes, isFmt bool, depth int, want bool) (end, vs, ve int, flags uint8) {
	src := lx.src
	n := len(src)
	qc := src[q]
	triple := q+2 < n && src[q+1] == qc && src[q+2] == qc
	j := q + 1
	if triple {
		j = q + 3
	}
	ls := j  // start of the literal run not yet copied to the arena
	as := -1 // arena offset of the value once anything was decoded
	finish := func(contentEnd, end int, unterm bool) (int, int, int, uint8) {
		var f uint8
		if unterm {
			f = fUnterminated
		}
		if !want {
			return end, 0, 0, f
		}
		if as < 0 {
			return end, ls, contentEnd, f
		}
		lx.arena = append(lx.arena, src[ls:contentEnd]...)
		return end, as, len(lx.arena), f | fArena
	}
	for j < n {
		for j < n && !pyStrSpecial[src[j]] {
			j++
		}
		if j >= n {
			break
		}
		c := src[j]
		switch c {
		case qc:
			if !triple {
				return finish(j, j+1, false)
			}
			if j+2 < n && src[j+1] == qc && src[j+2] == qc {
				return finish(j, j+3, false)
			}
			j++
		case '\n':
			if !triple {
				return finish(j, j, true)
			}
			j++
		case '\r':
			if !triple {
				return finish(j, j, true)
			}
			if want {
				if as < 0 {
					as = len(lx.arena)
				}
				lx.arena = append(lx.arena, src[ls:j]...)
				lx.arena = append(lx.arena, '\n')
			}
			j++
			if j < n && src[j] == '\n' {
				j++
			}
			ls = j
		case '\\':
			if j+1 >= n {
				j++
				continue
			}
			e := src[j+1]
			if raw {
				switch {
				case e == '\r':
					if want {
						if as < 0 {
							as = len(lx.arena)
						}
						lx.arena = append(lx.arena, src[ls:j+1]...)
						lx.arena = append(lx.arena, '\n')
					}
					j += 2
					if j < n && src[j] == '\n' {
						j++
					}
					ls = j
				case e == '{' && isFmt:
					j++
				default:
					j += 2
				}
				continue
			}
			kind, k, v := pyEscape(src, j, isBytes)
			switch kind {
			case escKeep:
				j += k
				continue
			case escVerbatim:
				j += k
				continue
			}
			if want {
				if as < 0 {
					as = len(lx.arena)
				}
				lx.arena = append(lx.arena, src[ls:j]...)
				switch kind {
				case escByte:
					lx.arena = append(lx.arena, byte(v))
				case escRune:
					lx.arena = utf8.AppendRune(lx.arena, v)
				}
			}
			j += k
			ls = j
		case '{':
			if !isFmt {
				j++
				continue
			}
			if j+1 < n && src[j+1] == '{' {
				j += 2
				continue
			}
			j = lx.fField(j, qc, triple, depth)
		default: // the other quote character
			j++
		}
	}
	return finish(n, n, true)
}

// fField skips the f-string replacement field whose "{" is at j and returns
// the offset after its "}", or the offset of a line break (single-quoted
// strings) or EOF where it gives up.
func (lx *pyLexer) fField(j int, qc byte, triple bool, depth int) int {
	src := lx.src
	n := len(src)
	fieldStart := j + 1
	j++
	nest := 0
	for j < n {
		c := src[j]
		switch c {
		case '\n', '\r':
			if !triple {
				return j
			}
			j++
		case '\'', '"':
			// A nested string, possibly with a prefix just before it.
			var raw, isBytes, isFmt bool
			k := j
			for k > fieldStart && j-k < 3 && pyIDCont[src[k-1]] {
				k--
			}
			if j-k <= 2 && (k == fieldStart || !pyIDCont[src[k-1]]) {
				if p, ok := pyPrefix(src[k:j]); ok {
					raw, isBytes, isFmt = prefixFlags(p)
				}
			}
			end, _, _, f := lx.scanStr(j, raw, isBytes, isFmt && depth+1 < maxFDepth, depth+1, false)
			if f&fUnterminated != 0 && !triple {
				return end
			}
			j = end
		case '(', '[', '{':
			nest++
			j++
		case ')', ']':
			if nest > 0 {
				nest--
			}
			j++
		case '}':
			if nest == 0 {
				return j + 1
			}
			nest--
			j++
		case ':':
			if nest == 0 {
				return lx.fSpec(j+1, qc, triple, depth)
			}
			j++
		default:
			j++
		}
	}
	return j
}

// fSpec skips a format spec starting at j up to and including the "}" that
// closes its field.
func (lx *pyLexer) fSpec(j int, qc byte, triple bool, depth int) int {
	src := lx.src
	n := len(src)
	for j < n {
		c := src[j]
		switch c {
		case '\n', '\r':
			if !triple {
				return j
			}
			j++
		case qc:
			if !triple || (j+2 < n && src[j+1] == qc && src[j+2] == qc) {
				return j // the string ends here; let the caller see it
			}
			j++
		case '\\':
			if j+1 < n && src[j+1] != '\n' && src[j+1] != '\r' {
				j += 2
			} else {
				j++
			}
		case '{':
			if depth+1 < maxFDepth {
				j = lx.fField(j, qc, triple, depth+1)
			} else {
				j++
			}
		case '}':
			return j + 1
		default:
			j++
		}
	}
	return j
}
