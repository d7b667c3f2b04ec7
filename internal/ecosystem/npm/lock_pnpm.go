package npm

import (
	"errors"
	"strconv"
	"strings"

	"github.com/airlock-sec/airlock/internal/model"
	"gopkg.in/yaml.v3"
)

// ParsePnpmLock reads pnpm-lock.yaml, lockfileVersion 5.x (and older
// 3/4, same layout), 6.x and 9.x, and returns one dependency per distinct
// name, version and source in "packages":
//
//   - 5.x keys are "/name/1.2.3" with a peer suffix "_react@18.2.0"
//     ("_@types+react@18.0.0"); 6.x keys "/name@1.2.3(react@18.2.0)";
//     9.x keys "name@1.2.3", with the peer variants under "snapshots".
//     Suffixes are removed. Keys of other shapes (git, tarball and
//     directory dependencies: "github.com/u/r/sha", "name@https://…",
//     "name@file:../x") take the name and version from the entry's "name"
//     and "version" fields. Line is the line of the key.
//   - Hashes are resolution.integrity. Source is resolution.tarball when
//     it is not the default registry's tarball, "git+<repo>#<commit>" for
//     git resolutions, "file:<directory>" for directories, the reference
//     in the key otherwise, and "patch:<path>" for packages listed under
//     patchedDependencies.
//   - Direct is set for packages an importer (importers: ".", workspace
//     folders; the top-level dependencies, devDependencies and
//     optionalDependencies of single-project 5.x/6.x files) depends on.
//     Importer dependencies on "link:<path>" are returned as Name with
//     Source "link:<path>".
//   - Dev is the entry's "dev: true" (5.x, 6.x). 9.x records no such flag:
//     Dev is set for packages the snapshots graph reaches from importers'
//     devDependencies but not from their dependencies or
//     optionalDependencies.
//
// All YAML documents of the file are read (pnpm 10 may put an environment
// lockfile before the project's).
//
// Size limits, errors, diagnostics, Source and Hashes follow the
// conventions described on MaxLockfileBytes.
func ParsePnpmLock(path string, data []byte) ([]model.Dependency, []model.Diagnostic, error) {
	data, err := checkLockSize("pnpm-lock.yaml", data)
	if err != nil {
		return nil, nil, err
	}
	docs, more, err := yamlDocuments(data)
	if err != nil {
		return nil, nil, err
	}
	r := newLockResult(path)
	w := newYAMLWalker(r, len(data))
	if more {
		r.diag(0, "more than %d YAML documents; the rest are not read", maxYAMLDocuments)
	}
	usable := false
	for _, doc := range docs {
		root := yamlRoot(doc)
		if root == nil {
			continue
		}
		if root.Kind != yaml.MappingNode {
			r.diag(yamlLine(root), "YAML document is %s, not a mapping; skipped", yamlKind(root))
			continue
		}
		usable = true
		p := &pnpmParser{w: w, r: r}
		p.document(root)
	}
	if w.exhausted() {
		return nil, nil, errYAMLBudget
	}
	if !usable {
		return nil, nil, errors.New("pnpm-lock.yaml holds no YAML mapping")
	}
	deps, diags := r.finish()
	return deps, diags, nil
}

// pnpmStyle is how packages keys are written.
type pnpmStyle int

const (
	pnpmAuto  pnpmStyle = iota // unknown lockfileVersion: decided per key
	pnpmSlash                  // 5.x and older: /name/1.2.3_peer
	pnpmAt                     // 6.x, 9.x: /name@1.2.3(peer), name@1.2.3(peer)
)

type pnpmParser struct {
	w     *yamlWalker
	r     *lockResult
	style pnpmStyle

	pkgs    []pnpmPkg
	byCanon map[string][]int // canonical key → indices into pkgs

	snaps        map[string]*yaml.Node // 9.x snapshots by key; nil without
	snapsByCanon map[string][]string   // snapshot keys by key without suffix
}

type pnpmPkg struct {
	dep  model.Dependency
	dev  bool // graph: reached from devDependencies
	prod bool // graph: reached from dependencies/optionalDependencies
}

func (p *pnpmParser) document(root *yaml.Node) {
	top := p.w.pairs(root)
	p.lockfileVersion(root, yamlLookup(top, "lockfileVersion"))
	p.byCanon = map[string][]int{}

	for _, e := range p.w.pairs(yamlLookup(top, "packages")) {
		p.packageEntry(e)
	}
	p.patched(yamlLookup(top, "patchedDependencies"))

	if s := yamlLookup(top, "snapshots"); s != nil {
		p.snaps = map[string]*yaml.Node{}
		p.snapsByCanon = map[string][]string{}
		for _, e := range p.w.pairs(s) {
			k, ok := yamlScalar(e.key)
			if !ok {
				continue
			}
			if _, dup := p.snaps[k]; !dup {
				_, _, canon, _ := pnpmAtKey(k)
				p.snapsByCanon[canon] = append(p.snapsByCanon[canon], k)
			}
			p.snaps[k] = e.val
		}
	}

	var prodRoots, devRoots []string
	importers := yamlLookup(top, "importers")
	var imps []yamlPair
	if importers != nil {
		imps = p.w.pairs(importers)
	} else {
		imps = []yamlPair{{key: &yaml.Node{Kind: yaml.ScalarNode, Value: ".", Line: 1}, val: root}}
	}
	for _, imp := range imps {
		if v := yamlDeref(imp.val); v == nil || v.Kind != yaml.MappingNode {
			p.r.diag(yamlLine(imp.key), "importer %q is %s, not a mapping; ignored", truncate(imp.key.Value), yamlKind(imp.val))
			continue
		}
		for _, sec := range []string{"dependencies", "devDependencies", "optionalDependencies"} {
			dev := sec == "devDependencies"
			for _, dep := range p.w.pairs(p.w.get(imp.val, sec)) {
				sk := p.importerDep(dep, dev)
				if dev {
					devRoots = append(devRoots, sk...)
				} else {
					prodRoots = append(prodRoots, sk...)
				}
			}
		}
	}

	if p.snaps != nil {
		p.reach(prodRoots, false)
		p.reach(devRoots, true)
	}
	for i := range p.pkgs {
		d := p.pkgs[i].dep
		if p.pkgs[i].dev && !p.pkgs[i].prod {
			d.Dev = true
		}
		p.r.add(d)
	}
}

func (p *pnpmParser) lockfileVersion(root, n *yaml.Node) {
	v, ok := yamlScalar(n)
	if !ok {
		p.r.diag(yamlLine(root), "no lockfileVersion; key format guessed per entry")
		return
	}
	f, err := strconv.ParseFloat(strings.TrimPrefix(strings.TrimSpace(v), "v"), 64)
	if err != nil || f < 1 || f >= 1000 {
		p.r.diag(yamlLine(n), "lockfileVersion %q is not a number; key format guessed per entry", truncate(v))
		return
	}
	major := int(f)
	if major > 9 {
		p.r.diag(yamlLine(n), "lockfileVersion %q is newer than this parser knows (9.0); read as 9.0", truncate(v))
	}
	if major < 6 {
		p.style = pnpmSlash
	} else {
		p.style = pnpmAt
	}
}

// pnpmKey splits a packages or snapshots key into the package name, the
// version part without peer suffix, and the canonical key (the key without
// the suffix). ok is false when the key has neither shape.
func pnpmKey(key string, style pnpmStyle) (name, ver, canon string, ok bool) {
	switch style {
	case pnpmSlash:
		return pnpmSlashKey(key)
	case pnpmAt:
		return pnpmAtKey(key)
	}
	if name, ver, canon, ok = pnpmAtKey(key); ok && ValidName(name) {
		if _, exact := exactVersion(ver); exact {
			return name, ver, canon, ok
		}
	}
	if name, ver, canon, ok = pnpmSlashKey(key); ok {
		return name, ver, canon, ok
	}
	return pnpmAtKey(key)
}

func pnpmSlashKey(key string) (name, ver, canon string, ok bool) {
	rest, found := strings.CutPrefix(key, "/")
	if !found {
		return "", "", key, false
	}
	n := strings.IndexByte(rest, '/')
	if n < 0 {
		return "", "", key, false
	}
	if rest[0] == '@' {
		m := strings.IndexByte(rest[n+1:], '/')
		if m < 0 {
			return "", "", key, false
		}
		n += 1 + m
	}
	name, ver = rest[:n], rest[n+1:]
	if i := strings.IndexAny(ver, "_("); i >= 0 {
		ver = ver[:i]
	}
	if ver == "" || strings.ContainsRune(ver, '/') {
		return "", "", key, false
	}
	return name, ver, "/" + name + "/" + ver, true
}

func pnpmAtKey(key string) (name, ver, canon string, ok bool) {
	canon = key
	if i := strings.IndexByte(canon, '('); i >= 0 {
		canon = canon[:i]
	}
	name, ver, ok = splitNameSpec(strings.TrimPrefix(canon, "/"))
	if !ok || ver == "" || name == "" {
		return "", "", key, false
	}
	return name, ver, canon, true
}

func (p *pnpmParser) packageEntry(e yamlPair) {
	line := yamlLine(e.key)
	key, ok := yamlScalar(e.key)
	if !ok {
		p.r.diag(line, "packages key is %s, not a string; skipped", yamlKind(e.key))
		return
	}
	val := yamlDeref(e.val)
	if val == nil || val.Kind != yaml.MappingNode {
		p.r.diag(line, "package %q is %s, not a mapping; skipped", truncate(key), yamlKind(e.val))
		return
	}
	fields := p.w.pairs(val)
	name, ver, canon, keyOK := pnpmKey(key, p.style)
	fieldName, _ := yamlScalar(yamlLookup(fields, "name"))
	fieldVersion, _ := yamlScalar(yamlLookup(fields, "version"))
	if !keyOK || name == "" {
		name = fieldName
	}
	if name == "" {
		p.r.diag(line, "cannot tell the package name of %q; skipped", truncate(key))
		return
	}
	if !cleanName(p.r, name, line, "package") {
		return
	}
	d := model.Dependency{Name: name, Line: line, Dev: yamlTrue(yamlLookup(fields, "dev"))}
	n, exact := exactVersion(ver)
	switch {
	case keyOK && exact:
		d.Version = n
		if fieldVersion != "" {
			if n, ok := exactVersion(fieldVersion); !ok || n != d.Version {
				p.r.diag(line, "%s has version %q, which disagrees with its key", depLabel(d), truncate(fieldVersion))
			}
		}
	case keyOK && !isNonRegistrySpec(ver):
		if !setVersion(p.r, &d, ver, line) {
			return
		}
	default:
		if keyOK {
			d.Source = sourceSpec(ver) // "https://…", "file:…" in 9.x keys
		} else {
			d.Source = sourceSpec(key) // "github.com/u/r/sha" in 5.x/6.x
		}
		if fieldVersion != "" && !setVersion(p.r, &d, fieldVersion, line) {
			return
		}
	}

	switch res := yamlLookup(fields, "resolution"); {
	case res == nil:
		p.r.diag(line, "package %q has no resolution", truncate(key))
	case res.Kind != yaml.MappingNode:
		p.r.diag(line, "resolution of %q is %s, not a mapping; ignored", truncate(key), yamlKind(res))
	default:
		rf := p.w.pairs(res)
		if integrity, ok := yamlScalar(yamlLookup(rf, "integrity")); ok {
			d.Hashes = integrityHashes(p.r, integrity, line, depLabel(d))
		}
		typ, _ := yamlScalar(yamlLookup(rf, "type"))
		tarball, _ := yamlScalar(yamlLookup(rf, "tarball"))
		repo, _ := yamlScalar(yamlLookup(rf, "repo"))
		commit, _ := yamlScalar(yamlLookup(rf, "commit"))
		dir, _ := yamlScalar(yamlLookup(rf, "directory"))
		switch {
		case typ == "git" || repo != "":
			s := repo
			if !strings.HasPrefix(s, "git") {
				s = "git+" + s
			}
			if commit != "" {
				s += "#" + commit
			}
			d.Source = sourceSpec(s)
		case typ == "directory" || dir != "":
			d.Source = "file:" + truncateSource(dir)
		case tarball != "":
			src, foreign := classifyResolved(d.Name, d.Version, tarball)
			if foreign {
				p.r.diag(line, "%s resolves to %q, which is not its registry tarball", depLabel(d), src)
			}
			if src != "" || d.Version != "" {
				d.Source = src
			}
		}
	}
	if d.Version == "" && d.Source == "" {
		p.r.diag(line, "cannot tell the version of %q; skipped", truncate(key))
		return
	}
	p.byCanon[canon] = append(p.byCanon[canon], len(p.pkgs))
	p.pkgs = append(p.pkgs, pnpmPkg{dep: d})
}

// patched marks packages listed under patchedDependencies ("name@1.2.3"
// or "name": {path: patches/x.patch, hash: …}).
func (p *pnpmParser) patched(n *yaml.Node) {
	ps := p.w.pairs(n)
	if len(ps) == 0 {
		return
	}
	byName := map[string][]int{}
	byNameVersion := map[[2]string][]int{}
	for i := range p.pkgs {
		d := p.pkgs[i].dep
		byName[d.Name] = append(byName[d.Name], i)
		k := [2]string{d.Name, d.Version}
		byNameVersion[k] = append(byNameVersion[k], i)
	}
	done := map[string]bool{}
	for _, e := range ps {
		key, ok := yamlScalar(e.key)
		if !ok || done[key] {
			continue
		}
		done[key] = true
		where, _ := yamlScalar(p.w.get(e.val, "path"))
		if where == "" {
			where = key
		}
		idx := byName[key]
		if name, ver, hasVer := splitNameSpec(key); hasVer {
			idx = byNameVersion[[2]string{name, ver}]
		}
		for _, i := range idx {
			if d := &p.pkgs[i].dep; d.Source == "" {
				d.Source = "patch:" + truncateSource(where)
			}
		}
	}
}

// importerDep handles one dependency of an importer: marks the package it
// resolves to as Direct, returns a link as a dependency, and returns the
// snapshot keys it resolves to (9.x).
func (p *pnpmParser) importerDep(dep yamlPair, dev bool) []string {
	line := yamlLine(dep.key)
	name, ok := yamlScalar(dep.key)
	if !ok {
		return nil
	}
	ref, ok := yamlScalar(dep.val)
	if !ok {
		ref, ok = yamlScalar(p.w.get(dep.val, "version"))
	}
	if !ok || ref == "" {
		p.r.diag(line, "importer dependency %q has no version", truncate(name))
		return nil
	}
	if target, ok := strings.CutPrefix(ref, "link:"); ok {
		if cleanName(p.r, name, line, "linked dependency") {
			p.r.add(model.Dependency{Name: name, Source: "link:" + truncateSource(target), Line: line, Direct: true, Dev: dev})
		}
		return nil
	}
	slash := []string{"/" + name + "/" + ref, ref, "/" + ref}
	at := []string{name + "@" + ref, "/" + name + "@" + ref, ref, "/" + ref}
	var cands []string
	switch p.style {
	case pnpmSlash:
		cands = slash
	case pnpmAt:
		cands = at
	default:
		cands = append(at, slash...)
	}
	found := false
	for _, c := range cands {
		_, _, canon, _ := pnpmKey(c, p.style)
		if idx, ok := p.byCanon[canon]; ok {
			for _, i := range idx {
				p.pkgs[i].dep.Direct = true
			}
			found = true
			break
		}
	}
	if !found {
		p.r.diag(line, "direct dependency %q at %q is not among the packages", truncate(name), truncate(ref))
	}
	return p.resolveSnapshot(name, ref)
}

// resolveSnapshot returns the snapshots key a dependency name: ref
// points to (several when the ref lacks the peer or patch suffix of the
// snapshot keys: all variants are taken).
func (p *pnpmParser) resolveSnapshot(name, ref string) []string {
	if strings.HasPrefix(ref, "link:") {
		return nil
	}
	for _, k := range [...]string{name + "@" + ref, ref} {
		if _, ok := p.snaps[k]; ok {
			return []string{k}
		}
	}
	for _, k := range [...]string{name + "@" + ref, ref} {
		if ks := p.snapsByCanon[k]; len(ks) > 0 {
			return ks
		}
	}
	return nil
}

// reach walks the snapshots graph from roots and marks the packages it
// reaches as dev or prod.
func (p *pnpmParser) reach(roots []string, dev bool) {
	seen := make(map[string]bool, len(roots))
	queue := append([]string(nil), roots...)
	for _, k := range roots {
		seen[k] = true
	}
	for len(queue) > 0 && !p.w.exhausted() {
		k := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		_, _, canon, _ := pnpmAtKey(k)
		for _, i := range p.byCanon[canon] {
			if dev {
				p.pkgs[i].dev = true
			} else {
				p.pkgs[i].prod = true
			}
		}
		node := p.snaps[k]
		for _, sec := range []string{"dependencies", "optionalDependencies"} {
			for _, c := range p.w.pairs(p.w.get(node, sec)) {
				name, ok1 := yamlScalar(c.key)
				ref, ok2 := yamlScalar(c.val)
				if !ok1 || !ok2 {
					continue
				}
				cks := p.resolveSnapshot(name, ref)
				p.w.budget -= len(cks)
				for _, ck := range cks {
					if !seen[ck] {
						seen[ck] = true
						queue = append(queue, ck)
					}
				}
			}
		}
	}
}
