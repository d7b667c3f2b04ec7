package sbom

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
)

// SPDX 2.3 JSON document model: only the fields airlock writes.
type spdxDocument struct {
	SPDXVersion       string             `json:"spdxVersion"`
	DataLicense       string             `json:"dataLicense"`
	SPDXID            string             `json:"SPDXID"`
	Name              string             `json:"name"`
	DocumentNamespace string             `json:"documentNamespace"`
	CreationInfo      spdxCreationInfo   `json:"creationInfo"`
	Packages          []spdxPackage      `json:"packages"`
	Relationships     []spdxRelationship `json:"relationships"`
}

type spdxCreationInfo struct {
	Created  string   `json:"created"`
	Creators []string `json:"creators"`
}

type spdxPackage struct {
	SPDXID                string            `json:"SPDXID"`
	Name                  string            `json:"name"`
	VersionInfo           string            `json:"versionInfo,omitempty"`
	DownloadLocation      string            `json:"downloadLocation"`
	FilesAnalyzed         bool              `json:"filesAnalyzed"`
	Checksums             []spdxChecksum    `json:"checksums,omitempty"`
	LicenseConcluded      string            `json:"licenseConcluded"`
	LicenseDeclared       string            `json:"licenseDeclared"`
	CopyrightText         string            `json:"copyrightText"`
	SourceInfo            string            `json:"sourceInfo,omitempty"`
	Comment               string            `json:"comment,omitempty"`
	ExternalRefs          []spdxExternalRef `json:"externalRefs,omitempty"`
	PrimaryPackagePurpose string            `json:"primaryPackagePurpose,omitempty"`
}

type spdxChecksum struct {
	Algorithm     string `json:"algorithm"`
	ChecksumValue string `json:"checksumValue"`
}

type spdxExternalRef struct {
	ReferenceCategory string `json:"referenceCategory"`
	ReferenceType     string `json:"referenceType"`
	ReferenceLocator  string `json:"referenceLocator"`
}

type spdxRelationship struct {
	SPDXElementID      string `json:"spdxElementId"`
	RelationshipType   string `json:"relationshipType"`
	RelatedSPDXElement string `json:"relatedSpdxElement"`
}

const (
	spdxDocumentID = "SPDXRef-DOCUMENT"
	spdxRootID     = "SPDXRef-Root"
	noAssertion    = "NOASSERTION"
)

// SPDX writes comps as an SPDX 2.3 JSON document.
//
// The subject is a root package (SPDXRef-Root, purpose APPLICATION) that
// the document DESCRIBES. Each merged component is a package
// "SPDXRef-Package-<eco>-<name>-<version>" (characters other than
// [A-Za-z0-9.-] replaced by "-"; when that loses anything, a short hash of
// the component's key is appended, and a counter if an ID is still taken),
// with its purl as a PACKAGE-MANAGER externalRef, its checksums, and
// NOASSERTION for licenses and copyright (airlock does not determine them).
// downloadLocation is the component's source when that is a URL, else
// NOASSERTION. sourceInfo says where it was found; comment lists sources
// that are not URLs, constraints and hashes that could not be converted.
// The root DEPENDS_ON every direct component (every component when none
// is marked direct), and a development-only one is also
// DEV_DEPENDENCY_OF the root.
func SPDX(w io.Writer, m Meta, comps []Component) error {
	m = m.withDefaults()
	es := merge(comps)
	doc := spdxDocument{
		SPDXVersion:       "SPDX-2.3",
		DataLicense:       "CC0-1.0",
		SPDXID:            spdxDocumentID,
		Name:              m.Subject,
		DocumentNamespace: "https://spdx.org/spdxdocs/" + slug(m.ToolName) + "-" + slug(m.Subject) + "-" + docUUID("spdx", m, es),
		CreationInfo: spdxCreationInfo{
			Created:  timestamp(m.Time),
			Creators: []string{"Tool: " + m.ToolName + "-" + m.ToolVersion},
		},
		Packages: []spdxPackage{{
			SPDXID:                spdxRootID,
			Name:                  m.Subject,
			DownloadLocation:      noAssertion,
			FilesAnalyzed:         false,
			LicenseConcluded:      noAssertion,
			LicenseDeclared:       noAssertion,
			CopyrightText:         noAssertion,
			PrimaryPackagePurpose: "APPLICATION",
		}},
		Relationships: []spdxRelationship{{spdxDocumentID, "DESCRIBES", spdxRootID}},
	}
	ids := spdxIDs(es)
	for _, e := range es {
		doc.Packages = append(doc.Packages, spdxPackageOf(e, ids[e]))
	}
	var devRels []spdxRelationship
	for _, e := range roots(es) {
		doc.Relationships = append(doc.Relationships, spdxRelationship{spdxRootID, "DEPENDS_ON", ids[e]})
		if e.dev {
			devRels = append(devRels, spdxRelationship{ids[e], "DEV_DEPENDENCY_OF", spdxRootID})
		}
	}
	doc.Relationships = append(doc.Relationships, devRels...)
	if err := encode(w, doc); err != nil {
		return fmt.Errorf("write SPDX SBOM: %w", err)
	}
	return nil
}

func spdxPackageOf(e *entry, id string) spdxPackage {
	p := spdxPackage{
		SPDXID:                id,
		Name:                  e.name,
		VersionInfo:           e.version,
		DownloadLocation:      noAssertion,
		LicenseConcluded:      noAssertion,
		LicenseDeclared:       noAssertion,
		CopyrightText:         noAssertion,
		PrimaryPackagePurpose: "LIBRARY",
	}
	for _, d := range e.digests {
		p.Checksums = append(p.Checksums, spdxChecksum{Algorithm: hashAlgs[d.alg].spdx, ChecksumValue: d.hex})
	}
	if e.purl != "" {
		p.ExternalRefs = []spdxExternalRef{{ReferenceCategory: "PACKAGE-MANAGER", ReferenceType: "purl", ReferenceLocator: e.purl}}
	}
	var otherSources []string
	for _, s := range e.sources {
		if p.DownloadLocation == noAssertion && sourceKind(s) != "" {
			p.DownloadLocation = s
		} else {
			otherSources = append(otherSources, s)
		}
	}
	if len(e.places) > 0 {
		p.SourceInfo = "found in " + strings.Join(e.places, ", ")
	}
	var notes []string
	if len(otherSources) > 0 {
		notes = append(notes, "source: "+strings.Join(otherSources, ", "))
	}
	if e.direct {
		notes = append(notes, "direct dependency")
	}
	if e.dev {
		notes = append(notes, "development dependency")
	}
	if e.unpinned {
		notes = append(notes, "unpinned")
	}
	if len(e.constraints) > 0 {
		notes = append(notes, "constraint: "+strings.Join(e.constraints, ", "))
	}
	if len(e.otherHashes) > 0 {
		notes = append(notes, "other hashes: "+strings.Join(e.otherHashes, ", "))
	}
	p.Comment = strings.Join(notes, "; ")
	return p
}

// spdxIDs assigns each entry a unique SPDXID (entries are already sorted,
// so the assignment is deterministic).
func spdxIDs(es []*entry) map[*entry]string {
	const prefix = "SPDXRef-Package-"
	ids := make(map[*entry]string, len(es))
	used := make(map[string]bool, len(es))
	for _, e := range es {
		raw := string(e.eco) + "-" + e.name
		if e.version != "" {
			raw += "-" + e.version
		}
		base, lossless := idString(raw, 96)
		if !lossless {
			sum := sha256.Sum256([]byte(e.key))
			base += "-" + hex.EncodeToString(sum[:4])
		}
		id := prefix + base
		for n := 2; used[id]; n++ {
			id = fmt.Sprintf("%s%s-%d", prefix, base, n)
		}
		used[id] = true
		ids[e] = id
	}
	return ids
}

// idString maps s to SPDX idstring characters ([A-Za-z0-9.-]), replacing
// each other rune with '-', and cuts it to max bytes. lossless reports
// whether nothing was replaced or cut.
func idString(s string, max int) (string, bool) {
	var b strings.Builder
	lossless := true
	for _, r := range s {
		if b.Len() >= max {
			lossless = false
			break
		}
		if r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-') {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
			lossless = false
		}
	}
	if b.Len() == 0 {
		return "x", false
	}
	return b.String(), lossless
}

// slug maps s to a short run of URI-safe characters for the document
// namespace (the UUID, not the slug, makes the namespace unique).
func slug(s string) string {
	out, _ := idString(s, 64)
	return out
}
