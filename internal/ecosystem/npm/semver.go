package npm

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// This file and semver_range.go implement the version and range semantics
// of node-semver (the "semver" npm package, v7), which npm itself uses, in
// its default non-loose mode. The differences are listed on ParseVersion,
// PreID and ParseRange.

// MaxVersionLength is the longest version string ParseVersion accepts, in
// bytes (node-semver's MAX_LENGTH, which it counts in UTF-16 units).
const MaxVersionLength = 256

// maxSafeInteger is JavaScript's Number.MAX_SAFE_INTEGER (2^53-1), the
// largest major, minor or patch number node-semver accepts.
const maxSafeInteger = 1<<53 - 1

// Version is a parsed SemVer 2.0.0 version.
type Version struct {
	Major, Minor, Patch uint64
	// Pre holds the dot-separated prerelease identifiers ("1.2.3-beta.2"
	// has {"beta", "2"}); nil for a release.
	Pre []PreID
	// Build holds the dot-separated build metadata identifiers
	// ("1.2.3+sha.5114f85" has {"sha", "5114f85"}); nil when there are
	// none. Build metadata is kept by String and ignored by Compare.
	Build []string
}

// PreID is one prerelease identifier: either numeric (ASCII digits only,
// and no leading zero when parsed) or alphanumeric ([0-9A-Za-z-], at least
// one non-digit).
//
// Numeric identifiers compare by their exact value whatever their length;
// node-semver converts those of 2^53-1 and above to JavaScript floats, so it
// can call two long distinct ones (17-digit timestamps) equal.
type PreID string

// IsNumeric reports whether id is a numeric identifier.
func (id PreID) IsNumeric() bool {
	if id == "" {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] < '0' || id[i] > '9' {
			return false
		}
	}
	return true
}

// ParseVersion parses a SemVer 2.0.0 version the way node-semver's
// `new SemVer(s)` does, plus the leading run of 'v', '=' and whitespace that
// node-semver's loose mode allows ("v1.2.3", "=1.2.3", "= v1.2.3"):
//
//   - surrounding whitespace (JavaScript's definition) is ignored;
//   - major, minor and patch are decimal without leading zeros and at most
//     2^53-1 (JavaScript's Number.MAX_SAFE_INTEGER), as in node-semver;
//   - prerelease identifiers are non-empty [0-9A-Za-z-]+, numeric ones
//     without leading zeros; build identifiers are non-empty [0-9A-Za-z-]+;
//   - input longer than MaxVersionLength bytes is rejected.
//
// Everything else loose mode accepts ("1.2.3beta", "01.2.3") is rejected.
func ParseVersion(s string) (Version, error) {
	if len(s) > MaxVersionLength {
		return Version{}, fmt.Errorf("version is longer than %d bytes", MaxVersionLength)
	}
	t := strings.TrimLeftFunc(strings.TrimFunc(s, isJSSpace), func(r rune) bool {
		return r == 'v' || r == '=' || isJSSpace(r)
	})
	v, err := parseVersionCore(t)
	if err != nil {
		return Version{}, fmt.Errorf("invalid version %q: %w", s, err)
	}
	return v, nil
}

// parseVersionCore parses exactly MAJOR.MINOR.PATCH[-PRE][+BUILD], the
// grammar of node-semver's strict FULLPLAIN regexp without its optional "v".
func parseVersionCore(s string) (Version, error) {
	var v Version
	if s == "" {
		return v, errors.New("empty")
	}
	rest := s
	if i := strings.IndexByte(rest, '+'); i >= 0 {
		ids, err := splitIdentifiers(rest[i+1:], false)
		if err != nil {
			return Version{}, fmt.Errorf("build metadata: %w", err)
		}
		v.Build = ids
		rest = rest[:i]
	}
	if i := strings.IndexByte(rest, '-'); i >= 0 {
		ids, err := splitIdentifiers(rest[i+1:], true)
		if err != nil {
			return Version{}, fmt.Errorf("prerelease: %w", err)
		}
		v.Pre = make([]PreID, len(ids))
		for j, id := range ids {
			v.Pre[j] = PreID(id)
		}
		rest = rest[:i]
	}
	parts := strings.Split(rest, ".")
	if len(parts) != 3 {
		return Version{}, errors.New("want MAJOR.MINOR.PATCH")
	}
	for i, dst := range []*uint64{&v.Major, &v.Minor, &v.Patch} {
		n, err := parseComponent(parts[i])
		if err != nil {
			return Version{}, fmt.Errorf("%s %q: %w", [...]string{"major", "minor", "patch"}[i], parts[i], err)
		}
		*dst = n
	}
	return v, nil
}

// parseComponent parses a major, minor or patch number.
func parseComponent(s string) (uint64, error) {
	if !isDigits(s) {
		return 0, errors.New("not a number")
	}
	if len(s) > 1 && s[0] == '0' {
		return 0, errors.New("leading zero")
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n > maxSafeInteger {
		return 0, errors.New("larger than 2^53-1")
	}
	return n, nil
}

// splitIdentifiers splits dot-separated prerelease (pre) or build
// identifiers and validates them.
func splitIdentifiers(s string, pre bool) ([]string, error) {
	ids := strings.Split(s, ".")
	for _, id := range ids {
		if id == "" {
			return nil, errors.New("empty identifier")
		}
		for i := 0; i < len(id); i++ {
			if !isIdentChar(id[i]) {
				return nil, fmt.Errorf("identifier %q has invalid character %q", id, id[i])
			}
		}
		if pre && len(id) > 1 && id[0] == '0' && isDigits(id) {
			return nil, fmt.Errorf("numeric identifier %q has a leading zero", id)
		}
	}
	return ids, nil
}

func isIdentChar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-'
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isJSSpace reports whether r is whitespace for JavaScript's String.trim and
// the regexp class \s (WhiteSpace and LineTerminator in ECMAScript).
func isJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

// String returns the canonical form MAJOR.MINOR.PATCH[-PRE][+BUILD].
// (node-semver's version property is the same without "+BUILD".)
func (v Version) String() string {
	var b strings.Builder
	b.WriteString(v.mainAndPre())
	for i, id := range v.Build {
		if i == 0 {
			b.WriteByte('+')
		} else {
			b.WriteByte('.')
		}
		b.WriteString(id)
	}
	return b.String()
}

// mainAndPre is node-semver's SemVer.version: String without build
// metadata.
func (v Version) mainAndPre() string {
	b := make([]byte, 0, 32)
	b = strconv.AppendUint(b, v.Major, 10)
	b = append(b, '.')
	b = strconv.AppendUint(b, v.Minor, 10)
	b = append(b, '.')
	b = strconv.AppendUint(b, v.Patch, 10)
	for i, id := range v.Pre {
		if i == 0 {
			b = append(b, '-')
		} else {
			b = append(b, '.')
		}
		b = append(b, id...)
	}
	return string(b)
}

// IsPrerelease reports whether v has prerelease identifiers.
func (v Version) IsPrerelease() bool { return len(v.Pre) > 0 }

// Compare returns -1, 0 or +1 as v has lower, equal or higher SemVer
// precedence than o. Major, minor and patch compare numerically; a
// prerelease is lower than the release; prerelease identifiers compare
// left to right, numerically when both are numeric, numeric below
// alphanumeric, otherwise in ASCII order; when all shared identifiers are
// equal the shorter list is lower. Build metadata is ignored.
func (v Version) Compare(o Version) int {
	if c := cmpUint(v.Major, o.Major); c != 0 {
		return c
	}
	if c := cmpUint(v.Minor, o.Minor); c != 0 {
		return c
	}
	if c := cmpUint(v.Patch, o.Patch); c != 0 {
		return c
	}
	switch {
	case len(v.Pre) == 0 && len(o.Pre) == 0:
		return 0
	case len(v.Pre) == 0:
		return 1
	case len(o.Pre) == 0:
		return -1
	}
	for i := 0; i < len(v.Pre) && i < len(o.Pre); i++ {
		if c := comparePreID(v.Pre[i], o.Pre[i]); c != 0 {
			return c
		}
	}
	return cmpInt(len(v.Pre), len(o.Pre))
}

func comparePreID(a, b PreID) int {
	an, bn := a.IsNumeric(), b.IsNumeric()
	switch {
	case an && bn:
		x := strings.TrimLeft(string(a), "0")
		y := strings.TrimLeft(string(b), "0")
		if c := cmpInt(len(x), len(y)); c != 0 {
			return c
		}
		return strings.Compare(x, y)
	case an:
		return -1
	case bn:
		return 1
	}
	return strings.Compare(string(a), string(b))
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
