package safeio

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

func TestCleanPath(t *testing.T) {
	tests := []struct {
		in   string
		want string
		err  error
	}{
		{"a/b.py", "a/b.py", nil},
		{"./a/./b.py", "a/b.py", nil},
		{"a//b/", "a/b", nil},
		{"a/b/../c", "a/c", nil},
		{`pkg\mod.py`, "pkg/mod.py", nil},
		{"..foo", "..foo", nil},
		{"a/..b", "a/..b", nil},
		{"", "", ErrEmptyPath},
		{".", "", ErrEmptyPath},
		{"./", "", ErrEmptyPath},
		{"a/..", "", ErrEmptyPath},
		{"a\x00b", "", ErrNULPath},
		{"/etc/passwd", "", ErrAbsolute},
		{"//server/share", "", ErrAbsolute},
		{`\\server\share\x`, "", ErrAbsolute},
		{`\windows\x`, "", ErrAbsolute},
		{"C:/evil", "", ErrDrivePath},
		{`C:\evil`, "", ErrDrivePath},
		{"c:evil", "", ErrDrivePath},
		{"..", "", ErrTraversal},
		{"../evil", "", ErrTraversal},
		{"a/../../evil", "", ErrTraversal},
		{`..\..\evil`, "", ErrTraversal},
		{"a/b/../../../c", "", ErrTraversal},
	}
	for _, tt := range tests {
		got, err := CleanPath(tt.in)
		if !errors.Is(err, tt.err) || got != tt.want {
			t.Errorf("CleanPath(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestIsRootDepth(t *testing.T) {
	for _, s := range []string{"", ".", "./", "/", "./."} {
		if !IsRoot(s) {
			t.Errorf("IsRoot(%q) = false", s)
		}
	}
	for _, s := range []string{"a", "..", "../", "./a", "..."} {
		if IsRoot(s) {
			t.Errorf("IsRoot(%q) = true", s)
		}
	}
	if Depth("a") != 1 || Depth("a/b/c") != 3 || Depth("") != 0 {
		t.Error("Depth")
	}
}

func TestDisplay(t *testing.T) {
	if got := Display("a\x1b[31mb\xff"); got != "a\uFFFD[31mb\uFFFD" {
		t.Errorf("Display = %q", got)
	}
	long := strings.Repeat("é", 1000)
	got := Display(long)
	if !utf8.ValidString(got) || len(got) > maxDisplay+8 || !strings.Contains(got, "…") {
		t.Errorf("Display(long) = %d bytes, valid %v", len(got), utf8.ValidString(got))
	}
	if s, bad := ValidUTF8("ok\xffok"); !bad || s != "ok\uFFFDok" {
		t.Errorf("ValidUTF8 = %q %v", s, bad)
	}
}

func TestReadAtMost(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789"), 1000)
	tests := []struct {
		name  string
		r     io.Reader
		max   int64
		want  int
		trunc bool
	}{
		{"under", bytes.NewReader(data), 20000, 10000, false},
		{"exact", bytes.NewReader(data), 10000, 10000, false},
		{"over", bytes.NewReader(data), 9999, 9999, true},
		{"zero", bytes.NewReader(data), 0, 0, true},
		{"empty", bytes.NewReader(nil), 10, 0, false},
		{"onebyte", iotest.OneByteReader(bytes.NewReader(data)), 5000, 5000, true},
		{"dataerr", iotest.DataErrReader(bytes.NewReader(data)), 100000, 10000, false},
	}
	for _, tt := range tests {
		got, trunc, err := ReadAtMost(tt.r, tt.max)
		if err != nil || len(got) != tt.want || trunc != tt.trunc || !bytes.Equal(got, data[:tt.want]) {
			t.Errorf("%s: got %d bytes, truncated %v, err %v; want %d, %v", tt.name, len(got), trunc, err, tt.want, tt.trunc)
		}
	}
	boom := errors.New("boom")
	got, _, err := ReadAtMost(io.MultiReader(bytes.NewReader(data[:10]), iotest.ErrReader(boom)), 100)
	if !errors.Is(err, boom) || len(got) != 10 {
		t.Errorf("error: %d bytes, %v", len(got), err)
	}
	if _, _, err := ReadAtMost(zeroReader{}, 100); !errors.Is(err, io.ErrNoProgress) {
		t.Errorf("no progress: %v", err)
	}
}

type zeroReader struct{}

func (zeroReader) Read([]byte) (int, error) { return 0, nil }

// endless yields bytes forever without allocating.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestReadAtMostEndless(t *testing.T) {
	got, trunc, err := ReadAtMost(endless{}, 1<<20)
	if err != nil || !trunc || len(got) != 1<<20 || cap(got) > 1<<20 {
		t.Fatalf("got %d (cap %d) %v %v", len(got), cap(got), trunc, err)
	}
}

func TestAppendAtMostCharge(t *testing.T) {
	var charged int64
	charge := func(n int64) error {
		charged += n
		if charged > 10000 {
			return ErrTotalSize
		}
		return nil
	}
	// A buffer sized exactly to the content never grows.
	buf := make([]byte, 0, 100)
	out, eof, err := AppendAtMost(buf, bytes.NewReader(make([]byte, 100)), 1000, charge)
	if err != nil || !eof || len(out) != 100 || charged != 0 {
		t.Fatalf("exact: %d %v %v charged %d", len(out), eof, err, charged)
	}
	_, _, err = AppendAtMost(nil, endless{}, 1<<20, charge)
	if !errors.Is(err, ErrTotalSize) {
		t.Fatalf("charge refused: %v", err)
	}
}

func TestBudget(t *testing.T) {
	b := &Budget{MaxBytes: 100, MaxFiles: 2}
	if b.AddFile() != nil || b.AddFile() != nil {
		t.Fatal("files under limit refused")
	}
	if err := b.AddFile(); !errors.Is(err, ErrTooManyFiles) {
		t.Fatalf("third file: %v", err)
	}
	if err := b.Add(1); !errors.Is(err, ErrTooManyFiles) {
		t.Fatalf("budget not sticky: %v", err)
	}

	b = &Budget{MaxBytes: 1000}
	r := b.Reader(bytes.NewReader(make([]byte, 5000)))
	n, err := io.Copy(io.Discard, r)
	if !errors.Is(err, ErrTotalSize) || n > 1000+32*1024 || b.Remaining() != 0 {
		t.Fatalf("reader: %d %v", n, err)
	}

	b = &Budget{MaxRatio: 10, RatioFloor: 100, Compressed: 5}
	if err := b.Add(100); err != nil {
		t.Fatalf("under floor: %v", err)
	}
	if err := b.Add(1); !errors.Is(err, ErrRatio) {
		t.Fatalf("over ratio: %v", err)
	}
	b = &Budget{}
	if b.Add(1<<40) != nil || b.AddFile() != nil || b.Remaining() <= 0 {
		t.Fatal("zero budget must not limit")
	}
}

func TestOpenNoFollow(t *testing.T) {
	dir := t.TempDir()
	if err := writeFile(dir+"/f", "x"); err != nil {
		t.Fatal(err)
	}
	f, err := OpenNoFollow(dir + "/f")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := symlink(dir+"/f", dir+"/l"); err != nil {
		t.Skip("no symlinks:", err)
	}
	if f, err := OpenNoFollow(dir + "/l"); err == nil {
		f.Close()
		t.Fatal("opened a symlink")
	}
	if _, err := OpenNoFollow(dir + "/missing"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing: %v", err)
	}
}

func FuzzCleanPath(f *testing.F) {
	for _, s := range []string{"a/b", "../x", "/abs", `C:\x`, "a/./b/../c", "\x00", `\\srv\x`, "a\xffb", ".", "…/..", "a/b/../../.."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		clean, err := CleanPath(name)
		if err != nil {
			if clean != "" {
				t.Fatalf("error with a result %q", clean)
			}
			return
		}
		if clean == "" || clean == "." || clean == ".." || strings.HasPrefix(clean, "/") ||
			strings.HasPrefix(clean, "../") || strings.Contains(clean, `\`) || strings.IndexByte(clean, 0) >= 0 {
			t.Fatalf("CleanPath(%q) = %q", name, clean)
		}
		for _, el := range strings.Split(clean, "/") {
			if el == "" || el == "." || el == ".." {
				t.Fatalf("CleanPath(%q) = %q has element %q", name, clean, el)
			}
		}
		if len(clean) >= 2 && clean[1] == ':' && isASCIILetter(clean[0]) {
			t.Fatalf("CleanPath(%q) = %q is a drive path", name, clean)
		}
		if utf8.ValidString(clean) && !fs.ValidPath(clean) {
			t.Fatalf("CleanPath(%q) = %q is not a valid fs path", name, clean)
		}
		again, err := CleanPath(clean)
		if err != nil || again != clean {
			t.Fatalf("not idempotent: %q -> %q -> %q, %v", name, clean, again, err)
		}
	})
}
