package report

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestSanitize(t *testing.T) {
	tests := []struct {
		name, in string
		max      int
		want     string
	}{
		{"plain", "import os", 0, "import os"},
		{"csi colour", "\x1b[31mred\x1b[0m text", 0, "red text"},
		{"csi clear screen", "a\x1b[2J\x1b[Hb", 0, "ab"},
		{"csi private mode", "a\x1b[?25lb", 0, "ab"},
		{"osc title bel", "\x1b]0;pwned\x07after", 0, "after"},
		{"osc hyperlink st", "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\", 0, "click"},
		{"osc aborted by esc", "\x1b]0;title\x1b[31mx", 0, "x"},
		{"unterminated osc", "ok \x1b]0;rest of line", 0, "ok"},
		{"dcs", "a\x1bPq#0;2;0;0;0\x1b\\b", 0, "ab"},
		{"two byte escape", "a\x1bcb", 0, "ab"},
		{"charset escape", "a\x1b(0b", 0, "ab"},
		{"lone esc at end", "a\x1b", 0, "a"},
		{"c1 csi", "a\u009b31mb", 0, "ab"},
		{"c1 osc", "a\u009d0;t\u009cb", 0, "ab"},
		{"raw c1 byte", "a\x9bb", 0, "a\uFFFDb"},
		{"controls", "a\x00b\x07c\x08d\x7fe", 0, "abcde"},
		{"newlines and tabs", "line1\r\n\tline2  \n", 0, "line1 line2"},
		{"leading space", "  \n x", 0, "x"},
		{"bidi override", "if admin\u202e \u2066// check\u2069", 0, "if admin // check"},
		{"invalid utf8", "a\xff\xfeb", 0, "a\uFFFD\uFFFDb"},
		{"unicode kept", "→ é 中", 0, "→ é 中"},
		{"cap", "abcdefghij", 5, "abcd…"},
		{"cap exact", "abcde", 5, "abcde"},
		{"cap counts runes", "ééééééé", 4, "ééé…"},
		{"cap trims space before ellipsis", "abc defg", 5, "abc…"},
		{"cap one", "abc", 1, "…"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := sanitize(tc.in, tc.max); got != tc.want {
				t.Errorf("sanitize(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
			}
		})
	}
}

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"\x1b[31mx", "\x1b]0;t\x07", "a\u009bb", "\u202e", "ok", "\xff"} {
		f.Add(s, 10)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max > 1000 {
			max %= 1000
		}
		got := sanitize(s, max)
		if !utf8.ValidString(got) {
			t.Fatalf("invalid utf-8 %q", got)
		}
		for _, r := range got {
			if unicode.IsControl(r) || isBidiControl(r) {
				t.Fatalf("sanitize(%q) kept control %U: %q", s, r, got)
			}
		}
		if max > 0 && utf8.RuneCountInString(got) > max {
			t.Fatalf("sanitize(%q, %d) has %d runes", s, max, utf8.RuneCountInString(got))
		}
		if strings.HasPrefix(got, " ") || strings.HasSuffix(got, " ") {
			t.Fatalf("untrimmed %q", got)
		}
	})
}
