package workflow

import (
	"regexp"
	"strings"

	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
	wf "github.com/airlock-sec/airlock/internal/workflow"
)

// Provenance reports publishing without provenance or attestations.
type Provenance struct{}

func (Provenance) Meta() rules.Meta {
	return rules.Meta{
		ID:    "workflow/publish-without-provenance",
		Title: "package published without provenance",
		Description: "Provenance (npm `--provenance`, PyPI attestations made by trusted publishing) ties a " +
			"release to the repository, commit and workflow that built it, so consumers — and airlock's registry " +
			"firewall — can tell a release built by CI from one uploaded with a stolen token, as litellm 1.82.7 and " +
			"1.82.8 were. Reported: `npm publish` without `--provenance` (and without `NPM_CONFIG_PROVENANCE`), " +
			"`twine upload` / `flit publish` / `poetry publish` / `uv publish` from CI, and " +
			"`pypa/gh-action-pypi-publish` with `attestations: false`.",
		Severity: model.Medium,
	}
}

var npmPublish = regexp.MustCompile(`\b(npm|pnpm|yarn)\s+(publish|npm\s+publish)\b`)
var pyUpload = regexp.MustCompile(`\b(twine\s+upload|flit\s+publish|poetry\s+publish|uv\s+publish|hatch\s+publish)\b`)

func (Provenance) Check(_ *Context, f *wf.File, r *rules.Reporter) {
	for _, j := range f.Jobs {
		envProv := false
		for _, kv := range append(append([]wf.KV(nil), f.Env...), j.Env...) {
			if strings.EqualFold(kv.Key.Value, "NPM_CONFIG_PROVENANCE") && strings.EqualFold(kv.Value.Value, "true") {
				envProv = true
			}
		}
		for _, s := range j.Steps {
			if usesAction(s, "pypa/gh-action-pypi-publish") {
				if kv, ok := with(s, "attestations"); ok && strings.EqualFold(kv.Value.Value, "false") {
					r.Report(at(f, kv.Value.Pos, model.Medium, "PyPI upload with \"attestations: false\": remove it so the release carries provenance"))
				}
			}
			if s.Run == nil || !strings.Contains(s.Run.Text, "publish") && !strings.Contains(s.Run.Text, "upload") {
				continue
			}
			for i, line := range strings.Split(s.Run.Text, "\n") {
				if strings.HasPrefix(strings.TrimSpace(line), "#") {
					continue
				}
				if loc := npmPublish.FindStringIndex(line); loc != nil && !strings.Contains(line, "--provenance") && !envProv && !stepEnv(s, "NPM_CONFIG_PROVENANCE") {
					r.Report(at(f, scriptPos(s.Run, i+1, loc[0]+1), model.Medium, "\"npm publish\" without \"--provenance\": publish from CI with provenance (and trusted publishing)"))
				}
				if loc := pyUpload.FindStringIndex(line); loc != nil {
					r.Report(at(f, scriptPos(s.Run, i+1, loc[0]+1), model.Medium, "\""+line[loc[0]:loc[1]]+"\" uploads without attestations: use trusted publishing (pypa/gh-action-pypi-publish) so the release carries provenance"))
				}
			}
		}
	}
}

func stepEnv(s *wf.Step, key string) bool {
	for _, kv := range s.Env {
		if strings.EqualFold(kv.Key.Value, key) {
			return true
		}
	}
	return false
}
