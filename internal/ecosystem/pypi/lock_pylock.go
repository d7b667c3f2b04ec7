package pypi

import (
	"fmt"
	"strings"

	"github.com/airlock-sec/airlock/internal/model"
)

// ParsePylock reads a PEP 751 pylock.toml (or pylock.<name>.toml): one
// Dependency per [[packages]] table, at the line of its name key.
//
// Version is the package's version, which the format leaves out for VCS,
// directory and archive packages (they are then Unpinned). Hashes come
// from sdist, wheels and archive ("<algorithm>:<hex>", algorithms in
// order). Source is "<type>+<url>@<commit-id>" for vcs (the path when there
// is no URL), the path for directory, the URL (else path) for archive, and
// the index URL when it is not PyPI. Markers, extras and dependency groups
// are not evaluated, so Direct and Dev are not set. A lock-version whose
// major version is not 1 is a diagnostic (PEP 751 says to refuse such a
// file; the scanner reads what it can).
func ParsePylock(p string, data []byte) ([]model.Dependency, []model.Diagnostic, error) {
	doc, lines, err := decodeLockTOML("pylock.toml", data, keepArrayTables("packages"))
	if err != nil {
		return nil, nil, err
	}
	var diags lockDiags
	if v, ok := tomlString(doc, "lock-version"); !ok {
		diags.add(p, 0, "no lock-version: not a pylock.toml, or a damaged one")
	} else if major, _, _ := strings.Cut(v, "."); major != "1" {
		diags.add(p, 0, "lock-version %s is not 1.x; read as 1.0", lockQuote(v))
	}
	pkgs, err := lockPackages(doc, "packages")
	if err != nil {
		return nil, nil, fmt.Errorf("pylock.toml: %w", err)
	}
	deps := make([]model.Dependency, 0, len(pkgs))
	for i, pkg := range pkgs {
		line := lockEntryLine(lines, "packages", i)
		name, ok := tomlString(pkg, "name")
		if !ok || name == "" {
			diags.add(p, line, "[[packages]] without a name; skipped")
			continue
		}
		dep := model.Dependency{Ecosystem: model.PyPI, Name: name, Path: p, Line: line}
		dep.Version = lockVersion(&diags, p, line, name, pkg)
		dep.Unpinned = dep.Version == ""
		if sd, ok := pkg["sdist"]; ok {
			dep.Hashes = pylockHashes(&diags, p, line, name, lockOneFile(sd))
		}
		dep.Hashes = append(dep.Hashes, pylockHashes(&diags, p, line, name, pkg["wheels"])...)
		if ar, ok := pkg["archive"]; ok {
			dep.Hashes = append(dep.Hashes, pylockHashes(&diags, p, line, name, lockOneFile(ar))...)
		}
		dep.Source = pylockSource(pkg)
		deps = append(deps, dep)
	}
	return deps, diags.result(p), nil
}

// pylockHashes reads the hashes tables ({sha256 = "…"}) of a list of file
// tables.
func pylockHashes(diags *lockDiags, p string, line int, name string, files any) []string {
	if files == nil {
		return nil
	}
	list, ok := tomlTables(files)
	if !ok {
		diags.add(p, line, "the files of %s are %s, not tables; no hashes recorded", lockQuote(name), tomlTypeName(files))
		return nil
	}
	var out []string
	for _, f := range list {
		hv, ok := f["hashes"]
		if !ok {
			continue
		}
		h, ok := hv.(map[string]any)
		if !ok {
			diags.add(p, line, "the hashes of a file of %s are %s, not a table; ignored", lockQuote(name), tomlTypeName(hv))
			continue
		}
		for _, algo := range sortedKeys(h) {
			if v, ok := h[algo].(string); ok && v != "" {
				out = append(out, algo+":"+v)
			} else {
				diags.add(p, line, "the %s hash of a file of %s is %s, not a string; ignored", lockQuote(algo), lockQuote(name), tomlTypeName(h[algo]))
			}
		}
	}
	return out
}

// pylockSource renders where a pylock package comes from.
func pylockSource(pkg map[string]any) string {
	if vcs, ok := tomlTable(pkg, "vcs"); ok {
		typ, _ := tomlString(vcs, "type")
		url, _ := tomlString(vcs, "url")
		if url == "" {
			url, _ = tomlString(vcs, "path")
		}
		rev, _ := tomlString(vcs, "commit-id")
		if rev == "" {
			rev, _ = tomlString(vcs, "requested-revision")
		}
		s := vcsSource(strings.ToLower(typ), url, rev)
		if sub, _ := tomlString(vcs, "subdirectory"); sub != "" {
			s += "#subdirectory=" + sub
		}
		return s
	}
	if dir, ok := tomlTable(pkg, "directory"); ok {
		s, _ := tomlString(dir, "path")
		return s
	}
	if ar, ok := tomlTable(pkg, "archive"); ok {
		if s, _ := tomlString(ar, "url"); s != "" {
			return s
		}
		s, _ := tomlString(ar, "path")
		return s
	}
	if idx, _ := tomlString(pkg, "index"); !isDefaultIndex(idx) {
		return idx
	}
	return ""
}
