package gomod

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ValidModulePath reports whether p is a module path the go command can
// download (golang.org/x/mod/module.CheckPath): slash-separated elements
// of ASCII letters, digits and "-._~"; a first element that is a lowercase
// host name containing a dot; no empty, dot-only or dot-led elements, no
// Windows reserved names or short names ("CON", "PROGRA~1"); and a valid
// major version suffix ("/v2", not "/v1" or "/v02"; "gopkg.in/x.v1").
//
// Paths without a dot ("myapp") are fine for a main module or a module
// replaced by a local directory, but they cannot be downloaded, so they
// are not valid here.
func ValidModulePath(p string) bool { return checkModulePath(p) == nil }

type pathKind int

const (
	modulePath pathKind = iota
	importPath
)

// checkModulePath is module.CheckPath.
func checkModulePath(p string) error {
	if err := checkPath(p, modulePath); err != nil {
		return err
	}
	first, _, _ := strings.Cut(p, "/")
	if !strings.Contains(first, ".") {
		return errors.New("missing dot in first path element")
	}
	if first[0] == '-' {
		return errors.New("leading dash in first path element")
	}
	for _, r := range first {
		if !(r == '-' || r == '.' || '0' <= r && r <= '9' || 'a' <= r && r <= 'z') {
			return fmt.Errorf("invalid char %q in first path element", r)
		}
	}
	if _, _, ok := splitPathVersion(p); !ok {
		return errors.New("invalid major version suffix")
	}
	return nil
}

// checkImportPath is module.CheckImportPath: the rules every module path
// in a go.mod must meet, dotted first element or not.
func checkImportPath(p string) error { return checkPath(p, importPath) }

func checkPath(p string, kind pathKind) error {
	if !utf8.ValidString(p) {
		return errors.New("invalid UTF-8")
	}
	if p == "" {
		return errors.New("empty path")
	}
	if p[0] == '-' {
		return errors.New("leading dash")
	}
	if strings.Contains(p, "//") {
		return errors.New("double slash")
	}
	if p[len(p)-1] == '/' {
		return errors.New("trailing slash")
	}
	for elem := range strings.SplitSeq(p, "/") {
		if err := checkElem(elem, kind); err != nil {
			return err
		}
	}
	return nil
}

var badWindowsNames = []string{
	"CON", "PRN", "AUX", "NUL",
	"COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
	"LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
}

func checkElem(elem string, kind pathKind) error {
	if elem == "" {
		return errors.New("empty path element")
	}
	if strings.Count(elem, ".") == len(elem) {
		return fmt.Errorf("invalid path element %q", elem)
	}
	if elem[0] == '.' && kind == modulePath {
		return errors.New("leading dot in path element")
	}
	if elem[len(elem)-1] == '.' {
		return errors.New("trailing dot in path element")
	}
	for _, r := range elem {
		ok := r == '-' || r == '.' || r == '_' || r == '~' ||
			'0' <= r && r <= '9' || 'A' <= r && r <= 'Z' || 'a' <= r && r <= 'z' ||
			r == '+' && kind == importPath
		if !ok {
			return fmt.Errorf("invalid char %q", r)
		}
	}
	short, _, _ := strings.Cut(elem, ".")
	for _, bad := range badWindowsNames {
		if strings.EqualFold(bad, short) {
			return fmt.Errorf("%q is a reserved name on Windows", short)
		}
	}
	if t := strings.LastIndexByte(short, '~'); t >= 0 && t < len(short)-1 && allDigits(short[t+1:]) {
		return errors.New("trailing tilde and digits in path element")
	}
	return nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// splitPathVersion is module.SplitPathVersion: it splits the major version
// suffix ("/v2", or ".v2" for gopkg.in) from p. ok is false when p ends in
// a malformed suffix ("/v1", "/v0", "/v2.1", gopkg.in without ".vN").
func splitPathVersion(p string) (prefix, pathMajor string, ok bool) {
	if strings.HasPrefix(p, "gopkg.in/") {
		return splitGopkgIn(p)
	}
	i := len(p)
	dot := false
	for i > 0 && ('0' <= p[i-1] && p[i-1] <= '9' || p[i-1] == '.') {
		if p[i-1] == '.' {
			dot = true
		}
		i--
	}
	if i <= 1 || i == len(p) || p[i-1] != 'v' || p[i-2] != '/' {
		return p, "", true
	}
	prefix, pathMajor = p[:i-2], p[i-2:]
	if dot || len(pathMajor) <= 2 || pathMajor[2] == '0' || pathMajor == "/v1" {
		return p, "", false
	}
	return prefix, pathMajor, true
}

func splitGopkgIn(p string) (prefix, pathMajor string, ok bool) {
	i := len(p)
	if strings.HasSuffix(p, "-unstable") {
		i -= len("-unstable")
	}
	for i > 0 && '0' <= p[i-1] && p[i-1] <= '9' {
		i--
	}
	if i <= 1 || p[i-1] != 'v' || p[i-2] != '.' {
		return p, "", false
	}
	prefix, pathMajor = p[:i-2], p[i-2:]
	if len(pathMajor) <= 2 || pathMajor[2] == '0' && pathMajor != ".v0" {
		return p, "", false
	}
	return prefix, pathMajor, true
}

// checkPathMajor is module.CheckPathMajor, made as strict as the go
// command is when it fetches: "+incompatible" only on a path without a
// major version suffix (ValidVersion already refuses it below v2).
func checkPathMajor(v, pathMajor string) error {
	incompatible := strings.HasSuffix(v, "+incompatible")
	if incompatible && pathMajor != "" {
		return fmt.Errorf("+incompatible is not allowed on a module path with major version suffix %q", pathMajor)
	}
	if strings.HasPrefix(pathMajor, ".v") {
		pathMajor = strings.TrimSuffix(pathMajor, "-unstable")
	}
	if strings.HasPrefix(v, "v0.0.0-") && pathMajor == ".v1" {
		// Old pseudo-versions of gopkg.in/x.v1 modules (the go command
		// accepts them).
		return nil
	}
	m := versionMajor(v)
	switch {
	case pathMajor == "":
		if m == "v0" || m == "v1" || incompatible {
			return nil
		}
		return fmt.Errorf("major version %s needs a %q suffix on the module path (or +incompatible)", m, "/"+m)
	case m == pathMajor[1:]:
		return nil
	}
	return fmt.Errorf("major version should be %s (the module path ends in %q), not %s", pathMajor[1:], pathMajor, m)
}

// isLocalPath is modfile.IsDirectoryPath: a replacement that names a
// directory (Unix or Windows syntax) rather than a module.
func isLocalPath(ns string) bool {
	return ns == "." || strings.HasPrefix(ns, "./") || strings.HasPrefix(ns, `.\`) ||
		ns == ".." || strings.HasPrefix(ns, "../") || strings.HasPrefix(ns, `..\`) ||
		strings.HasPrefix(ns, "/") || strings.HasPrefix(ns, `\`) ||
		len(ns) >= 2 && ('A' <= ns[0] && ns[0] <= 'Z' || 'a' <= ns[0] && ns[0] <= 'z') && ns[1] == ':'
}
