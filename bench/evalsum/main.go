// Command evalsum summarizes airlock JSON reports over a labelled corpus:
// recall on malicious sets, false-positive rate on benign sets. Each
// target (an archive or a directory given to airlock scan) is one labelled
// sample; a sample counts as blocked when any package found in it is.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/airlock-sec/airlock/internal/report"
)

func main() {
	reportPath := flag.String("report", "", "airlock JSON report")
	targetsPath := flag.String("targets", "", "file with one scanned target per line")
	label := flag.String("label", "malicious", "malicious or benign")
	name := flag.String("name", "", "set name for the summary line")
	showMax := flag.Int("show", 30, "list at most this many misses / false positives")
	flag.Parse()
	f, err := os.Open(*reportPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	rep, err := report.ReadJSON(f)
	f.Close()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	tf, err := os.Open(*targetsPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var targets []string
	sc := bufio.NewScanner(tf)
	for sc.Scan() {
		if t := strings.TrimSpace(sc.Text()); t != "" {
			targets = append(targets, filepath.ToSlash(filepath.Clean(t)))
		}
	}
	tf.Close()
	verdict := map[string]string{}
	why := map[string]string{}
	for _, t := range targets {
		verdict[t] = "none"
	}
	for _, p := range rep.Packages {
		pp := filepath.ToSlash(filepath.Clean(p.Path))
		for _, t := range targets {
			if pp == t || strings.HasPrefix(pp, t+"/") {
				if rank(string(p.Verdict)) > rank(verdict[t]) {
					verdict[t] = string(p.Verdict)
					w := fmt.Sprintf("%s score %d", p.ID(), p.Score)
					if len(p.Findings) > 0 {
						w += ": " + p.Findings[0].Rule + " " + p.Findings[0].Location() + " " + p.Findings[0].Message
					}
					why[t] = w
				}
				break
			}
		}
	}
	counts := map[string]int{}
	var odd []string
	for _, t := range targets {
		v := verdict[t]
		counts[v]++
		if (*label == "malicious" && v != "block") || (*label == "benign" && v == "block") {
			odd = append(odd, t+"  ["+v+"] "+why[t])
		}
	}
	sort.Strings(odd)
	n := len(targets)
	if *label == "malicious" {
		fmt.Printf("%s: recall %d/%d = %.1f%% (warn %d, allow %d, no package %d)\n", *name, counts["block"], n, pct(counts["block"], n), counts["warn"], counts["allow"], counts["none"])
	} else {
		fmt.Printf("%s: false positives %d/%d = %.2f%% (warn %d, allow %d, no package %d)\n", *name, counts["block"], n, pct(counts["block"], n), counts["warn"], counts["allow"], counts["none"])
	}
	for i, o := range odd {
		if i >= *showMax {
			fmt.Printf("  … %d more\n", len(odd)-i)
			break
		}
		fmt.Println("  " + o)
	}
}

func rank(v string) int {
	switch v {
	case "block":
		return 3
	case "warn":
		return 2
	case "allow":
		return 1
	}
	return 0
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}
