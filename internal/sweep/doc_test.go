package sweep

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestDocUpToDate keeps docs/sweep.md generated from the rule metadata
// (go test ./internal/sweep -update rewrites it).
func TestDocUpToDate(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("# `airlock sweep`: host checks\n\n_Generated from `internal/sweep` rule metadata by `go test ./internal/sweep -update`; do not edit._\n\n")
	b.WriteString("```\nairlock sweep [--host-root DIR] [--home DIR]... [--db DSN] [--format text|json|sarif] [--fail-on block|warn|never] [ROOT...]\n```\n\n")
	b.WriteString("Read-only incident response for one machine. It finds Python environments (system prefixes, `~/.local`, pyenv, conda, uv and pipx tools, virtualenvs under the ROOTs and the homes) and `node_modules` trees, checks every installed version against the advisory database (`advisory/malicious`, `advisory/vulnerable`), and runs the host checks below. It never modifies, installs or runs anything; symbolic links are resolved inside `--host-root` and never followed out of it.\n\n")
	b.WriteString("| rule | highest severity | title |\n|---|---|---|\n")
	for _, r := range Rules() {
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", r.ID, r.Severity, r.Title)
	}
	for _, r := range Rules() {
		fmt.Fprintf(&b, "\n## %s\n\n**%s** (up to %s)\n\n%s\n", r.ID, r.Title, r.Severity, r.Description)
	}
	p := filepath.Join("..", "..", "docs", "sweep.md")
	if *update {
		if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(p)
	if err != nil || !bytes.Equal(got, b.Bytes()) {
		t.Fatalf("docs/sweep.md is stale or missing; run: go test ./internal/sweep -update")
	}
}
