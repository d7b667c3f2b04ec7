package sbom

import (
	"bytes"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"flag"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/airlock-sec/airlock/internal/model"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var testTime = time.Date(2026, 11, 26, 12, 30, 45, 123456789, time.FixedZone("CET", 3600))

func testMeta(subject string) Meta {
	return Meta{Subject: subject, ToolName: "airlock", ToolVersion: "0.9.0", Time: testTime, SerialSeed: "golden"}
}

// Digest helpers: real digests of small strings, in each recorded form.
func hexOf(sum []byte) string { return hex.EncodeToString(sum) }
func b64Of(sum []byte) string { return base64.StdEncoding.EncodeToString(sum) }
func sha256Of(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}
func sha512Of(s string) []byte {
	h := sha512.Sum512([]byte(s))
	return h[:]
}
func sha384Of(s string) []byte {
	h := sha512.Sum384([]byte(s))
	return h[:]
}
func sha1Of(s string) []byte {
	h := sha1.Sum([]byte(s))
	return h[:]
}
func md5Of(s string) []byte {
	h := md5.Sum([]byte(s))
	return h[:]
}

func dep(eco model.Ecosystem, name, version, path string, line int) model.Dependency {
	return model.Dependency{Ecosystem: eco, Name: name, Version: version, Path: path, Line: line}
}

// mixedComponents covers PyPI, npm (scoped), Go modules, a component with
// no purl type, dev dependencies, every kind of hash, sources of every kind
// and duplicates across paths and spellings.
func mixedComponents() []Component {
	var cs []Component
	add := func(d model.Dependency, paths ...string) { cs = append(cs, Component{Dependency: d, Paths: paths}) }

	d := dep(model.PyPI, "requests", "2.31.0", "requirements.txt", 3)
	d.Direct = true
	d.Hashes = []string{"sha256:" + hexOf(sha256Of("requests-2.31.0.tar.gz")), "sha256:" + strings.ToUpper(hexOf(sha256Of("requests-2.31.0-py3-none-any.whl")))}
	add(d)
	// The same package in another lockfile: merged, hashes deduplicated.
	d = dep(model.PyPI, "requests", "2.31.0", "poetry.lock", 40)
	d.Hashes = []string{"sha256:" + hexOf(sha256Of("requests-2.31.0.tar.gz"))}
	add(d, "services/api/poetry.lock:12")

	// Two spellings of one PyPI name: one component.
	d = dep(model.PyPI, "Django_Allauth", "0.61.1", "poetry.lock", 10)
	d.Hashes = []string{"md5:" + hexOf(md5Of("allauth")), "sha1:" + hexOf(sha1Of("allauth"))}
	add(d)
	d = dep(model.PyPI, "django-allauth", "0.61.1", "requirements.txt", 4)
	d.Direct = true
	add(d)

	d = dep(model.PyPI, "pytest", "8.0.0", "requirements-dev.txt", 1)
	d.Direct, d.Dev = true, true
	d.Hashes = []string{"sha384:" + hexOf(sha384Of("pytest")), "sha512:" + hexOf(sha512Of("pytest"))}
	add(d)

	d = dep(model.PyPI, "mypkg", "", "pyproject.toml", 12)
	d.Direct, d.Unpinned, d.Constraint = true, true, ">=1.0"
	d.Source = "git+https://github.com/example/mypkg.git@0123abc"
	add(d)

	d = dep(model.PyPI, "local-tool", "0.1.0", "requirements.txt", 9)
	d.Source = "./vendor/local-tool"
	add(d)

	d = dep(model.PyPI, "naïve-pkg", "1.0", "/usr/lib/python3/site-packages", 0)
	add(d)

	// npm: scoped, SRI integrity with two hashes, a tarball URL source,
	// a dev dependency found in two lockfiles.
	d = dep(model.NPM, "@babel/core", "7.24.0", "package-lock.json", 120)
	d.Direct = true
	d.Hashes = []string{"sha512-" + b64Of(sha512Of("babel-core")) + " sha1-" + b64Of(sha1Of("babel-core"))}
	add(d)

	d = dep(model.NPM, "left-pad", "1.3.0", "package-lock.json", 300)
	d.Source = "https://registry.example.com/left-pad/-/left-pad-1.3.0.tgz"
	d.Hashes = []string{"sha384-" + b64Of(sha384Of("left-pad")), "md5-" + b64Of(md5Of("left-pad"))}
	add(d)

	d = dep(model.NPM, "eslint", "8.57.0", "package-lock.json", 200)
	d.Direct, d.Dev = true, true
	d.Hashes = []string{"sha512-" + b64Of(sha512Of("eslint"))}
	add(d)
	d = dep(model.NPM, "eslint", "8.57.0", "web/yarn.lock", 15)
	d.Dev = true
	d.Hashes = []string{"sha512-" + b64Of(sha512Of("eslint"))}
	add(d)

	// eslint-plugin is dev in one place, a production dependency in
	// another: it is required.
	d = dep(model.NPM, "eslint-plugin-x", "1.0.0", "package-lock.json", 210)
	d.Dev = true
	add(d)
	d = dep(model.NPM, "eslint-plugin-x", "1.0.0", "web/yarn.lock", 30)
	d.Source = "github:example/eslint-plugin-x#v1.0.0"
	add(d)

	// Go: mixed-case module path, h1: hashes (kept verbatim), a local
	// replacement.
	d = dep(model.Go, "github.com/Azure/go-autorest/autorest", "v0.11.29", "go.sum", 5)
	d.Direct = true
	d.Hashes = []string{"h1:" + b64Of(sha256Of("autorest"))}
	add(d)
	d = dep(model.Go, "golang.org/x/crypto", "v0.21.0", "go.sum", 9)
	d.Source = "../crypto-fork"
	add(d)
	d = dep(model.Go, "github.com/docker/docker", "v20.10.7+incompatible", "go.mod", 7)
	d.Direct = true
	add(d)

	// No purl type: fallback reference. A bad hash is kept verbatim.
	d = dep("cargo", "serde", "1.0.197", "Cargo.lock", 50)
	d.Hashes = []string{"sha256:not-a-hash"}
	add(d)
	return cs
}

// noDirectComponents has no direct marks: the root depends on everything.
func noDirectComponents() []Component {
	return []Component{
		{Dependency: dep(model.PyPI, "six", "1.16.0", "/venv/lib/python3.12/site-packages", 0)},
		{Dependency: dep(model.PyPI, "attrs", "23.2.0", "/venv/lib/python3.12/site-packages", 0)},
		{Dependency: model.Dependency{Ecosystem: model.NPM, Name: "@types/node", Version: "20.11.0", Path: "node_modules", Dev: true}},
	}
}

var goldenCases = []struct {
	name    string
	subject string
	comps   func() []Component
}{
	{"mixed", "shop-backend", mixedComponents},
	{"nodirect", "venv", noDirectComponents},
	{"empty", "", func() []Component { return nil }},
}

func render(t *testing.T, format string, m Meta, comps []Component) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, format, m, comps); err != nil {
		t.Fatalf("Write(%s): %v", format, err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	exts := map[string]string{FormatCycloneDX: ".cdx.json", FormatSPDX: ".spdx.json"}
	for _, gc := range goldenCases {
		for _, format := range Formats() {
			got := render(t, format, testMeta(gc.subject), gc.comps())
			path := filepath.Join("testdata", gc.name+exts[format])
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/sbom -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the golden file; run go test ./internal/sbom -update and review the diff\n%s", path, got)
			}
			var problems []string
			if format == FormatCycloneDX {
				problems = checkCycloneDX(got)
			} else {
				problems = checkSPDX(got)
			}
			for _, p := range problems {
				t.Errorf("%s: %s", path, p)
			}
		}
	}
}

// TestMixedContent spot-checks the decisions the goldens encode.
func TestMixedContent(t *testing.T) {
	var bom map[string]any
	if err := json.Unmarshal(render(t, FormatCycloneDX, testMeta("x"), mixedComponents()), &bom); err != nil {
		t.Fatal(err)
	}
	comps := map[string]map[string]any{}
	for _, c := range bom["components"].([]any) {
		c := c.(map[string]any)
		comps[c["bom-ref"].(string)] = c
	}
	if len(comps) != 14 {
		t.Errorf("got %d components, want 14 (duplicates merged)", len(comps))
	}
	props := func(c map[string]any, name string) []string {
		var out []string
		ps, _ := c["properties"].([]any)
		for _, p := range ps {
			p := p.(map[string]any)
			if p["name"] == name {
				out = append(out, p["value"].(string))
			}
		}
		return out
	}
	req := comps["pkg:pypi/requests@2.31.0"]
	if req == nil {
		t.Fatal("requests missing")
	}
	if got := props(req, "airlock:path"); !reflect.DeepEqual(got, []string{"poetry.lock:40", "requirements.txt:3", "services/api/poetry.lock:12"}) {
		t.Errorf("requests paths = %q", got)
	}
	if n := len(req["hashes"].([]any)); n != 2 {
		t.Errorf("requests has %d hashes, want 2", n)
	}
	allauth := comps["pkg:pypi/django-allauth@0.61.1"]
	if allauth == nil || allauth["name"] != "Django_Allauth" || props(allauth, "airlock:direct") == nil {
		t.Errorf("django-allauth not merged as expected: %v", allauth)
	}
	babel := comps["pkg:npm/%40babel/core@7.24.0"]
	if babel == nil || babel["group"] != "@babel" || babel["name"] != "core" {
		t.Errorf("@babel/core: %v", babel)
	}
	algs := map[string]string{}
	for _, h := range babel["hashes"].([]any) {
		h := h.(map[string]any)
		algs[h["alg"].(string)] = h["content"].(string)
	}
	if algs["SHA-512"] != hexOf(sha512Of("babel-core")) || algs["SHA-1"] != hexOf(sha1Of("babel-core")) {
		t.Errorf("@babel/core hashes = %v", algs)
	}
	if c := comps["pkg:npm/eslint@8.57.0"]; c["scope"] != "optional" {
		t.Errorf("eslint scope = %v, want optional", c["scope"])
	}
	if c := comps["pkg:npm/eslint-plugin-x@1.0.0"]; c["scope"] != "required" {
		t.Errorf("eslint-plugin-x scope = %v, want required (dev in one place only)", c["scope"])
	}
	if c := comps["pkg:golang/github.com/Azure/go-autorest/autorest@v0.11.29"]; c == nil || len(props(c, "airlock:hash")) != 1 || c["hashes"] != nil {
		t.Errorf("autorest: %v", c)
	}
	if c := comps["airlock:component:cargo/serde@1.0.197"]; c == nil || c["purl"] != nil {
		t.Errorf("serde: %v", c)
	}
	deps := bom["dependencies"].([]any)
	if len(deps) != 1 {
		t.Fatalf("dependencies = %v", deps)
	}
	dependsOn := deps[0].(map[string]any)["dependsOn"].([]any)
	if len(dependsOn) != 8 {
		t.Errorf("root dependsOn %d components, want the 8 direct ones: %v", len(dependsOn), dependsOn)
	}
}

func TestDeterministic(t *testing.T) {
	comps := mixedComponents()
	for _, format := range Formats() {
		want := render(t, format, testMeta("p"), comps)
		r := rand.New(rand.NewSource(1))
		for i := 0; i < 20; i++ {
			shuffled := append([]Component(nil), comps...)
			r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			if got := render(t, format, testMeta("p"), shuffled); !bytes.Equal(got, want) {
				t.Fatalf("%s: output depends on input order", format)
			}
		}
		m := testMeta("p")
		m.SerialSeed = "other"
		if bytes.Equal(render(t, format, m, comps), want) {
			t.Errorf("%s: SerialSeed does not change the document", format)
		}
	}
}

func TestSerialNumber(t *testing.T) {
	var bom struct{ SerialNumber string }
	if err := json.Unmarshal(render(t, FormatCycloneDX, testMeta("p"), nil), &bom); err != nil {
		t.Fatal(err)
	}
	s := strings.TrimPrefix(bom.SerialNumber, "urn:uuid:")
	if len(s) != 36 || s[14] != '8' || !strings.ContainsRune("89ab", rune(s[19])) {
		t.Errorf("serial %q is not a version 8, RFC 9562 variant UUID", bom.SerialNumber)
	}
	m := testMeta("p")
	m.Time = m.Time.Add(time.Second)
	var bom2 struct{ SerialNumber string }
	if err := json.Unmarshal(render(t, FormatCycloneDX, m, nil), &bom2); err != nil {
		t.Fatal(err)
	}
	if bom2.SerialNumber == bom.SerialNumber {
		t.Error("serial number does not depend on the time")
	}
}

func TestDefaults(t *testing.T) {
	before := time.Now().UTC().Truncate(time.Second)
	for _, format := range Formats() {
		out := render(t, format, Meta{}, nil)
		if !bytes.Contains(out, []byte(`"unnamed"`)) || !bytes.Contains(out, []byte("airlock")) {
			t.Errorf("%s: defaults missing:\n%s", format, out)
		}
		var doc struct {
			Metadata     struct{ Timestamp string }
			CreationInfo struct{ Created string }
		}
		if err := json.Unmarshal(out, &doc); err != nil {
			t.Fatal(err)
		}
		ts := doc.Metadata.Timestamp + doc.CreationInfo.Created
		tm, err := time.Parse(time.RFC3339, ts)
		if err != nil || tm.Before(before) {
			t.Errorf("%s: zero Meta.Time rendered as %q, want now", format, ts)
		}
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	if err := Write(&bytes.Buffer{}, "swid", Meta{}, nil); err == nil || !strings.Contains(err.Error(), "cyclonedx") {
		t.Errorf("err = %v", err)
	}
	if got := Formats(); !reflect.DeepEqual(got, []string{"cyclonedx", "spdx"}) {
		t.Errorf("Formats() = %v", got)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, os.ErrClosed }

func TestWriteError(t *testing.T) {
	for _, format := range Formats() {
		if err := Write(failWriter{}, format, Meta{}, nil); err == nil {
			t.Errorf("%s: no error from a failing writer", format)
		}
	}
}

func TestParseHashes(t *testing.T) {
	s256 := sha256Of("x")
	s512 := sha512Of("x")
	tests := []struct {
		in    string
		want  []string // alg:hex
		other []string
	}{
		{"sha256:" + hexOf(s256), []string{"sha256:" + hexOf(s256)}, nil},
		{"SHA256:" + strings.ToUpper(hexOf(s256)), []string{"sha256:" + hexOf(s256)}, nil},
		{"sha-256:" + hexOf(s256), []string{"sha256:" + hexOf(s256)}, nil},
		{"sha256:" + b64Of(s256), []string{"sha256:" + hexOf(s256)}, nil},
		{"sha256-" + b64Of(s256), []string{"sha256:" + hexOf(s256)}, nil},
		{"sha512-" + b64Of(s512) + "?opt", []string{"sha512:" + hexOf(s512)}, nil},
		{"sha512-" + base64.RawURLEncoding.EncodeToString(s512), []string{"sha512:" + hexOf(s512)}, nil},
		{"sha512-" + b64Of(s512) + "  sha1-" + b64Of(sha1Of("x")), []string{"sha512:" + hexOf(s512), "sha1:" + hexOf(sha1Of("x"))}, nil},
		{"md5:" + hexOf(md5Of("x")), []string{"md5:" + hexOf(md5Of("x"))}, nil},
		{"sha384-" + b64Of(sha384Of("x")), []string{"sha384:" + hexOf(sha384Of("x"))}, nil},
		// Not convertible: kept verbatim.
		{"h1:" + b64Of(s256), nil, []string{"h1:" + b64Of(s256)}},
		{"sha256:" + hexOf(s256)[:10], nil, []string{"sha256:" + hexOf(s256)[:10]}},
		{"sha512-" + b64Of(s256), nil, []string{"sha512-" + b64Of(s256)}},
		{"sha384:" + hexOf(s256), nil, []string{"sha384:" + hexOf(s256)}}, // hex of the wrong size is not read as base64
		{"blake2b:abcd", nil, []string{"blake2b:abcd"}},
		{"deadbeef", nil, []string{"deadbeef"}},
		{"", nil, nil},
	}
	for _, tt := range tests {
		ds, other := parseHashes(tt.in)
		var got []string
		for _, d := range ds {
			got = append(got, hashAlgs[d.alg].name+":"+d.hex)
		}
		if !reflect.DeepEqual(got, tt.want) || !reflect.DeepEqual(other, tt.other) {
			t.Errorf("parseHashes(%q) = %v, %v; want %v, %v", tt.in, got, other, tt.want, tt.other)
		}
	}
}

func TestSourceKind(t *testing.T) {
	tests := map[string]string{
		"git+https://github.com/a/b.git@abc":         "vcs",
		"git+ssh://git@github.com/a/b.git":           "vcs",
		"hg+https://hg.example.com/repo":             "vcs",
		"git://github.com/a/b.git":                   "vcs",
		"https://github.com/a/b.git":                 "vcs",
		"https://files.example.com/x-1.0.tar.gz":     "distribution",
		"http://mirror.example.com/simple":           "distribution",
		"ftp://ftp.example.com/x.tgz":                "distribution",
		"file:../x":                                  "",
		"link:../x":                                  "",
		"./vendor/x":                                 "",
		"../crypto-fork":                             "",
		"example.com/fork@v1.2.3":                    "",
		"github:user/repo":                           "",
		"git@github.com:user/repo.git":               "",
		"https://exa mple.com/x":                     "",
		"https://example.com/%zz":                    "",
		"foo+https://example.com/x":                  "",
		"https://example.com/\x00":                   "",
		"https:///nohost":                            "",
		"https://example.com/ok?x=1#frag":            "distribution",
		"git+https://github.com/a/b#subdirectory=py": "vcs",
	}
	for in, want := range tests {
		if got := sourceKind(in); got != want {
			t.Errorf("sourceKind(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSPDXIDs(t *testing.T) {
	es := merge([]Component{
		{Dependency: dep(model.PyPI, "a", "1", "", 0)},
		{Dependency: dep(model.PyPI, "a_b", "1", "", 0)}, // normalizes to a-b
		{Dependency: dep(model.PyPI, "a-b", "1", "", 0)}, // merged with a_b
		{Dependency: dep("x", "a", "b-1", "", 0)},
		{Dependency: dep("x", "a-b", "1", "", 0)}, // same raw id as the previous
		{Dependency: dep(model.NPM, "ü", "1", "", 0)},
		{Dependency: dep(model.NPM, "é", "1", "", 0)},
		{Dependency: dep(model.NPM, strings.Repeat("n", 500), "1", "", 0)},
	})
	ids := spdxIDs(es)
	seen := map[string]bool{}
	for _, e := range es {
		id := ids[e]
		if !spdxIDPattern.MatchString(id) || seen[id] {
			t.Errorf("bad or repeated SPDXID %q for %q", id, e.key)
		}
		seen[id] = true
		if len(id) > 140 {
			t.Errorf("SPDXID %q is not bounded", id)
		}
	}
	if len(es) != 7 {
		t.Errorf("got %d entries, want 7", len(es))
	}
}

func TestTruncateRunes(t *testing.T) {
	if got := truncateRunes("aüb", 2); got != "aü" {
		t.Errorf("got %q", got)
	}
	if got := truncateRunes("ab", 5); got != "ab" {
		t.Errorf("got %q", got)
	}
	long := strings.Repeat("é", 2000)
	out := render(t, FormatCycloneDX, testMeta("p"), []Component{{Dependency: dep(model.NPM, "x", long, "", 0)}})
	if problems := checkCycloneDX(out); len(problems) > 0 {
		t.Errorf("long version: %v", problems)
	}
}
