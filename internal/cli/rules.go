package cli

import (
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/airlock-sec/airlock/internal/rules/registry"
)

func runRules(args []string, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("rules", flag.ContinueOnError)
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return ExitUsage, usageError{err.Error()}
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tMAX SEVERITY\tTITLE")
	for _, m := range registry.Metas() {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", m.ID, m.Severity, m.Title)
	}
	tw.Flush()
	return ExitOK, nil
}
