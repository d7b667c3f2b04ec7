package workflow

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
	wf "github.com/airlock-sec/airlock/internal/workflow"
)

// PublishToken reports long-lived registry publishing credentials where
// the registry offers OIDC trusted publishing.
type PublishToken struct{}

func (PublishToken) Meta() rules.Meta {
	return rules.Meta{
		ID:    "workflow/long-lived-publish-token",
		Title: "long-lived registry publishing credential instead of trusted publishing",
		Description: "A PyPI API token or password (`PYPI_TOKEN`, `PYPI_API_TOKEN`, `TWINE_PASSWORD`, " +
			"`PYPI_PUBLISH_PASSWORD`, `pypa/gh-action-pypi-publish` with `password:`) or an npm token (`NPM_TOKEN`, " +
			"`NODE_AUTH_TOKEN`) stays valid until someone revokes it: stolen from one CI run, it publishes forever from " +
			"anywhere — litellm 1.82.7 and 1.82.8 were uploaded straight to PyPI with such a token, with no CI run and no " +
			"git tag. PyPI and npm both support OIDC trusted publishing from GitHub Actions (and GitLab CI), which mints " +
			"a short-lived, repository-bound credential per run: use it and delete the token.",
		Severity: model.High,
	}
}

var publishCred = regexp.MustCompile(`(?i)^(PYPI|TWINE|NPM|NODE_AUTH|TEST_PYPI|PYPI_PUBLISH|PYPI_API|POETRY_PYPI_TOKEN|POETRY_HTTP_BASIC_PYPI|UV_PUBLISH|FLIT|HATCH_INDEX)[A-Z0-9_]*(TOKEN|PASSWORD|PASS|AUTH|KEY)[A-Z0-9_]*$|^TWINE_PASSWORD$|^NODE_AUTH_TOKEN$`)

func (PublishToken) Check(_ *Context, f *wf.File, r *rules.Reporter) {
	report := func(p wf.Pos, name string) {
		reg := "PyPI"
		if strings.Contains(strings.ToUpper(name), "NPM") || strings.Contains(strings.ToUpper(name), "NODE_AUTH") {
			reg = "npm"
		}
		r.Report(at(f, p, model.High, fmt.Sprintf("%q is a long-lived %s publishing credential: use trusted publishing (OIDC) and revoke the token", name, reg)))
	}
	var seen = map[int]bool{}
	checkKV := func(kv wf.KV) {
		if seen[kv.Key.Pos.Line] {
			return
		}
		if f.Platform != wf.GitHub && f.Platform != wf.Action && kv.Value.Value != "" {
			for _, m := range append([][]string{{"", kv.Key.Value}}, shellVarRef.FindAllStringSubmatch(kv.Value.Value, -1)...) {
				if publishCred.MatchString(m[1]) {
					seen[kv.Key.Pos.Line] = true
					report(kv.Key.Pos, m[1])
					return
				}
			}
		}
		for _, n := range secretsIn(kv.Value.Value) {
			if publishCred.MatchString(n) || publishCred.MatchString(kv.Key.Value) {
				seen[kv.Key.Pos.Line] = true
				report(kv.Value.Pos, n)
				return
			}
		}
	}
	for _, kv := range f.Env {
		checkKV(kv)
	}
	for _, j := range f.Jobs {
		for _, kv := range append(append([]wf.KV(nil), j.Env...), j.With...) {
			checkKV(kv)
		}
		for _, s := range j.Steps {
			for _, kv := range s.Env {
				checkKV(kv)
			}
			for _, kv := range s.With {
				if usesAction(s, "pypa/gh-action-pypi-publish") && strings.EqualFold(kv.Key.Value, "password") {
					if n := secretsIn(kv.Value.Value); len(n) > 0 && !seen[kv.Key.Pos.Line] {
						seen[kv.Key.Pos.Line] = true
						report(kv.Value.Pos, n[0])
					}
					continue
				}
				checkKV(kv)
			}
			if s.Run != nil && (f.Platform == wf.CircleCI || f.Platform == wf.GitLab || f.Platform == wf.ShellScript) {
				for i, line := range strings.Split(s.Run.Text, "\n") {
					for _, m := range shellVarRef.FindAllStringSubmatch(line, -1) {
						if publishCred.MatchString(m[1]) {
							p := scriptPos(s.Run, i+1, 1)
							if !seen[p.Line] {
								seen[p.Line] = true
								report(p, m[1])
							}
						}
					}
				}
			}
		}
	}
}
