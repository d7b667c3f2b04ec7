package sweep

import (
	"fmt"
	"strings"
)

// skipWalkNames are directories the search for environments never enters.
var skipWalkNames = map[string]bool{
	".git": true, ".hg": true, ".svn": true, "__pycache__": true, "site-packages": true, "dist-packages": true,
}

// skipWalkAbs are host directories the search never enters (pseudo
// filesystems).
var skipWalkAbs = map[string]bool{"/proc": true, "/sys": true, "/dev": true, "/run": true}

// skipHomeRel are home-relative caches and toolchain stores: large, and
// their environments (pyenv, nvm) are found at their known places.
var skipHomeRel = map[string]bool{
	".cache/pip": true, ".cache/go-build": true, ".cache/uv": true, ".cache/bazel": true, ".cache/yarn": true,
	".cache/pnpm": true, ".cache/ms-playwright": true, ".cargo/registry": true, ".cargo/git": true, ".rustup": true,
	"go/pkg/mod": true, ".npm": true, ".local/share/Trash": true, ".pyenv": true, ".nvm": true, ".gradle": true, ".m2": true,
	".local/share/pnpm/store": true, ".bun/install/cache": true,
}

// walkRoots searches the extra roots, the homes, /opt and /srv for
// virtualenvs (directories holding pyvenv.cfg) and node_modules trees.
func (s *sweeper) walkRoots() {
	for _, r := range s.opt.Roots {
		s.walk(cleanHost(r), true)
	}
	for _, h := range s.homes {
		s.walk(h, false)
	}
	s.walk("/opt", false)
	s.walk("/srv", false)
}

// homeRel returns dir relative to the home containing it, or "".
func (s *sweeper) homeRel(dir string) string {
	for _, h := range s.homes {
		if strings.HasPrefix(dir, h+"/") {
			return dir[len(h)+1:]
		}
	}
	return ""
}

func (s *sweeper) walk(root string, explicit bool) {
	real, err := s.j.resolve(root)
	if err != nil {
		if explicit || err == errEscape || err == errLoop {
			s.diag(root, "", "not searched: "+errText(err))
		}
		return
	}
	if !s.j.isDir(real) {
		if explicit {
			s.diag(root, "", "not searched: not a directory")
		}
		return
	}
	if baseName(real) == "node_modules" {
		s.addNM(real, "node_modules")
		return
	}
	type item struct {
		dir   string
		depth int
	}
	stack := []item{{real, 0}}
	entries, deeper := 0, 0
	for len(stack) > 0 {
		if err := s.ctx.Err(); err != nil {
			s.stopped = err
			return
		}
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		// a directory seen before is searched again only when it is reached
		// with more depth left (from a home after a search of "/")
		if d, ok := s.walked[it.dir]; ok && d <= it.depth {
			continue
		}
		s.walked[it.dir] = it.depth
		list, truncated, err := s.j.readDir(it.dir, s.opt.MaxEntries-entries)
		if err != nil {
			s.diag(it.dir, "", "cannot list directory: "+errText(err))
			continue
		}
		entries += len(list)
		full := truncated || entries >= s.opt.MaxEntries
		venv := false
		for _, e := range list {
			if e.Name() == "pyvenv.cfg" && e.Type().IsRegular() {
				venv = true
			}
		}
		if venv && !s.claimed[it.dir] {
			s.addPrefix(it.dir, "virtualenv", prefixLayouts)
			s.claimed[it.dir] = true
		}
		if !venv {
			for k := len(list) - 1; k >= 0; k-- {
				e := list[k]
				if !e.IsDir() { // symlinks are not followed
					continue
				}
				name := e.Name()
				child := joinHost(it.dir, name)
				switch {
				case name == "node_modules":
					s.addNM(child, "node_modules")
					continue
				case skipWalkNames[name], skipWalkAbs[child], s.claimed[child], skipHomeRel[s.homeRel(child)]:
					continue
				case it.depth+1 > s.opt.MaxDepth:
					deeper++
					continue
				}
				stack = append(stack, item{child, it.depth + 1})
			}
		}
		if full {
			s.diag(root, "", fmt.Sprintf("stopped searching for environments after %d directory entries (the entry limit); the rest of this directory tree was not searched", s.opt.MaxEntries))
			break
		}
	}
	if deeper > 0 {
		s.diag(root, "", fmt.Sprintf("%d directories deeper than %d levels were not searched for environments (the depth limit)", deeper, s.opt.MaxDepth))
	}
}
