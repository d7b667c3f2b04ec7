package npm

import (
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/airlock-sec/airlock/internal/model"
)

// maxLockNesting bounds how deep lockfileVersion 1 "dependencies" objects
// are followed (each level is one node_modules nesting). Deeper entries are
// skipped with a diagnostic.
const maxLockNesting = 64

// ParsePackageLock reads package-lock.json or npm-shrinkwrap.json
// (lockfileVersion 1, 2 and 3) and returns the packages it pins.
//
// Versions 2 and 3 are read from "packages", keyed by install path
// ("node_modules/a", "node_modules/@s/b", "node_modules/a/node_modules/b",
// "packages/w/node_modules/c"); the legacy "dependencies" tree is read only
// when "packages" is absent (version 1). Every installed entry is
// returned once per distinct name, version and source:
//
//   - Name is the install name, or the "name" field of an alias entry
//     ("node_modules/alias": {"name": "real"}); in version 1 an alias is a
//     version "npm:real@1.2.3".
//   - Line is the line of the entry's key.
//   - Direct is set for the entry a name in the root entry's (""), or a
//     workspace folder's, dependencies, devDependencies,
//     optionalDependencies or peerDependencies resolves to (searching
//     node_modules folders upwards as Node does). Version 1 does not list
//     the root's dependencies, so Direct is never set for it.
//   - Dev is the entry's "dev" flag. "devOptional" (needed by both the dev
//     and the optional tree) and "optional" do not set Dev, since such a
//     package may be installed in production; "inBundle"/"bundled"
//     packages come inside their parent's tarball and have no resolved URL
//     or integrity of their own.
//   - Link entries ("link": true, "resolved": "packages/w") have Source
//     "link:<resolved>" and the version of the entry they point to, if any.
//     Workspace folders and the root itself are not returned.
//   - Source is the resolved URL for git, tarball and file dependencies,
//     or, in version 1, the version field when it is a spec rather than a
//     version ("git+https://…#sha", "file:../x"; Version is then empty).
//
// Duplicate keys are reported and all of their entries returned (npm keeps
// the last one).
//
// Size limits, errors, diagnostics, Source and Hashes follow the
// conventions described on MaxLockfileBytes.
func ParsePackageLock(path string, data []byte) ([]model.Dependency, []model.Diagnostic, error) {
	data, err := checkLockSize("package-lock.json", data)
	if err != nil {
		return nil, nil, err
	}
	p := &pkgLockParser{s: newJSONStream(data), r: newLockResult(path)}
	if err := p.parse(); err != nil {
		return nil, nil, err
	}
	deps, diags := p.r.finish()
	return deps, diags, nil
}

type pkgLockParser struct {
	s *jsonStream
	r *lockResult

	version     int // lockfileVersion, 0 when absent
	hasPackages bool
	packages    []lockEntry // v2/v3 "packages", in file order
	legacy      []lockEntry // v1 "dependencies" tree, flattened
}

// lockEntry is what is kept of one entry of "packages" or of the v1 tree
// (only the fields used, so that memory stays a fraction of the file's).
type lockEntry struct {
	key                                string // install path (v2/v3) or install name (v1)
	line                               int
	name, version, resolved, integrity string
	link, dev                          bool
	declares                           []string // dependency names of the root and workspace folders
}

func (p *pkgLockParser) parse() error {
	if c := p.s.peek(); c != '{' {
		if c == 0 {
			return errors.New("package-lock.json is empty")
		}
		return fmt.Errorf("package-lock.json is %s, not a JSON object", jsonKind(c))
	}
	if _, err := p.s.dec.Token(); err != nil {
		return p.s.wrap(err)
	}
	err := p.s.members(func(key string, line int) error {
		switch key {
		case "lockfileVersion":
			raw, err := p.s.raw()
			if err != nil {
				return err
			}
			n, err := strconv.Atoi(string(raw))
			if err != nil || n < 1 {
				p.r.diag(line, "lockfileVersion %s is not a positive integer", truncate(string(raw)))
				return nil
			}
			if n > 3 {
				p.r.diag(line, "lockfileVersion %d is newer than this parser knows (3); read as version 3", n)
			}
			p.version = n
			return nil
		case "packages":
			ok, kind, err := p.s.openObject()
			if err != nil {
				return err
			}
			if !ok {
				p.r.diag(line, "\"packages\" is %s, not an object; ignored", kind)
				return nil
			}
			p.hasPackages = true
			p.legacy = nil // "packages" takes precedence over "dependencies"
			return p.s.members(func(key string, line int) error {
				raw, err := p.s.raw()
				if err != nil {
					return err
				}
				m, ok := objectMembers(raw)
				if !ok {
					p.r.diag(line, "entry %q is %s, not an object; skipped", truncate(key), rawKind(raw))
					return nil
				}
				_, installed := installedName(key)
				p.packages = append(p.packages, p.compact(key, line, m, !installed))
				return nil
			})
		case "dependencies":
			if p.hasPackages {
				return p.s.skip()
			}
			return p.legacyTree(line, "", 0)
		}
		return p.s.skip()
	})
	if err != nil {
		return err
	}
	if !p.s.atEOF() {
		p.r.diag(p.s.line(), "data after the top-level JSON object ignored")
	}
	if p.version >= 2 && !p.hasPackages {
		p.r.diag(0, "lockfileVersion %d has no \"packages\" object; read the legacy \"dependencies\" tree", p.version)
	}
	if p.hasPackages {
		p.buildPackages()
	} else {
		p.buildLegacy()
	}
	return nil
}

// compact keeps the fields of an entry that are used, reporting those of
// the wrong type.
func (p *pkgLockParser) compact(key string, line int, m map[string]json.RawMessage, declarer bool) lockEntry {
	e := lockEntry{key: key, line: line, link: jsonTrue(m, "link"), dev: jsonTrue(m, "dev")}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"name", &e.name}, {"version", &e.version}, {"resolved", &e.resolved}, {"integrity", &e.integrity}} {
		s, _, ok := jsonString(m, f.name)
		if !ok {
			p.r.diag(line, "%q of %q is %s, not a string; ignored", f.name, truncate(key), rawKind(m[f.name]))
		}
		*f.dst = s
	}
	if !declarer {
		return e
	}
	for _, sec := range []string{"dependencies", "devDependencies", "optionalDependencies", "peerDependencies"} {
		raw, ok := m[sec]
		if !ok {
			continue
		}
		deps, ok := objectMembers(raw)
		if !ok {
			if rawKind(raw) != "null" {
				p.r.diag(line, "%q of %q is %s, not an object; ignored", sec, truncate(key), rawKind(raw))
			}
			continue
		}
		for name := range deps {
			e.declares = append(e.declares, name)
		}
	}
	return e
}

// legacyTree reads a v1 "dependencies" object whose key was at line,
// under the install name prefix parent (for diagnostics), depth levels
// below the top.
func (p *pkgLockParser) legacyTree(line int, parent string, depth int) error {
	if depth >= maxLockNesting {
		p.r.diag(line, "dependencies of %q are nested more than %d levels deep; not read", truncate(parent), maxLockNesting)
		return p.s.skip()
	}
	ok, kind, err := p.s.openObject()
	if err != nil {
		return err
	}
	if !ok {
		if kind != "null" {
			p.r.diag(line, "\"dependencies\" is %s, not an object; ignored", kind)
		}
		return nil
	}
	return p.s.members(func(name string, line int) error {
		ok, kind, err := p.s.openObject()
		if err != nil {
			return err
		}
		if !ok {
			p.r.diag(line, "entry %q is %s, not an object; skipped", truncate(name), kind)
			return nil
		}
		fields := map[string]json.RawMessage{}
		err = p.s.members(func(field string, fline int) error {
			switch field {
			case "dependencies":
				return p.legacyTree(fline, name, depth+1)
			case "version", "resolved", "integrity", "dev":
				raw, err := p.s.raw()
				fields[field] = raw
				return err
			}
			return p.s.skip()
		})
		if err != nil {
			return err
		}
		if !p.hasPackages {
			p.legacy = append(p.legacy, p.compact(name, line, fields, false))
		}
		return nil
	})
}

// installedName returns the package folder name of an install path
// ("node_modules/a/node_modules/@s/b" → "@s/b"), or ok=false for paths
// outside node_modules (the root, workspace folders, link targets).
func installedName(key string) (string, bool) {
	const nm = "node_modules/"
	i := strings.LastIndex(key, nm)
	if i < 0 || i > 0 && key[i-1] != '/' {
		return "", false
	}
	return key[i+len(nm):], true
}

func (p *pkgLockParser) buildPackages() {
	byKey := make(map[string]*lockEntry, len(p.packages))
	for i := range p.packages {
		e := &p.packages[i]
		if prev, dup := byKey[e.key]; dup {
			p.r.diag(e.line, "package %q is listed twice (also at line %d); npm uses the last", truncate(e.key), prev.line)
		}
		byKey[e.key] = e
	}

	// Direct: what the root and workspace folders name resolves to.
	direct := map[string]bool{}
	for i := range p.packages {
		e := &p.packages[i]
		if strings.HasPrefix(e.key, "../") || strings.HasPrefix(e.key, "/") || e.key == ".." {
			continue // a link target outside the project
		}
		if len(e.declares) > 0 && len(e.key) > maxFolderKey {
			p.r.diag(e.line, "folder path %q is longer than %d bytes; its dependencies are not marked direct", truncate(e.key), maxFolderKey)
			continue
		}
		for _, name := range e.declares {
			if k, ok := resolveInstall(byKey, e.key, name); ok {
				direct[k] = true
			}
		}
	}

	for i := range p.packages {
		e := &p.packages[i]
		inst, ok := installedName(e.key)
		if !ok {
			continue
		}
		if !cleanName(p.r, inst, e.line, "install path "+strconv.Quote(truncate(e.key))) {
			continue
		}
		d := model.Dependency{Name: inst, Line: e.line, Direct: direct[e.key], Dev: e.dev}
		if e.name != "" && e.name != inst {
			if !cleanName(p.r, e.name, e.line, "alias "+strconv.Quote(truncate(inst))) {
				continue
			}
			d.Name = e.name
		}
		if e.link {
			target := ""
			if e.resolved == "" {
				p.r.diag(e.line, "link %q has no resolved target", truncate(e.key))
			} else {
				target = path.Clean(e.resolved)
			}
			d.Source = "link:" + truncateSource(target)
			if t, ok := byKey[target]; ok && target != "" {
				if n, ok := exactVersion(t.version); ok {
					d.Version = n
				}
			}
			p.r.add(d)
			continue
		}
		if !p.versionAndSource(&d, e.version, e.resolved, e.line) {
			continue
		}
		d.Hashes = integrityHashes(p.r, e.integrity, e.line, depLabel(d))
		p.r.add(d)
	}
}

// maxFolderKey bounds the length of the workspace folder paths whose
// dependencies are resolved (each resolution walks up the folders).
const maxFolderKey = 1024

// resolveInstall finds the install path a dependency name of the folder
// from resolves to: from/node_modules/name, then the same in each parent
// folder up to the root.
func resolveInstall(byKey map[string]*lockEntry, from, name string) (string, bool) {
	dir := from
	for {
		k := "node_modules/" + name
		if dir != "" {
			k = dir + "/" + k
		}
		if _, ok := byKey[k]; ok {
			return k, true
		}
		if dir == "" {
			return "", false
		}
		if i := strings.LastIndexByte(dir, '/'); i >= 0 {
			dir = dir[:i]
		} else {
			dir = ""
		}
	}
}

func (p *pkgLockParser) buildLegacy() {
	for i := range p.legacy {
		e := &p.legacy[i]
		if !cleanName(p.r, e.key, e.line, "dependency") {
			continue
		}
		d := model.Dependency{Name: e.key, Line: e.line, Dev: e.dev}
		if !p.versionAndSource(&d, e.version, e.resolved, e.line) {
			continue
		}
		d.Hashes = integrityHashes(p.r, e.integrity, e.line, depLabel(d))
		p.r.add(d)
	}
}

// versionAndSource fills Version and Source of d (whose Name is set) from
// an entry's version and resolved fields; false when the entry is unusable.
func (p *pkgLockParser) versionAndSource(d *model.Dependency, version, resolved string, line int) bool {
	if version == "" {
		p.r.diag(line, "%q has no version; skipped", truncate(d.Name))
		return false
	}
	if rest, ok := strings.CutPrefix(version, "npm:"); ok {
		real, v, ok := splitNameSpec(rest)
		if !ok {
			p.r.diag(line, "alias %q has version %q without a package version; skipped", truncate(d.Name), truncate(version))
			return false
		}
		if !cleanName(p.r, real, line, "alias "+strconv.Quote(truncate(d.Name))) {
			return false
		}
		d.Name, version = real, v
	}
	if _, ok := exactVersion(version); !ok && isNonRegistrySpec(version) {
		// Version 1 writes the spec of git, tarball and file dependencies.
		d.Source = sourceSpec(version)
		return true
	}
	if !setVersion(p.r, d, version, line) {
		return false
	}
	src, foreign := classifyResolved(d.Name, d.Version, resolved)
	if foreign {
		p.r.diag(line, "%s resolves to %q, which is not its registry tarball", depLabel(*d), src)
	}
	d.Source = src
	return true
}
