package npm

import (
	"strconv"
	"strings"
	"testing"
)

const (
	sriTypesReact = "sha512-qboRCl6Ie70DQQG9hhNREz81jqC1cs9EVNcjQ1AU+jH6NFfSAhVVbrrY/+nSF+Bsk4AOwm9Qa61InvMCyV+H3w=="
	sriCsstype    = "sha512-M1uQkMl8rQK/szD0LNhtqxIPLpimGm8sOBwU7lLnCpSbTyY3yeU1Vc7l4KT5zT4s/yOxHH5O7tIuuLOCnLADRw=="
	sriReactDOM   = "sha512-6IMTriUmvsjHUjNtEDudZfuDQUoWXVxKHhlEGSk81n4YFS+r/Kl99wXiwlVXtPBtJenozv2P+hxDsw9eA7Xo6g=="
	sriScheduler  = "sha512-CtuThmgHNg7zIZWAXi3AsyIzA3n4xx7aNyjwC2VJldO2LMVDhFK+63xGqq6CsJH4rTAt6/M+N4GhZiDYPx9eUw=="
	sriEsbuildX64 = "sha512-Rfw1v2/RkYVwCPGlrlMc1e0JEZrG2iNmSnCHmZSANzH9WUZL2kVMGXuUCkm0D4nWdfUY7X2C8zRaFahtbhdvBg=="
	sriLeftPad    = "sha512-XI5MPzVNApjAyhQzphX8BkmKsKUxD4LdyK24iZeQEhNGf/BOGm0c3xnxXe8ABzdFdbngSi2mPxk5gz1kXeBOvQ=="
)

func TestParsePnpmLockV5(t *testing.T) {
	runFixture(t, ParsePnpmLock, "pnpm-lock-v5.yaml", []dw{
		{12, "local-utils", "", "link:../local-utils", true, false, nil},
		{23, "@types/react", "18.2.48", "", true, true, hs(sriTypesReact)},
		{29, "csstype", "3.1.3", "", false, true, hs(sriCsstype)},
		{33, "js-tokens", "4.0.0", "", false, false, hs(sriJSTokens)},
		{37, "lodash", "4.17.21", "", true, false, hs(sriLodash)}, // alias lodash-es: /lodash/4.17.21
		{41, "loose-envify", "1.4.0", "", false, false, hs(sriLooseEnv)},
		{48, "react-dom", "18.2.0", "", true, false, hs(sriReactDOM)}, // key suffix _react@18.2.0
		{58, "react", "18.2.0", "", true, false, hs(sriReact)},
		{65, "scheduler", "0.23.0", "", false, false, hs(sriScheduler)},
		{71, "typescript", "5.3.3", "", true, true, hs(sriTypeScript)},
		{77, "left-pad", "1.3.0", "https://codeload.github.com/stevemao/left-pad/tar.gz/5ec1f6f4e7d8b5b6a2b4c1e5d3d5e0b3f2c4a1b2", false, false, nil},
	})
}

func TestParsePnpmLockV6(t *testing.T) {
	runFixture(t, ParsePnpmLock, "pnpm-lock-v6.yaml", []dw{
		{22, "@acme/logger", "2.1.4", "https://npm.acme.internal/@acme/logger/-/logger-2.1.4.tgz", true, false, hs(sriTar)},
		{28, "@esbuild/linux-x64", "0.19.12", "", false, true, hs(sriEsbuildX64)},
		{37, "esbuild", "0.19.12", "", true, true, hs(sriEsbuild)},
		{46, "js-tokens", "4.0.0", "", false, false, hs(sriJSTokens)},
		{50, "loose-envify", "1.4.0", "", false, false, hs(sriLooseEnv)},
		{57, "react-dom", "18.2.0", "", true, false, hs(sriReactDOM)}, // key suffix (react@18.2.0)
		{66, "react", "18.2.0", "", false, false, hs(sriReact)},
	})
}

func TestParsePnpmLockV9(t *testing.T) {
	// Dev comes from the snapshots graph: csstype is reached from
	// devDependencies only (packages/ui and @types/react), loose-envify
	// and js-tokens from react, a dependency.
	runFixture(t, ParsePnpmLock, "pnpm-lock-v9.yaml", []dw{
		{16, "@acme/ui", "", "link:packages/ui", true, false, nil},
		{51, "@types/react", "18.2.48", "", true, true, hs(sriTypesReact)},
		{54, "csstype", "3.1.3", "", true, true, hs(sriCsstype)},
		{57, "js-tokens", "4.0.0", "", false, false, hs(sriJSTokens)},
		{60, "left-pad", "1.3.0", "patch:patches/left-pad@1.3.0.patch", true, false, hs(sriLeftPad)},
		{63, "lodash", "4.17.21", "", true, false, hs(sriLodash)},
		{66, "loose-envify", "1.4.0", "", false, false, hs(sriLooseEnv)},
		{70, "react-dom", "18.2.0", "", true, false, hs(sriReactDOM)},
		{75, "react", "18.2.0", "", true, false, hs(sriReact)},
		{79, "typescript", "5.3.3", "", true, true, hs(sriTypeScript)},
		{84, "vendored", "1.0.0", "https://cdn.example.com/vendored-1.0.0.tgz", true, false, nil},
	})
}

func TestParsePnpmLockInline(t *testing.T) {
	runInlineCases(t, ParsePnpmLock, "pnpm-lock.yaml", []inlineCase{
		{"v5 scoped peer suffix", "lockfileVersion: 5.3\npackages:\n  /@a/b/1.0.0_@types+react@18.0.0:\n    resolution: {integrity: sha512-AA==}\n  /@a/b/1.0.0_react@17.0.0:\n    resolution: {integrity: sha512-AA==}\n",
			[]dw{{3, "@a/b", "1.0.0", "", false, false, hs("sha512-AA==")}}, nil},
		{"v6 dev variants merge to prod", "lockfileVersion: '6.0'\npackages:\n  /a@1.0.0(b@1.0.0):\n    resolution: {integrity: sha512-AA==}\n    dev: true\n  /a@1.0.0(b@2.0.0):\n    resolution: {integrity: sha512-AA==}\n    dev: false\n",
			[]dw{{3, "a", "1.0.0", "", false, false, hs("sha512-AA==")}}, nil},
		{"v9 git and directory", "lockfileVersion: '9.0'\npackages:\n  a@https://codeload.github.com/u/a/tar.gz/abc:\n    resolution: {tarball: https://codeload.github.com/u/a/tar.gz/abc}\n    version: 1.0.0\n  b@git+https://github.com/u/b.git#abc:\n    resolution: {commit: abc, repo: https://github.com/u/b.git, type: git}\n    version: 2.0.0\n  c@file:../c:\n    resolution: {directory: ../c, type: directory}\n    version: 3.0.0\n",
			[]dw{{3, "a", "1.0.0", "https://codeload.github.com/u/a/tar.gz/abc", false, false, nil},
				{6, "b", "2.0.0", "git+https://github.com/u/b.git#abc", false, false, nil},
				{9, "c", "3.0.0", "file:../c", false, false, nil}}, nil},
		{"foreign registry tarball", "lockfileVersion: '9.0'\npackages:\n  a@1.0.0:\n    resolution: {integrity: sha512-AA==, tarball: https://registry.npm.example/b/-/b-1.0.0.tgz}\n",
			[]dw{{3, "a", "1.0.0", "https://registry.npm.example/b/-/b-1.0.0.tgz", false, false, hs("sha512-AA==")}},
			[]string{`line 3: "a@1.0.0" resolves to "https://registry.npm.example/b/-/b-1.0.0.tgz", which is not its registry tarball`}},
		{"unknown version guessed per key", "packages:\n  /a/1.0.0:\n    resolution: {integrity: sha512-AA==}\n  b@2.0.0(c@1.0.0):\n    resolution: {integrity: sha512-AA==}\n",
			[]dw{{2, "a", "1.0.0", "", false, false, hs("sha512-AA==")}, {4, "b", "2.0.0", "", false, false, hs("sha512-AA==")}},
			[]string{"line 1: no lockfileVersion"}},
		{"bad entries", "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      gone: {specifier: ^1, version: 1.0.0}\n      nover: {specifier: ^1}\n  x: 5\npackages:\n  a@1.0.0: 7\n  ../x@1.0.0:\n    resolution: {}\n  b@1.0.0:\n    resolution: 5\n  github.com/u/r/abc:\n    resolution: {tarball: x}\n  c@latest: {resolution: {}}\n",
			[]dw{{12, "b", "1.0.0", "", false, false, nil}, {16, "c", "latest", "", false, false, nil}},
			[]string{`line 5: direct dependency "gone" at "1.0.0" is not among the packages`, `line 6: importer dependency "nover" has no version`,
				`line 7: importer "x" is a scalar, not a mapping`, `line 9: package "a@1.0.0" is a scalar, not a mapping`,
				`line 10: package: "../x" is not a valid npm package name`, `line 12: resolution of "b@1.0.0" is a scalar, not a mapping`,
				`line 14: cannot tell the package name of "github.com/u/r/abc"`, `line 16: "c" has version "latest", which is not valid semver`}},
		{"newer version", "lockfileVersion: '10.0'\n", nil, []string{`line 1: lockfileVersion "10.0" is newer than this parser knows`}},
		{"two documents", "---\nlockfileVersion: '9.0'\nimporters:\n  .:\n    configDependencies: {}\npackages:\n  pnpm@10.0.0:\n    resolution: {integrity: sha512-AA==}\n---\nlockfileVersion: '9.0'\npackages:\n  a@1.0.0:\n    resolution: {integrity: sha512-AA==}\n",
			[]dw{{7, "pnpm", "10.0.0", "", false, false, hs("sha512-AA==")}, {12, "a", "1.0.0", "", false, false, hs("sha512-AA==")}}, nil},
		{"merge key in packages", "lockfileVersion: '9.0'\nhidden: &h\n  a@1.0.0: {resolution: {integrity: sha512-AA==}}\npackages:\n  <<: *h\n",
			[]dw{{3, "a", "1.0.0", "", false, false, hs("sha512-AA==")}}, []string{`line 5: YAML merge key "<<"`}},
	})
}

func TestParsePnpmLockErrors(t *testing.T) {
	runErrorCases(t, ParsePnpmLock, []errorCase{
		{"empty", "", "no YAML mapping"},
		{"sequence", "- a\n", "no YAML mapping"},
		{"syntax", "packages:\n  a: [\n", "invalid YAML"},
		{"deep", "packages: " + strings.Repeat("{a: ", 20000), "invalid YAML"},
	})
}

// Aliases that multiply work are refused instead of taking quadratic time.
func TestParsePnpmLockAliasBudget(t *testing.T) {
	var b strings.Builder
	b.WriteString("lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      a: {version: 1.0.0}\nsnapshots:\n")
	for i := 0; i < 20000; i++ {
		b.WriteString("  a@1.0.0(p" + strings.Repeat("x", i%7) + strconv.Itoa(i) + "): {dependencies: {a: 1.0.0}}\n")
	}
	_, _, err := ParsePnpmLock("p", []byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), "too much work") {
		t.Fatalf("err = %v", err)
	}
}
