package workflow

import (
	"fmt"
	"strings"

	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
	wf "github.com/airlock-sec/airlock/internal/workflow"
)

// UnpinnedImage reports container images referenced by tag, not digest.
type UnpinnedImage struct{}

func (UnpinnedImage) Meta() rules.Meta {
	return rules.Meta{
		ID:    "workflow/unpinned-image",
		Title: "container image referenced by tag instead of digest",
		Description: "`docker://` actions, job containers and services (GitHub), `image:` (GitLab) and `docker:` " +
			"images (CircleCI) named by tag (`python:3.12`, `cimg/python:3.12`, or no tag at all, meaning `latest`) " +
			"run whatever the registry serves under that tag today. A digest (`image@sha256:…`) is immutable. " +
			"Medium severity: tags of official images move for security updates too, but a pipeline that holds " +
			"secrets should not run code an image publisher can change under it. CircleCI `machine:` images are managed by CircleCI and not reported.",
		Severity: model.Medium,
	}
}

func (UnpinnedImage) Check(_ *Context, f *wf.File, r *rules.Reporter) {
	check := func(ref *wf.Ref) {
		if ref == nil || (ref.Kind != "docker" && ref.Kind != "image") || strings.HasPrefix(ref.Version, "sha256:") {
			return
		}
		if strings.Contains(ref.Name, "${{") || strings.HasPrefix(ref.Name, "$") || ref.Name == "" {
			return // chosen at run time
		}
		tag := ref.Version
		if tag == "" {
			tag = "latest"
		}
		r.Report(at(f, ref.Raw.Pos, model.Medium, fmt.Sprintf("image %q is referenced by tag %q: pin it by digest (%s@sha256:…)", ref.Name, tag, ref.Name)))
	}
	if f.Action != nil {
		check(f.Action.Image)
	}
	for _, j := range f.Jobs {
		for i := range j.Images {
			check(&j.Images[i])
		}
		for _, s := range j.Steps {
			check(s.Uses)
		}
	}
}
