package workflow

import (
	"fmt"

	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
	wf "github.com/airlock-sec/airlock/internal/workflow"
)

// UntrustedCodeSecrets reports jobs that hold secrets while running code
// someone else can change: third-party actions by mutable ref, or tools
// installed unpinned.
type UntrustedCodeSecrets struct{}

func (UntrustedCodeSecrets) Meta() rules.Meta {
	return rules.Meta{
		ID:    "workflow/secrets-with-untrusted-code",
		Title: "job holds secrets while running code that others can change",
		Description: "This is how litellm's PyPI token was stolen: a CircleCI job installed Trivy with an unpinned " +
			"`apt-get install trivy` while the same job held `PYPI_PUBLISH_PASSWORD`, and a GitHub job ran " +
			"`aquasecurity/trivy-action` by tag. Whatever runs in a job can read every secret the job has. Reported once " +
			"per job, at the secret, naming the untrusted code: a third-party action or reusable workflow not pinned to " +
			"a commit SHA, or an unpinned tool install / `curl | sh` in a run step. Secrets are `secrets.*` expressions, " +
			"`secrets: inherit`, CircleCI contexts, and credential-named variables that CircleCI and GitLab scripts read. " +
			"Move the untrusted step into a job without secrets, or pin it.",
		Severity: model.Critical,
	}
}

func (UntrustedCodeSecrets) Check(c *Context, f *wf.File, r *rules.Reporter) {
	for _, j := range f.Jobs {
		secrets := jobSecrets(f, j)
		if len(secrets) == 0 {
			continue
		}
		var untrusted string
		var where wf.Pos
		for _, s := range j.Steps {
			if s.Uses != nil && (s.Uses.Kind == "action" || s.Uses.Kind == "reusable-workflow") && !isSHA(s.Uses.Version) && !firstParty(s.Uses) {
				untrusted = fmt.Sprintf("action %q by mutable ref %q", s.Uses.Name, s.Uses.Version)
				where = s.Uses.Raw.Pos
				break
			}
			if s.Run != nil {
				for _, in := range c.installsOf(s.Run) {
					if in.Kind == "pip-self" {
						continue
					}
					untrusted = fmt.Sprintf("%q", clip(in.Command, 80))
					where = scriptPos(s.Run, in.Line, in.Col)
					break
				}
			}
			if untrusted != "" {
				break
			}
		}
		if j.Uses != nil && untrusted == "" && !isSHA(j.Uses.Version) && j.Uses.Kind == "reusable-workflow" {
			untrusted = fmt.Sprintf("reusable workflow %q by mutable ref %q", j.Uses.Name, j.Uses.Version)
			where = j.Uses.Raw.Pos
		}
		if untrusted == "" {
			continue
		}
		var names []string
		for _, s := range secrets {
			if len(names) < 5 && !containsFold(names, s.Value) {
				names = append(names, s.Value)
			}
		}
		r.Report(at(f, where, model.Critical, fmt.Sprintf("job %q runs %s while it holds secrets (%s, line %d): that code can read and send them", j.ID.Value, untrusted, quoteList(names), secrets[0].Pos.Line)))
	}
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
