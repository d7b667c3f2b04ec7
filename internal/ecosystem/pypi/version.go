package pypi

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// MaxVersionLen bounds the input of ParseVersion, in bytes.
const MaxVersionLen = 256

// ErrInvalidVersion is wrapped by every error ParseVersion returns.
var ErrInvalidVersion = errors.New("invalid PEP 440 version")

// Version is a parsed PEP 440 version: [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local].
//
// Numbers are kept as decimal strings without leading zeros, so versions
// with arbitrarily large numbers compare exactly and nothing can overflow.
// All fields are substrings of the canonical form, which ParseVersion
// builds in one allocation.
//
// The zero Version is "0". Two Versions are == (Go equality) exactly when
// their canonical forms are equal; PEP 440 equality, under which 1.0 and
// 1.0.0 are the same version, is Compare(...) == 0.
type Version struct {
	s       string // canonical form; "" in the zero Version
	epoch   string // "" when the epoch is 0
	release string // "1.2.3"
	preL    byte   // 0 (none), 'a', 'b' or 'c' (rc)
	preN    string // "" when preL is 0
	post    string // "" when there is no post-release segment
	dev     string // "" when there is no dev-release segment
	local   string // "ubuntu.1"; "" when there is no local segment
}

// ParseVersion parses a PEP 440 version with every normalization that PEP
// 440 and PyPA's packaging accept: case-insensitivity, a leading "v",
// surrounding whitespace, the spellings alpha, beta, c, pre, preview, rev
// and r, the separators ".", "-" and "_" around pre-, post- and
// dev-release labels, implicit numbers (1.0a is 1.0a0, 1.0.post is
// 1.0.post0, 1.0dev is 1.0.dev0), implicit post-releases (1.0-1 is
// 1.0.post1), leading zeros (01.02 is 1.2) and local labels (+Ubuntu-1 is
// +ubuntu.1). Input longer than MaxVersionLen bytes is rejected.
func ParseVersion(s string) (Version, error) {
	if len(s) > MaxVersionLen {
		return Version{}, fmt.Errorf("%w: longer than %d bytes", ErrInvalidVersion, MaxVersionLen)
	}
	v, ok := parseVersion(trimPySpace(s))
	if !ok {
		return Version{}, fmt.Errorf("%w: %q", ErrInvalidVersion, s)
	}
	return v, nil
}

// String returns the canonical normalized form, such as "1.0a0" or
// "1!2.0.post1.dev3+local.1". Trailing zeros of the release segment are
// kept: "1.0.0" stays "1.0.0".
func (v Version) String() string {
	if v.s == "" {
		return "0"
	}
	return v.s
}

// IsPrerelease reports whether v is a pre-release or a development release.
func (v Version) IsPrerelease() bool { return v.preL != 0 || v.dev != "" }

// Public returns v without its local version label.
func (v Version) Public() Version {
	if v.local == "" {
		return v
	}
	w := v
	w.s = v.s[:len(v.s)-len(v.local)-1]
	w.local = ""
	return w
}

// Compare returns -1, 0 or +1 as v sorts before, equal to or after o in
// PEP 440 order (the order of packaging's Version): epoch; release with
// trailing zeros ignored; 1.0.dev0 < 1.0a0.dev0 < 1.0a0 < 1.0a0.post0.dev0
// < 1.0a0.post0 < 1.0b0 < 1.0rc0 < 1.0 < 1.0.post0.dev0 < 1.0.post0; and a
// version with a local label after the same version without one, local
// labels compared segment by segment (a number sorts after a string,
// numbers numerically, strings lexically, a shorter label first when it is
// a prefix of the other).
func (v Version) Compare(o Version) int { return compareVersions(v, o, true) }

func compareVersions(a, b Version, withLocal bool) int {
	if c := cmpNum(a.epoch, b.epoch); c != 0 {
		return c
	}
	if c := cmpRelease(a.release, b.release); c != 0 {
		return c
	}
	// Pre-release: a dev release of a final release (1.0.dev0) comes before
	// every pre-release, and a version without a pre-release after them.
	if c := cmpInt(a.preRank(), b.preRank()); c != 0 {
		return c
	}
	if a.preL != 0 {
		if a.preL != b.preL {
			return cmpInt(int(a.preL), int(b.preL)) // 'a' < 'b' < 'c' (rc)
		}
		if c := cmpNum(a.preN, b.preN); c != 0 {
			return c
		}
	}
	// Post-release: none sorts first.
	if c := cmpOptional(a.post, b.post, -1); c != 0 {
		return c
	}
	// Dev release: none sorts last.
	if c := cmpOptional(a.dev, b.dev, +1); c != 0 {
		return c
	}
	if !withLocal {
		return 0
	}
	// Local label: none sorts first.
	if a.local == "" || b.local == "" {
		return cmpInt(boolInt(a.local != ""), boolInt(b.local != ""))
	}
	return cmpLocal(a.local, b.local)
}

// preRank orders the pre-release slot: -1 for a dev release with neither a
// pre- nor a post-release segment, 0 for a pre-release, +1 for none.
func (v Version) preRank() int {
	switch {
	case v.preL != 0:
		return 0
	case v.post == "" && v.dev != "":
		return -1
	default:
		return 1
	}
}

// cmpOptional compares two optional numbers, "" (absent) sorting at the
// side given by absent (-1 first, +1 last).
func cmpOptional(a, b string, absent int) int {
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return absent
	case b == "":
		return -absent
	}
	return cmpNum(a, b)
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

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// cmpNum compares two decimal numbers without leading zeros ("" is 0 too).
func cmpNum(a, b string) int {
	if len(a) != len(b) {
		return cmpInt(len(a), len(b))
	}
	return strings.Compare(a, b)
}

// nextSegment splits s at its first sep.
func nextSegment(s string, sep byte) (seg, rest string) {
	if i := strings.IndexByte(s, sep); i >= 0 {
		return s[:i], s[i+1:]
	}
	return s, ""
}

// cmpRelease compares dotted release segments, the shorter one padded
// with zeros, which is the same as comparing them with trailing zeros
// removed.
func cmpRelease(a, b string) int {
	for a != "" || b != "" {
		sa, sb := "0", "0"
		if a != "" {
			sa, a = nextSegment(a, '.')
		}
		if b != "" {
			sb, b = nextSegment(b, '.')
		}
		if c := cmpNum(sa, sb); c != 0 {
			return c
		}
	}
	return 0
}

// releaseHasPrefix reports whether release, padded with zeros, starts with
// the segments of prefix.
func releaseHasPrefix(release, prefix string) bool {
	for prefix != "" {
		var want, got string
		want, prefix = nextSegment(prefix, '.')
		got = "0"
		if release != "" {
			got, release = nextSegment(release, '.')
		}
		if got != want {
			return false
		}
	}
	return true
}

// cmpLocal compares canonical local labels segment by segment.
func cmpLocal(a, b string) int {
	for a != "" && b != "" {
		var sa, sb string
		sa, a = nextSegment(a, '.')
		sb, b = nextSegment(b, '.')
		na, nb := allDigits(sa), allDigits(sb)
		var c int
		switch {
		case na && nb:
			c = cmpNum(sa, sb)
		case na != nb:
			c = cmpInt(boolInt(na), boolInt(nb)) // a number sorts after a string
		default:
			c = strings.Compare(sa, sb)
		}
		if c != 0 {
			return c
		}
	}
	return cmpInt(len(a), len(b))
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isVersionSep(c byte) bool { return c == '.' || c == '-' || c == '_' }

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}

func isLowerAlnum(c byte) bool {
	c = lowerASCII(c)
	return isDigit(c) || ('a' <= c && c <= 'z')
}

// isPySpace reports whether r is whitespace to Python (str.isspace, which
// the \s of packaging's regular expressions and str.strip use): Go's
// unicode.IsSpace plus the separators U+001C to U+001F.
func isPySpace(r rune) bool { return unicode.IsSpace(r) || (0x1c <= r && r <= 0x1f) }

func trimPySpace(s string) string { return strings.TrimFunc(s, isPySpace) }

// hasPrefixFold reports whether s starts with the lowercase ASCII word w,
// ignoring ASCII case.
func hasPrefixFold(s, w string) bool {
	if len(s) < len(w) {
		return false
	}
	for i := 0; i < len(w); i++ {
		if lowerASCII(s[i]) != w[i] {
			return false
		}
	}
	return true
}

// skipDigits returns the index of the first non-digit at or after i.
func skipDigits(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

// skipSep skips one optional separator at i.
func skipSep(s string, i int) int {
	if i < len(s) && isVersionSep(s[i]) {
		return i + 1
	}
	return i
}

// preLabels lists the pre-release spellings, longer ones before their
// prefixes, with the letter each normalizes to ('c' stands for rc).
var preLabels = [...]struct {
	word string
	norm byte
}{
	{"alpha", 'a'}, {"a", 'a'}, {"beta", 'b'}, {"b", 'b'},
	{"preview", 'c'}, {"pre", 'c'}, {"c", 'c'}, {"rc", 'c'},
}

var postLabels = [...]string{"post", "rev", "r"}

// rawVersion holds the pieces of a version as written.
type rawVersion struct {
	epoch, release, preN, postN, devN, local string
	preL                                     byte
	hasPost, hasDev                          bool
}

// scanVersion matches t, which has no surrounding whitespace, against
// packaging's VERSION_PATTERN. Its greedy, left-to-right choices give the
// same parse as the regular expression: the parts that may follow a
// separator never start with a digit, except the "-N" post-release, which
// cannot follow a pre-release label's separator without the digits being
// taken as the pre-release number first.
func scanVersion(t string) (r rawVersion, ok bool) {
	n := len(t)
	i := 0
	if i < n && lowerASCII(t[i]) == 'v' {
		i++
	}
	start := i
	i = skipDigits(t, i)
	if i == start {
		return r, false
	}
	if i < n && t[i] == '!' {
		r.epoch = t[start:i]
		i++
		start = i
		i = skipDigits(t, i)
		if i == start {
			return r, false
		}
	}
	for i+1 < n && t[i] == '.' && isDigit(t[i+1]) {
		i = skipDigits(t, i+1)
	}
	r.release = t[start:i]

	// Pre-release: [-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?N?
	if j := skipSep(t, i); j < n {
		for _, l := range preLabels {
			if hasPrefixFold(t[j:], l.word) {
				r.preL = l.norm
				j = skipSep(t, j+len(l.word))
				k := skipDigits(t, j)
				r.preN = t[j:k]
				i = k
				break
			}
		}
	}

	// Post-release: -N or [-_.]?(post|rev|r)[-_.]?N?
	if i+1 < n && t[i] == '-' && isDigit(t[i+1]) {
		k := skipDigits(t, i+1)
		r.hasPost, r.postN = true, t[i+1:k]
		i = k
	} else if j := skipSep(t, i); j < n {
		for _, w := range postLabels {
			if hasPrefixFold(t[j:], w) {
				j = skipSep(t, j+len(w))
				k := skipDigits(t, j)
				r.hasPost, r.postN = true, t[j:k]
				i = k
				break
			}
		}
	}

	// Development release: [-_.]?dev[-_.]?N?
	if j := skipSep(t, i); hasPrefixFold(t[j:], "dev") {
		j = skipSep(t, j+3)
		k := skipDigits(t, j)
		r.hasDev, r.devN = true, t[j:k]
		i = k
	}

	// Local label: +[a-z0-9]+([-_.][a-z0-9]+)*
	if i < n && t[i] == '+' {
		i++
		start = i
		for {
			k := i
			for i < n && isLowerAlnum(t[i]) {
				i++
			}
			if i == k {
				return r, false
			}
			if i < n && isVersionSep(t[i]) {
				i++
				continue
			}
			break
		}
		r.local = t[start:i]
	}
	return r, i == n
}

// stripZeros drops the leading zeros of a decimal number ("" stays "").
func stripZeros(d string) string {
	for len(d) > 1 && d[0] == '0' {
		d = d[1:]
	}
	return d
}

// parseVersion parses t, which has no surrounding whitespace.
func parseVersion(t string) (Version, bool) {
	r, ok := scanVersion(t)
	if !ok {
		return Version{}, false
	}
	return r.build(), true
}

// build writes the canonical form into one string and points the fields
// of the Version into it.
func (r *rawVersion) build() Version {
	var arr [MaxVersionLen + 32]byte
	b := arr[:0]
	var off [12]int // start and end of epoch, release, preN, post, dev, local

	epoch := stripZeros(r.epoch)
	off[0] = len(b)
	if epoch != "" && epoch != "0" {
		b = append(b, epoch...)
	}
	off[1] = len(b)
	if off[1] > off[0] {
		b = append(b, '!')
	}

	off[2] = len(b)
	for rel := r.release; ; {
		var seg string
		seg, rel = nextSegment(rel, '.')
		b = append(b, stripZeros(seg)...)
		if rel == "" {
			break
		}
		b = append(b, '.')
	}
	off[3] = len(b)

	if r.preL != 0 {
		switch r.preL {
		case 'a', 'b':
			b = append(b, r.preL)
		default:
			b = append(b, "rc"...)
		}
	}
	off[4] = len(b)
	if r.preL != 0 {
		b = appendNum(b, r.preN)
	}
	off[5] = len(b)

	if r.hasPost {
		b = append(b, ".post"...)
	}
	off[6] = len(b)
	if r.hasPost {
		b = appendNum(b, r.postN)
	}
	off[7] = len(b)

	if r.hasDev {
		b = append(b, ".dev"...)
	}
	off[8] = len(b)
	if r.hasDev {
		b = appendNum(b, r.devN)
	}
	off[9] = len(b)

	if r.local != "" {
		b = append(b, '+')
	}
	off[10] = len(b)
	if r.local != "" {
		rest := r.local
		for first := true; rest != ""; first = false {
			k := 0
			for k < len(rest) && !isVersionSep(rest[k]) {
				k++
			}
			seg := rest[:k]
			if k < len(rest) {
				rest = rest[k+1:]
			} else {
				rest = ""
			}
			if !first {
				b = append(b, '.')
			}
			if allDigits(seg) {
				b = append(b, stripZeros(seg)...)
				continue
			}
			for j := 0; j < len(seg); j++ {
				b = append(b, lowerASCII(seg[j]))
			}
		}
	}
	off[11] = len(b)

	s := string(b)
	return Version{
		s:       s,
		epoch:   s[off[0]:off[1]],
		release: s[off[2]:off[3]],
		preL:    r.preL,
		preN:    s[off[4]:off[5]],
		post:    s[off[6]:off[7]],
		dev:     s[off[8]:off[9]],
		local:   s[off[10]:off[11]],
	}
}

// appendNum appends a number as written without its leading zeros, or 0
// for an implicit number.
func appendNum(b []byte, d string) []byte {
	if d == "" {
		return append(b, '0')
	}
	return append(b, stripZeros(d)...)
}
