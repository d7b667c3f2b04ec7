package pypi

import (
	"os"
	"testing"
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

type nv struct{ name, version string }

func TestParseSetupCfgNameVersion(t *testing.T) {
	tests := []struct {
		label, in string
		want      nv
	}{
		{"testdata", string(readTestdata(t, "setup.cfg.txt")), nv{"cfgpkg", ""}},
		{"colon and literal", "[metadata]\nname: foo\nversion: 1.0.post1\n", nv{"foo", "1.0.post1"}},
		{"continuation", "[metadata]\nname =\n    foo\nversion=\n  2.0\n", nv{"foo", "2.0"}},
		{"file directive", "[metadata]\nname = x\nversion = file: VERSION\n", nv{"x", ""}},
		{"other section only", "[options]\nname = foo\n", nv{"", ""}},
		{"empty", "", nv{"", ""}},
		{"garbage", "[[[\n=\n:\n[metadata\nname", nv{"", ""}},
	}
	for _, tt := range tests {
		n, v := ParseSetupCfgNameVersion([]byte(tt.in))
		if (nv{n, v}) != tt.want {
			t.Errorf("%s: got (%q, %q), want %+v", tt.label, n, v, tt.want)
		}
	}
}

func TestParsePyprojectNameVersion(t *testing.T) {
	tests := []struct {
		label, in string
		want      nv
	}{
		{"testdata", string(readTestdata(t, "pyproject.toml.txt")), nv{"toml-pkg", "1.2.3"}},
		{"dotted at root", "project.name = \"dotted\"\nproject.version = \"0.1\"\n", nv{"dotted", "0.1"}},
		{"quoted header and key", "[ \"project\" ]\n\"name\" = \"q\\u0041\"\n", nv{"qA", ""}},
		{"dynamic version", "[project]\nname = \"d\"\ndynamic = [\"version\"]\n", nv{"d", ""}},
		{"poetry fallback", "[tool.poetry]\nname = \"p\"\nversion = \"9\"\n", nv{"p", "9"}},
		{"array of tables", "[[project]]\nname = \"no\"\n", nv{"", ""}},
		{"multiline literal", "[project]\nreadme = '''\nname = \"no\"\n'''\nname = 'yes'\n", nv{"yes", ""}},
		{"unterminated", "[project]\nname = \"abc\n", nv{"", ""}},
		{"empty", "", nv{"", ""}},
	}
	for _, tt := range tests {
		n, v := ParsePyprojectNameVersion([]byte(tt.in))
		if (nv{n, v}) != tt.want {
			t.Errorf("%s: got (%q, %q), want %+v", tt.label, n, v, tt.want)
		}
	}
}

func TestSetupPyNameVersion(t *testing.T) {
	tests := []struct {
		label, in string
		want      nv
	}{
		{"testdata", string(readTestdata(t, "setup.py.txt")), nv{"setuppy-pkg", "4.5.6"}},
		{"literals", "from setuptools import setup\nsetup(name='a', version=\"1.0\")\n", nv{"a", "1.0"}},
		{"attribute callee", "import setuptools\nsetuptools.setup(\n  version = '2',\n  name = \"b\",\n)\n", nv{"b", "2"}},
		{"concatenation", "setup(name='a' 'b', version=r'1' \"2\")", nv{"ab", "12"}},
		{"triple quoted", "setup(name='''tq''')", nv{"tq", ""}},
		{"escape", "setup(name='a\\x62c')", nv{"abc", ""}},
		{"f-string", "v='1'\nsetup(name=f'x{v}', version=v)", nv{"", "1"}},
		{"expression", "setup(name='x'.upper(), version='1' + '2')", nv{"", ""}},
		{"conditional", "setup(name='x' if a else 'y')", nv{"", ""}},
		{"unresolved", "setup(name=get_name(), version=VERSION)", nv{"", ""}},
		{"dict kwargs", "kw = dict(name='viadict', version='3')\nsetup(**kw)", nv{"viadict", "3"}},
		{"setup wins", "x = dict(name='other')\nsetup(name='mine')", nv{"mine", ""}},
		{"comparison not kwarg", "if name == 'x': pass\nsetup(name = 'ok')", nv{"ok", ""}},
		{"unterminated", "setup(name='abc", nv{"", ""}},
		{"empty", "", nv{"", ""}},
	}
	for _, tt := range tests {
		n, v := SetupPyNameVersion([]byte(tt.in))
		if (nv{n, v}) != tt.want {
			t.Errorf("%s: got (%q, %q), want %+v", tt.label, n, v, tt.want)
		}
	}
}
