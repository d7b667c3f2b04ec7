package artifact

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
)

const streamBuffer = 64 << 10

var tarFormats = map[string]string{"tar": "tar", "gzip": "tar.gz", "bzip2": "tar.bz2", "xz": "tar.xz"}

// readTarFile reads a tar archive, possibly compressed (format is the
// sniffed container: "tar", "gzip", "bzip2" or "xz").
func (b *builder) readTarFile(r io.ReaderAt, size int64, format string) (*Artifact, error) {
	tarFormat := tarFormats[format]
	in := bufio.NewReaderSize(io.NewSectionReader(r, 0, size), streamBuffer)
	var dec io.Reader
	var err error
	switch format {
	case "gzip":
		var zr *gzip.Reader
		if zr, err = gzip.NewReader(in); err == nil {
			dec = zr // multistream: concatenated members are one stream
		}
	case "bzip2":
		dec = bzip2.NewReader(in)
	case "xz":
		dec, err = newXZReader(in, b.mem.Add)
	default:
		dec = in
	}
	if err != nil {
		b.diag("", fmt.Sprintf("%s stream is corrupt: %v", format, err))
		return b.finish(KindTar, tarFormat), nil
	}
	stream := bufio.NewReaderSize(dec, streamBuffer)
	if format != "tar" {
		head, err := stream.Peek(512)
		switch {
		case len(head) == 512 && (isTarHeader(head) || isZeroBlock(head)):
		case err != nil && err != io.EOF:
			b.stop("", err)
			return b.finish(KindTar, tarFormat), nil
		default:
			return nil, fmt.Errorf("%w: the %s stream does not hold a tar archive", ErrNotArchive, format)
		}
	}
	if end, ok := findZipEnd(r, size); ok && end.cdValid {
		b.diag("", fmt.Sprintf("file is both a %s and a zip archive (polyglot); only the %s content was read, but zip tools such as pip would read the zip", tarFormat, tarFormat))
	}
	// Bytes are charged as the tar reader consumes them.
	b.readTar(b.stream.Reader(stream))
	return b.finish(KindTar, tarFormat), nil
}

func isZeroBlock(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// readTar reads entries from a tar stream whose bytes are already charged
// to the budget.
func (b *builder) readTar(stream io.Reader) {
	tr := tar.NewReader(stream)
	for !b.stopped {
		hdr, err := tr.Next()
		if err == io.EOF {
			b.checkTrailer(stream)
			return
		}
		if err != nil && !(errors.Is(err, tar.ErrInsecurePath) && hdr != nil) {
			b.stop("", err)
			return
		}
		kind, target := kindFile, hdr.Linkname
		switch hdr.Typeflag {
		case tar.TypeXGlobalHeader:
			continue // pax metadata for the whole archive, not an entry
		case tar.TypeReg, tar.TypeGNUSparse, tar.TypeCont:
		case tar.TypeDir:
			kind = kindDir
		case tar.TypeSymlink:
			kind = kindSymlink
		case tar.TypeLink:
			kind = kindHardlink
		case tar.TypeChar:
			kind, target = kindSpecial, "character device"
		case tar.TypeBlock:
			kind, target = kindSpecial, "block device"
		case tar.TypeFifo:
			kind, target = kindSpecial, "fifo"
		default:
			// Python's tarfile extracts unknown types as regular files;
			// so do we, lest they hide code.
			b.diag(hdr.Name, fmt.Sprintf("entry type %s is unknown; read as a regular file", strconv.QuoteRune(rune(hdr.Typeflag))))
		}
		clean, ok := b.admit(hdr.Name, kind, target)
		if !ok {
			if b.stopped {
				return
			}
			continue
		}
		if err := b.addFile(hdr.Name, clean, fs.FileMode(hdr.Mode&0o777), tr, hdr.Size); err != nil {
			b.stop(hdr.Name, err)
			return
		}
	}
}

// checkTrailer reads what follows the end of the tar archive: zero
// padding, normally. Other data is reported; it is not read as entries.
func (b *builder) checkTrailer(stream io.Reader) {
	buf := make([]byte, 32<<10)
	var total, nonzero int64
	for {
		n, err := stream.Read(buf)
		total += int64(n)
		if n > 0 && !isZeroBlock(buf[:n]) {
			nonzero += int64(n - bytes.Count(buf[:n], []byte{0}))
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			if b.budgetErr() != nil {
				b.stop("", err)
			} else {
				b.diag("", fmt.Sprintf("compressed stream is corrupt after the end of the tar archive: %v", err))
			}
			return
		}
	}
	if nonzero > 0 {
		b.diag("", fmt.Sprintf("%d bytes of data after the end of the tar archive were not read", total))
	}
}
