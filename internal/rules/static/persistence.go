package static

import (
	"strings"

	"github.com/airlock-sec/airlock/internal/analyze"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
)

// Persistence flags ways to survive a reboot or logout.
type Persistence struct{}

func (Persistence) Meta() rules.Meta {
	return rules.Meta{
		ID:    "static/persistence",
		Title: "installs persistence",
		Description: "systemd user and system units (`~/.config/systemd/user`, `/etc/systemd/system`, `systemctl --user enable`), cron, shell start-up files, " +
			"XDG autostart, macOS LaunchAgents/LaunchDaemons, Windows Run keys, the Startup folder, scheduled tasks and browser shortcuts rewritten to side-load an extension (`--load-extension`) (litellm 1.82.8 installed `sysmon.py` as a systemd user service). " +
			"Medium alone, since service managers and admin tools legitimately name these paths; high in install-time or startup code and in decoded payloads.",
		Severity:     model.High,
		Capabilities: []model.Capability{model.CapPersistence},
	}
}

var persistenceIndicators = []indicator{
	{".config/systemd/user", "systemd user unit"}, {"/etc/systemd/system", "systemd system unit"}, {"systemctl --user enable", "systemd user unit"},
	{"systemctl enable", "systemd unit"}, {"systemctl --user", "systemd user unit"}, {"/etc/cron", "cron job"}, {"crontab", "cron job"}, {"/var/spool/cron", "cron job"},
	{".config/autostart", "XDG autostart entry"}, {"library/launchagents", "macOS LaunchAgent"}, {"library/launchdaemons", "macOS LaunchDaemon"},
	{"currentversion\\run", "Windows Run key"}, {"currentversion\\\\run", "Windows Run key"}, {"start menu\\programs\\startup", "Windows Startup folder"},
	{"start menu\\\\programs\\\\startup", "Windows Startup folder"}, {"schtasks", "Windows scheduled task"}, {"/etc/rc.local", "rc.local"}, {"/etc/init.d/", "init script"},
	{"--load-extension", "browser extension side-loaded through a shortcut"}, {"user pinned\\taskbar", "taskbar shortcut hijack"},
	{".bashrc", "shell start-up file"}, {".zshrc", "shell start-up file"}, {".bash_profile", "shell start-up file"}, {".profile", "shell start-up file"},
}

func (Persistence) Check(in *rules.Input, r *rules.Reporter) {
	in.EachFacts(func(f *rules.File, u *analyze.Facts) {
		seen := map[string]bool{}
		prose := proseApplies(u)
		for _, s := range u.Strings {
			if len(s.Value) > 4096 {
				continue
			}
			ind, ok := firstMatch(s.Value, persistenceIndicators)
			if !ok || seen[ind.label] || prose && isProse(s.Value) {
				continue
			}
			if strings.HasPrefix(ind.label, "shell start-up") && !startupFilePath(s.Value, ind.sub) {
				continue
			}
			seen[ind.label] = true
			sev := model.Medium
			if u.Unit.Context == model.Install || u.Unit.Context == model.Startup || len(u.Unit.Layers) > 0 {
				sev = model.High
			}
			fd := rules.At(u, s.Line, sev, "writes or enables a "+ind.label+" "+shortQuote(s.Value), model.CapPersistence)
			fd.Evidence = s.Value
			r.Report(fd)
		}
	})
}

// startupFilePath: ".bashrc" as a path in a home directory ("~/.bashrc",
// "$HOME/.profile", "/root/.zshrc"), not a glob or a file-name suffix.
func startupFilePath(s, sub string) bool {
	ls := strings.ToLower(s)
	if strings.Contains(ls, "*") {
		return false
	}
	i := strings.Index(ls, sub)
	if i <= 0 {
		return ls == sub
	}
	if j := i + len(sub); j < len(ls) && ls[j] != '"' && ls[j] != '\'' && ls[j] != ' ' && ls[j] != ';' {
		return false
	}
	return ls[i-1] == '/' || ls[i-1] == '~' || ls[i-1] == '\\'
}
