package artifact

import (
	"bufio"
	"encoding/binary"
	"io"
	"math"
)

// archive/zip reads every central directory record into memory, however
// many the end record declares (it even reads past the declared count). A
// hostile zip could thus cost far more memory than its size. limitZipEntries
// finds the central directory the way archive/zip does and, when it holds
// more than max records, returns a view of the archive that ends after the
// first max records with a fresh end record.

const (
	eocdLen     = 22
	eocd64Len   = 56
	eocd64LocSz = 20
	cdHeaderLen = 46
	sigCD       = 0x02014b50
	sigEOCD     = 0x06054b50
	sigEOCD64   = 0x06064b50
	sigEOCD64L  = 0x07064b50
)

type zipEnd struct {
	records   uint64
	dirSize   uint64
	dirOffset uint64
	base      int64 // bytes before the zip proper
	cdStart   int64 // absolute offset of the central directory
	cdValid   bool  // a central directory record starts at cdStart
}

// findZipEnd locates and parses the end of central directory record,
// following archive/zip's rules.
func findZipEnd(r io.ReaderAt, size int64) (zipEnd, bool) {
	var e zipEnd
	var buf []byte
	var endOff int64
	found := false
	for i, bLen := range []int64{1024, 65 * 1024} {
		bLen = min(bLen, size)
		buf = make([]byte, bLen)
		if n, err := r.ReadAt(buf, size-bLen); err != nil && !(err == io.EOF && int64(n) == bLen) {
			return e, false
		}
		if p := findEOCD(buf); p >= 0 {
			buf = buf[p:]
			endOff = size - bLen + int64(p)
			found = true
			break
		}
		if i == 1 || bLen == size {
			return e, false
		}
	}
	if !found || len(buf) < eocdLen {
		return e, false
	}
	le := binary.LittleEndian
	e.records = uint64(le.Uint16(buf[10:]))
	e.dirSize = uint64(le.Uint32(buf[12:]))
	e.dirOffset = uint64(le.Uint32(buf[16:]))
	if e.records == 0xffff || e.dirSize == 0xffff || e.dirOffset == 0xffffffff {
		if p, ok := findEOCD64(r, endOff); ok {
			b := make([]byte, eocd64Len)
			if _, err := r.ReadAt(b, p); err != nil || le.Uint32(b) != sigEOCD64 {
				return e, false
			}
			endOff = p
			e.records = le.Uint64(b[32:])
			e.dirSize = le.Uint64(b[40:])
			e.dirOffset = le.Uint64(b[48:])
		}
	}
	if e.dirSize > math.MaxInt64 || e.dirOffset > math.MaxInt64 {
		return e, false
	}
	e.base = endOff - int64(e.dirSize) - int64(e.dirOffset)
	if o := e.base + int64(e.dirOffset); o < 0 || o >= size {
		return e, false
	}
	if e.base > 0 && cdRecordAt(r, int64(e.dirOffset)) {
		e.base = 0
	}
	e.cdStart = e.base + int64(e.dirOffset)
	e.cdValid = cdRecordAt(r, e.cdStart)
	return e, true
}

func findEOCD(b []byte) int {
	for i := len(b) - eocdLen; i >= 0; i-- {
		if b[i] == 'P' && b[i+1] == 'K' && b[i+2] == 5 && b[i+3] == 6 {
			n := int(b[i+eocdLen-2]) | int(b[i+eocdLen-1])<<8
			if n+eocdLen+i > len(b) {
				return -1
			}
			return i
		}
	}
	return -1
}

func findEOCD64(r io.ReaderAt, endOff int64) (int64, bool) {
	loc := endOff - eocd64LocSz
	if loc < 0 {
		return 0, false
	}
	b := make([]byte, eocd64LocSz)
	if _, err := r.ReadAt(b, loc); err != nil {
		return 0, false
	}
	le := binary.LittleEndian
	if le.Uint32(b) != sigEOCD64L || le.Uint32(b[4:]) != 0 || le.Uint32(b[16:]) != 1 {
		return 0, false
	}
	p := le.Uint64(b[8:])
	if p > math.MaxInt64 {
		return 0, false
	}
	return int64(p), true
}

func cdRecordAt(r io.ReaderAt, off int64) bool {
	if off < 0 {
		return false
	}
	var b [4]byte
	if _, err := r.ReadAt(b[:], off); err != nil {
		return false
	}
	return binary.LittleEndian.Uint32(b[:]) == sigCD
}

// limitZipEntries returns r unchanged, or a view holding only the first max
// central directory records (cut is true then).
func limitZipEntries(r io.ReaderAt, size int64, max int) (view io.ReaderAt, vsize int64, cut bool) {
	e, ok := findZipEnd(r, size)
	if !ok || !e.cdValid || size-e.cdStart <= int64(max+1)*cdHeaderLen {
		return r, size, false // too small to hold more than max records
	}
	if uint16(max) == 0xffff {
		max-- // a count of 0xffff would send archive/zip looking for zip64 records
	}
	br := bufio.NewReaderSize(io.NewSectionReader(r, e.cdStart, size-e.cdStart), 64<<10)
	var hdr [cdHeaderLen]byte
	off := e.cdStart
	le := binary.LittleEndian
	for i := 0; i < max; i++ {
		if _, err := io.ReadFull(br, hdr[:]); err != nil || le.Uint32(hdr[:]) != sigCD {
			return r, size, false
		}
		skip := int64(le.Uint16(hdr[28:])) + int64(le.Uint16(hdr[30:])) + int64(le.Uint16(hdr[32:]))
		if _, err := br.Discard(int(skip)); err != nil {
			return r, size, false
		}
		off += cdHeaderLen + skip
	}
	sig, err := br.Peek(4)
	if err != nil || le.Uint32(sig) != sigCD {
		return r, size, false
	}
	// Records [cdStart, off) are kept; a new end record follows them.
	dirSize := off - e.cdStart
	if dirSize >= 0xffffffff || int64(e.dirOffset) >= 0xffffffff {
		return r, size, false // would need a zip64 end record; not worth it
	}
	tail := make([]byte, eocdLen)
	le.PutUint32(tail, sigEOCD)
	count := uint16(max) // archive/zip compares the count modulo 65536
	le.PutUint16(tail[8:], count)
	le.PutUint16(tail[10:], count)
	le.PutUint32(tail[12:], uint32(dirSize))
	le.PutUint32(tail[16:], uint32(e.dirOffset))
	return &concatReaderAt{r: r, n: off, tail: tail}, off + eocdLen, true
}

// concatReaderAt reads r's first n bytes followed by tail.
type concatReaderAt struct {
	r    io.ReaderAt
	n    int64
	tail []byte
}

func (c *concatReaderAt) ReadAt(p []byte, off int64) (int, error) {
	total := 0
	if off < c.n {
		k := int(min(int64(len(p)), c.n-off))
		n, err := c.r.ReadAt(p[:k], off)
		total += n
		if err != nil && !(err == io.EOF && n == k) {
			return total, err
		}
		p, off = p[k:], off+int64(k)
	}
	if len(p) == 0 {
		return total, nil
	}
	t := off - c.n
	if t >= int64(len(c.tail)) {
		return total, io.EOF
	}
	n := copy(p, c.tail[t:])
	total += n
	if n < len(p) {
		return total, io.EOF
	}
	return total, nil
}
