package workflow

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"sort"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/airlock-sec/airlock/internal/model"
)

// Limits of the parser. A file over MaxFileSize is refused as a whole; the
// other limits cut the model short with a diagnostic.
const (
	MaxFileSize = 4 << 20 // bytes per pipeline or script file
	MaxJobs     = 2000    // jobs per file (the rest are dropped)
	MaxSteps    = 10000   // steps per file, over all jobs
	// MaxNodeVisits bounds the YAML nodes read per file, counting every
	// node reached through an alias again: it stops alias bombs ("billion
	// laughs") that the YAML library accepts because it never expands them.
	MaxNodeVisits = 1_000_000
	// maxNest bounds the recursion the parser does on its own (merge keys,
	// nested GitLab script lists, CircleCI when/unless steps).
	maxNest = 32
	// maxDiags bounds the diagnostics of one file.
	maxDiags = 200
)

// Errors for input refused as a whole.
var (
	ErrTooLarge = errors.New("file is larger than 4 MiB")
	ErrBinary   = errors.New("file is binary")
)

// Parse parses one file as the given platform (Detect(path) when p is
// empty). It never panics. Problems in the file — YAML syntax errors,
// values of the wrong type, limits hit — are diagnostics ("line N: …")
// and whatever could be read is returned; a file whose YAML does not parse
// yields a File with only Lines and Suppressions. The error is only for
// input refused as a whole: over MaxFileSize, binary (a NUL byte), or an
// unknown platform.
//
// Positions: Str.Pos is the line and column (in characters, as the YAML
// library counts them) of the value itself, past any anchor or tag; for
// a quoted value, the opening quote. A value reached through an alias has
// the position of the anchored node. A block scalar ("run: |", "script:
// |" under with:) starts on the line after its indicator, at the
// content's indentation, and keeps its leading blank lines, so line i of
// a literal "|" value is on Pos.Line+i and Script.LineOf is exact. For a
// folded ">" value the text is folded and the mapping is approximate:
// lines joined by folding shift the lines below them. Mapping keys (job
// IDs, env names, events) are at the key.
func Parse(path string, data []byte, p Platform) (f *File, diags []model.Diagnostic, err error) {
	if p == "" {
		p = Detect(path)
	}
	switch p {
	case GitHub, Action, GitLab, CircleCI, ShellScript:
	default:
		return nil, nil, fmt.Errorf("%s: unknown pipeline platform %q", path, p)
	}
	if len(data) > MaxFileSize {
		return nil, nil, fmt.Errorf("%s: %w (%d bytes)", path, ErrTooLarge, len(data))
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, nil, fmt.Errorf("%s: %w", path, ErrBinary)
	}
	f = &File{Path: path, Platform: p, Lines: splitLines(data)}
	if len(f.Lines) > 0 {
		// yaml.v3 skips a byte order mark; so do columns.
		f.Lines[0] = strings.TrimPrefix(f.Lines[0], "\ufeff")
	}
	ps := &parser{path: path, file: f, lines: f.Lines}
	defer func() {
		if r := recover(); r != nil {
			ps.diag(0, "internal error while parsing (please report): %v at %s", r, panicSite(debug.Stack()))
			diags = ps.diags
			err = nil
		}
	}()
	ps.suppressions()
	if p == ShellScript {
		ps.shellScript(data)
	} else if root := ps.decode(data); root != nil {
		ps.checkAliasLoops(root)
		switch p {
		case GitHub:
			ps.github(root)
		case Action:
			ps.action(root)
		case GitLab:
			ps.gitlab(root)
		case CircleCI:
			ps.circleci(root)
		}
	}
	ps.calledScripts()
	sortDiags(ps.diags)
	return f, ps.diags, nil
}

// sortDiags orders diagnostics by line ("line N: …"), those without a
// line first, keeping the order of equal lines.
func sortDiags(ds []model.Diagnostic) {
	line := func(d model.Diagnostic) int {
		n, _ := splitYAMLError(d.Message)
		return n
	}
	sort.SliceStable(ds, func(i, j int) bool { return line(ds[i]) < line(ds[j]) })
}

// panicSite is the first frame of this package below the panic in a
// stack trace ("parse.go:123").
func panicSite(stack []byte) string {
	lines := strings.Split(string(stack), "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, "panic(") {
			continue
		}
		for _, m := range lines[i+1:] {
			m = strings.TrimSpace(m)
			if strings.Contains(m, "/internal/workflow/") && strings.Contains(m, ".go:") {
				m = m[strings.LastIndex(m, "/")+1:]
				if j := strings.IndexByte(m, ' '); j >= 0 {
					m = m[:j]
				}
				return m
			}
		}
	}
	return "an unknown place"
}

// splitLines splits text into lines without their "\n" or "\r\n"; a final
// newline does not start another line.
func splitLines(data []byte) []string {
	if len(data) == 0 {
		return nil
	}
	s := string(data)
	n := strings.Count(s, "\n")
	if !strings.HasSuffix(s, "\n") {
		n++
	}
	lines := make([]string, 0, n)
	for len(s) > 0 {
		i := strings.IndexByte(s, '\n')
		var l string
		if i < 0 {
			l, s = s, ""
		} else {
			l, s = s[:i], s[i+1:]
		}
		lines = append(lines, strings.TrimSuffix(l, "\r"))
	}
	return lines
}

// parser holds the state of parsing one file.
type parser struct {
	path  string
	file  *File
	lines []string
	diags []model.Diagnostic
	seen  map[string]bool // diagnostics already given (aliases repeat nodes)

	visits     int
	overBudget bool
	steps      int
	stepsFull  bool
	jobsFull   bool
	// scanned caches positions found by scanning raw lines (anchored
	// nodes, block scalars), which aliases may ask for many times.
	scanned map[scanKey]Pos
	// glTop is the top-level mapping of a GitLab file, for "!reference".
	glTop *yaml.Node
	// workdirs are the working directories of run scripts (GitHub
	// working-directory, CircleCI working_directory) for CalledScripts.
	workdirs map[*Script]string
}

// diag records a diagnostic at a 1-based line (0: no line).
func (p *parser) diag(line int, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if line > 0 {
		msg = fmt.Sprintf("line %d: %s", line, msg)
	}
	if p.seen == nil {
		p.seen = map[string]bool{}
	}
	if p.seen[msg] {
		return
	}
	p.seen[msg] = true
	if len(p.diags) == maxDiags {
		p.diags = append(p.diags, model.Diagnostic{Target: p.path, Message: "too many diagnostics; the rest are not shown"})
	}
	if len(p.diags) > maxDiags {
		return
	}
	p.diags = append(p.diags, model.Diagnostic{Target: p.path, Message: msg})
}

// decode parses the YAML document. For GitLab, a leading "spec:" header
// document (CI/CD components, inputs) is skipped for the document after
// it. It returns nil (with a diagnostic) when nothing could be read.
func (p *parser) decode(data []byte) *yaml.Node {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			p.diag(0, "the file is empty")
			return nil
		}
		p.yamlError(err, data)
		return nil
	}
	root := docRoot(&doc)
	if p.file.Platform == GitLab && isSpecHeader(root) {
		var next yaml.Node
		if err := dec.Decode(&next); err != nil {
			if err != io.EOF {
				p.yamlError(err, data)
			}
			return nil
		}
		root = docRoot(&next)
	}
	if root == nil {
		p.diag(0, "the file is empty")
	}
	return root
}

func docRoot(doc *yaml.Node) *yaml.Node {
	if doc.Kind == yaml.DocumentNode {
		if len(doc.Content) == 0 {
			return nil
		}
		return doc.Content[0]
	}
	if doc.Kind == 0 {
		return nil
	}
	return doc
}

func isSpecHeader(n *yaml.Node) bool {
	if n == nil || n.Kind != yaml.MappingNode || len(n.Content) != 2 {
		return false
	}
	return n.Content[0].Kind == yaml.ScalarNode && n.Content[0].Value == "spec"
}

// yamlError turns a yaml.v3 error ("yaml: line 3: mapping values are not
// allowed in this context") into a diagnostic.
func (p *parser) yamlError(err error, data []byte) {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		for _, e := range te.Errors {
			line, msg := splitYAMLError(e)
			p.diag(line, "invalid yaml: %s", msg)
		}
		return
	}
	line, msg := splitYAMLError(err.Error())
	p.diag(p.problemLine(data, msg, line), "invalid yaml: %s", msg)
}

// splitYAMLError splits "yaml: line N: msg" into N and msg.
func splitYAMLError(msg string) (int, string) {
	msg = strings.TrimPrefix(msg, "yaml: ")
	if !strings.HasPrefix(msg, "line ") {
		return 0, msg
	}
	rest := msg[len("line "):]
	line, i := 0, 0
	for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' && line < 1<<30 {
		line = line*10 + int(rest[i]-'0')
		i++
	}
	if i == 0 || !strings.HasPrefix(rest[i:], ": ") {
		return 0, msg
	}
	return line, rest[i+2:]
}

// problemLine refines the line of a YAML syntax error. yaml.v3 reports a
// parser error at the start of the block it was parsing ("did not find
// expected key" on the line of the enclosing mapping); the line at fault
// is the first one whose prefix of the file fails with the same message.
// Found by bisection, and kept only when verified; files over 256 KiB
// keep the reported line.
func (p *parser) problemLine(data []byte, msg string, reported int) int {
	if reported < 1 || len(data) > 256<<10 || reported >= len(p.lines) {
		return reported
	}
	ends := make([]int, 0, len(p.lines)) // ends[k-1]: end offset of line k
	for i, c := range data {
		if c == '\n' {
			ends = append(ends, i+1)
		}
	}
	if len(ends) < len(p.lines) {
		ends = append(ends, len(data))
	}
	fails := func(k int) bool {
		dec := yaml.NewDecoder(bytes.NewReader(data[:ends[k-1]]))
		var doc yaml.Node
		err := dec.Decode(&doc)
		if err == nil && p.file.Platform == GitLab && isSpecHeader(docRoot(&doc)) {
			err = dec.Decode(&doc)
		}
		if err == nil || err == io.EOF {
			return false
		}
		_, m := splitYAMLError(err.Error())
		return m == msg
	}
	lo, hi := reported, len(p.lines)
	if !fails(hi) {
		return reported
	}
	for steps := 0; lo < hi && steps < 40; steps++ {
		mid := lo + (hi-lo)/2
		if fails(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	if hi > reported && fails(hi) && !fails(hi-1) {
		return hi
	}
	return reported
}

// checkAliasLoops finds aliases that refer to a node containing them
// ("&a [*a]"); yaml.v3 builds such cyclic trees without complaint. Each
// such alias is cut (its target set to nil) after a diagnostic, so the
// node graph the parser walks is acyclic. The walk is iterative: a deeply
// nested document cannot exhaust the stack.
func (p *parser) checkAliasLoops(root *yaml.Node) {
	type frame struct {
		n *yaml.Node
		i int
	}
	onPath := map[*yaml.Node]bool{}
	stack := []frame{{n: root}}
	if root.Anchor != "" {
		onPath[root] = true
	}
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.i >= len(top.n.Content) {
			if top.n.Anchor != "" {
				delete(onPath, top.n)
			}
			stack = stack[:len(stack)-1]
			continue
		}
		c := top.n.Content[top.i]
		top.i++
		if c == nil {
			continue
		}
		if c.Kind == yaml.AliasNode {
			if c.Alias != nil && onPath[c.Alias] {
				p.diag(c.Line, "alias %q refers to a node that contains it; it is ignored", "*"+c.Value)
				c.Alias = nil
			}
			continue
		}
		if len(c.Content) > 0 {
			if c.Anchor != "" {
				onPath[c] = true
			}
			stack = append(stack, frame{n: c})
		}
	}
}

// res follows an alias and counts the visit against MaxNodeVisits. It
// returns nil for a nil node, a cut alias, or once the budget is spent.
func (p *parser) res(n *yaml.Node) *yaml.Node {
	if n == nil || p.overBudget {
		return nil
	}
	p.visits++
	if p.visits > MaxNodeVisits {
		p.overBudget = true
		p.diag(0, "more than %d yaml nodes read (aliases expand to too much); the rest of the file is ignored", MaxNodeVisits)
		return nil
	}
	for i := 0; n != nil; i++ {
		if i > 8 {
			return nil
		}
		switch {
		case n.Kind == yaml.AliasNode:
			n = n.Alias
		case n.Tag == "!reference" && p.glTop != nil:
			n = p.reference(n)
		default:
			return n
		}
	}
	return n
}

// reference resolves a GitLab "!reference [.job, key, …]" against the
// file's top-level mapping. A reference to a job of another (included)
// file is not found and reads as absent.
func (p *parser) reference(n *yaml.Node) *yaml.Node {
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 || len(n.Content) > 10 {
		p.diag(n.Line, "%q must be a list of keys", "!reference")
		return nil
	}
	cur := p.glTop
	for _, k := range n.Content {
		if k.Kind != yaml.ScalarNode {
			p.diag(n.Line, "%q must be a list of keys", "!reference")
			return nil
		}
		for cur != nil && cur.Kind == yaml.AliasNode {
			cur = cur.Alias
		}
		if cur == nil || cur.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(cur.Content); i += 2 {
			if cur.Content[i].Kind == yaml.ScalarNode && cur.Content[i].Value == k.Value {
				next = cur.Content[i+1]
			}
		}
		cur = next
	}
	return cur
}

func isNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

func kindName(n *yaml.Node) string {
	if isNull(n) {
		return "empty"
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return "a string"
	}
	return "a node"
}

// entry is one mapping entry, key and value resolved.
type entry struct {
	name string     // the key's text
	key  *yaml.Node // resolved key (a scalar)
	val  *yaml.Node // resolved value; nil when the budget is spent
}

// mapping is a resolved YAML mapping with merge keys ("<<: *x") expanded
// in place: merged entries come where the "<<" key is, unless the
// mapping sets the key itself.
type mapping struct {
	node *yaml.Node
	ents []entry
}

// get returns the last entry with the key (YAML forbids duplicates; the
// last one wins as in most loaders, and a diagnostic is given).
func (m *mapping) get(key string) (entry, bool) {
	if m == nil {
		return entry{}, false
	}
	for i := len(m.ents) - 1; i >= 0; i-- {
		if m.ents[i].name == key {
			return m.ents[i], true
		}
	}
	return entry{}, false
}

// val returns the value of key, nil when absent or null.
func (m *mapping) val(key string) *yaml.Node {
	e, ok := m.get(key)
	if !ok || isNull(e.val) {
		return nil
	}
	return e.val
}

// asMap reads n (resolved or not) as a mapping. A null or absent value is
// (nil, false) without a diagnostic; any other non-mapping is a diagnostic
// naming what.
func (p *parser) asMap(n *yaml.Node, what string) *mapping {
	n = p.res(n)
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		p.typeErr(n, what, "a mapping")
		return nil
	}
	return p.mapOf(n, 0)
}

func (p *parser) typeErr(n *yaml.Node, what, want string) {
	if what == "" {
		p.diag(n.Line, "the top level must be %s, not %s", want, kindName(n))
		return
	}
	p.diag(n.Line, "%q must be %s, not %s", what, want, kindName(n))
}

func isMergeKey(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && (k.Tag == "!!merge" || (k.Value == "<<" && k.Style == 0))
}

// mapOf reads a resolved mapping node.
func (p *parser) mapOf(n *yaml.Node, depth int) *mapping {
	m := &mapping{node: n, ents: make([]entry, 0, len(n.Content)/2)}
	type merge struct {
		at int        // index in m.ents where the merged entries go
		v  *yaml.Node // the resolved value of "<<"
		k  *yaml.Node
	}
	var merges []merge
	var names map[string]int
	dup := false
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := p.res(n.Content[i])
		if k == nil {
			if p.overBudget {
				break
			}
			continue
		}
		if isMergeKey(k) {
			merges = append(merges, merge{at: len(m.ents), v: p.res(n.Content[i+1]), k: k})
			continue
		}
		if k.Kind != yaml.ScalarNode {
			p.diag(k.Line, "a mapping key must be a string, not %s", kindName(k))
			continue
		}
		if len(n.Content) > 16 {
			if names == nil {
				names = make(map[string]int, len(n.Content)/2)
			}
			names[k.Value]++
			if names[k.Value] >= 2 {
				p.diag(k.Line, "duplicate key %q; the last one is used", k.Value)
				dup = true
			}
		} else {
			for _, e := range m.ents {
				if e.name == k.Value {
					p.diag(k.Line, "duplicate key %q; the last one is used", k.Value)
					dup = true
					break
				}
			}
		}
		m.ents = append(m.ents, entry{name: k.Value, key: k, val: p.res(n.Content[i+1])})
	}
	if len(merges) == 0 {
		if dup {
			m.ents = lastOfEach(m.ents)
		}
		return m
	}
	// Expand merge keys in place; keys the mapping sets itself win, then
	// the first merged mapping that has the key.
	taken := make(map[string]bool, len(m.ents)+8)
	for _, e := range m.ents {
		taken[e.name] = true
	}
	out := make([]entry, 0, len(m.ents)+8)
	next := 0
	for _, mg := range merges {
		out = append(out, m.ents[next:mg.at]...)
		next = mg.at
		if depth >= maxNest {
			p.diag(mg.k.Line, "merge keys nested deeper than %d; ignored", maxNest)
			continue
		}
		var srcs []*yaml.Node
		switch {
		case isNull(mg.v):
		case mg.v.Kind == yaml.MappingNode:
			srcs = []*yaml.Node{mg.v}
		case mg.v.Kind == yaml.SequenceNode:
			for _, c := range mg.v.Content {
				if c := p.res(c); c != nil {
					srcs = append(srcs, c)
				}
			}
		default:
			p.diag(mg.v.Line, "the value of a merge key %q must be a mapping or a list of mappings", "<<")
		}
		for _, s := range srcs {
			if s.Kind != yaml.MappingNode {
				p.diag(s.Line, "the value of a merge key %q must be a mapping or a list of mappings", "<<")
				continue
			}
			for _, e := range p.mapOf(s, depth+1).ents {
				if !taken[e.name] {
					taken[e.name] = true
					out = append(out, e)
				}
			}
		}
	}
	m.ents = append(out, m.ents[next:]...)
	if dup {
		m.ents = lastOfEach(m.ents)
	}
	return m
}

// lastOfEach drops all but the last entry of each key, keeping the order.
func lastOfEach(ents []entry) []entry {
	last := make(map[string]int, len(ents))
	for i, e := range ents {
		last[e.name] = i
	}
	out := ents[:0:0]
	for i, e := range ents {
		if last[e.name] == i {
			out = append(out, e)
		}
	}
	return out
}

// asList reads n as a list; a scalar is a list of one when one is true.
// Null gives nil without a diagnostic.
func (p *parser) asList(n *yaml.Node, what string) []*yaml.Node {
	n = p.res(n)
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		p.typeErr(n, what, "a list")
		return nil
	}
	out := make([]*yaml.Node, 0, len(n.Content))
	for _, c := range n.Content {
		c = p.res(c)
		if c == nil {
			if p.overBudget {
				break
			}
			continue
		}
		out = append(out, c)
	}
	return out
}

// str reads a scalar. Null is an unset Str without a diagnostic.
func (p *parser) str(n *yaml.Node, what string) Str {
	n = p.res(n)
	if isNull(n) {
		return Str{}
	}
	if n.Kind != yaml.ScalarNode {
		p.typeErr(n, what, "a string")
		return Str{}
	}
	return p.scalar(n)
}

// scalar is a scalar node as a Str. A block scalar ("|", ">") is at its
// first content line, so line i of a literal Value is on Pos.Line+i.
func (p *parser) scalar(n *yaml.Node) Str {
	pos := p.pos(n)
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		pos = p.blockStart(n, pos)
	}
	return Str{Value: n.Value, Pos: pos}
}

// strs reads a string or a list of strings.
func (p *parser) strs(n *yaml.Node, what string) []Str {
	n = p.res(n)
	if isNull(n) {
		return nil
	}
	switch n.Kind {
	case yaml.ScalarNode:
		return []Str{p.scalar(n)}
	case yaml.SequenceNode:
		out := make([]Str, 0, len(n.Content))
		for _, c := range n.Content {
			c = p.res(c)
			if isNull(c) {
				continue
			}
			if c.Kind != yaml.ScalarNode {
				p.diag(c.Line, "items of %q must be strings, not %s", what, kindName(c))
				continue
			}
			out = append(out, p.scalar(c))
		}
		return out
	}
	p.typeErr(n, what, "a string or a list of strings")
	return nil
}

// keyStr is the entry's key as a Str.
func (p *parser) keyStr(e entry) Str {
	return Str{Value: e.name, Pos: p.pos(e.key)}
}

// kvs reads a mapping of scalars (env:, with:) in order. A string value
// that is a whole expression ("${{ fromJSON(x) }}") is accepted without
// entries. Non-scalar values give a diagnostic unless nested is set, in
// which case they are kept with an empty value at their position.
func (p *parser) kvs(n *yaml.Node, what string, nested bool) []KV {
	n = p.res(n)
	if n != nil && n.Kind == yaml.ScalarNode && strings.Contains(n.Value, "${{") {
		return nil
	}
	return p.kvsWith(n, what, func(e entry) Str {
		if !nested {
			p.diag(e.val.Line, "the value of %q in %q must be a string, not %s", e.name, what, kindName(e.val))
		}
		return Str{Pos: p.pos(e.val)}
	})
}

// kvsWith reads a mapping in order: scalar values as they are, null ones
// empty at their position, and other values through nonScalar.
func (p *parser) kvsWith(n *yaml.Node, what string, nonScalar func(e entry) Str) []KV {
	m := p.asMap(n, what)
	if m == nil {
		return nil
	}
	out := make([]KV, 0, len(m.ents))
	for _, e := range m.ents {
		kv := KV{Key: p.keyStr(e)}
		switch {
		case e.val == nil:
		case isNull(e.val):
			kv.Value = Str{Pos: p.pos(e.val)}
		case e.val.Kind == yaml.ScalarNode:
			kv.Value = p.scalar(e.val)
		default:
			kv.Value = nonScalar(e)
		}
		out = append(out, kv)
	}
	return out
}

// pos is the position of a node's value: past an anchor ("&a") or tag
// ("!!str") written before it, on the next content line when nothing
// follows them on their line (an anchored block mapping).
func (p *parser) pos(n *yaml.Node) Pos {
	pos := Pos{Line: n.Line, Col: n.Column}
	if n.Anchor == "" && n.Style&yaml.TaggedStyle == 0 {
		return pos
	}
	if pos.Line < 1 || pos.Line > len(p.lines) {
		return pos
	}
	if c, ok := p.scanned[scanKey{n, false}]; ok {
		return c
	}
	pos = p.scanPos(n, pos)
	if p.scanned == nil {
		p.scanned = map[scanKey]Pos{}
	}
	p.scanned[scanKey{n, false}] = pos
	return pos
}

type scanKey struct {
	n     *yaml.Node
	block bool // the content start of a block scalar, not the node
}

func (p *parser) scanPos(n *yaml.Node, pos Pos) Pos {
	line := p.lines[pos.Line-1]
	off := runeOffset(line, pos.Col)
	moved := false
	for off < len(line) && (line[off] == '&' || line[off] == '!') {
		for off < len(line) && line[off] != ' ' && line[off] != '\t' {
			off++
		}
		for off < len(line) && (line[off] == ' ' || line[off] == '\t') {
			off++
		}
		moved = true
	}
	if !moved {
		return pos
	}
	if off < len(line) && line[off] != '#' {
		return Pos{Line: pos.Line, Col: utf8.RuneCountInString(line[:off]) + 1}
	}
	if n.Kind == yaml.ScalarNode {
		return pos
	}
	for l := pos.Line + 1; l <= len(p.lines) && l <= pos.Line+1000; l++ {
		t := strings.TrimLeft(p.lines[l-1], " \t")
		if t == "" || t[0] == '#' {
			continue
		}
		ind := len(p.lines[l-1]) - len(t)
		if n.Kind == yaml.SequenceNode && strings.HasPrefix(t, "-") {
			return Pos{Line: l, Col: ind + 1}
		}
		return Pos{Line: l, Col: utf8.RuneCountInString(p.lines[l-1][:ind]) + 1}
	}
	return pos
}

// runeOffset is the byte offset of 1-based rune column col in line.
func runeOffset(line string, col int) int {
	if col <= 1 {
		return 0
	}
	n := 1
	for i := range line {
		if n == col {
			return i
		}
		n++
	}
	return len(line)
}

// script reads a scalar as a Script. For block scalars ("|", ">") Pos is
// the first content line (the line after the indicator) and Col the
// content's indentation.
func (p *parser) script(n *yaml.Node, what string) *Script {
	n = p.res(n)
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.ScalarNode {
		p.typeErr(n, what, "a string")
		return nil
	}
	s := &Script{Text: n.Value, Pos: p.pos(n)}
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		s.Block = true
		s.Pos = p.blockStart(n, s.Pos)
	}
	return s
}

// blockStart is the position of a block scalar's content: the line after
// the indicator at ind, at the indentation of the first non-blank line.
func (p *parser) blockStart(n *yaml.Node, ind Pos) Pos {
	if c, ok := p.scanned[scanKey{n, true}]; ok {
		return c
	}
	pos := Pos{Line: ind.Line + 1, Col: ind.Col}
	for l := ind.Line + 1; l <= len(p.lines) && l <= ind.Line+1000; l++ {
		t := strings.TrimLeft(p.lines[l-1], " ")
		if t == "" {
			continue
		}
		pos.Col = len(p.lines[l-1]) - len(t) + 1
		break
	}
	if p.scanned == nil {
		p.scanned = map[scanKey]Pos{}
	}
	p.scanned[scanKey{n, true}] = pos
	return pos
}

// lineComment is the trailing comment on a value ("v4.1.1" for "uses:
// a/b@sha # v4.1.1"), without "#" and trimmed. It reads yaml.v3's
// LineComment of the value (or of the key), and falls back to the raw
// line after a single-line plain or quoted value.
func (p *parser) lineComment(key, val *yaml.Node) string {
	for _, n := range []*yaml.Node{val, key} {
		if n != nil && n.LineComment != "" {
			return cleanComment(n.LineComment)
		}
	}
	if val == nil || val.Kind != yaml.ScalarNode || val.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return ""
	}
	pos := p.pos(val)
	if pos.Line < 1 || pos.Line > len(p.lines) || strings.Contains(val.Value, "\n") {
		return ""
	}
	line := p.lines[pos.Line-1]
	off := runeOffset(line, pos.Col)
	rest := line[off:]
	switch {
	case val.Style&yaml.DoubleQuotedStyle != 0:
		i := closingQuote(rest, '"')
		if i < 0 {
			return ""
		}
		rest = rest[i+1:]
	case val.Style&yaml.SingleQuotedStyle != 0:
		i := closingQuote(rest, '\'')
		if i < 0 {
			return ""
		}
		rest = rest[i+1:]
	default:
		if !strings.HasPrefix(rest, val.Value) {
			return ""
		}
		rest = rest[len(val.Value):]
	}
	// Flow collections may close after the value: "- {uses: a/b@v1} # v1".
	t := strings.TrimLeft(rest, " \t}],")
	if strings.HasPrefix(t, "#") && len(t) < len(rest) && (len(t) == 0 || rest[len(rest)-len(t)-1] == ' ' || rest[len(rest)-len(t)-1] == '\t') {
		return cleanComment(t)
	}
	return ""
}

// closingQuote finds the quote closing a quoted scalar that starts at
// s[0].
func closingQuote(s string, q byte) int {
	for i := 1; i < len(s); i++ {
		switch {
		case q == '"' && s[i] == '\\':
			i++
		case s[i] == q:
			if q == '\'' && i+1 < len(s) && s[i+1] == '\'' {
				i++
				continue
			}
			return i
		}
	}
	return -1
}

func cleanComment(c string) string {
	c = strings.TrimSpace(c)
	if i := strings.IndexByte(c, '\n'); i >= 0 {
		c = c[:i]
	}
	return strings.TrimSpace(strings.TrimPrefix(c, "#"))
}

// addStep counts a step against MaxSteps.
func (p *parser) addStep(j *Job, s *Step) bool {
	if p.steps >= MaxSteps {
		if !p.stepsFull {
			p.stepsFull = true
			p.diag(s.Pos.Line, "more than %d steps; the rest are ignored", MaxSteps)
		}
		return false
	}
	p.steps++
	j.Steps = append(j.Steps, s)
	return true
}

// addJob counts a job against MaxJobs.
func (p *parser) addJob(j *Job) bool {
	if len(p.file.Jobs) >= MaxJobs {
		if !p.jobsFull {
			p.jobsFull = true
			p.diag(j.Pos.Line, "more than %d jobs; the rest are ignored", MaxJobs)
		}
		return false
	}
	p.file.Jobs = append(p.file.Jobs, j)
	return true
}

// shellScript reads a repository script: one job with one step whose Run
// is the whole text.
func (p *parser) shellScript(data []byte) {
	text := string(data)
	shell := ""
	if strings.HasPrefix(text, "#!") {
		first := text
		if i := strings.IndexByte(first, '\n'); i >= 0 {
			first = first[:i]
		}
		shell = shebangShell(first)
	}
	j := &Job{ID: Str{Value: "script", Pos: Pos{1, 1}}, Pos: Pos{1, 1}}
	s := &Step{Pos: Pos{1, 1}, Run: &Script{Text: text, Pos: Pos{1, 1}, Block: true, Shell: shell}}
	j.Steps = []*Step{s}
	p.steps = 1
	p.file.Jobs = []*Job{j}
}

// shebangShell names the interpreter of "#!/bin/bash" or
// "#!/usr/bin/env bash".
func shebangShell(line string) string {
	f := strings.Fields(strings.TrimPrefix(line, "#!"))
	if len(f) == 0 {
		return ""
	}
	name := f[0]
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	if name == "env" {
		for _, a := range f[1:] {
			if strings.HasPrefix(a, "-") || strings.Contains(a, "=") {
				continue
			}
			name = a
			break
		}
	}
	return name
}
