package pypi

import (
	"strings"
	"testing"
)

func TestParsePipfileLockFile(t *testing.T) {
	deps, diags, err := ParsePipfileLock("Pipfile.lock", lockReadTestdata(t, "Pipfile.lock"))
	if err != nil {
		t.Fatal(err)
	}
	lockCheckInvariants(t, "Pipfile.lock", deps, diags, true)
	lockCheckDeps(t, deps, []string{
		`certifi 2023.11.17 Pipfile.lock:24 c="==2023.11.17; python_version >= '3.6'" h=2`,
		`requests 2.31.0 Pipfile.lock:33 c="==2.31.0" h=1`,
		// Its index, "internal", is not PyPI.
		`billing-core 4.2.0 Pipfile.lock:40 c="==4.2.0" src="https://pkgs.example.com/simple" h=1`,
		`internal-tools - Pipfile.lock:47 unpinned src="git+https://github.com/example/internal-tools.git@5d1c2a7e9f3b4a6c8d0e2f4a6b8c0d2e4f6a8b0c"`,
		`localpkg - Pipfile.lock:51 unpinned src="./libs/localpkg"`,
		`fastjson - Pipfile.lock:55 unpinned src="https://files.example.com/packages/fastjson-1.2.0-py3-none-any.whl"`,
		`six - Pipfile.lock:58 unpinned c="*"`,
		`pytest 7.4.3 Pipfile.lock:63 dev c="==7.4.3; python_version >= '3.7'" h=1`,
		`coverage 7.3.2 Pipfile.lock:72 dev c="==7.3.2"`,
	})
	lockCheckDiags(t, diags, []string{
		`Pipfile.lock: line 71: the entry "broken" is not an object; skipped`,
		`Pipfile.lock: line 72: the hashes of "coverage" are not a list of strings; ignored`,
	})
	if h := lockFind(t, deps, "certifi").Hashes; h[1] != "sha256:e036ab49d5b79556f99cfc2d9320b34cfbe5be05c5871b51de9329f0603b0474" {
		t.Errorf("certifi hashes %q", h)
	}
}

func TestParsePipfileLockInline(t *testing.T) {
	tests := []struct {
		label, in string
		want      []string
		diags     []string
		err       string
	}{
		{
			label: "compact, categories, duplicates",
			in: `{"default":{"a":{"version":"==1"},"a":{"version":"==2"},"n":null},` + "\n" +
				`"docs":{"sphinx":{"version":"===7.2.6","markers":"python_version>'3'"}},"pipfile-spec":6,` + "\n" +
				`"develop":{"x":{"version":"==1.*","hg":"https://hg.example.com/x","ref":"tip"}},"develop":{"y":{"version":"==3","version":4}}}`,
			want: []string{
				`a 2 P:1 c="==2"`,
				`sphinx 7.2.6 P:2 c="===7.2.6; python_version>'3'"`,
				`y - P:3 unpinned dev`,
			},
			diags: []string{
				`P: line 1: "a" appears twice in its section; the last one counts`,
				`P: line 1: the entry "n" is not an object; skipped`,
				`P: line 3: "version" of "y" is not a string; ignored`,
				`P: line 3: section "develop" appears twice; the last one counts`,
			},
		},
		{
			label: "wildcard pin and vcs",
			in:    `{"default":{"x":{"version":"==1.*","hg":"https://hg.example.com/x","ref":"tip","subdirectory":"sub"}}}`,
			want:  []string{`x - P:1 unpinned c="==1.*" src="hg+https://hg.example.com/x@tip#subdirectory=sub"`},
		},
		{
			label: "no sections",
			in:    `{"_meta":{"sources":"nope"},"default":[]}`,
			diags: []string{`P: line 1: section "default" is not an object; ignored`, `P: no "default" or "develop" section`},
		},
		{label: "empty", in: ``, err: "invalid JSON at line 1: unexpected EOF"},
		{label: "not an object", in: `[1]`, err: "not a JSON object"},
		{label: "truncated", in: "{\n\"default\": {\n\"a\": {\"version\": \"==1\"", err: "invalid JSON at line 3"},
		{label: "bad token", in: "{\"default\": {}\n,\n}", err: "invalid JSON at line 3"},
		{label: "trailing data", in: `{"default": {}} {}`, err: "data after the top-level object"},
		{label: "deep nesting", in: `{"default": {"a": ` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}}`, err: "invalid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.label, func(t *testing.T) {
			deps, diags, err := ParsePipfileLock("P", []byte(tt.in))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			lockCheckInvariants(t, "P", deps, diags, true)
			lockCheckDeps(t, deps, tt.want)
			lockCheckDiags(t, diags, tt.diags)
		})
	}
	if _, _, err := ParsePipfileLock("P", make([]byte, MaxLockfileSize+1)); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Errorf("oversized: %v", err)
	}
}
