package pypi

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// addSeeds adds every testdata file and the given inline seeds.
func addSeeds(f *testing.F, inline ...string) {
	files, _ := filepath.Glob("testdata/*.txt")
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	for _, s := range inline {
		f.Add([]byte(s))
	}
}

func FuzzParseMetadata(f *testing.F) {
	addSeeds(f, "", "Name: x", " cont\nName: y", "Name: a\n b\n\tc\n\nbody", "a:b\r\nName:\r\n\r\n", "Requires-Dist: x\nRequires-Dist:\n")
	f.Fuzz(func(t *testing.T, data []byte) {
		md, err := ParseMetadata(data)
		if err == nil && md.Name == "" {
			t.Fatal("nil error without a name")
		}
		if err == nil && !utf8.ValidString(md.Name) {
			t.Fatal("nil error with invalid UTF-8 name")
		}
		for _, r := range md.RequiresDist {
			if r == "" {
				t.Fatal("empty Requires-Dist kept")
			}
		}
	})
}

func FuzzParseRecord(f *testing.F) {
	addSeeds(f, "", "a,b,c,d", "\"a\"\"b\",sha256=x,1\n", "\"unterminated,,", ",,\n", "a,,99999999999999999999")
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, _ := ParseRecord(data)
		for _, e := range entries {
			if strings.TrimSpace(e.Path) == "" || e.Size < -1 {
				t.Fatalf("bad entry %+v", e)
			}
			ok, known := VerifyHash(e, data)
			if ok && !known {
				t.Fatal("ok without known")
			}
		}
	})
}

func FuzzVerifyHash(f *testing.F) {
	f.Add("sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU", int64(0), []byte(""))
	f.Add("sha512=", int64(-1), []byte("x"))
	f.Add("md5=abc", int64(3), []byte("abc"))
	f.Add("=", int64(1), []byte("a"))
	f.Fuzz(func(t *testing.T, hash string, size int64, data []byte) {
		ok, known := VerifyHash(RecordEntry{Path: "x", Hash: hash, Size: size}, data)
		if ok && !known {
			t.Fatal("ok without known")
		}
	})
}

func FuzzParseSetupCfgNameVersion(f *testing.F) {
	addSeeds(f, "[metadata]\nname=\n", "[metadata\n", "[metadata]\n  x\n")
	f.Fuzz(func(t *testing.T, data []byte) {
		ParseSetupCfgNameVersion(data)
	})
}

func FuzzParsePyprojectNameVersion(f *testing.F) {
	addSeeds(f, "[project]\nname = \"\\u", "[project]\nname = \"\\UFFFFFFFF\"", "x = \"\"\"\n[project]\nname='a'", "[project]\nname = '''a'''\n", "a=[[[\n")
	f.Fuzz(func(t *testing.T, data []byte) {
		ParsePyprojectNameVersion(data)
	})
}

func FuzzSetupPyNameVersion(f *testing.F) {
	addSeeds(f, "setup(name='", "setup(name=\"\\x\")", "setup(name=b'x')", "name=\nsetup(name=name)", ")))setup(((", "setup(name='''\n")
	f.Fuzz(func(t *testing.T, data []byte) {
		SetupPyNameVersion(data)
	})
}

func FuzzNormalizeName(f *testing.F) {
	f.Add("Foo._-Bar")
	f.Add("")
	f.Fuzz(func(t *testing.T, name string) {
		n := NormalizeName(name)
		if NormalizeName(n) != n {
			t.Fatalf("not idempotent: %q -> %q -> %q", name, n, NormalizeName(n))
		}
	})
}
