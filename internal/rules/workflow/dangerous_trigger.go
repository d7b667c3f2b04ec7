package workflow

import (
	"fmt"
	"regexp"

	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
	wf "github.com/airlock-sec/airlock/internal/workflow"
)

// DangerousTrigger reports privileged triggers that check out or run
// code from a pull request.
type DangerousTrigger struct{}

func (DangerousTrigger) Meta() rules.Meta {
	return rules.Meta{
		ID:    "workflow/dangerous-trigger",
		Title: "privileged trigger checks out or runs pull-request code",
		Description: "`pull_request_target` and `workflow_run` run in the base repository's context, with its " +
			"secrets and a write token, even for pull requests from forks. Checking out the pull request's head " +
			"(`ref: ${{ github.event.pull_request.head.sha }}`, `github.head_ref`, `refs/pull/…`, " +
			"`workflow_run.head_sha`/`head_branch`, `gh pr checkout`) and then building or testing it runs the " +
			"attacker's code with those privileges (\"pwn request\"). Use `pull_request` for untrusted code, or split " +
			"into an unprivileged build and a privileged job that only reads its results.",
		Severity: model.Critical,
	}
}

var prHeadRef = regexp.MustCompile(`(?i)github\.event\.pull_request\.head\.(sha|ref)|github\.head_ref|refs/pull/|github\.event\.workflow_run\.head_(sha|branch)|github\.event\.number|pull_request\.merge_commit_sha`)
var prCheckoutCmd = regexp.MustCompile(`(?i)\bgh\s+pr\s+checkout\b|\bgit\s+(fetch|checkout)\b[^\n]*(pull/|head_ref|head\.sha|head\.ref|head_sha|head_branch)`)

func (DangerousTrigger) Check(_ *Context, f *wf.File, r *rules.Reporter) {
	var trig *wf.Trigger
	for i := range f.On {
		switch f.On[i].Event.Value {
		case "pull_request_target", "workflow_run":
			trig = &f.On[i]
		}
	}
	if trig == nil {
		return
	}
	for _, j := range f.Jobs {
		for si, s := range j.Steps {
			var where wf.Pos
			switch {
			case usesAction(s, "actions/checkout"):
				if kv, ok := with(s, "ref"); ok && prHeadRef.MatchString(kv.Value.Value) {
					where = kv.Value.Pos
				}
			case s.Run != nil && prCheckoutCmd.MatchString(s.Run.Text):
				where = s.Run.Pos
			}
			if where.Line == 0 {
				continue
			}
			runs := len(j.Steps) > si+1
			sev := model.High
			what := "checks out pull-request code"
			if runs {
				sev = model.Critical
				what = "checks out pull-request code and runs further steps on it"
			}
			r.Report(at(f, where, sev, fmt.Sprintf("workflow triggered by %q %s in job %q, with the base repository's secrets and write token", trig.Event.Value, what, j.ID.Value)))
		}
	}
}
