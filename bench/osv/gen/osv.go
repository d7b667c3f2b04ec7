package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand"
	"net/url"
	"sort"
	"strings"
	"time"
)

// OSV schema 1.6 records, in the shape of OSV's bulk export.

type event struct {
	Introduced   string `json:"introduced,omitempty"`
	Fixed        string `json:"fixed,omitempty"`
	LastAffected string `json:"last_affected,omitempty"`
}

type osvRange struct {
	Type   string  `json:"type"`
	Events []event `json:"events"`
}

type pkgRef struct {
	Ecosystem string `json:"ecosystem"`
	Name      string `json:"name"`
	Purl      string `json:"purl,omitempty"`
}

type affected struct {
	Package           pkgRef         `json:"package"`
	Ranges            []osvRange     `json:"ranges,omitempty"`
	Versions          []string       `json:"versions,omitempty"`
	EcosystemSpecific map[string]any `json:"ecosystem_specific,omitempty"`
	DatabaseSpecific  map[string]any `json:"database_specific,omitempty"`
}

type severity struct {
	Type  string `json:"type"`
	Score string `json:"score"`
}

type reference struct {
	Type string `json:"type"`
	URL  string `json:"url"`
}

type record struct {
	SchemaVersion    string         `json:"schema_version"`
	ID               string         `json:"id"`
	Modified         string         `json:"modified"`
	Published        string         `json:"published"`
	Withdrawn        string         `json:"withdrawn,omitempty"`
	Aliases          []string       `json:"aliases,omitempty"`
	Summary          string         `json:"summary,omitempty"`
	Details          string         `json:"details,omitempty"`
	Severity         []severity     `json:"severity,omitempty"`
	Affected         []affected     `json:"affected"`
	References       []reference    `json:"references,omitempty"`
	DatabaseSpecific map[string]any `json:"database_specific,omitempty"`
}

// ---------------------------------------------------------------- scenarios

// span is a half-open [intro, end) or closed [intro, end] (lastAff) interval
// of history indices; intro -1 is "0", end -1 is open-ended.
type span struct {
	intro, end int
	lastAff    bool
}

// scenario is how one affected entry covers a package's history.
type scenario struct {
	spans    []span
	versions []int // explicit "versions" entries
	layout   int   // 0: one range with all events, 1: one range per span, 2: one affected entry per span
	enumer   bool  // also list the covered versions under "versions"
}

func (s scenario) covers(i, n int) bool {
	for _, v := range s.versions {
		if v == i {
			return true
		}
	}
	for _, sp := range s.spans {
		end := sp.end
		if end < 0 {
			end = n
		} else if sp.lastAff {
			end++
		}
		if i >= sp.intro && i < end {
			return true
		}
	}
	return false
}

func between(r *rand.Rand, lo, hi int) int { // inclusive
	if hi <= lo {
		return lo
	}
	return lo + r.Intn(hi-lo+1)
}

// hitScenario covers history index p.
func hitScenario(r *rand.Rand, p, n int) scenario {
	for {
		var s scenario
		switch k := r.Intn(100); {
		case k < 30: // introduced 0, fixed above
			if p >= n-1 {
				continue
			}
			s.spans = []span{{-1, between(r, p+1, n-1), false}}
		case k < 55: // introduced at or below, fixed above (or never)
			i := p
			if r.Intn(10) >= 3 {
				i = between(r, 0, p)
			}
			end := -1
			if p < n-1 && r.Intn(5) > 0 {
				end = between(r, p+1, n-1)
			}
			s.spans = []span{{i, end, false}}
		case k < 67: // last_affected at or above
			j := p
			if r.Intn(10) >= 3 {
				j = between(r, p, n-1)
			}
			s.spans = []span{{between(r, -1, p), j, true}}
		case k < 72: // introduced 0, never fixed
			s.spans = []span{{-1, -1, false}}
		case k < 90: // an earlier range that misses, and one that hits
			if p < 2 {
				continue
			}
			kf := between(r, 0, p-2)
			end := -1
			if p < n-1 {
				end = between(r, p+1, n-1)
			}
			s.spans = []span{{-1, kf, false}, {between(r, kf+1, p), end, false}}
		default: // versions only
			lo, hi := between(r, max(0, p-3), p), between(r, p, min(n-1, p+3))
			for i := lo; i <= hi; i++ {
				s.versions = append(s.versions, i)
			}
		}
		return s
	}
}

// missScenario does not cover history index p, but comes close.
func missScenario(r *rand.Rand, p, n int) scenario {
	for {
		var s scenario
		switch k := r.Intn(100); {
		case k < 30: // the pin is the fix
			s.spans = []span{{between(r, -1, p-1), p, false}}
			if p == 0 {
				s.spans[0].intro = -1
			}
		case k < 50: // introduced just above
			if p >= n-1 {
				continue
			}
			end := -1
			if p+2 <= n-1 && r.Intn(3) > 0 {
				end = between(r, p+2, n-1)
			}
			s.spans = []span{{p + 1, end, false}}
		case k < 65: // last affected just below
			if p < 1 {
				continue
			}
			s.spans = []span{{between(r, -1, p-1), p - 1, true}}
		case k < 80: // fixed well below
			if p < 1 {
				continue
			}
			s.spans = []span{{-1, between(r, 0, p-1), false}}
		case k < 90: // two ranges around it
			if p < 2 || p >= n-1 {
				continue
			}
			kf := between(r, 0, p-1)
			s.spans = []span{{-1, kf, false}, {p + 1, -1, false}}
		default: // versions that skip it
			for i := max(0, p-2); i <= min(n-1, p+2); i++ {
				if i != p {
					s.versions = append(s.versions, i)
				}
			}
			if len(s.versions) == 0 {
				continue
			}
		}
		return s
	}
}

// ---------------------------------------------------------------- writer

type target struct {
	pkg *pkgModel
	sc  scenario
}

type ids struct {
	r    *rand.Rand
	seen map[string]bool
	n    map[string]int
}

const ghsaAlphabet = "23456789cfghjmpqrvwx"

func (g *ids) ghsa() string {
	for {
		var b strings.Builder
		b.WriteString("GHSA")
		for i := 0; i < 3; i++ {
			b.WriteByte('-')
			for j := 0; j < 4; j++ {
				b.WriteByte(ghsaAlphabet[g.r.Intn(len(ghsaAlphabet))])
			}
		}
		if s := b.String(); !g.seen[s] {
			g.seen[s] = true
			return s
		}
	}
}

func (g *ids) seq(prefix string, year int, width int) string {
	key := fmt.Sprintf("%s-%d", prefix, year)
	g.n[key] += 1 + g.r.Intn(7)
	return fmt.Sprintf("%s-%0*d", key, width, g.n[key])
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

func randTime(r *rand.Rand, from, to time.Time) time.Time {
	d := to.Sub(from)
	return from.Add(time.Duration(r.Int63n(int64(d))))
}

var cvssParts = [][]string{
	{"AV:N", "AV:N", "AV:N", "AV:A", "AV:L", "AV:P"},
	{"AC:L", "AC:L", "AC:H"},
	{"PR:N", "PR:N", "PR:L", "PR:H"},
	{"UI:N", "UI:N", "UI:R"},
	{"S:U", "S:U", "S:U", "S:C"},
	{"C:H", "C:L", "C:N"},
	{"I:H", "I:L", "I:N"},
	{"A:H", "A:L", "A:N"},
}

func cvss(r *rand.Rand) string {
	parts := []string{"CVSS:3.1"}
	for _, c := range cvssParts {
		parts = append(parts, c[r.Intn(len(c))])
	}
	return strings.Join(parts, "/")
}

var weaknesses = []struct{ cwe, what string }{
	{"CWE-79", "Cross-site scripting"},
	{"CWE-22", "Path traversal"},
	{"CWE-400", "Uncontrolled resource consumption (ReDoS)"},
	{"CWE-1321", "Prototype pollution"},
	{"CWE-502", "Deserialization of untrusted data"},
	{"CWE-94", "Code injection"},
	{"CWE-89", "SQL injection"},
	{"CWE-918", "Server-side request forgery"},
	{"CWE-352", "Cross-site request forgery"},
	{"CWE-20", "Improper input validation"},
	{"CWE-601", "Open redirect"},
	{"CWE-770", "Allocation of resources without limits"},
}

func lorem(r *rand.Rand, name, what string) string {
	sentences := []string{
		fmt.Sprintf("%s in %s allows a remote attacker to compromise applications that process untrusted input.", what, name),
		"The issue is triggered when specially crafted data reaches the affected code path.",
		"Applications that do not expose this functionality to untrusted users are not affected.",
		"Users are advised to upgrade to a fixed release as soon as possible.",
		"There are no known workarounds other than validating input before it is passed to the library.",
		"The vulnerable code was introduced during a refactoring of the parser and went unnoticed for several releases.",
		"### Impact\n\nAn attacker can cause excessive CPU usage, leading to denial of service.",
		"### Patches\n\nThe problem has been patched; see the references below.",
		"### References\n\n- The original report\n- The fixing commit",
	}
	var b strings.Builder
	n := 1 + r.Intn(len(sentences))
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(" ")
			if r.Intn(3) == 0 {
				b.WriteString("\n\n")
			}
		}
		b.WriteString(sentences[(i*3+r.Intn(2))%len(sentences)])
	}
	return b.String()
}

func purl(eco, name string) string {
	switch eco {
	case "npm":
		if strings.HasPrefix(name, "@") {
			return "pkg:npm/%40" + strings.TrimPrefix(name, "@")
		}
		return "pkg:npm/" + url.PathEscape(name)
	default:
		return "pkg:pypi/" + name
	}
}

// affectedEntries renders a scenario of one package as OSV affected entries.
func affectedEntries(t target, rangeType string, r *rand.Rand) []affected {
	h := t.pkg.hist
	n := len(h.vs)
	ref := pkgRef{Ecosystem: t.pkg.eco, Name: t.pkg.name, Purl: purl(t.pkg.eco, t.pkg.name)}
	ev := func(sp span) []event {
		out := []event{}
		if sp.intro < 0 {
			out = append(out, event{Introduced: "0"})
		} else {
			out = append(out, event{Introduced: h.vs[sp.intro]})
		}
		switch {
		case sp.end < 0:
		case sp.lastAff:
			out = append(out, event{LastAffected: h.vs[sp.end]})
		default:
			out = append(out, event{Fixed: h.vs[sp.end]})
		}
		return out
	}
	var versions []string
	for _, i := range t.sc.versions {
		versions = append(versions, h.vs[i])
	}
	if t.sc.enumer {
		for i := 0; i < n; i++ {
			if t.sc.covers(i, n) && !contains(versions, h.vs[i]) {
				versions = append(versions, h.vs[i])
			}
		}
	}
	if len(t.sc.spans) == 0 {
		return []affected{{Package: ref, Versions: versions}}
	}
	switch t.sc.layout {
	case 1:
		a := affected{Package: ref, Versions: versions}
		for _, sp := range t.sc.spans {
			a.Ranges = append(a.Ranges, osvRange{Type: rangeType, Events: ev(sp)})
		}
		return []affected{a}
	case 2:
		var out []affected
		for i, sp := range t.sc.spans {
			a := affected{Package: ref, Ranges: []osvRange{{Type: rangeType, Events: ev(sp)}}}
			if i == 0 {
				a.Versions = versions
			}
			out = append(out, a)
		}
		return out
	default:
		var evs []event
		for _, sp := range t.sc.spans {
			evs = append(evs, ev(sp)...)
		}
		return []affected{{Package: ref, Ranges: []osvRange{{Type: rangeType, Events: evs}}, Versions: versions}}
	}
}

// zipRecords writes records as OSV's all.zip: one <ID>.json per record at
// the root, in ID order, with a fixed timestamp.
func zipRecords(recs []*record) ([]byte, error) {
	sort.Slice(recs, func(i, j int) bool { return recs[i].ID < recs[j].ID })
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	mod := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	for _, rec := range recs {
		body, err := json.MarshalIndent(rec, "", "  ")
		if err != nil {
			return nil, err
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: rec.ID + ".json", Method: zip.Deflate, Modified: mod})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(body); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
