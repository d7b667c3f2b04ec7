package pypi

import (
	"fmt"

	"github.com/airlock-sec/airlock/internal/model"
)

// ParseUvLock reads a uv.lock: one Dependency per [[package]] table, at
// the line of its name key, the project's own packages included (with
// their path as Source).
//
// Hashes come from sdist and wheels. Source is set from the package's
// source table: "git+<url>" for git (uv keeps the revision and commit in
// the URL), the URL for url sources, the path for path, directory,
// editable and virtual sources, and the index URL for a registry other
// than PyPI.
//
// uv.lock records the dependency graph, so Direct and Dev are derived from
// it. The workspace members are the packages whose source is
// `editable = "."` or `virtual = "."` and those listed in [manifest]
// members. A package is Direct when a member lists it in dependencies,
// optional-dependencies or dev-dependencies, and Dev when it is reachable
// from members' dev-dependencies but not from their dependencies and
// optional-dependencies. Edges follow dependencies and, for requested
// extras, optional-dependencies. Packages are matched by normalized name,
// so two versions of one package share their flags.
func ParseUvLock(p string, data []byte) ([]model.Dependency, []model.Diagnostic, error) {
	doc, lines, err := decodeLockTOML("uv.lock", data, keepArrayTables("package"))
	if err != nil {
		return nil, nil, err
	}
	var diags lockDiags
	pkgs, err := lockPackages(doc, "package")
	if err != nil {
		return nil, nil, fmt.Errorf("uv.lock: %w", err)
	}
	if v, ok := doc["version"]; !ok {
		diags.add(p, 0, "no lockfile version: not a uv.lock, or a damaged one")
	} else if n, ok := v.(int64); !ok || n != 1 {
		diags.add(p, 0, "lockfile version %v is not the known version 1; read as version 1", v)
	}

	members := map[string]bool{}
	if m, ok := tomlTable(doc, "manifest"); ok {
		names, _ := stringList(m["members"])
		for _, n := range names {
			members[NormalizeName(n)] = true
		}
	}
	deps := make([]model.Dependency, 0, len(pkgs))
	byName := map[string][]map[string]any{}
	for i, pkg := range pkgs {
		dep, ok := startPackage(&diags, p, lines, i, pkg)
		if !ok {
			continue
		}
		line, name := dep.Line, dep.Name
		if sd, ok := pkg["sdist"]; ok {
			dep.Hashes = lockFileHashes(&diags, p, line, name, lockOneFile(sd), "hash")
		}
		dep.Hashes = append(dep.Hashes, lockFileHashes(&diags, p, line, name, pkg["wheels"], "hash")...)
		if src, ok := tomlTable(pkg, "source"); ok {
			var member bool
			dep.Source, member = uvSource(src)
			if member {
				members[NormalizeName(name)] = true
			}
		}
		key := NormalizeName(name)
		byName[key] = append(byName[key], pkg)
		deps = append(deps, dep)
	}

	direct, prod, dev := uvReach(members, byName)
	for i := range deps {
		k := NormalizeName(deps[i].Name)
		if members[k] {
			continue
		}
		deps[i].Direct = direct[k]
		deps[i].Dev = dev[k] && !prod[k]
	}
	return deps, diags.result(p), nil
}

// uvSource renders a package's source table and reports whether it marks
// the package as the project itself.
func uvSource(src map[string]any) (string, bool) {
	if s, ok := tomlString(src, "registry"); ok {
		if isDefaultIndex(s) {
			return "", false
		}
		return s, false
	}
	if s, ok := tomlString(src, "git"); ok {
		return vcsSource("git", s, ""), false
	}
	for _, k := range []string{"editable", "virtual"} {
		if s, ok := tomlString(src, k); ok {
			return s, s == "."
		}
	}
	for _, k := range []string{"url", "path", "directory"} {
		if s, ok := tomlString(src, k); ok {
			return s, false
		}
	}
	return "", false
}

// uvEdge is one dependency entry: a name and the extras it asks for.
type uvEdge struct {
	name   string
	extras []string
}

// uvEdges reads a list of dependency entries ({name = "…", extra = […]}).
func uvEdges(v any) []uvEdge {
	list, _ := tomlTables(v)
	out := make([]uvEdge, 0, len(list))
	for _, e := range list {
		n, ok := tomlString(e, "name")
		if !ok || n == "" {
			continue
		}
		extras, _ := stringList(e["extra"])
		out = append(out, uvEdge{name: NormalizeName(n), extras: extras})
	}
	return out
}

// uvGroups reads a table of named lists of dependency entries
// (optional-dependencies, dev-dependencies).
func uvGroups(v any) []uvEdge {
	t, _ := v.(map[string]any)
	var out []uvEdge
	for _, k := range sortedKeys(t) {
		out = append(out, uvEdges(t[k])...)
	}
	return out
}

// uvNode is what the graph walk needs of all packages of one name.
type uvNode struct {
	deps []uvEdge
	opt  map[string][]uvEdge // normalized extra → its dependencies
}

// uvReach computes the names members depend on directly, and the names
// reachable from their production and development dependencies.
func uvReach(members map[string]bool, byName map[string][]map[string]any) (direct, prod, dev map[string]bool) {
	nodes := make(map[string]*uvNode, len(byName))
	for name, pkgs := range byName {
		n := &uvNode{opt: map[string][]uvEdge{}}
		for _, pkg := range pkgs {
			n.deps = append(n.deps, uvEdges(pkg["dependencies"])...)
			opt, _ := tomlTable(pkg, "optional-dependencies")
			for _, x := range sortedKeys(opt) {
				k := NormalizeName(x)
				n.opt[k] = append(n.opt[k], uvEdges(opt[x])...)
			}
		}
		nodes[name] = n
	}
	direct, prod, dev = map[string]bool{}, map[string]bool{}, map[string]bool{}
	var prodRoots, devRoots []uvEdge
	for _, m := range sortedKeys(members) {
		for _, pkg := range byName[m] {
			prodRoots = append(prodRoots, uvEdges(pkg["dependencies"])...)
			prodRoots = append(prodRoots, uvGroups(pkg["optional-dependencies"])...)
			devRoots = append(devRoots, uvGroups(pkg["dev-dependencies"])...)
		}
	}
	for _, e := range prodRoots {
		direct[e.name] = true
	}
	for _, e := range devRoots {
		direct[e.name] = true
	}
	walk := func(roots []uvEdge, seen map[string]bool) {
		done := map[string]bool{} // name, or name + "\x00" + extra
		queue := append([]uvEdge(nil), roots...)
		for len(queue) > 0 {
			e := queue[len(queue)-1]
			queue = queue[:len(queue)-1]
			seen[e.name] = true
			n := nodes[e.name]
			if n == nil {
				continue
			}
			if !done[e.name] {
				done[e.name] = true
				queue = append(queue, n.deps...)
			}
			for _, x := range e.extras {
				x = NormalizeName(x)
				if k := e.name + "\x00" + x; !done[k] {
					done[k] = true
					queue = append(queue, n.opt[x]...)
				}
			}
		}
	}
	walk(prodRoots, prod)
	walk(devRoots, dev)
	return direct, prod, dev
}
