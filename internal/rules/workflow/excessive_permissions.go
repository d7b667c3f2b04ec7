package workflow

import (
	"fmt"
	"strings"

	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
	wf "github.com/airlock-sec/airlock/internal/workflow"
)

// ExcessivePermissions reports GITHUB_TOKEN permissions wider than needed.
type ExcessivePermissions struct{}

func (ExcessivePermissions) Meta() rules.Meta {
	return rules.Meta{
		ID:    "workflow/excessive-permissions",
		Title: "permissions of the GITHUB_TOKEN not restricted",
		Description: "Every job gets a `GITHUB_TOKEN`; anything the job runs can use it. Without a top-level " +
			"`permissions:` block (and without one on every job) it gets the repository's default, which is write " +
			"access to contents, packages and more in many repositories (medium). `write-all` grants everything (high). " +
			"`id-token: write` lets the job mint OIDC tokens that cloud providers and registries trust: granted where " +
			"no step uses OIDC (cloud credential actions, trusted publishing, attestations, signing) it is only a " +
			"liability (medium). Start from `permissions: {}` or `contents: read` and grant per job.",
		Severity: model.High,
	}
}

// oidcUsers are actions that consume the OIDC token.
var oidcUsers = []string{"aws-actions/configure-aws-credentials", "google-github-actions/auth", "azure/login",
	"pypa/gh-action-pypi-publish", "actions/attest-build-provenance", "actions/attest", "actions/attest-sbom",
	"sigstore/gh-action-sigstore-python", "sigstore/cosign-installer", "hashicorp/vault-action", "docker/login-action",
	"slsa-framework/slsa-github-generator", "octo-sts/action", "jfrog/setup-jfrog-cli", "chainguard-dev/setup-chainctl"}

func (ExcessivePermissions) Check(_ *Context, f *wf.File, r *rules.Reporter) {
	if f.Platform != wf.GitHub {
		return
	}
	if f.Permissions == nil && len(f.Jobs) > 0 {
		allJobs := true
		for _, j := range f.Jobs {
			if j.Permissions == nil && j.Uses == nil {
				allJobs = false
			}
		}
		if !allJobs {
			p := wf.Pos{Line: 1, Col: 1}
			if f.Name.IsSet() {
				p = f.Name.Pos
			}
			r.Report(at(f, p, model.Medium, "no top-level \"permissions:\" block: jobs without their own get the repository's default token permissions; add \"permissions: {}\" or \"contents: read\""))
		}
	}
	check := func(p *wf.Permissions, scope string, uses func() bool) {
		if p == nil {
			return
		}
		if p.All == "write-all" {
			r.Report(at(f, p.Pos, model.High, fmt.Sprintf("%s grants \"write-all\": grant only the scopes it needs", scope)))
		}
		if v, ok := p.Scopes["id-token"]; ok && v.Value == "write" && !uses() {
			r.Report(at(f, v.Pos, model.Medium, fmt.Sprintf("%s grants \"id-token: write\" but no step uses OIDC: remove it", scope)))
		}
	}
	usesOIDC := func(jobs []*wf.Job) func() bool {
		return func() bool {
			for _, j := range jobs {
				if j.Uses != nil {
					return true // a reusable workflow may need it
				}
				for _, s := range j.Steps {
					if usesAction(s, oidcUsers...) {
						return true
					}
					if s.Run != nil && (strings.Contains(s.Run.Text, "ACTIONS_ID_TOKEN_REQUEST") || strings.Contains(s.Run.Text, "--provenance") ||
						strings.Contains(s.Run.Text, "npm publish") || strings.Contains(s.Run.Text, "cosign") || strings.Contains(s.Run.Text, "gh attestation")) {
						return true
					}
				}
			}
			return false
		}
	}
	check(f.Permissions, "the workflow", usesOIDC(f.Jobs))
	for _, j := range f.Jobs {
		check(j.Permissions, fmt.Sprintf("job %q", j.ID.Value), usesOIDC([]*wf.Job{j}))
	}
}
