package cli

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/airlock-sec/airlock/internal/model"
)

func TestMain(m *testing.M) {
	// Never read or write the developer's own store: every test names one.
	dir, err := os.MkdirTemp("", "airlock-cli-test")
	if err != nil {
		panic(err)
	}
	os.Setenv("AIRLOCK_DB", filepath.Join(dir, "absent", "airlock.db"))
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// osvFeed are OSV records as OSV's export zips hold them.
var osvFeed = map[string]string{
	"MAL-2026-2144.json": `{"id":"MAL-2026-2144","modified":"2026-03-24T12:00:00Z","summary":"Malicious code in litellm (PyPI)",
	  "affected":[{"package":{"ecosystem":"PyPI","name":"litellm"},"versions":["1.82.7","1.82.8"]}]}`,
	"PYSEC-2024-1.json": `{"id":"PYSEC-2024-1","modified":"2024-05-01T00:00:00Z","aliases":["GHSA-9wx4-h78v-vm56","CVE-2024-35195"],
	  "summary":"requests session verify=False persists",
	  "affected":[{"package":{"ecosystem":"PyPI","name":"requests"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"2.32.0"}]}]}]}`,
	"GHSA-9wx4-h78v-vm56.json": `{"id":"GHSA-9wx4-h78v-vm56","modified":"2024-05-02T00:00:00Z","aliases":["CVE-2024-35195"],
	  "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:H/I:H/A:N"}],
	  "affected":[{"package":{"ecosystem":"PyPI","name":"requests"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"2.32.0"}]}]}]}`,
	"MAL-2025-47.json": `{"id":"MAL-2025-47","modified":"2025-09-08T00:00:00Z","summary":"Malicious code in debug (npm)",
	  "affected":[{"package":{"ecosystem":"npm","name":"debug"},"versions":["4.4.2"]}]}`,
	"bad.json": `{"id": "BROKEN-1", "modified": `,
}

func osvZip(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// feedServer serves a zip from 127.0.0.1 with an ETag and counts requests.
type feedServer struct {
	*httptest.Server
	body     atomic.Value // []byte
	requests atomic.Int32
	notMod   atomic.Int32
	truncate atomic.Bool
}

func newFeedServer(t *testing.T, body []byte) *feedServer {
	fs := &feedServer{}
	fs.body.Store(body)
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.requests.Add(1)
		b := fs.body.Load().([]byte)
		etag := fmt.Sprintf(`"%x"`, sha256.Sum256(b))
		if r.Header.Get("If-None-Match") == etag {
			fs.notMod.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Length", fmt.Sprint(len(b)))
		if fs.truncate.Load() {
			w.Write(b[:len(b)/2]) // the connection ends early
			return
		}
		w.Write(b)
	}))
	t.Cleanup(fs.Close)
	return fs
}

func TestE2EDBUpdateAndScanLockfiles(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "store", "airlock.db")
	srv := newFeedServer(t, osvZip(t, osvFeed))
	url := srv.URL + "/PyPI/all.zip"

	r := runCLI(t, "db", "update", "--db", db, "--from", url)
	mustCode(t, r, ExitOK)
	if !strings.Contains(r.stdout, "4 records, 4 new or changed, 1 unreadable skipped") || !strings.Contains(r.stderr, "bad.json") {
		t.Fatalf("update output:\n%s\n%s", r.stdout, r.stderr)
	}
	// second run: conditional request, nothing downloaded
	r = runCLI(t, "db", "update", "--db", db, "--from", url)
	mustCode(t, r, ExitOK)
	if srv.notMod.Load() != 1 || !strings.Contains(r.stdout, "not modified") {
		t.Fatalf("second update did not use the ETag: %d 304s\n%s", srv.notMod.Load(), r.stdout)
	}
	r = runCLI(t, "db", "status", "--db", db, "--format", "json")
	mustCode(t, r, ExitOK)
	var status dbStatus
	if err := json.Unmarshal([]byte(r.stdout), &status); err != nil {
		t.Fatal(err)
	}
	if status.Total != 4 || status.Malicious != 2 || len(status.Sources) != 1 || status.Sources[0].Records != 4 {
		t.Fatalf("status %+v", status)
	}

	// a project whose lockfiles pin the malicious litellm and a vulnerable requests
	proj := filepath.Join(dir, "proj")
	writeFile(t, filepath.Join(proj, "requirements.txt"), []byte("# app\nrequests==2.31.0\nLiteLLM==1.82.8 --hash=sha256:"+strings.Repeat("a", 64)+"\nflask>=2\n"))
	writeFile(t, filepath.Join(proj, "web", "package-lock.json"), []byte(`{"name":"web","lockfileVersion":3,"packages":{
  "": {"name":"web","dependencies":{"debug":"^4.4.0"}},
  "node_modules/debug": {"version":"4.4.2","resolved":"https://registry.example/debug/-/debug-4.4.2.tgz","integrity":"sha512-AAAA"},
  "node_modules/ms": {"version":"2.1.3"}
}}`))
	r, rep := scanJSON(t, "--db", db, proj)
	mustCode(t, r, ExitFail)
	lit := pkgByName(t, rep, "LiteLLM")
	if lit.Verdict != model.Block || lit.Kind != "lockfile" || !hasFinding(lit, func(f model.Finding) bool {
		return f.Rule == "advisory/malicious" && f.Severity == model.Critical && f.Line == 3 &&
			strings.HasSuffix(f.Path, "requirements.txt") && f.Advisory != nil && f.Advisory.ID == "MAL-2026-2144"
	}) {
		t.Fatalf("litellm not blocked at requirements.txt:3:\n%s", dumpReport(rep))
	}
	req := pkgByName(t, rep, "requests")
	if req.Verdict != model.Warn || !hasFinding(req, func(f model.Finding) bool {
		return f.Rule == "advisory/vulnerable" && f.Line == 2 && f.Advisory.ID != "" && len(f.Advisory.Aliases) == 2 &&
			f.Severity == model.Medium && strings.Contains(f.Message, "fixed in 2.32.0")
	}) {
		t.Fatalf("requests not one merged vulnerable finding:\n%s", dumpReport(rep))
	}
	if n := len(req.Findings); n != 1 {
		t.Fatalf("requests has %d findings, want one per alias group", n)
	}
	dbg := pkgByName(t, rep, "debug")
	if dbg.Verdict != model.Block || !hasFinding(dbg, func(f model.Finding) bool { return f.Rule == "advisory/malicious" && f.Line == 3 }) {
		t.Fatalf("debug 4.4.2 not blocked at package-lock.json:3:\n%s", dumpReport(rep))
	}
	if ms := pkgByName(t, rep, "ms"); ms.Verdict != model.Allow {
		t.Fatalf("ms: %s", ms.Verdict)
	}
	flask := pkgByName(t, rep, "flask")
	if flask.Verdict != model.Allow || !hasFinding(flask, func(f model.Finding) bool { return f.Rule == "lockfile/unpinned" && f.Line == 4 }) || !diagContains(rep, "not pinned") {
		t.Fatalf("flask unpinned not reported:\n%s", dumpReport(rep))
	}
	// a policy can make vulnerable and unpinned count
	cfg := filepath.Join(dir, "policy.yaml")
	writeFile(t, cfg, []byte("advisories:\n  vulnerable: block\n  unpinned: warn\n"))
	_, rep = scanJSON(t, "--db", db, "--config", cfg, proj)
	if pkgByName(t, rep, "requests").Verdict != model.Block || pkgByName(t, rep, "flask").Verdict != model.Warn {
		t.Fatalf("advisories policy not applied:\n%s", dumpReport(rep))
	}
	// a lockfile named directly
	r, rep = scanJSON(t, "--db", db, filepath.Join(proj, "web", "package-lock.json"))
	mustCode(t, r, ExitFail)
	if len(rep.Packages) != 2 {
		t.Fatalf("want 2 packages from package-lock.json:\n%s", dumpReport(rep))
	}
}

func TestE2EScanWithoutDatabase(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "requirements.txt"), []byte("litellm==1.82.8\n"))
	r, rep := scanJSON(t, dir)
	mustCode(t, r, ExitOK)
	if strings.Count(r.stderr, "no advisory database") != 1 {
		t.Fatalf("want the missing database said once, stderr:\n%s", r.stderr)
	}
	if len(rep.Packages) != 1 || rep.Packages[0].Verdict != model.Allow {
		t.Fatalf("%s", dumpReport(rep))
	}
	if _, err := os.Stat(os.Getenv("AIRLOCK_DB")); err == nil {
		t.Fatal("scan created a database")
	}
}

func TestE2EInstalledKnownBadBlockedAndDeduplicated(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "airlock.db")
	writeFile(t, filepath.Join(dir, "feed", "MAL-2026-2144.json"), []byte(osvFeed["MAL-2026-2144.json"]))
	mustCode(t, runCLI(t, "db", "update", "--db", db, "--from", filepath.Join(dir, "feed")), ExitOK)

	// an installed litellm 1.82.8 without its .pth (static analysis alone
	// would allow it) that requirements.txt also pins
	proj := filepath.Join(dir, "proj")
	site := filepath.Join(proj, ".venv", "lib", "python3.12", "site-packages")
	writeFile(t, filepath.Join(proj, ".venv", "pyvenv.cfg"), []byte("home = /usr/bin\n"))
	writeFile(t, filepath.Join(site, "litellm", "__init__.py"), []byte(litellmInit))
	writeFile(t, filepath.Join(site, "litellm-1.82.8.dist-info", "METADATA"), []byte("Metadata-Version: 2.1\nName: litellm\nVersion: 1.82.8\n"))
	writeFile(t, filepath.Join(site, "litellm-1.82.8.dist-info", "RECORD"), []byte("litellm/__init__.py,"+recordHash(litellmInit)+",\nlitellm-1.82.8.dist-info/METADATA,,\nlitellm-1.82.8.dist-info/RECORD,,\n"))
	writeFile(t, filepath.Join(proj, "requirements.txt"), []byte("litellm==1.82.8\n"))
	r, rep := scanJSON(t, "--db", db, proj)
	mustCode(t, r, ExitFail)
	var lits []model.Result
	for _, p := range rep.Packages {
		if p.Name == "litellm" {
			lits = append(lits, p)
		}
	}
	if len(lits) != 1 || lits[0].Kind != "installed" || lits[0].Verdict != model.Block {
		t.Fatalf("want one installed litellm, blocked:\n%s", dumpReport(rep))
	}
	if !hasFinding(&lits[0], func(f model.Finding) bool {
		return f.Rule == "advisory/malicious" && strings.HasSuffix(f.Path, "requirements.txt") && f.Line == 1
	}) {
		t.Fatalf("finding should cite the requirements line:\n%s", dumpReport(rep))
	}
}

func TestE2EDBUpdateInterruptedKeepsPrevious(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "airlock.db")
	srv := newFeedServer(t, osvZip(t, map[string]string{"MAL-2026-2144.json": osvFeed["MAL-2026-2144.json"]}))
	mustCode(t, runCLI(t, "db", "update", "--db", db, "--from", srv.URL+"/all.zip"), ExitOK)

	bigger := map[string]string{}
	for k, v := range osvFeed {
		bigger[k] = v
	}
	srv.body.Store(osvZip(t, bigger))
	srv.truncate.Store(true)
	r := runCLI(t, "db", "update", "--db", db, "--from", srv.URL+"/all.zip")
	mustCode(t, r, ExitUsage)
	if !strings.Contains(r.stderr, "keeps its previous contents") {
		t.Fatalf("stderr: %s", r.stderr)
	}
	r = runCLI(t, "db", "status", "--db", db, "--format", "json")
	var status dbStatus
	json.Unmarshal([]byte(r.stdout), &status)
	if status.Total != 1 {
		t.Fatalf("interrupted update changed the database: %+v", status)
	}
	// a corrupt zip on disk: same
	bad := filepath.Join(dir, "bad.zip")
	writeFile(t, bad, []byte("PK\x03\x04 not really"))
	mustCode(t, runCLI(t, "db", "update", "--db", db, "--from", bad), ExitUsage)
	// it works once the download completes
	srv.truncate.Store(false)
	mustCode(t, runCLI(t, "db", "update", "--db", db, "--from", srv.URL+"/all.zip"), ExitOK)
	r = runCLI(t, "db", "status", "--db", db, "--format", "json")
	json.Unmarshal([]byte(r.stdout), &status)
	if status.Total != 4 {
		t.Fatalf("after a complete update: %+v", status)
	}
}
