package sweep

import (
	"path"
	"sort"
	"strings"
)

// pathClass says where a path a command runs or loads points.
type pathClass int

const (
	pathPlain      pathClass = iota
	pathTmp                  // under /tmp, /var/tmp, /dev/shm, /run/shm
	pathHiddenDir            // below a hidden directory ("~/.config/x/y.py")
	pathHiddenFile           // the file itself is hidden ("~/.x")
)

var tmpDirs = []string{"/tmp", "/var/tmp", "/dev/shm", "/run/shm"}

// homeToolchain are home-relative directories that are hidden by
// convention but hold installed tools, not payloads: running a program
// from them is what they are for.
var homeToolchain = [][]string{
	{".local", "bin"}, {".local", "lib"}, {".local", "share", "pipx"}, {".local", "pipx"}, {".local", "share", "uv"},
	{".local", "share", "pnpm"}, {".local", "share", "fnm"}, {".local", "share", "mise"}, {".local", "share", "rtx"},
	{".local", "share", "virtualenvs"}, {".local", "share", "flatpak"}, {".local", "share", "JetBrains", "Toolbox"},
	{".local", "share", "gem"}, {".local", "share", "nvim", "mason"},
	{".cargo", "bin"}, {".cargo", "env"}, {".rustup"}, {".pyenv"}, {".nvm"}, {".volta"}, {".bun"}, {".deno"}, {".rbenv"}, {".rvm"},
	{".asdf"}, {".sdkman"}, {".goenv"}, {".jenv"}, {".nodenv"}, {".plenv"}, {".conda"}, {".fnm"}, {".npm-global"},
	{".npm-packages"}, {".yarn", "bin"}, {".config", "yarn", "global"}, {".poetry", "bin"}, {".pixi"}, {".juliaup"}, {".dotnet"},
	{".ghcup"}, {".cabal", "bin"}, {".opam"}, {".nix-profile"}, {".krew", "bin"}, {".fzf"}, {".cache", "pypoetry", "virtualenvs"},
	{".vscode-server"}, {".cursor-server"}, {".docker", "cli-plugins"}, {".atuin", "bin"}, {".gem"}, {".luarocks"}, {".nimble"},
	{".linuxbrew"}, {".local", "share", "zinit"},
}

// anywhereToolchain are hidden directory names that hold tools wherever
// they are: project virtualenvs and environment managers.
var anywhereToolchain = map[string]bool{
	".venv": true, ".virtualenvs": true, ".tox": true, ".nox": true, ".direnv": true, ".pixi": true, ".conda": true, ".linuxbrew": true,
}

func isHiddenName(s string) bool { return len(s) > 1 && s[0] == '.' && s != ".." }

// pathEnv knows the homes of the host, to expand "~" and to recognize
// home-relative toolchain directories.
type pathEnv struct {
	// home is what "~" and $HOME stand for; "" when unknown (a system-wide
	// file), in which case "~" is kept as the first path segment.
	home string
	// homes are all known home directories, host paths.
	homes []string
	// isVenv reports whether a host directory holds pyvenv.cfg; may be nil.
	isVenv func(dir string) bool
}

// expandTilde replaces a leading "~" or "~/" with the home.
func (e *pathEnv) expandTilde(p string) string {
	if e.home == "" {
		return p
	}
	if p == "~" {
		return e.home
	}
	if strings.HasPrefix(p, "~/") {
		return e.home + p[1:]
	}
	return p
}

// homeSegs returns how many leading segments of the clean path segs form
// a home directory; -1 when the path is not in a home. Relative paths are
// taken relative to the home (the working directory of cron jobs, login
// shells and user units).
func (e *pathEnv) homeSegs(abs bool, segs []string) int {
	if !abs {
		if len(segs) > 0 && segs[0] == "~" {
			return 1
		}
		return 0
	}
	best := -1
	for _, h := range e.homes {
		hs := splitHost(h)
		if len(hs) > best && hasSegPrefix(segs, hs) {
			best = len(hs)
		}
	}
	if best >= 0 {
		return best
	}
	switch {
	case len(segs) >= 1 && segs[0] == "root":
		return 1
	case len(segs) >= 2 && segs[0] == "home":
		return 2
	}
	return -1
}

func hasSegPrefix(segs, prefix []string) bool {
	if len(prefix) > len(segs) {
		return false
	}
	for i := range prefix {
		if segs[i] != prefix[i] {
			return false
		}
	}
	return true
}

// classify says whether p (as written in a command, "~" allowed) lies in
// a temporary directory or below a hidden one. With dirsOnly, a hidden
// final component (a dotfile such as "~/.pythonrc") does not count.
// Hidden toolchain directories (homeToolchain, anywhereToolchain, and
// virtualenvs found through isVenv) do not count either.
func (e *pathEnv) classify(p string, dirsOnly bool) pathClass {
	p = e.expandTilde(strings.TrimSpace(p))
	if p == "" || strings.ContainsRune(p, 0) {
		return pathPlain
	}
	abs := strings.HasPrefix(p, "/")
	c := path.Clean(p)
	if abs {
		for _, t := range tmpDirs {
			if c == t || strings.HasPrefix(c, t+"/") {
				return pathTmp
			}
		}
	}
	var segs []string
	for _, s := range strings.Split(c, "/") {
		if s != "" && s != "." {
			segs = append(segs, s)
		}
	}
	n := len(segs)
	if n == 0 {
		return pathPlain
	}
	covered := make([]bool, n)
	if h := e.homeSegs(abs, segs); h >= 0 {
		rel := segs[h:]
		best := 0
		for _, pre := range homeToolchain {
			if len(pre) > best && hasSegPrefix(rel, pre) {
				best = len(pre)
			}
		}
		for k := 0; k < best; k++ {
			covered[h+k] = true
		}
	}
	for k, s := range segs {
		if anywhereToolchain[s] {
			covered[k] = true
		}
		if abs && s == "bin" && k > 0 && e.isVenv != nil && e.isVenv("/"+strings.Join(segs[:k], "/")) {
			for m := 0; m < k; m++ {
				covered[m] = true
			}
		}
	}
	last := n
	if dirsOnly {
		last = n - 1
	}
	for k := 0; k < last; k++ {
		if segs[k] == ".." {
			return pathPlain // cannot tell where it leads
		}
		if isHiddenName(segs[k]) && !covered[k] {
			if k == n-1 {
				return pathHiddenFile
			}
			return pathHiddenDir
		}
	}
	return pathPlain
}

// sortedHomes returns homes longest first, deduplicated.
func sortedHomes(homes []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, h := range homes {
		if !seen[h] {
			seen[h] = true
			out = append(out, h)
		}
	}
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) || len(out[i]) == len(out[j]) && out[i] < out[j] })
	return out
}
