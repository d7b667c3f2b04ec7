package pypi

import (
	"fmt"
	"slices"

	"github.com/airlock-sec/airlock/internal/model"
)

// ParsePdmLock reads a pdm.lock: one Dependency per [[package]] table, at
// the line of its name key.
//
// Hashes come from the package's files list (or, in old lock versions,
// from [metadata.files] keyed "name version"). Source is
// "<vcs>+<url>@<revision>" for git, hg, svn and bzr packages (the ref when
// there is no revision), the path for path packages and the URL for url
// packages. Dev is set when the package's groups do not include
// "default" (lock files without per-package groups set no Dev). Direct is
// not set: the lockfile does not say.
func ParsePdmLock(p string, data []byte) ([]model.Dependency, []model.Diagnostic, error) {
	return parsePackageTables(packageTableFormat{
		name:      "pdm.lock",
		legacyKey: func(name, version string) string { return name + " " + version },
		finish: func(dep *model.Dependency, pkg map[string]any) {
			dep.Source = pdmSource(pkg)
			if groups, ok := stringList(pkg["groups"]); ok && len(groups) > 0 {
				dep.Dev = !slices.Contains(groups, "default")
			}
		},
	}, p, data)
}

// pdmSource renders where a pdm.lock package comes from.
func pdmSource(pkg map[string]any) string {
	for _, vcs := range []string{"git", "hg", "svn", "bzr"} {
		if url, ok := tomlString(pkg, vcs); ok {
			rev, _ := tomlString(pkg, "revision")
			if rev == "" {
				rev, _ = tomlString(pkg, "ref")
			}
			s := vcsSource(vcs, url, rev)
			if sub, _ := tomlString(pkg, "subdirectory"); sub != "" {
				s += "#subdirectory=" + sub
			}
			return s
		}
	}
	for _, k := range []string{"path", "url"} {
		if s, ok := tomlString(pkg, k); ok {
			return s
		}
	}
	return ""
}

// packageTableFormat describes a TOML lockfile whose packages are
// [[package]] tables with name, version and a files list of hashes
// (pdm.lock, poetry.lock).
type packageTableFormat struct {
	name string // file name for messages: "pdm.lock"
	// legacyKey is the [metadata.files] key of a package in old lock
	// versions that keep hashes there.
	legacyKey func(name, version string) string
	// finish sets what the format records beyond name, version and hashes.
	finish func(dep *model.Dependency, pkg map[string]any)
}

// parsePackageTables reads the [[package]] tables of such a lockfile.
func parsePackageTables(f packageTableFormat, p string, data []byte) ([]model.Dependency, []model.Diagnostic, error) {
	doc, lines, err := decodeLockTOML(f.name, data, keepArrayTables("package"))
	if err != nil {
		return nil, nil, err
	}
	var diags lockDiags
	pkgs, err := lockPackages(doc, "package")
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", f.name, err)
	}
	meta, _ := tomlTable(doc, "metadata")
	if meta == nil {
		diags.add(p, 0, "no [metadata] table: not a %s, or a damaged one", f.name)
	}
	legacyFiles, _ := tomlTable(meta, "files")
	deps := make([]model.Dependency, 0, len(pkgs))
	for i, pkg := range pkgs {
		dep, ok := startPackage(&diags, p, lines, i, pkg)
		if !ok {
			continue
		}
		files, hasFiles := pkg["files"]
		if !hasFiles && legacyFiles != nil {
			files = legacyFiles[f.legacyKey(dep.Name, dep.Version)]
		}
		dep.Hashes = lockFileHashes(&diags, p, dep.Line, dep.Name, files, "hash")
		f.finish(&dep, pkg)
		deps = append(deps, dep)
	}
	return deps, diags.result(p), nil
}

// startPackage begins the Dependency of the i-th [[package]] table: name,
// version and line. A table without a name is a diagnostic (ok false).
func startPackage(diags *lockDiags, p string, lines lockTOMLLines, i int, pkg map[string]any) (model.Dependency, bool) {
	line := lockEntryLine(lines, "package", i)
	name, ok := tomlString(pkg, "name")
	if !ok || name == "" {
		diags.add(p, line, "[[package]] without a name; skipped")
		return model.Dependency{}, false
	}
	dep := model.Dependency{Ecosystem: model.PyPI, Name: name, Path: p, Line: line}
	dep.Version = lockVersion(diags, p, line, name, pkg)
	dep.Unpinned = dep.Version == ""
	return dep, true
}
