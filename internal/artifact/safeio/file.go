package safeio

import (
	"errors"
	"fmt"
	"os"
)

// ErrFileTooLarge is returned (wrapped) by ReadFile for a file larger than
// its limit.
var ErrFileTooLarge = errors.New("file too large")

// ReadFile reads a regular file of at most max bytes. Anything else — a
// directory, FIFO or device (which could block or never end) — or a larger
// file is an error; nothing beyond max+1 bytes is read.
func ReadFile(path string, max int64) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%s)", st.Mode().Type())
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, more, err := ReadAtMost(f, max)
	if err != nil {
		return nil, err
	}
	if more {
		return nil, fmt.Errorf("%w: larger than %d bytes; not read", ErrFileTooLarge, max)
	}
	return data, nil
}
