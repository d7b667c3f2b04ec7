//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package safeio

import (
	"os"
	"syscall"
)

// OpenNoFollow opens name for reading without following a symbolic link in
// its last component and without blocking on a FIFO. Callers must still
// check the kind of file they got with Stat.
func OpenNoFollow(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
}
