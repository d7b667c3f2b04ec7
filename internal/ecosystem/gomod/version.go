package gomod

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// ValidVersion reports whether v is a version the go command accepts in
// go.mod and go.sum: a canonical semantic version with a leading "v"
// (vMAJOR.MINOR.PATCH, an optional "-prerelease", no leading zeros), whose
// only allowed build suffix is "+incompatible" and only from v2 up.
// Pseudo-versions (vX.0.0-yyyymmddhhmmss-abcdefabcdef,
// vX.Y.Z-pre.0.yyyymmddhhmmss-abcdefabcdef,
// vX.Y.(Z+1)-0.yyyymmddhhmmss-abcdefabcdef) are semantic versions too; they
// must carry a real UTC time and a base the go command can derive.
//
// Short forms ("v1", "v1.2"), other build metadata ("+meta"), branch names
// and "latest" are queries, not versions, and are not valid.
func ValidVersion(v string) bool { return checkVersion(v) == nil }

// IsPseudoVersion reports whether v is a syntactically valid semantic
// version in one of the three pseudo-version forms
// (golang.org/x/mod/module.IsPseudoVersion). It does not check the time;
// ValidVersion does.
func IsPseudoVersion(v string) bool {
	if strings.Count(v, "-") < 2 {
		return false
	}
	if _, ok := parseSemver(v); !ok {
		return false
	}
	return pseudoVersionRE.MatchString(v)
}

var pseudoVersionRE = regexp.MustCompile(`^v[0-9]+\.(0\.0-|\d+\.\d+-([^+]*\.)?0\.)\d{14}-[A-Za-z0-9]+(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$`)

// semver is a version split as golang.org/x/mod/semver splits it. short is
// ".0.0" or ".0" for the short forms "v1" and "v1.2".
type semver struct {
	major, minor, patch, short, prerelease, build string
}

func parseSemver(v string) (p semver, ok bool) {
	if v == "" || v[0] != 'v' {
		return p, false
	}
	if p.major, v, ok = parseNum(v[1:]); !ok {
		return p, false
	}
	if v == "" {
		p.minor, p.patch, p.short = "0", "0", ".0.0"
		return p, true
	}
	if v[0] != '.' {
		return p, false
	}
	if p.minor, v, ok = parseNum(v[1:]); !ok {
		return p, false
	}
	if v == "" {
		p.patch, p.short = "0", ".0"
		return p, true
	}
	if v[0] != '.' {
		return p, false
	}
	if p.patch, v, ok = parseNum(v[1:]); !ok {
		return p, false
	}
	if v != "" && v[0] == '-' {
		if p.prerelease, v, ok = parseIdents(v, true); !ok {
			return p, false
		}
	}
	if v != "" && v[0] == '+' {
		if p.build, v, ok = parseIdents(v, false); !ok {
			return p, false
		}
	}
	return p, v == ""
}

// parseNum reads a decimal number without leading zeros.
func parseNum(v string) (n, rest string, ok bool) {
	i := 0
	for i < len(v) && '0' <= v[i] && v[i] <= '9' {
		i++
	}
	if i == 0 || v[0] == '0' && i != 1 {
		return "", v, false
	}
	return v[:i], v[i:], true
}

// parseIdents reads a "-" or "+" and dot-separated identifiers of
// [0-9A-Za-z-] up to the next "+" (prerelease) or the end (build).
// Numeric prerelease identifiers may not have leading zeros.
func parseIdents(v string, pre bool) (t, rest string, ok bool) {
	i, start := 1, 1
	end := func() bool {
		if start == i {
			return false
		}
		id := v[start:i]
		return !pre || !(len(id) > 1 && id[0] == '0' && allDigits(id))
	}
	for i < len(v) && !(pre && v[i] == '+') {
		c := v[i]
		switch {
		case c == '.':
			if !end() {
				return "", v, false
			}
			start = i + 1
		case !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-'):
			return "", v, false
		}
		i++
	}
	if !end() {
		return "", v, false
	}
	return v[:i], v[i:], true
}

// canonicalVersion is module.CanonicalVersion: the full vX.Y.Z form of a
// semantic version, build metadata dropped except "+incompatible"; "" when
// v is not one.
func canonicalVersion(v string) string {
	p, ok := parseSemver(v)
	if !ok {
		return ""
	}
	cv := "v" + p.major + "." + p.minor + "." + p.patch + p.prerelease
	if p.build == "+incompatible" {
		cv += p.build
	}
	return cv
}

// versionMajor is "vN" for a valid version, "" otherwise.
func versionMajor(v string) string {
	p, ok := parseSemver(v)
	if !ok {
		return ""
	}
	return "v" + p.major
}

// checkVersion says why v is not ValidVersion, or returns nil.
func checkVersion(v string) error {
	p, ok := parseSemver(v)
	switch {
	case !ok:
		return errors.New("not a semantic version (want v1.2.3)")
	case p.short != "":
		return errors.New("not canonical (want vMAJOR.MINOR.PATCH)")
	case p.build != "" && p.build != "+incompatible":
		return fmt.Errorf("build metadata %q is not allowed (only +incompatible)", p.build)
	case p.build != "" && (p.major == "0" || p.major == "1"):
		return errors.New("+incompatible is only for major versions 2 and up")
	}
	if !IsPseudoVersion(v) {
		return nil
	}
	// The checks of module.PseudoVersionTime and PseudoVersionBase.
	core := strings.TrimSuffix(v, p.build)
	j := strings.LastIndexByte(core, '-')
	core = core[:j] // drop the revision
	i := strings.LastIndexByte(core, '-')
	base, ts := core[:i], core[i+1:]
	if k := strings.LastIndexByte(core, '.'); k > i {
		base, ts = core[:k], core[k+1:]
	}
	if _, err := time.Parse("20060102150405", ts); err != nil {
		return fmt.Errorf("pseudo-version has a malformed time %q", ts)
	}
	switch {
	case base == "v"+p.major+".0.0" && p.build != "":
		return fmt.Errorf("pseudo-version without a base version cannot have build metadata %q", p.build)
	case base == "v"+p.major+"."+p.minor+".0-0":
		return errors.New("pseudo-version's base would have a negative patch number")
	}
	return nil
}
