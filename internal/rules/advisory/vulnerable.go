package advisory

import (
	"fmt"
	"strings"

	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
)

// Vulnerable reports versions affected by a vulnerability advisory.
type Vulnerable struct{}

func (Vulnerable) Meta() rules.Meta {
	return rules.Meta{
		ID:    "advisory/vulnerable",
		Title: "version has a known vulnerability",
		Description: "The exact version falls in an affected range of a vulnerability advisory (GHSA, PYSEC, GO, CVE " +
			"records in OSV format) in the local advisory database. Ranges are evaluated with the ecosystem's own " +
			"version rules (PEP 440, npm semver, Go module versions). Severity follows the advisory's CVSS v3/v4 " +
			"base score where it gives one (medium otherwise); the verdict is `warn` (see docs/scoring.md), " +
			"and `advisories.vulnerable: block` in `.airlock.yaml` makes it block. The message names the fixed versions.",
		Severity:     model.Critical,
		Capabilities: []model.Capability{model.CapVulnerable},
		Needs:        []string{"advisory database"},
	}
}

func (Vulnerable) Check(in *rules.Input, r *rules.Reporter) {
	for _, k := range in.Known {
		if k.Malicious {
			continue
		}
		msg := fmt.Sprintf("%q %s is affected by %s", in.Package.Name, in.Package.Version, ids(k))
		if len(k.Ref.Fixed) > 0 {
			msg += "; fixed in " + strings.Join(k.Ref.Fixed, ", ")
		} else {
			msg += "; no fixed version is known"
		}
		r.Report(finding(in, k, k.Severity, msg, model.CapVulnerable))
	}
}
