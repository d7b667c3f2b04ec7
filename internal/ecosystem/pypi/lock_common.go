package pypi

import (
	"bytes"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/airlock-sec/airlock/internal/model"
)

// This file holds what the lockfile and manifest parsers (lock_*.go) share:
// the size limit, the diagnostic collector and small helpers for sources,
// names and hashes.
//
// Every parser returns the dependencies it could read, a diagnostic for
// each entry or line it could not (with the file's path set, the rest of
// the file still read), and an error only when the whole file is unusable:
// too large, not JSON/TOML at all, or of the wrong shape.

// MaxLockfileSize is the largest lockfile or manifest the parsers accept,
// in bytes. Callers should read at most this much (plus one byte, to tell
// that a file is too large).
const MaxLockfileSize = 64 << 20

// maxLockDiagnostics bounds the diagnostics one parse returns; a file full
// of garbage yields this many and a note saying how many more there were.
const maxLockDiagnostics = 200

// checkLockSize rejects data larger than MaxLockfileSize.
func checkLockSize(kind string, data []byte) error {
	if len(data) > MaxLockfileSize {
		return fmt.Errorf("%s is %d bytes, more than the %d-byte limit (MaxLockfileSize); split or trim the file", kind, len(data), MaxLockfileSize)
	}
	return nil
}

// lockDiags collects diagnostics up to maxLockDiagnostics.
type lockDiags struct {
	list    []model.Diagnostic
	dropped int
}

// add records a diagnostic on file p; line 0 means the whole file.
func (d *lockDiags) add(p string, line int, format string, args ...any) {
	if len(d.list) >= maxLockDiagnostics {
		d.dropped++
		return
	}
	msg := fmt.Sprintf(format, args...)
	if line > 0 {
		msg = fmt.Sprintf("line %d: %s", line, msg)
	}
	d.list = append(d.list, model.Diagnostic{Path: p, Message: msg})
}

// result returns the diagnostics, with a last one counting those dropped.
func (d *lockDiags) result(p string) []model.Diagnostic {
	if d.dropped > 0 {
		return append(d.list, model.Diagnostic{Path: p, Message: fmt.Sprintf("%d more problems not shown", d.dropped)})
	}
	return d.list
}

// lockQuote quotes a value from the file for a message, shortened.
func lockQuote(s string) string {
	const max = 80
	if len(s) > max {
		s = s[:max] + "…"
	}
	return fmt.Sprintf("%q", s)
}

// validProjectName reports whether s is a valid distribution name as PEP 508
// defines it: ASCII letters and digits, with ".", "_" and "-" inside.
func validProjectName(s string) bool {
	if s == "" || !isLockAlnum(s[0]) || !isLockAlnum(s[len(s)-1]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isLockAlnum(c) && c != '.' && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

func isLockAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// vcsSource renders a VCS reference the way pip writes it:
// "git+https://host/repo.git@rev". A url that already carries a "vcs+"
// prefix keeps it.
func vcsSource(vcs, url, rev string) string {
	s := url
	if vcs != "" && !strings.HasPrefix(strings.ToLower(url), vcs+"+") {
		s = vcs + "+" + url
	}
	if rev != "" {
		s += "@" + rev
	}
	return s
}

// isDefaultIndex reports whether url is PyPI's own index, which is not
// recorded as a Source.
func isDefaultIndex(url string) bool {
	u := strings.TrimRight(strings.ToLower(strings.TrimSpace(url)), "/")
	switch u {
	case "", "https://pypi.org/simple", "https://pypi.python.org/simple", "https://pypi.org/pypi", "https://pypi.org":
		return true
	}
	return false
}

// wheelNameVersion returns the distribution name and version from a wheel
// file name or a URL/path ending in one
// ("pkg-1.0-py3-none-any.whl" → "pkg", "1.0").
func wheelNameVersion(s string) (name, version string, ok bool) {
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
	}
	s = path.Base(strings.ReplaceAll(s, "\\", "/"))
	if !strings.HasSuffix(strings.ToLower(s), ".whl") {
		return "", "", false
	}
	parts := strings.Split(s[:len(s)-len(".whl")], "-")
	if len(parts) != 5 && len(parts) != 6 {
		return "", "", false
	}
	if !validProjectName(parts[0]) || parts[1] == "" {
		return "", "", false
	}
	return parts[0], parts[1], true
}

// joinConstraint renders what a manifest asked for: the version specifier,
// then "; " and the environment marker when there is one.
func joinConstraint(spec, marker string) string {
	if marker == "" {
		return spec
	}
	if spec == "" {
		return "; " + marker
	}
	return spec + "; " + marker
}

// exactPin returns the version a specifier pins exactly: the operand of a
// single "==V" clause (not a wildcard) or "===V", as written.
func exactPin(spec string) (string, bool) {
	set, err := ParseSpecifierSet(spec)
	if err != nil || len(set) != 1 {
		return "", false
	}
	op := set[0].Operator()
	if op != "===" && (op != "==" || set[0].Wildcard()) {
		return "", false
	}
	for _, clause := range strings.Split(spec, ",") {
		if c := trimPySpace(clause); c != "" && strings.HasPrefix(c, op) {
			return trimPySpace(c[len(op):]), true
		}
	}
	return "", false
}

// hasNUL reports whether data looks binary.
func hasNUL(data []byte) bool { return bytes.IndexByte(data, 0) >= 0 }

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// stringList reads a list of strings, reporting whether every element was
// one.
func stringList(v any) ([]string, bool) {
	arr, ok := v.([]any)
	if !ok {
		if ss, ok := v.([]string); ok {
			return ss, true
		}
		return nil, false
	}
	out := make([]string, 0, len(arr))
	all := true
	for _, e := range arr {
		if s, ok := e.(string); ok {
			out = append(out, s)
		} else {
			all = false
		}
	}
	return out, all
}
