package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/airlock-sec/airlock/internal/model"
)

const (
	sarifSchema    = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion   = "2.1.0"
	informationURI = "https://github.com/airlock-sec/airlock"
	rulesDocBase   = "https://github.com/airlock-sec/airlock/blob/main/docs/rules/"
	// fingerprintKey names airlock's entry in partialFingerprints; bump the
	// version if the hashed fields change.
	fingerprintKey = "airlock/v1"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations,omitempty"`
	Results     []sarifResult     `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID                   string          `json:"id"`
	Name                 string          `json:"name"`
	ShortDescription     sarifText       `json:"shortDescription"`
	FullDescription      sarifText       `json:"fullDescription"`
	HelpURI              string          `json:"helpUri,omitempty"`
	DefaultConfiguration sarifRuleConfig `json:"defaultConfiguration"`
	Properties           sarifRuleProps  `json:"properties"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Tags             []string `json:"tags"`
	SecuritySeverity string   `json:"security-severity"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Suppressions        []sarifSuppress   `json:"suppressions,omitempty"`
	Properties          sarifResultProps  `json:"properties"`
}

// sarifSuppress marks a result of a package that an allow-list entry let
// through, so code scanning does not raise it as an open alert.
type sarifSuppress struct {
	Kind          string `json:"kind"`
	Status        string `json:"status"`
	Justification string `json:"justification,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

type sarifResultProps struct {
	Package      string   `json:"package"`
	PackagePath  string   `json:"packagePath,omitempty"`
	Verdict      string   `json:"verdict"`
	Score        int      `json:"score"`
	Severity     string   `json:"severity"`
	InnerPath    string   `json:"innerPath"`
	Line         int      `json:"line,omitempty"`
	Layers       []string `json:"layers"`
	Evidence     string   `json:"evidence,omitempty"`
	Context      string   `json:"context,omitempty"`
	Capabilities []string `json:"capabilities,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

// sarifLevel maps a severity to a SARIF result level.
func sarifLevel(s model.Severity) string {
	switch {
	case s >= model.High:
		return "error"
	case s == model.Medium:
		return "warning"
	}
	return "note"
}

// securitySeverity is GitHub's 0–10 score for a severity, as a string.
func securitySeverity(s model.Severity) string {
	switch {
	case s >= model.Critical:
		return "9.5"
	case s == model.High:
		return "8.0"
	case s == model.Medium:
		return "5.5"
	case s == model.Low:
		return "3.0"
	}
	return "1.0"
}

// RuleDocURL is the documentation page of a rule: slashes in the id become
// dashes in the file name (static/pth-exec → docs/rules/static-pth-exec.md).
func RuleDocURL(id string) string {
	return rulesDocBase + url.PathEscape(strings.ReplaceAll(id, "/", "-")+".md")
}

// ruleName turns a rule id into the PascalCase identifier SARIF recommends
// for reportingDescriptor.name: static/pth-exec → StaticPthExec.
func ruleName(id string) string {
	var b strings.Builder
	up := true
	for _, r := range id {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			up = true
			continue
		}
		if up {
			r = unicode.ToUpper(r)
			up = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// sarifRules builds the rule table: opts.Rules in their order (first entry
// wins for a repeated id), then minimal entries, sorted by id, for rules that
// findings reference but opts.Rules lacks. It returns the table and each
// id's index in it.
func sarifRules(r *model.Report, infos []RuleInfo) ([]sarifRule, map[string]int) {
	rules := []sarifRule{}
	index := map[string]int{}
	for _, ri := range infos {
		if ri.ID == "" {
			continue
		}
		if _, dup := index[ri.ID]; dup {
			continue
		}
		title := clean(ri.Title)
		if title == "" {
			title = ri.ID
		}
		full := clean(ri.Description)
		if full == "" {
			full = title
		}
		index[ri.ID] = len(rules)
		rules = append(rules, sarifRule{
			ID:                   ri.ID,
			Name:                 ruleName(ri.ID),
			ShortDescription:     sarifText{title},
			FullDescription:      sarifText{full},
			HelpURI:              RuleDocURL(ri.ID),
			DefaultConfiguration: sarifRuleConfig{sarifLevel(ri.Severity)},
			Properties:           sarifRuleProps{Tags: []string{"security"}, SecuritySeverity: securitySeverity(ri.Severity)},
		})
	}
	// Unknown rules: severity is the highest any finding of them has.
	unknown := map[string]model.Severity{}
	for _, p := range r.Packages {
		for _, f := range p.Findings {
			if _, ok := index[f.Rule]; ok {
				continue
			}
			if s, seen := unknown[f.Rule]; !seen || f.Severity > s {
				unknown[f.Rule] = f.Severity
			}
		}
	}
	ids := make([]string, 0, len(unknown))
	for id := range unknown {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		sev := unknown[id]
		text := clean(id)
		if text == "" {
			text = "unnamed rule"
		}
		index[id] = len(rules)
		rules = append(rules, sarifRule{
			ID:                   id,
			Name:                 ruleName(id),
			ShortDescription:     sarifText{text},
			FullDescription:      sarifText{text},
			DefaultConfiguration: sarifRuleConfig{sarifLevel(sev)},
			Properties:           sarifRuleProps{Tags: []string{"security"}, SecuritySeverity: securitySeverity(sev)},
		})
	}
	return rules, index
}

// writeSARIF renders SARIF 2.1.0 for GitHub code scanning. r must be
// normalized.
//
// Locations: GitHub shows a result only at a path in the repository, and
// every result needs one. For a directory package the uri is the file itself
// and the region its line. For an archive the uri is the archive (the inner
// file does not exist on disk), without a region; the inner path, line and
// decoding layers are in the message and in properties.
func writeSARIF(w io.Writer, r *model.Report, opts Options) error {
	base := opts.BaseDir
	if base == "" {
		if wd, err := os.Getwd(); err == nil {
			base = wd
		}
	}
	rules, index := sarifRules(r, opts.Rules)
	results := []sarifResult{}
	for _, p := range r.Packages {
		pkg := diskPath{}
		if p.Path != "" {
			pkg = toDiskPath(p.Path, base)
			pkg.dir = isDirKind(p.Kind)
		}
		for _, f := range p.Findings {
			results = append(results, sarifFinding(p, f, pkg, index[f.Rule], opts))
		}
	}
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "airlock",
			Version:        clean(r.Tool.Version),
			InformationURI: informationURI,
			Rules:          rules,
		}},
		Results: results,
	}
	if len(r.Diagnostics) > 0 {
		inv := sarifInvocation{ExecutionSuccessful: true, ToolExecutionNotifications: []sarifNotification{}}
		for _, d := range r.Diagnostics {
			n := sarifNotification{Level: "warning", Message: sarifText{clean(d.String())}}
			if d.Target != "" {
				n.Locations = []sarifLocation{{PhysicalLocation: sarifPhysical{
					ArtifactLocation: sarifArtifact{URI: toDiskPath(d.Target, base).uri()},
				}}}
			}
			inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
		}
		run.Invocations = []sarifInvocation{inv}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}}); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func sarifFinding(p model.Result, f model.Finding, pkg diskPath, ruleIndex int, opts Options) sarifResult {
	inner := cleanInnerPath(f.Path)
	var loc sarifPhysical
	switch {
	case pkg.path == "" && inner != "":
		// No package path: the inner path is the best guess.
		loc.ArtifactLocation.URI = diskPath{path: inner}.uri()
	case pkg.path == "":
		loc.ArtifactLocation.URI = "."
	case pkg.dir && inner != "":
		loc.ArtifactLocation.URI = diskPath{path: path.Join(pkg.path, inner), abs: pkg.abs}.uri()
		if f.Line > 0 {
			loc.Region = &sarifRegion{StartLine: f.Line}
		}
	default:
		loc.ArtifactLocation.URI = pkg.uri()
	}
	msg := clean(p.ID()) + ": " + clean(f.Message)
	if where := clean(f.Location()); where != "" {
		msg += " (at " + where + ")"
	}
	layers := make([]string, len(f.Layers))
	for i, l := range f.Layers {
		layers[i] = clean(l)
	}
	caps := make([]string, 0, len(f.Capabilities))
	for _, c := range f.Capabilities {
		caps = append(caps, clean(string(c)))
	}
	var sup []sarifSuppress
	if p.Allowed != "" {
		sup = []sarifSuppress{{Kind: "external", Status: "accepted", Justification: clean(p.Allowed)}}
	}
	return sarifResult{
		Suppressions:        sup,
		RuleID:              f.Rule,
		RuleIndex:           ruleIndex,
		Level:               sarifLevel(f.Severity),
		Message:             sarifText{msg},
		Locations:           []sarifLocation{{PhysicalLocation: loc}},
		PartialFingerprints: map[string]string{fingerprintKey: fingerprint(p, f)},
		Properties: sarifResultProps{
			Package:      clean(p.ID()),
			PackagePath:  clean(pkg.path),
			Verdict:      string(p.Verdict),
			Score:        p.Score,
			Severity:     f.Severity.String(),
			InnerPath:    clean(f.Path),
			Line:         f.Line,
			Layers:       layers,
			Evidence:     sanitize(f.Evidence, opts.maxEvidence()),
			Context:      string(f.Context),
			Capabilities: caps,
		},
	}
}

// fingerprint is a stable hash of what identifies a finding: rule, package,
// inner path, line and evidence.
func fingerprint(p model.Result, f model.Finding) string {
	h := sha256.New()
	for _, s := range []string{f.Rule, p.ID(), f.Path, strconv.Itoa(f.Line), f.Evidence} {
		io.WriteString(h, s)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// isDirKind reports whether a package's Path is a directory holding its
// files at the finding paths. Installed packages are not: their Path and the
// paths of their files are not known to nest that way.
func isDirKind(kind string) bool { return kind == "directory" }

// diskPath is a path on disk in slash form: relative to the base directory
// when it lies under it (or was relative already), else absolute.
type diskPath struct {
	path string
	abs  bool
	dir  bool // the path is a package directory whose files exist on disk
}

func toDiskPath(p, base string) diskPath {
	if !filepath.IsAbs(p) {
		return diskPath{path: filepath.ToSlash(filepath.Clean(p))}
	}
	if base != "" {
		if absBase, err := filepath.Abs(base); err == nil {
			if rel, err := filepath.Rel(absBase, p); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				return diskPath{path: filepath.ToSlash(rel)}
			}
		}
	}
	s := filepath.ToSlash(filepath.Clean(p))
	if !strings.HasPrefix(s, "/") {
		s = "/" + s // Windows drive letter
	}
	return diskPath{path: s, abs: true}
}

// uri renders the path as a SARIF uri: a relative reference (a first
// segment holding a colon gets "./" so it cannot read as a scheme) or an
// absolute file URI.
func (d diskPath) uri() string {
	if d.abs {
		return (&url.URL{Scheme: "file", Path: d.path}).String()
	}
	return (&url.URL{Path: d.path}).String()
}

// cleanInnerPath returns the in-package path if it stays inside the
// package, else "".
func cleanInnerPath(p string) string {
	if p == "" {
		return ""
	}
	c := path.Clean(strings.ReplaceAll(p, "\\", "/"))
	if c == "." || path.IsAbs(c) || c == ".." || strings.HasPrefix(c, "../") {
		return ""
	}
	return c
}
