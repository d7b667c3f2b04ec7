package artifact

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
)

type want struct {
	kind, format, prefix string
	files                map[string]string // exact set of paths → contents
	diags                []string          // each must appear in some diagnostic; none allowed when empty
}

type readCase struct {
	name string
	data []byte
	lim  Limits
	want want
}

func readCases(t testing.TB) []readCase {
	wheelFiles := map[string]string{
		"demo/__init__.py":            "print('hi')\n",
		"demo/cli.py":                 "def main(): pass\n",
		"demo-1.0.dist-info/WHEEL":    "Wheel-Version: 1.0\n",
		"demo-1.0.dist-info/METADATA": "Name: demo\n",
		"demo-1.0.dist-info/RECORD":   "",
		"demo-1.0.pth":                "import demo\n",
	}
	sdistFiles := map[string]string{
		"PKG-INFO":         "Metadata-Version: 2.1\nName: demo\n",
		"setup.py":         "from setuptools import setup\nsetup()\n",
		"demo/__init__.py": "x = 1\n",
	}
	npmFiles := map[string]string{
		"package.json": `{"name":"demo","scripts":{"postinstall":"node x.js"}}`,
		"x.js":         "require('child_process')\n",
		"lib/index.js": "module.exports = 1\n",
	}
	twoTops := makeTar(t, tarEntry{name: "a/x.py", body: "a"}, tarEntry{name: "b/y.py", body: "b"})
	tarGzTwice := append(gz(t, sdistTar(t)[:3000]), gz(t, sdistTar(t)[3000:])...)
	big := strings.Repeat("x", 5000)
	bin := "\x00ELF" + strings.Repeat("\x01", 2<<20)
	truncGz := gz(t, makeTar(t, tarEntry{name: "a.py", body: "first"}, tarEntry{name: "b.py", body: strings.Repeat("y", 100000)}))
	truncGz = truncGz[:len(truncGz)/2]

	return []readCase{
		{name: "wheel", data: wheel(t), want: want{kind: KindWheel, format: "zip", files: wheelFiles}},
		{name: "sdist tar.gz", data: gz(t, sdistTar(t)), want: want{kind: KindSdist, format: "tar.gz", prefix: "demo-1.0", files: sdistFiles}},
		{name: "sdist plain tar", data: sdistTar(t), want: want{kind: KindSdist, format: "tar", prefix: "demo-1.0", files: sdistFiles}},
		{name: "sdist tar.xz", data: xzc(t, sdistTar(t)), want: want{kind: KindSdist, format: "tar.xz", prefix: "demo-1.0", files: sdistFiles}},
		{name: "sdist tar.xz two streams", data: append(append(xzc(t, sdistTar(t)[:2500]), 0, 0, 0, 0), xzc(t, sdistTar(t)[2500:])...),
			want: want{kind: KindSdist, format: "tar.xz", prefix: "demo-1.0", files: sdistFiles}},
		{name: "sdist tar.bz2 two streams", data: multiTarBz2, want: want{kind: KindSdist, format: "tar.bz2", prefix: "pkg-1.0", files: map[string]string{
			"PKG-INFO": "Metadata-Version: 2.1\nName: pkg\nVersion: 1.0\n",
			"setup.py": "from setuptools import setup\nsetup()\n",
		}}},
		{name: "gzip two members", data: tarGzTwice, want: want{kind: KindSdist, format: "tar.gz", prefix: "demo-1.0", files: sdistFiles}},
		{name: "sdist with ./ names", data: gz(t, makeTar(t,
			tarEntry{name: "./", typ: tar.TypeDir},
			tarEntry{name: "./demo-2/", typ: tar.TypeDir},
			tarEntry{name: "./demo-2/pyproject.toml", body: "[project]\n"},
		)), want: want{kind: KindSdist, format: "tar.gz", prefix: "demo-2", files: map[string]string{"pyproject.toml": "[project]\n"}}},
		{name: "sdist zip", data: makeZip(t,
			zipEntry{name: "demo-1.0/PKG-INFO", body: "Name: demo\n"},
			zipEntry{name: "demo-1.0/setup.py", body: "setup()\n"},
		), want: want{kind: KindSdist, format: "zip", prefix: "demo-1.0", files: map[string]string{"PKG-INFO": "Name: demo\n", "setup.py": "setup()\n"}}},
		{name: "npm tarball", data: gz(t, npmTar(t, "package")), want: want{kind: KindNPMTarball, format: "tar.gz", prefix: "package", files: npmFiles}},
		{name: "npm tarball odd top", data: gz(t, npmTar(t, "node-demo")), want: want{kind: KindNPMTarball, format: "tar.gz", prefix: "node-demo", files: npmFiles}},
		{name: "plain tar two tops", data: twoTops, want: want{kind: KindTar, format: "tar", files: map[string]string{"a/x.py": "a", "b/y.py": "b"}}},
		{name: "zip with package.json is not npm", data: makeZip(t, zipEntry{name: "p/package.json", body: "{}"}),
			want: want{kind: KindZip, format: "zip", files: map[string]string{"p/package.json": "{}"}}},
		{name: "top-level file blocks stripping", data: makeTar(t,
			tarEntry{name: "demo-1.0/setup.py", body: "s"}, tarEntry{name: "evil.py", body: "e"}),
			want: want{kind: KindTar, format: "tar", files: map[string]string{"demo-1.0/setup.py": "s", "evil.py": "e"}}},
		{name: "pax global header ignored", data: gz(t, makeTar(t,
			tarEntry{name: "pax_global_header", typ: tar.TypeXGlobalHeader},
			tarEntry{name: "demo-1.0/setup.py", body: "s"})),
			want: want{kind: KindSdist, format: "tar.gz", prefix: "demo-1.0", files: map[string]string{"setup.py": "s"}}},
		{name: "empty tar.gz", data: gz(t, makeTar(t)), want: want{kind: KindTar, format: "tar.gz", files: map[string]string{}}},

		// Hostile names.
		{name: "tar traversal and absolute", data: gz(t, makeTar(t,
			tarEntry{name: "ok.py", body: "ok"},
			tarEntry{name: "../evil.py", body: "e"},
			tarEntry{name: "a/../../evil2.py", body: "e"},
			tarEntry{name: "/etc/cron.d/evil", body: "e"},
			tarEntry{name: `C:\Windows\evil.dll`, body: "e"},
			tarEntry{name: `\\server\share\evil`, body: "e"},
			tarEntry{name: `pkg\mod.py`, body: "m"},
			tarEntry{name: "a/./b/../c.py", body: "c"},
		)), want: want{kind: KindTar, format: "tar.gz",
			files: map[string]string{"ok.py": "ok", "pkg/mod.py": "m", "a/c.py": "c"},
			diags: []string{"../evil.py: unsafe entry name skipped: path escapes", "a/../../evil2.py: unsafe", "/etc/cron.d/evil: unsafe entry name skipped: absolute path",
				`C:\Windows\evil.dll: unsafe entry name skipped: windows drive path`, `\\server\share\evil: unsafe`}}},
		{name: "zip traversal and absolute", data: makeZip(t,
			zipEntry{name: "ok.py", body: "ok"},
			zipEntry{name: "../../evil.py", body: "e"},
			zipEntry{name: "/abs.py", body: "e"},
			zipEntry{name: `..\evil.py`, body: "e"},
			zipEntry{name: `pkg\mod.py`, body: "m"},
		), want: want{kind: KindZip, format: "zip", files: map[string]string{"ok.py": "ok", "pkg/mod.py": "m"},
			diags: []string{"../../evil.py: unsafe", "/abs.py: unsafe", `..\evil.py: unsafe`}}},
		{name: "tar links and devices", data: makeTar(t,
			tarEntry{name: "p/ok.py", body: "ok"},
			tarEntry{name: "p/passwd", typ: tar.TypeSymlink, link: "/etc/passwd"},
			tarEntry{name: "p/hard", typ: tar.TypeLink, link: "p/ok.py"},
			tarEntry{name: "p/tty", typ: tar.TypeChar},
			tarEntry{name: "p/disk", typ: tar.TypeBlock},
			tarEntry{name: "p/pipe", typ: tar.TypeFifo},
		), want: want{kind: KindTar, format: "tar", files: map[string]string{"p/ok.py": "ok"},
			diags: []string{`p/passwd: symbolic link to "/etc/passwd" not followed`, `p/hard: hard link to "p/ok.py" not followed`,
				"p/tty: special file (character device)", "p/disk: special file (block device)", "p/pipe: special file (fifo)"}}},
		{name: "zip symlink", data: makeZip(t,
			zipEntry{name: "ok.py", body: "ok"},
			zipEntry{name: "link", body: "../../../etc/shadow", mode: fs.ModeSymlink | 0o777},
		), want: want{kind: KindZip, format: "zip", files: map[string]string{"ok.py": "ok"},
			diags: []string{`link: symbolic link to "../../../etc/shadow" not followed`}}},
		{name: "tar duplicates", data: makeTar(t,
			tarEntry{name: "a.py", body: "first"},
			tarEntry{name: "a.py", body: "second"},
			tarEntry{name: "./a.py", body: "third"},
		), want: want{kind: KindTar, format: "tar", files: map[string]string{"a.py": "third"}, // installers keep the last copy
			diags: []string{`a.py: duplicate entry for "a.py"`, `./a.py: duplicate`}}},
		{name: "zip duplicates", data: makeZip(t,
			zipEntry{name: "a.py", body: "first"},
			zipEntry{name: "a.py", body: "second"},
			zipEntry{name: `b\c.py`, body: "first"},
			zipEntry{name: "b/c.py", body: "second"},
		), want: want{kind: KindZip, format: "zip", files: map[string]string{"a.py": "second", "b/c.py": "second"},
			diags: []string{`a.py: duplicate`, `b/c.py: duplicate`}}},
		{name: "non-UTF-8 names", data: makeTar(t, tarEntry{name: "p/caf\xe9.py", body: "x"}),
			want: want{kind: KindTar, format: "tar", files: map[string]string{"p/caf\uFFFD.py": "x"}, diags: []string{"not valid UTF-8"}}},
		{name: "unknown tar type read as file", data: makeTar(t, tarEntry{name: "p/hidden.py", body: "import os", typ: 'X'}),
			want: want{kind: KindTar, format: "tar", files: map[string]string{"p/hidden.py": "import os"}, diags: []string{"entry type 'X' is unknown"}}},
		{name: "file below a file", data: makeTar(t, tarEntry{name: "a", body: "file"}, tarEntry{name: "a/b.py", body: "x"}),
			want: want{kind: KindTar, format: "tar", files: map[string]string{"a": "file"}, diags: []string{`a/b.py: entry lies below the file "a"`}}},

		// Limits.
		{name: "too many entries tar", data: makeTar(t, entriesN(10)...), lim: Limits{MaxFiles: 4},
			want: want{kind: KindTar, format: "tar", files: map[string]string{"f0.py": "0", "f1.py": "1", "f2.py": "2", "f3.py": "3"},
				diags: []string{"f4.py: too many entries (more than 4)"}}},
		{name: "too many entries zip", data: zipN(t, 40), lim: Limits{MaxFiles: 4},
			want: want{kind: KindZip, format: "zip", files: map[string]string{"f0.py": "0", "f1.py": "1", "f2.py": "2", "f3.py": "3"},
				diags: []string{"too many entries (more than 4); the rest were not read"}}},
		{name: "too deep", data: makeTar(t, tarEntry{name: "a/b/c/d/e.py", body: "x"}, tarEntry{name: "a/b.py", body: "y"}), lim: Limits{MaxDepth: 3},
			want: want{kind: KindTar, format: "tar", files: map[string]string{"a/b.py": "y"}, diags: []string{"a/b/c/d/e.py: entry is 5 directories deep"}}},
		{name: "huge file truncated", data: gz(t, makeTar(t, tarEntry{name: "big.py", body: big}, tarEntry{name: "after.py", body: "a"})), lim: Limits{MaxFileBytes: 1000},
			want: want{kind: KindTar, format: "tar.gz", files: map[string]string{"big.py": big[:1000], "after.py": "a"},
				diags: []string{"big.py: file is 5000 bytes, over the 1000-byte limit; kept the first 1000 bytes"}}},
		{name: "huge file truncated zip", data: makeZip(t, zipEntry{name: "big.py", body: big}, zipEntry{name: "after.py", body: "a"}), lim: Limits{MaxFileBytes: 1000},
			want: want{kind: KindZip, format: "zip", files: map[string]string{"big.py": big[:1000], "after.py": "a"},
				diags: []string{"big.py: file is 5000 bytes"}}},
		{name: "large binary keeps its head", data: gz(t, makeTar(t, tarEntry{name: "lib.so", body: bin})),
			want: want{kind: KindTar, format: "tar.gz", files: map[string]string{"lib.so": bin[:binaryKeep]}}},
		{name: "large binary keeps its head zip", data: makeZip(t, zipEntry{name: "lib.so", body: bin}),
			want: want{kind: KindZip, format: "zip", files: map[string]string{"lib.so": bin[:binaryKeep]}}},
		{name: "total size exceeded", data: gz(t, makeTar(t, tarEntry{name: "a.py", body: big}, tarEntry{name: "b.py", body: big}, tarEntry{name: "c.py", body: big})),
			lim: Limits{MaxTotalBytes: 8000},
			want: want{kind: KindTar, format: "tar.gz", files: map[string]string{"a.py": big, "b.py": "*"},
				diags: []string{"stopped reading: total size limit exceeded: more than 8000 bytes"}}},
		{name: "truncated gzip", data: truncGz, want: want{kind: KindTar, format: "tar.gz", files: map[string]string{"a.py": "first", "b.py": "*"},
			diags: []string{"b.py: archive is truncated or corrupt: unexpected EOF; stopped reading"}}},
		{name: "trailing data after tar", data: append(makeTar(t, tarEntry{name: "a.py", body: "a"}), []byte("hidden second archive")...),
			want: want{kind: KindTar, format: "tar", files: map[string]string{"a.py": "a"}, diags: []string{"bytes of data after the end of the tar archive"}}},
		{name: "wheel polyglot", data: append(gz(t, makeTar(t, tarEntry{name: "a.py", body: "a"})), wheel(t)...),
			want: want{kind: KindTar, format: "tar.gz", files: map[string]string{"a.py": "a"}, diags: []string{"polyglot", "compressed stream is corrupt after the end"}}},
		{name: "zip with a prefix", data: append([]byte("#!/bin/sh\nexec python3 \"$0\"\n"), wheel(t)...),
			want: want{kind: KindWheel, format: "zip", files: wheelFiles, diags: []string{"zip archive is preceded by 28 bytes of other data"}}},
	}
}

func entriesN(n int) []tarEntry {
	var es []tarEntry
	for i := range n {
		es = append(es, tarEntry{name: fmt.Sprintf("f%d.py", i), body: fmt.Sprint(i)})
	}
	return es
}

func zipN(t testing.TB, n int) []byte {
	var es []zipEntry
	for i := range n {
		es = append(es, zipEntry{name: fmt.Sprintf("f%d.py", i), body: fmt.Sprint(i)})
	}
	return makeZip(t, es...)
}

func TestRead(t *testing.T) {
	for _, tc := range readCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Read(bytes.NewReader(tc.data), int64(len(tc.data)), tc.lim)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			checkArtifact(t, a, tc.want)
			if err := fstest.TestFS(a.FS(), paths(a)...); err != nil {
				t.Errorf("TestFS: %v", err)
			}
		})
	}
}

func paths(a *Artifact) []string {
	var ps []string
	for _, f := range a.Files {
		ps = append(ps, f.Path)
	}
	return ps
}

func checkArtifact(t *testing.T, a *Artifact, w want) {
	t.Helper()
	if a.Kind != w.kind || a.Format != w.format || a.Prefix != w.prefix {
		t.Errorf("kind/format/prefix = %q %q %q; want %q %q %q", a.Kind, a.Format, a.Prefix, w.kind, w.format, w.prefix)
	}
	if !sort.SliceIsSorted(a.Files, func(i, j int) bool { return a.Files[i].Path < a.Files[j].Path }) {
		t.Errorf("files not sorted")
	}
	got := map[string]string{}
	for i, f := range a.Files {
		if i > 0 && a.Files[i-1].Path == f.Path {
			t.Errorf("duplicate %q", f.Path)
		}
		if !fs.ValidPath(f.Path) {
			t.Errorf("invalid path %q", f.Path)
		}
		if f.Truncated != (int64(len(f.Data)) < f.Size) {
			t.Errorf("%s: truncated %v but %d of %d bytes", f.Path, f.Truncated, len(f.Data), f.Size)
		}
		got[f.Path] = string(f.Data)
	}
	for p, body := range w.files {
		g, ok := got[p]
		switch {
		case !ok:
			t.Errorf("missing file %q", p)
		case body == "*":
		case g != body:
			t.Errorf("file %q = %d bytes %.40q; want %d bytes %.40q", p, len(g), g, len(body), body)
		}
	}
	for p := range got {
		if _, ok := w.files[p]; !ok {
			t.Errorf("unexpected file %q", p)
		}
	}
	var ds []string
	for _, d := range a.Diagnostics {
		ds = append(ds, d.String())
	}
	for _, sub := range w.diags {
		if !slices.ContainsFunc(ds, func(d string) bool { return strings.Contains(d, sub) }) {
			t.Errorf("no diagnostic contains %q; have:\n%s", sub, strings.Join(ds, "\n"))
		}
	}
	if len(w.diags) == 0 && len(ds) > 0 {
		t.Errorf("unexpected diagnostics:\n%s", strings.Join(ds, "\n"))
	}
}

func TestWheelNamedTarGz(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "demo-1.0.tar.gz")
	if err := os.WriteFile(p, wheel(t), 0o644); err != nil {
		t.Fatal(err)
	}
	a, err := Open(p, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if a.Kind != KindWheel || a.Format != "zip" {
		t.Fatalf("kind %q format %q; want wheel zip", a.Kind, a.Format)
	}
	// And an sdist named .whl is an sdist.
	p = filepath.Join(dir, "demo-1.0-py3-none-any.whl")
	os.WriteFile(p, gz(t, sdistTar(t)), 0o644)
	if a, err = Open(p, Limits{}); err != nil || a.Kind != KindSdist {
		t.Fatalf("sdist named .whl: %v %v", a, err)
	}
}

func TestNotArchive(t *testing.T) {
	for name, data := range map[string][]byte{
		"text":         []byte("print('hello')\n"),
		"empty":        nil,
		"gzip of text": gz(t, []byte(strings.Repeat("just text\n", 100))),
		"xz of text":   xzc(t, []byte("just text")),
	} {
		if _, err := Read(bytes.NewReader(data), int64(len(data)), Limits{}); !errors.Is(err, ErrNotArchive) {
			t.Errorf("%s: err = %v; want ErrNotArchive", name, err)
		}
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "x.whl")
	os.WriteFile(p, []byte("not a zip"), 0o644)
	if _, err := Open(p, Limits{}); !errors.Is(err, ErrNotArchive) {
		t.Errorf("Open: %v", err)
	}
	if _, err := Read(bytes.NewReader(wheel(t)), int64(len(wheel(t))), Limits{MaxInputBytes: 100}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("too large: %v", err)
	}
}

func TestSniff(t *testing.T) {
	tarball := makeTar(t, tarEntry{name: "a", body: "a"})
	v7 := slices.Clone(tarball[:512])
	copy(v7[257:265], make([]byte, 8)) // drop the ustar magic, fix the checksum
	copy(v7[148:156], "        ")
	var sum int
	for _, c := range v7 {
		sum += int(c)
	}
	copy(v7[148:156], fmt.Sprintf("%06o\x00 ", sum))
	for want, head := range map[string][]byte{
		"zip":   wheel(t),
		"gzip":  gz(t, nil),
		"bzip2": multiTarBz2,
		"xz":    xzc(t, nil),
		"tar":   tarball,
		"":      []byte("PK"),
	} {
		if got := Sniff(head); got != want {
			t.Errorf("Sniff(%q…) = %q; want %q", head[:min(len(head), 8)], got, want)
		}
	}
	if Sniff(v7) != "tar" {
		t.Error("v7 tar header not recognized")
	}
	v7[0] ^= 1
	if Sniff(v7) != "" {
		t.Error("bad checksum recognized as tar")
	}
}

func TestLookupTotal(t *testing.T) {
	a, err := Read(bytes.NewReader(wheel(t)), int64(len(wheel(t))), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if f := a.Lookup("demo/cli.py"); f == nil || f.Mode&0o100 == 0 {
		t.Fatalf("Lookup cli.py = %+v; want executable file", f)
	}
	if a.Lookup("demo") != nil || a.Lookup("nope") != nil {
		t.Fatal("Lookup found a directory or missing file")
	}
	if a.TotalBytes() != int64(len("print('hi')\n")+len("def main(): pass\n")+len("Wheel-Version: 1.0\n")+len("Name: demo\n")+len("import demo\n")) {
		t.Fatalf("TotalBytes = %d", a.TotalBytes())
	}
}

func TestRatioBomb(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 70 MiB archive")
	}
	zeros := make([]byte, 70<<20)
	data := gz(t, makeTar(t, tarEntry{name: "a.py", body: "ok"}, tarEntry{name: "bomb.txt", body: string(zeros)}, tarEntry{name: "z.py", body: "z"}))
	a, err := Read(bytes.NewReader(data), int64(len(data)), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	checkArtifact(t, a, want{kind: KindTar, format: "tar.gz", files: map[string]string{"a.py": "ok", "bomb.txt": "*"},
		diags: []string{"compression ratio limit exceeded", "possible decompression bomb"}})
	if f := a.Lookup("bomb.txt"); int64(len(f.Data)) > DefaultLimits().MaxFileBytes {
		t.Errorf("bomb kept %d bytes", len(f.Data))
	}
}

func TestXZDictionaryLimit(t *testing.T) {
	data := xzc(t, sdistTar(t))
	// The block header starts after the 12-byte stream header: size byte,
	// flags, filter id 0x21, props size 1, dict code.
	if data[14] != 0x21 || data[15] != 1 {
		t.Fatalf("unexpected block header % x", data[12:24])
	}
	data[16] = 40 // 4 GiB dictionary
	hlen := (int(data[12]) + 1) * 4
	binary.LittleEndian.PutUint32(data[12+hlen-4:], crc32.ChecksumIEEE(data[12:12+hlen-4]))
	a, err := Read(bytes.NewReader(data), int64(len(data)), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	checkArtifact(t, a, want{kind: KindTar, format: "tar.xz", files: map[string]string{}, diags: []string{"dictionary of 4294967295 bytes exceeds"}})
}

func TestZipDamage(t *testing.T) {
	// A stored entry whose bytes were altered fails its checksum but is kept.
	data := makeZip(t, zipEntry{name: "a.py", body: "hello world", stored: true}, zipEntry{name: "b.py", body: "fine"})
	i := bytes.Index(data, []byte("hello"))
	data[i] = 'j'
	a, err := Read(bytes.NewReader(data), int64(len(data)), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	checkArtifact(t, a, want{kind: KindZip, format: "zip", files: map[string]string{"a.py": "jello world", "b.py": "fine"},
		diags: []string{"a.py: entry fails its checksum"}})

	// A deflated entry with garbage data is reported; the next entry is read.
	data = makeZip(t, zipEntry{name: "a.py", body: strings.Repeat("some text ", 100)}, zipEntry{name: "b.py", body: "fine"})
	zr, _ := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	off, _ := zr.File[0].DataOffset()
	for j := off; j < off+20; j++ {
		data[j] = 0xff
	}
	a, err = Read(bytes.NewReader(data), int64(len(data)), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	checkArtifact(t, a, want{kind: KindZip, format: "zip", files: map[string]string{"a.py": "*", "b.py": "fine"},
		diags: []string{"a.py: entry is truncated or corrupt"}})

	// Sizes in the central directory that lie.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.CreateRaw(&zip.FileHeader{Name: "liar.py", Method: zip.Store, CompressedSize64: 5, UncompressedSize64: 30 << 20, CRC32: crc32.ChecksumIEEE([]byte("short"))})
	w.Write([]byte("short"))
	zw.Close()
	data = buf.Bytes()
	a, err = Read(bytes.NewReader(data), int64(len(data)), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	checkArtifact(t, a, want{kind: KindZip, format: "zip", files: map[string]string{"liar.py": "short"}, diags: []string{"liar.py: entry is truncated or corrupt"}})
	if f := a.Lookup("liar.py"); cap(f.Data) > 1<<20 {
		t.Errorf("lying size kept a %d-byte buffer", cap(f.Data))
	}

	// A truncated zip (no central directory) is a diagnostic, not an error.
	data = wheel(t)[:200]
	a, err = Read(bytes.NewReader(data), int64(len(data)), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	checkArtifact(t, a, want{kind: KindZip, format: "zip", files: map[string]string{}, diags: []string{"zip archive is corrupt"}})
}

func TestZipEntryCutIsExact(t *testing.T) {
	// Cut the central directory at 65535 records: archive/zip must not be
	// asked to find zip64 records.
	data := zipN(t, 70000)
	a, err := Read(bytes.NewReader(data), int64(len(data)), Limits{MaxFiles: 65535})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Files) != 65534 {
		t.Errorf("kept %d files; want 65534", len(a.Files))
	}
	a, err = Read(bytes.NewReader(data), int64(len(data)), Limits{MaxFiles: 69999})
	if err != nil || len(a.Files) != 69999 {
		t.Fatalf("kept %d files, %v; want 69999", len(a.Files), err)
	}
	a, err = Read(bytes.NewReader(data), int64(len(data)), Limits{MaxFiles: 70000})
	if err != nil || len(a.Files) != 70000 || len(a.Diagnostics) != 0 {
		t.Fatalf("kept %d files, %v, %v; want 70000", len(a.Files), a.Diagnostics, err)
	}
}

func TestDiagnosticsCapped(t *testing.T) {
	var es []tarEntry
	for i := range 3000 {
		es = append(es, tarEntry{name: fmt.Sprintf("../evil%d", i), body: "x"})
	}
	data := makeTar(t, es...)
	a, err := Read(bytes.NewReader(data), int64(len(data)), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Diagnostics) != maxDiagnostics+1 || !strings.Contains(a.Diagnostics[maxDiagnostics].Message, "2000 more diagnostics") {
		t.Fatalf("%d diagnostics, last %v", len(a.Diagnostics), a.Diagnostics[len(a.Diagnostics)-1])
	}
}

func TestFSView(t *testing.T) {
	a, err := Read(bytes.NewReader(gz(t, sdistTar(t))), int64(len(gz(t, sdistTar(t)))), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	fsys := a.FS()
	if err := fstest.TestFS(fsys, "PKG-INFO", "setup.py", "demo/__init__.py"); err != nil {
		t.Fatal(err)
	}
	data, _ := fs.ReadFile(fsys, "setup.py")
	data[0] = 'X' // ReadFile returns a copy
	if a.Lookup("setup.py").Data[0] != 'f' {
		t.Fatal("ReadFile exposed the artifact's buffer")
	}
	fi, _ := fs.Stat(fsys, "setup.py")
	if fi.Sys().(*File) != a.Lookup("setup.py") {
		t.Fatal("Sys is not the *File")
	}
	// An empty artifact is an empty FS.
	if err := fstest.TestFS((&Artifact{}).FS()); err != nil {
		t.Fatal(err)
	}
}
