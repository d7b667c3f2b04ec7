package workflow

import (
	"fmt"
	"strings"

	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
	wf "github.com/airlock-sec/airlock/internal/workflow"
)

// PinComment reports SHA pins whose version comment names a tag that
// points at another commit.
type PinComment struct{}

func (PinComment) Meta() rules.Meta {
	return rules.Meta{
		ID:    "workflow/pin-comment-mismatch",
		Title: "commit pin's version comment names a different commit",
		Description: "`uses: owner/repo@<sha> # v1.2.3` tells reviewers the pin is release v1.2.3. When the tag " +
			"points at another commit, the comment misleads: either the pin was swapped for a look-alike commit (an " +
			"impostor commit from a fork, or a malicious commit an attacker force-pushed and a bot pinned) or the tag " +
			"was moved after pinning. Checked against a resolution map given with `airlock ci --resolve-from FILE` " +
			"(the same format `airlock ci pin` reads: `owner/repo@ref <sha>` lines); without one the rule has nothing to compare and reports nothing.",
		Severity: model.High,
		Needs:    []string{"resolution map (--resolve-from)"},
	}
}

func (PinComment) Check(c *Context, f *wf.File, r *rules.Reporter) {
	if c == nil || len(c.Pins) == 0 {
		return
	}
	check := func(ref *wf.Ref) {
		if ref == nil || !isSHA(ref.Version) || ref.Comment == "" {
			return
		}
		tag := strings.TrimSpace(ref.Comment)
		tag = strings.TrimPrefix(tag, "tag=")
		if i := strings.IndexAny(tag, " \t("); i > 0 {
			tag = tag[:i]
		}
		want, ok := c.Pins[actionName(ref)+"@"+tag]
		if !ok || strings.EqualFold(want, ref.Version) {
			return
		}
		r.Report(at(f, ref.Raw.Pos, model.High, fmt.Sprintf("%q is pinned to %q but its comment says %q, which is commit %q: check which code this runs",
			ref.Name, ref.Version[:12], tag, want[:min(12, len(want))])))
	}
	eachUses(f, check)
}
