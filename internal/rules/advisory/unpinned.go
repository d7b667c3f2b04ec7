package advisory

import (
	"fmt"

	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
)

// Unpinned reports dependencies a manifest names without an exact version.
type Unpinned struct{}

func (Unpinned) Meta() rules.Meta {
	return rules.Meta{
		ID:    "lockfile/unpinned",
		Title: "dependency is not pinned to an exact version",
		Description: "A requirements file or manifest names the dependency with a range (or nothing) instead of " +
			"an exact version and no lockfile in the project pins it, so what gets installed is whatever the index " +
			"serves that day — including a compromised release published an hour ago. airlock cannot check a " +
			"version it does not know against advisories. Low severity on its own (the verdict stays `allow`); " +
			"`advisories.unpinned: warn` or `block` in `.airlock.yaml` makes it count.",
		Severity:     model.Low,
		Capabilities: []model.Capability{model.CapUnpinned},
	}
}

func (Unpinned) Check(in *rules.Input, r *rules.Reporter) {
	for _, d := range in.Declared {
		if !d.Unpinned {
			continue
		}
		c := d.Constraint
		if c == "" {
			c = "any version"
		}
		r.Report(model.Finding{Severity: model.Low, Path: d.Path, Line: d.Line,
			Message:      fmt.Sprintf("%q is not pinned (%s); its version is unknown until install", d.Name, c),
			Capabilities: []model.Capability{model.CapUnpinned}})
	}
}
