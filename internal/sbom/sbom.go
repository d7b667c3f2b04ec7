// Package sbom renders a software bill of materials for the dependencies
// airlock found: CycloneDX 1.6 JSON and SPDX 2.3 JSON. It imports the model
// and the purl package only; the caller supplies the components and the
// document metadata (including the time, so output can be reproduced).
//
// Components are merged by package URL before rendering: the same package
// found in several lockfiles, lines or environments becomes one component
// listing every place it was found. Merging is by purl, so PyPI spellings
// that normalize alike (Foo_Bar, foo-bar) are one component; a component
// whose ecosystem has no purl type (or whose name is not UTF-8) is keyed by
// its raw ecosystem, name and version instead and gets no purl. On merge a
// component is direct if any occurrence is, development-only if every
// occurrence is, and its hashes, sources and places are the union. Its
// displayed name is the smallest of the merged spellings, so the output
// does not depend on input order. Components are sorted by ecosystem, name,
// version.
//
// Hashes are read as "alg:hex" (pip, Poetry, uv), "alg:base64" or SRI
// "alg-base64" (npm integrity, several separated by spaces) for md5, sha1,
// sha256, sha384 and sha512, and rendered as lowercase hex. A hash that is
// none of these (a go.sum "h1:" directory hash, a value of the wrong
// length) is kept verbatim as an "airlock:hash" property (CycloneDX) or in
// the package comment (SPDX), never converted.
//
// Serial numbers are deterministic: the CycloneDX serialNumber and the
// UUID in the SPDX documentNamespace are name-based UUIDs of version 8
// (RFC 9562 section 5.8, built as its appendix B.2 example: the first 128
// bits of a SHA-256, with the version and variant bits set) over
// Meta.SerialSeed, the rest of Meta (subject, tool, time) and the merged
// components. The same inputs always give the same UUID; a different time
// or seed gives another. They are not random and reveal nothing beyond a
// hash of the document's own content.
package sbom

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/purl"
)

// Component is one dependency to list in the bill of materials.
type Component struct {
	model.Dependency
	// Paths are all the places the dependency was found, rendered as
	// given; Dependency.Path (with ":Line" when Line > 0) is added to
	// them. Duplicates are dropped.
	Paths []string
}

// Meta describes the document.
type Meta struct {
	// Subject is what was scanned, e.g. the project directory name. It
	// names the root component / package. Empty renders as "unnamed".
	Subject string
	// ToolName and ToolVersion name the generator ("airlock", "1.2.3").
	// Empty renders as "airlock" and "unknown".
	ToolName, ToolVersion string
	// Time is the document's creation time, rendered in UTC to the
	// second. The zero time means now.
	Time time.Time
	// SerialSeed is mixed into the derivation of the serial number and
	// document namespace UUIDs (see the package comment).
	SerialSeed string
}

// Format names.
const (
	FormatCycloneDX = "cyclonedx"
	FormatSPDX      = "spdx"
)

// Formats lists the formats Write accepts.
func Formats() []string { return []string{FormatCycloneDX, FormatSPDX} }

// Write renders comps in the named format (one of Formats()).
func Write(w io.Writer, format string, m Meta, comps []Component) error {
	switch strings.ToLower(format) {
	case FormatCycloneDX:
		return CycloneDX(w, m, comps)
	case FormatSPDX:
		return SPDX(w, m, comps)
	}
	return fmt.Errorf("unknown SBOM format %q (allowed: %s)", format, strings.Join(Formats(), ", "))
}

func (m Meta) withDefaults() Meta {
	if m.Subject == "" {
		m.Subject = "unnamed"
	}
	if m.ToolName == "" {
		m.ToolName = "airlock"
	}
	if m.ToolVersion == "" {
		m.ToolVersion = "unknown"
	}
	if m.Time.IsZero() {
		m.Time = time.Now()
	}
	m.Time = m.Time.UTC().Truncate(time.Second)
	return m
}

// timestamp renders t as RFC 3339 UTC to the second, as both formats want.
func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// entry is one merged component.
type entry struct {
	key         string // purl, or a fallback reference when there is none
	purl        string // "" when the ecosystem has no purl type
	eco         model.Ecosystem
	name        string
	version     string
	direct      bool
	dev         bool
	unpinned    bool
	constraints []string
	places      []string
	sources     []string
	digests     []digest
	otherHashes []string
}

// merge groups comps by purl (or fallback key) and sorts the result.
func merge(comps []Component) []*entry {
	byKey := map[string]*entry{}
	var out []*entry
	for _, c := range comps {
		d := c.Dependency
		key, p := componentKey(d)
		e, ok := byKey[key]
		if !ok {
			e = &entry{key: key, purl: p, eco: d.Ecosystem, name: d.Name, version: d.Version, dev: true}
			byKey[key] = e
			out = append(out, e)
		}
		if d.Name < e.name {
			e.name = d.Name
		}
		e.direct = e.direct || d.Direct
		e.dev = e.dev && d.Dev
		e.unpinned = e.unpinned || d.Unpinned
		if d.Constraint != "" {
			e.constraints = append(e.constraints, d.Constraint)
		}
		if d.Path != "" {
			place := d.Path
			if d.Line > 0 {
				place += ":" + strconv.Itoa(d.Line)
			}
			e.places = append(e.places, place)
		}
		for _, p := range c.Paths {
			if p != "" {
				e.places = append(e.places, p)
			}
		}
		if d.Source != "" {
			e.sources = append(e.sources, d.Source)
		}
		for _, h := range d.Hashes {
			ds, other := parseHashes(h)
			e.digests = append(e.digests, ds...)
			e.otherHashes = append(e.otherHashes, other...)
		}
	}
	for _, e := range out {
		e.constraints = uniq(e.constraints)
		e.places = uniq(e.places)
		e.sources = uniq(e.sources)
		e.otherHashes = uniq(e.otherHashes)
		sort.Slice(e.digests, func(i, j int) bool {
			a, b := e.digests[i], e.digests[j]
			if a.alg != b.alg {
				return a.alg < b.alg
			}
			return a.hex < b.hex
		})
		ds := e.digests[:0]
		for i, d := range e.digests {
			if i == 0 || d != e.digests[i-1] {
				ds = append(ds, d)
			}
		}
		e.digests = ds
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.eco != b.eco {
			return a.eco < b.eco
		}
		if a.name != b.name {
			return a.name < b.name
		}
		if a.version != b.version {
			return a.version < b.version
		}
		return a.key < b.key
	})
	return out
}

// componentKey returns the merge key of d and its purl ("" if none).
func componentKey(d model.Dependency) (key, p string) {
	if s, err := purl.New(d.Ecosystem, d.Name, d.Version); err == nil {
		return s, s
	}
	return "airlock:component:" + url.QueryEscape(string(d.Ecosystem)) + "/" +
		url.QueryEscape(d.Name) + "@" + url.QueryEscape(d.Version), ""
}

func uniq(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	sort.Strings(s)
	out := s[:1]
	for _, v := range s[1:] {
		if v != out[len(out)-1] {
			out = append(out, v)
		}
	}
	return out
}

// roots returns the entries the subject depends on directly: those marked
// direct, or all of them when none is.
func roots(es []*entry) []*entry {
	var out []*entry
	for _, e := range es {
		if e.direct {
			out = append(out, e)
		}
	}
	if len(out) == 0 {
		return es
	}
	return out
}

// Hash algorithms, in output order.
type hashAlg int

const (
	algMD5 hashAlg = iota
	algSHA1
	algSHA256
	algSHA384
	algSHA512
)

var hashAlgs = [...]struct {
	name, cdx, spdx string
	size            int
}{
	algMD5:    {"md5", "MD5", "MD5", 16},
	algSHA1:   {"sha1", "SHA-1", "SHA1", 20},
	algSHA256: {"sha256", "SHA-256", "SHA256", 32},
	algSHA384: {"sha384", "SHA-384", "SHA384", 48},
	algSHA512: {"sha512", "SHA-512", "SHA512", 64},
}

type digest struct {
	alg hashAlg
	hex string // lowercase
}

// parseHashes reads one recorded hash value, which may hold several
// space-separated SRI entries. Values it cannot convert come back in
// other, verbatim.
func parseHashes(raw string) (ds []digest, other []string) {
	for _, f := range strings.Fields(raw) {
		if d, ok := parseDigest(f); ok {
			ds = append(ds, d)
		} else {
			other = append(other, f)
		}
	}
	return ds, other
}

func parseDigest(s string) (digest, bool) {
	var name, val string
	sri := false
	if i := strings.IndexByte(s, ':'); i > 0 {
		name, val = s[:i], s[i+1:]
	} else if i := strings.IndexByte(s, '-'); i > 0 {
		name, val, sri = s[:i], s[i+1:], true
		if j := strings.IndexByte(val, '?'); j >= 0 { // SRI options
			val = val[:j]
		}
	} else {
		return digest{}, false
	}
	name = strings.ToLower(strings.NewReplacer("-", "", "_", "").Replace(name))
	for i, a := range hashAlgs {
		if a.name != name {
			continue
		}
		if !sri {
			if b, err := hex.DecodeString(val); err == nil {
				// Hex is not also tried as base64.
				if len(b) == a.size {
					return digest{hashAlg(i), hex.EncodeToString(b)}, true
				}
				return digest{}, false
			}
		}
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			if b, err := enc.DecodeString(val); err == nil && len(b) == a.size {
				return digest{hashAlg(i), hex.EncodeToString(b)}, true
			}
		}
		return digest{}, false
	}
	return digest{}, false
}

// sourceKind classifies a Source for use as a link: "vcs" for version
// control locations (git+https://…, git://…, https://…/x.git),
// "distribution" for other http(s) and ftp URLs, "" for everything else
// (local paths, "link:", "file:", Go replacement paths, shorthand like
// "github:user/repo"), which is not a usable absolute URL.
func sourceKind(s string) string {
	if !utf8.ValidString(s) {
		return ""
	}
	for _, r := range s {
		if r <= ' ' || r == 0x7f || strings.ContainsRune("\"<>\\^`{|}", r) {
			return ""
		}
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	scheme := strings.ToLower(u.Scheme)
	if vcs, _, ok := strings.Cut(scheme, "+"); ok {
		switch vcs {
		case "git", "hg", "svn", "bzr":
			return "vcs"
		}
		return ""
	}
	switch scheme {
	case "git", "ssh", "svn":
		return "vcs"
	case "http", "https":
		if strings.HasSuffix(strings.ToLower(u.Path), ".git") {
			return "vcs"
		}
		return "distribution"
	case "ftp":
		return "distribution"
	}
	return ""
}

// docUUID derives the document's UUID (see the package comment).
func docUUID(label string, m Meta, es []*entry) string {
	type fpEntry struct {
		Key, Name, Version                       string
		Direct, Dev, Unpinned                    bool
		Constraints, Places, Sources, Other, Sum []string
	}
	fp := struct {
		Label, Seed, Subject, Tool, Version, Time string
		Entries                                   []fpEntry
	}{label, m.SerialSeed, m.Subject, m.ToolName, m.ToolVersion, timestamp(m.Time), nil}
	for _, e := range es {
		f := fpEntry{Key: e.key, Name: e.name, Version: e.version, Direct: e.direct, Dev: e.dev, Unpinned: e.unpinned,
			Constraints: e.constraints, Places: e.places, Sources: e.sources, Other: e.otherHashes}
		for _, d := range e.digests {
			f.Sum = append(f.Sum, hashAlgs[d.alg].name+":"+d.hex)
		}
		fp.Entries = append(fp.Entries, f)
	}
	b, err := json.Marshal(fp)
	if err != nil { // cannot happen: strings, bools and slices only
		panic(err)
	}
	sum := sha256.Sum256(b)
	u := sum[:16]
	u[6] = u[6]&0x0f | 0x80 // version 8
	u[8] = u[8]&0x3f | 0x80 // RFC 9562 variant
	h := hex.EncodeToString(u)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// encode writes v as indented JSON. encoding/json escapes what JSON needs
// and replaces bytes that are not UTF-8 with U+FFFD, so the output is
// valid JSON whatever the names hold.
func encode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
