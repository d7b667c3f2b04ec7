//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package safeio

import (
	"fmt"
	"os"
)

// OpenNoFollow opens name for reading, refusing a symbolic link in its last
// component. On this platform the check and the open are not atomic.
func OpenNoFollow(name string) (*os.File, error) {
	fi, err := os.Lstat(name)
	if err != nil {
		return nil, err
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		return nil, &os.PathError{Op: "open", Path: name, Err: fmt.Errorf("is a symbolic link")}
	}
	return os.Open(name)
}
