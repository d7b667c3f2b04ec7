package lex

import (
	"strings"
	"testing"
)

func TestPythonBasics(t *testing.T) {
	runCases(t, Python, []lexCase{
		{"empty", "", ""},
		{"assign", "x = 1\n", "Name(x) Op(=) Number(1) Newline"},
		{"no trailing newline", "x", "Name(x) Newline"},
		{"blank lines", "\n\n  \nx\n\n", "Name(x) Newline"},
		{"comment only lines", "# hi\n#there\nx # tail\n", `Comment(" hi") Comment("there") Name(x) Comment(" tail") Newline`},
		{"crlf", "a\r\nb\r\n", "Name(a) Newline Name(b) Newline"},
		{"lone cr", "a\rb", "Name(a) Newline Name(b) Newline"},
		{"unicode ident", "café = ñ_1\n", "Name(café) Op(=) Name(ñ_1) Newline"},
		{"cjk ident", "变量 = 1", "Name(变量) Op(=) Number(1) Newline"},
		{"brackets suppress newline", "f(a,\n  b)\nx", "Name(f) Op(() Name(a) Op(,) Name(b) Op()) Newline Name(x) Newline"},
		{"nested brackets", "d = {'a': [1,\n2]}\n", `Name(d) Op(=) Op({) String("a") Op(:) Op([) Number(1) Op(,) Number(2) Op(]) Op(}) Newline`},
		{"continuation", "x = 1 + \\\n    2\n", "Name(x) Op(=) Number(1) Op(+) Number(2) Newline"},
		{"continuation crlf", "x = \\\r\n2", "Name(x) Op(=) Number(2) Newline"},
		{"stray backslash", "a \\ b", `Name(a) Op(\) Name(b) Newline`},
		{"decorator", "@dec\ndef f(): pass", "Op(@) Name(dec) Newline Name(def) Name(f) Op(() Op()) Op(:) Name(pass) Newline"},
		{"bom", "\ufeffx", "Name(x) Newline"},
		{"unclosed bracket", "f(\nx\ny", "Name(f) Op(() Name(x) Name(y) Newline"},
		{"extra closer", ")\nx", "Op()) Newline Name(x) Newline"},
		{"nbsp is space", "a\u00a0b", "Name(a) Name(b) Newline"},
		{"unknown chars", "a ? $ ! b", "Name(a) Op(?) Op($) Op(!) Name(b) Newline"},
		{"nul byte", "a\x00b", "Name(a) Op(\x00) Name(b) Newline"},
		{"invalid utf8", "a\xffb", "Name(a) Op(\xff) Name(b) Newline"},
		{"symbol rune", "a → b", "Name(a) Op(→) Name(b) Newline"},
	})
}

func TestPythonOperators(t *testing.T) {
	runCases(t, Python, []lexCase{
		{"arith", "a**=b//=c>>=d<<=e", "Name(a) Op(**=) Name(b) Op(//=) Name(c) Op(>>=) Name(d) Op(<<=) Name(e) Newline"},
		{"cmp", "a==b!=c<=d>=e<f>g", "Name(a) Op(==) Name(b) Op(!=) Name(c) Op(<=) Name(d) Op(>=) Name(e) Op(<) Name(f) Op(>) Name(g) Newline"},
		{"misc", "a->b:=c...d@=e", "Name(a) Op(->) Name(b) Op(:=) Name(c) Op(...) Name(d) Op(@=) Name(e) Newline"},
		{"single", "~a%b&c|d^e", "Op(~) Name(a) Op(%) Name(b) Op(&) Name(c) Op(|) Name(d) Op(^) Name(e) Newline"},
		{"augmented", "a+=1;b-=2;c*=3;d/=4;e%=5;f&=6;g|=7;h^=8", "Name(a) Op(+=) Number(1) Op(;) Name(b) Op(-=) Number(2) Op(;) Name(c) Op(*=) Number(3) Op(;) Name(d) Op(/=) Number(4) Op(;) Name(e) Op(%=) Number(5) Op(;) Name(f) Op(&=) Number(6) Op(;) Name(g) Op(|=) Number(7) Op(;) Name(h) Op(^=) Number(8) Newline"},
		{"two dots", "a..b", "Name(a) Op(.) Op(.) Name(b) Newline"},
		{"attr", "os.system", "Name(os) Op(.) Name(system) Newline"},
	})
}

func TestPythonNumbers(t *testing.T) {
	runCases(t, Python, []lexCase{
		{"ints", "0 7 42 1_000_000", "Number(0) Number(7) Number(42) Number(1_000_000) Newline"},
		{"bases", "0x1F 0XdeadBEEF 0o17 0O7 0b1010 0B1 0x_ff", "Number(0x1F) Number(0XdeadBEEF) Number(0o17) Number(0O7) Number(0b1010) Number(0B1) Number(0x_ff) Newline"},
		{"floats", "1.5 .5 5. 1e10 1E-3 1.5e+2 1_0.0_1", "Number(1.5) Number(.5) Number(5.) Number(1e10) Number(1E-3) Number(1.5e+2) Number(1_0.0_1) Newline"},
		{"complex", "1j 2.5J 1e3j", "Number(1j) Number(2.5J) Number(1e3j) Newline"},
		{"py2 long and octal", "10L 0777 0xffL 5l", "Number(10L) Number(0777) Number(0xffL) Number(5l) Newline"},
		{"number then keyword", "1if x else 2", "Number(1) Name(if) Name(x) Name(else) Number(2) Newline"},
		{"e not exponent", "1else", "Number(1) Name(else) Newline"},
		{"attr on float", "1..real", "Number(1.) Op(.) Name(real) Newline"},
	})
}

func TestPythonStrings(t *testing.T) {
	runCases(t, Python, []lexCase{
		{"single", `'abc'`, `String("abc") Newline`},
		{"double", `"abc"`, `String("abc") Newline`},
		{"empty", `'' ""`, `String("") String("") Newline`},
		{"other quote inside", `"it's" 'say "hi"'`, `String("it's") String("say \"hi\"") Newline`},
		{"simple escapes", `'\n\t\\\'\"\a\b\f\v\r'`, `String("\n\t\\'\"\a\b\f\v\r") Newline`},
		{"hex escape", `'\x41\xff'`, `String("Aÿ") Newline`},
		{"octal escape", `'\101\0\7\1234'`, `String("A\x00\aS4") Newline`},
		{"unicode escapes", `'\u00e9\U0001F600'`, `String("é😀") Newline`},
		{"named escape kept", `'\N{BULLET} x'`, `String("\\N{BULLET} x") Newline`},
		{"unknown escape kept", `'\q\d'`, `String("\\q\\d") Newline`},
		{"bad hex kept", `'\x4g\u12'`, `String("\\x4g\\u12") Newline`},
		{"too big U kept", `'\U00110000'`, `String("\\U00110000") Newline`},
		{"continuation in string", "'ab\\\ncd'", `String("abcd") Newline`},
		{"continuation crlf in string", "'ab\\\r\ncd'", `String("abcd") Newline`},
		{"triple", "'''a\nb'''", `String("a\nb") Newline`},
		{"triple double with quotes", `"""say "x" ""y"" """`, `String("say \"x\" \"\"y\"\" ") Newline`},
		{"triple crlf normalised", "'''a\r\nb\rc'''", `String("a\nb\nc") Newline`},
		{"triple ends at first close", `'''a''''`, `String("a") String("") !u Newline`},
		{"raw", `r'\n\x41\'' R"\\"`, `String("\\n\\x41\\'") p=r String("\\\\") p=r Newline`},
		{"raw continuation", "r'a\\\nb'", `String("a\\\nb") p=r Newline`},
		{"bytes", `b'\xff\x00A\101' B"\u1234\N{X}"`, `String("\xff\x00AA") p=b !b String("\\u1234\\N{X}") p=b !b Newline`},
		{"bytes octal wraps", `b'\777'`, `String("\xff") p=b !b Newline`},
		{"raw bytes", `rb'\xff' Br'\n' bR'' RB''`, `String("\\xff") p=rb !b String("\\n") p=br !b String("") p=br !b String("") p=rb !b Newline`},
		{"unicode prefix", `u'\u00e9' U'x'`, `String("é") p=u String("x") p=u Newline`},
		{"py2 ur", `ur'\d' UR"x"`, `String("\\d") p=ur String("x") p=ur Newline`},
		{"not a prefix", `x'a' rr'b' bu'c'`, `Name(x) String("a") Name(rr) String("b") Name(bu) String("c") Newline`},
		{"prefix only name", "r = b + f", "Name(r) Op(=) Name(b) Op(+) Name(f) Newline"},
		{"implicit concat", `('a'` + "\n" + ` "b")`, `Op(() String("a") String("b") Op()) Newline`},
		{"unterminated single", "x = 'abc\ny = 1", `Name(x) Op(=) String("abc") !u Newline Name(y) Op(=) Number(1) Newline`},
		{"unterminated double at eof", `"abc`, `String("abc") !u Newline`},
		{"unterminated triple", "'''abc\n\nx = 1", `String("abc\n\nx = 1") !u Newline`},
		{"backslash at eof", `'abc\`, `String("abc\\") !u Newline`},
		{"escaped quote at eof", `'abc\'`, `String("abc'") !u Newline`},
		{"non utf8 in string", "'\xff\xfe'", "String(\"\\xff\\xfe\") Newline"},
	})
}

func TestPythonFStrings(t *testing.T) {
	runCases(t, Python, []lexCase{
		{"simple", `f"a{x}b"`, `String("a{x}b") p=f Newline`},
		{"escapes in literal", `f"\t{x}\n"`, `String("\t{x}\n") p=f Newline`},
		{"double braces kept", `f"{{x}} {y}"`, `String("{{x}} {y}") p=f Newline`},
		{"other quote in field", `f"{d['k']}" + 1`, `String("{d['k']}") p=f Op(+) Number(1) Newline`},
		{"py312 same quote in field", `f"{d["k"]}" + 1`, `String("{d[\"k\"]}") p=f Op(+) Number(1) Newline`},
		{"nested fstring", `f"{f'{x}'}" y`, `String("{f'{x}'}") p=f Name(y) Newline`},
		{"format spec", `f"{x:>10}" f'{x:{w}.{p}f}'`, `String("{x:>10}") p=f String("{x:{w}.{p}f}") p=f Newline`},
		{"quote in format spec", `f"{x:'^10}"`, `String("{x:'^10}") p=f Newline`},
		{"dict in field", `f"{ {'a': 1}['a'] }"`, `String("{ {'a': 1}['a'] }") p=f Newline`},
		{"slice and conversion", `f"{a[1:2]!r:>{w}}"`, `String("{a[1:2]!r:>{w}}") p=f Newline`},
		{"debug and ne", `f"{x=} {a!=b}"`, `String("{x=} {a!=b}") p=f Newline`},
		{"raw fstring", `rf"\d{x}" Fr'\{y}'`, `String("\\d{x}") p=rf String("\\{y}") p=fr Newline`},
		{"named escape braces", `f"\N{DASH}{x}"`, `String("\\N{DASH}{x}") p=f Newline`},
		{"multiline field in triple", "f'''{\nx\n}'''", `String("{\nx\n}") p=f Newline`},
		{"newline in field ends single", "f'{x\ny = 1", `String("{x") p=f !u Newline Name(y) Op(=) Number(1) Newline`},
		{"unclosed field at quote", `f'{x' + 1`, `String("{x' + 1") p=f !u Newline`},
		{"tstring", `t"{x}"`, `String("{x}") p=t Newline`},
		{"lone close brace", `f"a}b"`, `String("a}b") p=f Newline`},
	})
	// Deep nesting must not blow up and must terminate at EOF at worst.
	src := []byte(strings.Repeat(`f"{`, 10000) + "x" + strings.Repeat(`}"`, 10000))
	toks := Python(src)
	checkInvariants(t, src, toks)
	src = []byte(strings.Repeat(`f"{x:{`, 10000))
	checkInvariants(t, src, Python(src))
}

func TestPythonNested312(t *testing.T) {
	src := `f"{f"{f"{x}"}"}" + y`
	toks := Python([]byte(src))
	checkInvariants(t, []byte(src), toks)
	if got, want := render(toks), `String("{f\"{f\"{x}\"}\"}") p=f Op(+) Name(y) Newline`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestPython2(t *testing.T) {
	src := "#!/usr/bin/env python\n" +
		"# -*- coding: latin-1 -*-\n" +
		"import os, sys\n" +
		"print \"hello\", x\n" +
		"print >>sys.stderr, 'err'\n" +
		"if a <> b:\n" +
		"    exec \"code\" in ns\n" +
		"try:\n" +
		"    x = `y`\n" +
		"except ValueError, e:\n" +
		"    raise ValueError, \"bad\"\n" +
		"mode = 0777\n" +
		"n = 10L\n" +
		"s = ur'\\d+'\n" +
		"u = u'caf\\xe9'\n"
	want := `Comment("!/usr/bin/env python") Comment(" -*- coding: latin-1 -*-") ` +
		`Name(import) Name(os) Op(,) Name(sys) Newline ` +
		`Name(print) String("hello") Op(,) Name(x) Newline ` +
		`Name(print) Op(>>) Name(sys) Op(.) Name(stderr) Op(,) String("err") Newline ` +
		`Name(if) Name(a) Op(<>) Name(b) Op(:) Newline ` +
		`Name(exec) String("code") Name(in) Name(ns) Newline ` +
		`Name(try) Op(:) Newline ` +
		"Name(x) Op(=) Op(`) Name(y) Op(`) Newline " +
		`Name(except) Name(ValueError) Op(,) Name(e) Op(:) Newline ` +
		`Name(raise) Name(ValueError) Op(,) String("bad") Newline ` +
		`Name(mode) Op(=) Number(0777) Newline ` +
		`Name(n) Op(=) Number(10L) Newline ` +
		`Name(s) Op(=) String("\\d+") p=ur Newline ` +
		`Name(u) Op(=) String("café") p=u Newline`
	toks := Python([]byte(src))
	checkInvariants(t, []byte(src), toks)
	if got := render(toks); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestPythonLines(t *testing.T) {
	src := "a = '''x\ny\nz'''\nb = 'p\\\nq'\n# c\nc = (1,\n\n 2)\nd = \\\n 3\r\ne\rf\n\"\"\"\n\n"
	toks := Python([]byte(src))
	checkInvariants(t, []byte(src), toks)
	got := map[string]int{}
	for _, tk := range toks {
		if tk.Kind == Name {
			got[tk.Value] = tk.Line
		}
	}
	want := map[string]int{"a": 1, "b": 4, "c": 7, "d": 10, "e": 12, "f": 13}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("line of %s = %d, want %d", k, got[k], v)
		}
	}
	last := toks[len(toks)-1]
	if last.Kind != EOF || last.Line != 16 {
		t.Errorf("EOF %+v, want line 16", last)
	}
}

func TestPythonOffsets(t *testing.T) {
	src := `x = rb'\x00' + f"{y}"`
	toks := Python([]byte(src))
	var raw []string
	for _, tk := range toks {
		raw = append(raw, src[tk.Start:tk.End])
	}
	want := []string{"x", "=", `rb'\x00'`, "+", `f"{y}"`, "", ""}
	if strings.Join(raw, "|") != strings.Join(want, "|") {
		t.Errorf("raw texts %q, want %q", raw, want)
	}
}

func TestPythonBroken(t *testing.T) {
	for _, src := range []string{
		"def f(:\n  return ]]]\n",
		"x = '''unterminated",
		"\"\"\"",
		"f'",
		"f'{",
		"f'''{",
		"f'{x:{'",
		"b'\\",
		"\\",
		"0x",
		"1e",
		"1e+",
		".",
		"'\\N{",
		"'\\N{abc",
		"'\\U0000",
		"'\\x",
		"\x00\x01\x02\xff\xfe",
		"\xe2\x82",
		"class A:\n\tdef f(self):\n\t\tpass\n  \tx\n",
	} {
		b := []byte(src)
		checkInvariants(t, b, Python(b))
	}
}
