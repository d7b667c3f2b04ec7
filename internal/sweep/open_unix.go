//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package sweep

import (
	"os"
	"syscall"
)

// openFlags never block on a FIFO that appeared after the type check.
const openFlags = os.O_RDONLY | syscall.O_NONBLOCK
