// Package rules defines what a rule is and holds the one registry of all
// rules. Rules see analyzed facts and emit findings with evidence; they
// never import the engine, store, proxy or report.
package rules

import (
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"github.com/airlock-sec/airlock/internal/analyze"
	"github.com/airlock-sec/airlock/internal/model"
)

// Meta describes a rule. Docs under docs/rules/ are generated from it.
type Meta struct {
	// ID is stable and path-like: "static/pth-exec".
	ID    string
	Title string
	// Description explains what the rule looks for, why it matters and
	// what benign code it leaves alone (markdown).
	Description string
	// Severity is the highest severity the rule reports.
	Severity model.Severity
	// Ecosystems the rule applies to; empty means all.
	Ecosystems []model.Ecosystem
	// Capabilities the rule's findings carry (used for scoring).
	Capabilities []model.Capability
	// Needs lists what the rule requires beyond the package bytes
	// ("network", "sandbox"); static rules need nothing.
	Needs []string
}

// Rule checks one package.
type Rule interface {
	Meta() Meta
	Check(in *Input, r *Reporter)
}

// File is one file of the package as the rules see it.
type File struct {
	Path string
	Size int64
	Mode fs.FileMode
	// Head holds the first bytes (up to 64 KiB) for magic-number checks.
	Head []byte
	// Text is the file content for code and metadata files (bounded).
	Text []byte
	// Facts is set for files analyzed as code.
	Facts   *analyze.Facts
	Context model.Context
}

// Input is everything known about one package.
type Input struct {
	Package model.Package
	Files   []*File
	// Scripts are npm lifecycle scripts that run on install, by name.
	Scripts map[string]string
	// Installed describes problems found in an installed environment
	// (orphan .pth files, RECORD hash mismatches), by file path.
	OrphanPth    []string
	HashMismatch []string
	// Diagnostics are problems met while analyzing the files.
	Diagnostics []model.Diagnostic
	// Known are the advisories that name this exact package version, as
	// the engine looked them up in the advisory database.
	Known []Known
	// Declared lists where lockfiles and manifests name the package
	// (empty for a package found only as an artifact or installed).
	Declared []model.Dependency
	byPath   map[string]*File
}

// Known is one advisory naming the package version.
type Known struct {
	Ref model.AdvisoryRef
	// Malicious is set for malicious-package reports (OSV MAL- records).
	Malicious bool
	// Severity is derived from the advisory's CVSS vector; Medium when it
	// gives none.
	Severity model.Severity
}

// Lookup finds a file by path.
func (in *Input) Lookup(p string) *File {
	if in.byPath == nil {
		in.byPath = make(map[string]*File, len(in.Files))
		for _, f := range in.Files {
			in.byPath[f.Path] = f
		}
	}
	return in.byPath[p]
}

// EachFacts calls fn for every analyzed unit: files and their decoded
// layers.
func (in *Input) EachFacts(fn func(f *File, u *analyze.Facts)) {
	for _, f := range in.Files {
		if f.Facts == nil {
			continue
		}
		f.Facts.Walk(func(u *analyze.Facts) { fn(f, u) })
	}
}

// Reporter collects findings for one rule.
type Reporter struct {
	meta     Meta
	findings []model.Finding
	seen     map[string]bool
}

// NewReporter starts collecting findings for a rule.
func NewReporter(m Meta) *Reporter { return &Reporter{meta: m, seen: map[string]bool{}} }

// Findings returns what was reported.
func (r *Reporter) Findings() []model.Finding { return r.findings }

// Report adds a finding; Rule is filled in, duplicates are dropped and
// severity is capped at the rule's declared maximum.
func (r *Reporter) Report(f model.Finding) {
	f.Rule = r.meta.ID
	if f.Severity > r.meta.Severity {
		f.Severity = r.meta.Severity
	}
	key := f.Path + "\x00" + strconv.Itoa(f.Line) + "\x00" + strings.Join(f.Layers, ">") + "\x00" + f.Message
	if r.seen[key] {
		return
	}
	r.seen[key] = true
	if len(r.findings) >= 200 {
		return
	}
	f.Evidence = clean(f.Evidence)
	r.findings = append(r.findings, f)
}

// At starts a finding located at a line of a unit.
func At(u *analyze.Facts, line int, sev model.Severity, msg string, caps ...model.Capability) model.Finding {
	return model.Finding{
		Severity:     sev,
		Path:         u.Unit.Path,
		Line:         u.Loc(line),
		Layers:       append([]string(nil), u.Unit.Layers...),
		Message:      msg,
		Context:      u.Unit.Context,
		Capabilities: caps,
	}
}

// clean makes evidence one short line.
func clean(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 400 {
		s = s[:400]
		for len(s) > 0 && s[len(s)-1]&0xC0 == 0x80 {
			s = s[:len(s)-1]
		}
		s += "…"
	}
	return s
}

// Applies reports whether a rule runs for an ecosystem.
func (m Meta) Applies(e model.Ecosystem) bool {
	if len(m.Ecosystems) == 0 || e == model.Unknown {
		return true
	}
	for _, x := range m.Ecosystems {
		if x == e {
			return true
		}
	}
	return false
}

// Run checks a package with the given rules and returns all findings,
// most severe first.
func Run(in *Input, list []Rule) []model.Finding {
	var out []model.Finding
	for _, r := range list {
		m := r.Meta()
		if !m.Applies(in.Package.Ecosystem) {
			continue
		}
		rep := NewReporter(m)
		r.Check(in, rep)
		out = append(out, rep.Findings()...)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Severity != out[j].Severity {
			return out[i].Severity > out[j].Severity
		}
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Line < out[j].Line
	})
	return out
}

// AtCall starts a finding located at a call. Module-level code of an
// importable file runs at import; code inside functions only when called,
// which the context records.
func AtCall(u *analyze.Facts, c analyze.Call, sev model.Severity, msg string, caps ...model.Capability) model.Finding {
	f := At(u, c.Line, sev, msg, caps...)
	if f.Context == model.Import && c.InFunc {
		f.Context = model.Runtime
	}
	return f
}
