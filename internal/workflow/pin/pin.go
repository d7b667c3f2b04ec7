// Package pin is the engine of `airlock ci pin`: it rewrites GitHub
// Actions `uses:` references — actions ("owner/repo[/path]@ref") and
// reusable workflows ("owner/repo/.github/workflows/x.yml@ref") — in
// workflow files and action metadata to full 40-hex commit SHAs followed
// by a "# <tag>" comment, the way pinact or ratchet do, while leaving every
// other byte of the file as it was.
//
// How a file is edited:
//
//   - The file is parsed with gopkg.in/yaml.v3 into a node tree only to
//     find the `uses` scalars (jobs.*.uses, jobs.*.steps[*].uses and, for
//     action.yml, runs.steps[*].uses; aliases and merge keys are
//     followed). Each scalar's raw text is then located in the original
//     bytes from its line and column, and exactly that text is replaced,
//     in the same quoting style (plain, 'single' or "double"). Only the
//     ref part after '@' changes when it is written literally; the rest of
//     the line, the indentation, the line endings (LF, CRLF or CR) and
//     every other line stay byte for byte.
//   - A value defined once with an anchor (`uses: &co actions/checkout@v4`)
//     and reused with aliases (`uses: *co`) is edited once, at the anchor.
//   - Comments: when the line ends after the scalar, " # <tag>" is added.
//     An existing comment that is empty or looks like a version ("# v4",
//     "#v4.1", "# 4.2.2", "# tag=v4", "# pin@v4", or the old ref itself)
//     is replaced by "# <tag>". Any other comment ("# keep",
//     "# airlock: ignore[...]") is kept verbatim after the new one:
//     `uses: a/b@<sha> # v4.2.2 # keep`. A ref whose comment contains
//     "ratchet:exclude" is left alone.
//   - In a flow collection where the line goes on after the scalar
//     (`- {uses: a/b@v1, with: {x: 1}}`) no comment can be added: only the
//     ref is replaced and the Change's New value has no comment.
//   - Refs already pinned to a 40-hex SHA, local refs ("./path"), refs
//     with an expression ("${{ ... }}") and refs without a ref part are
//     never touched. "docker://" refs are left alone and reported with an
//     error wrapping ErrNotHandled.
//   - After editing, the result is parsed again and compared with the
//     input: same documents, same structure, same scalars except the
//     edited `uses` values. An edit that would change anything else is
//     dropped and reported, so the output always parses whenever the
//     input did. Running File on its own output changes nothing.
package pin

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Resolver maps a ref of a GitHub repository to a commit.
type Resolver interface {
	// Resolve returns the commit SHA a ref of owner/repo points at now,
	// and the most specific tag naming that commit if ref is a branch or
	// a major tag (e.g. ref "v4" → sha, "v4.2.2"); tag may be "" when
	// unknown (then the comment is the ref itself).
	Resolve(ctx context.Context, owner, repo, ref string) (sha, tag string, err error)
}

// Change is one rewritten reference.
type Change struct {
	Path string
	Line int // 1-based line of the value
	// Old and New are the whole uses value as written, quotes included,
	// with the comment that follows it on the line, if any. In a flow
	// collection where no comment can be added, New has none.
	Old, New string
}

// ErrNotHandled marks references File leaves alone on purpose but reports,
// such as "docker://" images: they are not an action ref that a commit
// SHA can pin. Callers may treat these errors as warnings
// (errors.Is(err, ErrNotHandled)).
var ErrNotHandled = errors.New("not handled by ci pin")

// RefError is a reference File could not pin. The file is otherwise
// rewritten.
type RefError struct {
	Line int    // 1-based line of the value
	Ref  string // the uses value
	Err  error
}

func (e *RefError) Error() string {
	msg := e.Err.Error()
	// Resolvers name the ref too; say it once.
	msg = strings.TrimPrefix(msg, e.Ref+": ")
	return fmt.Sprintf("line %d: %s: %s", e.Line, e.Ref, msg)
}

func (e *RefError) Unwrap() error { return e.Err }

var (
	shaRE     = regexp.MustCompile(`^[0-9a-fA-F]{40}$`)
	ownerRE   = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)
	versionRE = regexp.MustCompile(`^(?:tag=|pin@)?[vV]?[0-9]+(?:\.[0-9]+)*(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$`)
)

// IsSHA reports whether ref is a full 40-hex commit SHA.
func IsSHA(ref string) bool { return shaRE.MatchString(ref) }

// usesRef is a parsed action or reusable-workflow reference.
type usesRef struct {
	name        string // owner/repo[/path]
	owner, repo string
	ref         string
}

// parseUses classifies a uses value. It returns ok=false with a nil error
// for values to skip silently, and an error for values to report.
func parseUses(v string) (u usesRef, ok bool, err error) {
	switch {
	case strings.Contains(v, "${{"):
		return u, false, nil
	case strings.HasPrefix(v, "docker://"):
		return u, false, fmt.Errorf("a Docker image, not an action ref: pin it by digest (docker://image@sha256:...): %w", ErrNotHandled)
	case v == "." || strings.HasPrefix(v, "./") || strings.HasPrefix(v, "../"):
		return u, false, nil
	}
	name, ref, found := strings.Cut(v, "@")
	if !found || ref == "" {
		return u, false, nil
	}
	if IsSHA(ref) {
		return u, false, nil
	}
	parts := strings.Split(name, "/")
	if len(parts) < 2 || !validName(parts[0]) || !validName(parts[1]) {
		return u, false, errors.New("not an owner/repo[/path]@ref reference")
	}
	for _, r := range ref {
		if unicode.IsControl(r) || unicode.IsSpace(r) || r == utf8.RuneError {
			return u, false, errors.New("the ref contains spaces or control characters")
		}
	}
	return usesRef{name: name, owner: parts[0], repo: parts[1], ref: ref}, true, nil
}

func validName(s string) bool {
	return s != "." && s != ".." && ownerRE.MatchString(s)
}

// safeComment reports whether s can be written in a YAML comment: one
// line, printable.
func safeComment(s string) bool {
	if s == "" || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) && r != ' ' {
			return false
		}
	}
	return true
}

// isVersionComment reports whether the text of a comment (without '#')
// only records a version, so that a new pin may replace it.
func isVersionComment(c, ref string) bool {
	c = strings.TrimSpace(c)
	return c == "" || c == ref || c == "tag="+ref || versionRE.MatchString(c)
}

// File rewrites one file's content. It returns the new content, the
// changes made (in file order) and the references it could not pin (one
// error per reference, each a *RefError). References already pinned to a
// commit SHA are left as they are. A file that does not parse as YAML is
// returned unchanged with one error.
func File(ctx context.Context, path string, data []byte, r Resolver) (out []byte, changes []Change, errs []error) {
	docs, err := parseDocs(data)
	if err != nil {
		return data, nil, []error{fmt.Errorf("not valid YAML: %w", err)}
	}
	nodes := findUses(docs)
	if len(nodes) == 0 {
		return data, nil, nil
	}
	lines := lineStarts(data)
	var edits []edit
	for _, n := range nodes {
		u, ok, perr := parseUses(n.Value)
		if perr != nil {
			errs = append(errs, &RefError{Line: n.Line, Ref: n.Value, Err: perr})
			continue
		}
		if !ok {
			continue
		}
		sc, lerr := locate(data, lines, n)
		if lerr != nil {
			errs = append(errs, &RefError{Line: n.Line, Ref: n.Value, Err: lerr})
			continue
		}
		if sc.comment >= 0 && strings.Contains(string(data[sc.comment:sc.lineEnd]), "ratchet:exclude") {
			continue
		}
		if err := ctx.Err(); err != nil {
			errs = append(errs, &RefError{Line: n.Line, Ref: n.Value, Err: err})
			continue
		}
		sha, tag, rerr := r.Resolve(ctx, u.owner, u.repo, u.ref)
		if rerr != nil {
			errs = append(errs, &RefError{Line: n.Line, Ref: n.Value, Err: rerr})
			continue
		}
		if !IsSHA(sha) {
			errs = append(errs, &RefError{Line: n.Line, Ref: n.Value, Err: fmt.Errorf("resolver returned %q, not a 40-hex commit SHA", sha)})
			continue
		}
		sha = strings.ToLower(sha)
		if tag == "" || !safeComment(tag) {
			tag = u.ref
		}
		if !safeComment(tag) {
			tag = ""
		}
		e := makeEdit(data, n, sc, u, sha, tag)
		// The node's position is that of an anchor or tag in front of the
		// value, which may be on an earlier line.
		e.line = sort.Search(len(lines), func(i int) bool { return lines[i] > sc.start })
		edits = append(edits, e)
	}
	if len(edits) == 0 {
		return data, nil, sortErrs(errs)
	}
	out, applied, failed := applyVerified(data, docs, edits)
	for _, e := range failed {
		errs = append(errs, &RefError{Line: e.node.Line, Ref: e.node.Value,
			Err: errors.New("cannot be rewritten in place without changing the rest of the YAML; pin it by hand")})
	}
	for _, e := range applied {
		changes = append(changes, Change{Path: path, Line: e.line, Old: e.old, New: e.new})
	}
	sort.SliceStable(changes, func(i, j int) bool { return changes[i].Line < changes[j].Line })
	return out, changes, sortErrs(errs)
}

func sortErrs(errs []error) []error {
	sort.SliceStable(errs, func(i, j int) bool {
		var a, b *RefError
		if errors.As(errs[i], &a) && errors.As(errs[j], &b) {
			return a.Line < b.Line
		}
		return false
	})
	return errs
}

// parseDocs parses every YAML document of data. yaml.v3 has panicked on
// hostile input before; a panic is turned into an error.
func parseDocs(data []byte) (docs []*yaml.Node, err error) {
	defer func() {
		if p := recover(); p != nil {
			docs, err = nil, fmt.Errorf("parser failure: %v", p)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			if errors.Is(err, io.EOF) {
				return docs, nil
			}
			return nil, err
		}
		docs = append(docs, &n)
	}
}

// findUses returns the distinct `uses` scalar nodes of the documents, in
// file order. Aliases are followed, so a value shared through an anchor is
// returned once, as the anchored node.
func findUses(docs []*yaml.Node) []*yaml.Node {
	seen := map[*yaml.Node]bool{}
	var out []*yaml.Node
	add := func(n *yaml.Node) {
		n = deref(n)
		if n == nil || n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" || seen[n] {
			return
		}
		seen[n] = true
		out = append(out, n)
	}
	steps := func(s *yaml.Node) {
		s = deref(s)
		if s == nil || s.Kind != yaml.SequenceNode {
			return
		}
		for _, st := range s.Content {
			add(lookup(st, "uses", 0))
		}
	}
	for _, d := range docs {
		root := d
		if root.Kind == yaml.DocumentNode {
			if len(root.Content) == 0 {
				continue
			}
			root = root.Content[0]
		}
		if jobs := deref(lookup(root, "jobs", 0)); jobs != nil && jobs.Kind == yaml.MappingNode {
			for i := 1; i < len(jobs.Content); i += 2 {
				job := jobs.Content[i]
				add(lookup(job, "uses", 0))
				steps(lookup(job, "steps", 0))
			}
		}
		steps(lookup(lookup(root, "runs", 0), "steps", 0))
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		return out[i].Column < out[j].Column
	})
	return out
}

func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 8; i++ {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.AliasNode {
		return nil
	}
	return n
}

// lookup returns the value of key in mapping m, following aliases and
// merge keys ("<<: *base"; the mapping's own keys win).
func lookup(m *yaml.Node, key string, depth int) *yaml.Node {
	m = deref(m)
	if m == nil || m.Kind != yaml.MappingNode || depth > 8 {
		return nil
	}
	var merges []*yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := deref(m.Content[i])
		if k == nil || k.Kind != yaml.ScalarNode {
			continue
		}
		if k.ShortTag() == "!!merge" {
			merges = append(merges, m.Content[i+1])
			continue
		}
		if k.Value == key {
			return m.Content[i+1]
		}
	}
	for _, mv := range merges {
		mv = deref(mv)
		if mv == nil {
			continue
		}
		if mv.Kind == yaml.SequenceNode {
			for _, e := range mv.Content {
				if v := lookup(e, key, depth+1); v != nil {
					return v
				}
			}
			continue
		}
		if v := lookup(mv, key, depth+1); v != nil {
			return v
		}
	}
	return nil
}

// breakLen returns the length of the YAML line break at data[i] (CRLF,
// CR, LF, NEL, LS, PS), or 0.
func breakLen(data []byte, i int) int {
	switch {
	case i >= len(data):
		return 0
	case data[i] == '\r':
		if i+1 < len(data) && data[i+1] == '\n' {
			return 2
		}
		return 1
	case data[i] == '\n':
		return 1
	case data[i] == 0xC2 && i+1 < len(data) && data[i+1] == 0x85:
		return 2
	case data[i] == 0xE2 && i+2 < len(data) && data[i+1] == 0x80 && (data[i+2] == 0xA8 || data[i+2] == 0xA9):
		return 3
	}
	return 0
}

// lineStarts returns the byte offset of each line's start, counting line
// breaks the way yaml.v3 does.
func lineStarts(data []byte) []int {
	starts := []int{0}
	for i := 0; i < len(data); {
		if n := breakLen(data, i); n > 0 {
			i += n
			starts = append(starts, i)
			continue
		}
		i++
	}
	return starts
}

// lineEnd returns the offset of the line break ending the line that holds
// offset i (or len(data)).
func lineEnd(data []byte, i int) int {
	for ; i < len(data); i++ {
		if breakLen(data, i) > 0 {
			return i
		}
	}
	return len(data)
}

// scalar is where a uses value's raw text is in the file.
type scalar struct {
	start, end int // the raw text, quotes included
	style      yaml.Style
	lineEnd    int // offset of the line break after the scalar
	ws         int // end of the blanks after the scalar
	comment    int // offset of the '#' of a comment after it, or -1
}

const quoteStyles = yaml.SingleQuotedStyle | yaml.DoubleQuotedStyle | yaml.LiteralStyle | yaml.FoldedStyle

// locate finds the raw text of scalar n in data.
func locate(data []byte, lines []int, n *yaml.Node) (sc scalar, err error) {
	errPos := errors.New("cannot find the value in the file at the position the YAML parser reports")
	if n.Line < 1 || n.Line > len(lines) || n.Column < 1 {
		return sc, errPos
	}
	p := lines[n.Line-1]
	if n.Line == 1 && bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		p += 3
	}
	// Columns count characters.
	for c := 1; c < n.Column; c++ {
		if p >= len(data) || breakLen(data, p) > 0 {
			return sc, errPos
		}
		_, w := utf8.DecodeRune(data[p:])
		p += w
	}
	p, ok := skipProperties(data, p)
	if !ok {
		return sc, errPos
	}
	sc.start, sc.style = p, n.Style&quoteStyles
	switch sc.style {
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		q := byte('"')
		if sc.style == yaml.SingleQuotedStyle {
			q = '\''
		}
		if p >= len(data) || data[p] != q {
			return sc, errPos
		}
		i := p + 1
		for {
			if i >= len(data) {
				return sc, errPos
			}
			if breakLen(data, i) > 0 {
				return sc, errors.New("a quoted value spread over several lines; pin it by hand")
			}
			if q == '"' && data[i] == '\\' {
				if breakLen(data, i+1) > 0 {
					return sc, errors.New("a quoted value spread over several lines; pin it by hand")
				}
				i += 2
				continue
			}
			if data[i] == q {
				if q == '\'' && i+1 < len(data) && data[i+1] == '\'' {
					i += 2
					continue
				}
				break
			}
			i++
		}
		sc.end = i + 1
	case 0:
		if !bytes.HasPrefix(data[p:], []byte(n.Value)) {
			return sc, errors.New("a plain value spread over several lines; pin it by hand")
		}
		sc.end = p + len(n.Value)
		if sc.end < len(data) && breakLen(data, sc.end) == 0 && !strings.ContainsRune(" \t,]}", rune(data[sc.end])) {
			return sc, errPos
		}
	default:
		return sc, errors.New("a block scalar (| or >); pin it by hand")
	}
	sc.lineEnd = lineEnd(data, sc.end)
	sc.ws = sc.end
	for sc.ws < sc.lineEnd && (data[sc.ws] == ' ' || data[sc.ws] == '\t') {
		sc.ws++
	}
	sc.comment = -1
	if sc.ws > sc.end && sc.ws < sc.lineEnd && data[sc.ws] == '#' {
		sc.comment = sc.ws
	}
	return sc, nil
}

// skipProperties moves past an anchor ("&a") and a tag ("!!str") in front
// of a value, with the blanks, comments and line breaks after them.
func skipProperties(data []byte, p int) (int, bool) {
	for p < len(data) && (data[p] == '&' || data[p] == '!') {
		for p < len(data) && data[p] != ' ' && data[p] != '\t' && breakLen(data, p) == 0 &&
			!(data[p] == ',' || data[p] == ']' || data[p] == '}') {
			p++
		}
		for p < len(data) {
			switch {
			case data[p] == ' ' || data[p] == '\t':
				p++
			case data[p] == '#':
				p = lineEnd(data, p)
			case breakLen(data, p) > 0:
				p += breakLen(data, p)
			default:
				goto next
			}
		}
	next:
	}
	return p, p < len(data)
}

// edit replaces data[start:end] with text.
type edit struct {
	start, end int
	text       string
	node       *yaml.Node
	value      string // the node's new value
	line       int
	old, new   string
}

// makeEdit builds the replacement of the scalar and, where there is room,
// of the comment after it.
func makeEdit(data []byte, n *yaml.Node, sc scalar, u usesRef, sha, tag string) edit {
	raw := string(data[sc.start:sc.end])
	value := u.name + "@" + sha
	var newRaw string
	switch sc.style {
	case yaml.SingleQuotedStyle:
		inner := raw[1 : len(raw)-1]
		if strings.HasSuffix(inner, "@"+u.ref) && !strings.Contains(u.ref, "'") {
			inner = inner[:len(inner)-len(u.ref)] + sha
		} else {
			inner = strings.ReplaceAll(value, "'", "''")
		}
		newRaw = "'" + inner + "'"
	case yaml.DoubleQuotedStyle:
		inner := raw[1 : len(raw)-1]
		if strings.HasSuffix(inner, "@"+u.ref) && !strings.ContainsAny(u.ref, `\"`) {
			newRaw = `"` + inner[:len(inner)-len(u.ref)] + sha + `"`
		} else {
			newRaw = strconv.Quote(value)
		}
	default:
		newRaw = raw[:len(raw)-len(u.ref)] + sha
	}
	e := edit{start: sc.start, end: sc.end, node: n, value: value, line: n.Line}
	ws := string(data[sc.end:sc.ws])
	switch {
	case tag == "":
		// Nothing safe to write as a comment: replace the value only,
		// dropping a version comment that would now be stale.
		e.text, e.old, e.new = newRaw, raw, newRaw
		if sc.comment >= 0 {
			c := strings.TrimRight(string(data[sc.comment:sc.lineEnd]), " \t")
			e.old = raw + ws + c
			if isVersionComment(c[1:], u.ref) {
				e.end = sc.lineEnd
			} else {
				e.new = newRaw + ws + c
			}
		}
	case sc.comment >= 0:
		c := string(data[sc.comment:sc.lineEnd])
		ct := strings.TrimRight(c, " \t")
		e.old = raw + ws + ct
		if isVersionComment(c[1:], u.ref) {
			e.end = sc.lineEnd
			e.text = newRaw + ws + "# " + tag
			e.new = e.text
		} else {
			e.end = sc.ws
			e.text = newRaw + ws + "# " + tag + " "
			e.new = e.text + ct
		}
	case sc.ws == sc.lineEnd:
		e.text = newRaw + " # " + tag
		e.old, e.new = raw, e.text
	default:
		// A flow collection goes on after the value: no comment.
		e.text, e.old, e.new = newRaw, raw, newRaw
	}
	return e
}

// apply returns data with the edits made; edits must not overlap.
func apply(data []byte, edits []edit) []byte {
	sorted := append([]edit(nil), edits...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].start < sorted[j].start })
	var b bytes.Buffer
	b.Grow(len(data) + 64*len(edits))
	last := 0
	for _, e := range sorted {
		b.Write(data[last:e.start])
		b.WriteString(e.text)
		last = e.end
	}
	b.Write(data[last:])
	return b.Bytes()
}

// applyVerified applies the edits and checks that the result parses to
// the same documents with only the edited values changed. When the whole
// set fails the check, the edits are tried one by one and the ones that
// would change anything else are dropped.
func applyVerified(data []byte, docs []*yaml.Node, edits []edit) (out []byte, applied, failed []edit) {
	if out, ok := verify(data, docs, edits); ok {
		return out, edits, nil
	}
	for _, e := range edits {
		if _, ok := verify(data, docs, append(applied[:len(applied):len(applied)], e)); ok {
			applied = append(applied, e)
		} else {
			failed = append(failed, e)
		}
	}
	out, _ = verify(data, docs, applied)
	return out, applied, failed
}

func verify(data []byte, docs []*yaml.Node, edits []edit) ([]byte, bool) {
	if len(edits) == 0 {
		return data, true
	}
	out := apply(data, edits)
	got, err := parseDocs(out)
	if err != nil || len(got) != len(docs) {
		return data, false
	}
	want := make(map[*yaml.Node]string, len(edits))
	for _, e := range edits {
		want[e.node] = e.value
	}
	for i := range docs {
		if !sameTree(docs[i], got[i], want, 0) {
			return data, false
		}
	}
	return out, true
}

// sameTree reports whether b has the structure and values of a, except
// that the nodes in want have the values given there. Comments and
// positions are not compared.
func sameTree(a, b *yaml.Node, want map[*yaml.Node]string, depth int) bool {
	if a == nil || b == nil {
		return a == b
	}
	if depth > 20000 || a.Kind != b.Kind || a.Tag != b.Tag || a.Anchor != b.Anchor || a.Style != b.Style ||
		len(a.Content) != len(b.Content) {
		return false
	}
	v := a.Value
	if w, ok := want[a]; ok {
		v = w
	}
	if v != b.Value {
		return false
	}
	for i := range a.Content {
		if !sameTree(a.Content[i], b.Content[i], want, depth+1) {
			return false
		}
	}
	return true
}
