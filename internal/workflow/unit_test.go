package workflow

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

func TestDetect(t *testing.T) {
	for path, want := range map[string]Platform{
		".github/workflows/ci.yml":            GitHub,
		".github/workflows/release.yaml":      GitHub,
		"repo/.github/workflows/x.yml":        GitHub,
		`repo\.github\workflows\x.yml`:        "", // backslashes are not separators on Unix
		".github/workflows/action.yml":        GitHub,
		".github/workflows/sub/x.yml":         "",
		".github/workflows/README.md":         "",
		"action.yml":                          Action,
		"action.yaml":                         Action,
		".github/actions/setup/action.yml":    Action,
		"deep/path/action.yaml":               Action,
		"myaction.yml":                        "",
		".gitlab-ci.yml":                      GitLab,
		"sub/.gitlab-ci.yml":                  GitLab,
		"ci/build.gitlab-ci.yml":              GitLab,
		".circleci/config.yml":                CircleCI,
		".circleci/config.yaml":               CircleCI,
		"x/.circleci/config.yml":              CircleCI,
		".circleci/other.yml":                 "",
		"config.yml":                          "",
		"scripts/build.sh":                    "",
		"":                                    "",
		".github/workflows":                   "",
		"/abs/repo/.github/workflows/ci.yml":  GitHub,
		"/abs/repo/.circleci/config.yml":      CircleCI,
		"/abs/repo/pkg/action.yml":            Action,
		"/abs/repo/.gitlab/ci/.gitlab-ci.yml": GitLab,
	} {
		if got := Detect(path); got != want {
			t.Errorf("Detect(%q) = %q, want %q", path, got, want)
		}
	}
}

func mustParse(t *testing.T, path, src string, p Platform) (*File, []string) {
	t.Helper()
	f, diags, err := Parse(path, []byte(src), p)
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, d := range diags {
		if d.Target != path {
			t.Errorf("diagnostic target %q, want %q", d.Target, path)
		}
		msgs = append(msgs, d.Message)
	}
	return f, msgs
}

// TestGitHubPositions checks positions exactly on a small workflow.
func TestGitHubPositions(t *testing.T) {
	src := `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@8ade135a41bc03ea155e62e844d188df1ea18608 # v4.1.0
      - name: quoted
        uses: 'docker://ghcr.io/a/b:1@sha256:0123'   #   digest pinned   
      - run: |-
          echo one
            echo two
      - run: &r >
          folded
      - id: x
        run: *r
      - uses: a/b@v1 #no-space
      - uses: "a/b@v2"
      - uses: "has # hash@v3" # real
`
	f, diags := mustParse(t, ".github/workflows/ci.yml", src, "")
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %q", diags)
	}
	if f.Platform != GitHub || len(f.Jobs) != 1 {
		t.Fatalf("platform %q, %d jobs", f.Platform, len(f.Jobs))
	}
	st := f.Jobs[0].Steps
	if len(st) != 8 {
		t.Fatalf("%d steps", len(st))
	}
	check := func(name string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %#v, want %#v", name, got, want)
		}
	}
	check("step0.pos", st[0].Pos, Pos{6, 9})
	check("uses0", *st[0].Uses, Ref{
		Raw:  Str{"actions/checkout@8ade135a41bc03ea155e62e844d188df1ea18608", Pos{6, 15}},
		Kind: "action", Name: "actions/checkout", Version: "8ade135a41bc03ea155e62e844d188df1ea18608", Comment: "v4.1.0",
	})
	check("uses1", *st[1].Uses, Ref{
		Raw:  Str{"docker://ghcr.io/a/b:1@sha256:0123", Pos{8, 15}},
		Kind: "docker", Name: "ghcr.io/a/b", Version: "sha256:0123", Comment: "digest pinned",
	})
	check("run2", *st[2].Run, Script{Text: "echo one\n  echo two", Pos: Pos{10, 11}, Block: true})
	check("run2 line 2", st[2].Run.LineOf(2), 11)
	check("run3", *st[3].Run, Script{Text: "folded\n", Pos: Pos{13, 11}, Block: true})
	// Through an alias: the anchored node's position.
	check("run4", *st[4].Run, Script{Text: "folded\n", Pos: Pos{13, 11}, Block: true})
	check("step4.pos", st[4].Pos, Pos{14, 9})
	check("comment5", st[5].Uses.Comment, "no-space")
	check("comment6", st[6].Uses.Comment, "")
	check("uses7", *st[7].Uses, Ref{Raw: Str{"has # hash@v3", Pos{18, 15}}, Kind: "action", Name: "has # hash", Version: "v3", Comment: "real"})
}

func TestLineCommentFallback(t *testing.T) {
	p := &parser{lines: []string{
		`  uses: a/b@v1   # c1`,
		`  uses: "a/b@v1" # c2`,
		`  uses: 'it''s' # c3`,
		`  uses: a#b`,
		`  uses: "x\"y" #c5`,
	}}
	for i, tc := range []struct {
		val   string
		col   int
		style int
		want  string
	}{
		{"a/b@v1", 9, 0, "c1"},
		{"a/b@v1", 9, 2, "c2"},
		{"it's", 9, 1, "c3"},
		{"a#b", 9, 0, ""},
		{`x"y`, 9, 2, "c5"},
	} {
		n := scalarNode(tc.val, i+1, tc.col, tc.style)
		if got := p.lineComment(nil, n); got != tc.want {
			t.Errorf("line %d: comment %q, want %q", i+1, got, tc.want)
		}
	}
}

func TestRefs(t *testing.T) {
	for _, tc := range []struct {
		in            string
		job           bool
		kind, n, v    string
		image         bool
		name, version string
	}{
		{in: "actions/checkout@v4", kind: "action", n: "actions/checkout", v: "v4"},
		{in: "github/codeql-action/init@abc", kind: "action", n: "github/codeql-action/init", v: "abc"},
		{in: "owner/repo", kind: "action", n: "owner/repo", v: ""},
		{in: "./.github/actions/x", kind: "local", n: "./.github/actions/x"},
		{in: "docker://alpine", kind: "docker", n: "alpine"},
		{in: "docker://localhost:5000/img:tag", kind: "docker", n: "localhost:5000/img", v: "tag"},
		{in: "o/r/.github/workflows/x.yml@refs/heads/main", job: true, kind: "reusable-workflow", n: "o/r/.github/workflows/x.yml", v: "refs/heads/main"},
		{in: "./.github/workflows/x.yml", job: true, kind: "local", n: "./.github/workflows/x.yml"},
	} {
		var r *Ref
		if tc.job {
			r = jobRef(Str{Value: tc.in}, "")
		} else {
			r = stepRef(Str{Value: tc.in}, "")
		}
		if r.Kind != tc.kind || r.Name != tc.n || r.Version != tc.v {
			t.Errorf("%q: got %s %q %q, want %s %q %q", tc.in, r.Kind, r.Name, r.Version, tc.kind, tc.n, tc.v)
		}
	}
	for in, want := range map[string][2]string{
		"img":                          {"img", ""},
		"img:tag":                      {"img", "tag"},
		"img@sha256:ab":                {"img", "sha256:ab"},
		"img:tag@sha256:ab":            {"img", "sha256:ab"},
		"reg.io:443/a/b:1.2":           {"reg.io:443/a/b", "1.2"},
		"reg.io:443/a/b":               {"reg.io:443/a/b", ""},
		"$CI_REGISTRY_IMAGE/x:$TAG":    {"$CI_REGISTRY_IMAGE/x", "$TAG"},
		"ubuntu-2204:2024.01.1":        {"ubuntu-2204", "2024.01.1"},
		"reg.io:443/a/b:1@sha256:ffff": {"reg.io:443/a/b", "sha256:ffff"},
	} {
		n, v := splitImage(in)
		if n != want[0] || v != want[1] {
			t.Errorf("splitImage(%q) = %q, %q; want %q", in, n, v, want)
		}
	}
	r := imageRef(Str{Value: "${{ matrix.image }}"}, "")
	if r.Name != "${{ matrix.image }}" || r.Version != "" || r.Kind != "image" {
		t.Errorf("expression image: %+v", r)
	}
}

func TestScriptCalls(t *testing.T) {
	for src, want := range map[string][]string{
		"./scripts/x.sh":                       {"./scripts/x.sh"},
		"bash ci/y.sh arg":                     {"ci/y.sh"},
		"sh x.sh":                              {"x.sh"},
		"source x.sh":                          {"x.sh"},
		". ./env":                              {"./env"},
		"bash -ex ci/test":                     {"ci/test"},
		"bash -o pipefail ci/a.sh":             {"ci/a.sh"},
		"/bin/bash ci/b.sh":                    {"ci/b.sh"},
		"sudo -E ./install.sh":                 {"./install.sh"},
		"sudo -u root bash x/y.sh":             {"x/y.sh"},
		"env A=1 B=2 ./run.sh":                 {"./run.sh"},
		"timeout 30 ./t.sh":                    {"./t.sh"},
		"chmod +x ./a.sh && ./a.sh":            {"./a.sh"},
		"if true; then ./in-if.sh; fi":         {"./in-if.sh"},
		"x=$(./sub.sh)":                        {"./sub.sh"},
		"echo ./not.sh":                        nil,
		"bash -c './inline.sh'":                nil,
		"bash":                                 nil,
		"/abs/x.sh":                            nil,
		"../up.sh":                             nil,
		"./a/../../up.sh":                      nil,
		"./$X.sh":                              nil,
		"$DIR/x.sh":                            nil,
		"./${{ inputs.script }}":               nil,
		"./scripts/*.sh":                       nil,
		"~/x.sh":                               nil,
		"make build":                           nil,
		"bash python/run.py":                   {"python/run.py"},
		"python ./x.py":                        nil,
		"./gradlew build":                      {"./gradlew"},
		"cat <<EOF\n./heredoc.sh\nEOF":         nil,
		"# ./comment.sh":                       nil,
		"./install.sh << parameters.v >>":      {"./install.sh"},
		"echo ${{ x }}; ./after.sh":            {"./after.sh"},
		"if [ x ; then ./broken.sh":            {"./broken.sh"}, // does not parse: crude split
		"'./quoted.sh' a":                      {"./quoted.sh"},
		"\"./dq.sh\"":                          {"./dq.sh"},
		"cd dir && ./rel.sh":                   {"./rel.sh"},
		"nohup ./bg.sh &":                      {"./bg.sh"},
		"exec ./exec.sh":                       {"./exec.sh"},
		"bash --noprofile --norc ./ok.sh":      {"./ok.sh"},
		"sh ./a.sh; sh ./a.sh":                 {"./a.sh", "./a.sh"},
		"./x.sh | tee log; bash ci/z.sh > out": {"./x.sh", "ci/z.sh"},
	} {
		var got []string
		for _, c := range scriptCalls(src) {
			got = append(got, c.path)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("scriptCalls(%q) = %q, want %q", src, got, want)
		}
	}
	// Lines and columns of calls in a block script.
	f, _ := mustParse(t, "w.yml", "jobs:\n  a:\n    steps:\n      - run: |\n          echo\n            bash ci/x.sh\n", GitHub)
	if want := []Str{{"ci/x.sh", Pos{6, 18}}}; !reflect.DeepEqual(f.CalledScripts, want) {
		t.Errorf("CalledScripts = %+v, want %+v", f.CalledScripts, want)
	}
}

func TestSuppressions(t *testing.T) {
	src := `# airlock: ignore[a/b] because
x: 1 # airlock: ignore[ c/d , e/f ] -- reviewed: ok
y: "# airlock: ignore[g/h] inside a string is not a comment"
z: 1 #airlock:ignore[i/j]   tight
w: 1 # airlock: ignore[k/l]
v: 1 # airlock: ignore[]
u: 1 foo# airlock: ignore[m/n] not a comment
`
	f, diags := mustParse(t, "s.yml", src, GitLab)
	want := []Suppression{
		{Pos{1, 1}, []string{"a/b"}, "because"},
		{Pos{2, 6}, []string{"c/d", "e/f"}, "reviewed: ok"},
		{Pos{4, 6}, []string{"i/j"}, "tight"},
	}
	if !reflect.DeepEqual(f.Suppressions, want) {
		t.Errorf("suppressions:\n got %+v\nwant %+v", f.Suppressions, want)
	}
	wantDiags := []string{
		"line 5: suppression without a reason is ignored",
		"line 6: suppression names no rule and is ignored",
	}
	var got []string
	for _, d := range diags {
		if strings.Contains(d, "suppression") {
			got = append(got, d)
		}
	}
	if !reflect.DeepEqual(got, wantDiags) {
		t.Errorf("diagnostics %q, want %q", got, wantDiags)
	}
}

func TestParseRefused(t *testing.T) {
	big := []byte(strings.Repeat("a", MaxFileSize+1))
	if _, _, err := Parse("big.yml", big, GitHub); !errors.Is(err, ErrTooLarge) {
		t.Errorf("too large: err %v", err)
	}
	if _, _, err := Parse("bin.yml", []byte("on: push\x00"), GitHub); !errors.Is(err, ErrBinary) {
		t.Errorf("binary: err %v", err)
	}
	if _, _, err := Parse("x.txt", []byte("a: b"), ""); err == nil {
		t.Error("unknown platform: no error")
	}
	// Exactly at the limit is read.
	ok := []byte("on: push\n#" + strings.Repeat("x", MaxFileSize-11) + "\n")
	if len(ok) != MaxFileSize {
		t.Fatalf("len %d", len(ok))
	}
	if _, _, err := Parse("ok.yml", ok, GitHub); err != nil {
		t.Errorf("at the limit: %v", err)
	}
}

func TestShellScript(t *testing.T) {
	f, diags := mustParse(t, "ci/x.sh", "#!/bin/sh -e\n./y.sh\r\nbash z.sh\n", ShellScript)
	if len(diags) > 0 {
		t.Errorf("diagnostics %q", diags)
	}
	if len(f.Jobs) != 1 || len(f.Jobs[0].Steps) != 1 {
		t.Fatalf("jobs %+v", f.Jobs)
	}
	r := f.Jobs[0].Steps[0].Run
	if r.Pos != (Pos{1, 1}) || !r.Block || r.Shell != "sh" || r.Text != "#!/bin/sh -e\n./y.sh\r\nbash z.sh\n" {
		t.Errorf("run %+v", r)
	}
	if want := []string{"#!/bin/sh -e", "./y.sh", "bash z.sh"}; !reflect.DeepEqual(f.Lines, want) {
		t.Errorf("lines %q", f.Lines)
	}
	if want := []Str{{"./y.sh", Pos{2, 1}}, {"z.sh", Pos{3, 6}}}; !reflect.DeepEqual(f.CalledScripts, want) {
		t.Errorf("called %+v", f.CalledScripts)
	}
	for line, want := range map[string]string{
		"#!/bin/bash":                   "bash",
		"#!/usr/bin/env bash":           "bash",
		"#!/usr/bin/env -S bash -e":     "bash",
		"#! /bin/zsh":                   "zsh",
		"#!/usr/bin/env VAR=1 python3":  "python3",
		"#!":                            "",
		"#!/usr/local/bin/pwsh -NoLogo": "pwsh",
	} {
		if got := shebangShell(line); got != want {
			t.Errorf("shebangShell(%q) = %q, want %q", line, got, want)
		}
	}
}

func TestDuplicateAndMergeKeys(t *testing.T) {
	src := `jobs:
  a:
    runs-on: x
  a:
    runs-on: y
    env:
      A: 1
      B: 2
      A: 3
`
	f, diags := mustParse(t, "w.yml", src, GitHub)
	if len(f.Jobs) != 1 || f.Jobs[0].RunsOn[0].Value != "y" || len(f.Jobs[0].Env) != 2 || f.Jobs[0].Env[1].Value.Value != "3" {
		t.Errorf("duplicate job: %+v", f.Jobs)
	}
	want := []string{`line 1: the workflow has no "on"`, `line 4: duplicate key "a"; the last one is used`, `line 9: duplicate key "A"; the last one is used`}
	if !reflect.DeepEqual(diags, want) {
		t.Errorf("diagnostics %q, want %q", diags, want)
	}

	src = `.d: &d
  image: a:1
  variables: {X: "1", Y: "2"}
.e: &e
  image: b:2
  tags: [t]
j:
  <<: [*d, *e]
  variables:
    Z: "3"
  script: x
`
	f, diags = mustParse(t, ".gitlab-ci.yml", src, GitLab)
	if len(diags) > 0 {
		t.Errorf("diagnostics %q", diags)
	}
	j := f.Jobs[2]
	if j.ID.Value != "j" || len(j.Images) != 1 || j.Images[0].Name != "a" || len(j.RunsOn) != 1 || len(j.Env) != 1 || j.Env[0].Key.Value != "Z" {
		t.Errorf("merged job %+v", j)
	}
}

// TestHostile checks that alias bombs, alias loops, deep nesting and
// large inputs end quickly with diagnostics.
func TestHostile(t *testing.T) {
	lol := func(leaf string) string {
		var b strings.Builder
		b.WriteString("a0: &a0 [" + leaf + "]\n")
		for i := 1; i <= 9; i++ {
			b.WriteString("a" + itoa(i) + ": &a" + itoa(i) + " [")
			for k := 0; k < 10; k++ {
				if k > 0 {
					b.WriteString(", ")
				}
				b.WriteString("*a" + itoa(i-1))
			}
			b.WriteString("]\n")
		}
		return b.String()
	}
	deepFlow := "on: push\njobs: " + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "\n"
	var deepBlock strings.Builder
	deepBlock.WriteString("jobs:\n")
	for i := 0; i < 2000; i++ {
		deepBlock.WriteString(strings.Repeat(" ", i+2) + "k:\n")
	}
	deepSeq := "on: push\njobs:\n  a:\n    steps:\n      " + strings.Repeat("- ", 9990) + "x\n"
	var mergeBomb strings.Builder
	mergeBomb.WriteString("m0: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, j: 10}\n")
	for i := 1; i <= 9; i++ {
		mergeBomb.WriteString("m" + itoa(i) + ": &m" + itoa(i) + " {<<: [")
		for k := 0; k < 10; k++ {
			if k > 0 {
				mergeBomb.WriteString(", ")
			}
			mergeBomb.WriteString("*m" + itoa(i-1))
		}
		mergeBomb.WriteString("]}\n")
	}
	for _, tc := range []struct {
		name string
		p    Platform
		src  string
		want string // a diagnostic containing this
	}{
		{"billion laughs gitlab script", GitLab, lol(`"echo lol"`) + "job:\n  script: *a9\n", "more than 10000 steps"},
		{"billion laughs gitlab needs", GitLab, lol(`{job: x}`) + "job:\n  needs: *a9\n", ""},
		{"billion laughs github steps", GitHub, lol(`{run: x}`) + "on: push\njobs:\n  j:\n    steps: *a9\n", "a step must be a mapping"},
		{"billion laughs github runs-on", GitHub, lol(`x`) + "on: push\njobs:\n  j:\n    runs-on: *a9\n", "must be strings"},
		{"billion laughs circleci", CircleCI, lol(`{when: {steps: [{run: x}]}}`) + "jobs:\n  j:\n    steps: *a9\n", "a step must be"},
		{"merge bomb", GitHub, mergeBomb.String() + "on: push\njobs:\n  j:\n    env: *m9\n", "yaml nodes read"},
		{"reference loop", GitLab, ".a:\n  script: [!reference [.a, script], !reference [.a, script]]\n", "yaml nodes read"},
		{"reference cycle", GitLab, ".a:\n  script: !reference [.b, script]\n.b:\n  script: !reference [.a, script]\n", ""},
		{"self alias gitlab", GitLab, "job:\n  script: &s [echo, *s]\n", "refers to a node that contains it"},
		{"self alias merge", GitLab, "job: &j\n  <<: *j\n  script: x\n", "refers to a node that contains it"},
		{"self alias github", GitHub, "on: push\njobs: &j\n  a: *j\n", "refers to a node that contains it"},
		{"self alias circleci when", CircleCI, "jobs:\n  a:\n    steps: &s\n      - when: {steps: *s}\n", "refers to a node that contains it"},
		{"deep flow", GitHub, deepFlow, `"jobs" must be a mapping`},
		{"too deep flow", GitHub, "jobs: " + strings.Repeat("[", 10001) + strings.Repeat("]", 10001), "exceeded max depth"},
		{"deep block", GitHub, deepBlock.String(), `the workflow has no "on"`},
		{"deep block sequence", GitHub, deepSeq, "a step must be a mapping, not a list"},
		{"nested script lists", GitLab, "job:\n  script: " + strings.Repeat("[", 100) + "x" + strings.Repeat("]", 100) + "\n", "nested deeper"},
		{"many jobs", GitHub, "on: push\njobs:\n" + strings.Repeat("", 0) + manyJobs(2500), "more than 2000 jobs"},
		{"many steps", GitHub, "on: push\njobs:\n  a:\n    steps:\n" + strings.Repeat("      - run: x\n", 12000), "more than 10000 steps"},
		{"long line", GitHub, "on: push\nname: " + strings.Repeat("x", 3<<20) + "\n", ""},
		{"many anchors", GitLab, manyAnchors(20000), ""},
		{"invalid utf8", GitHub, "on: \xff\n", "invalid yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			done := make(chan struct{})
			var diags []string
			go func() {
				defer close(done)
				f, ds, err := Parse("x.yml", []byte(tc.src), tc.p)
				if err != nil {
					t.Error(err)
					return
				}
				_ = DumpFile(f)
				for _, d := range ds {
					diags = append(diags, d.Message)
				}
			}()
			select {
			case <-done:
			case <-timeAfter(20):
				t.Fatal("did not finish in 20 s")
			}
			if tc.want == "" {
				return
			}
			for _, d := range diags {
				if strings.Contains(d, tc.want) {
					return
				}
			}
			t.Errorf("no diagnostic with %q in %q", tc.want, diags)
		})
	}
}

func manyJobs(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString("  j" + itoa(i) + ":\n    runs-on: x\n")
	}
	return b.String()
}

func manyAnchors(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(".a" + itoa(i) + ": &a" + itoa(i) + " {script: [x]}\n")
	}
	b.WriteString("job:\n  script:\n")
	for i := 0; i < n; i++ {
		b.WriteString("    - *a" + itoa(i) + "\n")
	}
	return b.String()
}

func scalarNode(val string, line, col, style int) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: val, Line: line, Column: col}
	switch style {
	case 1:
		n.Style = yaml.SingleQuotedStyle
	case 2:
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

func timeAfter(sec int) <-chan time.Time { return time.After(time.Duration(sec) * time.Second) }
