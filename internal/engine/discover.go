package engine

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/airlock-sec/airlock/internal/artifact"
	"github.com/airlock-sec/airlock/internal/ecosystem/npm"
	"github.com/airlock-sec/airlock/internal/ecosystem/pypi"
	"github.com/airlock-sec/airlock/internal/model"
)

const (
	maxMetaBytes       = 4 << 20
	maxProjectDepth    = 4
	maxProjectEntries  = 200000
	maxInstalledNpm    = 100000
	maxSiteSearchDepth = 6
)

// discover turns one target into package jobs.
func (e *Engine) discover(target string, ls *lockSet) ([]job, []model.Diagnostic) {
	fi, err := os.Stat(target)
	if err != nil {
		return nil, []model.Diagnostic{{Target: target, Message: err.Error()}}
	}
	if !fi.IsDir() {
		if IsLockfile(target) {
			return nil, ls.add(target, true)
		}
		return e.artifactJob(target, true)
	}
	switch {
	case pypi.IsSiteDir(target):
		return e.siteJobs(target)
	case filepath.Base(target) == "node_modules":
		return e.nodeModulesJobs(target)
	case isPackageDir(target):
		venvs := pypi.FindVenvs(target)
		jobs := []job{e.dirJob(target, venvs)}
		var diags []model.Diagnostic
		if st, err := os.Stat(filepath.Join(target, "node_modules")); err == nil && st.IsDir() {
			js, ds := e.nodeModulesJobs(filepath.Join(target, "node_modules"))
			jobs = append(jobs, js...)
			diags = append(diags, ds...)
		}
		js, ds := e.venvJobs(venvs, map[string]bool{})
		jobs, diags = append(jobs, js...), append(diags, ds...)
		diags = append(diags, addDirLockfiles(target, ls)...)
		return jobs, diags
	}
	return e.projectJobs(target, ls)
}

// isPackageDir reports whether dir is an unpacked package.
func isPackageDir(dir string) bool {
	for _, n := range []string{"package.json", "setup.py", "pyproject.toml", "PKG-INFO", "setup.cfg"} {
		if st, err := os.Stat(filepath.Join(dir, n)); err == nil && st.Mode().IsRegular() {
			return true
		}
	}
	return false
}

// artifactJob makes a job for an archive file. explicit is set for files
// named on the command line: any recognized archive is scanned; during
// project discovery only package archives are.
func (e *Engine) artifactJob(p string, explicit bool) ([]job, []model.Diagnostic) {
	if st, err := os.Stat(p); err != nil || !st.Mode().IsRegular() {
		if err != nil {
			return nil, []model.Diagnostic{{Target: p, Message: err.Error()}}
		}
		// a FIFO or device would block or never end
		return nil, []model.Diagnostic{{Target: p, Message: fmt.Sprintf("not a regular file (%s); skipped", st.Mode().Type())}}
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, []model.Diagnostic{{Target: p, Message: err.Error()}}
	}
	head := make([]byte, 512)
	n, _ := f.Read(head)
	f.Close()
	if artifact.Sniff(head[:n]) == "" && !explicit && !zipName(p) {
		// during discovery, files that do not start like an archive are
		// skipped; zips may carry a prefix, so names ending in a zip
		// extension are always tried
		return nil, nil
	}
	lim := e.opt.Limits
	j := job{target: p, pkg: model.Package{Path: displayPath(p), Ecosystem: model.Unknown}}
	j.open = func() (*artifact.Artifact, error) {
		a, err := artifact.Open(p, lim)
		if errors.Is(err, artifact.ErrNotArchive) {
			return nil, errors.New("not a recognized package archive (wheel, sdist, npm tarball, zip or tar); scan its directory instead")
		}
		if err != nil {
			return nil, fmt.Errorf("open artifact: %w", err)
		}
		return a, nil
	}
	return []job{j}, nil
}

// addDirLockfiles reads the lockfiles and manifests at the top of dir
// and in its requirements/ folder.
func addDirLockfiles(dir string, ls *lockSet) []model.Diagnostic {
	var diags []model.Diagnostic
	for _, d := range []string{dir, filepath.Join(dir, "requirements")} {
		ents, err := os.ReadDir(d)
		if err != nil {
			continue
		}
		for _, en := range ents {
			if en.Type().IsRegular() && IsLockfile(filepath.Join(d, en.Name())) {
				diags = append(diags, ls.add(filepath.Join(d, en.Name()), false)...)
			}
		}
	}
	return diags
}

// venvJobs makes the jobs of the site directories of virtualenvs.
func (e *Engine) venvJobs(venvs []string, seen map[string]bool) ([]job, []model.Diagnostic) {
	var jobs []job
	var diags []model.Diagnostic
	for _, v := range venvs {
		for _, sd := range pypi.FindSiteDirs(v, maxSiteSearchDepth) {
			if !seen[sd] {
				seen[sd] = true
				js, ds := e.siteJobs(sd)
				jobs, diags = append(jobs, js...), append(diags, ds...)
			}
		}
	}
	return jobs, diags
}

// dirJob analyzes an unpacked package or project directory, leaving out
// its node_modules and virtualenvs (scanned as installed packages).
func (e *Engine) dirJob(dir string, venvs []string) job {
	var skip []string
	for _, v := range venvs {
		if rel, err := filepath.Rel(dir, v); err == nil && !strings.HasPrefix(rel, "..") {
			skip = append(skip, filepath.ToSlash(rel)+"/")
		}
	}
	lim := e.opt.Limits
	return job{target: dir, pkg: model.Package{Path: displayPath(dir), Kind: "directory", Ecosystem: model.Unknown}, open: func() (*artifact.Artifact, error) {
		a, err := artifact.OpenDir(dir, lim)
		if err != nil {
			return nil, err
		}
		// node_modules of an unpacked package are scanned as installed
		// packages of their own.
		kept := a.Files[:0]
		for _, f := range a.Files {
			if f.Path == "node_modules" || strings.HasPrefix(f.Path, "node_modules/") || strings.Contains(f.Path, "/node_modules/") {
				continue
			}
			if slices.ContainsFunc(skip, func(p string) bool { return strings.HasPrefix(f.Path, p) }) {
				continue
			}
			kept = append(kept, f)
		}
		a.Files = kept
		return a, nil
	}}
}

// siteJobs makes one job per installed distribution, plus one per
// unowned .pth file.
func (e *Engine) siteJobs(dir string) ([]job, []model.Diagnostic) {
	sd, err := pypi.ReadSiteDir(dir, maxMetaBytes)
	if err != nil {
		return nil, []model.Diagnostic{{Target: dir, Message: err.Error()}}
	}
	diags := append([]model.Diagnostic(nil), sd.Diagnostics...)
	lim := e.opt.Limits
	var jobs []job
	for _, d := range sd.Dists {
		d := d
		diags = append(diags, d.Diagnostics...)
		j := job{target: dir, pkg: model.Package{Ecosystem: model.PyPI, Name: d.Name, Version: d.Version, Path: displayPath(filepath.Join(dir, d.MetaDir)), Kind: "installed"}}
		j.open = func() (*artifact.Artifact, error) {
			a, err := artifact.OpenFiles(dir, d.Files, lim)
			if err != nil {
				return nil, err
			}
			return a, nil
		}
		// RECORD hashes are checked after the files are read (in input.go)
		j.record = d.Record
		jobs = append(jobs, j)
	}
	for _, u := range unownedEntries(dir, sd) {
		u := u
		j := job{target: dir, pkg: model.Package{Ecosystem: model.PyPI, Name: "(unowned " + u.name + ")", Path: displayPath(filepath.Join(dir, u.name)), Kind: "installed"}}
		j.open = func() (*artifact.Artifact, error) { return artifact.OpenFiles(dir, u.files, lim) }
		jobs = append(jobs, j)
	}
	for _, p := range sd.OrphanPth {
		p := p
		j := job{target: dir, pkg: model.Package{Ecosystem: model.PyPI, Name: "(unowned " + p + ")", Path: displayPath(filepath.Join(dir, p)), Kind: "installed"}, orphanPth: []string{p}}
		j.open = func() (*artifact.Artifact, error) { return artifact.OpenFiles(dir, []string{p}, lim) }
		jobs = append(jobs, j)
	}
	return jobs, diags
}

func (e *Engine) nodeModulesJobs(nm string) ([]job, []model.Diagnostic) {
	base := filepath.Dir(nm)
	pkgs, diags := npm.WalkNodeModules(nm, maxInstalledNpm)
	var jobs []job
	lim := e.opt.Limits
	for _, p := range pkgs {
		rel := p.Dir
		if p.RealDir != "" {
			rel = p.RealDir
		}
		dir := filepath.Join(base, filepath.FromSlash(rel))
		j := job{target: nm, pkg: model.Package{Ecosystem: model.NPM, Name: p.Name, Version: p.Version, Path: displayPath(filepath.Join(base, filepath.FromSlash(p.Dir))), Kind: "installed"}}
		j.open = func() (*artifact.Artifact, error) {
			a, err := artifact.OpenDir(dir, lim)
			if err != nil {
				return nil, err
			}
			kept := a.Files[:0]
			for _, f := range a.Files {
				if f.Path == "node_modules" || strings.HasPrefix(f.Path, "node_modules/") {
					continue
				}
				kept = append(kept, f)
			}
			a.Files = kept
			return a, nil
		}
		jobs = append(jobs, j)
	}
	return jobs, diags
}

var errStop = errors.New("stop")

// projectJobs finds virtualenvs, node_modules and package archives in a
// project directory.
func (e *Engine) projectJobs(root string, ls *lockSet) ([]job, []model.Diagnostic) {
	seen := map[string]bool{}
	venvs := pypi.FindVenvs(root)
	jobs, diags := e.venvJobs(venvs, seen)
	entries := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			diags = append(diags, model.Diagnostic{Target: root, Path: p, Message: err.Error()})
			return nil
		}
		entries++
		if entries > maxProjectEntries {
			diags = append(diags, model.Diagnostic{Target: root, Message: fmt.Sprintf("stopped looking for packages after %d entries", maxProjectEntries)})
			return errStop
		}
		rel, _ := filepath.Rel(root, p)
		depth := len(strings.Split(filepath.ToSlash(rel), "/"))
		if d.IsDir() {
			if p == root {
				return nil
			}
			name := d.Name()
			switch {
			case seen[p]:
				return filepath.SkipDir
			case name == "node_modules":
				js, ds := e.nodeModulesJobs(p)
				jobs, diags = append(jobs, js...), append(diags, ds...)
				return filepath.SkipDir
			case name == ".git" || name == "__pycache__":
				return filepath.SkipDir
			case pypi.IsSiteDir(p) && strings.HasSuffix(name, "-packages"):
				if !seen[p] {
					seen[p] = true
					js, ds := e.siteJobs(p)
					jobs, diags = append(jobs, js...), append(diags, ds...)
				}
				return filepath.SkipDir
			case isVenv(p):
				return filepath.SkipDir
			}
			if depth > maxProjectDepth {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		if IsLockfile(p) {
			diags = append(diags, ls.add(p, false)...)
			return nil
		}
		if looksLikeArchiveName(d.Name()) {
			js, ds := e.artifactJob(p, false)
			jobs, diags = append(jobs, js...), append(diags, ds...)
		}
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		diags = append(diags, model.Diagnostic{Target: root, Message: err.Error()})
	}
	// the project itself, when it is a package
	if isPackageDir(root) {
		jobs = append([]job{e.dirJob(root, venvs)}, jobs...)
	}
	sort.SliceStable(jobs, func(i, j int) bool { return jobs[i].pkg.Path < jobs[j].pkg.Path })
	return jobs, diags
}

func isVenv(dir string) bool {
	st, err := os.Stat(filepath.Join(dir, "pyvenv.cfg"))
	return err == nil && st.Mode().IsRegular()
}

// looksLikeArchiveName picks candidate files during project discovery;
// the format itself is then recognized by content.
func looksLikeArchiveName(name string) bool {
	n := strings.ToLower(name)
	for _, ext := range []string{".whl", ".tar.gz", ".tgz", ".zip", ".tar.bz2", ".tar.xz", ".tar", ".egg"} {
		if strings.HasSuffix(n, ext) {
			return true
		}
	}
	return path.Ext(n) == ""
}

func zipName(p string) bool {
	n := strings.ToLower(p)
	return strings.HasSuffix(n, ".whl") || strings.HasSuffix(n, ".zip") || strings.HasSuffix(n, ".egg")
}

type unowned struct {
	name  string
	files []string
}

const maxUnownedFiles = 20000

// unownedEntries lists top-level modules and packages of a site dir that
// no installed distribution claims (vendored by the OS, copied by hand, or
// dropped by something else). They are scanned as packages of their own
// so nothing in the directory goes unvetted.
func unownedEntries(dir string, sd *pypi.SiteDir) []unowned {
	owned := map[string]bool{}
	for _, d := range sd.Dists {
		owned[strings.SplitN(d.MetaDir, "/", 2)[0]] = true
		for _, f := range d.Files {
			owned[strings.SplitN(f, "/", 2)[0]] = true
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []unowned
	for _, e := range entries {
		name := e.Name()
		switch {
		case owned[name], strings.HasPrefix(name, "."), name == "__pycache__",
			strings.HasSuffix(name, ".dist-info"), strings.HasSuffix(name, ".egg-info"), strings.HasSuffix(name, ".pth"):
			continue
		}
		if e.Type().IsRegular() {
			if strings.HasSuffix(name, ".py") || strings.HasSuffix(name, ".so") || strings.HasSuffix(name, ".pyc") {
				out = append(out, unowned{name: name, files: []string{name}})
			}
			continue
		}
		if !e.IsDir() {
			continue
		}
		var files []string
		filepath.WalkDir(filepath.Join(dir, name), func(p string, d fs.DirEntry, err error) error {
			if err != nil || len(files) >= maxUnownedFiles {
				return filepath.SkipDir
			}
			if d.Type().IsRegular() {
				rel, _ := filepath.Rel(dir, p)
				files = append(files, filepath.ToSlash(rel))
			}
			return nil
		})
		if len(files) > 0 {
			out = append(out, unowned{name: name, files: files})
		}
	}
	return out
}
