package static

import (
	"bytes"
	"sort"
	"strings"

	"github.com/airlock-sec/airlock/internal/analyze"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
)

// Obfuscation flags code made to resist reading.
type Obfuscation struct{}

func (Obfuscation) Meta() rules.Meta {
	return rules.Meta{
		ID:    "static/obfuscation",
		Title: "obfuscated code",
		Description: "Tricks that obfuscators use and ordinary code does not: identifiers spelled with look-alike characters (`OO0o0O`, `IlIl1`), " +
			"builtins fetched by computed name (`getattr(__builtins__, …)`, `globals()[…]`), `exec`/`eval` renamed to innocent names, " +
			"module or function names written entirely as `\\x` escapes, XOR decoding loops (`chr(ord(c) ^ k)`), large string literals of control characters " +
			"(encrypted payloads), javascript-obfuscator's `_0x…` names, PyArmor and `marshal.loads`. Minified bundles are not obfuscated in this sense. " +
			"One trick is medium severity, two kinds in one file high, three or more critical (no ordinary library stacks them); with dynamic execution, network or process use in the same file the score rises further.",
		Severity:     model.Critical,
		Capabilities: []model.Capability{model.CapObfuscation},
	}
}

var obfuscationWords = map[string]string{
	"escaped-name":     "names written as escape sequences",
	"confusable-names": "look-alike identifiers",
	"builtins-lookup":  "builtins fetched by computed name",
	"builtin-alias":    "exec/eval renamed",
	"encrypted-blob":   "encrypted string literal",
	"xor-decode":       "XOR decoding loop",
	"hex-identifiers":  "javascript-obfuscator names",
	"pyarmor":          "PyArmor protection",
	"marshal":          "code object loaded with marshal",
}

func (Obfuscation) Check(in *rules.Input, r *rules.Reporter) {
	in.EachFacts(func(f *rules.File, u *analyze.Facts) {
		kinds := map[string]analyze.Note{}
		for _, n := range u.Obfuscation {
			if _, ok := kinds[n.Kind]; !ok {
				kinds[n.Kind] = n
			}
		}
		t := u.Unit.Text
		if u.Unit.Lang == analyze.Python {
			if bytes.Contains(t, []byte("__pyarmor__")) || bytes.Contains(t, []byte("pyarmor_runtime")) {
				kinds["pyarmor"] = analyze.Note{Kind: "pyarmor", Line: lineOf(t, "pyarmor"), Text: "pyarmor runtime"}
			}
			for _, c := range u.Calls {
				if c.Callee == "marshal.loads" && len(c.Args) > 0 && (c.Args[0].IsStr || len(c.Inner) > 0 && isDecoder(c.Inner[0])) {
					kinds["marshal"] = analyze.Note{Kind: "marshal", Line: c.Line, Text: c.Text}
					break
				}
			}
		}
		if len(kinds) == 0 {
			return
		}
		var names []string
		first := analyze.Note{}
		for k, n := range kinds {
			names = append(names, obfuscationWords[k])
			if first.Line == 0 || n.Line < first.Line {
				first = n
			}
		}
		sort.Strings(names)
		sev := model.Medium
		switch {
		case len(kinds) >= 3:
			sev = model.Critical
		case len(kinds) == 2:
			sev = model.High
		}
		fd := rules.At(u, first.Line, sev, "obfuscated code: "+strings.Join(names, ", "), model.CapObfuscation)
		fd.Evidence = first.Text
		r.Report(fd)
	})
}

func lineOf(t []byte, sub string) int {
	i := bytes.Index(t, []byte(sub))
	if i < 0 {
		return 1
	}
	return bytes.Count(t[:i], []byte("\n")) + 1
}
