package lex

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// genPython builds roughly size bytes of realistic Python: classes,
// functions, docstrings, comments, calls, string literals of every kind.
func genPython(size int) []byte {
	rng := rand.New(rand.NewSource(42))
	var b strings.Builder
	b.WriteString("#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n\"\"\"Module docstring.\n\nMore text here.\n\"\"\"\nimport os\nimport sys\nfrom typing import Any, Dict, List, Optional\n\n")
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "\n\nclass Handler%d(BaseHandler):\n", i)
		b.WriteString("    \"\"\"Handle requests for the resource.\n\n    Attributes:\n        name: the name.\n    \"\"\"\n\n")
		fmt.Fprintf(&b, "    timeout = %d\n    ratio = %d.%de-3\n    mask = 0x%x\n\n", rng.Intn(1000), rng.Intn(100), rng.Intn(100), rng.Intn(1<<20))
		for m := 0; m < 4; m++ {
			fmt.Fprintf(&b, "    def method_%d(self, arg: int, *args, key: Optional[str] = None, **kwargs) -> Dict[str, Any]:\n", m)
			b.WriteString("        # compute the result and return it\n")
			fmt.Fprintf(&b, "        result = {'name': self.name, \"value\": arg * %d + len(args), 'path': os.path.join(base, 'sub', f\"{key}_{arg:04d}.txt\")}\n", rng.Intn(50))
			b.WriteString("        if arg > 10 and key is not None:\n")
			fmt.Fprintf(&b, "            self.log.debug('arg=%%s key=%%r', arg, key)  # noqa\n")
			b.WriteString("            data = b'\\x00\\x01binary\\xff' + rb'\\d+'\n")
			b.WriteString("        for i, item in enumerate(self.items[1:-1]):\n")
			b.WriteString("            result[str(i)] = [x ** 2 for x in range(item.count) if x % 3 == 0]\n")
			b.WriteString("        try:\n            value = int(kwargs.get(\"value\", \"0\"), 16)\n        except (ValueError, TypeError) as exc:\n            raise RuntimeError('bad value: %s' % exc) from exc\n")
			b.WriteString("        return result\n\n")
		}
	}
	return []byte(b.String())
}

// genJS builds roughly size bytes of realistic JavaScript in the style of a
// readable module.
func genJS(size int) []byte {
	rng := rand.New(rand.NewSource(7))
	var b strings.Builder
	b.WriteString("'use strict';\n\nconst fs = require('fs');\nconst path = require(\"path\");\n\n")
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "/**\n * Handler number %d.\n * @param {Object} opts options\n */\n", i)
		fmt.Fprintf(&b, "function handler%d(opts, callback) {\n", i)
		b.WriteString("  // normalise the options first\n")
		fmt.Fprintf(&b, "  const limit = opts.limit || %d, ratio = %d.%d, mask = 0x%x;\n", rng.Intn(1000), rng.Intn(10), rng.Intn(100), rng.Intn(1<<16))
		b.WriteString("  let result = { name: opts.name, path: path.join(__dirname, 'lib', `${opts.name}.js`), items: [] };\n")
		b.WriteString("  if (!/^[a-z0-9_\\-]+$/i.test(opts.name)) {\n    throw new Error(\"invalid name: \" + opts.name);\n  }\n")
		b.WriteString("  for (let i = 0; i < limit; i++) {\n    result.items.push(i * ratio / 2 | 0);\n  }\n")
		b.WriteString("  const text = fs.readFileSync(result.path, 'utf8').replace(/\\r\\n/g, '\\n');\n")
		b.WriteString("  return callback(null, Object.assign({}, result, { size: text.length, ok: text !== '' && mask > 0 }));\n}\n\n")
		fmt.Fprintf(&b, "module.exports.handler%d = async (opts) => await new Promise((resolve, reject) => handler%d(opts, (err, res) => err ? reject(err) : resolve(res)));\n\n", i, i)
	}
	return []byte(b.String())
}

// genMinJS builds roughly size bytes of minified, bundled JavaScript on a
// single line.
func genMinJS(size int) []byte {
	var b strings.Builder
	b.WriteString(`!function(e,t){"object"==typeof exports&&"undefined"!=typeof module?module.exports=t():"function"==typeof define&&define.amd?define(t):(e="undefined"!=typeof globalThis?globalThis:e||self).lib=t()}(this,function(){"use strict";`)
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, `var n%d=function(e,t){for(var r=0,o=e.length;r<o;r++)if(t(e[r],r))return r;return-1},a%d=/^(?:[a-z]+:)?\/\//i,c%d={exports:{}};function u%d(e){return null==e?"":String(e).replace(/[&<>"']/g,function(e){return"&#"+e.charCodeAt(0)+";"})}`, i, i, i, i)
		fmt.Fprintf(&b, "var s%d=`${u%d(t)}:${1e3*r/60|0}`,l%d=[0x1f,255,.5,1e-7];", i, i, i)
	}
	b.WriteString(`return{}});`)
	return []byte(b.String())
}

func benchLex(b *testing.B, lexer func([]byte) []Token, src []byte) {
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		lexer(src)
	}
}

func BenchmarkPython(b *testing.B)       { benchLex(b, Python, genPython(1<<20)) }
func BenchmarkJavaScript(b *testing.B)   { benchLex(b, JavaScript, genJS(1<<20)) }
func BenchmarkJSMinified(b *testing.B)   { benchLex(b, JavaScript, genMinJS(1<<20)) }
func BenchmarkPythonBinary(b *testing.B) { benchLex(b, Python, genBinary(1<<20)) }
func BenchmarkJSBinary(b *testing.B)     { benchLex(b, JavaScript, genBinary(1<<20)) }

func genBinary(size int) []byte {
	rng := rand.New(rand.NewSource(3))
	buf := make([]byte, size)
	rng.Read(buf)
	return buf
}

// TestGeneratedInputs keeps the benchmark inputs honest: they must lex
// without unterminated tokens.
func TestGeneratedInputs(t *testing.T) {
	for name, c := range map[string]struct {
		lexer func([]byte) []Token
		src   []byte
	}{
		"python": {Python, genPython(64 << 10)},
		"js":     {JavaScript, genJS(64 << 10)},
		"minjs":  {JavaScript, genMinJS(64 << 10)},
	} {
		toks := c.lexer(c.src)
		checkInvariants(t, c.src, toks)
		for _, tk := range toks {
			if tk.Unterminated {
				t.Fatalf("%s: unterminated %+v", name, tk)
			}
		}
	}
}
