package policy

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/scoring.md")

func TestScoringDocUpToDate(t *testing.T) {
	p := filepath.Join("..", "..", "docs", "scoring.md")
	want := ScoringDoc()
	if *update {
		if err := os.WriteFile(p, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(p)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("docs/scoring.md is stale or missing; run: go test ./internal/policy -update")
	}
}
