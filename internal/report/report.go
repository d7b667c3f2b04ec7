// Package report renders a model.Report. JSON is the canonical form; text
// and SARIF are views of the same data and read nothing that the JSON does
// not hold, so any of them can be rendered again from a saved JSON report
// (see ReadJSON).
//
// Renderers import the model only: rule metadata for SARIF arrives through
// Options.Rules.
package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/airlock-sec/airlock/internal/model"
)

// Format names an output format.
type Format string

const (
	Text  Format = "text"
	JSON  Format = "json"
	SARIF Format = "sarif"
)

var formats = []Format{Text, JSON, SARIF}

// Formats lists the accepted format names in display order.
func Formats() []string {
	out := make([]string, len(formats))
	for i, f := range formats {
		out[i] = string(f)
	}
	return out
}

// ParseFormat accepts a format name, case-insensitively.
func ParseFormat(s string) (Format, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	for _, f := range formats {
		if v == string(f) {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown report format %q (allowed: %s)", s, strings.Join(Formats(), ", "))
}

// DefaultMaxEvidence is the evidence length, in runes, used when
// Options.MaxEvidence is not positive.
const DefaultMaxEvidence = 160

// RuleInfo is the rule metadata SARIF needs. The caller fills it from the
// rule registry so that report does not import the rules.
type RuleInfo struct {
	ID          string
	Title       string
	Description string
	Severity    model.Severity
}

// Options tune rendering. The zero value is valid.
type Options struct {
	// Color enables ANSI colour in text output.
	Color bool
	// Verbose lists allowed packages that have no findings (text output).
	Verbose bool
	// MaxEvidence caps evidence snippets in runes; <= 0 means
	// DefaultMaxEvidence.
	MaxEvidence int
	// Rules describes the rules for SARIF's tool.driver.rules. Rules
	// referenced by findings but missing here get a minimal entry.
	Rules []RuleInfo
	// BaseDir is the directory SARIF locations are made relative to;
	// empty means the current working directory.
	BaseDir string
}

func (o Options) maxEvidence() int {
	if o.MaxEvidence <= 0 {
		return DefaultMaxEvidence
	}
	return o.MaxEvidence
}

// Write renders r to w in the named format.
func Write(w io.Writer, r *model.Report, format string, opts Options) error {
	f, err := ParseFormat(format)
	if err != nil {
		return err
	}
	if r == nil {
		return fmt.Errorf("write %s report: no report", f)
	}
	n := normalize(r)
	switch f {
	case JSON:
		err = writeJSON(w, n)
	case SARIF:
		err = writeSARIF(w, n, opts)
	default:
		err = writeText(w, n, opts)
	}
	if err != nil {
		return fmt.Errorf("write %s report: %w", f, err)
	}
	return nil
}

// normalize returns a copy of r in canonical shape: schema version and tool
// name set, no nil slices where the JSON promises arrays, summary recomputed.
// r itself is not modified.
func normalize(r *model.Report) *model.Report {
	n := *r
	if n.SchemaVersion == "" {
		n.SchemaVersion = model.SchemaVersion
	}
	if n.Tool.Name == "" {
		n.Tool.Name = "airlock"
	}
	n.Packages = make([]model.Result, len(r.Packages))
	copy(n.Packages, r.Packages)
	for i := range n.Packages {
		if n.Packages[i].Findings == nil {
			n.Packages[i].Findings = []model.Finding{}
		}
	}
	n.Diagnostics = make([]model.Diagnostic, len(r.Diagnostics))
	copy(n.Diagnostics, r.Diagnostics)
	n.Summarize()
	return &n
}
