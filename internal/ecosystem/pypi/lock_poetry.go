package pypi

import (
	"fmt"
	"slices"

	"github.com/airlock-sec/airlock/internal/model"
)

// ParsePoetryLock reads a poetry.lock (lock-version 1.x and 2.x): one
// Dependency per [[package]] table, at the line of its name key.
//
// Version is the package's version; hashes come from its files list (or,
// in 1.x files, from [metadata.files]). Source is set from
// [package.source]: "git+<url>@<resolved_reference>" for git, the path for
// directory and file sources, the URL for url sources and the index URL
// for a legacy (non-PyPI) repository. Dev is set for `category = "dev"`
// (1.x) or when `groups` does not include "main" (2.1). Direct is not
// set: the lockfile does not say which packages pyproject.toml names.
func ParsePoetryLock(p string, data []byte) ([]model.Dependency, []model.Diagnostic, error) {
	return parsePackageTables(packageTableFormat{
		name:      "poetry.lock",
		legacyKey: func(name, _ string) string { return name },
		finish: func(dep *model.Dependency, pkg map[string]any) {
			if src, ok := tomlTable(pkg, "source"); ok {
				dep.Source = poetrySource(src)
			}
			if c, _ := tomlString(pkg, "category"); c == "dev" {
				dep.Dev = true
			}
			if groups, ok := stringList(pkg["groups"]); ok && len(groups) > 0 {
				dep.Dev = !slices.Contains(groups, "main")
			}
		},
	}, p, data)
}

// poetrySource renders a [package.source] table.
func poetrySource(src map[string]any) string {
	typ, _ := tomlString(src, "type")
	url, _ := tomlString(src, "url")
	switch typ {
	case "git":
		rev, _ := tomlString(src, "resolved_reference")
		if rev == "" {
			rev, _ = tomlString(src, "reference")
		}
		s := vcsSource("git", url, rev)
		if sub, _ := tomlString(src, "subdirectory"); sub != "" {
			s += "#subdirectory=" + sub
		}
		return s
	case "legacy", "":
		if isDefaultIndex(url) {
			return ""
		}
	}
	return url
}

// lockPackages returns the array of tables at doc[key]; absent is empty.
func lockPackages(doc map[string]any, key string) ([]map[string]any, error) {
	v, ok := doc[key]
	if !ok {
		return nil, nil
	}
	pkgs, ok := tomlTables(v)
	if !ok {
		return nil, fmt.Errorf("%q is %s, not an array of tables", key, tomlTypeName(v))
	}
	return pkgs, nil
}

// lockVersion reads an entry's version string; a missing one is "" and a
// non-string one a diagnostic.
func lockVersion(diags *lockDiags, p string, line int, name string, entry map[string]any) string {
	v, ok := entry["version"]
	if !ok {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		diags.add(p, line, "the version of %s is %s, not a string; recorded as unpinned", lockQuote(name), tomlTypeName(v))
	}
	return s
}

// lockFileHashes reads hashes from a list of file tables
// ({file = "…", hash = "sha256:…"}), each under key.
func lockFileHashes(diags *lockDiags, p string, line int, name string, files any, key string) []string {
	if files == nil {
		return nil
	}
	list, ok := tomlTables(files)
	if !ok {
		diags.add(p, line, "the files of %s are %s, not a list of tables; no hashes recorded", lockQuote(name), tomlTypeName(files))
		return nil
	}
	var out []string
	for _, f := range list {
		h, ok := f[key]
		if !ok {
			continue
		}
		if s, ok := h.(string); ok && s != "" {
			out = append(out, s)
		} else {
			diags.add(p, line, "a file hash of %s is %s, not a string; ignored", lockQuote(name), tomlTypeName(h))
		}
	}
	return out
}

// lockOneFile wraps a single file table (an sdist, an archive) as a list,
// leaving any other value as it is for the type check to report.
func lockOneFile(v any) any {
	if m, ok := v.(map[string]any); ok {
		return []any{m}
	}
	return v
}
