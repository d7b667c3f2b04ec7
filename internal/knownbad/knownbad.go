// Package knownbad answers "which advisories name this exact version?"
// for airlock's packages, from the advisory database in the store. It is
// the bridge between airlock's ecosystems (names, version rules) and OSV's:
// ecosystem names are mapped, package names normalized the way each
// registry does (PEP 503 for PyPI), versions compared with each
// ecosystem's rules, alias groups merged (one answer per MAL/GHSA/PYSEC
// group) and withdrawn records ignored.
package knownbad

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/airlock-sec/airlock/internal/advisory"
	"github.com/airlock-sec/airlock/internal/ecosystem/pypi"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
	"github.com/airlock-sec/airlock/internal/store"
)

// Source is the part of the store the matcher reads.
type Source interface {
	AdvisoriesFor(ctx context.Context, keys []store.PackageKey) (map[store.PackageKey][][]byte, error)
}

// OSVEcosystem maps airlock's ecosystem to OSV's; "" when OSV has none.
func OSVEcosystem(e model.Ecosystem) string {
	switch e {
	case model.PyPI:
		return "PyPI"
	case model.NPM:
		return "npm"
	case model.Go:
		return "Go"
	}
	return ""
}

// Normalize is the package name as the registry compares it.
func Normalize(e model.Ecosystem, name string) string {
	switch e {
	case model.PyPI:
		return pypi.NormalizeName(name)
	case model.NPM:
		return strings.ToLower(name)
	}
	return name
}

// Key is the store key of a package.
func Key(e model.Ecosystem, name string) store.PackageKey {
	return store.PackageKey{Ecosystem: OSVEcosystem(e), Name: Normalize(e, name)}
}

// Ecosystem maps an OSV base ecosystem to airlock's; model.Unknown when airlock has none.
func Ecosystem(osv string) model.Ecosystem {
	switch osv {
	case "PyPI":
		return model.PyPI
	case "npm":
		return model.NPM
	case "Go":
		return model.Go
	}
	return model.Unknown
}

// RecordKeys lists the store keys an advisory names, for import. Records
// of ecosystems airlock does not handle yield none.
func RecordKeys(a *advisory.Advisory) []store.PackageKey {
	var keys []store.PackageKey
	for _, af := range a.Affected {
		base, _, _ := strings.Cut(af.Package.Ecosystem, ":")
		e := Ecosystem(base)
		if e == model.Unknown || af.Package.Name == "" {
			continue
		}
		k := Key(e, af.Package.Name)
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}

// matchVersion is the version in the form OSV records use: Go module
// versions without their "v".
func matchVersion(e model.Ecosystem, v string) string {
	if e == model.Go {
		return strings.TrimPrefix(v, "v")
	}
	return v
}

// Matcher looks packages up. It is safe for concurrent use.
type Matcher struct {
	src Source
}

// New returns a matcher over src.
func New(src Source) *Matcher { return &Matcher{src: src} }

// Match returns, for each coordinate (same order), the advisories naming
// that exact version, one per alias group, and diagnostics for versions
// that could not be compared.
func (m *Matcher) Match(ctx context.Context, coords []model.Package) ([][]rules.Known, []model.Diagnostic, error) {
	var keys []store.PackageKey
	seen := map[store.PackageKey]bool{}
	for _, c := range coords {
		if OSVEcosystem(c.Ecosystem) == "" || c.Name == "" {
			continue
		}
		k := Key(c.Ecosystem, c.Name)
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	out := make([][]rules.Known, len(coords))
	if len(keys) == 0 {
		return out, nil, nil
	}
	raw, err := m.src.AdvisoriesFor(ctx, keys)
	if err != nil {
		return nil, nil, fmt.Errorf("advisory database: %w", err)
	}
	groups := map[store.PackageKey][]*advisory.Advisory{}
	for k, docs := range raw {
		if len(docs) == 0 {
			continue
		}
		ix := advisory.NewIndex()
		ix.SetNormalizer("PyPI", pypi.NormalizeName)
		ix.SetNormalizer("npm", strings.ToLower)
		for _, d := range docs {
			if a, err := advisory.Parse(d); err == nil {
				ix.Add(a)
			}
		}
		groups[k] = ix.Lookup(k.Ecosystem, k.Name)
	}
	var diags []model.Diagnostic
	for i, c := range coords {
		if c.Version == "" || OSVEcosystem(c.Ecosystem) == "" {
			continue
		}
		k := Key(c.Ecosystem, c.Name)
		norm := func(s string) string { return Normalize(c.Ecosystem, s) }
		for _, g := range groups[k] {
			ok, err := g.Affects(k.Ecosystem, k.Name, matchVersion(c.Ecosystem, c.Version), norm)
			if err != nil && !ok {
				diags = append(diags, model.Diagnostic{Message: fmt.Sprintf("%s:%s@%s: could not compare with %s: %v", c.Ecosystem, c.Name, c.Version, g.ID, err)})
				continue
			}
			if ok {
				out[i] = append(out[i], Known(g, k, matchVersion(c.Ecosystem, c.Version)))
			}
		}
	}
	return out, diags, nil
}

// Known turns a matched alias group into what the rules report. Only
// the group's records that themselves affect the version count (a
// withdrawn MAL- record or a sibling whose ranges exclude the version
// lends the finding neither its ID nor its verdict); version is the
// version in the form OSV records use.
func Known(g *advisory.Advisory, k store.PackageKey, version string) rules.Known {
	members := g.Members
	if len(members) == 0 {
		members = []*advisory.Advisory{g}
	}
	norm := func(s string) string { return Normalize(Ecosystem(k.Ecosystem), s) }
	var hit []*advisory.Advisory
	withdrawn := map[string]bool{}
	for _, m := range members {
		if m.Withdrawn != nil {
			withdrawn[strings.ToUpper(m.ID)] = true
			continue
		}
		if ok, _ := m.Affects(k.Ecosystem, k.Name, version, norm); ok || version == "" {
			hit = append(hit, m)
		}
	}
	if len(hit) == 0 { // cannot happen for a group that affects the version
		hit = members
	}
	primary := hit[0] // most recently modified first
	malicious := false
	var ids []string
	for _, m := range hit {
		if isMAL(m.ID) {
			malicious = true
			if !isMAL(primary.ID) {
				primary = m
			}
		}
		for _, id := range m.AllIDs() {
			if isMAL(id) && !withdrawn[strings.ToUpper(id)] {
				malicious = true
			}
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	slices.Sort(ids)
	ref := model.AdvisoryRef{ID: primary.ID, Summary: clip(primary.Summary, 200)}
	for _, m := range hit {
		if ref.Summary == "" {
			ref.Summary = clip(m.Summary, 200)
		}
	}
	for _, id := range ids {
		if id != primary.ID {
			ref.Aliases = append(ref.Aliases, id)
		}
	}
	kn := rules.Known{Ref: ref, Malicious: malicious, Severity: model.Medium}
	best := ""
	for _, m := range hit {
		label, vector := m.SeverityLabel()
		if labelRank(label) > labelRank(best) || ref.CVSS == "" && vector != "" {
			if labelRank(label) > labelRank(best) {
				best = label
			}
			if vector != "" {
				kn.Ref.CVSS = vector
			}
		}
		for _, f := range fixedVersions(m, k) {
			if !slices.Contains(kn.Ref.Fixed, f) {
				kn.Ref.Fixed = append(kn.Ref.Fixed, f)
			}
		}
	}
	kn.Ref.URL = "https://osv.dev/vulnerability/" + primary.ID
	switch best {
	case "low", "none":
		kn.Severity = model.Low
	case "high":
		kn.Severity = model.High
	case "critical":
		kn.Severity = model.Critical
	}
	if malicious {
		kn.Severity = model.Critical
	}
	return kn
}

func isMAL(id string) bool { return len(id) >= 4 && strings.EqualFold(id[:4], "MAL-") }

func labelRank(l string) int {
	return map[string]int{"none": 1, "low": 2, "medium": 3, "high": 4, "critical": 5}[l]
}

func fixedVersions(a *advisory.Advisory, k store.PackageKey) []string {
	var out []string
	for _, af := range a.Affected {
		base, _, _ := strings.Cut(af.Package.Ecosystem, ":")
		if base != k.Ecosystem || Normalize(Ecosystem(base), af.Package.Name) != k.Name {
			continue
		}
		for _, r := range af.Ranges {
			for _, ev := range r.Events {
				if ev.Kind == advisory.Fixed && ev.Version != "" && !slices.Contains(out, ev.Version) {
					out = append(out, ev.Version)
				}
			}
		}
	}
	return out
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
