package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/airlock-sec/airlock/internal/advisory"
	"github.com/airlock-sec/airlock/internal/ecosystem/npm"
	"github.com/airlock-sec/airlock/internal/ecosystem/pypi"
	"github.com/airlock-sec/airlock/internal/knownbad"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/store"
)

// pkgQuery is "ecosystem:name[@version or range]".
type pkgQuery struct {
	eco   model.Ecosystem
	name  string
	spec  string
	match func(v string) bool
}

func parsePkgQuery(s string) (pkgQuery, error) {
	e, rest, ok := strings.Cut(s, ":")
	if !ok || rest == "" {
		return pkgQuery{}, fmt.Errorf("%q: want ecosystem:name[@version|@range], e.g. pypi:litellm@1.82.8 (ecosystems: pypi, npm, go)", s)
	}
	q := pkgQuery{eco: model.Ecosystem(strings.ToLower(e))}
	if knownbad.OSVEcosystem(q.eco) == "" {
		return q, fmt.Errorf("%q: unknown ecosystem %q (allowed: pypi, npm, go)", s, e)
	}
	// an npm scope starts with "@": the version separator is the last "@"
	at := strings.LastIndex(rest, "@")
	if at > 0 {
		q.name, q.spec = rest[:at], strings.TrimSpace(rest[at+1:])
	} else {
		q.name = rest
	}
	if q.name == "" {
		return q, fmt.Errorf("%q: no package name", s)
	}
	q.name = knownbad.Normalize(q.eco, q.name)
	m, err := versionMatcher(q.eco, q.spec)
	if err != nil {
		return q, fmt.Errorf("%q: %v", s, err)
	}
	q.match = m
	return q, nil
}

// versionMatcher accepts an exact version or a range in the ecosystem's
// own syntax: PEP 440 specifiers for pypi, node-semver ranges for npm,
// comma-separated comparisons for go.
func versionMatcher(eco model.Ecosystem, spec string) (func(string) bool, error) {
	if spec == "" {
		return func(string) bool { return true }, nil
	}
	switch eco {
	case model.PyPI:
		if strings.ContainsAny(spec[:1], "<>=!~") {
			ss, err := pypi.ParseSpecifierSet(spec)
			if err != nil {
				return nil, err
			}
			return func(v string) bool {
				pv, err := pypi.ParseVersion(v)
				return err == nil && ss.Contains(pv, true)
			}, nil
		}
		want, err := pypi.ParseVersion(spec)
		if err != nil {
			return nil, err
		}
		return func(v string) bool {
			pv, err := pypi.ParseVersion(v)
			return err == nil && pv.Compare(want) == 0
		}, nil
	case model.NPM:
		r, err := npm.ParseRange(spec)
		if err != nil {
			return nil, err
		}
		return func(v string) bool {
			nv, err := npm.ParseVersion(v)
			return err == nil && r.Contains(nv, true)
		}, nil
	}
	var conds []func(string) bool
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		op := strings.TrimRight(part[:min(2, len(part))], "v0123456789")
		want := strings.TrimPrefix(strings.TrimSpace(part[len(op):]), "v")
		if _, err := (advisory.SemverScheme{}).Compare(want, want); err != nil {
			return nil, fmt.Errorf("go version %q: %v", part, err)
		}
		test, ok := map[string]func(int) bool{
			"": func(c int) bool { return c == 0 }, "==": func(c int) bool { return c == 0 }, "=": func(c int) bool { return c == 0 },
			">=": func(c int) bool { return c >= 0 }, ">": func(c int) bool { return c > 0 },
			"<=": func(c int) bool { return c <= 0 }, "<": func(c int) bool { return c < 0 }, "!=": func(c int) bool { return c != 0 },
		}[op]
		if !ok {
			return nil, fmt.Errorf("go version range %q: unknown operator %q (allowed: =, !=, <, <=, >, >=)", spec, op)
		}
		conds = append(conds, func(v string) bool {
			c, err := (advisory.SemverScheme{}).Compare(strings.TrimPrefix(v, "v"), want)
			return err == nil && test(c)
		})
	}
	return func(v string) bool {
		for _, c := range conds {
			if !c(v) {
				return false
			}
		}
		return true
	}, nil
}

// sightingJSON is one line of `where` output.
type sightingJSON struct {
	Ecosystem string    `json:"ecosystem"`
	Name      string    `json:"name"`
	Version   string    `json:"version"`
	Advisory  string    `json:"advisory,omitempty"`
	Host      string    `json:"host"`
	Path      string    `json:"path"`
	Project   string    `json:"project,omitempty"`
	GitCommit string    `json:"git_commit,omitempty"`
	Kind      string    `json:"kind,omitempty"`
	Present   bool      `json:"present"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
}

func toSightingJSON(s store.Sighting, adv string) sightingJSON {
	return sightingJSON{Ecosystem: s.Ecosystem, Name: s.Name, Version: s.Version, Advisory: adv, Host: s.Env.Host, Path: s.Env.Path,
		Project: s.Env.Project, GitCommit: s.Env.GitCommit, Kind: s.Env.Kind, Present: s.Present, FirstSeen: s.FirstSeen, LastSeen: s.LastSeen}
}

func runWhere(args []string, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("where", flag.ContinueOnError)
	dsn := dbFlag(fs)
	adv := fs.String("advisory", "", "list what an advisory (MAL-, GHSA-, PYSEC-, CVE- ID or alias) affects")
	format := fs.String("format", "text", "output format: text or json")
	usage := "airlock where [--db DSN] [--format text|json] ECOSYSTEM:NAME[@VERSION|@RANGE]...\n       airlock where [--db DSN] --advisory ID\n\nexit codes: 0 nothing found, 1 found in at least one environment, 2 usage or input error"
	pos, err := parseFlags(fs, args, stderr, usage)
	if err != nil {
		return ExitUsage, err
	}
	if *format != "text" && *format != "json" {
		return ExitUsage, usagef("--format %q is not allowed (allowed: text, json)", *format)
	}
	if (len(pos) == 0) == (*adv == "") {
		return ExitUsage, usagef("name packages (e.g. pypi:litellm@1.82.8) or --advisory ID, not both")
	}
	var queries []pkgQuery
	for _, p := range pos {
		q, err := parsePkgQuery(p)
		if err != nil {
			return ExitUsage, usageError{err.Error()}
		}
		queries = append(queries, q)
	}
	ctx := context.Background()
	st, err := store.OpenExisting(ctx, *dsn)
	if err != nil {
		if err == store.ErrNotExist {
			return ExitUsage, fmt.Errorf("no inventory at %s; record environments with \"airlock scan --record\" or \"airlock inventory add\"", describeDSN(*dsn))
		}
		return ExitUsage, err
	}
	defer st.Close()
	var out []sightingJSON
	if *adv != "" {
		out, err = whereAdvisory(ctx, st, *adv)
		if err != nil {
			return ExitUsage, err
		}
	}
	for _, q := range queries {
		ss, err := wherePackage(ctx, st, q)
		if err != nil {
			return ExitUsage, err
		}
		for _, s := range ss {
			out = append(out, toSightingJSON(s, ""))
		}
	}
	if err := writeSightings(stdout, out, *format); err != nil {
		return ExitUsage, err
	}
	if len(out) > 0 {
		return ExitFail, nil
	}
	return ExitOK, nil
}

func wherePackage(ctx context.Context, st *store.Store, q pkgQuery) ([]store.Sighting, error) {
	vs, err := st.Versions(ctx, string(q.eco), q.name)
	if err != nil {
		return nil, err
	}
	var hit []string
	for _, v := range vs {
		if q.match(v) {
			hit = append(hit, v)
		}
	}
	if len(hit) == 0 {
		return nil, nil
	}
	return st.Where(ctx, string(q.eco), q.name, hit)
}

// whereAdvisory evaluates one advisory (and its alias group) against every
// version of the packages it names that the inventory has seen.
func whereAdvisory(ctx context.Context, st *store.Store, id string) ([]sightingJSON, error) {
	docs, err := st.AdvisoryJSON(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("advisory %q is not in the database at %s (run \"airlock db update\")", id, st.Describe())
	}
	ix := advisory.NewIndex()
	ix.SetNormalizer("PyPI", pypi.NormalizeName)
	ix.SetNormalizer("npm", strings.ToLower)
	var keys []store.PackageKey
	for _, d := range docs {
		a, err := advisory.Parse(d)
		if err != nil {
			continue
		}
		ix.Add(a)
		keys = append(keys, knownbad.RecordKeys(a)...)
	}
	var out []sightingJSON
	seen := map[store.PackageKey]bool{}
	for _, k := range keys {
		if seen[k] {
			continue
		}
		seen[k] = true
		eco := knownbad.Ecosystem(k.Ecosystem)
		vs, err := st.Versions(ctx, string(eco), k.Name)
		if err != nil {
			return nil, err
		}
		for _, g := range ix.Lookup(k.Ecosystem, k.Name) {
			if !containsFold(g.AllIDs(), id) {
				continue
			}
			var hit []string
			for _, v := range vs {
				if ok, _ := g.Affects(k.Ecosystem, k.Name, strings.TrimPrefix(v, "v"), func(s string) string { return knownbad.Normalize(eco, s) }); ok {
					hit = append(hit, v)
				}
			}
			if len(hit) == 0 {
				continue
			}
			ss, err := st.Where(ctx, string(eco), k.Name, hit)
			if err != nil {
				return nil, err
			}
			for _, s := range ss {
				out = append(out, toSightingJSON(s, knownbad.Known(g, k, strings.TrimPrefix(s.Version, "v")).Ref.ID))
			}
		}
	}
	return out, nil
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

func writeSightings(w io.Writer, out []sightingJSON, format string) error {
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Host != b.Host {
			return a.Host < b.Host
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Version < b.Version
	})
	if format == "json" {
		if out == nil {
			out = []sightingJSON{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if len(out) == 0 {
		_, err := fmt.Fprintln(w, "not found in any recorded environment")
		return err
	}
	for _, s := range out {
		state := "present"
		if !s.Present {
			state = "removed"
		}
		fmt.Fprintf(w, "%s:%s@%s  %s:%s  %s", s.Ecosystem, s.Name, s.Version, s.Host, s.Path, state)
		if s.Advisory != "" {
			fmt.Fprintf(w, "  (%s)", s.Advisory)
		}
		fmt.Fprintf(w, "\n    first seen %s, last seen %s", s.FirstSeen.Format(time.RFC3339), s.LastSeen.Format(time.RFC3339))
		if s.Project != "" {
			fmt.Fprintf(w, ", project %s", s.Project)
		}
		if s.GitCommit != "" {
			fmt.Fprintf(w, ", commit %.12s", s.GitCommit)
		}
		fmt.Fprintln(w)
	}
	envs := map[string]bool{}
	for _, s := range out {
		envs[s.Host+"\x00"+s.Path] = true
	}
	_, err := fmt.Fprintf(w, "%d sighting(s) in %d environment(s)\n", len(out), len(envs))
	return err
}
