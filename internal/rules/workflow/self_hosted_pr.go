package workflow

import (
	"fmt"
	"strings"

	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
	wf "github.com/airlock-sec/airlock/internal/workflow"
)

// SelfHostedPR reports self-hosted runners used for pull requests.
type SelfHostedPR struct{}

func (SelfHostedPR) Meta() rules.Meta {
	return rules.Meta{
		ID:    "workflow/self-hosted-pr",
		Title: "self-hosted runner runs pull requests",
		Description: "A workflow triggered by `pull_request` (or `pull_request_target`) runs the pull request's " +
			"code; on a public repository that includes pull requests from forks by anyone. On a self-hosted runner " +
			"that code runs on your machine, which usually persists between jobs, sits inside your network and holds " +
			"credentials — a foothold for the next job. Use GitHub-hosted or ephemeral, isolated runners for pull " +
			"requests, or require approval for outside contributors.",
		Severity: model.High,
	}
}

func (SelfHostedPR) Check(_ *Context, f *wf.File, r *rules.Reporter) {
	pr := ""
	for _, t := range f.On {
		if t.Event.Value == "pull_request" || t.Event.Value == "pull_request_target" {
			pr = t.Event.Value
		}
	}
	if pr == "" {
		return
	}
	for _, j := range f.Jobs {
		for _, l := range j.RunsOn {
			if strings.EqualFold(l.Value, "self-hosted") {
				r.Report(at(f, l.Pos, model.High, fmt.Sprintf("job %q runs %q events on a self-hosted runner: fork pull requests run on your machine", j.ID.Value, pr)))
				break
			}
		}
	}
}
