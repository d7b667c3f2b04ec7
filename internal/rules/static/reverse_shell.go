package static

import (
	"strings"

	"github.com/airlock-sec/airlock/internal/analyze"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
)

// ReverseShell flags code that hands a shell to a remote host.
type ReverseShell struct{}

func (ReverseShell) Meta() rules.Meta {
	return rules.Meta{
		ID:    "static/reverse-shell",
		Title: "reverse shell",
		Description: "A socket wired to a shell: `bash -i >& /dev/tcp/…`, `nc -e /bin/sh`, Python `socket` + `os.dup2` + `pty.spawn`/`/bin/sh`, " +
			"Node `net.Socket` piped into `child_process.spawn('/bin/sh')`, PowerShell `Net.Sockets.TCPClient` with `Invoke-Expression`. Critical.",
		Severity:     model.Critical,
		Capabilities: []model.Capability{model.CapReverseShel},
	}
}

func (ReverseShell) Check(in *rules.Input, r *rules.Reporter) {
	in.EachFacts(func(f *rules.File, u *analyze.Facts) {
		for _, s := range u.Strings {
			if len(s.Value) > 20000 || !mentions(s.Value, reverseShellWords) {
				continue
			}
			ls := strings.ToLower(s.Value)
			if strings.Contains(ls, "/dev/tcp/") && (strings.Contains(ls, "-i") || strings.Contains(ls, "0>&1") || strings.Contains(ls, ">&")) ||
				(strings.Contains(ls, "nc ") || strings.Contains(ls, "ncat ")) && (strings.Contains(ls, " -e /bin/") || strings.Contains(ls, " -e cmd")) ||
				strings.Contains(ls, "net.sockets.tcpclient") && (strings.Contains(ls, "iex") || strings.Contains(ls, "invoke-expression")) ||
				strings.Contains(ls, "socket") && strings.Contains(ls, "dup2") && (strings.Contains(ls, "pty") || strings.Contains(ls, "/bin/sh") || strings.Contains(ls, "/bin/bash")) {
				fd := rules.At(u, s.Line, model.Critical, "opens a reverse shell "+shortQuote(s.Value), model.CapReverseShel)
				fd.Evidence = s.Value
				r.Report(fd)
				return
			}
		}
		// Python: s.connect(...) and os.dup2(s.fileno(), 0..2) on the same
		// socket variable, then a shell. JavaScript: a socket piped into a
		// spawned shell.
		var connected []string
		sock, dup, shell := 0, 0, 0
		for _, c := range u.Calls {
			if strings.HasSuffix(c.Callee, ".connect") && !strings.HasPrefix(c.Callee, "net.") {
				// the variable as written (s in s.connect(...)), not its type
				if i := strings.Index(c.Text, ".connect("); i > 0 {
					connected = append(connected, c.Text[:i])
				}
			}
			switch {
			case c.Callee == "net.Socket" || c.Callee == "new net.Socket" || c.Callee == "net.connect" || c.Callee == "net.createConnection":
				sock = c.Line
			case c.Callee == "pty.spawn" || analyze.IsProcessCall(c.Callee) && (strings.Contains(c.Text, "/bin/sh") || strings.Contains(c.Text, "/bin/bash") || strings.Contains(c.Text, "cmd.exe")):
				shell = c.Line
			}
		}
		for _, c := range u.Calls {
			if c.Callee != "os.dup2" {
				continue
			}
			for _, v := range connected {
				if strings.Contains(c.Text, v+".fileno()") {
					dup, sock = c.Line, c.Line
				}
			}
		}
		js := u.Unit.Lang == analyze.JavaScript && sock > 0 && strings.Contains(string(u.Unit.Text), ".pipe(")
		if shell > 0 && (dup > 0 || js) {
			fd := rules.At(u, shell, model.Critical, "connects a socket to a shell (reverse shell)", model.CapReverseShel)
			r.Report(fd)
		}
	})
}

var reverseShellWords = words("/dev/tcp/", "nc ", "ncat ", "tcpclient", "dup2")
