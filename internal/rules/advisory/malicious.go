package advisory

import (
	"fmt"

	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
)

// Malicious reports versions named by a malicious-package advisory.
type Malicious struct{}

func (Malicious) Meta() rules.Meta {
	return rules.Meta{
		ID:    "advisory/malicious",
		Title: "version is a known malicious package",
		Description: "The exact version is named by a malicious-package advisory (an OSV `MAL-` record, " +
			"for example from the OpenSSF malicious-packages database, or a GHSA/PYSEC record aliased to one) " +
			"in the local advisory database (`airlock db update`). The finding is critical and blocks on its own, " +
			"before and regardless of what the static analysis finds: the package was compromised or published " +
			"by an attacker, so installing it is the incident. Withdrawn advisories are ignored.",
		Severity:     model.Critical,
		Capabilities: []model.Capability{model.CapKnownMalicious},
		Needs:        []string{"advisory database"},
	}
}

func (m Malicious) Check(in *rules.Input, r *rules.Reporter) {
	for _, k := range in.Known {
		if !k.Malicious {
			continue
		}
		msg := fmt.Sprintf("%q %s is a known malicious package: %s", in.Package.Name, in.Package.Version, ids(k))
		r.Report(finding(in, k, model.Critical, msg, model.CapKnownMalicious))
	}
}
