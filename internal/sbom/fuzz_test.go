package sbom

import (
	"bytes"
	"strings"
	"testing"

	"github.com/airlock-sec/airlock/internal/model"
)

// FuzzRender builds components from arbitrary bytes and checks that both
// formats give valid JSON passing the structural checker: unique bom-refs
// and SPDXIDs, SPDXIDs matching ^SPDXRef-[A-Za-z0-9.-]+$, every reference
// resolving, enums and patterns respected.
func FuzzRender(f *testing.F) {
	f.Add("pypi\x00requests\x002.31.0\x00requirements.txt\x00sha256:"+strings.Repeat("ab", 32)+"\x00\x01", "proj")
	f.Add("npm\x00@babel/core\x007.0.0\x00package-lock.json\x00sha512-"+strings.Repeat("A", 86)+"==\x00git+https://x.example/y.git\x02\x1enpm\x00@babel/core\x007.0.0\x00yarn.lock\x00\x00\x03", "")
	f.Add("go\x00github.com/Foo/bar\x00v1.0.0+incompatible\x00go.sum\x00h1:abc=\x00../local\x00\x1ego\x00github.com/foo/bar\x00v1\x00\x00\x00", "a\xffb")
	f.Add("\xff\x00\xfe\x00\x00\x00\x00\x00\x1e\x00\x00\x00\x00\x00\x00", "\x00")
	f.Add("x\x00a/b\x00c\x1ex\x00a\x00b/c\x1ecargo\x00a-b\x001", "\u2028<>&")
	f.Fuzz(func(t *testing.T, spec, subject string) {
		comps := fuzzComponents(spec)
		m := Meta{Subject: subject, ToolName: "airlock", ToolVersion: "fuzz", Time: testTime, SerialSeed: spec}
		for _, format := range Formats() {
			var buf bytes.Buffer
			if err := Write(&buf, format, m, comps); err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			var problems []string
			if format == FormatCycloneDX {
				problems = checkCycloneDX(buf.Bytes())
			} else {
				problems = checkSPDX(buf.Bytes())
			}
			if len(problems) > 0 {
				t.Fatalf("%s output invalid: %q\n%s", format, problems, buf.Bytes())
			}
		}
	})
}

// fuzzComponents reads records separated by 0x1e, fields by 0x00:
// ecosystem, name, version, path, hash, source, flags (bit 0 direct,
// bit 1 dev, bit 2 unpinned).
func fuzzComponents(spec string) []Component {
	var comps []Component
	for _, rec := range strings.Split(spec, "\x1e") {
		f := strings.Split(rec, "\x00")
		for len(f) < 7 {
			f = append(f, "")
		}
		d := model.Dependency{Ecosystem: model.Ecosystem(f[0]), Name: f[1], Version: f[2], Path: f[3], Source: f[5], Line: len(f[3]) % 3}
		if f[4] != "" {
			d.Hashes = []string{f[4]}
		}
		if f[6] != "" {
			flags := f[6][0]
			d.Direct, d.Dev, d.Unpinned = flags&1 != 0, flags&2 != 0, flags&4 != 0
		}
		comps = append(comps, Component{Dependency: d, Paths: f[7:]})
	}
	return comps
}
