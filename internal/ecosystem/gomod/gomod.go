package gomod

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/airlock-sec/airlock/internal/model"
)

// File is what a go.mod says, as far as the go command would accept it:
// a directive it would reject is left out (and was reported as a
// diagnostic).
type File struct {
	// Path is the file's path as given to ParseGoModFile.
	Path string
	// Module is the module path ("" when the directive is missing or bad);
	// ModuleLine its line.
	Module     string
	ModuleLine int
	// Go is the go directive's version ("1.23.0"), Toolchain the
	// toolchain directive's name ("go1.23.4", "default").
	Go        string
	Toolchain string
	Require   []Require
	Replace   []Replace
	Exclude   []Exclude
	Retract   []Retract
	Tool      []Tool
}

// Require is one require entry.
type Require struct {
	Path string
	// Version is canonical ("v1.2.3"), or "" when Query is set.
	Version string
	// Query is a version that is not canonical ("master", "v1.2",
	// "latest"): the go command resolves it when it may rewrite go.mod.
	Query string
	// Indirect is set by a "// indirect" comment.
	Indirect bool
	Line     int
}

// Replace is one replace entry.
type Replace struct {
	// OldPath is the replaced module; OldVersion is "" when every version
	// of it is replaced.
	OldPath, OldVersion string
	// NewPath is a module path with NewVersion, or a directory (relative
	// or absolute, Unix or Windows syntax) when NewVersion is "".
	NewPath, NewVersion string
	Line                int
}

// Local reports whether the replacement is a directory.
func (r Replace) Local() bool { return r.NewVersion == "" }

// Source is where the replacement's code comes from: the directory, or
// "module@version".
func (r Replace) Source() string {
	if r.Local() {
		return r.NewPath
	}
	return r.NewPath + "@" + r.NewVersion
}

// Exclude is one exclude entry.
type Exclude struct {
	Path, Version string
	Line          int
}

// Retract is one retract entry: a single version has Low == High.
type Retract struct {
	Low, High string
	Line      int
}

// Tool is one tool entry: a package path.
type Tool struct {
	Path string
	Line int
}

// Replacement returns the replace entry that applies to path@version:
// one for that exact version first, else one for every version of path.
// With version "" only the latter applies.
func (f *File) Replacement(path, version string) (Replace, bool) {
	return f.replacements()(path, version)
}

// replacements returns a lookup like Replacement that runs in constant
// time.
func (f *File) replacements() func(path, version string) (Replace, bool) {
	index := make(map[[2]string]Replace, len(f.Replace))
	for _, r := range f.Replace {
		key := [2]string{r.OldPath, r.OldVersion}
		if _, dup := index[key]; !dup { // the parser keeps the first
			index[key] = r
		}
	}
	return func(path, version string) (Replace, bool) {
		if version != "" {
			if r, ok := index[[2]string{path, version}]; ok {
				return r, true
			}
		}
		r, ok := index[[2]string{path, ""}]
		return r, ok
	}
}

// Dependencies turns the require entries into dependencies: Direct
// unless marked "// indirect"; Source set from the replacement that
// applies (see Replace.Source); unpinned with the query as Constraint when
// the version is not canonical. Version stays the required version even
// when a module@version replacement supplies the code.
func (f *File) Dependencies() []model.Dependency {
	deps := make([]model.Dependency, 0, len(f.Require))
	replacement := f.replacements()
	for _, r := range f.Require {
		d := model.Dependency{
			Ecosystem: model.Go,
			Name:      r.Path,
			Version:   r.Version,
			Path:      f.Path,
			Line:      r.Line,
			Direct:    !r.Indirect,
		}
		if r.Query != "" {
			d.Constraint, d.Unpinned = r.Query, true
		}
		if rep, ok := replacement(r.Path, r.Version); ok {
			d.Source = rep.Source()
		}
		deps = append(deps, d)
	}
	return deps
}

// ParseGoMod parses a go.mod file into its required modules (see
// ParseGoModFile and File.Dependencies). The error is non-nil only when
// the file is too large to read; bad lines are diagnostics.
func ParseGoMod(path string, data []byte) ([]model.Dependency, []model.Diagnostic, error) {
	f, diags, err := ParseGoModFile(path, data)
	if err != nil {
		return nil, diags, err
	}
	return f.Dependencies(), diags, nil
}

// ParseGoModFile parses a go.mod file. Each line the go command would
// reject becomes a diagnostic and is left out; the rest of the file is
// still read. The error is non-nil only for a file over MaxFileSize.
func ParseGoModFile(path string, data []byte) (*File, []model.Diagnostic, error) {
	if len(data) > MaxFileSize {
		return nil, nil, fmt.Errorf("go.mod %s: %w; not parsed", quote(path), ErrTooLarge)
	}
	p := &modParser{
		f:        &File{Path: path},
		d:        diagnostics{target: path},
		seen:     map[string]bool{},
		excluded: map[[2]string]bool{},
		replaced: map[[2]string]Replace{},
	}
	var (
		inBlock   bool
		blockVerb string // "" for an unknown block, whose lines are skipped
		blockLine int
	)
	eachLine(data, func(n int, s string) bool {
		if n == 1 && strings.HasPrefix(s, "\ufeff") {
			p.d.add(n, "the file starts with a byte order mark, which the go command rejects")
			s = s[len("\ufeff"):]
		}
		l := lexLine(s)
		if l.err != "" {
			p.d.add(n, "%s", l.err)
		}
		toks := l.toks
		k := len(toks)
		switch {
		case k == 0:
			return true
		case inBlock:
			if toks[0] == ")" {
				if k > 1 {
					p.d.add(n, "unexpected %s after the ) that closes the block", quote(toks[1]))
				}
				inBlock = false
				return true
			}
			if blockVerb == "" || l.err != "" {
				return true
			}
			return p.directive(n, blockVerb, toks, l.comment)
		case k >= 2 && toks[k-1] == "(":
			inBlock, blockLine = true, n
			blockVerb = p.blockHeader(n, toks[:k-1])
			return true
		case k >= 3 && toks[k-2] == "(" && toks[k-1] == ")":
			p.blockHeader(n, toks[:k-2]) // an empty block
			return true
		case l.err != "":
			return true
		}
		return p.directive(n, toks[0], toks[1:], l.comment)
	})
	if inBlock && p.entries <= maxEntries {
		p.d.add(blockLine, "block is never closed with )")
	}
	p.checkFetchable()
	return p.f, p.d.result(), nil
}

type modParser struct {
	f        *File
	d        diagnostics
	seen     map[string]bool // module, go and toolchain may appear once
	excluded map[[2]string]bool
	replaced map[[2]string]Replace // by old path and version
	entries  int
}

var blockVerbs = map[string]bool{
	"module": true, "godebug": true, "require": true, "exclude": true,
	"replace": true, "retract": true, "tool": true, "ignore": true,
}

// blockHeader checks the tokens before a block's "(" and returns the verb,
// or "" for a block type the go command does not know.
func (p *modParser) blockHeader(n int, hdr []string) string {
	if len(hdr) == 1 && blockVerbs[hdr[0]] {
		return hdr[0]
	}
	p.d.add(n, "unknown block type %s", quote(strings.Join(hdr, " ")))
	return ""
}

var (
	goVersionRE = regexp.MustCompile(`^([1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?([a-z]+[0-9]+)?$`)
	toolchainRE = regexp.MustCompile(`^default$|^go1($|\.)`)
)

// directive interprets one directive; it returns false to stop reading
// the file.
func (p *modParser) directive(n int, verb string, args []string, comment string) bool {
	p.entries++
	if p.entries > maxEntries {
		p.d.add(n, "more than %d directives; the rest of the file was not read", maxEntries)
		return false
	}
	f := p.f
	switch verb {
	default:
		p.d.add(n, "unknown directive %s", quote(verb))

	case "module":
		if p.once(n, verb) {
			if len(args) != 1 {
				p.d.add(n, "usage: module module/path")
				return true
			}
			if s, ok := p.path(n, verb, args[0], true); ok {
				f.Module, f.ModuleLine = s, n
			}
		}

	case "go", "toolchain":
		if !p.once(n, verb) {
			return true
		}
		if len(args) != 1 {
			p.d.add(n, "%s directive expects exactly one argument", verb)
			return true
		}
		if verb == "go" {
			if !goVersionRE.MatchString(args[0]) {
				p.d.add(n, "invalid go version %s: must look like 1.23.0", quote(args[0]))
				return true
			}
			f.Go = args[0]
		} else {
			if !toolchainRE.MatchString(args[0]) {
				p.d.add(n, "invalid toolchain %s: must look like go1.23.0 or be default", quote(args[0]))
				return true
			}
			f.Toolchain = args[0]
		}

	case "godebug":
		if len(args) != 1 || strings.ContainsAny(args[0], "\"`',") || !strings.Contains(args[0], "=") {
			p.d.add(n, "usage: godebug key=value")
		}

	case "require", "exclude":
		if len(args) != 2 {
			p.d.add(n, "usage: %s module/path v1.2.3", verb)
			return true
		}
		mod, ok := p.path(n, verb, args[0], true)
		if !ok {
			return true
		}
		v, err := unquote(args[1])
		if err != nil {
			p.d.add(n, "%s %s: %v", verb, quote(mod), err)
			return true
		}
		if verb == "require" && canonicalVersion(v) != v {
			p.query(n, mod, v, comment)
			return true
		}
		if !p.version(n, verb, mod, v) {
			return true
		}
		if verb == "require" {
			f.Require = append(f.Require, Require{Path: mod, Version: v, Indirect: isIndirect(comment), Line: n})
		} else if key := [2]string{mod, v}; !p.excluded[key] {
			p.excluded[key] = true
			f.Exclude = append(f.Exclude, Exclude{Path: mod, Version: v, Line: n})
		}

	case "replace":
		p.replace(n, args)

	case "retract":
		p.retract(n, args)

	case "tool":
		if len(args) != 1 {
			p.d.add(n, "tool directive expects exactly one argument")
			return true
		}
		if s, ok := p.path(n, verb, args[0], false); ok {
			f.Tool = append(f.Tool, Tool{Path: s, Line: n})
		}

	case "ignore":
		if len(args) != 1 {
			p.d.add(n, "ignore directive expects exactly one argument")
			return true
		}
		if _, err := unquote(args[0]); err != nil {
			p.d.add(n, "ignore: %v", err)
		}
	}
	return true
}

// once reports whether verb appears for the first time.
func (p *modParser) once(n int, verb string) bool {
	if p.seen[verb] {
		p.d.add(n, "repeated %s directive", verb)
		return false
	}
	p.seen[verb] = true
	return true
}

// path unquotes a module path (or, for tool, a package path) and checks
// it as the go command checks every path in go.mod: an import path, and
// for a module one whose major version suffix, if any, is well formed.
// Whether a module can be downloaded is checked later (checkFetchable),
// once replacements are known.
func (p *modParser) path(n int, verb, tok string, module bool) (string, bool) {
	s, err := unquote(tok)
	if err != nil {
		p.d.add(n, "%s: %v", verb, err)
		return "", false
	}
	err = checkImportPath(s)
	if err == nil && module {
		if _, _, ok := splitPathVersion(s); !ok {
			err = errors.New("invalid major version suffix")
		}
	}
	if err != nil {
		what := "module path"
		if !module {
			what = "package path"
		}
		p.d.add(n, "%s: invalid %s %s: %v", verb, what, quote(s), err)
		return "", false
	}
	return s, true
}

// version checks a version that must be exact, for module mod.
func (p *modParser) version(n int, verb, mod, v string) bool {
	err := checkVersion(v)
	if err == nil {
		_, major, _ := splitPathVersion(mod)
		err = checkPathMajor(v, major)
	}
	if err != nil {
		p.d.add(n, "%s %s: invalid version %s: %v", verb, quote(mod), quote(v), err)
		return false
	}
	return true
}

// query records a require whose version is not canonical: the go command
// resolves such a version (a branch, a tag prefix, "latest", "<v1.5.0")
// only when it may update go.mod, so the dependency floats. Only the
// characters of such queries are accepted.
func (p *modParser) query(n int, mod, v, comment string) {
	if v == "" || len(v) > maxQuery || strings.IndexFunc(v, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("-._~+/<>=", r))
	}) >= 0 {
		p.d.add(n, "require %s: invalid version %s", quote(mod), quote(v))
		return
	}
	p.d.add(n, "require %s: version %s is not canonical (v1.2.3); the go command would resolve it as a query and rewrite go.mod, or refuse it with -mod=readonly", quote(mod), quote(v))
	p.f.Require = append(p.f.Require, Require{Path: mod, Query: v, Indirect: isIndirect(comment), Line: n})
}

// replace parses "old [v] => new v" and "old [v] => ./dir".
func (p *modParser) replace(n int, args []string) {
	arrow := 2
	if len(args) >= 2 && args[1] == "=>" {
		arrow = 1
	}
	if len(args) < arrow+2 || len(args) > arrow+3 || args[arrow] != "=>" {
		p.d.add(n, "usage: replace module/path [v1.2.3] => other/module v1.4.0, or => ../local/directory")
		return
	}
	var r Replace
	var ok bool
	if r.OldPath, ok = p.path(n, "replace", args[0], true); !ok {
		return
	}
	if arrow == 2 {
		v, err := unquote(args[1])
		if err != nil {
			p.d.add(n, "replace %s: %v", quote(r.OldPath), err)
			return
		}
		if !p.version(n, "replace", r.OldPath, v) {
			return
		}
		r.OldVersion = v
	}
	ns, err := unquote(args[arrow+1])
	if err != nil {
		p.d.add(n, "replace %s: %v", quote(r.OldPath), err)
		return
	}
	if len(args) == arrow+2 {
		switch {
		case !isLocalPath(ns) && strings.Contains(ns, "@"):
			p.d.add(n, "replace %s: replacement %s must be written 'path version', not 'path@version'", quote(r.OldPath), quote(ns))
			return
		case !isLocalPath(ns):
			p.d.add(n, "replace %s: replacement %s has no version, so it must be a directory (starting with ./, ../ or /)", quote(r.OldPath), quote(ns))
			return
		case !utf8.ValidString(ns) || strings.IndexFunc(ns, unicode.IsControl) >= 0:
			p.d.add(n, "replace %s: replacement directory %s has control characters or invalid UTF-8", quote(r.OldPath), quote(ns))
			return
		}
		if strings.Contains(ns, `\`) {
			p.d.add(n, "replace %s: replacement directory %s looks like a Windows path; the go command rejects it on other systems", quote(r.OldPath), quote(ns))
		}
		r.NewPath = ns
	} else {
		if isLocalPath(ns) {
			p.d.add(n, "replace %s: replacement directory %s cannot have a version", quote(r.OldPath), quote(ns))
			return
		}
		if err := checkModulePath(ns); err != nil {
			p.d.add(n, "replace %s: invalid replacement module path %s: %v", quote(r.OldPath), quote(ns), err)
			return
		}
		nv, err := unquote(args[arrow+2])
		if err != nil {
			p.d.add(n, "replace %s: %v", quote(r.OldPath), err)
			return
		}
		if !p.version(n, "replace", ns, nv) {
			return
		}
		r.NewPath, r.NewVersion = ns, nv
	}
	r.Line = n
	key := [2]string{r.OldPath, r.OldVersion}
	if o, dup := p.replaced[key]; dup {
		if o.Source() != r.Source() {
			p.d.add(n, "conflicting replacements for %s: %s (line %d) and %s; the go command refuses both", quote(joinVersion(r.OldPath, r.OldVersion)), quote(o.Source()), o.Line, quote(r.Source()))
		}
		return
	}
	p.replaced[key] = r
	p.f.Replace = append(p.f.Replace, r)
}

func joinVersion(path, version string) string {
	if version == "" {
		return path
	}
	return path + "@" + version
}

// retract parses "retract v1.2.3" and "retract [v1.0.0, v1.9.9]".
func (p *modParser) retract(n int, args []string) {
	bad := func(format string, a ...any) { p.d.add(n, "retract: "+format, a...) }
	exact := func(tok string) (string, bool) {
		v, err := unquote(tok)
		if err == nil {
			err = checkVersion(v)
		}
		if err != nil {
			bad("invalid version %s: %v", quote(tok), err)
			return "", false
		}
		return v, true
	}
	var r Retract
	var ok bool
	switch {
	case len(args) == 0 || args[0] == "(":
		bad("expected [ or a version")
		return
	case args[0] != "[":
		if r.Low, ok = exact(args[0]); !ok {
			return
		}
		r.High, args = r.Low, args[1:]
	default:
		if len(args) < 2 {
			bad("expected a version after [")
			return
		}
		if r.Low, ok = exact(args[1]); !ok {
			return
		}
		if len(args) < 3 || args[2] != "," {
			bad("expected , after version")
			return
		}
		if len(args) < 4 {
			bad("expected a version after ,")
			return
		}
		if r.High, ok = exact(args[3]); !ok {
			return
		}
		if len(args) < 5 || args[4] != "]" {
			bad("expected ] after version")
			return
		}
		args = args[5:]
	}
	if len(args) > 0 {
		bad("unexpected %s after the version", quote(args[0]))
		return
	}
	r.Line = n
	p.f.Retract = append(p.f.Retract, r)
}

// checkFetchable reports required modules that the go command could
// neither download (their path is not a module path it can fetch) nor
// take from a replacement.
func (p *modParser) checkFetchable() {
	replacement := p.f.replacements()
	for _, r := range p.f.Require {
		if _, ok := replacement(r.Path, r.Version); ok {
			continue
		}
		if err := checkModulePath(r.Path); err != nil {
			p.d.add(r.Line, "require %s: the module cannot be downloaded (%v) and is not replaced", quote(r.Path), err)
		}
	}
}

// isIndirect is modfile's: the line's comment is "// indirect" or starts
// with "// indirect;".
func isIndirect(comment string) bool {
	first, more := firstField(strings.TrimPrefix(comment, "//"))
	return first == "indirect" && !more || first == "indirect;" && more
}

// firstField is the first space-separated field of s and whether another
// follows, as strings.Fields would split s (without splitting all of it).
func firstField(s string) (string, bool) {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	end := strings.IndexFunc(s, unicode.IsSpace)
	if end < 0 {
		return s, false
	}
	return s[:end], strings.TrimLeftFunc(s[end:], unicode.IsSpace) != ""
}
