// Command count counts the problems in one report of bench/ci-compare.sh:
// actionlint's `-format '{{json .}}'` output (one JSON array of errors, each
// with filepath, line, column and kind) or the JSON report of
// `airlock ci --format json` ({"packages":[{"path","findings":[{"rule",...}]}],
// "diagnostics":[...],"summary":{"packages","findings",...}}).
//
//	count [-top N] [-files N] REPORT
//
// The first line is for scripts:
//
//	tool=actionlint|airlock problems=N files=N diagnostics=N reported=N
//
// problems: errors (actionlint) or findings (airlock) in the report; files:
// distinct files with at least one; diagnostics: airlock's diagnostics
// (files it could not read or parse; actionlint reports those as errors of
// kind syntax-check); reported: airlock's summary.findings and, after it,
// summary.packages as scanned=N (actionlint has no summary: reported is
// problems). Then, unless -top 0, the N most frequent kinds or rules.
// With -files N (default -1: off), a line `scanned=N` is checked against the
// number of files airlock says it scanned; a mismatch exits 1.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
)

type alError struct {
	Filepath string `json:"filepath"`
	Line     int    `json:"line"`
	Kind     string `json:"kind"`
}

type airReport struct {
	Packages []struct {
		Path     string `json:"path"`
		Findings []struct {
			Rule string `json:"rule"`
			Path string `json:"path"`
		} `json:"findings"`
	} `json:"packages"`
	Diagnostics []json.RawMessage `json:"diagnostics"`
	Summary     struct {
		Packages *int `json:"packages"`
		Findings *int `json:"findings"`
	} `json:"summary"`
}

func main() {
	top := flag.Int("top", 8, "print the `N` most frequent kinds (actionlint) or rules (airlock); 0: none")
	wantFiles := flag.Int("files", -1, "fail unless airlock's summary.packages is `N` (-1: no check)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: count [-top N] [-files N] REPORT")
		os.Exit(2)
	}
	data, err := os.ReadFile(flag.Arg(0))
	if err != nil {
		fail(err)
	}
	data = bytes.TrimSpace(data)
	byKind := map[string]int{}
	files := map[string]bool{}
	var tool string
	var problems, diags, reported, scanned int
	scanned = -1
	switch {
	case len(data) == 0:
		// actionlint prints nothing at all when it finds nothing with
		// some versions; an empty array with others.
		tool = "actionlint"
	case data[0] == '[':
		tool = "actionlint"
		var errs []alError
		if err := json.Unmarshal(data, &errs); err != nil {
			fail(fmt.Errorf("actionlint report: %w", err))
		}
		for _, e := range errs {
			problems++
			byKind[e.Kind]++
			files[e.Filepath] = true
		}
		reported = problems
	case data[0] == '{':
		tool = "airlock"
		var r airReport
		if err := json.Unmarshal(data, &r); err != nil {
			fail(fmt.Errorf("airlock report: %w", err))
		}
		for _, p := range r.Packages {
			for _, f := range p.Findings {
				problems++
				byKind[f.Rule]++
				path := f.Path
				if path == "" {
					path = p.Path
				}
				files[path] = true
			}
		}
		diags = len(r.Diagnostics)
		reported = problems
		if r.Summary.Findings != nil {
			reported = *r.Summary.Findings
		}
		if r.Summary.Packages != nil {
			scanned = *r.Summary.Packages
		}
	default:
		fail(fmt.Errorf("%s: neither a JSON array (actionlint) nor an object (airlock)", flag.Arg(0)))
	}
	fmt.Printf("tool=%s problems=%d files=%d diagnostics=%d reported=%d", tool, problems, len(files), diags, reported)
	if scanned >= 0 {
		fmt.Printf(" scanned=%d", scanned)
	}
	fmt.Println()
	if *top > 0 {
		type kv struct {
			k string
			n int
		}
		var kinds []kv
		for k, n := range byKind {
			kinds = append(kinds, kv{k, n})
		}
		sort.Slice(kinds, func(i, j int) bool {
			if kinds[i].n != kinds[j].n {
				return kinds[i].n > kinds[j].n
			}
			return kinds[i].k < kinds[j].k
		})
		for i, e := range kinds {
			if i == *top {
				fmt.Printf("  ... %d more\n", len(kinds)-i)
				break
			}
			fmt.Printf("  %6d  %s\n", e.n, e.k)
		}
	}
	if *wantFiles >= 0 && tool == "airlock" && scanned != *wantFiles {
		fmt.Fprintf(os.Stderr, "count: airlock scanned %d files, want %d\n", scanned, *wantFiles)
		os.Exit(1)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "count:", err)
	os.Exit(2)
}
