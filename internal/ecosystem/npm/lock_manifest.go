package npm

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/airlock-sec/airlock/internal/model"
)

// manifestSections are the package.json objects ParsePackageJSONDependencies
// reads, and whether their entries are development-only.
var manifestSections = map[string]bool{
	"dependencies":         false,
	"devDependencies":      true,
	"optionalDependencies": false,
	"peerDependencies":     false,
}

// ParsePackageJSONDependencies reads the dependencies, devDependencies,
// optionalDependencies and peerDependencies of a package.json manifest.
// Every entry is Direct; those of devDependencies are Dev. Line is the
// line of the entry's key. Entries are not merged: a name listed in two
// sections (or twice) is returned for each listing.
//
// Constraint is always the spec as written. An exact version ("1.2.3",
// "=1.2.3", "v1.2.3") sets Version; a URL, git, GitHub shorthand, path or
// protocol spec (file:, link:, workspace:, …) sets Source and is Unpinned
// unless it is a git spec fixed to a full commit hash; anything else (a
// range, a tag such as "latest", "" for any version) is Unpinned. An alias
// "alias": "npm:real@^1" is returned as "real" with Constraint "^1".
//
// Size limits, errors, diagnostics, Source and Hashes follow the
// conventions described on MaxLockfileBytes.
func ParsePackageJSONDependencies(path string, data []byte) ([]model.Dependency, []model.Diagnostic, error) {
	data, err := checkLockSize("package.json", data)
	if err != nil {
		return nil, nil, err
	}
	s := newJSONStream(data)
	r := newLockResult(path)
	if c := s.peek(); c != '{' {
		if c == 0 {
			return nil, nil, errors.New("package.json is empty")
		}
		return nil, nil, fmt.Errorf("package.json is %s, not a JSON object", jsonKind(c))
	}
	if _, err := s.dec.Token(); err != nil {
		return nil, nil, s.wrap(err)
	}
	var deps []model.Dependency
	err = s.members(func(section string, line int) error {
		dev, wanted := manifestSections[section]
		if !wanted {
			return s.skip()
		}
		ok, kind, err := s.openObject()
		if err != nil {
			return err
		}
		if !ok {
			if kind != "null" {
				r.diag(line, "%q is %s, not an object; ignored", section, kind)
			}
			return nil
		}
		return s.members(func(name string, line int) error {
			raw, err := s.raw()
			if err != nil {
				return err
			}
			var spec string
			if json.Unmarshal(raw, &spec) != nil {
				r.diag(line, "%s entry %q is %s, not a string; skipped", section, truncate(name), rawKind(raw))
				return nil
			}
			if d, ok := manifestDependency(r, name, spec, line); ok {
				d.Dev = dev
				d.Ecosystem, d.Path = model.NPM, path
				deps = append(deps, d)
			}
			return nil
		})
	})
	if err != nil {
		return nil, nil, err
	}
	if !s.atEOF() {
		r.diag(s.line(), "data after the top-level JSON object ignored")
	}
	_, diags := r.finish()
	return deps, diags, nil
}

var gitCommitFragment = regexp.MustCompile(`#(?:commit=)?[0-9a-fA-F]{40}$`)

func manifestDependency(r *lockResult, name, spec string, line int) (model.Dependency, bool) {
	if !cleanName(r, name, line, "dependency") {
		return model.Dependency{}, false
	}
	if len(spec) > maxSourceLength {
		r.diag(line, "spec of %q is longer than %d bytes; skipped", truncate(name), maxSourceLength)
		return model.Dependency{}, false
	}
	d := model.Dependency{Name: name, Line: line, Direct: true, Constraint: spec}
	rng := strings.TrimSpace(spec)
	if rest, ok := strings.CutPrefix(rng, "npm:"); ok {
		real, r2, hasRange := splitNameSpec(rest)
		if !hasRange {
			real, r2 = rest, ""
		}
		if !cleanName(r, real, line, "alias "+strconv.Quote(truncate(name))) {
			return model.Dependency{}, false
		}
		d.Name, d.Constraint, rng = real, r2, strings.TrimSpace(r2)
	}
	if v, ok := exactVersion(rng); ok {
		d.Version = v
		return d, true
	}
	if isNonRegistrySpec(rng) {
		d.Source = sourceSpec(rng)
		d.Constraint = d.Source // without credentials
		d.Unpinned = !gitCommitFragment.MatchString(rng) || !isGitSpec(rng)
		return d, true
	}
	d.Unpinned = true
	return d, true
}

// isGitSpec reports whether spec names a git repository.
func isGitSpec(spec string) bool {
	l := strings.ToLower(spec)
	for _, p := range []string{"git+", "git:", "github:", "gitlab:", "bitbucket:", "gist:"} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	// GitHub shorthand "user/repo#sha" (isNonRegistrySpec accepted it).
	return !strings.Contains(l, ":") && !strings.HasPrefix(l, ".") && !strings.HasPrefix(l, "/") && !strings.HasPrefix(l, "~")
}
