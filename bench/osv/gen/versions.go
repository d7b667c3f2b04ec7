package main

import (
	"fmt"
	"math/rand"
	"sort"
	"strconv"
	"strings"
)

// ver is a version of one ecosystem that the generator can order. Only the
// shapes the generator itself writes (and, for npm, the versions of a real
// lockfile) need to be ordered, so this is not a full PEP 440 / SemVer
// implementation: it is the small subset the data set uses.
type ver interface {
	String() string
}

// ---------------------------------------------------------------- PyPI

// pyVer is a PEP 440 version in normalized form:
// [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local].
type pyVer struct {
	epoch int
	rel   []int
	preK  int // 0 none, 1 a, 2 b, 3 rc
	preN  int
	post  int // -1: none
	dev   int // -1: none
	local string
}

func (v pyVer) String() string {
	var b strings.Builder
	if v.epoch > 0 {
		fmt.Fprintf(&b, "%d!", v.epoch)
	}
	for i, n := range v.rel {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(strconv.Itoa(n))
	}
	if v.preK > 0 {
		b.WriteString([]string{"", "a", "b", "rc"}[v.preK])
		b.WriteString(strconv.Itoa(v.preN))
	}
	if v.post >= 0 {
		fmt.Fprintf(&b, ".post%d", v.post)
	}
	if v.dev >= 0 {
		fmt.Fprintf(&b, ".dev%d", v.dev)
	}
	if v.local != "" {
		b.WriteString("+" + v.local)
	}
	return b.String()
}

func (v pyVer) base() pyVer {
	return pyVer{epoch: v.epoch, rel: append([]int(nil), v.rel...), post: -1, dev: -1}
}

func (v pyVer) isFinal() bool { return v.preK == 0 && v.post < 0 && v.dev < 0 && v.local == "" }

// pyCmp orders two pyVers as PEP 440 does.
func pyCmp(a, b pyVer) int {
	if c := cmpInt(a.epoch, b.epoch); c != 0 {
		return c
	}
	n := max(len(a.rel), len(b.rel))
	for i := 0; i < n; i++ {
		x, y := 0, 0
		if i < len(a.rel) {
			x = a.rel[i]
		}
		if i < len(b.rel) {
			y = b.rel[i]
		}
		if c := cmpInt(x, y); c != 0 {
			return c
		}
	}
	preKey := func(v pyVer) (int, int) {
		switch {
		case v.preK == 0 && v.post < 0 && v.dev >= 0:
			return -1, 0 // X.devN sorts before X's pre-releases
		case v.preK > 0:
			return v.preK, v.preN
		default:
			return 4, 0
		}
	}
	ak, an := preKey(a)
	bk, bn := preKey(b)
	if c := cmpInt(ak, bk); c != 0 {
		return c
	}
	if c := cmpInt(an, bn); c != 0 {
		return c
	}
	if c := cmpInt(a.post, b.post); c != 0 { // -1 (none) first
		return c
	}
	devKey := func(v pyVer) int {
		if v.dev < 0 {
			return 1 << 30
		}
		return v.dev
	}
	if c := cmpInt(devKey(a), devKey(b)); c != 0 {
		return c
	}
	return strings.Compare(a.local, b.local) // "" (none) first
}

// randPyPin draws a pinned version with the mix of shapes real
// requirements files have.
func randPyPin(r *rand.Rand) pyVer {
	v := pyVer{post: -1, dev: -1}
	x := r.Intn(100)
	switch {
	case x < 68: // X.Y.Z
		v.rel = []int{r.Intn(6), r.Intn(31), r.Intn(16)}
	case x < 78: // X.Y
		v.rel = []int{1 + r.Intn(5), r.Intn(31)}
	case x < 84: // pre-release
		v.rel = []int{1 + r.Intn(4), r.Intn(20), 0}
		v.preK = 1 + r.Intn(3)
		v.preN = 1 + r.Intn(3)
	case x < 88: // post-release
		v.rel = []int{1 + r.Intn(5), r.Intn(20)}
		v.post = 1 + r.Intn(2)
	case x < 89: // dev release
		v.rel = []int{1 + r.Intn(3), r.Intn(10)}
		v.dev = 1 + r.Intn(4)
	case x < 92: // local version
		v.rel = []int{1 + r.Intn(2), r.Intn(12), r.Intn(4)}
		v.local = []string{"cpu", "cu118", "cu121", "ubuntu1"}[r.Intn(4)]
	case x < 94: // epoch
		v.epoch = 1
		v.rel = []int{1 + r.Intn(3), r.Intn(10)}
	case x < 97: // calendar
		v.rel = []int{2019 + r.Intn(6), 1 + r.Intn(12), r.Intn(4)}
	default: // four components
		v.rel = []int{r.Intn(4), r.Intn(10), r.Intn(10), r.Intn(10)}
	}
	return v
}

// pyAround returns versions below and above pin (same release length as
// pin, so no two strings are equal under PEP 440 padding).
func pyAround(pin pyVer, r *rand.Rand) []pyVer {
	out := []pyVer{}
	add := func(v pyVer) { out = append(out, v) }
	b := pin.base()
	last := len(b.rel) - 1
	mk := func(f func(v *pyVer)) pyVer { v := pin.base(); f(&v); return v }

	// below
	for i := last; i >= 0; i-- {
		if b.rel[i] > 0 {
			i := i
			add(mk(func(v *pyVer) {
				v.rel[i]--
				for k := i + 1; k < len(v.rel); k++ {
					v.rel[k] = r.Intn(5)
				}
			}))
		}
	}
	if pin.isFinal() || pin.post >= 0 || pin.local != "" {
		add(mk(func(v *pyVer) { v.preK, v.preN = 1+r.Intn(3), 1+r.Intn(2) }))
		add(mk(func(v *pyVer) { v.preK, v.preN = 3, 1 }))
	}
	if pin.local != "" || pin.post >= 0 {
		add(b) // the public release itself
	}
	if pin.post > 1 {
		add(mk(func(v *pyVer) { v.post = pin.post - 1 }))
	}
	if pin.preK > 0 {
		if pin.preN > 1 {
			add(mk(func(v *pyVer) { v.preK, v.preN = pin.preK, pin.preN-1 }))
		}
		if pin.preK > 1 {
			add(mk(func(v *pyVer) { v.preK, v.preN = pin.preK-1, 1+r.Intn(3) }))
		}
		add(mk(func(v *pyVer) { v.dev = 0 })) // X.dev0 < Xa1
	}
	if pin.dev > 0 {
		add(mk(func(v *pyVer) { v.dev = pin.dev - 1 }))
	}
	if pin.epoch > 0 {
		add(pyVer{rel: []int{2010 + r.Intn(10), 1 + r.Intn(12)}, post: -1, dev: -1})
	}

	// above
	if pin.preK > 0 {
		add(mk(func(v *pyVer) { v.preK, v.preN = pin.preK, pin.preN+1 }))
		add(b)
	}
	if pin.dev >= 0 {
		add(mk(func(v *pyVer) { v.preK, v.preN = 1, 1 }))
		add(b)
	}
	if pin.isFinal() || pin.local != "" {
		add(mk(func(v *pyVer) { v.post = 1 }))
	}
	if pin.post >= 0 {
		add(mk(func(v *pyVer) { v.post = pin.post + 1 }))
	}
	add(mk(func(v *pyVer) { v.rel[last]++ }))
	add(mk(func(v *pyVer) { v.rel[last] += 1 + r.Intn(3); v.preK, v.preN = 3, 1 }))
	add(mk(func(v *pyVer) { v.rel[last] += 4 + r.Intn(3) }))
	if last >= 1 {
		add(mk(func(v *pyVer) {
			v.rel[last-1]++
			for k := last; k < len(v.rel); k++ {
				v.rel[k] = 0
			}
		}))
	}
	add(mk(func(v *pyVer) {
		v.rel[0]++
		for k := 1; k < len(v.rel); k++ {
			v.rel[k] = 0
		}
		v.preK, v.preN = 1, 1
	}))
	add(mk(func(v *pyVer) {
		v.rel[0]++
		for k := 1; k < len(v.rel); k++ {
			v.rel[k] = 0
		}
	}))
	return out
}

// ---------------------------------------------------------------- npm

// npmVer is a SemVer 2.0 version.
type npmVer struct {
	maj, min, pat int
	pre           []string
	build         string
	raw           string // the exact string of a real lockfile
}

func (v npmVer) String() string {
	if v.raw != "" {
		return v.raw
	}
	s := fmt.Sprintf("%d.%d.%d", v.maj, v.min, v.pat)
	if len(v.pre) > 0 {
		s += "-" + strings.Join(v.pre, ".")
	}
	if v.build != "" {
		s += "+" + v.build
	}
	return s
}

func parseNpm(s string) (npmVer, bool) {
	v := npmVer{raw: s}
	rest := s
	if i := strings.IndexByte(rest, '+'); i >= 0 {
		v.build = rest[i+1:]
		rest = rest[:i]
	}
	if i := strings.IndexByte(rest, '-'); i >= 0 {
		v.pre = strings.Split(rest[i+1:], ".")
		rest = rest[:i]
		for _, p := range v.pre {
			if p == "" {
				return v, false
			}
		}
	}
	parts := strings.Split(rest, ".")
	if len(parts) != 3 {
		return v, false
	}
	nums := [3]int{}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || (len(p) > 1 && p[0] == '0') {
			return v, false
		}
		nums[i] = n
	}
	v.maj, v.min, v.pat = nums[0], nums[1], nums[2]
	return v, true
}

func npmCmp(a, b npmVer) int {
	if c := cmpInt(a.maj, b.maj); c != 0 {
		return c
	}
	if c := cmpInt(a.min, b.min); c != 0 {
		return c
	}
	if c := cmpInt(a.pat, b.pat); c != 0 {
		return c
	}
	switch {
	case len(a.pre) == 0 && len(b.pre) == 0:
		return 0
	case len(a.pre) == 0:
		return 1
	case len(b.pre) == 0:
		return -1
	}
	for i := 0; i < len(a.pre) && i < len(b.pre); i++ {
		x, xe := strconv.Atoi(a.pre[i])
		y, ye := strconv.Atoi(b.pre[i])
		switch {
		case xe == nil && ye == nil:
			if c := cmpInt(x, y); c != 0 {
				return c
			}
		case xe == nil:
			return -1
		case ye == nil:
			return 1
		default:
			if c := strings.Compare(a.pre[i], b.pre[i]); c != 0 {
				return c
			}
		}
	}
	return cmpInt(len(a.pre), len(b.pre))
}

func randNpmPin(r *rand.Rand) npmVer {
	v := npmVer{maj: r.Intn(8), min: r.Intn(25), pat: r.Intn(12)}
	if r.Intn(40) == 0 {
		v.pre = []string{[]string{"alpha", "beta", "rc", "next"}[r.Intn(4)], strconv.Itoa(r.Intn(12))}
	}
	return v
}

func npmAround(pin npmVer, r *rand.Rand) []npmVer {
	out := []npmVer{}
	add := func(v npmVer) { v.raw = ""; out = append(out, v) }
	b := npmVer{maj: pin.maj, min: pin.min, pat: pin.pat}
	// below
	if b.pat > 0 {
		add(npmVer{maj: b.maj, min: b.min, pat: b.pat - 1})
	}
	if b.min > 0 {
		add(npmVer{maj: b.maj, min: b.min - 1, pat: r.Intn(6)})
	}
	if b.maj > 0 {
		add(npmVer{maj: b.maj - 1, min: r.Intn(10), pat: r.Intn(6)})
		add(npmVer{maj: b.maj - 1, min: 0, pat: 0})
	}
	if len(pin.pre) == 0 {
		add(npmVer{maj: b.maj, min: b.min, pat: b.pat, pre: []string{"beta", "1"}})
		add(npmVer{maj: b.maj, min: b.min, pat: b.pat, pre: []string{"rc", "2"}})
		add(npmVer{maj: b.maj, min: b.min, pat: b.pat, pre: []string{"rc", "10"}}) // numeric, not lexical
	} else {
		last := pin.pre[len(pin.pre)-1]
		if n, err := strconv.Atoi(last); err == nil {
			if n > 0 {
				p := append(append([]string(nil), pin.pre[:len(pin.pre)-1]...), strconv.Itoa(n-1))
				add(npmVer{maj: b.maj, min: b.min, pat: b.pat, pre: p})
			}
			p := append(append([]string(nil), pin.pre[:len(pin.pre)-1]...), strconv.Itoa(n+1))
			add(npmVer{maj: b.maj, min: b.min, pat: b.pat, pre: p})
		}
		add(b)
	}
	// above
	add(npmVer{maj: b.maj, min: b.min, pat: b.pat + 1, pre: []string{"rc", "1"}})
	add(npmVer{maj: b.maj, min: b.min, pat: b.pat + 1})
	add(npmVer{maj: b.maj, min: b.min, pat: b.pat + 2 + r.Intn(3)})
	add(npmVer{maj: b.maj, min: b.min + 1, pat: 0})
	add(npmVer{maj: b.maj + 1, min: 0, pat: 0, pre: []string{"alpha", "1"}})
	add(npmVer{maj: b.maj + 1, min: 0, pat: 0})
	return out
}

// ---------------------------------------------------------------- history

// history is the ordered list of known versions of one package, with the
// indices of the lockfile's versions in it.
type history struct {
	vs   []string
	pins []int
}

func (h *history) index(s string) int {
	for i, v := range h.vs {
		if v == s {
			return i
		}
	}
	return -1
}

func pyHistory(pins []pyVer, r *rand.Rand) history {
	all := append([]pyVer(nil), pins...)
	for _, p := range pins {
		all = append(all, pyAround(p, r)...)
	}
	sort.SliceStable(all, func(i, j int) bool { return pyCmp(all[i], all[j]) < 0 })
	var h history
	for i, v := range all {
		if i > 0 && pyCmp(all[i-1], v) == 0 {
			continue
		}
		h.vs = append(h.vs, v.String())
	}
	for _, p := range pins {
		h.pins = append(h.pins, h.index(p.String()))
	}
	return h
}

func npmHistory(pins []npmVer, r *rand.Rand) history {
	all := append([]npmVer(nil), pins...)
	for _, p := range pins {
		all = append(all, npmAround(p, r)...)
	}
	// Pins first among equals so that their exact (raw) string is kept.
	sort.SliceStable(all, func(i, j int) bool { return npmCmp(all[i], all[j]) < 0 })
	var h history
	for i, v := range all {
		if i > 0 && npmCmp(all[i-1], v) == 0 {
			continue
		}
		h.vs = append(h.vs, v.String())
	}
	for _, p := range pins {
		h.pins = append(h.pins, h.index(p.String()))
	}
	return h
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
