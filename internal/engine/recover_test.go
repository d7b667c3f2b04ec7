package engine

import (
	"path/filepath"
	"testing"

	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
	"github.com/airlock-sec/airlock/internal/rules/registry"
)

// panicky stands for a rule with a bug that one hostile package triggers.
type panicky struct{}

func (panicky) Meta() rules.Meta {
	return rules.Meta{ID: "test/panicky", Title: "panics", Severity: model.Low, Capabilities: []model.Capability{model.CapHook}}
}

func (panicky) Check(in *rules.Input, r *rules.Reporter) {
	if in.Package.Name == "boom" {
		panic("bug triggered by this package")
	}
}

func TestScanSurvivesRulePanic(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "boom-1.0-py3-none-any.whl")
	good := filepath.Join(dir, "litellm-1.82.8-py3-none-any.whl")
	put(t, bad, zipOf(t, withDistInfo("boom", "1.0", []fentry{{"boom/__init__.py", "x = 1\n"}})))
	put(t, good, litellmWheel(t))
	e := New(Options{Rules: append(registry.All(), panicky{})})
	rep := scan(t, e, bad, good)
	if !diagWith(rep, "internal error while analyzing this package") {
		t.Errorf("no diagnostic for the panicking package\n%s", dump(rep))
	}
	if res := find(t, rep, "boom"); res.Verdict != model.Block {
		t.Errorf("a package that could not be analyzed must fail closed, got %s", res.Verdict)
	}
	if res := find(t, rep, "litellm"); res.Verdict != model.Block {
		t.Errorf("the other package was not judged: %s", res.Verdict)
	}
}
