package advisory

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const feedRecord = `{"id":"MAL-2026-1","modified":"2026-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"PyPI","name":"x"},"versions":["1"]}]}`

func writeZip(t *testing.T, p string, files map[string][]byte) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for n, b := range files {
		w, _ := zw.Create(n)
		w.Write(b)
	}
	zw.Close()
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func collect(t *testing.T, p string) (ok []string, bad []string, err error) {
	err = ReadFeed(context.Background(), p, func(r Record) error {
		if r.Err != nil {
			bad = append(bad, r.Name)
		} else {
			ok = append(ok, r.Advisory.ID)
		}
		return nil
	})
	return
}

func TestReadFeedZip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "all.zip")
	writeZip(t, p, map[string][]byte{
		"MAL-2026-1.json": []byte(feedRecord),
		"broken.json":     []byte(`{"id":`),
		"README.txt":      []byte("not a record"),
		"huge.json":       bytes.Repeat([]byte(" "), MaxSize+10),
	})
	ok, bad, err := collect(t, p)
	if err != nil || len(ok) != 1 || ok[0] != "MAL-2026-1" || len(bad) != 2 {
		t.Fatalf("ok %v bad %v err %v", ok, bad, err)
	}
}

func TestReadFeedDir(t *testing.T) {
	d := t.TempDir()
	os.MkdirAll(filepath.Join(d, "osv", "malicious", "pypi", "x"), 0o755)
	os.MkdirAll(filepath.Join(d, ".git"), 0o755)
	os.WriteFile(filepath.Join(d, "osv", "malicious", "pypi", "x", "MAL-2026-1.json"), []byte(feedRecord), 0o644)
	os.WriteFile(filepath.Join(d, ".git", "MAL-2026-2.json"), []byte(feedRecord), 0o644)
	outside := filepath.Join(t.TempDir(), "secret.json")
	os.WriteFile(outside, []byte(feedRecord), 0o644)
	os.Symlink(outside, filepath.Join(d, "link.json"))
	ok, bad, err := collect(t, d)
	if err != nil || len(ok) != 1 || len(bad) != 0 {
		t.Fatalf("ok %v bad %v err %v", ok, bad, err)
	}
}

func TestReadFeedNotAZip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.zip")
	os.WriteFile(p, []byte("PK\x03\x04garbage"), 0o644)
	if _, _, err := collect(t, p); err == nil || !strings.Contains(err.Error(), "not a readable OSV zip") {
		t.Fatalf("err %v", err)
	}
}

func TestFetch(t *testing.T) {
	body := []byte("zipbytes")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok":
			if r.Header.Get("If-None-Match") == `"v1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"v1"`)
			w.Write(body)
		case "/short":
			w.Header().Set("Content-Length", "100")
			w.Write(body)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	ctx := context.Background()
	dl, err := Fetch(ctx, srv.Client(), srv.URL+"/ok", dir, "", "")
	if err != nil || dl.ETag != `"v1"` {
		t.Fatalf("%+v %v", dl, err)
	}
	if b, _ := os.ReadFile(dl.Path); !bytes.Equal(b, body) {
		t.Fatal("body differs")
	}
	os.Remove(dl.Path)
	if dl, err := Fetch(ctx, srv.Client(), srv.URL+"/ok", dir, `"v1"`, ""); err != nil || !dl.NotModified {
		t.Fatalf("%+v %v", dl, err)
	}
	if _, err := Fetch(ctx, srv.Client(), srv.URL+"/short", dir, "", ""); err == nil {
		t.Fatal("a truncated body must fail")
	}
	if _, err := Fetch(ctx, srv.Client(), srv.URL+"/missing", dir, "", ""); err == nil || !strings.Contains(err.Error(), "404") {
		t.Fatalf("err %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Fatalf("partial downloads left behind: %v", ents)
	}
	stop := errors.New("stop")
	p := filepath.Join(dir, "a.zip")
	writeZip(t, p, map[string][]byte{"a.json": []byte(feedRecord), "b.json": []byte(feedRecord)})
	n := 0
	if err := ReadFeed(ctx, p, func(Record) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
		t.Fatalf("callback error not returned: %v after %d", err, n)
	}
}

func FuzzReadFeedZip(f *testing.F) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("a.json")
	w.Write([]byte(feedRecord))
	zw.Close()
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "f.zip")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Skip()
		}
		_ = ReadFeed(context.Background(), p, func(r Record) error {
			if r.Err == nil && r.Advisory == nil {
				t.Fatal("record without advisory or error")
			}
			return nil
		})
	})
}
