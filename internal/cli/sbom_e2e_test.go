package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestE2ESBOM(t *testing.T) {
	dir := t.TempDir()
	proj := filepath.Join(dir, "shop")
	installedPkg(t, filepath.Join(proj, ".venv"), "Requests", "2.31.0")
	writeFile(t, filepath.Join(proj, "requirements.txt"), []byte("requests==2.31.0\nurllib3==2.2.1 --hash=sha256:"+sha256Of([]byte("x"))[len("sha256:"):]+"\n"))
	writeFile(t, filepath.Join(proj, "web", "package-lock.json"), []byte(`{"name":"web","lockfileVersion":3,"packages":{
  "": {"name":"web","dependencies":{"@babel/core":"^7.0.0"},"devDependencies":{"jest":"^29"}},
  "node_modules/@babel/core": {"version":"7.24.0","integrity":"sha512-AAAA"},
  "node_modules/jest": {"version":"29.7.0","dev":true}
}}`))
	out := filepath.Join(dir, "bom.json")
	mustCode(t, runCLI(t, "sbom", "-o", out, "--quiet", proj), ExitOK)
	var bom struct {
		BOMFormat   string `json:"bomFormat"`
		SpecVersion string `json:"specVersion"`
		Metadata    struct {
			Component struct{ Name string } `json:"component"`
		} `json:"metadata"`
		Components []struct {
			Name, Version, Purl, Scope string
			Group                      string `json:"group"`
		} `json:"components"`
	}
	if err := json.Unmarshal(readTestFile(t, out), &bom); err != nil {
		t.Fatal(err)
	}
	var purls []string
	for _, c := range bom.Components {
		purls = append(purls, c.Purl)
	}
	want := []string{"pkg:npm/%40babel/core@7.24.0", "pkg:npm/jest@29.7.0", "pkg:pypi/requests@2.31.0", "pkg:pypi/urllib3@2.2.1"}
	slices.Sort(purls)
	if bom.BOMFormat != "CycloneDX" || bom.SpecVersion != "1.6" || bom.Metadata.Component.Name != "shop" || !slices.Equal(purls, want) {
		t.Fatalf("bom %+v\npurls %v", bom, purls)
	}
	r := runCLI(t, "sbom", "--format", "spdx", "--quiet", proj)
	mustCode(t, r, ExitOK)
	var spdx struct {
		SPDXVersion string `json:"spdxVersion"`
		Packages    []struct {
			Name         string `json:"name"`
			ExternalRefs []struct {
				ReferenceLocator string `json:"referenceLocator"`
			} `json:"externalRefs"`
		} `json:"packages"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &spdx); err != nil {
		t.Fatal(err)
	}
	if spdx.SPDXVersion != "SPDX-2.3" || len(spdx.Packages) != 5 { // the root and four packages
		t.Fatalf("spdx %+v", spdx)
	}
	mustCode(t, runCLI(t, "sbom", "--format", "xml", proj), ExitUsage)
	mustCode(t, runCLI(t, "sbom"), ExitUsage)
}

func readTestFile(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
