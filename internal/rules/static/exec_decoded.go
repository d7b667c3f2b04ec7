package static

import (
	"strings"

	"github.com/airlock-sec/airlock/internal/analyze"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
)

// ExecDecoded flags dynamic execution of data that was decoded,
// decompressed, unmarshalled or fetched at run time.
type ExecDecoded struct{}

func (ExecDecoded) Meta() rules.Meta {
	return rules.Meta{
		ID:    "static/exec-decoded",
		Title: "dynamic execution of decoded or generated code",
		Description: "`exec`, `eval`, `compile`, `Function`, `vm.runIn*Context` applied to the result of base64/hex/zlib/marshal decoding, " +
			"character-code arrays or string reversal is how packed payloads run (`exec(base64.b64decode(...))`). " +
			"Evaluating a constant string that holds code is reported at medium severity; evaluating decoded data at high.",
		Severity:     model.High,
		Capabilities: []model.Capability{model.CapExec, model.CapDecode},
	}
}

var execCallees = map[string]bool{
	"exec": true, "eval": true, "compile": true, "execfile": true, "builtins.exec": true, "builtins.eval": true, "__builtin__.eval": true,
	"Function": true, "vm.runInThisContext": true, "vm.runInNewContext": true, "vm.runInContext": true, "new vm.Script": true, "vm.compileFunction": true,
	"window.eval": true, "global.eval": true, "globalThis.eval": true, "setTimeout": false,
}

var decoderCallees = map[string]bool{
	"base64.b64decode": true, "base64.urlsafe_b64decode": true, "base64.b32decode": true, "base64.b85decode": true, "base64.a85decode": true,
	"base64.decodebytes": true, "base64.decodestring": true, "base64.b16decode": true, "binascii.unhexlify": true, "binascii.a2b_base64": true,
	"binascii.a2b_hex": true, "bytes.fromhex": true, "zlib.decompress": true, "gzip.decompress": true, "bz2.decompress": true,
	"lzma.decompress": true, "marshal.loads": true, "codecs.decode": true,
	"atob": true, "Buffer.from": true, "String.fromCharCode": true, "unescape": true, "decodeURIComponent": true, "zlib.inflateSync": true,
	"zlib.gunzipSync": true, "zlib.brotliDecompressSync": true, "chr": true, "reversed": true,
}

// isDecoder reports whether a resolved callee decodes, decompresses,
// decrypts or deserializes data.
func isDecoder(callee string) bool {
	if decoderCallees[callee] {
		return true
	}
	last := lastPart(callee)
	switch last {
	case "decrypt", "decompress", "b64decode", "b32decode", "b85decode", "a85decode", "unhexlify", "fromhex", "inflateSync", "gunzipSync",
		"inflateRawSync", "fromCharCode", "atob", "decrypt_and_verify":
		return true
	}
	return false
}

func (ExecDecoded) Check(in *rules.Input, r *rules.Reporter) {
	in.EachFacts(func(f *rules.File, u *analyze.Facts) {
		// Does this unit decode or decrypt anything at all?
		unitDecodes := ""
		for _, c := range u.Calls {
			if isDecoder(c.Callee) && c.Callee != "chr" && c.Callee != "reversed" {
				unitDecodes = c.Callee
				break
			}
		}
		if u.Unit.Lang == analyze.JavaScript {
			// bundles decode URIs and buffers all the time; only count
			// decoding that obfuscators use
			unitDecodes = ""
		}
		for _, n := range u.Obfuscation {
			if n.Kind == "xor-decode" || n.Kind == "encrypted-blob" {
				unitDecodes = "XOR decoding"
			}
		}
		for _, c := range u.Calls {
			if !execCallees[c.Callee] || len(c.Args) == 0 {
				continue
			}
			arg := c.Args[0]
			if c.Callee == "compile" && !(len(c.Args) >= 3 && c.Args[2].IsStr && c.Args[2].Str == "exec") {
				continue // compile() also names re.compile through aliases; only mode 'exec' is execution
			}
			var dec []string
			readsFile := false
			for _, ic := range c.Inner {
				if isDecoder(ic) {
					dec = append(dec, ic)
				}
				if ic == "open" || strings.HasSuffix(ic, ".read") || strings.HasSuffix(ic, "read_text") || ic == "io.open" || ic == "codecs.open" {
					readsFile = true
				}
			}
			switch {
			case len(dec) > 0:
				fd := rules.AtCall(u, c, model.High, "runs code produced by "+shortQuote(strings.Join(uniq(dec), ", "))+" with "+shortQuote(c.Callee), model.CapExec, model.CapDecode)
				fd.Evidence = c.Text
				r.Report(fd)
			case readsFile:
				// exec(open("pkg/version.py").read()) — setup.py reading its own files
			case arg.IsStr && len(arg.Layers) > 0:
				fd := rules.AtCall(u, c, model.High, "runs code hidden behind "+shortQuote(strings.Join(arg.Layers, " → "))+" with "+shortQuote(c.Callee), model.CapExec, model.CapDecode)
				fd.Evidence = c.Text
				r.Report(fd)
			case arg.IsStr:
				if len(arg.Str) > 20 && (strings.Contains(arg.Str, "import") || strings.Contains(arg.Str, "require(") || strings.Contains(arg.Str, "(")) {
					sev := model.Low
					if len(u.Unit.Layers) > 0 {
						sev = model.High
					}
					fd := rules.AtCall(u, c, sev, "runs a code string with "+shortQuote(c.Callee), model.CapExec)
					fd.Evidence = c.Text
					r.Report(fd)
				}
			case customDecoder(c, u) != "":
				fd := rules.AtCall(u, c, model.High, "runs code produced by the package's own decoder "+shortQuote(customDecoder(c, u))+" with "+shortQuote(c.Callee), model.CapExec, model.CapDecode)
				fd.Evidence = c.Text
				r.Report(fd)
			case unitDecodes != "":
				fd := rules.AtCall(u, c, model.High, "runs code decoded in this file (by "+shortQuote(unitDecodes)+") with "+shortQuote(c.Callee), model.CapExec, model.CapDecode)
				fd.Evidence = c.Text
				r.Report(fd)
			default:
				fd := rules.AtCall(u, c, model.Low, "runs dynamically built code with "+shortQuote(c.Callee), model.CapExec)
				fd.Evidence = c.Text
				r.Report(fd)
			}
		}
	})
}

func uniq(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// customDecoder returns the callee when exec's argument is a call of a
// function defined in the package applied to a long string literal:
// exec(unscramble("…")).
func customDecoder(c analyze.Call, u *analyze.Facts) string {
	if len(c.Inner) == 0 {
		return ""
	}
	inner := c.Inner[0]
	if strings.Contains(inner, ".") || inner == "compile" || inner == "open" || inner == "str" || inner == "format" {
		return ""
	}
	for _, d := range u.Calls {
		if d.Callee == inner && d.Line == c.Line && len(d.Args) > 0 && d.Args[0].IsStr && len(d.Args[0].Str) >= 64 {
			return inner
		}
	}
	return ""
}
