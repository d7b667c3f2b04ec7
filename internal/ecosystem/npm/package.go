// Package npm reads npm package metadata without running anything:
// package.json, the lifecycle scripts npm runs on install, package name
// validity, and installed node_modules trees.
//
// Parsers take a []byte whose size the caller has bounded, never panic, and
// return an error describing the problem for bad input.
package npm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strings"
)

// PackageJSON is the subset of package.json airlock uses, normalized.
type PackageJSON struct {
	Name, Version string
	Main, Module  string
	// Scripts holds the scripts whose values are strings; other values
	// are skipped (npm ignores them too).
	Scripts map[string]string
	// Bin maps command names to paths. The string form "bin": "cli.js"
	// becomes {<package name without scope>: "cli.js"}. Command names are
	// reduced to their base name as npm does when linking them into
	// node_modules/.bin; names that reduce to "", "." or ".." are dropped.
	// Paths are kept as written.
	Bin                                map[string]string
	Dependencies, OptionalDependencies map[string]string
	// Gypfile is true when package.json says "gypfile": true.
	Gypfile bool
	// GypfileDisabled is true when package.json says "gypfile": false,
	// which stops npm from running "node-gyp rebuild" for a binding.gyp.
	GypfileDisabled bool
	// Files is the "files" allow-list (string entries only).
	Files []string
	// Browser is the "browser" field when it is a string.
	Browser string
}

// ParsePackageJSON parses package.json. The document must be a JSON object;
// fields of an unexpected type are ignored rather than failing the parse
// (npm is as tolerant), so a hostile file cannot hide its scripts behind
// one odd field.
func ParsePackageJSON(data []byte) (PackageJSON, error) {
	var pj PackageJSON
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		var ute *json.UnmarshalTypeError
		if errors.As(err, &ute) {
			return pj, fmt.Errorf("package.json is not a JSON object (found %s)", ute.Value)
		}
		return pj, fmt.Errorf("package.json: %w", err)
	}
	if top == nil {
		return pj, errors.New("package.json is null, not a JSON object")
	}
	pj.Name = str(top["name"])
	pj.Version = str(top["version"])
	pj.Main = str(top["main"])
	pj.Module = str(top["module"])
	pj.Browser = str(top["browser"])
	pj.Scripts = strMap(top["scripts"])
	pj.Dependencies = strMap(top["dependencies"])
	pj.OptionalDependencies = strMap(top["optionalDependencies"])
	if raw, ok := top["gypfile"]; ok {
		var b bool
		if json.Unmarshal(raw, &b) == nil {
			pj.Gypfile = b
			pj.GypfileDisabled = !b
		}
	}
	var files []json.RawMessage
	if raw, ok := top["files"]; ok && json.Unmarshal(raw, &files) == nil {
		for _, f := range files {
			var s string
			if json.Unmarshal(f, &s) == nil {
				pj.Files = append(pj.Files, s)
			}
		}
	}
	pj.Bin = normalizeBin(pj.Name, top["bin"])
	return pj, nil
}

// str returns raw as a string, or "" when it is missing or not a string.
func str(raw json.RawMessage) string {
	var s string
	if raw == nil || json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// strMap returns the string-valued members of a JSON object, or nil.
func strMap(raw json.RawMessage) map[string]string {
	var obj map[string]json.RawMessage
	if raw == nil || json.Unmarshal(raw, &obj) != nil || len(obj) == 0 {
		return nil
	}
	out := make(map[string]string, len(obj))
	for k, v := range obj {
		var s string
		if json.Unmarshal(v, &s) == nil {
			out[k] = s
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func normalizeBin(name string, raw json.RawMessage) map[string]string {
	if raw == nil {
		return nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if s == "" {
			return nil
		}
		cmd := name
		if i := strings.LastIndexByte(cmd, '/'); i >= 0 {
			cmd = cmd[i+1:]
		}
		cmd = binName(cmd)
		if cmd == "" {
			return nil
		}
		return map[string]string{cmd: s}
	}
	m := strMap(raw)
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		if n := binName(k); n != "" && v != "" {
			out[n] = v
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// binName reduces a bin key to the command name npm links, or "".
func binName(k string) string {
	n := path.Base(strings.ReplaceAll(k, "\\", "/"))
	switch n {
	case "", ".", "..", "/":
		return ""
	}
	return n
}

// InstallScripts are the lifecycle scripts npm may run when a package is
// installed, in the order npm considers them:
//
//   - preinstall: runs before the package is installed (every install,
//     including as a dependency from the registry).
//   - install: runs after the package is installed; npm supplies
//     "node-gyp rebuild" when there is a binding.gyp and neither install
//     nor preinstall is set (see ImplicitInstallScript).
//   - postinstall: runs after install (every install).
//   - prepare: runs on a bare "npm install" in the package's own
//     directory, and when the package is installed from git or a local
//     directory (not from a registry tarball); also before pack/publish.
//   - preprepare, postprepare: run around prepare in the same cases.
//   - prepublish: deprecated, but still run by a bare "npm install" in the
//     package's own directory.
var InstallScripts = []string{"preinstall", "install", "postinstall", "prepare", "preprepare", "postprepare", "prepublish"}

// DefaultGypInstallScript is the install command npm supplies for packages
// with a binding.gyp.
const DefaultGypInstallScript = "node-gyp rebuild"

// ImplicitInstallScript returns the install command npm runs on its own:
// "node-gyp rebuild" when the package has a binding.gyp at its root and no
// install or preinstall script; "" otherwise. Callers should pass
// hasBindingGyp=false when PackageJSON.GypfileDisabled is set.
func ImplicitInstallScript(hasBindingGyp bool, scripts map[string]string) string {
	if !hasBindingGyp {
		return ""
	}
	if scripts["install"] != "" || scripts["preinstall"] != "" {
		return ""
	}
	return DefaultGypInstallScript
}

// ValidName reports whether name is a valid npm package name as npm's
// validate-npm-package-name judges names of existing packages: 1 to 214
// characters, optionally "@scope/name", each part URL-safe (letters,
// digits and - _ . ! ~ * ' ( )), not starting with "." or "_" (the name
// part of a scoped name may not start with "."), not "node_modules" or
// "favicon.ico". As a path-safety extra, the scopes "@." and "@.." are
// refused. Upper-case letters are accepted because
// older packages use them (e.g. "JSONStream"); new packages may not.
func ValidName(name string) bool {
	if name == "" || len(name) > 214 {
		return false
	}
	if name[0] == '.' || name[0] == '_' {
		return false
	}
	switch strings.ToLower(name) {
	case "node_modules", "favicon.ico":
		return false
	}
	pkg := name
	if name[0] == '@' {
		scope, rest, ok := strings.Cut(name[1:], "/")
		if !ok || !urlSafe(scope) || scope == "." || scope == ".." {
			return false
		}
		pkg = rest
		if pkg != "" && pkg[0] == '.' {
			return false
		}
	}
	return urlSafe(pkg)
}

// urlSafe reports whether s is non-empty and unchanged by JavaScript's
// encodeURIComponent.
func urlSafe(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("-_.!~*'()", c) >= 0:
		default:
			return false
		}
	}
	return true
}
