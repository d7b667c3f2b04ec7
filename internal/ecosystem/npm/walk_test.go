package npm

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/airlock-sec/airlock/internal/model"
)

func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for p, c := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symlinks unsupported: %v", err)
	}
}

func pj(name, version string) string {
	return `{"name":"` + name + `","version":"` + version + `"}`
}

// buildProject builds a project with an npm-style nested, scoped tree, a
// workspace link, a link out of the project, a cycle and a pnpm store.
func buildProject(t *testing.T) string {
	t.Helper()
	base := t.TempDir()
	proj := filepath.Join(base, "proj")
	writeTree(t, proj, map[string]string{
		"package.json":                                           pj("app", "0.0.0"),
		"node_modules/.package-lock.json":                        "{}",
		"node_modules/.bin/foo":                                  "#!/usr/bin/env node\n",
		"node_modules/.cache/x/package.json":                     pj("cache", "1"),
		"node_modules/foo/package.json":                          pj("foo", "1.0.0"),
		"node_modules/foo/node_modules/bar/package.json":         pj("bar", "2.0.0"),
		"node_modules/foo/node_modules/@s/deep/package.json":     pj("@s/deep", "3.0.0"),
		"node_modules/@scope/pkg/package.json":                   pj("@scope/pkg", "4.0.0"),
		"node_modules/@scope/.hidden/package.json":               pj("hidden", "0"),
		"node_modules/nopkg/index.js":                            "module.exports = 1\n",
		"node_modules/badjson/package.json":                      `{"name": `,
		"node_modules/aliased/package.json":                      pj("real-name", "5.0.0"),
		"node_modules/stray-file":                                "x",
		"node_modules/cyc/package.json":                          pj("cyc", "6.0.0"),
		"node_modules/.pnpm/p@1.0.0/node_modules/p/package.json": pj("p", "1.0.0"),
		"node_modules/.pnpm/q@2.0.0/node_modules/q/package.json": pj("q", "2.0.0"),
		"packages/ws/package.json":                               pj("ws", "0.0.1"),
	})
	writeTree(t, filepath.Join(base, "outside"), map[string]string{"evil/package.json": pj("evil", "6.6.6")})
	nm := filepath.Join(proj, "node_modules")
	symlink(t, "../packages/ws", filepath.Join(nm, "linked"))
	symlink(t, filepath.Join(base, "outside", "evil"), filepath.Join(nm, "escape"))
	symlink(t, "../../foo", filepath.Join(nm, "cyc", "node_modules", "again"))
	symlink(t, ".pnpm/p@1.0.0/node_modules/p", filepath.Join(nm, "p"))
	symlink(t, "../../q@2.0.0/node_modules/q", filepath.Join(nm, ".pnpm", "p@1.0.0", "node_modules", "q"))
	return proj
}

func TestWalkNodeModules(t *testing.T) {
	proj := buildProject(t)
	got, diags := WalkNodeModules(proj, 0)
	// Real directories first (sorted, depth-first), then links. foo is
	// listed at its real place although cyc/node_modules/again links to it;
	// pnpm's p is listed in the store although node_modules/p links to it.
	want := []Installed{
		{Dir: "node_modules/@scope/pkg", Name: "@scope/pkg", Version: "4.0.0"},
		{Dir: "node_modules/aliased", Name: "real-name", Version: "5.0.0"},
		{Dir: "node_modules/badjson", Name: "badjson"},
		{Dir: "node_modules/cyc", Name: "cyc", Version: "6.0.0"},
		{Dir: "node_modules/foo", Name: "foo", Version: "1.0.0"},
		{Dir: "node_modules/foo/node_modules/@s/deep", Name: "@s/deep", Version: "3.0.0"},
		{Dir: "node_modules/foo/node_modules/bar", Name: "bar", Version: "2.0.0"},
		{Dir: "node_modules/nopkg", Name: "nopkg"},
		{Dir: "node_modules/.pnpm/p@1.0.0/node_modules/p", Name: "p", Version: "1.0.0"},
		{Dir: "node_modules/.pnpm/q@2.0.0/node_modules/q", Name: "q", Version: "2.0.0"},
		{Dir: "node_modules/linked", RealDir: "packages/ws", Name: "ws", Version: "0.0.1"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got:\n%s\nwant:\n%s", fmtInstalled(got), fmtInstalled(want))
	}
	for _, w := range []struct{ path, msg string }{
		{"node_modules/nopkg", "missing package.json"},
		{"node_modules/badjson/package.json", "invalid"},
		{"node_modules/stray-file", "not a package directory"},
		{"node_modules/escape", "outside"},
	} {
		if !hasDiag(diags, w.path, w.msg) {
			t.Errorf("missing diagnostic %s: %s in\n%v", w.path, w.msg, diags)
		}
	}
	if len(diags) != 4 {
		t.Errorf("want 4 diagnostics, got %d: %v", len(diags), diags)
	}
	for _, d := range diags {
		if d.Target != proj {
			t.Errorf("diagnostic target = %q, want %q", d.Target, proj)
		}
	}
}

func TestWalkNodeModulesRootIsNodeModules(t *testing.T) {
	proj := buildProject(t)
	got, diags := WalkNodeModules(filepath.Join(proj, "node_modules"), 0)
	for _, in := range got {
		if in.Dir == "node_modules/linked" {
			t.Errorf("workspace link out of the node_modules root was followed: %+v", in)
		}
	}
	if !hasDiag(diags, "node_modules/linked", "outside") {
		t.Errorf("want a diagnostic for the workspace link, got %v", diags)
	}
	if len(got) != 10 { // 11 with linked, minus linked
		t.Errorf("got %d packages:\n%s", len(got), fmtInstalled(got))
	}
}

func TestWalkNodeModulesLimit(t *testing.T) {
	proj := buildProject(t)
	got, diags := WalkNodeModules(proj, 3)
	if len(got) != 3 {
		t.Errorf("got %d packages, want 3", len(got))
	}
	n := 0
	for _, d := range diags {
		if strings.Contains(d.Message, "more than 3 packages") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("want one limit diagnostic, got %v", diags)
	}
}

func TestWalkNodeModulesMissing(t *testing.T) {
	got, diags := WalkNodeModules(t.TempDir(), 0)
	if len(got) != 0 || len(diags) != 1 {
		t.Errorf("got %v, %v", got, diags)
	}
	got, diags = WalkNodeModules(filepath.Join(t.TempDir(), "nope"), 0)
	if len(got) != 0 || len(diags) != 1 {
		t.Errorf("got %v, %v", got, diags)
	}
}

func hasDiag(ds []model.Diagnostic, path, substr string) bool {
	for _, d := range ds {
		if d.Path == path && strings.Contains(d.Message, substr) {
			return true
		}
	}
	return false
}

func fmtInstalled(in []Installed) string {
	var b strings.Builder
	for _, i := range in {
		b.WriteString("  " + i.Dir + " real=" + i.RealDir + " " + i.Name + "@" + i.Version + "\n")
	}
	return b.String()
}
