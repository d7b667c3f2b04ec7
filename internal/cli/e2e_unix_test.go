//go:build unix

package cli

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// A named pipe given as a target must not hang the scan: opening a FIFO
// for reading blocks until a writer appears.
func TestE2EFifoTarget(t *testing.T) {
	p := filepath.Join(t.TempDir(), "pipe.whl")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan cliResult, 1)
	go func() {
		r, panicked := callMain("scan", "--format", "json", p)
		if panicked != nil {
			r.stderr += "\npanic: " + panicked.(string)
		}
		done <- r
	}()
	select {
	case r := <-done:
		if r.code != ExitOK && r.code != ExitUsage {
			t.Errorf("exit %d, want 0 or 2\n%s", r.code, r.stderr)
		}
	case <-time.After(2 * time.Second):
		// release the blocked open: a writer opens the pipe and closes it
		if w, err := os.OpenFile(p, os.O_WRONLY, 0); err == nil {
			w.Close()
		}
		select {
		case <-done:
		case <-time.After(5 * time.Second):
		}
		t.Fatal("a FIFO named on the command line blocked the scan")
	}
}
