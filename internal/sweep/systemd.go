package sweep

import (
	"strings"
)

// unitExec is one Exec*= line of a systemd unit's [Service] section.
type unitExec struct {
	Key string
	// Line is the 1-based line the setting starts on.
	Line int
	// Raw is the logical line as written (continuations joined).
	Raw string
	// Argv is each command of the value, prefixes ("@-:+!") removed and
	// systemd's quoting undone; specifiers (%h) are not expanded.
	Argv [][]string
}

// unitFile is what the sweep needs from a unit file.
type unitFile struct {
	Execs []unitExec
	// User is the User= setting, "" when absent.
	User string
}

const maxUnitExecs = 256

var execKeys = map[string]bool{
	"ExecStart": true, "ExecStartPre": true, "ExecStartPost": true, "ExecReload": true,
	"ExecStop": true, "ExecStopPost": true, "ExecCondition": true,
}

// parseUnit reads the Exec*= and User= settings of a unit file (or
// drop-in): sections, comments ("#", ";") and backslash continuations as
// systemd reads them. It never fails; what it cannot read is skipped.
func parseUnit(data []byte) unitFile {
	var u unitFile
	section := ""
	lines := strings.Split(string(data), "\n")
	for i := 0; i < len(lines); i++ {
		start := i
		l := strings.TrimSpace(strings.TrimSuffix(lines[i], "\r"))
		if l == "" || l[0] == '#' || l[0] == ';' {
			continue
		}
		for strings.HasSuffix(l, `\`) && i+1 < len(lines) {
			i++
			next := strings.TrimSpace(strings.TrimSuffix(lines[i], "\r"))
			if next != "" && (next[0] == '#' || next[0] == ';') {
				continue // comment lines inside a continuation are skipped
			}
			l = l[:len(l)-1] + " " + next
		}
		if l[0] == '[' {
			section = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(l, "["), "]"))
			continue
		}
		key, val, ok := strings.Cut(l, "=")
		if !ok || section != "Service" {
			continue
		}
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		switch {
		case key == "User":
			u.User = val
		case execKeys[key] && val != "" && len(u.Execs) < maxUnitExecs:
			u.Execs = append(u.Execs, unitExec{Key: key, Line: start + 1, Raw: l, Argv: splitExecValue(val)})
		}
	}
	return u
}

// splitExecValue splits an Exec*= value into commands: special prefixes
// are removed ("@" drops the argv[0] override), words are unquoted, and
// a lone ";" separates commands as older systemd versions allow.
func splitExecValue(val string) [][]string {
	var out [][]string
	words := splitUnitWords(val)
	for len(words) > 0 {
		end := len(words)
		for k, w := range words {
			if w == ";" {
				end = k
				break
			}
		}
		cmd := words[:end]
		if end < len(words) {
			words = words[end+1:]
		} else {
			words = nil
		}
		if len(cmd) == 0 {
			continue
		}
		first := cmd[0]
		at := false
		for first != "" && strings.ContainsRune("@-:+!", rune(first[0])) {
			if first[0] == '@' {
				at = true
			}
			first = first[1:]
		}
		if first == "" {
			if len(cmd) == 1 {
				continue
			}
			cmd = cmd[1:] // prefixes written as a separate word
			first = cmd[0]
		}
		argv := append([]string{first}, cmd[1:]...)
		if at && len(argv) > 1 {
			argv = append([]string{argv[0]}, argv[2:]...)
		}
		out = append(out, argv)
	}
	return out
}

// splitUnitWords splits a value on blanks, honoring single and double
// quotes and backslash escapes as systemd does.
func splitUnitWords(s string) []string {
	var out []string
	var b strings.Builder
	inWord := false
	var q byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case q != 0 && c == q:
			q = 0
		case q == 0 && (c == '"' || c == '\''):
			q = c
			inWord = true
		case c == '\\' && i+1 < len(s):
			i++
			switch s[i] {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			default:
				b.WriteByte(s[i])
			}
			inWord = true
		case q == 0 && (c == ' ' || c == '\t' || c == '\n' || c == '\r'):
			if inWord {
				out = append(out, b.String())
				b.Reset()
				inWord = false
			}
		default:
			b.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		out = append(out, b.String())
	}
	return out
}

// expandSpecifiers replaces %h (the home directory), %% and $HOME in a
// unit word.
func expandSpecifiers(w, home string) string {
	if !strings.ContainsAny(w, "%$") {
		return w
	}
	if home == "" {
		home = "~"
	}
	var b strings.Builder
	for i := 0; i < len(w); i++ {
		if w[i] == '%' && i+1 < len(w) {
			switch w[i+1] {
			case 'h':
				b.WriteString(home)
				i++
				continue
			case '%':
				b.WriteByte('%')
				i++
				continue
			}
		}
		b.WriteByte(w[i])
	}
	return strings.NewReplacer("${HOME}", home, "$HOME", home).Replace(b.String())
}
