package analyze

import (
	"bytes"
	"unicode/utf8"

	"github.com/airlock-sec/airlock/internal/analyze/decode"
	"github.com/airlock-sec/airlock/internal/analyze/lex"
)

// Limits bound the analysis of one file.
type Limits struct {
	// MaxDepth is how many nested code layers are followed (decoded
	// payloads inside decoded payloads, code strings inside code).
	MaxDepth int
	// MaxLayerBytes is the total size of decoded layers analyzed per file.
	MaxLayerBytes int
	// MaxFileBytes is the most of one file analyzed as code.
	MaxFileBytes int
	Decode       decode.Limits
}

// DefaultLimits are generous for real payloads (litellm's stealer is
// 34 KiB) and small against hostile input.
func DefaultLimits() Limits {
	return Limits{MaxDepth: 12, MaxLayerBytes: 32 << 20, MaxFileBytes: 16 << 20, Decode: decode.DefaultLimits()}
}

const maxStringKept = 4096

// budget is shared by all layers of one file.
type budget struct {
	lim       Limits
	remaining int
	seen      map[uint64]bool
}

// Analyze lexes and inspects one unit and, recursively, the code hidden
// inside it. It is bounded by lim and never runs the code.
func Analyze(u *Unit, lim Limits) *Facts {
	if len(u.Text) > lim.MaxFileBytes {
		u.Text = u.Text[:lim.MaxFileBytes]
	}
	b := &budget{lim: lim, remaining: lim.MaxLayerBytes, seen: map[uint64]bool{}}
	return b.analyze(u, 0)
}

func (b *budget) analyze(u *Unit, depth int) *Facts {
	var f *Facts
	switch u.Lang {
	case Python:
		f = analyzePython(u, b, depth)
	case JavaScript:
		f = analyzeJS(u, b, depth)
	default:
		f = analyzeText(u, b, depth)
	}
	defer b.inlineCode(f)
	if u.Lang == Python || u.Lang == JavaScript {
		cmds := commandsFromCalls(f)
		f.Commands = append(f.Commands, cmds...)
		// encoded arguments (powershell -EncodedCommand …, echo … | base64 -d)
		for _, c := range cmds {
			for _, words := range c.Words {
				for _, w := range words {
					if len(w) >= 24 {
						b.consider(f, w, c.Line, nil)
					}
				}
			}
		}
	}
	return f
}

func fnv(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// consider looks at one string value of a unit: if it decodes to text, or
// is code itself, it becomes a child unit analyzed in turn.
func (b *budget) consider(parent *Facts, s string, line int, layers []string) {
	if parent.depth >= b.lim.MaxDepth || b.remaining <= 0 {
		return
	}
	if len(layers) == 0 && len(s) < 16 {
		return
	}
	data := []byte(s)
	chain := layers
	if len(layers) > 0 && !decode.IsText(data) {
		l := decode.Peel(data, b.lim.Decode)
		if l == nil {
			return
		}
		chain = append(append([]string(nil), layers...), l.Chain...)
		data = l.Data
		if !l.Text {
			parent.Notes = append(parent.Notes, Note{Kind: l.Chain[len(l.Chain)-1], Line: parent.loc(line), Text: joinChain(chain)})
			return
		}
	} else if len(layers) == 0 {
		if len(s) >= 16 && mayBeEncoded(data) {
			l := decode.Peel(data, b.lim.Decode)
			if l == nil && len(data) >= 64 && parent.reverses() {
				// the unit reverses strings somewhere (s[::-1], .reverse()):
				// try the literal backwards, as obfuscators store it
				if r := decode.Peel(decode.Reverse(data), b.lim.Decode); r != nil {
					r.Chain = append([]string{"reverse"}, r.Chain...)
					l = r
				}
			}
			if l != nil {
				chain = l.Chain
				data = l.Data
				if !l.Text {
					parent.Notes = append(parent.Notes, Note{Kind: l.Chain[len(l.Chain)-1], Line: parent.loc(line), Text: joinChain(chain)})
					return
				}
			}
		}
		if len(chain) == 0 && !embeddedCode(data) {
			return
		}
	}
	b.addChild(parent, data, line, chain, guessLang(data, parent.Unit.Lang))
}

func joinChain(c []string) string {
	var buf bytes.Buffer
	for i, s := range c {
		if i > 0 {
			buf.WriteString(" → ")
		}
		buf.WriteString(s)
	}
	return buf.String()
}

// loc maps a line of this unit to a line of the original file.
func (f *Facts) loc(line int) int {
	if f.Unit.Child {
		return f.Unit.Line
	}
	return line
}

// Loc is the line in the original file for a line of this unit.
func (f *Facts) Loc(line int) int { return f.loc(line) }

// mayBeEncoded is a cheap pre-check before trying decoders: long runs
// without spaces.
func mayBeEncoded(b []byte) bool {
	if len(b) < 16 {
		return false
	}
	spaces := 0
	for _, c := range b {
		if c == ' ' {
			spaces++
		}
	}
	return spaces*20 < len(b)
}

var codeMarkers = [][]byte{
	[]byte("import "), []byte("exec("), []byte("eval("), []byte("require("), []byte("socket"), []byte("dup2"), []byte("pty."),
	[]byte("urlopen"), []byte("requests."), []byte("open("),
	[]byte("subprocess"), []byte("os.system"), []byte("__import__"),
	[]byte("child_process"), []byte("powershell"), []byte("curl "), []byte("wget "),
	[]byte("Invoke-"), []byte("/dev/tcp/"), []byte("base64"), []byte("fetch("),
}

// embeddedCode reports whether a plain string holds code worth analyzing
// as its own unit (e.g. python -c "…", node -e "…", exec("…")).
func embeddedCode(b []byte) bool {
	if len(b) < 20 || !utf8.Valid(b) {
		return false
	}
	if len(b) >= 512 && bytes.Count(b, []byte("_0x")) >= 20 {
		return true // javascript-obfuscator output carried in a string
	}
	n := 0
	for _, m := range codeMarkers {
		if bytes.Contains(b, m) {
			n++
		}
	}
	if n == 1 && bytes.HasPrefix(bytes.TrimSpace(b), []byte("import ")) && bytes.Contains(b, []byte(";")) {
		return true // "import os; os.system(...)" one-liners
	}
	return n >= 2 || (n == 1 && (bytes.Contains(b, []byte("exec(")) || bytes.Contains(b, []byte("eval("))) && bytes.Contains(b, []byte("(")))
}

// guessLang decides how to analyze decoded text.
func guessLang(b []byte, parent Lang) Lang {
	head := b
	if len(head) > 4096 {
		head = head[:4096]
	}
	py := 0
	js := 0
	for _, m := range [][]byte{[]byte("import "), []byte("def "), []byte("exec("), []byte("__"), []byte("os."), []byte("elif "), []byte("print(")} {
		if bytes.Contains(head, m) {
			py++
		}
	}
	for _, m := range [][]byte{[]byte("require("), []byte("function"), []byte("const "), []byte("var "), []byte("let "), []byte("=>"), []byte("module.exports")} {
		if bytes.Contains(head, m) {
			js++
		}
	}
	switch {
	case py > js:
		return Python
	case js > py:
		return JavaScript
	case py > 0:
		return parent
	}
	if bytes.Contains(head, []byte("-Command")) || bytes.Contains(head, []byte("Invoke-")) || bytes.Contains(head, []byte("-WindowStyle")) {
		return PowerShell
	}
	if parent == Python || parent == JavaScript {
		return Shell
	}
	return parent
}

// charCodeRuns finds list literals of ≥16 small integers that spell
// printable text ([105,109,112,…]) and offers them as decoded strings.
func charCodeRuns(toks []lex.Token, open int) (string, int, bool) {
	var buf []byte
	j := open + 1
	for ; j < len(toks); j++ {
		t := toks[j]
		if t.Kind == lex.Op && t.Value == "," {
			continue
		}
		if t.Kind == lex.Op && t.Value == "]" {
			break
		}
		if t.Kind != lex.Number {
			return "", j, false
		}
		n, ok := parseInt(t.Value)
		if !ok || n < 9 || n > 126 {
			return "", j, false
		}
		buf = append(buf, byte(n))
		if len(buf) > 1<<20 {
			return "", j, false
		}
	}
	if len(buf) < 16 {
		return "", j, false
	}
	return string(buf), j, true
}

// reverses reports (once per unit) whether its code reverses strings.
func (f *Facts) reverses() bool {
	if f.rev == 0 {
		t := f.Unit.Text
		f.rev = 2
		if bytes.Contains(t, []byte("[::-1]")) || bytes.Contains(t, []byte(".reverse()")) || bytes.Contains(t, []byte("reversed(")) {
			f.rev = 1
		}
	}
	return f.rev == 1
}

// inlineCode analyzes code passed on a command line (node -e "…",
// python -c "…", bash -c "…") as a unit of its own language.
func (b *budget) inlineCode(f *Facts) {
	for _, c := range f.Commands {
		for _, w := range c.Words {
			if len(w) < 3 {
				continue
			}
			var lang Lang
			switch baseName(w[0]) {
			case "node", "nodejs", "bun", "deno":
				lang = JavaScript
			case "python", "python3", "python2", "pythonw":
				lang = Python
			case "sh", "bash", "zsh", "dash":
				lang = Shell
			default:
				continue
			}
			for i := 1; i+1 < len(w); i++ {
				switch w[i] {
				case "-e", "--eval", "-p", "--print", "-c":
					b.child(f, w[i+1], c.Line, lang)
				}
			}
		}
	}
}

// child analyzes text as a nested unit of the given language, without a
// decoding step (the code was written out, not encoded).
func (b *budget) child(parent *Facts, text string, line int, lang Lang) {
	if parent.depth >= b.lim.MaxDepth || b.remaining <= 0 || len(text) < 8 {
		return
	}
	b.addChild(parent, []byte(text), line, nil, lang)
}

// addChild analyzes data as a nested unit below parent, once per distinct
// content and within the file's byte budget; chain is the decoding that
// produced it.
func (b *budget) addChild(parent *Facts, data []byte, line int, chain []string, lang Lang) {
	h := fnv(string(data))
	if b.seen[h] {
		return
	}
	b.seen[h] = true
	if len(data) > b.remaining {
		data = data[:b.remaining]
	}
	b.remaining -= len(data)
	pu := parent.Unit
	cu := &Unit{
		Path:    pu.Path,
		Line:    parent.loc(line),
		Layers:  append(append([]string(nil), pu.Layers...), chain...),
		Lang:    lang,
		Context: pu.Context,
		Text:    data,
		Child:   true,
	}
	parent.Children = append(parent.Children, b.analyze(cu, parent.depth+1))
}
