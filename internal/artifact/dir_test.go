package artifact

import (
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"testing/fstest"
)

func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestOpenDir(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	writeTree(t, root, map[string]string{
		"setup.py":          "setup()",
		"pkg/__init__.py":   "x = 1",
		"pkg/deep/a/b/c.py": "deep",
	})
	writeTree(t, outside, map[string]string{"secret": "s3cret"})
	os.Chmod(filepath.Join(root, "setup.py"), 0o755)
	os.Mkdir(filepath.Join(root, "empty"), 0o755)
	must(t, os.Symlink(filepath.Join(outside, "secret"), filepath.Join(root, "pkg/link")))
	must(t, os.Symlink(outside, filepath.Join(root, "linkdir")))
	diags := []string{`pkg/link: symbolic link to "` + filepath.Join(outside, "secret") + `" not followed`, "linkdir: symbolic link"}
	files := map[string]string{"setup.py": "setup()", "pkg/__init__.py": "x = 1"}
	if runtime.GOOS == "linux" {
		must(t, syscall.Mkfifo(filepath.Join(root, "pkg/fifo"), 0o644))
		diags = append(diags, "pkg/fifo: special file (fifo) skipped")
		must(t, os.WriteFile(filepath.Join(root, "bad\xffname.py"), []byte("b"), 0o644))
		files["bad\uFFFDname.py"] = "b"
		diags = append(diags, "not valid UTF-8")
	}
	diags = append(diags, "pkg/deep/a/b: files below this directory would be more than 4 components deep")

	a, err := Open(root, Limits{MaxDepth: 4})
	if err != nil {
		t.Fatal(err)
	}
	checkArtifact(t, a, want{kind: KindDirectory, format: "dir", files: files, diags: diags})
	if a.Lookup("setup.py").Mode&0o100 == 0 {
		t.Error("exec bit lost")
	}
	if err := fstest.TestFS(a.FS(), paths(a)...); err != nil {
		t.Error(err)
	}

	a, err = OpenDir(root, Limits{MaxFiles: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Files) > 2 || len(a.Diagnostics) == 0 {
		t.Errorf("MaxFiles 2: %d files, %v", len(a.Files), a.Diagnostics)
	}
	a, err = OpenDir(root, Limits{MaxFileBytes: 3})
	if err != nil {
		t.Fatal(err)
	}
	if f := a.Lookup("setup.py"); f == nil || string(f.Data) != "set" || !f.Truncated || f.Size != 7 {
		t.Errorf("MaxFileBytes 3: %+v", f)
	}
	if _, err := OpenDir(filepath.Join(root, "setup.py"), Limits{}); err == nil {
		t.Error("OpenDir on a file succeeded")
	}
}

func TestOpenFiles(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	writeTree(t, root, map[string]string{
		"demo/__init__.py":         "x = 1",
		"demo-1.0.dist-info/WHEEL": "Wheel-Version: 1.0",
		"real/f.py":                "real",
	})
	writeTree(t, outside, map[string]string{"x.py": "outside"})
	must(t, os.Symlink(outside, filepath.Join(root, "linkdir")))
	must(t, os.Symlink(filepath.Join(outside, "x.py"), filepath.Join(root, "demo/link.py")))
	a, err := OpenFiles(root, []string{
		"demo/__init__.py",
		"demo-1.0.dist-info/WHEEL",
		"../../../bin/demo",
		"/etc/passwd",
		"missing.py",
		"nodir/missing.py",
		"linkdir/x.py",
		"demo/link.py",
		"./demo/__init__.py",
		"real",
	}, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	checkArtifact(t, a, want{kind: KindDirectory, format: "dir",
		files: map[string]string{"demo/__init__.py": "x = 1", "demo-1.0.dist-info/WHEEL": "Wheel-Version: 1.0"},
		diags: []string{
			"../../../bin/demo: unsafe entry name skipped: path escapes the package root",
			"/etc/passwd: unsafe entry name skipped: absolute path",
			"missing.py: listed file is missing",
			`nodir/missing.py: file is missing (no directory "nodir")`,
			`linkdir/x.py: path runs through the symbolic link "linkdir"; not followed`,
			`demo/link.py: symbolic link to`,
			"./demo/__init__.py: duplicate entry",
			"real: directory skipped",
		}})
	if _, err := OpenFiles(filepath.Join(root, "nope"), nil, Limits{}); err == nil {
		t.Error("missing root accepted")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
