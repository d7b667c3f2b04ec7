package static

import (
	"strings"

	"github.com/airlock-sec/airlock/internal/analyze"
	"github.com/airlock-sec/airlock/internal/analyze/decode"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
)

// EncodedPayload reports code hidden behind encoding layers.
type EncodedPayload struct{}

func (EncodedPayload) Meta() rules.Meta {
	return rules.Meta{
		ID:    "static/encoded-payload",
		Title: "code hidden behind encoding layers",
		Description: "A string literal that decodes (base64, base32, base85, hex, zlib/gzip/bz2/lzma, character-code arrays, reversal, rot13; up to 12 nested layers) " +
			"to program text, or to a marshalled Python code object, a `.pyc` or an executable. The decoded text is analyzed like any other file and its findings carry the decoding chain as evidence. " +
			"Decoded data that is not code (images, fonts, JSON, certificates) is not reported.",
		Severity:     model.High,
		Capabilities: []model.Capability{model.CapDecode},
	}
}

func (EncodedPayload) Check(in *rules.Input, r *rules.Reporter) {
	in.EachFacts(func(f *rules.File, u *analyze.Facts) {
		for _, n := range u.Notes {
			sev := model.High
			what := "an executable (" + n.Kind + ")"
			switch n.Kind {
			case "marshal":
				what = "a marshalled Python code object"
			case "pyc":
				what = "compiled Python bytecode"
			}
			fd := model.Finding{Severity: sev, Path: u.Unit.Path, Line: n.Line, Layers: append(append([]string(nil), u.Unit.Layers...), strings.Split(n.Text, " → ")...),
				Message: "string decodes to " + what, Context: u.Unit.Context, Capabilities: []model.Capability{model.CapDecode, model.CapObfuscation}}
			r.Report(fd)
		}
		if u.Unit.Context == model.Install || u.Unit.Context == model.Startup {
			// install-time code that decodes constants hides even plain
			// values (host names, URLs) from review
			for _, c := range u.Calls {
				if !isDecoder(c.Callee) || c.Callee == "chr" || c.Callee == "reversed" || len(c.Args) == 0 || !c.Args[0].IsStr || len(c.Args[0].Str) < 8 {
					continue
				}
				fd := rules.AtCall(u, c, model.Medium, "install-time or startup code decodes a hidden constant with "+shortQuote(c.Callee), model.CapDecode)
				fd.Evidence = c.Text
				r.Report(fd)
			}
		}
		if !u.Unit.Child || len(u.Unit.Layers) == 0 {
			return
		}
		if !decode.LooksLikeCode(u.Unit.Text) || !hasCodeStructure(u) {
			return
		}
		// Report the layer once, where it first appears.
		parentLayers := len(u.Unit.Layers)
		_ = parentLayers
		fd := model.Finding{Severity: model.Medium, Path: u.Unit.Path, Line: u.Unit.Line, Layers: append([]string(nil), u.Unit.Layers...),
			Message:  "string decodes to " + string(langName(u.Unit.Lang)) + " code through " + shortQuote(strings.Join(u.Unit.Layers, " → ")),
			Evidence: firstLine(u.Unit.Text), Context: u.Unit.Context, Capabilities: []model.Capability{model.CapDecode}}
		r.Report(fd)
	})
}

func langName(l analyze.Lang) analyze.Lang {
	if l == "" || l == analyze.Text {
		return "text"
	}
	return l
}

func firstLine(b []byte) string {
	s := string(b)
	if len(s) > 300 {
		s = s[:300]
	}
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// hasCodeStructure: the decoded text analyzed as code shows calls or
// imports, or shell commands naming a program — not JSON, a URL or prose.
func hasCodeStructure(u *analyze.Facts) bool {
	switch u.Unit.Lang {
	case analyze.Python, analyze.JavaScript:
		return len(u.Calls)+len(u.Imports) > 0
	case analyze.PowerShell:
		return true
	}
	for _, c := range u.Commands {
		for _, w := range c.Words {
			if len(w) > 0 && programName(w[0]) {
				return true
			}
		}
	}
	return false
}

// programName: a word that could name a program (curl, /bin/sh, ./x).
func programName(w string) bool {
	if w == "" || len(w) > 64 || strings.Contains(w, "://") {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '/') {
			return false
		}
	}
	return true
}
