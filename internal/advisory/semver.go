package advisory

import (
	"cmp"
	"errors"
	"fmt"
	"strings"
)

// SemverScheme orders versions by SemVer 2.0.0 precedence (semver.org,
// section 11). It serves OSV ranges of type SEMVER and the "Go" ecosystem,
// so it also accepts a leading "v". Build metadata ("+incompatible",
// "+build.5") is validated and then ignored, as the specification says;
// Go pseudo-versions (v0.0.0-20210101000000-abcdef123456,
// v1.2.4-0.20210101000000-abcdef123456) are ordinary prereleases and sort
// where the go command sorts them. Numbers of any length are compared
// exactly.
type SemverScheme struct{}

// Compare returns -1, 0 or +1 as a sorts before, with or after b, or an
// error naming the version that is not a semantic version.
func (SemverScheme) Compare(a, b string) (int, error) {
	va, err := parseSemver(a)
	if err != nil {
		return 0, err
	}
	vb, err := parseSemver(b)
	if err != nil {
		return 0, err
	}
	return va.compare(vb), nil
}

type semver struct {
	major, minor, patch string
	pre                 []string
}

func parseSemver(s string) (semver, error) {
	bad := func(why string) (semver, error) {
		return semver{}, fmt.Errorf("invalid semantic version %q: %s", clip(s), why)
	}
	v := strings.TrimPrefix(s, "v")
	if v == "" {
		return bad("empty")
	}
	if i := strings.IndexByte(v, '+'); i >= 0 {
		if err := identifiers(v[i+1:], false); err != nil {
			return bad("build metadata: " + err.Error())
		}
		v = v[:i]
	}
	var pre string
	hasPre := false
	if i := strings.IndexByte(v, '-'); i >= 0 {
		pre, hasPre = v[i+1:], true
		v = v[:i]
	}
	parts := strings.Split(v, ".")
	if len(parts) != 3 {
		return bad("want MAJOR.MINOR.PATCH")
	}
	for _, p := range parts {
		if !numeric(p) {
			return bad(fmt.Sprintf("%q is not a number", clip(p)))
		}
		if len(p) > 1 && p[0] == '0' {
			return bad(fmt.Sprintf("%q has a leading zero", clip(p)))
		}
	}
	out := semver{major: parts[0], minor: parts[1], patch: parts[2]}
	if hasPre {
		if err := identifiers(pre, true); err != nil {
			return bad("prerelease: " + err.Error())
		}
		out.pre = strings.Split(pre, ".")
	}
	return out, nil
}

// identifiers checks a dot-separated list of [0-9A-Za-z-] identifiers;
// numeric prerelease identifiers must not have leading zeros.
func identifiers(s string, prerelease bool) error {
	for id := range strings.SplitSeq(s, ".") {
		if id == "" {
			return errors.New("empty identifier")
		}
		for i := 0; i < len(id); i++ {
			c := id[i]
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-') {
				return fmt.Errorf("character %q not allowed", c)
			}
		}
		if prerelease && numeric(id) && len(id) > 1 && id[0] == '0' {
			return fmt.Errorf("%q has a leading zero", clip(id))
		}
	}
	return nil
}

func numeric(s string) bool {
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

// compareNum compares decimal strings without leading zeros.
func compareNum(a, b string) int {
	if c := cmp.Compare(len(a), len(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

func (v semver) compare(w semver) int {
	if c := compareNum(v.major, w.major); c != 0 {
		return c
	}
	if c := compareNum(v.minor, w.minor); c != 0 {
		return c
	}
	if c := compareNum(v.patch, w.patch); c != 0 {
		return c
	}
	// A version without prerelease has higher precedence.
	switch {
	case len(v.pre) == 0 && len(w.pre) == 0:
		return 0
	case len(v.pre) == 0:
		return 1
	case len(w.pre) == 0:
		return -1
	}
	for i := 0; i < len(v.pre) && i < len(w.pre); i++ {
		a, b := v.pre[i], w.pre[i]
		an, bn := numeric(a), numeric(b)
		var c int
		switch {
		case an && bn:
			c = compareNum(a, b)
		case an:
			c = -1 // numeric identifiers sort before alphanumeric ones
		case bn:
			c = 1
		default:
			c = strings.Compare(a, b)
		}
		if c != 0 {
			return c
		}
	}
	return cmp.Compare(len(v.pre), len(w.pre))
}
