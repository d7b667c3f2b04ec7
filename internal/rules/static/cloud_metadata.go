package static

import (
	"github.com/airlock-sec/airlock/internal/analyze"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
)

// CloudMetadata flags queries of cloud instance-metadata services.
type CloudMetadata struct{}

func (CloudMetadata) Meta() rules.Meta {
	return rules.Meta{
		ID:    "static/cloud-metadata",
		Title: "queries a cloud metadata endpoint",
		Description: "The instance-metadata services (169.254.169.254, `metadata.google.internal`, Azure's IMDS identity endpoint, 100.100.100.200) hand out " +
			"cloud credentials to whatever runs on the machine; the trivy-action and litellm stealers queried them. Cloud SDKs do too, so this is medium severity " +
			"and scores high only with exfiltration or decoding findings.",
		Severity:     model.Medium,
		Capabilities: []model.Capability{model.CapCloudMeta},
	}
}

var metadataIndicators = []indicator{
	{"169.254.169.254", "instance metadata service"}, {"metadata.google.internal", "GCP metadata service"}, {"100.100.100.200", "Alibaba metadata service"},
	{"fd00:ec2::254", "AWS metadata service (IPv6)"}, {"/computemetadata/v1", "GCP metadata service"}, {"/metadata/identity/oauth2", "Azure managed identity"},
	{"169.254.170.2", "ECS task credentials"},
}

func (CloudMetadata) Check(in *rules.Input, r *rules.Reporter) {
	in.EachFacts(func(f *rules.File, u *analyze.Facts) {
		for _, s := range u.Strings {
			if ind, ok := firstMatch(s.Value, metadataIndicators); ok {
				fd := rules.At(u, s.Line, model.Medium, "queries the "+ind.label+" "+shortQuote(s.Value), model.CapCloudMeta)
				fd.Evidence = s.Value
				r.Report(fd)
				return
			}
		}
	})
}
