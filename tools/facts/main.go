// Command facts prints what airlock's analysis sees in one file: calls
// with resolved callees, string values, decoded layers and obfuscation
// notes. A tool for rule authors: `go run ./tools/facts FILE`.
// It reads the file; it never runs it.
package main

import (
	"fmt"
	"os"

	"github.com/airlock-sec/airlock/internal/analyze"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: facts FILE")
		os.Exit(2)
	}
	b, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	lang := analyze.LangOf(os.Args[1], b)
	if lang == "" {
		lang = analyze.Text
	}
	u := &analyze.Unit{Path: os.Args[1], Line: 1, Lang: lang, Text: b}
	analyze.Analyze(u, analyze.DefaultLimits()).Walk(func(x *analyze.Facts) {
		fmt.Printf("== unit line %d layers %v lang %s, %d bytes\n", x.Unit.Line, x.Unit.Layers, x.Unit.Lang, len(x.Unit.Text))
		for _, c := range x.Calls {
			scope := "module"
			if c.InFunc {
				scope = "function"
			}
			fmt.Printf("  call %s line %d (%s) inner %v %q\n", c.Callee, c.Line, scope, c.Inner, clip(c.Text, 100))
		}
		for _, s := range x.Strings {
			fmt.Printf("  string line %d %q\n", s.Line, clip(s.Value, 80))
		}
		for _, c := range x.Commands {
			fmt.Printf("  command line %d %q piped-to-shell=%v\n", c.Line, clip(c.Raw, 100), c.PipedToShell)
		}
		for _, n := range x.Notes {
			fmt.Printf("  payload %s line %d %s\n", n.Kind, n.Line, n.Text)
		}
		for _, n := range x.Obfuscation {
			fmt.Printf("  obfuscation %s line %d %q\n", n.Kind, n.Line, clip(n.Text, 100))
		}
	})
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
