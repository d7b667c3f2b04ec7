package artifact

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/airlock-sec/airlock/internal/artifact/safeio"
)

const dirBatch = 256

// OpenDir reads the files below dir. It never follows symbolic links
// (below dir itself), and reports links, special files and anything over
// the limits as diagnostics. The result has Kind "directory" and Format
// "dir".
func OpenDir(dir string, lim Limits) (*Artifact, error) {
	lim = lim.withDefaults()
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("open directory: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("open directory %q: not a directory", dir)
	}
	b := newBuilder(lim, 0)
	b.walk(dir, "", 0)
	return b.finish(KindDirectory, "dir"), nil
}

// walk reads directory osPath, whose path relative to the root is rel
// ("" for the root) and which is depth components deep.
func (b *builder) walk(osPath, rel string, depth int) {
	open := safeio.OpenNoFollow
	if rel == "" {
		open = os.Open // the root itself may be a link; it was named by the caller
	}
	d, err := open(osPath)
	if err != nil {
		b.diag(rel, fmt.Sprintf("cannot read directory: %v", unwrapPath(err)))
		return
	}
	// Read the names in batches, never more than the entry budget allows.
	var ents []fs.DirEntry
	room := b.lim.MaxFiles - b.stream.Files() + 1
	for len(ents) < room {
		batch, err := d.ReadDir(dirBatch)
		ents = append(ents, batch...)
		if err == io.EOF {
			break
		}
		if err != nil {
			b.diag(rel, fmt.Sprintf("cannot list directory: %v", unwrapPath(err)))
			break
		}
	}
	d.Close()
	slices.SortFunc(ents, func(x, y fs.DirEntry) int { return strings.Compare(x.Name(), y.Name()) })
	for _, e := range ents {
		if b.stopped {
			return
		}
		name := e.Name()
		childOS := filepath.Join(osPath, name)
		childRel := name
		if rel != "" {
			childRel = rel + "/" + name
		}
		kind, target := kindFile, ""
		switch t := e.Type(); {
		case t.IsDir():
			kind = kindDir
		case t&fs.ModeSymlink != 0:
			kind = kindSymlink
			if target, err = os.Readlink(childOS); err != nil {
				target = "?"
			}
		case !t.IsRegular():
			kind, target = kindSpecial, specialName(t)
		}
		if kind == kindDir {
			// admit checks the name, depth and budget of the directory.
			if err := b.stream.AddFile(); err != nil {
				b.stopBudget(childRel, err)
				return
			}
			if depth+1 >= b.lim.MaxDepth {
				b.diag(childRel, fmt.Sprintf("files below this directory would be more than %d components deep; not read", b.lim.MaxDepth))
				continue
			}
			b.tops[strings.SplitN(childRel, "/", 2)[0]] = true
			b.walk(childOS, childRel, depth+1)
			continue
		}
		clean, ok := b.admit(childRel, kind, target)
		if !ok {
			continue
		}
		b.readOSFile(childOS, childRel, clean)
	}
}

// readOSFile reads one regular file without following a link in its last
// component, and checks that what was opened is still a regular file. It
// reports whether the file was kept.
func (b *builder) readOSFile(osPath, name, clean string) bool {
	f, err := safeio.OpenNoFollow(osPath)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			b.diag(name, "file is missing")
		} else {
			b.diag(name, fmt.Sprintf("cannot read file: %v", unwrapPath(err)))
		}
		return false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		b.diag(name, fmt.Sprintf("cannot read file: %v", unwrapPath(err)))
		return false
	}
	if !fi.Mode().IsRegular() {
		b.diag(name, fmt.Sprintf("%s skipped", specialName(fi.Mode().Type())))
		return false
	}
	if err := b.addFile(name, clean, fi.Mode(), b.stream.Reader(f), fi.Size()); err != nil {
		if b.budgetErr() != nil {
			b.stop(name, err)
		} else {
			b.diag(name, fmt.Sprintf("cannot read file: %v; kept the bytes read", unwrapPath(err)))
		}
	}
	return true
}

func specialName(t fs.FileMode) string {
	switch {
	case t&fs.ModeSymlink != 0:
		return "symbolic link"
	case t.IsDir():
		return "directory"
	case t&fs.ModeNamedPipe != 0:
		return "fifo"
	case t&fs.ModeSocket != 0:
		return "socket"
	case t&fs.ModeCharDevice != 0:
		return "character device"
	case t&fs.ModeDevice != 0:
		return "block device"
	}
	return "irregular file"
}

// unwrapPath drops the *PathError wrapper, whose path would repeat the
// diagnostic's and leak the absolute location.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// OpenFiles reads just the given paths, relative to root; it is meant for
// installed packages whose files are listed in a RECORD. A path that escapes
// root after cleaning, runs through a symbolic link, or is missing becomes a
// diagnostic, not an error. The result has Kind "directory" and Format "dir".
func OpenFiles(root string, rel []string, lim Limits) (*Artifact, error) {
	lim = lim.withDefaults()
	fi, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("open files: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("open files under %q: not a directory", root)
	}
	b := newBuilder(lim, 0)
	dirOK := map[string]error{} // checked parent directories
	for _, name := range rel {
		if b.stopped {
			break
		}
		clean, ok := b.admit(name, kindFile, "")
		if !ok {
			continue
		}
		if !b.readListed(root, name, clean, dirOK) {
			delete(b.seen, clean) // a later listing may still be read
		}
	}
	return b.finish(KindDirectory, "dir"), nil
}

// readListed reads one listed file and reports whether it was kept.
func (b *builder) readListed(root, name, clean string, dirOK map[string]error) bool {
	if err := checkParents(root, clean, dirOK); err != nil {
		b.diag(name, err.Error())
		return false
	}
	osPath := filepath.Join(root, filepath.FromSlash(clean))
	fi, err := os.Lstat(osPath)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		b.diag(name, "listed file is missing")
		return false
	case err != nil:
		b.diag(name, fmt.Sprintf("cannot read file: %v", unwrapPath(err)))
		return false
	case fi.Mode()&fs.ModeSymlink != 0:
		target, err := os.Readlink(osPath)
		if err != nil {
			target = "?"
		}
		b.diag(name, fmt.Sprintf("symbolic link to %q not followed", safeio.Display(target)))
		return false
	case !fi.Mode().IsRegular():
		b.diag(name, fmt.Sprintf("%s skipped", specialName(fi.Mode().Type())))
		return false
	}
	return b.readOSFile(osPath, name, clean)
}

// checkParents makes sure every directory between root and clean's last
// component is a real directory, not a symbolic link.
func checkParents(root, clean string, cache map[string]error) error {
	dir := ""
	parts := strings.Split(clean, "/")
	for _, p := range parts[:len(parts)-1] {
		if dir == "" {
			dir = p
		} else {
			dir += "/" + p
		}
		err, seen := cache[dir]
		if !seen {
			fi, lerr := os.Lstat(filepath.Join(root, filepath.FromSlash(dir)))
			switch {
			case errors.Is(lerr, fs.ErrNotExist):
				err = fmt.Errorf("file is missing (no directory %q)", dir)
			case lerr != nil:
				err = fmt.Errorf("cannot read directory %q: %v", dir, unwrapPath(lerr))
			case fi.Mode()&fs.ModeSymlink != 0:
				err = fmt.Errorf("path runs through the symbolic link %q; not followed", dir)
			case !fi.IsDir():
				err = fmt.Errorf("%q is not a directory", dir)
			}
			cache[dir] = err
		}
		if err != nil {
			return err
		}
	}
	return nil
}
