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
	// There are at most len(b) runes, so once bad*10 exceeds len(b) the
	// answer is known: binary input is rejected early.
	bad, total := 0, 0
	for i := 0; i < len(b); {
		c := b[i]
		total++
		if c < utf8.RuneSelf {
			if !((c >= 0x20 && c < 0x7f) || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v') {
				bad++
			}
			i++
		} else {
			r, n := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError || !(unicode.IsPrint(r) || unicode.IsSpace(r)) {
				bad++
			}
			i += n
		}
		if bad*10 > len(b) {
			return false
		}
	}
	return bad*10 <= total
}

// plausibleText is Peel's test for a meaningful text result. Beyond
// IsText it demands what decoded garbage rarely has and real payloads
// (code, commands, prose, JSON) nearly always have:
//   - valid UTF-8 (a rune cut by output truncation at the end is allowed);
//   - no control characters but \t \n \r, bar 1% in long outputs;
//   - non-ASCII letters from at most one script besides Latin, and no
//     stray combining marks;
//   - at least 4 distinct bytes, no byte above half of the text, and 25%
//     letters;
//   - for short outputs (under 32 bytes), where chance alone lets decoded
//     garbage through the tests above, also plain ASCII letters and either
//     LooksLikeCode or wordiness: at least half of the letters, and at
//     least four, in runs of three or more letters that contain a vowel
//     and are cased as words and identifiers are.
func plausibleText(b []byte) bool {
	if len(b) < 4 {
		return false
	}
	if len(b) > 4096 {
		// Reject binary on a prefix first; IsText over all of a large
		// binary output only stops after about a sixth of it.
		if !IsText(b[:4096]) {
			return false
		}
		if !IsText(b) {
			return false
		}
		b = b[:4096] // a prefix is representative enough for the rest
	} else if !IsText(b) {
		return false
	}
	if !validUTF8Prefix(b) {
		return false
	}
	var (
		count                            [128]int
		distinct, runes, letters, ctrl   int
		asciiLetters, goodLetters, marks int
		run, maxCount                    int
		runVowel                         bool
		script                           *unicode.RangeTable
	)
	endRun := func(end int) {
		if run >= 3 && runVowel && naturalCase(b[end-run:end]) {
			goodLetters += run
		}
		run, runVowel = 0, false
	}
	for i := 0; i < len(b); {
		c := b[i]
		runes++
		if c < utf8.RuneSelf {
			i++
			if count[c] == 0 {
				distinct++
			}
			count[c]++
			maxCount = max(maxCount, count[c])
			if (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') {
				letters++
				asciiLetters++
				run++
				switch c | 0x20 {
				case 'a', 'e', 'i', 'o', 'u':
					runVowel = true
				}
				continue
			}
			endRun(i - 1)
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
				ctrl++
			}
			continue
		}
		endRun(i)
		r, n := utf8.DecodeRune(b[i:])
		i += n
		if r == utf8.RuneError {
			break // truncated final rune (validUTF8Prefix checked the rest)
		}
		distinct++
		switch {
		case unicode.IsLetter(r):
			letters++
			if unicode.Is(unicode.Latin, r) {
				break
			}
			rs := scriptOf(r)
			if rs == nil || (script != nil && script != rs) {
				return false
			}
			script = rs
		case unicode.Is(unicode.Mn, r):
			marks++
		case unicode.IsControl(r) || unicode.Is(unicode.Co, r) || unicode.Is(unicode.Cs, r):
			ctrl++
		}
	}
	endRun(len(b))
	if ctrl > 0 && (runes < 100 || ctrl*100 > runes) {
		return false
	}
	if marks*2 > letters || distinct < 4 || letters*4 < runes || maxCount*2 > runes {
		return false
	}
	if len(b) >= 32 {
		return true
	}
	if letters != asciiLetters || marks > 0 {
		return false // short and not plain ASCII: too likely chance
	}
	return goodLetters >= 4 && goodLetters*2 >= asciiLetters || LooksLikeCode(b)
}

// naturalCase reports whether the ASCII letters of w are cased as words
// and identifiers are: all upper case, or every capital followed by a
// lower-case letter (word, Word, camelCase, PascalCase).
func naturalCase(w []byte) bool {
	upper := 0
	for k, c := range w {
		if c <= 'Z' {
			upper++
			if k+1 < len(w) && w[k+1] <= 'Z' {
				continue
			}
			if k+1 == len(w) && k > 0 {
				return upper == len(w)
			}
		}
	}
	if upper == len(w) {
		return true
	}
	for k := 0; k+1 < len(w); k++ {
		if w[k] <= 'Z' && w[k+1] <= 'Z' {
			return false
		}
	}
	return true
}

// scripts for plausibleText's one-script rule (Latin is always allowed).
var scripts = []*unicode.RangeTable{
	unicode.Greek, unicode.Cyrillic, unicode.Armenian, unicode.Hebrew, unicode.Arabic,
	unicode.Devanagari, unicode.Bengali, unicode.Thai, unicode.Georgian, unicode.Hangul,
	unicode.Hiragana, unicode.Katakana, unicode.Han, unicode.Tamil, unicode.Ethiopic,
}

// scriptOf returns the script of letter r, treating Han, Hiragana and
// Katakana as one (Japanese mixes them), or nil for a rare script.
func scriptOf(r rune) *unicode.RangeTable {
	for _, s := range scripts {
		if unicode.Is(s, r) {
			if s == unicode.Hiragana || s == unicode.Katakana {
				return unicode.Han
			}
			return s
		}
	}
	return nil
}

// validUTF8Prefix reports whether b is valid UTF-8, ignoring an incomplete
// rune at the very end.
func validUTF8Prefix(b []byte) bool {
	if utf8.Valid(b) {
		return true
	}
	for k := 1; k <= 3 && k < len(b); k++ {
		if utf8.Valid(b[:len(b)-k]) && !utf8.FullRune(b[len(b)-k:]) {
			return true
		}
	}
	return false
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
	if units > max {
		return nil, false
	}
	out := make([]byte, 0, min(units+units/4, max))
	for i := 0; i < len(b); i += 2 {
		r := rune(b[i]) | rune(b[i+1])<<8
		if utf16.IsSurrogate(r) && i+3 < len(b) {
			if r2 := utf16.DecodeRune(r, rune(b[i+2])|rune(b[i+3])<<8); r2 != utf8.RuneError {
				r = r2
				i += 2
			}
		}
		out = utf8.AppendRune(out, r) // a lone surrogate becomes U+FFFD
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
