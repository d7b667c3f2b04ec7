package sbom

// A test-only structural checker for the documents this package writes.
// The rules are transcribed by hand from the official JSON schemas, for
// the parts airlock emits:
//
//   - CycloneDX: bom-1.6.schema.json (CycloneDX/specification, also shipped
//     in github.com/CycloneDX/cyclonedx-go's schema/ directory): required
//     keys, additionalProperties:false key sets, the enums for component
//     type, scope, hash alg and externalReference type, the serialNumber
//     and hash content patterns, refType minLength, version maxLength,
//     uniqueItems on dependsOn.
//   - SPDX: schemas/spdx-schema-2-3.json (spdx/spdx-spec): required keys,
//     additionalProperties:false key sets, the enums for checksum
//     algorithm, externalRef category, relationship type and primary
//     package purpose; plus rules from the SPDX 2.3 text the schema does not
//     encode (SPDXID syntax, uniqueness, relationship targets exist).
//
// It also checks referential integrity (every dependency ref and
// relationship names an element of the document), which neither schema
// does. It is not a JSON Schema validator; the keys it allows are a subset
// of the schemas', so a document passing it is valid on those points.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"time"
	"unicode/utf8"

	"github.com/airlock-sec/airlock/internal/purl"
)

var (
	cdxSerialPattern = regexp.MustCompile(`^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	cdxHashContent   = regexp.MustCompile(`^([a-fA-F0-9]{32}|[a-fA-F0-9]{40}|[a-fA-F0-9]{64}|[a-fA-F0-9]{96}|[a-fA-F0-9]{128})$`)
	spdxIDPattern    = regexp.MustCompile(`^SPDXRef-[A-Za-z0-9.-]+$`)
	lowerHex         = regexp.MustCompile(`^[0-9a-f]+$`)
	spdxCreated      = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$`)
)

func set(s ...string) map[string]bool {
	m := make(map[string]bool, len(s))
	for _, v := range s {
		m[v] = true
	}
	return m
}

// From bom-1.6.schema.json.
var (
	cdxTopKeys = set("$schema", "bomFormat", "specVersion", "serialNumber", "version", "metadata", "components",
		"services", "externalReferences", "dependencies", "compositions", "vulnerabilities", "annotations",
		"formulation", "declarations", "definitions", "properties", "signature")
	cdxMetadataKeys = set("timestamp", "lifecycles", "tools", "manufacturer", "authors", "component",
		"manufacture", "supplier", "licenses", "properties")
	cdxComponentKeys = set("type", "mime-type", "bom-ref", "supplier", "manufacturer", "authors", "author",
		"publisher", "group", "name", "version", "description", "scope", "hashes", "licenses", "copyright",
		"cpe", "purl", "omniborId", "swhid", "swid", "modified", "pedigree", "externalReferences", "components",
		"evidence", "releaseNotes", "modelCard", "data", "cryptoProperties", "properties", "tags", "signature")
	cdxComponentTypes = set("application", "framework", "library", "container", "platform", "operating-system",
		"device", "device-driver", "firmware", "file", "machine-learning-model", "data", "cryptographic-asset")
	cdxScopes   = set("required", "optional", "excluded")
	cdxHashAlgs = set("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512", "SHA3-256", "SHA3-384", "SHA3-512",
		"BLAKE2b-256", "BLAKE2b-384", "BLAKE2b-512", "BLAKE3")
	cdxExtRefTypes = set("vcs", "issue-tracker", "website", "advisories", "bom", "mailing-list", "social", "chat",
		"documentation", "support", "source-distribution", "distribution", "distribution-intake", "license",
		"build-meta", "build-system", "release-notes", "security-contact", "model-card", "log", "configuration",
		"evidence", "formulation", "attestation", "threat-model", "adversary-model", "risk-assessment",
		"vulnerability-assertion", "exploitability-statement", "pentest-report", "static-analysis-report",
		"dynamic-analysis-report", "runtime-analysis-report", "component-analysis-report", "maturity-report",
		"certification-report", "codified-infrastructure", "quality-metrics", "poam", "electronic-signature",
		"digital-signature", "rfc-9116", "other")
)

// From spdx-schema-2-3.json.
var (
	spdxTopKeys = set("SPDXID", "annotations", "comment", "creationInfo", "dataLicense", "externalDocumentRefs",
		"hasExtractedLicensingInfos", "name", "revieweds", "spdxVersion", "documentNamespace", "documentDescribes",
		"packages", "files", "snippets", "relationships")
	spdxCreationKeys = set("comment", "created", "creators", "licenseListVersion")
	spdxPackageKeys  = set("SPDXID", "annotations", "attributionTexts", "builtDate", "checksums", "comment",
		"copyrightText", "description", "downloadLocation", "externalRefs", "filesAnalyzed", "hasFiles", "homepage",
		"licenseComments", "licenseConcluded", "licenseDeclared", "licenseInfoFromFiles", "name", "originator",
		"packageFileName", "packageVerificationCode", "primaryPackagePurpose", "releaseDate", "sourceInfo", "summary",
		"supplier", "validUntilDate", "versionInfo")
	spdxChecksumAlgs = set("SHA1", "BLAKE3", "SHA3-384", "SHA256", "SHA384", "BLAKE2b-512", "BLAKE2b-256", "SHA3-512",
		"MD2", "ADLER32", "MD4", "SHA3-256", "BLAKE2b-384", "SHA512", "MD6", "MD5", "SHA224")
	spdxRefCategories = set("OTHER", "PERSISTENT-ID", "SECURITY", "PACKAGE-MANAGER")
	spdxPurposes      = set("OTHER", "INSTALL", "ARCHIVE", "FIRMWARE", "APPLICATION", "FRAMEWORK", "LIBRARY",
		"CONTAINER", "SOURCE", "DEVICE", "OPERATING_SYSTEM", "FILE")
	spdxRelTypes = set("VARIANT_OF", "COPY_OF", "PATCH_FOR", "TEST_DEPENDENCY_OF", "CONTAINED_BY", "DATA_FILE_OF",
		"OPTIONAL_COMPONENT_OF", "ANCESTOR_OF", "GENERATES", "CONTAINS", "OPTIONAL_DEPENDENCY_OF", "FILE_ADDED",
		"REQUIREMENT_DESCRIPTION_FOR", "DEV_DEPENDENCY_OF", "DEPENDENCY_OF", "BUILD_DEPENDENCY_OF", "DESCRIBES",
		"PREREQUISITE_FOR", "HAS_PREREQUISITE", "PROVIDED_DEPENDENCY_OF", "DYNAMIC_LINK", "DESCRIBED_BY", "METAFILE_OF",
		"DEPENDENCY_MANIFEST_OF", "PATCH_APPLIED", "RUNTIME_DEPENDENCY_OF", "TEST_OF", "TEST_TOOL_OF", "DEPENDS_ON",
		"SPECIFICATION_FOR", "FILE_MODIFIED", "DISTRIBUTION_ARTIFACT", "AMENDS", "DOCUMENTATION_OF", "GENERATED_FROM",
		"STATIC_LINK", "OTHER", "BUILD_TOOL_OF", "TEST_CASE_OF", "PACKAGE_OF", "DESCENDANT_OF", "FILE_DELETED",
		"EXPANDED_FROM_ARCHIVE", "DEV_TOOL_OF", "EXAMPLE_OF")
)

// checker collects problems while walking a decoded document.
type checker struct{ problems []string }

func (c *checker) errorf(format string, args ...any) {
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
}

// object checks that v is an object with the required keys and no key
// outside allowed.
func (c *checker) object(where string, v any, allowed map[string]bool, required ...string) map[string]any {
	m, ok := v.(map[string]any)
	if !ok {
		c.errorf("%s: not an object: %T", where, v)
		return nil
	}
	for _, k := range required {
		if _, ok := m[k]; !ok {
			c.errorf("%s: missing required %q", where, k)
		}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if allowed != nil && !allowed[k] {
			c.errorf("%s: key %q not allowed by the schema", where, k)
		}
	}
	return m
}

func (c *checker) str(where string, v any) string {
	s, ok := v.(string)
	if !ok {
		c.errorf("%s: not a string: %T", where, v)
	}
	return s
}

func (c *checker) enum(where string, v any, allowed map[string]bool) {
	if s := c.str(where, v); !allowed[s] {
		c.errorf("%s: %q not in the schema's enum", where, s)
	}
}

func (c *checker) array(where string, v any) []any {
	if v == nil {
		return nil
	}
	a, ok := v.([]any)
	if !ok {
		c.errorf("%s: not an array: %T", where, v)
	}
	return a
}

func decodeStrict(data []byte) (any, error) {
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("output is not UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("trailing data after the JSON document")
	}
	return v, nil
}

// checkCycloneDX returns the problems found in a CycloneDX 1.6 document.
func checkCycloneDX(data []byte) []string {
	var c checker
	v, err := decodeStrict(data)
	if err != nil {
		return []string{"invalid JSON: " + err.Error()}
	}
	bom := c.object("bom", v, cdxTopKeys, "bomFormat", "specVersion")
	if bom == nil {
		return c.problems
	}
	if bom["bomFormat"] != "CycloneDX" || bom["specVersion"] != "1.6" {
		c.errorf("bomFormat/specVersion = %v/%v", bom["bomFormat"], bom["specVersion"])
	}
	if s := c.str("serialNumber", bom["serialNumber"]); !cdxSerialPattern.MatchString(s) {
		c.errorf("serialNumber %q does not match the schema pattern", s)
	}
	if n, ok := bom["version"].(json.Number); !ok || n.String() != "1" {
		c.errorf("version = %v, want integer 1", bom["version"])
	}

	refs := map[string]bool{}
	addRef := func(where, ref string) {
		if ref == "" {
			c.errorf("%s: empty bom-ref (refType minLength 1)", where)
		}
		if refs[ref] {
			c.errorf("%s: bom-ref %q is not unique", where, ref)
		}
		refs[ref] = true
	}
	var component func(where string, v any)
	component = func(where string, v any) {
		m := c.object(where, v, cdxComponentKeys, "type", "name")
		if m == nil {
			return
		}
		c.enum(where+".type", m["type"], cdxComponentTypes)
		c.str(where+".name", m["name"])
		if r, ok := m["bom-ref"]; ok {
			addRef(where, c.str(where+".bom-ref", r))
		}
		if ver, ok := m["version"]; ok {
			if n := utf8.RuneCountInString(c.str(where+".version", ver)); n > 1024 {
				c.errorf("%s.version: %d characters, schema maxLength 1024", where, n)
			}
		}
		if s, ok := m["scope"]; ok {
			c.enum(where+".scope", s, cdxScopes)
		}
		for i, h := range c.array(where+".hashes", m["hashes"]) {
			hw := fmt.Sprintf("%s.hashes[%d]", where, i)
			hm := c.object(hw, h, set("alg", "content"), "alg", "content")
			if hm != nil {
				c.enum(hw+".alg", hm["alg"], cdxHashAlgs)
				if s := c.str(hw+".content", hm["content"]); !cdxHashContent.MatchString(s) {
					c.errorf("%s.content %q does not match the schema pattern", hw, s)
				}
			}
		}
		if p, ok := m["purl"]; ok {
			s := c.str(where+".purl", p)
			if _, err := purl.Parse(s); err != nil {
				c.errorf("%s.purl: %v", where, err)
			}
		}
		for i, e := range c.array(where+".externalReferences", m["externalReferences"]) {
			ew := fmt.Sprintf("%s.externalReferences[%d]", where, i)
			em := c.object(ew, e, set("url", "comment", "type", "hashes"), "url", "type")
			if em != nil {
				c.enum(ew+".type", em["type"], cdxExtRefTypes)
				if u, err := url.Parse(c.str(ew+".url", em["url"])); err != nil || u.Scheme == "" {
					c.errorf("%s.url: not an absolute URL: %v", ew, em["url"])
				}
			}
		}
		for i, p := range c.array(where+".properties", m["properties"]) {
			pw := fmt.Sprintf("%s.properties[%d]", where, i)
			if pm := c.object(pw, p, set("name", "value"), "name"); pm != nil {
				c.str(pw+".name", pm["name"])
				c.str(pw+".value", pm["value"])
			}
		}
	}

	md := c.object("metadata", bom["metadata"], cdxMetadataKeys)
	rootRef := ""
	if md != nil {
		if _, err := time.Parse(time.RFC3339, c.str("metadata.timestamp", md["timestamp"])); err != nil {
			c.errorf("metadata.timestamp: %v", err)
		}
		tools := c.object("metadata.tools", md["tools"], set("components", "services"))
		if tools != nil {
			tc := c.array("metadata.tools.components", tools["components"])
			if len(tc) == 0 {
				c.errorf("metadata.tools.components is empty")
			}
			for i, t := range tc {
				component(fmt.Sprintf("metadata.tools.components[%d]", i), t)
			}
		}
		component("metadata.component", md["component"])
		if m, ok := md["component"].(map[string]any); ok {
			rootRef, _ = m["bom-ref"].(string)
		}
	}
	for i, comp := range c.array("components", bom["components"]) {
		component(fmt.Sprintf("components[%d]", i), comp)
	}
	if rootRef == "" {
		c.errorf("metadata.component has no bom-ref")
	}
	deps := c.array("dependencies", bom["dependencies"])
	seenDep := map[string]bool{}
	for i, d := range deps {
		dw := fmt.Sprintf("dependencies[%d]", i)
		dm := c.object(dw, d, set("ref", "dependsOn", "provides"), "ref")
		if dm == nil {
			continue
		}
		ref := c.str(dw+".ref", dm["ref"])
		if !refs[ref] {
			c.errorf("%s.ref %q names no bom-ref", dw, ref)
		}
		if seenDep[ref] {
			c.errorf("%s.ref %q repeated", dw, ref)
		}
		seenDep[ref] = true
		seen := map[string]bool{}
		for j, t := range c.array(dw+".dependsOn", dm["dependsOn"]) {
			s := c.str(fmt.Sprintf("%s.dependsOn[%d]", dw, j), t)
			if !refs[s] {
				c.errorf("%s.dependsOn %q names no bom-ref", dw, s)
			}
			if seen[s] {
				c.errorf("%s.dependsOn %q repeated (uniqueItems)", dw, s)
			}
			seen[s] = true
		}
	}
	if !seenDep[rootRef] {
		c.errorf("no dependency entry for the subject %q", rootRef)
	}
	return c.problems
}

// checkSPDX returns the problems found in an SPDX 2.3 document.
func checkSPDX(data []byte) []string {
	var c checker
	v, err := decodeStrict(data)
	if err != nil {
		return []string{"invalid JSON: " + err.Error()}
	}
	doc := c.object("document", v, spdxTopKeys, "SPDXID", "creationInfo", "dataLicense", "name", "spdxVersion")
	if doc == nil {
		return c.problems
	}
	if doc["spdxVersion"] != "SPDX-2.3" || doc["dataLicense"] != "CC0-1.0" || doc["SPDXID"] != "SPDXRef-DOCUMENT" {
		c.errorf("spdxVersion/dataLicense/SPDXID = %v/%v/%v", doc["spdxVersion"], doc["dataLicense"], doc["SPDXID"])
	}
	c.str("name", doc["name"])
	ns := c.str("documentNamespace", doc["documentNamespace"])
	if u, err := url.Parse(ns); err != nil || u.Scheme == "" || u.Host == "" || u.Fragment != "" || bytes.ContainsAny([]byte(ns), "# ") {
		c.errorf("documentNamespace %q is not an absolute URI without '#'", ns)
	}
	ci := c.object("creationInfo", doc["creationInfo"], spdxCreationKeys, "created", "creators")
	if ci != nil {
		if s := c.str("creationInfo.created", ci["created"]); !spdxCreated.MatchString(s) {
			c.errorf("creationInfo.created %q is not YYYY-MM-DDThh:mm:ssZ", s)
		}
		creators := c.array("creationInfo.creators", ci["creators"])
		if len(creators) == 0 {
			c.errorf("creationInfo.creators is empty (minItems 1)")
		}
		for i, cr := range creators {
			if s := c.str(fmt.Sprintf("creationInfo.creators[%d]", i), cr); !regexp.MustCompile(`^(Tool|Organization|Person): .+`).MatchString(s) {
				c.errorf("creator %q is not Tool:/Organization:/Person:", s)
			}
		}
	}
	ids := map[string]bool{"SPDXRef-DOCUMENT": true}
	for i, p := range c.array("packages", doc["packages"]) {
		pw := fmt.Sprintf("packages[%d]", i)
		pm := c.object(pw, p, spdxPackageKeys, "SPDXID", "downloadLocation", "name")
		if pm == nil {
			continue
		}
		id := c.str(pw+".SPDXID", pm["SPDXID"])
		if !spdxIDPattern.MatchString(id) {
			c.errorf("%s.SPDXID %q does not match SPDXRef-[A-Za-z0-9.-]+", pw, id)
		}
		if ids[id] {
			c.errorf("%s.SPDXID %q is not unique", pw, id)
		}
		ids[id] = true
		c.str(pw+".name", pm["name"])
		dl := c.str(pw+".downloadLocation", pm["downloadLocation"])
		if dl != "NOASSERTION" && dl != "NONE" {
			if u, err := url.Parse(dl); err != nil || u.Scheme == "" {
				c.errorf("%s.downloadLocation %q is not NONE, NOASSERTION or a URL", pw, dl)
			}
		}
		if fa, ok := pm["filesAnalyzed"]; ok {
			if _, ok := fa.(bool); !ok {
				c.errorf("%s.filesAnalyzed is not a boolean", pw)
			}
		}
		for _, k := range []string{"licenseConcluded", "licenseDeclared", "copyrightText", "versionInfo", "sourceInfo", "comment"} {
			if x, ok := pm[k]; ok {
				c.str(pw+"."+k, x)
			}
		}
		if x, ok := pm["primaryPackagePurpose"]; ok {
			c.enum(pw+".primaryPackagePurpose", x, spdxPurposes)
		}
		for j, cs := range c.array(pw+".checksums", pm["checksums"]) {
			cw := fmt.Sprintf("%s.checksums[%d]", pw, j)
			if cm := c.object(cw, cs, set("algorithm", "checksumValue"), "algorithm", "checksumValue"); cm != nil {
				c.enum(cw+".algorithm", cm["algorithm"], spdxChecksumAlgs)
				if s := c.str(cw+".checksumValue", cm["checksumValue"]); !lowerHex.MatchString(s) {
					c.errorf("%s.checksumValue %q is not lowercase hex", cw, s)
				}
			}
		}
		for j, er := range c.array(pw+".externalRefs", pm["externalRefs"]) {
			ew := fmt.Sprintf("%s.externalRefs[%d]", pw, j)
			em := c.object(ew, er, set("comment", "referenceCategory", "referenceLocator", "referenceType"),
				"referenceCategory", "referenceLocator", "referenceType")
			if em == nil {
				continue
			}
			c.enum(ew+".referenceCategory", em["referenceCategory"], spdxRefCategories)
			loc := c.str(ew+".referenceLocator", em["referenceLocator"])
			if em["referenceType"] == "purl" {
				if _, err := purl.Parse(loc); err != nil {
					c.errorf("%s.referenceLocator: %v", ew, err)
				}
				if bytes.ContainsAny([]byte(loc), " \t\n") {
					c.errorf("%s.referenceLocator %q has spaces", ew, loc)
				}
			}
		}
	}
	describes := false
	for i, r := range c.array("relationships", doc["relationships"]) {
		rw := fmt.Sprintf("relationships[%d]", i)
		rm := c.object(rw, r, set("spdxElementId", "comment", "relatedSpdxElement", "relationshipType"),
			"spdxElementId", "relatedSpdxElement", "relationshipType")
		if rm == nil {
			continue
		}
		c.enum(rw+".relationshipType", rm["relationshipType"], spdxRelTypes)
		for _, k := range []string{"spdxElementId", "relatedSpdxElement"} {
			if s := c.str(rw+"."+k, rm[k]); !ids[s] {
				c.errorf("%s.%s %q names no element", rw, k, s)
			}
		}
		if rm["spdxElementId"] == "SPDXRef-DOCUMENT" && rm["relationshipType"] == "DESCRIBES" {
			describes = true
		}
	}
	if !describes {
		c.errorf("the document DESCRIBES nothing")
	}
	return c.problems
}
