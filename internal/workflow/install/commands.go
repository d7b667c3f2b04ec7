package install

import (
	"fmt"
	"regexp"
	"strings"
)

// installs dispatches a command to the analyzer of its package manager.
func (a *analyzer) installs(c *cmd) {
	switch n := c.name; {
	case n == "apt-get" || n == "apt" || n == "aptitude":
		a.apt(c)
	case n == "yum" || n == "dnf" || n == "microdnf" || n == "tdnf":
		a.yum(c)
	case n == "apk":
		a.apk(c)
	case n == "brew":
		a.brew(c)
	case isPip(n):
		a.pip(c, c.rest(), n)
	case isPython(n):
		a.pythonModule(c)
	case n == "uv":
		a.uv(c)
	case n == "uvx":
		a.uvTool(c, c.rest(), "uvx", false)
	case n == "pipx":
		a.pipx(c, c.rest(), "pipx")
	case n == "npm":
		a.npm(c)
	case n == "npx":
		a.npx(c, c.rest(), "npx", false)
	case n == "bunx":
		a.npx(c, c.rest(), "bunx", false)
	case n == "pnpx":
		a.npx(c, c.rest(), "pnpx", true)
	case n == "yarn":
		a.yarn(c)
	case n == "pnpm":
		a.pnpm(c)
	case n == "bun":
		a.bun(c)
	case n == "go":
		a.goInstall(c)
	case n == "gem":
		a.gem(c)
	case n == "cargo" || n == "cargo-binstall":
		a.cargo(c)
	}
}

var (
	pipName    = regexp.MustCompile(`^pip[0-9.]*$`)
	pythonName = regexp.MustCompile(`^(python|pypy)[0-9.]*$`)
)

func isPip(n string) bool    { return pipName.MatchString(n) }
func isPython(n string) bool { return n == "py" || pythonName.MatchString(n) }

// quoteList quotes up to five values: `"a"`, `"a" and "b"`,
// `"a", "b" and 3 more`.
func quoteList(vs []string) string {
	const max = 5
	var q []string
	for i, v := range vs {
		if i == max {
			break
		}
		q = append(q, fmt.Sprintf("%q", v))
	}
	if len(vs) > max {
		return strings.Join(q, ", ") + fmt.Sprintf(" and %d more", len(vs)-max)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

// pinHint shows how to pin: `"trivy=<version>"`, or for several packages
// `each package like "curl=<version>"`.
func pinHint(names []string, format string) string {
	h := fmt.Sprintf("%q", fmt.Sprintf(format, names[0]))
	if len(names) > 1 {
		return "each package like " + h
	}
	return h
}

func (a *analyzer) report(kind string, c *cmd, names []string, msg string) {
	a.add(kind, c.start, c.end, names, msg)
}

func hasAnySuffix(s string, suffixes ...string) bool {
	s = strings.ToLower(s)
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

// localPath reports whether a package argument names a file or URL
// rather than a package from a repository.
func localPath(s string) bool {
	return s == "" || s[0] == '.' || s[0] == '/' || s[0] == '~' || strings.Contains(s, "://")
}

// ---- apt

var aptSpec = optSpec{short: "octa", long: set("option", "config-file", "target-release", "default-release", "host-architecture", "build-profiles", "solver", "planner")}

func (a *analyzer) apt(c *cmd) {
	args := c.rest()
	p := scan(args, aptSpec)
	if len(p.pos) == 0 {
		return
	}
	sub := args[p.pos[0]]
	if sub.dyn || (sub.s != "install" && sub.s != "reinstall") {
		return
	}
	if p.has("s", "d", "h", "simulate", "just-print", "dry-run", "recon", "no-act", "download-only", "print-uris", "help") {
		return
	}
	var specs, names []string
	for _, i := range p.pos[1:] {
		v := args[i]
		if v.dyn || localPath(v.s) || hasAnySuffix(v.s, ".deb") || strings.Contains(v.s, "=") {
			continue
		}
		name := v.s
		if j := strings.IndexByte(name, '/'); j >= 0 { // pkg/release
			name = name[:j]
		}
		if name == "" || strings.HasSuffix(name, "-") { // pkg- removes it
			continue
		}
		specs = append(specs, v.s)
		names = append(names, name)
	}
	if len(names) == 0 {
		return
	}
	a.report("apt", c, names, fmt.Sprintf("%q installs %s without a version: pin %s or verify a downloaded release by checksum (an unpinned package is whatever the configured apt repositories, third-party ones included, serve that day)",
		c.name+" "+sub.s, quoteList(specs), pinHint(names, "%s=<version>")))
}

// ---- yum / dnf

var yumSpec = optSpec{short: "cdeRx", long: set("enablerepo", "disablerepo", "repo", "repoid", "setopt", "exclude", "installroot", "releasever", "config", "forcearch", "downloaddir", "destdir", "comment", "repofrompath", "debuglevel", "errorlevel", "rpmverbosity")}

// rpmVersioned matches name-version and name-version-release (with an
// optional epoch and arch): a segment after a '-' starts with a digit.
var rpmVersioned = regexp.MustCompile(`^.+-([0-9]+:)?[0-9][^-/]*(-[0-9][^-/]*)?$`)

func (a *analyzer) yum(c *cmd) {
	args := c.rest()
	p := scan(args, yumSpec)
	if len(p.pos) == 0 {
		return
	}
	sub := args[p.pos[0]]
	if sub.dyn || (sub.s != "install" && sub.s != "in" && sub.s != "reinstall") {
		return
	}
	if p.has("h", "help", "downloadonly", "assumeno") {
		return
	}
	var specs, names []string
	for _, i := range p.pos[1:] {
		v := args[i]
		s := v.s
		if v.dyn || localPath(s) || strings.HasPrefix(s, "@") || strings.Contains(s, "/") || hasAnySuffix(s, ".rpm") {
			continue
		}
		if rpmVersioned.MatchString(s) || strings.Contains(s, "=") {
			continue
		}
		name := s
		if j := strings.IndexAny(name, " <>"); j > 0 {
			name = name[:j]
		}
		specs = append(specs, s)
		names = append(names, name)
	}
	if len(names) == 0 {
		return
	}
	a.report("yum", c, names, fmt.Sprintf("%q installs %s without a version: pin %s or verify a downloaded release by checksum (an unpinned package is whatever the configured repositories, third-party ones included, serve that day)",
		c.name+" "+sub.s, quoteList(specs), pinHint(names, "%s-<version>")))
}

// ---- apk

var apkSpec = optSpec{short: "Xtp", long: set("repository", "virtual", "root", "arch", "cache-dir", "keys-dir", "repositories-file", "cache-max-age", "timeout", "progress-fd", "wait")}

func (a *analyzer) apk(c *cmd) {
	args := c.rest()
	p := scan(args, apkSpec)
	if len(p.pos) == 0 {
		return
	}
	sub := args[p.pos[0]]
	if sub.dyn || sub.s != "add" {
		return
	}
	if p.has("s", "simulate", "h", "help") {
		return
	}
	var specs, names []string
	for _, i := range p.pos[1:] {
		v := args[i]
		s := v.s
		if v.dyn || localPath(s) || strings.Contains(s, "/") || hasAnySuffix(s, ".apk") {
			continue
		}
		if j := strings.IndexAny(s, "=~"); j > 0 && j < len(s)-1 && s[j-1] != '<' && s[j-1] != '>' {
			continue // pkg=1.2.3, pkg~1.2
		}
		name := s
		if j := strings.IndexAny(name, "<>=~@"); j >= 0 {
			name = name[:j]
		}
		if name == "" {
			continue
		}
		specs = append(specs, s)
		names = append(names, name)
	}
	if len(names) == 0 {
		return
	}
	a.report("apk", c, names, fmt.Sprintf("%q installs %s without a version: pin %s or verify a downloaded release by checksum",
		"apk add", quoteList(specs), pinHint(names, "%s=<version>")))
}

// ---- brew

func (a *analyzer) brew(c *cmd) {
	args := c.rest()
	p := scan(args, optSpec{})
	if len(p.pos) == 0 {
		return
	}
	sub := args[p.pos[0]]
	if sub.dyn || (sub.s != "install" && sub.s != "reinstall") {
		return
	}
	if p.has("n", "dry-run", "h", "help") {
		return
	}
	var names []string
	for _, i := range p.pos[1:] {
		v := args[i]
		if v.dyn || localPath(v.s) || hasAnySuffix(v.s, ".rb") || strings.Contains(v.s, "@") {
			continue // a versioned formula (python@3.12) is as pinned as brew allows
		}
		names = append(names, v.s)
	}
	if len(names) == 0 {
		return
	}
	a.report("brew", c, names, fmt.Sprintf("%q installs %s at whatever version the tap serves: homebrew cannot pin a formula's version, so use a versioned formula (%q) where one exists or download a release and verify its checksum",
		"brew "+sub.s, quoteList(names), names[0]+"@<version>"))
}

// ---- pip, python -m pip, uv pip

var pipSpec = optSpec{short: "rcetifCbpP", long: set(
	"requirement", "constraint", "constraints", "editable", "target", "prefix", "root", "index-url", "extra-index-url",
	"find-links", "platform", "python-version", "implementation", "abi", "src", "upgrade-strategy", "progress-bar",
	"no-binary", "only-binary", "config-settings", "config-setting", "global-option", "build-option", "trusted-host",
	"cache-dir", "log", "proxy", "retries", "timeout", "exists-action", "cert", "client-cert", "report", "python",
	"root-user-action", "keyring-provider", "use-feature", "use-deprecated", "group", "index", "default-index",
	"override", "overrides", "build-constraint", "build-constraints", "extra", "python-platform", "resolution",
	"prerelease", "index-strategy", "link-mode", "exclude-newer", "reinstall-package", "upgrade-package",
	"no-binary-package", "no-build-package", "directory", "project", "config-file", "refresh-package",
	"allow-insecure-host", "color", "torch-backend", "pre-release")}

// pipSelf are the installer's own packages, upgraded in many pipelines;
// reported apart ("pip-self") so that the caller can lower their weight.
var pipSelf = map[string]bool{"pip": true, "setuptools": true, "wheel": true}

// pipReq parses a requirement argument. ok is false for anything that is
// not a plain requirement on a registry package (paths, URLs, archives,
// direct references) or that is dynamic or pinned with ==.
func pipReq(v val) (name string, ok bool) {
	s := strings.TrimSpace(v.s)
	if v.dyn || localPath(s) || s[0] == '-' || strings.ContainsAny(s, `/\@`) {
		return "", false
	}
	if hasAnySuffix(s, ".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz", ".egg") {
		return "", false
	}
	if strings.Contains(s, "==") {
		return "", false
	}
	j := 0
	for j < len(s) && (isAlnum(s[j]) || s[j] == '.' || s[j] == '_' || s[j] == '-') {
		j++
	}
	if j == 0 {
		return "", false
	}
	return normPy(s[:j]), true
}

func normPy(s string) string {
	return strings.NewReplacer("_", "-", ".", "-").Replace(strings.ToLower(s))
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// pip analyzes `<label> install …` where args start at the subcommand.
func (a *analyzer) pip(c *cmd, args []val, label string) {
	p := scan(args, pipSpec)
	if len(p.pos) == 0 {
		return
	}
	sub := args[p.pos[0]]
	if sub.dyn || sub.s != "install" {
		return
	}
	// A constraints file may pin what the command line does not; an
	// offline install uses only local wheels.
	if p.has("c", "constraint", "constraints", "override", "overrides", "no-index", "dry-run", "h", "help") ||
		c.hasEnv("PIP_CONSTRAINT", "PIP_NO_INDEX", "UV_CONSTRAINT", "UV_OVERRIDE", "UV_OFFLINE") {
		return
	}
	var specs, names, selfSpecs, selfNames, vcs []string
	for _, i := range p.pos[1:] {
		if movingVCS(args[i]) {
			vcs = append(vcs, args[i].s)
			continue
		}
		name, ok := pipReq(args[i])
		if !ok {
			continue
		}
		if pipSelf[name] {
			selfSpecs = append(selfSpecs, args[i].s)
			selfNames = append(selfNames, name)
			continue
		}
		specs = append(specs, args[i].s)
		names = append(names, name)
	}
	label += " install"
	if len(names) > 0 {
		a.report("pip", c, names, fmt.Sprintf("%q installs %s without an exact version: pin %s (with --require-hashes to check hashes) or install from a hashed requirements file",
			label, quoteList(specs), pinHint(names, "%s==<version>")))
	}
	if len(vcs) > 0 {
		a.report("pip", c, vcs, fmt.Sprintf("%q installs %s from a moving branch: pin a commit (%q)",
			label, quoteList(vcs), "…@<commit>"))
	}
	if len(selfNames) > 0 {
		a.report("pip-self", c, selfNames, fmt.Sprintf("%q upgrades the installer's own %s without an exact version: pin %s",
			label, quoteList(selfSpecs), pinHint(selfNames, "%s==<version>")))
	}
}

// movingVCS reports a pip VCS requirement that follows a branch: no
// "@ref" after the repository path, or a branch name such as main.
func movingVCS(v val) bool {
	s := v.s
	low := strings.ToLower(s)
	if v.dyn || !(strings.HasPrefix(low, "git+") || strings.HasPrefix(low, "hg+")) {
		return false
	}
	if i := strings.IndexAny(s, "#"); i >= 0 {
		s = s[:i]
	}
	i := strings.Index(s, "://")
	if i < 0 {
		return false
	}
	rest := s[i+3:]
	slash := strings.IndexByte(rest, '/')
	if slash < 0 {
		return false
	}
	at := strings.LastIndexByte(rest[slash:], '@')
	if at < 0 {
		return true
	}
	switch strings.ToLower(rest[slash+at+1:]) {
	case "main", "master", "head", "develop", "dev", "trunk", "default", "tip":
		return true
	}
	return false
}

// pythonModule handles `python -m pip|pipx|uv …`.
func (a *analyzer) pythonModule(c *cmd) {
	args := c.rest()
	for i := 0; i < len(args); i++ {
		s := args[i].s
		if args[i].dyn || !strings.HasPrefix(s, "-") || s == "-" || s == "-c" {
			return
		}
		var mod string
		var rest []val
		switch {
		case s == "-m" && i+1 < len(args):
			mod, rest = args[i+1].s, args[i+2:]
		case strings.HasPrefix(s, "-m") && len(s) > 2:
			mod, rest = s[2:], args[i+1:]
		case s == "-W" || s == "-X":
			i++
			continue
		default:
			continue
		}
		label := c.name + " -m " + mod
		switch mod {
		case "pip":
			a.pip(c, rest, label)
		case "pipx":
			a.pipx(c, rest, label)
		case "uv":
			a.uvArgs(c, rest, label)
		}
		return
	}
}

// ---- uv

var uvGlobalLong = set("directory", "project", "cache-dir", "config-file", "color", "python-preference", "allow-insecure-host")

func (a *analyzer) uv(c *cmd) { a.uvArgs(c, c.rest(), "uv") }

func (a *analyzer) uvArgs(c *cmd, args []val, label string) {
	// global options, then the subcommand
	i := 0
	for i < len(args) && strings.HasPrefix(args[i].s, "-") && !args[i].dyn {
		if uvGlobalLong[strings.TrimLeft(args[i].s, "-")] {
			i++
		}
		i++
	}
	if i >= len(args) || args[i].dyn {
		return
	}
	switch args[i].s {
	case "pip":
		a.pip(c, args[i+1:], label+" pip")
	case "tool":
		// skip options between "tool" and its subcommand
		j := i + 1
		for j < len(args) && strings.HasPrefix(args[j].s, "-") && !args[j].dyn {
			if uvGlobalLong[strings.TrimLeft(args[j].s, "-")] {
				j++
			}
			j++
		}
		if j >= len(args) {
			return
		}
		switch args[j].s {
		case "install":
			a.uvTool(c, args[j+1:], label+" tool install", true)
		case "run":
			a.uvTool(c, args[j+1:], label+" tool run", false)
		}
	}
}

var uvToolLong = set("with", "with-requirements", "with-editable", "with-executables-from", "python", "from", "index",
	"index-url", "extra-index-url", "find-links", "constraints", "overrides", "build-constraints", "config-setting",
	"exclude-newer", "link-mode", "resolution", "prerelease", "cache-dir", "directory", "project", "config-file",
	"upgrade-package", "reinstall-package", "no-binary-package", "no-build-package", "index-strategy",
	"keyring-provider", "python-platform", "default-index", "refresh-package", "allow-insecure-host", "color",
	"env-file", "python-preference", "torch-backend", "exclude-newer-package")

// uvReq parses a uv tool spec: "ruff", "ruff==0.5.0", "ruff@0.5.0",
// "ruff@latest", "ruff>=0.4".
func uvReq(v val) (name string, ok bool) {
	s := strings.TrimSpace(v.s)
	if v.dyn || localPath(s) || strings.ContainsAny(s, `/\`) {
		return "", false
	}
	if at := strings.IndexByte(s, '@'); at >= 0 {
		if strings.TrimSpace(s[at+1:]) != "latest" {
			return "", false // an exact version, or a direct reference
		}
		s = s[:at]
	}
	return pipReq(val{s: s})
}

func (a *analyzer) uvTool(c *cmd, args []val, label string, install bool) {
	p := scan(args, optSpec{short: "pcCfP", long: uvToolLong, stopAtPos: !install})
	if p.has("h", "help", "c", "constraints", "overrides") || c.hasEnv("UV_CONSTRAINT", "UV_OVERRIDE", "UV_OFFLINE") {
		return
	}
	var cands []val
	if from := p.values("from"); len(from) > 0 {
		cands = append(cands, from...)
	} else if len(p.pos) > 0 {
		cands = append(cands, args[p.pos[0]])
	}
	for _, w := range p.values("with") {
		for _, part := range strings.Split(w.s, ",") {
			cands = append(cands, val{s: part, dyn: w.dyn})
		}
	}
	var specs, names []string
	for _, v := range cands {
		if name, ok := uvReq(v); ok {
			specs = append(specs, strings.TrimSpace(v.s))
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return
	}
	verb := "runs"
	if install {
		verb = "installs"
	}
	a.report("uv-tool", c, names, fmt.Sprintf("%q %s %s without an exact version: pin %s",
		label, verb, quoteList(specs), pinHint(names, "%s==<version>")))
}

// ---- pipx

var pipxLong = set("python", "suffix", "pip-args", "index-url", "preinstall", "backend", "spec", "path")

func (a *analyzer) pipx(c *cmd, args []val, label string) {
	// global options, then the subcommand
	i := 0
	for i < len(args) && strings.HasPrefix(args[i].s, "-") && !args[i].dyn {
		i++
	}
	if i >= len(args) || args[i].dyn {
		return
	}
	sub := args[i].s
	if sub != "install" && sub != "run" {
		return
	}
	rest := args[i+1:]
	p := scan(rest, optSpec{long: pipxLong, stopAtPos: sub == "run"})
	if p.has("h", "help") {
		return
	}
	var cands []val
	if spec := p.values("spec"); len(spec) > 0 {
		cands = spec
	} else if sub == "run" {
		if len(p.pos) > 0 {
			cands = append(cands, rest[p.pos[0]])
		}
	} else {
		for _, k := range p.pos {
			cands = append(cands, rest[k])
		}
	}
	var specs, names []string
	for _, v := range cands {
		if name, ok := pipReq(v); ok {
			specs = append(specs, v.s)
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return
	}
	verb := "installs"
	if sub == "run" {
		verb = "runs"
	}
	a.report("pipx", c, names, fmt.Sprintf("%q %s %s without an exact version: pin %s",
		label+" "+sub, verb, quoteList(specs), pinHint(names, "%s==<version>")))
}

// ---- npm, yarn, pnpm, bun

var exactSemver = regexp.MustCompile(`^[v=]?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)

// npmPkg parses an npm package spec. ok is false for anything that is not
// a registry package (paths, tarballs, git and GitHub shorthands) or is
// dynamic. version is what follows the name's '@' ("" when none);
// unpinned is whether it is not an exact version.
func npmPkg(v val) (name, version string, unpinned, ok bool) {
	s := v.s
	if v.dyn || localPath(s) || s[0] == '-' || hasAnySuffix(s, ".tgz", ".tar.gz", ".tar") {
		return "", "", false, false
	}
	low := strings.ToLower(s)
	for _, p := range []string{"file:", "git+", "git:", "git@", "github:", "gitlab:", "bitbucket:", "gist:", "http:", "https:", "link:", "workspace:"} {
		if strings.HasPrefix(low, p) {
			return "", "", false, false
		}
	}
	name = s
	at := -1
	if strings.HasPrefix(s, "@") {
		slash := strings.IndexByte(s, '/')
		if slash < 0 {
			return "", "", false, false
		}
		if j := strings.IndexByte(s[slash:], '@'); j >= 0 {
			at = slash + j
		}
	} else {
		if strings.Contains(s, "/") {
			return "", "", false, false // user/repo on GitHub
		}
		at = strings.IndexByte(s, '@')
	}
	if at >= 0 {
		name, version = s[:at], s[at+1:]
		if strings.HasPrefix(version, "npm:") { // alias@npm:real@version
			_, ver, unp, ok2 := npmPkg(val{s: version[4:]})
			if !ok2 {
				return "", "", false, false
			}
			return name, ver, unp, true
		}
	}
	if name == "" {
		return "", "", false, false
	}
	return name, version, !exactSemver.MatchString(version), true
}

var npmSpec = optSpec{short: "wC", long: set("prefix", "registry", "cache", "userconfig", "globalconfig", "loglevel", "location", "workspace", "tag", "omit", "include", "install-strategy", "before", "otp", "scope", "save-prefix")}

var npmInstall = set("install", "i", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal", "isntall", "add")

func (a *analyzer) npm(c *cmd) {
	args := c.rest()
	p := scan(args, npmSpec)
	if len(p.pos) == 0 {
		return
	}
	sub := args[p.pos[0]]
	if sub.dyn {
		return
	}
	if sub.s == "exec" || sub.s == "x" {
		a.npx(c, args[p.pos[0]+1:], "npm "+sub.s, false)
		return
	}
	if !npmInstall[sub.s] || !globalFlag(&p) || p.has("dry-run", "h", "help") {
		return
	}
	a.npmGlobal(c, args, p.pos[1:], "npm "+sub.s+" -g")
}

// globalFlag reports -g, --global or --location=global.
func globalFlag(p *parsed) bool {
	for _, o := range p.opts {
		switch o.name {
		case "g":
			return true
		case "global":
			if !o.set || o.val.s != "false" {
				return true
			}
		case "location":
			if o.val.s == "global" {
				return true
			}
		}
	}
	return false
}

func (a *analyzer) npmGlobal(c *cmd, args []val, pos []int, label string) {
	var specs, names []string
	for _, i := range pos {
		name, _, unpinned, ok := npmPkg(args[i])
		if ok && unpinned {
			specs = append(specs, args[i].s)
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return
	}
	a.report("npm-global", c, names, fmt.Sprintf("%q installs %s without an exact version: pin %s",
		label, quoteList(specs), pinHint(names, "%s@<version>")))
}

var npxSpec = optSpec{short: "pcw", long: set("package", "call", "registry", "cache", "workspace", "userconfig", "prefix", "loglevel", "node-options"), stopAtPos: true}

// npx analyzes npx, npm exec, bunx and the dlx commands. A bare
// `npx tool` runs the project's locked copy when there is one, so npx and
// bunx are reported only when the spec names a moving version
// (`tool@latest`, `tool@^1`) or --yes says a download is expected; the
// dlx commands (always=true) always fetch from the registry.
func (a *analyzer) npx(c *cmd, args []val, label string, always bool) {
	p := scan(args, npxSpec)
	if p.has("no", "no-install", "h", "help") {
		return
	}
	yes := always || p.has("y", "yes")
	var cands []val
	if pk := p.values("p", "package"); len(pk) > 0 {
		cands = pk
	} else if len(p.pos) > 0 && !p.has("c", "call", "shell-mode") {
		cands = append(cands, args[p.pos[0]])
	}
	var specs, names []string
	for _, v := range cands {
		name, version, unpinned, ok := npmPkg(v)
		if !ok || !unpinned || !(yes || version != "") {
			continue
		}
		specs = append(specs, v.s)
		names = append(names, name)
	}
	if len(names) == 0 {
		return
	}
	a.report("npx", c, names, fmt.Sprintf("%q runs %s without an exact version: pin %s or add it to the project's locked dependencies",
		label, quoteList(specs), pinHint(names, "%s@<version>")))
}

var yarnSpec = optSpec{long: set("prefix", "global-folder", "cache-folder", "registry", "network-timeout", "mutex", "modules-folder", "cwd", "use-yarnrc")}

func (a *analyzer) yarn(c *cmd) {
	args := c.rest()
	p := scan(args, yarnSpec)
	if len(p.pos) == 0 || args[p.pos[0]].dyn {
		return
	}
	switch args[p.pos[0]].s {
	case "global":
		if len(p.pos) > 1 && args[p.pos[1]].s == "add" {
			a.npmGlobal(c, args, p.pos[2:], "yarn global add")
		}
	case "dlx":
		a.npx(c, args[p.pos[0]+1:], "yarn dlx", true)
	}
}

var pnpmSpec = optSpec{short: "CF", long: set("dir", "store-dir", "filter", "registry", "global-dir", "workspace-dir", "reporter", "loglevel", "package", "allow-build")}

func (a *analyzer) pnpm(c *cmd) {
	args := c.rest()
	p := scan(args, pnpmSpec)
	if len(p.pos) == 0 || args[p.pos[0]].dyn {
		return
	}
	switch sub := args[p.pos[0]].s; sub {
	case "add", "install", "i":
		if globalFlag(&p) && !p.has("h", "help") {
			a.npmGlobal(c, args, p.pos[1:], "pnpm "+sub+" -g")
		}
	case "dlx":
		a.npx(c, args[p.pos[0]+1:], "pnpm dlx", true)
	}
}

var bunSpec = optSpec{long: set("cwd", "registry", "cache-dir", "backend", "config", "filter")}

func (a *analyzer) bun(c *cmd) {
	args := c.rest()
	p := scan(args, bunSpec)
	if len(p.pos) == 0 || args[p.pos[0]].dyn {
		return
	}
	switch sub := args[p.pos[0]].s; sub {
	case "add", "a", "install", "i":
		if globalFlag(&p) && !p.has("h", "help") {
			a.npmGlobal(c, args, p.pos[1:], "bun "+sub+" -g")
		}
	case "x":
		a.npx(c, args[p.pos[0]+1:], "bun x", false)
	}
}

// ---- go install / go run

var goSpec = optSpec{oneDash: true, long: set("tags", "ldflags", "gcflags", "asmflags", "gccgoflags", "mod", "modfile", "p", "pkgdir", "toolexec", "overlay", "pgo", "C", "buildmode", "compiler", "installsuffix", "covermode", "coverpkg", "o", "exec")}

var (
	goSemver = regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]*)?$`)
	goCommit = regexp.MustCompile(`^[0-9a-f]{7,40}$`)
)

func (a *analyzer) goInstall(c *cmd) {
	args := c.rest()
	if len(args) == 0 || args[0].dyn || (args[0].s != "install" && args[0].s != "run") {
		return
	}
	sub := args[0].s
	rest := args[1:]
	spec := goSpec
	spec.stopAtPos = sub == "run"
	p := scan(rest, spec)
	if p.has("h", "help", "n") {
		return
	}
	pos := p.pos
	if sub == "run" && len(pos) > 1 {
		pos = pos[:1]
	}
	var specs, names []string
	for _, i := range pos {
		v := rest[i]
		at := strings.LastIndexByte(v.s, '@')
		if at <= 0 {
			continue // a package of the current module
		}
		ver := v.s[at+1:]
		if v.dyn && strings.Contains(ver, "$") {
			continue
		}
		if goSemver.MatchString(ver) || goCommit.MatchString(ver) {
			continue
		}
		specs = append(specs, v.s)
		names = append(names, v.s[:at])
	}
	if len(names) == 0 {
		return
	}
	verb := "installs"
	if sub == "run" {
		verb = "runs"
	}
	a.report("go-install", c, names, fmt.Sprintf("%q %s %s at a moving version: pin a release, e.g. %q",
		"go "+sub, verb, quoteList(specs), names[0]+"@v<version>"))
}

// ---- gem

var gemSpec = optSpec{short: "visnP", long: set("version", "install-dir", "bindir", "source", "trust-policy", "platform", "document", "build-root", "config-file", "target-rbconfig")}

var gemInstall = set("install", "i", "in", "ins", "inst", "insta", "instal")

func (a *analyzer) gem(c *cmd) {
	args := c.rest()
	p := scan(args, gemSpec)
	if len(p.pos) == 0 || args[p.pos[0]].dyn || !gemInstall[args[p.pos[0]].s] {
		return
	}
	if p.has("v", "version", "h", "help") {
		return
	}
	var names []string
	for _, i := range p.pos[1:] {
		v := args[i]
		if v.dyn || localPath(v.s) || strings.ContainsAny(v.s, `/\:`) || hasAnySuffix(v.s, ".gem") {
			continue // name:version is pinned
		}
		names = append(names, v.s)
	}
	if len(names) == 0 {
		return
	}
	hint := fmt.Sprintf("it with %q", "-v <version>")
	if len(names) > 1 {
		hint = fmt.Sprintf("each as %q", names[0]+":<version>")
	}
	a.report("gem", c, names, fmt.Sprintf("%q installs %s without a version: pin %s",
		"gem install", quoteList(names), hint))
}

// ---- cargo install / binstall

var cargoSpec = optSpec{short: "FjZ", long: set("version", "vers", "git", "branch", "tag", "rev", "path", "root", "index",
	"registry", "features", "target", "target-dir", "profile", "jobs", "bin", "example", "config", "color",
	"message-format", "manifest-path", "targets", "pkg-url", "pkg-fmt", "bin-dir", "install-path", "strategies",
	"disable-strategies", "log-level", "github-token", "min-tls-version", "rate-limit")}

func (a *analyzer) cargo(c *cmd) {
	args := c.rest()
	p := scan(args, cargoSpec)
	pos := p.pos
	for len(pos) > 0 && strings.HasPrefix(args[pos[0]].s, "+") { // cargo +nightly install
		pos = pos[1:]
	}
	label := "cargo binstall"
	if c.name == "cargo" {
		if len(pos) == 0 || args[pos[0]].dyn || (args[pos[0]].s != "install" && args[pos[0]].s != "binstall") {
			return
		}
		label = "cargo " + args[pos[0]].s
		pos = pos[1:]
	}
	if p.has("list", "h", "help", "path") {
		return
	}
	var names []string
	for _, i := range pos {
		v := args[i]
		if v.dyn || localPath(v.s) || strings.Contains(v.s, "@") {
			continue // crate@1.2.3 is pinned
		}
		names = append(names, v.s)
	}
	if git := p.values("git"); len(git) > 0 {
		if p.has("rev", "tag") || git[0].dyn {
			return
		}
		if len(names) == 0 {
			names = []string{git[0].s}
		}
		a.report("cargo", c, names, fmt.Sprintf("%q installs %s from a moving branch of %q: pin it with %q",
			label+" --git", quoteList(names), git[0].s, "--rev <commit>"))
		return
	}
	if len(names) == 0 || p.has("version", "vers") {
		return
	}
	a.report("cargo", c, names, fmt.Sprintf("%q installs %s without a version: pin %s and add %q",
		label, quoteList(names), pinHint(names, "%s@<version>"), "--locked"))
}
