package install

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// w is one expected finding: kind, 1-based line, column (0 = not
// checked) and the packages joined with ",".
type w struct {
	kind string
	line int
	col  int
	pkgs string
}

type tc struct {
	name   string
	script string
	shell  string
	want   []w // nil: no finding
}

func run(t *testing.T, cases []tc) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Analyze(c.script, c.shell)
			if len(got) != len(c.want) {
				t.Fatalf("got %d findings, want %d:\n%s", len(got), len(c.want), dump(got))
			}
			for i, g := range got {
				e := c.want[i]
				if g.Kind != e.kind || g.Line != e.line || strings.Join(g.Packages, ",") != e.pkgs || (e.col != 0 && g.Col != e.col) {
					t.Errorf("finding %d = %s@%d:%d [%s], want %s@%d:%d [%s]\n%s", i, g.Kind, g.Line, g.Col, strings.Join(g.Packages, ","), e.kind, e.line, e.col, e.pkgs, dump(got))
				}
				checkFinding(t, c.script, g)
			}
		})
	}
}

func dump(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %s@%d:%d %q %v\n    %s\n", f.Kind, f.Line, f.Col, f.Command, f.Packages, f.Message)
	}
	return b.String()
}

var kinds = map[string]bool{"apt": true, "yum": true, "apk": true, "brew": true, "pip": true, "pip-self": true,
	"pipx": true, "uv-tool": true, "npm-global": true, "npx": true, "go-install": true, "gem": true, "cargo": true,
	"curl-pipe-shell": true, "download-exec": true}

// checkFinding holds for every finding of every script.
func checkFinding(t *testing.T, script string, f Finding) {
	t.Helper()
	lines := strings.Count(script, "\n") + 1
	if f.Line < 1 || f.Line > lines {
		t.Errorf("line %d outside 1..%d", f.Line, lines)
	}
	if f.Col < 1 {
		t.Errorf("column %d < 1", f.Col)
	}
	if !kinds[f.Kind] {
		t.Errorf("unknown kind %q", f.Kind)
	}
	if n := utf8.RuneCountInString(f.Command); n > maxCommand || strings.ContainsAny(f.Command, "\n\r") {
		t.Errorf("command %q: %d characters or several lines", f.Command, n)
	}
	if f.Message == "" || f.Message[0] != '"' && (f.Message[0] < 'a' || f.Message[0] > 'z') {
		t.Errorf("message %q does not start lowercase or with a quoted value", f.Message)
	}
}

func TestApt(t *testing.T) {
	run(t, []tc{
		{"litellm", "apt-get update && apt-get install -y trivy", "", []w{{"apt", 1, 19, "trivy"}}},
		{"litellm circleci", "set -e\nsudo apt-get update\nsudo apt-get install -y trivy\ntrivy fs .\n", "", []w{{"apt", 3, 1, "trivy"}}},
		{"options and prefix", "DEBIAN_FRONTEND=noninteractive apt-get -qq install -y --no-install-recommends curl git", "", []w{{"apt", 1, 1, "curl,git"}}},
		{"continuation", "echo hi\nsudo apt-get install -y \\\n  curl \\\n  trivy=0.50.1 \\\n  jq\n", "", []w{{"apt", 2, 1, "curl,jq"}}},
		{"apt and aptitude", "apt install -y trivy\naptitude install trivy", "", []w{{"apt", 1, 1, "trivy"}, {"apt", 2, 1, "trivy"}}},
		{"target release", "apt-get install -y -t bookworm-backports golang", "", []w{{"apt", 1, 1, "golang"}}},
		{"release suffix", "apt-get install -y trivy/stable", "", []w{{"apt", 1, 1, "trivy"}}},
		{"function if subshell", "install_deps() {\n  if ! command -v trivy; then\n    (cd /tmp && sudo apt-get install -y trivy)\n  fi\n}\n", "", []w{{"apt", 3, 17, "trivy"}}},
		{"for body", "for i in 1 2; do\n  apt-get install -y jq || sleep 5\ndone", "", []w{{"apt", 2, 3, "jq"}}},
		{"env wrapper", "sudo -E env DEBIAN_FRONTEND=noninteractive apt-get install -y trivy", "", []w{{"apt", 1, 1, "trivy"}}},
		{"timeout wrapper", "timeout 300 apt-get install -y trivy", "", []w{{"apt", 1, 1, "trivy"}}},
		{"sudo -u", "sudo -u root apt-get install -y trivy", "", []w{{"apt", 1, 1, "trivy"}}},
		{"pinned", "apt-get install -y trivy=0.50.1", "", nil},
		{"pinned by variable", `apt-get install -y "trivy=${TRIVY_VERSION}" jq=1.6-2`, "", nil},
		{"dynamic list", "apt-get install -y $PACKAGES\napt-get install -y $(cat apt.txt)\napt-get install -y \"${PKGS[@]}\"", "", nil},
		{"kernel headers", "apt-get install -y linux-headers-$(uname -r)", "", nil},
		{"fix broken", "apt-get install -f\napt-get install --fix-broken -y", "", nil},
		{"local debs", "apt-get install -y ./trivy.deb /tmp/x.deb", "", nil},
		{"other subcommands", "apt-get update && apt-get upgrade -y && apt-get remove -y foo && apt-get purge foo-", "", nil},
		{"simulate", "apt-get install -s trivy\napt-get install --download-only trivy", "", nil},
		{"strings and comments", "echo \"apt-get install trivy\"\n# apt-get install trivy\nprintf 'pip install x\\n'\nlog apt-get:install", "", nil},
		{"heredoc bodies", "cat > Dockerfile <<'EOF'\nRUN apt-get install -y trivy\nEOF\ncat <<EOF\napt-get install -y trivy\nEOF\n", "", nil},
		{"trailing comment", "apt-get install -y trivy=0.50.1 # apt-get install foo", "", nil},
		{"lookups", "command -v apt-get\nwhich pip\ntype npm\nhash apt-get", "", nil},
		{"in docker run", "docker run --rm debian sh -c 'apt-get install -y curl'", "", nil},
	})
}

func TestOSPackages(t *testing.T) {
	run(t, []tc{
		{"yum", "yum install -y epel-release jq-1.6 nodejs-18.17.1-1.el8.x86_64", "", []w{{"yum", 1, 1, "epel-release"}}},
		{"dnf java", "dnf -y install java-17-openjdk", "", []w{{"yum", 1, 1, "java-17-openjdk"}}},
		{"microdnf repo", "microdnf install --enablerepo epel trivy", "", []w{{"yum", 1, 1, "trivy"}}},
		{"yum benign", "yum install -y jq-1.6 nodejs-18.17.1-1.el8.x86_64 @development ./x.rpm https://x/y.rpm\nyum update -y\ndnf clean all", "", nil},
		{"apk", "apk add --no-cache --virtual .build-deps gcc curl=8.5.0-r0 musl-dev~1.2", "", []w{{"apk", 1, 1, "gcc"}}},
		{"apk tag", "apk add trivy@testing", "", []w{{"apk", 1, 1, "trivy"}}},
		{"apk benign", "apk add --no-cache curl=8.5.0-r0 'bash~5.2'\napk update\napk del gcc", "", nil},
		{"brew", "brew install trivy python@3.12", "", []w{{"brew", 1, 1, "trivy"}}},
		{"brew tap formula", "brew install --cask aquasecurity/trivy/trivy", "", []w{{"brew", 1, 1, "aquasecurity/trivy/trivy"}}},
		{"brew benign", "brew install python@3.12 ./Formula/x.rb\nbrew bundle\nbrew upgrade\nbrew tap x/y", "", nil},
	})
}

func TestPython(t *testing.T) {
	run(t, []tc{
		{"pip", "pip install twine", "", []w{{"pip", 1, 1, "twine"}}},
		{"python -m pip", "python3 -m pip install --user 'requests>=2' 'urllib3==2.0.7'", "", []w{{"pip", 1, 1, "requests"}}},
		{"uv pip", "uv pip install --system ruff", "", []w{{"pip", 1, 1, "ruff"}}},
		{"pip self", "python -m pip install --upgrade pip", "", []w{{"pip-self", 1, 1, "pip"}}},
		{"pip self and tool", "pip3 install -U pip setuptools wheel build", "", []w{{"pip", 1, 1, "build"}, {"pip-self", 1, 1, "pip,setuptools,wheel"}}},
		{"requirements plus package", "pip install -r requirements.txt semgrep", "", []w{{"pip", 1, 1, "semgrep"}}},
		{"options with values", "pip install --index-url https://pypi.example/simple --target out -t out2 awscli", "", []w{{"pip", 1, 1, "awscli"}}},
		{"pipx", "pipx install poetry", "", []w{{"pipx", 1, 1, "poetry"}}},
		{"pipx run", "pipx run black --check .", "", []w{{"pipx", 1, 1, "black"}}},
		{"uv tool", "uv tool install ruff", "", []w{{"uv-tool", 1, 1, "ruff"}}},
		{"uvx latest", "uvx ruff@latest check", "", []w{{"uv-tool", 1, 1, "ruff"}}},
		{"uvx with", "uvx --with mkdocs-material mkdocs build", "", []w{{"uv-tool", 1, 1, "mkdocs,mkdocs-material"}}},
		{"pinned", "pip install twine==5.1.1 'x===1.0'\npip install \"mypkg==${VERSION}\" $PKG", "", nil},
		{"hashed requirements", "pip install -r requirements.txt --require-hashes\npip install --no-deps -r reqs.txt", "", nil},
		{"local", "pip install .\npip install -e '.[dev]'\npip install dist/*.whl\npip install ./pkg-1.0-py3-none-any.whl\npip install .[test]", "", nil},
		{"urls", "pip install git+https://github.com/x/y@v1\npip install 'pkg @ https://x/pkg.whl'\npip install git+ssh://git@github.com/x/y.git@0123abc#egg=y\npip install -e git+https://github.com/x/y", "", nil},
		{"vcs branch", "pip install git+https://github.com/pytest-dev/pytest.git\npip install 'git+https://github.com/x/y@main#egg=y' requests==2.0", "", []w{{"pip", 1, 1, "git+https://github.com/pytest-dev/pytest.git"}, {"pip", 2, 1, "git+https://github.com/x/y@main#egg=y"}}},
		{"constraints", "pip install -c constraints.txt apache-airflow\nPIP_CONSTRAINT=c.txt pip install x\nuv pip install --constraints c.txt y", "", nil},
		{"offline", "python -m pip install --no-index --find-links wheels/ x", "", nil},
		{"not install", "pip download x\npip freeze\npython -c 'import pip'\npython -m venv .venv\npython script.py install x\npip uninstall -y x", "", nil},
		{"tools pinned", "pipx install poetry==1.8.3\nuv tool install ruff==0.5.0\nuv tool install ruff@0.5.0\nuvx ruff@0.5.0 check\nuvx --from 'ruff==0.5.0' ruff\nuv run pytest\nuv sync --frozen", "", nil},
	})
}

func TestNode(t *testing.T) {
	run(t, []tc{
		{"npm -g", "npm install -g @anthropic-ai/claude-code", "", []w{{"npm-global", 1, 1, "@anthropic-ai/claude-code"}}},
		{"npm --global range", "npm i --global typescript@^5 pnpm@latest", "", []w{{"npm-global", 1, 1, "typescript,pnpm"}}},
		{"npm location", "sudo npm --location=global install serve", "", []w{{"npm-global", 1, 1, "serve"}}},
		{"yarn global", "yarn global add serve", "", []w{{"npm-global", 1, 1, "serve"}}},
		{"pnpm -g", "pnpm add -g pnpm@latest", "", []w{{"npm-global", 1, 1, "pnpm"}}},
		{"bun -g", "bun add -g vercel", "", []w{{"npm-global", 1, 1, "vercel"}}},
		{"npx -y", "npx -y cowsay hello", "", []w{{"npx", 1, 1, "cowsay"}}},
		{"npx latest", "npx semantic-release@latest", "", []w{{"npx", 1, 1, "semantic-release"}}},
		{"pnpm dlx", "pnpm dlx create-vite", "", []w{{"npx", 1, 1, "create-vite"}}},
		{"yarn dlx package", "yarn dlx -p typescript tsc --noEmit", "", []w{{"npx", 1, 1, "typescript"}}},
		{"npm exec yes", "npm exec --yes -- cspell .", "", []w{{"npx", 1, 1, "cspell"}}},
		{"project installs", "npm ci\nnpm install\nnpm install --save-dev eslint\nyarn install --frozen-lockfile\npnpm install --frozen-lockfile\nbun install", "", nil},
		{"npm pinned", "npm i -g typescript@5.1.2\nnpm install -g npm@10.8.1 @scope/tool@2.0.0\nnpm i -g\nnpm install -g .\nnpm i -g ./tool.tgz\nnpm i -g \"pkg@$V\"", "", nil},
		{"npx local", "npx eslint .\nnpx --no-install tsc\nnpx -y cowsay@1.5.0\npnpm dlx create-vite@5.2.0\nnpx tsc -p tsconfig.json", "", nil},
	})
}

func TestGoGemCargo(t *testing.T) {
	run(t, []tc{
		{"go latest", "go install golang.org/x/vuln/cmd/govulncheck@latest", "", []w{{"go-install", 1, 1, "golang.org/x/vuln/cmd/govulncheck"}}},
		{"go branch with flags", "go install -v -tags netgo github.com/x/y/cmd/z@main", "", []w{{"go-install", 1, 1, "github.com/x/y/cmd/z"}}},
		{"go run master", "go run github.com/x/tool@master --flag", "", []w{{"go-install", 1, 1, "github.com/x/tool"}}},
		{"go pinned", "go install ./...\ngo install github.com/x/y@v1.2.3\ngo install x.io/y@v0.0.0-20240101000000-abcdef123456\ngo install x.io/y@abcdef1\ngo build ./...\ngo get x.io/y@latest\ngo install \"x.io/y@${VERSION}\"\ngo run ./cmd/tool\ngo run main.go", "", nil},
		{"gem", "gem install bundler --no-document", "", []w{{"gem", 1, 1, "bundler"}}},
		{"sudo gem", "sudo gem install fpm", "", []w{{"gem", 1, 1, "fpm"}}},
		{"gem pinned", "gem install bundler -v 2.4.22\ngem install bundler:2.4.22\nbundle install\ngem install ./x.gem\ngem install bundler --version '~> 2.4'", "", nil},
		{"cargo", "cargo install cargo-audit --locked", "", []w{{"cargo", 1, 1, "cargo-audit"}}},
		{"cargo binstall", "cargo binstall -y cargo-nextest", "", []w{{"cargo", 1, 1, "cargo-nextest"}}},
		{"cargo git", "cargo install --git https://github.com/x/y", "", []w{{"cargo", 1, 1, "https://github.com/x/y"}}},
		{"cargo pinned", "cargo install cargo-audit --version 0.20.0 --locked\ncargo install cargo-audit@0.20.0\ncargo install --path .\ncargo build --release\ncargo install --git https://x/y --rev abc123\ncargo +nightly install --list", "", nil},
	})
}

func TestCurlPipeShell(t *testing.T) {
	run(t, []tc{
		{"curl sh", "curl -sSfL https://example.com/install.sh | sh -s -- -b /usr/local/bin", "", []w{{"curl-pipe-shell", 1, 1, ""}}},
		{"wget sudo bash", "wget -qO- https://get.example.com | sudo bash", "", []w{{"curl-pipe-shell", 1, 1, ""}}},
		{"nodesource", "apt-get update\ncurl -fsSL https://deb.nodesource.com/setup_20.x | sudo -E bash -", "", []w{{"curl-pipe-shell", 2, 1, ""}}},
		{"process substitution", "bash <(curl -s https://codecov.io/bash)", "", []w{{"curl-pipe-shell", 1, 1, ""}}},
		{"bash -c subst", `/bin/bash -c "$(curl -fsSL https://raw.githubusercontent.com/Homebrew/install/HEAD/install.sh)"`, "", []w{{"curl-pipe-shell", 1, 1, ""}}},
		{"eval", `eval "$(curl -sL https://example.com/env.sh)"`, "", []w{{"curl-pipe-shell", 1, 1, ""}}},
		{"python stdin", "curl -sL https://x/y.py | python3 -", "", []w{{"curl-pipe-shell", 1, 1, ""}}},
		{"source", "source <(curl -s https://x/env)", "", []w{{"curl-pipe-shell", 1, 1, ""}}},
		{"sh -c wget", `sh -c "$(wget -O- https://x/install.sh)"`, "", []w{{"curl-pipe-shell", 1, 1, ""}}},
		{"tee then sh", "curl -s https://x | tee install.sh | sh", "", []w{{"curl-pipe-shell", 1, 1, ""}}},
		{"stdin redirect", "bash < <(curl -s https://x/i.sh)", "", []w{{"curl-pipe-shell", 1, 1, ""}}},
		{"in && chain", "cd /tmp && curl -sL https://x | bash && echo done", "", []w{{"curl-pipe-shell", 1, 12, ""}}},
		{"data pipes", "curl -s https://api.github.com/repos/x/y/releases/latest | jq -r .tag_name\n" +
			"curl -s https://x | python3 -c 'import json,sys; print(json.load(sys.stdin))'\n" +
			"curl -fsSL https://x/key.gpg | sudo gpg --dearmor -o /usr/share/keyrings/x.gpg\n" +
			"curl -s https://x | sudo tee /etc/apt/sources.list.d/x.list\n" +
			"curl x | bash -c 'cat > f'\ncurl -s x | python3 parse.py\ncurl -s x | perl -ne 'print'\n" +
			"wget -q https://x/a.sh | sh\ncurl -o out.sh https://x | sh", "", nil},
		{"not fetched", "cat install.sh | sh\nsh install.sh\nbash -c 'echo hi'\neval \"$(ssh-agent -s)\"\neval \"$(pyenv init -)\"\nsource .venv/bin/activate", "", nil},
		{"status check", "curl -o /dev/null -w '%{http_code}' https://x", "", nil},
	})
}

func TestDownloadExec(t *testing.T) {
	run(t, []tc{
		{"script", "curl -fsSLo install.sh https://x/install.sh\nbash install.sh\n", "", []w{{"download-exec", 1, 1, "install.sh"}}},
		{"deb", "wget https://x/tool.deb\nsudo dpkg -i tool.deb\n", "", []w{{"download-exec", 1, 1, "tool.deb"}}},
		{"release archive", "curl -LO https://github.com/aquasecurity/trivy/releases/download/v0.69.4/trivy_0.69.4_Linux-64bit.tar.gz\ntar xzf trivy_*.tar.gz\nsudo mv trivy /usr/local/bin/\n", "", []w{{"download-exec", 1, 1, "trivy_0.69.4_Linux-64bit.tar.gz"}}},
		{"streamed archive", "curl -sSL https://get.helm.sh/helm-v3.14.0-linux-amd64.tar.gz | tar xz\nsudo mv linux-amd64/helm /usr/local/bin/helm\n", "", []w{{"download-exec", 1, 1, "https://get.helm.sh/helm-v3.14.0-linux-amd64.tar.gz"}}},
		{"into bin", "curl -Lo /usr/local/bin/kubectl https://dl.k8s.io/release/v1.30.0/bin/linux/amd64/kubectl\nchmod +x /usr/local/bin/kubectl\n", "", []w{{"download-exec", 1, 1, "/usr/local/bin/kubectl"}}},
		{"redirect", "curl -sL https://x/tool > /tmp/tool\nchmod +x /tmp/tool\n/tmp/tool --version\n", "", []w{{"download-exec", 1, 1, "/tmp/tool"}}},
		{"gunzip", "curl -L -o tool.gz https://x/tool.gz\ngunzip tool.gz\nchmod +x tool && ./tool\n", "", []w{{"download-exec", 1, 1, "tool.gz"}}},
		{"renamed", "curl -L -o tool-linux-amd64 https://x/tool-linux-amd64\nmv tool-linux-amd64 tool\n./tool\n", "", []w{{"download-exec", 1, 1, "tool-linux-amd64"}}},
		{"one line", "curl -sSLO https://x/install.sh && chmod +x install.sh && ./install.sh", "", []w{{"download-exec", 1, 1, "install.sh"}}},
		{"template path", "wget https://releases.hashicorp.com/terraform/${{ env.v }}/terraform_${{ env.v }}_linux_amd64.zip\nunzip terraform_${{ env.v }}_linux_amd64.zip\nsudo mv terraform /usr/bin/", "", []w{{"download-exec", 1, 1, "terraform_${{ env.v }}_linux_amd64.zip"}}},
		{"variable path", "curl -sSfL \"$URL\" -o \"$RUNNER_TEMP/tool.sh\"\nsh \"${RUNNER_TEMP}/tool.sh\"", "", []w{{"download-exec", 1, 1, "$RUNNER_TEMP/tool.sh"}}},
		{"install(1)", "wget -O tool https://x/tool\nsudo install -m 0755 tool /usr/local/bin/tool", "", []w{{"download-exec", 1, 1, "tool"}}},
		{"sha256sum -c", "curl -fsSLo install.sh https://x/install.sh\necho \"$SHA  install.sh\" | sha256sum -c -\nbash install.sh\n", "", nil},
		{"shasum check file", "curl -LO https://x/tool.tar.gz\nshasum -a 256 -c tool.tar.gz.sha256\ntar xzf tool.tar.gz\nsudo mv tool /usr/local/bin\n", "", nil},
		{"gpg", "curl -LO https://x/tool.deb\ncurl -LO https://x/tool.deb.asc\ngpg --verify tool.deb.asc tool.deb\nsudo dpkg -i tool.deb\n", "", nil},
		{"cosign", "curl -LO https://x/tool\ncosign verify-blob --signature tool.sig tool\nchmod +x tool && ./tool\n", "", nil},
		{"hash compare", "curl -Lo tool https://x/tool\n[ \"$(sha256sum tool | cut -d' ' -f1)\" = \"$SHA\" ] || exit 1\nchmod +x tool\n./tool\n", "", nil},
		{"verify function", "curl -Lo tool https://x/tool\nverify_checksum tool \"$SHA\"\n./tool\n", "", nil},
		{"not run", "curl -o data.json https://x/data.json\njq . data.json\ncurl -LO https://x/tool.tar.gz && tar xzf tool.tar.gz\n", "", nil},
		{"unrelated run after data archive", "curl -sL https://x/fixtures.tar.gz | tar xz -C testdata\n./gradlew test\n", "", nil},
		{"chmod outside bin", "curl -Lo tool https://x/tool\nchmod +x tool\n", "", nil},
	})
}

func TestNestedTemplatesAndRecovery(t *testing.T) {
	run(t, []tc{
		{"sudo sh -c", "sudo sh -c 'apt-get update && apt-get install -y trivy'", "", []w{{"apt", 1, 31, "trivy"}}},
		{"bash -c double quotes", "bash -ec \"pip install \\\"black>=24\\\" && echo ok\"", "", []w{{"pip", 1, 11, "black"}}},
		{"su -c", "su -c 'gem install fpm' root", "", []w{{"gem", 1, 8, "fpm"}}},
		{"eval literal", "eval 'npm install -g serve'", "", []w{{"npm-global", 1, 7, "serve"}}},
		{"nested lines", "sudo bash -c '\n  set -e\n  apt-get install -y trivy\n'", "", []w{{"apt", 3, 3, "trivy"}}},
		{"github expressions", "apt-get install -y trivy=${{ inputs.trivy-version }} jq\necho '${{ github.event.issue.title }}'\npip install \"x==${{ env.V }}\"\nnpm i -g 'pkg@${{ inputs.v }}'\ngo install x.io/y@${{ inputs.v }}", "", []w{{"apt", 1, 1, "jq"}}},
		{"expression as command", "${{ matrix.installer }} install -y trivy\necho ${{ secrets.X }}", "", nil},
		{"circleci parameters", "sudo apt-get install -y trivy=<< parameters.version >>\nsudo apt-get install -y jq\n", "", []w{{"apt", 2, 1, "jq"}}},
		{"gitlab inputs", "apt-get install -y trivy=$[[ inputs.version ]] jq", "", []w{{"apt", 1, 1, "jq"}}},
		{"crlf", "set -e\r\napt-get update\r\napt-get install -y \\\r\n  trivy\r\npip install twine\r\n", "", []w{{"apt", 3, 1, "trivy"}, {"pip", 5, 1, "twine"}}},
		{"bad line", "echo start\nfoo )\napt-get install -y trivy\n", "", []w{{"apt", 3, 1, "trivy"}}},
		{"unclosed quote after", "apt-get install -y a\necho \"unterminated\n", "", []w{{"apt", 1, 1, "a"}}},
		{"missing fi", "if true; then\n  apt-get install -y trivy\n", "", []w{{"apt", 2, 3, "trivy"}}},
		{"heredoc in fallback", "if true; then\ncat <<EOF > x.sh\napt-get install -y foo\nEOF\napt-get install -y baz\n", "", []w{{"apt", 5, 1, "baz"}}},
		{"several bad lines", "a=$((1+)\napt-get install -y one\nfi\npip install two\n}\ngem install three\n", "", []w{{"apt", 2, 1, "one"}, {"pip", 4, 1, "two"}, {"gem", 6, 1, "three"}}},
		{"non posix shells", "apt-get install -y trivy", "pwsh", nil},
		{"powershell", "apt-get install -y trivy", "powershell", nil},
		{"cmd", "pip install x", "cmd", nil},
		{"python", "pip install x", "python", nil},
		{"custom bash", "apt-get install -y trivy", "bash --noprofile --norc -eo pipefail {0}", []w{{"apt", 1, 1, "trivy"}}},
		{"sh", "apt-get install -y trivy", "sh", []w{{"apt", 1, 1, "trivy"}}},
		{"unicode column", "echo \"héllo\"; apt-get install -y trivy", "", []w{{"apt", 1, 15, "trivy"}}},
		{"order", "curl -Lo t https://x/t\npip install a\n./t\n", "", []w{{"download-exec", 1, 1, "t"}, {"pip", 2, 1, "a"}}},
		{"empty", "", "", nil},
		{"only comments", "# nothing\n\n   \n", "", nil},
	})
}

func TestMessages(t *testing.T) {
	got := Analyze("apt-get update && apt-get install -y trivy", "")
	want := `"apt-get install" installs "trivy" without a version: pin "trivy=<version>" or verify a downloaded release by checksum (an unpinned package is whatever the configured apt repositories, third-party ones included, serve that day)`
	if len(got) != 1 || got[0].Message != want || got[0].Command != "apt-get install -y trivy" {
		t.Fatalf("got %s", dump(got))
	}
	for _, c := range []struct{ script, want string }{
		{"apt-get install -y curl jq", `"apt-get install" installs "curl" and "jq" without a version: pin each package like "curl=<version>" or verify`},
		{"dnf install -y trivy", `"dnf install" installs "trivy" without a version: pin "trivy-<version>"`},
		{"apk add trivy", `"apk add" installs "trivy" without a version: pin "trivy=<version>"`},
		{"brew install trivy", `"brew install" installs "trivy" at whatever version the tap serves`},
		{"pip install 'x>=1'", `"pip install" installs "x>=1" without an exact version: pin "x==<version>" (with --require-hashes to check hashes) or install from a hashed requirements file`},
		{"pip install -U pip", `"pip install" upgrades the installer's own "pip" without an exact version: pin "pip==<version>"`},
		{"pipx install poetry", `"pipx install" installs "poetry" without an exact version: pin "poetry==<version>"`},
		{"uvx ruff@latest", `"uvx" runs "ruff@latest" without an exact version: pin "ruff==<version>"`},
		{"npm i -g typescript", `"npm i -g" installs "typescript" without an exact version: pin "typescript@<version>"`},
		{"npx -y cowsay", `"npx" runs "cowsay" without an exact version: pin "cowsay@<version>" or add it to the project's locked dependencies`},
		{"go install x.io/y@latest", `"go install" installs "x.io/y@latest" at a moving version: pin a release, e.g. "x.io/y@v<version>"`},
		{"gem install fpm", `"gem install" installs "fpm" without a version: pin it with "-v <version>"`},
		{"cargo install ripgrep", `"cargo install" installs "ripgrep" without a version: pin "ripgrep@<version>" and add "--locked"`},
		{"curl -sL https://x | sh", `"curl" output is piped into "sh": the downloaded script runs without verification`},
		{"bash <(curl -sL https://x)", `"bash" runs a script fetched by "curl" without verifying it`},
		{"curl -o i.sh https://x/i.sh; sh i.sh", `"i.sh" downloaded by "curl" is run by "sh i.sh" without a checksum or signature check: verify it against a pinned sha256`},
	} {
		got := Analyze(c.script, "")
		if len(got) != 1 || !strings.HasPrefix(got[0].Message, c.want) {
			t.Errorf("%s:\n%s\nwant prefix %s", c.script, dump(got), c.want)
		}
	}
}

func TestCommandClipped(t *testing.T) {
	long := "apt-get install -y " + strings.Repeat("averyveryverylongpackagename ", 20) + "trivy"
	got := Analyze(long, "")
	if len(got) != 1 {
		t.Fatalf("got %s", dump(got))
	}
	if n := utf8.RuneCountInString(got[0].Command); n != maxCommand || !strings.HasSuffix(got[0].Command, "…") {
		t.Errorf("command has %d characters: %q", n, got[0].Command)
	}
	if len(got[0].Packages) != 21 || !strings.Contains(got[0].Message, "and 16 more") {
		t.Errorf("packages %d, message %s", len(got[0].Packages), got[0].Message)
	}
}

// The parser's positions overflow after 262,143 lines; lines come from
// byte offsets instead.
func TestManyLines(t *testing.T) {
	script := strings.Repeat("true\n", 300000) + "apt-get install -y trivy\n"
	got := Analyze(script, "")
	if len(got) != 1 || got[0].Line != 300001 || got[0].Col != 1 {
		t.Fatalf("got %s", dump(got))
	}
	long := strings.Repeat("x", 20000) + "; apt-get install -y trivy"
	got = Analyze(long, "")
	if len(got) != 1 || got[0].Col != 20003 {
		t.Fatalf("got %s", dump(got))
	}
}

func TestPathological(t *testing.T) {
	for name, script := range map[string]string{
		"deep substitutions": strings.Repeat("$(", 1<<20),
		"deep arithmetic":    strings.Repeat("((", 1<<19),
		"deep ifs":           strings.Repeat("if a; then ", 1<<17),
		"many bad lines":     strings.Repeat("echo ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((( )\n", 1<<14),
		"unclosed quotes":    strings.Repeat("echo \"a\n", 1<<16),
		"templates":          strings.Repeat("{{ ${{ $[[ << parameters.", 1<<16),
		"bad heredocs":       strings.Repeat("if x; then cat <<E$RANDOM\n", 1<<15),
	} {
		start := time.Now()
		got := Analyze(script+"\napt-get install -y z\n", "")
		el := time.Since(start)
		t.Logf("%s (%d bytes): %v, %d findings", name, len(script), el, len(got))
		if el > 5*time.Second {
			t.Errorf("%s took %v", name, el)
		}
		for _, f := range got {
			checkFinding(t, script+"\napt-get install -y z\n", f)
		}
	}
}

func TestLargeScript(t *testing.T) {
	var b strings.Builder
	for b.Len() < 1<<20 {
		b.WriteString(ciScript)
	}
	script := b.String()
	n := strings.Count(ciScript, "\n")
	start := time.Now()
	got := Analyze(script, "bash")
	el := time.Since(start)
	t.Logf("%d bytes, %d lines: %v, %d findings", len(script), strings.Count(script, "\n"), el, len(got))
	if el > time.Second {
		t.Errorf("1 MiB script took %v", el)
	}
	per := len(Analyze(ciScript, "bash"))
	if copies := strings.Count(script, ciScript); len(got) != per*copies {
		t.Errorf("got %d findings, want %d per copy x %d", len(got), per, copies)
	}
	if got[len(got)-1].Line <= n {
		t.Errorf("last finding on line %d", got[len(got)-1].Line)
	}
}

func TestCIScript(t *testing.T) {
	got := Analyze(ciScript, "")
	var sum []string
	for _, f := range got {
		checkFinding(t, ciScript, f)
		sum = append(sum, fmt.Sprintf("%s@%d", f.Kind, f.Line))
	}
	want := "apt@14 curl-pipe-shell@19 download-exec@22 pip-self@37 pip@38 npm-global@58 go-install@62 npx@103"
	if strings.Join(sum, " ") != want {
		t.Errorf("got  %s\nwant %s\n%s", strings.Join(sum, " "), want, dump(got))
	}
}

func BenchmarkAnalyze(b *testing.B) {
	b.SetBytes(int64(len(ciScript)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Analyze(ciScript, "bash")
	}
}
