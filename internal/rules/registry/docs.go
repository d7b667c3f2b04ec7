package registry

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/airlock-sec/airlock/internal/rules"
)

// DocFileName is the file under docs/rules/ for a rule ID.
func DocFileName(id string) string { return strings.ReplaceAll(id, "/", "-") + ".md" }

// RuleDoc renders the documentation page of one rule from its metadata.
func RuleDoc(m rules.Meta) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s\n\n", m.ID)
	fmt.Fprintf(&b, "**%s**\n\n", m.Title)
	fmt.Fprintf(&b, "%s\n\n", m.Description)
	fmt.Fprintf(&b, "| | |\n|---|---|\n")
	fmt.Fprintf(&b, "| highest severity | %s |\n", m.Severity)
	eco := "all"
	if len(m.Ecosystems) > 0 {
		var e []string
		for _, x := range m.Ecosystems {
			e = append(e, string(x))
		}
		eco = strings.Join(e, ", ")
	}
	fmt.Fprintf(&b, "| ecosystems | %s |\n", eco)
	var caps []string
	for _, c := range m.Capabilities {
		caps = append(caps, "`"+string(c)+"`")
	}
	if len(caps) > 0 {
		fmt.Fprintf(&b, "| capabilities scored | %s |\n", strings.Join(caps, ", "))
	}
	needs := "nothing beyond the package files"
	if len(m.Needs) > 0 {
		needs = strings.Join(m.Needs, ", ")
	}
	fmt.Fprintf(&b, "| needs | %s |\n\n", needs)
	if strings.HasPrefix(m.ID, "workflow/") {
		fmt.Fprintf(&b, "Disable with `airlock ci --disable %s`, or suppress one finding with a comment on its line or the line above: `# airlock: ignore[%s] <reason>`.\n\n", m.ID, m.ID)
	} else {
		fmt.Fprintf(&b, "Disable with `airlock scan --disable %s` or in `.airlock.yaml`:\n\n```yaml\nrules:\n  disable: [%s]\n```\n\n", m.ID, m.ID)
	}
	fmt.Fprintf(&b, "_Generated from the rule's metadata by `go test ./internal/rules/registry -update`; do not edit._\n")
	return b.Bytes()
}

// Index renders docs/rules/README.md.
func Index(list []rules.Meta) []byte {
	var b bytes.Buffer
	b.WriteString("# Rules\n\nEvery rule airlock runs, generated from rule metadata (`go test ./internal/rules/registry -update`).\n")
	b.WriteString("How findings combine into a score and a verdict is described in [../scoring.md](../scoring.md).\n\n")
	b.WriteString("| rule | highest severity | title |\n|---|---|---|\n")
	for _, m := range list {
		fmt.Fprintf(&b, "| [%s](%s) | %s | %s |\n", m.ID, DocFileName(m.ID), m.Severity, m.Title)
	}
	return b.Bytes()
}
