// Package engine is the one place that knows the whole order of a scan:
// targets → packages → artifacts → analysis → rules → policy → results.
package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/airlock-sec/airlock/internal/analyze"
	"github.com/airlock-sec/airlock/internal/artifact"
	"github.com/airlock-sec/airlock/internal/ecosystem/pypi"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/policy"
	"github.com/airlock-sec/airlock/internal/rules"
)

// Options configure a scan.
type Options struct {
	Rules    []rules.Rule
	Config   *policy.Config
	Limits   artifact.Limits
	Analysis analyze.Limits
	// Workers is the number of packages analyzed at once (default GOMAXPROCS).
	Workers int
	// Progress, when set, is called after each package.
	Progress func(done, total int, current string)
	// Now is the clock for allow-list expiry (default time.Now).
	Now func() time.Time
	// ListOnly identifies packages and checks them against advisories
	// without analyzing their code (inventory, SBOMs).
	ListOnly bool
	// Observe, when set, sees every package before it is judged, with
	// the lockfile lines declaring it (SBOMs). It is called from several
	// goroutines at once.
	Observe func(in *rules.Input)
	// Known, when set, is the advisory database: every package version
	// found (analyzed or only declared by a lockfile) is looked up in it.
	Known KnownSource
}

// Engine runs scans.
type Engine struct {
	opt Options
}

// New makes an engine with defaults filled in.
func New(opt Options) *Engine {
	if opt.Config == nil {
		opt.Config = policy.DefaultConfig()
	}
	if opt.Limits == (artifact.Limits{}) {
		opt.Limits = artifact.DefaultLimits()
	}
	if opt.Analysis.MaxDepth == 0 {
		opt.Analysis = analyze.DefaultLimits()
	}
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Engine{opt: opt}
}

// job is one package to analyze, found by discovery.
type job struct {
	target string
	pkg    model.Package
	// open loads the package's files.
	open func() (*artifact.Artifact, error)
	// installed-environment facts
	orphanPth []string
	record    []pypi.RecordEntry
}

// Scan vets every target and returns the report. Input problems become
// diagnostics; the error is only for unusable arguments (a missing path).
func (e *Engine) Scan(ctx context.Context, targets []string) (*model.Report, error) {
	rep := &model.Report{SchemaVersion: model.SchemaVersion, Packages: []model.Result{}, Diagnostics: []model.Diagnostic{}}
	var jobs []job
	ls := &lockSet{}
	for _, t := range targets {
		if _, err := os.Lstat(t); err != nil {
			return nil, fmt.Errorf("scan target %q: %w", t, err)
		}
		js, diags := e.discover(t, ls)
		jobs = append(jobs, js...)
		rep.Diagnostics = append(rep.Diagnostics, diags...)
	}
	declared, order := ls.declared()
	for _, ds := range declared {
		sortDeclared(ds)
	}
	results := make([]model.Result, len(jobs))
	diags := make([][]model.Diagnostic, len(jobs))
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	next := make(chan int)
	for w := 0; w < e.opt.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i], diags[i] = e.scanJob(ctx, jobs[i], declared)
				if e.opt.Progress != nil {
					mu.Lock()
					done++
					e.opt.Progress(done, len(jobs), jobs[i].pkg.Path)
					mu.Unlock()
				}
			}
		}()
	}
	for i := range jobs {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	covered := map[depKey]bool{}
	for i := range jobs {
		rep.Diagnostics = append(rep.Diagnostics, diags[i]...)
		if results[i].Verdict != "" { // a package that could not be opened has only diagnostics
			rep.Packages = append(rep.Packages, results[i])
			p := results[i].Package
			covered[keyOf(p.Ecosystem, p.Name, p.Version)] = true
			covered[keyOf(p.Ecosystem, p.Name, "")] = true // an installed version settles an unpinned line
		}
	}
	lres, ldiags, err := e.lockResults(ctx, declared, order, covered)
	if err != nil {
		return nil, err
	}
	rep.Packages = append(rep.Packages, lres...)
	rep.Diagnostics = append(rep.Diagnostics, ldiags...)
	sort.SliceStable(rep.Packages, func(i, j int) bool {
		a, b := rep.Packages[i], rep.Packages[j]
		if a.Verdict.Rank() != b.Verdict.Rank() {
			return a.Verdict.Rank() > b.Verdict.Rank()
		}
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		return a.Path < b.Path
	})
	rep.Summarize()
	return rep, nil
}

func (e *Engine) scanJob(ctx context.Context, j job, declared map[depKey][]model.Dependency) (res model.Result, diags []model.Diagnostic) {
	cur := j.pkg // identified from metadata once read
	defer func() {
		// A bug triggered by one hostile package must not end the whole
		// scan: report it on that package and go on.
		if r := recover(); r != nil {
			// fail closed: what could not be analyzed is not allowed
			res = model.Result{Package: cur, Verdict: model.Block, Findings: []model.Finding{},
				Explanation: []string{"analysis failed with an internal error; blocked until it can be analyzed (see diagnostics)"}}
			diags = append(diags, model.Diagnostic{Target: j.pkg.Path, Message: fmt.Sprintf("internal error while analyzing this package (please report it): %v", r)})
		}
	}()
	art, err := j.open()
	if err != nil {
		return model.Result{}, []model.Diagnostic{{Target: j.target, Message: err.Error()}}
	}
	expandNested(art, e.opt.Limits)
	for _, d := range art.Diagnostics {
		d.Target = j.pkg.Path
		diags = append(diags, d)
	}
	// Known-bad versions are looked up first, from the metadata alone:
	// what an advisory names is blocked whatever the analysis finds.
	p := j.pkg
	identify(&p, art)
	var known []rules.Known
	lookupFailed := false
	if p.Name != "" && p.Version != "" && e.opt.Known != nil {
		ks, ds, err := e.opt.Known.Match(ctx, []model.Package{p})
		if err != nil {
			lookupFailed = true
			diags = append(diags, model.Diagnostic{Target: j.pkg.Path, Message: "advisory lookup failed: " + err.Error()})
		} else {
			known = ks[0]
		}
		diags = append(diags, ds...)
	}
	var in *rules.Input
	if e.opt.ListOnly {
		in = &rules.Input{Package: p}
	} else {
		in = e.BuildInput(p, art) // already identified: the artifact is not hashed twice
	}
	cur = in.Package
	in.OrphanPth = j.orphanPth
	in.HashMismatch = checkRecord(art, j.record)
	in.Known = known
	if p := in.Package; p.Name != "" && p.Version != "" {
		in.Declared = declared[keyOf(p.Ecosystem, p.Name, p.Version)]
	}
	for _, d := range in.Diagnostics {
		d.Target = j.pkg.Path
		diags = append(diags, d)
	}
	res, ds := e.Judge(in)
	if len(in.Diagnostics) > 0 && res.Allowed == "" {
		// a file that crashed the analysis was not vetted: fail closed
		res.Verdict = model.Block
		res.Explanation = append(res.Explanation, fmt.Sprintf("%d file(s) could not be analyzed (internal error); blocked until they can be", len(in.Diagnostics)))
	}
	if lookupFailed && res.Allowed == "" {
		// fail closed: a version that could not be checked is not allowed
		res.Verdict = model.Block
		res.Explanation = append(res.Explanation, "the advisory database could not be read; blocked until the version can be checked")
	}
	return res, append(diags, ds...)
}

// Judge runs the rules over an analyzed package and applies the policy.
func (e *Engine) Judge(in *rules.Input) (model.Result, []model.Diagnostic) {
	if e.opt.Observe != nil {
		e.opt.Observe(in)
	}
	res := model.Result{Package: in.Package}
	res.Findings = rules.Run(in, e.opt.Rules)
	if res.Findings == nil {
		res.Findings = []model.Finding{}
	}
	diags := e.opt.Config.Judge(&res, e.opt.Now())
	return res, diags
}

// sha256File hashes an artifact file for allow-listing and reports.
func sha256File(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

func displayPath(p string) string {
	if rel, err := filepath.Rel(".", p); err == nil && !filepath.IsAbs(p) {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(p)
}

// Candidate is one package found by discovery, not yet analyzed.
type Candidate struct{ j job }

// Package is what discovery knows of the package before reading it.
func (c Candidate) Package() model.Package { return c.j.pkg }

// Open reads the package's files (bounded by the engine's limits).
func (c Candidate) Open() (*artifact.Artifact, error) { return c.j.open() }

// Discover lists the packages Scan would analyze for targets, without
// reading them. Benchmarks use it to time reading alone.
func (e *Engine) Discover(targets []string) ([]Candidate, []model.Diagnostic, error) {
	var out []Candidate
	var diags []model.Diagnostic
	for _, t := range targets {
		if _, err := os.Lstat(t); err != nil {
			return nil, nil, fmt.Errorf("scan target %q: %w", t, err)
		}
		js, ds := e.discover(t, &lockSet{})
		for _, j := range js {
			out = append(out, Candidate{j})
		}
		diags = append(diags, ds...)
	}
	return out, diags, nil
}
