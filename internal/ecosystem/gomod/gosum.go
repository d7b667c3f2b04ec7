package gomod

import (
	"encoding/base64"
	"fmt"
	"strings"
	"unicode"

	"github.com/airlock-sec/airlock/internal/model"
)

// SumEntry is one go.sum line: "module version[/go.mod] h1:hash".
type SumEntry struct {
	Path    string
	Version string
	// GoMod is set for "version/go.mod" lines, which hash only the
	// module's go.mod file: the go command read it while selecting
	// versions but did not need the module's code.
	GoMod bool
	// Hash is "h1:" and the standard base64 of a SHA-256 (dirhash.Hash1).
	Hash string
	Line int
}

// ReadGoSum reads every line of a go.sum. A line the go command would
// refuse or could never match (wrong field count, bad module path or
// version, hash not "h1:" with a SHA-256) becomes a diagnostic and is left
// out. Blank lines are skipped; exact duplicate lines are kept once. The
// error is non-nil only for a file over MaxFileSize.
func ReadGoSum(path string, data []byte) ([]SumEntry, []model.Diagnostic, error) {
	if len(data) > MaxFileSize {
		return nil, nil, fmt.Errorf("go.sum %s: %w; not parsed", quote(path), ErrTooLarge)
	}
	d := diagnostics{target: path}
	var out []SumEntry
	seen := map[SumEntry]bool{}     // Line left zero
	firstLine := map[SumEntry]int{} // Hash and Line left zero
	eachLine(data, func(n int, s string) bool {
		var f [3]string
		k, rest := 0, s
		for k < 3 {
			if f[k], rest = nextField(rest); f[k] == "" {
				break
			}
			k++
		}
		if k == 0 {
			return true
		}
		if k < 3 {
			d.add(n, "want 3 fields (module version hash), got %d", k)
			return true
		}
		if strings.TrimLeftFunc(rest, unicode.IsSpace) != "" {
			d.add(n, "want 3 fields (module version hash), got more")
			return true
		}
		e := SumEntry{Path: f[0], Version: f[1], Hash: f[2]}
		if v, ok := strings.CutSuffix(e.Version, "/go.mod"); ok {
			e.Version, e.GoMod = v, true
		}
		if err := checkModulePath(e.Path); err != nil {
			d.add(n, "invalid module path %s: %v", quote(e.Path), err)
			return true
		}
		err := checkVersion(e.Version)
		if err == nil {
			_, major, _ := splitPathVersion(e.Path)
			err = checkPathMajor(e.Version, major)
		}
		if err != nil {
			d.add(n, "%s: invalid version %s: %v", quote(e.Path), quote(e.Version), err)
			return true
		}
		if !validH1(e.Hash) {
			d.add(n, "%s: hash %s is not h1: and the base64 of a SHA-256", quote(e.Path+"@"+f[1]), quote(e.Hash))
			return true
		}
		if seen[e] {
			return true
		}
		key := SumEntry{Path: e.Path, Version: e.Version, GoMod: e.GoMod}
		if first, ok := firstLine[key]; ok {
			d.add(n, "%s has a second, different hash (the first is on line %d); one of them is wrong", quote(e.Path+"@"+f[1]), first)
		} else {
			firstLine[key] = n
		}
		if len(out) >= maxEntries {
			d.add(n, "more than %d entries; the rest of the file was not read", maxEntries)
			return false
		}
		seen[e] = true
		e.Line = n
		out = append(out, e)
		return true
	})
	return out, d.result(), nil
}

// ParseGoSum returns one Dependency per module@version whose code (module
// zip) go.sum hashes, at the line of its first hash, with Hashes listing
// its distinct "h1:" hashes. Modules with only "/go.mod" lines are left
// out: their code is not part of the build (ReadGoSum has them). A module
// version may have more than one hash (ReadGoSum reports it: the go
// command accepts the code if either matches, so one is stale or planted).
func ParseGoSum(path string, data []byte) ([]model.Dependency, []model.Diagnostic, error) {
	entries, diags, err := ReadGoSum(path, data)
	if err != nil {
		return nil, diags, err
	}
	var deps []model.Dependency
	index := map[[2]string]int{}
	for _, e := range entries {
		if e.GoMod {
			continue
		}
		key := [2]string{e.Path, e.Version}
		if i, ok := index[key]; ok {
			deps[i].Hashes = append(deps[i].Hashes, e.Hash)
			continue
		}
		index[key] = len(deps)
		deps = append(deps, model.Dependency{
			Ecosystem: model.Go,
			Name:      e.Path,
			Version:   e.Version,
			Path:      path,
			Line:      e.Line,
			Hashes:    []string{e.Hash},
		})
	}
	return deps, diags, nil
}

// validH1 reports whether h is "h1:" and the padded standard base64 of 32
// bytes, as dirhash.Hash1 writes it.
func validH1(h string) bool {
	b64, ok := strings.CutPrefix(h, "h1:")
	if !ok || len(b64) != 44 {
		return false
	}
	sum, err := base64.StdEncoding.Strict().DecodeString(b64)
	return err == nil && len(sum) == 32
}

// nextField returns the next space-separated field of s (as
// strings.Fields splits) and what follows it.
func nextField(s string) (field, rest string) {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	end := strings.IndexFunc(s, unicode.IsSpace)
	if end < 0 {
		return s, ""
	}
	return s[:end], s[end:]
}
