package report

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/airlock-sec/airlock/internal/model"
)

// maxField caps untrusted text other than evidence (names, paths, messages)
// in text output, so a hostile package cannot flood the terminal.
const maxField = 512

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiGreen  = "\x1b[32m"
)

type textWriter struct {
	w    *bufio.Writer
	opts Options
}

func (t *textWriter) paint(code, s string) string {
	if !t.opts.Color || code == "" {
		return s
	}
	return code + s + ansiReset
}

func verdictColor(v model.Verdict) string {
	switch v {
	case model.Block:
		return ansiRed
	case model.Warn:
		return ansiYellow
	case model.Allow:
		return ansiGreen
	}
	return ""
}

// clean sanitizes untrusted text for the terminal.
func clean(s string) string { return sanitize(s, maxField) }

// writeText renders the human report. r must be normalized.
func writeText(w io.Writer, r *model.Report, opts Options) error {
	t := &textWriter{w: bufio.NewWriter(w), opts: opts}
	pkgs := sortedResults(r.Packages)
	quiet, quietWithFindings := 0, 0
	for i := range pkgs {
		p := &pkgs[i]
		// Allowed packages are summarized: scanning a whole environment
		// should show what needs a decision, not every HTTP client's
		// network call. Allow-listed packages stay visible for audit.
		if p.Verdict == model.Allow && p.Allowed == "" && !opts.Verbose {
			quiet++
			if len(p.Findings) > 0 {
				quietWithFindings++
			}
			continue
		}
		t.result(p)
	}
	switch {
	case quiet > 0 && quietWithFindings > 0:
		fmt.Fprintf(t.w, "%s (%d with low-scoring findings; listed with --verbose)\n\n", plural(quiet, "allowed package", "allowed packages"), quietWithFindings)
	case quiet > 0:
		fmt.Fprintf(t.w, "%s with no findings (listed with --verbose)\n\n", plural(quiet, "allowed package", "allowed packages"))
	}
	if len(r.Diagnostics) > 0 {
		fmt.Fprintln(t.w, t.paint(ansiBold, "diagnostics:"))
		for _, d := range r.Diagnostics {
			fmt.Fprintf(t.w, "  %s\n", clean(d.String()))
		}
		fmt.Fprintln(t.w)
	}
	s := r.Summary
	fmt.Fprintf(t.w, "%s: %d block, %d warn, %d allow; %s; %s\n",
		plural(s.Packages, "package", "packages"), s.Block, s.Warn, s.Allow,
		plural(s.Findings, "finding", "findings"),
		plural(len(r.Diagnostics), "diagnostic", "diagnostics"))
	return t.w.Flush()
}

func (t *textWriter) result(p *model.Result) {
	label := strings.ToUpper(clean(string(p.Verdict)))
	pad := ""
	if n := len([]rune(label)); n < 5 {
		pad = strings.Repeat(" ", 5-n)
	}
	fmt.Fprintf(t.w, "%s%s  %s  score %d", t.paint(verdictColor(p.Verdict), label), pad, clean(p.ID()), p.Score)
	if p.Path != "" {
		fmt.Fprintf(t.w, "  (%s)", clean(p.Path))
	}
	fmt.Fprintln(t.w)
	for _, f := range sortedFindings(p.Findings) {
		sev := f.Severity.String()
		fmt.Fprintf(t.w, "  %s%s  %s", t.paint(ansiBold, sev), strings.Repeat(" ", max(0, 8-len(sev))), clean(f.Rule))
		if where := clean(f.Location()); where != "" {
			fmt.Fprintf(t.w, "  %s", where)
		}
		fmt.Fprintln(t.w)
		if m := clean(f.Message); m != "" {
			fmt.Fprintf(t.w, "    %s\n", m)
		}
		if e := sanitize(f.Evidence, t.opts.maxEvidence()); e != "" {
			fmt.Fprintf(t.w, "    evidence: %s\n", e)
		}
	}
	for _, why := range p.Explanation {
		if why = clean(why); why != "" {
			fmt.Fprintf(t.w, "  why: %s\n", why)
		}
	}
	if p.Allowed != "" {
		fmt.Fprintf(t.w, "  allowed: %s\n", clean(p.Allowed))
	}
	if p.Suppressed > 0 {
		fmt.Fprintf(t.w, "  suppressed: %s by configuration\n", plural(p.Suppressed, "finding", "findings"))
	}
	fmt.Fprintln(t.w)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// sortedResults orders packages most severe verdict first, then score
// descending, then by id and path.
func sortedResults(in []model.Result) []model.Result {
	out := slices.Clone(in)
	slices.SortStableFunc(out, func(a, b model.Result) int {
		if c := cmp.Compare(b.Verdict.Rank(), a.Verdict.Rank()); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		if c := cmp.Compare(a.ID(), b.ID()); c != 0 {
			return c
		}
		return cmp.Compare(a.Path, b.Path)
	})
	return out
}

// sortedFindings orders findings by severity descending, then by place.
func sortedFindings(in []model.Finding) []model.Finding {
	out := slices.Clone(in)
	slices.SortStableFunc(out, func(a, b model.Finding) int {
		if c := cmp.Compare(b.Severity, a.Severity); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Line, b.Line); c != 0 {
			return c
		}
		return cmp.Compare(a.Rule, b.Rule)
	})
	return out
}
