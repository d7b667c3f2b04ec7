package pypi

import (
	"errors"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/airlock-sec/airlock/internal/model"
)

// This file reads pip requirements files the way pip's req_file.py does,
// without evaluating anything:
//
//   - Lines ending in a backslash are joined with the next one; a comment
//     line ends the join. The joined line is reported at the line it
//     starts on. A backslash on the last line is a diagnostic.
//   - "#" at the start of a line or after whitespace starts a comment.
//   - A line is split at the first space-separated token that starts with
//     "-": before it the requirement, after it the options (read with
//     shell-like quoting). Long options may be abbreviated as optparse
//     allows.
//   - -r/--requirement and -c/--constraint files are read through the
//     include callback; see ParseRequirements. -e/--editable names an
//     editable requirement.
//   - Index and install options (--index-url, -i, --extra-index-url,
//     --no-index, -f/--find-links, --trusted-host, --pre, --prefer-binary,
//     --require-hashes, --no-binary, --only-binary, --use-feature) are
//     accepted and not recorded. --hash, --config-settings and
//     --global-option belong to the requirement on their line.
//   - Requirements are PEP 508 strings, URLs ("https://…", VCS
//     "git+https://…#egg=name") or local paths and archives. The name of a
//     URL or path requirement comes from its "#egg=" fragment or its wheel
//     file name; without either it is not recorded (a diagnostic says so).
//   - Environment variables (${VAR}) are not expanded.

const (
	// maxRequirementsDepth bounds -r/-c nesting below the top-level file.
	maxRequirementsDepth = 10
	// maxRequirementsFiles bounds how many included files one parse reads.
	maxRequirementsFiles = 256
	// maxRequirementsLine bounds a logical line (after joining
	// continuations and removing the comment); real ones, even with many
	// hashes, are a few KiB.
	maxRequirementsLine = 1 << 20
)

// ParseRequirements reads a pip requirements file. path is the file's path
// as it should appear in results (Dependency.Path, Diagnostic.Path).
//
// include reads a file named by -r or -c. It receives the included path as
// written, joined to the directory of the including file when relative,
// relative to the directory of the top-level file (slash-separated;
// absolute paths are passed as written). It decides what may be read: it
// should refuse paths that leave the project. A nil include follows no
// includes (each is a diagnostic). Remote includes (http/https URLs) are
// never followed. Includes nest at most 10 deep; a cycle, the depth limit,
// a read error or more than 256 included files is a diagnostic on the
// including file.
//
// Requirements from -r files are returned in place, as if written where
// the -r line is, with the included file's path. A file included twice is
// read once.
//
// Constraint files (-c) add no dependencies. An exact pin in them ("==V" or
// "===V") is applied to requirements from any file of the parse that name
// the same project (names compared PEP 503-normalized) and have no version
// and no URL: Version is set (Constraint keeps what the requirement asked),
// and the constraint's hashes are used when the requirement has none. A
// pin that does not satisfy the requirement's specifier is a diagnostic
// and not applied; so are several different pins for one project (markers
// are not evaluated).
//
// Every requirement yields a Dependency with Name as written, Version the
// exact pin ("==V", "===V", or the version of a wheel URL) or "" with
// Unpinned set, Constraint the specifier and, after "; ", the environment
// marker (not evaluated), Source the URL, VCS reference or path, Hashes
// the --hash values. Direct and Dev are not set: the format does not say.
// Extras are not recorded. The error is non-nil only when data is too
// large or binary.
func ParseRequirements(p string, data []byte, include func(rel string) ([]byte, error)) ([]model.Dependency, []model.Diagnostic, error) {
	if err := checkLockSize("requirements file", data); err != nil {
		return nil, nil, err
	}
	if hasNUL(data) {
		return nil, nil, errors.New("requirements file holds NUL bytes: it is binary, not a requirements file")
	}
	rp := &reqParser{
		top:     p,
		include: include,
		seen:    map[string]bool{},
		pins:    map[string]*reqPin{},
	}
	root := path.Base(filepath.ToSlash(p))
	rp.seen["r\x00"+root] = true
	rp.parseFile(reqFile{rel: root, display: p}, data, false, 0)
	rp.applyPins()
	deps := make([]model.Dependency, len(rp.deps))
	for i, e := range rp.deps {
		deps[i] = e.dep
	}
	return deps, rp.diags.result(p), nil
}

type reqParser struct {
	top     string
	include func(string) ([]byte, error)
	deps    []reqEntry
	diags   lockDiags
	pins    map[string]*reqPin // normalized name → exact pins from -c files
	seen    map[string]bool    // kind + "\x00" + rel of every file read
	stack   []string           // rel paths of the files being read
	files   int                // included files read
	bytes   int                // bytes of included files read
}

type reqEntry struct {
	dep  model.Dependency
	spec string // the specifier alone, to check constraint pins against
}

// reqPin is what constraint files pin one project to: the first exact pin
// and whether another one differs.
type reqPin struct {
	version string
	hashes  []string
	where   string // "file:line"
	several bool
}

type reqFile struct {
	rel     string // relative to the top-level file's directory (or absolute)
	display string // path reported in results
}

// parseFile reads one file's logical lines.
func (rp *reqParser) parseFile(f reqFile, data []byte, constraint bool, depth int) {
	rp.stack = append(rp.stack, f.rel)
	defer func() { rp.stack = rp.stack[:len(rp.stack)-1] }()

	s := strings.TrimPrefix(string(data), "\ufeff")
	var joined strings.Builder
	joining := false
	start, lineNo := 0, 0
	for len(s) > 0 {
		var l string
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			l, s = s[:i], s[i+1:]
		} else {
			l, s = s, ""
		}
		l = strings.TrimSuffix(l, "\r")
		lineNo++
		if !joining {
			start = lineNo
		}
		if reqIsCommentLine(l) {
			if joining {
				// pip appends the comment (which the comment stripping
				// then removes) and ends the joined line.
				joined.WriteString(" " + l)
				rp.logicalLine(f, start, joined.String(), constraint, depth)
				joined.Reset()
				joining = false
			}
			continue
		}
		if strings.HasSuffix(l, `\`) {
			joining = true
			joined.WriteString(strings.Trim(l, `\`))
			continue
		}
		if joining {
			joined.WriteString(l)
			rp.logicalLine(f, start, joined.String(), constraint, depth)
			joined.Reset()
			joining = false
			continue
		}
		rp.logicalLine(f, lineNo, l, constraint, depth)
	}
	if joining {
		rp.diags.add(f.display, start, "the line continues (ends in a backslash) past the end of the file")
		rp.logicalLine(f, start, joined.String(), constraint, depth)
	}
}

// reqIsCommentLine reports whether l starts with optional whitespace and "#".
func reqIsCommentLine(l string) bool {
	return strings.HasPrefix(strings.TrimLeft(l, " \t\f\v"), "#")
}

// reqStripComment removes "#" and what follows when the "#" starts the
// line or follows whitespace.
func reqStripComment(l string) string {
	for i := 0; i < len(l); i++ {
		if l[i] == '#' && (i == 0 || isReqSpace(l[i-1])) {
			return l[:i]
		}
	}
	return l
}

func isReqSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r' }

// logicalLine handles one joined line.
func (rp *reqParser) logicalLine(f reqFile, line int, l string, constraint bool, depth int) {
	l = strings.TrimSpace(reqStripComment(l))
	if l == "" {
		return
	}
	if len(l) > maxRequirementsLine {
		rp.diags.add(f.display, line, "the line is longer than %d bytes; ignored", maxRequirementsLine)
		return
	}
	// pip's break_args_options: split on single spaces at the first token
	// that starts with "-".
	args, opts := l, ""
	for i := 0; i < len(l); i++ {
		if l[i] == '-' && (i == 0 || l[i-1] == ' ') {
			args, opts = l[:i], l[i:]
			break
		}
	}
	args = strings.TrimSpace(args)
	words, err := reqShellSplit(opts)
	if err != nil {
		rp.diags.add(f.display, line, "%v in the options %s; they are ignored", err, lockQuote(opts))
		words = nil
	}
	var hashes []string
	for i := 0; i < len(words); i++ {
		o, val, ok := rp.option(f, line, words, &i)
		if !ok {
			break
		}
		switch o.name {
		case "--requirement", "--constraint", "--editable":
			if args != "" {
				rp.diags.add(f.display, line, "pip ignores %s %s on a line that names a requirement; put it on its own line", o.name, lockQuote(val))
				continue
			}
			switch o.name {
			case "--requirement":
				rp.includeFile(f, line, val, false, depth)
			case "--constraint":
				rp.includeFile(f, line, val, true, depth)
			default:
				rp.editable(f, line, val, constraint)
			}
		case "--hash":
			if args == "" {
				rp.diags.add(f.display, line, "--hash %s is not on a requirement's line (is a backslash missing on the line before?); it is ignored", lockQuote(val))
				continue
			}
			if h, ok := reqHash(val); ok {
				hashes = append(hashes, h)
			} else {
				rp.diags.add(f.display, line, "invalid --hash %s (want sha256:, sha384: or sha512: and hex digits); it is ignored", lockQuote(val))
			}
		}
	}
	if args != "" {
		rp.requirement(f, line, args, hashes, constraint)
	}
}

// reqOption is an option pip accepts in requirements files.
type reqOption struct {
	name  string // long form
	short string // short form, or ""
	arg   bool   // takes a value
}

var reqOptions = []reqOption{
	{"--requirement", "-r", true},
	{"--constraint", "-c", true},
	{"--editable", "-e", true},
	{"--index-url", "-i", true},
	{"--extra-index-url", "", true},
	{"--no-index", "", false},
	{"--find-links", "-f", true},
	{"--trusted-host", "", true},
	{"--pre", "", false},
	{"--prefer-binary", "", false},
	{"--require-hashes", "", false},
	{"--no-binary", "", true},
	{"--only-binary", "", true},
	{"--use-feature", "", true},
	{"--hash", "", true},
	{"--config-settings", "", true},
	{"--global-option", "", true},
}

// option reads the option at words[*i] (and its value), advancing *i past
// what it used. ok is false when the option is unknown or lacks its value;
// the rest of the line's options are then ignored.
func (rp *reqParser) option(f reqFile, line int, words []string, i *int) (o reqOption, val string, ok bool) {
	w := words[*i]
	switch {
	case strings.HasPrefix(w, "--"):
		name, v, eq := strings.Cut(w, "=")
		var match []reqOption
		for _, c := range reqOptions {
			if c.name == name {
				match = []reqOption{c}
				break
			}
			if strings.HasPrefix(c.name, name) && len(name) > 2 {
				match = append(match, c)
			}
		}
		if len(match) != 1 {
			if len(match) > 1 {
				rp.diags.add(f.display, line, "ambiguous option %s; the rest of the line's options are ignored", lockQuote(name))
			} else {
				rp.diags.add(f.display, line, "unknown option %s; the rest of the line's options are ignored", lockQuote(name))
			}
			return reqOption{}, "", false
		}
		o = match[0]
		if !o.arg {
			if eq {
				rp.diags.add(f.display, line, "option %s takes no value", o.name)
			}
			return o, "", true
		}
		if eq {
			return o, v, true
		}
	case len(w) >= 2 && w[0] == '-':
		for _, c := range reqOptions {
			if c.short != "" && strings.HasPrefix(w, c.short) {
				o = c
				break
			}
		}
		if o.name == "" {
			rp.diags.add(f.display, line, "unknown option %s; the rest of the line's options are ignored", lockQuote(w))
			return reqOption{}, "", false
		}
		if len(w) > 2 {
			return o, w[2:], true
		}
	default:
		rp.diags.add(f.display, line, "unexpected %s among the options; the rest of the line's options are ignored", lockQuote(w))
		return reqOption{}, "", false
	}
	if *i+1 >= len(words) {
		rp.diags.add(f.display, line, "option %s needs a value", o.name)
		return reqOption{}, "", false
	}
	*i++
	return o, words[*i], true
}

// reqShellSplit splits s into words as Python's shlex.split does (POSIX
// mode, no comments).
func reqShellSplit(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case c == '\\':
			inWord = true
			if i+1 < len(s) {
				i++
				cur.WriteByte(s[i])
			}
		case c == '\'':
			inWord = true
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return nil, errors.New("unclosed quote")
			}
			cur.WriteString(s[i+1 : i+1+end])
			i += end + 1
		case c == '"':
			inWord = true
			closed := false
			for i++; i < len(s); i++ {
				if s[i] == '"' {
					closed = true
					break
				}
				if s[i] == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\') {
					i++
				}
				cur.WriteByte(s[i])
			}
			if !closed {
				return nil, errors.New("unclosed quote")
			}
		default:
			inWord = true
			cur.WriteByte(c)
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

// reqHash checks a --hash value: a strong algorithm pip accepts and hex
// digits of the right length. It returns it lowercased.
func reqHash(v string) (string, bool) {
	algo, digest, ok := strings.Cut(v, ":")
	if !ok {
		return "", false
	}
	algo = strings.ToLower(algo)
	want := 0
	switch algo {
	case "sha256":
		want = 64
	case "sha384":
		want = 96
	case "sha512":
		want = 128
	}
	if want == 0 || len(digest) != want {
		return "", false
	}
	for i := 0; i < len(digest); i++ {
		if c := digest[i] | 0x20; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return "", false
		}
	}
	return algo + ":" + strings.ToLower(digest), true
}

// includeFile follows -r (constraint false) or -c (constraint true).
func (rp *reqParser) includeFile(from reqFile, line int, written string, constraint bool, depth int) {
	kind := "-r"
	if constraint {
		kind = "-c"
	}
	if written == "" {
		rp.diags.add(from.display, line, "%s without a file name", kind)
		return
	}
	if s := reqURLScheme(written); s == "http" || s == "https" || s == "ftp" {
		rp.diags.add(from.display, line, "remote %s file %s is not followed; download it and scan it as a file", kind, lockQuote(written))
		return
	}
	rel := written
	if !path.IsAbs(rel) && !filepath.IsAbs(rel) {
		rel = path.Join(path.Dir(from.rel), rel)
	}
	for i, r := range rp.stack {
		if r == rel {
			chain := strings.Join(append(append([]string{}, rp.stack[i:]...), rel), " → ")
			rp.diags.add(from.display, line, "include cycle %s; %s is not read again", chain, lockQuote(written))
			return
		}
	}
	if depth >= maxRequirementsDepth {
		rp.diags.add(from.display, line, "%s %s is not followed: includes nest more than %d deep", kind, lockQuote(written), maxRequirementsDepth)
		return
	}
	key := kind + "\x00" + rel
	if rp.seen[key] {
		return // already read: its requirements are recorded once
	}
	if rp.include == nil {
		rp.diags.add(from.display, line, "%s %s is not followed (no reader for included files)", kind, lockQuote(written))
		return
	}
	if rp.files >= maxRequirementsFiles {
		rp.diags.add(from.display, line, "%s %s is not followed: more than %d included files", kind, lockQuote(written), maxRequirementsFiles)
		return
	}
	rp.seen[key] = true
	rp.files++
	data, err := rp.include(rel)
	if err != nil {
		rp.diags.add(from.display, line, "cannot read %s file %s: %v", kind, lockQuote(written), err)
		return
	}
	display := rel
	if !path.IsAbs(rel) && !filepath.IsAbs(rel) {
		display = filepath.Join(filepath.Dir(rp.top), filepath.FromSlash(rel))
	}
	if err := checkLockSize("included file", data); err != nil {
		rp.diags.add(from.display, line, "%s %s: %v", kind, lockQuote(written), err)
		return
	}
	if rp.bytes += len(data); rp.bytes > MaxLockfileSize {
		rp.diags.add(from.display, line, "%s %s is not read: included files exceed %d bytes together", kind, lockQuote(written), MaxLockfileSize)
		return
	}
	if hasNUL(data) {
		rp.diags.add(display, 0, "holds NUL bytes: it is binary, not a requirements file")
		return
	}
	rp.parseFile(reqFile{rel: rel, display: display}, data, constraint, depth+1)
}

// reqURLScheme returns the lowercased scheme of s when s starts with one
// ("git+https:"), else "".
func reqURLScheme(s string) string {
	i := strings.IndexByte(s, ':')
	if i <= 0 {
		return ""
	}
	for j := 0; j < i; j++ {
		c := s[j] | 0x20
		if !('a' <= c && c <= 'z' || j > 0 && ('0' <= s[j] && s[j] <= '9' || s[j] == '+' || s[j] == '-' || s[j] == '.')) {
			return ""
		}
	}
	return strings.ToLower(s[:i])
}

// reqIsURL reports whether s is a URL pip installs from: http(s), file,
// ftp or a VCS scheme.
func reqIsURL(s string) bool {
	switch sc := reqURLScheme(s); {
	case sc == "http", sc == "https", sc == "file", sc == "ftp", sc == "git", sc == "svn":
		return true
	case strings.HasPrefix(sc, "git+"), strings.HasPrefix(sc, "hg+"), strings.HasPrefix(sc, "svn+"), strings.HasPrefix(sc, "bzr+"):
		return true
	}
	return false
}

// reqLooksLikePath mirrors pip's _looks_like_path and archive checks.
func reqLooksLikePath(s string) bool {
	if strings.ContainsAny(s, `/\`) || strings.HasPrefix(s, ".") {
		return true
	}
	l := strings.ToLower(s)
	for _, ext := range []string{".whl", ".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tar"} {
		if strings.HasSuffix(l, ext) {
			return true
		}
	}
	return false
}

// reqEggName returns the project name in a URL's "#egg=" fragment.
func reqEggName(u string) string {
	_, frag, ok := strings.Cut(u, "#")
	if !ok {
		return ""
	}
	for _, kv := range strings.Split(frag, "&") {
		if v, ok := strings.CutPrefix(kv, "egg="); ok {
			if i := strings.IndexByte(v, '['); i >= 0 {
				v = v[:i]
			}
			return v
		}
	}
	return ""
}

// reqStripExtras removes a trailing "[extras]" from a path.
func reqStripExtras(s string) string {
	if strings.HasSuffix(s, "]") {
		if i := strings.LastIndexByte(s, '['); i > 0 {
			return s[:i]
		}
	}
	return s
}

// requirement handles a requirement: a PEP 508 string, a URL or a path.
func (rp *reqParser) requirement(f reqFile, line int, s string, hashes []string, constraint bool) {
	dep := model.Dependency{Ecosystem: model.PyPI, Path: f.display, Line: line, Hashes: hashes}
	var spec string
	// pip: URLs and paths name their project by "#egg=" or the wheel
	// file name; "name @ url" and plain names are PEP 508.
	before, _, hasAt := strings.Cut(s, "@")
	pathLike := reqLooksLikePath(s) && (!hasAt || reqLooksLikePath(before))
	if reqIsURL(s) || pathLike {
		sep := ";"
		if reqIsURL(s) {
			sep = "; "
		}
		src, marker, _ := strings.Cut(s, sep)
		src, marker = strings.TrimSpace(src), strings.TrimSpace(marker)
		if !reqIsURL(s) {
			src = reqStripExtras(src)
		}
		dep.Source = src
		dep.Constraint = joinConstraint("", marker)
		if n, v, ok := wheelNameVersion(src); ok {
			dep.Name, dep.Version = n, v
		}
		if egg := reqEggName(src); egg != "" {
			if !validProjectName(egg) {
				rp.diags.add(f.display, line, "invalid project name %s in the #egg= fragment of %s; not recorded", lockQuote(egg), lockQuote(src))
				return
			}
			dep.Name = egg
		}
		if dep.Name == "" {
			rp.diags.add(f.display, line, "cannot tell the project name of %s (no #egg= fragment, not a wheel); not recorded", lockQuote(src))
			return
		}
	} else {
		r, err := parsePEP508(s)
		switch {
		case errors.Is(err, errPEP508Spec):
			rp.diags.add(f.display, line, "%v; recorded as unpinned", err)
		case err != nil:
			rp.diags.add(f.display, line, "invalid requirement: %v; not recorded", err)
			return
		}
		d := pep508Dependency(r, err == nil)
		dep.Name, dep.Version, dep.Source, dep.Constraint, spec = d.Name, d.Version, d.Source, d.Constraint, r.spec
	}
	dep.Unpinned = dep.Version == ""
	if constraint {
		if dep.Version != "" && dep.Source == "" {
			key := NormalizeName(dep.Name)
			if pin := rp.pins[key]; pin == nil {
				rp.pins[key] = &reqPin{version: dep.Version, hashes: dep.Hashes, where: f.display + ":" + strconv.Itoa(line)}
			} else if pin.version != dep.Version {
				pin.several = true
			}
		}
		return
	}
	rp.deps = append(rp.deps, reqEntry{dep: dep, spec: spec})
}

// editable handles -e/--editable: a local project or a VCS URL, which pip
// installs in development mode. It is recorded unpinned with its source.
func (rp *reqParser) editable(f reqFile, line int, v string, constraint bool) {
	if constraint {
		rp.diags.add(f.display, line, "pip does not allow editable requirements (-e %s) in constraint files; ignored", lockQuote(v))
		return
	}
	v = strings.TrimSpace(v)
	dep := model.Dependency{Ecosystem: model.PyPI, Path: f.display, Line: line, Unpinned: true}
	before, _, hasAt := strings.Cut(v, "@")
	if r, err := parsePEP508(v); hasAt && !reqLooksLikePath(before) && err == nil && r.url != "" {
		dep.Name, dep.Source, dep.Constraint = r.name, r.url, joinConstraint("", r.marker)
	} else {
		dep.Source = v
		if !reqIsURL(v) {
			dep.Source = reqStripExtras(v)
		}
		dep.Name = reqEggName(v)
		if dep.Name != "" && !validProjectName(dep.Name) {
			rp.diags.add(f.display, line, "invalid project name %s in the #egg= fragment of %s; not recorded", lockQuote(dep.Name), lockQuote(v))
			return
		}
		if dep.Name == "" {
			rp.diags.add(f.display, line, "cannot tell the project name of editable %s (no #egg= fragment); not recorded", lockQuote(v))
			return
		}
	}
	rp.deps = append(rp.deps, reqEntry{dep: dep})
}

// applyPins applies exact pins from constraint files; see ParseRequirements.
func (rp *reqParser) applyPins() {
	if len(rp.pins) == 0 {
		return
	}
	for i := range rp.deps {
		e := &rp.deps[i]
		if e.dep.Version != "" || e.dep.Source != "" {
			continue
		}
		pin := rp.pins[NormalizeName(e.dep.Name)]
		if pin == nil {
			continue
		}
		if pin.several {
			rp.diags.add(e.dep.Path, e.dep.Line, "constraint files pin %s to several versions (markers are not evaluated); left unpinned", lockQuote(e.dep.Name))
			continue
		}
		if e.spec != "" {
			set, err1 := ParseSpecifierSet(e.spec)
			v, err2 := ParseVersion(pin.version)
			if err1 == nil && err2 == nil && !set.Contains(v, true) {
				rp.diags.add(e.dep.Path, e.dep.Line, "the constraint %s (%s) does not satisfy %s; not applied", lockQuote(e.dep.Name+"=="+pin.version), pin.where, lockQuote(e.spec))
				continue
			}
		}
		e.dep.Version, e.dep.Unpinned = pin.version, false
		if len(e.dep.Hashes) == 0 && len(pin.hashes) > 0 {
			e.dep.Hashes = append([]string(nil), pin.hashes...)
		}
	}
}
