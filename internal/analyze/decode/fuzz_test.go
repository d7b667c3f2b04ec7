package decode

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"testing"
)

func addSeeds(f *testing.F) {
	for _, v := range pyFixtures {
		f.Add([]byte(v))
	}
	p := []byte(code)
	f.Add(p)
	f.Add(encB64(encZlib(p)))
	f.Add(encGzip(p))
	f.Add(encXZ(p))
	f.Add(encLzma(p))
	f.Add(encA85(p))
	f.Add(encB32(encZlib(p)))
	f.Add(encHex(p))
	f.Add(encUTF16(psPayload))
	f.Add([]byte("The quick brown fox jumps over the lazy dog"))
	f.Add([]byte("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"))
	f.Add([]byte(`\x69\x6d\x70\x6f\x72\x74 os`))
}

func FuzzPeel(f *testing.F) {
	addSeeds(f)
	lim := Limits{MaxDepth: 6, MaxOutput: 1 << 16, MaxTotal: 1 << 18}
	f.Fuzz(func(t *testing.T, data []byte) {
		check := func(l *Layer) {
			if l == nil {
				return
			}
			if len(l.Chain) == 0 || len(l.Chain) > lim.MaxDepth+1 {
				t.Fatalf("chain %v", l.Chain)
			}
			if len(l.Data) > lim.MaxOutput {
				t.Fatalf("layer of %d bytes", len(l.Data))
			}
			if l.Text && !IsText(l.Data) {
				t.Fatalf("Text layer is not text: %q", l.Data)
			}
		}
		check(Peel(data, lim))
		check(PeelHinted(data, []string{"reverse"}, lim))
		check(PeelHinted(data, []string{"rot13", "base64", "zlib"}, lim))
		check(PeelHinted(data, []string{"hex", "unicode-escape", "deflate", "a85", "b85", "b32"}, lim))
		total := 0
		for _, s := range PeelSteps(data, lim) {
			total += len(s.Data)
		}
		if total > lim.MaxTotal {
			t.Fatalf("steps total %d bytes", total)
		}
	})
}

func FuzzBase64(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if out, ok := Base64(data); ok && (len(out) == 0 || len(out) > len(data)) {
			t.Fatalf("Base64(%q) = %d bytes", data, len(out))
		}
		// Round trips: whenever the heuristics accept an encoding of
		// data, the decoding must be exact.
		for _, enc := range []string{
			base64.StdEncoding.EncodeToString(data),
			base64.RawURLEncoding.EncodeToString(data),
		} {
			if out, ok := Base64([]byte(enc)); ok && !bytes.Equal(out, data) {
				t.Fatalf("Base64(%q) = %x, want %x", enc, out, data)
			}
			if out, _, ok := base64Decode([]byte(enc), false, 1<<20); len(data) > 0 && (!ok || !bytes.Equal(out, data)) {
				t.Fatalf("lenient base64(%q) = %x, %v", enc, out, ok)
			}
		}
		for _, dec := range []func([]byte) ([]byte, bool){Base32, Base85, ASCII85, UnicodeEscape, UTF16LE} {
			if out, ok := dec(data); ok && (len(out) == 0 || len(out) > 4*len(data)) {
				t.Fatalf("decoder output of %d bytes for %d", len(out), len(data))
			}
		}
		if len(data) > 0 {
			if out, ok := ASCII85(encA85(data)); !ok || !bytes.Equal(out, data) {
				t.Fatalf("ASCII85 round trip of %x: %x %v", data, out, ok)
			}
		}
	})
}

func FuzzHex(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if out, ok := Hex(data); ok && (len(out) == 0 || len(out) > len(data)/2) {
			t.Fatalf("Hex(%q) = %d bytes", data, len(out))
		}
		enc := hex.EncodeToString(data)
		if out, ok := Hex([]byte(enc)); ok && !bytes.Equal(out, data) {
			t.Fatalf("Hex(%q) = %x", enc, out)
		}
		if len(data) > 0 {
			if out, ok := hexDecode([]byte(enc), false, 1<<20); !ok || !bytes.Equal(out, data) {
				t.Fatalf("lenient hex(%q) = %x, %v", enc, out, ok)
			}
		}
	})
}

func FuzzDecompress(f *testing.F) {
	addSeeds(f)
	for _, v := range pyFixtures {
		if b, err := base64.StdEncoding.DecodeString(v); err == nil {
			f.Add(b)
		}
	}
	const lim = 1 << 16
	f.Fuzz(func(t *testing.T, data []byte) {
		if name, out, ok := Decompress(data, lim); ok && (name == "" || len(out) == 0 || len(out) > lim) {
			t.Fatalf("Decompress = %q, %d bytes", name, len(out))
		}
		if out, ok := decompressWith(data, lim, "deflate"); ok && len(out) > lim {
			t.Fatalf("deflate: %d bytes", len(out))
		}
		if len(data) == 0 || len(data) > lim {
			return
		}
		for name, enc := range map[string]func([]byte) []byte{"zlib": encZlib, "gzip": encGzip, "xz": encXZ, "lzma": encLzma} {
			n, out, ok := Decompress(enc(data), lim)
			if !ok || n != name || !bytes.Equal(out, data) {
				t.Fatalf("%s round trip: %q %v", name, n, ok)
			}
		}
	})
}
