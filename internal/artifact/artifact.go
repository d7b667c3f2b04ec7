// Package artifact turns a package artifact (wheel, sdist, npm tarball, any
// zip or tar, or a directory) into an in-memory, read-only set of files.
//
// Every input is treated as hostile. Sizes, counts, depths and compression
// ratios are bounded by Limits; unsafe entries (path traversal, absolute
// paths, links, devices, duplicates …) are skipped and reported as
// diagnostics, and a damaged archive yields what could be read plus a
// diagnostic. Nothing is ever written to disk and nested archives are kept as
// plain files.
package artifact

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"

	"github.com/airlock-sec/airlock/internal/model"
)

// Limits bounds what one artifact may cost. A zero or negative field takes
// its default (see DefaultLimits).
type Limits struct {
	MaxInputBytes int64 // size of the archive file itself (default 512 MiB)
	MaxTotalBytes int64 // sum of unpacked bytes read (default 1 GiB)
	MaxFileBytes  int64 // bytes of one file kept in memory (default 32 MiB); larger files are kept truncated
	MaxFiles      int   // entries (default 100000)
	MaxDepth      int   // path components (default 64)
	// MaxRatio is the total unpacked / compressed ratio past which the input
	// is treated as a decompression bomb (default 250). It is only enforced
	// once the unpacked total exceeds 64 MiB, so small, highly compressible
	// text is fine.
	MaxRatio int64
}

// DefaultLimits returns the default limits.
func DefaultLimits() Limits {
	return Limits{
		MaxInputBytes: 512 << 20,
		MaxTotalBytes: 1 << 30,
		MaxFileBytes:  32 << 20,
		MaxFiles:      100000,
		MaxDepth:      64,
		MaxRatio:      250,
	}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxInputBytes <= 0 {
		l.MaxInputBytes = d.MaxInputBytes
	}
	if l.MaxTotalBytes <= 0 {
		l.MaxTotalBytes = d.MaxTotalBytes
	}
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = d.MaxFileBytes
	}
	if l.MaxFiles <= 0 {
		l.MaxFiles = d.MaxFiles
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = d.MaxRatio
	}
	return l
}

// File is one regular file of an artifact.
type File struct {
	Path string // cleaned, slash-separated, relative to the package root
	Size int64  // real size (as far as read / declared)
	// Data holds the contents, at most MaxFileBytes. Binary files (a NUL
	// byte in the first 8 KiB) larger than 1 MiB keep only their first
	// 64 KiB.
	Data      []byte
	Truncated bool        // Data shorter than Size
	Mode      fs.FileMode // permission bits (exec bit matters)
}

// Artifact is the read-only content of one package artifact.
type Artifact struct {
	Kind   string // "wheel", "sdist", "npm-tarball", "zip", "tar", "directory"
	Format string // container format: "zip", "tar", "tar.gz", "tar.bz2", "tar.xz", "dir"
	// Prefix is the single top-level directory stripped from all paths
	// ("pkg-1.0" for sdists, "package" for npm tarballs); "" if none.
	Prefix string
	Files  []*File // sorted by Path, no duplicates
	// Diagnostics report skipped entries, limits hit and damage. Path is
	// the entry name as found in the archive; Target is left empty.
	Diagnostics []model.Diagnostic
}

// Kinds and formats.
const (
	KindWheel      = "wheel"
	KindSdist      = "sdist"
	KindNPMTarball = "npm-tarball"
	KindZip        = "zip"
	KindTar        = "tar"
	KindDirectory  = "directory"
)

var (
	// ErrNotArchive is returned for a regular file that is not a
	// recognized archive.
	ErrNotArchive = errors.New("not a recognized archive (expected zip, tar, tar.gz, tar.bz2 or tar.xz)")
	// ErrTooLarge is returned for an input over Limits.MaxInputBytes.
	ErrTooLarge = errors.New("artifact exceeds the input size limit")
)

// Lookup returns the file with exactly this path, or nil.
func (a *Artifact) Lookup(path string) *File {
	i := sort.Search(len(a.Files), func(i int) bool { return a.Files[i].Path >= path })
	if i < len(a.Files) && a.Files[i].Path == path {
		return a.Files[i]
	}
	return nil
}

// TotalBytes returns the number of content bytes held in memory (the sum of
// len(Data)).
func (a *Artifact) TotalBytes() int64 {
	var n int64
	for _, f := range a.Files {
		n += int64(len(f.Data))
	}
	return n
}

// Open reads the artifact at path: a directory (see OpenDir) or an archive
// file, whose format is recognized by its content, never by its name.
func Open(path string, lim Limits) (*Artifact, error) {
	lim = lim.withDefaults()
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("open artifact: %w", err)
	}
	if fi.IsDir() {
		return OpenDir(path, lim)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("open artifact %q: not a regular file or directory", path)
	}
	if fi.Size() > lim.MaxInputBytes {
		return nil, fmt.Errorf("open artifact %q: %w (%d bytes, limit %d); raise the limit to scan it", path, ErrTooLarge, fi.Size(), lim.MaxInputBytes)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open artifact: %w", err)
	}
	defer f.Close()
	a, err := Read(f, fi.Size(), lim)
	if err != nil {
		return nil, fmt.Errorf("open artifact %q: %w", path, err)
	}
	return a, nil
}

// Read reads an archive of the given size from r. The format is recognized
// from the content (see Sniff); a zip preceded by other data is recognized
// by its central directory. It returns ErrNotArchive when the content is no
// supported archive. Damage inside a recognized archive is not an error: the
// artifact holds what could be read and a diagnostic.
func Read(r io.ReaderAt, size int64, lim Limits) (*Artifact, error) {
	lim = lim.withDefaults()
	if size < 0 {
		return nil, fmt.Errorf("read artifact: negative size %d", size)
	}
	if size > lim.MaxInputBytes {
		return nil, fmt.Errorf("read artifact: %w (%d bytes, limit %d)", ErrTooLarge, size, lim.MaxInputBytes)
	}
	head := make([]byte, min(size, 512))
	n, err := r.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("read artifact: %w", err)
	}
	head = head[:n]
	b := newBuilder(lim, size)
	switch format := Sniff(head); format {
	case "zip":
		b.readZip(r, size)
		return b.finish(KindZip, "zip"), nil
	case "gzip", "bzip2", "xz", "tar":
		return b.readTarFile(r, size, format)
	default:
		if end, ok := findZipEnd(r, size); ok && end.cdValid {
			b.diag("", fmt.Sprintf("zip archive is preceded by %d bytes of other data", end.base))
			b.readZip(r, size)
			return b.finish(KindZip, "zip"), nil
		}
		return nil, ErrNotArchive
	}
}

// Sniff names the container format from the first bytes of a file (512
// bytes are enough): "zip", "gzip", "bzip2", "xz", "tar" or "".
func Sniff(head []byte) string {
	switch {
	case len(head) >= 4 && head[0] == 'P' && head[1] == 'K' &&
		(head[2] == 3 && head[3] == 4 || head[2] == 5 && head[3] == 6 || head[2] == 7 && head[3] == 8):
		return "zip"
	case len(head) >= 3 && head[0] == 0x1f && head[1] == 0x8b && head[2] == 8:
		return "gzip"
	case len(head) >= 4 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h' && '1' <= head[3] && head[3] <= '9':
		return "bzip2"
	case len(head) >= 6 && string(head[:6]) == "\xfd7zXZ\x00":
		return "xz"
	case isTarHeader(head):
		return "tar"
	}
	return ""
}

// isTarHeader reports whether b starts with a tar header block: one with
// the ustar magic, or an old-style (v7) header with a valid checksum.
func isTarHeader(b []byte) bool {
	if len(b) < 512 {
		return false
	}
	if string(b[257:262]) == "ustar" {
		return true
	}
	if b[0] == 0 {
		return false
	}
	field := b[148:156]
	var want int64
	digits := 0
scan:
	for _, c := range field {
		switch {
		case c >= '0' && c <= '7':
			want = want*8 + int64(c-'0')
			digits++
		case c == ' ' || c == 0:
			if digits > 0 {
				break scan
			}
		default:
			return false
		}
	}
	if digits == 0 {
		return false
	}
	var unsigned, signed int64
	for i, c := range b[:512] {
		if i >= 148 && i < 156 {
			c = ' '
		}
		unsigned += int64(c)
		signed += int64(int8(c))
	}
	return want == unsigned || want == signed
}
