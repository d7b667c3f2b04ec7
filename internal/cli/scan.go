package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/airlock-sec/airlock/internal/engine"
	"github.com/airlock-sec/airlock/internal/knownbad"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/policy"
	"github.com/airlock-sec/airlock/internal/report"
	"github.com/airlock-sec/airlock/internal/rules"
	"github.com/airlock-sec/airlock/internal/rules/registry"
	"github.com/airlock-sec/airlock/internal/store"
)

// DefaultConfigFile is read from the working directory when --config is
// not given.
const DefaultConfigFile = ".airlock.yaml"

type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*l = append(*l, p)
		}
	}
	return nil
}

func runScan(args []string, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	format := fs.String("format", "text", "output format: "+strings.Join(report.Formats(), ", "))
	fs.StringVar(format, "f", "text", "shorthand for --format")
	output := fs.String("output", "", "write the report to this file instead of standard output")
	fs.StringVar(output, "o", "", "shorthand for --output")
	failOn := fs.String("fail-on", "block", "exit 1 when a package's verdict reaches this: block, warn or never")
	configPath := fs.String("config", "", "policy file (default "+DefaultConfigFile+" in the working directory, if present)")
	var disable listFlag
	fs.Var(&disable, "disable", "rule IDs to disable (repeatable, comma-separated)")
	quiet := fs.Bool("quiet", false, "no progress on standard error")
	fs.BoolVar(quiet, "q", false, "shorthand for --quiet")
	verbose := fs.Bool("verbose", false, "list allowed packages and their findings too")
	color := fs.String("color", "auto", "colour in text output: auto, always, never")
	workers := fs.Int("workers", 0, "packages analyzed in parallel (default: number of CPUs)")
	dsn := dbFlag(fs)
	record := fs.Bool("record", false, "store each target as an environment with its package list in the inventory (see \"airlock where\")")
	var id envIdentity
	id.flags(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: airlock scan [flags] TARGET...")
		fmt.Fprintln(stderr, "\nTARGET is a package archive (wheel, sdist, npm tarball, zip; recognized by content), an unpacked package,")
		fmt.Fprintln(stderr, "a site-packages or node_modules directory, a virtualenv or a project directory.")
		fmt.Fprintln(stderr, "\nflags:")
		fs.SetOutput(stderr)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	targets, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.Usage()
			return ExitOK, err
		}
		return ExitUsage, usageError{err.Error()}
	}
	if len(targets) == 0 {
		return ExitUsage, usagef("no target given: name an archive, a directory or an environment to scan")
	}
	f, err := report.ParseFormat(*format)
	if err != nil {
		return ExitUsage, usageError{err.Error()}
	}
	failRank, err := parseFailOn(*failOn)
	if err != nil {
		return ExitUsage, err
	}
	switch *color {
	case "auto", "always", "never":
	default:
		return ExitUsage, usagef("--color %q is not allowed (allowed: auto, always, never)", *color)
	}
	cfg, err := loadConfig(*configPath)
	if err != nil {
		return ExitUsage, err
	}
	known := registry.IDs()
	for _, id := range disable {
		if !known[id] {
			return ExitUsage, usagef("--disable: unknown rule %q (run \"airlock rules\" for the list)", id)
		}
	}
	cfg.Rules.Disable = append(cfg.Rules.Disable, disable...)

	var ruleList []rules.Rule
	for _, r := range registry.All() {
		if !cfg.Disabled(r.Meta().ID) {
			ruleList = append(ruleList, r)
		}
	}
	opt := engine.Options{Rules: ruleList, Config: cfg, Workers: *workers}
	if !*quiet && isTTY(stderr) {
		opt.Progress = func(done, total int, cur string) {
			fmt.Fprintf(stderr, "\r\x1b[Kscanning %d/%d %s", done, total, clipPath(cur, 60))
			if done == total {
				fmt.Fprint(stderr, "\r\x1b[K")
			}
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	st, err := openAdvisories(ctx, *dsn, *record, *quiet, stderr)
	if err != nil {
		return ExitUsage, err
	}
	if st != nil {
		defer st.Close()
		opt.Known = knownbad.New(st)
	}
	configureRegistries()
	rep, err := engine.New(opt).Scan(ctx, targets)
	if err != nil {
		return ExitUsage, err
	}
	rep.Tool = model.Tool{Name: "airlock", Version: Version}
	if *record {
		if err := recordInventory(ctx, st, id, targets, rep, stderr, *quiet); err != nil {
			return ExitUsage, err
		}
	}

	ropt := report.Options{Verbose: *verbose, Rules: ruleInfos()}
	ropt.Color = *color == "always" || *color == "auto" && autoColor(*output, stdout)
	return emitReport(stdout, *output, rep, f, ropt, failRank)
}

func loadConfig(p string) (*policy.Config, error) {
	known := registry.IDs()
	if p == "" {
		if _, err := os.Stat(DefaultConfigFile); err != nil {
			return policy.DefaultConfig(), nil
		}
		p = DefaultConfigFile
	}
	c, err := policy.LoadConfig(p, known)
	if err != nil {
		return nil, usageError{err.Error()}
	}
	return c, nil
}

// ruleInfos is the metadata of the package rules for SARIF.
func ruleInfos() []report.RuleInfo {
	var out []report.RuleInfo
	for _, r := range registry.All() {
		out = append(out, ruleInfo(r.Meta()))
	}
	return out
}

func ruleInfo(m rules.Meta) report.RuleInfo {
	return report.RuleInfo{ID: m.ID, Title: m.Title, Description: m.Description, Severity: m.Severity}
}

// emitReport writes the report (to --output or standard output) and maps
// the verdicts to the exit code: ExitFail when a package reached
// failRank. Shared by scan, sweep and ci.
func emitReport(stdout io.Writer, output string, rep *model.Report, format report.Format, ropt report.Options, failRank int) (int, error) {
	if err := writeOutput(output, stdout, func(w io.Writer) error { return report.Write(w, rep, string(format), ropt) }); err != nil {
		return ExitUsage, fmt.Errorf("write report: %w", err)
	}
	for _, p := range rep.Packages {
		if p.Verdict.Rank() >= failRank {
			return ExitFail, nil
		}
	}
	return ExitOK, nil
}

// autoColor: colour only on a terminal, and not when NO_COLOR is set.
func autoColor(output string, stdout io.Writer) bool {
	return output == "" && isTTY(stdout) && os.Getenv("NO_COLOR") == ""
}

func clipPath(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// openAdvisories opens the store for a scan. Without --record a missing
// database is not created: the scan runs without advisories and says so
// once on standard error.
func openAdvisories(ctx context.Context, dsn string, create, quiet bool, stderr io.Writer) (*store.Store, error) {
	var st *store.Store
	var err error
	if create {
		st, err = store.Open(ctx, dsn)
	} else {
		st, err = store.OpenExisting(ctx, dsn)
	}
	if errors.Is(err, store.ErrNotExist) {
		// said even with --quiet: the scan is weaker than the user may think
		fmt.Fprintf(stderr, "airlock: no advisory database at %s: known-malicious and vulnerable versions are not checked (run \"airlock db update\")\n", describeDSN(dsn))
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if quiet {
		return st, nil
	}
	total, _, _, err := st.AdvisoryCounts(ctx)
	if err != nil {
		st.Close()
		return nil, err
	}
	if total == 0 {
		fmt.Fprintf(stderr, "airlock: the advisory database at %s is empty: known-malicious and vulnerable versions are not checked (run \"airlock db update\")\n", st.Describe())
		return st, nil
	}
	if srcs, err := st.Sources(ctx); err == nil {
		var newest time.Time
		for _, s := range srcs {
			if s.UpdatedAt.After(newest) {
				newest = s.UpdatedAt
			}
		}
		if !newest.IsZero() && time.Since(newest) > 7*24*time.Hour {
			fmt.Fprintf(stderr, "airlock: the advisory database was last updated %s ago; run \"airlock db update\"\n", age(time.Since(newest)))
		}
	}
	return st, nil
}

// writeOutput runs write on standard output, or on the named file, which
// is then closed and checked: a report cut short by a full disk is an
// error, not a silent truncation.
func writeOutput(path string, stdout io.Writer, write func(io.Writer) error) error {
	if path == "" {
		return write(stdout)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
