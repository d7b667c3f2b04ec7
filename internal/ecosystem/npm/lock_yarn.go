package npm

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/airlock-sec/airlock/internal/model"
	"gopkg.in/yaml.v3"
)

// ParseYarnLock reads yarn.lock, in either yarn classic's v1 format or
// yarn Berry's (v2+) YAML format, told apart by Berry's top-level
// "__metadata:" entry. Each block is one resolved package; Line is the
// line of the block's header ("a@^1.0.0, a@~1.1.0:").
//
// Classic: the name comes from the header patterns (an alias pattern
// "alias@npm:real@^1" gives "real"), the version from "version", hashes
// from "integrity" and the "#<sha1>" fragment of "resolved", Source from a
// "resolved" URL that is not the default registry's tarball, or from a
// file:/link:/git pattern without one. Classic lockfiles do not say which
// packages are direct or dev-only, so Direct and Dev are never set.
//
// Berry: name and source come from "resolution" ("a@npm:1.2.3"):
//
//   - npm: the registry; Version is the reference, which must agree with
//     "version".
//   - workspace:. is the project itself and is skipped; other workspaces,
//     link:, portal:, file:, git and URL references, exec: and patch:
//     (a registry package modified by a patch file) are returned with
//     Source set to the reference and Version from "version" (empty for
//     yarn's "0.0.0-use.local" placeholder).
//
// Direct is set for blocks whose header holds a descriptor that a
// workspace block lists under dependencies, devDependencies,
// optionalDependencies or peerDependencies; Dev is never set (Berry
// records dev dependencies of workspaces among their dependencies).
// "checksum" becomes the hash "yarn-checksum:<value>".
//
// Size limits, errors, diagnostics, Source and Hashes follow the
// conventions described on MaxLockfileBytes.
func ParseYarnLock(path string, data []byte) ([]model.Dependency, []model.Diagnostic, error) {
	data, err := checkLockSize("yarn.lock", data)
	if err != nil {
		return nil, nil, err
	}
	r := newLockResult(path)
	if isBerryLock(data) {
		err = parseBerryLock(r, data)
	} else {
		err = parseYarnClassic(r, data)
	}
	if err != nil {
		return nil, nil, err
	}
	deps, diags := r.finish()
	return deps, diags, nil
}

// isBerryLock reports whether a line "__metadata:" starts the file or
// follows a newline.
func isBerryLock(data []byte) bool {
	const meta = "__metadata:"
	for off := 0; off < len(data); {
		i := bytes.Index(data[off:], []byte(meta))
		if i < 0 {
			return false
		}
		at := off + i
		if at == 0 || data[at-1] == '\n' {
			return true
		}
		off = at + len(meta)
	}
	return false
}

// yarnBlock is one classic entry.
type yarnBlock struct {
	line                         int
	patterns                     []string
	version, resolved, integrity string
}

func parseYarnClassic(r *lockResult, data []byte) error {
	var (
		cur        *yarnBlock
		headers    int
		contentful int
		badIndent  bool
	)
	flush := func() {
		if cur != nil {
			yarnClassicBlock(r, cur)
			cur = nil
		}
	}
	lineNo := 0
	for off := 0; off < len(data); {
		end := bytes.IndexByte(data[off:], '\n')
		var raw []byte
		if end < 0 {
			raw, off = data[off:], len(data)
		} else {
			raw, off = data[off:off+end], off+end+1
		}
		lineNo++
		line := string(bytes.TrimRight(raw, "\r"))
		trimmed := strings.TrimLeft(line, " ")
		if strings.TrimSpace(trimmed) == "" || trimmed[0] == '#' {
			continue
		}
		contentful++
		indent := len(line) - len(trimmed)
		switch {
		case indent == 0:
			flush()
			head := strings.TrimRight(line, " \t")
			if !strings.HasSuffix(head, ":") {
				r.diag(lineNo, "expected an entry header ending in \":\", found %q; lines up to the next header ignored", truncate(line))
				continue
			}
			patterns, err := yarnKeys(head[:len(head)-1])
			if err != nil || len(patterns) == 0 {
				r.diag(lineNo, "unreadable entry header %q; lines up to the next header ignored", truncate(line))
				continue
			}
			headers++
			cur = &yarnBlock{line: lineNo, patterns: patterns}
		case cur == nil:
			// Body of a header already reported.
		case indent == 2:
			yarnClassicField(r, cur, trimmed, lineNo)
		case indent%2 == 1:
			if !badIndent {
				badIndent = true
				r.diag(lineNo, "odd indentation of %d spaces (yarn refuses such files)", indent)
			}
		default:
			// Nested maps (dependencies, optionalDependencies) are not needed.
		}
	}
	flush()
	if headers == 0 && contentful > 0 {
		return errors.New("yarn.lock has no entries in the yarn classic or Berry format")
	}
	return nil
}

// yarnKeys splits a classic header (without its final ':') into patterns:
// JSON-quoted or bare strings separated by commas.
func yarnKeys(s string) ([]string, error) {
	var out []string
	for i := 0; ; {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i >= len(s) {
			return nil, errors.New("missing pattern")
		}
		tok, n, err := yarnToken(s[i:], ",")
		if err != nil {
			return nil, err
		}
		out = append(out, tok)
		i += n
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i == len(s) {
			return out, nil
		}
		if s[i] != ',' {
			return nil, errors.New("expected a comma")
		}
		i++
	}
}

// yarnToken reads one JSON-quoted string, or a bare word ending at white
// space or one of stops, from the start of s; it returns the value and the
// bytes consumed.
func yarnToken(s, stops string) (string, int, error) {
	if s == "" {
		return "", 0, errors.New("missing value")
	}
	if s[0] == '"' {
		for i := 1; i < len(s); i++ {
			switch s[i] {
			case '\\':
				i++
			case '"':
				var v string
				if err := json.Unmarshal([]byte(s[:i+1]), &v); err != nil {
					return "", 0, err
				}
				return v, i + 1, nil
			}
		}
		return "", 0, errors.New("unterminated string")
	}
	i := 0
	for i < len(s) && s[i] != ' ' && s[i] != '\t' && strings.IndexByte(stops, s[i]) < 0 {
		i++
	}
	if i == 0 {
		return "", 0, errors.New("missing value")
	}
	return s[:i], i, nil
}

// yarnClassicField reads one "key value" or "key:" line of a block.
func yarnClassicField(r *lockResult, b *yarnBlock, s string, line int) {
	key, n, err := yarnToken(s, ":")
	if err != nil {
		r.diag(line, "unreadable line %q", truncate(s))
		return
	}
	rest := strings.TrimSpace(s[n:])
	if strings.HasPrefix(rest, ":") {
		return // start of a nested map
	}
	val, _, err := yarnToken(rest, "")
	if err != nil {
		r.diag(line, "unreadable value of %q", truncate(key))
		return
	}
	switch key {
	case "version":
		b.version = val
	case "resolved":
		b.resolved = val
	case "integrity":
		b.integrity = val
	}
}

// yarnPatternName returns the package a classic pattern or Berry
// descriptor installs, with the range or reference asked for: "a@^1" →
// "a", "^1"; "alias@npm:real@^1" → "real", "npm:^1"; "a@npm:^1" → "a",
// "npm:^1".
func yarnPatternName(p string) (name, spec string) {
	name, spec, _ = splitNameSpec(p)
	if rest, ok := strings.CutPrefix(spec, "npm:"); ok {
		if real, rng, ok := splitNameSpec(rest); ok && ValidName(real) {
			return real, "npm:" + rng
		}
		if _, err := ParseRange(rest); err != nil && ValidName(rest) {
			return rest, "npm:" // "alias@npm:real": latest of real
		}
	}
	return name, spec
}

func yarnClassicBlock(r *lockResult, b *yarnBlock) {
	name, _ := yarnPatternName(b.patterns[0])
	if !cleanName(r, name, b.line, "entry") {
		return
	}
	for _, p := range b.patterns[1:] {
		if other, _ := yarnPatternName(p); other != name {
			r.diag(b.line, "entry mixes patterns for %q and %q; read as %q", truncate(name), truncate(other), truncate(name))
			break
		}
	}
	d := model.Dependency{Name: name, Line: b.line}
	if !setVersion(r, &d, b.version, b.line) {
		return
	}
	// The "#<sha1>" or "#<commit>" fragment does not take part in the
	// registry check and stays in Source.
	src, foreign := classifyResolved(d.Name, d.Version, b.resolved)
	if foreign {
		r.diag(b.line, "%s resolves to %q, which is not its registry tarball", depLabel(d), src)
	}
	d.Source = src
	if b.resolved == "" {
		for _, p := range b.patterns {
			if _, spec := yarnPatternName(p); isNonRegistrySpec(spec) {
				d.Source = sourceSpec(spec)
				break
			}
		}
	}
	d.Hashes = integrityHashes(r, b.integrity, b.line, depLabel(d))
	if h := sha1FromFragment(b.resolved); h != "" && !slices.Contains(d.Hashes, h) && len(d.Hashes) < maxHashesPerEntry {
		d.Hashes = append(d.Hashes, h)
	}
	r.add(d)
}

// descriptorName returns the name before the range: "a" for
// "a@npm:b@^1".
func descriptorName(desc string) string {
	name, _, _ := splitNameSpec(desc)
	return name
}

// berryNoVersion is the version yarn Berry writes for workspaces, links
// and portals.
const berryNoVersion = "0.0.0-use.local"

func parseBerryLock(r *lockResult, data []byte) error {
	docs, more, err := yamlDocuments(data)
	if err != nil {
		return err
	}
	if more || len(docs) > 1 {
		r.diag(0, "yarn.lock holds several YAML documents; only the first is read")
	}
	if len(docs) == 0 {
		return errors.New("yarn.lock is empty")
	}
	root := yamlRoot(docs[0])
	if root == nil || root.Kind != yaml.MappingNode {
		return errors.New("yarn.lock (Berry format) is not a YAML mapping")
	}
	w := newYAMLWalker(r, len(data))
	entries := w.pairs(root)

	// Descriptors the workspaces depend on, with the npm: protocol
	// dropped: "a@^1.0.0".
	direct := map[string]bool{}
	for _, e := range entries {
		res, _ := yamlScalar(w.get(e.val, "resolution"))
		if _, ref, _ := splitNameSpec(res); !strings.HasPrefix(ref, "workspace:") {
			continue
		}
		for _, sec := range []string{"dependencies", "devDependencies", "optionalDependencies", "peerDependencies"} {
			for _, dep := range w.pairs(w.get(e.val, sec)) {
				rng, ok := yamlScalar(dep.val)
				if !ok || dep.key.Kind != yaml.ScalarNode {
					continue
				}
				direct[berryDescriptor(dep.key.Value+"@"+rng)] = true
			}
		}
	}

	for _, e := range entries {
		if e.key.Kind != yaml.ScalarNode {
			r.diag(yamlLine(e.key), "entry key is %s, not a string; skipped", yamlKind(e.key))
			continue
		}
		if e.key.Value == "__metadata" {
			berryMetadata(w, e.val)
			continue
		}
		berryBlock(w, e, direct)
	}
	if w.exhausted() {
		return errYAMLBudget
	}
	return nil
}

// berryDescriptor normalizes a descriptor for comparison: "a@npm:^1" and
// "a@^1" are the same.
func berryDescriptor(d string) string {
	name, rng, _ := splitNameSpec(strings.TrimSpace(d))
	return name + "@" + strings.TrimPrefix(rng, "npm:")
}

func berryMetadata(w *yamlWalker, m *yaml.Node) {
	v, ok := yamlScalar(w.get(m, "version"))
	if !ok {
		w.r.diag(yamlLine(m), "__metadata has no version")
		return
	}
	if n, err := strconv.Atoi(v); err != nil || n < 1 {
		w.r.diag(yamlLine(m), "__metadata version %q is not a positive integer", truncate(v))
	}
}

func berryBlock(w *yamlWalker, e yamlPair, direct map[string]bool) {
	r := w.r
	line := yamlLine(e.key)
	if v := yamlDeref(e.val); v == nil || v.Kind != yaml.MappingNode {
		r.diag(line, "entry %q is %s, not a mapping; skipped", truncate(e.key.Value), yamlKind(e.val))
		return
	}
	fields := w.pairs(e.val)
	var descriptors []string
	for _, d := range strings.Split(e.key.Value, ",") {
		if d = strings.TrimSpace(d); d != "" {
			descriptors = append(descriptors, d)
		}
	}
	if len(descriptors) == 0 {
		r.diag(line, "entry has an empty key; skipped")
		return
	}
	version, _ := yamlScalar(yamlLookup(fields, "version"))
	resolution, ok := yamlScalar(yamlLookup(fields, "resolution"))
	if !ok || resolution == "" {
		r.diag(line, "entry %q has no resolution; read from its key", truncate(e.key.Value))
		name, spec := yarnPatternName(descriptors[0])
		if proto, _, ok := strings.Cut(spec, ":"); !ok || proto == "npm" {
			spec = "npm:" + version
		}
		resolution = name + "@" + spec
	}
	name, ref, ok := splitNameSpec(resolution)
	if !ok {
		r.diag(line, "resolution %q is not name@reference; skipped", truncate(resolution))
		return
	}
	if !cleanName(r, name, line, "resolution") {
		return
	}
	matches := false
	for _, desc := range descriptors {
		if n, _ := yarnPatternName(desc); n == name || descriptorName(desc) == name {
			matches = true
			break
		}
	}
	if !matches {
		r.diag(line, "entry %q resolves to another package, %q", truncate(e.key.Value), truncate(name))
	}
	d := model.Dependency{Name: name, Line: line}
	for _, desc := range descriptors {
		if direct[berryDescriptor(desc)] {
			d.Direct = true
			break
		}
	}
	proto, body, hasProto := strings.Cut(ref, ":")
	switch {
	case !hasProto || proto == "npm":
		if !hasProto {
			body = ref
		}
		if !setVersion(r, &d, body, line) {
			return
		}
		if version != "" {
			if n, ok := exactVersion(version); !ok || n != d.Version {
				r.diag(line, "%s has version %q, which disagrees with its resolution", depLabel(d), truncate(version))
			}
		}
	case proto == "workspace" && (body == "." || body == "./"):
		return // the project itself
	default:
		d.Source = sourceSpec(ref)
		if version != "" && version != berryNoVersion {
			if !setVersion(r, &d, version, line) {
				return
			}
		}
	}
	if c, ok := yamlScalar(yamlLookup(fields, "checksum")); ok && c != "" {
		if printable(c) && len(c) <= 512 {
			d.Hashes = []string{"yarn-checksum:" + c}
		} else {
			r.diag(line, "%s has an unreadable checksum; ignored", depLabel(d))
		}
	}
	r.add(d)
}
