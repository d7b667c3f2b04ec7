package artifact

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/airlock-sec/airlock/internal/artifact/safeio"
	"github.com/airlock-sec/airlock/internal/model"
)

const (
	sniffBytes      = 8 << 10  // a NUL in these bytes makes a file binary
	binaryThreshold = 1 << 20  // binary files larger than this …
	binaryKeep      = 64 << 10 // … keep only this much
	maxDiagnostics  = 1000
	maxLinkTarget   = 1024
)

type entryKind int

const (
	kindFile entryKind = iota
	kindDir
	kindSymlink
	kindHardlink
	kindSpecial
)

// builder collects the entries of one artifact.
type builder struct {
	lim    Limits
	stream *safeio.Budget // unpacked bytes, entries and ratio
	mem    *safeio.Budget // bytes allocated for kept contents

	files     []*File
	seen      map[string]bool
	index     map[string]int  // path → position in files, for duplicates
	tops      map[string]bool // first path component of every entry
	rootEntry bool            // some non-directory entry sits at the top level

	diags      []model.Diagnostic
	suppressed int
	stopped    bool
}

func newBuilder(lim Limits, compressed int64) *builder {
	return &builder{
		lim: lim,
		stream: &safeio.Budget{
			MaxBytes:   lim.MaxTotalBytes,
			MaxFiles:   lim.MaxFiles,
			MaxRatio:   lim.MaxRatio,
			RatioFloor: safeio.DefaultRatioFloor,
			Compressed: compressed,
		},
		mem:   &safeio.Budget{MaxBytes: lim.MaxTotalBytes},
		seen:  make(map[string]bool),
		index: make(map[string]int),
		tops:  make(map[string]bool),
	}
}

func (b *builder) diag(name, msg string) {
	if len(b.diags) >= maxDiagnostics {
		b.suppressed++
		return
	}
	if name != "" {
		name = safeio.Display(name)
	}
	b.diags = append(b.diags, model.Diagnostic{Path: name, Message: msg})
}

// admit checks an entry's name and kind. It charges the entry, reports
// unsafe names and entries that are not regular files, and returns the
// clean path of a regular file to read. After a false return the caller
// must stop if b.stopped is set.
func (b *builder) admit(name string, kind entryKind, linkTarget string) (clean string, ok bool) {
	if err := b.stream.AddFile(); err != nil {
		b.stopBudget(name, err)
		return "", false
	}
	if kind == kindDir && safeio.IsRoot(name) {
		return "", false
	}
	fixed, replaced := safeio.ValidUTF8(name)
	clean, err := safeio.CleanPath(fixed)
	if err != nil {
		b.diag(name, fmt.Sprintf("unsafe entry name skipped: %v", err))
		return "", false
	}
	if replaced {
		b.diag(name, fmt.Sprintf("entry name is not valid UTF-8; kept as %q", safeio.Display(clean)))
	}
	if d := safeio.Depth(clean); d > b.lim.MaxDepth {
		b.diag(name, fmt.Sprintf("entry is %d directories deep, over the limit of %d; skipped", d, b.lim.MaxDepth))
		return "", false
	}
	top, _, nested := strings.Cut(clean, "/")
	b.tops[top] = true
	if !nested && kind != kindDir {
		b.rootEntry = true
	}
	switch kind {
	case kindDir:
		return "", false
	case kindSymlink:
		b.diag(name, fmt.Sprintf("symbolic link to %q not followed", safeio.Display(linkTarget)))
		return "", false
	case kindHardlink:
		b.diag(name, fmt.Sprintf("hard link to %q not followed", safeio.Display(linkTarget)))
		return "", false
	case kindSpecial:
		b.diag(name, fmt.Sprintf("special file (%s) skipped", linkTarget))
		return "", false
	}
	if b.seen[clean] {
		// pip (zipfile) and tar extraction keep the LAST copy, so that is
		// the one analyzed: a harmless first copy must not hide a payload
		b.diag(name, fmt.Sprintf("duplicate entry for %q: the later copy replaces the earlier one, as installers do", safeio.Display(clean)))
		return clean, true
	}
	b.seen[clean] = true
	return clean, true
}

// addFile reads a regular file's content from r and keeps it, even when
// reading fails part way (the error is returned for the caller to report).
func (b *builder) addFile(name, clean string, mode fs.FileMode, r io.Reader, declared int64) error {
	data, size, truncated, err := b.readContent(r, declared)
	b.put(&File{Path: clean, Size: size, Data: data, Truncated: truncated, Mode: mode.Perm()})
	if err == nil && size > b.lim.MaxFileBytes {
		b.diag(name, fmt.Sprintf("file is %d bytes, over the %d-byte limit; kept the first %d bytes", size, b.lim.MaxFileBytes, len(data)))
	}
	return err
}

// budgetErr returns the error of an exhausted budget, if any.
func (b *builder) budgetErr() error {
	if err := b.stream.Err(); err != nil {
		return err
	}
	if err := b.mem.Err(); err != nil {
		return err
	}
	return nil
}

// stopBudget stops after AddFile failed.
func (b *builder) stopBudget(name string, err error) {
	if errors.Is(err, safeio.ErrTooManyFiles) {
		b.stopped = true
		b.diag(name, fmt.Sprintf("too many entries (more than %d); stopped reading", b.lim.MaxFiles))
		return
	}
	b.stop(name, err)
}

// stop reports why reading stopped: an exhausted budget or, failing that,
// err (a damaged archive).
func (b *builder) stop(name string, err error) {
	b.stopped = true
	if berr := b.budgetErr(); berr != nil {
		msg := "stopped reading: " + berr.Error()
		if errors.Is(berr, safeio.ErrRatio) {
			msg += " (possible decompression bomb)"
		}
		b.diag(name, msg)
		return
	}
	b.diag(name, fmt.Sprintf("archive is truncated or corrupt: %v; stopped reading", err))
}

// readContent reads one file's content from r, of the size the container
// declared (-1 if unknown). The declared size only sizes the buffer; it is
// never trusted beyond the limits and the bytes actually read.
func (b *builder) readContent(r io.Reader, declared int64) (data []byte, size int64, truncated bool, err error) {
	keep := b.lim.MaxFileBytes
	charge := b.mem.Add
	alloc := func(n int64) ([]byte, error) {
		n = max(min(n, b.mem.Remaining()), 0)
		if err := charge(n); err != nil {
			return nil, err
		}
		return make([]byte, 0, n), nil
	}
	var buf []byte
	var eof bool
	if declared > binaryThreshold {
		// Look at the head first: a large binary keeps only its start.
		if buf, err = alloc(min(sniffBytes, keep)); err != nil {
			return nil, declared, true, err
		}
		buf, eof, err = safeio.AppendAtMost(buf, r, int64(cap(buf)), charge)
		if err != nil || eof {
			return b.finishContent(r, buf, declared, eof, err)
		}
		if isBinary(buf) && Sniff(buf) == "" {
			keep = min(keep, binaryKeep) // archives are kept whole: they may be packages too
		}
		if want := min(declared, keep); want > int64(cap(buf)) {
			nb, aerr := alloc(want)
			if aerr != nil {
				return buf, declared, true, aerr
			}
			buf = append(nb, buf...)
		}
	} else if buf, err = alloc(min(max(declared, 0), keep)); err != nil {
		return nil, max(declared, 0), declared > 0, err
	}
	buf, eof, err = safeio.AppendAtMost(buf, r, keep, charge)
	return b.finishContent(r, buf, declared, eof, err)
}

func (b *builder) finishContent(r io.Reader, buf []byte, declared int64, eof bool, err error) ([]byte, int64, bool, error) {
	if err != nil {
		size := max(declared, int64(len(buf)))
		return shrink(buf), size, int64(len(buf)) < size, err
	}
	size := int64(len(buf))
	truncated := false
	if !eof {
		// buf holds the limit; is there more?
		more, perr := safeio.Probe(r)
		if perr != nil {
			size = max(declared, size)
			return shrink(buf), size, int64(len(buf)) < size, perr
		}
		if more {
			truncated = true
			size = max(declared, size+1)
		}
	}
	if size > binaryThreshold && len(buf) > binaryKeep && isBinary(buf) && Sniff(buf) == "" {
		buf = bytes.Clone(buf[:binaryKeep])
		truncated = true
	}
	return shrink(buf), size, truncated, nil
}

// shrink drops a large unused tail of buf's capacity.
func shrink(buf []byte) []byte {
	if waste := cap(buf) - len(buf); waste > 4096 && waste > len(buf)/8 {
		return bytes.Clone(buf)
	}
	return buf
}

func isBinary(b []byte) bool {
	return bytes.IndexByte(b[:min(len(b), sniffBytes)], 0) >= 0
}

var wheelMarker = regexp.MustCompile(`^[^/]+\.dist-info/WHEEL$`)

// finish sorts the files, works out the kind, strips a single top-level
// directory from sdists and npm tarballs, and drops files whose path is also
// a directory.
func (b *builder) finish(defaultKind, format string) *Artifact {
	a := &Artifact{Kind: defaultKind, Format: format}
	sort.Slice(b.files, func(i, j int) bool { return b.files[i].Path < b.files[j].Path })
	a.Files = b.files
	if format != "dir" {
		b.classify(a)
	}
	b.dropConflicts(a)
	if b.suppressed > 0 {
		b.diags = append(b.diags, model.Diagnostic{Message: fmt.Sprintf("%d more diagnostics not shown", b.suppressed)})
	}
	a.Diagnostics = b.diags
	return a
}

func (b *builder) classify(a *Artifact) {
	if a.Format == "zip" {
		for _, f := range a.Files {
			if wheelMarker.MatchString(f.Path) {
				a.Kind = KindWheel
				return
			}
		}
	}
	if len(b.tops) != 1 || b.rootEntry {
		return
	}
	var top string
	for t := range b.tops {
		top = t
	}
	has := func(name string) bool { return a.Lookup(top+"/"+name) != nil }
	switch {
	case has("PKG-INFO"):
		a.Kind = KindSdist
	case a.Format != "zip" && has("package.json"):
		a.Kind = KindNPMTarball
	case has("setup.py"), has("pyproject.toml"):
		a.Kind = KindSdist
	default:
		return
	}
	a.Prefix = top
	for _, f := range a.Files {
		f.Path = f.Path[len(top)+1:]
	}
}

// dropConflicts removes files that sit below another file ("a" and "a/b"):
// such a set cannot be a file tree.
func (b *builder) dropConflicts(a *Artifact) {
	isFile := make(map[string]bool, len(a.Files))
	kept := a.Files[:0]
	for _, f := range a.Files {
		conflict := ""
		for dir := path.Dir(f.Path); dir != "."; dir = path.Dir(dir) {
			if isFile[dir] {
				conflict = dir
				break
			}
		}
		if conflict != "" {
			name := f.Path
			if a.Prefix != "" {
				name = a.Prefix + "/" + name
			}
			b.diag(name, fmt.Sprintf("entry lies below the file %q; skipped", conflict))
			continue
		}
		isFile[f.Path] = true
		kept = append(kept, f)
	}
	clear(a.Files[len(kept):])
	a.Files = kept
}

// put adds a file, replacing an earlier entry with the same path.
func (b *builder) put(f *File) {
	if i, ok := b.index[f.Path]; ok {
		b.files[i] = f
		return
	}
	b.index[f.Path] = len(b.files)
	b.files = append(b.files, f)
}
