package pypi

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/airlock-sec/airlock/internal/model"
)

// writeTree writes files (slash paths → contents) under root.
func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for p, c := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symlinks unsupported: %v", err)
	}
}

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256=" + b64(sum[:])
}

const (
	pthOwned  = "import evilpkg._hook\n"
	pthOrphan = "import base64;exec(base64.b64decode('cHJpbnQoMSk='))\n"
	coreSrc   = "print('core')\n"
)

// buildVenv builds a virtualenv with a realistic site-packages and returns
// the venv root and the site dir.
func buildVenv(t *testing.T) (venv, site string) {
	t.Helper()
	venv = filepath.Join(t.TempDir(), "venv")
	site = filepath.Join(venv, "lib", "python3.12", "site-packages")
	record := strings.Join([]string{
		"evilpkg/__init__.py," + sha("") + ",0",
		// Wrong hash: RECORD says the file is empty.
		"evilpkg/core.py," + sha("") + ",0",
		"evilpkg_init.pth," + sha(pthOwned) + "," + strconv.Itoa(len(pthOwned)),
		"./evilpkg/../evilpkg/__init__.py,,",
		"../../../bin/evil-cli," + sha("#!/bin/sh\n") + ",10",
		"evilpkg-1.0.dist-info/METADATA,,",
		"evilpkg-1.0.dist-info/RECORD,,",
	}, "\n") + "\n"
	writeTree(t, venv, map[string]string{
		"pyvenv.cfg":   "home = /usr/bin\n",
		"bin/evil-cli": "#!/bin/sh\n",
		"lib/python3.12/site-packages/evilpkg/__init__.py":                 "",
		"lib/python3.12/site-packages/evilpkg/core.py":                     coreSrc,
		"lib/python3.12/site-packages/evilpkg_init.pth":                    pthOwned,
		"lib/python3.12/site-packages/orphan.pth":                          pthOrphan,
		"lib/python3.12/site-packages/evilpkg-1.0.dist-info/METADATA":      "Metadata-Version: 2.1\nName: EvilPkg\nVersion: 1.0\n\nbody\n",
		"lib/python3.12/site-packages/evilpkg-1.0.dist-info/RECORD":        record,
		"lib/python3.12/site-packages/oldpkg.egg-info/PKG-INFO":            "Metadata-Version: 1.0\nName: oldpkg\nVersion: 0.1\n",
		"lib/python3.12/site-packages/oldpkg.egg-info/installed-files.txt": "../oldpkg/__init__.py\n\nPKG-INFO\n../../../../bin/oldtool\n",
		"lib/python3.12/site-packages/oldpkg/__init__.py":                  "",
		"lib/python3.12/site-packages/srcpkg.egg-info/PKG-INFO":            "Metadata-Version: 1.0\nName: srcpkg\nVersion: 0.2\n",
		"lib/python3.12/site-packages/srcpkg.egg-info/SOURCES.txt":         "setup.py\nsrc/srcpkg/__init__.py\nsrc/srcpkg/missing.py\n../../srcpkg/x.py\n",
		"lib/python3.12/site-packages/srcpkg.egg-info/top_level.txt":       "srcpkg\n",
		"lib/python3.12/site-packages/srcpkg/__init__.py":                  "",
		"lib/python3.12/site-packages/toppkg.egg-info/PKG-INFO":            "Metadata-Version: 1.0\nName: toppkg\nVersion: 0.3\n",
		"lib/python3.12/site-packages/toppkg.egg-info/top_level.txt":       "toppkg\ntopmod\n../escape\n",
		"lib/python3.12/site-packages/toppkg/a.py":                         "",
		"lib/python3.12/site-packages/toppkg/sub/b.py":                     "",
		"lib/python3.12/site-packages/topmod.py":                           "",
		"lib/python3.12/site-packages/topmodule_other.py":                  "",
		"lib/python3.12/site-packages/distpkg-1.0-py3.12.egg-info":         "Metadata-Version: 1.0\nName: distpkg\nVersion: 1.0\n",
		"lib/python3.12/site-packages/nometa-2.0.dist-info/INSTALLER":      "pip\n",
		"lib/python3.12/site-packages/badrec-3.0.dist-info/METADATA":       "Name: badrec\nVersion: 3.0\n",
		"lib/python3.12/site-packages/badrec-3.0.dist-info/RECORD":         "badrec.py,,\nbadrec.pth,nohash,1\n",
		"lib/python3.12/site-packages/badrec.py":                           "",
		"lib/python3.12/site-packages/badrec.pth":                          "",
	})
	outside := filepath.Join(filepath.Dir(venv), "outside")
	writeTree(t, outside, map[string]string{
		"x.dist-info/METADATA": "Name: x\n",
		"evil.pth":             "import x\n",
	})
	symlink(t, filepath.Join(outside, "x.dist-info"), filepath.Join(site, "linked-1.0.dist-info"))
	symlink(t, filepath.Join(outside, "evil.pth"), filepath.Join(site, "linked.pth"))
	symlink(t, "lib", filepath.Join(venv, "lib64"))
	return venv, site
}

func TestReadSiteDir(t *testing.T) {
	_, site := buildVenv(t)
	sd, err := ReadSiteDir(site, 0)
	if err != nil {
		t.Fatal(err)
	}
	dists := map[string]Distribution{}
	for _, d := range sd.Dists {
		dists[d.MetaDir] = d
	}
	var metaDirs []string
	for k := range dists {
		metaDirs = append(metaDirs, k)
	}
	sort.Strings(metaDirs)
	wantMeta := []string{"badrec-3.0.dist-info", "distpkg-1.0-py3.12.egg-info", "evilpkg-1.0.dist-info",
		"nometa-2.0.dist-info", "oldpkg.egg-info", "srcpkg.egg-info", "toppkg.egg-info"}
	if !reflect.DeepEqual(metaDirs, wantMeta) {
		t.Fatalf("dists = %v, want %v", metaDirs, wantMeta)
	}

	// The .pth listed in evilpkg's RECORD is owned; the other and the
	// symlink out of the site dir are orphans. badrec.pth is not owned
	// because its RECORD row is invalid.
	wantOrphans := []string{"badrec.pth", "linked.pth", "orphan.pth"}
	if !reflect.DeepEqual(sd.OrphanPth, wantOrphans) {
		t.Errorf("OrphanPth = %v, want %v", sd.OrphanPth, wantOrphans)
	}
	if !hasDiag(sd.Diagnostics, "linked-1.0.dist-info", "outside") || !hasDiag(sd.Diagnostics, "linked.pth", "outside") {
		t.Errorf("want diagnostics for symlinks out of the site dir, got %v", sd.Diagnostics)
	}

	evil := dists["evilpkg-1.0.dist-info"]
	if evil.Name != "EvilPkg" || evil.Version != "1.0" {
		t.Errorf("evilpkg name/version = %q %q", evil.Name, evil.Version)
	}
	wantFiles := []string{"evilpkg/__init__.py", "evilpkg/core.py", "evilpkg_init.pth", "evilpkg/__init__.py",
		"evilpkg-1.0.dist-info/METADATA", "evilpkg-1.0.dist-info/RECORD"}
	if !reflect.DeepEqual(evil.Files, wantFiles) {
		t.Errorf("evilpkg Files = %v, want %v", evil.Files, wantFiles)
	}
	if !reflect.DeepEqual(evil.Outside, []string{"../../../bin/evil-cli"}) {
		t.Errorf("evilpkg Outside = %v", evil.Outside)
	}
	if len(evil.Record) != 7 || evil.Record[3].Path != "./evilpkg/../evilpkg/__init__.py" {
		t.Errorf("evilpkg Record not raw: %+v", evil.Record)
	}
	if len(evil.Diagnostics) != 0 {
		t.Errorf("evilpkg diagnostics: %v", evil.Diagnostics)
	}

	// Verify every hashed file inside the site dir; core.py was tampered.
	results := map[string]bool{}
	for _, e := range evil.Record {
		p := filepath.Join(site, filepath.FromSlash(e.Path))
		if strings.HasPrefix(e.Path, "../") {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		ok, known := VerifyHash(e, data)
		if known {
			results[e.Path] = ok
		}
	}
	wantResults := map[string]bool{"evilpkg/__init__.py": true, "evilpkg/core.py": false, "evilpkg_init.pth": true}
	if !reflect.DeepEqual(results, wantResults) {
		t.Errorf("hash results = %v, want %v", results, wantResults)
	}

	old := dists["oldpkg.egg-info"]
	if old.Name != "oldpkg" || old.Version != "0.1" {
		t.Errorf("oldpkg = %q %q", old.Name, old.Version)
	}
	if want := []string{"oldpkg/__init__.py", "oldpkg.egg-info/PKG-INFO"}; !reflect.DeepEqual(old.Files, want) {
		t.Errorf("oldpkg Files = %v, want %v", old.Files, want)
	}
	if want := []string{"../../../bin/oldtool"}; !reflect.DeepEqual(old.Outside, want) {
		t.Errorf("oldpkg Outside = %v, want %v", old.Outside, want)
	}

	src := dists["srcpkg.egg-info"]
	if want := []string{"srcpkg/__init__.py", "srcpkg.egg-info/PKG-INFO", "srcpkg.egg-info/SOURCES.txt", "srcpkg.egg-info/top_level.txt"}; !reflect.DeepEqual(src.Files, want) {
		t.Errorf("srcpkg Files = %v, want %v", src.Files, want)
	}

	top := dists["toppkg.egg-info"]
	if want := []string{"toppkg/a.py", "toppkg/sub/b.py", "topmod.py", "toppkg.egg-info/PKG-INFO", "toppkg.egg-info/top_level.txt"}; !reflect.DeepEqual(top.Files, want) {
		t.Errorf("toppkg Files = %v, want %v", top.Files, want)
	}
	if !hasDiag(top.Diagnostics, "toppkg.egg-info/top_level.txt", "not a relative path") {
		t.Errorf("toppkg diagnostics = %v", top.Diagnostics)
	}

	dist := dists["distpkg-1.0-py3.12.egg-info"]
	if dist.Name != "distpkg" || dist.Version != "1.0" || !reflect.DeepEqual(dist.Files, []string{"distpkg-1.0-py3.12.egg-info"}) {
		t.Errorf("distpkg = %+v", dist)
	}

	nometa := dists["nometa-2.0.dist-info"]
	if nometa.Name != "nometa" || nometa.Version != "2.0" {
		t.Errorf("nometa name from dir = %q %q", nometa.Name, nometa.Version)
	}
	if !hasDiag(nometa.Diagnostics, "nometa-2.0.dist-info/METADATA", "cannot read") || !hasDiag(nometa.Diagnostics, "nometa-2.0.dist-info/RECORD", "unknown") {
		t.Errorf("nometa diagnostics = %v", nometa.Diagnostics)
	}

	bad := dists["badrec-3.0.dist-info"]
	if !reflect.DeepEqual(bad.Files, []string{"badrec.py"}) || !hasDiag(bad.Diagnostics, "badrec-3.0.dist-info/RECORD", "line 2") {
		t.Errorf("badrec = %+v", bad)
	}
}

func TestReadSiteDirLimit(t *testing.T) {
	site := filepath.Join(t.TempDir(), "site-packages")
	writeTree(t, site, map[string]string{
		"big-1.0.dist-info/METADATA": "Name: big\nVersion: 1.0\nSummary: " + strings.Repeat("x", 200) + "\n",
		"big-1.0.dist-info/RECORD":   "big.py,,\n",
	})
	sd, err := ReadSiteDir(site, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(sd.Dists) != 1 {
		t.Fatalf("dists = %+v", sd.Dists)
	}
	d := sd.Dists[0]
	if d.Name != "big" || !hasDiag(d.Diagnostics, "big-1.0.dist-info/METADATA", "limit") {
		t.Errorf("want limit diagnostic, got %+v", d)
	}
	if !reflect.DeepEqual(d.Files, []string{"big.py"}) {
		t.Errorf("Files = %v", d.Files)
	}
}

func TestReadSiteDirMissing(t *testing.T) {
	if _, err := ReadSiteDir(filepath.Join(t.TempDir(), "nope"), 0); err == nil {
		t.Fatal("want error for a missing dir")
	}
}

func hasDiag(ds []model.Diagnostic, path, substr string) bool {
	for _, d := range ds {
		if s := d.String(); strings.Contains(s, path+": ") && strings.Contains(s, substr) {
			return true
		}
	}
	return false
}

func TestIsSiteDir(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"a/site-packages/.keep":      "",
		"b/foo-1.0.dist-info/RECORD": "",
		"c/foo.egg-info":             "Name: foo\n",
		"d/plain/x.py":               "",
	})
	tests := map[string]bool{
		"a/site-packages": true,
		"b":               true,
		"c":               true,
		"d":               false,
		"d/plain/x.py":    false,
		"missing":         false,
	}
	for p, want := range tests {
		if got := IsSiteDir(filepath.Join(root, p)); got != want {
			t.Errorf("IsSiteDir(%s) = %v, want %v", p, got, want)
		}
	}
}

func TestFindSiteDirs(t *testing.T) {
	venv, site := buildVenv(t)
	if got := FindSiteDirs(venv, 0); !reflect.DeepEqual(got, []string{site}) {
		t.Errorf("venv: got %v, want [%s] (lib64 symlink deduplicated)", got, site)
	}
	if got := FindSiteDirs(site, 0); !reflect.DeepEqual(got, []string{site}) {
		t.Errorf("site itself: got %v", got)
	}

	sys := t.TempDir()
	writeTree(t, sys, map[string]string{
		"usr/lib/python3/dist-packages/six.py":             "",
		"usr/lib/python3.11/site-packages/x.py":            "",
		"usr/local/lib/python3.11/dist-packages/y.py":      "",
		"Lib/site-packages/z.py":                           "",
		"opt/app/deep/er/lib/python3.9/site-packages/a.py": "",
		"node_modules/x/site-packages/b.py":                "",
	})
	want := []string{
		filepath.Join(sys, "Lib/site-packages"),
		filepath.Join(sys, "usr/lib/python3.11/site-packages"),
		filepath.Join(sys, "usr/lib/python3/dist-packages"),
		filepath.Join(sys, "usr/local/lib/python3.11/dist-packages"),
	}
	if got := FindSiteDirs(sys, 0); !reflect.DeepEqual(got, want) {
		t.Errorf("system layouts:\ngot  %v\nwant %v", got, want)
	}
	if got := FindSiteDirs(sys, 6); len(got) != 4 {
		t.Errorf("depth 6 should not reach opt/app/deep/er/lib/python3.9/site-packages: %v", got)
	}
	got := FindSiteDirs(sys, 7)
	want7 := append([]string{}, want...)
	want7 = append(want7, filepath.Join(sys, "opt/app/deep/er/lib/python3.9/site-packages"))
	sort.Strings(want7)
	if !reflect.DeepEqual(got, want7) {
		t.Errorf("depth 7:\ngot  %v\nwant %v", got, want7)
	}
}

func TestFindVenvs(t *testing.T) {
	proj := t.TempDir()
	writeTree(t, proj, map[string]string{
		".venv/pyvenv.cfg":          "",
		"env/pyvenv.cfg":            "",
		"notvenv/bin/python":        "",
		".tox/py312/pyvenv.cfg":     "",
		".tox/.tmp/x":               "",
		".nox/tests/pyvenv.cfg":     "",
		"src/deep/.venv/pyvenv.cfg": "",
		"file":                      "",
	})
	other := t.TempDir()
	writeTree(t, other, map[string]string{"v/pyvenv.cfg": ""})
	symlink(t, filepath.Join(other, "v"), filepath.Join(proj, "linkedvenv"))
	want := []string{
		filepath.Join(proj, ".nox/tests"),
		filepath.Join(proj, ".tox/py312"),
		filepath.Join(proj, ".venv"),
		filepath.Join(proj, "env"),
	}
	if got := FindVenvs(proj); !reflect.DeepEqual(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}
