package static

import (
	"bytes"

	"github.com/airlock-sec/airlock/internal/analyze"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
)

// Obfuscation flags code made to resist reading: PyArmor, marshal-loaded
// code objects, javascript-obfuscator output.
type Obfuscation struct{}

func (Obfuscation) Meta() rules.Meta {
	return rules.Meta{
		ID:    "static/obfuscation",
		Title: "obfuscated code",
		Description: "PyArmor-protected modules (`__pyarmor__`, `pyarmor_runtime`), code objects loaded with `marshal.loads`, and javascript-obfuscator output " +
			"(hundreds of `_0x…` identifiers with a rotated string table). Minified bundles are not obfuscated in this sense and are not reported. " +
			"Obfuscation alone is medium severity; with network, process or credential access in the same file it raises the score.",
		Severity:     model.Medium,
		Capabilities: []model.Capability{model.CapObfuscation},
	}
}

func (Obfuscation) Check(in *rules.Input, r *rules.Reporter) {
	in.EachFacts(func(f *rules.File, u *analyze.Facts) {
		t := u.Unit.Text
		if u.Unit.Lang == analyze.Python {
			if bytes.Contains(t, []byte("__pyarmor__")) || bytes.Contains(t, []byte("pyarmor_runtime")) {
				r.Report(rules.At(u, lineOf(t, "pyarmor"), model.Medium, "module is protected with PyArmor; its code cannot be reviewed", model.CapObfuscation))
			}
			for _, c := range u.Calls {
				if c.Callee == "marshal.loads" {
					fd := rules.At(u, c.Line, model.Medium, "loads a code object with \"marshal.loads\"", model.CapObfuscation)
					fd.Evidence = c.Text
					r.Report(fd)
					break
				}
			}
		}
		if u.Unit.Lang == analyze.JavaScript {
			if n := countHexIdents(t); n >= 40 {
				r.Report(rules.At(u, lineOf(t, "_0x"), model.Medium, "javascript-obfuscator style code ("+itoa(n)+" \"_0x…\" identifiers)", model.CapObfuscation))
			}
		}
	})
}

// countHexIdents counts occurrences of _0x followed by ≥4 hex digits.
func countHexIdents(t []byte) int {
	n := 0
	for i := 0; i+6 < len(t) && n < 100000; i++ {
		if t[i] == '_' && t[i+1] == '0' && t[i+2] == 'x' && (i == 0 || !isIdent(t[i-1])) {
			j := i + 3
			for j < len(t) && isHex(t[j]) {
				j++
			}
			if j-(i+3) >= 4 {
				n++
			}
			i = j
		}
	}
	return n
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }
func isIdent(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func lineOf(t []byte, sub string) int {
	i := bytes.Index(t, []byte(sub))
	if i < 0 {
		return 1
	}
	return bytes.Count(t[:i], []byte("\n")) + 1
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
