package analyze

import (
	"strconv"
	"strings"

	"github.com/airlock-sec/airlock/internal/analyze/decode"
	"github.com/airlock-sec/airlock/internal/analyze/lex"
)

// maxEvalOps bounds the work of one constant-folding evaluation.
const maxEvalOps = 20000

// pyEval folds a Python expression made of string literals, constants and
// well-known decoding calls into a value. It never runs analyzed code: it
// only understands a fixed list of pure string operations.
type pyEval struct {
	st  *state
	i   int
	end int
	ops int
}

func (st *state) eval(a, b int) (value, bool) {
	if b <= a {
		return value{}, false
	}
	e := &pyEval{st: st, i: a, end: b}
	v, ok := e.sum()
	if !ok || e.i != b {
		return value{}, false
	}
	return v, true
}

func (e *pyEval) tok() lex.Token {
	if e.i >= e.end {
		return lex.Token{Kind: lex.EOF}
	}
	return e.st.toks[e.i]
}

func (e *pyEval) op(s string) bool {
	t := e.tok()
	return t.Kind == lex.Op && t.Value == s
}

func (e *pyEval) sum() (value, bool) {
	v, ok := e.term()
	if !ok {
		return v, false
	}
	if e.op("%") && !e.st.js {
		// "template %s" % (args): keep the template, the operands are
		// unknown at analysis time
		e.i = e.end
		return v, true
	}
	for e.op("+") {
		e.i++
		w, ok := e.term()
		if !ok {
			return v, false
		}
		v = concat(v, w)
	}
	return v, true
}

func concat(a, b value) value {
	s := a.s + b.s
	if len(s) > maxFold {
		s = s[:maxFold]
	}
	return value{s: s, layers: mergeLayers(a.layers, b.layers)}
}

func mergeLayers(a, b []string) []string {
	if len(b) > len(a) {
		return b
	}
	return a
}

const maxFold = 8 << 20

func (e *pyEval) term() (value, bool) {
	e.ops++
	if e.ops > maxEvalOps {
		return value{}, false
	}
	v, ok := e.primary()
	if !ok {
		return v, false
	}
	return e.postfix(v)
}

func (e *pyEval) primary() (value, bool) {
	t := e.tok()
	switch t.Kind {
	case lex.String:
		var sb strings.Builder
		var layers []string
		for e.tok().Kind == lex.String {
			v := e.tok().Value
			if strings.Contains(e.tok().Prefix, "f") && !e.st.js {
				var l []string
				v, l = e.st.interpolate(v)
				layers = mergeLayers(layers, l)
			}
			sb.WriteString(v)
			e.i++
		}
		return value{s: sb.String(), layers: layers}, true
	case lex.Op:
		if t.Value == "(" {
			closeIdx := e.st.closeOf(e.i, e.end)
			if closeIdx >= e.end {
				return value{}, false
			}
			v, ok := e.st.eval(e.i+1, closeIdx)
			e.i = closeIdx + 1
			return v, ok
		}
	case lex.Name:
		name, j := e.st.dotted(e.i)
		if j > e.end {
			return value{}, false
		}
		if j < e.end && e.st.isOp(j, "(") {
			closeIdx := e.st.closeOf(j, e.end)
			if closeIdx >= e.end {
				return value{}, false
			}
			if v, ok := e.st.consts[name+"()"]; ok && closeIdx == j+1 {
				e.i = closeIdx + 1 // f() where f = lambda: <constant>
				return v, true
			}
			v, ok := e.call(e.st.resolve(name), j+1, closeIdx)
			e.i = closeIdx + 1
			return v, ok
		}
		if v, ok := e.st.consts[name]; ok {
			e.i = j
			return v, true
		}
	}
	return value{}, false
}

// args splits the tokens of a call's argument list at top-level commas.
func (st *state) args(a, b int) [][2]int {
	var out [][2]int
	depth, s := 0, a
	for j := a; j < b; j++ {
		t := st.toks[j]
		if t.Kind != lex.Op {
			continue
		}
		switch t.Value {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			depth--
		case ",":
			if depth == 0 {
				out = append(out, [2]int{s, j})
				s = j + 1
			}
		}
	}
	if s < b {
		out = append(out, [2]int{s, b})
	}
	return out
}

var pyDecoders = map[string]string{
	"base64.b64decode":          "base64",
	"base64.urlsafe_b64decode":  "base64",
	"base64.standard_b64decode": "base64",
	"base64.decodebytes":        "base64",
	"base64.decodestring":       "base64",
	"binascii.a2b_base64":       "base64",
	"base64.b32decode":          "base32",
	"base64.b85decode":          "base85",
	"base64.a85decode":          "ascii85",
	"base64.b16decode":          "hex",
	"binascii.unhexlify":        "hex",
	"binascii.a2b_hex":          "hex",
	"bytes.fromhex":             "hex",
	"bytearray.fromhex":         "hex",
	"zlib.decompress":           "zlib",
	"gzip.decompress":           "gzip",
	"bz2.decompress":            "bz2",
	"lzma.decompress":           "lzma",
}

// applyStep runs one named decoding step on s.
func applyStep(step, s string) (string, bool) {
	b := []byte(s)
	var out []byte
	ok := false
	switch step {
	case "base64":
		out, ok = decode.Base64(b)
	case "base32":
		out, ok = decode.Base32(b)
	case "base85":
		out, ok = decode.Base85(b)
	case "ascii85":
		out, ok = decode.ASCII85(b)
	case "hex":
		out, ok = decode.Hex(b)
	case "zlib", "gzip", "bz2", "lzma", "xz":
		var name string
		name, out, ok = decode.Decompress(b, maxFold)
		_ = name
	case "rot13":
		out, ok = decode.Rot13(b), true
	case "reverse":
		out, ok = decode.Reverse(b), true
	}
	if !ok {
		return "", false
	}
	return string(out), true
}

func (e *pyEval) call(callee string, a, b int) (value, bool) {
	st := e.st
	if _, ok := pyDecoders[callee]; !ok {
		switch callee {
		case "codecs.decode", "codecs.encode", "str", "bytes", "bytearray", "chr", "unichr", "reversed":
		default:
			return value{}, false // not a pure string function we understand
		}
	}
	args := st.args(a, b)
	argVal := func(k int) (value, bool) {
		if k >= len(args) {
			return value{}, false
		}
		return st.eval(args[k][0], args[k][1])
	}
	if step, ok := pyDecoders[callee]; ok {
		v, ok := argVal(0)
		if !ok {
			return v, false
		}
		out, ok := applyStep(step, v.s)
		if !ok {
			return value{}, false
		}
		return value{s: out, layers: append(append([]string(nil), v.layers...), step)}, true
	}
	switch callee {
	case "codecs.decode", "codecs.encode":
		v, ok := argVal(0)
		if !ok {
			return v, false
		}
		enc := "utf-8"
		if len(args) > 1 {
			if w, ok := argVal(1); ok {
				enc = strings.ToLower(w.s)
			}
		}
		return applyCodec(v, enc)
	case "str", "bytes", "bytearray":
		if len(args) == 0 {
			return value{s: ""}, true
		}
		if v, ok := argVal(0); ok {
			return v, true
		}
		if s, ok := st.intList(args[0][0], args[0][1]); ok {
			return value{s: s, layers: []string{"char-codes"}}, true
		}
	case "chr", "unichr":
		if len(args) == 1 {
			if n, ok := st.intLit(args[0][0], args[0][1]); ok && n >= 0 && n < 0x110000 {
				return value{s: string(rune(n))}, true
			}
		}
	case "reversed":
		if v, ok := argVal(0); ok {
			return value{s: string(decode.Reverse([]byte(v.s))), layers: append(append([]string(nil), v.layers...), "reverse")}, true
		}
	}
	return value{}, false
}

func applyCodec(v value, enc string) (value, bool) {
	enc = strings.ReplaceAll(enc, "-", "_")
	switch enc {
	case "utf_8", "utf8", "ascii", "latin_1", "latin1":
		return v, true
	case "rot13", "rot_13":
		return value{s: string(decode.Rot13([]byte(v.s))), layers: append(append([]string(nil), v.layers...), "rot13")}, true
	case "base64", "base_64":
		if out, ok := applyStep("base64", v.s); ok {
			return value{s: out, layers: append(append([]string(nil), v.layers...), "base64")}, true
		}
	case "hex", "hex_codec":
		if out, ok := applyStep("hex", v.s); ok {
			return value{s: out, layers: append(append([]string(nil), v.layers...), "hex")}, true
		}
	case "zlib", "zip", "zlib_codec":
		if out, ok := applyStep("zlib", v.s); ok {
			return value{s: out, layers: append(append([]string(nil), v.layers...), "zlib")}, true
		}
	}
	return value{}, false
}

func (e *pyEval) postfix(v value) (value, bool) {
	st := e.st
	for {
		switch {
		case e.op("[") && e.sliceReverse():
			v = value{s: string(decode.Reverse([]byte(v.s))), layers: append(append([]string(nil), v.layers...), "reverse")}
		case e.op(".") && e.i+1 < e.end && st.tok(e.i+1).Kind == lex.Name && st.isOp(e.i+2, "("):
			method := st.tok(e.i + 1).Value
			closeIdx := st.closeOf(e.i+2, e.end)
			if closeIdx >= e.end {
				return v, false
			}
			args := st.args(e.i+3, closeIdx)
			var ok bool
			v, ok = e.method(v, method, args)
			if !ok {
				return v, false
			}
			e.i = closeIdx + 1
		default:
			return v, true
		}
	}
}

// sliceReverse consumes "[::-1]" at the cursor.
func (e *pyEval) sliceReverse() bool {
	st, i := e.st, e.i
	if st.isOp(i+1, ":") && st.isOp(i+2, ":") && st.isOp(i+3, "-") && st.tok(i+4).Kind == lex.Number && st.tok(i+4).Value == "1" && st.isOp(i+5, "]") {
		e.i = i + 6
		return true
	}
	return false
}

func (e *pyEval) method(v value, m string, args [][2]int) (value, bool) {
	st := e.st
	switch m {
	case "decode", "encode":
		if len(args) == 0 {
			return v, true
		}
		w, ok := st.eval(args[0][0], args[0][1])
		if !ok {
			return v, false
		}
		return applyCodec(v, strings.ToLower(w.s))
	case "replace":
		if len(args) >= 2 {
			a, ok1 := st.eval(args[0][0], args[0][1])
			b, ok2 := st.eval(args[1][0], args[1][1])
			if ok1 && ok2 && a.s != "" {
				s := strings.ReplaceAll(v.s, a.s, b.s)
				if len(s) > maxFold {
					return v, false
				}
				return value{s: s, layers: mergeLayers(v.layers, b.layers)}, true
			}
		}
	case "strip", "lower", "upper", "lstrip", "rstrip":
		if len(args) == 0 {
			switch m {
			case "lower":
				return value{s: strings.ToLower(v.s), layers: v.layers}, true
			case "upper":
				return value{s: strings.ToUpper(v.s), layers: v.layers}, true
			}
			return value{s: strings.TrimSpace(v.s), layers: v.layers}, true
		}
	case "format", "format_map":
		return v, true // template kept, arguments unknown
	case "join":
		if len(args) != 1 {
			return v, false
		}
		parts, layers, ok := e.joinParts(args[0][0], args[0][1])
		if !ok {
			return v, false
		}
		s := strings.Join(parts, v.s)
		if len(s) > maxFold {
			return v, false
		}
		return value{s: s, layers: layers}, true
	}
	return v, false
}

// joinParts understands the iterables of ”.join(...): a list/tuple of
// strings, map(chr, [ints]), (chr(x) for x in [ints]), reversed(s).
func (e *pyEval) joinParts(a, b int) ([]string, []string, bool) {
	st := e.st
	t := st.tok(a)
	if t.Kind == lex.Op && (t.Value == "[" || t.Value == "(") {
		closeIdx := st.closeOf(a, len(st.toks))
		if closeIdx == b-1 {
			// generator: chr(x) for x in [..]
			for j := a + 1; j < closeIdx; j++ {
				if st.isName(j, "for") {
					if st.isName(a+1, "chr") || st.isName(a+1, "unichr") {
						if in := st.findName(j, closeIdx, "in"); in > 0 {
							if s, ok := st.intList(in+1, closeIdx); ok {
								return []string{s}, []string{"char-codes"}, true
							}
						}
					}
					return nil, nil, false
				}
			}
			var parts []string
			var layers []string
			for _, r := range st.args(a+1, closeIdx) {
				v, ok := st.eval(r[0], r[1])
				if !ok {
					return nil, nil, false
				}
				parts = append(parts, v.s)
				layers = mergeLayers(layers, v.layers)
			}
			return parts, layers, true
		}
	}
	if t.Kind == lex.Name {
		name, j := st.dotted(a)
		if st.isOp(j, "(") {
			closeIdx := st.closeOf(j, len(st.toks))
			if closeIdx == b-1 {
				inner := st.args(j+1, closeIdx)
				switch st.resolve(name) {
				case "map":
					if len(inner) == 2 && st.isName(inner[0][0], "chr") {
						if s, ok := st.intList(inner[1][0], inner[1][1]); ok {
							return []string{s}, []string{"char-codes"}, true
						}
					}
				case "reversed":
					if len(inner) == 1 {
						if v, ok := st.eval(inner[0][0], inner[0][1]); ok {
							return []string{string(decode.Reverse([]byte(v.s)))}, append(append([]string(nil), v.layers...), "reverse"), true
						}
					}
				}
			}
		}
	}
	if v, ok := st.eval(a, b); ok {
		// ''.join("abc") == "abc"
		return []string{v.s}, v.layers, true
	}
	return nil, nil, false
}

func (st *state) findName(a, b int, n string) int {
	for j := a; j < b; j++ {
		if st.isName(j, n) {
			return j
		}
	}
	return -1
}

func (st *state) intLit(a, b int) (int64, bool) {
	if b-a != 1 || st.tok(a).Kind != lex.Number {
		return 0, false
	}
	return parseInt(st.tok(a).Value)
}

func parseInt(s string) (int64, bool) {
	s = strings.ReplaceAll(strings.TrimRight(s, "lLnN"), "_", "")
	n, err := strconv.ParseInt(s, 0, 64)
	if err != nil {
		// Python 2 octal "0777" and plain decimals with leading zeros
		if n2, err2 := strconv.ParseInt(s, 10, 64); err2 == nil {
			return n2, true
		}
		return 0, false
	}
	return n, true
}

// intList reads a bracketed list of integer literals ([1,2,3] or (1,2,3))
// and returns them as characters.
func (st *state) intList(a, b int) (string, bool) {
	if b-a < 3 || !(st.isOp(a, "[") || st.isOp(a, "(")) {
		return "", false
	}
	if st.closeOf(a, len(st.toks)) != b-1 {
		return "", false
	}
	var sb strings.Builder
	n := 0
	for j := a + 1; j < b-1; j++ {
		t := st.tok(j)
		if t.Kind == lex.Op && t.Value == "," {
			continue
		}
		if t.Kind != lex.Number {
			return "", false
		}
		v, ok := parseInt(t.Value)
		if !ok || v < 0 || v >= 0x110000 {
			return "", false
		}
		if v < 256 {
			sb.WriteByte(byte(v))
		} else {
			sb.WriteRune(rune(v))
		}
		n++
		if sb.Len() > maxFold {
			return "", false
		}
	}
	return sb.String(), n > 0
}

// interpolate fills the {name} and {name()} fields of an f-string with
// known constants; other fields stay as written.
func (st *state) interpolate(v string) (string, []string) {
	if !strings.Contains(v, "{") || len(v) > maxFold {
		return v, nil
	}
	var b strings.Builder
	var layers []string
	for {
		i := strings.IndexByte(v, '{')
		if i < 0 {
			b.WriteString(v)
			break
		}
		j := strings.IndexByte(v[i:], '}')
		if j < 0 {
			b.WriteString(v)
			break
		}
		field := strings.TrimSpace(v[i+1 : i+j])
		b.WriteString(v[:i])
		if c, ok := st.consts[field]; ok {
			b.WriteString(c.s)
			layers = mergeLayers(layers, c.layers)
		} else {
			b.WriteString(v[i : i+j+1])
		}
		v = v[i+j+1:]
	}
	return b.String(), layers
}
