package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"time"

	"github.com/airlock-sec/airlock/internal/knownbad"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/policy"
	"github.com/airlock-sec/airlock/internal/report"
	"github.com/airlock-sec/airlock/internal/rules"
	"github.com/airlock-sec/airlock/internal/rules/advisory"
	"github.com/airlock-sec/airlock/internal/store"
	"github.com/airlock-sec/airlock/internal/sweep"
)

func runSweep(args []string, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("sweep", flag.ContinueOnError)
	format := fs.String("format", "text", "output format: "+strings.Join(report.Formats(), ", "))
	output := fs.String("output", "", "write the report to this file instead of standard output")
	fs.StringVar(output, "o", "", "shorthand for --output")
	failOn := fs.String("fail-on", "block", "exit 1 when a finding's verdict reaches this: block, warn or never")
	hostRoot := fs.String("host-root", "/", "directory to treat as the host's / (a mounted disk image or container filesystem)")
	var homes listFlag
	fs.Var(&homes, "home", "home directories to inspect (default: from /etc/passwd, /root and /home/*)")
	depth := fs.Int("max-depth", 8, "how deep to search the roots and homes for virtualenvs and node_modules")
	dsn := dbFlag(fs)
	verbose := fs.Bool("verbose", false, "list every environment found and its package count")
	usage := "airlock sweep [flags] [ROOT...]\n\nRead-only incident response for this machine: finds Python environments (system prefixes, ~/.local, pyenv, conda,\nuv and pipx tools, virtualenvs under the ROOTs and homes) and node_modules trees, and reports known-bad versions\n(advisory database), startup hooks (.pth files that run code and that no installed distribution owns, or whose\nrecorded hash does not match) and persistence (systemd units, cron entries and shell startup lines that run code\nfrom hidden or temporary directories). It never modifies anything.\n\nexit codes: 0 nothing reached --fail-on, 1 something did, 2 usage or input error"
	roots, err := parseFlags(fs, args, stderr, usage)
	if err != nil {
		return ExitUsage, err
	}
	f, err := report.ParseFormat(*format)
	if err != nil {
		return ExitUsage, usageError{err.Error()}
	}
	failRank, err := parseFailOn(*failOn)
	if err != nil {
		return ExitUsage, err
	}
	for _, r := range roots {
		if !strings.HasPrefix(r, "/") {
			return ExitUsage, usagef("ROOT %q must be an absolute path on the host", r)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	st, err := openAdvisories(ctx, *dsn, false, false, stderr)
	if err != nil {
		return ExitUsage, err
	}
	if st != nil {
		defer st.Close()
	}
	res, err := sweep.Sweep(ctx, sweep.Options{Root: *hostRoot, Roots: roots, Homes: homes, MaxDepth: *depth})
	if err != nil && res == nil {
		return ExitUsage, err
	}
	rep := &model.Report{SchemaVersion: model.SchemaVersion, Tool: model.Tool{Name: "airlock", Version: Version},
		Packages: append([]model.Result{}, res.Results...), Diagnostics: append([]model.Diagnostic{}, res.Diagnostics...)}
	if err != nil {
		rep.Diagnostics = append(rep.Diagnostics, model.Diagnostic{Message: "sweep stopped early: " + err.Error()})
	}
	if st != nil {
		known, diags, err := knownBadInstalled(ctx, st, res.Environments)
		if err != nil {
			return ExitUsage, err
		}
		rep.Packages = append(rep.Packages, known...)
		rep.Diagnostics = append(rep.Diagnostics, diags...)
	}
	sort.SliceStable(rep.Packages, func(i, j int) bool { return rep.Packages[i].Verdict.Rank() > rep.Packages[j].Verdict.Rank() })
	rep.Summarize()
	if *verbose {
		for _, e := range res.Environments {
			fmt.Fprintf(stderr, "airlock sweep: %s %s: %d packages\n", e.Kind, e.Path, len(e.Packages))
		}
	}
	fmt.Fprintf(stderr, "airlock sweep: %d environments, %d packages examined\n", len(res.Environments), countPackages(res.Environments))

	ropt := report.Options{Rules: append(ruleInfos(), sweepRuleInfos()...)}
	ropt.Color = autoColor(*output, stdout)
	return emitReport(stdout, *output, rep, f, ropt, failRank)
}

func countPackages(envs []sweep.Environment) int {
	n := 0
	for _, e := range envs {
		n += len(e.Packages)
	}
	return n
}

// knownBadInstalled judges every installed package of the environments
// against the advisory database; only affected packages are returned.
func knownBadInstalled(ctx context.Context, st *store.Store, envs []sweep.Environment) ([]model.Result, []model.Diagnostic, error) {
	var pkgs []model.Package
	var decl []model.Dependency
	for _, e := range envs {
		for _, d := range e.Packages {
			pkgs = append(pkgs, model.Package{Ecosystem: d.Ecosystem, Name: d.Name, Version: d.Version, Path: e.Path, Kind: "installed"})
			decl = append(decl, d)
		}
	}
	m := knownbad.New(st)
	var out []model.Result
	var diags []model.Diagnostic
	cfg := policy.DefaultConfig()
	for start := 0; start < len(pkgs); start += impactBatch {
		batch := pkgs[start:min(start+impactBatch, len(pkgs))]
		known, ds, err := m.Match(ctx, batch)
		if err != nil {
			return nil, nil, err
		}
		diags = append(diags, ds...)
		for i, ks := range known {
			if len(ks) == 0 {
				continue
			}
			d := decl[start+i]
			// cite the metadata file the version was read from
			in := &rules.Input{Package: batch[i], Known: ks, Declared: []model.Dependency{{Ecosystem: d.Ecosystem, Name: d.Name, Version: d.Version, Path: d.Path}}}
			r := model.Result{Package: batch[i], Findings: rules.Run(in, advisory.List())}
			diags = append(diags, cfg.Judge(&r, time.Now())...)
			out = append(out, r)
		}
	}
	return out, diags, nil
}

func sweepRuleInfos() []report.RuleInfo {
	var out []report.RuleInfo
	for _, r := range sweep.Rules() {
		out = append(out, report.RuleInfo{ID: r.ID, Title: r.Title, Description: r.Description, Severity: r.Severity})
	}
	return out
}

// parseFailOn maps --fail-on to a verdict rank.
func parseFailOn(s string) (int, error) {
	switch s {
	case "block":
		return model.Block.Rank(), nil
	case "warn":
		return model.Warn.Rank(), nil
	case "never":
		return 99, nil
	}
	return 0, usageError{fmt.Sprintf("--fail-on %q is not allowed (allowed: block, warn, never)", s)}
}
