//go:build unix

package safeio

import (
	"path/filepath"
	"syscall"
	"testing"
)

func TestReadFileFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(fifo, 10); err == nil {
		t.Fatal("a FIFO was read")
	}
}
