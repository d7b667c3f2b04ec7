package pin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// MaxMapSize bounds the map file LoadMap reads.
const MaxMapSize = 1 << 20

// MapResolver resolves refs from an offline map, for air-gapped runs and
// reproducible tests.
//
// The text format has one entry a line, '#' comments and blank lines:
//
//	owner/repo@ref <40-hex sha> [tag]
//	actions/checkout@v4 11bd71901bbe5b1630ceea73d27597364c9af683 v4.2.2
//
// The JSON format is an object:
//
//	{"actions/checkout@v4": {"sha": "11bd…", "tag": "v4.2.2"}}
//
// Owner and repository names are matched case-insensitively, refs
// exactly; a sub-path ("github/codeql-action/init@v3") is reduced to the
// repository. When an entry has no tag, the most specific version-looking
// ref of the same repository mapped to the same SHA is used.
type MapResolver struct {
	name    string
	entries map[string]mapEntry
	bySHA   map[string][]string // "owner/repo@sha" → refs
	// fallback, when set, resolves every ref missing from the map (tests).
	fallback *mapEntry
}

type mapEntry struct {
	sha, tag string
}

// LoadMap reads a map file (at most MaxMapSize bytes).
func LoadMap(path string) (*MapResolver, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxMapSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxMapSize {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, MaxMapSize)
	}
	return ParseMap(path, data)
}

// ParseMap parses the content of a map file; name is used in errors.
func ParseMap(name string, data []byte) (*MapResolver, error) {
	m := &MapResolver{name: name, entries: map[string]mapEntry{}, bySHA: map[string][]string{}}
	add := func(where, key, sha, tag string) error {
		name, ref, ok := strings.Cut(key, "@")
		parts := strings.Split(name, "/")
		if !ok || ref == "" || len(parts) < 2 || !validName(parts[0]) || !validName(parts[1]) {
			return fmt.Errorf("%s: %q is not owner/repo@ref", where, key)
		}
		if !IsSHA(sha) {
			return fmt.Errorf("%s: %q is not a 40-hex commit SHA", where, sha)
		}
		if tag != "" && !safeComment(tag) {
			return fmt.Errorf("%s: tag %q has control characters", where, tag)
		}
		k := repoKey(parts[0], parts[1]) + "@" + ref
		sha = strings.ToLower(sha)
		if old, dup := m.entries[k]; dup {
			if old.sha != sha {
				return fmt.Errorf("%s: %s is mapped twice, to %s and %s", where, k, old.sha, sha)
			}
			if tag == "" {
				tag = old.tag
			}
		} else {
			rk := repoKey(parts[0], parts[1]) + "@" + sha
			m.bySHA[rk] = append(m.bySHA[rk], ref)
		}
		m.entries[k] = mapEntry{sha: sha, tag: tag}
		return nil
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if len(trimmed) > 0 && trimmed[0] == '{' {
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(trimmed, &raw); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		keys := make([]string, 0, len(raw))
		for k := range raw {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			var e struct {
				SHA string `json:"sha"`
				Tag string `json:"tag"`
			}
			if err := json.Unmarshal(raw[k], &e); err != nil {
				var s string
				if json.Unmarshal(raw[k], &s) != nil {
					return nil, fmt.Errorf("%s: %q: want {\"sha\": ..., \"tag\": ...}", name, k)
				}
				e.SHA = s
			}
			if err := add(name, k, e.SHA, e.Tag); err != nil {
				return nil, err
			}
		}
		return m, nil
	}
	for i, line := range strings.Split(string(data), "\n") {
		if i == 0 {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		if j := commentStart(line); j >= 0 {
			line = line[:j]
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		where := name + ":" + strconv.Itoa(i+1)
		if len(f) > 3 {
			return nil, fmt.Errorf("%s: want \"owner/repo@ref SHA [tag]\", got %d fields", where, len(f))
		}
		if len(f) < 2 {
			return nil, fmt.Errorf("%s: want \"owner/repo@ref SHA [tag]\", the SHA is missing", where)
		}
		tag := ""
		if len(f) == 3 {
			tag = f[2]
		}
		if err := add(where, f[0], f[1], tag); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// commentStart returns where a '#' comment starts in a map line: at the
// start of the line or after a blank.
func commentStart(line string) int {
	for i := 0; i < len(line); i++ {
		if line[i] == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t') {
			return i
		}
	}
	return -1
}

func repoKey(owner, repo string) string {
	return strings.ToLower(owner) + "/" + strings.ToLower(repo)
}

// Resolve implements Resolver.
func (m *MapResolver) Resolve(ctx context.Context, owner, repo, ref string) (sha, tag string, err error) {
	if err := ctx.Err(); err != nil {
		return "", "", err
	}
	e, ok := m.entries[repoKey(owner, repo)+"@"+ref]
	if !ok {
		if m.fallback != nil {
			return m.fallback.sha, m.fallback.tag, nil
		}
		return "", "", fmt.Errorf("%s/%s@%s is not in the map file %s", owner, repo, ref, m.name)
	}
	if e.tag != "" {
		return e.sha, e.tag, nil
	}
	return e.sha, bestTag(ref, m.bySHA[repoKey(owner, repo)+"@"+e.sha]), nil
}

// Len returns the number of entries.
func (m *MapResolver) Len() int { return len(m.entries) }

var semverRE = regexp.MustCompile(`^[vV]?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)

// version is a parsed version-looking tag.
type version struct {
	parts int    // 1 for v4, 2 for v4.2, 3 for v4.2.2
	num   [3]int // the numbers
	pre   bool   // has a pre-release suffix
}

func parseVersion(s string) (version, bool) {
	m := semverRE.FindStringSubmatch(s)
	if m == nil {
		return version{}, false
	}
	var v version
	for i := 1; i <= 3 && m[i] != ""; i++ {
		n, err := strconv.Atoi(m[i])
		if err != nil {
			return version{}, false
		}
		v.num[i-1], v.parts = n, i
	}
	v.pre = m[4] != ""
	return v, true
}

// bestTag picks, among the version-looking tags of one commit, the one to
// record for ref: a tag extending ref ("v4" → "v4.2.2") first, then the
// most specific (vX.Y.Z over vX.Y over vX), a release over a
// pre-release, ref itself, and the highest version. It returns "" when no
// tag looks like a version.
func bestTag(ref string, tags []string) string {
	type cand struct {
		name    string
		v       version
		extends bool
	}
	var cs []cand
	for _, t := range tags {
		v, ok := parseVersion(t)
		if !ok || !safeComment(t) {
			continue
		}
		cs = append(cs, cand{t, v, t == ref || strings.HasPrefix(t, ref+".")})
	}
	if len(cs) == 0 {
		return ""
	}
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if a.extends != b.extends {
			return a.extends
		}
		if a.v.parts != b.v.parts {
			return a.v.parts > b.v.parts
		}
		if a.v.pre != b.v.pre {
			return !a.v.pre
		}
		if (a.name == ref) != (b.name == ref) {
			return a.name == ref
		}
		if a.v.num != b.v.num {
			for k := 0; k < 3; k++ {
				if a.v.num[k] != b.v.num[k] {
					return a.v.num[k] > b.v.num[k]
				}
			}
		}
		return a.name < b.name
	})
	return cs[0].name
}

var errNoRef = errors.New("no such repository, tag, branch or commit")
