package static

import (
	"bytes"
	"path"
	"strings"

	"github.com/airlock-sec/airlock/internal/analyze"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
)

// BundledExecutable flags executables shipped inside a package,
// especially ones disguised under another file type.
type BundledExecutable struct{}

func (BundledExecutable) Meta() rules.Meta {
	return rules.Meta{
		ID:    "static/bundled-executable",
		Title: "package ships an executable",
		Description: "Windows PE, ELF and Mach-O programs inside a package. Native extension modules (`.so`, `.pyd`, `.node`, `.dylib`, `.dll`) and prebuilt binaries in platform packages " +
			"are normal and only noted at low severity; an executable in a source distribution, or one whose name claims another type (`.png`, `.txt`, `.js`), is high.",
		Severity:     model.High,
		Capabilities: []model.Capability{model.CapBinary},
	}
}

func execKind(head []byte) string {
	switch {
	case len(head) >= 4 && bytes.Equal(head[:4], []byte("\x7fELF")):
		return "ELF"
	case len(head) >= 64 && head[0] == 'M' && head[1] == 'Z':
		return "PE"
	case len(head) >= 4 && (bytes.Equal(head[:4], []byte{0xcf, 0xfa, 0xed, 0xfe}) || bytes.Equal(head[:4], []byte{0xce, 0xfa, 0xed, 0xfe}) || bytes.Equal(head[:4], []byte{0xca, 0xfe, 0xba, 0xbe})):
		return "Mach-O"
	}
	return ""
}

var nativeExt = map[string]bool{".so": true, ".pyd": true, ".node": true, ".dylib": true, ".dll": true, ".a": true, ".o": true, ".lib": true, ".bundle": true, ".wasm": true}
var disguiseExt = map[string]bool{".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".txt": true, ".js": true, ".py": true, ".json": true, ".md": true, ".css": true, ".html": true, ".ico": true, ".svg": true, ".xml": true, ".dat": false}

func (BundledExecutable) Check(in *rules.Input, r *rules.Reporter) {
	n := 0
	var shipped []string
	for _, f := range in.Files {
		kind := execKind(f.Head)
		if kind == "" {
			continue
		}
		shipped = append(shipped, path.Base(f.Path))
		ext := strings.ToLower(path.Ext(f.Path))
		if strings.Contains(path.Base(f.Path), ".so.") {
			ext = ".so"
		}
		switch {
		case disguiseExt[ext]:
			r.Report(model.Finding{Severity: model.High, Path: f.Path, Context: f.Context, Message: kind + " executable disguised as " + shortQuote(ext), Capabilities: []model.Capability{model.CapBinary, model.CapObfuscation}})
		case nativeExt[ext]:
		case in.Package.Kind == "sdist" && kind == "PE" || ext == ".exe" || ext == ".scr" || ext == ".com":
			sev := model.Medium
			if in.Package.Kind == "sdist" || ext == ".scr" {
				sev = model.High
			}
			r.Report(model.Finding{Severity: sev, Path: f.Path, Context: f.Context, Message: "ships " + kind + " executable " + shortQuote(path.Base(f.Path)), Capabilities: []model.Capability{model.CapBinary}})
		default:
			if n < 3 {
				r.Report(model.Finding{Severity: model.Low, Path: f.Path, Context: f.Context, Message: "ships " + kind + " program " + shortQuote(path.Base(f.Path)), Capabilities: []model.Capability{model.CapBinary}})
			}
			n++
		}
	}
	if len(shipped) > 0 {
		runsShipped(in, shipped, r)
	}
}

// runsShipped reports install-time or startup code that starts one of the
// package's own executables.
func runsShipped(in *rules.Input, shipped []string, r *rules.Reporter) {
	in.EachFacts(func(f *rules.File, u *analyze.Facts) {
		if u.Unit.Context != model.Install && u.Unit.Context != model.Startup {
			return
		}
		for _, c := range u.Calls {
			if !analyze.IsProcessCall(c.Callee) && c.Callee != "os.startfile" {
				continue
			}
			for _, name := range shipped {
				if strings.Contains(c.Text, name) {
					fd := rules.AtCall(u, c, model.High, "install-time code runs the bundled executable "+shortQuote(name), model.CapBinary, model.CapProcess)
					fd.Evidence = c.Text
					r.Report(fd)
					return
				}
			}
		}
	})
}
