// Package purl builds and parses Package URLs (purl, ECMA-427,
// github.com/package-url/purl-spec):
//
//	pkg:type/namespace/name@version?qualifiers#subpath
//
// Parse is lenient where the specification asks parsers to be (extra
// slashes after "pkg:", leading and trailing slashes, empty and "."/".."
// subpath segments, uppercase type and qualifier keys, an unencoded "@"
// opening an npm scope) and strict where it must be (scheme, type and
// qualifier key syntax, bad percent-escapes, a decoded namespace or subpath
// segment holding a "/", duplicate qualifier keys, text that is not UTF-8).
// String renders the canonical form: components percent-encoded except for
// ASCII letters and digits, ".-_~" and ":" (and "/" inside qualifier
// values), qualifiers sorted by key, empty qualifier values dropped.
//
// Type-specific rules applied by both Parse and Build, for the types airlock
// knows:
//
//   - pypi: no namespace; the name lowercased with each run of "-", "_"
//     and "." replaced by one "-" (PEP 503, as the pypi type definition
//     asks).
//   - npm: namespace (the "@scope") and name lowercased, as the npm type
//     definition asks. Legacy packages with uppercase names (JSONStream)
//     therefore get lowercase purls; the registry refuses new names that
//     differ from an existing one only in case, so this is unambiguous.
//   - golang: namespace and name keep their case. The golang type
//     definition says they "must be lowercased", but it predates Go modules
//     (its own note says so), the purl-spec test suite parses and
//     round-trips golang purls without lowercasing (it only warns in its
//     validation tests), and Go module paths are case-sensitive: the module
//     proxy serves github.com/Sirupsen/logrus and github.com/sirupsen/logrus
//     as different modules. Lowercasing would make purls that no Go tool or
//     advisory database can resolve (purl-spec issue #308 tracks this).
//
// Other types are parsed and rendered with the generic rules only.
package purl

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/airlock-sec/airlock/internal/model"
)

// Qualifier is one key=value pair. Keys are lowercase; values are never
// empty in a PURL returned by Parse or FromEcosystem.
type Qualifier struct {
	Key   string
	Value string
}

// PURL is a parsed Package URL. All fields hold decoded text (no percent
// escapes); Namespace and Subpath join their segments with "/".
type PURL struct {
	Type      string
	Namespace string
	Name      string
	Version   string
	// Qualifiers are sorted by key, keys unique.
	Qualifiers []Qualifier
	Subpath    string
}

// Qualifier returns the value of the qualifier key, if present.
func (p PURL) Qualifier(key string) (string, bool) {
	for _, q := range p.Qualifiers {
		if q.Key == key {
			return q.Value, true
		}
	}
	return "", false
}

// Purl types for airlock's ecosystems.
const (
	TypePyPI   = "pypi"
	TypeNPM    = "npm"
	TypeGolang = "golang"
)

// ErrUnsupported is returned by New and FromEcosystem for an ecosystem that
// has no purl type here.
var ErrUnsupported = errors.New("purl: unsupported ecosystem")

// TypeFor returns the purl type of an ecosystem.
func TypeFor(eco model.Ecosystem) (string, error) {
	switch eco {
	case model.PyPI:
		return TypePyPI, nil
	case model.NPM:
		return TypeNPM, nil
	case model.Go:
		return TypeGolang, nil
	}
	return "", fmt.Errorf("%w %q", ErrUnsupported, string(eco))
}

// New returns the canonical purl of a package: pkg:pypi/<name>@<version>,
// pkg:npm/<scope>/<name>@<version> (scope "@babel" encoded "%40babel"), or
// pkg:golang/<module path>@<version> (namespace = all but the last path
// segment). An empty version leaves out "@version".
func New(eco model.Ecosystem, name, version string) (string, error) {
	p, err := FromEcosystem(eco, name, version)
	if err != nil {
		return "", err
	}
	return p.String(), nil
}

// FromEcosystem is New returning the normalized components.
func FromEcosystem(eco model.Ecosystem, name, version string) (PURL, error) {
	typ, err := TypeFor(eco)
	if err != nil {
		return PURL{}, err
	}
	p := PURL{Type: typ, Name: name, Version: version}
	switch typ {
	case TypeNPM:
		if strings.HasPrefix(name, "@") {
			if i := strings.IndexByte(name, '/'); i > 0 {
				p.Namespace, p.Name = name[:i], name[i+1:]
			}
		}
	case TypeGolang:
		if i := strings.LastIndexByte(name, '/'); i >= 0 {
			p.Namespace, p.Name = name[:i], name[i+1:]
		}
	}
	return normalize(p)
}

// Build validates p, applies the generic and type-specific normalizations
// and returns its canonical string.
func Build(p PURL) (string, error) {
	n, err := normalize(p)
	if err != nil {
		return "", err
	}
	return n.String(), nil
}

// String renders the canonical form of p, after the same normalization as
// Build. A PURL that Build rejects (no type or name, a bad qualifier key)
// is still rendered, but the result may not parse.
func (p PURL) String() string {
	n, _ := normalize(p)
	var b strings.Builder
	b.WriteString("pkg:")
	b.WriteString(n.Type)
	b.WriteByte('/')
	if n.Namespace != "" {
		for _, seg := range strings.Split(n.Namespace, "/") {
			b.WriteString(escape(seg, false))
			b.WriteByte('/')
		}
	}
	b.WriteString(escape(n.Name, false))
	if n.Version != "" {
		b.WriteByte('@')
		b.WriteString(escape(n.Version, false))
	}
	for i, q := range n.Qualifiers {
		if i == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		b.WriteString(q.Key)
		b.WriteByte('=')
		b.WriteString(escape(q.Value, true))
	}
	if n.Subpath != "" {
		b.WriteByte('#')
		for i, seg := range strings.Split(n.Subpath, "/") {
			if i > 0 {
				b.WriteByte('/')
			}
			b.WriteString(escape(seg, false))
		}
	}
	return b.String()
}

// Parse parses a purl string, right to left as the specification's "How to
// parse" describes, and returns its normalized components.
func Parse(s string) (PURL, error) {
	var p PURL
	rest := s
	if i := strings.LastIndexByte(rest, '#'); i >= 0 {
		var segs []string
		for _, seg := range strings.Split(rest[i+1:], "/") {
			d, err := unescape(seg)
			if err != nil {
				return PURL{}, fmt.Errorf("purl %q: subpath: %w", s, err)
			}
			if strings.Contains(d, "/") {
				return PURL{}, fmt.Errorf("purl %q: subpath segment %q holds an encoded '/'", s, d)
			}
			segs = append(segs, d)
		}
		p.Subpath = strings.Join(segs, "/")
		rest = rest[:i]
	}
	if i := strings.LastIndexByte(rest, '?'); i >= 0 {
		for _, pair := range strings.Split(rest[i+1:], "&") {
			if pair == "" {
				continue
			}
			k, v, _ := strings.Cut(pair, "=")
			d, err := unescape(v)
			if err != nil {
				return PURL{}, fmt.Errorf("purl %q: qualifier %q: %w", s, k, err)
			}
			if d == "" {
				continue
			}
			p.Qualifiers = append(p.Qualifiers, Qualifier{Key: k, Value: d})
		}
		rest = rest[:i]
	}
	scheme, rest, ok := strings.Cut(rest, ":")
	if !ok || !strings.EqualFold(scheme, "pkg") {
		return PURL{}, fmt.Errorf("purl %q: must start with \"pkg:\"", s)
	}
	rest = strings.TrimLeft(rest, "/")
	typ, rest, ok := strings.Cut(rest, "/")
	if !ok {
		return PURL{}, fmt.Errorf("purl %q: no name (expected pkg:type/name)", s)
	}
	p.Type = typ
	if i := versionSep(rest); i >= 0 {
		v, err := unescape(rest[i+1:])
		if err != nil {
			return PURL{}, fmt.Errorf("purl %q: version: %w", s, err)
		}
		if v == "" {
			return PURL{}, fmt.Errorf("purl %q: empty version after '@'", s)
		}
		if i == 0 || rest[i-1] == '/' {
			return PURL{}, fmt.Errorf("purl %q: no name before '@'", s)
		}
		p.Version = v
		rest = rest[:i]
	}
	rest = strings.TrimRight(rest, "/")
	nameEnc, nsEnc := rest, ""
	if i := strings.LastIndexByte(rest, '/'); i >= 0 {
		nsEnc, nameEnc = rest[:i], rest[i+1:]
	}
	name, err := unescape(nameEnc)
	if err != nil {
		return PURL{}, fmt.Errorf("purl %q: name: %w", s, err)
	}
	p.Name = name
	var segs []string
	for _, seg := range strings.Split(nsEnc, "/") {
		if seg == "" {
			continue
		}
		d, err := unescape(seg)
		if err != nil {
			return PURL{}, fmt.Errorf("purl %q: namespace: %w", s, err)
		}
		if d == "" || strings.Contains(d, "/") {
			return PURL{}, fmt.Errorf("purl %q: namespace segment %q is empty or holds an encoded '/'", s, d)
		}
		segs = append(segs, d)
	}
	p.Namespace = strings.Join(segs, "/")
	n, err := normalize(p)
	if err != nil {
		return PURL{}, fmt.Errorf("purl %q: %w", s, err)
	}
	return n, nil
}

// versionSep returns the index of the '@' that opens the version in rest
// (everything after "type/"), or -1. It is the last '@', unless that one
// opens a namespace segment (an unencoded npm scope, "@babel/core"),
// which the purl-spec test suite accepts.
func versionSep(rest string) int {
	i := strings.LastIndexByte(rest, '@')
	if i < 0 {
		return -1
	}
	if (i == 0 || rest[i-1] == '/') && strings.IndexByte(rest[i+1:], '/') >= 0 {
		return -1
	}
	return i
}

// normalize validates p and applies the generic and type-specific rules.
// It always returns its best normalization, with the first problem found.
func normalize(p PURL) (PURL, error) {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	n := PURL{Type: asciiLower(p.Type), Version: p.Version}
	if !validType(n.Type) {
		fail("type %q: must be an ASCII letter followed by letters, digits, '.' or '-'", p.Type)
	}

	var segs []string
	for _, seg := range strings.Split(p.Namespace, "/") {
		if seg == "" {
			continue
		}
		if !utf8.ValidString(seg) {
			fail("namespace is not valid UTF-8")
		}
		segs = append(segs, seg)
	}
	n.Namespace = strings.Join(segs, "/")

	n.Name = strings.Trim(p.Name, "/")
	if n.Name == "" {
		fail("name is required")
	}
	if !utf8.ValidString(n.Name) {
		fail("name is not valid UTF-8")
	}
	if !utf8.ValidString(n.Version) {
		fail("version is not valid UTF-8")
	}

	switch n.Type {
	case TypePyPI:
		if n.Namespace != "" {
			fail("pypi purls have no namespace (got %q)", n.Namespace)
		}
		n.Name = pypiName(n.Name)
	case TypeNPM:
		n.Namespace = strings.ToLower(n.Namespace)
		n.Name = strings.ToLower(n.Name)
	}

	if len(p.Qualifiers) > 0 {
		qs := make([]Qualifier, 0, len(p.Qualifiers))
		for _, q := range p.Qualifiers {
			if q.Value == "" {
				continue
			}
			k := asciiLower(q.Key)
			if !validKey(k) {
				fail("qualifier key %q: must be an ASCII letter followed by letters, digits, '.', '-' or '_'", q.Key)
			}
			if !utf8.ValidString(q.Value) {
				fail("qualifier %q: value is not valid UTF-8", k)
			}
			qs = append(qs, Qualifier{Key: k, Value: q.Value})
		}
		sort.SliceStable(qs, func(i, j int) bool { return qs[i].Key < qs[j].Key })
		for i := 1; i < len(qs); i++ {
			if qs[i].Key == qs[i-1].Key {
				fail("qualifier key %q appears twice", qs[i].Key)
			}
		}
		if len(qs) > 0 {
			n.Qualifiers = qs
		}
	}

	segs = segs[:0]
	for _, seg := range strings.Split(p.Subpath, "/") {
		if seg == "" || seg == "." || seg == ".." {
			continue
		}
		if !utf8.ValidString(seg) {
			fail("subpath is not valid UTF-8")
		}
		segs = append(segs, seg)
	}
	n.Subpath = strings.Join(segs, "/")

	if len(errs) > 0 {
		return n, errs[0]
	}
	return n, nil
}

// pypiName applies PEP 503 normalization: lowercase, and each run of '-',
// '_' and '.' becomes a single '-'.
func pypiName(s string) string {
	s = strings.ToLower(s)
	var b strings.Builder
	b.Grow(len(s))
	sep := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '-' || c == '_' || c == '.' {
			if !sep {
				b.WriteByte('-')
			}
			sep = true
			continue
		}
		sep = false
		b.WriteByte(c)
	}
	return b.String()
}

func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func validType(t string) bool {
	if t == "" || !isAlpha(t[0]) {
		return false
	}
	for i := 1; i < len(t); i++ {
		c := t[i]
		if !isAlpha(c) && !isDigit(c) && c != '.' && c != '-' {
			return false
		}
	}
	return true
}

func validKey(k string) bool {
	if k == "" || !isAlpha(k[0]) {
		return false
	}
	for i := 1; i < len(k); i++ {
		c := k[i]
		if !isAlpha(c) && !isDigit(c) && c != '.' && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

// escape percent-encodes every byte but ASCII letters and digits, ".-_~"
// and ":" (ECMA-427 "Character encoding"), and "/" too in qualifier values,
// as the purl-spec test suite renders them.
func escape(s string, qualifierValue bool) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAlpha(c) || isDigit(c) || c == '.' || c == '-' || c == '_' || c == '~' || c == ':' || (qualifierValue && c == '/') {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// unescape decodes %XX escapes ('+' stays '+') and requires valid UTF-8.
func unescape(s string) (string, error) {
	if strings.IndexByte(s, '%') < 0 {
		if !utf8.ValidString(s) {
			return "", errors.New("not valid UTF-8")
		}
		return s, nil
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '%' {
			b = append(b, c)
			continue
		}
		if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
			return "", fmt.Errorf("bad percent-escape at %q", s[i:min(len(s), i+3)])
		}
		b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
		i += 2
	}
	if !utf8.Valid(b) {
		return "", errors.New("not valid UTF-8 once decoded")
	}
	return string(b), nil
}

func isHex(c byte) bool {
	return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case isDigit(c):
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
