package policy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/airlock-sec/airlock/internal/model"
)

// Config is airlock's policy file (.airlock.yaml).
type Config struct {
	Thresholds Thresholds `yaml:"thresholds"`
	Rules      RuleConfig `yaml:"rules"`
	// Allow lists package versions, pinned by artifact digest, whose
	// verdict is forced to allow until the entry expires.
	Allow []AllowEntry `yaml:"allow"`
	// Advisories sets the least verdict of packages with advisory and
	// lockfile findings.
	Advisories AdvisoryConfig `yaml:"advisories"`
}

// AdvisoryConfig sets the verdict floor of vulnerable and unpinned
// packages: "allow" (no floor), "warn" or "block". Known malicious
// versions always block.
type AdvisoryConfig struct {
	Vulnerable model.Verdict `yaml:"vulnerable"`
	Unpinned   model.Verdict `yaml:"unpinned"`
}

// RuleConfig disables rules and overrides their severities.
type RuleConfig struct {
	Disable  []string                  `yaml:"disable"`
	Severity map[string]model.Severity `yaml:"severity"`
}

// AllowEntry waives one artifact.
type AllowEntry struct {
	// Package is informational ("pypi:name@version"); the digest decides.
	Package string `yaml:"package"`
	// Digest is "sha256:<hex>" of the artifact file.
	Digest  string `yaml:"digest"`
	Reason  string `yaml:"reason"`
	Expires string `yaml:"expires"` // YYYY-MM-DD, inclusive
	expires time.Time
}

// DefaultConfig is used when no file is given.
func DefaultConfig() *Config { return &Config{Thresholds: DefaultThresholds()} }

const maxConfigBytes = 1 << 20

// LoadConfig reads a policy file. knownRules validates rule IDs.
func LoadConfig(path string, knownRules map[string]bool) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open config %q: %w", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxConfigBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read config %q: %w", path, err)
	}
	if len(data) > maxConfigBytes {
		return nil, fmt.Errorf("config %q is larger than 1 MiB", path)
	}
	return ParseConfig(data, knownRules)
}

// ParseConfig parses and validates a policy file.
func ParseConfig(data []byte, knownRules map[string]bool) (*Config, error) {
	c := DefaultConfig()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("parse config: %w", err)
	}
	if c.Thresholds.Block <= 0 || c.Thresholds.Warn < 0 || c.Thresholds.Warn > c.Thresholds.Block {
		return nil, fmt.Errorf("config: thresholds must satisfy 0 <= warn <= block and block > 0 (got warn %d, block %d)", c.Thresholds.Warn, c.Thresholds.Block)
	}
	for _, id := range c.Rules.Disable {
		if knownRules != nil && !knownRules[id] {
			return nil, fmt.Errorf("config: rules.disable: unknown rule %q (see docs/rules/)", id)
		}
	}
	for id := range c.Rules.Severity {
		if knownRules != nil && !knownRules[id] {
			return nil, fmt.Errorf("config: rules.severity: unknown rule %q (see docs/rules/)", id)
		}
	}
	for _, v := range []struct {
		key string
		v   *model.Verdict
	}{{"vulnerable", &c.Advisories.Vulnerable}, {"unpinned", &c.Advisories.Unpinned}} {
		if *v.v == "" {
			continue
		}
		p, err := model.ParseVerdict(string(*v.v))
		if err != nil {
			return nil, fmt.Errorf("config: advisories.%s: %v", v.key, err)
		}
		*v.v = p
	}
	for i := range c.Allow {
		a := &c.Allow[i]
		if !strings.HasPrefix(a.Digest, "sha256:") || len(a.Digest) != len("sha256:")+64 {
			return nil, fmt.Errorf("config: allow[%d]: digest must be \"sha256:<64 hex>\" (got %q)", i, a.Digest)
		}
		if strings.TrimSpace(a.Reason) == "" {
			return nil, fmt.Errorf("config: allow[%d]: reason is required", i)
		}
		t, err := time.Parse("2006-01-02", a.Expires)
		if err != nil {
			return nil, fmt.Errorf("config: allow[%d]: expires must be a date like 2026-12-31 (got %q)", i, a.Expires)
		}
		a.expires = t.Add(24 * time.Hour) // inclusive
	}
	return c, nil
}

// Disabled reports whether a rule is switched off.
func (c *Config) Disabled(id string) bool {
	for _, d := range c.Rules.Disable {
		if d == id {
			return true
		}
	}
	return false
}

// Apply adjusts findings by configuration: drops disabled rules and
// overrides severities. It returns the kept findings and the count
// dropped.
func (c *Config) Apply(fs []model.Finding) ([]model.Finding, int) {
	out := fs[:0:0]
	dropped := 0
	for _, f := range fs {
		if c.Disabled(f.Rule) {
			dropped++
			continue
		}
		if s, ok := c.Rules.Severity[f.Rule]; ok {
			f.Severity = s
		}
		out = append(out, f)
	}
	return out, dropped
}

// Allowed finds an allow-list entry for a digest. expired is set when an
// entry exists but has lapsed.
func (c *Config) Allowed(digest string, now time.Time) (entry *AllowEntry, expired bool) {
	if digest == "" {
		return nil, false
	}
	for i := range c.Allow {
		a := &c.Allow[i]
		if a.Digest != digest {
			continue
		}
		if now.After(a.expires) {
			expired = true
			continue
		}
		return a, false
	}
	return nil, expired
}

// Judge scores findings and applies thresholds and the allow-list.
func (c *Config) Judge(r *model.Result, now time.Time) []model.Diagnostic {
	var diags []model.Diagnostic
	r.Findings, r.Suppressed = c.Apply(r.Findings)
	r.Score, r.Explanation = Score(r.Findings)
	r.Verdict = Decide(r.Score, c.Thresholds)
	r.Verdict = c.advisoryFloor(r)
	if a, expired := c.Allowed(r.Digest, now); a != nil {
		if r.Verdict != model.Allow {
			r.Explanation = append(r.Explanation, fmt.Sprintf("allow-listed by digest until %s: %s (verdict was %s)", a.Expires, a.Reason, r.Verdict))
		}
		r.Verdict = model.Allow
		r.Allowed = a.Reason
	} else if expired {
		diags = append(diags, model.Diagnostic{Target: r.Path, Message: fmt.Sprintf("allow-list entry for %s has expired; the package is judged on its findings", r.Digest)})
	}
	return diags
}

// advisoryFloor raises the verdict of a vulnerable or unpinned package to
// the configured floor.
func (c *Config) advisoryFloor(r *model.Result) model.Verdict {
	v := r.Verdict
	raise := func(floor model.Verdict, c model.Capability, what string) {
		if floor.Rank() <= v.Rank() {
			return
		}
		for _, f := range r.Findings {
			if slices.Contains(f.Capabilities, c) {
				v = floor
				r.Explanation = append(r.Explanation, fmt.Sprintf("%s: advisories.%s is %s in the policy file", f.Path, what, floor))
				return
			}
		}
	}
	raise(c.Advisories.Vulnerable, model.CapVulnerable, "vulnerable")
	raise(c.Advisories.Unpinned, model.CapUnpinned, "unpinned")
	return v
}
