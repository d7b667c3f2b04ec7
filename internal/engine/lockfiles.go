package engine

import (
	"context"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/airlock-sec/airlock/internal/artifact/safeio"
	"github.com/airlock-sec/airlock/internal/ecosystem/gomod"
	"github.com/airlock-sec/airlock/internal/ecosystem/npm"
	"github.com/airlock-sec/airlock/internal/ecosystem/pypi"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
)

// maxLockfileBytes bounds a lockfile or manifest read from disk; the
// parsers apply their own, tighter, limits per format.
const maxLockfileBytes = 64 << 20

// lockFormat is one lockfile or manifest format.
type lockFormat struct {
	name  string
	parse func(p string, data []byte) ([]model.Dependency, []model.Diagnostic, error)
	// manifest formats name what the project asks for; lockfiles pin
	// what it resolved to.
	manifest bool
}

// lockFormats is the one list of formats, by exact file name; pylock and
// requirements files are matched by pattern in lockFormatFor.
var lockFormats = map[string]*lockFormat{
	"package-lock.json":   {name: "package-lock.json", parse: npm.ParsePackageLock},
	"npm-shrinkwrap.json": {name: "npm-shrinkwrap.json", parse: npm.ParsePackageLock},
	"yarn.lock":           {name: "yarn.lock", parse: npm.ParseYarnLock},
	"pnpm-lock.yaml":      {name: "pnpm-lock.yaml", parse: npm.ParsePnpmLock},
	"package.json":        {name: "package.json", parse: npm.ParsePackageJSONDependencies, manifest: true},
	"poetry.lock":         {name: "poetry.lock", parse: pypi.ParsePoetryLock},
	"uv.lock":             {name: "uv.lock", parse: pypi.ParseUvLock},
	"Pipfile.lock":        {name: "Pipfile.lock", parse: pypi.ParsePipfileLock},
	"pdm.lock":            {name: "pdm.lock", parse: pypi.ParsePdmLock},
	"pyproject.toml":      {name: "pyproject.toml", parse: pypi.ParsePyprojectDependencies, manifest: true},
	"go.mod":              {name: "go.mod", parse: gomod.ParseGoMod},
	"go.sum":              {name: "go.sum", parse: gomod.ParseGoSum},
}

var (
	pylockFormat       = &lockFormat{name: "pylock.toml", parse: pypi.ParsePylock}
	requirementsFormat = &lockFormat{name: "requirements", parse: parseRequirementsFile}
)

// lockFormatFor is the format of a file name; nil when airlock does not
// read it as a lockfile or manifest.
func lockFormatFor(p string) *lockFormat {
	base := path.Base(filepath.ToSlash(p))
	if f := lockFormats[base]; f != nil {
		return f
	}
	lower := strings.ToLower(base)
	if lower == "pylock.toml" || strings.HasPrefix(lower, "pylock.") && strings.HasSuffix(lower, ".toml") {
		return pylockFormat
	}
	if isRequirementsName(lower, path.Base(path.Dir(filepath.ToSlash(p)))) {
		return requirementsFormat
	}
	return nil
}

// isRequirementsName: requirements.txt, requirements-dev.txt,
// dev-requirements.txt, requirements/*.txt, and pip-tools' .in inputs.
func isRequirementsName(lower, parent string) bool {
	ext := path.Ext(lower)
	if ext != ".txt" && ext != ".in" {
		return false
	}
	stem := strings.TrimSuffix(lower, ext)
	return strings.HasPrefix(stem, "requirements") || strings.HasSuffix(stem, "requirements") ||
		strings.HasPrefix(stem, "constraints") || strings.EqualFold(parent, "requirements")
}

// parseRequirementsFile follows -r and -c includes relative to the file.
func parseRequirementsFile(p string, data []byte) ([]model.Dependency, []model.Diagnostic, error) {
	dir := filepath.Dir(p)
	return pypi.ParseRequirements(p, data, func(rel string) ([]byte, error) {
		if strings.Contains(rel, "://") {
			return nil, errors.New("remote includes are not fetched")
		}
		return readLockfile(filepath.Join(dir, filepath.FromSlash(rel)))
	})
}

// readLockfile reads a regular file, bounded.
func readLockfile(p string) ([]byte, error) { return safeio.ReadFile(p, maxLockfileBytes) }

// IsLockfile reports whether airlock reads p as a lockfile or manifest.
func IsLockfile(p string) bool { return lockFormatFor(p) != nil }

// lockSet is what the lockfiles and manifests of a scan declare.
type lockSet struct {
	deps  []model.Dependency
	files []string
	seen  map[string]bool
}

// add parses one lockfile or manifest.
func (ls *lockSet) add(p string, explicit bool) []model.Diagnostic {
	f := lockFormatFor(p)
	if f == nil {
		return nil
	}
	abs, _ := filepath.Abs(p)
	if ls.seen == nil {
		ls.seen = map[string]bool{}
	}
	if ls.seen[abs] {
		return nil
	}
	ls.seen[abs] = true
	disp := displayPath(p)
	data, err := readLockfile(p)
	if err != nil {
		return []model.Diagnostic{{Target: disp, Message: fmt.Sprintf("%s not read: %v", f.name, err)}}
	}
	if f.name == "package.json" && !explicit && !hasDependencies(data) {
		return nil
	}
	deps, diags, err := f.parse(disp, data)
	for i := range diags {
		if diags[i].Target == "" {
			diags[i].Target = disp
		}
	}
	if err != nil {
		return append(diags, model.Diagnostic{Target: disp, Message: fmt.Sprintf("%s not read: %v", f.name, err)})
	}
	ls.files = append(ls.files, disp)
	ls.deps = append(ls.deps, deps...)
	return diags
}

func hasDependencies(data []byte) bool {
	s := string(data)
	return strings.Contains(s, `"dependencies"`) || strings.Contains(s, `"devDependencies"`) || strings.Contains(s, `"optionalDependencies"`)
}

// depKey identifies one package version across lockfiles, manifests and
// installed environments.
type depKey struct {
	eco           model.Ecosystem
	name, version string
}

func keyOf(eco model.Ecosystem, name, version string) depKey {
	n := name
	switch eco {
	case model.PyPI:
		n = pypi.NormalizeName(name)
		if v, err := pypi.ParseVersion(version); err == nil {
			version = v.String()
		}
	case model.NPM:
		n = strings.ToLower(name)
	case model.Go:
		version = strings.TrimPrefix(version, "v")
	}
	return depKey{eco, n, version}
}

// declared groups the lockfile entries by package version. Unpinned
// entries whose package some lockfile pins are dropped: the lock says
// what is installed.
func (ls *lockSet) declared() (map[depKey][]model.Dependency, []depKey) {
	pinnedNames := map[depKey]bool{}
	for _, d := range ls.deps {
		if !d.Unpinned && d.Version != "" {
			pinnedNames[keyOf(d.Ecosystem, d.Name, "")] = true
		}
	}
	by := map[depKey][]model.Dependency{}
	var order []depKey
	for _, d := range ls.deps {
		var k depKey
		if d.Unpinned || d.Version == "" {
			if pinnedNames[keyOf(d.Ecosystem, d.Name, "")] {
				continue
			}
			k = keyOf(d.Ecosystem, d.Name, "")
		} else {
			k = keyOf(d.Ecosystem, d.Name, d.Version)
		}
		if _, ok := by[k]; !ok {
			order = append(order, k)
		}
		by[k] = append(by[k], d)
	}
	return by, order
}

// KnownSource looks up the advisories naming package versions (the
// advisory database). Match returns one list per package, in order.
type KnownSource interface {
	Match(ctx context.Context, pkgs []model.Package) ([][]rules.Known, []model.Diagnostic, error)
}

// lockResults judges the declared packages no analyzed package covered.
func (e *Engine) lockResults(ctx context.Context, by map[depKey][]model.Dependency, order []depKey, covered map[depKey]bool) ([]model.Result, []model.Diagnostic, error) {
	var pkgs []model.Package
	var decl [][]model.Dependency
	var diags []model.Diagnostic
	for _, k := range order {
		if covered[k] {
			continue
		}
		ds := by[k]
		d := ds[0]
		p := model.Package{Ecosystem: d.Ecosystem, Name: d.Name, Version: d.Version, Path: d.Path, Kind: "lockfile"}
		if k.version == "" {
			p.Kind = "manifest"
			loc := d.Path
			if d.Line > 0 {
				loc = fmt.Sprintf("%s:%d", d.Path, d.Line)
			}
			diags = append(diags, model.Diagnostic{Target: d.Path, Message: fmt.Sprintf("%s:%s is not pinned at %s (version unknown; not checked against advisories)", d.Ecosystem, d.Name, loc)})
		}
		pkgs = append(pkgs, p)
		decl = append(decl, ds)
	}
	known := make([][]rules.Known, len(pkgs))
	if e.opt.Known != nil && len(pkgs) > 0 {
		var ds []model.Diagnostic
		var err error
		known, ds, err = e.opt.Known.Match(ctx, pkgs)
		if err != nil {
			return nil, nil, err
		}
		diags = append(diags, ds...)
	}
	out := make([]model.Result, 0, len(pkgs))
	for i, p := range pkgs {
		in := &rules.Input{Package: p, Declared: decl[i], Known: known[i]}
		res, ds := e.Judge(in)
		out = append(out, res)
		diags = append(diags, ds...)
	}
	return out, diags, nil
}

// sortDeclared orders a package's declarations: lockfiles before
// manifests, then by path and line.
func sortDeclared(ds []model.Dependency) {
	sort.SliceStable(ds, func(i, j int) bool {
		mi, mj := lockFormatFor(ds[i].Path), lockFormatFor(ds[j].Path)
		if (mi != nil && mi.manifest) != (mj != nil && mj.manifest) {
			return mj != nil && mj.manifest
		}
		if ds[i].Path != ds[j].Path {
			return ds[i].Path < ds[j].Path
		}
		return ds[i].Line < ds[j].Line
	})
}
