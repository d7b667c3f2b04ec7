package sweep

import "strings"

// cronEntry is one job line of a crontab.
type cronEntry struct {
	Line     int
	Schedule string
	// User is the user field of system crontabs (/etc/crontab,
	// /etc/cron.d); "" in user crontabs.
	User    string
	Command string
}

// parseCrontab returns the job lines of a crontab. system selects the
// format with a user field.
func parseCrontab(data []byte, system bool) []cronEntry {
	var out []cronEntry
	for i, l := range strings.Split(string(data), "\n") {
		if e, ok := parseCronLine(l, system); ok {
			e.Line = i + 1
			out = append(out, e)
		}
	}
	return out
}

// parseCronLine parses one crontab line. Blank lines, comments and
// environment settings ("NAME=value") are not entries. The command ends
// at the first unescaped "%" (the rest is standard input); "\%" is a
// literal percent sign.
func parseCronLine(l string, system bool) (cronEntry, bool) {
	l = strings.TrimSpace(strings.TrimSuffix(l, "\r"))
	if l == "" || l[0] == '#' || isCronEnv(l) {
		return cronEntry{}, false
	}
	n := 5
	if l[0] == '@' {
		n = 1
	}
	if system {
		n++
	}
	fields, rest, ok := cutFields(l, n)
	if !ok {
		return cronEntry{}, false
	}
	e := cronEntry{}
	if system {
		e.User = fields[n-1]
		fields = fields[:n-1]
	}
	e.Schedule = strings.TrimPrefix(strings.Join(fields, " "), "-") // cronie: "-" silences syslog
	e.Command = cronCommand(rest)
	if strings.TrimSpace(e.Command) == "" {
		return cronEntry{}, false
	}
	return e, true
}

// isCronEnv recognizes "NAME = value" lines.
func isCronEnv(l string) bool {
	eq := strings.IndexByte(l, '=')
	if eq <= 0 {
		return false
	}
	name := strings.TrimSpace(l[:eq])
	if name == "" {
		return false
	}
	for k, r := range name {
		if !(r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || k > 0 && '0' <= r && r <= '9') {
			return false
		}
	}
	return true
}

// cutFields splits off the first n blank-separated fields of l.
func cutFields(l string, n int) (fields []string, rest string, ok bool) {
	rest = l
	for len(fields) < n {
		rest = strings.TrimLeft(rest, " \t")
		if rest == "" {
			return nil, "", false
		}
		end := strings.IndexAny(rest, " \t")
		if end < 0 {
			return nil, "", false // no command after the fields
		}
		fields = append(fields, rest[:end])
		rest = rest[end:]
	}
	return fields, strings.TrimSpace(rest), true
}

// cronCommand cuts a cron command at its first unescaped "%".
func cronCommand(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s) && s[i+1] == '%':
			b.WriteByte('%')
			i++
		case s[i] == '%':
			return b.String()
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}
