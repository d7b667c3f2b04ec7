package pypi

import (
	"testing"

	"github.com/airlock-sec/airlock/internal/model"
)

type lockParser func(string, []byte) ([]model.Dependency, []model.Diagnostic, error)

func TestParseTOMLLockfiles(t *testing.T) {
	tests := []struct {
		file  string
		parse lockParser
		want  []string
		diags []string
	}{
		{
			file:  "poetry.lock",
			parse: ParsePoetryLock,
			want: []string{
				`certifi 2024.2.2 poetry.lock:4 h=2`,
				`requests 2.31.0 poetry.lock:16 h=2`,
				`pytest 8.0.2 poetry.lock:38 dev h=1`,
				`internal-tools 1.4.0 poetry.lock:53 src="git+https://github.com/example/internal-tools.git@5d1c2a7e9f3b4a6c8d0e2f4a6b8c0d2e4f6a8b0c"`,
				`billing-core 4.2.0 poetry.lock:69 src="https://pkgs.example.com/simple" h=1`,
				`localpkg 0.3.0 poetry.lock:85 src="libs/localpkg"`,
			},
			diags: []string{`poetry.lock: line 98: [[package]] without a name; skipped`},
		},
		{
			file:  "uv.lock",
			parse: ParseUvLock,
			want: []string{
				`anyio 4.3.0 uv.lock:6 direct h=2`,
				`billing-service 0.1.0 uv.lock:19 src="."`,
				`httpx 0.27.0 uv.lock:51 direct h=2`,
				`idna 3.6 uv.lock:69 h=1`,
				`internal-tools 1.4.0 uv.lock:75 direct src="git+https://github.com/example/internal-tools.git?rev=v1.4.0#5d1c2a7e9f3b4a6c8d0e2f4a6b8c0d2e4f6a8b0c"`,
				// Reached only through pytest, a dev dependency.
				`iniconfig 2.0.0 uv.lock:80 dev src="https://pkgs.example.com/simple" h=1`,
				`pytest 8.1.1 uv.lock:88 direct dev h=1`,
				`pyyaml 6.0.1 uv.lock:99 direct h=1`,
				`sniffio 1.3.1 uv.lock:105 h=1`,
				// Reached through httpx[socks].
				`socksio 1.0.0 uv.lock:111 h=1`,
				`orphan 0.0.1 uv.lock:117 src="vendor/orphan-0.0.1-py3-none-any.whl" h=1`,
			},
		},
		{
			file:  "pdm.lock",
			parse: ParsePdmLock,
			want: []string{
				`click 8.1.7 pdm.lock:14 h=2`,
				`colorama 0.4.6 pdm.lock:28 h=1`,
				`pytest 8.0.2 pdm.lock:39 dev h=1`,
				`internal-tools 1.4.0 pdm.lock:49 src="git+https://github.com/example/internal-tools.git@5d1c2a7e9f3b4a6c8d0e2f4a6b8c0d2e4f6a8b0c"`,
				`localpkg 0.3.0 pdm.lock:58 src="./libs/localpkg"`,
				`fastjson 1.2.0 pdm.lock:66 src="https://files.example.com/packages/fastjson-1.2.0-py3-none-any.whl" h=1`,
				`weird - pdm.lock:76 unpinned`,
			},
			diags: []string{
				`pdm.lock: line 76: the version of "weird" is a number, not a string; recorded as unpinned`,
				`pdm.lock: line 76: the files of "weird" are a string, not a list of tables`,
			},
		},
		{
			file:  "pylock.toml",
			parse: ParsePylock,
			want: []string{
				`attrs 25.1.0 pylock.toml:11 h=1`,
				`cattrs 24.1.2 pylock.toml:20 src="https://pkgs.example.com/simple" h=3`,
				`internal-tools - pylock.toml:39 unpinned src="git+https://github.com/example/internal-tools.git@5d1c2a7e9f3b4a6c8d0e2f4a6b8c0d2e4f6a8b0c"`,
				`localpkg - pylock.toml:49 unpinned src="./libs/localpkg"`,
				`fastjson 1.2.0 pylock.toml:56 src="https://files.example.com/packages/fastjson-1.2.0.tar.gz" h=1`,
			},
		},
		{
			file:  "pyproject.toml",
			parse: ParsePyprojectDependencies,
			want: []string{
				`hatchling - pyproject.toml:2 unpinned direct c=">=1.18"`,
				`hatch-vcs 0.4.0 pyproject.toml:2 direct c="==0.4.0"`,
				`anyio - pyproject.toml:11 unpinned direct c=">=4"`,
				`httpx - pyproject.toml:12 unpinned direct c=">=0.27,<1"`,
				`click 8.1.7 pyproject.toml:13 direct c="==8.1.7"`,
				`internal-tools - pyproject.toml:14 unpinned direct src="git+https://github.com/example/internal-tools.git@v1.4.0"`,
				`tomli - pyproject.toml:15 unpinned direct c=">=2.0; python_version < \"3.11\""`,
				`pyyaml - pyproject.toml:20 unpinned direct c=">=6"`,
				`orjson 3.9.15 pyproject.toml:22 direct c="===3.9.15"`,
				`pytest - pyproject.toml:26 unpinned direct dev c=">=8"`,
				`coverage 7.4.3 pyproject.toml:26 direct dev c="==7.4.3"`,
				`ruff - pyproject.toml:29 unpinned direct dev`,
				`requests - pyproject.toml:37 unpinned direct c="^2.31"`,
				`six 1.16.0 pyproject.toml:38 direct c="1.16.0"`,
				`foo 2.0.1 pyproject.toml:39 direct c="==2.0.1; sys_platform == 'linux'"`,
				`internal-sdk - pyproject.toml:40 unpinned direct src="git+https://github.com/example/sdk.git@v3.1.0"`,
				`localpkg - pyproject.toml:41 unpinned direct src="libs/localpkg"`,
				`billing-core - pyproject.toml:42 unpinned direct c="^4.2" src="https://pkgs.example.com/simple"`,
				`numpy - pyproject.toml:43 unpinned direct c="<1.25"`,
				`numpy - pyproject.toml:43 unpinned direct c="^1.26"`,
				`lxml - pyproject.toml:48 unpinned direct c="~5.1"`,
				`pytest-cov - pyproject.toml:52 unpinned direct dev c="^4.1"`,
				`mypy 1.8.0 pyproject.toml:53 direct dev c="1.8.0"`,
				`black 24.2.0 pyproject.toml:56 direct dev c="24.2.0"`,
			},
			diags: []string{`pyproject.toml: line 16: invalid requirement: unexpected "a requirement!" after the project name "not"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			deps, diags, err := tt.parse(tt.file, lockReadTestdata(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			lockCheckInvariants(t, tt.file, deps, diags, true)
			lockCheckDeps(t, deps, tt.want)
			lockCheckDiags(t, diags, tt.diags)
		})
	}
}

func TestParseTOMLLockfileHashes(t *testing.T) {
	deps, _, err := ParsePylock("pylock.toml", lockReadTestdata(t, "pylock.toml"))
	if err != nil {
		t.Fatal(err)
	}
	got := lockFind(t, deps, "cattrs").Hashes
	want := []string{
		"sha256:8028cfe1ff5382df59dd36474a86e02d817b06eaf8af84555441bac915d2ef85",
		"sha512:4a5d2c0e7f9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f",
		"sha256:67c7495b760168d931a10233f979b28dc04daf853b30752246f4f8471c6d68d0",
	}
	for i := range want {
		if i >= len(got) || got[i] != want[i] {
			t.Fatalf("cattrs hashes %q", got)
		}
	}
	deps, _, err = ParseUvLock("uv.lock", lockReadTestdata(t, "uv.lock"))
	if err != nil {
		t.Fatal(err)
	}
	if h := lockFind(t, deps, "anyio").Hashes; h[0] != "sha256:f75253795a87df48568485fd18cdd2a3fa5c4f7c5be8e5e36637733fce06fed6" || h[1] != "sha256:048e05d0f6caeed70d731f3db756d35dcc1f35747c8c403364a8332c630441b8" {
		t.Errorf("anyio hashes %q (want sdist then wheels)", h)
	}
	deps, _, err = ParsePoetryLock("poetry.lock", lockReadTestdata(t, "poetry.lock"))
	if err != nil {
		t.Fatal(err)
	}
	if h := lockFind(t, deps, "certifi").Hashes; h[1] != "sha256:0569859f95fc761b18b45ef421b1290a0f65f147e92a1e5eb3e635f9a5e4e66f" {
		t.Errorf("certifi hashes %q", h)
	}
}

func TestParseTOMLLockfilesInline(t *testing.T) {
	tests := []struct {
		label string
		parse lockParser
		in    string
		want  []string
		diags []string
	}{
		{
			label: "poetry 1.x: category and metadata.files",
			parse: ParsePoetryLock,
			in: "[[package]]\nname = \"a\"\nversion = \"1\"\ncategory = \"dev\"\n\n" +
				"[[package]]\nname = \"b\"\nversion = \"2\"\ncategory = \"main\"\n" +
				"[package.source]\ntype = \"url\"\nurl = \"https://h/b-2.zip\"\n\n" +
				"[metadata]\nlock-version = \"1.1\"\n[metadata.files]\n" +
				"a = [{file = \"a-1.tar.gz\", hash = \"sha256:aa\"}]\nb = [{file = \"b.zip\", hash = 3}]\n",
			want: []string{`a 1 L:2 dev h=1`, `b 2 L:7 src="https://h/b-2.zip"`},
			diags: []string{
				`L: line 7: a file hash of "b" is a number, not a string; ignored`,
			},
		},
		{
			label: "poetry: no metadata, no packages",
			parse: ParsePoetryLock,
			in:    "# empty\n",
			diags: []string{`L: no [metadata] table`},
		},
		{
			label: "poetry: inline array of packages and a source without type",
			parse: ParsePoetryLock,
			in:    "package = [\n  {name = \"x\", version = \"1\", source = {url = \"https://pypi.org/simple/\"}},\n  {name = \"y\", files = 5},\n]\n[metadata]\n",
			want:  []string{`x 1 L:2`, `y - L:3 unpinned`},
			diags: []string{`L: line 3: the files of "y" are a number`},
		},
		{
			label: "pdm: legacy metadata.files and hg",
			parse: ParsePdmLock,
			in: "[[package]]\nname = \"a\"\nversion = \"1.0\"\nhg = \"https://hg/a\"\nref = \"default\"\nsubdirectory = \"pkg\"\n" +
				"[metadata]\nlock_version = \"3.1\"\n[metadata.files]\n\"a 1.0\" = [{url = \"https://h/a-1.0.tar.gz\", hash = \"sha256:11\"}]\n",
			want: []string{`a 1.0 L:2 src="hg+https://hg/a@default#subdirectory=pkg" h=1`},
		},
		{
			label: "uv: unknown version, workspace members, extras and missing names",
			parse: ParseUvLock,
			in: "version = 2\n[manifest]\nmembers = [\"app\", \"lib\"]\n" +
				"[[package]]\nname = \"app\"\nsource = { virtual = \"apps/app\" }\ndependencies = [{ name = \"lib\" }, { name = \"x\", extra = [\"Fast\"] }]\n" +
				"[[package]]\nname = \"lib\"\nversion = \"0.1\"\nsource = { editable = \"libs/lib\" }\n" +
				"[package.dev-dependencies]\ntest = [{ name = \"y\" }, { name = \"x\" }]\n" +
				"[[package]]\nname = \"x\"\nversion = \"1\"\nsource = { url = \"https://h/x-1.tar.gz\" }\n" +
				"[package.optional-dependencies]\nfast = [{ name = \"z\" }]\n" +
				"[[package]]\nname = \"y\"\nversion = \"1\"\nsource = { directory = \"../y\" }\nsdist = { url = \"u\", hash = 5 }\n" +
				"[[package]]\nname = \"z\"\nversion = \"1\"\nsource = { path = \"z.whl\" }\n" +
				"[[package]]\nversion = \"1\"\n",
			want: []string{
				`app - L:5 unpinned src="apps/app"`,
				`lib 0.1 L:9 src="libs/lib"`,
				`x 1 L:15 direct src="https://h/x-1.tar.gz"`,
				`y 1 L:21 direct dev src="../y"`,
				`z 1 L:26 src="z.whl"`,
			},
			diags: []string{
				`L: lockfile version 2 is not the known version 1`,
				`L: line 21: a file hash of "y" is a number`,
				`L: line 29: [[package]] without a name; skipped`,
			},
		},
		{
			label: "pylock: unknown major version, vcs by path, archive by path, bad hashes",
			parse: ParsePylock,
			in: "lock-version = \"2.0\"\n" +
				"[[packages]]\nname = \"a\"\nvcs = { type = \"Git\", path = \"../a\" }\n" +
				"[[packages]]\nname = \"b\"\narchive = { path = \"b.tar.gz\", hashes = { sha256 = 1 } }\n" +
				"[[packages]]\nname = \"c\"\nversion = \"1\"\nwheels = [{ hashes = \"x\" }]\nsdist = 7\n" +
				"[[packages]]\nversion = \"1\"\n",
			want: []string{
				`a - L:3 unpinned src="git+../a"`,
				`b - L:6 unpinned src="b.tar.gz"`,
				`c 1 L:9`,
			},
			diags: []string{
				`L: lock-version "2.0" is not 1.x`,
				`L: line 6: the "sha256" hash of a file of "b" is a number`,
				`L: line 9: the files of "c" are a number, not tables`,
				`L: line 9: the hashes of a file of "c" are a string, not a table`,
				`L: line 13: [[packages]] without a name; skipped`,
			},
		},
		{
			label: "pyproject: wrong types and alternative spellings",
			parse: ParsePyprojectDependencies,
			in: "project.dependencies = \"requests\"\n" +
				"project.optional-dependencies = 3\n" +
				"dependency-groups = { dev = [1, { include-group = \"x\" }, { other = 1 }] }\n" +
				"[tool.poetry]\ndependencies = { requests = { version = 2 }, \"bad name\" = \"1\", x = 1, Python = \"^3\" }\n" +
				"dev-dependencies.y = { version = \"==1.0\", source = \"pypi\" }\n" +
				"dev-dependencies.z = { version = \"1.0\", source = \"nowhere\" }\n" +
				"group = { main = { dependencies = { w = \"*\" } }, docs = 4 }\n" +
				"[tool.poetry.dev-dependencies.impl.sub]\n",
			want: []string{
				`y 1.0 L:6 direct dev c="==1.0"`,
				`z 1.0 L:7 direct dev c="1.0"`,
				`w - L:8 unpinned direct c="*"`,
				// Defined implicitly by a sub-table's header.
				`impl - L:9 unpinned direct dev`,
			},
			diags: []string{
				`L: line 1: "project.dependencies" is a string, not an array`,
				`L: line 2: "project.optional-dependencies" is a number, not a table`,
				`L: line 3: an entry of "dependency-groups.dev" is a number`,
				`L: line 3: an entry of "dependency-groups.dev" is a table`,
				`L: line 5: invalid project name "bad name"`,
				`L: line 5: "version" of the dependency "requests" is a number`,
				`L: line 5: the dependency "x" is a number`,
				`L: line 7: the dependency "z" names the source "nowhere"`,
				`L: line 8: "tool.poetry.group.docs" is a number, not a table`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.label, func(t *testing.T) {
			deps, diags, err := tt.parse("L", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			lockCheckInvariants(t, "L", deps, diags, true)
			lockCheckDeps(t, deps, tt.want)
			lockCheckDiags(t, diags, tt.diags)
		})
	}
}
