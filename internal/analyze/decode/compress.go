package decode

import (
	"bytes"
	"compress/bzip2"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"sync"

	"github.com/ulikunitz/xz/lzma"
)

// Decompress recognises a compressed stream by its magic and decompresses
// it: zlib (a valid RFC 1950 header: 78 01/5e/9c/da and the other legal
// window sizes), gzip, bz2, xz and lzma-alone (Python's lzma.FORMAT_ALONE,
// recognised by a plausible 13-byte header followed by the range coder's
// zero byte). Raw deflate has no magic and is not tried (see PeelHinted).
//
// Output is limited to lim bytes (default 8 MiB when lim <= 0); a stream
// producing more is truncated to lim bytes and still reported ok, so that a
// decompression bomb costs at most lim. Otherwise the stream must decode
// without error. The lzma/xz dictionary is capped at about lim too, so a
// forged header cannot make it allocate more.
func Decompress(b []byte, lim int) (name string, out []byte, ok bool) {
	if lim <= 0 {
		lim = defaultMaxOutput
	}
	name = compressionKind(b)
	if name == "" {
		return "", nil, false
	}
	out, ok = decompressWith(b, lim, name)
	if !ok {
		return "", nil, false
	}
	return name, out, true
}

// hasCompressionMagic is the allocation-free pre-check used by Peel.
func hasCompressionMagic(b []byte) bool { return compressionKind(b) != "" }

func compressionKind(b []byte) string {
	switch {
	case len(b) < 8:
		return ""
	case b[0] == 0x1f && b[1] == 0x8b && b[2] == 8:
		return "gzip"
	case isZlibHeader(b):
		return "zlib"
	case len(b) >= 10 && b[0] == 'B' && b[1] == 'Z' && b[2] == 'h' && b[3] >= '1' && b[3] <= '9' &&
		(bytes.HasPrefix(b[4:], []byte{0x31, 0x41, 0x59, 0x26, 0x53, 0x59}) ||
			bytes.HasPrefix(b[4:], []byte{0x17, 0x72, 0x45, 0x38, 0x50, 0x90})):
		return "bz2"
	case len(b) >= 12 && bytes.HasPrefix(b, []byte{0xfd, '7', 'z', 'X', 'Z', 0}):
		return "xz"
	case isLzmaAlone(b):
		return "lzma"
	}
	return ""
}

// isZlibHeader checks CMF/FLG: deflate, window <= 32K, FCHECK, no preset
// dictionary.
func isZlibHeader(b []byte) bool {
	cmf, flg := b[0], b[1]
	return cmf&0x0f == 8 && cmf>>4 <= 7 && (uint16(cmf)<<8|uint16(flg))%31 == 0 && flg&0x20 == 0
}

// isLzmaAlone checks the classic .lzma header: properties byte < 225,
// dictionary size 2^n or 3*2^n (as every encoder writes) of at least 4 KiB,
// uncompressed size unknown (-1) or below 2^40, and the first byte of the
// range-coded data, which is always zero.
func isLzmaAlone(b []byte) bool {
	if len(b) < 14 || b[0] >= 9*5*5 || b[13] != 0 {
		return false
	}
	d := binary.LittleEndian.Uint32(b[1:5])
	if d < lzma.MinDictCap {
		return false
	}
	for d&1 == 0 {
		d >>= 1
	}
	if d != 1 && d != 3 {
		return false
	}
	size := binary.LittleEndian.Uint64(b[5:13])
	return size == ^uint64(0) || size < 1<<40
}

// Pools of inflaters: each holds a 32 KiB window and Huffman tables, and
// allocating them dominated the cost of peeling small blobs.
var gzipPool, zlibPool, flatePool sync.Pool

// decompressWith decompresses b in the named format.
func decompressWith(b []byte, lim int, name string) ([]byte, bool) {
	if lim <= 0 {
		return nil, false
	}
	var (
		r    io.Reader
		err  error
		hint = 4*len(b) + 256
	)
	switch name {
	case "gzip":
		z, _ := gzipPool.Get().(*gzip.Reader)
		if z == nil {
			z = new(gzip.Reader)
		}
		defer gzipPool.Put(z)
		if err = z.Reset(bytes.NewReader(b)); err == nil {
			z.Multistream(false)
			r = z
			if len(b) >= 18 {
				hint = min(int(binary.LittleEndian.Uint32(b[len(b)-4:])), 1032*len(b)+256)
			}
		}
	case "zlib":
		if z, _ := zlibPool.Get().(io.ReadCloser); z != nil {
			err = z.(zlib.Resetter).Reset(bytes.NewReader(b), nil)
			r = z
		} else {
			r, err = zlib.NewReader(bytes.NewReader(b))
		}
		if err == nil {
			defer zlibPool.Put(r)
		}
	case "deflate":
		if z, _ := flatePool.Get().(io.ReadCloser); z != nil {
			err = z.(flate.Resetter).Reset(bytes.NewReader(b), nil)
			r = z
		} else {
			r = flate.NewReader(bytes.NewReader(b))
		}
		defer flatePool.Put(r)
	case "bz2":
		r = bzip2.NewReader(bytes.NewReader(b))
	case "lzma":
		if len(b) < lzma.HeaderLen+1 {
			return nil, false
		}
		r, err = lzmaAloneReader(b, lim)
		if size := binary.LittleEndian.Uint64(b[5:13]); size < 1<<40 {
			hint = int(min(size, uint64(64*len(b)+4096)))
		}
	case "xz":
		out, err := unxz(b, lim)
		if err != nil || len(out) == 0 {
			return nil, false
		}
		return out, true
	default:
		return nil, false
	}
	if err != nil {
		return nil, false
	}
	out, err := readBounded(nil, r, lim, hint)
	if err != nil || len(out) == 0 {
		return nil, false
	}
	return out, true
}

// readBounded appends r's output to buf, never holding more than lim+1
// bytes. Reaching the limit is not an error: the output is truncated to lim
// bytes. sizeHint sizes the first allocation when buf has none.
func readBounded(buf []byte, r io.Reader, lim, sizeHint int) ([]byte, error) {
	if cap(buf) == 0 {
		c := sizeHint
		if c < 512 {
			c = 512
		}
		if c > lim+1 {
			c = lim + 1
		}
		buf = make([]byte, 0, c)
	}
	for zero := 0; ; {
		if len(buf) == cap(buf) {
			c := 2 * cap(buf)
			if c > lim+1 {
				c = lim + 1
			}
			nb := make([]byte, len(buf), c)
			copy(nb, buf)
			buf = nb
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if len(buf) > lim {
			return buf[:lim], nil
		}
		switch {
		case err == io.EOF:
			return buf, nil
		case err != nil:
			return buf, err
		case n == 0:
			if zero++; zero > 100 {
				return buf, io.ErrNoProgress
			}
		default:
			zero = 0
		}
	}
}

// dictCapFor caps an lzma dictionary: a dictionary of lim+1 bytes suffices
// to produce the first lim+1 bytes of output, whatever the header says.
func dictCapFor(declared int64, lim int) int {
	c := int64(lim) + 1
	if declared < c {
		c = declared
	}
	if c < lzma.MinDictCap {
		c = lzma.MinDictCap
	}
	return int(c)
}

// lzmaAloneReader opens a classic .lzma stream with its dictionary size
// patched down to what lim requires.
func lzmaAloneReader(b []byte, lim int) (io.Reader, error) {
	hdr := make([]byte, lzma.HeaderLen)
	copy(hdr, b)
	d := dictCapFor(int64(binary.LittleEndian.Uint32(hdr[1:5])), lim)
	binary.LittleEndian.PutUint32(hdr[1:5], uint32(d))
	return lzma.ReaderConfig{DictCap: d}.NewReader(io.MultiReader(bytes.NewReader(hdr), bytes.NewReader(b[lzma.HeaderLen:])))
}

var errXZ = errors.New("decode: unsupported or corrupt xz")

// unxz decodes the first stream of an .xz file whose blocks use the LZMA2
// filter alone (what Python's lzma.compress and xz(1) produce by default).
// It parses the container itself so that the LZMA2 dictionary can be capped
// (see dictCapFor); integrity checks other than the header CRCs are skipped.
func unxz(b []byte, lim int) ([]byte, error) {
	if len(b) < 12 || b[6] != 0 || b[7]&0xf0 != 0 ||
		crc32.ChecksumIEEE(b[6:8]) != binary.LittleEndian.Uint32(b[8:12]) {
		return nil, errXZ
	}
	checkSize := [16]int{0, 4, 4, 4, 8, 8, 8, 16, 16, 16, 32, 32, 32, 64, 64, 64}[b[7]&0x0f]
	var out []byte
	pos := 12
	for {
		if pos >= len(b) {
			return nil, errXZ
		}
		if b[pos] == 0 { // index: end of blocks
			return out, nil
		}
		hsize := (int(b[pos]) + 1) * 4
		if pos+hsize > len(b) {
			return nil, errXZ
		}
		h := b[pos : pos+hsize]
		if crc32.ChecksumIEEE(h[:hsize-4]) != binary.LittleEndian.Uint32(h[hsize-4:]) {
			return nil, errXZ
		}
		flags := h[1]
		if flags&0x3c != 0 || flags&3 != 0 { // reserved bits; more than one filter
			return nil, errXZ
		}
		i := 2
		usize := int64(-1)
		var ok bool
		if flags&0x40 != 0 {
			if _, i, ok = uvarint(h, i); !ok {
				return nil, errXZ
			}
		}
		if flags&0x80 != 0 {
			var u uint64
			if u, i, ok = uvarint(h, i); !ok {
				return nil, errXZ
			}
			if u < 1<<40 {
				usize = int64(u)
			}
		}
		id, i, ok1 := uvarint(h, i)
		psize, i, ok2 := uvarint(h, i)
		if !ok1 || !ok2 || id != 0x21 || psize != 1 || i >= hsize-4 {
			return nil, errXZ
		}
		dc, err := lzma.DecodeDictCap(h[i])
		if err != nil {
			return nil, errXZ
		}
		if usize >= 0 && usize < dc {
			dc = usize
		}
		data := b[pos+hsize:]
		br := bytes.NewReader(data)
		r2, err := lzma.Reader2Config{DictCap: dictCapFor(dc, lim)}.NewReader2(br)
		if err != nil {
			return nil, errXZ
		}
		hint := 4*len(data) + 256
		if usize >= 0 {
			hint = int(min(usize, int64(64*len(data)+4096)))
		}
		out, err = readBounded(out, r2, lim, hint)
		if err != nil {
			return nil, err
		}
		if len(out) >= lim {
			return out, nil
		}
		pos += hsize + len(data) - br.Len()
		pos = (pos + 3) &^ 3 // block padding (the stream header is 12 bytes)
		pos += checkSize
	}
}

// uvarint reads an xz multibyte integer (at most 9 bytes).
func uvarint(b []byte, i int) (uint64, int, bool) {
	var v uint64
	for k := 0; k < 9 && i < len(b); k++ {
		c := b[i]
		i++
		v |= uint64(c&0x7f) << (7 * k)
		if c&0x80 == 0 {
			return v, i, true
		}
	}
	return 0, i, false
}
