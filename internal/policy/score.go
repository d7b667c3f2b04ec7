// Package policy turns findings into a verdict. It sees findings only —
// never rules or files — and explains every point of the score.
package policy

import (
	"fmt"
	"sort"

	"github.com/airlock-sec/airlock/internal/model"
)

// Thresholds map a score to a verdict.
type Thresholds struct {
	Warn  int `yaml:"warn" json:"warn"`
	Block int `yaml:"block" json:"block"`
}

// DefaultThresholds: a single critical finding, or a combination of
// capabilities that only malware needs, reaches Block.
func DefaultThresholds() Thresholds { return Thresholds{Warn: 40, Block: 100} }

var severityPoints = map[model.Severity]int{model.Info: 0, model.Low: 5, model.Medium: 15, model.High: 35, model.Critical: 100}

// combo is a correlation: capabilities that together mean more than
// their sum.
type combo struct {
	all    []model.Capability // every one required
	any    []model.Capability // at least one required (if set)
	hook   bool               // only in install-time or startup code
	early  bool               // every required capability seen in code that runs on load (import, install or startup), not only inside functions
	points int
	why    string
}

var combos = []combo{
	{hook: true, all: []model.Capability{model.CapNetwork, model.CapRecon}, points: 100, why: "install-time or startup code sends host or user identity over the network (dependency-confusion callback or stealer)"},
	{hook: true, all: []model.Capability{model.CapNetwork, model.CapCredentials}, points: 100, why: "install-time or startup code reads secrets and uses the network"},
	{hook: true, all: []model.Capability{model.CapExfilHost}, points: 100, why: "install-time or startup code contacts an exfiltration endpoint"},
	{hook: true, all: []model.Capability{model.CapExec, model.CapDecode}, points: 100, why: "install-time or startup code runs hidden code"},
	{hook: true, all: []model.Capability{model.CapDownloadRun}, points: 100, why: "install-time or startup code downloads and runs code"},
	{hook: true, any: []model.Capability{model.CapPersistence, model.CapReverseShel}, points: 100, why: "install-time or startup code installs persistence or a remote shell"},
	{hook: true, all: []model.Capability{model.CapBinary, model.CapProcess}, points: 100, why: "install-time or startup code runs an executable shipped in the package"},
	{hook: true, all: []model.Capability{model.CapStealth, model.CapProcess}, points: 45, why: "install-time or startup code spawns hidden processes"},
	{hook: true, all: []model.Capability{model.CapDecode}, any: []model.Capability{model.CapProcess, model.CapNetwork, model.CapCredentials}, points: 60, why: "install-time or startup code hides what it runs"},
	{hook: true, all: []model.Capability{model.CapNetwork}, points: 30, why: "install-time or startup code uses the network"},
	{hook: true, all: []model.Capability{model.CapObfuscation}, points: 90, why: "install-time or startup code is obfuscated"},
	{hook: true, all: []model.Capability{model.CapExec}, any: []model.Capability{model.CapObfuscation, model.CapDecode}, points: 60, why: "install-time or startup code runs dynamically built code"},
	{all: []model.Capability{model.CapExec, model.CapDecode}, any: []model.Capability{model.CapNetwork, model.CapCredentials, model.CapProcess, model.CapPersistence, model.CapExfilHost}, points: 100, why: "runs hidden code that reaches the network, secrets or processes"},
	{early: true, all: []model.Capability{model.CapNetwork, model.CapRecon}, points: 95, why: "module-level code sends host or user identity over the network as soon as it is imported"},
	{early: true, all: []model.Capability{model.CapDownloadRun}, points: 70, why: "module-level code downloads and runs code as soon as it is imported"},
	{early: true, all: []model.Capability{model.CapNetwork, model.CapExfilHost}, points: 70, why: "module-level code contacts an exfiltration endpoint as soon as it is imported"},
	{all: []model.Capability{model.CapExec, model.CapDecode}, points: 70, why: "runs code it decodes at run time"},
	{all: []model.Capability{model.CapDecode}, any: []model.Capability{model.CapCredentials, model.CapPersistence, model.CapExfilHost, model.CapCloudMeta, model.CapKubernetes}, points: 70, why: "decoded payload touches secrets, persistence or exfiltration hosts"},
	{all: []model.Capability{model.CapCredentials, model.CapExfilHost}, points: 100, why: "reads secrets and contacts an exfiltration endpoint (stealer)"},
	{all: []model.Capability{model.CapRecon, model.CapExfilHost, model.CapNetwork}, points: 70, why: "sends host identity to an exfiltration endpoint"},
	{all: []model.Capability{model.CapCredentials, model.CapNetwork}, any: []model.Capability{model.CapObfuscation, model.CapStealth, model.CapPersistence}, points: 70, why: "reads secrets, uses the network and hides or persists"},
	{all: []model.Capability{model.CapPropagation, model.CapCredentials}, points: 100, why: "uses stolen credentials to spread"},
	{all: []model.Capability{model.CapObfuscation}, any: []model.Capability{model.CapNetwork, model.CapProcess, model.CapExec, model.CapCredentials}, points: 40, why: "obfuscated code that uses the network, processes, secrets or dynamic code"},
	{all: []model.Capability{model.CapObfuscation, model.CapExec}, any: []model.Capability{model.CapDecode}, points: 40, why: "obfuscated code that decodes and runs a hidden payload"},
	{all: []model.Capability{model.CapDownloadRun, model.CapStealth}, points: 60, why: "downloads and runs code in a hidden process"},
	{all: []model.Capability{model.CapDownloadRun, model.CapProcess}, points: 70, why: "downloads a program and runs it"},
	{all: []model.Capability{model.CapCloudMeta, model.CapExfilHost}, points: 100, why: "steals cloud credentials from the metadata service"},
	{all: []model.Capability{model.CapPersistence}, any: []model.Capability{model.CapExfilHost, model.CapDownloadRun}, points: 70, why: "persists and talks to an exfiltration or payload host"},
	{all: []model.Capability{model.CapDownloadRun, model.CapExfilHost}, points: 60, why: "fetches programs from an exfiltration or payload host"},
}

// Points for advisory findings: a known malicious version blocks on its
// own, a known vulnerability warns.
const (
	KnownMaliciousPoints = 100
	VulnerablePoints     = 40
)

// advisoryOnly reports whether a finding comes from an advisory or
// lockfile check rather than from code.
func advisoryOnly(f model.Finding) bool {
	for _, c := range f.Capabilities {
		if c != model.CapKnownMalicious && c != model.CapVulnerable && c != model.CapUnpinned {
			return false
		}
	}
	return len(f.Capabilities) > 0
}

// group is the scoring unit: one file, with its decoded layers.
type group struct {
	path  string
	hook  bool
	caps  map[model.Capability]model.Severity
	early map[model.Capability]bool
	other bool
}

// Score computes a package score from its findings and explains it.
func Score(findings []model.Finding) (int, []string) {
	groups := map[string]*group{}
	var order []string
	for _, f := range findings {
		g := groups[f.Path]
		if g == nil {
			g = &group{path: f.Path, caps: map[model.Capability]model.Severity{}, early: map[model.Capability]bool{}, other: true}
			groups[f.Path] = g
			order = append(order, f.Path)
		}
		if f.Context == model.Install || f.Context == model.Startup {
			g.hook = true
		}
		if f.Context != model.Other || advisoryOnly(f) {
			g.other = false // advisories judge the version, not a test file
		}
		for _, c := range f.Capabilities {
			if s, ok := g.caps[c]; !ok || f.Severity > s {
				g.caps[c] = f.Severity
			}
			if f.Context == model.Import || f.Context == model.Install || f.Context == model.Startup {
				g.early[c] = true
			}
		}
	}
	type scored struct {
		path  string
		score int
		why   []string
	}
	var all []scored
	for _, p := range order {
		g := groups[p]
		s, why := g.score(findings)
		if s > 0 {
			all = append(all, scored{p, s, why})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].score > all[j].score })
	if len(all) == 0 {
		return 0, nil
	}
	total := all[0].score
	expl := append([]string(nil), all[0].why...)
	// Other files add a fraction: many weak signals spread over a package
	// count, but never as much as one file that does it all.
	extra := 0
	for _, s := range all[1:] {
		extra += s.score / 4
	}
	if extra > 0 {
		if extra > 60 {
			extra = 60
		}
		total += extra
		expl = append(expl, fmt.Sprintf("+%d from %d other file(s) with findings", extra, len(all)-1))
	}
	return total, expl
}

func (g *group) has(c model.Capability) bool {
	_, ok := g.caps[c]
	return ok
}

func (g *group) score(findings []model.Finding) (int, []string) {
	var why []string
	// Base: the strongest finding's severity, plus small increments for
	// each further distinct capability.
	// Advisory and lockfile findings are not scored by severity: a
	// vulnerability is a warning whatever its CVSS score (configuration
	// can make it block), an unpinned line is a note.
	best := model.Info
	for _, f := range findings {
		if f.Path == g.path && f.Severity > best && !advisoryOnly(f) {
			best = f.Severity
		}
	}
	score := severityPoints[best]
	if score > 0 {
		why = append(why, fmt.Sprintf("%s: strongest finding is %s (+%d)", g.path, best, score))
	}
	if g.has(model.CapKnownMalicious) {
		score += KnownMaliciousPoints
		why = append(why, fmt.Sprintf("%s: version named by a malicious-package advisory (+%d)", g.path, KnownMaliciousPoints))
	}
	if g.has(model.CapVulnerable) {
		score += VulnerablePoints
		why = append(why, fmt.Sprintf("%s: version has a known vulnerability (+%d)", g.path, VulnerablePoints))
	}
	for _, c := range combos {
		if c.hook && !g.hook || c.early && g.hook {
			continue // load-time combinations restate hook ones for install and startup code
		}
		ok := true
		for _, need := range c.all {
			if !g.has(need) || c.early && !g.early[need] {
				ok = false
				break
			}
		}
		if ok && len(c.any) > 0 {
			ok = false
			for _, a := range c.any {
				if g.has(a) {
					ok = true
					break
				}
			}
		}
		if ok {
			score += c.points
			why = append(why, fmt.Sprintf("%s: %s (+%d)", g.path, c.why, c.points))
		}
	}
	if g.other && score > 0 {
		cut := score / 2
		score -= cut
		why = append(why, fmt.Sprintf("%s: test, example or docs path (-%d)", g.path, cut))
	}
	return score, why
}

// Decide maps a score to a verdict.
func Decide(score int, t Thresholds) model.Verdict {
	switch {
	case score >= t.Block:
		return model.Block
	case score >= t.Warn:
		return model.Warn
	}
	return model.Allow
}
