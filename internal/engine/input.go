package engine

import (
	"bytes"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/airlock-sec/airlock/internal/analyze"
	"github.com/airlock-sec/airlock/internal/artifact"
	"github.com/airlock-sec/airlock/internal/ecosystem/npm"
	"github.com/airlock-sec/airlock/internal/ecosystem/pypi"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
)

// identify fills ecosystem, name, version, kind and digest from the
// package's own metadata.
func identify(p *model.Package, a *artifact.Artifact) {
	if p.Kind == "" {
		p.Kind = a.Kind
	}
	if p.Kind != "installed" && p.Kind != "directory" && p.Digest == "" {
		if d, err := sha256File(p.Path); err == nil {
			p.Digest = d
		}
	}
	if p.Name != "" && p.Ecosystem != model.Unknown {
		return
	}
	set := func(eco model.Ecosystem, name, version string) {
		p.Ecosystem = eco
		if p.Name == "" {
			p.Name = name
		}
		if p.Version == "" {
			p.Version = version
		}
	}
	if f := a.Lookup("package.json"); f != nil {
		if pj, err := npm.ParsePackageJSON(f.Data); err == nil {
			set(model.NPM, pj.Name, pj.Version)
			return
		}
	}
	// wheel: <name>.dist-info/METADATA
	for _, f := range a.Files {
		if strings.Count(f.Path, "/") == 1 && strings.HasSuffix(f.Path, ".dist-info/METADATA") {
			if m, err := pypi.ParseMetadata(f.Data); err == nil {
				set(model.PyPI, m.Name, m.Version)
				return
			}
		}
	}
	if f := a.Lookup("PKG-INFO"); f != nil {
		if m, err := pypi.ParseMetadata(f.Data); err == nil && m.Name != "" {
			set(model.PyPI, m.Name, m.Version)
			return
		}
	}
	for _, n := range []string{"setup.cfg", "pyproject.toml", "setup.py"} {
		f := a.Lookup(n)
		if f == nil {
			continue
		}
		var name, version string
		switch n {
		case "setup.cfg":
			name, version = pypi.ParseSetupCfgNameVersion(f.Data)
		case "pyproject.toml":
			name, version = pypi.ParsePyprojectNameVersion(f.Data)
		default:
			name, version = pypi.SetupPyNameVersion(f.Data)
		}
		if name != "" || n == "setup.py" {
			set(model.PyPI, name, version)
			return
		}
	}
	for _, f := range a.Files {
		if strings.HasSuffix(f.Path, ".py") {
			p.Ecosystem = model.PyPI
			break
		}
		if strings.HasSuffix(f.Path, ".js") {
			p.Ecosystem = model.NPM
		}
	}
	if p.Name == "" {
		p.Name = nameFromFile(p.Path)
	}
}

func nameFromFile(p string) string {
	b := filepath.Base(p)
	for _, ext := range []string{".tar.gz", ".tgz", ".zip", ".whl", ".tar.bz2", ".tar.xz", ".tar"} {
		b = strings.TrimSuffix(b, ext)
	}
	return b
}

const maxHead = 64 << 10

// BuildInput identifies the package from its metadata and analyzes every
// code file of it.
func (e *Engine) BuildInput(p model.Package, a *artifact.Artifact) *rules.Input {
	identify(&p, a)
	in := &rules.Input{Package: p}
	if p.Ecosystem == model.NPM {
		in.Scripts = installScripts(a)
	}
	install := installFiles(p, a, in.Scripts)
	in.Files = make([]*rules.File, len(a.Files))
	var work []int
	for i, f := range a.Files {
		rf := &rules.File{Path: f.Path, Size: f.Size, Mode: f.Mode}
		rf.Head = f.Data
		if len(rf.Head) > maxHead {
			rf.Head = rf.Head[:maxHead]
		}
		head := f.Data
		if len(head) > 512 {
			head = head[:512]
		}
		lang := analyze.LangOf(f.Path, head)
		// A NUL byte does not make a .py/.pth/.js file harmless: Python's
		// site module and Node still run it, so files with a code
		// extension are always analyzed. Only extensionless files are
		// sniffed, and those must look like text.
		rf.Context = analyze.ContextOf(p.Ecosystem, f.Path)
		if install[f.Path] {
			rf.Context = model.Install
		}
		if lang != "" && (path.Ext(f.Path) != "" || !isBinary(head)) {
			rf.Text = f.Data
			rf.Facts = &analyze.Facts{Unit: &analyze.Unit{Path: f.Path, Line: 1, Lang: lang, Context: rf.Context, Text: f.Data}}
			work = append(work, i)
		}
		in.Files[i] = rf
	}
	in.Diagnostics = e.analyzeFiles(in.Files, work)
	if len(in.Scripts) > 0 {
		if pj := in.Lookup("package.json"); pj != nil {
			pj.Facts = analyze.Analyze(scriptsUnit(a.Lookup("package.json").Data, in.Scripts), e.opt.Analysis)
		}
	}
	return in
}

// scriptsUnit turns npm install scripts into one shell unit whose line
// numbers are those of the scripts in package.json, so every rule sees
// what `npm install` runs and findings point at the right line.
func scriptsUnit(pkgJSON []byte, scripts map[string]string) *analyze.Unit {
	lines := bytes.Split(pkgJSON, []byte("\n"))
	out := make([][]byte, len(lines))
	placed := map[string]bool{}
	for i, l := range lines {
		for name, body := range scripts {
			if !placed[name] && bytes.Contains(l, []byte(`"`+name+`"`)) {
				out[i] = []byte(body)
				placed[name] = true
			}
		}
	}
	for name, body := range scripts { // implicit scripts (node-gyp) or odd layouts
		if !placed[name] {
			out = append(out, []byte(body))
		}
	}
	return &analyze.Unit{Path: "package.json", Line: 1, Lang: analyze.Shell, Context: model.Install, Text: bytes.Join(out, []byte("\n"))}
}

// analyzeFiles analyzes the listed files in parallel: one large package
// (a bundler, a framework) would otherwise keep a single core busy while
// the others wait.
func (e *Engine) analyzeFiles(files []*rules.File, work []int) []model.Diagnostic {
	var mu sync.Mutex
	var diags []model.Diagnostic
	one := func(i int) {
		defer func() {
			// a bug on one hostile file loses that file's facts, not the scan
			if r := recover(); r != nil {
				files[i].Facts = nil
				mu.Lock()
				diags = append(diags, model.Diagnostic{Path: files[i].Path, Message: fmt.Sprintf("internal error while analyzing this file (please report it): %v", r)})
				mu.Unlock()
			}
		}()
		files[i].Facts = analyze.Analyze(files[i].Facts.Unit, e.opt.Analysis)
	}
	workers := e.opt.Workers
	if workers > len(work) {
		workers = len(work)
	}
	if workers <= 1 {
		for _, i := range work {
			one(i)
		}
		return diags
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				one(i)
			}
		}()
	}
	// largest first, so the last file to finish is a small one
	sort.SliceStable(work, func(a, b int) bool { return len(files[work[a]].Text) > len(files[work[b]].Text) })
	for _, i := range work {
		next <- i
	}
	close(next)
	wg.Wait()
	return diags
}

func isBinary(head []byte) bool { return bytes.IndexByte(head, 0) >= 0 }

// installScripts returns the npm lifecycle scripts that run when the
// package is installed from a registry.
func installScripts(a *artifact.Artifact) map[string]string {
	f := a.Lookup("package.json")
	if f == nil {
		return nil
	}
	pj, err := npm.ParsePackageJSON(f.Data)
	if err != nil {
		return nil
	}
	out := map[string]string{}
	for _, name := range []string{"preinstall", "install", "postinstall"} {
		if s, ok := pj.Scripts[name]; ok && strings.TrimSpace(s) != "" {
			out[name] = s
		}
	}
	if s := npm.ImplicitInstallScript(a.Lookup("binding.gyp") != nil && !pj.GypfileDisabled, pj.Scripts); s != "" {
		out["install"] = s
	}
	return out
}

var localRequire = regexp.MustCompile(`require\(\s*['"](\.{1,2}/[^'"]+)['"]\s*\)|from\s+['"](\.{1,2}/[^'"]+)['"]|import\s+['"](\.{1,2}/[^'"]+)['"]`)

// installFiles finds the files that run at install time: files named by
// npm install scripts and what they require locally, and local modules
// imported by setup.py.
func installFiles(p model.Package, a *artifact.Artifact, scripts map[string]string) map[string]bool {
	out := map[string]bool{}
	var queue []string
	names := make([]string, 0, len(scripts))
	for n := range scripts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		for _, c := range analyze.ParseShell(scripts[n], 1) {
			for _, words := range c.Words {
				for _, w := range words[1:] {
					if strings.HasPrefix(w, "-") {
						continue
					}
					if w == "." || w == "./" {
						w = npmMain(a) // "node ." runs the package's main file
					}
					cand := path.Clean(strings.TrimPrefix(w, "./"))
					for _, try := range []string{cand, cand + ".js", cand + "/index.js", cand + ".cjs", cand + ".mjs", cand + ".py", cand + ".sh"} {
						if a.Lookup(try) != nil {
							queue = append(queue, try)
							break
						}
					}
				}
			}
		}
	}
	if f := a.Lookup("setup.py"); f != nil {
		queue = append(queue, setupLocalModules(f.Data, a)...)
	}
	if f := a.Lookup("pyproject.toml"); f != nil {
		queue = append(queue, inTreeBackend(f.Data, a)...)
	}
	// follow local requires, bounded
	for len(queue) > 0 && len(out) < 200 {
		cur := queue[0]
		queue = queue[1:]
		if out[cur] {
			continue
		}
		out[cur] = true
		f := a.Lookup(cur)
		if f == nil || !strings.HasSuffix(cur, "js") {
			continue
		}
		for _, m := range localRequire.FindAllSubmatch(f.Data, 100) {
			rel := string(m[1]) + string(m[2]) + string(m[3])
			cand := path.Clean(path.Join(path.Dir(cur), rel))
			for _, try := range []string{cand, cand + ".js", cand + "/index.js", cand + ".cjs", cand + ".mjs"} {
				if a.Lookup(try) != nil && !out[try] {
					queue = append(queue, try)
					break
				}
			}
		}
	}
	delete(out, "package.json")
	return out
}

var pyImport = regexp.MustCompile(`(?m)^\s*(?:from\s+([A-Za-z_][\w.]*)\s+import|import\s+([A-Za-z_][\w.]*))`)

// setupLocalModules lists package files imported by setup.py.
func setupLocalModules(src []byte, a *artifact.Artifact) []string {
	var out []string
	for _, m := range pyImport.FindAllSubmatch(src, 200) {
		mod := string(m[1]) + string(m[2])
		p := strings.ReplaceAll(mod, ".", "/")
		for _, try := range []string{p + ".py", p + "/__init__.py", "src/" + p + ".py", "src/" + p + "/__init__.py"} {
			if a.Lookup(try) != nil {
				out = append(out, try)
				break
			}
		}
	}
	return out
}

// checkRecord compares installed files with their RECORD hashes.
func checkRecord(a *artifact.Artifact, rec []pypi.RecordEntry) []string {
	var bad []string
	for _, r := range rec {
		if r.Hash == "" {
			continue
		}
		f := a.Lookup(path.Clean(r.Path))
		if f == nil || f.Truncated {
			continue
		}
		if ok, known := pypi.VerifyHash(r, f.Data); known && !ok {
			bad = append(bad, f.Path)
		}
	}
	return bad
}

// npmMain is the file "node ." runs: package.json "main", else index.js.
func npmMain(a *artifact.Artifact) string {
	if f := a.Lookup("package.json"); f != nil {
		if pj, err := npm.ParsePackageJSON(f.Data); err == nil && pj.Main != "" {
			return pj.Main
		}
	}
	return "index.js"
}

var (
	buildBackend = regexp.MustCompile(`(?m)^\s*build-backend\s*=\s*["']([A-Za-z_][\w.]*)(?::[\w.]+)?["']`)
	backendPath  = regexp.MustCompile(`(?m)^\s*backend-path\s*=\s*\[([^\]]*)\]`)
)

// inTreeBackend finds a PEP 517 build backend shipped inside the package
// (backend-path): pip imports it to build, so it is install-time code.
func inTreeBackend(pyproject []byte, a *artifact.Artifact) []string {
	bm := buildBackend.FindSubmatch(pyproject)
	pm := backendPath.FindSubmatch(pyproject)
	if bm == nil || pm == nil {
		return nil
	}
	mod := strings.ReplaceAll(string(bm[1]), ".", "/")
	var out []string
	for _, dir := range strings.Split(string(pm[1]), ",") {
		dir = strings.Trim(strings.TrimSpace(dir), `"'`)
		for _, try := range []string{path.Join(dir, mod+".py"), path.Join(dir, mod, "__init__.py")} {
			if a.Lookup(path.Clean(try)) != nil {
				out = append(out, path.Clean(try))
			}
		}
	}
	return out
}
