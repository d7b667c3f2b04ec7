package workflow

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fuzzSeeds are the parse test files of a platform plus a few snippets.
func fuzzSeeds(f *testing.F, dir string, extra ...string) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "parse", dir, "*"))
	for _, p := range paths {
		if strings.HasSuffix(p, ".golden") {
			continue
		}
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	for _, s := range extra {
		f.Add([]byte(s))
	}
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte("x: &x {<<: *x}\n"))
	f.Add([]byte("a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"))
	f.Add([]byte("k: !!binary aGk=\n? [complex]\n: key\n"))
}

// checkParse parses data and checks the invariants every result keeps.
func checkParse(t *testing.T, data []byte, p Platform) {
	start := time.Now()
	f, diags, err := Parse("fuzz.yml", data, p)
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("parse took %v", d)
	}
	if err != nil {
		if f != nil || len(data) <= MaxFileSize && !strings.ContainsRune(string(data), 0) {
			t.Fatalf("unexpected error %v", err)
		}
		return
	}
	for _, d := range diags {
		if strings.Contains(d.Message, "internal error") {
			t.Fatalf("panic: %s", d.Message)
		}
		if d.Target != "fuzz.yml" || d.Message == "" {
			t.Fatalf("bad diagnostic %+v", d)
		}
	}
	_ = DumpFile(f)
	maxLine := len(f.Lines) + 1
	pos := func(what string, p Pos) {
		if p.Line < 0 || p.Line > maxLine || p.Col < 0 || (p.Line > 0 && p.Col < 1) {
			t.Fatalf("%s: position %+v outside the file (%d lines)", what, p, len(f.Lines))
		}
	}
	str := func(what string, s Str) { pos(what, s.Pos) }
	ref := func(what string, r *Ref) {
		if r != nil {
			str(what, r.Raw)
			if r.Kind == "" {
				t.Fatalf("%s: ref without kind %+v", what, r)
			}
		}
	}
	kvs := func(what string, l []KV) {
		for _, kv := range l {
			str(what, kv.Key)
			str(what, kv.Value)
		}
	}
	str("name", f.Name)
	kvs("env", f.Env)
	for i := range f.Refs {
		ref("ref", &f.Refs[i])
	}
	for _, tr := range f.On {
		str("on", tr.Event)
	}
	steps := 0
	if len(f.Jobs) > MaxJobs+2 { // + GitLab "default", + CircleCI orb jobs past the cap are dropped
		t.Fatalf("%d jobs", len(f.Jobs))
	}
	for _, j := range f.Jobs {
		str("job", j.ID)
		pos("job", j.Pos)
		for _, s := range j.RunsOn {
			str("runs-on", s)
		}
		for i := range j.Images {
			ref("image", &j.Images[i])
		}
		ref("job uses", j.Uses)
		kvs("with", j.With)
		kvs("env", j.Env)
		for _, s := range j.Steps {
			steps++
			pos("step", s.Pos)
			ref("uses", s.Uses)
			kvs("with", s.With)
			kvs("env", s.Env)
			if s.Run != nil {
				pos("run", s.Run.Pos)
			}
		}
	}
	if steps > MaxSteps {
		t.Fatalf("%d steps", steps)
	}
	for _, s := range f.Suppressions {
		pos("suppression", s.Pos)
		if len(s.Rules) == 0 || s.Reason == "" {
			t.Fatalf("bad suppression %+v", s)
		}
	}
	for _, s := range f.CalledScripts {
		str("called", s)
		if !relativeInside(s.Value) {
			t.Fatalf("called script %q escapes the repository", s.Value)
		}
	}
}

func FuzzParseGitHub(f *testing.F) {
	fuzzSeeds(f, "github",
		"on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: |\n          ./x.sh\n",
		"on: {push: {branches: main}}\npermissions: {}\njobs: {a: {uses: o/r/.github/workflows/x.yml@v1, secrets: inherit}}\n",
	)
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, GitHub) })
}

func FuzzParseGitLab(f *testing.F) {
	fuzzSeeds(f, "gitlab",
		"include: [{local: a.yml}, 'b.yml', {project: p, ref: r, file: f}]\njob: {script: [[a], b]}\n",
		"spec:\n  inputs: {}\n---\nj: {image: {name: x}, script: x}\n",
		".t: {script: [a, ./b.sh], variables: {V: x}}\nj: {script: [!reference [.t, script]], variables: {W: !reference [.t, variables, V]}}\n",
	)
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, GitLab) })
}

func FuzzParseCircleCI(f *testing.F) {
	fuzzSeeds(f, "circleci",
		"version: 2.1\norbs: {n: circleci/node@1}\njobs: {a: {docker: [{image: x}], steps: [checkout, {run: x}, {n/y: {a: b}}]}}\nworkflows: {w: {jobs: [{a: {context: c}}]}}\n",
	)
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, CircleCI) })
}

func FuzzParseAction(f *testing.F) {
	fuzzSeeds(f, "action",
		"runs:\n  using: composite\n  steps:\n    - run: ./x.sh\n      shell: bash\n",
	)
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, Action) })
}

func FuzzParseScript(f *testing.F) {
	fuzzSeeds(f, "script", "#!/bin/bash\n./a.sh && bash b/c.sh\n")
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, ShellScript) })
}
