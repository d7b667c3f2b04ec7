package artifact

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"
)

// FS returns a read-only fs.FS view of the files (as they are when FS is
// called). Directories are implied by the file paths. A file's size in the
// view is len(Data); its FileInfo.Sys() returns the *File, which carries the
// real size and the Truncated flag.
func (a *Artifact) FS() fs.FS {
	afs := &artifactFS{
		files: make(map[string]*File, len(a.Files)),
		dirs:  map[string][]fs.DirEntry{".": nil},
	}
	for _, f := range a.Files {
		if !fs.ValidPath(f.Path) || f.Path == "." {
			continue
		}
		if _, dup := afs.files[f.Path]; dup {
			continue
		}
		if _, isDir := afs.dirs[f.Path]; isDir {
			continue
		}
		if !afs.addParents(f.Path) {
			continue // a parent is a file
		}
		afs.files[f.Path] = f
		dir := path.Dir(f.Path)
		afs.dirs[dir] = append(afs.dirs[dir], dirEntry{fileInfo{name: path.Base(f.Path), file: f}})
	}
	for _, ents := range afs.dirs {
		slices.SortFunc(ents, func(x, y fs.DirEntry) int { return strings.Compare(x.Name(), y.Name()) })
	}
	return afs
}

type artifactFS struct {
	files map[string]*File
	dirs  map[string][]fs.DirEntry
}

// addParents makes sure every parent directory of p exists.
func (afs *artifactFS) addParents(p string) bool {
	dir := path.Dir(p)
	if dir == "." {
		return true
	}
	if _, ok := afs.dirs[dir]; ok {
		return true
	}
	if _, isFile := afs.files[dir]; isFile {
		return false
	}
	if !afs.addParents(dir) {
		return false
	}
	afs.dirs[dir] = nil
	parent := path.Dir(dir)
	afs.dirs[parent] = append(afs.dirs[parent], dirEntry{fileInfo{name: path.Base(dir), dir: true}})
	return true
}

func (afs *artifactFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if f, ok := afs.files[name]; ok {
		return &openFile{info: fileInfo{name: path.Base(name), file: f}, r: bytes.NewReader(f.Data)}, nil
	}
	if ents, ok := afs.dirs[name]; ok {
		return &openDir{info: fileInfo{name: path.Base(name), dir: true}, path: name, ents: ents}, nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

func (afs *artifactFS) ReadFile(name string) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrInvalid}
	}
	if f, ok := afs.files[name]; ok {
		return bytes.Clone(f.Data), nil
	}
	if _, ok := afs.dirs[name]; ok {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errIsDir}
	}
	return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
}

func (afs *artifactFS) Stat(name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrInvalid}
	}
	if f, ok := afs.files[name]; ok {
		return fileInfo{name: path.Base(name), file: f}, nil
	}
	if _, ok := afs.dirs[name]; ok {
		return fileInfo{name: path.Base(name), dir: true}, nil
	}
	return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
}

func (afs *artifactFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrInvalid}
	}
	ents, ok := afs.dirs[name]
	if !ok {
		if _, isFile := afs.files[name]; isFile {
			return nil, &fs.PathError{Op: "readdir", Path: name, Err: errNotDir}
		}
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	return slices.Clone(ents), nil
}

var (
	errIsDir  = errors.New("is a directory")
	errNotDir = errors.New("not a directory")
)

type fileInfo struct {
	name string
	dir  bool
	file *File
}

func (fi fileInfo) Name() string { return fi.name }
func (fi fileInfo) Size() int64 {
	if fi.file == nil {
		return 0
	}
	return int64(len(fi.file.Data))
}
func (fi fileInfo) Mode() fs.FileMode {
	if fi.dir {
		return fs.ModeDir | 0o555
	}
	return fi.file.Mode.Perm()
}
func (fi fileInfo) ModTime() time.Time { return time.Time{} }
func (fi fileInfo) IsDir() bool        { return fi.dir }
func (fi fileInfo) Sys() any {
	if fi.file == nil {
		return nil
	}
	return fi.file
}

type dirEntry struct{ info fileInfo }

func (d dirEntry) Name() string               { return d.info.name }
func (d dirEntry) IsDir() bool                { return d.info.dir }
func (d dirEntry) Type() fs.FileMode          { return d.info.Mode().Type() }
func (d dirEntry) Info() (fs.FileInfo, error) { return d.info, nil }
func (d dirEntry) String() string             { return fs.FormatDirEntry(d) }

type openFile struct {
	info   fileInfo
	r      *bytes.Reader
	closed bool
}

func (f *openFile) Stat() (fs.FileInfo, error) { return f.info, nil }

func (f *openFile) Read(p []byte) (int, error) {
	if f.closed {
		return 0, &fs.PathError{Op: "read", Path: f.info.name, Err: fs.ErrClosed}
	}
	return f.r.Read(p)
}

func (f *openFile) ReadAt(p []byte, off int64) (int, error) {
	if f.closed {
		return 0, &fs.PathError{Op: "read", Path: f.info.name, Err: fs.ErrClosed}
	}
	return f.r.ReadAt(p, off)
}

func (f *openFile) Seek(off int64, whence int) (int64, error) {
	if f.closed {
		return 0, &fs.PathError{Op: "seek", Path: f.info.name, Err: fs.ErrClosed}
	}
	return f.r.Seek(off, whence)
}

func (f *openFile) Close() error {
	if f.closed {
		return &fs.PathError{Op: "close", Path: f.info.name, Err: fs.ErrClosed}
	}
	f.closed = true
	return nil
}

type openDir struct {
	info   fileInfo
	path   string
	ents   []fs.DirEntry
	off    int
	closed bool
}

func (d *openDir) Stat() (fs.FileInfo, error) { return d.info, nil }

func (d *openDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.path, Err: errIsDir}
}

func (d *openDir) Close() error {
	if d.closed {
		return &fs.PathError{Op: "close", Path: d.path, Err: fs.ErrClosed}
	}
	d.closed = true
	return nil
}

func (d *openDir) ReadDir(n int) ([]fs.DirEntry, error) {
	if d.closed {
		return nil, &fs.PathError{Op: "readdir", Path: d.path, Err: fs.ErrClosed}
	}
	rest := d.ents[d.off:]
	if n <= 0 {
		d.off = len(d.ents)
		return slices.Clone(rest), nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(rest))
	d.off += n
	return slices.Clone(rest[:n]), nil
}
