package npm

import (
	"strings"
	"testing"
)

func TestParseYarnLockClassic(t *testing.T) {
	// yarn classic does not record direct or dev dependencies.
	runFixture(t, ParseYarnLock, "yarn-classic.lock", []dw{
		{5, "@babel/code-frame", "7.12.13", "", false, false, hs(sriBabel, "sha1-3PyCa+72XnXFDiHTg319lXmN1lg=")},
		{12, "debug", "2.6.9", "", false, false, hs(sriDebug, "sha1-XRKFFd8TT/Mn6QpMk/Tgd6U2NB8=")},
		{19, "js-tokens", "4.0.0", "", false, false, hs("sha1-GSA/tZmR35jjoocFDUZHzerzJJk=")},
		{23, "left-pad", "1.3.0", "https://codeload.github.com/stevemao/left-pad/tar.gz/5ec1f6f4e7d8b5b6a2b4c1e5d3d5e0b3f2c4a1b2", false, false, nil},
		{27, "lodash", "4.17.21", "", false, false, hs(sriLodash, "sha1-Z5WRxWTDv/quhFTPCz3zcMPWkRw=")},
		{32, "local-utils", "0.1.0", "file:../local-utils", false, false, nil},
		{35, "loose-envify", "1.4.0", "", false, false, hs(sriLooseEnv, "sha1-ce5R+nvkyuwaY4OffmgtgTLTDK8=")},
		{42, "ms", "2.0.0", "", false, false, hs(sriMs200, "sha1-VgiurfwAvmwpAd9fmGF4jeDVl8g=")},
		{47, "react", "18.2.0", "", false, false, hs(sriReact, "sha1-VVvZhZKIMlX6AN4U8RUakXtdd9U=")},
		{54, "vendored", "1.0.0", "https://cdn.example.com/vendored-1.0.0.tgz#91a0e752f4061975ef65c58a243a3a835ab16ad6", false, false, hs("sha1-kaDnUvQGGXXvZcWKJDo6g1qxatY=")},
	})
}

func TestParseYarnLockBerry(t *testing.T) {
	ck := func(s string) []string { return hs("yarn-checksum:10c0/" + s) }
	runFixture(t, ParseYarnLock, "yarn-berry.lock", []dw{
		{8, "@babel/code-frame", "7.12.13", "", false, false, ck("d0f8e2d9d0f5c1a9d9e1b3c5a7f3c2d1e0b9a8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4")},
		{17, "js-tokens", "4.0.0", "", false, false, ck("e248708d377aa058eacf2037b07ded847790e6de892bbad3dac0abba2e759cb9f121b00099a65195616badcb6eca8d14d975cb3e89eb1cfda644756402c8aeed")},
		{24, "left-pad", "1.3.0", "https://github.com/stevemao/left-pad.git#commit=5ec1f6f4e7d8b5b6a2b4c1e5d3d5e0b3f2c4a1b2", true, false, ck("3b5d7e9f1a2c4e6f8a0b2c4d6e8f0a1b3c5d7e9f1a2c4e6f8a0b2c4d6e8f0a1b3c5d7e9f1a2c4e6f8a0b2c4d6e8f0a1b3c5d7e9f1a2c4e6f8a0b2c4d6e8f0a1b")},
		{31, "lodash", "4.17.21", "", true, false, ck("d8cbea072bb08655bb4c989da418994b073a608dffa608b09ac04b43a791b12aeae7cd7ad919aa4c925f33b48490b5cfe6c1f71d827956071dae2e7bb3a6b74c")},
		{38, "loose-envify", "1.4.0", "", false, false, ck("5c3b47bbe5f597a3889fb001a3a98aaea2a3fafa48089c19034de1e0121bf57dbee609d184478514d74ad5c5a8fd3fb5bef6c3e1e1e6ec1d2d6b3a8ccac5d9eb")},
		// "my-app@workspace:." (line 50) is the project itself.
		{61, "react", "18.2.0", "", true, false, ck("b562d9b569b0cb315e44b48099f7712283d93df36b19a39a67c254c6686479d3980b7f013dc931f4a5a3ae7645eae6386b4aa5eea933baa54ecd0f9acb0902b8")},
		{70, "shared", "", "portal:../shared::locator=my-app%40workspace%3A.", false, false, nil},
		{76, "typescript", "5.3.3", "", false, false, ck("e33cef99d82573624fc0f854a2980322714986bc35b9cb4d1ce736ed182aeab78e2cb32b385efa493b2a976ef52c53e20d6c6918312353a91850e2b76f1ea44f")},
		{86, "typescript", "5.3.3", "patch:typescript@npm%3A5.3.3#optional!builtin<compat/typescript>::version=5.3.3&hash=e012d7", true, false, ck("1d0a5f4ce496c42caa9a30e659c467c5686eae15d54b027ee7866744952547f1be1262f2d40de911618c242b510029d51d43ff605dba8fb740ec85ca2d3f9500")},
		{96, "ui", "", "workspace:packages/ui", true, false, nil},
	})
}

func TestParseYarnLockInline(t *testing.T) {
	runInlineCases(t, ParseYarnLock, "yarn.lock", []inlineCase{
		{"crlf", "# yarn lockfile v1\r\n\r\na@^1.0.0:\r\n  version \"1.0.0\"\r\n  resolved \"https://registry.yarn.example/a/-/a-1.0.0.tgz\"\r\n",
			[]dw{{3, "a", "1.0.0", "", false, false, nil}}, nil},
		{"bare and quoted values", "a@^1:\n  version 1.0.0\n  integrity \"sha512-AAAA\"\n",
			[]dw{{1, "a", "1.0.0", "", false, false, hs("sha512-AAAA")}}, nil},
		{"escapes in keys", "\"\\u0061@^1\":\n  version \"1.0.0\"\n",
			[]dw{{1, "a", "1.0.0", "", false, false, nil}}, nil},
		{"foreign registry url", "lodash@^4:\n  version \"4.17.21\"\n  resolved \"https://registry.yarn.example/evil/-/evil-4.17.21.tgz\"\n",
			[]dw{{1, "lodash", "4.17.21", "https://registry.yarn.example/evil/-/evil-4.17.21.tgz", false, false, nil}},
			[]string{`line 1: "lodash@4.17.21" resolves to "https://registry.yarn.example/evil/-/evil-4.17.21.tgz", which is not its registry tarball`}},
		{"mixed names", "a@^1, b@^1:\n  version \"1.0.0\"\n",
			[]dw{{1, "a", "1.0.0", "", false, false, nil}}, []string{`line 1: entry mixes patterns for "a" and "b"`}},
		{"bad lines", "a@1:\n  version \"1.0.0\"\nnot a header\n  version \"2.0.0\"\nb@1:\n   version \"3.0.0\"\n  version \"3.0.0\"\n\"c:\n",
			[]dw{{1, "a", "1.0.0", "", false, false, nil}, {5, "b", "3.0.0", "", false, false, nil}},
			[]string{`line 3: expected an entry header ending in ":"`, "line 6: odd indentation of 3 spaces", `line 8: unreadable entry header`}},
		{"no version", "a@1:\n  resolved \"x\"\n", nil, []string{`line 1: "a" has no version; skipped`}},
		{"invalid name", "\"../x@1\":\n  version \"1.0.0\"\n", nil, []string{`line 1: entry: "../x" is not a valid npm package name`}},
		{"berry alias and npm default", "__metadata:\n  version: 4\n\n\"a@npm:b@^1\":\n  version: 1.0.0\n  resolution: \"b@npm:1.0.0\"\n\nc@^2:\n  version: 2.0.0\n  resolution: \"c@2.0.0\"\n",
			[]dw{{4, "b", "1.0.0", "", false, false, nil}, {8, "c", "2.0.0", "", false, false, nil}}, nil},
		{"berry mismatched version", "__metadata:\n  version: 8\n\"a@npm:^1\":\n  version: 9.9.9\n  resolution: \"a@npm:1.0.0\"\n",
			[]dw{{3, "a", "1.0.0", "", false, false, nil}}, []string{`line 3: "a@1.0.0" has version "9.9.9", which disagrees with its resolution`}},
		{"berry without resolution", "__metadata:\n  version: 8\n\"a@npm:^1\":\n  version: 1.0.0\n",
			[]dw{{3, "a", "1.0.0", "", false, false, nil}}, []string{`line 3: entry "a@npm:^1" has no resolution; read from its key`}},
		{"berry bad entries", "__metadata:\n  version: x\n\"a@npm:^1\": 7\n\"b@npm:^1\":\n  resolution: \"nope\"\n? [x]\n: 1\n",
			nil, []string{`line 2: __metadata version "x" is not a positive integer`, `line 3: entry "a@npm:^1" is a scalar, not a mapping`,
				`line 4: resolution "nope" is not name@reference`, `line 6: entry key is a sequence, not a string`}},
		{"berry resolution names another package", "__metadata:\n  version: 8\n\"lodash@npm:^4\":\n  version: 1.0.0\n  resolution: \"evil@npm:1.0.0\"\n",
			[]dw{{3, "evil", "1.0.0", "", false, false, nil}}, []string{`line 3: entry "lodash@npm:^4" resolves to another package, "evil"`}},
		{"berry merge key", "__metadata:\n  version: 8\nbase: &b\n  resolution: \"a@npm:1.0.0\"\n\"a@npm:^1\":\n  <<: *b\n  version: 1.0.0\n",
			// "base" is read as an entry too; "a@npm:^1" (line 5) gets its
			// resolution from the merge and is the same package.
			[]dw{{3, "a", "1.0.0", "", false, false, nil}},
			[]string{`line 3: entry "base" resolves to another package, "a"`, `line 6: YAML merge key "<<"`}},
	})
}

func TestParseYarnLockErrors(t *testing.T) {
	runErrorCases(t, ParseYarnLock, []errorCase{
		{"json", `{"a": 1}`, "no entries"},
		{"berry syntax", "__metadata:\n  version: 8\n\"a\": [\n", "invalid YAML"},
		{"berry deep", "__metadata:\n  x: " + strings.Repeat("[", 20000), "invalid YAML"},
	})
	if err := parseBerryLock(newLockResult("y"), []byte("- __metadata\n")); err == nil || !strings.Contains(err.Error(), "not a YAML mapping") {
		t.Errorf("sequence: err = %v", err)
	}
	if err := parseBerryLock(newLockResult("y"), []byte("# nothing\n")); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("no document: err = %v", err)
	}
	// Only comments and blank lines: an empty lockfile, not an error.
	deps, diags, err := ParseYarnLock("y", []byte("# yarn lockfile v1\n\n"))
	if err != nil || deps != nil || diags != nil {
		t.Errorf("empty lockfile: %v %v %v", deps, diags, err)
	}
}
