package pypi

import (
	"sort"
	"strings"

	"github.com/airlock-sec/airlock/internal/model"
)

// ParsePyprojectDependencies reads the dependencies a pyproject.toml
// declares. It is a manifest, not a lockfile: entries are mostly Unpinned,
// with what they ask for in Constraint; an exact pin ("==V", "===V", or a
// bare "V" in Poetry's syntax) counts as Version. Every entry is Direct.
//
// Read, in order of their lines:
//   - PEP 621 [project] dependencies and [project.optional-dependencies];
//   - PEP 735 [dependency-groups] (Dev; {include-group = …} entries only
//     refer to other groups and are skipped);
//   - [build-system] requires (the build backend runs at install time);
//   - Poetry's [tool.poetry.dependencies] (the "python" entry excepted),
//     [tool.poetry.dev-dependencies] (Dev) and
//     [tool.poetry.group.<name>.dependencies] (Dev unless the group is
//     "main"). Poetry entries may be a constraint string, a table (version,
//     markers, git with rev/tag/branch, path, url, source naming a
//     [[tool.poetry.source]]) or a list of such tables, which yields one
//     Dependency each.
//
// PEP 508 strings are read as in requirements files: Constraint holds the
// specifier and, after "; ", the marker; Source the URL of "name @ url".
// Extras are not recorded. Dynamic dependencies (declared in
// project.dynamic) cannot be read without running the build backend and
// are not reported.
func ParsePyprojectDependencies(p string, data []byte) ([]model.Dependency, []model.Diagnostic, error) {
	doc, lines, err := decodeLockTOML("pyproject.toml", data, keepPyproject)
	if err != nil {
		return nil, nil, err
	}
	pp := &pyprojectParser{path: p, lines: lines}
	if proj, ok := tomlTable(doc, "project"); ok {
		pp.pep508List(proj["dependencies"], false, "project", "dependencies")
		if opt, ok := pp.table(proj, "optional-dependencies", "project"); ok {
			for _, extra := range sortedKeys(opt) {
				pp.pep508List(opt[extra], false, "project", "optional-dependencies", extra)
			}
		}
	} else if v, ok := doc["project"]; ok {
		pp.diags.add(p, 0, "[project] is %s, not a table; ignored", tomlTypeName(v))
	}
	if groups, ok := pp.table(doc, "dependency-groups"); ok {
		for _, g := range sortedKeys(groups) {
			pp.pep508List(groups[g], true, "dependency-groups", g)
		}
	}
	if bs, ok := pp.table(doc, "build-system"); ok {
		pp.pep508List(bs["requires"], false, "build-system", "requires")
	}
	if tool, _ := tomlTable(doc, "tool"); tool != nil {
		if poetry, ok := pp.table(tool, "poetry", "tool"); ok {
			pp.poetry(poetry)
		}
	}
	sort.SliceStable(pp.deps, func(i, j int) bool { return pp.deps[i].Line < pp.deps[j].Line })
	return pp.deps, pp.diags.result(p), nil
}

// keepPyproject selects the paths whose lines ParsePyprojectDependencies
// reports.
func keepPyproject(p []string) bool {
	switch p[0] {
	case "project":
		return len(p) == 1 || len(p) <= 4 && (p[1] == "dependencies" || p[1] == "optional-dependencies")
	case "dependency-groups", "build-system":
		return len(p) <= 3
	case "tool":
		return len(p) == 1 || len(p) <= 6 && p[1] == "poetry"
	}
	return false
}

type pyprojectParser struct {
	path    string
	lines   lockTOMLLines
	deps    []model.Dependency
	diags   lockDiags
	sources map[string]string // [[tool.poetry.source]] name → url
}

// table returns m[key] when it is a table; another type is a diagnostic.
// at is the path of m.
func (pp *pyprojectParser) table(m map[string]any, key string, at ...string) (map[string]any, bool) {
	v, ok := m[key]
	if !ok {
		return nil, false
	}
	t, ok := v.(map[string]any)
	if !ok {
		path := append(append([]string{}, at...), key)
		pp.diags.add(pp.path, pp.lines.at(path...), "%s is %s, not a table; ignored", lockQuote(strings.Join(path, ".")), tomlTypeName(v))
	}
	return t, ok
}

// pep508List reads an array of PEP 508 strings at path.
func (pp *pyprojectParser) pep508List(v any, dev bool, path ...string) {
	if v == nil {
		return
	}
	list, ok := v.([]any)
	if !ok {
		pp.diags.add(pp.path, pp.lines.at(path...), "%s is %s, not an array of requirement strings; ignored", lockQuote(strings.Join(path, ".")), tomlTypeName(v))
		return
	}
	for i, e := range list {
		line := pp.lines.at(append(path, tomlIdx(i))...)
		if line == 0 {
			line = pp.lines.at(path...)
		}
		s, ok := e.(string)
		if !ok {
			if t, ok := e.(map[string]any); ok && path[0] == "dependency-groups" {
				if _, ok := t["include-group"]; ok {
					continue
				}
			}
			pp.diags.add(pp.path, line, "an entry of %s is %s, not a requirement string; ignored", lockQuote(strings.Join(path, ".")), tomlTypeName(e))
			continue
		}
		r, err := parsePEP508(s)
		if err != nil && r.name == "" {
			pp.diags.add(pp.path, line, "invalid requirement: %v; not recorded", err)
			continue
		}
		if err != nil {
			pp.diags.add(pp.path, line, "%v; recorded as unpinned", err)
		}
		dep := pep508Dependency(r, err == nil)
		dep.Path, dep.Line, dep.Direct, dep.Dev = pp.path, line, true, dev
		pp.deps = append(pp.deps, dep)
	}
}

// pep508Dependency turns a parsed requirement into a Dependency (without
// Path and Line). specOK says whether its specifier is valid.
func pep508Dependency(r pep508Req, specOK bool) model.Dependency {
	dep := model.Dependency{Ecosystem: model.PyPI, Name: r.name, Source: r.url, Constraint: r.constraint()}
	switch {
	case r.url != "":
		if n, v, ok := wheelNameVersion(r.url); ok && NormalizeName(n) == NormalizeName(r.name) {
			dep.Version = v
		}
	case specOK:
		dep.Version, _ = exactPin(r.spec)
	}
	dep.Unpinned = dep.Version == ""
	return dep
}

// poetry reads the [tool.poetry] dependency tables.
func (pp *pyprojectParser) poetry(poetry map[string]any) {
	pp.sources = map[string]string{}
	if srcs, ok := tomlTables(poetry["source"]); ok {
		for _, s := range srcs {
			name, _ := tomlString(s, "name")
			url, _ := tomlString(s, "url")
			if name != "" {
				pp.sources[name] = url
			}
		}
	}
	if t, ok := pp.table(poetry, "dependencies", "tool", "poetry"); ok {
		pp.poetryTable(t, false, "tool", "poetry", "dependencies")
	}
	if t, ok := pp.table(poetry, "dev-dependencies", "tool", "poetry"); ok {
		pp.poetryTable(t, true, "tool", "poetry", "dev-dependencies")
	}
	if groups, ok := pp.table(poetry, "group", "tool", "poetry"); ok {
		for _, g := range sortedKeys(groups) {
			gt, ok := pp.table(groups, g, "tool", "poetry", "group")
			if !ok {
				continue
			}
			if t, ok := pp.table(gt, "dependencies", "tool", "poetry", "group", g); ok {
				pp.poetryTable(t, g != "main", "tool", "poetry", "group", g, "dependencies")
			}
		}
	}
}

// poetryTable reads one Poetry dependency table at path.
func (pp *pyprojectParser) poetryTable(t map[string]any, dev bool, path ...string) {
	for _, name := range sortedKeys(t) {
		if strings.EqualFold(name, "python") {
			continue
		}
		line := pp.lines.at(append(path, name)...)
		if !validProjectName(name) {
			pp.diags.add(pp.path, line, "invalid project name %s; not recorded", lockQuote(name))
			continue
		}
		specs := []any{t[name]}
		if list, ok := t[name].([]any); ok {
			specs = list
		} else if list, ok := t[name].([]map[string]any); ok {
			specs = specs[:0]
			for _, m := range list {
				specs = append(specs, m)
			}
		}
		for _, spec := range specs {
			dep := model.Dependency{Ecosystem: model.PyPI, Name: name, Path: pp.path, Line: line, Direct: true, Dev: dev}
			switch spec := spec.(type) {
			case string:
				dep.Constraint = strings.TrimSpace(spec)
			case map[string]any:
				if !pp.poetryEntry(&dep, spec) {
					continue
				}
			default:
				pp.diags.add(pp.path, line, "the dependency %s is %s, not a constraint string or table; not recorded", lockQuote(name), tomlTypeName(spec))
				continue
			}
			if dep.Source == "" {
				dep.Version, _ = poetryExact(dep.Constraint)
			}
			if m, _ := tomlString(specMap(spec), "markers"); m != "" {
				dep.Constraint = joinConstraint(dep.Constraint, strings.TrimSpace(m))
			}
			dep.Unpinned = dep.Version == ""
			pp.deps = append(pp.deps, dep)
		}
	}
}

func specMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// poetryEntry fills dep from a Poetry dependency table; false when the
// entry is unusable (a diagnostic says why).
func (pp *pyprojectParser) poetryEntry(dep *model.Dependency, t map[string]any) bool {
	for _, k := range []string{"version", "git", "path", "url", "rev", "tag", "branch", "markers", "source"} {
		if v, ok := t[k]; ok {
			if _, isStr := v.(string); !isStr {
				pp.diags.add(pp.path, dep.Line, "%s of the dependency %s is %s, not a string; not recorded", lockQuote(k), lockQuote(dep.Name), tomlTypeName(v))
				return false
			}
		}
	}
	dep.Constraint, _ = tomlString(t, "version")
	dep.Constraint = strings.TrimSpace(dep.Constraint)
	if git, _ := tomlString(t, "git"); git != "" {
		rev := ""
		for _, k := range []string{"rev", "tag", "branch"} {
			if rev, _ = tomlString(t, k); rev != "" {
				break
			}
		}
		dep.Source = vcsSource("git", git, rev)
		if sub, _ := tomlString(t, "subdirectory"); sub != "" {
			dep.Source += "#subdirectory=" + sub
		}
	} else if s, _ := tomlString(t, "path"); s != "" {
		dep.Source = s
	} else if s, _ := tomlString(t, "url"); s != "" {
		dep.Source = s
	} else if s, _ := tomlString(t, "source"); s != "" && !strings.EqualFold(s, "pypi") {
		url, ok := pp.sources[s]
		switch {
		case !ok:
			pp.diags.add(pp.path, dep.Line, "the dependency %s names the source %s, which no [[tool.poetry.source]] defines", lockQuote(dep.Name), lockQuote(s))
		case !isDefaultIndex(url):
			dep.Source = url
		}
	}
	return true
}

// poetryExact returns the version a Poetry constraint pins exactly: "V",
// "=V" or "==V" with V a PEP 440 version.
func poetryExact(c string) (string, bool) {
	v := strings.TrimSpace(c)
	v = strings.TrimPrefix(v, "=")
	v = strings.TrimSpace(strings.TrimPrefix(v, "="))
	if v == "" || strings.ContainsAny(v, ",|*<>=!~^ \t") {
		return "", false
	}
	if _, err := ParseVersion(v); err != nil {
		return "", false
	}
	return v, true
}
