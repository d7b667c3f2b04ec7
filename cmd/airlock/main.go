// Command airlock keeps malicious and compromised dependencies out of
// developer machines, CI pipelines and production.
package main

import (
	"os"

	"github.com/airlock-sec/airlock/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
