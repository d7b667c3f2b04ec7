package sweep

import (
	"path"

	"github.com/airlock-sec/airlock/internal/ecosystem/npm"
	"github.com/airlock-sec/airlock/internal/model"
)

// nmEnv is one node_modules tree to list.
type nmEnv struct {
	path string // real host path of the node_modules directory
	kind string
}

// homeGlobalNM are the places npm, nvm, fnm, volta, asdf, bun and pnpm
// keep globally installed packages, relative to a home.
var homeGlobalNM = []string{
	".npm-global/lib/node_modules", ".npm-packages/lib/node_modules", ".local/lib/node_modules",
	".nvm/versions/node/*/lib/node_modules", ".fnm/node-versions/*/installation/lib/node_modules",
	".local/share/fnm/node-versions/*/installation/lib/node_modules", ".volta/tools/image/node/*/lib/node_modules",
	".volta/tools/image/packages/*/lib/node_modules", ".asdf/installs/nodejs/*/lib/node_modules",
	".bun/install/global/node_modules", ".local/share/pnpm/global/*/node_modules",
}

func (s *sweeper) addNM(p, kind string) {
	real, err := s.j.resolve(p)
	if err != nil {
		if err == errEscape || err == errLoop {
			s.diag(p, "", errText(err))
		}
		return
	}
	if !s.j.isDir(real) || s.seenNM[real] {
		return
	}
	s.seenNM[real] = true
	s.claimed[real] = true
	s.nmEnvs = append(s.nmEnvs, &nmEnv{path: real, kind: kind})
}

// discoverNodeGlobals finds global node_modules trees.
func (s *sweeper) discoverNodeGlobals() {
	for _, p := range []string{"/usr/lib/node_modules", "/usr/local/lib/node_modules"} {
		s.addNM(p, "global-node_modules")
	}
	for _, p := range s.globHost("/opt/*/lib/node_modules") {
		s.addNM(p, "global-node_modules")
	}
	for _, h := range s.homes {
		for _, pat := range homeGlobalNM {
			for _, p := range s.globHost(h + "/" + pat) {
				s.addNM(p, "global-node_modules")
			}
		}
	}
}

// scanNode lists the packages of every node_modules tree found.
func (s *sweeper) scanNode() {
	for _, e := range s.nmEnvs {
		if s.ctx.Err() != nil {
			s.stopped = s.ctx.Err()
			return
		}
		pkgs, diags := npm.WalkNodeModules(s.j.osPath(e.path), 0)
		s.readerDiags(diags)
		env := Environment{Path: e.path, Kind: e.kind, Ecosystem: model.NPM, Packages: []model.Dependency{}}
		base := path.Dir(e.path)
		for _, p := range pkgs {
			env.Packages = append(env.Packages, model.Dependency{Ecosystem: model.NPM, Name: p.Name, Version: p.Version, Path: path.Join(base, p.Dir, "package.json")})
		}
		sortDeps(env.Packages)
		s.envs = append(s.envs, env)
	}
}
