// Package static holds the rules that judge a package from its files
// alone: decoded code, calls, strings and install hooks.
package static

import (
	"net"
	"net/url"
	"strings"
	"sync"

	"github.com/airlock-sec/airlock/internal/analyze"
	"github.com/airlock-sec/airlock/internal/model"
)

// indicator is a substring with a label, matched case-insensitively
// against string values.
type indicator struct {
	sub   string // lowercase
	label string
}

// matcher finds indicators in one pass over a string: needles are
// indexed by their first three bytes, so each string costs one scan
// whatever the number of indicators.
type matcher struct {
	list  []indicator
	byTri map[[3]byte][]int
	// pairs has a bit for every (lowercased) two-byte needle prefix, so
	// most positions are rejected without a map lookup.
	pairs [65536 / 64]uint64
}

func newMatcher(list []indicator) *matcher {
	m := &matcher{list: list, byTri: map[[3]byte][]int{}}
	for i, ind := range list {
		if len(ind.sub) < 3 {
			panic("indicator shorter than 3 bytes: " + ind.sub)
		}
		k := [3]byte{ind.sub[0], ind.sub[1], ind.sub[2]}
		m.byTri[k] = append(m.byTri[k], i)
		p := uint16(ind.sub[0])<<8 | uint16(ind.sub[1])
		m.pairs[p>>6] |= 1 << (p & 63)
	}
	return m
}

var lowerTable = func() (t [256]byte) {
	for i := range t {
		t[i] = byte(i)
		if i >= 'A' && i <= 'Z' {
			t[i] = byte(i + 32)
		}
	}
	return
}()

func lowerASCII(c byte) byte { return lowerTable[c] }

// first returns the earliest-listed indicator found in s (ASCII case
// folded), looking at the first 8 KiB.
func (m *matcher) first(s string) (indicator, bool) {
	if len(s) > 8192 {
		s = s[:8192]
	}
	best := -1
	if len(s) < 3 {
		return indicator{}, false
	}
	b := lowerTable[s[0]]
	for i := 0; i+3 <= len(s); i++ {
		a := b
		b = lowerTable[s[i+1]]
		if p := uint16(a)<<8 | uint16(b); m.pairs[p>>6]&(1<<(p&63)) == 0 {
			continue
		}
		k := [3]byte{a, b, lowerASCII(s[i+2])}
		cands, ok := m.byTri[k]
		if !ok {
			continue
		}
		for _, ci := range cands {
			if best >= 0 && ci >= best {
				continue
			}
			sub := m.list[ci].sub
			if i+len(sub) > len(s) {
				continue
			}
			match := true
			for j := 3; j < len(sub); j++ {
				if lowerASCII(s[i+j]) != sub[j] {
					match = false
					break
				}
			}
			if match {
				best = ci
			}
		}
	}
	if best < 0 {
		return indicator{}, false
	}
	return m.list[best], true
}

var matchers sync.Map // *[]indicator → *matcher

// firstMatch returns the earliest-listed indicator contained in s.
func firstMatch(s string, list []indicator) (indicator, bool) {
	key := &list[0]
	v, ok := matchers.Load(key)
	if !ok {
		v, _ = matchers.LoadOrStore(key, newMatcher(list))
	}
	return v.(*matcher).first(s)
}

// shortQuote is a bounded quoted value for messages.
func shortQuote(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 80 {
		s = s[:80]
		for len(s) > 0 && s[len(s)-1]&0xC0 == 0x80 {
			s = s[:len(s)-1]
		}
		s += "…"
	}
	return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
}

func lastPart(callee string) string {
	if i := strings.LastIndexByte(callee, '.'); i >= 0 {
		return callee[i+1:]
	}
	return callee
}

// cmdName is the program name of a command word list.
func cmdName(words []string) string {
	if len(words) == 0 {
		return ""
	}
	w := words[0]
	if i := strings.LastIndexAny(w, `/\`); i >= 0 {
		w = w[i+1:]
	}
	w = strings.ToLower(strings.TrimSuffix(strings.ToLower(w), ".exe"))
	if (w == "sudo" || w == "nohup" || w == "env" || w == "exec" || w == "start" || w == "cmd") && len(words) > 1 {
		rest := words[1:]
		for len(rest) > 0 && strings.HasPrefix(rest[0], "/") && w == "cmd" {
			rest = rest[1:]
		}
		return cmdName(rest)
	}
	return w
}

// eachCommand calls fn for every simple command of a unit.
func eachCommand(u *analyze.Facts, fn func(c analyze.Command, words []string)) {
	for _, c := range u.Commands {
		for _, w := range c.Words {
			fn(c, w)
		}
	}
}

// hostOf extracts the host of a URL-ish string ("https://x.y/z", "x.y:80").
func hostOf(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "://"); i >= 0 {
		u, err := url.Parse(s)
		if err == nil {
			return strings.ToLower(u.Hostname())
		}
		rest := s[i+3:]
		if j := strings.IndexAny(rest, "/:?#"); j >= 0 {
			rest = rest[:j]
		}
		return strings.ToLower(rest)
	}
	return ""
}

// urlsIn finds http(s)/ws/ftp URLs inside a string.
func urlsIn(s string) []string {
	var out []string
	for len(s) > 0 && len(out) < 32 {
		i := strings.Index(s, "://")
		if i < 0 {
			break
		}
		start := i
		for start > 0 && isSchemeChar(s[start-1]) {
			start--
		}
		end := i + 3
		for end < len(s) && isURLChar(s[end]) {
			end++
		}
		scheme := strings.ToLower(s[start:i])
		if scheme == "http" || scheme == "https" || scheme == "ws" || scheme == "wss" || scheme == "ftp" || scheme == "tcp" {
			out = append(out, s[start:end])
		}
		s = s[end:]
	}
	return out
}

func isSchemeChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isURLChar(c byte) bool {
	return c > ' ' && c < 0x7f && c != '"' && c != '\'' && c != '`' && c != '<' && c != '>' && c != '\\' && c != '{' && c != '}'
}

// publicIP reports whether host is a literal IP that is routable on the
// internet (not loopback, private, link-local or unspecified).
func publicIP(host string) bool {
	ip := net.ParseIP(strings.Trim(host, "[]"))
	if ip == nil {
		return false
	}
	return !(ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsUnspecified() || ip.IsMulticast() || ip.IsLinkLocalMulticast() ||
		ip.Equal(net.IPv4bcast) || strings.HasPrefix(host, "192.0.2.") || strings.HasPrefix(host, "198.51.100.") || strings.HasPrefix(host, "203.0.113.") ||
		host == "1.2.3.4" || host == "8.8.8.8" || host == "1.1.1.1" || host == "8.8.4.4")
}

// isProse reports whether a string reads as a sentence or a word list
// (help text, docstrings, keyword tables) rather than a path, URL or
// command: at least six words, nearly all plain letters, no shell
// punctuation.
func isProse(s string) bool {
	if strings.ContainsAny(s, "|$><;`&") {
		return false
	}
	words := strings.Fields(s)
	if len(words) < 6 {
		return false
	}
	plain := 0
	for _, w := range words {
		w = strings.Trim(w, ".,:;()'\"!?*`")
		ok := w != ""
		for i := 0; i < len(w) && ok; i++ {
			c := w[i]
			ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '\''
		}
		if ok {
			plain++
		}
	}
	return plain*10 >= len(words)*7
}

// proseApplies: prose is only discounted in ordinary code; in decoded
// layers and install-time or startup code every string counts.
func proseApplies(u *analyze.Facts) bool {
	return len(u.Unit.Layers) == 0 && u.Unit.Context != model.Install && u.Unit.Context != model.Startup
}

// prefilter lists are matched with the one-pass matcher before any
// per-string lowercasing, so rules pay only for strings that can match.
func mentions(s string, list []indicator) bool {
	_, ok := firstMatch(s, list)
	return ok
}

func words(ws ...string) []indicator {
	out := make([]indicator, len(ws))
	for i, w := range ws {
		out[i] = indicator{sub: w, label: w}
	}
	return out
}
