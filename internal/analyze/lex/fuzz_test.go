package lex

import (
	"testing"
	"unicode/utf8"
)

var pySeeds = []string{
	"",
	"x = 1\n",
	"def f(a, *b, **c):\n    return a ** 2 // 3\n",
	"print 'py2', `x`\nif a <> b: pass\nexcept E, e:\n",
	"s = b'\\xff\\777' + u'\\u00e9\\N{BULLET}' + r'\\d' + rb'\\x'\n",
	"'''triple\nquoted''' \"\"\"and\r\nthis\"\"\"\n",
	"f'{x!r:>{w}}' f\"{d[\"k\"]}\" rf'\\{y}' f'{f\"{z}\"}'\n",
	"f'{x\n",
	"f'''{\n x # c\n}'''",
	"x = (1,\n 2) \\\n + 3 # c\n",
	"0x_ff 0o17 0b1 1_0.5e-3j 10L 0777 .5 1..real\n",
	"'unterminated\n\"also",
	"'''never closed",
	"\xef\xbb\xbfcafé = '\xff'\r\n\ra",
	"\x00\x01\\\\\xe2\x82",
}

var jsSeeds = []string{
	"",
	"var x = 1;",
	"#!/usr/bin/env node\nconst a = require('a');",
	"x = /re/g.test(y); a / b / c; if(a)/x/.test(b)",
	"`a${b + `c${d}e`}f` `${'}'}` `${/}/}`",
	"'\\x41\\u0042\\u{1F600}\\uD83D\\uDE00\\101\\0\\\n' \"\\\r\n\"",
	"/* block\n */ // line\n<!-- html -->",
	"a?.b ?? c ??= d >>>= e ... => **= &&= ||=",
	"0x1Fn 0o7 0b1 1_000 .5e-3 0777 08 1..toString()",
	"!function(e){\"use strict\";var t=/[\"']/g;return e.replace(t,'')}(this);",
	"class A { #x = 1; get #y() { return this.#x } }",
	"\\u0061\\u{62} = 'c'",
	"`unterminated ${ x",
	"'unterminated\n\"also",
	"x = {}/2/y; if(a){}/re/.test(b)",
	"(/[(/[",
	"\x00\x01\xff\xe2\x80\xa8\xe2\x80",
}

func fuzzInvariants(t *testing.T, src []byte, toks []Token) {
	checkInvariants(t, src, toks)
	for i, tk := range toks {
		switch tk.Kind {
		case Name:
			if tk.Value == "" {
				t.Fatalf("token %d: empty name", i)
			}
		case Number, Op:
			if tk.Value != string(src[tk.Start:tk.End]) {
				t.Fatalf("token %d %+v: value differs from raw text", i, tk)
			}
		}
		if tk.Kind != EOF && tk.Kind != Newline && tk.Start == tk.End {
			t.Fatalf("token %d %+v: empty token", i, tk)
		}
	}
}

func FuzzPython(f *testing.F) {
	for _, s := range pySeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		toks := Python(src)
		fuzzInvariants(t, src, toks)
		for i, tk := range toks {
			if tk.Kind == Name && utf8.Valid(src) && tk.Value != string(src[tk.Start:tk.End]) {
				t.Fatalf("token %d %+v: name differs from raw text", i, tk)
			}
			if tk.Kind == String && !tk.Bytes && utf8.Valid(src) && !utf8.ValidString(tk.Value) {
				t.Fatalf("token %d %+v: decoded text string is not UTF-8", i, tk)
			}
		}
	})
}

func FuzzJavaScript(f *testing.F) {
	for _, s := range jsSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		toks := JavaScript(src)
		fuzzInvariants(t, src, toks)
		if utf8.Valid(src) {
			for i, tk := range toks {
				if (tk.Kind == String || tk.Kind == Template || tk.Kind == Name) && !utf8.ValidString(tk.Value) {
					t.Fatalf("token %d %+v: decoded value is not UTF-8", i, tk)
				}
			}
		}
	})
}
