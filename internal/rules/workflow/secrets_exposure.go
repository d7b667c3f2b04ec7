package workflow

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
	wf "github.com/airlock-sec/airlock/internal/workflow"
)

// SecretsExposure reports secrets handed out wholesale or printed.
type SecretsExposure struct{}

func (SecretsExposure) Meta() rules.Meta {
	return rules.Meta{
		ID:    "workflow/secrets-exposure",
		Title: "secrets passed wholesale or printed",
		Description: "`toJSON(secrets)` puts every repository and organization secret into one value (high); " +
			"`secrets: inherit` gives a reusable workflow all of the caller's secrets instead of the ones it needs " +
			"(medium); `echo`/`printf` of a `${{ secrets.* }}` expression writes the secret to the build log, where " +
			"GitHub's masking fails for transformed values (high).",
		Severity: model.High,
	}
}

var toJSONSecrets = regexp.MustCompile(`(?i)tojson\s*\(\s*secrets\s*\)`)
var echoSecret = regexp.MustCompile(`(?i)\b(echo|printf|print)\b[^\n|;&]*\$\{\{\s*secrets\.`)

func (SecretsExposure) Check(_ *Context, f *wf.File, r *rules.Reporter) {
	for i, line := range f.Lines {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		if !strings.Contains(line, "secrets") {
			continue // cheap filter before the regular expressions
		}
		if loc := toJSONSecrets.FindStringIndex(line); loc != nil {
			r.Report(at(f, wf.Pos{Line: i + 1, Col: loc[0] + 1}, model.High, "\"toJSON(secrets)\" exposes every secret to this step: pass the secrets it needs by name"))
		}
		if loc := echoSecret.FindStringIndex(line); loc != nil {
			r.Report(at(f, wf.Pos{Line: i + 1, Col: loc[0] + 1}, model.High, "a secret is printed to the build log: remove the echo"))
		}
	}
	for _, j := range f.Jobs {
		if j.SecretsInherit.Line > 0 {
			name := ""
			if j.Uses != nil {
				name = j.Uses.Name
			}
			r.Report(at(f, j.SecretsInherit, model.Medium, fmt.Sprintf("\"secrets: inherit\" gives reusable workflow %q every secret of the caller: pass the ones it needs", name)))
		}
	}
}
