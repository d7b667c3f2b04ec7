package sbom

import (
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"

	"github.com/airlock-sec/airlock/internal/model"
)

// CycloneDX 1.6 JSON document model: only the fields airlock writes.
type cdxBOM struct {
	Schema       string          `json:"$schema"`
	BOMFormat    string          `json:"bomFormat"`
	SpecVersion  string          `json:"specVersion"`
	SerialNumber string          `json:"serialNumber"`
	Version      int             `json:"version"`
	Metadata     cdxMetadata     `json:"metadata"`
	Components   []cdxComponent  `json:"components"`
	Dependencies []cdxDependency `json:"dependencies"`
}

type cdxMetadata struct {
	Timestamp string       `json:"timestamp"`
	Tools     cdxTools     `json:"tools"`
	Component cdxComponent `json:"component"`
}

type cdxTools struct {
	Components []cdxComponent `json:"components"`
}

type cdxComponent struct {
	Type               string        `json:"type"`
	BOMRef             string        `json:"bom-ref,omitempty"`
	Group              string        `json:"group,omitempty"`
	Name               string        `json:"name"`
	Version            string        `json:"version,omitempty"`
	Scope              string        `json:"scope,omitempty"`
	Hashes             []cdxHash     `json:"hashes,omitempty"`
	Purl               string        `json:"purl,omitempty"`
	ExternalReferences []cdxExtRef   `json:"externalReferences,omitempty"`
	Properties         []cdxProperty `json:"properties,omitempty"`
}

type cdxHash struct {
	Alg     string `json:"alg"`
	Content string `json:"content"`
}

type cdxExtRef struct {
	URL  string `json:"url"`
	Type string `json:"type"`
}

type cdxProperty struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type cdxDependency struct {
	Ref       string   `json:"ref"`
	DependsOn []string `json:"dependsOn,omitempty"`
}

// cdxMaxVersion is the schema's maxLength for a component version, in
// characters; longer versions are cut to it.
const cdxMaxVersion = 1024

// CycloneDX writes comps as a CycloneDX 1.6 JSON BOM.
//
// Each merged component is a "library" whose bom-ref is its purl (or, with
// no purl, "airlock:component:<eco>/<name>@<version>", query-escaped).
// npm scoped packages get group "@scope" and the bare name; Go modules the
// module path as name. Development-only dependencies get scope "optional"
// (CycloneDX: "not required to run"), others "required". Properties in the
// "airlock:" namespace record where it was found (airlock:path, one per
// place), airlock:direct, airlock:dev, airlock:unpinned, airlock:constraint,
// sources that are not URLs (airlock:source) and hashes that could not be
// converted (airlock:hash). Source URLs become externalReferences of type
// "vcs" or "distribution". The subject is metadata.component, and the
// dependency graph says only that it depends on the direct components (all
// components when none is marked direct): airlock does not know the edges
// between the others, so they have no dependency entries (unknown, not
// "none").
func CycloneDX(w io.Writer, m Meta, comps []Component) error {
	m = m.withDefaults()
	es := merge(comps)
	rootRef := "airlock:subject:" + url.QueryEscape(m.Subject)
	bom := cdxBOM{
		Schema:       "http://cyclonedx.org/schema/bom-1.6.schema.json",
		BOMFormat:    "CycloneDX",
		SpecVersion:  "1.6",
		SerialNumber: "urn:uuid:" + docUUID("cyclonedx", m, es),
		Version:      1,
		Metadata: cdxMetadata{
			Timestamp: timestamp(m.Time),
			Tools: cdxTools{Components: []cdxComponent{{
				Type: "application", Name: m.ToolName, Version: m.ToolVersion,
			}}},
			Component: cdxComponent{Type: "application", BOMRef: rootRef, Name: m.Subject},
		},
		Components: make([]cdxComponent, 0, len(es)),
	}
	for _, e := range es {
		bom.Components = append(bom.Components, cdxComponentOf(e))
	}
	dep := cdxDependency{Ref: rootRef}
	for _, e := range roots(es) {
		dep.DependsOn = append(dep.DependsOn, e.key)
	}
	sort.Strings(dep.DependsOn)
	bom.Dependencies = []cdxDependency{dep}
	if err := encode(w, bom); err != nil {
		return fmt.Errorf("write CycloneDX SBOM: %w", err)
	}
	return nil
}

func cdxComponentOf(e *entry) cdxComponent {
	c := cdxComponent{
		Type:    "library",
		BOMRef:  e.key,
		Name:    e.name,
		Version: truncateRunes(e.version, cdxMaxVersion),
		Purl:    e.purl,
		Scope:   "required",
	}
	if e.eco == model.NPM && strings.HasPrefix(c.Name, "@") {
		if i := strings.IndexByte(c.Name, '/'); i > 1 {
			c.Group, c.Name = c.Name[:i], c.Name[i+1:]
		}
	}
	if e.dev {
		c.Scope = "optional"
	}
	for _, d := range e.digests {
		c.Hashes = append(c.Hashes, cdxHash{Alg: hashAlgs[d.alg].cdx, Content: d.hex})
	}
	var props []cdxProperty
	add := func(name string, values ...string) {
		for _, v := range values {
			props = append(props, cdxProperty{Name: name, Value: v})
		}
	}
	add("airlock:path", e.places...)
	for _, s := range e.sources {
		if kind := sourceKind(s); kind != "" {
			c.ExternalReferences = append(c.ExternalReferences, cdxExtRef{URL: s, Type: kind})
		} else {
			add("airlock:source", s)
		}
	}
	if e.direct {
		add("airlock:direct", "true")
	}
	if e.dev {
		add("airlock:dev", "true")
	}
	if e.unpinned {
		add("airlock:unpinned", "true")
	}
	add("airlock:constraint", e.constraints...)
	add("airlock:hash", e.otherHashes...)
	sort.SliceStable(props, func(i, j int) bool { return props[i].Name < props[j].Name })
	c.Properties = props
	return c
}

// truncateRunes cuts s to at most n runes.
func truncateRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}
