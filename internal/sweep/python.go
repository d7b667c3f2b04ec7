package sweep

import (
	"fmt"
	"sort"
	"strings"

	"github.com/airlock-sec/airlock/internal/ecosystem/pypi"
	"github.com/airlock-sec/airlock/internal/model"
)

// pyEnv is one Python site directory to inspect.
type pyEnv struct {
	site   string // real host path of the site dir
	prefix string // real host path of its prefix (venv, conda env, /usr)
	kind   string
}

var (
	systemLayouts = []string{"lib/python*/site-packages", "lib/python*/dist-packages", "lib64/python*/site-packages", "lib64/python*/dist-packages"}
	prefixLayouts = []string{"lib/python*/site-packages", "lib64/python*/site-packages", "lib/pypy*/site-packages"}
	userLayouts   = []string{"lib/python*/site-packages"}
	condaDirs     = []string{"miniconda3", "anaconda3", "miniforge3", "mambaforge", "micromamba", "miniconda", "anaconda"}
)

// addPrefix records the site dirs of a Python prefix. The prefix is
// claimed (the walk does not descend into it) when it has any, except /usr
// and /usr/local, which hold much more than Python.
func (s *sweeper) addPrefix(prefix, kind string, layouts []string) {
	real, err := s.j.resolve(prefix)
	if err != nil || !s.j.isDir(real) {
		return
	}
	for _, lay := range layouts {
		for _, site := range s.globHost(real + "/" + lay) {
			if !s.j.isDir(site) || s.seenSite[site] {
				continue
			}
			s.seenSite[site] = true
			if kind != "system-python" || (real != "/usr" && real != "/usr/local") {
				s.claimed[real] = true
			}
			s.pyEnvs = append(s.pyEnvs, &pyEnv{site: site, prefix: real, kind: kind})
		}
	}
}

func (s *sweeper) hasFile(dir, name string) bool {
	real, err := s.j.resolve(dir + "/" + name)
	return err == nil && s.j.isFile(real)
}

func (s *sweeper) addConda(base string) {
	real, err := s.j.resolve(base)
	if err != nil || !s.j.isDir(real) {
		return
	}
	s.addPrefix(real, "conda", prefixLayouts)
	for _, env := range s.globHost(real + "/envs/*") {
		s.addPrefix(env, "conda", prefixLayouts)
	}
	s.claimed[real] = true
}

// discoverPython finds Python installations at their usual places.
func (s *sweeper) discoverPython() {
	s.addPrefix("/usr", "system-python", systemLayouts)
	s.addPrefix("/usr/local", "system-python", systemLayouts)
	for _, p := range s.globHost("/opt/*") {
		switch {
		case s.j.isDir(p + "/conda-meta"):
			s.addConda(p)
		case s.hasFile(p, "pyvenv.cfg"):
			s.addPrefix(p, "virtualenv", prefixLayouts)
		default:
			s.addPrefix(p, "system-python", prefixLayouts)
		}
	}
	for _, h := range s.homes {
		s.addPrefix(h+"/.local", "user-site", userLayouts)
		for _, v := range s.globHost(h + "/.pyenv/versions/*") {
			kind := "pyenv"
			if s.hasFile(v, "pyvenv.cfg") {
				kind = "virtualenv" // pyenv-virtualenv
			}
			s.addPrefix(v, kind, prefixLayouts)
			for _, env := range s.globHost(v + "/envs/*") {
				s.addPrefix(env, "virtualenv", prefixLayouts)
			}
		}
		for _, c := range condaDirs {
			s.addConda(h + "/" + c)
		}
		for _, env := range s.globHost(h + "/.conda/envs/*") {
			s.addPrefix(env, "conda", prefixLayouts)
		}
		for _, v := range s.globHost(h + "/.local/share/uv/python/*") {
			s.addPrefix(v, "uv-python", prefixLayouts)
		}
		for _, v := range s.globHost(h + "/.local/share/uv/tools/*") {
			s.addPrefix(v, "uv-tool", prefixLayouts)
		}
		for _, pat := range []string{"/.local/share/pipx/venvs/*", "/.local/pipx/venvs/*"} {
			for _, v := range s.globHost(h + pat) {
				s.addPrefix(v, "pipx", prefixLayouts)
			}
		}
	}
}

type hookKind int

const (
	hookPth hookKind = iota
	hookCustomize
)

// hookFile is a startup file of a site dir.
type hookFile struct {
	host      string // host path as found in the site dir
	real      string // resolved
	rel       string // path relative to the site dir, as RECORD writes it
	kind      hookKind
	data      []byte
	truncated bool
	mtimeMsg  string // "modified N days ago" when recent
	lines     []pthLine
	first     pthLine // first code line of a customize module
	owners    []owner // from the site dir's own metadata
}

// isCustomizeName recognizes sitecustomize/usercustomize as a module
// (.py, .pyc, extension) or package directory.
func isCustomizeName(name string) bool {
	stem, ext, _ := strings.Cut(name, ".")
	if stem != "sitecustomize" && stem != "usercustomize" {
		return false
	}
	return ext == "" || ext == "py" || ext == "pyc" || ext == "so" || ext == "pyd" || strings.HasSuffix(ext, ".so") || strings.HasSuffix(ext, ".pyd")
}

// siteHooks lists and reads the startup files of one site dir.
func (s *sweeper) siteHooks(e *pyEnv, sd *pypi.SiteDir) []*hookFile {
	entries, _, err := s.j.readDir(e.site, 0)
	if err != nil {
		s.diag(e.site, "", "cannot list: "+errText(err))
		return nil
	}
	var out []*hookFile
	for _, de := range entries {
		name := de.Name()
		kind := hookPth
		switch {
		case strings.HasSuffix(name, ".pth"):
		case isCustomizeName(name):
			kind = hookCustomize
		default:
			continue
		}
		host := e.site + "/" + name
		real, err := s.j.resolve(host)
		if err != nil {
			s.diag(host, "", "startup file not read: "+errText(err))
			continue
		}
		rel := name
		if s.j.isDir(real) {
			if kind != hookCustomize {
				continue
			}
			real += "/__init__.py"
			rel += "/__init__.py"
			host += "/__init__.py"
			if !s.j.isFile(real) {
				continue
			}
		}
		data, fi, truncated, err := s.j.readFile(real, s.opt.MaxFileBytes)
		if err != nil {
			s.diag(host, "", "startup file not read: "+errText(err))
			continue
		}
		h := &hookFile{host: host, real: real, rel: rel, kind: kind, data: data, truncated: truncated}
		if truncated {
			s.diag(host, "", fmt.Sprintf("larger than %d bytes: only the beginning was examined and its hash was not checked", s.opt.MaxFileBytes))
		}
		if ok, msg := s.recent(fi.ModTime()); ok {
			h.mtimeMsg = msg
		}
		if kind == hookPth {
			h.lines = pthExecLines(data)
			if len(h.lines) == 0 {
				continue
			}
		} else if strings.HasSuffix(rel, ".py") {
			h.first = firstCodeLine(data)
		}
		h.owners = recordOwners(sd, rel)
		out = append(out, h)
	}
	return out
}

// firstCodeLine returns the first line that is not blank or a comment.
func firstCodeLine(data []byte) pthLine {
	for i, l := range strings.SplitN(string(data), "\n", 10000) {
		t := strings.TrimSpace(l)
		if t != "" && !strings.HasPrefix(t, "#") {
			return pthLine{N: i + 1, Text: t}
		}
	}
	return pthLine{}
}

type siteScan struct {
	env   *pyEnv
	hooks []*hookFile
}

// scanPython reads the packages and startup files of every site dir found,
// then checks who owns each startup file.
func (s *sweeper) scanPython() {
	idx := newOSIndex(s)
	var scans []siteScan
	for _, e := range s.pyEnvs {
		if s.ctx.Err() != nil {
			s.stopped = s.ctx.Err()
			return
		}
		sd, err := pypi.ReadSiteDir(s.j.osPath(e.site), 0)
		if err != nil {
			s.diag(e.site, "", "cannot read site directory: "+errText(err))
			continue
		}
		// symlinked startup files are judged (with the root as the jail) by siteHooks
		var kept []model.Diagnostic
		for _, d := range sd.Diagnostics {
			if !(strings.HasSuffix(d.Path, ".pth") && strings.HasPrefix(d.Message, "symlink not followed")) {
				kept = append(kept, d)
			}
		}
		s.readerDiags(kept)
		env := Environment{Path: e.site, Kind: e.kind, Ecosystem: model.PyPI, Packages: []model.Dependency{}}
		for _, d := range sd.Dists {
			s.readerDiags(d.Diagnostics)
			meta := e.site + "/" + d.MetaDir
			switch {
			case strings.HasSuffix(d.MetaDir, ".dist-info"):
				meta += "/METADATA"
			case s.j.isDir(meta):
				meta += "/PKG-INFO"
			}
			env.Packages = append(env.Packages, model.Dependency{Ecosystem: model.PyPI, Name: pypi.NormalizeName(d.Name), Version: d.Version, Path: meta})
		}
		sortDeps(env.Packages)
		s.envs = append(s.envs, env)
		hooks := s.siteHooks(e, sd)
		for _, h := range hooks {
			if len(h.owners) == 0 {
				idx.want(h.host)
				idx.want(h.real)
			}
		}
		scans = append(scans, siteScan{env: e, hooks: hooks})
	}
	idx.loadDpkg()
	prefixes := map[string]bool{}
	for _, sc := range scans {
		for _, h := range sc.hooks {
			if len(h.owners) == 0 && !prefixes[sc.env.prefix] {
				prefixes[sc.env.prefix] = true
				idx.loadConda(sc.env.prefix)
			}
		}
	}
	for _, sc := range scans {
		var fs []model.Finding
		for _, h := range sc.hooks {
			owners := h.owners
			if len(owners) == 0 {
				owners = append(append([]owner(nil), idx.owners[h.host]...), idx.owners[h.real]...)
			}
			if f, ok := hookFinding(h, owners); ok {
				fs = append(fs, f)
			}
		}
		s.addResult(model.Package{Ecosystem: model.PyPI, Name: sc.env.site, Path: sc.env.site, Kind: KindHostEnvironment}, fs)
	}
}

// hookFinding judges one startup file given who owns it.
func hookFinding(h *hookFile, owners []owner) (model.Finding, bool) {
	name := quote(h.rel)
	modified, by := verifyOwners(owners, h.data, !h.truncated)
	note := ""
	if h.mtimeMsg != "" {
		note += "; file " + h.mtimeMsg
	}
	if h.kind == hookPth && strings.HasPrefix(h.rel, ".") {
		note += "; python 3.13 and later skip hidden .pth files, older versions run it"
	}
	f := model.Finding{Path: h.host, Context: model.Startup, Capabilities: []model.Capability{model.CapHook}}
	switch h.kind {
	case hookPth:
		switch {
		case len(owners) == 0:
			var bad []pthLine
			for _, l := range h.lines {
				if !isShimLine(l.Text) {
					bad = append(bad, l)
				}
			}
			if len(bad) == 0 {
				return f, false
			}
			l := bad[0]
			f.Rule, f.Severity, f.Line, f.Evidence = RuleUnownedStartupHook, model.Critical, l.N, snippet(l.Text, maxEvidence)
			f.Message = fmt.Sprintf("startup hook %s is not listed by any installed distribution, dpkg or conda, and python runs its line %d at every start", name, l.N)
			if len(bad) > 1 {
				f.Message += fmt.Sprintf(" (%d lines run code)", len(bad))
			}
			traits, _ := payloadTraits(l.Text)
			if len(traits) > 0 {
				f.Message += ": it " + strings.Join(traits, ", ")
			}
			f.Capabilities = append(f.Capabilities, traitCaps(l.Text)...)
		case modified:
			l := h.lines[0]
			f.Rule, f.Severity, f.Line, f.Evidence = RuleModifiedStartupHook, model.Critical, l.N, snippet(l.Text, maxEvidence)
			f.Message = fmt.Sprintf("startup hook %s does not match the hash in its %s: it was changed after installation, and python runs its line %d at every start", name, by, l.N)
			f.Capabilities = append(f.Capabilities, traitCaps(l.Text)...)
		default:
			for _, l := range h.lines {
				traits, payload := payloadTraits(l.Text)
				if !payload {
					continue
				}
				f.Rule, f.Severity, f.Line, f.Evidence = RuleStartupHookPayload, model.Critical, l.N, snippet(l.Text, maxEvidence)
				f.Message = fmt.Sprintf("startup hook %s, installed by %s, runs a payload at every python start: line %d %s", name, owners[0].Who, l.N, strings.Join(traits, ", "))
				f.Capabilities = append(f.Capabilities, traitCaps(l.Text)...)
				break
			}
			if f.Rule == "" {
				return f, false
			}
		}
	case hookCustomize:
		f.Line, f.Evidence = h.first.N, snippet(h.first.Text, maxEvidence)
		switch {
		case len(owners) == 0:
			f.Rule, f.Severity = RuleUnownedSiteCustom, model.High
			f.Message = fmt.Sprintf("%s is not listed by any installed distribution, dpkg or conda, and python imports it at every start", name)
		case modified:
			f.Rule, f.Severity = RuleModifiedStartupHook, model.Critical
			f.Message = fmt.Sprintf("%s does not match the hash in its %s: it was changed after installation, and python imports it at every start", name, by)
		default:
			return f, false
		}
	}
	f.Message += note
	return f, true
}

func sortDeps(ds []model.Dependency) {
	sort.SliceStable(ds, func(a, b int) bool {
		if ds[a].Name != ds[b].Name {
			return ds[a].Name < ds[b].Name
		}
		if ds[a].Version != ds[b].Version {
			return ds[a].Version < ds[b].Version
		}
		return ds[a].Path < ds[b].Path
	})
}
