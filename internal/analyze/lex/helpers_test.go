package lex

import (
	"fmt"
	"strings"
	"testing"
)

// short renders a token compactly: Name(x), Op(==), String("a\n"), ...
// Flags are appended: Prefix as p=rb, Bytes as !b, Unterminated as !u.
func short(t Token) string {
	var b strings.Builder
	b.WriteString(t.Kind.String())
	switch t.Kind {
	case String, Template, Comment:
		fmt.Fprintf(&b, "(%q)", t.Value)
	case Newline, EOF:
	default:
		fmt.Fprintf(&b, "(%s)", t.Value)
	}
	if t.Prefix != "" {
		b.WriteString(" p=" + t.Prefix)
	}
	if t.Bytes {
		b.WriteString(" !b")
	}
	if t.Unterminated {
		b.WriteString(" !u")
	}
	return b.String()
}

// render renders all tokens but the final EOF, space separated.
func render(toks []Token) string {
	var parts []string
	for _, t := range toks {
		if t.Kind == EOF {
			continue
		}
		parts = append(parts, short(t))
	}
	return strings.Join(parts, " ")
}

// checkInvariants verifies the structural guarantees of a token stream.
func checkInvariants(t testing.TB, src []byte, toks []Token) {
	t.Helper()
	if len(toks) == 0 {
		t.Fatalf("no tokens (EOF missing)")
	}
	last := toks[len(toks)-1]
	if last.Kind != EOF || last.Start != len(src) || last.End != len(src) {
		t.Fatalf("last token %+v is not EOF at %d", last, len(src))
	}
	lineAt := refLines(src)
	prevStart, prevLine := 0, 1
	for i, tk := range toks {
		if tk.Start < 0 || tk.Start > tk.End || tk.End > len(src) {
			t.Fatalf("token %d %+v: bad offsets (len %d)", i, tk, len(src))
		}
		if tk.Start < prevStart {
			t.Fatalf("token %d %+v starts before previous start %d", i, tk, prevStart)
		}
		if tk.Line < prevLine {
			t.Fatalf("token %d %+v: line decreased from %d", i, tk, prevLine)
		}
		if want := lineAt[tk.Start]; tk.Line != want {
			t.Fatalf("token %d %+v: line %d, want %d", i, tk, tk.Line, want)
		}
		if tk.Kind == EOF && i != len(toks)-1 {
			t.Fatalf("EOF token %d not last", i)
		}
		prevStart, prevLine = tk.Start, tk.Line
	}
}

// refLines is the reference line computation: lineAt[p] is 1 + the number
// of line breaks ("\n", "\r\n", lone "\r") before offset p.
func refLines(src []byte) []int {
	lineAt := make([]int, len(src)+1)
	line := 1
	for i := 0; i <= len(src); i++ {
		lineAt[i] = line
		if i < len(src) && (src[i] == '\n' || (src[i] == '\r' && (i+1 >= len(src) || src[i+1] != '\n'))) {
			line++
		}
	}
	return lineAt
}

type lexCase struct {
	name string
	src  string
	want string
}

func runCases(t *testing.T, lexer func([]byte) []Token, cases []lexCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			toks := lexer([]byte(c.src))
			checkInvariants(t, []byte(c.src), toks)
			if got := render(toks); got != c.want {
				t.Errorf("src %q\n got: %s\nwant: %s", c.src, got, c.want)
			}
		})
	}
}
