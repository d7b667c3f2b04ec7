package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestZZDebug(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeFile(t, filepath.Join(dir, "litellm-1.82.8-py3-none-any.whl"), litellm1828Wheel(t))
	var out, errb bytes.Buffer
	code := Main([]string{"scan", "litellm-1.82.8-py3-none-any.whl", "--format", os.Getenv("FMT")}, &out, &errb)
	t.Logf("code %d\n%s\n%s", code, out.String(), errb.String())
}
