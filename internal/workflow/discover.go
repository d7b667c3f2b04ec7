package workflow

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/airlock-sec/airlock/internal/model"
)

// Bounds of Discover.
const (
	maxIncludeDepth = 10  // nesting of GitLab local includes
	maxIncludes     = 100 // GitLab local include files per repository
	maxScripts      = 200 // called shell scripts per repository
)

// skipDirs are never searched for pipeline files.
var skipDirs = map[string]bool{"node_modules": true, ".git": true, "vendor": true}

// Discover walks a repository root and parses its pipeline files:
// .github/workflows/*.yml|yaml, every action.yml|yaml, .gitlab-ci.yml
// (and *.gitlab-ci.yml) with the local files they include, and
// .circleci/config.yml|yaml; then the repository shell scripts their run
// steps call (File.CalledScripts), and the scripts those call, parsed as
// ShellScript files. node_modules, .git and vendor directories are
// skipped; files reached through symbolic links must stay inside root.
//
// File.Path is root joined with the path inside it. GitLab local includes
// are resolved from the root (as GitLab does), "*" and "**" globs
// included, nested at most 10 deep and 100 files in all; an include that
// is missing, outside the root, or makes a cycle is a diagnostic on the
// including file. A called script is looked up from the root, and from
// the calling file's directory for scripts and action.yml; one that does
// not exist is not reported (it may be made by the build), nor is a
// binary or a script with a non-shell "#!" line. Files appear
// in walk order, each GitLab file followed by what it includes, then the
// scripts.
func Discover(root string) (files []*File, diags []model.Diagnostic) {
	d := &discoverer{root: root, seen: map[string]bool{}}
	real, err := filepath.EvalSymlinks(root)
	if err == nil {
		real, err = filepath.Abs(real)
	}
	if err != nil {
		return nil, []model.Diagnostic{{Target: root, Message: fmt.Sprintf("cannot read the directory: %v", err)}}
	}
	d.real = real
	type cand struct {
		rel  string
		plat Platform
	}
	var cands []cand
	err = filepath.WalkDir(real, func(p string, de fs.DirEntry, err error) error {
		if err != nil {
			rel, _ := filepath.Rel(real, p)
			d.diag(d.pathOf(filepath.ToSlash(rel)), 0, "cannot read: %v", unwrapPath(err))
			if de != nil && de.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if de.IsDir() {
			if p != real && skipDirs[de.Name()] {
				return fs.SkipDir
			}
			return nil
		}
		rel, err := filepath.Rel(real, p)
		if err != nil {
			return nil
		}
		rel = filepath.ToSlash(rel)
		if strings.HasSuffix(rel, ".yml") || strings.HasSuffix(rel, ".yaml") {
			d.yamlFiles = append(d.yamlFiles, rel)
		}
		if plat := Detect(rel); plat != "" {
			cands = append(cands, cand{rel, plat})
		}
		return nil
	})
	if err != nil {
		d.diag(root, 0, "cannot walk the directory: %v", err)
	}
	// The root .gitlab-ci.yml first, so that include cycles through it are
	// seen from it.
	sort.SliceStable(cands, func(i, j int) bool {
		return cands[i].rel == ".gitlab-ci.yml" && cands[j].rel != ".gitlab-ci.yml"
	})
	// Files other than GitLab's are independent: parse them in parallel.
	// GitLab files are parsed depth first with what they include.
	var rels []string
	var plats []Platform
	at := make([]int, len(cands))
	for i, c := range cands {
		at[i] = -1
		if c.plat != GitLab {
			at[i] = len(rels)
			rels = append(rels, c.rel)
			plats = append(plats, c.plat)
			d.seen[c.rel] = true
		}
	}
	pre := d.loadAll(rels, plats)
	for i, c := range cands {
		if at[i] >= 0 {
			d.add(pre[at[i]])
			continue
		}
		if !d.seen[c.rel] {
			d.gitlab(c.rel, 0, []string{c.rel})
		}
	}
	d.scripts()
	return d.files, d.diags
}

type discoverer struct {
	root      string // as given
	real      string // absolute, symlinks resolved
	seen      map[string]bool
	files     []*File
	rels      map[*File]string
	diags     []model.Diagnostic
	yamlFiles []string // every .yml/.yaml found, for include globs
	includes  int
	incFull   bool
}

func (d *discoverer) pathOf(rel string) string {
	return filepath.Join(d.root, filepath.FromSlash(rel))
}

func (d *discoverer) diag(target string, line int, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if line > 0 {
		msg = fmt.Sprintf("line %d: %s", line, msg)
	}
	d.diags = append(d.diags, model.Diagnostic{Target: target, Message: msg})
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

var errOutside = errors.New("the file is outside the repository")

// read reads a file by its slash path inside the root; a symbolic link
// must resolve inside the root.
func (d *discoverer) read(rel string) ([]byte, error) {
	full := filepath.Join(d.real, filepath.FromSlash(rel))
	real, err := filepath.EvalSymlinks(full)
	if err != nil {
		return nil, unwrapPath(err)
	}
	if r, err := filepath.Rel(d.real, real); err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return nil, errOutside
	}
	fh, err := os.Open(real)
	if err != nil {
		return nil, unwrapPath(err)
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil {
		return nil, unwrapPath(err)
	}
	if !fi.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	if fi.Size() > MaxFileSize {
		return nil, ErrTooLarge
	}
	data, err := io.ReadAll(io.LimitReader(fh, MaxFileSize+1))
	if err != nil {
		return nil, unwrapPath(err)
	}
	if len(data) > MaxFileSize {
		return nil, ErrTooLarge
	}
	return data, nil
}

// loaded is one file read and parsed, or the diagnostics of failing to.
type loaded struct {
	rel   string
	f     *File
	diags []model.Diagnostic
}

func mkDiag(target string, format string, args ...any) model.Diagnostic {
	return model.Diagnostic{Target: target, Message: fmt.Sprintf(format, args...)}
}

// load reads and parses one file. It only reads the discoverer, so loads
// may run in parallel.
func (d *discoverer) load(rel string, plat Platform) loaded {
	l := loaded{rel: rel}
	target := d.pathOf(rel)
	data, err := d.read(rel)
	if err != nil {
		if errors.Is(err, ErrTooLarge) {
			l.diags = append(l.diags, mkDiag(target, "%v; skipped", err))
		} else {
			l.diags = append(l.diags, mkDiag(target, "cannot read: %v; skipped", err))
		}
		return l
	}
	if plat == ShellScript && !isShellScript(data) {
		return l
	}
	f, ds, err := Parse(target, data, plat)
	l.diags = append(l.diags, ds...)
	if err != nil {
		switch {
		case errors.Is(err, ErrTooLarge):
			l.diags = append(l.diags, mkDiag(target, "%v; skipped", ErrTooLarge))
		case errors.Is(err, ErrBinary):
			l.diags = append(l.diags, mkDiag(target, "%v; skipped", ErrBinary))
		default:
			l.diags = append(l.diags, mkDiag(target, "%v; skipped", err))
		}
		return l
	}
	l.f = f
	return l
}

// isShellScript tells a called script from a binary (a built program) or
// a script for another interpreter ("#!/usr/bin/env python3"), which are
// skipped without a diagnostic: they are not shell code.
func isShellScript(data []byte) bool {
	if bytes.IndexByte(data, 0) >= 0 {
		return false
	}
	if !bytes.HasPrefix(data, []byte("#!")) {
		return true
	}
	first := data
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	return posixShell(shebangShell(string(first)))
}

// loadAll loads files in parallel; the results are in the order asked.
func (d *discoverer) loadAll(rels []string, plats []Platform) []loaded {
	out := make([]loaded, len(rels))
	workers := runtime.GOMAXPROCS(0)
	if workers > len(rels) {
		workers = len(rels)
	}
	if workers <= 1 {
		for i := range rels {
			out[i] = d.load(rels[i], plats[i])
		}
		return out
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(rels) {
					return
				}
				out[i] = d.load(rels[i], plats[i])
			}
		}()
	}
	wg.Wait()
	return out
}

// add appends a loaded file and its diagnostics to the result.
func (d *discoverer) add(l loaded) *File {
	d.diags = append(d.diags, l.diags...)
	if l.f == nil {
		return nil
	}
	if d.rels == nil {
		d.rels = map[*File]string{}
	}
	d.rels[l.f] = l.rel
	d.files = append(d.files, l.f)
	return l.f
}

// parse reads and parses one file now, adding it to the result; nil when
// it could not be read.
func (d *discoverer) parse(rel string, plat Platform) *File {
	d.seen[rel] = true
	return d.add(d.load(rel, plat))
}

// gitlab parses a GitLab file and, depth first, the local files it
// includes. stack holds the files being included, for cycles.
func (d *discoverer) gitlab(rel string, depth int, stack []string) {
	f := d.parse(rel, GitLab)
	if f == nil {
		return
	}
	for _, r := range f.Refs {
		if r.Kind != "local" {
			continue
		}
		name := strings.TrimSpace(r.Raw.Value)
		if strings.Contains(name, "$") {
			continue // a CI variable: known only at run time
		}
		targets, problem := d.resolveInclude(name)
		if problem != "" {
			d.diag(f.Path, r.Raw.Pos.Line, "%s", problem)
			continue
		}
		for _, t := range targets {
			if i := indexOf(stack, t); i >= 0 {
				cycle := append(append([]string{}, stack[i:]...), t)
				for k := range cycle {
					cycle[k] = fmt.Sprintf("%q", cycle[k])
				}
				d.diag(f.Path, r.Raw.Pos.Line, "include cycle: %s; not followed", strings.Join(cycle, " -> "))
				continue
			}
			if d.seen[t] {
				continue
			}
			if depth+1 > maxIncludeDepth {
				d.diag(f.Path, r.Raw.Pos.Line, "local includes nested deeper than %d; %q is not read", maxIncludeDepth, t)
				continue
			}
			if d.includes >= maxIncludes {
				if !d.incFull {
					d.incFull = true
					d.diag(f.Path, r.Raw.Pos.Line, "more than %d local include files; %q and the rest are not read", maxIncludes, t)
				}
				continue
			}
			d.includes++
			d.gitlab(t, depth+1, append(stack, t))
		}
	}
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// resolveInclude maps a GitLab local include to paths inside the root.
func (d *discoverer) resolveInclude(name string) ([]string, string) {
	n := strings.TrimPrefix(name, "/")
	if n == "" {
		return nil, fmt.Sprintf("local include %q names no file", name)
	}
	c := path.Clean(n)
	if c == "." || c == ".." || strings.HasPrefix(c, "../") {
		return nil, fmt.Sprintf("local include %q is outside the repository", name)
	}
	if !strings.Contains(c, "*") {
		if _, err := os.Stat(filepath.Join(d.real, filepath.FromSlash(c))); err != nil {
			return nil, fmt.Sprintf("local include %q not found", name)
		}
		return []string{c}, ""
	}
	re, err := globRE(c)
	if err != nil {
		return nil, fmt.Sprintf("local include %q is not a valid pattern", name)
	}
	var out []string
	for _, y := range d.yamlFiles {
		if re.MatchString(y) {
			out = append(out, y)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Sprintf("local include %q matches no file", name)
	}
	return out, ""
}

// globRE compiles a GitLab include pattern: "**" matches across
// directories, "*" within one.
func globRE(pat string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(pat); i++ {
		switch {
		case strings.HasPrefix(pat[i:], "**/"):
			b.WriteString("(?:.*/)?")
			i += 2
		case strings.HasPrefix(pat[i:], "**"):
			b.WriteString(".*")
			i++
		case pat[i] == '*':
			b.WriteString("[^/]*")
		default:
			b.WriteString(regexp.QuoteMeta(pat[i : i+1]))
		}
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}

// scripts parses the shell scripts the parsed files call, transitively,
// level by level (each level in parallel).
func (d *discoverer) scripts() {
	full := false
	n := 0
	for from := 0; from < len(d.files); {
		to := len(d.files)
		var rels []string
		for _, f := range d.files[from:to] {
			rel := d.rels[f]
			for _, cs := range f.CalledScripts {
				cands := []string{path.Clean(cs.Value)}
				if f.Platform == ShellScript || f.Platform == Action {
					cands = append(cands, path.Join(path.Dir(rel), cs.Value))
				}
				for _, c := range cands {
					if !relativeInside(c) {
						continue
					}
					if d.seen[c] {
						break
					}
					fi, err := os.Stat(filepath.Join(d.real, filepath.FromSlash(c)))
					if err != nil || !fi.Mode().IsRegular() {
						continue
					}
					if n >= maxScripts {
						if !full {
							full = true
							d.diag(f.Path, cs.Pos.Line, "more than %d called scripts; %q and the rest are not read", maxScripts, c)
						}
						break
					}
					n++
					d.seen[c] = true
					rels = append(rels, c)
					break
				}
			}
		}
		plats := make([]Platform, len(rels))
		for i := range plats {
			plats[i] = ShellScript
		}
		for _, l := range d.loadAll(rels, plats) {
			d.add(l)
		}
		from = to
	}
}
