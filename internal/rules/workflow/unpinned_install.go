package workflow

import (
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
	wf "github.com/airlock-sec/airlock/internal/workflow"
)

// UnpinnedInstall reports tools installed without a version or run
// straight from a download.
type UnpinnedInstall struct{}

func (UnpinnedInstall) Meta() rules.Meta {
	return rules.Meta{
		ID:    "workflow/unpinned-install",
		Title: "tool installed without a pinned version or checksum",
		Description: "Run steps (and the repository scripts they call) that install tools without a version fetch " +
			"whatever the package source serves that day: litellm's CircleCI job ran `apt-get install trivy` from " +
			"Aqua's repository while the compromised Trivy 0.69.4 was published, in a job that held the PyPI " +
			"publishing password. Reported: `apt-get`/`yum`/`apk`/`brew` installs without a version, `pip install` " +
			"without `==` (pip itself low), `pipx`/`uv tool`, `npm i -g` and `npx` without an exact version, " +
			"`go install …@latest`, `gem`/`cargo install` without a version (medium); `curl … | sh` and files " +
			"downloaded and run without a checksum or signature check (high). `npm ci`, `pip install -r` and project " +
			"installs from lockfiles are not reported here (`airlock scan` checks lockfiles).",
		Severity: model.High,
	}
}

func installSeverity(kind string) model.Severity {
	switch kind {
	case "curl-pipe-shell", "download-exec":
		return model.High
	case "pip-self":
		return model.Low
	}
	return model.Medium
}

func (UnpinnedInstall) Check(c *Context, f *wf.File, r *rules.Reporter) {
	for _, j := range f.Jobs {
		for _, s := range j.Steps {
			if s.Run == nil {
				continue
			}
			for _, in := range c.installsOf(s.Run) {
				fd := at(f, scriptPos(s.Run, in.Line, in.Col), installSeverity(in.Kind), in.Message)
				fd.Evidence = in.Command
				r.Report(fd)
			}
		}
	}
}
