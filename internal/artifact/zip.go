package artifact

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"

	"github.com/airlock-sec/airlock/internal/artifact/safeio"
)

// readZip reads a zip archive through its central directory, as pip and
// most zip tools do. Entries are independent: a damaged one is reported and
// the others are still read.
func (b *builder) readZip(r io.ReaderAt, size int64) {
	view, vsize, cut := limitZipEntries(r, size, b.lim.MaxFiles)
	zr, err := zip.NewReader(view, vsize)
	if err != nil && !(errors.Is(err, zip.ErrInsecurePath) && zr != nil) {
		b.diag("", fmt.Sprintf("zip archive is corrupt: %v", err))
		return
	}
	for _, f := range zr.File {
		if b.stopped {
			return
		}
		mode := f.Mode()
		kind, target := kindFile, ""
		switch {
		case mode.IsDir():
			kind = kindDir
		case mode&fs.ModeSymlink != 0:
			kind, target = kindSymlink, b.zipLinkTarget(f)
		case mode&fs.ModeNamedPipe != 0:
			kind, target = kindSpecial, "fifo"
		case mode&fs.ModeSocket != 0:
			kind, target = kindSpecial, "socket"
		case mode&fs.ModeDevice != 0:
			kind, target = kindSpecial, "device"
		}
		clean, ok := b.admit(f.Name, kind, target)
		if !ok {
			continue
		}
		if f.Flags&1 != 0 {
			b.diag(f.Name, "entry is encrypted; contents not read")
			b.put(&File{Path: clean, Size: clampSize(f.UncompressedSize64), Truncated: f.UncompressedSize64 > 0, Mode: mode.Perm()})
			continue
		}
		rc, err := f.Open()
		if err != nil {
			if errors.Is(err, zip.ErrAlgorithm) {
				b.diag(f.Name, fmt.Sprintf("entry uses unsupported compression method %d; contents not read", f.Method))
			} else {
				b.diag(f.Name, fmt.Sprintf("entry is corrupt: %v; contents not read", err))
			}
			b.put(&File{Path: clean, Size: clampSize(f.UncompressedSize64), Truncated: f.UncompressedSize64 > 0, Mode: mode.Perm()})
			continue
		}
		err = b.addFile(f.Name, clean, mode, b.stream.Reader(rc), clampSize(f.UncompressedSize64))
		rc.Close()
		switch {
		case err == nil:
		case b.budgetErr() != nil:
			b.stop(f.Name, err)
			return
		case errors.Is(err, zip.ErrChecksum):
			b.diag(f.Name, "entry fails its checksum; contents kept as read")
		default:
			b.diag(f.Name, fmt.Sprintf("entry is truncated or corrupt: %v; kept the bytes read", err))
		}
	}
	if cut && !b.stopped {
		b.diag("", fmt.Sprintf("too many entries (more than %d); the rest were not read", b.lim.MaxFiles))
	}
}

func clampSize(n uint64) int64 {
	if n > math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(n)
}

// zipLinkTarget returns the start of a symbolic link's target (its content).
func (b *builder) zipLinkTarget(f *zip.File) string {
	rc, err := f.Open()
	if err != nil {
		return "?"
	}
	defer rc.Close()
	data, _, _ := safeio.ReadAtMost(b.stream.Reader(rc), maxLinkTarget)
	return string(data)
}
