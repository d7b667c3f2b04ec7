package analyze

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/airlock-sec/airlock/internal/analyze/lex"
)

// obfuscationSignals records tricks that obfuscators use and ordinary
// code does not: names spelled with escapes, identifiers made of
// look-alike characters, lookups of builtins by computed name, XOR
// decoding loops, large encrypted literals and javascript-obfuscator's
// _0x names.
func (st *state) obfuscationSignals() {
	f := st.facts
	add := func(kind string, line int, text string) {
		f.Obfuscation = append(f.Obfuscation, Note{Kind: kind, Line: line, Text: clip(text, 200)})
	}
	confusable := map[string]bool{}
	firstConfusable := 0
	hexIdents := map[string]bool{}
	firstHex := 0
	escaped := 0
	for i, t := range st.toks {
		switch t.Kind {
		case lex.Name:
			if len(confusable) < 1000 && isConfusableIdent(t.Value) {
				if firstConfusable == 0 {
					firstConfusable = t.Line
				}
				confusable[t.Value] = true
			}
			if len(hexIdents) < 1000 && isHexIdent(t.Value) {
				if firstHex == 0 {
					firstHex = t.Line
				}
				hexIdents[t.Value] = true
			}
			if t.Value == "__builtins__" || t.Value == "builtins" {
				// getattr(__builtins__, <computed>) / __builtins__.__dict__[<computed>]
				if st.isOp(i+1, ".") && st.isName(i+2, "__dict__") && st.isOp(i+3, "[") && st.tok(i+4).Kind != lex.String ||
					st.isOp(i+1, "[") && st.tok(i+2).Kind != lex.String ||
					st.isOp(i-1, "(") && st.isName(i-2, "getattr") && st.isOp(i+1, ",") && !((st.tok(i+2).Kind == lex.String || st.tok(i+2).Kind == lex.Name) && st.isOp(i+3, ")")) {
					add("builtins-lookup", t.Line, snippet(st.src, st.tok(i-2).Start, t.End+40))
				}
			}
		case lex.String:
			if n := escapeCount(st.src[t.Start:t.End]); n >= 3 && len(t.Value) >= 3 && len(t.Value) <= 64 && isWordy(t.Value) && n*2 >= len(t.Value) {
				escaped++
				if escaped <= 3 {
					add("escaped-name", t.Line, "\""+t.Value+"\" written as "+string(snippetBytes(st.src, t.Start, t.End, 80)))
				}
			}
			if !t.Bytes && len(t.Value) >= 512 && controlRatio(t.Value) > 0.3 {
				add("encrypted-blob", t.Line, "string literal of "+strconv.Itoa(len(t.Value))+" bytes, mostly control characters")
			}
		case lex.Op:
			// chr(ord(c) ^ k): XOR decoding
			if t.Value == "^" && i >= 3 {
				lo := i - 12
				if lo < 0 {
					lo = 0
				}
				for k := lo; k < i; k++ {
					if st.isName(k, "ord") || st.isName(k, "charCodeAt") {
						add("xor-decode", t.Line, snippet(st.src, st.toks[lo].Start, t.End+30))
						break
					}
				}
			}
		}
	}
	if len(confusable) >= 5 {
		add("confusable-names", firstConfusable, strconv.Itoa(len(confusable))+" identifiers made of look-alike characters (e.g. O0o, Il1)")
	}
	if len(hexIdents) >= 20 {
		add("hex-identifiers", firstHex, strconv.Itoa(len(hexIdents))+" \"_0x…\" identifiers (javascript-obfuscator)")
	}
	// keep one note per kind per line
	seen := map[string]bool{}
	out := f.Obfuscation[:0]
	for _, n := range f.Obfuscation {
		k := n.Kind + "\x00" + strconv.Itoa(n.Line)
		if !seen[k] {
			seen[k] = true
			out = append(out, n)
		}
	}
	f.Obfuscation = out
}

// isConfusableIdent: long identifiers spelled with ≤3 distinct
// characters from look-alike groups (OOO0Oo0, IlIlI1, wxwwx, MNMMN).
func isConfusableIdent(s string) bool {
	if len(s) < 8 {
		return false
	}
	var set [256]bool
	distinct := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' {
			continue
		}
		if c >= 0x80 {
			return false
		}
		if !set[c] {
			set[c] = true
			distinct++
			if distinct > 3 {
				return false
			}
		}
	}
	if distinct < 2 {
		return false
	}
	groups := []string{"O0o", "Il1IJL", "wxWX", "MNmn", "uvUV", "lI1|"}
	for _, g := range groups {
		ok := true
		for c := 0; c < 256; c++ {
			if set[c] && !strings.ContainsRune(g, rune(c)) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func isHexIdent(s string) bool {
	if len(s) < 6 || !strings.HasPrefix(s, "_0x") {
		return false
	}
	for i := 3; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// escapeCount counts \x, \u and octal escapes in a raw literal.
func escapeCount(raw []byte) int {
	n := 0
	for i := 0; i+1 < len(raw); i++ {
		if raw[i] == '\\' {
			c := raw[i+1]
			if c == 'x' || c == 'u' || c == 'U' || c >= '0' && c <= '7' {
				n++
			}
			i++
		}
	}
	return n
}

// isWordy: printable ASCII text made of identifier-ish characters.
func isWordy(s string) bool {
	letters := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e {
			return false
		}
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			letters++
		}
	}
	return letters*2 >= len(s)
}

func controlRatio(s string) float64 {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' {
			n++
		}
	}
	return float64(n) / float64(len(s))
}

var _ = bytes.Contains
