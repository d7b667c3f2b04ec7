package engine

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/airlock-sec/airlock/internal/model"
)

// A wheel vendored inside an sdist is opened one level deep and its
// startup hook is judged as a startup hook.
func TestScanNestedWheel(t *testing.T) {
	dir := t.TempDir()
	inner := litellmWheel(t)
	outer := zipOf(t, []fentry{
		{"helper-1.0/PKG-INFO", "Metadata-Version: 2.1\nName: helper\nVersion: 1.0\n"},
		{"helper-1.0/setup.py", "from setuptools import setup\nsetup(name='helper', version='1.0')\n"},
		{"helper-1.0/vendor/litellm-1.82.8-py3-none-any.whl", string(inner)},
	})
	p := filepath.Join(dir, "helper-1.0.zip")
	put(t, p, outer)
	rep := scan(t, newEngine(Options{}), p)
	res := find(t, rep, "helper")
	if res.Verdict != model.Block {
		t.Fatalf("verdict %s, want block\n%s", res.Verdict, dump(rep))
	}
	if !has(res, "static/pth-exec", "vendor/litellm-1.82.8-py3-none-any.whl!/litellm_init.pth", 1) {
		t.Errorf("no startup-hook finding inside the nested wheel\n%s", dump(rep))
	}
}

// Archives inside archives inside archives are not opened further.
func TestScanNestedOneLevelOnly(t *testing.T) {
	dir := t.TempDir()
	deepest := litellmWheel(t)
	middle := zipOf(t, []fentry{{"x-1.0/PKG-INFO", "Name: x\nVersion: 1.0\n"}, {"x-1.0/inner.whl", string(deepest)}})
	outer := zipOf(t, []fentry{{"y-1.0/PKG-INFO", "Metadata-Version: 2.1\nName: y\nVersion: 1.0\n"}, {"y-1.0/middle.zip", string(middle)}})
	p := filepath.Join(dir, "y-1.0.zip")
	put(t, p, outer)
	rep := scan(t, newEngine(Options{}), p)
	for _, f := range find(t, rep, "y").Findings {
		if strings.Count(f.Path, "!/") > 1 {
			t.Errorf("opened more than one level: %s", f.Path)
		}
	}
}
