package gomod

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/airlock-sec/airlock/internal/model"
)

// MaxFileSize is the largest go.mod or go.sum accepted: 16 MiB.
const MaxFileSize = 16 << 20

// ErrTooLarge is returned (wrapped) for files over MaxFileSize.
var ErrTooLarge = errors.New("larger than 16 MiB")

const (
	// maxDiagnostics bounds the diagnostics of one file; the rest are
	// counted in one last diagnostic.
	maxDiagnostics = 100
	// maxEntries bounds the directives (go.mod) or lines (go.sum) read
	// from one file. Real files have a few thousand at most.
	maxEntries = 100_000
	// maxTokens bounds the tokens of one go.mod line; the longest valid
	// line ("retract [v1, v2]" inside a block) has six.
	maxTokens = 32
	// maxQuery bounds a non-canonical version kept as a query.
	maxQuery = 128
)

// lexedLine is one go.mod line split into tokens as modfile's lexer splits
// it. Strings never span lines and comments end at the newline, so lines
// can be lexed one by one.
type lexedLine struct {
	toks []string
	// comment is the "//" comment ending the line, "" when there is none.
	comment string
	// err is set when the lexer stopped early; toks then holds the tokens
	// before the error, which still open or close a block.
	err string
}

func lexLine(s string) lexedLine {
	var l lexedLine
	i := 0
	for i < len(s) {
		c := s[i]
		if c == ' ' || c == '\t' || c == '\r' {
			i++
			continue
		}
		if strings.HasPrefix(s[i:], "//") {
			l.comment = strings.TrimSuffix(s[i:], "\r")
			return l
		}
		if strings.HasPrefix(s[i:], "/*") {
			l.err = "/* */ comments are not allowed in go.mod (only //)"
			return l
		}
		if len(l.toks) == maxTokens {
			l.err = fmt.Sprintf("more than %d tokens on one line", maxTokens)
			l.toks = nil // garbage, not even structure
			return l
		}
		start := i
		switch c {
		case '(', ')', '[', ']', '{', '}', ',':
			i++
		case '"', '`':
			i++
			for {
				if i >= len(s) {
					l.err = "unterminated quoted string"
					return l
				}
				d := s[i]
				i++
				if d == c {
					break
				}
				if d == '\\' && c == '"' {
					i++
				}
			}
		default:
			r, _ := utf8.DecodeRuneInString(s[i:])
			if !isIdent(r) {
				l.err = fmt.Sprintf("unexpected character %q", r)
				return l
			}
			for i < len(s) {
				r, size := utf8.DecodeRuneInString(s[i:])
				if !isIdent(r) || strings.HasPrefix(s[i:], "//") {
					break
				}
				if strings.HasPrefix(s[i:], "/*") {
					l.err = "/* */ comments are not allowed in go.mod (only //)"
					return l
				}
				i += size
			}
		}
		l.toks = append(l.toks, s[start:i])
	}
	return l
}

// isIdent is modfile's: printable runes other than space and the
// punctuation ( ) [ ] { } ,. Invalid UTF-8 decodes to U+FFFD, which is
// printable, as it is for modfile.
func isIdent(r rune) bool {
	switch r {
	case ' ', '(', ')', '[', ']', '{', '}', ',':
		return false
	}
	return !unicode.IsSpace(r) && unicode.IsPrint(r)
}

// unquote is modfile's parseString: a token starting with '"' is an
// interpreted Go string; any other token may not contain a quote
// character (back-quoted strings included: modfile reserves them).
func unquote(tok string) (string, error) {
	if strings.HasPrefix(tok, `"`) {
		s, err := strconv.Unquote(tok)
		if err != nil {
			return "", fmt.Errorf("invalid quoted string %s", quote(tok))
		}
		return s, nil
	}
	if strings.HasPrefix(tok, "`") {
		return "", fmt.Errorf("back-quoted string %s is not allowed (the go command accepts only \"…\")", quote(tok))
	}
	if strings.ContainsAny(tok, "\"'`") {
		return "", fmt.Errorf("unquoted string %s contains a quote", quote(tok))
	}
	return tok, nil
}

// quote renders an untrusted value for a message: Go-quoted (so control
// characters and invalid UTF-8 are escaped and it stays on one line) and
// cut to 80 bytes.
func quote(s string) string {
	const max = 80
	if len(s) <= max {
		return strconv.Quote(s)
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "…"
}

// diagnostics collects the diagnostics of one file, at most maxDiagnostics.
type diagnostics struct {
	target  string
	list    []model.Diagnostic
	dropped int
}

func (d *diagnostics) add(line int, format string, args ...any) {
	if len(d.list) >= maxDiagnostics {
		d.dropped++
		return
	}
	msg := fmt.Sprintf(format, args...)
	if line > 0 {
		msg = fmt.Sprintf("line %d: %s", line, msg)
	}
	d.list = append(d.list, model.Diagnostic{Target: d.target, Message: msg})
}

func (d *diagnostics) result() []model.Diagnostic {
	if d.dropped > 0 {
		d.list = append(d.list, model.Diagnostic{Target: d.target, Message: fmt.Sprintf("%d more problems not shown", d.dropped)})
		d.dropped = 0
	}
	return d.list
}

// eachLine calls fn with every line of data (without "\n") and its 1-based
// number, until fn returns false.
func eachLine(data []byte, fn func(n int, line string) bool) {
	for n := 1; len(data) > 0; n++ {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if !fn(n, string(line)) {
			return
		}
	}
}
