package workflow

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
	wf "github.com/airlock-sec/airlock/internal/workflow"
)

// MutableInclude reports CircleCI orbs and GitLab includes by mutable ref.
type MutableInclude struct{}

func (MutableInclude) Meta() rules.Meta {
	return rules.Meta{
		ID:    "workflow/mutable-include",
		Title: "orb or included pipeline referenced by a mutable version",
		Description: "CircleCI orbs and GitLab includes pull pipeline code from elsewhere at run time. An orb version " +
			"`ns/orb@volatile`, `@1` or `@1.2` resolves to whatever is newest; only a full `X.Y.Z` orb version is " +
			"immutable (dev: orbs never are). A GitLab `include: project:` without `ref:`, or with a branch or tag, " +
			"follows that branch; `include: remote:` fetches a URL whose content can change; components by a version " +
			"other than a commit SHA can be re-tagged. GitLab's own `template:` includes are not reported.",
		Severity: model.High,
	}
}

var exactOrb = regexp.MustCompile(`^\d+\.\d+\.\d+$`)

func (MutableInclude) Check(_ *Context, f *wf.File, r *rules.Reporter) {
	for _, ref := range f.Refs {
		var msg string
		sev := model.High
		switch ref.Kind {
		case "orb":
			if exactOrb.MatchString(ref.Version) {
				continue
			}
			v := ref.Version
			if v == "" {
				v = "(none)"
			}
			msg = fmt.Sprintf("orb %q is referenced by version %q, which resolves to new releases: pin an exact X.Y.Z version", ref.Name, v)
		case "include-project":
			if isSHA(ref.Version) {
				continue
			}
			if ref.Version == "" {
				msg = fmt.Sprintf("include of project %q has no \"ref\": it follows the default branch; pin a commit SHA", ref.Name)
			} else {
				msg = fmt.Sprintf("include of project %q is by ref %q, which can move: pin a commit SHA", ref.Name, ref.Version)
			}
		case "include-remote":
			msg = fmt.Sprintf("remote include %q is fetched at every run and can change: vendor it or include it from a project by commit SHA", ref.Name)
		case "include-component":
			if isSHA(ref.Version) {
				continue
			}
			sev = model.Medium
			msg = fmt.Sprintf("component %q is referenced by version %q: pin a commit SHA", ref.Name, strings.TrimSpace(ref.Version))
		default:
			continue
		}
		r.Report(at(f, ref.Raw.Pos, sev, msg))
	}
}
