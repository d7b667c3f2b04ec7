package npm

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"gopkg.in/yaml.v3"
)

// YAML lockfiles (pnpm-lock.yaml, yarn Berry's yarn.lock) are decoded into
// yaml.v3 Nodes, which carry line numbers. yaml.v3 refuses nesting deeper
// than 10000 and does not expand aliases when decoding into Nodes; the
// walker below follows aliases and "<<" merge keys itself (pnpm and yarn
// read YAML with js-yaml, which honors both, so ignoring them would let a
// file hide entries), charging every mapping pair it visits to a budget
// proportional to the input so that aliases cannot multiply the work.

// maxYAMLDocuments bounds the documents read from one file.
const maxYAMLDocuments = 8

// yamlDocuments decodes up to maxYAMLDocuments documents. more is set when
// documents were left unread.
func yamlDocuments(data []byte) (docs []*yaml.Node, more bool, err error) {
	defer func() {
		if rec := recover(); rec != nil {
			docs, more, err = nil, false, fmt.Errorf("invalid YAML: parser failed: %v", rec)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return docs, false, nil
		}
		if err != nil {
			return nil, false, fmt.Errorf("invalid YAML: %w", err)
		}
		if len(docs) == maxYAMLDocuments {
			return docs, true, nil
		}
		docs = append(docs, &n)
	}
}

var errYAMLBudget = errors.New("reading this YAML would take too much work for its size (aliases, merge keys or a dependency graph out of proportion); refusing the file")

type yamlWalker struct {
	budget int
	r      *lockResult
	merges int // merge keys seen
}

func newYAMLWalker(r *lockResult, size int) *yamlWalker {
	return &yamlWalker{budget: 8*size + 1<<20, r: r}
}

// exhausted reports whether the budget ran out.
func (w *yamlWalker) exhausted() bool { return w.budget < 0 }

// yamlPair is one mapping entry; merged is set for entries brought in by a
// "<<" merge key.
type yamlPair struct {
	key, val *yaml.Node
	merged   bool
}

// deref follows aliases.
func yamlDeref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode; i++ {
		if i == 16 {
			return nil
		}
		n = n.Alias
	}
	return n
}

// root returns the top node of a document node.
func yamlRoot(doc *yaml.Node) *yaml.Node {
	if doc == nil || doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil
	}
	return yamlDeref(doc.Content[0])
}

// pairs lists the entries of mapping m (nil unless m is a mapping),
// merged-in entries included.
func (w *yamlWalker) pairs(m *yaml.Node) []yamlPair {
	return w.appendPairs(nil, m, 0, false)
}

func (w *yamlWalker) appendPairs(out []yamlPair, m *yaml.Node, depth int, merged bool) []yamlPair {
	m = yamlDeref(m)
	if m == nil || m.Kind != yaml.MappingNode || depth > 8 {
		return out
	}
	w.budget -= len(m.Content)/2 + 1
	if w.exhausted() {
		return out
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Value == "<<" && k.ShortTag() == "!!merge" {
			w.merges++
			if w.merges == 1 && w.r != nil {
				w.r.diag(k.Line, "YAML merge key \"<<\" (package managers do not write these); merged entries are read too")
			}
			mv := yamlDeref(v)
			if mv != nil && mv.Kind == yaml.SequenceNode {
				for _, item := range mv.Content {
					out = w.appendPairs(out, item, depth+1, true)
				}
			} else {
				out = w.appendPairs(out, mv, depth+1, true)
			}
			continue
		}
		out = append(out, yamlPair{key: k, val: v, merged: merged})
	}
	return out
}

// get returns the value of key in mapping m: the last explicit entry, else
// the last merged one; nil when absent.
func (w *yamlWalker) get(m *yaml.Node, key string) *yaml.Node {
	return yamlLookup(w.pairs(m), key)
}

func yamlLookup(ps []yamlPair, key string) *yaml.Node {
	var found, foundMerged *yaml.Node
	for _, p := range ps {
		if p.key.Kind != yaml.ScalarNode || p.key.Value != key {
			continue
		}
		if p.merged {
			foundMerged = p.val
		} else {
			found = p.val
		}
	}
	if found == nil {
		found = foundMerged
	}
	return yamlDeref(found)
}

// yamlScalar returns the text of a scalar that is not null.
func yamlScalar(n *yaml.Node) (string, bool) {
	n = yamlDeref(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.ShortTag() == "!!null" {
		return "", false
	}
	return n.Value, true
}

// yamlKind names the kind of a node for diagnostics.
func yamlKind(n *yaml.Node) string {
	n = yamlDeref(n)
	switch {
	case n == nil:
		return "nothing"
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a sequence"
	case n.ShortTag() == "!!null":
		return "null"
	}
	return "a scalar"
}

// yamlTrue reports whether n is the boolean true.
func yamlTrue(n *yaml.Node) bool {
	n = yamlDeref(n)
	return n != nil && n.Kind == yaml.ScalarNode && n.ShortTag() == "!!bool" && (n.Value == "true" || n.Value == "True" || n.Value == "TRUE")
}

// yamlLine returns the line of n, at least 1.
func yamlLine(n *yaml.Node) int {
	if n == nil || n.Line < 1 {
		return 1
	}
	return n.Line
}
