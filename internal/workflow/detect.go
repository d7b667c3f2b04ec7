package workflow

import (
	"path"
	"path/filepath"
	"strings"
)

// Detect returns the platform of a pipeline file from its name and place:
// .github/workflows/*.yml|yaml is GitHub (a workflow even when named
// action.yml), action.yml|yaml anywhere else is Action, .gitlab-ci.yml
// (and *.gitlab-ci.yml, the usual name of included files) is GitLab,
// .circleci/config.yml|yaml is CircleCI; "" otherwise. Files included by
// a .gitlab-ci.yml under other names are known only to Discover.
func Detect(p string) Platform {
	p = filepath.ToSlash(p)
	base := path.Base(p)
	dir := path.Dir(p)
	isYAML := strings.HasSuffix(base, ".yml") || strings.HasSuffix(base, ".yaml")
	switch {
	case isYAML && inDir(dir, ".github/workflows"):
		return GitHub
	case base == "action.yml" || base == "action.yaml":
		return Action
	case base == ".gitlab-ci.yml" || base == ".gitlab-ci.yaml" ||
		strings.HasSuffix(base, ".gitlab-ci.yml") || strings.HasSuffix(base, ".gitlab-ci.yaml"):
		return GitLab
	case (base == "config.yml" || base == "config.yaml") && inDir(dir, ".circleci"):
		return CircleCI
	}
	return ""
}

// inDir reports whether dir is sub or ends with "/"+sub.
func inDir(dir, sub string) bool {
	return dir == sub || strings.HasSuffix(dir, "/"+sub)
}
