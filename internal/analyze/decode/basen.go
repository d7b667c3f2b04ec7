package decode

import (
	"bytes"
	"encoding/base32"
	"encoding/base64"
	"unicode/utf8"
)

// Base64 decodes s as base64 in the standard or URL-safe alphabet. Padding
// is optional and embedded whitespace/newlines are tolerated (every
// whitespace-separated chunk but the last must then be at least 16
// characters, as in wrapped output, so that sentences are not taken for
// base64). To keep ordinary words and identifiers out it requires at least
// 16 significant characters, both letter cases, at least one digit or
// symbol, not only hex characters, and no mix of the two alphabets.
func Base64(s []byte) ([]byte, bool) {
	out, _, ok := base64Decode(s, true, defaultMaxOutput)
	return out, ok
}

// base64Decode decodes s. url reports whether the URL-safe alphabet was
// used. In lenient mode (strict=false) characters outside the alphabet are
// discarded, as Python's b64decode does by default, decoding stops at the
// first '=', and none of the heuristics apply.
func base64Decode(s []byte, strict bool, max int) (out []byte, url bool, ok bool) {
	var (
		cnt                    [b64NumCounted]int
		pad, chunk             int
		needCopy, pendingShort bool
	)
scan:
	for _, c := range s {
		k := b64Class[c]
		if k < b64NumCounted {
			// An alphabet character.
			if strict && (pad > 0 || (chunk == 0 && pendingShort)) {
				return nil, false, false
			}
			cnt[k]++
			chunk++
			continue
		}
		switch k {
		case b64Pad:
			if !strict {
				break scan
			}
			pad++
			chunk++
		case b64Space:
			needCopy = true
			if chunk > 0 {
				pendingShort = chunk < minEncodedLen
				chunk = 0
			}
		default:
			if strict {
				return nil, false, false
			}
			needCopy = true
		}
	}
	var eff int
	for _, n := range cnt {
		eff += n
	}
	upper := cnt[b64UpperHex] + cnt[b64Upper]
	lower := cnt[b64LowerHex] + cnt[b64Lower]
	nonHexLetter := cnt[b64Upper]+cnt[b64Lower] > 0
	digit, nstd, nurl := cnt[b64Digit], cnt[b64Std], cnt[b64URL]
	needCopy = needCopy || nurl > 0
	if strict {
		if eff < minEncodedLen || pad > 2 || (pad > 0 && (eff+pad)%4 != 0) {
			return nil, false, false
		}
		if nstd > 0 && nurl > 0 {
			return nil, false, false
		}
		if upper == 0 || lower == 0 || !nonHexLetter || digit+nstd+nurl == 0 {
			return nil, false, false
		}
	} else if eff < 2 {
		return nil, false, false
	}
	if eff%4 == 1 {
		return nil, false, false
	}
	n := eff / 4 * 3
	switch eff % 4 {
	case 2:
		n++
	case 3:
		n += 2
	}
	if n > max {
		return nil, false, false
	}
	src := s[:eff]
	if needCopy {
		src = make([]byte, 0, eff)
		for _, c := range s {
			if len(src) == eff {
				break
			}
			switch {
			case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '+', c == '/':
				src = append(src, c)
			case c == '-':
				src = append(src, '+')
			case c == '_':
				src = append(src, '/')
			}
		}
	}
	out = make([]byte, n)
	m, err := base64.RawStdEncoding.Decode(out, src)
	if err != nil || m == 0 {
		return nil, false, false
	}
	return out[:m], nurl > 0, true
}

// Base64 character classes; the first b64NumCounted are alphabet
// characters.
const (
	b64UpperHex = iota // A-F
	b64Upper           // G-Z
	b64LowerHex        // a-f
	b64Lower           // g-z
	b64Digit
	b64Std // + /
	b64URL // - _
	b64NumCounted
	b64Pad   = b64NumCounted     // =
	b64Space = b64NumCounted + 1 // whitespace
	b64Other = b64NumCounted + 2
)

var b64Class = func() (t [256]uint8) {
	for c := range t {
		switch {
		case c >= 'A' && c <= 'F':
			t[c] = b64UpperHex
		case c >= 'G' && c <= 'Z':
			t[c] = b64Upper
		case c >= 'a' && c <= 'f':
			t[c] = b64LowerHex
		case c >= 'g' && c <= 'z':
			t[c] = b64Lower
		case c >= '0' && c <= '9':
			t[c] = b64Digit
		case c == '+' || c == '/':
			t[c] = b64Std
		case c == '-' || c == '_':
			t[c] = b64URL
		case c == '=':
			t[c] = b64Pad
		case isSpace(byte(c)):
			t[c] = b64Space
		default:
			t[c] = b64Other
		}
	}
	return t
}()

var b32NoPad = base32.StdEncoding.WithPadding(base32.NoPadding)

// Base32 decodes s as RFC 4648 base32 (Python's b32encode: upper case,
// optional '=' padding, whitespace tolerated as for Base64). It requires at
// least 16 significant characters including a digit.
func Base32(s []byte) ([]byte, bool) {
	return base32Decode(s, true, defaultMaxOutput)
}

func base32Decode(s []byte, strict bool, max int) ([]byte, bool) {
	var (
		eff, pad, digit, chunk int
		needCopy, pendingShort bool
	)
	for _, c := range s {
		switch {
		case c >= 'A' && c <= 'Z', c >= '2' && c <= '7':
			if c <= '7' {
				digit++
			}
		case c >= 'a' && c <= 'z' && !strict:
			needCopy = true
		case c == '=':
			pad++
			chunk++
			continue
		case isSpace(c):
			needCopy = true
			if chunk > 0 {
				pendingShort = chunk < minEncodedLen
				chunk = 0
			}
			continue
		default:
			return nil, false
		}
		if pad > 0 || (strict && chunk == 0 && pendingShort) {
			return nil, false
		}
		chunk++
		eff++
	}
	if strict && (eff < minEncodedLen || digit == 0) {
		return nil, false
	}
	if eff < 2 {
		return nil, false
	}
	switch eff % 8 {
	case 1, 3, 6:
		return nil, false
	}
	if pad > 0 && (eff+pad)%8 != 0 {
		return nil, false
	}
	n := b32NoPad.DecodedLen(eff)
	if n > max {
		return nil, false
	}
	src := s[:eff]
	if needCopy {
		src = make([]byte, 0, eff)
		for _, c := range s {
			switch {
			case c >= 'A' && c <= 'Z', c >= '2' && c <= '7':
				src = append(src, c)
			case c >= 'a' && c <= 'z':
				src = append(src, c-'a'+'A')
			}
		}
	}
	out := make([]byte, n)
	m, err := b32NoPad.Decode(out, src)
	if err != nil || m == 0 {
		return nil, false
	}
	return out[:m], true
}

// Hex decodes hexadecimal: a plain even-length run ("414243"), escaped
// bytes ("\x41\x42", with a literal backslash), whitespace- or
// comma-separated bytes ("41 42 43", "0x41, 0x42"), or a mix. It requires
// at least 16 hex digits including at least one decimal digit.
func Hex(s []byte) ([]byte, bool) {
	return hexDecode(s, true, defaultMaxOutput)
}

func hexDecode(s []byte, strict bool, max int) ([]byte, bool) {
	// Validation pass, counting digits, so that nothing is allocated for
	// non-hex input.
	digits, decimal, n, err := hexScan(s, nil)
	if err {
		return nil, false
	}
	if strict && (digits < minEncodedLen || decimal == 0) {
		return nil, false
	}
	if n == 0 || n > max {
		return nil, false
	}
	out := make([]byte, 0, n)
	_, _, _, err = hexScan(s, &out)
	if err {
		return nil, false
	}
	return out, true
}

// hexScan parses s; when out is non-nil the bytes are appended to it.
func hexScan(s []byte, out *[]byte) (digits, decimal, n int, bad bool) {
	i := 0
	prefixed := false
	for i < len(s) {
		c := s[i]
		switch {
		case isSpace(c):
			i++
			continue
		case c == ',':
			// Commas separate 0x-prefixed bytes only: "0x41, 0x42", not
			// "41, 42" (decimal numbers are far more common).
			if !prefixed {
				return 0, 0, 0, true
			}
			i++
			continue
		case c == '\\' && i+3 < len(s) && (s[i+1] == 'x' || s[i+1] == 'X'):
			hi, lo := hexValue[s[i+2]], hexValue[s[i+3]]
			if hi < 0 || lo < 0 {
				return 0, 0, 0, true
			}
			if s[i+2] <= '9' || s[i+3] <= '9' {
				decimal++
			}
			digits += 2
			n++
			if out != nil {
				*out = append(*out, byte(hi<<4|lo))
			}
			i += 4
			continue
		case c == '0' && i+2 < len(s) && (s[i+1] == 'x' || s[i+1] == 'X') && hexValue[s[i+2]] >= 0:
			j := i + 2
			for j < len(s) && hexValue[s[j]] >= 0 {
				j++
			}
			run := s[i+2 : j]
			prefixed = true
			if len(run) <= 2 {
				var v byte
				for _, d := range run {
					v = v<<4 | byte(hexValue[d])
					if d <= '9' {
						decimal++
					}
				}
				digits += len(run)
				n++
				if out != nil {
					*out = append(*out, v)
				}
				i = j
				continue
			}
			if len(run)%2 != 0 {
				return 0, 0, 0, true
			}
			i += 2 // decode the long run below
			c = s[i]
		}
		if hexValue[c] < 0 {
			return 0, 0, 0, true
		}
		j := i
		for j < len(s) && hexValue[s[j]] >= 0 {
			if s[j] <= '9' {
				decimal++
			}
			j++
		}
		if (j-i)%2 != 0 {
			return 0, 0, 0, true
		}
		digits += j - i
		n += (j - i) / 2
		if out != nil {
			for k := i; k < j; k += 2 {
				*out = append(*out, byte(hexValue[s[k]]<<4|hexValue[s[k+1]]))
			}
		}
		i = j
	}
	return digits, decimal, n, false
}

// Base85 decodes s in Python's base64.b85encode alphabet (no whitespace,
// like b85decode). It requires at least 16 characters including at least
// one symbol that base64 does not use.
func Base85(s []byte) ([]byte, bool) {
	return base85Decode(s, true, defaultMaxOutput)
}

// isB85Only reports symbols of the b85 alphabet that are not in base64's.
func isB85Only(c byte) bool {
	return b85Value[c] >= 62 && c != '+' && c != '-' && c != '=' && c != '_'
}

func base85Decode(s []byte, strict bool, max int) ([]byte, bool) {
	if !strict {
		s = trimSpace(s)
	}
	if len(s)%5 == 1 || len(s) < 2 {
		return nil, false
	}
	if strict && len(s) < minEncodedLen {
		return nil, false
	}
	special := 0
	for _, c := range s {
		if b85Value[c] < 0 {
			return nil, false
		}
		if isB85Only(c) {
			special++
		}
	}
	if strict && special == 0 {
		return nil, false
	}
	n := len(s) / 5 * 4
	if r := len(s) % 5; r > 0 {
		n += r - 1
	}
	if n > max {
		return nil, false
	}
	out := make([]byte, 0, n+4)
	for i := 0; i < len(s); i += 5 {
		var acc uint64
		k := 0
		for ; k < 5; k++ {
			v := uint64(84) // pad with '~'
			if i+k < len(s) {
				v = uint64(b85Value[s[i+k]])
			}
			acc = acc*85 + v
		}
		if acc > 0xFFFFFFFF {
			return nil, false
		}
		out = append(out, byte(acc>>24), byte(acc>>16), byte(acc>>8), byte(acc))
	}
	return out[:n], true
}

// ASCII85 decodes s as Python's a85encode output: characters '!'..'u',
// 'z' for four zero bytes, optional Adobe framing <~ ~>. Unframed input may
// contain newlines but no spaces, needs at least 16 characters and at least
// one symbol base64 does not use; framed input is accepted on its framing.
func ASCII85(s []byte) ([]byte, bool) {
	return ascii85Decode(s, true, defaultMaxOutput)
}

func isA85Sym(c byte) bool {
	return c >= '!' && c <= 'u' && !(c >= '0' && c <= '9') && !(c >= 'A' && c <= 'Z') &&
		!(c >= 'a' && c <= 'z') && c != '+' && c != '/' && c != '=' && c != '-' && c != '_'
}

func ascii85Decode(s []byte, strict bool, max int) ([]byte, bool) {
	s = trimSpace(s)
	framed := false
	if len(s) >= 2 && s[0] == '<' && s[1] == '~' {
		s = s[2:]
		framed = true
	}
	if len(s) >= 2 && s[len(s)-2] == '~' && s[len(s)-1] == '>' {
		s = s[:len(s)-2]
		framed = true
	}
	eff, sym, bound, k := 0, 0, 0, 0
	for _, c := range s {
		switch {
		case c == 'z':
			if k != 0 {
				return nil, false
			}
			bound += 4
		case c >= '!' && c <= 'u':
			if isA85Sym(c) {
				sym++
			}
			k = (k + 1) % 5
			if k == 0 {
				bound += 4
			}
		case c == '\n' || c == '\r':
			continue
		case isSpace(c) && (framed || !strict):
			continue
		default:
			return nil, false
		}
		eff++
	}
	if k == 1 {
		return nil, false
	}
	if k > 0 {
		bound += k - 1
	}
	if strict && !framed && (eff < minEncodedLen || sym == 0) {
		return nil, false
	}
	if bound == 0 || bound > max {
		return nil, false
	}
	out := make([]byte, 0, bound+4)
	var acc uint64
	k = 0
	for _, c := range s {
		switch {
		case c == 'z':
			out = append(out, 0, 0, 0, 0)
			continue
		case c >= '!' && c <= 'u':
			acc = acc*85 + uint64(c-'!')
			k++
		default:
			continue
		}
		if k == 5 {
			if acc > 0xFFFFFFFF {
				return nil, false
			}
			out = append(out, byte(acc>>24), byte(acc>>16), byte(acc>>8), byte(acc))
			acc, k = 0, 0
		}
	}
	if k > 0 {
		r := k
		for ; k < 5; k++ {
			acc = acc*85 + 84 // pad with 'u'
		}
		if acc > 0xFFFFFFFF {
			return nil, false
		}
		b := []byte{byte(acc >> 24), byte(acc >> 16), byte(acc >> 8), byte(acc)}
		out = append(out, b[:r-1]...)
	}
	return out, len(out) > 0
}

func trimSpace(s []byte) []byte {
	for len(s) > 0 && isSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// UnicodeEscape decodes Python/JavaScript backslash escapes (\xHH, \uHHHH,
// \UHHHHHHHH, \u{H...}, octal \ooo, and \n, \t, ...) as Python's
// codecs.decode(s, 'unicode_escape') does, returning UTF-8. Other bytes are
// copied. It requires at least three numeric escapes, escapes covering at
// least half of the input and (almost) all numeric escapes in the ASCII
// range, as when code is hidden, so that Windows paths, text with the odd
// \n and regular expressions over Unicode ranges are left alone.
func UnicodeEscape(s []byte) ([]byte, bool) {
	return unicodeEscape(s, true, defaultMaxOutput)
}

func unicodeEscape(s []byte, strict bool, max int) ([]byte, bool) {
	if len(s) > max || (strict && !enoughEscapes(s)) {
		return nil, false
	}
	numeric, covered, nonASCII := 0, 0, 0
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			out = append(out, c)
			i++
			continue
		}
		e := s[i+1]
		var width int
		switch e {
		case 'x':
			width = 2
		case 'u':
			width = 4
			if i+2 < len(s) && s[i+2] == '{' { // JavaScript \u{...}
				j := i + 3
				var v rune
				for j < len(s) && j < i+10 && hexValue[s[j]] >= 0 {
					v = v<<4 | rune(hexValue[s[j]])
					j++
				}
				if j < len(s) && s[j] == '}' && j > i+3 {
					if v >= utf8.RuneSelf {
						nonASCII++
					}
					out = utf8.AppendRune(out, v)
					numeric++
					covered += j + 1 - i
					i = j + 1
					continue
				}
				if strict {
					return nil, false
				}
				out = append(out, c)
				i++
				continue
			}
		case 'U':
			width = 8
		case '0', '1', '2', '3', '4', '5', '6', '7':
			j, v := i+1, 0
			for j < len(s) && j < i+4 && s[j] >= '0' && s[j] <= '7' {
				v = v*8 + int(s[j]-'0')
				j++
			}
			if v >= utf8.RuneSelf {
				nonASCII++
			}
			out = utf8.AppendRune(out, rune(v))
			numeric++
			covered += j - i
			i = j
			continue
		default:
			if r, ok := simpleEscape(e); ok {
				out = append(out, r)
			} else {
				out = append(out, '\\', e)
			}
			covered += 2
			i += 2
			continue
		}
		if i+2+width > len(s) {
			if strict {
				return nil, false
			}
			out = append(out, c)
			i++
			continue
		}
		var v rune
		valid := true
		for _, d := range s[i+2 : i+2+width] {
			if hexValue[d] < 0 {
				valid = false
				break
			}
			v = v<<4 | rune(hexValue[d])
		}
		if !valid {
			if strict {
				return nil, false
			}
			out = append(out, c)
			i++
			continue
		}
		if v >= utf8.RuneSelf {
			nonASCII++
		}
		out = utf8.AppendRune(out, v)
		numeric++
		covered += 2 + width
		i += 2 + width
	}
	if strict && (numeric < 3 || covered*2 < len(s) || nonASCII*10 > numeric) {
		return nil, false
	}
	if numeric == 0 && !strict && covered == 0 {
		return nil, false
	}
	if len(out) > max {
		return nil, false
	}
	return out, len(out) > 0
}

// enoughEscapes is unicodeEscape's allocation-free pre-check: at least three
// numeric escapes, whose nominal lengths could cover half of s.
func enoughEscapes(s []byte) bool {
	numeric, covered := 0, 0
	for i := 0; ; {
		j := bytes.IndexByte(s[i:], '\\')
		if j < 0 || i+j+1 >= len(s) {
			break
		}
		i += j + 1
		switch s[i] {
		case 'x':
			numeric, covered = numeric+1, covered+4
		case 'u':
			numeric, covered = numeric+1, covered+6
		case 'U':
			numeric, covered = numeric+1, covered+10
		case '0', '1', '2', '3', '4', '5', '6', '7':
			numeric, covered = numeric+1, covered+4
		default:
			covered += 2
		}
		i++
	}
	return numeric >= 3 && covered*2 >= len(s)
}

func simpleEscape(e byte) (byte, bool) {
	switch e {
	case 'n':
		return '\n', true
	case 't':
		return '\t', true
	case 'r':
		return '\r', true
	case '\\', '\'', '"', '/':
		return e, true
	case 'a':
		return 7, true
	case 'b':
		return 8, true
	case 'f':
		return 12, true
	case 'v':
		return 11, true
	}
	return 0, false
}
