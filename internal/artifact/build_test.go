package artifact

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/ulikunitz/xz"
)

// Archives are built here, at test time, from small text entries.

type tarEntry struct {
	name string
	body string
	typ  byte // tar.TypeReg when zero
	mode int64
	link string
	size int64 // declared size when the body lies; 0 means len(body)
}

func makeTar(t testing.TB, entries ...tarEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		typ := e.typ
		if typ == 0 {
			typ = tar.TypeReg
		}
		mode := e.mode
		if mode == 0 {
			mode = 0o644
		}
		h := &tar.Header{Name: e.name, Typeflag: typ, Mode: mode, Linkname: e.link, ModTime: time.Unix(0, 0), Format: tar.FormatPAX}
		if typ == tar.TypeReg || typ == 'X' {
			h.Size = int64(len(e.body))
		}
		if typ == tar.TypeXGlobalHeader {
			h = &tar.Header{Typeflag: typ, PAXRecords: map[string]string{"comment": "0123456789abcdef"}}
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatalf("tar header %q: %v", e.name, err)
		}
		if h.Size > 0 {
			if _, err := tw.Write([]byte(e.body)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type zipEntry struct {
	name   string
	body   string
	mode   fs.FileMode // 0o644 when zero
	stored bool
}

func makeZip(t testing.TB, entries ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.stored {
			h.Method = zip.Store
		}
		mode := e.mode
		if mode == 0 {
			mode = 0o644
		}
		h.SetMode(mode)
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gz(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func xzc(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := xz.WriterConfig{DictCap: 1 << 20}.NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// multiTarBz2 is a tar of pkg-1.0/PKG-INFO and pkg-1.0/setup.py, split in
// two and compressed as two concatenated bzip2 streams (Go has no bzip2
// writer; made with `bzip2 -9`).
var multiTarBz2, _ = base64.StdEncoding.DecodeString(strings.Join([]string{
	"QlpoOTFBWSZTWTllqFwAAMx/ksqQAEBAY/+QAavBQHev3iAEAABAAAgwANm1hqhoAAAAADQAAZU09I9KPSAA2ppp6gaABkEklGTJ",
	"oaDammgAABhNKRV7MUpNbEmJGQNGABO98KzkThSuKk5SKNJDCCZp/FUAGoatz6YNN5bu98MsOBaxkI2gwgjkLMRrMgIEXTGdYmU0",
	"wShJBAOEWwCTorwqul+DYuTL3pbiqjEiRAKgqaZuSevUa3gM9ATkFgHgU7OM0YMDAWoDaV+3Pwt4vNthrO0PuopgzGHmYFl9cxyM",
	"AzBarlAB/F3JFOFCQOWWoXBCWmg5MUFZJlNZIcdOMQAACkBAwAAAQAAIIAAgpTQZjE2JPF3JFOFCQIcdOMQ=",
}, ""))

func wheel(t testing.TB) []byte {
	return makeZip(t,
		zipEntry{name: "demo/__init__.py", body: "print('hi')\n"},
		zipEntry{name: "demo/cli.py", body: "def main(): pass\n", mode: 0o755},
		zipEntry{name: "demo-1.0.dist-info/WHEEL", body: "Wheel-Version: 1.0\n"},
		zipEntry{name: "demo-1.0.dist-info/METADATA", body: "Name: demo\n"},
		zipEntry{name: "demo-1.0.dist-info/RECORD", body: ""},
		zipEntry{name: "demo-1.0.pth", body: "import demo\n"},
	)
}

func sdistTar(t testing.TB) []byte {
	return makeTar(t,
		tarEntry{name: "demo-1.0/", typ: tar.TypeDir, mode: 0o755},
		tarEntry{name: "demo-1.0/PKG-INFO", body: "Metadata-Version: 2.1\nName: demo\n"},
		tarEntry{name: "demo-1.0/setup.py", body: "from setuptools import setup\nsetup()\n"},
		tarEntry{name: "demo-1.0/demo/__init__.py", body: "x = 1\n"},
	)
}

func npmTar(t testing.TB, top string) []byte {
	return makeTar(t,
		tarEntry{name: top + "/package.json", body: `{"name":"demo","scripts":{"postinstall":"node x.js"}}`},
		tarEntry{name: top + "/x.js", body: "require('child_process')\n", mode: 0o755},
		tarEntry{name: top + "/lib/index.js", body: "module.exports = 1\n"},
	)
}
