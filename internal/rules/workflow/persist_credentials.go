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
			"`persist-credentials: false` is set. A job that then uploads an artifact of the whole working tree " +
			"(`path: .`, `**`, `${{ github.workspace }}`, or `.git` itself) publishes the token to anyone who can " +
			"download the artifact — for public repositories, everyone. Uploads of build output directories are not " +
			"reported. Set `persist-credentials: false` on the checkout.",
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
			if usesAction(s, "actions/upload-artifact", "actions/upload-pages-artifact") && uploadsCheckout(s) {
				uploads = true
			}
		}
		if checkout != nil && uploads {
			r.Report(at(f, checkout.Uses.Raw.Pos, model.Medium, fmt.Sprintf("job %q checks out with the token persisted in .git/config and uploads artifacts: set \"persist-credentials: false\"", j.ID.Value)))
		}
	}
}

// uploadsCheckout reports whether an upload's path takes in the checkout
// itself (and so .git/config): the workspace root, "**" globs from it, or
// .git named explicitly.
func uploadsCheckout(s *wf.Step) bool {
	kv, ok := with(s, "path")
	if !ok {
		return s.Uses != nil && strings.Contains(strings.ToLower(s.Uses.Name), "pages") // pages default is _site
	}
	for _, line := range strings.Split(kv.Value.Value, "\n") {
		p := strings.TrimSpace(line)
		switch {
		case p == "." || p == "./" || p == "*" || p == "**" || p == "./**" || p == "**/*":
			return true
		case strings.Contains(p, "github.workspace") && (strings.HasSuffix(p, "}}") || strings.HasSuffix(p, "}}/")):
			return true
		case strings.Contains(p, ".git") && !strings.Contains(p, ".github") && !strings.HasPrefix(p, "!"):
			return true
		}
	}
	return false
}
