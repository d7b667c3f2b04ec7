package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/airlock-sec/airlock/internal/model"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from current output")

// testBase stands for the working directory in SARIF output.
var testBase = filepath.FromSlash("/home/dev/project")

// longLine is evidence longer than any cap.
var longLine = "var _0x4f2a=['" + strings.Repeat("\\x68\\x74\\x74\\x70", 40) + "'];"

// fixture is a report exercising every part of the renderers.
func fixture() *model.Report {
	r := &model.Report{
		SchemaVersion: model.SchemaVersion,
		Tool:          model.Tool{Name: "airlock", Version: "0.1.0-test"},
		Packages: []model.Result{
			{
				Package: model.Package{Ecosystem: model.PyPI, Name: "requests", Version: "2.32.3",
					Path: "dist/requests-2.32.3-py3-none-any.whl", Kind: "wheel",
					Digest: "sha256:" + strings.Repeat("ab", 32)},
				Verdict: model.Allow,
			},
			{
				Package: model.Package{Ecosystem: model.PyPI, Name: "litellm", Version: "1.82.8",
					Path: "dist/litellm-1.82.8-py3-none-any.whl", Kind: "wheel",
					Digest: "sha256:" + strings.Repeat("cd", 32)},
				Verdict: model.Block,
				Score:   180,
				Findings: []model.Finding{
					{
						Rule: "static/credential-read", Severity: model.High,
						Path: "litellm/proxy/proxy_server.py", Line: 42,
						Message:      "reads cloud credentials from \"~/.aws/credentials\"",
						Evidence:     longLine,
						Context:      model.Import,
						Capabilities: []model.Capability{model.CapCredentials},
					},
					{
						Rule: "static/pth-exec", Severity: model.Critical,
						Path: "litellm_init.pth", Line: 1, Layers: []string{"base64", "base64"},
						Message:      ".pth file runs code at interpreter startup",
						Evidence:     "\x1b]0;pwned\x07\x1b[2Jimport subprocess; subprocess.Popen([sys.executable, \"-c\", payload])\x1b[0m",
						Context:      model.Startup,
						Capabilities: []model.Capability{model.CapExec, model.CapDecode, model.CapHook},
					},
					{
						Rule: "advisory/known-malicious", Severity: model.Critical,
						Path:    "",
						Message: "version listed as malicious in \"MAL-2026-0001\"",
					},
				},
				Explanation: []string{
					"startup hook that executes decoded code (+100)",
					"credential access together with network exfiltration (+80)",
				},
			},
			{
				Package: model.Package{Ecosystem: model.NPM, Name: "left-pad-ng", Version: "0.0.3",
					Path: filepath.Join(testBase, "node_modules", "left-pad-ng"), Kind: "directory"},
				Verdict: model.Warn,
				Score:   45,
				Findings: []model.Finding{
					{
						Rule: "static/obfuscation", Severity: model.Low,
						Path: "index.js", Line: 3, Layers: []string{"hex"},
						Message:      "string array obfuscation",
						Evidence:     "var a=['\\x65\\x76\\x61\\x6c']",
						Capabilities: []model.Capability{model.CapObfuscation},
					},
					{
						Rule: "static/install-script", Severity: model.Medium,
						Path: "package.json", Line: 7,
						Message:      "install script \"postinstall\" runs \"node setup.js\"",
						Evidence:     "\"postinstall\": \"node setup.js\"",
						Context:      model.Install,
						Capabilities: []model.Capability{model.CapHook, model.CapProcess},
					},
				},
				Explanation: []string{"install hook with obfuscated code (+45)"},
			},
			{
				Package: model.Package{Ecosystem: model.PyPI, Name: "six", Version: "1.16.0",
					Path: "venv/lib/python3.12/site-packages/six-1.16.0.dist-info", Kind: "installed"},
				Verdict: model.Allow,
			},
			{
				Package: model.Package{Ecosystem: model.NPM, Name: "@scope/util", Version: "2.0.0",
					Path: "vendor/scope-util-2.0.0.tgz", Kind: "npm-tarball"},
				Verdict: model.Allow,
				Score:   5,
				Findings: []model.Finding{
					{Rule: "static/binary", Severity: model.Info, Path: "bin/helper.node",
						Message: "ships a native binary \"bin/helper.node\""},
				},
			},
			{
				Package: model.Package{Ecosystem: model.PyPI, Name: "internal-tool", Version: "0.1.0",
					Path: "dist/internal_tool-0.1.0.tar.gz", Kind: "sdist"},
				Verdict: model.Allow,
				Score:   30,
				Findings: []model.Finding{
					{Rule: "static/install-script", Severity: model.Low, Path: "internal_tool-0.1.0/setup.py", Line: 12,
						Message: "setup.py runs \"git describe\"", Evidence: "subprocess.check_output(['git', 'describe'])"},
				},
				Allowed:    "allow-list entry \"internal-tool\" (expires 2027-01-01)",
				Suppressed: 2,
			},
			{
				Package: model.Package{Ecosystem: model.PyPI, Name: "evil\x1b[2Jname", Version: "1.0",
					Path: "dist/evil.whl", Kind: "wheel"},
				Verdict: model.Allow,
			},
		},
		Diagnostics: []model.Diagnostic{
			{Target: "dist/broken-1.0.whl", Path: "broken-1.0.dist-info/METADATA", Message: "metadata is not valid utf-8; skipped"},
			{Message: "lockfile \"poetry.lock\" names 3 packages not found on disk"},
		},
	}
	r.Summarize()
	return r
}

func testRules() []RuleInfo {
	return []RuleInfo{
		{ID: "static/pth-exec", Title: "Executable .pth file", Severity: model.Critical,
			Description: "A .pth file in site-packages contains an import line, which Python runs at every interpreter start."},
		{ID: "static/credential-read", Title: "Reads credentials", Severity: model.High,
			Description: "Code reads credential files or secret environment variables."},
		{ID: "static/install-script", Title: "Install-time script", Severity: model.Medium,
			Description: "The package runs code when it is installed."},
		{ID: "static/obfuscation", Title: "Obfuscated code", Severity: model.Low,
			Description: "Code is written to resist reading."},
		{ID: "static/binary", Title: "Native binary", Severity: model.Info},
		{ID: "workflow/unpinned-action", Title: "Unpinned action", Severity: model.Medium,
			Description: "A workflow uses an action by tag, not by commit."},
		{ID: "static/pth-exec", Title: "duplicate entry, ignored"},
	}
}

func render(t *testing.T, r *model.Report, format string, opts Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, r, format, opts); err != nil {
		t.Fatalf("Write(%s): %v", format, err)
	}
	return buf.Bytes()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden file (run go test ./internal/report -update after checking the change)\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}

func TestGolden(t *testing.T) {
	empty := &model.Report{}
	tests := []struct {
		name   string
		r      *model.Report
		format string
		opts   Options
	}{
		{"report.json", fixture(), "json", Options{}},
		{"report.text", fixture(), "text", Options{}},
		{"report.color.text", fixture(), "text", Options{Color: true}},
		{"report.verbose.text", fixture(), "text", Options{Verbose: true, MaxEvidence: 40}},
		{"report.sarif", fixture(), "sarif", Options{Rules: testRules(), BaseDir: testBase}},
		{"empty.json", empty, "json", Options{}},
		{"empty.text", empty, "text", Options{}},
		{"empty.sarif", empty, "sarif", Options{BaseDir: testBase}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			golden(t, tc.name, render(t, tc.r, tc.format, tc.opts))
		})
	}
}

func TestFormats(t *testing.T) {
	if got, want := Formats(), []string{"text", "json", "sarif"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Formats() = %v, want %v", got, want)
	}
	for _, f := range Formats() {
		if _, err := ParseFormat(strings.ToUpper(f)); err != nil {
			t.Errorf("ParseFormat(%q): %v", f, err)
		}
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	var buf bytes.Buffer
	err := Write(&buf, fixture(), "xml", Options{})
	if err == nil {
		t.Fatal("Write with format xml: no error")
	}
	for _, want := range []string{`"xml"`, "text, json, sarif"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
	if buf.Len() != 0 {
		t.Errorf("wrote %d bytes on error", buf.Len())
	}
	if err := Write(&buf, nil, "json", Options{}); err == nil {
		t.Error("Write(nil report): no error")
	}
}

func TestWriteDoesNotModifyReport(t *testing.T) {
	r := fixture()
	r.Packages[0].Findings = nil
	r.Summary = model.Summary{}
	want := fixture()
	want.Packages[0].Findings = nil
	want.Summary = model.Summary{}
	for _, f := range Formats() {
		render(t, r, f, Options{Rules: testRules(), BaseDir: testBase})
	}
	if !reflect.DeepEqual(r, want) {
		t.Error("Write modified the report it was given")
	}
}

func TestJSONArraysNeverNull(t *testing.T) {
	r := &model.Report{Packages: []model.Result{{Package: model.Package{Name: "x"}, Verdict: model.Allow}}}
	out := string(render(t, r, "json", Options{}))
	for _, want := range []string{`"findings": []`, `"diagnostics": []`, `"schema_version": "1"`, `"name": "airlock"`} {
		if !strings.Contains(out, want) {
			t.Errorf("json output lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "null") {
		t.Errorf("json output has null:\n%s", out)
	}
	out = string(render(t, &model.Report{}, "json", Options{}))
	if !strings.Contains(out, `"packages": []`) {
		t.Errorf("empty report: packages not []:\n%s", out)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	orig := fixture()
	first := render(t, orig, "json", Options{})
	back, err := ReadJSON(bytes.NewReader(first))
	if err != nil {
		t.Fatalf("ReadJSON: %v", err)
	}
	if want := normalize(orig); !reflect.DeepEqual(back, want) {
		t.Errorf("ReadJSON(Write(r)) != r\ngot  %+v\nwant %+v", back, want)
	}
	if second := render(t, back, "json", Options{}); !bytes.Equal(first, second) {
		t.Errorf("json not stable through ReadJSON:\n%s\n---\n%s", first, second)
	}
	// Every other format renders the same from the saved JSON.
	for _, f := range []string{"text", "sarif"} {
		opts := Options{Rules: testRules(), BaseDir: testBase, Color: true}
		if a, b := render(t, orig, f, opts), render(t, back, f, opts); !bytes.Equal(a, b) {
			t.Errorf("%s from saved json differs from %s from the report", f, f)
		}
	}
}

func TestReadJSONErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "empty"},
		{"null", "null", "schema_version"},
		{"array", "[]", "cannot unmarshal"},
		{"truncated", `{"schema_version": "1", "packages": [`, "truncated"},
		{"trailing", `{"schema_version": "1"} {}`, "after the report"},
		{"newer schema", `{"schema_version": "2"}`, `unsupported schema_version "2"`},
		{"bad verdict", `{"schema_version": "1", "packages": [{"name": "x", "verdict": "maybe"}]}`, `unknown verdict "maybe"`},
		{"bad severity", `{"schema_version": "1", "packages": [{"name": "x", "verdict": "allow", "findings": [{"severity": "dire"}]}]}`, `unknown severity "dire"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadJSON(strings.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ReadJSON(%q) error = %v, want one containing %q", tc.in, err, tc.want)
			}
		})
	}
}

func TestReadJSONAcceptsMinimal(t *testing.T) {
	r, err := ReadJSON(strings.NewReader(`{"schema_version":"1","packages":[{"name":"x","verdict":"BLOCK","findings":null}],"future_field":1}` + "\n\n"))
	if err != nil {
		t.Fatalf("ReadJSON: %v", err)
	}
	if r.Packages[0].Verdict != model.Block || r.Packages[0].Findings == nil || r.Diagnostics == nil || r.Summary.Block != 1 {
		t.Errorf("not normalized: %+v", r)
	}
}

func TestReadJSONLimit(t *testing.T) {
	doc := `{"schema_version": "1"}`
	if _, err := readJSON(strings.NewReader(doc), int64(len(doc))); err != nil {
		t.Errorf("input of exactly the limit: %v", err)
	}
	_, err := readJSON(strings.NewReader(doc+"   "), int64(len(doc)))
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("input over the limit: error = %v", err)
	}
	_, err = readJSON(strings.NewReader(`{"schema_version": "1", "packages": [`+strings.Repeat(" ", 100)), 20)
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("input over the limit mid-value: error = %v", err)
	}
}

func FuzzReadJSON(f *testing.F) {
	var buf bytes.Buffer
	if err := Write(&buf, fixture(), "json", Options{}); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte(`{"schema_version":"1"}`))
	f.Add([]byte(`{"schema_version":"1","packages":[{"verdict":"warn","findings":[{"severity":"high","line":-1,"layers":[]}]}],"diagnostics":null}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"schema_version":"1","packages":[{"verdict":"allow"}]}{`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := readJSON(bytes.NewReader(data), 1<<20)
		if err != nil {
			return
		}
		// Whatever reads must render in every format and survive a round trip.
		var out bytes.Buffer
		for _, f := range Formats() {
			out.Reset()
			if err := Write(&out, r, f, Options{BaseDir: testBase}); err != nil {
				t.Fatalf("Write(%s) of a report ReadJSON accepted: %v", f, err)
			}
		}
		var js bytes.Buffer
		if err := Write(&js, r, "json", Options{}); err != nil {
			t.Fatal(err)
		}
		again, err := ReadJSON(bytes.NewReader(js.Bytes()))
		if err != nil {
			t.Fatalf("ReadJSON of our own output: %v\n%s", err, js.Bytes())
		}
		var js2 bytes.Buffer
		if err := Write(&js2, again, "json", Options{}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(js.Bytes(), js2.Bytes()) {
			t.Fatalf("json not stable:\n%s\n---\n%s", js.Bytes(), js2.Bytes())
		}
	})
}

func TestParallelJSONIdentical(t *testing.T) {
	rep := &model.Report{SchemaVersion: model.SchemaVersion, Tool: model.Tool{Name: "airlock", Version: "x"}, Diagnostics: []model.Diagnostic{{Message: "d <&>"}}}
	for i := 0; i < 150; i++ {
		rep.Packages = append(rep.Packages, model.Result{Package: model.Package{Ecosystem: model.PyPI, Name: fmt.Sprintf("p%d", i), Path: "a\n\"b\" <x>"}, Verdict: model.Warn,
			Findings: []model.Finding{{Rule: "static/x", Path: "f.py", Line: i, Message: "m & <n>", Evidence: "e\u2028\"", Layers: []string{"base64"}}}})
	}
	rep.Summarize()
	var one, par bytes.Buffer
	enc := json.NewEncoder(&one)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rep); err != nil {
		t.Fatal(err)
	}
	if err := writeJSONParallel(&par, rep); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(one.Bytes(), par.Bytes()) {
		t.Fatalf("parallel JSON differs from one encoder's:\n%s\n---\n%s", one.String()[:600], par.String()[:600])
	}
}
