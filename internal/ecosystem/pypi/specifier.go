package pypi

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxSpecifierSetLen bounds the input of ParseSpecifierSet, in bytes.
const MaxSpecifierSetLen = 4096

// ErrInvalidSpecifier is wrapped by every error ParseSpecifier and
// ParseSpecifierSet return.
var ErrInvalidSpecifier = errors.New("invalid PEP 440 version specifier")

// Specifier is one PEP 440 version clause, such as ">=1.0", "~=1.4.2",
// "==1.2.*" or "===foo".
type Specifier struct {
	op        string  // "~=", "==", "!=", "<=", ">=", "<", ">" or "==="
	v         Version // the operand; for a wildcard, the prefix before ".*"
	wildcard  bool    // ==V.* or !=V.*
	arbitrary string  // the operand of ===, as written
	pre       bool    // the clause names a pre-release, which lets pre-releases in
}

// SpecifierSet is a comma-separated list of clauses that must all hold.
type SpecifierSet []Specifier

// Operator returns the clause's operator.
func (s Specifier) Operator() string { return s.op }

// Version returns the clause's operand: for a wildcard clause the prefix
// before ".*", and for === the operand parsed as a version when it is one
// (else the zero Version).
func (s Specifier) Version() Version { return s.v }

// Wildcard reports whether the clause is a prefix match, ==V.* or !=V.*.
func (s Specifier) Wildcard() bool { return s.wildcard }

// String returns the clause with its operand normalized (=== keeps the
// operand as written).
func (s Specifier) String() string {
	switch {
	case s.op == "===":
		return s.op + s.arbitrary
	case s.wildcard:
		return s.op + s.v.String() + ".*"
	}
	return s.op + s.v.String()
}

// String returns the clauses, normalized, in their order, joined by ",".
func (ss SpecifierSet) String() string {
	var b strings.Builder
	for i, s := range ss {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s.String())
	}
	return b.String()
}

// ParseSpecifierSet parses a comma-separated list of clauses, such as
// "~=1.4.2, !=1.4.5, <2". Whitespace around clauses and between an
// operator and its operand is ignored, and so are empty clauses: "" is the
// empty set, which every final release satisfies. Input longer than
// MaxSpecifierSetLen bytes is rejected.
func ParseSpecifierSet(s string) (SpecifierSet, error) {
	if len(s) > MaxSpecifierSetLen {
		return nil, fmt.Errorf("%w: longer than %d bytes", ErrInvalidSpecifier, MaxSpecifierSetLen)
	}
	set := make(SpecifierSet, 0, min(strings.Count(s, ",")+1, 8))
	for rest := s; ; {
		var clause string
		clause, rest = nextSegment(rest, ',')
		if clause = trimPySpace(clause); clause != "" {
			spec, err := parseSpecifier(clause)
			if err != nil {
				return nil, err
			}
			set = append(set, spec)
		}
		if rest == "" {
			break
		}
	}
	return set, nil
}

// ParseSpecifier parses one clause, such as ">=1.0" or "== 1.2.*".
func ParseSpecifier(s string) (Specifier, error) {
	if len(s) > MaxSpecifierSetLen {
		return Specifier{}, fmt.Errorf("%w: longer than %d bytes", ErrInvalidSpecifier, MaxSpecifierSetLen)
	}
	return parseSpecifier(trimPySpace(s))
}

// specifierOps lists the operators, each before any operator it starts with.
var specifierOps = [...]string{"===", "~=", "==", "!=", "<=", ">=", "<", ">"}

// parseSpecifier parses a clause without surrounding whitespace, following
// packaging's Specifier grammar.
func parseSpecifier(c string) (Specifier, error) {
	var s Specifier
	for _, op := range specifierOps {
		if strings.HasPrefix(c, op) {
			s.op = op
			break
		}
	}
	if s.op == "" {
		return s, fmt.Errorf("%w %q: no operator", ErrInvalidSpecifier, snippet([]byte(c)))
	}
	operand := trimPySpace(c[len(s.op):])
	if len(operand) > MaxVersionLen {
		return s, fmt.Errorf("%w %q: operand longer than %d bytes", ErrInvalidSpecifier, snippet([]byte(c)), MaxVersionLen)
	}
	bad := func(why string) (Specifier, error) {
		return Specifier{}, fmt.Errorf("%w %q: %s", ErrInvalidSpecifier, snippet([]byte(c)), why)
	}

	if s.op == "===" {
		if !utf8.ValidString(operand) {
			return bad("not valid UTF-8")
		}
		if strings.ContainsFunc(operand, func(r rune) bool { return isPySpace(r) || r == ';' || r == ')' }) {
			return bad("whitespace, ';' or ')' in the operand of ===")
		}
		s.arbitrary = operand
		if v, ok := parseVersion(operand); ok {
			s.v = v
			s.pre = v.IsPrerelease()
		}
		return s, nil
	}

	text := operand
	if s.op == "==" || s.op == "!=" {
		if t, ok := strings.CutSuffix(operand, ".*"); ok {
			text, s.wildcard = t, true
		}
	}
	v, ok := parseVersion(text)
	if !ok {
		return bad("not a PEP 440 version")
	}
	s.v = v
	switch {
	case s.wildcard && (v.preL != 0 || v.post != "" || v.dev != "" || v.local != ""):
		return bad("a prefix match (.*) takes only an epoch and a release")
	case v.local != "" && s.op != "==" && s.op != "!=":
		return bad("a local version label is allowed only with == and !=")
	case s.op == "~=" && !strings.Contains(v.release, "."):
		return bad("~= needs at least two release segments")
	}
	// As in packaging: any clause but != and a prefix match that names a
	// pre-release lets pre-releases in.
	s.pre = s.op != "!=" && !s.wildcard && v.IsPrerelease()
	return s, nil
}

// Matches reports whether v satisfies the clause's operator alone; the
// pre-release policy is SpecifierSet.Contains's.
//
// The exclusive comparisons follow PEP 440 as packaging implements it:
// <V does not match pre-releases of V (anything from V.dev0 up) unless V
// is itself a pre-release, and >V matches neither V's local versions nor,
// unless V is itself a post-release, V's post-releases.
func (s Specifier) Matches(v Version) bool {
	switch s.op {
	case "===":
		return arbitraryEqual(v.String(), s.arbitrary)
	case "==":
		return s.equal(v)
	case "!=":
		return !s.equal(v)
	case "<=":
		return compareVersions(v, s.v, false) <= 0
	case ">=":
		return v.Compare(s.v) >= 0
	case "<":
		bound := s.v
		if !bound.IsPrerelease() {
			bound.dev = "0" // V.dev0, the first pre-release of V
		}
		return v.Compare(bound) < 0
	case ">":
		if v.Compare(s.v) <= 0 {
			return false
		}
		if s.v.dev != "" || s.v.post != "" {
			// Only V's local versions lie between V and the next version.
			return compareVersions(v, s.v, false) > 0
		}
		// Leave out V+local and V's post-releases (and their dev releases).
		sameBase := cmpNum(v.epoch, s.v.epoch) == 0 && cmpRelease(v.release, s.v.release) == 0 &&
			v.preL == s.v.preL && v.preN == s.v.preN
		return !(sameBase && (v.post != "" || v.dev == ""))
	case "~=":
		// >=V, ==P.* where P is V's release without its last segment.
		prefix := s.v.release
		if i := strings.LastIndexByte(prefix, '.'); i >= 0 {
			prefix = prefix[:i]
		}
		return v.Compare(s.v) >= 0 && cmpNum(v.epoch, s.v.epoch) == 0 && releaseHasPrefix(v.release, prefix)
	}
	return false
}

// equal is the == operator: a prefix match on the zero-padded release for
// a wildcard; else PEP 440 equality, ignoring v's local label when the
// clause has none.
func (s Specifier) equal(v Version) bool {
	if s.wildcard {
		return cmpNum(v.epoch, s.v.epoch) == 0 && releaseHasPrefix(v.release, s.v.release)
	}
	return compareVersions(v, s.v, s.v.local != "") == 0
}

// arbitraryEqual is ===: the canonical version (ASCII, lowercase) against
// the operand as Python's str.lower() would have it, under which the
// Kelvin sign becomes "k".
func arbitraryEqual(canon, operand string) bool {
	i := 0
	for _, r := range operand {
		if i >= len(canon) {
			return false
		}
		switch {
		case r < utf8.RuneSelf:
			if lowerASCII(byte(r)) != canon[i] {
				return false
			}
		case r == '\u212a':
			if canon[i] != 'k' {
				return false
			}
		default:
			return false
		}
		i++
	}
	return i == len(canon)
}

// Contains reports whether v satisfies every clause of the set (the empty
// set is satisfied by every final release). Pre-releases and development
// releases are left out unless includePrereleases is set or a clause names
// one, as >=1.0b1 and <2.0rc1 do (!= and prefix matches do not count, as in
// packaging 26). This is PEP 440's default for a version looked at alone;
// packaging 25 and later instead let a lone pre-release in when nothing
// says otherwise (contains(v) with prereleases=None).
func (ss SpecifierSet) Contains(v Version, includePrereleases bool) bool {
	if v.IsPrerelease() && !includePrereleases && !ss.namesPrerelease() {
		return false
	}
	for _, s := range ss {
		if !s.Matches(v) {
			return false
		}
	}
	return true
}

func (ss SpecifierSet) namesPrerelease() bool {
	for _, s := range ss {
		if s.pre {
			return true
		}
	}
	return false
}
