package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/airlock-sec/airlock/internal/artifact/safeio"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/report"
	wfrules "github.com/airlock-sec/airlock/internal/rules/workflow"
	wf "github.com/airlock-sec/airlock/internal/workflow"
	"github.com/airlock-sec/airlock/internal/workflow/pin"
)

var platforms = []string{string(wf.GitHub), string(wf.Action), string(wf.GitLab), string(wf.CircleCI), string(wf.ShellScript)}

func runCI(args []string, stdout, stderr io.Writer) (int, error) {
	if len(args) > 0 && args[0] == "pin" {
		return runCIPin(args[1:], stdout, stderr)
	}
	if os.Getenv("GOGC") == "" {
		// pipeline files are small and parsed all at once: collecting
		// less often saves CPU; the soft memory limit still bounds RSS
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	fs := flag.NewFlagSet("ci", flag.ContinueOnError)
	format := fs.String("format", "text", "output format: "+strings.Join(report.Formats(), ", "))
	fs.StringVar(format, "f", "text", "shorthand for --format")
	output := fs.String("output", "", "write the report to this file instead of standard output")
	fs.StringVar(output, "o", "", "shorthand for --output")
	failOn := fs.String("fail-on", "block", "exit 1 when a file's verdict reaches this: block, warn or never")
	platform := fs.String("platform", "", "read the named files (or every *.yml/*.yaml in the named directories) as this CI system: "+strings.Join(platforms, ", "))
	resolveFrom := fs.String("resolve-from", "", "map of action refs to commit SHAs (\"owner/repo@ref SHA\" lines) to check pin comments against")
	var disable listFlag
	fs.Var(&disable, "disable", "rule IDs to disable (repeatable, comma-separated)")
	verbose := fs.Bool("verbose", false, "list files without findings too")
	quiet := fs.Bool("quiet", false, "no diagnostics summary on standard error")
	fs.BoolVar(quiet, "q", false, "shorthand for --quiet")
	usage := "airlock ci [flags] [PATH...]\n       airlock ci pin [--dry-run] [--resolve-from FILE] [PATH...]\n\nAudits CI/CD pipelines: GitHub Actions workflows and action metadata, GitLab CI (with local includes), CircleCI, and the\nrepository scripts they call. PATH is a repository (default \".\") or pipeline files.\n\nSuppress a finding with a comment on its line or the line above: # airlock: ignore[workflow/rule-id] reason\nexit codes: 0 nothing reached --fail-on, 1 something did, 2 usage or input error"
	paths, err := parseFlags(fs, args, stderr, usage)
	if err != nil {
		return ExitUsage, err
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	f, err := report.ParseFormat(*format)
	if err != nil {
		return ExitUsage, usageError{err.Error()}
	}
	failRank, err := parseFailOn(*failOn)
	if err != nil {
		return ExitUsage, err
	}
	if *platform != "" && !slices.Contains(platforms, *platform) {
		return ExitUsage, usagef("--platform %q is not allowed (allowed: %s)", *platform, strings.Join(platforms, ", "))
	}
	list := wfrules.List()
	known := map[string]bool{}
	for _, r := range list {
		known[r.Meta().ID] = true
	}
	for _, id := range disable {
		if !known[id] {
			return ExitUsage, usagef("--disable: unknown rule %q (run \"airlock rules\" for the list)", id)
		}
	}
	var kept []wfrules.Rule
	for _, r := range list {
		if !slices.Contains(disable, r.Meta().ID) {
			kept = append(kept, r)
		}
	}
	rc := &wfrules.Context{}
	if *resolveFrom != "" {
		m, err := pin.LoadMap(*resolveFrom)
		if err != nil {
			return ExitUsage, fmt.Errorf("--resolve-from: %w", err)
		}
		rc.Pins = m.Pins()
	}
	var mu sync.Mutex
	var results []model.Result
	judge := func(f *wf.File) {
		r := judgePipeline(f, rc, kept)
		mu.Lock()
		results = append(results, r)
		mu.Unlock()
	}
	files, diags, err := collectPipelines(paths, wf.Platform(*platform), judge)
	if err != nil {
		return ExitUsage, err
	}
	rep := &model.Report{SchemaVersion: model.SchemaVersion, Tool: model.Tool{Name: "airlock", Version: Version},
		Packages: results, Diagnostics: append([]model.Diagnostic{}, diags...)}
	if rep.Packages == nil {
		rep.Packages = []model.Result{}
	}
	sort.SliceStable(rep.Diagnostics, func(i, j int) bool { return rep.Diagnostics[i].Target < rep.Diagnostics[j].Target })
	sort.SliceStable(rep.Packages, func(i, j int) bool {
		a, b := rep.Packages[i], rep.Packages[j]
		if a.Verdict.Rank() != b.Verdict.Rank() {
			return a.Verdict.Rank() > b.Verdict.Rank()
		}
		return a.Path < b.Path
	})
	rep.Summarize()
	if !*quiet && len(files) == 0 {
		fmt.Fprintln(stderr, "airlock ci: no pipeline files found (looked for .github/workflows/*, action.yml, .gitlab-ci.yml, .circleci/config.yml)")
	}
	ropt := report.Options{Verbose: *verbose, Rules: workflowRuleInfos()}
	ropt.Color = autoColor(*output, stdout)
	return emitReport(stdout, *output, rep, f, ropt, failRank)
}

// collectPipelines finds and parses the pipeline files of the paths.
// Files named explicitly (or under a directory with --platform) are read
// and parsed in parallel. When each is set, it is called for every file
// as soon as it is parsed, on the parsing goroutine, so that parsing and
// checking overlap.
func collectPipelines(paths []string, force wf.Platform, each func(*wf.File)) ([]*wf.File, []model.Diagnostic, error) {
	var files []*wf.File
	var diags []model.Diagnostic
	type pending struct {
		path string
		plat wf.Platform
		size int64
	}
	var todo []pending
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, nil, fmt.Errorf("ci target %q: %w", p, err)
		}
		switch {
		case st.IsDir() && force == "":
			fs, ds := wf.Discover(p)
			files, diags = append(files, fs...), append(diags, ds...)
		case st.IsDir():
			ents, err := os.ReadDir(p)
			if err != nil {
				return nil, nil, err
			}
			for _, e := range ents {
				ext := strings.ToLower(filepath.Ext(e.Name()))
				if e.Type().IsRegular() && (ext == ".yml" || ext == ".yaml" || force == wf.ShellScript && ext == ".sh") {
					var size int64
					if fi, err := e.Info(); err == nil {
						size = fi.Size()
					}
					todo = append(todo, pending{filepath.Join(p, e.Name()), force, size})
				}
			}
		default:
			plat := force
			if plat == "" {
				plat = wf.Detect(p)
			}
			if plat == "" {
				return nil, nil, usagef("cannot tell which CI system %q belongs to; give --platform (%s)", p, strings.Join(platforms, ", "))
			}
			todo = append(todo, pending{p, plat, st.Size()})
		}
	}
	// largest first, so that no worker is left with a big file at the end
	sort.SliceStable(todo, func(i, j int) bool { return todo[i].size > todo[j].size })
	if each != nil {
		found := files
		parallel(len(found), func(i int) { each(found[i]) })
	}
	parsed := make([]*wf.File, len(todo))
	pdiags := make([][]model.Diagnostic, len(todo))
	parallel(len(todo), func(i int) {
		p := todo[i].path
		data, err := readPipelineFile(p)
		if err != nil {
			pdiags[i] = []model.Diagnostic{{Target: p, Message: err.Error()}}
			return
		}
		file, ds, err := wf.Parse(p, data, todo[i].plat)
		pdiags[i] = ds
		if err != nil {
			pdiags[i] = append(pdiags[i], model.Diagnostic{Target: p, Message: err.Error()})
			return
		}
		parsed[i] = file
		if each != nil {
			each(file)
		}
	})
	for i := range todo {
		diags = append(diags, pdiags[i]...)
		if parsed[i] != nil {
			files = append(files, parsed[i])
		}
	}
	return files, diags, nil
}

// parallel calls fn(0..n-1) on GOMAXPROCS goroutines.
func parallel(n int, fn func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

// judgePipeline turns a file's findings into a result. A pipeline's
// verdict follows its strongest finding: critical or high blocks, medium
// warns.
func judgePipeline(f *wf.File, rc *wfrules.Context, list []wfrules.Rule) (res model.Result) {
	res = model.Result{Package: model.Package{Ecosystem: model.CI, Name: f.Path, Path: f.Path, Kind: string(f.Platform)}}
	defer func() {
		if r := recover(); r != nil {
			// fail closed: a pipeline that could not be checked is not passed
			res.Verdict = model.Block
			res.Findings = []model.Finding{}
			res.Explanation = []string{fmt.Sprintf("checking failed with an internal error (please report it): %v", r)}
		}
	}()
	res.Findings, res.Suppressed = wfrules.Run(rc, f, list)
	if res.Findings == nil {
		res.Findings = []model.Finding{}
	}
	best := model.Info
	for _, fd := range res.Findings {
		if fd.Severity > best {
			best = fd.Severity
		}
	}
	res.Verdict = model.Allow
	switch {
	case len(res.Findings) == 0:
	case best >= model.High:
		res.Verdict, res.Score = model.Block, 100
	case best == model.Medium:
		res.Verdict, res.Score = model.Warn, 40
	default:
		res.Score = 5
	}
	if len(res.Findings) > 0 {
		res.Explanation = []string{fmt.Sprintf("strongest finding is %s: critical and high block, medium warns", best)}
	}
	return res
}

func workflowRuleInfos() []report.RuleInfo {
	var out []report.RuleInfo
	for _, r := range wfrules.List() {
		out = append(out, ruleInfo(r.Meta()))
	}
	return out
}

func runCIPin(args []string, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("ci pin", flag.ContinueOnError)
	dry := fs.Bool("dry-run", false, "print a diff instead of rewriting files")
	resolveFrom := fs.String("resolve-from", "", "resolve refs from this map file (\"owner/repo@ref SHA [tag]\" lines, or JSON) instead of the GitHub API")
	apiURL := fs.String("api-url", "https://api.github.com", "GitHub REST API base URL (token from GITHUB_TOKEN or GH_TOKEN)")
	usage := "airlock ci pin [--dry-run] [--resolve-from FILE] [--api-url URL] [PATH...]\n\nRewrites action and reusable-workflow refs to full commit SHAs with a \"# vX.Y.Z\" comment, keeping the rest of each file byte for byte.\nexit codes: 0 done, 2 a ref could not be resolved (the others are still pinned) or usage error"
	paths, err := parseFlags(fs, args, stderr, usage)
	if err != nil {
		return ExitUsage, err
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	var res pin.Resolver
	if *resolveFrom != "" {
		m, err := pin.LoadMap(*resolveFrom)
		if err != nil {
			return ExitUsage, fmt.Errorf("--resolve-from: %w", err)
		}
		res = m
	} else {
		tok := os.Getenv("GITHUB_TOKEN")
		if tok == "" {
			tok = os.Getenv("GH_TOKEN")
		}
		res = pin.NewGitHubResolver(*apiURL, tok, nil)
	}
	files, diags, err := collectPipelines(paths, "", nil)
	if err != nil {
		return ExitUsage, err
	}
	for _, d := range diags {
		fmt.Fprintln(stderr, "airlock ci pin: "+d.String())
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	failed, changed := 0, 0
	for _, f := range files {
		if f.Platform != wf.GitHub && f.Platform != wf.Action {
			continue
		}
		old, err := readPipelineFile(f.Path)
		if err != nil {
			return ExitUsage, err
		}
		out, changes, errs := pin.File(ctx, f.Path, old, res)
		for _, e := range errs {
			if errors.Is(e, pin.ErrNotHandled) {
				fmt.Fprintf(stderr, "airlock ci pin: %s: note: %v\n", f.Path, e)
				continue
			}
			failed++
			fmt.Fprintf(stderr, "airlock ci pin: %s: %v\n", f.Path, e)
		}
		if len(changes) == 0 {
			continue
		}
		changed += len(changes)
		if *dry {
			fmt.Fprint(stdout, pin.Diff(f.Path, old, out))
			continue
		}
		if err := writeFileAtomic(f.Path, out); err != nil {
			return ExitUsage, err
		}
	}
	verb := "pinned"
	if *dry {
		verb = "would pin"
	}
	fmt.Fprintf(stderr, "airlock ci pin: %s %d reference(s)\n", verb, changed)
	if failed > 0 {
		return ExitUsage, nil
	}
	return ExitOK, nil
}

// writeFileAtomic replaces a file through a temporary file in the same
// directory, keeping its mode: a crash leaves the old or the new file.
func writeFileAtomic(p string, data []byte) error {
	st, err := os.Stat(p)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".airlock-pin-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Chmod(st.Mode().Perm()); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), p); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// readPipelineFile reads a pipeline file of at most 8 MiB (the parser
// refuses more than 4 MiB with a diagnostic of its own).
func readPipelineFile(p string) ([]byte, error) { return safeio.ReadFile(p, 8<<20) }
