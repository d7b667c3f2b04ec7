package static_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/airlock-sec/airlock/internal/engine"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
	"github.com/airlock-sec/airlock/internal/rules/static"
)

// go test -run TestTmpAll -v ./internal/rules/static -args FILE
func TestTmpAll(t *testing.T) {
	p := os.Getenv("CASE")
	if p == "" {
		t.Skip()
	}
	data, _ := os.ReadFile(p)
	pkg, art, err := buildCase(testCase{dir: "x", name: "y"}, data)
	if err != nil {
		t.Fatal(err)
	}
	in := engine.New(engine.Options{}).BuildInput(pkg, art)
	if pkg.Kind == "installed" {
		in.OrphanPth, in.HashMismatch = installedFacts(art)
	}
	for _, f := range rules.Run(in, static.List()) {
		fmt.Printf("%-22s %s", f.Rule, formatFindings([]model.Finding{f}))
	}
}
