package decode

import (
	"bytes"
	"encoding/binary"
)

// Marshal reports whether b is a Python marshal code object (type byte 'c'
// or 'c'|FLAG_REF followed by plausible header fields and a bytecode
// string) or a .pyc file (magic number, "\r\n", header, code object).
func Marshal(b []byte) bool { return isPyc(b) || isMarshalCode(b) }

// isMarshalCode checks a marshalled code object. Python 2.7 writes 4 int32
// fields before co_code, 3.0-3.7 five, 3.8-3.10 six and 3.11+ five: the
// header ints must be small and co_code a string ('s', or 's'|FLAG_REF)
// whose length fits in b.
func isMarshalCode(b []byte) bool {
	if len(b) < 22 || (b[0] != 'c' && b[0] != 'c'|0x80) {
		return false
	}
	for _, nints := range [...]int{5, 6, 4} {
		off := 1 + 4*nints
		if len(b) < off+5 || (b[off] != 's' && b[off] != 's'|0x80) {
			continue
		}
		codeLen := binary.LittleEndian.Uint32(b[off+1:])
		if codeLen == 0 || uint64(off)+5+uint64(codeLen) > uint64(len(b)) {
			continue
		}
		ok := true
		for k := 0; k < nints; k++ {
			v := binary.LittleEndian.Uint32(b[1+4*k:])
			limit := uint32(1 << 16) // counts and stack size
			if k == nints-1 {
				limit = 1 << 26 // co_flags
			}
			if v >= limit {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// isPyc checks a .pyc header: a 2-byte magic in the CPython 2.x or 3.x
// range followed by "\r\n", and a code object after the 8/12/16-byte
// header.
func isPyc(b []byte) bool {
	if len(b) < 30 || b[2] != '\r' || b[3] != '\n' {
		return false
	}
	m := binary.LittleEndian.Uint16(b)
	if !((m >= 2900 && m < 4000) || (m >= 62000 && m < 62300) || m == 20121) {
		return false
	}
	for _, off := range [...]int{16, 12, 8} {
		if isMarshalCode(b[off:]) {
			return true
		}
	}
	return false
}

// binaryKind names a recognised executable binary: "pyc", "marshal", "pe",
// "elf" or "macho"; "" otherwise.
func binaryKind(b []byte) string {
	switch {
	case len(b) < 16:
		return ""
	case isPyc(b):
		return "pyc"
	case isMarshalCode(b):
		return "marshal"
	case isPE(b):
		return "pe"
	case b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F' && (b[4] == 1 || b[4] == 2) && (b[5] == 1 || b[5] == 2):
		return "elf"
	case isMachO(b):
		return "macho"
	}
	return ""
}

func isPE(b []byte) bool {
	if len(b) < 0x40 || b[0] != 'M' || b[1] != 'Z' {
		return false
	}
	off := binary.LittleEndian.Uint32(b[0x3c:])
	return uint64(off)+4 <= uint64(len(b)) && bytes.Equal(b[off:off+4], []byte("PE\x00\x00"))
}

func isMachO(b []byte) bool {
	switch binary.BigEndian.Uint32(b) {
	case 0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe:
		return true
	case 0xcafebabe:
		// Fat binary, not a Java class file: the architecture count is
		// small where Java's major version is >= 45.
		n := binary.BigEndian.Uint32(b[4:])
		return n > 0 && n < 20
	}
	return false
}

// isImage recognises common image and font formats, which are never
// interesting as payloads.
func isImage(b []byte) bool {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")),
		bytes.HasPrefix(b, []byte{0xff, 0xd8, 0xff}),
		bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")),
		bytes.HasPrefix(b, []byte{0, 0, 1, 0}),
		bytes.HasPrefix(b, []byte("wOFF")), bytes.HasPrefix(b, []byte("wOF2")),
		bytes.HasPrefix(b, []byte("BM")) && len(b) >= 14 && binary.LittleEndian.Uint32(b[2:]) == uint32(len(b)):
		return true
	case len(b) >= 12 && bytes.HasPrefix(b, []byte("RIFF")) && string(b[8:12]) == "WEBP":
		return true
	}
	return false
}
