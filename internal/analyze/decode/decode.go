// Package decode peels encoded and compressed layers off string literals
// without executing anything.
//
// Malware in Python and npm packages commonly hides its payload behind one or
// more layers of encoding: exec(base64.b64decode(...)) nested several times,
// exec(zlib.decompress(base64.b64decode(...))), powershell -EncodedCommand
// (base64 of UTF-16LE), hex strings, bytes.fromhex, base32/base85/ascii85,
// lzma/bz2/gzip. Peel recognises such blobs and decodes them layer by layer,
// bounded in depth, per-layer output and total output, so that it is safe to
// run on every long string literal of every package scanned.
//
// Everything here is tuned against false positives: ordinary English text,
// hex digests, UUIDs, identifiers, paths and minified JavaScript must not
// produce a Layer. Cheap character-set rejection happens before any
// allocation.
package decode

// Limits bounds the work done by Peel.
type Limits struct {
	// MaxDepth is the maximum number of decoding steps in a chain
	// (default 8).
	MaxDepth int
	// MaxOutput is the maximum number of bytes produced by one decoding
	// step (default 8 MiB). Decompressed output beyond it is truncated.
	MaxOutput int
	// MaxTotal is the maximum number of decoded bytes produced during one
	// Peel call, counting abandoned attempts too (default 32 MiB).
	MaxTotal int
}

const (
	defaultMaxDepth  = 8
	defaultMaxOutput = 8 << 20
	defaultMaxTotal  = 32 << 20

	// hardMaxDepth caps MaxDepth whatever the caller asks for.
	hardMaxDepth = 64
	// maxAttempts caps the number of successful single-step decodes
	// (including abandoned ones) per Peel call, so that backtracking over
	// ambiguous encodings cannot explode.
	maxAttempts = 256
	// minPeelLen: nothing shorter than this is worth trying to peel.
	minPeelLen = 8
)

// DefaultLimits returns the default limits: depth 8, 8 MiB per layer,
// 32 MiB in total.
func DefaultLimits() Limits {
	return Limits{MaxDepth: defaultMaxDepth, MaxOutput: defaultMaxOutput, MaxTotal: defaultMaxTotal}
}

// norm replaces non-positive fields by their defaults.
func (l Limits) norm() Limits {
	if l.MaxDepth <= 0 {
		l.MaxDepth = defaultMaxDepth
	}
	if l.MaxDepth > hardMaxDepth {
		l.MaxDepth = hardMaxDepth
	}
	if l.MaxOutput <= 0 {
		l.MaxOutput = defaultMaxOutput
	}
	if l.MaxTotal <= 0 {
		l.MaxTotal = defaultMaxTotal
	}
	return l
}

// Step is one decoding step.
type Step struct {
	// Name is one of "base64", "base64url", "base32", "base85", "ascii85",
	// "hex", "zlib", "gzip", "bz2", "lzma", "xz", "utf16le", "rot13",
	// "reverse", "unicode-escape" (and "deflate", for hinted raw deflate
	// only).
	Name string
	// Data is the output of the step.
	Data []byte
}

// Layer is a fully peeled result: the chain of step names (outermost first)
// and the final bytes.
type Layer struct {
	Chain []string
	Data  []byte
	// Text reports whether Data is readable text. When it is false, Data is
	// the output of a decompressor or a recognised binary kind, and in the
	// latter case the last element of Chain is a pseudo-step naming the
	// kind: "marshal", "pyc", "pe", "elf" or "macho".
	Text bool
}

// Peel tries to decode data as an encoded blob and keeps decoding while the
// result is itself encoded or compressed, up to lim.MaxDepth steps. It
// returns nil when data does not decode to anything meaningful.
//
// When the final result is readable text it is returned with Text set.
// When the chain ends in decompressed binary, or in a recognised binary kind
// (marshal, pyc, PE, ELF, Mach-O), the result has Text unset and, for a
// recognised kind, a final pseudo-step naming the kind. Images and other
// unrecognised binary reached only through base-N/hex decoding give nil.
//
// rot13 and reverse are never tried automatically; see PeelHinted.
// Zero fields of lim take their defaults.
func Peel(data []byte, lim Limits) *Layer {
	return PeelHinted(data, nil, lim)
}

// PeelSteps is Peel returning every intermediate step (outermost first)
// instead of only the final data. The kind pseudo-step, if any, is not
// included; use Peel for it. It returns nil when Peel would.
func PeelSteps(data []byte, lim Limits) []Step {
	p := newPeeler(lim)
	r := p.peel(data, 0)
	if r == nil {
		return nil
	}
	return r.steps
}

// PeelHinted applies the hinted steps first, in order, then continues as
// Peel. Hints are step names as in Step.Name, e.g. ["reverse"] for
// exec(base64.b64decode(s[::-1])) or ["rot13"] for
// codecs.decode(s, 'rot13'); "decompress" tries any compression format by
// magic and "deflate" is raw deflate (zlib.decompress(x, -15)). Hinted
// decoders are lenient (no minimum length, no character-mix heuristics).
// A hint that does not apply to the current data is skipped; unknown hint
// names are ignored.
//
// When the hinted steps produce something that Peel cannot decode further,
// the hinted result is returned when it is meaningful: text (for rot13 and
// reverse as the last applied step it must also satisfy LooksLikeCode), a
// recognised binary kind, or decompressed binary. When it is not, the data
// is peeled as if there were no hints.
func PeelHinted(data []byte, hints []string, lim Limits) *Layer {
	p := newPeeler(lim)
	var pre []Step
	cur := data
	for _, h := range hints {
		if len(pre) >= p.lim.MaxDepth || p.remaining <= 0 {
			break
		}
		name, out, ok := applyNamed(h, cur, p.cap())
		if !ok || len(out) == 0 {
			continue
		}
		p.charge(len(out))
		pre = append(pre, Step{Name: name, Data: out})
		cur = out
	}
	r := p.peel(cur, len(pre))
	if r == nil && len(pre) > 0 {
		last := pre[len(pre)-1]
		if last.Name == "rot13" || last.Name == "reverse" {
			if LooksLikeCode(last.Data) {
				r = &result{text: true}
			} else if k := binaryKind(last.Data); k != "" {
				r = &result{kind: k}
			}
		} else {
			r = terminal(last.Name, last.Data, len(pre) >= p.lim.MaxDepth)
			if r != nil {
				r.steps = nil // last is already in pre
			}
		}
	}
	if r == nil && len(pre) > 0 {
		// The hints led nowhere (a lenient decoder turns almost anything
		// into bytes): peel the data as it is.
		pre = nil
		r = p.peel(data, 0)
	}
	if r == nil {
		return nil
	}
	steps := append(pre, r.steps...)
	if len(steps) == 0 {
		return nil
	}
	l := &Layer{Data: steps[len(steps)-1].Data, Text: r.text}
	l.Chain = make([]string, 0, len(steps)+1)
	for _, s := range steps {
		l.Chain = append(l.Chain, s.Name)
	}
	if r.kind != "" {
		l.Chain = append(l.Chain, r.kind)
	}
	return l
}

// result is the outcome of peeling from some level down.
type result struct {
	steps []Step // outermost first
	kind  string // recognised binary kind of the final data, or ""
	text  bool
}

type peeler struct {
	lim       Limits
	remaining int // total output budget left
	attempts  int
}

func newPeeler(lim Limits) *peeler {
	lim = lim.norm()
	return &peeler{lim: lim, remaining: lim.MaxTotal}
}

// cap is the output limit for the next step.
func (p *peeler) cap() int {
	if p.remaining < p.lim.MaxOutput {
		return p.remaining
	}
	return p.lim.MaxOutput
}

func (p *peeler) charge(n int) { p.remaining -= n }

// decoder identifiers, in the order Peel tries them.
const (
	dDecompress = iota
	dUTF16
	dBase64
	dBase32
	dHex
	dUnicodeEscape
	dBase85
	dASCII85
	numDecoders
)

// peel decodes data (already depth steps deep) as far as it goes.
func (p *peeler) peel(data []byte, depth int) *result {
	if depth >= p.lim.MaxDepth || len(data) < minPeelLen || p.remaining <= 0 {
		return nil
	}
	cand := candidates(data)
	if cand == 0 {
		return nil
	}
	for d := 0; d < numDecoders; d++ {
		if cand&(1<<d) == 0 {
			continue
		}
		if p.attempts >= maxAttempts || p.remaining <= 0 {
			return nil
		}
		name, out, ok := p.run(d, data)
		if !ok || len(out) == 0 {
			continue
		}
		p.attempts++
		p.charge(len(out))
		if sub := p.peel(out, depth+1); sub != nil {
			sub.steps = append([]Step{{Name: name, Data: out}}, sub.steps...)
			return sub
		}
		if r := terminal(name, out, depth+1 >= p.lim.MaxDepth); r != nil {
			return r
		}
	}
	return nil
}

// terminal decides whether out, produced by step name and not decodable
// any further, is a meaningful end of a chain. atLimit reports that the
// depth limit stopped further decoding: a compressed stream left there is
// still a (binary) result, so that over-deep chains are not lost.
func terminal(name string, out []byte, atLimit bool) *result {
	steps := []Step{{Name: name, Data: out}}
	if plausibleText(out) {
		return &result{steps: steps, text: true}
	}
	if k := binaryKind(out); k != "" {
		return &result{steps: steps, kind: k}
	}
	if isCompression(name) && !isImage(out) || atLimit && hasCompressionMagic(out) {
		return &result{steps: steps}
	}
	return nil
}

func isCompression(name string) bool {
	switch name {
	case "zlib", "gzip", "bz2", "lzma", "xz", "deflate":
		return true
	}
	return false
}

// run applies decoder d to data with the current output cap.
func (p *peeler) run(d int, data []byte) (string, []byte, bool) {
	max := p.cap()
	switch d {
	case dDecompress:
		return Decompress(data, max)
	case dUTF16:
		out, ok := utf16le(data, max)
		return "utf16le", out, ok
	case dBase64:
		out, url, ok := base64Decode(data, true, max)
		if url {
			return "base64url", out, ok
		}
		return "base64", out, ok
	case dBase32:
		out, ok := base32Decode(data, true, max)
		return "base32", out, ok
	case dHex:
		out, ok := hexDecode(data, true, max)
		return "hex", out, ok
	case dUnicodeEscape:
		out, ok := unicodeEscape(data, true, max)
		return "unicode-escape", out, ok
	case dBase85:
		out, ok := base85Decode(data, true, max)
		return "base85", out, ok
	case dASCII85:
		out, ok := ascii85Decode(data, true, max)
		return "ascii85", out, ok
	}
	return "", nil, false
}

// applyNamed applies one hinted step leniently. It returns the canonical
// step name actually applied.
func applyNamed(name string, data []byte, max int) (string, []byte, bool) {
	switch name {
	case "rot13", "reverse":
		if len(data) == 0 || len(data) > max {
			return name, nil, false
		}
		if name == "rot13" {
			return name, Rot13(data), true
		}
		return name, Reverse(data), true
	case "base64", "base64url", "b64":
		out, url, ok := base64Decode(data, false, max)
		if url {
			return "base64url", out, ok
		}
		return "base64", out, ok
	case "base32", "b32":
		out, ok := base32Decode(data, false, max)
		return "base32", out, ok
	case "base85", "b85":
		out, ok := base85Decode(data, false, max)
		return "base85", out, ok
	case "ascii85", "a85":
		out, ok := ascii85Decode(data, false, max)
		return "ascii85", out, ok
	case "hex", "fromhex", "unhexlify":
		out, ok := hexDecode(data, false, max)
		return "hex", out, ok
	case "unicode-escape", "unicode_escape", "string-escape":
		out, ok := unicodeEscape(data, false, max)
		return "unicode-escape", out, ok
	case "utf16le", "utf-16-le", "utf-16le", "utf16":
		out, ok := utf16le(data, max)
		return "utf16le", out, ok
	case "deflate", "raw-deflate":
		out, ok := decompressWith(data, max, "deflate")
		return "deflate", out, ok
	case "zlib", "gzip", "bz2", "lzma", "xz", "decompress":
		// Report the format actually found: lzma.decompress, for one,
		// accepts both xz and lzma-alone.
		n, out, ok := Decompress(data, max)
		if !ok {
			return name, nil, false
		}
		return n, out, ok
	}
	return name, nil, false
}
