package npm

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// MaxRangeLength is the longest range string ParseRange accepts, in bytes.
// node-semver has no limit; real ranges are a few dozen bytes.
const MaxRangeLength = 4096

// Range is a parsed node-semver range: a union ("||") of sets of
// comparators that must all hold (space-separated). The zero Range matches
// nothing; ParseRange("") matches every release.
type Range struct {
	// set is the desugared range with includePrerelease false, setPre
	// with it true (node-semver desugars some shapes differently then).
	set, setPre [][]comparator
	// preErr is set when the range is invalid only with includePrerelease
	// (a bound that overflows 2^53-1 only in that desugaring).
	preErr error
}

// comparator is one desugared "<op><version>" test, or any when the
// comparator is empty (matches everything, node-semver's ANY).
type comparator struct {
	op  string // "", "<", "<=", ">", ">="
	ver Version
	any bool
}

// value is node-semver's Comparator.value.
func (c comparator) value() string {
	if c.any {
		return ""
	}
	return c.op + c.ver.mainAndPre()
}

func (c comparator) test(v Version) bool {
	if c.any {
		return true
	}
	n := v.Compare(c.ver)
	switch c.op {
	case "<":
		return n < 0
	case "<=":
		return n <= 0
	case ">":
		return n > 0
	case ">=":
		return n >= 0
	}
	return n == 0
}

func (c comparator) isNullSet() bool { return c.value() == "<0.0.0-0" }

// ParseRange parses a node-semver range (the syntax of package.json
// dependency versions and of npm advisories' vulnerable_versions):
//
//   - "||" separates alternatives; within one, whitespace separates
//     comparators that must all hold;
//   - comparators: <, <=, >, >=, = or nothing, then a version, with
//     optional whitespace after the operator ("> 1.2" is ">1.2");
//   - X-ranges and partial versions: "*", "", "x", "1", "1.x", "1.2",
//     "1.2.*", also after an operator (">1.2" is ">=1.3.0", "<=1.x" is
//     "<2.0.0-0");
//   - tilde ranges ~1.2.3, ~1.2, ~1 (also spelt "~>"), caret ranges
//     ^1.2.3, ^0.2.3, ^0.0.3, ^1.2.x, ^0.0.x, ^0.0, and hyphen ranges
//     "1.2.3 - 2.3.4" with partial versions on either side;
//   - build metadata is ignored, leading "v" before versions is allowed.
//
// Parsing follows node-semver's Range in its default (non-loose) mode
// step by step, including its quirks ("* || 1.2.3-beta" is "*" and so does
// not contain 1.2.3-beta). Differences: input longer than MaxRangeLength
// bytes is rejected (node-semver has no limit), loose mode ("~1.2.3beta",
// ">01.02.03") is not offered, and a range node-semver rejects only without
// includePrerelease (a hyphen range ending in "=1.2.3") is an error here
// although satisfies() with includePrerelease would use it.
func ParseRange(s string) (Range, error) {
	if len(s) > MaxRangeLength {
		return Range{}, fmt.Errorf("range is longer than %d bytes", MaxRangeLength)
	}
	raw := reSpaces.ReplaceAllString(jsTrim(s), " ")
	set, err := desugarRange(raw, false)
	if err != nil {
		return Range{}, fmt.Errorf("invalid range %q: %w", s, err)
	}
	r := Range{set: set}
	r.setPre, r.preErr = desugarRange(raw, true)
	return r, nil
}

// Contains reports whether v satisfies r, as node-semver's satisfies(v, r,
// {includePrerelease}) does. Unless includePrerelease is set, a prerelease
// version only matches an alternative that, besides holding, names a
// prerelease of the same major.minor.patch in one of its comparators:
// ">1.2.3-alpha.3" contains 1.2.3-alpha.7 but not 3.4.5-alpha.9.
func (r Range) Contains(v Version, includePrerelease bool) bool {
	set := r.set
	if includePrerelease {
		if r.preErr != nil {
			return false
		}
		set = r.setPre
	}
	for _, comps := range set {
		if testSet(comps, v, includePrerelease) {
			return true
		}
	}
	return false
}

// String returns the desugared range as node-semver's Range.range does:
// alternatives joined by "||", comparators by " ", "" for "*"
// ("^1.2.3" is ">=1.2.3 <2.0.0-0").
func (r Range) String() string {
	var b strings.Builder
	for i, comps := range r.set {
		if i > 0 {
			b.WriteString("||")
		}
		for k, c := range comps {
			if k > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(c.value())
		}
	}
	return b.String()
}

func testSet(comps []comparator, v Version, includePrerelease bool) bool {
	for _, c := range comps {
		if !c.test(v) {
			return false
		}
	}
	if len(v.Pre) == 0 || includePrerelease {
		return true
	}
	for _, c := range comps {
		if !c.any && len(c.ver.Pre) > 0 &&
			c.ver.Major == v.Major && c.ver.Minor == v.Minor && c.ver.Patch == v.Patch {
			return true
		}
	}
	return false
}

// The regular expressions below are node-semver's (internal/re.js), built
// the same way: the source strings use JavaScript's \s and \d, the "safe"
// rewrite bounds \s, \d and [a-zA-Z0-9-] repetitions exactly as
// makeSafeRegex does, and \s is then spelt out as JavaScript's whitespace
// class. Go's regexp picks the same (leftmost-first) matches and
// submatches as JavaScript's backtracking engine for these expressions,
// which have no backreferences or lookarounds.
const jsSpaceClass = `\t\n\v\f\r \x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}`

var reSpaces = regexp.MustCompile(`[` + jsSpaceClass + `]+`)

// rangeRegexps holds the compiled expressions; compiling them takes a
// few milliseconds, so it happens on first use.
type rangeRegexps struct {
	buildStrip     *regexp.Regexp // unsafe BUILD, used globally
	build          *regexp.Regexp
	hyphenRange    *regexp.Regexp
	comparatorTrim *regexp.Regexp
	tildeTrim      *regexp.Regexp
	caretTrim      *regexp.Regexp
	tilde          *regexp.Regexp
	caret          *regexp.Regexp
	xRange         *regexp.Regexp
	star           *regexp.Regexp
	gte0           *regexp.Regexp
	gte0Pre        *regexp.Regexp
	comparator     *regexp.Regexp
}

var semverRe = sync.OnceValue(func() *rangeRegexps {
	const ldn = `[a-zA-Z0-9-]`
	numID := `0|[1-9]\d*`
	numIDLoose := `\d+`
	nonNumID := `\d*[a-zA-Z-]` + ldn + `*`
	mainVersion := `(` + numID + `)\.(` + numID + `)\.(` + numID + `)`
	mainVersionLoose := `(` + numIDLoose + `)\.(` + numIDLoose + `)\.(` + numIDLoose + `)`
	preID := `(?:` + nonNumID + `|` + numID + `)`
	preIDLoose := `(?:` + nonNumID + `|` + numIDLoose + `)`
	prerelease := `(?:-(` + preID + `(?:\.` + preID + `)*))`
	prereleaseLoose := `(?:-?(` + preIDLoose + `(?:\.` + preIDLoose + `)*))`
	buildID := ldn + `+`
	build := `(?:\+(` + buildID + `(?:\.` + buildID + `)*))`
	fullPlain := `v?` + mainVersion + prerelease + `?` + build + `?`
	loosePlain := `[v=\s]*` + mainVersionLoose + prereleaseLoose + `?` + build + `?`
	gtlt := `((?:<|>)?=?)`
	xID := numID + `|x|X|\*`
	xRangePlain := `[v=\s]*(` + xID + `)(?:\.(` + xID + `)(?:\.(` + xID + `)(?:` + prerelease + `)?` + build + `?)?)?`
	loneTilde := `(?:~>?)`
	loneCaret := `(?:\^)`
	return &rangeRegexps{
		buildStrip:     jsRegexp(build, false),
		build:          jsRegexp(build, true),
		hyphenRange:    jsRegexp(`^\s*(`+xRangePlain+`)\s+-\s+(`+xRangePlain+`)\s*$`, true),
		comparatorTrim: jsRegexp(`(\s*)`+gtlt+`\s*(`+loosePlain+`|`+xRangePlain+`)`, true),
		tildeTrim:      jsRegexp(`(\s*)`+loneTilde+`\s+`, true),
		caretTrim:      jsRegexp(`(\s*)`+loneCaret+`\s+`, true),
		tilde:          jsRegexp(`^`+loneTilde+xRangePlain+`$`, true),
		caret:          jsRegexp(`^`+loneCaret+xRangePlain+`$`, true),
		xRange:         jsRegexp(`^`+gtlt+`\s*`+xRangePlain+`$`, true),
		star:           jsRegexp(`(<|>)?=?\s*\*`, true),
		gte0:           jsRegexp(`^\s*>=\s*0\.0\.0\s*$`, true),
		gte0Pre:        jsRegexp(`^\s*>=\s*0\.0\.0-0\s*$`, true),
		comparator:     jsRegexp(`^`+gtlt+`\s*(`+fullPlain+`)$|^$`, true),
	}
})

// jsRegexp compiles a node-semver regexp source, applying makeSafeRegex
// when safe is set.
func jsRegexp(src string, safe bool) *regexp.Regexp {
	if safe {
		for _, r := range []struct {
			tok string
			max int
		}{{`\s`, 1}, {`\d`, MaxVersionLength}, {`[a-zA-Z0-9-]`, MaxVersionLength - 6}} {
			src = strings.ReplaceAll(src, r.tok+`*`, fmt.Sprintf("%s{0,%d}", r.tok, r.max))
			src = strings.ReplaceAll(src, r.tok+`+`, fmt.Sprintf("%s{1,%d}", r.tok, r.max))
		}
	}
	src = strings.ReplaceAll(src, `[v=\s]`, `[v=`+jsSpaceClass+`]`)
	src = strings.ReplaceAll(src, `\s`, `[`+jsSpaceClass+`]`)
	src = strings.ReplaceAll(src, `\d`, `[0-9]`)
	return regexp.MustCompile(src)
}

func jsTrim(s string) string { return strings.TrimFunc(s, isJSSpace) }

// jsSplitSpace is JavaScript's s.split(/\s+/).
func jsSplitSpace(s string) []string { return reSpaces.Split(s, -1) }

// replaceFirst is JavaScript's s.replace(re, fn) for a non-global re:
// fn gets the submatches, "" for groups that did not participate.
func replaceFirst(re *regexp.Regexp, s string, fn func(g []string) string) string {
	m := re.FindStringSubmatchIndex(s)
	if m == nil {
		return s
	}
	g := make([]string, len(m)/2)
	for i := range g {
		if m[2*i] >= 0 {
			g[i] = s[m[2*i]:m[2*i+1]]
		}
	}
	return s[:m[0]] + fn(g) + s[m[1]:]
}

func isX(id string) bool { return id == "" || id == "x" || id == "X" || id == "*" }

// inc is JavaScript's `${+n + 1}` for a decimal string n, as far as the
// result can matter: anything above 2^53-1 makes node-semver reject the
// comparator it ends up in, and so does the value returned for it here.
func inc(n string) string {
	v, err := strconv.ParseUint(n, 10, 64)
	if err != nil || v >= maxSafeInteger {
		return "9007199254740992"
	}
	return strconv.FormatUint(v+1, 10)
}

func zero(includePrerelease bool) string {
	if includePrerelease {
		return "-0"
	}
	return ""
}

// desugarRange is node-semver's Range constructor after whitespace
// normalization.
func desugarRange(raw string, incPr bool) ([][]comparator, error) {
	var set [][]comparator
	for _, part := range strings.Split(raw, "||") {
		comps, err := desugarAlternative(jsTrim(part), incPr)
		if err != nil {
			return nil, err
		}
		if len(comps) > 0 {
			set = append(set, comps)
		}
	}
	if len(set) == 0 {
		return nil, errors.New("no comparators")
	}
	if len(set) > 1 {
		// Drop null sets unless all are; if any alternative is "*", the
		// range is just that.
		first := set[0]
		var kept [][]comparator
		for _, comps := range set {
			if !comps[0].isNullSet() {
				kept = append(kept, comps)
			}
		}
		switch {
		case len(kept) == 0:
			set = [][]comparator{first}
		case len(kept) > 1:
			set = kept
			for _, comps := range kept {
				if len(comps) == 1 && comps[0].any {
					set = [][]comparator{comps}
					break
				}
			}
		default:
			set = kept
		}
	}
	return set, nil
}

// desugarAlternative is node-semver's Range.parseRange.
func desugarAlternative(r string, incPr bool) ([]comparator, error) {
	re := semverRe()
	r = re.buildStrip.ReplaceAllString(r, "")
	r = replaceFirst(re.hyphenRange, r, func(g []string) string { return hyphenReplace(g, incPr) })
	r = re.comparatorTrim.ReplaceAllString(r, "$1$2$3")
	r = re.tildeTrim.ReplaceAllString(r, "$1~")
	r = re.caretTrim.ReplaceAllString(r, "$1^")

	words := strings.Split(r, " ")
	for i, w := range words {
		words[i] = desugarComparator(w, incPr)
	}
	list := jsSplitSpace(strings.Join(words, " "))
	gte0 := re.gte0
	if incPr {
		gte0 = re.gte0Pre
	}
	comps := make([]comparator, len(list))
	for i, s := range list {
		s = replaceFirst(gte0, jsTrim(s), func([]string) string { return "" })
		c, err := parseComparator(s)
		if err != nil {
			return nil, err
		}
		comps[i] = c
	}

	// A null set replaces everything; otherwise drop duplicates (the last
	// one wins, in the first one's place) and "*" when not alone.
	var out []comparator
	index := map[string]int{}
	for _, c := range comps {
		if c.isNullSet() {
			return []comparator{c}, nil
		}
		if i, ok := index[c.value()]; ok {
			out[i] = c
			continue
		}
		index[c.value()] = len(out)
		out = append(out, c)
	}
	if i, ok := index[""]; ok && len(out) > 1 {
		out = append(out[:i], out[i+1:]...)
	}
	return out, nil
}

// desugarComparator is node-semver's parseComparator: it turns one word
// into zero or more space-separated primitive comparators.
func desugarComparator(comp string, incPr bool) string {
	comp = replaceFirst(semverRe().build, comp, func([]string) string { return "" })
	comp = mapWords(jsSplitSpace(jsTrim(comp)), func(c string) string { return replaceCaret(c, incPr) })
	comp = mapWords(jsSplitSpace(jsTrim(comp)), func(c string) string { return replaceTilde(c, incPr) })
	comp = mapWords(jsSplitSpace(comp), func(c string) string { return replaceXRange(jsTrim(c), incPr) })
	return replaceFirst(semverRe().star, jsTrim(comp), func([]string) string { return "" })
}

func mapWords(words []string, fn func(string) string) string {
	for i, w := range words {
		words[i] = fn(w)
	}
	return strings.Join(words, " ")
}

// replaceTilde: ~1.2.3 is >=1.2.3 <1.3.0-0, ~1.2 is >=1.2.0 <1.3.0-0, ~1 is
// >=1.0.0 <2.0.0-0.
func replaceTilde(comp string, incPr bool) string {
	z := zero(incPr)
	return replaceFirst(semverRe().tilde, comp, func(g []string) string {
		M, m, p, pr := g[1], g[2], g[3], g[4]
		switch {
		case isX(M):
			return ""
		case isX(m):
			return ">=" + M + ".0.0" + z + " <" + inc(M) + ".0.0-0"
		case isX(p):
			return ">=" + M + "." + m + ".0" + z + " <" + M + "." + inc(m) + ".0-0"
		case pr != "":
			return ">=" + M + "." + m + "." + p + "-" + pr + " <" + M + "." + inc(m) + ".0-0"
		}
		return ">=" + M + "." + m + "." + p + " <" + M + "." + inc(m) + ".0-0"
	})
}

// replaceCaret: ^1.2.3 is >=1.2.3 <2.0.0-0, ^0.2.3 is >=0.2.3 <0.3.0-0,
// ^0.0.3 is >=0.0.3 <0.0.4-0, ^1.2 is >=1.2.0 <2.0.0-0, ^0.0 is
// >=0.0.0 <0.1.0-0.
func replaceCaret(comp string, incPr bool) string {
	z := zero(incPr)
	return replaceFirst(semverRe().caret, comp, func(g []string) string {
		M, m, p, pr := g[1], g[2], g[3], g[4]
		switch {
		case isX(M):
			return ""
		case isX(m):
			return ">=" + M + ".0.0" + z + " <" + inc(M) + ".0.0-0"
		case isX(p):
			if M == "0" {
				return ">=" + M + "." + m + ".0" + z + " <" + M + "." + inc(m) + ".0-0"
			}
			return ">=" + M + "." + m + ".0" + z + " <" + inc(M) + ".0.0-0"
		}
		lower := ">=" + M + "." + m + "." + p
		if pr != "" {
			lower += "-" + pr
		}
		switch {
		case M == "0" && m == "0":
			return lower + " <" + M + "." + m + "." + inc(p) + "-0"
		case M == "0":
			return lower + " <" + M + "." + inc(m) + ".0-0"
		}
		return lower + " <" + inc(M) + ".0.0-0"
	})
}

// replaceXRange: 1.2.x is >=1.2.0 <1.3.0-0, >1.2 is >=1.3.0, <=1 is
// <2.0.0-0, >* is <0.0.0-0 (nothing), * is any.
func replaceXRange(comp string, incPr bool) string {
	return replaceFirst(semverRe().xRange, comp, func(g []string) string {
		ret, gtlt, M, m, p := g[0], g[1], g[2], g[3], g[4]
		if isX(M) && !isX(m) || isX(m) && p != "" && !isX(p) {
			return comp
		}
		xM := isX(M)
		xm := xM || isX(m)
		xp := xm || isX(p)
		anyX := xp
		if gtlt == "=" && anyX {
			gtlt = ""
		}
		pr := zero(incPr)
		switch {
		case xM:
			if gtlt == ">" || gtlt == "<" {
				return "<0.0.0-0"
			}
			return "*"
		case gtlt != "" && anyX:
			if xm {
				m = "0"
			}
			p = "0"
			switch gtlt {
			case ">":
				gtlt = ">="
				if xm {
					M, m, p = inc(M), "0", "0"
				} else {
					m, p = inc(m), "0"
				}
			case "<=":
				gtlt = "<"
				if xm {
					M = inc(M)
				} else {
					m = inc(m)
				}
			}
			if gtlt == "<" {
				pr = "-0"
			}
			return gtlt + M + "." + m + "." + p + pr
		case xm:
			return ">=" + M + ".0.0" + pr + " <" + inc(M) + ".0.0-0"
		case xp:
			return ">=" + M + "." + m + ".0" + pr + " <" + M + "." + inc(m) + ".0-0"
		}
		return ret
	})
}

// hyphenReplace: "1.2.3 - 2.3.4" is >=1.2.3 <=2.3.4, "1.2 - 2.3.4" is
// >=1.2.0 <=2.3.4, "1.2.3 - 2.3" is >=1.2.3 <2.4.0-0, "1.2.3 - 2" is
// >=1.2.3 <3.0.0-0.
func hyphenReplace(g []string, incPr bool) string {
	from, fM, fm, fp, fpr := g[1], g[2], g[3], g[4], g[5]
	to, tM, tm, tp, tpr := g[7], g[8], g[9], g[10], g[11]
	z := zero(incPr)
	switch {
	case isX(fM):
		from = ""
	case isX(fm):
		from = ">=" + fM + ".0.0" + z
	case isX(fp):
		from = ">=" + fM + "." + fm + ".0" + z
	case fpr != "":
		from = ">=" + from
	default:
		from = ">=" + from + z
	}
	switch {
	case isX(tM):
		to = ""
	case isX(tm):
		to = "<" + inc(tM) + ".0.0-0"
	case isX(tp):
		to = "<" + tM + "." + inc(tm) + ".0-0"
	case tpr != "":
		to = "<=" + tM + "." + tm + "." + tp + "-" + tpr
	case incPr:
		to = "<" + tM + "." + tm + "." + inc(tp) + "-0"
	default:
		to = "<=" + to
	}
	return jsTrim(from + " " + to)
}

// parseComparator is node-semver's Comparator constructor (strict mode).
func parseComparator(s string) (comparator, error) {
	s = strings.Join(jsSplitSpace(jsTrim(s)), " ")
	m := semverRe().comparator.FindStringSubmatch(s)
	if m == nil {
		return comparator{}, fmt.Errorf("invalid comparator %q", s)
	}
	if m[2] == "" {
		return comparator{any: true}, nil
	}
	op := m[1]
	if op == "=" {
		op = ""
	}
	if len(m[2]) > MaxVersionLength {
		return comparator{}, fmt.Errorf("version in comparator %q is longer than %d bytes", s, MaxVersionLength)
	}
	v, err := parseVersionCore(strings.TrimPrefix(m[2], "v"))
	if err != nil {
		return comparator{}, fmt.Errorf("invalid comparator %q: %w", s, err)
	}
	return comparator{op: op, ver: v}, nil
}
