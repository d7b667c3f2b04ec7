package pypi

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/airlock-sec/airlock/internal/model"
)

// DefaultMaxMetaBytes is the per-file limit ReadSiteDir uses for metadata
// files (METADATA, RECORD, …) when called with maxMetaBytes <= 0. Large
// distributions have RECORD files of a few megabytes.
const DefaultMaxMetaBytes int64 = 16 << 20

// maxTreeFiles bounds how many files ReadSiteDir lists for one egg-info
// distribution when it has to walk its top-level package directories.
const maxTreeFiles = 100_000

// maxFindDirs bounds how many directories FindSiteDirs visits.
const maxFindDirs = 100_000

// Distribution is one installed distribution in a site directory.
type Distribution struct {
	// Name and Version come from METADATA / PKG-INFO, or from the
	// metadata directory's name when those are missing or unreadable.
	Name, Version string
	// MetaDir is the metadata directory (or, for a distutils install, the
	// single egg-info file), relative to the site dir: e.g.
	// "requests-2.31.0.dist-info" or "foo.egg-info".
	MetaDir string
	// Files are the files the distribution owns inside the site dir:
	// slash-separated, cleaned, relative to the site dir, never absolute
	// and never starting with "../". For dist-info they come from RECORD;
	// for egg-info from installed-files.txt, else from SOURCES.txt matched
	// against top_level.txt, else from walking the top-level packages named
	// in top_level.txt.
	Files []string
	// Outside are owned files that lie outside the site dir (console
	// scripts and data files, written "../../../bin/foo" in RECORD),
	// cleaned but otherwise as written; they may be absolute. Callers must
	// not open them relative to the site dir without a containment check.
	Outside []string
	// Record holds the raw RECORD entries (dist-info only).
	Record []RecordEntry
	// Diagnostics are problems reading this distribution's metadata.
	Diagnostics []model.Diagnostic
}

// SiteDir is the result of reading one site-packages directory.
type SiteDir struct {
	// Dir is the directory as given to ReadSiteDir.
	Dir   string
	Dists []Distribution
	// OrphanPth are top-level *.pth files (names relative to Dir) that no
	// distribution's file list owns. Python's site module runs their
	// "import" lines at every interpreter start.
	OrphanPth []string
	// Diagnostics are problems with the directory itself (symlinks not
	// followed, unreadable entries).
	Diagnostics []model.Diagnostic
}

// IsSiteDir reports whether dir looks like a site directory: it is named
// site-packages or dist-packages, or it holds *.dist-info or *.egg-info
// entries.
func IsSiteDir(dir string) bool {
	fi, err := os.Stat(dir)
	if err != nil || !fi.IsDir() {
		return false
	}
	switch filepath.Base(dir) {
	case "site-packages", "dist-packages":
		return true
	}
	f, err := os.Open(dir)
	if err != nil {
		return false
	}
	defer f.Close()
	for {
		names, err := f.Readdirnames(1024)
		for _, n := range names {
			if strings.HasSuffix(n, ".dist-info") || strings.HasSuffix(n, ".egg-info") {
				return true
			}
		}
		if err != nil {
			return false
		}
	}
}

// ReadSiteDir reads the distributions installed in a site directory.
// Symbolic links are followed only when they resolve inside dir; others are
// reported as diagnostics. Metadata files are read up to maxMetaBytes each
// (DefaultMaxMetaBytes when maxMetaBytes <= 0); a larger file is a
// diagnostic. Problems with one distribution become diagnostics on it; an
// error is returned only when dir itself cannot be read.
func ReadSiteDir(dir string, maxMetaBytes int64) (*SiteDir, error) {
	if maxMetaBytes <= 0 {
		maxMetaBytes = DefaultMaxMetaBytes
	}
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, fmt.Errorf("read site dir %q: %w", dir, err)
	}
	root, err = filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("read site dir %q: %w", dir, err)
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, fmt.Errorf("read site dir %q: %w", dir, err)
	}
	r := &siteReader{root: root, target: dir, max: maxMetaBytes}
	sd := &SiteDir{Dir: dir}
	var pths []string
	for _, e := range entries {
		name := e.Name()
		isDist := strings.HasSuffix(name, ".dist-info")
		isEgg := strings.HasSuffix(name, ".egg-info")
		isPth := strings.HasSuffix(name, ".pth")
		if !isDist && !isEgg && !isPth {
			continue
		}
		isDir := e.IsDir()
		if e.Type()&fs.ModeSymlink != 0 {
			fi, err := r.statInside(name)
			if err != nil {
				if isPth {
					// Python's site module skips a .pth it cannot open,
					// but a link out of the site dir is worth reporting.
					pths = append(pths, name)
				}
				sd.Diagnostics = append(sd.Diagnostics, r.diag(name, "symlink not followed: %v", err))
				continue
			}
			isDir = fi.IsDir()
		}
		switch {
		case isDist && isDir:
			sd.Dists = append(sd.Dists, r.readDistInfo(name))
		case isEgg:
			sd.Dists = append(sd.Dists, r.readEggInfo(name, isDir))
		case isPth && !isDir:
			pths = append(pths, name)
		case isDist:
			sd.Diagnostics = append(sd.Diagnostics, r.diag(name, "dist-info entry is not a directory"))
		}
	}
	owned := map[string]bool{}
	for _, d := range sd.Dists {
		for _, f := range d.Files {
			owned[f] = true
		}
	}
	for _, p := range pths {
		if !owned[p] {
			sd.OrphanPth = append(sd.OrphanPth, p)
		}
	}
	return sd, nil
}

// siteReader reads files inside one site directory.
type siteReader struct {
	root   string // absolute, symlinks resolved
	target string // as given, for diagnostics
	max    int64
}

func (r *siteReader) diag(rel, format string, args ...any) model.Diagnostic {
	return model.Diagnostic{Target: r.target, Path: rel, Message: fmt.Sprintf(format, args...)}
}

var errOutside = errors.New("it leads outside the site directory")

// within reports whether p (absolute, resolved) is root or below it.
func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	if err != nil {
		return false
	}
	return rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// resolve returns the real path of rel (slash-separated, inside root),
// refusing paths whose symlinks lead out of root.
func (r *siteReader) resolve(rel string) (string, error) {
	full := filepath.Join(r.root, filepath.FromSlash(rel))
	if !within(r.root, full) {
		return "", errOutside
	}
	real, err := filepath.EvalSymlinks(full)
	if err != nil {
		return "", err
	}
	if !within(r.root, real) {
		return "", errOutside
	}
	return real, nil
}

func (r *siteReader) statInside(rel string) (fs.FileInfo, error) {
	real, err := r.resolve(rel)
	if err != nil {
		return nil, err
	}
	return os.Stat(real)
}

// read returns the contents of rel, bounded by r.max.
func (r *siteReader) read(rel string) ([]byte, error) {
	real, err := r.resolve(rel)
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(real)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	if fi.Size() > r.max {
		return nil, fmt.Errorf("%d bytes exceeds the %d-byte metadata limit", fi.Size(), r.max)
	}
	f, err := os.Open(real)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, r.max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > r.max {
		return nil, fmt.Errorf("file exceeds the %d-byte metadata limit", r.max)
	}
	return data, nil
}

// splitMetaName derives name and version from a metadata directory name:
// "foo_bar-1.0.dist-info", "foo.egg-info", "foo-1.0-py3.8.egg-info".
func splitMetaName(metaDir string) (name, version string) {
	base := strings.TrimSuffix(strings.TrimSuffix(metaDir, ".dist-info"), ".egg-info")
	parts := strings.SplitN(base, "-", 3)
	name = parts[0]
	if len(parts) > 1 {
		version = parts[1]
	}
	return name, version
}

// classify adds a cleaned owned path to Files or Outside.
func (d *Distribution) classify(p string) {
	if p == "" {
		return
	}
	c := path.Clean(p)
	switch {
	case c == ".":
	case path.IsAbs(c) || hasVolume(c) || c == ".." || strings.HasPrefix(c, "../"):
		d.Outside = append(d.Outside, c)
	default:
		d.Files = append(d.Files, c)
	}
}

// hasVolume reports a Windows drive-letter path such as "C:/x".
func hasVolume(p string) bool {
	return len(p) >= 2 && p[1] == ':' && ('a' <= p[0] && p[0] <= 'z' || 'A' <= p[0] && p[0] <= 'Z')
}

// readMetadata fills name and version from a metadata file.
func (r *siteReader) readMetadata(d *Distribution, rel string) {
	data, err := r.read(rel)
	if err != nil {
		d.Diagnostics = append(d.Diagnostics, r.diag(rel, "cannot read metadata: %v", err))
		return
	}
	md, err := ParseMetadata(data)
	if err != nil {
		d.Diagnostics = append(d.Diagnostics, r.diag(rel, "invalid metadata: %v", err))
	}
	if md.Name != "" {
		d.Name = md.Name
	}
	if md.Version != "" {
		d.Version = md.Version
	}
}

func (r *siteReader) readDistInfo(metaDir string) Distribution {
	d := Distribution{MetaDir: metaDir}
	d.Name, d.Version = splitMetaName(metaDir)
	r.readMetadata(&d, metaDir+"/METADATA")
	rel := metaDir + "/RECORD"
	data, err := r.read(rel)
	if err != nil {
		d.Diagnostics = append(d.Diagnostics, r.diag(rel, "cannot read RECORD, files owned by this distribution are unknown: %v", err))
		return d
	}
	d.Record, err = ParseRecord(data)
	if err != nil {
		d.Diagnostics = append(d.Diagnostics, r.diag(rel, "invalid RECORD, file list may be incomplete: %v", err))
	}
	for _, e := range d.Record {
		d.classify(e.Path)
	}
	return d
}

func (r *siteReader) readEggInfo(metaDir string, isDir bool) Distribution {
	d := Distribution{MetaDir: metaDir}
	d.Name, d.Version = splitMetaName(metaDir)
	if !isDir {
		// distutils wrote a single PKG-INFO-style file and no file list.
		r.readMetadata(&d, metaDir)
		d.Files = []string{metaDir}
		d.Diagnostics = append(d.Diagnostics, r.diag(metaDir, "egg-info file has no file list; files owned by this distribution are unknown"))
		return d
	}
	r.readMetadata(&d, metaDir+"/PKG-INFO")

	// 1. installed-files.txt: paths relative to the egg-info directory.
	if data, err := r.read(metaDir + "/installed-files.txt"); err == nil {
		for _, l := range lines(data) {
			l = strings.TrimSpace(l)
			if l == "" {
				continue
			}
			if path.IsAbs(l) || hasVolume(l) {
				d.classify(l)
			} else {
				d.classify(path.Join(metaDir, l))
			}
		}
		return d
	} else if !errors.Is(err, fs.ErrNotExist) {
		d.Diagnostics = append(d.Diagnostics, r.diag(metaDir+"/installed-files.txt", "cannot read file list: %v", err))
	}

	tops := r.topLevel(&d)
	metaFiles := r.listMetaDir(&d)

	// 2. SOURCES.txt (paths in the source tree) matched against the
	// top-level names, kept when the file exists in the site dir.
	if data, err := r.read(metaDir + "/SOURCES.txt"); err == nil && len(tops) > 0 {
		var found []string
		for _, l := range lines(data) {
			l = strings.TrimSpace(l)
			if rel := sourceToInstalled(l, tops); rel != "" {
				if fi, err := r.statInside(rel); err == nil && !fi.IsDir() {
					found = append(found, rel)
				}
			}
		}
		if len(found) > 0 {
			for _, f := range found {
				d.classify(f)
			}
			d.Files = append(d.Files, metaFiles...)
			return d
		}
	}

	// 3. Walk the top-level packages and modules named in top_level.txt.
	if len(tops) > 0 {
		for _, t := range tops {
			r.addTopLevel(&d, t)
		}
		d.Files = append(d.Files, metaFiles...)
		return d
	}
	d.Files = append(d.Files, metaFiles...)
	d.Diagnostics = append(d.Diagnostics, r.diag(metaDir, "no installed-files.txt, SOURCES.txt or top_level.txt; files owned by this distribution are unknown"))
	return d
}

// topLevel reads top_level.txt, keeping names that are safe relative paths.
func (r *siteReader) topLevel(d *Distribution) []string {
	rel := d.MetaDir + "/top_level.txt"
	data, err := r.read(rel)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			d.Diagnostics = append(d.Diagnostics, r.diag(rel, "cannot read top-level names: %v", err))
		}
		return nil
	}
	var out []string
	for _, l := range lines(data) {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		c := path.Clean(l)
		if c == "." || c == ".." || strings.HasPrefix(c, "../") || path.IsAbs(c) || hasVolume(c) {
			d.Diagnostics = append(d.Diagnostics, r.diag(rel, "top-level name %q is not a relative path inside the site directory", snippet([]byte(l))))
			continue
		}
		out = append(out, c)
	}
	return out
}

// listMetaDir lists the files directly inside the egg-info directory.
func (r *siteReader) listMetaDir(d *Distribution) []string {
	real, err := r.resolve(d.MetaDir)
	if err != nil {
		return nil
	}
	entries, err := os.ReadDir(real)
	if err != nil {
		d.Diagnostics = append(d.Diagnostics, r.diag(d.MetaDir, "cannot list: %v", err))
		return nil
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() {
			out = append(out, d.MetaDir+"/"+e.Name())
		}
	}
	return out
}

// sourceToInstalled maps a SOURCES.txt path ("src/foo/bar.py") to its
// installed path ("foo/bar.py") using the top-level names; "" when no
// component matches.
func sourceToInstalled(src string, tops []string) string {
	src = strings.ReplaceAll(src, "\\", "/")
	comps := strings.Split(path.Clean(src), "/")
	for k, c := range comps {
		if c == ".." {
			return ""
		}
		for _, t := range tops {
			first, _, _ := strings.Cut(t, "/")
			if c == first || c == first+".py" {
				return strings.Join(comps[k:], "/")
			}
		}
	}
	return ""
}

// addTopLevel adds the files of top-level package t (a directory walked
// without following symlinks) and module t.py / extension t.*.
func (r *siteReader) addTopLevel(d *Distribution, t string) {
	if fi, err := r.statInside(t); err == nil && fi.IsDir() {
		real, _ := r.resolve(t)
		n := 0
		err := filepath.WalkDir(real, func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				d.Diagnostics = append(d.Diagnostics, r.diag(t, "walk: %v", err))
				if e != nil && e.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if e.IsDir() {
				return nil
			}
			rel, err := filepath.Rel(real, p)
			if err != nil {
				return nil
			}
			n++
			if n > maxTreeFiles {
				d.Diagnostics = append(d.Diagnostics, r.diag(t, "more than %d files; file list truncated", maxTreeFiles))
				return fs.SkipAll
			}
			d.Files = append(d.Files, path.Join(t, filepath.ToSlash(rel)))
			return nil
		})
		if err != nil {
			d.Diagnostics = append(d.Diagnostics, r.diag(t, "walk: %v", err))
		}
	}
	dir, base := path.Split(t)
	real, err := r.resolve(dir)
	if err != nil {
		return
	}
	entries, err := os.ReadDir(real)
	if err != nil {
		return
	}
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasPrefix(n, base+".") {
			continue
		}
		switch ext := n[strings.LastIndexByte(n, '.'):]; ext {
		case ".py", ".pyc", ".so", ".pyd", ".dylib":
			d.Files = append(d.Files, path.Join(dir, n))
		}
	}
}

// FindSiteDirs returns the site directories under root: root itself when
// IsSiteDir says so, the usual layouts of a virtualenv or system prefix
// (lib/python3.*/site-packages, lib64/…, Lib/site-packages,
// usr/lib/python3/dist-packages, usr/lib/python3.*/site-packages,
// usr/local/lib/…), and, when maxDepth > 0, any directory named
// site-packages or dist-packages found within maxDepth levels below root.
// The walk does not follow symlinks, skips node_modules, .git and
// __pycache__, and visits a bounded number of directories. Results are
// deduplicated by real path and sorted.
func FindSiteDirs(root string, maxDepth int) []string {
	seen := map[string]bool{}
	var out []string
	add := func(p string) {
		fi, err := os.Stat(p)
		if err != nil || !fi.IsDir() {
			return
		}
		real, err := filepath.EvalSymlinks(p)
		if err != nil || seen[real] {
			return
		}
		seen[real] = true
		out = append(out, p)
	}
	if IsSiteDir(root) {
		add(root)
	}
	for _, pat := range siteLayouts {
		for _, m := range globUnder(root, pat) {
			add(m)
		}
	}
	if maxDepth > 0 {
		type item struct {
			dir   string
			depth int
		}
		queue := []item{{root, 0}}
		visited := 0
		for len(queue) > 0 && visited < maxFindDirs {
			it := queue[0]
			queue = queue[1:]
			visited++
			entries, err := os.ReadDir(it.dir)
			if err != nil {
				continue
			}
			for _, e := range entries {
				if !e.IsDir() { // symlinks are not followed
					continue
				}
				p := filepath.Join(it.dir, e.Name())
				switch e.Name() {
				case "site-packages", "dist-packages":
					add(p)
					continue
				case "node_modules", ".git", "__pycache__":
					continue
				}
				if it.depth+1 < maxDepth {
					queue = append(queue, item{p, it.depth + 1})
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// siteLayouts are slash-separated patterns, relative to a prefix, where
// site directories live. Each component is matched with filepath.Match.
var siteLayouts = []string{
	"lib/python*/site-packages",
	"lib/python*/dist-packages",
	"lib64/python*/site-packages",
	"lib/pypy*/site-packages",
	"Lib/site-packages",
	"usr/lib/python3/dist-packages",
	"usr/lib/python*/site-packages",
	"usr/lib/python*/dist-packages",
	"usr/lib64/python*/site-packages",
	"usr/local/lib/python*/site-packages",
	"usr/local/lib/python*/dist-packages",
}

// globUnder matches pattern below root one component at a time, so that
// metacharacters in root itself are not interpreted.
func globUnder(root, pattern string) []string {
	cur := []string{root}
	for _, comp := range strings.Split(pattern, "/") {
		var next []string
		for _, dir := range cur {
			if !strings.ContainsAny(comp, "*?[") {
				next = append(next, filepath.Join(dir, comp))
				continue
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				continue
			}
			for _, e := range entries {
				if ok, _ := filepath.Match(comp, e.Name()); ok {
					next = append(next, filepath.Join(dir, e.Name()))
				}
			}
		}
		cur = next
	}
	return cur
}

// FindVenvs returns the immediate child directories of projectDir that are
// virtualenvs (they contain pyvenv.cfg), such as .venv, venv or env, and
// the environments one level deeper under .tox and .nox. Symlinked
// children are not followed. Results are sorted.
func FindVenvs(projectDir string) []string {
	isVenv := func(dir string) bool {
		fi, err := os.Stat(filepath.Join(dir, "pyvenv.cfg"))
		return err == nil && fi.Mode().IsRegular()
	}
	var out []string
	entries, err := os.ReadDir(projectDir)
	if err != nil {
		return nil
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		p := filepath.Join(projectDir, e.Name())
		if isVenv(p) {
			out = append(out, p)
			continue
		}
		if e.Name() == ".tox" || e.Name() == ".nox" {
			sub, err := os.ReadDir(p)
			if err != nil {
				continue
			}
			for _, s := range sub {
				if s.IsDir() && isVenv(filepath.Join(p, s.Name())) {
					out = append(out, filepath.Join(p, s.Name()))
				}
			}
		}
	}
	sort.Strings(out)
	return out
}
