package workflow

import (
	"fmt"

	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
	wf "github.com/airlock-sec/airlock/internal/workflow"
)

// UnpinnedAction reports actions and reusable workflows referenced by a
// tag or branch instead of a commit SHA.
type UnpinnedAction struct{}

func (UnpinnedAction) Meta() rules.Meta {
	return rules.Meta{
		ID:    "workflow/unpinned-action",
		Title: "action or reusable workflow referenced by a mutable tag or branch",
		Description: "A `uses:` reference by tag (`@v4`, `@0.28.0`) or branch (`@main`) runs whatever commit the tag " +
			"or branch points at when the job starts. Tags can be moved by anyone holding the owner's credentials: in " +
			"March 2026 attackers force-pushed 76 of 77 tags of `aquasecurity/trivy-action`, and every workflow using " +
			"them by tag ran a credential stealer (tj-actions/changed-files, March 2025, the same). A full 40-character " +
			"commit SHA cannot be moved. `airlock ci pin` rewrites references to SHAs with a `# vX.Y.Z` comment. " +
			"Third-party actions are high; GitHub's own `actions/*` and `github/*` medium. Local `./` actions are not reported.",
		Severity: model.High,
	}
}

func (UnpinnedAction) Check(_ *Context, f *wf.File, r *rules.Reporter) {
	check := func(ref *wf.Ref) {
		if ref == nil || (ref.Kind != "action" && ref.Kind != "reusable-workflow") || isSHA(ref.Version) {
			return
		}
		sev := model.High
		if firstParty(ref) {
			sev = model.Medium
		}
		what := "action"
		if ref.Kind == "reusable-workflow" {
			what = "reusable workflow"
		}
		var msg string
		switch {
		case ref.Version == "":
			msg = fmt.Sprintf("%s %q has no ref: pin a full commit SHA", what, ref.Name)
		case isBranchName(ref.Version):
			msg = fmt.Sprintf("%s %q is referenced by branch %q, which moves with every push: pin a full commit SHA (\"airlock ci pin\")", what, ref.Name, ref.Version)
		default:
			msg = fmt.Sprintf("%s %q is referenced by tag %q, which can be moved to other code: pin a full commit SHA (\"airlock ci pin\")", what, ref.Name, ref.Version)
		}
		r.Report(at(f, ref.Raw.Pos, sev, msg))
	}
	eachUses(f, check)
}

func isBranchName(v string) bool {
	switch v {
	case "main", "master", "develop", "dev", "trunk", "latest", "stable", "release", "next", "HEAD":
		return true
	}
	return false
}
