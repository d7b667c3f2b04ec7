package npm

import (
	"strings"
	"testing"
)

func TestParsePackageLockV1(t *testing.T) {
	runFixture(t, ParsePackageLock, "package-lock-v1.json", []dw{
		{7, "@babel/code-frame", "7.12.13", "", false, true, hs(sriBabel)},
		{16, "debug", "2.6.9", "", false, false, hs(sriDebug)},
		{24, "ms", "2.0.0", "", false, false, hs(sha1Ms200)}, // nested under debug
		{31, "express", "4.18.2", "", false, false, hs(sriExpress)},
		{40, "ms", "2.1.3", "", false, false, hs(sriMs213)}, // nested, and again at line 54
		{47, "left-pad", "", "git+https://github.com/stevemao/left-pad.git#5ec1f6f4e7d8b5b6a2b4c1e5d3d5e0b3f2c4a1b2", false, false, nil},
		{51, "local-utils", "", "file:../local-utils", false, false, nil},
		{59, "lodash", "4.17.21", "", false, false, hs(sriLodash)}, // alias my-lodash
		{64, "node-pre-gyp", "0.17.0", "", false, false, hs(sriPreGyp)},
		{73, "nopt", "4.0.3", "", false, false, nil}, // bundled
	})
}

func TestParsePackageLockV2(t *testing.T) {
	// "packages" wins over the legacy "dependencies" (legacy-only is not
	// listed); the workspace folder packages/ui is not a dependency, its
	// link node_modules/ui is; react is a direct dependency of the
	// workspace.
	runFixture(t, ParsePackageLock, "package-lock-v2.json", []dw{
		{23, "@types/node", "20.11.5", "", true, false, hs(sriTypesNode)},
		{28, "debug", "2.6.9", "", false, false, hs(sriDebug)},
		{36, "ms", "2.0.0", "", false, false, hs(sriMs200)},
		{41, "express", "4.18.2", "", true, false, hs(sriExpress)},
		{53, "lodash", "4.17.21", "", true, false, hs(sriLodash)},
		{59, "ms", "2.1.3", "", false, false, hs(sriMs213)},
		{64, "typescript", "5.3.3", "", true, true, hs(sriTypeScript)},
		{77, "ui", "0.3.1", "link:packages/ui", true, false, nil},
		{88, "react", "18.2.0", "", true, false, hs(sriReact)},
		{96, "loose-envify", "1.4.0", "", false, false, hs(sriLooseEnv)},
	})
}

func TestParsePackageLockV3(t *testing.T) {
	runFixture(t, ParsePackageLock, "package-lock-v3.json", []dw{
		{32, "@acme/logger", "2.1.4", "https://npm.acme.internal/@acme/logger/-/logger-2.1.4.tgz", true, false, hs(sriTar)},
		{40, "@types/node", "20.11.5", "", false, false, hs(sriTypesNode)},
		{45, "esbuild", "0.19.12", "", true, true, hs(sriEsbuild)},
		{55, "fsevents", "2.3.3", "", true, false, hs(sriFsevents)},
		{65, "left-pad", "1.3.0", "git+ssh://git@github.com/stevemao/left-pad.git#5ec1f6f4e7d8b5b6a2b4c1e5d3d5e0b3f2c4a1b2", true, false, nil},
		{70, "ms", "2.1.3", "", false, false, hs(sriMs213)}, // devOptional is not dev
		{76, "node-pre-gyp", "0.17.0", "", true, false, hs(sriPreGyp)},
		{87, "nopt", "4.0.3", "", false, false, nil}, // inBundle
		{92, "shared-lib", "3.2.1", "link:../shared-lib", true, false, nil},
		{96, "vendored", "1.0.0", "https://cdn.example.com/vendored-1.0.0.tgz", true, false, hs(sriNopt)},
	})
}

func TestParsePackageLockBadEntries(t *testing.T) {
	runFixture(t, ParsePackageLock, "package-lock-bad.json", []dw{
		{14, "lodash", "4.17.21", "https://registry.npm.example/evil-lodash/-/evil-lodash-4.17.21.tgz", false, false, hs(sriLodash)},
		{19, "weird-version", "1.0", "", false, false, nil},
		{27, "ms", "2.1.3", "", false, false, hs(sriMs213, "sha512-AAAACfwMJciLloOwk1dR7uiNbEGq+2NV3Dxrg760V/KNK+Uq4w5U2vcmL31cswWNU1Fht3QgPY4jDq3ysrp7FQ==")},
		{35, "private", "1.0.0", "https://user:xxxxx@registry.example.com/private/-/private-1.0.0.tgz", false, false, nil},
	},
		`line 4: "dependencies" of "" is a string, not an object`,
		`line 7: entry "node_modules/not-an-object" is a string, not an object; skipped`,
		`line 8: "no-version" has no version; skipped`,
		`line 11: install path "node_modules/../../etc/passwd": "../../etc/passwd" is not a valid npm package name`,
		`line 14: "lodash@4.17.21" resolves to "https://registry.npm.example/evil-lodash/-/evil-lodash-4.17.21.tgz", which is not its registry tarball`,
		`line 19: "weird-version" has version "1.0", which is not valid semver`,
		`line 19: "weird-version@1.0" has an integrity field "md5 not-a-hash"`,
		`line 23: "version" of "node_modules/typed" is a number, not a string`,
		`line 23: "resolved" of "node_modules/typed" is an array, not a string`,
		`line 23: "typed" has no version; skipped`,
		`line 31: package "node_modules/ms" is listed twice (also at line 27)`,
		`line 31: "ms@2.1.3" has two different sha512 hashes`,
	)
}

func TestParsePackageLockInline(t *testing.T) {
	runInlineCases(t, ParsePackageLock, "package-lock.json", []inlineCase{
		{"crlf and bom", "\xef\xbb\xbf{\r\n\"lockfileVersion\": 3,\r\n\"packages\": {\r\n\"\": {},\r\n\"node_modules/a\": {\"version\": \"v1.0.0\"}}}",
			[]dw{{5, "a", "1.0.0", "", false, false, nil}}, nil},
		{"minified on one line", `{"packages":{"node_modules/a":{"version":"1.0.0"},"node_modules/b":{"version":"2.0.0"}}}`,
			[]dw{{1, "a", "1.0.0", "", false, false, nil}, {1, "b", "2.0.0", "", false, false, nil}}, nil},
		{"escaped keys", "{\"packages\":{\n\"node_modules/\\u0061\":{\"version\":\"1.0.0\"}}}",
			[]dw{{2, "a", "1.0.0", "", false, false, nil}}, nil},
		{"case of field names matters", `{"packages":{"node_modules/a":{"version":"1.0.0","VERSION":"6.6.6","Name":"evil"}}}`,
			[]dw{{1, "a", "1.0.0", "", false, false, nil}}, nil},
		{"dependencies before packages", "{\"dependencies\":{\"old\":{\"version\":\"1.0.0\"}},\n\"packages\":{\"node_modules/new\":{\"version\":\"2.0.0\"}}}",
			[]dw{{2, "new", "2.0.0", "", false, false, nil}}, nil},
		{"v2 without packages", "{\"lockfileVersion\":2,\n\"dependencies\":{\"a\":{\"version\":\"1.0.0\"}}}",
			[]dw{{2, "a", "1.0.0", "", false, false, nil}}, []string{`lockfileVersion 2 has no "packages" object`}},
		{"future version", `{"lockfileVersion":4,"packages":{}}`, nil, []string{"lockfileVersion 4 is newer"}},
		{"bad version number", `{"lockfileVersion":"3","packages":{}}`, nil, []string{`lockfileVersion "3" is not a positive integer`}},
		{"trailing data", "{}\n{}", nil, []string{"line 2: data after the top-level JSON object ignored"}},
		{"nested dependency resolution", `{"packages":{"":{"dependencies":{"b":"1"}},"node_modules/a/node_modules/b":{"version":"1.0.0"},"node_modules/b":{"version":"2.0.0"}}}`,
			[]dw{{1, "b", "1.0.0", "", false, false, nil}, {1, "b", "2.0.0", "", true, false, nil}}, nil},
		{"alias with bad name", `{"packages":{"node_modules/a":{"name":"../x","version":"1.0.0"}}}`, nil,
			[]string{`alias "a": "../x" is not a valid npm package name`}},
		{"v1 alias without version", `{"dependencies":{"a":{"version":"npm:b"}}}`, nil, []string{`alias "a" has version "npm:b" without a package version`}},
		{"link without target", `{"packages":{"node_modules/a":{"link":true}}}`,
			[]dw{{1, "a", "", "link:", false, false, nil}}, []string{`link "node_modules/a" has no resolved target`}},
		{"http registry is a source", `{"packages":{"node_modules/a":{"version":"1.0.0","resolved":"http://registry.npm.example/a/-/a-1.0.0.tgz"}}}`,
			[]dw{{1, "a", "1.0.0", "http://registry.npm.example/a/-/a-1.0.0.tgz", false, false, nil}}, nil},
		{"token in git url", `{"packages":{"node_modules/a":{"version":"1.0.0","resolved":"git+https://ghp_secret@github.com/a/a.git#abc"}}}`,
			[]dw{{1, "a", "1.0.0", "git+https://xxxxx@github.com/a/a.git#abc", false, false, nil}}, nil},
		{"non-object entry in v1", `{"dependencies":{"a":[],"b":{"version":"1.0.0","dependencies":7}}}`,
			[]dw{{1, "b", "1.0.0", "", false, false, nil}}, []string{`entry "a" is an array, not an object`, `"dependencies" is a number, not an object`}},
	})
}

func TestParsePackageLockV1Nesting(t *testing.T) {
	// 69 levels of "a" nested in "a"; only the innermost has a version.
	deep := strings.Repeat(`{"dependencies":{"a":`, maxLockNesting+5) + `{"version":"1.0.0"}` + strings.Repeat("}}", maxLockNesting+5)
	deps, diags, err := ParsePackageLock("p", []byte(deep))
	if err != nil {
		t.Fatal(err)
	}
	checkDeps(t, "p", deps, nil)
	checkDiags(t, "p", diags, append([]string{`line 1: dependencies of "a" are nested more than 64 levels deep; not read`},
		repeatStrings(`"a" has no version`, maxLockNesting)...)...)
}

func repeatStrings(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

func TestParsePackageLockErrors(t *testing.T) {
	runErrorCases(t, ParsePackageLock, []errorCase{
		{"empty", "", "empty"},
		{"blank", " \n ", "empty"},
		{"array", "[]", "is an array, not a JSON object"},
		{"string", `"x"`, "is a string, not a JSON object"},
		{"syntax", "{\n\"packages\": {\n\"node_modules/a\": {\"version\": 1.0.0}}}", "invalid JSON at line 3"},
		{"truncated", "{\n\"packages\": {\n\"node_modules/a\": {", "unexpected end of input"},
		{"deep", `{"packages":{"a":` + strings.Repeat("[", 20000), "invalid JSON"},
	})
}
