// Package advisory holds the rules that report known-bad and vulnerable
// versions. They see the advisories the engine looked up for a package
// (rules.Input.Known) and the lockfile lines that declare it; no code is
// read, so they decide before — and regardless of — any analysis.
package advisory

import (
	"fmt"
	"path"
	"strings"

	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
)

// List is the registry of advisory rules, in documentation order.
func List() []rules.Rule {
	return []rules.Rule{Malicious{}, Vulnerable{}, Unpinned{}}
}

// metadataFiles name a package's version, in the order they are cited.
var metadataFiles = []string{"METADATA", "PKG-INFO", "package.json", "pyproject.toml", "setup.cfg"}

// locate is where an advisory finding points: the first lockfile or
// manifest line declaring the package, else its metadata file.
func locate(in *rules.Input) (file string, line int, also string) {
	if len(in.Declared) > 0 {
		d := in.Declared[0]
		var more []string
		for _, o := range in.Declared[1:] {
			more = append(more, declared(o))
			if len(more) == 5 {
				more = append(more, fmt.Sprintf("and %d more", len(in.Declared)-6))
				break
			}
		}
		if len(more) > 0 {
			also = "also declared at " + strings.Join(more, ", ")
		}
		return d.Path, d.Line, also
	}
	for _, want := range metadataFiles {
		for _, f := range in.Files {
			if path.Base(f.Path) == want && strings.Count(f.Path, "/") <= 1 {
				return f.Path, 0, ""
			}
		}
	}
	return "", 0, ""
}

func declared(d model.Dependency) string {
	if d.Line > 0 {
		return fmt.Sprintf("%s:%d", d.Path, d.Line)
	}
	return d.Path
}

func ids(k rules.Known) string {
	s := fmt.Sprintf("%q", k.Ref.ID)
	if len(k.Ref.Aliases) > 0 {
		s += " (" + strings.Join(k.Ref.Aliases, ", ") + ")"
	}
	return s
}

func finding(in *rules.Input, k rules.Known, sev model.Severity, msg string, c model.Capability) model.Finding {
	file, line, also := locate(in)
	ref := k.Ref
	ev := ref.Summary
	if also != "" {
		if ev != "" {
			ev += "; "
		}
		ev += also
	}
	return model.Finding{Severity: sev, Path: file, Line: line, Message: msg, Evidence: ev,
		Capabilities: []model.Capability{c}, Advisory: &ref}
}
