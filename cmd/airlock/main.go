// Command airlock keeps malicious and compromised dependencies out of
// developer machines, CI pipelines and production.
package main

import (
	"os"
	"runtime/debug"

	"github.com/airlock-sec/airlock/internal/cli"
)

func main() {
	// Scans allocate many short-lived tokens: collecting less often saves
	// ~10% of CPU (docs/benchmarks.md). The soft memory limit keeps peak
	// RSS bounded all the same. GOGC / GOMEMLIMIT set by the user win.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(768 << 20)
	}
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
