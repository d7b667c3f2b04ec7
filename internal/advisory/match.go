package advisory

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Scheme orders the versions of one ecosystem. Compare returns a negative
// number, zero or a positive number as a sorts before, equal to or after b,
// and an error when either is not a valid version of the ecosystem.
type Scheme interface {
	Compare(a, b string) (int, error)
}

// ErrNoScheme is returned (wrapped) when an ECOSYSTEM range has to be
// evaluated for an ecosystem no Scheme was registered for.
var ErrNoScheme = errors.New("no version scheme registered")

var registry = struct {
	sync.RWMutex
	m map[string]Scheme
}{m: map[string]Scheme{
	// The Go module ecosystem orders versions by semver with a leading "v".
	"Go":   SemverScheme{},
	"PyPI": PEP440Scheme{},
	"npm":  NpmScheme{},
}}

// Register sets the version scheme of an OSV ecosystem ("PyPI", "npm"),
// replacing any earlier one; a nil scheme removes it. Ecosystem names are
// case-sensitive, as in OSV, and name the base ecosystem: "Debian" serves
// "Debian:12". "Go", "PyPI" (PEP 440) and "npm" (node-semver) are registered from the start.
func Register(ecosystem string, s Scheme) {
	registry.Lock()
	defer registry.Unlock()
	if s == nil {
		delete(registry.m, ecosystem)
		return
	}
	registry.m[ecosystem] = s
}

// SchemeFor returns the scheme registered for the base of an ecosystem
// string ("Debian:12" → "Debian").
func SchemeFor(ecosystem string) (Scheme, bool) {
	registry.RLock()
	defer registry.RUnlock()
	s, ok := registry.m[baseEcosystem(ecosystem)]
	return s, ok
}

// baseEcosystem drops an OSV ecosystem suffix: "Debian:12" → "Debian",
// "Ubuntu:Pro:18.04:LTS" → "Ubuntu".
func baseEcosystem(e string) string {
	if i := strings.IndexByte(e, ':'); i >= 0 {
		return e[:i]
	}
	return e
}

// ecosystemMatches reports whether the affected[] entry's ecosystem applies
// to the queried one. Without a suffix the query matches every release of
// the ecosystem; with a suffix it matches that release and entries written
// without one.
func ecosystemMatches(query, affected string) bool {
	if query == "" || affected == "" {
		return false
	}
	qb, ab := baseEcosystem(query), baseEcosystem(affected)
	if qb != ab {
		return false
	}
	return qb == query || ab == affected || query == affected
}

// Affects reports whether the named package at version is affected.
//
// ecosystem is an OSV ecosystem string ("PyPI", "npm", "Go"), compared
// case-sensitively; a suffix (":12") is handled as ecosystemMatches says.
// Package names are compared after normalize (nil means as written); the
// caller passes the ecosystem's rule, e.g. PEP 503 for PyPI.
//
// A withdrawn advisory affects nothing. Otherwise the package is affected
// when the version is listed in versions[] (exactly, or equal under the
// ecosystem's scheme) or falls in any SEMVER or ECOSYSTEM range, evaluated
// with the OSV algorithm: events sorted by version ("0" introduced sorts
// first), the version is affected within [introduced, fixed) and
// [introduced, last_affected], and only below a limit when there are
// limits. GIT ranges and unknown range types are skipped.
//
// The error reports a range that could not be evaluated (an unparsable
// version, no scheme for the ecosystem); it is returned only when nothing
// matched, so a true answer is always definite.
func (a *Advisory) Affects(ecosystem, name, version string, normalize func(string) string) (bool, error) {
	if a == nil || a.Withdrawn != nil {
		return false, nil
	}
	if normalize == nil {
		normalize = func(s string) string { return s }
	}
	want := normalize(name)
	var errs []error
	for i := range a.Affected {
		af := &a.Affected[i]
		if !ecosystemMatches(ecosystem, af.Package.Ecosystem) || af.Package.Name == "" || normalize(af.Package.Name) != want {
			continue
		}
		ok, err := af.includes(version)
		if ok {
			return true, nil
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("advisory %q affected[%d]: %w", a.ID, i, err))
		}
	}
	return false, errors.Join(errs...)
}

// includes is the OSV IncludedInVersions || IncludedInRanges for one
// affected[] entry whose package already matched.
func (af *Affected) includes(version string) (bool, error) {
	scheme, hasScheme := SchemeFor(af.Package.Ecosystem)
	for _, v := range af.Versions {
		if v == version && v != "" {
			return true, nil
		}
	}
	if hasScheme && version != "" {
		for _, v := range af.Versions {
			// Listed versions may be tags that do not parse; only a
			// definite equality counts.
			if c, err := scheme.Compare(v, version); err == nil && c == 0 {
				return true, nil
			}
		}
	}
	var errs []error
	for j, r := range af.Ranges {
		var s Scheme
		switch r.Type {
		case RangeSemver:
			s = SemverScheme{}
		case RangeEcosystem:
			if hasScheme {
				s = scheme
			} else {
				s = missingScheme(baseEcosystem(af.Package.Ecosystem))
			}
		default:
			continue
		}
		ok, err := r.includes(s, version)
		if ok {
			return true, nil
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("ranges[%d] (%s): %w", j, r.Type, err))
		}
	}
	return false, errors.Join(errs...)
}

// missingScheme fails every comparison, so a range that needs no
// comparison ("introduced": "0" alone) still answers.
type missingScheme string

func (m missingScheme) Compare(a, b string) (int, error) {
	return 0, fmt.Errorf("%w for ecosystem %q", ErrNoScheme, string(m))
}

// includes evaluates one range with the OSV algorithm. Comparisons are made
// only when needed, so an unparsable version is an error only when the
// answer depends on it.
func (r *Range) includes(s Scheme, v string) (bool, error) {
	cmpV := func(x string) (int, error) {
		c, err := s.Compare(v, x)
		if err != nil {
			return 0, fmt.Errorf("compare %q with %q: %w", clip(v), clip(x), err)
		}
		return c, nil
	}

	// BeforeLimits: no limit events means an implicit "*".
	var limits []string
	for _, e := range r.Events {
		if e.Kind == Limit {
			limits = append(limits, e.Version)
		}
	}
	if len(limits) > 0 {
		below := false
		for _, l := range limits {
			if strings.Contains(l, "*") {
				below = true
				break
			}
			c, err := cmpV(l)
			if err != nil {
				return false, err
			}
			if c < 0 {
				below = true
				break
			}
		}
		if !below {
			return false, nil
		}
	}

	events := make([]Event, 0, len(r.Events))
	for _, e := range r.Events {
		if e.Kind != Limit {
			events = append(events, e)
		}
	}
	var sortErr error
	slices.SortStableFunc(events, func(x, y Event) int {
		xz, yz := isZero(x), isZero(y)
		switch {
		case xz && yz:
			return 0
		case xz:
			return -1
		case yz:
			return 1
		}
		c, err := s.Compare(x.Version, y.Version)
		if err != nil {
			if sortErr == nil {
				sortErr = fmt.Errorf("sort events %q and %q: %w", clip(x.Version), clip(y.Version), err)
			}
			return 0
		}
		return c
	})
	if sortErr != nil {
		return false, sortErr
	}

	vulnerable := false
	for _, e := range events {
		switch e.Kind {
		// An event that cannot change the state needs no comparison.
		case Introduced:
			if vulnerable {
				continue
			}
			if isZero(e) {
				vulnerable = true
				continue
			}
			c, err := cmpV(e.Version)
			if err != nil {
				return false, err
			}
			if c >= 0 {
				vulnerable = true
			}
		case Fixed:
			if !vulnerable {
				continue
			}
			c, err := cmpV(e.Version)
			if err != nil {
				return false, err
			}
			if c >= 0 {
				vulnerable = false
			}
		case LastAffected:
			if !vulnerable {
				continue
			}
			c, err := cmpV(e.Version)
			if err != nil {
				return false, err
			}
			if c > 0 {
				vulnerable = false
			}
		}
	}
	return vulnerable, nil
}

// isZero reports the special "introduced": "0", which sorts before every
// version.
func isZero(e Event) bool { return e.Kind == Introduced && e.Version == "0" }
