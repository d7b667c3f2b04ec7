package report

import (
	"strings"
	"unicode/utf8"
)

// sanitize makes untrusted text safe to print on a terminal and keeps it on
// one line: ANSI/VT escape sequences (7-bit and C1 forms) are removed, other
// control and bidirectional-override characters are dropped, line breaks and
// tabs become spaces, runs of spaces collapse, invalid UTF-8 becomes U+FFFD.
// When max > 0 the result is cut to at most max runes, the last being "…".
func sanitize(s string, max int) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false // a space is pending
	n := 0         // runes written
	emit := func(r rune) {
		if space && n > 0 {
			b.WriteByte(' ')
			n++
		}
		space = false
		b.WriteRune(r)
		n++
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == 0x1b: // ESC
			i = skipEscape(s, i+1)
			continue
		case r == 0x9b: // C1 CSI
			i = skipCSI(s, i+size)
			continue
		case r == 0x90 || r == 0x98 || r == 0x9d || r == 0x9e || r == 0x9f: // C1 DCS, SOS, OSC, PM, APC
			i = skipString(s, i+size)
			continue
		case r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f' || r == 0x85 || r == 0x2028 || r == 0x2029 || r == ' ':
			space = true
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			// other control characters: dropped
		case isBidiControl(r):
			// could reorder what the reader sees: dropped
		case r == utf8.RuneError && size == 1:
			emit(utf8.RuneError)
		default:
			emit(r)
		}
		i += size
	}
	out := b.String()
	if max > 0 && n > max {
		return truncateRunes(out, max-1) + "…"
	}
	return out
}

// truncateRunes returns the first n runes of s.
func truncateRunes(s string, n int) string {
	if n <= 0 {
		return ""
	}
	for i := range s {
		if n == 0 {
			return strings.TrimRight(s[:i], " ")
		}
		n--
	}
	return s
}

func isBidiControl(r rune) bool {
	switch {
	case r == 0x061c, r == 0x200e, r == 0x200f:
		return true
	case r >= 0x202a && r <= 0x202e:
		return true
	case r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// skipEscape returns the index after the escape sequence whose ESC ended
// just before i.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch c := s[i]; {
	case c == '[':
		return skipCSI(s, i+1)
	case c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_':
		return skipString(s, i+1)
	case c >= 0x20 && c <= 0x2f: // intermediates, then one final byte
		for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
			i++
		}
		if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
			i++
		}
		return i
	case c >= 0x30 && c <= 0x7e: // two-byte sequence
		return i + 1
	}
	return i // lone ESC
}

// skipCSI skips parameter and intermediate bytes and the final byte of a
// control sequence starting at i. A malformed sequence ends at the first
// byte that cannot belong to it.
func skipCSI(s string, i int) int {
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x3f {
		i++
	}
	if i < len(s) && s[i] >= 0x40 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipString skips a control string (OSC, DCS, …) starting at i up to and
// including its terminator: BEL, ESC \ or C1 ST. An unterminated string runs
// to the end of s, as it would swallow the rest on a terminal.
func skipString(s string, i int) int {
	for i < len(s) {
		switch {
		case s[i] == 0x07:
			return i + 1
		case s[i] == 0x1b:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i // ESC aborts the string and starts a new sequence
		case strings.HasPrefix(s[i:], "\u009c"):
			return i + len("\u009c")
		}
		i++
	}
	return i
}
