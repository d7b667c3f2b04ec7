package npm

// Shared machinery of the lockfile and manifest parsers (lock_*.go):
// size limit, line counting, the deduplicating result set, diagnostics and
// the classification of versions, specs, resolved URLs and hashes. The
// conventions they share are documented on MaxLockfileBytes.

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/airlock-sec/airlock/internal/model"
)

// MaxLockfileBytes is the largest lockfile or manifest ParsePackageLock,
// ParseYarnLock, ParsePnpmLock and ParsePackageJSONDependencies accept.
// These parsers share these conventions:
//
//   - Larger input is refused with an error before parsing. A leading
//     UTF-8 byte order mark is ignored. Nothing is allocated from sizes or
//     counts the file declares; nesting is bounded (see maxLockNesting and
//     yaml.v3's limit of 10000), and YAML aliases and merge keys are
//     followed within a work budget proportional to the input.
//   - An error (and no results) is returned only when the file as a whole
//     cannot be used: too large, not JSON/YAML, not the expected kind of
//     document, nested too deeply. A bad entry becomes a model.Diagnostic
//     (Path is the path argument, Target is left for the caller, Message
//     starts with "line N: " when the line is known) and the rest of the
//     file is still read. Diagnostics are sorted by line; at most
//     maxLockDiagnostics are kept, and one more says how many were dropped.
//   - Every Dependency has Ecosystem model.NPM, a Name accepted by
//     ValidName (the real package name for aliases), Path set to the path
//     argument and Line >= 1, and the list is sorted by Line. Version is
//     the exact version as normalized by ParseVersion ("v1.2.3" becomes
//     "1.2.3"); a version that is not valid semver is kept as written with
//     a diagnostic. Lockfile entries are never Unpinned and have no
//     Constraint; each has a Version, a Source or both.
//   - Source is set when the package does not come from a default
//     registry (see SetDefaultRegistries; over https) as the tarball of
//     exactly that name and version: git,
//     file, link, workspace, patch and tarball-URL dependencies, other
//     registries, and default-registry URLs naming another package or
//     version (the last with a diagnostic: the package manager installs
//     what the URL names). Passwords and tokens in URLs are redacted.
//   - Hashes are kept as the file writes them ("sha512-…" subresource
//     integrity values, at most 8), except the "#<sha1 hex>" fragment of a
//     yarn classic tarball URL, which becomes "sha1-<base64>", and yarn
//     Berry checksums, which become "yarn-checksum:<value>" (a hash of
//     yarn's zip archive, not of the registry tarball). The same name and
//     version with two different hashes of one algorithm is reported.
const MaxLockfileBytes = 64 << 20

// maxLockDiagnostics bounds the diagnostics one file produces.
const maxLockDiagnostics = 1000

// maxHashesPerEntry bounds the integrity values kept per entry.
const maxHashesPerEntry = 8

var utf8BOM = []byte("\xef\xbb\xbf")

// checkLockSize refuses oversized input and strips a byte order mark.
func checkLockSize(kind string, data []byte) ([]byte, error) {
	if len(data) > MaxLockfileBytes {
		return nil, fmt.Errorf("%s is %d bytes, more than the %d MiB limit; split the project or raise the limit", kind, len(data), MaxLockfileBytes>>20)
	}
	return bytes.TrimPrefix(data, utf8BOM), nil
}

// lineCounter maps byte offsets to 1-based line numbers. Queries with
// increasing offsets cost O(distance); a smaller offset restarts the count.
type lineCounter struct {
	data      []byte
	off, line int
}

func newLineCounter(data []byte) lineCounter { return lineCounter{data: data, line: 1} }

func (c *lineCounter) at(off int) int {
	if off > len(c.data) {
		off = len(c.data)
	}
	if off < 0 {
		off = 0
	}
	if off < c.off {
		c.off, c.line = 0, 1
	}
	c.line += bytes.Count(c.data[c.off:off], []byte{'\n'})
	c.off = off
	return c.line
}

// depKey identifies one distinct dependency for deduplication.
type depKey struct{ name, version, source string }

// lockResult collects dependencies (deduplicated) and diagnostics for one
// file.
type lockResult struct {
	path      string
	deps      []model.Dependency
	index     map[depKey]int
	diags     []model.Diagnostic
	diagLines []int // line of each diagnostic, for sorting
	dropped   int
}

func newLockResult(path string) *lockResult {
	return &lockResult{path: path, index: map[depKey]int{}}
}

// diag records a problem at line (0 when unknown).
func (r *lockResult) diag(line int, format string, args ...any) {
	if len(r.diags) >= maxLockDiagnostics {
		r.dropped++
		return
	}
	msg := fmt.Sprintf(format, args...)
	if line > 0 {
		msg = fmt.Sprintf("line %d: %s", line, msg)
	}
	r.diags = append(r.diags, model.Diagnostic{Path: r.path, Message: msg})
	r.diagLines = append(r.diagLines, line)
}

// add records d, merging it into an earlier entry with the same name,
// version and source: the merged entry keeps the first line, is Direct if
// either is, Dev only if both are, and holds the union of the hashes (two
// different values for the same algorithm are reported).
func (r *lockResult) add(d model.Dependency) {
	d.Ecosystem = model.NPM
	d.Path = r.path
	if d.Line < 1 {
		d.Line = 1
	}
	k := depKey{d.Name, d.Version, d.Source}
	i, ok := r.index[k]
	if !ok {
		r.index[k] = len(r.deps)
		r.deps = append(r.deps, d)
		return
	}
	e := &r.deps[i]
	e.Direct = e.Direct || d.Direct
	e.Dev = e.Dev && d.Dev
	if d.Line < e.Line {
		e.Line = d.Line
	}
	for _, h := range d.Hashes {
		if slices.Contains(e.Hashes, h) {
			continue
		}
		for _, old := range e.Hashes {
			if hashAlgo(old) == hashAlgo(h) {
				r.diag(d.Line, "%s has two different %s hashes (%q and %q); the lockfile may have been tampered with",
					depLabel(d), hashAlgo(h), truncate(old), truncate(h))
				break
			}
		}
		if len(e.Hashes) < maxHashesPerEntry {
			e.Hashes = append(e.Hashes, h)
		}
	}
}

// finish sorts the dependencies and the diagnostics by line (diagnostics
// about the whole file first).
func (r *lockResult) finish() ([]model.Dependency, []model.Diagnostic) {
	sort.SliceStable(r.deps, func(i, j int) bool { return r.deps[i].Line < r.deps[j].Line })
	sort.Stable(diagsByLine{r})
	if r.dropped > 0 {
		r.diags = append(r.diags, model.Diagnostic{Path: r.path, Message: fmt.Sprintf("%d more problems not listed", r.dropped)})
	}
	return r.deps, r.diags
}

type diagsByLine struct{ r *lockResult }

func (d diagsByLine) Len() int           { return len(d.r.diags) }
func (d diagsByLine) Less(i, j int) bool { return d.r.diagLines[i] < d.r.diagLines[j] }
func (d diagsByLine) Swap(i, j int) {
	d.r.diags[i], d.r.diags[j] = d.r.diags[j], d.r.diags[i]
	d.r.diagLines[i], d.r.diagLines[j] = d.r.diagLines[j], d.r.diagLines[i]
}

func depLabel(d model.Dependency) string {
	v := d.Version
	if v == "" {
		v = d.Source
	}
	return fmt.Sprintf("%q", truncate(d.Name+"@"+v))
}

// hashAlgo returns the algorithm of "sha512-…" or "sha1:…".
func hashAlgo(h string) string {
	if i := strings.IndexAny(h, "-:"); i > 0 {
		return h[:i]
	}
	return h
}

// exactVersion returns the normalized form of s when it is one exact
// semver version.
func exactVersion(s string) (string, bool) {
	if s == "" {
		return "", false
	}
	v, err := ParseVersion(s)
	if err != nil {
		return "", false
	}
	return v.String(), true
}

// setVersion fills d.Version from a lockfile version field, reporting one
// that is not valid semver (it is kept as written, if short and printable).
func setVersion(r *lockResult, d *model.Dependency, v string, line int) bool {
	if n, ok := exactVersion(v); ok {
		d.Version = n
		return true
	}
	if v == "" {
		r.diag(line, "%q has no version; skipped", truncate(d.Name))
		return false
	}
	if len(v) > MaxVersionLength || !printable(v) {
		r.diag(line, "%q has an unusable version %q; skipped", truncate(d.Name), truncate(v))
		return false
	}
	r.diag(line, "%q has version %q, which is not valid semver", truncate(d.Name), truncate(v))
	d.Version = v
	return true
}

// printable reports whether s has no control characters or spaces.
func printable(s string) bool {
	for _, r := range s {
		if r <= ' ' || r == 0x7f || r == '\uFFFD' {
			return false
		}
	}
	return true
}

// splitNameSpec splits "name@spec" (name may be "@scope/name") at the
// first "@" after the first character. ok is false without such an "@".
func splitNameSpec(s string) (name, spec string, ok bool) {
	if len(s) < 2 {
		return s, "", false
	}
	i := strings.IndexByte(s[1:], '@')
	if i < 0 {
		return s, "", false
	}
	return s[:i+1], s[i+2:], true
}

// nonRegistryPrefixes start specs that name something other than a
// registry version or range.
var nonRegistryPrefixes = []string{
	"file:", "link:", "portal:", "workspace:", "patch:", "exec:",
	"git+", "git:", "github:", "gitlab:", "bitbucket:", "gist:",
	"http:", "https:", "./", "../", "/", "~/", ".\\", "..\\",
}

// isNonRegistrySpec reports whether a package.json-style spec names a
// source other than a registry version, range or tag: a URL, a git
// repository (including GitHub "user/repo" shorthand), a path or a
// package-manager protocol (file:, link:, workspace:, …).
func isNonRegistrySpec(spec string) bool {
	s := strings.TrimSpace(spec)
	lower := strings.ToLower(s)
	for _, p := range nonRegistryPrefixes {
		if strings.HasPrefix(lower, p) {
			return true
		}
	}
	if s == "." || s == ".." || len(s) >= 2 && s[1] == ':' && (s[0]|0x20) >= 'a' && (s[0]|0x20) <= 'z' {
		return true // current dir, parent dir or a Windows drive path
	}
	// GitHub shorthand "user/repo" or "user/repo#ref": a slash before any
	// range syntax, not a scope.
	if i := strings.IndexByte(s, '/'); i > 0 && s[0] != '@' && !strings.ContainsAny(s[:i], " <>=^~|*") {
		return true
	}
	return false
}

// defaultRegistries are the hosts (host or host:port, lowercase) whose
// https tarball URLs count as the default registry.
var (
	registryMu        sync.RWMutex
	defaultRegistries map[string]bool
)

// SetDefaultRegistries sets the registries the user's npm and yarn
// configuration names (see RegistriesFromConfig). Tarball URLs on them
// that name exactly the locked package and version are the registry's
// own; others are sources. With none set, any https URL of the registry
// tarball shape ("/<name>/-/<name>-<version>.tgz") counts as a registry
// tarball — mirrors and proxies use the same shape — and only such URLs
// naming another package or version are reported as foreign.
func SetDefaultRegistries(urls []string) {
	m := map[string]bool{}
	for _, s := range urls {
		if u, err := url.Parse(strings.TrimSpace(s)); err == nil && u.Host != "" {
			m[strings.ToLower(u.Host)] = true
		}
	}
	registryMu.Lock()
	defaultRegistries = m
	registryMu.Unlock()
}

// onDefaultRegistry reports whether u is on a default registry, and
// whether the registries are known at all.
func onDefaultRegistry(u *url.URL) (on, known bool) {
	registryMu.RLock()
	defer registryMu.RUnlock()
	if len(defaultRegistries) == 0 {
		return true, false
	}
	return defaultRegistries[strings.ToLower(u.Host)], true
}

// classifyResolved decides what a resolved/tarball URL says about the
// source of name@version: "" when it is the default registry's tarball of
// exactly that package and version, the (redacted) URL otherwise. foreign
// is set when the URL is on the default registry but names another
// package or version.
func classifyResolved(name, version, resolved string) (source string, foreign bool) {
	if resolved == "" {
		return "", false
	}
	u, err := url.Parse(resolved)
	if err != nil {
		return truncateSource(resolved), false
	}
	if !strings.EqualFold(u.Scheme, "https") {
		return redact(u), false
	}
	on, known := onDefaultRegistry(u)
	if !on {
		return redact(u), false
	}
	if registryTarballPath(u.Path, name, version) && u.RawQuery == "" {
		return "", false
	}
	if !known && !(strings.Contains(u.Path, "/-/") && strings.HasSuffix(u.Path, ".tgz")) {
		return redact(u), false // some other server's file
	}
	return redact(u), true
}

// registryTarballPath reports whether p is "/<name>/-/<basename>-<version>.tgz".
func registryTarballPath(p, name, version string) bool {
	if name == "" || version == "" {
		return false
	}
	base := name
	if i := strings.LastIndexByte(base, '/'); i >= 0 {
		base = base[i+1:]
	}
	return p == "/"+name+"/-/"+base+"-"+version+".tgz"
}

// redact renders u without a password or token in its user information.
func redact(u *url.URL) string {
	if u.User != nil {
		if _, has := u.User.Password(); has {
			return truncateSource(u.Redacted())
		}
		// "https://TOKEN@host/…" carries the secret as the user name.
		if u.User.Username() != "" && u.User.Username() != "git" {
			c := *u
			c.User = url.User("xxxxx")
			return truncateSource(c.String())
		}
	}
	return truncateSource(u.String())
}

// sourceSpec renders a non-registry spec as a Source, redacting URL
// credentials.
func sourceSpec(spec string) string {
	spec = strings.TrimSpace(spec)
	if i := strings.Index(spec, "://"); i > 0 {
		// "git+https://…" parses as a URL with scheme "git+https".
		if u, err := url.Parse(spec); err == nil {
			return redact(u)
		}
	}
	return truncateSource(spec)
}

// maxSourceLength bounds Source values.
const maxSourceLength = 2048

func truncateSource(s string) string {
	if len(s) > maxSourceLength {
		return s[:maxSourceLength] + "…"
	}
	return s
}

// sriAlgorithms are the hash algorithms npm and yarn write in integrity
// fields.
var sriAlgorithms = map[string]bool{"sha1": true, "sha256": true, "sha384": true, "sha512": true, "md5": true}

// integrityHashes splits an integrity field ("sha512-… sha1-…") into its
// values, reporting malformed ones.
func integrityHashes(r *lockResult, s string, line int, who string) []string {
	var out []string
	bad := false
	for _, h := range strings.Fields(s) {
		algo, val, ok := strings.Cut(h, "-")
		if !ok || !sriAlgorithms[strings.ToLower(algo)] || val == "" || !isBase64(val) {
			bad = true
			continue
		}
		if len(out) < maxHashesPerEntry && !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	if bad {
		r.diag(line, "%s has an integrity field %q that is not a list of subresource integrity hashes; kept only the well-formed ones", who, truncate(s))
	}
	return out
}

func isBase64(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '=' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// sha1FromFragment returns "sha1-<base64>" for a tarball URL ending in
// ".tgz#<40 hex digits>" (yarn classic's resolved field), or "". The
// fragment of a git URL is a commit, not a hash of the content.
func sha1FromFragment(resolved string) string {
	i := strings.LastIndexByte(resolved, '#')
	if i < 0 || len(resolved)-i-1 != 40 || !strings.HasSuffix(strings.ToLower(resolved[:i]), ".tgz") {
		return ""
	}
	b, err := hex.DecodeString(resolved[i+1:])
	if err != nil {
		return ""
	}
	return "sha1-" + base64.StdEncoding.EncodeToString(b)
}

// cleanName validates a package name, reporting a bad one.
func cleanName(r *lockResult, name string, line int, what string) bool {
	if ValidName(name) {
		return true
	}
	r.diag(line, "%s: %q is not a valid npm package name; skipped", what, truncate(name))
	return false
}
