package policy

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/airlock-sec/airlock/internal/model"
)

// ScoringDoc renders docs/scoring.md from the scoring tables, so the
// document always says what the code does.
func ScoringDoc() []byte {
	var b bytes.Buffer
	t := DefaultThresholds()
	b.WriteString("# Scoring: from findings to a verdict\n\n")
	b.WriteString("_Generated from `internal/policy` by `go test ./internal/policy -update`; do not edit._\n\n")
	b.WriteString("A capability alone is not malice: HTTP clients use the network, cloud SDKs read `~/.aws/credentials`, build tools spawn processes. ")
	b.WriteString("airlock therefore scores **combinations** of capabilities, per file (a file together with the code decoded from it), and explains every point in the output (`why:` lines in text, `explanation` in JSON).\n\n")
	b.WriteString("## Steps\n\n")
	b.WriteString("1. Every finding carries a severity, the capabilities it shows and the context its code runs in: `startup` (`.pth`, `sitecustomize`), `install` (`setup.py`, npm install scripts and the files they run, and local modules they import), `import`, or none (tests, examples, docs).\n")
	b.WriteString("2. Per file, the score starts with the strongest finding's severity:\n\n")
	b.WriteString("| severity | points |\n|---|---|\n")
	for _, s := range []model.Severity{model.Info, model.Low, model.Medium, model.High, model.Critical} {
		fmt.Fprintf(&b, "| %s | %d |\n", s, severityPoints[s])
	}
	b.WriteString("\n3. Each combination below that the file's findings satisfy adds its points. \"hook\" combinations apply only to install-time or startup code.\n\n")
	b.WriteString("\"load\" combinations need every required capability in code that runs when the file is loaded (module level at import, install or startup), not only inside functions.\n\n")
	b.WriteString("| applies to | requires all of | and one of | points | meaning |\n|---|---|---|---|---|\n")
	for _, c := range combos {
		hook := "any code"
		if c.hook {
			hook = "hook"
		} else if c.early {
			hook = "load"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | +%d | %s |\n", hook, capList(c.all), capList(c.any), c.points, c.why)
	}
	b.WriteString("\n4. Files under test, example, docs or fixture directories count half.\n")
	b.WriteString("5. The package score is its highest file score plus a quarter of every other file's score (at most +60): weak signals spread over a package add up, but never as much as one file that does it all.\n")
	fmt.Fprintf(&b, "6. Verdict: score ≥ %d → `block`, ≥ %d → `warn`, otherwise `allow`. Change the thresholds in `.airlock.yaml` (`thresholds: {warn: N, block: M}`).\n", t.Block, t.Warn)
	b.WriteString("7. An allow-list entry (artifact digest, reason, expiry) turns the verdict into `allow` and says so in the explanation; an expired entry is reported as a diagnostic.\n\n")
	fmt.Fprintf(&b, "\n## Advisories and lockfiles\n\nFindings of the `advisory/*` and `lockfile/*` rules judge a version, not code, and are scored apart from severity: a version named by a malicious-package advisory adds %d points (it blocks on its own), a version with a known vulnerability adds %d (it warns, whatever its CVSS severity, which the finding still reports), an unpinned dependency adds nothing. They are never halved as test files. `.airlock.yaml` can raise the verdict of vulnerable and unpinned packages:\n\n```yaml\nadvisories:\n  vulnerable: block   # allow | warn | block\n  unpinned: warn\n```\n\n", KnownMaliciousPoints, VulnerablePoints)
	b.WriteString("A single critical finding (a `.pth` line that spawns the interpreter, a reverse shell, a crypto-drainer, remote code fetched and executed, three stacked obfuscation tricks) blocks on its own.\n")
	return b.Bytes()
}

func capList(cs []model.Capability) string {
	var s []string
	for _, c := range cs {
		s = append(s, "`"+string(c)+"`")
	}
	return strings.Join(s, ", ")
}
