package npm

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func FuzzParsePackageJSON(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{``, `{}`, `null`, `[]`, `{"bin":"x"}`, `{"name":"@a/b","bin":"c"}`, `{"bin":{"":"x","/":"y"}}`,
		`{"scripts":{"a":1,"b":null,"c":"d"}}`, `{"gypfile":null}`, `{"files":[null,"a",{}]}`, "\xef\xbb\xbf{}", `{"name":"\ud800"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		pj, err := ParsePackageJSON(data)
		if err != nil {
			return
		}
		for k, v := range pj.Bin {
			if k == "" || k == "." || k == ".." || strings.Contains(k, "/") || v == "" {
				t.Fatalf("bad bin entry %q: %q", k, v)
			}
		}
		if pj.Gypfile && pj.GypfileDisabled {
			t.Fatal("gypfile both true and false")
		}
	})
}

func FuzzValidName(f *testing.F) {
	for _, s := range []string{"left-pad", "@a/b", "@/", "@a/", ".x", "a b", "JSONStream", "@./x", "node_modules"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if !ValidName(name) {
			return
		}
		// A valid name is a safe relative path under node_modules.
		if filepath.IsAbs(name) || strings.Contains(name, "..") && strings.Contains("/"+name+"/", "/../") {
			t.Fatalf("valid name %q escapes", name)
		}
		for _, part := range strings.Split(name, "/") {
			if part == "" || part == "." || part == ".." {
				t.Fatalf("valid name %q has path part %q", name, part)
			}
		}
		if strings.Count(name, "/") > 1 || strings.Contains(name, "/") && name[0] != '@' {
			t.Fatalf("valid name %q has a bad slash", name)
		}
	})
}
