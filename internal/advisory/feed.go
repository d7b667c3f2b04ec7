package advisory

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/airlock-sec/airlock/internal/artifact/safeio"
)

// Feeds: the shapes OSV data is published in. A bulk export is a zip with
// one <ID>.json per advisory; the OpenSSF malicious-packages repository and
// similar checkouts are directory trees of <ID>.json files.

// MaxFeedRecords bounds the number of files one feed may hold.
const MaxFeedRecords = 2_000_000

// MaxDownload bounds a downloaded feed, in bytes.
const MaxDownload = 4 << 30

// Record is one file of a feed: its name inside the feed and, when it
// parsed, the advisory and its raw JSON.
type Record struct {
	Name     string
	Advisory *Advisory
	JSON     []byte
	// Err is set when the file is not a usable OSV record; the feed goes on.
	Err error
}

// ReadFeed reads a feed at p — a zip file or a directory tree of OSV JSON —
// and calls fn for every *.json file in it, in a stable order. A file that
// does not parse reaches fn with Err set. fn's error stops the walk and is
// returned.
func ReadFeed(ctx context.Context, p string, fn func(Record) error) error {
	st, err := os.Stat(p)
	if err != nil {
		return err
	}
	if st.IsDir() {
		return readDirFeed(ctx, p, fn)
	}
	return readZipFeed(ctx, p, fn)
}

func readZipFeed(ctx context.Context, p string, fn func(Record) error) error {
	zr, err := zip.OpenReader(p)
	if err != nil {
		return fmt.Errorf("%s: not a readable OSV zip: %w", p, err)
	}
	defer zr.Close()
	n := 0
	for _, f := range zr.File {
		if f.FileInfo().IsDir() || !strings.EqualFold(path.Ext(f.Name), ".json") {
			continue
		}
		if n++; n > MaxFeedRecords {
			return fmt.Errorf("%s: more than %d records; refusing the rest", p, MaxFeedRecords)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rec := Record{Name: f.Name}
		if f.UncompressedSize64 > MaxSize {
			rec.Err = ErrTooLarge
		} else {
			rec.JSON, rec.Err = readZipEntry(f)
		}
		if rec.Err == nil {
			rec.Advisory, rec.Err = Parse(rec.JSON)
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	return nil
}

func readZipEntry(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	// the header's size may lie: read at most one byte past the limit
	data, err := io.ReadAll(io.LimitReader(rc, MaxSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxSize {
		return nil, ErrTooLarge
	}
	return data, nil
}

func readDirFeed(ctx context.Context, root string, fn func(Record) error) error {
	n := 0
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			rel, _ := filepath.Rel(root, p)
			return fn(Record{Name: filepath.ToSlash(rel), Err: err})
		}
		if d.IsDir() {
			if p != root && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir // .git and friends
			}
			return nil
		}
		// symbolic links are not followed: a checkout has none, and one
		// pointing out of the tree must not be read
		if !d.Type().IsRegular() || !strings.EqualFold(filepath.Ext(p), ".json") {
			return nil
		}
		if n++; n > MaxFeedRecords {
			return fmt.Errorf("%s: more than %d records; refusing the rest", root, MaxFeedRecords)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rec := Record{Name: filepath.ToSlash(rel)}
		rec.JSON, rec.Err = readBounded(p)
		if rec.Err == nil {
			rec.Advisory, rec.Err = Parse(rec.JSON)
		}
		return fn(rec)
	})
}

func readBounded(p string) ([]byte, error) {
	data, err := safeio.ReadFile(p, MaxSize)
	if errors.Is(err, safeio.ErrFileTooLarge) {
		return nil, ErrTooLarge
	}
	return data, err
}

// Download is the result of Fetch.
type Download struct {
	// NotModified is set when the server answered that the copy named by
	// the validators is current; Path is then empty.
	NotModified bool
	// Path is the downloaded file (the caller removes it).
	Path string
	// ETag and LastModified are the validators to send next time.
	ETag, LastModified string
}

// ErrDownloadTooLarge is returned when a feed exceeds MaxDownload.
var ErrDownloadTooLarge = errors.New("download larger than 4 GiB")

// Fetch downloads url into a new file in dir with a conditional request
// (If-None-Match / If-Modified-Since from the previous validators). The
// whole download is bounded by ctx and MaxDownload; a partial file is
// removed.
func Fetch(ctx context.Context, client *http.Client, url, dir, etag, lastModified string) (Download, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return Download{}, err
	}
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	if lastModified != "" {
		req.Header.Set("If-Modified-Since", lastModified)
	}
	req.Header.Set("User-Agent", "airlock (advisory update)")
	resp, err := client.Do(req)
	if err != nil {
		return Download{}, err
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotModified:
		return Download{NotModified: true, ETag: etag, LastModified: lastModified}, nil
	case resp.StatusCode != http.StatusOK:
		return Download{}, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	if resp.ContentLength > MaxDownload {
		return Download{}, ErrDownloadTooLarge
	}
	f, err := os.CreateTemp(dir, ".airlock-feed-*.zip")
	if err != nil {
		return Download{}, err
	}
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	n, err := io.Copy(f, io.LimitReader(resp.Body, MaxDownload+1))
	if err != nil {
		return Download{}, fmt.Errorf("GET %s: %w", url, err)
	}
	if n > MaxDownload {
		return Download{}, ErrDownloadTooLarge
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return Download{}, fmt.Errorf("GET %s: body ended after %d of %d bytes", url, n, resp.ContentLength)
	}
	if err := f.Close(); err != nil {
		return Download{}, err
	}
	ok = true
	return Download{Path: f.Name(), ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}, nil
}

// DefaultHTTPClient bounds a feed download: connecting and the first
// response byte are quick, the body may take a while.
func DefaultHTTPClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.ResponseHeaderTimeout = 60 * time.Second
	return &http.Client{Transport: tr, Timeout: 30 * time.Minute}
}
