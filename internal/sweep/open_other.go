//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package sweep

import (
	"os"
)

const openFlags = os.O_RDONLY
