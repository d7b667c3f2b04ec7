package workflow

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
	wf "github.com/airlock-sec/airlock/internal/workflow"
)

// CachePoisoning reports caches restored in jobs that publish releases.
type CachePoisoning struct{}

func (CachePoisoning) Meta() rules.Meta {
	return rules.Meta{
		ID:    "workflow/cache-in-release",
		Title: "release job restores a cache",
		Description: "GitHub Actions caches are shared across workflows of a repository: a workflow that runs " +
			"untrusted code (a pull-request build, a `pull_request_target` job) can write cache entries that a later " +
			"release job restores — cache poisoning puts the attacker's files into what gets published. Release " +
			"jobs (publishing to PyPI, npm, a container registry, or creating releases) should build from a clean " +
			"state: no `actions/cache`, no `cache:` input of `setup-*` actions.",
		Severity: model.Medium,
	}
}

var publishCmd = regexp.MustCompile(`\b(npm\s+publish|pnpm\s+publish|yarn\s+(npm\s+)?publish|twine\s+upload|poetry\s+publish|flit\s+publish|uv\s+publish|docker\s+push|goreleaser|gh\s+release\s+create|cargo\s+publish)\b`)

func (CachePoisoning) Check(_ *Context, f *wf.File, r *rules.Reporter) {
	for _, j := range f.Jobs {
		if !publishes(j) {
			continue
		}
		for _, s := range j.Steps {
			var p wf.Pos
			switch {
			case usesAction(s, "actions/cache"):
				p = s.Uses.Raw.Pos
			case s.Uses != nil && strings.HasPrefix(strings.ToLower(s.Uses.Name), "actions/setup-"):
				if kv, ok := with(s, "cache"); ok && kv.Value.Value != "" && !strings.EqualFold(kv.Value.Value, "false") {
					p = kv.Value.Pos
				}
			}
			if p.Line > 0 {
				r.Report(at(f, p, model.Medium, fmt.Sprintf("release job %q restores a cache that other workflows can write: build releases without caches", j.ID.Value)))
			}
		}
	}
}

func publishes(j *wf.Job) bool {
	for _, s := range j.Steps {
		if usesAction(s, "pypa/gh-action-pypi-publish", "docker/build-push-action", "goreleaser/goreleaser-action", "softprops/action-gh-release", "JS-DevTools/npm-publish") {
			if s.Uses != nil && strings.EqualFold(actionName(s.Uses), "docker/build-push-action") {
				if kv, ok := with(s, "push"); !ok || !strings.EqualFold(kv.Value.Value, "true") {
					continue
				}
			}
			return true
		}
		if s.Run != nil && mayPublish(s.Run.Text) && publishCmd.MatchString(s.Run.Text) {
			return true
		}
	}
	return false
}

// mayPublish is a cheap filter before publishCmd.
func mayPublish(t string) bool {
	return strings.Contains(t, "publish") || strings.Contains(t, "upload") || strings.Contains(t, "push") ||
		strings.Contains(t, "goreleaser") || strings.Contains(t, "release")
}
