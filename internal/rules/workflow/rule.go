// Package workflow holds the rules `airlock ci` runs over CI/CD pipeline
// files (GitHub Actions, action metadata, GitLab CI, CircleCI and the
// repository scripts they call). One rule per file; List is the registry.
package workflow

import (
	"regexp"
	"sort"
	"strings"

	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
	wf "github.com/airlock-sec/airlock/internal/workflow"
	"github.com/airlock-sec/airlock/internal/workflow/install"
)

// Context is what a rule may know beyond the file.
type Context struct {
	// Pins maps "owner/repo@ref" to the commit SHA the ref pointed at
	// (from `--resolve-from`); nil when unknown.
	Pins map[string]string

	// installs caches the install analysis of each script of the file
	// being checked (several rules need it); Run makes one per file.
	installs map[*wf.Script][]install.Finding
}

// installsOf analyzes a script's installs once per file.
func (c *Context) installsOf(s *wf.Script) []install.Finding {
	if c == nil || c.installs == nil {
		return install.Analyze(s.Text, s.Shell)
	}
	if r, ok := c.installs[s]; ok {
		return r
	}
	r := install.Analyze(s.Text, s.Shell)
	c.installs[s] = r
	return r
}

// Rule checks one pipeline file.
type Rule interface {
	Meta() rules.Meta
	Check(c *Context, f *wf.File, r *rules.Reporter)
}

// List is the registry of workflow rules, in documentation order.
// Adding a rule means one file and one line here.
func List() []Rule {
	return []Rule{
		KnownCompromised{},
		UnpinnedAction{},
		PinComment{},
		UnpinnedImage{},
		MutableInclude{},
		UnpinnedInstall{},
		UntrustedCodeSecrets{},
		PublishToken{},
		SecretsExposure{},
		DangerousTrigger{},
		ScriptInjection{},
		ExcessivePermissions{},
		Provenance{},
		PersistCredentials{},
		CachePoisoning{},
		SelfHostedPR{},
	}
}

// Run checks a file with every rule, drops suppressed findings (a
// "# airlock: ignore[rule] reason" comment on the finding's line or the
// line above), and sorts by line.
func Run(c *Context, f *wf.File, list []Rule) (kept []model.Finding, suppressed int) {
	fc := Context{installs: map[*wf.Script][]install.Finding{}}
	if c != nil {
		fc.Pins = c.Pins
	}
	c = &fc
	for _, rule := range list {
		rep := rules.NewReporter(rule.Meta())
		rule.Check(c, f, rep)
		for _, fd := range rep.Findings() {
			if isSuppressed(f, fd) {
				suppressed++
				continue
			}
			kept = append(kept, fd)
		}
	}
	sort.SliceStable(kept, func(i, j int) bool {
		a, b := kept[i], kept[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return a.Rule < b.Rule
	})
	return kept, suppressed
}

func isSuppressed(f *wf.File, fd model.Finding) bool {
	for _, s := range f.Suppressions {
		if s.Pos.Line != fd.Line && s.Pos.Line != fd.Line-1 {
			continue
		}
		for _, id := range s.Rules {
			if id == fd.Rule || id == "all" {
				return true
			}
		}
	}
	return false
}

// at starts a finding at a position of the file, with the line as
// evidence.
func at(f *wf.File, p wf.Pos, sev model.Severity, msg string) model.Finding {
	fd := model.Finding{Severity: sev, Path: f.Path, Line: p.Line, Column: p.Col, Message: msg}
	if p.Line >= 1 && p.Line <= len(f.Lines) {
		fd.Evidence = strings.TrimSpace(f.Lines[p.Line-1])
	}
	return fd
}

// eachUses calls fn with every uses: reference of the file's jobs (a
// reusable workflow) and steps (actions, docker:// images, orb
// commands); fn sees nil for jobs and steps without one.
func eachUses(f *wf.File, fn func(*wf.Ref)) {
	for _, j := range f.Jobs {
		fn(j.Uses)
		for _, s := range j.Steps {
			fn(s.Uses)
		}
	}
}

// scriptPos maps a line and a byte column of a script's text to the file.
func scriptPos(s *wf.Script, line, col int) wf.Pos {
	p := wf.Pos{Line: s.LineOf(line), Col: s.Pos.Col}
	if s.Block || line == 1 {
		// a block scalar's lines start at its indentation column
		p.Col = s.Pos.Col + col - 1
	}
	return p
}

var shaRef = regexp.MustCompile(`^[0-9a-f]{40}$`)

// isSHA reports whether a ref is a full commit SHA.
func isSHA(v string) bool { return shaRef.MatchString(v) }

// actionName is the lowercase "owner/repo" of an action ref.
func actionName(r *wf.Ref) string {
	parts := strings.SplitN(strings.ToLower(r.Name), "/", 3)
	if len(parts) < 2 {
		return strings.ToLower(r.Name)
	}
	return parts[0] + "/" + parts[1]
}

// firstParty: actions maintained by GitHub itself.
func firstParty(r *wf.Ref) bool {
	n := actionName(r)
	return strings.HasPrefix(n, "actions/") || strings.HasPrefix(n, "github/")
}

// usesAction reports whether a step uses one of the named actions
// ("actions/checkout").
func usesAction(s *wf.Step, names ...string) bool {
	if s.Uses == nil || s.Uses.Kind != "action" {
		return false
	}
	n := strings.ToLower(s.Uses.Name)
	for _, want := range names {
		if n == want || strings.HasPrefix(n, want+"/") {
			return true
		}
	}
	return false
}

func with(s *wf.Step, key string) (wf.KV, bool) {
	for _, kv := range s.With {
		if strings.EqualFold(kv.Key.Value, key) {
			return kv, true
		}
	}
	return wf.KV{}, false
}

// expr matches a GitHub expression.
var expr = regexp.MustCompile(`\$\{\{(.*?)\}\}`)

// secretRef finds secrets.NAME (or secrets['NAME']) in an expression text.
var secretRef = regexp.MustCompile(`(?i)secrets\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_-]*)|\[\s*['"]([^'"]+)['"]\s*\])`)

// secretsIn lists the secret names a text's expressions name.
func secretsIn(s string) []string {
	if !strings.Contains(s, "secrets") {
		return nil
	}
	var out []string
	for _, m := range expr.FindAllStringSubmatch(s, -1) {
		for _, sm := range secretRef.FindAllStringSubmatch(m[1], -1) {
			n := sm[1]
			if n == "" {
				n = sm[2]
			}
			if !strings.EqualFold(n, "GITHUB_TOKEN") {
				out = append(out, n)
			}
		}
	}
	return out
}

// credentialVar matches environment variable names that hold long-lived
// credentials (CircleCI and GitLab inject them from project settings or
// contexts, so the pipeline file shows only their use).
var credentialVar = regexp.MustCompile(`(?i)^[A-Z0-9_]*(PASSWORD|PASSWD|TOKEN|SECRET|API_KEY|PRIVATE_KEY|ACCESS_KEY|CREDENTIALS)[A-Z0-9_]*$`)

// shellVarRef finds $NAME and ${NAME} in shell text.
var shellVarRef = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`)

// jobSecrets lists what gives a job secrets, with a position for each:
// secrets.* expressions in its env, with and steps, CircleCI contexts,
// and credential-named variables its scripts read (CircleCI, GitLab).
func jobSecrets(f *wf.File, j *wf.Job) []wf.Str {
	var out []wf.Str
	addExpr := func(s wf.Str) {
		for _, n := range secretsIn(s.Value) {
			out = append(out, wf.Str{Value: n, Pos: s.Pos})
		}
	}
	for _, kv := range append(append([]wf.KV(nil), f.Env...), j.Env...) {
		addExpr(kv.Value)
		if f.Platform != wf.GitHub && f.Platform != wf.Action && credentialVar.MatchString(kv.Key.Value) && kv.Value.Value != "" {
			out = append(out, wf.Str{Value: kv.Key.Value, Pos: kv.Key.Pos})
		}
	}
	for _, kv := range j.With {
		addExpr(kv.Value)
	}
	if j.SecretsInherit.Line > 0 {
		out = append(out, wf.Str{Value: "inherit", Pos: j.SecretsInherit})
	}
	for _, c := range j.Contexts {
		out = append(out, wf.Str{Value: "context " + c.Value, Pos: c.Pos})
	}
	for _, s := range j.Steps {
		for _, kv := range append(append([]wf.KV(nil), s.Env...), s.With...) {
			addExpr(kv.Value)
		}
		if s.Run != nil {
			addExpr(wf.Str{Value: s.Run.Text, Pos: s.Run.Pos})
			if f.Platform == wf.CircleCI || f.Platform == wf.GitLab {
				for _, m := range shellVarRef.FindAllStringSubmatch(s.Run.Text, -1) {
					if credentialVar.MatchString(m[1]) && !strings.HasPrefix(m[1], "CI_JOB_TOKEN") {
						out = append(out, wf.Str{Value: m[1], Pos: s.Run.Pos})
					}
				}
			}
		}
	}
	return out
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = `"` + s + `"`
	}
	return strings.Join(q, ", ")
}
