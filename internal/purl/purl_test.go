package purl

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/airlock-sec/airlock/internal/model"
)

func TestNew(t *testing.T) {
	tests := []struct {
		eco           model.Ecosystem
		name, version string
		want          string
	}{
		{model.PyPI, "requests", "2.31.0", "pkg:pypi/requests@2.31.0"},
		{model.PyPI, "Django_Allauth", "0.61.1", "pkg:pypi/django-allauth@0.61.1"},
		{model.PyPI, "My.PyPI_.--._Package", "1.11.1.dev1", "pkg:pypi/my-pypi-package@1.11.1.dev1"},
		{model.PyPI, "zope.interface", "6.0", "pkg:pypi/zope-interface@6.0"},
		{model.PyPI, "torch", "2.1.0+cu118", "pkg:pypi/torch@2.1.0%2Bcu118"},
		{model.PyPI, "unpinned", "", "pkg:pypi/unpinned"},
		{model.NPM, "left-pad", "1.3.0", "pkg:npm/left-pad@1.3.0"},
		{model.NPM, "@babel/core", "7.24.0", "pkg:npm/%40babel/core@7.24.0"},
		{model.NPM, "@Angular/Animation", "12.3.1", "pkg:npm/%40angular/animation@12.3.1"},
		{model.NPM, "JSONStream", "1.3.5", "pkg:npm/jsonstream@1.3.5"},
		{model.NPM, "foobar", "1.2.3-alpha.1+build.456", "pkg:npm/foobar@1.2.3-alpha.1%2Bbuild.456"},
		{model.Go, "github.com/gorilla/context", "v1.1.1", "pkg:golang/github.com/gorilla/context@v1.1.1"},
		{model.Go, "github.com/Azure/go-autorest/autorest/adal", "v0.9.0", "pkg:golang/github.com/Azure/go-autorest/autorest/adal@v0.9.0"},
		{model.Go, "github.com/docker/docker", "v20.10.7+incompatible", "pkg:golang/github.com/docker/docker@v20.10.7%2Bincompatible"},
		{model.Go, "golang.org/x/crypto", "v0.0.0-20240101000000-abcdefabcdef", "pkg:golang/golang.org/x/crypto@v0.0.0-20240101000000-abcdefabcdef"},
		{model.Go, "gopkg.in/yaml.v3", "v3.0.1", "pkg:golang/gopkg.in/yaml.v3@v3.0.1"},
		{model.Go, "example", "v1.0.0", "pkg:golang/example@v1.0.0"},
		// Characters that must be escaped.
		{model.NPM, "a b", "1 2", "pkg:npm/a%20b@1%202"},
		{model.NPM, "naïve", "1.0", "pkg:npm/na%C3%AFve@1.0"},
		{model.PyPI, "x", "1.0#frag?q&r=s@t/u", "pkg:pypi/x@1.0%23frag%3Fq%26r%3Ds%40t%2Fu"},
	}
	for _, tt := range tests {
		got, err := New(tt.eco, tt.name, tt.version)
		if err != nil {
			t.Errorf("New(%s, %q, %q): %v", tt.eco, tt.name, tt.version, err)
			continue
		}
		if got != tt.want {
			t.Errorf("New(%s, %q, %q) = %q, want %q", tt.eco, tt.name, tt.version, got, tt.want)
		}
		// Everything New builds parses back to the same string.
		p, err := Parse(got)
		if err != nil {
			t.Errorf("Parse(%q): %v", got, err)
		} else if p.String() != got {
			t.Errorf("Parse(%q).String() = %q", got, p.String())
		}
	}
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		eco           model.Ecosystem
		name, version string
	}{
		{model.Unknown, "x", "1"},
		{"cargo", "x", "1"},
		{model.PyPI, "", "1"},
		{model.NPM, "/", "1"},
		{model.Go, "github.com/foo/", "v1"},
		{model.PyPI, "bad\xff", "1"},
		{model.PyPI, "ok", "bad\xff"},
	}
	for _, tt := range tests {
		if got, err := New(tt.eco, tt.name, tt.version); err == nil {
			t.Errorf("New(%s, %q, %q) = %q, want error", tt.eco, tt.name, tt.version, got)
		}
	}
	if _, err := New(model.Unknown, "x", "1"); !errors.Is(err, ErrUnsupported) {
		t.Errorf("unknown ecosystem: err = %v, want ErrUnsupported", err)
	}
}

func TestFromEcosystem(t *testing.T) {
	p, err := FromEcosystem(model.NPM, "@types/node", "20.0.0")
	if err != nil {
		t.Fatal(err)
	}
	want := PURL{Type: "npm", Namespace: "@types", Name: "node", Version: "20.0.0"}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("got %+v, want %+v", p, want)
	}
	p, err = FromEcosystem(model.Go, "github.com/foo/bar/v2", "v2.0.0")
	if err != nil {
		t.Fatal(err)
	}
	want = PURL{Type: "golang", Namespace: "github.com/foo/bar", Name: "v2", Version: "v2.0.0"}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("got %+v, want %+v", p, want)
	}
}

func TestBuild(t *testing.T) {
	tests := []struct {
		in   PURL
		want string
	}{
		{PURL{Type: "pypi", Name: "django", Version: "1.11.1", Qualifiers: []Qualifier{{"filename", "Django-1.11.1.tar.gz"}}},
			"pkg:pypi/django@1.11.1?filename=Django-1.11.1.tar.gz"},
		{PURL{Type: "golang", Namespace: "google.golang.org", Name: "genproto", Subpath: "googleapis/api/annotations"},
			"pkg:golang/google.golang.org/genproto#googleapis/api/annotations"},
		{PURL{Type: "golang", Namespace: "/google.golang.org/", Name: "genproto", Version: "abcdedf", Subpath: "/googleapis/./api/../annotations/"},
			"pkg:golang/google.golang.org/genproto@abcdedf#googleapis/api/annotations"},
		// Keys lowercased and sorted, empty values dropped.
		{PURL{Type: "NPM", Name: "x", Version: "1", Qualifiers: []Qualifier{{"Repository_URL", "https://r.example/npm"}, {"arch", "x86"}, {"empty", ""}}},
			"pkg:npm/x@1?arch=x86&repository_url=https://r.example/npm"},
		{PURL{Type: "npm", Name: "mypackage", Version: "12.4.5", Qualifiers: []Qualifier{{"vcs_url", "git://host.com/path/to/repo.git@4345abcd34343"}}},
			"pkg:npm/mypackage@12.4.5?vcs_url=git://host.com/path/to/repo.git%404345abcd34343"},
		{PURL{Type: "generic", Name: "openssl", Version: "1.1.10g", Qualifiers: []Qualifier{{"checksum", "sha1:ad9503c3e994a4f,sha256:41bf9088b3a1e6c1ef1d"}}},
			"pkg:generic/openssl@1.1.10g?checksum=sha1:ad9503c3e994a4f%2Csha256:41bf9088b3a1e6c1ef1d"},
		{PURL{Type: "maven", Namespace: "mygroup", Name: "myartifact", Version: "1.0.0 Final", Qualifiers: []Qualifier{{"mykey", "my value"}}},
			"pkg:maven/mygroup/myartifact@1.0.0%20Final?mykey=my%20value"},
		// A name may hold a '/', encoded.
		{PURL{Type: "generic", Name: "a/b"}, "pkg:generic/a%2Fb"},
	}
	for _, tt := range tests {
		got, err := Build(tt.in)
		if err != nil {
			t.Errorf("Build(%+v): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Build(%+v) = %q, want %q", tt.in, got, tt.want)
		}
	}
	bad := []PURL{
		{Name: "x"},
		{Type: "3d", Name: "x"},
		{Type: "n&g", Name: "x"},
		{Type: "npm"},
		{Type: "npm", Name: "myartifact", Version: "1.0.0", Qualifiers: []Qualifier{{"in production", "true"}}},
		{Type: "npm", Name: "x", Qualifiers: []Qualifier{{"a", "1"}, {"A", "2"}}},
		{Type: "pypi", Namespace: "ns", Name: "x"},
	}
	for _, p := range bad {
		if got, err := Build(p); err == nil {
			t.Errorf("Build(%+v) = %q, want error", p, got)
		}
	}
}

// specCase is one case of the purl-spec test suite (tests/types/*-test.json,
// tests/spec/specification-test.json and the older test-suite-data.json).
// want is the expected parse; canonical the expected String() of it.
type specCase struct {
	desc      string
	in        string
	want      PURL
	canonical string
}

func q(kv ...string) []Qualifier {
	var qs []Qualifier
	for i := 0; i+1 < len(kv); i += 2 {
		qs = append(qs, Qualifier{kv[i], kv[i+1]})
	}
	return qs
}

var specCases = []specCase{
	// golang-test.json
	{"go without version, with subpath", "pkg:GOLANG/google.golang.org/genproto#/googleapis/api/annotations/",
		PURL{Type: "golang", Namespace: "google.golang.org", Name: "genproto", Subpath: "googleapis/api/annotations"},
		"pkg:golang/google.golang.org/genproto#googleapis/api/annotations"},
	{"go with version and subpath", "pkg:GOLANG/google.golang.org/genproto@abcdedf#/googleapis/api/annotations/",
		PURL{Type: "golang", Namespace: "google.golang.org", Name: "genproto", Version: "abcdedf", Subpath: "googleapis/api/annotations"},
		"pkg:golang/google.golang.org/genproto@abcdedf#googleapis/api/annotations"},
	{"go", "pkg:golang/github.com/gorilla/context@234fd47e07d1004f0aed9c",
		PURL{Type: "golang", Namespace: "github.com/gorilla", Name: "context", Version: "234fd47e07d1004f0aed9c"},
		"pkg:golang/github.com/gorilla/context@234fd47e07d1004f0aed9c"},
	{"go subpath", "pkg:golang/github.com/gorilla/context@234fd47e07d1004f0aed9c#api",
		PURL{Type: "golang", Namespace: "github.com/gorilla", Name: "context", Version: "234fd47e07d1004f0aed9c", Subpath: "api"},
		"pkg:golang/github.com/gorilla/context@234fd47e07d1004f0aed9c#api"},
	{"go no version", "pkg:golang/golang.org/x/crypto",
		PURL{Type: "golang", Namespace: "golang.org/x", Name: "crypto"}, "pkg:golang/golang.org/x/crypto"},
	// The suite's validation test only warns on an uppercase golang
	// namespace; see the package comment for why case is kept.
	{"go uppercase namespace kept", "pkg:golang/GitHub.com/Gorilla/context@234fd47e07d1004f0aed9c",
		PURL{Type: "golang", Namespace: "GitHub.com/Gorilla", Name: "context", Version: "234fd47e07d1004f0aed9c"},
		"pkg:golang/GitHub.com/Gorilla/context@234fd47e07d1004f0aed9c"},

	// pypi-test.json
	{"pypi name rules", "pkg:pypi/My.PyPI_.--._Package@1.11.1.dev1",
		PURL{Type: "pypi", Name: "my-pypi-package", Version: "1.11.1.dev1"}, "pkg:pypi/my-pypi-package@1.11.1.dev1"},
	{"pypi", "pkg:pypi/django@1.11.1", PURL{Type: "pypi", Name: "django", Version: "1.11.1"}, "pkg:pypi/django@1.11.1"},
	{"pypi filename", "pkg:pypi/django@1.11.1?filename=Django-1.11.1.tar.gz",
		PURL{Type: "pypi", Name: "django", Version: "1.11.1", Qualifiers: q("filename", "Django-1.11.1.tar.gz")},
		"pkg:pypi/django@1.11.1?filename=Django-1.11.1.tar.gz"},
	{"pypi wheel filename", "pkg:pypi/django@1.11.1?filename=Django-1.11.1-py2.py3-none-any.whl",
		PURL{Type: "pypi", Name: "django", Version: "1.11.1", Qualifiers: q("filename", "Django-1.11.1-py2.py3-none-any.whl")},
		"pkg:pypi/django@1.11.1?filename=Django-1.11.1-py2.py3-none-any.whl"},
	{"pypi dash", "pkg:pypi/django-allauth@12.23", PURL{Type: "pypi", Name: "django-allauth", Version: "12.23"}, "pkg:pypi/django-allauth@12.23"},
	{"pypi uppercase type", "pkg:PYPI/Django_package@1.11.1.dev1",
		PURL{Type: "pypi", Name: "django-package", Version: "1.11.1.dev1"}, "pkg:pypi/django-package@1.11.1.dev1"},

	// npm-test.json
	{"npm scoped", "pkg:npm/%40angular/animation@12.3.1",
		PURL{Type: "npm", Namespace: "@angular", Name: "animation", Version: "12.3.1"}, "pkg:npm/%40angular/animation@12.3.1"},
	{"npm", "pkg:npm/foobar@12.3.1", PURL{Type: "npm", Name: "foobar", Version: "12.3.1"}, "pkg:npm/foobar@12.3.1"},
	{"npm vcs_url", "pkg:npm/mypackage@12.4.5?vcs_url=git://host.com/path/to/repo.git%404345abcd34343",
		PURL{Type: "npm", Name: "mypackage", Version: "12.4.5", Qualifiers: q("vcs_url", "git://host.com/path/to/repo.git@4345abcd34343")},
		"pkg:npm/mypackage@12.4.5?vcs_url=git://host.com/path/to/repo.git%404345abcd34343"},
	{"npm scope unencoded", "pkg:npm/@babel/core#/googleapis/api/annotations/",
		PURL{Type: "npm", Namespace: "@babel", Name: "core", Subpath: "googleapis/api/annotations"},
		"pkg:npm/%40babel/core#googleapis/api/annotations"},
	{"npm scope encoded", "pkg:npm/%40babel/core#/googleapis/api/annotations/",
		PURL{Type: "npm", Namespace: "@babel", Name: "core", Subpath: "googleapis/api/annotations"},
		"pkg:npm/%40babel/core#googleapis/api/annotations"},
	{"npm subpath", "pkg:npm/core@2.0.1#/googleapis/api/annotations/",
		PURL{Type: "npm", Name: "core", Version: "2.0.1", Subpath: "googleapis/api/annotations"},
		"pkg:npm/core@2.0.1#googleapis/api/annotations"},
	{"npm lowercased", "pkg:npm/LoDash@4.17.21", PURL{Type: "npm", Name: "lodash", Version: "4.17.21"}, "pkg:npm/lodash@4.17.21"},
	{"npm scope and name lowercased", "pkg:npm/%40MyScope/MyPackage@1.0.0",
		PURL{Type: "npm", Namespace: "@myscope", Name: "mypackage", Version: "1.0.0"}, "pkg:npm/%40myscope/mypackage@1.0.0"},
	{"npm no version", "pkg:npm/react", PURL{Type: "npm", Name: "react"}, "pkg:npm/react"},
	{"npm scoped no version", "pkg:npm/%40angular/core", PURL{Type: "npm", Namespace: "@angular", Name: "core"}, "pkg:npm/%40angular/core"},
	{"npm dots", "pkg:npm/my-package.js@1.0.0", PURL{Type: "npm", Name: "my-package.js", Version: "1.0.0"}, "pkg:npm/my-package.js@1.0.0"},
	{"npm dot", "pkg:npm/foo.bar@1.2.3", PURL{Type: "npm", Name: "foo.bar", Version: "1.2.3"}, "pkg:npm/foo.bar@1.2.3"},
	{"npm emoji subpath", "pkg:npm/foo@1.0.0#src/%F0%9F%98%83/file.js",
		PURL{Type: "npm", Name: "foo", Version: "1.0.0", Subpath: "src/😃/file.js"}, "pkg:npm/foo@1.0.0#src/%F0%9F%98%83/file.js"},
	{"npm emoji qualifier", "pkg:npm/foo@1.0.0?vcs_url=https://a.com/b/c%F0%9F%98%83d.git",
		PURL{Type: "npm", Name: "foo", Version: "1.0.0", Qualifiers: q("vcs_url", "https://a.com/b/c😃d.git")},
		"pkg:npm/foo@1.0.0?vcs_url=https://a.com/b/c%F0%9F%98%83d.git"},
	{"npm emoji version", "pkg:npm/foo@1.2.3-%F0%9F%98%83",
		PURL{Type: "npm", Name: "foo", Version: "1.2.3-😃"}, "pkg:npm/foo@1.2.3-%F0%9F%98%83"},
	// The suite keeps '+' unencoded here; ECMA-427 permits only letters,
	// digits, ".-_~", ':' and separators unencoded, so '+' becomes %2B (as
	// Go tooling and most SBOM producers write "%2Bincompatible").
	{"npm build metadata", "pkg:npm/foobar@1.2.3-alpha.1+build.456",
		PURL{Type: "npm", Name: "foobar", Version: "1.2.3-alpha.1+build.456"}, "pkg:npm/foobar@1.2.3-alpha.1%2Bbuild.456"},

	// test-suite-data.json (generic rules)
	{"maven", "pkg:maven/org.apache.commons/io@1.3.4",
		PURL{Type: "maven", Namespace: "org.apache.commons", Name: "io", Version: "1.3.4"}, "pkg:maven/org.apache.commons/io@1.3.4"},
	{"slash after scheme", "pkg:/maven/org.apache.commons/io",
		PURL{Type: "maven", Namespace: "org.apache.commons", Name: "io"}, "pkg:maven/org.apache.commons/io"},
	{"double slash after scheme", "pkg://maven/org.apache.commons/io",
		PURL{Type: "maven", Namespace: "org.apache.commons", Name: "io"}, "pkg:maven/org.apache.commons/io"},
	{"triple slash after scheme", "pkg:///maven/org.apache.commons/io",
		PURL{Type: "maven", Namespace: "org.apache.commons", Name: "io"}, "pkg:maven/org.apache.commons/io"},
	{"debian qualifiers", "pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie",
		PURL{Type: "deb", Namespace: "debian", Name: "curl", Version: "7.50.3-1", Qualifiers: q("arch", "i386", "distro", "jessie")},
		"pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie"},
	{"docker digest version", "pkg:docker/customer/dockerimage@sha256:244fd47e07d1004f0aed9c?repository_url=gcr.io",
		PURL{Type: "docker", Namespace: "customer", Name: "dockerimage", Version: "sha256:244fd47e07d1004f0aed9c", Qualifiers: q("repository_url", "gcr.io")},
		"pkg:docker/customer/dockerimage@sha256:244fd47e07d1004f0aed9c?repository_url=gcr.io"},
	{"qualifier key case", "pkg:gem/jruby-launcher@1.1.2?Platform=java",
		PURL{Type: "gem", Name: "jruby-launcher", Version: "1.1.2", Qualifiers: q("platform", "java")},
		"pkg:gem/jruby-launcher@1.1.2?platform=java"},
	{"maven qualifiers", "pkg:Maven/org.apache.xmlgraphics/batik-anim@1.9.1?classifier=sources&repositorY_url=repo.spring.io/release",
		PURL{Type: "maven", Namespace: "org.apache.xmlgraphics", Name: "batik-anim", Version: "1.9.1", Qualifiers: q("classifier", "sources", "repository_url", "repo.spring.io/release")},
		"pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?classifier=sources&repository_url=repo.spring.io/release"},
	{"nuget case kept", "pkg:Nuget/EnterpriseLibrary.Common@6.0.1304",
		PURL{Type: "nuget", Name: "EnterpriseLibrary.Common", Version: "6.0.1304"}, "pkg:nuget/EnterpriseLibrary.Common@6.0.1304"},
	{"maven case kept", "pkg:maven/HTTPClient/HTTPClient@0.3-3",
		PURL{Type: "maven", Namespace: "HTTPClient", Name: "HTTPClient", Version: "0.3-3"}, "pkg:maven/HTTPClient/HTTPClient@0.3-3"},
	{"space in version and qualifier", "pkg:maven/mygroup/myartifact@1.0.0%20Final?mykey=my%20value",
		PURL{Type: "maven", Namespace: "mygroup", Name: "myartifact", Version: "1.0.0 Final", Qualifiers: q("mykey", "my value")},
		"pkg:maven/mygroup/myartifact@1.0.0%20Final?mykey=my%20value"},
	{"conda qualifiers", "pkg:conda/absl-py@0.4.1?build=py36h06a4308_0&channel=main&subdir=linux-64&type=tar.bz2",
		PURL{Type: "conda", Name: "absl-py", Version: "0.4.1", Qualifiers: q("build", "py36h06a4308_0", "channel", "main", "subdir", "linux-64", "type", "tar.bz2")},
		"pkg:conda/absl-py@0.4.1?build=py36h06a4308_0&channel=main&subdir=linux-64&type=tar.bz2"},
	{"swift", "pkg:swift/github.com/Alamofire/Alamofire@5.4.3",
		PURL{Type: "swift", Namespace: "github.com/Alamofire", Name: "Alamofire", Version: "5.4.3"}, "pkg:swift/github.com/Alamofire/Alamofire@5.4.3"},
	// The old suite encoded ':' and '/' in qualifier values; ECMA-427 and
	// the current suite keep ':' unencoded (and '/' in values).
	{"encoded vcs_url", "pkg:npm/packageurl-js@0.0.7?vcs_url=git%2Bhttps%3A%2F%2Fgithub.com%2Fpackage-url%2Fpackageurl-js.git",
		PURL{Type: "npm", Name: "packageurl-js", Version: "0.0.7", Qualifiers: q("vcs_url", "git+https://github.com/package-url/packageurl-js.git")},
		"pkg:npm/packageurl-js@0.0.7?vcs_url=git%2Bhttps://github.com/package-url/packageurl-js.git"},
	{"checksum list", "pkg:generic/bitwarderl?checksum=sha1:ad9503c3e994a4f%2Csha256:41bf9088b3a1e6c1ef1d",
		PURL{Type: "generic", Name: "bitwarderl", Qualifiers: q("checksum", "sha1:ad9503c3e994a4f,sha256:41bf9088b3a1e6c1ef1d")},
		"pkg:generic/bitwarderl?checksum=sha1:ad9503c3e994a4f%2Csha256:41bf9088b3a1e6c1ef1d"},
	// Lenient extras.
	{"empty qualifiers dropped", "pkg:npm/x@1?a=&&b=2&c", PURL{Type: "npm", Name: "x", Version: "1", Qualifiers: q("b", "2")}, "pkg:npm/x@1?b=2"},
	{"trailing slash on name", "pkg:maven/org.apache.commons/io/", PURL{Type: "maven", Namespace: "org.apache.commons", Name: "io"}, "pkg:maven/org.apache.commons/io"},
	{"uppercase scheme", "PKG:npm/x", PURL{Type: "npm", Name: "x"}, "pkg:npm/x"},
	{"encoded slash in name", "pkg:generic/a%2Fb@1", PURL{Type: "generic", Name: "a/b", Version: "1"}, "pkg:generic/a%2Fb@1"},
	{"raw unicode accepted", "pkg:npm/foo@1.0-ü", PURL{Type: "npm", Name: "foo", Version: "1.0-ü"}, "pkg:npm/foo@1.0-%C3%BC"},
}

func TestSpecSuite(t *testing.T) {
	for _, tt := range specCases {
		p, err := Parse(tt.in)
		if err != nil {
			t.Errorf("%s: Parse(%q): %v", tt.desc, tt.in, err)
			continue
		}
		if !reflect.DeepEqual(p, tt.want) {
			t.Errorf("%s: Parse(%q)\n got %+v\nwant %+v", tt.desc, tt.in, p, tt.want)
		}
		if got := p.String(); got != tt.canonical {
			t.Errorf("%s: Parse(%q).String() = %q, want %q", tt.desc, tt.in, got, tt.canonical)
		}
		// Building from the expected components gives the canonical form.
		if got, err := Build(tt.want); err != nil || got != tt.canonical {
			t.Errorf("%s: Build(%+v) = %q, %v; want %q", tt.desc, tt.want, got, err, tt.canonical)
		}
		// The canonical form is a fixed point.
		if p2, err := Parse(tt.canonical); err != nil || !reflect.DeepEqual(p2, tt.want) {
			t.Errorf("%s: Parse(canonical %q) = %+v, %v", tt.desc, tt.canonical, p2, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	bad := []struct{ desc, in string }{
		{"no scheme", "EnterpriseLibrary.Common@6.0.1304"},
		{"no type", "pkg:EnterpriseLibrary.Common@6.0.1304"},
		{"bad type character", "pkg:n&g?inx/nginx@0.8.9"},
		{"type starts with digit", "pkg:3nginx/nginx@0.8.9"},
		{"colon in type", "pkg:nginx:a/nginx@0.8.9"},
		{"bad qualifier key", "pkg:npm/myartifact@1.0.0?in%20production=true"},
		{"no name", "pkg:maven/@1.3.4"},
		{"no name after namespace", "pkg:swift/github.com/Alamofire/@5.4.3"},
		{"encoded colon after scheme", "pkg%3Amaven/org.apache.commons/io"},
		{"only a type", "pkg:npm/"},
		{"only a type no slash", "pkg:hackage"},
		{"empty version", "pkg:npm/foobar@"},
		{"wrong scheme", "http:npm/x"},
		{"bad escape", "pkg:npm/a%zzb"},
		{"truncated escape", "pkg:npm/ab%4"},
		{"invalid utf-8 escape", "pkg:npm/a%FFb"},
		{"invalid utf-8 raw", "pkg:npm/a\xffb"},
		{"encoded slash in subpath segment", "pkg:npm/a#b%2Fc"},
		{"encoded slash in namespace segment", "pkg:golang/a%2Fb/c"},
		{"duplicate qualifier", "pkg:npm/a?x=1&X=2"},
		{"pypi namespace", "pkg:pypi/ns/name@1"},
		{"percent-encoded type", "pkg:n%70m/x"},
	}
	for _, tt := range bad {
		if p, err := Parse(tt.in); err == nil {
			t.Errorf("%s: Parse(%q) = %+v, want error", tt.desc, tt.in, p)
		}
	}
}

func TestQualifier(t *testing.T) {
	p, err := Parse("pkg:npm/x@1?b=2&a=1")
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := p.Qualifier("a"); !ok || v != "1" {
		t.Errorf("Qualifier(a) = %q, %v", v, ok)
	}
	if _, ok := p.Qualifier("c"); ok {
		t.Error("Qualifier(c) found")
	}
}

func TestEscapeEveryByte(t *testing.T) {
	// Every byte value survives a round trip through the name, version,
	// namespace, qualifier value and subpath (as valid UTF-8 text).
	var all strings.Builder
	for c := 1; c < 0x80; c++ {
		all.WriteByte(byte(c))
	}
	all.WriteString("ü😃")
	s := all.String()
	segment := strings.ReplaceAll(s, "/", "")
	p := PURL{Type: "generic", Namespace: segment, Name: "n" + s, Version: s, Qualifiers: q("k", s), Subpath: segment}
	str, err := Build(p)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse(str)
	if err != nil {
		t.Fatalf("Parse(%q): %v", str, err)
	}
	want, _ := normalize(p)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip of %q\n got %+v\nwant %+v", str, got, want)
	}
	for i := 0; i < len(str); i++ {
		c := str[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("\"<>\\^`{|}+,;!$'()*[] ", c) >= 0 {
			t.Fatalf("canonical purl %q holds unencoded %q", str, c)
		}
	}
}
