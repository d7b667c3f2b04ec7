// Package cli is airlock's command line. Exit codes are mapped here and
// nowhere else.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/airlock-sec/airlock/internal/ecosystem/npm"
)

// Exit codes, documented in docs/usage.md.
const (
	ExitOK      = 0 // nothing reached the --fail-on verdict
	ExitFail    = 1 // at least one package reached the --fail-on verdict
	ExitUsage   = 2 // usage or input error
	ExitFailure = 3 // internal failure (a bug): report it
)

// Version is set at build time with -ldflags "-X …/cli.Version=…".
var Version = "0.1.0-dev"

// usageError is a mistake in how airlock was called.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) (int, error)
}

func commands() []command {
	return []command{
		{"scan", "vet packages, archives, installed environments and projects", runScan},
		{"rules", "list the rules airlock runs", runRules},
		{"db", "update and inspect the advisory database (OSV)", runDB},
		{"inventory", "record environments and their packages in the inventory", runInventory},
		{"where", "list the environments that have or had a package version", runWhere},
		{"impact", "report inventory packages newly matched by advisories", runImpact},
		{"sbom", "write a CycloneDX or SPDX bill of materials", runSBOM},
		{"ci", "audit CI/CD pipelines (GitHub Actions, GitLab CI, CircleCI); \"ci pin\" pins actions to commit SHAs", runCI},
		{"sweep", "read-only incident response: known-bad versions, startup hooks, persistence on this host", runSweep},
		{"version", "print airlock's version", func(_ []string, out, _ io.Writer) (int, error) {
			fmt.Fprintln(out, "airlock", Version)
			return ExitOK, nil
		}},
	}
}

// Main runs airlock with args (without the program name) and returns the
// exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(stdout)
		if len(args) == 0 {
			return ExitUsage
		}
		return ExitOK
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		code, err := c.run(args[1:], stdout, stderr)
		if err != nil {
			var ue usageError
			if errors.As(err, &ue) {
				fmt.Fprintf(stderr, "airlock %s: %v\nrun \"airlock %s -h\" for usage\n", c.name, err, c.name)
				return ExitUsage
			}
			if errors.Is(err, flag.ErrHelp) {
				return ExitOK
			}
			fmt.Fprintf(stderr, "airlock %s: %v\n", c.name, err)
			if code == ExitOK {
				code = ExitUsage
			}
		}
		return code
	}
	fmt.Fprintf(stderr, "airlock: unknown command %q (allowed: %s)\n", args[0], strings.Join(commandNames(), ", "))
	return ExitUsage
}

func commandNames() []string {
	var n []string
	for _, c := range commands() {
		n = append(n, c.name)
	}
	sort.Strings(n)
	return n
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "airlock keeps malicious and compromised dependencies out of machines, CI and production.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "usage: airlock <command> [flags] [args]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "exit codes: 0 nothing blocked, 1 a package reached --fail-on, 2 usage or input error")
}

// parseInterspersed parses flags that may follow positional arguments.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func isTTY(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// configureRegistries reads the npm registries of the user's own
// configuration: airlock assumes no registry host of its own. Called by
// the commands that read npm lockfiles (scan, sbom, inventory add).
func configureRegistries() {
	wd, _ := os.Getwd()
	home, _ := os.UserHomeDir()
	npm.SetDefaultRegistries(npm.RegistriesFromConfig(wd, home, os.Getenv))
}
