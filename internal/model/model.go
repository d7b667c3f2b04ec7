// Package model is airlock's shared vocabulary: packages, findings, evidence,
// verdicts and diagnostics. Every other package may import it; it imports
// nothing of airlock's.
package model

import (
	"fmt"
	"strings"
)

// Ecosystem names a package ecosystem.
type Ecosystem string

const (
	PyPI    Ecosystem = "pypi"
	NPM     Ecosystem = "npm"
	Go      Ecosystem = "go"
	Unknown Ecosystem = "unknown"
	// CI marks results about CI/CD pipeline files (airlock ci) and Host
	// results about files of the machine (airlock sweep): not packages.
	CI   Ecosystem = "ci"
	Host Ecosystem = "host"
)

// Severity orders findings. The zero value is Info.
type Severity int

const (
	Info Severity = iota
	Low
	Medium
	High
	Critical
)

var severityNames = [...]string{"info", "low", "medium", "high", "critical"}

func (s Severity) String() string {
	if s < Info || s > Critical {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity accepts the lowercase names printed by String.
func ParseSeverity(v string) (Severity, error) {
	for i, n := range severityNames {
		if strings.EqualFold(v, n) {
			return Severity(i), nil
		}
	}
	return Info, fmt.Errorf("unknown severity %q (allowed: %s)", v, strings.Join(severityNames[:], ", "))
}

func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Verdict is the decision for one package.
type Verdict string

const (
	Allow Verdict = "allow"
	Warn  Verdict = "warn"
	Block Verdict = "block"
)

// Rank orders verdicts: allow < warn < block.
func (v Verdict) Rank() int {
	switch v {
	case Block:
		return 2
	case Warn:
		return 1
	}
	return 0
}

// ParseVerdict accepts "allow", "warn" or "block".
func ParseVerdict(s string) (Verdict, error) {
	switch Verdict(strings.ToLower(s)) {
	case Allow, Warn, Block:
		return Verdict(strings.ToLower(s)), nil
	}
	return "", fmt.Errorf("unknown verdict %q (allowed: allow, warn, block)", s)
}

// Context says when the code holding a finding runs.
type Context string

const (
	// Startup code runs at every interpreter start (.pth, sitecustomize).
	Startup Context = "startup"
	// Install code runs when the package is installed or built
	// (setup.py, npm install scripts and the files they run).
	Install Context = "install"
	// Import code runs when the package is imported or required: the
	// module-level code of importable files.
	Import Context = "import"
	// Runtime code sits inside functions of importable files: it runs
	// only when something calls it.
	Runtime Context = "runtime"
	// Other is code with no known trigger (tests, examples, tools).
	Other Context = ""
)

// Capability is what a finding shows the code can do. Scoring correlates
// capabilities: one alone is rarely malice, several together are.
type Capability string

const (
	CapExec        Capability = "exec"        // dynamic code execution
	CapDecode      Capability = "decode"      // hidden payload revealed by decoding
	CapObfuscation Capability = "obfuscation" // code made to resist reading
	CapProcess     Capability = "process"     // spawns processes / shell commands
	CapNetwork     Capability = "network"     // sends or fetches data over the network
	CapExfilHost   Capability = "exfil-host"  // talks to a host used for exfiltration
	CapCredentials Capability = "credentials" // reads secrets
	CapRecon       Capability = "recon"       // collects host/user identity
	CapDownloadRun Capability = "download-exec"
	CapPersistence Capability = "persistence"
	CapCloudMeta   Capability = "cloud-metadata"
	CapKubernetes  Capability = "kubernetes"
	CapReverseShel Capability = "reverse-shell"
	CapStealth     Capability = "stealth" // detached/hidden spawning
	CapPropagation Capability = "propagation"
	CapDrainer     Capability = "crypto-drainer"
	CapBinary      Capability = "binary"
	CapHook        Capability = "hook" // install or startup hook present
	// Known-bad and known-vulnerable versions, from advisories.
	CapKnownMalicious Capability = "known-malicious"
	CapVulnerable     Capability = "vulnerable"
	// CapUnpinned marks a dependency declared without an exact version.
	CapUnpinned Capability = "unpinned"
)

// Finding is one thing a rule saw, with evidence a person can judge.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	// Path is the file inside the package, slash-separated.
	Path string `json:"path"`
	// Line is 1-based in the original file; 0 when not applicable.
	Line int `json:"line,omitempty"`
	// Column is 1-based, when the finding points inside a line (CI files).
	Column int `json:"column,omitempty"`
	// Layers is the decoding chain that revealed the code, outermost first,
	// e.g. ["base64","zlib"]. Empty for plain source.
	Layers  []string `json:"layers,omitempty"`
	Message string   `json:"message"`
	// Evidence is a short sanitized snippet.
	Evidence     string       `json:"evidence,omitempty"`
	Context      Context      `json:"context,omitempty"`
	Capabilities []Capability `json:"capabilities,omitempty"`
	// Advisory is set on advisory/* findings: the known-bad or vulnerable
	// record that matched the package version.
	Advisory *AdvisoryRef `json:"advisory,omitempty"`
}

// AdvisoryRef names the advisory behind an advisory/* finding.
type AdvisoryRef struct {
	// ID is the primary ID (a MAL- ID when the alias group has one).
	ID string `json:"id"`
	// Aliases are the other IDs of the same advisory (GHSA, PYSEC, CVE).
	Aliases []string `json:"aliases,omitempty"`
	Summary string   `json:"summary,omitempty"`
	// CVSS is the CVSS vector the advisory gives, if any.
	CVSS string `json:"cvss,omitempty"`
	// Fixed lists the versions that fix it, when the advisory names them.
	Fixed []string `json:"fixed,omitempty"`
	URL   string   `json:"url,omitempty"`
}

// Location renders path:line → layer → layer.
func (f Finding) Location() string {
	var b strings.Builder
	b.WriteString(f.Path)
	if f.Line > 0 {
		fmt.Fprintf(&b, ":%d", f.Line)
	}
	for _, l := range f.Layers {
		b.WriteString(" → ")
		b.WriteString(l)
	}
	return b.String()
}

// Diagnostic is a problem with the input (an unreadable file, a limit hit),
// not a judgement about the package. The scan goes on.
type Diagnostic struct {
	// Target is the scanned target (artifact or directory) the problem is in.
	Target string `json:"target,omitempty"`
	// Path is the file inside the target, when known.
	Path    string `json:"path,omitempty"`
	Message string `json:"message"`
}

func (d Diagnostic) String() string {
	loc := d.Target
	if d.Path != "" {
		if loc != "" {
			loc += ": "
		}
		loc += d.Path
	}
	if loc == "" {
		return d.Message
	}
	return loc + ": " + d.Message
}

// Package identifies one scanned package.
type Package struct {
	Ecosystem Ecosystem `json:"ecosystem"`
	Name      string    `json:"name"`
	Version   string    `json:"version"`
	// Path is where the package was found on disk (artifact file or directory).
	Path string `json:"path"`
	// Kind is how it was found: wheel, sdist, npm-tarball, zip, directory,
	// installed.
	Kind string `json:"kind"`
	// Digest is "sha256:<hex>" of the artifact file; empty for directories.
	Digest string `json:"digest,omitempty"`
}

// ID renders ecosystem:name@version.
func (p Package) ID() string {
	n := p.Name
	if n == "" {
		n = "(unnamed)"
	}
	if p.Version != "" {
		n += "@" + p.Version
	}
	return string(p.Ecosystem) + ":" + n
}

// Result is the verdict for one package with the findings behind it.
type Result struct {
	Package
	Verdict  Verdict   `json:"verdict"`
	Score    int       `json:"score"`
	Findings []Finding `json:"findings"`
	// Explanation says in words how the score was reached.
	Explanation []string `json:"explanation,omitempty"`
	// Allowed is set when an allow-list entry overrode the verdict.
	Allowed string `json:"allowed,omitempty"`
	// Suppressed counts findings dropped by configuration.
	Suppressed int `json:"suppressed,omitempty"`
}

// SchemaVersion is the version of the JSON report shape (docs/json-schema.md).
const SchemaVersion = "1"

// Report is the canonical output of a scan. JSON is its canonical form.
type Report struct {
	SchemaVersion string       `json:"schema_version"`
	Tool          Tool         `json:"tool"`
	Packages      []Result     `json:"packages"`
	Diagnostics   []Diagnostic `json:"diagnostics"`
	Summary       Summary      `json:"summary"`
}

type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type Summary struct {
	Packages int `json:"packages"`
	Allow    int `json:"allow"`
	Warn     int `json:"warn"`
	Block    int `json:"block"`
	Findings int `json:"findings"`
}

// Summarize fills r.Summary from r.Packages.
func (r *Report) Summarize() {
	s := Summary{Packages: len(r.Packages)}
	for _, p := range r.Packages {
		switch p.Verdict {
		case Allow:
			s.Allow++
		case Warn:
			s.Warn++
		case Block:
			s.Block++
		}
		s.Findings += len(p.Findings)
	}
	r.Summary = s
}

// Dependency is one package pinned (or merely named) by a lockfile or
// manifest, with where it was declared.
type Dependency struct {
	Ecosystem Ecosystem `json:"ecosystem"`
	Name      string    `json:"name"`
	// Version is the exact resolved version; empty when the file does not
	// pin one (Unpinned is then set and Constraint says what was asked).
	Version    string `json:"version,omitempty"`
	Constraint string `json:"constraint,omitempty"`
	Unpinned   bool   `json:"unpinned,omitempty"`
	// Path is the lockfile or manifest, Line the 1-based line of the entry
	// (0 when the format gives none).
	Path string `json:"path"`
	Line int    `json:"line,omitempty"`
	// Direct is set for dependencies the project names itself (not only
	// reached transitively), when the format says so.
	Direct bool `json:"direct,omitempty"`
	// Dev is set for development-only dependencies, when the format says so.
	Dev bool `json:"dev,omitempty"`
	// Source is where the package comes from when it is not the default
	// registry: a URL, a VCS reference, a local path.
	Source string `json:"source,omitempty"`
	// Hashes are the integrity values the file records ("sha256:…",
	// "sha512-…").
	Hashes []string `json:"hashes,omitempty"`
}
