package pypi

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// TOML lockfiles and manifests are decoded by github.com/BurntSushi/toml
// into plain maps, so that a value of the wrong type is a diagnostic on
// its entry rather than a failure of the whole file.
//
// That decoder does not report where keys are (its MetaData keeps
// positions private), and it spends time and memory that grow with the
// number of keys times their depth: a few MiB of deeply nested inline
// tables or long dotted keys take it minutes and gigabytes. So before
// decoding, lockTOMLScan reads the text once with a small tokenizer that
//
//   - rejects nesting deeper than maxTOMLDepth, keys with more than
//     maxTOMLKeyParts parts or maxTOMLKeyBytes bytes, and documents whose
//     keys and array elements would cost the decoder more than
//     maxTOMLWork. That is about 470,000 plain keys; a 16 MiB uv.lock
//     (1,855 packages with 30 wheels each, far larger than real ones)
//     costs 6.7 million. At the limit the decoder needs about half a GiB
//     and a second, whatever the shape of the document;
//   - records the line of the keys, table headers and array elements the
//     caller asks for, by path: ["package", "#3", "name"] is the name key
//     of the fourth [[package]] table, ["project", "dependencies", "#0"]
//     the first element of that array.
//
// The tokenizer accepts every valid TOML document; what it accepts that is
// not valid TOML the decoder rejects afterwards.

const (
	maxTOMLDepth    = 32   // nested arrays and inline tables
	maxTOMLKeyParts = 64   // parts of a key with its table and inline-table context
	maxTOMLKeyBytes = 4096 // bytes of such a key
	maxTOMLWork     = 8_000_000
)

// tomlIdx marks an array index in a path: tomlIdx(3) is "\x01#3". Only a
// key written with a \u0001 escape could look the same, which at worst
// misplaces a line number.
func tomlIdx(i int) string { return "\x01#" + strconv.Itoa(i) }

// tomlPathKey joins path parts into a map key.
func tomlPathKey(parts ...string) string { return strings.Join(parts, "\x00") }

// lockTOMLLines maps a path (tomlPathKey) to the 1-based line where that
// key, table header or array element starts. The first definition wins.
type lockTOMLLines map[string]int

// at returns the line of the path, or 0.
func (l lockTOMLLines) at(parts ...string) int { return l[tomlPathKey(parts...)] }

// lockTOMLScan checks data against the limits above and returns the lines
// of the paths for which keep returns true.
func lockTOMLScan(data string, keep func(path []string) bool) (lockTOMLLines, error) {
	s := &tomlScanner{src: data, line: 1, keep: keep, lines: lockTOMLLines{}, arrays: map[string]int{}}
	if strings.HasPrefix(data, "\ufeff") {
		s.pos = len("\ufeff")
	}
	if err := s.document(); err != nil {
		return nil, fmt.Errorf("toml: line %d: %w", s.line, err)
	}
	return s.lines, nil
}

// decodeLockTOML scans and decodes a TOML document into its root table.
func decodeLockTOML(kind string, data []byte, keep func(path []string) bool) (map[string]any, lockTOMLLines, error) {
	if err := checkLockSize(kind, data); err != nil {
		return nil, nil, err
	}
	src := string(data)
	if !utf8.ValidString(src) {
		return nil, nil, fmt.Errorf("%s is not valid UTF-8, so not TOML", kind)
	}
	lines, err := lockTOMLScan(src, keep)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", kind, err)
	}
	var v any
	if _, err := toml.Decode(src, &v); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", kind, err)
	}
	root, ok := v.(map[string]any)
	if !ok {
		return nil, nil, fmt.Errorf("%s: the document is not a table", kind)
	}
	return root, lines, nil
}

type tomlScanner struct {
	src    string
	pos    int
	line   int
	keep   func([]string) bool
	lines  lockTOMLLines
	arrays map[string]int // [[array table]] path (resolved) → tables so far
	table  []string       // current table's resolved path
	stack  []string       // path of the value being read
	work   int
}

var (
	errTOMLDepth = fmt.Errorf("arrays and inline tables nest more than %d deep", maxTOMLDepth)
	errTOMLKey   = fmt.Errorf("a key is longer than %d parts or %d bytes", maxTOMLKeyParts, maxTOMLKeyBytes)
	errTOMLWork  = errors.New("too many keys for a lockfile (the decoder's work limit)")
)

func (s *tomlScanner) eof() bool { return s.pos >= len(s.src) }

func (s *tomlScanner) peek() byte {
	if s.pos < len(s.src) {
		return s.src[s.pos]
	}
	return 0
}

func (s *tomlScanner) has(prefix string) bool { return strings.HasPrefix(s.src[s.pos:], prefix) }

// record notes the line of path when the caller wants it. keep must not
// retain path, which the scanner reuses.
func (s *tomlScanner) record(path []string, line int) {
	if s.keep == nil || !s.keep(path) {
		return
	}
	k := tomlPathKey(path...)
	if _, ok := s.lines[k]; !ok {
		s.lines[k] = line
	}
}

// charge accounts for one key of the given path against the limits; the
// key itself has dotted parts, each of which makes the decoder create a
// table.
func (s *tomlScanner) charge(path []string, dotted int) error {
	parts, n := 0, 0
	for _, p := range path {
		if strings.HasPrefix(p, "\x01#") {
			continue // an array index: the decoder keeps none
		}
		parts++
		n += len(p)
	}
	if parts > maxTOMLKeyParts || n > maxTOMLKeyBytes {
		return errTOMLKey
	}
	s.work += 16 + parts*parts + n/16 + 24*(dotted-1)
	if s.work > maxTOMLWork {
		return errTOMLWork
	}
	return nil
}

// skipSpace skips spaces and tabs.
func (s *tomlScanner) skipSpace() {
	for !s.eof() && (s.src[s.pos] == ' ' || s.src[s.pos] == '\t') {
		s.pos++
	}
}

// skipBlank skips spaces, tabs, newlines and comments.
func (s *tomlScanner) skipBlank() {
	for !s.eof() {
		switch s.src[s.pos] {
		case ' ', '\t', '\r':
			s.pos++
		case '\n':
			s.pos++
			s.line++
		case '#':
			s.skipComment()
		default:
			return
		}
	}
}

func (s *tomlScanner) skipComment() {
	if i := strings.IndexByte(s.src[s.pos:], '\n'); i >= 0 {
		s.pos += i
	} else {
		s.pos = len(s.src)
	}
}

// endOfLine expects optional spaces and a comment, then a newline or EOF.
func (s *tomlScanner) endOfLine() error {
	s.skipSpace()
	if s.peek() == '#' {
		s.skipComment()
	}
	switch {
	case s.eof():
		return nil
	case s.has("\r\n"):
		s.pos += 2
	case s.peek() == '\n' || s.peek() == '\r':
		s.pos++
	default:
		return fmt.Errorf("unexpected %q after a value or table header", s.peek())
	}
	s.line++
	return nil
}

func (s *tomlScanner) document() error {
	for {
		s.skipBlank()
		if s.eof() {
			return nil
		}
		var err error
		if s.peek() == '[' {
			err = s.header()
		} else {
			s.stack = append(s.stack[:0], s.table...)
			err = s.keyValue(0)
		}
		if err != nil {
			return err
		}
		if err := s.endOfLine(); err != nil {
			return err
		}
	}
}

// header reads "[a.b]" or "[[a.b]]".
func (s *tomlScanner) header() error {
	line := s.line
	s.pos++
	array := s.peek() == '['
	if array {
		s.pos++
	}
	s.skipSpace()
	parts, err := s.key()
	if err != nil {
		return err
	}
	s.skipSpace()
	closing := "]"
	if array {
		closing = "]]"
	}
	if !s.has(closing) {
		return fmt.Errorf("table header not closed by %q", closing)
	}
	s.pos += len(closing)
	// Resolve the path: a part naming an array of tables refers to its
	// last table so far.
	var path []string
	for i, p := range parts {
		path = append(path, p)
		k := tomlPathKey(path...)
		if array && i == len(parts)-1 {
			n := s.arrays[k]
			s.arrays[k] = n + 1
			path = append(path, tomlIdx(n))
		} else if n, ok := s.arrays[k]; ok {
			path = append(path, tomlIdx(n-1))
		}
	}
	if err := s.charge(path, len(parts)); err != nil {
		return err
	}
	s.table = path
	// The table and the tables it implicitly defines start here, unless
	// they started earlier.
	for i := 1; i <= len(path); i++ {
		s.record(path[:i], line)
	}
	return nil
}

// key reads a dotted key and returns its parts, decoded.
func (s *tomlScanner) key() ([]string, error) {
	var parts []string
	n := 0
	for {
		s.skipSpace()
		var part string
		switch c := s.peek(); {
		case c == '"':
			v, err := s.basicKey()
			if err != nil {
				return nil, err
			}
			part = v
		case c == '\'':
			end := strings.IndexAny(s.src[s.pos+1:], "'\n")
			if end < 0 || s.src[s.pos+1+end] != '\'' {
				return nil, errors.New("unterminated literal string in a key")
			}
			part = s.src[s.pos+1 : s.pos+1+end]
			s.pos += end + 2
		case isBareTOMLKeyChar(c):
			start := s.pos
			for !s.eof() && isBareTOMLKeyChar(s.src[s.pos]) {
				s.pos++
			}
			part = s.src[start:s.pos]
		case s.eof():
			return nil, errors.New("unexpected end of file where a key should be")
		default:
			return nil, fmt.Errorf("unexpected %q where a key should be", c)
		}
		parts = append(parts, part)
		n += len(part)
		if len(parts) > maxTOMLKeyParts || n > maxTOMLKeyBytes {
			return nil, errTOMLKey
		}
		s.skipSpace()
		if s.peek() != '.' {
			return parts, nil
		}
		s.pos++
	}
}

func isBareTOMLKeyChar(c byte) bool { return isLockAlnum(c) || c == '_' || c == '-' }

// basicKey reads and decodes a "…" key.
func (s *tomlScanner) basicKey() (string, error) {
	v, end, err := decodeBasicString(s.src, s.pos, maxTOMLKeyBytes)
	if err != nil {
		if err == errTOMLKey {
			return "", err
		}
		return "", fmt.Errorf("%v in a key", err)
	}
	s.pos = end
	return v, nil
}

var errUnterminatedString = errors.New("unterminated string")

// decodeBasicString decodes the single-line TOML basic string ("…" with
// escapes) whose opening quote is at src[start]. It returns the value and
// the index after the closing quote. A value longer than max bytes
// (max > 0) is errTOMLKey.
func decodeBasicString(src string, start, max int) (string, int, error) {
	var b strings.Builder
	for i := start + 1; i < len(src); {
		c := src[i]
		switch c {
		case '"':
			return b.String(), i + 1, nil
		case '\n':
			return "", 0, errUnterminatedString
		case '\\':
			if i+1 >= len(src) {
				return "", 0, errUnterminatedString
			}
			e := src[i+1]
			i += 2
			n := 0
			switch e {
			case 'b':
				b.WriteByte('\b')
			case 't':
				b.WriteByte('\t')
			case 'n':
				b.WriteByte('\n')
			case 'f':
				b.WriteByte('\f')
			case 'r':
				b.WriteByte('\r')
			case 'e':
				b.WriteByte(0x1b)
			case '"', '\\':
				b.WriteByte(e)
			case 'x':
				n = 2
			case 'u':
				n = 4
			case 'U':
				n = 8
			default:
				return "", 0, fmt.Errorf("invalid escape %q", "\\"+string(e))
			}
			if n > 0 {
				if i+n > len(src) {
					return "", 0, errUnterminatedString
				}
				r, err := strconv.ParseUint(src[i:i+n], 16, 32)
				if err != nil || !utf8.ValidRune(rune(r)) {
					return "", 0, errors.New("invalid escape")
				}
				b.WriteRune(rune(r))
				i += n
			}
		default:
			b.WriteByte(c)
			i++
		}
		if max > 0 && b.Len() > max {
			return "", 0, errTOMLKey
		}
	}
	return "", 0, errUnterminatedString
}

// keyValue reads "key = value" in the table (or inline table) whose path
// is on s.stack.
func (s *tomlScanner) keyValue(depth int) error {
	line := s.line
	parts, err := s.key()
	if err != nil {
		return err
	}
	if s.peek() != '=' {
		return errors.New("expected \"=\" after a key")
	}
	s.pos++
	s.skipSpace()
	mark := len(s.stack)
	s.stack = append(s.stack, parts...)
	defer func() { s.stack = s.stack[:mark] }()
	if err := s.charge(s.stack, len(parts)); err != nil {
		return err
	}
	// A dotted key defines tables for its prefixes: they start here too,
	// unless they started earlier.
	for i := mark + 1; i <= len(s.stack); i++ {
		s.record(s.stack[:i], line)
	}
	return s.value(depth)
}

// value skips one value, recording inner keys and elements under the
// path on s.stack.
func (s *tomlScanner) value(depth int) error {
	switch c := s.peek(); {
	case s.has(`"""`):
		return s.multiline(`"""`)
	case s.has(`'''`):
		return s.multiline(`'''`)
	case c == '"' || c == '\'':
		for i := s.pos + 1; i < len(s.src); i++ {
			switch s.src[i] {
			case c:
				s.pos = i + 1
				return nil
			case '\n':
				return errors.New("unterminated string")
			case '\\':
				if c == '"' {
					if i+1 < len(s.src) && s.src[i+1] == '\n' {
						return errors.New("unterminated string")
					}
					i++
				}
			}
		}
		return errors.New("unterminated string")
	case c == '[':
		return s.array(depth + 1)
	case c == '{':
		return s.inlineTable(depth + 1)
	default:
		return s.scalar()
	}
}

// multiline skips a multi-line string opened by delim.
func (s *tomlScanner) multiline(delim string) error {
	i := s.pos + 3
	for i < len(s.src) {
		switch c := s.src[i]; {
		case c == '\n':
			s.line++
			i++
		case c == '\\' && delim == `"""`:
			if i+1 < len(s.src) && s.src[i+1] == '\n' {
				s.line++
			}
			i += 2
		case strings.HasPrefix(s.src[i:], delim):
			i += 3
			// Up to two more quotes belong to the string.
			for n := 0; n < 2 && i < len(s.src) && s.src[i] == delim[0]; n++ {
				i++
			}
			s.pos = i
			return nil
		default:
			i++
		}
	}
	return errors.New("unterminated multi-line string")
}

// scalar skips a number, boolean or date-time.
func (s *tomlScanner) scalar() error {
	start := s.pos
	for !s.eof() {
		c := s.src[s.pos]
		if isBareTOMLKeyChar(c) || c == '+' || c == '.' || c == ':' {
			s.pos++
			continue
		}
		// A date and a time may be separated by one space.
		if c == ' ' && s.pos-start == 10 && s.src[start+4] == '-' && s.pos+1 < len(s.src) && '0' <= s.src[s.pos+1] && s.src[s.pos+1] <= '9' {
			s.pos++
			continue
		}
		break
	}
	if s.pos == start {
		if s.eof() {
			return errors.New("unexpected end of file where a value should be")
		}
		return fmt.Errorf("unexpected %q where a value should be", s.peek())
	}
	return nil
}

func (s *tomlScanner) array(depth int) error {
	if depth > maxTOMLDepth {
		return errTOMLDepth
	}
	s.pos++
	for n := 0; ; n++ {
		s.skipBlank()
		if s.peek() == ']' {
			s.pos++
			return nil
		}
		if s.work += 1 + depth; s.work > maxTOMLWork {
			return errTOMLWork
		}
		mark := len(s.stack)
		s.stack = append(s.stack, tomlIdx(n))
		s.record(s.stack, s.line)
		err := s.value(depth)
		s.stack = s.stack[:mark]
		if err != nil {
			return err
		}
		s.skipBlank()
		switch s.peek() {
		case ',':
			s.pos++
		case ']':
			s.pos++
			return nil
		default:
			if s.eof() {
				return errors.New("unterminated array")
			}
			return fmt.Errorf("unexpected %q in an array", s.peek())
		}
	}
}

func (s *tomlScanner) inlineTable(depth int) error {
	if depth > maxTOMLDepth {
		return errTOMLDepth
	}
	s.pos++
	s.skipBlank()
	if s.peek() == '}' {
		s.pos++
		return nil
	}
	for {
		if err := s.keyValue(depth); err != nil {
			return err
		}
		s.skipBlank()
		switch s.peek() {
		case ',':
			s.pos++
			s.skipBlank()
			if s.peek() == '}' { // TOML 1.1 trailing comma
				s.pos++
				return nil
			}
		case '}':
			s.pos++
			return nil
		default:
			if s.eof() {
				return errors.New("unterminated inline table")
			}
			return fmt.Errorf("unexpected %q in an inline table", s.peek())
		}
	}
}

// Helpers to read decoded values leniently.

// tomlTables returns v as a list of tables: an array of tables or an array
// whose elements are all inline tables.
func tomlTables(v any) ([]map[string]any, bool) {
	switch v := v.(type) {
	case []map[string]any:
		return v, true
	case []any:
		out := make([]map[string]any, 0, len(v))
		for _, e := range v {
			m, ok := e.(map[string]any)
			if !ok {
				return nil, false
			}
			out = append(out, m)
		}
		return out, true
	}
	return nil, false
}

// tomlString returns m[k] when it is a string.
func tomlString(m map[string]any, k string) (string, bool) {
	s, ok := m[k].(string)
	return s, ok
}

// tomlTable returns m[k] when it is a table.
func tomlTable(m map[string]any, k string) (map[string]any, bool) {
	t, ok := m[k].(map[string]any)
	return t, ok
}

// tomlTypeName names a decoded value's TOML type for messages.
func tomlTypeName(v any) string {
	switch v.(type) {
	case nil:
		return "nothing"
	case string:
		return "a string"
	case map[string]any:
		return "a table"
	case []any, []map[string]any:
		return "an array"
	case bool:
		return "a boolean"
	case int64, float64:
		return "a number"
	}
	return "a date or time"
}

// lockEntryLine returns the line of entry i of the array of tables named
// arr: its name key, else its header.
func lockEntryLine(lines lockTOMLLines, arr string, i int) int {
	if l := lines.at(arr, tomlIdx(i), "name"); l > 0 {
		return l
	}
	return lines.at(arr, tomlIdx(i))
}

// keepArrayTables keeps the header and direct keys of [[arr]] tables.
func keepArrayTables(arr string) func([]string) bool {
	return func(p []string) bool {
		return len(p) >= 2 && len(p) <= 3 && p[0] == arr && strings.HasPrefix(p[1], "\x01")
	}
}
