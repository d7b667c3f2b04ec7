package artifact

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"hash/crc64"
	"io"
	"slices"

	"github.com/ulikunitz/xz/lzma"
)

// The xz container is parsed here rather than by github.com/ulikunitz/xz's
// Reader because that reader allocates whatever dictionary a block header
// asks for (up to 4 GiB) before reading any data. This parser checks each
// block's dictionary against maxXZDict, sizes it to the block when the block
// declares its size, charges it to the memory budget, and only then hands
// the LZMA2 data to github.com/ulikunitz/xz/lzma.

// maxXZDict is the largest dictionary accepted; xz -9 and -9e use 64 MiB.
const maxXZDict = 64 << 20

var (
	xzMagic     = []byte{0xfd, '7', 'z', 'X', 'Z', 0}
	crc64Table  = crc64.MakeTable(crc64.ECMA)
	errXZFormat = errors.New("xz: invalid stream")
)

type xzReader struct {
	r      *bufio.Reader
	charge func(int64) error // asked before each dictionary allocation

	inStream  bool
	flags     [2]byte
	checkID   byte
	checkSize int

	block    io.Reader // LZMA2 data of the current block, nil between blocks
	cr       countingReader
	check    hash.Hash // nil when the check type is not verified
	hdrLen   int64
	hdrCSize int64 // sizes declared by the block header, -1 if absent
	hdrUSize int64
	usize    int64

	nrec    uint64    // blocks in the current stream
	records hash.Hash // digest of (unpadded, uncompressed) of those blocks

	err error
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// newXZReader reads the first stream header of r and returns a reader of
// the uncompressed data of all the streams in r.
func newXZReader(r *bufio.Reader, charge func(int64) error) (io.Reader, error) {
	x := &xzReader{r: r, charge: charge}
	if err := x.startStream(); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return x, nil
}

func (x *xzReader) Read(p []byte) (int, error) {
	if x.err != nil {
		return 0, x.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	for empty := 0; empty < 100; {
		if x.block == nil {
			if err := x.nextBlock(); err != nil {
				x.err = err
				return 0, err
			}
			continue
		}
		n, err := x.block.Read(p)
		x.usize += int64(n)
		if x.check != nil {
			x.check.Write(p[:n])
		}
		if x.hdrUSize >= 0 && x.usize > x.hdrUSize {
			err = fmt.Errorf("%w: block is larger than its header says", errXZFormat)
		}
		if err == io.EOF {
			err = x.endBlock()
		}
		if err != nil {
			x.err = err
			return n, err
		}
		if n > 0 {
			return n, nil
		}
		empty++
	}
	x.err = io.ErrNoProgress
	return 0, x.err
}

// startStream skips stream padding and reads a stream header. It returns
// io.EOF at the clean end of the input.
func (x *xzReader) startStream() error {
	for {
		b, err := x.r.Peek(4)
		if len(b) == 0 && err == io.EOF {
			return io.EOF
		}
		if len(b) < 4 {
			return fmt.Errorf("%w: %d stray bytes at the end", errXZFormat, len(b))
		}
		if !isZeroBlock(b) {
			break
		}
		x.r.Discard(4)
	}
	var h [12]byte
	if _, err := io.ReadFull(x.r, h[:]); err != nil {
		return unexpected(err)
	}
	if !bytes.Equal(h[:6], xzMagic) {
		return fmt.Errorf("%w: unexpected data after a stream", errXZFormat)
	}
	if h[6] != 0 || h[7]&0xf0 != 0 || crc32.ChecksumIEEE(h[6:8]) != binary.LittleEndian.Uint32(h[8:]) {
		return fmt.Errorf("%w: bad stream header", errXZFormat)
	}
	x.flags = [2]byte{h[6], h[7]}
	x.checkID = h[7] & 0x0f
	x.checkSize = xzCheckSize(x.checkID)
	x.inStream = true
	x.nrec = 0
	x.records = crc64.New(crc64Table)
	return nil
}

func xzCheckSize(id byte) int {
	switch {
	case id == 0:
		return 0
	case id <= 3:
		return 4
	case id <= 6:
		return 8
	case id <= 9:
		return 16
	case id <= 12:
		return 32
	}
	return 64
}

func (x *xzReader) newCheck() hash.Hash {
	switch x.checkID {
	case 1:
		return crc32.NewIEEE()
	case 4:
		return crc64.New(crc64Table)
	case 10:
		return sha256.New()
	}
	return nil
}

func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// nextBlock starts the next block, crossing index, footer and stream
// boundaries as needed. It returns io.EOF at the end of the input.
func (x *xzReader) nextBlock() error {
	for {
		if !x.inStream {
			if err := x.startStream(); err != nil {
				return err
			}
		}
		size, err := x.r.ReadByte()
		if err != nil {
			return unexpected(err)
		}
		if size == 0 {
			if err := x.readIndex(); err != nil {
				return err
			}
			x.inStream = false
			continue
		}
		return x.startBlock(size)
	}
}

func (x *xzReader) startBlock(size byte) error {
	hdrLen := (int(size) + 1) * 4
	hdr := make([]byte, hdrLen)
	hdr[0] = size
	if _, err := io.ReadFull(x.r, hdr[1:]); err != nil {
		return unexpected(err)
	}
	body := hdr[:hdrLen-4]
	if crc32.ChecksumIEEE(body) != binary.LittleEndian.Uint32(hdr[hdrLen-4:]) {
		return fmt.Errorf("%w: bad block header checksum", errXZFormat)
	}
	flags := body[1]
	if flags&0x3c != 0 {
		return fmt.Errorf("%w: unsupported block flags", errXZFormat)
	}
	p := body[2:]
	x.hdrCSize, x.hdrUSize = -1, -1
	var ok bool
	if flags&0x40 != 0 {
		if x.hdrCSize, p, ok = xzUvarint(p); !ok || x.hdrCSize == 0 {
			return fmt.Errorf("%w: bad block header", errXZFormat)
		}
	}
	if flags&0x80 != 0 {
		if x.hdrUSize, p, ok = xzUvarint(p); !ok {
			return fmt.Errorf("%w: bad block header", errXZFormat)
		}
	}
	if flags&3 != 0 {
		return fmt.Errorf("%w: filter chains other than LZMA2 alone are not supported", errXZFormat)
	}
	var id, propSize int64
	if id, p, ok = xzUvarint(p); !ok || id != 0x21 {
		return fmt.Errorf("%w: filter %#x is not supported (only LZMA2)", errXZFormat, id)
	}
	if propSize, p, ok = xzUvarint(p); !ok || propSize != 1 || len(p) < 1 {
		return fmt.Errorf("%w: bad LZMA2 properties", errXZFormat)
	}
	code := p[0]
	if !isZeroBlock(p[1:]) || code > 40 {
		return fmt.Errorf("%w: bad LZMA2 properties", errXZFormat)
	}
	dict := int64(0xffffffff)
	if code < 40 {
		dict = int64(2|code&1) << (code/2 + 11)
	}
	if dict > maxXZDict {
		return fmt.Errorf("xz: dictionary of %d bytes exceeds the %d-byte limit", dict, maxXZDict)
	}
	if x.hdrUSize >= 0 && x.hdrUSize < dict {
		dict = x.hdrUSize // a block never looks back past its start
	}
	dict = max(dict, lzma.MinDictCap)
	if x.charge != nil {
		if err := x.charge(dict); err != nil {
			return err
		}
	}
	x.cr = countingReader{r: x.r}
	rd, err := lzma.Reader2Config{DictCap: int(dict)}.NewReader2(&x.cr)
	if err != nil {
		return fmt.Errorf("xz: %w", err)
	}
	x.block = rd
	x.check = x.newCheck()
	x.hdrLen = int64(hdrLen)
	x.usize = 0
	return nil
}

// endBlock checks the sizes, the padding and the check of the block just
// read.
func (x *xzReader) endBlock() error {
	csize := x.cr.n
	if x.hdrCSize >= 0 && csize != x.hdrCSize || x.hdrUSize >= 0 && x.usize != x.hdrUSize {
		return fmt.Errorf("%w: block size differs from its header", errXZFormat)
	}
	var tail [3 + 64]byte
	pad := int((4 - csize%4) % 4)
	t := tail[:pad+x.checkSize]
	if _, err := io.ReadFull(x.r, t); err != nil {
		return unexpected(err)
	}
	if !isZeroBlock(t[:pad]) {
		return fmt.Errorf("%w: bad block padding", errXZFormat)
	}
	if x.check != nil && !bytes.Equal(checkSum(x.check), t[pad:]) {
		return fmt.Errorf("%w: block check mismatch (corrupt data)", errXZFormat)
	}
	x.addRecord(x.records, x.hdrLen+csize+int64(x.checkSize), x.usize)
	x.nrec++
	x.block = nil
	return nil
}

// checkSum returns h's sum as xz stores it: CRCs little-endian.
func checkSum(h hash.Hash) []byte {
	sum := h.Sum(nil)
	switch h.Size() {
	case 4, 8:
		slices.Reverse(sum)
	}
	return sum
}

func (x *xzReader) addRecord(h hash.Hash, unpadded, usize int64) {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:], uint64(unpadded))
	binary.LittleEndian.PutUint64(b[8:], uint64(usize))
	h.Write(b[:])
}

// readIndex reads the index (its indicator byte already read) and the
// stream footer, and checks them against the blocks read.
func (x *xzReader) readIndex() error {
	crc := crc32.NewIEEE()
	crc.Write([]byte{0})
	br := &hashingByteReader{r: x.r, h: crc, n: 1}
	count, err := readUvarintFrom(br)
	if err != nil {
		return err
	}
	if uint64(count) != x.nrec {
		return fmt.Errorf("%w: index lists %d blocks, stream has %d", errXZFormat, count, x.nrec)
	}
	got := crc64.New(crc64Table)
	for i := int64(0); i < count; i++ {
		unpadded, err := readUvarintFrom(br)
		if err != nil {
			return err
		}
		usize, err := readUvarintFrom(br)
		if err != nil {
			return err
		}
		x.addRecord(got, unpadded, usize)
	}
	if !bytes.Equal(got.Sum(nil), x.records.Sum(nil)) {
		return fmt.Errorf("%w: index does not match the blocks", errXZFormat)
	}
	for br.n%4 != 0 {
		c, err := br.ReadByte()
		if err != nil {
			return err
		}
		if c != 0 {
			return fmt.Errorf("%w: bad index padding", errXZFormat)
		}
	}
	indexSize := br.n + 4
	var t [4 + 12]byte
	if _, err := io.ReadFull(x.r, t[:]); err != nil {
		return unexpected(err)
	}
	le := binary.LittleEndian
	f := t[4:]
	switch {
	case le.Uint32(t[:]) != crc.Sum32():
		return fmt.Errorf("%w: index checksum mismatch", errXZFormat)
	case crc32.ChecksumIEEE(f[4:10]) != le.Uint32(f),
		(int64(le.Uint32(f[4:]))+1)*4 != indexSize,
		f[8] != x.flags[0] || f[9] != x.flags[1],
		f[10] != 'Y' || f[11] != 'Z':
		return fmt.Errorf("%w: bad stream footer", errXZFormat)
	}
	return nil
}

type hashingByteReader struct {
	r *bufio.Reader
	h hash.Hash32
	n int64
}

func (b *hashingByteReader) ReadByte() (byte, error) {
	c, err := b.r.ReadByte()
	if err != nil {
		return 0, unexpected(err)
	}
	b.h.Write([]byte{c})
	b.n++
	return c, nil
}

func readUvarintFrom(br *hashingByteReader) (int64, error) {
	var v uint64
	for i := 0; i < 9; i++ {
		c, err := br.ReadByte()
		if err != nil {
			return 0, err
		}
		v |= uint64(c&0x7f) << (7 * i)
		if c&0x80 == 0 {
			if v > 1<<63-1 {
				break
			}
			return int64(v), nil
		}
	}
	return 0, fmt.Errorf("%w: bad number in index", errXZFormat)
}

func xzUvarint(p []byte) (int64, []byte, bool) {
	var v uint64
	for i := 0; i < 9 && i < len(p); i++ {
		c := p[i]
		v |= uint64(c&0x7f) << (7 * i)
		if c&0x80 == 0 {
			if v > 1<<63-1 {
				return 0, p, false
			}
			return int64(v), p[i+1:], true
		}
	}
	return 0, p, false
}
