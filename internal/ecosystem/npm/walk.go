package npm

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/airlock-sec/airlock/internal/model"
)

// MaxPackageJSONBytes bounds each package.json WalkNodeModules reads. Old
// npm versions stored the whole README inside installed package.json files,
// so this is generous.
const MaxPackageJSONBytes = 4 << 20

// DefaultMaxPackages is the limit WalkNodeModules uses when called with
// maxPackages <= 0.
const DefaultMaxPackages = 100_000

// maxNesting bounds node_modules nesting depth.
const maxNesting = 128

// Installed is one package directory found in a node_modules tree.
type Installed struct {
	// Dir is the package directory, slash-separated, relative to the
	// directory that holds the top node_modules: "node_modules/foo",
	// "node_modules/@scope/bar", "node_modules/foo/node_modules/baz".
	Dir string
	// RealDir is set when Dir is a symlink (npm link, workspaces, pnpm)
	// that WalkNodeModules followed: the target, relative to the same
	// base. Read the package's files from RealDir when it is set.
	RealDir string
	// Name and Version come from package.json; Name falls back to the
	// directory name ("@scope/bar") when package.json is missing, invalid
	// or has no name.
	Name, Version string
}

// WalkNodeModules lists the packages installed under root, which is a
// node_modules directory or a directory containing one. It includes
// scoped packages (@scope/name) and nested node_modules at any depth, and
// skips .bin and other hidden entries, except pnpm's virtual store
// node_modules/.pnpm, whose <pkg>@<version>/node_modules directories are
// walked like node_modules so that pnpm's transitive dependencies are seen.
//
// Symlinked packages and node_modules directories (npm link, workspaces,
// pnpm) are followed only when their real path stays inside root (as
// given: pass the project directory to follow workspace links into it);
// others are reported as diagnostics and not read. Links are followed
// after all real directories have been walked, and each real package
// directory is listed once, so a package both installed in place and
// linked to (pnpm, cycles) is listed at its real place, and one reached
// only through links is listed at the first link found, with RealDir set.
//
// A package directory without a readable, valid package.json is still
// listed (Node can require it through index.js) with a diagnostic. At most
// maxPackages packages are listed (DefaultMaxPackages when <= 0); hitting
// the limit is a diagnostic.
func WalkNodeModules(root string, maxPackages int) ([]Installed, []model.Diagnostic) {
	if maxPackages <= 0 {
		maxPackages = DefaultMaxPackages
	}
	w := &walker{target: root, max: maxPackages, seen: map[string]bool{}, seenNM: map[string]bool{}}
	boundary, err := filepath.EvalSymlinks(root)
	if err == nil {
		boundary, err = filepath.Abs(boundary)
	}
	if err != nil {
		w.diag("", "cannot read node_modules root: %v", err)
		return nil, w.diags
	}
	w.boundary = boundary
	nm := boundary
	if filepath.Base(root) != "node_modules" {
		nm, err = w.resolve(filepath.Join(boundary, "node_modules"))
		if err != nil {
			w.diag("node_modules", "cannot read: %v", err)
			return nil, w.diags
		}
		w.base = boundary
	} else {
		w.base = filepath.Dir(boundary)
	}
	w.walkNM(nm, "node_modules", 0)
	w.followLinks()
	return w.out, w.diags
}

type walker struct {
	target   string // root as given, for diagnostics
	boundary string // real path of root: symlinks must stay inside
	base     string // real path of the directory holding the top node_modules
	max      int
	out      []Installed
	diags    []model.Diagnostic
	seen     map[string]bool // real package dirs listed
	seenNM   map[string]bool // real node_modules dirs walked
	links    []link          // symlinked packages to follow after the walk
	full     bool
}

func (w *walker) diag(rel, format string, args ...any) {
	w.diags = append(w.diags, model.Diagnostic{Target: w.target, Path: rel, Message: fmt.Sprintf(format, args...)})
}

var errOutside = errors.New("symlink leads outside the scanned directory; not followed")

func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	if err != nil {
		return false
	}
	return rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// resolve returns the real path of p, which must stay inside the boundary.
func (w *walker) resolve(p string) (string, error) {
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return "", err
	}
	if !within(w.boundary, real) {
		return "", errOutside
	}
	return real, nil
}

// rel renders a real path relative to the base, slash-separated.
func (w *walker) rel(real string) string {
	r, err := filepath.Rel(w.base, real)
	if err != nil {
		return filepath.ToSlash(real)
	}
	return filepath.ToSlash(r)
}

// walkNM lists the packages in one node_modules directory (real path nm,
// shown as rel).
func (w *walker) walkNM(nm, rel string, depth int) {
	if w.seenNM[nm] {
		return
	}
	w.seenNM[nm] = true
	if depth > maxNesting {
		w.diag(rel, "node_modules nested more than %d deep; not walked", maxNesting)
		return
	}
	entries, err := os.ReadDir(nm)
	if err != nil {
		w.diag(rel, "cannot list: %v", err)
		return
	}
	var pnpmStore bool
	for _, e := range entries {
		name := e.Name()
		if name == ".pnpm" && e.IsDir() {
			pnpmStore = true
			continue
		}
		if strings.HasPrefix(name, ".") {
			continue // .bin, .package-lock.json, .cache, …
		}
		if strings.HasPrefix(name, "@") {
			w.walkScope(filepath.Join(nm, name), rel+"/"+name, name, depth)
			continue
		}
		w.visit(filepath.Join(nm, name), rel+"/"+name, name, depth)
	}
	if pnpmStore {
		w.walkPnpm(filepath.Join(nm, ".pnpm"), rel+"/.pnpm", depth)
	}
}

func (w *walker) walkScope(dir, rel, scope string, depth int) {
	real, err := w.resolve(dir)
	if err != nil {
		w.diag(rel, "cannot read scope directory: %v", err)
		return
	}
	entries, err := os.ReadDir(real)
	if err != nil {
		w.diag(rel, "cannot list scope directory: %v", err)
		return
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		w.visit(filepath.Join(real, e.Name()), rel+"/"+e.Name(), scope+"/"+e.Name(), depth)
	}
}

// walkPnpm walks pnpm's virtual store: .pnpm/<pkg>@<version>/node_modules.
func (w *walker) walkPnpm(store, rel string, depth int) {
	entries, err := os.ReadDir(store)
	if err != nil {
		w.diag(rel, "cannot list pnpm store: %v", err)
		return
	}
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		nm := filepath.Join(store, e.Name(), "node_modules")
		if e.Name() == "node_modules" {
			nm = filepath.Join(store, e.Name())
		}
		fi, err := os.Lstat(nm)
		if err != nil || !fi.IsDir() {
			continue
		}
		w.walkNM(nm, w.rel(nm), depth+1)
	}
}

// link is a symlinked package whose following is deferred until every
// real directory has been walked.
type link struct {
	dir, rel, dirName string
	depth             int
}

// visit lists the package at dir (shown as rel) and walks its nested
// node_modules. Symlinked packages are queued for followLinks.
func (w *walker) visit(dir, rel, dirName string, depth int) {
	if w.full {
		return
	}
	lfi, err := os.Lstat(dir)
	if err != nil {
		w.diag(rel, "cannot stat: %v", err)
		return
	}
	if lfi.Mode()&fs.ModeSymlink != 0 {
		w.links = append(w.links, link{dir, rel, dirName, depth})
		return
	}
	w.visitReal(dir, Installed{Dir: rel, Name: dirName}, depth)
}

// followLinks follows the queued symlinked packages (and any queued while
// doing so). Running after the walk of real directories means a package
// that is both installed in place and linked to is listed at its real
// place.
func (w *walker) followLinks() {
	for i := 0; i < len(w.links) && !w.full; i++ {
		l := w.links[i]
		real, err := w.resolve(l.dir)
		if err != nil {
			if target, lerr := os.Readlink(l.dir); lerr == nil {
				w.diag(l.rel, "symlink to %q: %v", target, err)
			} else {
				w.diag(l.rel, "symlink: %v", err)
			}
			continue
		}
		w.visitReal(real, Installed{Dir: l.rel, RealDir: w.rel(real), Name: l.dirName}, l.depth)
	}
}

// visitReal lists the package whose real directory is real.
func (w *walker) visitReal(real string, inst Installed, depth int) {
	rel := inst.Dir
	fi, err := os.Stat(real)
	if err != nil {
		w.diag(rel, "cannot stat: %v", err)
		return
	}
	if !fi.IsDir() {
		w.diag(rel, "not a package directory (a %s)", fileKind(fi))
		return
	}
	if w.seen[real] {
		return
	}
	if len(w.out) >= w.max {
		w.full = true
		w.diag(rel, "more than %d packages; walk stopped, remaining packages not listed", w.max)
		return
	}
	w.seen[real] = true

	data, err := w.readPackageJSON(filepath.Join(real, "package.json"))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		w.diag(rel, "missing package.json; listed under its directory name %q", inst.Name)
	case err != nil:
		w.diag(rel+"/package.json", "cannot read: %v", err)
	default:
		pj, err := ParsePackageJSON(data)
		if err != nil {
			w.diag(rel+"/package.json", "invalid: %v", err)
			break
		}
		if pj.Name != "" {
			if !ValidName(pj.Name) {
				w.diag(rel+"/package.json", "invalid package name %q", truncate(pj.Name))
			}
			inst.Name = pj.Name
		}
		inst.Version = pj.Version
	}
	w.out = append(w.out, inst)

	nested := filepath.Join(real, "node_modules")
	if _, err := os.Lstat(nested); err != nil {
		return
	}
	nestedReal, err := w.resolve(nested)
	if err != nil {
		w.diag(rel+"/node_modules", "not walked: %v", err)
		return
	}
	if fi, err := os.Stat(nestedReal); err != nil || !fi.IsDir() {
		return
	}
	w.walkNM(nestedReal, rel+"/node_modules", depth+1)
}

// readPackageJSON reads p, bounded, refusing symlinks out of the boundary
// and non-regular files.
func (w *walker) readPackageJSON(p string) ([]byte, error) {
	real, err := w.resolve(p)
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(real)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (a %s)", fileKind(fi))
	}
	if fi.Size() > MaxPackageJSONBytes {
		return nil, fmt.Errorf("%d bytes exceeds the %d-byte limit", fi.Size(), MaxPackageJSONBytes)
	}
	f, err := os.Open(real)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxPackageJSONBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxPackageJSONBytes {
		return nil, fmt.Errorf("exceeds the %d-byte limit", MaxPackageJSONBytes)
	}
	return data, nil
}

func fileKind(fi fs.FileInfo) string {
	switch m := fi.Mode(); {
	case m.IsRegular():
		return "regular file"
	case m.IsDir():
		return "directory"
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeDevice != 0:
		return "device"
	}
	return "special file"
}

func truncate(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
