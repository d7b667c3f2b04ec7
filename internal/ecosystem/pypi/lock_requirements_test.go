package pypi

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"
)

// lockDirInclude reads includes from testdata/lock, refusing paths that
// leave it (fs.ValidPath).
func lockDirInclude() func(string) ([]byte, error) {
	fsys := os.DirFS("testdata/lock")
	return func(rel string) ([]byte, error) { return fs.ReadFile(fsys, rel) }
}

// lockMapInclude serves includes from a map.
func lockMapInclude(files map[string]string) func(string) ([]byte, error) {
	return func(rel string) ([]byte, error) {
		s, ok := files[rel]
		if !ok {
			return nil, fs.ErrNotExist
		}
		return []byte(s), nil
	}
}

func TestParseRequirementsFile(t *testing.T) {
	deps, diags, err := ParseRequirements("requirements.txt", lockReadTestdata(t, "requirements.txt"), lockDirInclude())
	if err != nil {
		t.Fatal(err)
	}
	lockCheckInvariants(t, "requirements.txt", deps, diags, true)
	lockCheckDeps(t, deps, []string{
		// -r requirements/common.txt, which includes extra.txt.
		`six 1.16.0 requirements/common.txt:2 c="==1.16.0"`,
		`python-dateutil 2.8.2 requirements/extra.txt:1 c="==2.8.2" h=1`,
		`requests 2.31.0 requirements.txt:13 c="==2.31.0" h=2`,
		`urllib3 2.0.7 requirements.txt:16 c="==2.0.7" h=1`,
		`certifi 2023.11.17 requirements.txt:17 c="===2023.11.17"`,
		// Pinned by constraints.txt.
		`idna 3.6 requirements.txt:18 c=">=3.4,<4"`,
		`charset-normalizer - requirements.txt:19 unpinned c="~= 3.3"`,
		`typing_extensions - requirements.txt:20 unpinned c="; python_version < \"3.11\""`,
		`importlib-metadata 6.8.0 requirements.txt:21 c="==6.8.0; python_version < \"3.10\""`,
		// constraints.txt pins Django==5.0.1, outside the range.
		`Django - requirements.txt:22 unpinned c=">=4.2, <5.0"`,
		`flask 3.0.0 requirements.txt:23 h=1`,
		`internal-tools - requirements.txt:24 unpinned src="git+https://github.com/example/internal-tools.git@v1.4.0#egg=internal-tools"`,
		`example_sdk - requirements.txt:26 unpinned src="git+https://github.com/example/sdk.git@3f2a1c9#egg=example_sdk"`,
		`example-utils - requirements.txt:27 unpinned src="git+https://github.com/example/utils.git@main#egg=example-utils"`,
		`fastjson 1.2.0 requirements.txt:28 src="https://files.example.com/packages/fastjson-1.2.0-py3-none-any.whl"`,
		`pydantic 2.5.2 requirements.txt:29 src="https://files.example.com/packages/pydantic-2.5.2-py3-none-any.whl"`,
		`attrs - requirements.txt:30 unpinned c="; python_version >= \"3.8\"" src="git+https://github.com/python-attrs/attrs.git@23.1.0"`,
		`shim 0.1.0 requirements.txt:31 src="./vendor/shim-0.1.0-py3-none-any.whl"`,
		// Continued by a backslash, ended by a comment line.
		`numpy 1.26.2 requirements.txt:32 c="==1.26.2"`,
		`PyYAML 6.0.1 requirements.txt:34 c="==6.0.1"`,
		`packaging - requirements.txt:38 unpinned c=">=23.0,<="`,
	})
	lockCheckDiags(t, diags, []string{
		`requirements.txt: line 25: cannot tell the project name of editable "./libs/localpkg"`,
		`requirements.txt: line 35: invalid requirement: no project name`,
		`requirements.txt: line 36: unknown option "--frobnicate"`,
		`requirements.txt: line 37: --hash "sha256:0000`,
		`requirements.txt: line 38: invalid version specifier ">=23.0,<=" for "packaging"; recorded as unpinned`,
		`requirements.txt: line 22: the constraint "Django==5.0.1" (constraints.txt:4) does not satisfy`,
	})
	req := lockFind(t, deps, "requests")
	if req.Hashes[0] != "sha256:58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003f" ||
		req.Hashes[1] != "sha256:942c5a758f98d790eaed1a29cb6eefc7ffb0d1cf7af05c3d2791656dbd6ad1e1" {
		t.Errorf("requests hashes %q", req.Hashes)
	}
	if h := lockFind(t, deps, "flask").Hashes; h[0] != "sha256:21128f47e4e3b9d597a3e8521a329bf56909b690fcc3fa3e477725aa81367638" {
		t.Errorf("flask hashes from the constraint file: %q", h)
	}
}

func TestParseRequirementsCycle(t *testing.T) {
	deps, diags, err := ParseRequirements("cycle-a.txt", lockReadTestdata(t, "cycle-a.txt"), lockDirInclude())
	if err != nil {
		t.Fatal(err)
	}
	lockCheckDeps(t, deps, []string{
		`alpha 1.0 cycle-a.txt:1 c="==1.0"`,
		`beta 2.0 cycle-b.txt:1 c="==2.0"`,
	})
	lockCheckDiags(t, diags, []string{
		`cycle-b.txt: line 2: include cycle cycle-a.txt → cycle-b.txt → cycle-a.txt`,
	})
}

func TestParseRequirementsInline(t *testing.T) {
	tests := []struct {
		label string
		in    string
		files map[string]string // nil: no include callback
		want  []string
		diags []string
	}{
		{
			label: "continuation at end of file",
			in:    "a==1\nb==2 \\\n  --hash=sha256:" + strings.Repeat("ab", 32) + " \\",
			want:  []string{`a 1 r.txt:1 c="==1"`, `b 2 r.txt:2 c="==2" h=1`},
			diags: []string{`r.txt: line 2: the line continues (ends in a backslash) past the end of the file`},
		},
		{
			label: "comment ends a continuation; inline comment after continuation",
			in:    "a==1 \\\n# note \\\nb==2 # x \\\nc==3\nd==4\n",
			// pip strips the comment from " #" to the end of the joined
			// line, so "c==3" is swallowed by b's comment.
			want: []string{`a 1 r.txt:1 c="==1"`, `b 2 r.txt:3 c="==2"`, `d 4 r.txt:5 c="==4"`},
		},
		{
			label: "CRLF, BOM, tabs and a URL fragment that is not a comment",
			in:    "\ufeffa==1\r\n\tb>=2\t# c\r\nhttps://h/x.zip#egg=xpkg\r\n",
			want: []string{`a 1 r.txt:1 c="==1"`, `b - r.txt:2 unpinned c=">=2"`,
				`xpkg - r.txt:3 unpinned src="https://h/x.zip#egg=xpkg"`},
		},
		{
			label: "option forms",
			in:    "-r\"sub dir/x.txt\"\n--requirement='sub dir/y.txt'\n--extra-index https://x\n-ihttps://y\n--no-index\n--prefer-binary --require-hashes\n--use-feature=truststore\n--only-binary :all:\n",
			files: map[string]string{"sub dir/x.txt": "x==1\n", "sub dir/y.txt": "y==1\n"},
			want:  []string{`x 1 sub dir/x.txt:1 c="==1"`, `y 1 sub dir/y.txt:1 c="==1"`},
		},
		{
			label: "bad options",
			in:    "--requir x.txt\n--pre=1\n-r\nfoo==1 --hash sha1:abcd\nfoo2==1 -r other.txt\n-x\n--index-url 'unclosed\n",
			files: map[string]string{},
			want:  []string{`foo 1 r.txt:4 c="==1"`, `foo2 1 r.txt:5 c="==1"`},
			diags: []string{
				`r.txt: line 1: ambiguous option "--requir"`,
				`r.txt: line 2: option --pre takes no value`,
				`r.txt: line 3: option --requirement needs a value`,
				`r.txt: line 4: invalid --hash "sha1:abcd"`,
				`r.txt: line 5: pip ignores --requirement "other.txt" on a line that names a requirement`,
				`r.txt: line 6: unknown option "-x"`,
				`r.txt: line 7: unclosed quote`,
			},
		},
		{
			label: "includes that cannot be read",
			in:    "-r https://example.com/r.txt\n-r missing.txt\n-c ../outside.txt\n-r nested/a.txt\n-r nested/a.txt\n",
			files: map[string]string{"nested/a.txt": "-r ../nested/b.txt\na==1\n", "nested/b.txt": "b==1\x00"},
			want:  []string{`a 1 nested/a.txt:2 c="==1"`},
			diags: []string{
				`r.txt: line 1: remote -r file "https://example.com/r.txt" is not followed`,
				`r.txt: line 2: cannot read -r file "missing.txt": file does not exist`,
				`r.txt: line 3: cannot read -c file "../outside.txt"`,
				`nested/b.txt: holds NUL bytes`,
			},
		},
		{
			label: "no include callback",
			in:    "-r other.txt\na==1\n",
			want:  []string{`a 1 r.txt:2 c="==1"`},
			diags: []string{`r.txt: line 1: -r "other.txt" is not followed (no reader for included files)`},
		},
		{
			label: "constraints: several pins, editable, URL, unpinned and unnamed lines",
			in:    "-c c.txt\na\nb\nc>=1\n",
			files: map[string]string{"c.txt": "a==1; python_version < '3'\na==2; python_version >= '3'\nb>=1\nc==0.5\n-e ./x\nd @ https://h/d.zip\n"},
			want:  []string{`a - r.txt:2 unpinned`, `b - r.txt:3 unpinned`, `c - r.txt:4 unpinned c=">=1"`},
			diags: []string{
				`c.txt: line 5: pip does not allow editable requirements`,
				`r.txt: line 2: constraint files pin "a" to several versions`,
				`r.txt: line 4: the constraint "c==0.5" (c.txt:4) does not satisfy ">=1"`,
			},
		},
		{
			label: "constraint pins compare normalized names",
			in:    "-c c.txt\nZope.Interface\n",
			files: map[string]string{"c.txt": "zope-interface==6.1\n"},
			want:  []string{`Zope.Interface 6.1 r.txt:2`},
		},
		{
			label: "requirement forms",
			in: strings.Join([]string{
				"name[extra1, extra2] (>=1.0)",
				"pinned_wild==1.*",
				"two==1,!=2",
				"spaced == 1.0",
				"proj @ https://h/proj-2.0-py3-none-any.whl",
				"other @ https://h/proj-2.0-py3-none-any.whl",
				"svn+https://svn.example.com/repo#egg=svnpkg",
				"/abs/path/pkg-1.0-cp311-cp311-linux_x86_64.whl",
				"./relative.tar.gz",
				"https://h/file.tar.gz ; python_version<'3'",
				"bad[ext",
				"bad_name_ @ x",
				"-e ../proj[dev]#egg=projname",
				"-e bad#egg=!bad",
				`-e "proj2 @ git+https://h/proj2.git"`,
				"${VAR}==1",
				"x ; ",
			}, "\n"),
			want: []string{
				`name - r.txt:1 unpinned c=">=1.0"`,
				`pinned_wild - r.txt:2 unpinned c="==1.*"`,
				`two - r.txt:3 unpinned c="==1,!=2"`,
				`spaced 1.0 r.txt:4 c="== 1.0"`,
				`proj 2.0 r.txt:5 src="https://h/proj-2.0-py3-none-any.whl"`,
				`other - r.txt:6 unpinned src="https://h/proj-2.0-py3-none-any.whl"`,
				`svnpkg - r.txt:7 unpinned src="svn+https://svn.example.com/repo#egg=svnpkg"`,
				`pkg 1.0 r.txt:8 src="/abs/path/pkg-1.0-cp311-cp311-linux_x86_64.whl"`,
				`projname - r.txt:13 unpinned src="../proj[dev]#egg=projname"`,
				`proj2 - r.txt:15 unpinned src="git+https://h/proj2.git"`,
			},
			diags: []string{
				`r.txt: line 9: cannot tell the project name of "./relative.tar.gz"`,
				`r.txt: line 10: cannot tell the project name of "https://h/file.tar.gz"`,
				`r.txt: line 11: invalid requirement: unclosed extras`,
				`r.txt: line 12: invalid requirement: invalid project name "bad_name_"`,
				`r.txt: line 14: invalid project name "!bad"`,
				`r.txt: line 16: invalid requirement: no project name`,
				`r.txt: line 17: invalid requirement: empty environment marker`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.label, func(t *testing.T) {
			var inc func(string) ([]byte, error)
			if tt.files != nil {
				inc = lockMapInclude(tt.files)
			}
			deps, diags, err := ParseRequirements("r.txt", []byte(tt.in), inc)
			if err != nil {
				t.Fatal(err)
			}
			lockCheckInvariants(t, "r.txt", deps, diags, true)
			lockCheckDeps(t, deps, tt.want)
			lockCheckDiags(t, diags, tt.diags)
		})
	}
}

func TestParseRequirementsIncludePaths(t *testing.T) {
	var asked []string
	inc := func(rel string) ([]byte, error) {
		asked = append(asked, rel)
		switch rel {
		case "reqs/base.txt":
			return []byte("-r ../common/x.txt\n-r /etc/abs.txt\n"), nil
		case "common/x.txt", "/etc/abs.txt":
			return []byte("x==1\n"), nil
		}
		return nil, errors.New("no")
	}
	deps, diags, err := ParseRequirements("/proj/requirements.txt", []byte("-r reqs/base.txt\n"), inc)
	if err != nil || len(diags) != 0 {
		t.Fatal(err, diags)
	}
	if got := strings.Join(asked, ","); got != "reqs/base.txt,common/x.txt,/etc/abs.txt" {
		t.Errorf("include asked for %s", got)
	}
	// A file included twice (here under two names for one content) is
	// read per name; the same name twice is read once.
	lockCheckDeps(t, deps, []string{`x 1 /proj/common/x.txt:1 c="==1"`, `x 1 /etc/abs.txt:1 c="==1"`})
}

func TestParseRequirementsDepthLimit(t *testing.T) {
	files := map[string]string{}
	for i := 1; i <= 12; i++ {
		files[fmt.Sprintf("f%d.txt", i)] = fmt.Sprintf("p%d==1\n-r f%d.txt\n", i, i+1)
	}
	deps, diags, err := ParseRequirements("f0.txt", []byte("-r f1.txt\n"), lockMapInclude(files))
	if err != nil {
		t.Fatal(err)
	}
	if len(deps) != 10 || deps[9].Name != "p10" {
		t.Errorf("got %d dependencies, want p1…p10", len(deps))
	}
	lockCheckDiags(t, diags, []string{`f10.txt: line 2: -r "f11.txt" is not followed: includes nest more than 10 deep`})
}

func TestParseRequirementsLimits(t *testing.T) {
	if _, _, err := ParseRequirements("r.txt", make([]byte, MaxLockfileSize+1), nil); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Errorf("oversized: %v", err)
	}
	if _, _, err := ParseRequirements("r.txt", []byte("a==1\n\x00\x01"), nil); err == nil {
		t.Error("binary data accepted")
	}
	// Garbage yields a bounded number of diagnostics.
	deps, diags, err := ParseRequirements("r.txt", []byte(strings.Repeat("!!!\n", 5000)), nil)
	if err != nil || len(deps) != 0 {
		t.Fatal(err, deps)
	}
	if len(diags) != maxLockDiagnostics+1 || !strings.Contains(diags[maxLockDiagnostics].Message, "4800 more problems") {
		t.Errorf("%d diagnostics, last %v", len(diags), diags[len(diags)-1])
	}
	// An overlong logical line (here joined from many) is refused.
	long := strings.Repeat("-r x \\\n", maxRequirementsLine/5) + "a==1\nb==1\n"
	deps, diags, _ = ParseRequirements("r.txt", []byte(long), nil)
	if len(deps) != 1 || deps[0].Name != "b" || len(diags) != 1 || !strings.Contains(diags[0].Message, "line 1: the line is longer than") {
		t.Errorf("long line: %v %v", deps, diags)
	}
	// Many includes of distinct files stop at the file limit.
	var b strings.Builder
	for i := 0; i < maxRequirementsFiles+5; i++ {
		fmt.Fprintf(&b, "-r f%d.txt\n", i)
	}
	inc := func(string) ([]byte, error) { return []byte("a==1\n"), nil }
	_, diags, _ = ParseRequirements("r.txt", []byte(b.String()), inc)
	if len(diags) != 5 || !strings.Contains(diags[0].Message, "more than 256 included files") {
		t.Errorf("file limit: %v", diags)
	}
}

func TestParsePEP508(t *testing.T) {
	tests := []struct {
		in                      string
		name, spec, url, marker string
		extras                  int
		err, specErr            bool
	}{
		{in: `requests[security] >= 2.8.1, == 2.8.* ; python_version < "2.7"`, name: "requests", spec: ">= 2.8.1, == 2.8.*", marker: `python_version < "2.7"`, extras: 1},
		{in: `pip @ https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee`, name: "pip", url: "https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee"},
		{in: `name@http://x;a;b ; os_name=="a"`, name: "name", url: "http://x;a;b", marker: `os_name=="a"`},
		{in: `A.B-C_D`, name: "A.B-C_D"},
		{in: `x (>=1)`, name: "x", spec: ">=1"},
		{in: `x[]`, name: "x"},
		{in: `x >= 1 junk`, name: "x", spec: ">= 1 junk", specErr: true},
		{in: `x @`, err: true},
		{in: `x @ u junk`, err: true},
		{in: `x (>=1`, err: true},
		{in: `x[a b]`, err: true},
		{in: `-x`, err: true},
		{in: ``, err: true},
	}
	for _, tt := range tests {
		r, err := parsePEP508(tt.in)
		if tt.err {
			if err == nil || errors.Is(err, errPEP508Spec) {
				t.Errorf("%q: err %v, want a hard error", tt.in, err)
			}
			continue
		}
		if errors.Is(err, errPEP508Spec) != tt.specErr || (err != nil && !tt.specErr) {
			t.Errorf("%q: err %v", tt.in, err)
		}
		if r.name != tt.name || r.spec != tt.spec || r.url != tt.url || r.marker != tt.marker || len(r.extras) != tt.extras {
			t.Errorf("%q: got %+v", tt.in, r)
		}
	}
}
