package install

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{
		"apt-get update && apt-get install -y trivy",
		"curl -sSfL https://x/install.sh | sh",
		"sudo sh -c 'apt-get install -y \"foo\"'",
		"bash <(curl -s https://x)",
		"curl -LO https://x/t.tar.gz\ntar xzf t.tar.gz\nsudo mv t /usr/local/bin\n",
		"apt-get install -y trivy=${{ inputs.v }} jq\r\n",
		"if true; then\ncat <<EOF\nx\n",
		"pip install -U pip x 'y>=1'\nnpx -y z\ngo install a.io/b@latest",
		"echo \"$(curl x | sh)\" <<< \"$(wget -O- y)\"",
		"eval 'eval \"sh -c \\\"apt-get install q\\\"\"'",
		"a=$((1+)\napt-get install -y one\nfi\npip install two\n",
		"sudo apt-get install -y trivy=<< parameters.v >> jq $[[ inputs.x ]]",
		ciScript,
	} {
		f.Add(s, "")
	}
	f.Add("pip install x", "bash")
	f.Add("pip install x", "pwsh")
	f.Fuzz(func(t *testing.T, script, shell string) {
		got := Analyze(script, shell)
		lines := strings.Count(script, "\n") + 1
		for _, g := range got {
			if g.Line < 1 || g.Line > lines {
				t.Fatalf("line %d outside 1..%d: %+v", g.Line, lines, g)
			}
			if g.Col < 1 {
				t.Fatalf("column %d: %+v", g.Col, g)
			}
			if !kinds[g.Kind] {
				t.Fatalf("kind %q", g.Kind)
			}
			if utf8.ValidString(script) && utf8.RuneCountInString(g.Command) > maxCommand {
				t.Fatalf("command too long: %q", g.Command)
			}
			if strings.ContainsAny(g.Command, "\n") {
				t.Fatalf("command on several lines: %q", g.Command)
			}
			if g.Message == "" {
				t.Fatalf("empty message: %+v", g)
			}
		}
	})
}
