package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/airlock-sec/airlock/internal/advisory"
	"github.com/airlock-sec/airlock/internal/knownbad"
	"github.com/airlock-sec/airlock/internal/store"
)

// OSVExport is the URL of OSV's bulk export of one ecosystem: a zip with
// one OSV JSON file per advisory, malicious-package reports included.
func OSVExport(ecosystem string) string {
	return "https://osv-vulnerabilities.storage.googleapis.com/" + url.PathEscape(ecosystem) + "/all.zip"
}

// defaultEcosystems are the OSV exports `db update` imports by default.
var defaultEcosystems = []string{"PyPI", "npm", "Go"}

func runDB(args []string, stdout, stderr io.Writer) (int, error) {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(stderr, "usage: airlock db update [--db DSN] [--from URL|FILE|DIR]... [--ecosystem PyPI,npm,Go]")
		fmt.Fprintln(stderr, "       airlock db status [--db DSN] [--format text|json]")
		if len(args) == 0 {
			return ExitUsage, usagef("missing subcommand (allowed: update, status)")
		}
		return ExitOK, flag.ErrHelp
	}
	switch args[0] {
	case "update":
		return runDBUpdate(args[1:], stdout, stderr)
	case "status":
		return runDBStatus(args[1:], stdout, stderr)
	}
	return ExitUsage, usagef("unknown subcommand %q (allowed: update, status)", args[0])
}

func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", "", "store: a SQLite file or postgres://… (default $AIRLOCK_DB or "+store.DefaultPath()+")")
}

// parseFlags parses fs and handles -h.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer, usage string) ([]string, error) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: "+usage)
		fmt.Fprintln(stderr, "\nflags:")
		fs.SetOutput(stderr)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.Usage()
			return nil, err
		}
		return nil, usageError{err.Error()}
	}
	return pos, nil
}

func runDBUpdate(args []string, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("db update", flag.ContinueOnError)
	dsn := dbFlag(fs)
	var from, ecos listFlag
	fs.Var(&from, "from", "import from this URL, zip file or directory of OSV JSON (repeatable; default: OSV's export of each --ecosystem)")
	fs.Var(&ecos, "ecosystem", "OSV ecosystems to download when --from is not given (default PyPI,npm,Go)")
	quiet := fs.Bool("quiet", false, "print nothing but errors")
	pos, err := parseFlags(fs, args, stderr, "airlock db update [--db DSN] [--from URL|FILE|DIR]... [--ecosystem PyPI,npm,Go]")
	if err != nil {
		return ExitUsage, err
	}
	if len(pos) > 0 {
		return ExitUsage, usagef("unexpected argument %q (name sources with --from)", pos[0])
	}
	if len(from) > 0 && len(ecos) > 0 {
		return ExitUsage, usagef("--ecosystem selects OSV's default exports; it cannot be combined with --from")
	}
	if len(from) == 0 {
		if len(ecos) == 0 {
			ecos = defaultEcosystems
		}
		for _, e := range ecos {
			if !validOSVEcosystem(e) {
				return ExitUsage, usagef("--ecosystem %q is not allowed (allowed: PyPI, npm, Go)", e)
			}
			from = append(from, OSVExport(e))
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	st, err := store.Open(ctx, *dsn)
	if err != nil {
		return ExitUsage, err
	}
	defer st.Close()
	failed := 0
	for _, src := range from {
		sum, err := importSource(ctx, st, src, stderr, *quiet)
		if err != nil {
			failed++
			fmt.Fprintf(stderr, "airlock db update: %s: %v (the database keeps its previous contents for this source)\n", src, err)
			if ctx.Err() != nil {
				return ExitUsage, nil
			}
			continue
		}
		if !*quiet {
			fmt.Fprintln(stdout, sum)
		}
	}
	if failed > 0 {
		return ExitUsage, nil
	}
	return ExitOK, nil
}

func validOSVEcosystem(e string) bool {
	for _, d := range defaultEcosystems {
		if d == e {
			return true
		}
	}
	return false
}

func isURL(s string) bool { return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") }

// importSource imports one source in one transaction.
func importSource(ctx context.Context, st *store.Store, src string, stderr io.Writer, quiet bool) (string, error) {
	start := time.Now()
	key := src
	path := src
	var etag, lastMod string
	if isURL(src) {
		prev, _, err := st.Source(ctx, src)
		if err != nil {
			return "", err
		}
		dir := os.TempDir()
		if st.Backend() == "sqlite" {
			dir = filepath.Dir(st.Describe()) // same file system, no surprise tmpfs limits
		}
		dl, err := advisory.Fetch(ctx, advisory.DefaultHTTPClient(), src, dir, prev.ETag, prev.LastModified)
		if err != nil {
			return "", err
		}
		if dl.NotModified {
			return fmt.Sprintf("%s: not modified since %s; %d records kept", src, prev.UpdatedAt.Format(time.RFC3339), prev.Records), nil
		}
		defer os.Remove(dl.Path)
		path, etag, lastMod = dl.Path, dl.ETag, dl.LastModified
	} else {
		abs, err := filepath.Abs(src)
		if err != nil {
			return "", err
		}
		key = abs
	}
	im, err := st.BeginImport(ctx, key)
	if err != nil {
		return "", err
	}
	defer im.Rollback()
	var records, changed, bad, other int
	var newest time.Time
	err = advisory.ReadFeed(ctx, path, func(r advisory.Record) error {
		if r.Err != nil {
			bad++
			if !quiet && bad <= 20 {
				fmt.Fprintf(stderr, "airlock db update: %s: skipped %s: %v\n", src, r.Name, r.Err)
			}
			return nil
		}
		a := r.Advisory
		keys := knownbad.RecordKeys(a)
		if len(keys) == 0 {
			other++
			return nil
		}
		records++
		if a.Modified.After(newest) {
			newest = a.Modified
		}
		ok, err := im.Put(ctx, store.AdvisoryRecord{ID: a.ID, Modified: a.Modified, Withdrawn: a.Withdrawn != nil,
			Malicious: a.Malicious(), Aliases: a.Aliases, Packages: keys, JSON: r.JSON})
		if ok {
			changed++
		}
		return err
	})
	if err != nil {
		return "", err
	}
	if bad > 20 && !quiet {
		fmt.Fprintf(stderr, "airlock db update: %s: %d more files skipped\n", src, bad-20)
	}
	if err := im.Commit(ctx, store.SourceStatus{Source: key, UpdatedAt: time.Now().UTC(), Records: records, Changed: changed,
		Newest: newest, ETag: etag, LastModified: lastMod}); err != nil {
		return "", err
	}
	msg := fmt.Sprintf("%s: %d records, %d new or changed", src, records, changed)
	if bad > 0 {
		msg += fmt.Sprintf(", %d unreadable skipped", bad)
	}
	if other > 0 {
		msg += fmt.Sprintf(", %d for other ecosystems ignored", other)
	}
	return msg + fmt.Sprintf(" (%.1fs)", time.Since(start).Seconds()), nil
}

type dbStatus struct {
	Store     string               `json:"store"`
	Backend   string               `json:"backend"`
	Total     int                  `json:"advisories"`
	Malicious int                  `json:"malicious"`
	Withdrawn int                  `json:"withdrawn"`
	Sources   []store.SourceStatus `json:"sources"`
}

func runDBStatus(args []string, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("db status", flag.ContinueOnError)
	dsn := dbFlag(fs)
	format := fs.String("format", "text", "output format: text or json")
	if _, err := parseFlags(fs, args, stderr, "airlock db status [--db DSN] [--format text|json]"); err != nil {
		return ExitUsage, err
	}
	if *format != "text" && *format != "json" {
		return ExitUsage, usagef("--format %q is not allowed (allowed: text, json)", *format)
	}
	ctx := context.Background()
	st, err := store.OpenExisting(ctx, *dsn)
	if errors.Is(err, store.ErrNotExist) {
		return ExitUsage, fmt.Errorf("no advisory database at %s; run \"airlock db update\"", describeDSN(*dsn))
	}
	if err != nil {
		return ExitUsage, err
	}
	defer st.Close()
	s := dbStatus{Store: st.Describe(), Backend: st.Backend()}
	if s.Total, s.Malicious, s.Withdrawn, err = st.AdvisoryCounts(ctx); err != nil {
		return ExitUsage, err
	}
	if s.Sources, err = st.Sources(ctx); err != nil {
		return ExitUsage, err
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return ExitOK, enc.Encode(s)
	}
	fmt.Fprintf(stdout, "store      %s (%s)\n", s.Store, s.Backend)
	fmt.Fprintf(stdout, "advisories %d (%d malicious-package reports, %d withdrawn)\n", s.Total, s.Malicious, s.Withdrawn)
	if len(s.Sources) == 0 {
		fmt.Fprintln(stdout, "sources    none yet: run \"airlock db update\"")
	}
	for _, src := range s.Sources {
		fmt.Fprintf(stdout, "source     %s\n           updated %s (%s ago), %d records, newest modified %s\n",
			src.Source, src.UpdatedAt.Format(time.RFC3339), age(time.Since(src.UpdatedAt)), src.Records, src.Newest.Format(time.RFC3339))
	}
	return ExitOK, nil
}

func describeDSN(dsn string) string {
	if dsn == "" {
		return store.DefaultPath()
	}
	return dsn
}

func age(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}
