package pypi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/airlock-sec/airlock/internal/model"
)

// ParsePipfileLock reads a Pipfile.lock (JSON): one Dependency per entry of
// the "default" and "develop" sections (Dev for develop) and of any other
// section pipenv's package categories add, read like default. "_meta" is
// not a section. Line is the line of the entry's key.
//
// Version is the pin of `"version": "==1.2"` (or "===…"); another value
// (such as "*") leaves the entry Unpinned. Constraint is the version as
// written and, after "; ", the entry's markers. Hashes are the entry's
// hashes. Source is "<vcs>+<url>@<ref>" for git, hg, svn and bzr entries,
// the path for path entries, the URL for file entries, and the URL of the
// entry's index when _meta.sources names one that is not PyPI. Direct is
// not set: the lockfile does not say.
//
// A key that appears twice in a section counts once, with the last value,
// as in Python's json module, and is a diagnostic. Invalid JSON is an
// error: the file is damaged.
func ParsePipfileLock(p string, data []byte) ([]model.Dependency, []model.Diagnostic, error) {
	if err := checkLockSize("Pipfile.lock", data); err != nil {
		return nil, nil, err
	}
	var diags lockDiags
	lc := &lockLineCounter{data: data, line: 1}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	jsonErr := func(err error) error {
		off := dec.InputOffset()
		var se *json.SyntaxError
		if errors.As(err, &se) {
			off = se.Offset
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			off, err = int64(len(data)), io.ErrUnexpectedEOF
		}
		return fmt.Errorf("Pipfile.lock: invalid JSON at line %d: %w", (&lockLineCounter{data: data, line: 1}).at(off), err)
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, nil, jsonErr(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, nil, errors.New("Pipfile.lock: the document is not a JSON object")
	}
	type section struct {
		name string
		dev  bool
		deps []pipfileEntry
	}
	var sections []*section
	sourceURLs := map[string]string{}
	sawSection := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, jsonErr(err)
		}
		key, _ := tok.(string)
		keyLine := lc.at(dec.InputOffset())
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, nil, jsonErr(err)
		}
		if key == "_meta" {
			pipfileSources(raw, sourceURLs)
			continue
		}
		if !bytes.HasPrefix(raw, []byte("{")) {
			if key == "default" || key == "develop" {
				diags.add(p, keyLine, "section %s is not an object; ignored", lockQuote(key))
			}
			continue
		}
		// The decoder stands just after the value, which raw holds exactly.
		base := dec.InputOffset() - int64(len(raw))
		entries, err := pipfileSection(p, &diags, raw, base, lc)
		if err != nil {
			return nil, nil, jsonErr(err)
		}
		sawSection = sawSection || key == "default" || key == "develop"
		s := &section{name: key, dev: key == "develop", deps: entries}
		for i, o := range sections {
			if o.name == key {
				diags.add(p, keyLine, "section %s appears twice; the last one counts", lockQuote(key))
				sections = append(sections[:i], sections[i+1:]...)
				break
			}
		}
		sections = append(sections, s)
	}
	if _, err := dec.Token(); err != nil {
		return nil, nil, jsonErr(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			err = errors.New("data after the top-level object")
		}
		return nil, nil, jsonErr(err)
	}
	if !sawSection {
		diags.add(p, 0, "no \"default\" or \"develop\" section: not a Pipfile.lock, or an empty one")
	}
	var deps []model.Dependency
	for _, s := range sections {
		for _, e := range s.deps {
			e.dep.Dev = s.dev
			if e.dep.Source == "" && e.index != "" {
				if url, ok := sourceURLs[e.index]; ok && !isDefaultIndex(url) {
					e.dep.Source = url
				}
			}
			deps = append(deps, e.dep)
		}
	}
	return deps, diags.result(p), nil
}

type pipfileEntry struct {
	dep   model.Dependency
	index string // name of the entry's index in _meta.sources
}

// pipfileSection reads one section object, whose text starts at offset
// base of the file.
func pipfileSection(p string, diags *lockDiags, raw []byte, base int64, lc *lockLineCounter) ([]pipfileEntry, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil { // "{"
		return nil, err
	}
	var out []pipfileEntry
	at := map[string]int{} // name → index in out
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name, _ := tok.(string)
		line := lc.at(base + dec.InputOffset())
		var fields map[string]json.RawMessage
		if err := dec.Decode(&fields); err != nil || fields == nil {
			var te *json.UnmarshalTypeError
			if err != nil && !errors.As(err, &te) {
				return nil, err
			}
			diags.add(p, line, "the entry %s is not an object; skipped", lockQuote(name))
			continue
		}
		if name == "" {
			diags.add(p, line, "an entry with an empty name; skipped")
			continue
		}
		e := pipfileEntry{dep: model.Dependency{Ecosystem: model.PyPI, Name: name, Path: p, Line: line}}
		pipfileFields(p, diags, &e, fields)
		if i, ok := at[name]; ok {
			diags.add(p, line, "%s appears twice in its section; the last one counts", lockQuote(name))
			out[i] = e
			continue
		}
		at[name] = len(out)
		out = append(out, e)
	}
	return out, nil
}

// pipfileFields fills an entry from its fields.
func pipfileFields(p string, diags *lockDiags, e *pipfileEntry, fields map[string]json.RawMessage) {
	str := func(k string) string {
		raw, ok := fields[k]
		if !ok {
			return ""
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			diags.add(p, e.dep.Line, "%s of %s is not a string; ignored", lockQuote(k), lockQuote(e.dep.Name))
			return ""
		}
		return s
	}
	version := strings.TrimSpace(str("version"))
	switch {
	case strings.HasPrefix(version, "==="):
		e.dep.Version = strings.TrimSpace(version[3:])
	case strings.HasPrefix(version, "=="):
		if v := strings.TrimSpace(version[2:]); !strings.ContainsAny(v, ",*") {
			e.dep.Version = v
		}
	}
	e.dep.Constraint = joinConstraint(version, strings.TrimSpace(str("markers")))
	e.dep.Unpinned = e.dep.Version == ""
	if raw, ok := fields["hashes"]; ok {
		var hashes []string
		if err := json.Unmarshal(raw, &hashes); err != nil {
			diags.add(p, e.dep.Line, "the hashes of %s are not a list of strings; ignored", lockQuote(e.dep.Name))
		} else {
			for _, h := range hashes {
				if h != "" {
					e.dep.Hashes = append(e.dep.Hashes, h)
				}
			}
		}
	}
	for _, vcs := range []string{"git", "hg", "svn", "bzr"} {
		if url := str(vcs); url != "" {
			e.dep.Source = vcsSource(vcs, url, str("ref"))
			if sub := str("subdirectory"); sub != "" {
				e.dep.Source += "#subdirectory=" + sub
			}
			break
		}
	}
	if e.dep.Source == "" {
		if s := str("path"); s != "" {
			e.dep.Source = s
		} else if s := str("file"); s != "" {
			e.dep.Source = s
		}
	}
	e.index = str("index")
}

// pipfileSources reads _meta.sources (name → url), ignoring what does not
// fit.
func pipfileSources(raw []byte, out map[string]string) {
	var meta struct {
		Sources []json.RawMessage `json:"sources"`
	}
	if json.Unmarshal(raw, &meta) != nil {
		return
	}
	for _, s := range meta.Sources {
		var src struct {
			Name string `json:"name"`
			URL  string `json:"url"`
		}
		if json.Unmarshal(s, &src) == nil && src.Name != "" {
			out[src.Name] = src.URL
		}
	}
}

// lockLineCounter turns byte offsets into 1-based line numbers; offsets
// asked for in increasing order cost one pass over the data in all.
type lockLineCounter struct {
	data []byte
	pos  int64
	line int
}

func (c *lockLineCounter) at(off int64) int {
	if off < c.pos {
		c.pos, c.line = 0, 1
	}
	if off > int64(len(c.data)) {
		off = int64(len(c.data))
	}
	c.line += bytes.Count(c.data[c.pos:off], []byte("\n"))
	c.pos = off
	return c.line
}
