package lex

import (
	"strings"
	"testing"
)

func TestJSBasics(t *testing.T) {
	runCases(t, JavaScript, []lexCase{
		{"empty", "", ""},
		{"decl", "var x = 1;", "Name(var) Name(x) Op(=) Number(1) Op(;)"},
		{"idents", "$ _a $b1 café ᚠ", "Name($) Name(_a) Name($b1) Name(café) Name(ᚠ)"},
		{"escaped ident", `\u0061bc a\u{62}c \u{1D4B6}`, "Name(abc) Name(abc) Name(𝒶)"},
		{"private name", "this.#x = #y in o", "Name(this) Op(.) Name(#x) Op(=) Name(#y) Name(in) Name(o)"},
		{"stray hash", "# 1", "Op(#) Number(1)"},
		{"bad escape", `\x41`, `Op(\) Name(x41)`},
		{"hashbang", "#!/usr/bin/env node\nx", `Comment("/usr/bin/env node") Name(x)`},
		{"hashbang after bom", "\ufeff#!node\nx", `Comment("node") Name(x)`},
		{"hash not first", "x\n#!y", "Name(x) Op(#) Op(!) Name(y)"},
		{"comments", "a // line\n/* block\n */ b", `Name(a) Comment(" line") Comment(" block\n ") Name(b)`},
		{"unterminated block comment", "a /* x", `Name(a) Comment(" x") !u`},
		{"html comment ignored", "<!-- x -->", "Op(<) Op(!) Op(--) Name(x) Op(--) Op(>)"},
		{"unicode space", "a\u2003b\u2028c\ufeffd", "Name(a) Name(b) Name(c) Name(d)"},
		{"unknown", "a → @b", "Name(a) Op(→) Op(@) Name(b)"},
		{"invalid utf8", "a\xffb", "Name(a) Op(\xff) Name(b)"},
		{"zwj in ident", "a\u200db", "Name(a\u200db)"},
	})
}

func TestJSOperators(t *testing.T) {
	runCases(t, JavaScript, []lexCase{
		{"shift assign", "a>>>=b>>=c<<=d>>>e", "Name(a) Op(>>>=) Name(b) Op(>>=) Name(c) Op(<<=) Name(d) Op(>>>) Name(e)"},
		{"equality", "a===b!==c==d!=e", "Name(a) Op(===) Name(b) Op(!==) Name(c) Op(==) Name(d) Op(!=) Name(e)"},
		{"logical assign", "a&&=b||=c??=d", "Name(a) Op(&&=) Name(b) Op(||=) Name(c) Op(??=) Name(d)"},
		{"optional chain", "a?.b?.[c]??d", "Name(a) Op(?.) Name(b) Op(?.) Op([) Name(c) Op(]) Op(??) Name(d)"},
		{"ternary not chain", "a?.5:1", "Name(a) Op(?) Number(.5) Op(:) Number(1)"},
		{"arrow spread", "(...a)=>a**2", "Op(() Op(...) Name(a) Op()) Op(=>) Name(a) Op(**) Number(2)"},
		{"incdec", "a++ + --b", "Name(a) Op(++) Op(+) Op(--) Name(b)"},
		{"compound", "a+=1,b-=1,c*=1,d%=1,e**=1,f^=1,g&=1,h|=1", "Name(a) Op(+=) Number(1) Op(,) Name(b) Op(-=) Number(1) Op(,) Name(c) Op(*=) Number(1) Op(,) Name(d) Op(%=) Number(1) Op(,) Name(e) Op(**=) Number(1) Op(,) Name(f) Op(^=) Number(1) Op(,) Name(g) Op(&=) Number(1) Op(,) Name(h) Op(|=) Number(1)"},
		{"misc", "~!a<=b>=c&&d||e", "Op(~) Op(!) Name(a) Op(<=) Name(b) Op(>=) Name(c) Op(&&) Name(d) Op(||) Name(e)"},
	})
}

func TestJSNumbers(t *testing.T) {
	runCases(t, JavaScript, []lexCase{
		{"ints", "0 42 1_000", "Number(0) Number(42) Number(1_000)"},
		{"bases", "0xFF 0Xab_cd 0o17 0O7 0b1010 0B1", "Number(0xFF) Number(0Xab_cd) Number(0o17) Number(0O7) Number(0b1010) Number(0B1)"},
		{"bigint", "10n 0xffn 0b1n", "Number(10n) Number(0xffn) Number(0b1n)"},
		{"floats", "1.5 .5 5. 1e10 1E-3 2.5e+3", "Number(1.5) Number(.5) Number(5.) Number(1e10) Number(1E-3) Number(2.5e+3)"},
		{"legacy octal", "0777 08 09.5", "Number(0777) Number(08) Number(09.5)"},
		{"method on number", "1..toString() 1.0.toFixed", "Number(1.) Op(.) Name(toString) Op(() Op()) Number(1.0) Op(.) Name(toFixed)"},
	})
}

func TestJSStrings(t *testing.T) {
	runCases(t, JavaScript, []lexCase{
		{"basic", `'a' "b" '' ""`, `String("a") String("b") String("") String("")`},
		{"other quote", `"it's" 'say "x"'`, `String("it's") String("say \"x\"")`},
		{"escapes", `'\n\t\r\b\f\v\0\\\'\"'`, `String("\n\t\r\b\f\v\x00\\'\"")`},
		{"hex", `'\x41\xff'`, `String("Aÿ")`},
		{"unicode", `'\u0041\u00e9\u{1F600}\u{41}'`, `String("Aé😀A")`},
		{"surrogate pair", `'\uD83D\uDE00'`, `String("😀")`},
		{"lone surrogate", `'\uD83Dx'`, `String("�x")`},
		{"legacy octal", `'\101\7\08\377\400\8'`, `String("A\a\x008ÿ 08")`},
		{"identity escapes", `'\q\é'`, `String("qé")`},
		{"bad hex unicode kept", `'\x4g\u12\u{}'`, `String("\\x4g\\u12\\u{}")`},
		{"continuation", "'ab\\\ncd' 'x\\\r\ny' 'p\\\u2028q'", `String("abcd") String("xy") String("pq")`},
		{"ls ps allowed", "'a\u2028b'", `String("a\u2028b")`},
		{"unterminated at newline", "x = 'abc\ny", `Name(x) Op(=) String("abc") !u Name(y)`},
		{"unterminated at eof", `"abc`, `String("abc") !u`},
		{"backslash at eof", `'abc\`, `String("abc") !u`},
		{"obfuscated", `var _0x1a=['\x65\x76\x61\x6c','\u0061tob'];`, `Name(var) Name(_0x1a) Op(=) Op([) String("eval") Op(,) String("atob") Op(]) Op(;)`},
	})
}

func TestJSTemplates(t *testing.T) {
	runCases(t, JavaScript, []lexCase{
		{"plain", "`abc`", `Template("abc")`},
		{"empty", "``", `Template("")`},
		{"multiline", "`a\nb`", `Template("a\nb")`},
		{"crlf normalised", "`a\r\nb\rc`", `Template("a\nb\nc")`},
		{"escapes", "`\\n\\x41\\u0042\\`\\${x}`", "Template(\"\\nAB`${x}\")"},
		{"continuation", "`a\\\nb`", `Template("ab")`},
		{"octal kept", "`\\0\\1`", `Template("\x00\\1")`},
		{"substitution", "`a${x}b`", `Template("ab") Name(x)`},
		{"two substitutions", "`${a + 1}-${b}`;c", `Template("-") Name(a) Op(+) Number(1) Name(b) Op(;) Name(c)`},
		{"dollar alone", "`$a $ {b}`", `Template("$a $ {b}")`},
		{"object in substitution", "`${ {a:1}.a }x`", `Template("x") Op({) Name(a) Op(:) Number(1) Op(}) Op(.) Name(a)`},
		{"nested template", "`a${`b${c}d`}e`", `Template("ae") Template("bd") Name(c)`},
		{"string with brace", "`${'}'}x`", `Template("x") String("}")`},
		{"regex in substitution", "`${/}/.test(a)}`", `Template("") Regexp(/}/) Op(.) Name(test) Op(() Name(a) Op())`},
		{"division after template", "`a`/2", `Template("a") Op(/) Number(2)`},
		{"tagged", "String.raw`\\d`", `Name(String) Op(.) Name(raw) Template("d")`},
		{"unterminated", "`abc\n", `Template("abc\n") !u`},
		{"unterminated in expr", "`a${b", `Template("a") !u Name(b)`},
		{"unterminated after expr", "`a${b}c", `Template("ac") !u Name(b)`},
	})
}

func TestJSTemplateOffsets(t *testing.T) {
	src := "x=`a${`b${c}`}d`;y"
	toks := JavaScript([]byte(src))
	checkInvariants(t, []byte(src), toks)
	var raw []string
	for _, tk := range toks {
		raw = append(raw, src[tk.Start:tk.End])
	}
	want := []string{"x", "=", "`a${`b${c}`}d`", "`b${c}`", "c", ";", "y", ""}
	if strings.Join(raw, "|") != strings.Join(want, "|") {
		t.Errorf("raw %q\nwant %q", raw, want)
	}
}

func TestJSRegexp(t *testing.T) {
	runCases(t, JavaScript, []lexCase{
		{"assign", "x = /re/g.test(y)", "Name(x) Op(=) Regexp(/re/g) Op(.) Name(test) Op(() Name(y) Op())"},
		{"division chain", "a / b / c", "Name(a) Op(/) Name(b) Op(/) Name(c)"},
		{"division after number", "1/2/3", "Number(1) Op(/) Number(2) Op(/) Number(3)"},
		{"division after paren", "(a)/2/(b)", "Op(() Name(a) Op()) Op(/) Number(2) Op(/) Op(() Name(b) Op())"},
		{"division after bracket", "a[0]/b/c", "Name(a) Op([) Number(0) Op(]) Op(/) Name(b) Op(/) Name(c)"},
		{"division assign", "a /= 2", "Name(a) Op(/=) Number(2)"},
		{"regex starting with =", "x=/=+/", "Name(x) Op(=) Regexp(/=+/)"},
		{"class with slash", "x = /[/]\\//", `Name(x) Op(=) Regexp(/[/]\//)`},
		{"quotes in regex", `s.replace(/"|'/g, "")`, `Name(s) Op(.) Name(replace) Op(() Regexp(/"|'/g) Op(,) String("") Op())`},
		{"backtick in regex", "f(/`/)", "Name(f) Op(() Regexp(/`/) Op())"},
		{"after return", "return /x/i", "Name(return) Regexp(/x/i)"},
		{"after typeof", "typeof /x/", "Name(typeof) Regexp(/x/)"},
		{"export default", "export default /x/i;", "Name(export) Name(default) Regexp(/x/i) Op(;)"},
		{"export default object", "export default {a:1}/2", "Name(export) Name(default) Op({) Name(a) Op(:) Number(1) Op(}) Op(/) Number(2)"},
		{"keyword as property", "a.return / 2 / b", "Name(a) Op(.) Name(return) Op(/) Number(2) Op(/) Name(b)"},
		{"after comma and colon", "[/a/, {k: /b/}]", "Op([) Regexp(/a/) Op(,) Op({) Name(k) Op(:) Regexp(/b/) Op(}) Op(])"},
		{"after arrow", "x=>/a/.test(x)", "Name(x) Op(=>) Regexp(/a/) Op(.) Name(test) Op(() Name(x) Op())"},
		{"after logical", "a&&/b/.test(c)||/d/", "Name(a) Op(&&) Regexp(/b/) Op(.) Name(test) Op(() Name(c) Op()) Op(||) Regexp(/d/)"},
		{"start of file", "/abc/.exec(s)", "Regexp(/abc/) Op(.) Name(exec) Op(() Name(s) Op())"},
		{"if condition", "if(a)/x/.test(b)", "Name(if) Op(() Name(a) Op()) Regexp(/x/) Op(.) Name(test) Op(() Name(b) Op())"},
		{"while condition nested parens", "while(f(a))/x/g", "Name(while) Op(() Name(f) Op(() Name(a) Op()) Op()) Regexp(/x/g)"},
		{"call paren is division", "f(a)/x/g", "Name(f) Op(() Name(a) Op()) Op(/) Name(x) Op(/) Name(g)"},
		{"after block", "if(a){b()}/x/.test(c)", "Name(if) Op(() Name(a) Op()) Op({) Name(b) Op(() Op()) Op(}) Regexp(/x/) Op(.) Name(test) Op(() Name(c) Op())"},
		{"after object", "x={}/2/y", "Name(x) Op(=) Op({) Op(}) Op(/) Number(2) Op(/) Name(y)"},
		{"postfix incdec", "a++/2/b", "Name(a) Op(++) Op(/) Number(2) Op(/) Name(b)"},
		{"prefix incdec", "x=++/a/.lastIndex", "Name(x) Op(=) Op(++) Regexp(/a/) Op(.) Name(lastIndex)"},
		{"escape", `x=/\/\[/`, `Name(x) Op(=) Regexp(/\/\[/)`},
		{"no close falls back", "x = /abc\ny", "Name(x) Op(=) Op(/) Name(abc) Name(y)"},
		{"no close at eof", "(/", "Op(() Op(/)"},
		{"no retry after fallback", "(/[(/[", "Op(() Op(/) Op([) Op(() Op(/) Op([)"},
		{"regex after fallback line", "(/[\n(/a/", "Op(() Op(/) Op([) Op(() Regexp(/a/)"},
		{"regex then division", "/a/ / 2", "Regexp(/a/) Op(/) Number(2)"},
		{"comment not regex", "a //b\n/c/", `Name(a) Comment("b") Op(/) Name(c) Op(/)`},
	})
}

func TestJSMinified(t *testing.T) {
	src := `!function(e,t){"object"==typeof exports&&"undefined"!=typeof module?module.exports=t():"function"==typeof define&&define.amd?define(t):(e=e||self).lib=t()}(this,function(){"use strict";var e=/[\\"\u0000-\u001f]/g,n=function(t){return t.replace(e,"")};return{a:n,b:` + "`${n(1)}/x`" + `,c:1/2/3,d:/'/.source}});`
	toks := JavaScript([]byte(src))
	checkInvariants(t, []byte(src), toks)
	var regs, tmpls, strs []string
	for _, tk := range toks {
		switch tk.Kind {
		case Regexp:
			regs = append(regs, tk.Value)
		case Template:
			tmpls = append(tmpls, tk.Value)
		case String:
			strs = append(strs, tk.Value)
		}
		if tk.Unterminated {
			t.Errorf("unterminated token %+v", tk)
		}
	}
	if got, want := strings.Join(regs, " "), `/[\\"\u0000-\u001f]/g /'/`; got != want {
		t.Errorf("regexps %q, want %q", got, want)
	}
	if got, want := strings.Join(tmpls, " "), "/x"; got != want {
		t.Errorf("templates %q, want %q", got, want)
	}
	if got, want := strings.Join(strs, "|"), "object|undefined|function|use strict|"; got != want {
		t.Errorf("strings %q, want %q", got, want)
	}
	if last := toks[len(toks)-2]; last.Value != ";" || last.Line != 1 {
		t.Errorf("last token %+v", last)
	}
}

func TestJSLines(t *testing.T) {
	src := "a\n/* x\ny */ b\n`t\n${c}\n`\nd 'e\\\nf' g\r\nh\ri // z\nj"
	toks := JavaScript([]byte(src))
	checkInvariants(t, []byte(src), toks)
	got := map[string]int{}
	for _, tk := range toks {
		if tk.Kind == Name {
			got[tk.Value] = tk.Line
		}
	}
	want := map[string]int{"a": 1, "b": 3, "c": 5, "d": 7, "g": 8, "h": 9, "i": 10, "j": 11}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("line of %s = %d, want %d", k, got[k], v)
		}
	}
}

func TestJSBroken(t *testing.T) {
	for _, src := range []string{
		"function (",
		"}}}}))))]]]]",
		"`${",
		"`${`${`${",
		"`${}}}}`",
		"a = {`${}`}",
		"/*",
		"/",
		"x=/[/",
		"x=/\\",
		"'\\u{",
		"'\\u{110000}'",
		"'\\u{ffffffffffffffffffff}'",
		"\\u{61",
		"\\u",
		"#",
		"#!",
		"0x",
		"1e",
		".",
		"\x00\x01\xff\xfe\xe2\x80",
		"'\xe2\x80\xa8",
		"`\\\xe2\x80\xa9`",
		strings.Repeat("(/", 1000),
		strings.Repeat("(/[", 200000), // quadratic regexp retries would hang here
		strings.Repeat("{", 1000) + strings.Repeat("}", 999),
		strings.Repeat("`${", 1000),
	} {
		b := []byte(src)
		checkInvariants(t, b, JavaScript(b))
	}
}
