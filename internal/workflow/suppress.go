package workflow

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

var (
	suppressRE     = regexp.MustCompile(`#\s*airlock:\s*ignore\[([^\]]*)\](.*)$`)
	suppressLeadRE = regexp.MustCompile(`#\s*airlock:\s*ignore\b`)
)

// suppressions reads "# airlock: ignore[rule-a,rule-b] reason" comments
// from the raw lines: in YAML comments and in the scripts a file holds
// (a shell comment inside a run: block works too). A suppression without
// a reason or without a rule is ignored with a diagnostic.
func (p *parser) suppressions() {
	for i, line := range p.lines {
		if !strings.Contains(line, "airlock:") {
			continue
		}
		loc := suppressLeadRE.FindStringIndex(line)
		if loc == nil || (loc[0] > 0 && line[loc[0]-1] != ' ' && line[loc[0]-1] != '\t') {
			continue
		}
		n := i + 1
		m := suppressRE.FindStringSubmatch(line[loc[0]:])
		if m == nil {
			p.diag(n, "malformed suppression; write %q", "# airlock: ignore[rule-id] reason")
			continue
		}
		var rules []string
		for _, r := range strings.Split(m[1], ",") {
			if r = strings.TrimSpace(r); r != "" {
				rules = append(rules, r)
			}
		}
		reason := strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(m[2]), "-–—:"))
		switch {
		case len(rules) == 0:
			p.diag(n, "suppression names no rule and is ignored")
		case reason == "":
			p.diag(n, "suppression without a reason is ignored")
		default:
			col := utf8.RuneCountInString(line[:loc[0]]) + 1
			p.file.Suppressions = append(p.file.Suppressions, Suppression{Pos: Pos{Line: n, Col: col}, Rules: rules, Reason: reason})
		}
	}
}
