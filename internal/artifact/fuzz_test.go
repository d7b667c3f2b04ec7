package artifact

import (
	"archive/tar"
	"bytes"
	"errors"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/airlock-sec/airlock/internal/artifact/safeio"
)

var fuzzLimits = Limits{
	MaxInputBytes: 4 << 20,
	MaxTotalBytes: 16 << 20,
	MaxFileBytes:  1 << 20,
	MaxFiles:      1000,
	MaxDepth:      16,
}

func FuzzRead(f *testing.F) {
	f.Add(wheel(f))
	f.Add(sdistTar(f))
	f.Add(gz(f, sdistTar(f)))
	f.Add(xzc(f, sdistTar(f)))
	f.Add(multiTarBz2)
	f.Add(gz(f, npmTar(f, "package")))
	f.Add(makeZip(f, zipEntry{name: "../x", body: "x"}, zipEntry{name: "l", body: "/etc", mode: fs.ModeSymlink}, zipEntry{name: "s", body: "stored", stored: true}))
	f.Add(makeTar(f, tarEntry{name: "a", typ: tar.TypeSymlink, link: "/"}, tarEntry{name: "a", body: "dup"}, tarEntry{name: "b", typ: 'X', body: "x"}))
	f.Add(append([]byte("prefix"), wheel(f)...))
	for _, tc := range readCases(f) {
		if len(tc.data) < 64<<10 {
			f.Add(tc.data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := Read(bytes.NewReader(data), int64(len(data)), fuzzLimits)
		if err != nil {
			if !errors.Is(err, ErrNotArchive) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("unexpected error: %v", err)
			}
			return
		}
		checkInvariants(t, a, fuzzLimits)
	})
}

func checkInvariants(t *testing.T, a *Artifact, lim Limits) {
	t.Helper()
	for i, f := range a.Files {
		if i > 0 && a.Files[i-1].Path >= f.Path {
			t.Fatalf("files not sorted or duplicated: %q, %q", a.Files[i-1].Path, f.Path)
		}
		if !fs.ValidPath(f.Path) || f.Path == "." {
			t.Fatalf("invalid path %q", f.Path)
		}
		if safeio.Depth(f.Path) > lim.MaxDepth {
			t.Fatalf("path %q too deep", f.Path)
		}
		if int64(len(f.Data)) > lim.MaxFileBytes {
			t.Fatalf("%q holds %d bytes", f.Path, len(f.Data))
		}
		if f.Truncated != (int64(len(f.Data)) < f.Size) {
			t.Fatalf("%q: truncated %v, %d of %d bytes", f.Path, f.Truncated, len(f.Data), f.Size)
		}
		if f.Mode&^fs.ModePerm != 0 {
			t.Fatalf("%q: mode %v", f.Path, f.Mode)
		}
	}
	if a.TotalBytes() > lim.MaxTotalBytes {
		t.Fatalf("holds %d bytes", a.TotalBytes())
	}
	if len(a.Diagnostics) > maxDiagnostics+1 {
		t.Fatalf("%d diagnostics", len(a.Diagnostics))
	}
	if len(a.Files) <= 64 {
		if err := fstest.TestFS(a.FS(), paths(a)...); err != nil {
			t.Fatalf("TestFS: %v", err)
		}
	}
}
