package pin

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// FuzzFile pins arbitrary input with a resolver that resolves everything
// to one SHA: File must not panic, must keep the output parseable whenever
// the input parsed (same documents, only uses values changed), must be a
// no-op on its own output, and Diff must describe exactly the change.
func FuzzFile(f *testing.F) {
	ins, _ := filepath.Glob(filepath.Join("testdata", "*.in.yml"))
	for _, in := range ins {
		if data, err := os.ReadFile(in); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{
		"jobs:\n  a:\n    steps:\n      - uses: a/b@v1\n",
		"jobs: {a: {steps: [{uses: a/b@v1}, {uses: 'c/d@v2'}]}}",
		"jobs:\n  a:\n    uses: &x a/b/.github/workflows/w.yml@main # v1\n  b:\n    uses: *x\n",
		"runs:\n  steps:\n    - uses: \"a/b@v1\" #keep\r\n",
		"jobs:\r  a:\r    steps:\r      - uses: a/b@v1\r",
		"jobs:\n  a:\n    steps:\n      - uses: !!str &a a/b@v1\n      - <<: {uses: c/d@v2}\n",
		"jobs:\n  a:\n    steps:\n      - {\n        uses: a/b@v1\n        }\n",
		"jobs:\n  a:\n    steps:\n      - uses: a/b@v1\u2028x: y\n",
		"---\njobs: {a: {uses: a/b@v1}}\n---\njobs: {b: {uses: \"a/b@it's\"}}\n",
	} {
		f.Add([]byte(s))
	}
	const sha = "0123456789abcdef0123456789abcdef01234567"
	r := &MapResolver{fallback: &mapEntry{sha: sha, tag: "v1.2.3"}}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 64<<10 {
			return
		}
		ctx := context.Background()
		out, changes, _ := File(ctx, "f.yml", in, r)
		if len(changes) == 0 && !bytes.Equal(out, in) {
			t.Fatalf("output changed without changes")
		}
		if _, err := parseDocs(in); err == nil {
			checkStructure(t, in, out)
		}
		if bytes.Count(in, []byte("\n"))+1 == len(lineStarts(in)) {
			checkChanges(t, "f.yml", in, out, changes)
		}
		out2, changes2, _ := File(ctx, "f.yml", out, r)
		if !bytes.Equal(out2, out) || len(changes2) != 0 {
			t.Fatalf("second pass changed the file:\n%s", Diff("f.yml", out, out2))
		}
		if got := applyDiff(t, string(in), Diff("f.yml", in, out)); got != string(out) {
			t.Fatalf("the diff does not turn the input into the output")
		}
	})
}
