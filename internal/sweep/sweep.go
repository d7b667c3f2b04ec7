package sweep

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/airlock-sec/airlock/internal/model"
)

// Options configure a sweep. The zero value sweeps this machine ("/").
type Options struct {
	// Root is the directory treated as "/" (default "/"). Tests and
	// offline forensics pass a directory laid out like a host (a mounted
	// disk image, an unpacked container). Nothing outside it is read:
	// symlinks are resolved inside it and links climbing above it are
	// refused.
	Root string
	// Roots are extra directories (host paths, interpreted under Root) to
	// search for virtualenvs and node_modules trees, as homes are.
	Roots []string
	// Homes are the home directories to inspect (host paths). Default:
	// the homes of /etc/passwd users with a login shell or a UID of 1000
	// or more (not 65534), plus /root and every /home/*, when they exist.
	Homes []string
	// Now is the time "recent" is measured from (default time.Now()).
	Now time.Time
	// MaxDepth bounds how deep below each searched directory (Roots, homes,
	// /opt, /srv) the search for virtualenvs and node_modules goes
	// (default 8). Directories left unsearched are counted in a diagnostic.
	MaxDepth int
	// MaxEntries bounds the directory entries visited below each searched
	// directory (default 500,000); hitting it is a diagnostic.
	MaxEntries int
	// MaxFileBytes bounds every file read (default 8 MiB). Of a larger
	// file only the beginning is examined, with a diagnostic; hashes of
	// such files are not checked.
	MaxFileBytes int64
	// RecentWindow is how recent a modification of a cron, shell startup
	// or unit file must be to raise the severity of its findings one level
	// (default 30 days). Timestamps can be forged: an old one proves
	// nothing.
	RecentWindow time.Duration
}

// Defaults.
const (
	DefaultMaxDepth     = 8
	DefaultMaxEntries   = 500_000
	DefaultMaxFileBytes = 8 << 20
	DefaultRecentWindow = 30 * 24 * time.Hour
)

func (o Options) withDefaults() Options {
	if o.Root == "" {
		o.Root = "/"
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = DefaultMaxDepth
	}
	if o.MaxEntries <= 0 {
		o.MaxEntries = DefaultMaxEntries
	}
	if o.MaxFileBytes <= 0 {
		o.MaxFileBytes = DefaultMaxFileBytes
	}
	if o.RecentWindow <= 0 {
		o.RecentWindow = DefaultRecentWindow
	}
	return o
}

// Environment is one place packages are installed.
type Environment struct {
	// Path is the host path (without Root): the site-packages or
	// dist-packages directory for Python, the node_modules directory for
	// npm.
	Path string
	// Kind is how it was found: "system-python", "user-site", "pyenv",
	// "conda", "uv-tool", "uv-python", "pipx", "virtualenv",
	// "node_modules" or "global-node_modules".
	Kind      string
	Ecosystem model.Ecosystem
	// Packages are the installed packages: names normalized as airlock
	// normalizes them (PEP 503 for PyPI), Path the host path of the
	// metadata file (METADATA, PKG-INFO, package.json).
	Packages []model.Dependency
}

// Result is what a sweep found.
type Result struct {
	Environments []Environment
	// Results hold the host findings, one model.Result per unit:
	//   - a Python site directory with startup-hook findings:
	//     Package{Ecosystem: "pypi", Name: <site dir>, Path: <site dir>, Kind: "host-environment"};
	//   - a persistence file (unit, crontab, shell startup file):
	//     Package{Ecosystem: "unknown", Name: <file>, Path: <file>, Kind: "host-file"}.
	// Finding.Path is the host path of the file, Line its line.
	// Verdict and Score follow the strongest finding: critical blocks
	// (score 100), high (60) and medium (40) warn, low (10) allows; the
	// scores give the same verdicts under policy.DefaultThresholds.
	Results     []model.Result
	Diagnostics []model.Diagnostic
}

// Result kinds.
const (
	KindHostEnvironment = "host-environment"
	KindHostFile        = "host-file"
)

// Sweep inspects one machine (or a directory laid out like one) for
// installed packages, startup hooks and persistence. It only reads: it
// never writes, never executes anything found, never follows a symlink
// out of Root, and reads every file within Options.MaxFileBytes. Problems
// with single files or directories become diagnostics and the sweep goes
// on. An error is returned only when Root cannot be used, or with the
// partial result when ctx ends.
func Sweep(ctx context.Context, opt Options) (*Result, error) {
	opt = opt.withDefaults()
	j, err := openJail(opt.Root)
	if err != nil {
		return nil, err
	}
	defer j.close()
	s := &sweeper{
		ctx: ctx, opt: opt, j: j,
		homeOf: map[string]string{}, seenSite: map[string]bool{}, seenNM: map[string]bool{},
		claimed: map[string]bool{}, walked: map[string]int{}, seenFile: map[string]bool{},
	}
	steps := []func(){
		s.discoverHomes,
		s.discoverPython,
		s.discoverNodeGlobals,
		s.walkRoots,
		s.scanPython,
		s.scanNode,
		s.scanPersistence,
	}
	for _, step := range steps {
		if err := ctx.Err(); err != nil {
			s.stopped = err
			break
		}
		step()
	}
	return s.result(), s.stopped
}

type sweeper struct {
	ctx context.Context
	opt Options
	j   *jail

	homes  []string          // resolved home directories
	homeOf map[string]string // user name → resolved home
	pyEnvs []*pyEnv
	nmEnvs []*nmEnv

	seenSite map[string]bool // real site dirs listed
	seenNM   map[string]bool // real node_modules dirs listed
	claimed  map[string]bool // real prefixes the walk does not descend into
	walked   map[string]int  // real directories listed by the walk, at the depth they were listed
	seenFile map[string]bool // real persistence files read

	envs    []Environment
	results []model.Result
	diags   []model.Diagnostic
	stopped error
}

func (s *sweeper) diag(target, p, msg string) {
	s.diags = append(s.diags, model.Diagnostic{Target: target, Path: p, Message: msg})
}

// readerDiags adds diagnostics of the ecosystem readers, whose targets
// are paths on this machine, as host paths.
func (s *sweeper) readerDiags(ds []model.Diagnostic) {
	for _, d := range ds {
		d.Target = s.j.hostPath(d.Target)
		if s.j.osRoot != string(filepath.Separator) {
			// errors quote paths on this machine; show host paths
			d.Message = strings.ReplaceAll(d.Message, s.j.osRoot, "")
		}
		s.diags = append(s.diags, d)
	}
}

// recent says whether t lies within the recent window before Now, and
// how long ago it was, for messages.
func (s *sweeper) recent(t time.Time) (bool, string) {
	age := s.opt.Now.Sub(t)
	if age < 0 {
		return true, "modified in the future (a forged or skewed timestamp)"
	}
	if age > s.opt.RecentWindow {
		return false, ""
	}
	switch days := int(age / (24 * time.Hour)); days {
	case 0:
		return true, "modified less than a day ago"
	case 1:
		return true, "modified 1 day ago"
	default:
		return true, fmt.Sprintf("modified %d days ago", days)
	}
}

func bump(sev model.Severity) model.Severity {
	if sev < model.Critical {
		return sev + 1
	}
	return sev
}

// hostPoints scores host findings so that policy.DefaultThresholds (warn
// at 40, block at 100) give the same verdict as the severity rule.
var hostPoints = map[model.Severity]int{model.Info: 0, model.Low: 10, model.Medium: 40, model.High: 60, model.Critical: 100}

// addResult records the findings about one environment or file. Verdict
// and score follow the strongest finding: critical blocks (100), high
// (60) and medium (40) warn, low (10) and info allow.
func (s *sweeper) addResult(pkg model.Package, fs []model.Finding) {
	if len(fs) == 0 {
		return
	}
	sort.SliceStable(fs, func(a, b int) bool {
		if fs[a].Path != fs[b].Path {
			return fs[a].Path < fs[b].Path
		}
		return fs[a].Line < fs[b].Line
	})
	best := fs[0]
	for _, f := range fs[1:] {
		if f.Severity > best.Severity {
			best = f
		}
	}
	score := hostPoints[best.Severity]
	why := []string{fmt.Sprintf("strongest finding is %s (%s at %s): %d", best.Severity, best.Rule, best.Location(), score)}
	if len(fs) > 1 {
		why = append(why, fmt.Sprintf("%d findings in all", len(fs)))
	}
	s.results = append(s.results, model.Result{Package: pkg, Verdict: severityVerdict(fs), Score: score, Findings: fs, Explanation: why})
}

func (s *sweeper) result() *Result {
	r := &Result{Environments: s.envs, Results: s.results, Diagnostics: s.diags}
	sort.SliceStable(r.Environments, func(a, b int) bool { return r.Environments[a].Path < r.Environments[b].Path })
	sort.SliceStable(r.Results, func(a, b int) bool {
		if r.Results[a].Kind != r.Results[b].Kind {
			return r.Results[a].Kind < r.Results[b].Kind
		}
		return r.Results[a].Name < r.Results[b].Name
	})
	sort.SliceStable(r.Diagnostics, func(a, b int) bool {
		x, y := r.Diagnostics[a], r.Diagnostics[b]
		if x.Target != y.Target {
			return x.Target < y.Target
		}
		if x.Path != y.Path {
			return x.Path < y.Path
		}
		return x.Message < y.Message
	})
	if r.Environments == nil {
		r.Environments = []Environment{}
	}
	if r.Results == nil {
		r.Results = []model.Result{}
	}
	if r.Diagnostics == nil {
		r.Diagnostics = []model.Diagnostic{}
	}
	return r
}

// maxGlobEntries bounds the entries of one directory globHost matches.
const maxGlobEntries = 10000

// globHost expands a host path pattern ("/home/u/.nvm/versions/node/*")
// one component at a time inside the jail. Matches are resolved real
// paths, sorted; links that leave the root are diagnostics.
func (s *sweeper) globHost(pattern string) []string {
	cur := []string{"/"}
	for _, comp := range splitHost(cleanHost(pattern)) {
		var next []string
		for _, dir := range cur {
			if !strings.ContainsAny(comp, "*?[") {
				next = append(next, s.resolveOrDiag(joinHost(dir, comp))...)
				continue
			}
			entries, truncated, err := s.j.readDir(dir, maxGlobEntries)
			if err != nil {
				continue
			}
			if truncated {
				s.diag(dir, "", fmt.Sprintf("more than %d entries; only the first were matched against %q", maxGlobEntries, comp))
			}
			for _, e := range entries {
				if ok, _ := path.Match(comp, e.Name()); ok {
					next = append(next, s.resolveOrDiag(joinHost(dir, e.Name()))...)
				}
			}
		}
		cur = next
		if len(cur) == 0 {
			return nil
		}
	}
	sort.Strings(cur)
	return cur
}

// resolveOrDiag resolves p; a missing path is silently nothing, a link
// out of the root or a loop is a diagnostic.
func (s *sweeper) resolveOrDiag(p string) []string {
	real, err := s.j.resolve(p)
	if err != nil {
		if err == errEscape || err == errLoop {
			s.diag(p, "", errText(err))
		}
		return nil
	}
	return []string{real}
}

func joinHost(dir, name string) string {
	if dir == "/" {
		return "/" + name
	}
	return dir + "/" + name
}
