package sweep

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxEvidence bounds evidence snippets, in runes.
const maxEvidence = 160

// snippet makes untrusted text safe to print on one line: control,
// format (bidirectional overrides, zero-width) and invalid bytes are
// dropped or replaced, whitespace runs become one space, and the result is
// clipped to max runes with a trailing "…".
func snippet(s string, max int) string {
	var b strings.Builder
	n := 0
	space := false
	for i := 0; i < len(s) && n < max+1; {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			r = '?'
		case unicode.IsSpace(r):
			space = true
			continue
		case r == 0x1b || unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			continue
		case !unicode.IsPrint(r):
			r = '?'
		}
		if space && n > 0 {
			b.WriteByte(' ')
			n++
		}
		space = false
		b.WriteRune(r)
		n++
	}
	out := b.String()
	if n > max {
		rs := []rune(out)
		out = strings.TrimRight(string(rs[:max-1]), " ") + "…"
	}
	return out
}

// quote renders a value for a message: sanitized, bounded, in double
// quotes.
func quote(s string) string {
	return `"` + strings.ReplaceAll(snippet(s, 120), `"`, `\"`) + `"`
}
