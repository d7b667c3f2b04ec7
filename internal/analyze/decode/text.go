package decode

import (
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// IsText reports whether b is non-empty, valid-ish UTF-8 and at least 90%
// printable characters or whitespace (counted in runes; each invalid byte
// counts as one non-printable rune).
func IsText(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	good, total := 0, 0
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			total++
			if (c >= 0x20 && c < 0x7f) || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v' {
				good++
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		total++
		if r != utf8.RuneError && (unicode.IsPrint(r) || unicode.IsSpace(r)) {
			good++
		}
		i += n
	}
	return good*10 >= total*9
}

// plausibleText is Peel's test for a meaningful text result: IsText, and
// enough letters and variety that it is not a run of punctuation, spaces
// or one repeated character (as hex-decoded digit strings can be).
func plausibleText(b []byte) bool {
	if len(b) < 4 || !IsText(b) {
		return false
	}
	var seen [256]bool
	distinct, alnum, letters := 0, 0, 0
	n := len(b)
	if n > 4096 {
		n = 4096 // a prefix is representative enough
	}
	for _, c := range b[:n] {
		if !seen[c] {
			seen[c] = true
			distinct++
		}
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= 0x80:
			letters++
			alnum++
		case c >= '0' && c <= '9', c == ' ':
			alnum++
		}
	}
	return distinct >= 4 && letters*5 >= n && alnum*5 >= n*2
}

// maybeUTF16LE is the allocation-free pre-check for UTF-16LE text: even
// length and a zero high byte in one of the first two code units (or a
// byte-order mark).
func maybeUTF16LE(b []byte) bool {
	if len(b) < 4 || len(b)%2 != 0 {
		return false
	}
	return (b[0] == 0xff && b[1] == 0xfe) || b[1] == 0 || b[3] == 0
}

// UTF16LE converts mostly-ASCII UTF-16LE text (as in powershell
// -EncodedCommand) to UTF-8. It requires even length, at least two code
// units, at least 70% of them ASCII, and a result that IsText.
func UTF16LE(b []byte) ([]byte, bool) {
	return utf16le(b, defaultMaxOutput)
}

func utf16le(b []byte, max int) ([]byte, bool) {
	if len(b) >= 2 && b[0] == 0xff && b[1] == 0xfe {
		b = b[2:]
	}
	if len(b) < 4 || len(b)%2 != 0 {
		return nil, false
	}
	units := len(b) / 2
	ascii := 0
	for i := 1; i < len(b); i += 2 {
		if b[i] == 0 && b[i-1] != 0 && b[i-1] < 0x80 {
			ascii++
		}
	}
	if ascii*10 < units*7 {
		return nil, false
	}
	u := make([]uint16, units)
	for i := range u {
		u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
	}
	out := make([]byte, 0, units+units/8)
	for _, r := range utf16.Decode(u) {
		out = utf8.AppendRune(out, r)
		if len(out) > max {
			return nil, false
		}
	}
	if !IsText(out) {
		return nil, false
	}
	return out, true
}

// Rot13 applies ROT13 to ASCII letters.
func Rot13(s []byte) []byte {
	out := make([]byte, len(s))
	for i, c := range s {
		switch {
		case c >= 'a' && c <= 'z':
			c = 'a' + (c-'a'+13)%26
		case c >= 'A' && c <= 'Z':
			c = 'A' + (c-'A'+13)%26
		}
		out[i] = c
	}
	return out
}

// Reverse reverses s like Python's s[::-1]: by code point when s is valid
// UTF-8 with non-ASCII characters, by byte otherwise.
func Reverse(s []byte) []byte {
	out := make([]byte, len(s))
	ascii := true
	for _, c := range s {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii || !utf8.Valid(s) {
		for i, c := range s {
			out[len(s)-1-i] = c
		}
		return out
	}
	j := len(out)
	for i := 0; i < len(s); {
		_, n := utf8.DecodeRune(s[i:])
		copy(out[j-n:j], s[i:i+n])
		j -= n
		i += n
	}
	return out
}

// Keywords for LooksLikeCode: strong ones rarely occur in prose, weak ones
// do.
var (
	strongKeywords = map[string]bool{
		"import": true, "def": true, "exec": true, "eval": true, "function": true,
		"require": true, "var": true, "const": true, "return": true, "powershell": true,
		"curl": true, "wget": true, "http": true, "https": true, "lambda": true,
		"subprocess": true, "socket": true, "urllib": true, "__import__": true,
		"child_process": true, "iex": true, "popen": true, "chmod": true,
		"base64": true, "b64decode": true, "atob": true, "fromcharcode": true,
		"xmlhttprequest": true, "elif": true, "async": true, "await": true,
		"invoke": true, "downloadstring": true, "webclient": true, "bin": true,
		"getattr": true, "setattr": true, "globals": true, "compile": true,
		"marshal": true, "zlib": true, "decode": true, "exports": true,
		"module": true, "bash": true,
	}
	weakKeywords = map[string]bool{
		"if": true, "else": true, "for": true, "while": true, "print": true,
		"open": true, "new": true, "class": true, "let": true, "from": true,
		"system": true, "echo": true, "sh": true, "true": true, "false": true,
		"none": true, "null": true, "self": true, "this": true, "document": true,
		"window": true, "process": true, "try": true, "except": true, "catch": true,
		"read": true, "write": true, "with": true, "not": true, "get": true,
		"post": true, "env": true, "path": true, "join": true, "data": true,
		"url": true, "os": true, "sys": true, "cmd": true,
	}
)

// LooksLikeCode reports whether b is text with code-like signals: keywords
// (import, def, exec, eval, function, require, var, const, return,
// powershell, curl, http, ...) together with code punctuation ( ) { } [ ] ;
// = < > | & $ or with a strong keyword starting a line. It is used to decide
// whether a rot13 or reverse result is meaningful, so it must be false for
// rot13'd or reversed code and for most prose.
func LooksLikeCode(b []byte) bool {
	if !IsText(b) {
		return false
	}
	score, punct := 0, 0
	lineStartStrong := false
	atLineStart := true
	var word [24]byte
	wl := 0
	wordStart := true // the current word began at a line start
	flush := func() {
		if wl > 0 && wl <= len(word) {
			w := string(word[:wl])
			if strongKeywords[w] {
				score += 2
				if wordStart {
					lineStartStrong = true
				}
			} else if weakKeywords[w] {
				score++
			}
		}
		wl = 0
	}
	for _, c := range b {
		isWord := (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
		if isWord {
			if wl == 0 {
				wordStart = atLineStart
			}
			if wl < len(word) {
				if c >= 'A' && c <= 'Z' {
					c += 'a' - 'A'
				}
				word[wl] = c
			}
			wl++
			atLineStart = false
			continue
		}
		flush()
		switch c {
		case '(', ')', '{', '}', '[', ']', ';', '=', '<', '>', '|', '&', '$':
			punct++
		}
		if c == '\n' || c == ';' {
			atLineStart = true
		} else if c != ' ' && c != '\t' {
			atLineStart = false
		}
	}
	flush()
	if score < 2 {
		return false
	}
	return punct > 0 || lineStartStrong
}
