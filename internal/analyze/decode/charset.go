package decode

import "bytes"

// Character classes, one bit per encoding whose alphabet (plus tolerated
// separators) contains the byte.
const (
	cB64  uint8 = 1 << iota // A-Z a-z 0-9 + / =
	cB64U                   // A-Z a-z 0-9 - _ =
	cB32                    // A-Z 2-7 =
	cHex                    // 0-9 a-f A-F, and x X \ , for the escaped/listed forms
	cB85                    // Python b85 alphabet
	cA85                    // '!'..'u', 'z', '~' (for <~ ~>)
)

// b85Alphabet is Python's base64.b85encode alphabet (RFC 1924 order).
const b85Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~"

var (
	charTab  [256]uint8
	b85Value [256]int8 // -1 when not in the alphabet
	hexValue [256]int8 // -1 when not a hex digit
)

func init() {
	for i := range b85Value {
		b85Value[i] = -1
		hexValue[i] = -1
	}
	for i := 0; i < len(b85Alphabet); i++ {
		b85Value[b85Alphabet[i]] = int8(i)
		charTab[b85Alphabet[i]] |= cB85
	}
	for c := 0; c < 256; c++ {
		var f uint8
		switch {
		case c >= 'A' && c <= 'Z':
			f |= cB64 | cB64U | cB32
		case c >= 'a' && c <= 'z':
			f |= cB64 | cB64U
		case c >= '0' && c <= '9':
			f |= cB64 | cB64U | cHex
			if c >= '2' && c <= '7' {
				f |= cB32
			}
		}
		switch {
		case c >= '0' && c <= '9':
			hexValue[c] = int8(c - '0')
		case c >= 'a' && c <= 'f':
			hexValue[c] = int8(c - 'a' + 10)
			f |= cHex
		case c >= 'A' && c <= 'F':
			hexValue[c] = int8(c - 'A' + 10)
			f |= cHex
		}
		switch c {
		case '+', '/':
			f |= cB64
		case '-', '_':
			f |= cB64U
		case '=':
			f |= cB64 | cB64U | cB32
		case 'x', 'X', '\\', ',':
			f |= cHex
		case ' ', '\t', '\n', '\r', '\v', '\f':
			f |= cB64 | cB64U | cB32 | cHex | cA85
		case 'z', '~':
			f |= cA85
		}
		if c >= '!' && c <= 'u' {
			f |= cA85
		}
		charTab[c] |= f
	}
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// minEncodedLen is the minimum number of significant characters for the
// text encodings (base64/32/85, ascii85, hex) in strict mode.
const minEncodedLen = 16

// candidates returns the set (bit d for decoder d) of decoders worth trying
// on data. It allocates nothing and is a single table-driven pass.
func candidates(data []byte) uint32 {
	var cand uint32
	if hasCompressionMagic(data) {
		cand |= 1 << dDecompress
	}
	if len(data) >= minEncodedLen {
		and := uint8(0xff)
		for _, c := range data {
			and &= charTab[c]
			if and == 0 {
				break
			}
		}
		if and&(cB64|cB64U) != 0 {
			cand |= 1 << dBase64
		}
		if and&cB32 != 0 {
			cand |= 1 << dBase32
		}
		if and&cHex != 0 {
			cand |= 1 << dHex
		}
		if and&cB85 != 0 {
			cand |= 1 << dBase85
		}
		if and&cA85 != 0 {
			cand |= 1 << dASCII85
		}
	}
	if len(data) >= 8 && bytes.IndexByte(data, '\\') >= 0 {
		cand |= 1 << dUnicodeEscape
	}
	if len(data) >= 8 && maybeUTF16LE(data) {
		cand |= 1 << dUTF16
	}
	return cand
}
