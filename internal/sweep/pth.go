package sweep

import (
	"strings"
	"unicode/utf8"

	"github.com/airlock-sec/airlock/internal/analyze"
	"github.com/airlock-sec/airlock/internal/model"
)

// pthLine is a line of a .pth file that Python's site module executes.
type pthLine struct {
	N    int // 1-based line number
	Text string
}

const maxPthLines = 1000

// pthExecLines returns the lines of a .pth file that Python executes:
// those starting with "import " or "import\t". A UTF-8 byte-order mark is
// removed first and lines are split as str.splitlines does (Python 3.13
// and later; older versions split only on \n, \r and \r\n, so they may see
// fewer lines, never other ones). Leading blanks are not removed, as site
// does not remove them.
func pthExecLines(data []byte) []pthLine {
	s := strings.TrimPrefix(string(data), "\ufeff")
	var out []pthLine
	n := 0
	for len(s) > 0 && len(out) < maxPthLines {
		n++
		end, next := lineEnd(s)
		l := s[:end]
		s = s[next:]
		if strings.HasPrefix(l, "import ") || strings.HasPrefix(l, "import\t") {
			out = append(out, pthLine{N: n, Text: l})
		}
	}
	return out
}

// lineEnd finds the end of the first line of s and the start of the next,
// with the line boundaries of Python's str.splitlines.
func lineEnd(s string) (end, next int) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch r {
		case '\n', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029:
			return i, i + size
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				return i, i + 2
			}
			return i, i + 1
		}
		i += size
	}
	return len(s), len(s)
}

// shimVocabulary are the only names the executable lines written by
// packaging tools use: setuptools' distutils-precedence.pth and
// namespace-package -nspkg.pth lines, old easy-install.pth lines,
// virtualenv's _virtualenv.pth and coverage's process_startup hook.
var shimVocabulary = map[string]bool{
	"import": true, "sys": true, "types": true, "os": true, "var": true, "enabled": true, "environ": true, "get": true,
	"and": true, "or": true, "not": true, "in": true, "is": true, "None": true, "True": true, "False": true,
	"__import__": true, "add_shim": true, "has_mfs": true, "version_info": true, "p": true, "path": true, "join": true,
	"_getframe": true, "f_locals": true, "importlib": true, "util": true, "machinery": true, "m": true, "modules": true,
	"setdefault": true, "module_from_spec": true, "PathFinder": true, "find_spec": true, "dirname": true, "ModuleType": true,
	"mp": true, "__dict__": true, "__path__": true, "append": true, "ie": true, "exists": true, "__plen": true, "len": true,
	"new": true, "del": true, "getattr": true, "__egginsert": true, "_virtualenv": true, "coverage": true, "process_startup": true,
}

// shimImports are the modules __import__ may load in a shim line.
var shimImports = map[string]bool{"_distutils_hack": true, "importlib.util": true, "importlib.machinery": true}

// isShimLine reports whether an executable .pth line is one of the shims
// packaging tools write. It tokenizes the line and accepts it only when
// every name is in shimVocabulary, every string is a plain dotted name,
// __import__ loads only shimImports and getattr reads only
// sys.__egginsert. Such a line can adjust sys.path and sys.modules but
// cannot run a payload of its own.
func isShimLine(line string) bool {
	var toks []shimTok
	for i := 0; i < len(line); {
		c := line[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '#':
			i = len(line)
		case c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			j := i + 1
			for j < len(line) && (line[j] == '_' || 'a' <= line[j] && line[j] <= 'z' || 'A' <= line[j] && line[j] <= 'Z' || '0' <= line[j] && line[j] <= '9') {
				j++
			}
			toks = append(toks, shimTok{kind: 'n', text: line[i:j]})
			i = j
		case '0' <= c && c <= '9':
			j := i + 1
			for j < len(line) && '0' <= line[j] && line[j] <= '9' {
				j++
			}
			toks = append(toks, shimTok{kind: '0', text: line[i:j]})
			i = j
		case c == '\'' || c == '"':
			j := strings.IndexByte(line[i+1:], c)
			if j < 0 {
				return false
			}
			str := line[i+1 : i+1+j]
			if !isDottedName(str) {
				return false
			}
			toks = append(toks, shimTok{kind: 's', text: str})
			i += j + 2
		case strings.IndexByte("()[],.;:=<>*+-!", c) >= 0:
			toks = append(toks, shimTok{kind: 'p', text: line[i : i+1]})
			i++
		default:
			return false
		}
	}
	for k, t := range toks {
		if t.kind != 'n' {
			continue
		}
		if !shimVocabulary[t.text] {
			return false
		}
		switch t.text {
		case "__import__":
			if k+3 >= len(toks) || toks[k+1].text != "(" || toks[k+2].kind != 's' || toks[k+3].text != ")" || !shimImports[toks[k+2].text] {
				return false
			}
		case "getattr":
			// getattr(sys, '__egginsert', 0)
			if k+7 >= len(toks) || toks[k+1].text != "(" || toks[k+2].text != "sys" || toks[k+3].text != "," ||
				toks[k+4].kind != 's' || toks[k+4].text != "__egginsert" || toks[k+5].text != "," || toks[k+7].text != ")" {
				return false
			}
		}
	}
	return len(toks) > 0
}

type shimTok struct {
	kind byte // 'n' name, 's' string, '0' number, 'p' punctuation
	text string
}

func isDottedName(s string) bool {
	if s == "" || len(s) > 200 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c == '.' || c == '-' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// payloadLimits bound the analysis of one startup line.
var payloadLimits = func() analyze.Limits {
	l := analyze.DefaultLimits()
	l.MaxDepth = 8
	l.MaxLayerBytes = 4 << 20
	l.MaxFileBytes = 1 << 20
	return l
}()

// networkCallees are Python calls that reach the network.
var networkCallees = map[string]bool{
	"urllib.request.urlopen": true, "urllib.urlopen": true, "urllib2.urlopen": true, "urllib.request.urlretrieve": true,
	"urllib.urlretrieve": true, "socket.socket": true, "socket.create_connection": true, "http.client.HTTPConnection": true,
	"http.client.HTTPSConnection": true,
}

// decodeCallees are Python calls that reveal hidden data.
var decodeCallees = map[string]bool{
	"base64.b64decode": true, "base64.b32decode": true, "base64.a85decode": true, "base64.b85decode": true,
	"base64.decodebytes": true, "base64.urlsafe_b64decode": true, "zlib.decompress": true, "marshal.loads": true,
	"codecs.decode": true, "bytes.fromhex": true, "binascii.unhexlify": true, "binascii.a2b_base64": true,
	"lzma.decompress": true, "bz2.decompress": true, "gzip.decompress": true,
}

// lineTraits is what an executable startup line does, as airlock's Python
// analysis sees it (calls resolved through aliases, code decoded from
// literals and analyzed in turn; nothing is run).
type lineTraits struct {
	process, selfStart, network, decode, exec bool
	layers                                    []string
}

func analyzeLine(line string) lineTraits {
	var t lineTraits
	f := analyze.Analyze(&analyze.Unit{Path: "startup.pth", Line: 1, Lang: analyze.Python, Context: model.Startup, Text: []byte(line)}, payloadLimits)
	f.Walk(func(u *analyze.Facts) {
		if len(u.Unit.Layers) > len(t.layers) {
			t.layers = u.Unit.Layers
			t.decode = true
		}
		for _, c := range u.Calls {
			switch {
			case analyze.IsProcessCall(c.Callee):
				t.process = true
				for _, a := range c.Args {
					if a.Name == "sys.executable" {
						t.selfStart = true
					}
					for _, w := range a.List {
						if w == "$sys.executable" {
							t.selfStart = true
						}
					}
				}
			case c.Callee == "exec" || c.Callee == "eval" || c.Callee == "compile" || c.Callee == "execfile":
				t.exec = true
			case decodeCallees[c.Callee]:
				t.decode = true
			case networkCallees[c.Callee] || strings.HasPrefix(c.Callee, "requests.") || strings.HasPrefix(c.Callee, "httpx."):
				t.network = true
			}
			if strings.HasPrefix(c.Callee, "os.exec") || strings.HasPrefix(c.Callee, "os.spawn") || c.Callee == "os.fork" {
				t.process = true
			}
		}
	})
	return t
}

// payloadTraits lists what an executable startup line does that no
// packaging shim does, and whether that amounts to a payload: it spawns a
// process, starts the interpreter again, uses the network, or decodes
// data and runs code.
func payloadTraits(line string) (traits []string, payload bool) {
	t := analyzeLine(line)
	if t.process {
		traits = append(traits, "spawns a process")
	}
	if t.selfStart {
		traits = append(traits, `starts "sys.executable" again`)
	}
	if t.network {
		traits = append(traits, "uses the network")
	}
	switch {
	case len(t.layers) > 0:
		traits = append(traits, "hides code behind "+strings.Join(t.layers, " → "))
	case t.decode:
		traits = append(traits, "decodes hidden data")
	}
	if t.exec {
		traits = append(traits, "runs dynamic code")
	}
	return traits, t.process || t.selfStart || t.network || (t.decode && t.exec)
}

// traitCaps maps what a startup line does to capabilities.
func traitCaps(line string) []model.Capability {
	t := analyzeLine(line)
	var caps []model.Capability
	if t.exec {
		caps = append(caps, model.CapExec)
	}
	if t.process || t.selfStart {
		caps = append(caps, model.CapProcess)
	}
	if t.decode {
		caps = append(caps, model.CapDecode)
	}
	if t.network {
		caps = append(caps, model.CapNetwork)
	}
	return caps
}
