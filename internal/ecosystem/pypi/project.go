package pypi

import (
	"bytes"
	"strings"
)

// This file reads a source project's name and version from its build
// configuration, best effort, without running anything: setup.cfg,
// pyproject.toml and literal keyword arguments in setup.py. Values that are
// not plain literals (attr:, file:, dynamic, expressions) yield "".

// lines splits data into lines without the line terminator.
func lines(data []byte) []string {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	s := string(data)
	out := strings.Split(s, "\n")
	for i, l := range out {
		out[i] = strings.TrimSuffix(l, "\r")
	}
	return out
}

// ParseSetupCfgNameVersion returns the name and version from the [metadata]
// section of a setup.cfg, read the way configparser reads it: "key = value"
// or "key: value", keys case-insensitive, "#" and ";" comment lines,
// indented continuation lines. A version given as "attr: …" or "file: …"
// is not a literal and yields "".
func ParseSetupCfgNameVersion(data []byte) (name, version string) {
	section := ""
	key := "" // key whose value may continue on indented lines
	gotName, gotVersion := false, false
	set := func(k, v string) {
		v = strings.TrimSpace(v)
		switch k {
		case "name":
			if !gotName && v != "" {
				name, gotName = v, true
			}
		case "version":
			if !gotVersion && v != "" {
				if lv := strings.ToLower(v); strings.HasPrefix(lv, "attr:") || strings.HasPrefix(lv, "file:") {
					v = ""
				}
				version, gotVersion = v, true
			}
		}
	}
	for _, l := range lines(data) {
		t := strings.TrimSpace(l)
		if t == "" {
			key = ""
			continue
		}
		if t[0] == '#' || t[0] == ';' {
			continue
		}
		if l[0] == ' ' || l[0] == '\t' {
			// Continuation of the previous key's value: the first
			// non-empty line is the value when the key line had none.
			if key != "" && section == "metadata" {
				set(key, t)
				key = ""
			}
			continue
		}
		key = ""
		if t[0] == '[' {
			if end := strings.IndexByte(t, ']'); end > 0 {
				section = strings.TrimSpace(t[1:end])
			}
			continue
		}
		if section != "metadata" {
			continue
		}
		i := strings.IndexAny(t, "=:")
		if i <= 0 {
			continue
		}
		k := strings.ToLower(strings.TrimSpace(t[:i]))
		v := strings.TrimSpace(t[i+1:])
		if v == "" {
			key = k
			continue
		}
		set(k, v)
	}
	return name, version
}

// tomlState tracks multi-line constructs across lines so that text inside
// multi-line strings and arrays is never read as a table header or key.
type tomlState struct {
	ml    string // open multi-line string delimiter: `"""` or `'''`
	depth int    // open [ and { brackets
}

func (st *tomlState) open() bool { return st.ml != "" || st.depth > 0 }

// scan advances the state over s (one line, or the value part of one).
func (st *tomlState) scan(s string) {
	for i := 0; i < len(s); {
		if st.ml != "" {
			if st.ml == `"""` && s[i] == '\\' {
				i += 2
				continue
			}
			if strings.HasPrefix(s[i:], st.ml) {
				i += 3
				// Up to two more quotes may belong to the string.
				for n := 0; n < 2 && i < len(s) && s[i] == st.ml[0]; n++ {
					i++
				}
				st.ml = ""
				continue
			}
			i++
			continue
		}
		switch c := s[i]; c {
		case '#':
			return
		case '"', '\'':
			if strings.HasPrefix(s[i:], strings.Repeat(string(c), 3)) {
				st.ml = strings.Repeat(string(c), 3)
				i += 3
				continue
			}
			i++
			for i < len(s) && s[i] != c {
				if c == '"' && s[i] == '\\' {
					i++
				}
				i++
			}
			i++
		case '[', '{':
			st.depth++
			i++
		case ']', '}':
			if st.depth > 0 {
				st.depth--
			}
			i++
		default:
			i++
		}
	}
}

// parseTOMLKey reads a dotted TOML key (bare or quoted parts) from the start
// of s and returns its parts and the text after it.
func parseTOMLKey(s string) (parts []string, rest string, ok bool) {
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			return nil, "", false
		}
		var part string
		switch s[0] {
		case '"':
			v, n, ok := parseBasicString(s)
			if !ok {
				return nil, "", false
			}
			part, s = v, s[n:]
		case '\'':
			end := strings.IndexByte(s[1:], '\'')
			if end < 0 {
				return nil, "", false
			}
			part, s = s[1:1+end], s[2+end:]
		default:
			n := 0
			for n < len(s) && isBareKeyChar(s[n]) {
				n++
			}
			if n == 0 {
				return nil, "", false
			}
			part, s = s[:n], s[n:]
		}
		parts = append(parts, part)
		s = strings.TrimLeft(s, " \t")
		if strings.HasPrefix(s, ".") {
			s = s[1:]
			continue
		}
		return parts, s, true
	}
}

func isBareKeyChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-'
}

// parseBasicString reads a TOML basic string ("…" with escapes) at the
// start of s and returns its value and length in s.
func parseBasicString(s string) (string, int, bool) {
	if len(s) < 2 || s[0] != '"' {
		return "", 0, false
	}
	v, end, err := decodeBasicString(s, 0, 0)
	return v, end, err == nil
}

// parseTOMLString reads a single-line basic or literal string value.
func parseTOMLString(s string) (string, bool) {
	s = strings.TrimLeft(s, " \t")
	if strings.HasPrefix(s, `"""`) || strings.HasPrefix(s, `'''`) {
		return "", false
	}
	if strings.HasPrefix(s, "'") {
		end := strings.IndexByte(s[1:], '\'')
		if end < 0 {
			return "", false
		}
		return s[1 : 1+end], true
	}
	v, _, ok := parseBasicString(s)
	return v, ok
}

// ParsePyprojectNameVersion returns project.name and project.version from a
// pyproject.toml using a small line parser (no TOML dependency). It
// understands table headers, dotted and quoted keys, basic and literal
// strings, comments, and skips multi-line strings and arrays. A version
// listed in project.dynamic is not a literal and yields "". When [project]
// lacks a field, Poetry's [tool.poetry] name/version is used instead.
func ParsePyprojectNameVersion(data []byte) (name, version string) {
	var st tomlState
	table := ""
	gotName, gotVersion := false, false
	var poetryName, poetryVersion string
	defer func() {
		if !gotName {
			name = poetryName
		}
		if !gotVersion {
			version = poetryVersion
		}
	}()
	for _, l := range lines(data) {
		if st.open() {
			st.scan(l)
			continue
		}
		t := strings.TrimSpace(l)
		if t == "" || t[0] == '#' {
			continue
		}
		if strings.HasPrefix(t, "[[") {
			table = "\x00array" // never "project"
			continue
		}
		if t[0] == '[' {
			parts, rest, ok := parseTOMLKey(t[1:])
			if ok && strings.HasPrefix(strings.TrimSpace(rest), "]") {
				table = strings.Join(parts, ".")
			} else {
				table = "\x00invalid"
			}
			continue
		}
		parts, rest, ok := parseTOMLKey(t)
		if !ok || !strings.HasPrefix(rest, "=") {
			continue
		}
		value := rest[1:]
		full := strings.Join(parts, ".")
		if table != "" {
			full = table + "." + full
		}
		switch full {
		case "project.name":
			if v, ok := parseTOMLString(value); ok && !gotName {
				name, gotName = strings.TrimSpace(v), true
			}
		case "project.version":
			if v, ok := parseTOMLString(value); ok && !gotVersion {
				version, gotVersion = strings.TrimSpace(v), true
			}
		case "tool.poetry.name":
			if v, ok := parseTOMLString(value); ok && poetryName == "" {
				poetryName = strings.TrimSpace(v)
			}
		case "tool.poetry.version":
			if v, ok := parseTOMLString(value); ok && poetryVersion == "" {
				poetryVersion = strings.TrimSpace(v)
			}
		}
		st.scan(value)
	}
	return name, version
}
