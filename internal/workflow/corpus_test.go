package workflow

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// corpusDir is the unzipped real-world workflow corpus
// (/work/shared/corpus/workflows-realworld.zip, password "infected"),
// named by AIRLOCK_WORKFLOW_CORPUS; tests and benchmarks that need it are
// skipped without it.
func corpusFiles(tb testing.TB) map[string][]byte {
	tb.Helper()
	dir := os.Getenv("AIRLOCK_WORKFLOW_CORPUS")
	if dir == "" {
		tb.Skip("AIRLOCK_WORKFLOW_CORPUS is not set (unzip workflows-realworld.zip there)")
	}
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, de os.DirEntry, err error) error {
		if err != nil || de.IsDir() {
			return err
		}
		if !strings.HasSuffix(p, ".yml") && !strings.HasSuffix(p, ".yaml") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out[p] = data
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if len(out) == 0 {
		tb.Fatalf("no workflow files under %s", dir)
	}
	return out
}

// TestParseCorpus parses every real-world workflow as GitHub: none may
// fail, and the diagnostics are listed (go test -v) for review.
func TestParseCorpus(t *testing.T) {
	files := corpusFiles(t)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	clean, jobs, steps, uses, runs, calls := 0, 0, 0, 0, 0, 0
	byMsg := map[string]int{}
	for _, n := range names {
		f, diags, err := Parse(n, files[n], GitHub)
		if err != nil {
			t.Errorf("%s: %v", n, err)
			continue
		}
		if len(diags) == 0 {
			clean++
		}
		for _, d := range diags {
			t.Logf("%s: %s", filepath.Base(n), d.Message)
			msg := d.Message
			if i := strings.Index(msg, ": "); strings.HasPrefix(msg, "line ") && i > 0 {
				msg = msg[i+2:]
			}
			byMsg[msg]++
		}
		checkPositions(t, filepath.Base(n), f)
		if os.Getenv("AIRLOCK_WORKFLOW_CORPUS_CALLS") != "" {
			for _, c := range f.CalledScripts {
				t.Logf("call %s:%d %s | %s", filepath.Base(n), c.Pos.Line, c.Value, strings.TrimSpace(f.Lines[c.Pos.Line-1]))
			}
		}
		jobs += len(f.Jobs)
		for _, j := range f.Jobs {
			steps += len(j.Steps)
			for _, s := range j.Steps {
				if s.Uses != nil {
					uses++
				}
				if s.Run != nil {
					runs++
				}
			}
		}
		calls += len(f.CalledScripts)
	}
	t.Logf("%d files, %d without diagnostics; %d jobs, %d steps (%d uses, %d run), %d called scripts", len(names), clean, jobs, steps, uses, runs, calls)
	for m, c := range byMsg {
		t.Logf("%4d × %s", c, m)
	}
}

// BenchmarkParseCorpus parses the whole corpus once per iteration and
// reports workflows/s.
func BenchmarkParseCorpus(b *testing.B) {
	files := corpusFiles(b)
	datas := make([][]byte, 0, len(files))
	names := make([]string, 0, len(files))
	size := 0
	for n, d := range files {
		names = append(names, n)
		datas = append(datas, d)
		size += len(d)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for i, d := range datas {
			if _, _, err := Parse(names[i], d, GitHub); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(datas))*float64(b.N)/b.Elapsed().Seconds(), "workflows/s")
}

// checkPositions verifies that positions point at what they name: a
// one-line value at its line and column, a literal block script's lines
// at Pos.Line+i, a uses: comment on the uses: line.
func checkPositions(t *testing.T, name string, f *File) {
	t.Helper()
	at := func(what string, s Str) {
		if !s.IsSet() || strings.Contains(s.Value, "\n") {
			return
		}
		if s.Pos.Line > len(f.Lines) {
			t.Errorf("%s: %s %q at %+v: past the end", name, what, s.Value, s.Pos)
			return
		}
		line := f.Lines[s.Pos.Line-1]
		rest := line[runeOffset(line, s.Pos.Col):]
		rest = strings.TrimLeft(rest, `"'`)
		// The value's first token: escapes and folded lines change the rest.
		tok := s.Value
		if i := strings.IndexAny(tok, " \t\"'\\"); i >= 0 {
			tok = tok[:i]
		}
		if len(tok) > 16 {
			tok = tok[:16] // quoted lines may continue with "\\"
		}
		if !strings.HasPrefix(rest, tok) && !strings.HasPrefix(rest, "\\") {
			t.Errorf("%s: %s %q at %+v: line is %q", name, what, s.Value, s.Pos, line)
		}
	}
	for _, kv := range f.Env {
		at("env key", kv.Key)
	}
	for _, j := range f.Jobs {
		at("job id", j.ID)
		for _, s := range j.RunsOn {
			at("runs-on", s)
		}
		for _, s := range j.Steps {
			if s.Uses != nil {
				at("uses", s.Uses.Raw)
				line := f.Lines[s.Uses.Raw.Pos.Line-1]
				if i := strings.Index(line, " #"); i >= 0 && s.Uses.Comment == "" && !strings.Contains(line[:i], `"`) {
					t.Errorf("%s: uses at line %d: comment missed in %q", name, s.Uses.Raw.Pos.Line, line)
				}
			}
			for _, kv := range s.With {
				at("with key", kv.Key)
				at("with value", kv.Value)
			}
			for _, kv := range s.Env {
				at("env key", kv.Key)
			}
			r := s.Run
			if r == nil {
				continue
			}
			if !r.Block {
				if !strings.Contains(r.Text, "\n") {
					at("run", Str{Value: r.Text, Pos: r.Pos})
				}
				continue
			}
			indicator := f.Lines[r.Pos.Line-2]
			if !strings.Contains(indicator, "|") {
				continue // folded: lines do not map one to one
			}
			for i, tl := range strings.Split(strings.TrimSuffix(r.Text, "\n"), "\n") {
				fl := r.LineOf(i + 1)
				if fl > len(f.Lines) {
					t.Errorf("%s: run line %d maps past the end", name, i+1)
					break
				}
				if strings.TrimSpace(f.Lines[fl-1]) != strings.TrimSpace(tl) {
					t.Errorf("%s: run line %d (%q) maps to line %d (%q)", name, i+1, tl, fl, f.Lines[fl-1])
					break
				}
			}
		}
	}
}

// BenchmarkDiscoverCorpus runs Discover on a repository holding the
// corpus as .github/workflows: reading and parsing, files in parallel.
func BenchmarkDiscoverCorpus(b *testing.B) {
	files := corpusFiles(b)
	root := b.TempDir()
	dir := filepath.Join(root, ".github", "workflows")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	for n, data := range files {
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(n)), data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		got, _ := Discover(root)
		if len(got) < len(files) {
			b.Fatalf("%d files, want %d", len(got), len(files))
		}
	}
	b.ReportMetric(float64(len(files))*float64(b.N)/b.Elapsed().Seconds(), "workflows/s")
}
