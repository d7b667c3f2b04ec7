// Command compare compares the advisory findings of two scanner reports as
// sets of (ecosystem, package name, version, alias group).
//
//	go run ./bench/osv/compare [-max 40] LEFT.json [RIGHT.json]
//
// Each file is one of (detected from its shape):
//
//   - OSV-Scanner v2 JSON (--format json): one finding per entry of a
//     package's "groups", whose IDs are the group's "ids" and "aliases";
//   - an airlock JSON report: one finding per advisory/* finding of a
//     package, whose IDs are advisory.id and advisory.aliases; other rules
//     are ignored;
//   - bench/osv/gen's expected.json.
//
// Package names are compared PEP 503-normalized for PyPI, as written for
// npm; the same (name, version) listed more than once (npm nested copies)
// counts once. Two findings of one package version are the same when their
// ID sets intersect. With one file, compare prints its counts; with two, the
// counts, the findings in common and every difference, and exits 1 if there
// is any difference (2 on errors).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
)

type pkgKey struct{ eco, name, version string }

func (k pkgKey) String() string { return k.eco + " " + k.name + " " + k.version }

// report is the findings of one tool: per package version, its alias groups.
type report struct {
	label    string
	format   string
	findings map[pkgKey][][]string
}

func main() {
	max := flag.Int("max", 40, "list at most this many differences of each kind (0: all)")
	leftName := flag.String("left-name", "", "label of the first file (default: its format)")
	rightName := flag.String("right-name", "", "label of the second file (default: its format)")
	eco := flag.String("ecosystem", "", "only compare this ecosystem (pypi or npm)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: compare [-max N] [-left-name L] [-right-name R] LEFT.json [RIGHT.json]")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() < 1 || flag.NArg() > 2 {
		flag.Usage()
		os.Exit(2)
	}
	ecoFilter = strings.ToLower(*eco)
	left, err := load(flag.Arg(0), *leftName)
	if err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		os.Exit(2)
	}
	if flag.NArg() == 1 {
		printCounts(os.Stdout, left, len(left.label))
		return
	}
	right, err := load(flag.Arg(1), *rightName)
	if err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		os.Exit(2)
	}
	if left.label == right.label {
		left.label += " (1)"
		right.label += " (2)"
	}
	if diff := compare(os.Stdout, left, right, *max); diff > 0 {
		os.Exit(1)
	}
}

// ---------------------------------------------------------------- loading

var pep503 = regexp.MustCompile(`[-_.]+`)

// ecoFilter, if set, keeps only that ecosystem's findings.
var ecoFilter string

func normKey(eco, name, version string) pkgKey {
	eco = strings.ToLower(eco)
	if eco == "pypi" {
		name = strings.ToLower(pep503.ReplaceAllString(name, "-"))
	}
	return pkgKey{eco, name, version}
}

func load(file, label string) (*report, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("%s: not a JSON object: %w", file, err)
	}
	rep := &report{findings: map[pkgKey][][]string{}}
	switch {
	case probe["results"] != nil:
		rep.format = "osv-scanner"
		err = loadOSV(data, rep)
	case probe["generator"] != nil && probe["findings"] != nil:
		rep.format = "expected"
		err = loadExpected(data, rep)
	case probe["packages"] != nil:
		rep.format = "airlock"
		err = loadAirlock(data, rep)
	default:
		return nil, fmt.Errorf("%s: neither an OSV-Scanner, airlock nor expected.json report", file)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	rep.label = label
	if rep.label == "" {
		rep.label = rep.format
	}
	for k, groups := range rep.findings {
		if ecoFilter != "" && k.eco != ecoFilter {
			delete(rep.findings, k)
			continue
		}
		rep.findings[k] = dedupGroups(groups)
	}
	return rep, nil
}

func loadOSV(data []byte, rep *report) error {
	var doc struct {
		Results []struct {
			Packages []struct {
				Package struct {
					Name      string `json:"name"`
					Version   string `json:"version"`
					Ecosystem string `json:"ecosystem"`
				} `json:"package"`
				Groups []struct {
					IDs     []string `json:"ids"`
					Aliases []string `json:"aliases"`
				} `json:"groups"`
			} `json:"packages"`
		} `json:"results"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return err
	}
	for _, res := range doc.Results {
		for _, p := range res.Packages {
			k := normKey(p.Package.Ecosystem, p.Package.Name, p.Package.Version)
			for _, g := range p.Groups {
				rep.findings[k] = append(rep.findings[k], union(g.IDs, g.Aliases))
			}
		}
	}
	return nil
}

func loadAirlock(data []byte, rep *report) error {
	var doc struct {
		Packages []struct {
			Ecosystem string `json:"ecosystem"`
			Name      string `json:"name"`
			Version   string `json:"version"`
			Findings  []struct {
				Rule     string `json:"rule"`
				Advisory *struct {
					ID      string   `json:"id"`
					Aliases []string `json:"aliases"`
				} `json:"advisory"`
			} `json:"findings"`
		} `json:"packages"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return err
	}
	for _, p := range doc.Packages {
		k := normKey(p.Ecosystem, p.Name, p.Version)
		for _, f := range p.Findings {
			if !strings.HasPrefix(f.Rule, "advisory/") {
				continue
			}
			if f.Advisory == nil || f.Advisory.ID == "" {
				return fmt.Errorf("%s: finding %s has no advisory.id", k, f.Rule)
			}
			rep.findings[k] = append(rep.findings[k], union([]string{f.Advisory.ID}, f.Advisory.Aliases))
		}
	}
	return nil
}

func loadExpected(data []byte, rep *report) error {
	var doc struct {
		Findings []struct {
			Ecosystem string   `json:"ecosystem"`
			Name      string   `json:"name"`
			Version   string   `json:"version"`
			IDs       []string `json:"ids"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return err
	}
	for _, f := range doc.Findings {
		k := normKey(f.Ecosystem, f.Name, f.Version)
		rep.findings[k] = append(rep.findings[k], union(f.IDs, nil))
	}
	return nil
}

func union(a, b []string) []string {
	set := map[string]bool{}
	for _, s := range a {
		set[s] = true
	}
	for _, s := range b {
		set[s] = true
	}
	out := make([]string, 0, len(set))
	for s := range set {
		if s != "" {
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// dedupGroups drops identical ID sets (a package version listed twice).
func dedupGroups(groups [][]string) [][]string {
	seen := map[string]bool{}
	var out [][]string
	for _, g := range groups {
		k := strings.Join(g, " ")
		if !seen[k] {
			seen[k] = true
			out = append(out, g)
		}
	}
	return out
}

func intersects(a, b []string) bool {
	set := make(map[string]bool, len(a))
	for _, s := range a {
		set[s] = true
	}
	for _, s := range b {
		if set[s] {
			return true
		}
	}
	return false
}

// ---------------------------------------------------------------- output

type tally struct {
	findings, pkgs, mal int
	byEco               map[string]int
}

func count(r *report) tally {
	t := tally{byEco: map[string]int{}}
	for k, gs := range r.findings {
		if len(gs) == 0 {
			continue
		}
		t.pkgs++
		t.findings += len(gs)
		t.byEco[k.eco] += len(gs)
		for _, g := range gs {
			for _, id := range g {
				if strings.HasPrefix(id, "MAL-") {
					t.mal++
					break
				}
			}
		}
	}
	return t
}

func printCounts(w io.Writer, r *report, width int) tally {
	t := count(r)
	ecos := make([]string, 0, len(t.byEco))
	for e := range t.byEco {
		ecos = append(ecos, e)
	}
	sort.Strings(ecos)
	var parts []string
	for _, e := range ecos {
		parts = append(parts, fmt.Sprintf("%s %d", e, t.byEco[e]))
	}
	fmt.Fprintf(w, "%-*s  %4d findings in %d package versions (%s; %d with a MAL- ID)\n",
		width+1, r.label+":", t.findings, t.pkgs, strings.Join(parts, ", "), t.mal)
	return t
}

type diff struct {
	key         pkgKey
	left, right [][]string
}

// compare matches the findings of each package version by connected
// components of the "ID sets intersect" relation: a component with one
// finding on each side is a finding in common; one side only is a missing
// finding; anything else is the same IDs grouped differently.
func compare(w io.Writer, l, r *report, max int) int {
	width := max2(len(l.label), len(r.label), len("common"))
	lt := printCounts(w, l, width)
	printCounts(w, r, width)

	keys := map[pkgKey]bool{}
	for k := range l.findings {
		keys[k] = true
	}
	for k := range r.findings {
		keys[k] = true
	}
	sorted := make([]pkgKey, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].String() < sorted[j].String() })

	common, exact := 0, 0
	var onlyL, onlyR, regroup, aliasDiff []diff
	for _, k := range sorted {
		a, b := l.findings[k], r.findings[k]
		n := len(a) + len(b)
		parent := make([]int, n)
		for i := range parent {
			parent[i] = i
		}
		var find func(int) int
		find = func(i int) int {
			for parent[i] != i {
				parent[i] = parent[parent[i]]
				i = parent[i]
			}
			return i
		}
		all := append(append([][]string(nil), a...), b...)
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				if intersects(all[i], all[j]) {
					parent[find(i)] = find(j)
				}
			}
		}
		comps := map[int]*diff{}
		var order []int
		for i := 0; i < n; i++ {
			c := find(i)
			if comps[c] == nil {
				comps[c] = &diff{key: k}
				order = append(order, c)
			}
			if i < len(a) {
				comps[c].left = append(comps[c].left, all[i])
			} else {
				comps[c].right = append(comps[c].right, all[i])
			}
		}
		for _, c := range order {
			d := comps[c]
			switch {
			case len(d.left) == 1 && len(d.right) == 1:
				common++
				if strings.Join(d.left[0], " ") == strings.Join(d.right[0], " ") {
					exact++
				} else {
					aliasDiff = append(aliasDiff, *d)
				}
			case len(d.right) == 0 && len(d.left) == 1:
				onlyL = append(onlyL, *d)
			case len(d.left) == 0 && len(d.right) == 1:
				onlyR = append(onlyR, *d)
			default:
				regroup = append(regroup, *d)
			}
		}
	}
	fmt.Fprintf(w, "%-*s  %4d findings (%.1f%% of %s's; %d with the very same IDs and aliases)\n", width+1, "common:", common, pct(common, lt.findings), l.label, exact)

	list := func(title string, ds []diff, show func(diff) string) {
		if len(ds) == 0 {
			return
		}
		fmt.Fprintf(w, "\n%s: %d\n", title, len(ds))
		for i, d := range ds {
			if max > 0 && i == max {
				fmt.Fprintf(w, "  … %d more\n", len(ds)-max)
				break
			}
			fmt.Fprintf(w, "  %s  %s\n", d.key, show(d))
		}
	}
	ids := func(gs [][]string) string {
		var parts []string
		for _, g := range gs {
			parts = append(parts, "["+strings.Join(g, " ")+"]")
		}
		return strings.Join(parts, " ")
	}
	list("only in "+l.label, onlyL, func(d diff) string { return ids(d.left) })
	list("only in "+r.label, onlyR, func(d diff) string { return ids(d.right) })
	list("grouped differently", regroup, func(d diff) string {
		return l.label + " " + ids(d.left) + "  vs  " + r.label + " " + ids(d.right)
	})
	if len(aliasDiff) > 0 {
		// Not a difference (the IDs intersect), but worth a look.
		list("in common, but with other IDs/aliases (not counted as a difference)", aliasDiff, func(d diff) string {
			return l.label + " " + ids(d.left) + "  vs  " + r.label + " " + ids(d.right)
		})
	}
	total := len(onlyL) + len(onlyR) + len(regroup)
	fmt.Fprintf(w, "\ncounts: %s=%d %s=%d common=%d only-%s=%d only-%s=%d regrouped=%d\n",
		tag(l.label), lt.findings, tag(r.label), count(r).findings, common,
		tag(l.label), len(onlyL), tag(r.label), len(onlyR), len(regroup))
	if total == 0 {
		fmt.Fprintln(w, "identical findings")
	} else {
		fmt.Fprintf(w, "%d differences\n", total)
	}
	return total
}

func tag(s string) string { return strings.NewReplacer(" ", "", "(", "", ")", "").Replace(s) }

func pct(a, b int) float64 {
	if b == 0 {
		return 100
	}
	return 100 * float64(a) / float64(b)
}

func max2(xs ...int) int {
	m := 0
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}
