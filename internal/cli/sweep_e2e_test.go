package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/report"
)

func TestE2ESweepLitellmHost(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "airlock.db")
	writeFile(t, filepath.Join(dir, "feed", "MAL-2026-2144.json"), []byte(osvFeed["MAL-2026-2144.json"]))
	mustCode(t, runCLI(t, "db", "update", "--db", db, "--from", filepath.Join(dir, "feed")), ExitOK)

	host := filepath.Join(dir, "host")
	venv := filepath.Join(host, "srv", "app", ".venv")
	installedPkg(t, venv, "litellm", "1.82.8")
	writeFile(t, filepath.Join(venv, "lib", "python3.12", "site-packages", "litellm_init.pth"), []byte(litellmPthLine()+"\n"))
	writeFile(t, filepath.Join(host, "root", ".config", "systemd", "user", "sysmon.service"),
		[]byte("[Unit]\nDescription=System Monitor\n\n[Service]\nExecStart=/usr/bin/python3 /root/.config/sysmon/sysmon.py\nRestart=always\n\n[Install]\nWantedBy=default.target\n"))
	writeFile(t, filepath.Join(host, "root", ".config", "sysmon", "sysmon.py"), []byte("# inert stand-in\n"))
	writeFile(t, filepath.Join(host, "root", ".bashrc"), []byte("export PATH=$HOME/bin:$PATH\n. \"$HOME/.cargo/env\"\n"))

	r := runCLI(t, "sweep", "--host-root", host, "--db", db, "--format", "json", "/srv")
	mustCode(t, r, ExitFail)
	rep, err := report.ReadJSON(strings.NewReader(r.stdout))
	if err != nil {
		t.Fatalf("%v\n%s\n%s", err, r.stdout, r.stderr)
	}
	var rules []string
	for _, p := range rep.Packages {
		for _, f := range p.Findings {
			rules = append(rules, f.Rule)
			if f.Rule == "advisory/malicious" && (p.Name != "litellm" || p.Verdict != model.Block || !strings.HasSuffix(f.Path, "METADATA")) {
				t.Errorf("advisory finding %+v on %+v", f, p.Package)
			}
		}
	}
	for _, want := range []string{"advisory/malicious", "host/unowned-startup-hook", "host/systemd-persistence"} {
		found := false
		for _, r := range rules {
			found = found || r == want
		}
		if !found {
			t.Errorf("sweep did not report %s; rules %v\n%s", want, rules, r.stdout)
		}
	}
	for _, r := range rules {
		if r == "host/shell-rc-persistence" {
			t.Errorf("an ordinary .bashrc was reported")
		}
	}
	// SARIF knows the host rules
	r = runCLI(t, "sweep", "--host-root", host, "--db", db, "--format", "sarif", "--fail-on", "never", "/srv")
	mustCode(t, r, ExitOK)
	if !strings.Contains(r.stdout, `"id": "host/systemd-persistence"`) {
		t.Errorf("SARIF lacks the rule metadata")
	}
	mustCode(t, runCLI(t, "sweep", "relative/root"), ExitUsage)
}
