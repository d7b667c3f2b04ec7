package sweep

import "github.com/airlock-sec/airlock/internal/model"

// RuleInfo describes one host/* finding ID, for SARIF and the rule docs.
type RuleInfo struct {
	// ID is stable and path-like: "host/unowned-startup-hook".
	ID    string
	Title string
	// Description explains what is looked for, why it matters and which
	// benign shapes are left alone (markdown).
	Description string
	// Severity is the highest severity the rule reports.
	Severity model.Severity
}

// Rule IDs of the findings Sweep reports.
const (
	RuleUnownedStartupHook  = "host/unowned-startup-hook"
	RuleModifiedStartupHook = "host/modified-startup-hook"
	RuleStartupHookPayload  = "host/startup-hook-payload"
	RuleUnownedSiteCustom   = "host/unowned-sitecustomize"
	RuleSystemdPersistence  = "host/systemd-persistence"
	RuleCronPersistence     = "host/cron-persistence"
	RuleShellRCPersistence  = "host/shell-rc-persistence"
)

var ruleInfos = []RuleInfo{
	{
		ID:    RuleUnownedStartupHook,
		Title: "startup hook not installed by any package",
		Description: "A top-level `.pth` file in a Python site directory has lines starting with `import`, which Python's `site` module " +
			"executes at every interpreter start, and no installed distribution's `RECORD` (nor `installed-files.txt`, the dpkg database or " +
			"`conda-meta`) lists it: something other than a package manager dropped it. The exact shims written by packaging tools " +
			"(setuptools' `distutils-precedence.pth` and `-nspkg.pth` lines, old `easy-install.pth` lines, virtualenv's `import _virtualenv`, " +
			"`import coverage; coverage.process_startup()`) are recognized token by token and left alone.",
		Severity: model.Critical,
	},
	{
		ID:    RuleModifiedStartupHook,
		Title: "startup hook changed after installation",
		Description: "A `.pth` file with executable lines, or a `sitecustomize`/`usercustomize` module, is listed by an installed distribution " +
			"(or by dpkg or conda) but its content no longer matches the recorded hash: it was edited after installation.",
		Severity: model.Critical,
	},
	{
		ID:    RuleStartupHookPayload,
		Title: "installed startup hook runs a payload",
		Description: "An executable `.pth` line that its distribution does list (so the other startup-hook rules stay quiet) spawns a process, " +
			"starts `sys.executable`, touches the network, or decodes data and runs it. litellm 1.82.8's `litellm_init.pth` was listed in " +
			"`RECORD` with a correct hash; packaging shims never do any of this (pytest-cov's `exec` of a constant is left alone).",
		Severity: model.Critical,
	},
	{
		ID:    RuleUnownedSiteCustom,
		Title: "sitecustomize or usercustomize module not installed by any package",
		Description: "Python imports `sitecustomize` and `usercustomize` at every start. One in a site directory (as `.py`, `.pyc`, extension " +
			"module or package) that no distribution, dpkg or conda lists was put there by hand or by something else. The copies Debian keeps " +
			"in the standard library directory (`/usr/lib/python3.X/sitecustomize.py`) are not looked at.",
		Severity: model.High,
	},
	{
		ID:    RuleSystemdPersistence,
		Title: "systemd unit runs code from a hidden or temporary directory",
		Description: "An `Exec*=` line of a systemd unit (user units in `~/.config/systemd/user` and `~/.local/share/systemd/user`, system units " +
			"in `/etc/systemd/{system,user}` and `/usr/lib/systemd/{system,user}`, with drop-ins) runs a script from a hidden directory " +
			"(`~/.config/sysmon/sysmon.py`, the litellm 1.82.8 persistence) or from `/tmp`, `/var/tmp`, `/dev/shm` (critical), runs a program " +
			"from a hidden directory (high), or runs a shell that downloads or decodes code and executes it (critical). Toolchain directories " +
			"that happen to be hidden (`~/.local/bin`, `~/.cargo/bin`, `~/.pyenv`, `~/.nvm`, virtualenvs such as `.venv`, …) do not count.",
		Severity: model.Critical,
	},
	{
		ID:    RuleCronPersistence,
		Title: "cron job runs code from a hidden or temporary directory, or downloaded or decoded code",
		Description: "A crontab entry (`/var/spool/cron/crontabs/*`, `/var/spool/cron/*`, `/etc/crontab`, `/etc/cron.d/*`) or a line of a " +
			"`/etc/cron.{hourly,daily,weekly,monthly}` script pipes a download into a shell, decodes base64 and runs it, or runs a script from a " +
			"hidden or temporary directory (critical); decodes base64 or runs a program from a hidden directory (high). Severity rises one " +
			"level when the file was modified within the recent window.",
		Severity: model.Critical,
	},
	{
		ID:    RuleShellRCPersistence,
		Title: "shell startup file runs downloaded, decoded or hidden code",
		Description: "A line of `~/.bashrc`, `~/.bash_profile`, `~/.bash_login`, `~/.profile`, `~/.zshrc`, `~/.zshenv`, `~/.zprofile`, " +
			"`/etc/profile`, `/etc/bash.bashrc` or `/etc/profile.d/*.sh` pipes a download into a shell, `eval`s downloaded or base64-decoded " +
			"text, runs a script with an interpreter from a hidden or temporary directory, starts a hidden-directory program in the background " +
			"(`nohup … &`), or points `LD_PRELOAD`, `NODE_OPTIONS=--require`, `PYTHONPATH` or `PYTHONSTARTUP` into a hidden or temporary " +
			"directory (high for execution, medium for the variables, low for `PYTHONSTARTUP`; one level higher when the file was modified " +
			"within the recent window). Sourcing files (`. ~/.cargo/env`, nvm, conda and pyenv init blocks) is never reported.",
		Severity: model.Critical,
	},
}

// Rules returns the metadata of every host/* finding ID Sweep reports.
func Rules() []RuleInfo { return append([]RuleInfo(nil), ruleInfos...) }
