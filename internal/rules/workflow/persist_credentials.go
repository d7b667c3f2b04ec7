package workflow

import (
	"fmt"
	"strings"

	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
	wf "github.com/airlock-sec/airlock/internal/workflow"
)

// PersistCredentials reports checkouts that leave the token on disk in a
// job that uploads artifacts.
type PersistCredentials struct{}

func (PersistCredentials) Meta() rules.Meta {
	return rules.Meta{
		ID:    "workflow/persist-credentials",
		Title: "checkout keeps the token on disk in a job that uploads artifacts",
		Description: "`actions/checkout` writes the job's `GITHUB_TOKEN` into `.git/config` unless " +
			"`persist-credentials: false` is set. A job that then uploads an artifact of the working tree (or a " +
			"directory containing `.git`) publishes the token to anyone who can download the artifact — for public " +
			"repositories, everyone. Set `persist-credentials: false` on the checkout.",
		Severity: model.Medium,
	}
}

func (PersistCredentials) Check(_ *Context, f *wf.File, r *rules.Reporter) {
	for _, j := range f.Jobs {
		var checkout *wf.Step
		uploads := false
		for _, s := range j.Steps {
			if usesAction(s, "actions/checkout") {
				if kv, ok := with(s, "persist-credentials"); ok && strings.EqualFold(kv.Value.Value, "false") {
					continue
				}
				if checkout == nil {
					checkout = s
				}
			}
			if usesAction(s, "actions/upload-artifact", "actions/upload-pages-artifact") {
				uploads = true
			}
		}
		if checkout != nil && uploads {
			r.Report(at(f, checkout.Uses.Raw.Pos, model.Medium, fmt.Sprintf("job %q checks out with the token persisted in .git/config and uploads artifacts: set \"persist-credentials: false\"", j.ID.Value)))
		}
	}
}
