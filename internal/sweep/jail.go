package sweep

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/airlock-sec/airlock/internal/artifact/safeio"
)

// jail gives read-only access to the files below one directory, treating it
// as the host's "/": absolute symlink targets are resolved below the root
// (as they would be inside a chroot), and a link that climbs above the root
// is refused. Every open goes through an os.Root, so even a path swapped
// for a symlink between resolution and use cannot leave the root.
//
// Host paths are slash-separated, absolute and clean ("/home/u/.bashrc");
// they never include the root's own location on this machine.
type jail struct {
	root   *os.Root
	osRoot string // absolute, symlink-free location of the root on this machine
}

var (
	errEscape     = errors.New("symlink leads outside the root; not followed")
	errLoop       = errors.New("too many levels of symbolic links")
	errNotRegular = errors.New("not a regular file")
)

// maxLinks bounds the symlinks followed while resolving one path, as the
// kernel's ELOOP limit does.
const maxLinks = 40

func openJail(dir string) (*jail, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("sweep root %q: %w", dir, err)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, fmt.Errorf("sweep root %q: %w", dir, err)
	}
	fi, err := os.Stat(real)
	if err != nil {
		return nil, fmt.Errorf("sweep root %q: %w", dir, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("sweep root %q is not a directory; pass the directory to treat as \"/\"", dir)
	}
	r, err := os.OpenRoot(real)
	if err != nil {
		return nil, fmt.Errorf("sweep root %q: %w", dir, err)
	}
	return &jail{root: r, osRoot: real}, nil
}

func (j *jail) close() { j.root.Close() }

// cleanHost turns p into a clean absolute slash-separated host path.
func cleanHost(p string) string { return path.Clean("/" + filepath.ToSlash(p)) }

// rootName is the name os.Root wants for a host path.
func rootName(host string) string {
	r := strings.TrimPrefix(cleanHost(host), "/")
	if r == "" {
		return "."
	}
	return filepath.FromSlash(r)
}

// osPath is where a (resolved) host path lives on this machine. Only for
// the ecosystem readers that take real paths; they keep their own
// containment below the directory they are given.
func (j *jail) osPath(host string) string {
	return filepath.Join(j.osRoot, filepath.FromSlash(strings.TrimPrefix(cleanHost(host), "/")))
}

// hostPath maps a path on this machine back to a host path; paths outside
// the root are returned unchanged.
func (j *jail) hostPath(osPath string) string {
	rel, err := filepath.Rel(j.osRoot, osPath)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return osPath
	}
	return cleanHost(rel)
}

func splitHost(p string) []string {
	var out []string
	for _, c := range strings.Split(filepath.ToSlash(p), "/") {
		if c != "" && c != "." {
			out = append(out, c)
		}
	}
	return out
}

// resolve returns the real host path of p with every symlink resolved
// inside the jail. It fails when a component is missing, when a link
// climbs above the root (errEscape) or when links nest too deep (errLoop).
func (j *jail) resolve(p string) (string, error) {
	var out []string
	todo := splitHost(cleanHost(p))
	links := 0
	for len(todo) > 0 {
		c := todo[0]
		todo = todo[1:]
		if c == ".." {
			if len(out) == 0 {
				return "", errEscape
			}
			out = out[:len(out)-1]
			continue
		}
		cur := "/" + path.Join(strings.Join(out, "/"), c)
		fi, err := j.root.Lstat(rootName(cur))
		if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			out = append(out, c)
			continue
		}
		if links++; links > maxLinks {
			return "", errLoop
		}
		target, err := j.root.Readlink(rootName(cur))
		if err != nil {
			return "", err
		}
		if strings.HasPrefix(target, "/") {
			out = out[:0]
		}
		// a link's ".." climbs from the directory holding it, which is out
		todo = append(splitHost(target), todo...)
	}
	return "/" + strings.Join(out, "/"), nil
}

// lstat stats a host path without following a final symlink.
func (j *jail) lstat(host string) (fs.FileInfo, error) { return j.root.Lstat(rootName(host)) }

// statDir reports whether the resolved host path is a directory.
func (j *jail) isDir(host string) bool {
	fi, err := j.root.Lstat(rootName(host))
	return err == nil && fi.IsDir()
}

// isFile reports whether the resolved host path is a regular file.
func (j *jail) isFile(host string) bool {
	fi, err := j.root.Lstat(rootName(host))
	return err == nil && fi.Mode().IsRegular()
}

// readDir lists a resolved directory, sorted by name, reading at most
// limit entries (all when limit <= 0); truncated reports that more exist.
func (j *jail) readDir(host string, limit int) (entries []fs.DirEntry, truncated bool, err error) {
	f, err := j.root.Open(rootName(host))
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	if limit <= 0 {
		entries, err = f.ReadDir(-1)
	} else {
		entries, err = f.ReadDir(limit + 1)
		if len(entries) > limit {
			entries, truncated = entries[:limit], true
		}
		if errors.Is(err, io.EOF) {
			err = nil
		}
	}
	sort.Slice(entries, func(a, b int) bool { return entries[a].Name() < entries[b].Name() })
	return entries, truncated, err
}

// readFile reads a resolved regular file, at most max bytes. truncated
// reports that the file is longer. Devices, FIFOs and sockets are refused
// without blocking.
func (j *jail) readFile(host string, max int64) (data []byte, fi fs.FileInfo, truncated bool, err error) {
	fi, err = j.root.Lstat(rootName(host))
	if err != nil {
		return nil, nil, false, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fi, false, errNotRegular
	}
	f, err := j.root.OpenFile(rootName(host), openFlags, 0)
	if err != nil {
		return nil, fi, false, err
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() || !os.SameFile(fi, st) {
		return nil, fi, false, errors.New("file changed while being opened")
	}
	data, truncated, err = safeio.ReadAtMost(f, max)
	return data, fi, truncated, err
}

// errText is an error's message without the path os.Root puts in front.
func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		err = le.Err
	}
	return err.Error()
}
