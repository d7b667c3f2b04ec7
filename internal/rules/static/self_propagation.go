package static

import (
	"strings"

	"github.com/airlock-sec/airlock/internal/analyze"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
)

// SelfPropagation flags worm behavior: republishing packages with stolen
// tokens, creating repositories for loot, planting CI workflows.
type SelfPropagation struct{}

func (SelfPropagation) Meta() rules.Meta {
	return rules.Meta{
		ID:    "static/self-propagation",
		Title: "spreads itself or plants CI workflows",
		Description: "Shai-Hulud republished every package its stolen npm token could reach (`npm publish` after rewriting `package.json`), created GitHub repositories for the loot " +
			"(`POST /user/repos`) and planted `.github/workflows/*.yml` that posted `toJSON(secrets)`. Two or more of these signals in one file are high severity; " +
			"release tools that only run `npm publish` get an informational note that scores nothing.",
		Severity:     model.High,
		Capabilities: []model.Capability{model.CapPropagation},
	}
}

func (SelfPropagation) Check(in *rules.Input, r *rules.Reporter) {
	in.EachFacts(func(f *rules.File, u *analyze.Facts) {
		var sig []string
		line := 0
		add := func(s string, l int) {
			for _, x := range sig {
				if x == s {
					return
				}
			}
			sig = append(sig, s)
			if line == 0 {
				line = l
			}
		}
		for _, s := range u.Strings {
			if len(s.Value) > 20000 || !mentions(s.Value, propagationWords) {
				continue
			}
			ls := strings.ToLower(s.Value)
			switch {
			case strings.HasPrefix(strings.TrimSpace(ls), "npm publish"):
				add("runs \"npm publish\"", s.Line)
			case strings.Contains(ls, "/user/repos") || strings.Contains(ls, "/orgs/") && strings.Contains(ls, "/repos") && strings.Contains(ls, "api.github.com"):
				add("creates GitHub repositories", s.Line)
			case strings.Contains(ls, ".github/workflows/") && len(ls) < 300:
				add("writes a GitHub workflow", s.Line)
			case strings.Contains(ls, "tojson(secrets)"):
				add("dumps all CI secrets", s.Line)
			case strings.Contains(ls, "-/whoami") || strings.Contains(ls, "/-/npm/v1/tokens"):
				add("checks the npm token", s.Line)
			case strings.Contains(ls, "trufflehog"):
				add("runs a secret scanner", s.Line)
			}
		}
		eachCommand(u, func(c analyze.Command, words []string) {
			if cmdName(words) == "npm" && len(words) > 1 && words[1] == "publish" {
				add("runs \"npm publish\"", c.Line)
			}
		})
		if len(sig) == 0 {
			return
		}
		if len(sig) < 2 {
			// one signal is what release tooling does: note it, score nothing
			r.Report(rules.At(u, line, model.Info, strings.Join(sig, ", ")))
			return
		}
		r.Report(rules.At(u, line, model.High, strings.Join(sig, ", "), model.CapPropagation))
	})
}

var propagationWords = words("npm publish", "/repos", ".github/workflows/", "tojson(secrets)", "-/whoami", "/-/npm/v1/tokens", "trufflehog")
