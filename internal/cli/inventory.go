package cli

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/airlock-sec/airlock/internal/artifact/safeio"
	"github.com/airlock-sec/airlock/internal/ecosystem/pypi"
	"github.com/airlock-sec/airlock/internal/engine"
	"github.com/airlock-sec/airlock/internal/knownbad"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/store"
)

// envIdentity is what --record stores beside each environment's path.
type envIdentity struct {
	host, project string
}

func (id *envIdentity) flags(fs *flag.FlagSet) {
	fs.StringVar(&id.host, "host", "", "host name recorded in the inventory (default: this machine's host name)")
	fs.StringVar(&id.project, "project", "", "project name recorded in the inventory (default: the target directory's name)")
}

// recordInventory stores one environment per target with the packages
// the scan found under it.
func recordInventory(ctx context.Context, st *store.Store, id envIdentity, targets []string, rep *model.Report, stderr io.Writer, quiet bool) error {
	host := id.host
	if host == "" {
		h, err := os.Hostname()
		if err != nil {
			return fmt.Errorf("--record: host name unknown (%v); give --host", err)
		}
		host = h
	}
	now := time.Now().UTC()
	for _, t := range targets {
		abs, err := filepath.Abs(t)
		if err != nil {
			return err
		}
		prefix := filepath.ToSlash(filepath.Clean(t))
		var pkgs []store.InventoryPackage
		seen := map[store.InventoryPackage]bool{}
		for _, r := range rep.Packages {
			if r.Name == "" || r.Version == "" || r.Ecosystem == model.Unknown || !under(r.Path, prefix) {
				continue
			}
			ip := store.InventoryPackage{Ecosystem: string(r.Ecosystem), Name: knownbad.Normalize(r.Ecosystem, r.Name), Version: r.Version}
			if r.Ecosystem == model.PyPI {
				if v, err := pypi.ParseVersion(r.Version); err == nil {
					ip.Version = v.String()
				}
			}
			if !seen[ip] {
				seen[ip] = true
				pkgs = append(pkgs, ip)
			}
		}
		env := store.Environment{Host: host, Path: abs, Project: id.project, GitCommit: gitCommit(abs), Kind: envKind(abs)}
		if env.Project == "" {
			env.Project = filepath.Base(projectDir(abs))
		}
		if _, err := st.Record(ctx, env, pkgs, now); err != nil {
			return fmt.Errorf("--record %s: %w (nothing recorded for it)", t, err)
		}
		if !quiet {
			fmt.Fprintf(stderr, "airlock: recorded %s:%s with %d packages in %s\n", host, abs, len(pkgs), st.Describe())
		}
	}
	return nil
}

// under reports whether a display path lies in the target.
func under(p, target string) bool {
	if target == "." {
		return !strings.HasPrefix(p, "../") && !filepath.IsAbs(p)
	}
	return p == target || strings.HasPrefix(p, strings.TrimSuffix(target, "/")+"/")
}

func projectDir(abs string) string {
	if st, err := os.Stat(abs); err == nil && !st.IsDir() {
		return filepath.Dir(abs)
	}
	return abs
}

func envKind(abs string) string {
	st, err := os.Stat(abs)
	switch {
	case err != nil:
		return "unknown"
	case !st.IsDir():
		if engine.IsLockfile(abs) {
			return "lockfile"
		}
		return "artifact"
	case filepath.Base(abs) == "node_modules":
		return "node_modules"
	case pypi.IsSiteDir(abs):
		return "site-packages"
	}
	if _, err := os.Stat(filepath.Join(abs, "pyvenv.cfg")); err == nil {
		return "venv"
	}
	return "project"
}

// gitCommit finds the commit checked out in the repository holding dir,
// reading .git directly (no git binary, nothing run). "" when none.
func gitCommit(dir string) string {
	dir = projectDir(dir)
	for i := 0; i < 64; i++ {
		gd := filepath.Join(dir, ".git")
		if st, err := os.Stat(gd); err == nil {
			if !st.IsDir() { // worktree or submodule: "gitdir: PATH"
				b := readSmall(gd)
				rest, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "gitdir: ")
				if !ok {
					return ""
				}
				if !filepath.IsAbs(rest) {
					rest = filepath.Join(dir, rest)
				}
				gd = rest
			}
			return resolveHead(gd)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
	return ""
}

func resolveHead(gd string) string {
	head := strings.TrimSpace(string(readSmall(filepath.Join(gd, "HEAD"))))
	ref, ok := strings.CutPrefix(head, "ref: ")
	if !ok {
		return validSHA(head)
	}
	if strings.Contains(ref, "..") {
		return ""
	}
	for _, d := range []string{gd, commonDir(gd)} {
		if b := readSmall(filepath.Join(d, filepath.FromSlash(ref))); b != nil {
			return validSHA(strings.TrimSpace(string(b)))
		}
		sc := bufio.NewScanner(bytes.NewReader(readSmall(filepath.Join(d, "packed-refs"))))
		for sc.Scan() {
			sha, name, ok := strings.Cut(sc.Text(), " ")
			if ok && name == ref {
				return validSHA(sha)
			}
		}
	}
	return ""
}

func commonDir(gd string) string {
	c := strings.TrimSpace(string(readSmall(filepath.Join(gd, "commondir"))))
	if c == "" {
		return gd
	}
	if !filepath.IsAbs(c) {
		c = filepath.Join(gd, c)
	}
	return c
}

func validSHA(s string) string {
	if len(s) != 40 && len(s) != 64 {
		return ""
	}
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return ""
		}
	}
	return s
}

// readSmall reads a file of at most 1 MiB; nil when unreadable.
func readSmall(p string) []byte {
	b, err := safeio.ReadFile(p, 1<<20)
	if err != nil {
		return nil
	}
	return b
}

func runInventory(args []string, stdout, stderr io.Writer) (int, error) {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprintln(stderr, "usage: airlock inventory add [--db DSN] [--host H] [--project P] TARGET...")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return ExitOK, flag.ErrHelp
		}
		return ExitUsage, usagef("missing or unknown subcommand (allowed: add)")
	}
	fs := flag.NewFlagSet("inventory add", flag.ContinueOnError)
	dsn := dbFlag(fs)
	var id envIdentity
	id.flags(fs)
	quiet := fs.Bool("quiet", false, "print nothing but errors")
	targets, err := parseFlags(fs, args[1:], stderr, "airlock inventory add [--db DSN] [--host H] [--project P] TARGET...")
	if err != nil {
		return ExitUsage, err
	}
	if len(targets) == 0 {
		return ExitUsage, usagef("no target given: name a project, environment or lockfile to record")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	st, err := store.Open(ctx, *dsn)
	if err != nil {
		return ExitUsage, err
	}
	defer st.Close()
	// packages are identified, not analyzed: recording is fast
	configureRegistries()
	rep, err := engine.New(engine.Options{ListOnly: true}).Scan(ctx, targets)
	if err != nil {
		return ExitUsage, err
	}
	for _, d := range rep.Diagnostics {
		if !*quiet {
			fmt.Fprintln(stderr, "airlock inventory add: "+d.String())
		}
	}
	if err := recordInventory(ctx, st, id, targets, rep, stderr, *quiet); err != nil {
		return ExitUsage, err
	}
	return ExitOK, nil
}
