package install

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// ---- downloaders

// fetch is what a curl or wget command downloads.
type fetch struct {
	tool   string
	urls   []string
	files  []string // files it writes
	stdout bool     // the body goes to standard output
}

var curlShort = "AbcCdDeEFHKmoPQrtTuUwxXyYz"

var curlLong = set("url", "output", "output-dir", "header", "user-agent", "data", "data-raw", "data-binary",
	"data-urlencode", "data-ascii", "form", "form-string", "request", "user", "proxy", "cacert", "cert", "key",
	"connect-timeout", "max-time", "retry", "retry-delay", "retry-max-time", "write-out", "config", "referer",
	"cookie", "cookie-jar", "range", "continue-at", "dump-header", "resolve", "connect-to", "interface",
	"limit-rate", "max-filesize", "netrc-file", "oauth2-bearer", "proto", "proto-redir", "proto-default",
	"pinnedpubkey", "capath", "ciphers", "tls-max", "expect100-timeout", "keepalive-time", "local-port",
	"max-redirs", "noproxy", "preproxy", "proxy-user", "proxy-header", "quote", "request-target", "speed-limit",
	"speed-time", "stderr", "trace", "trace-ascii", "unix-socket", "abstract-unix-socket", "upload-file",
	"variable", "json", "aws-sigv4", "create-file-mode", "etag-compare", "etag-save", "hostpubmd5",
	"hostpubsha256", "ftp-port", "dns-servers", "doh-url", "mail-from", "mail-rcpt", "login-options",
	"sasl-authzid", "service-name", "socks4", "socks4a", "socks5", "socks5-hostname", "time-cond", "tlsuser",
	"tlspassword", "tlsauthtype", "key-type", "cert-type", "pass", "retry-connrefused-max", "header-file")

var wgetShort = "OoaPtTweiBUlARDXIQ"

var wgetLong = set("output-document", "output-file", "append-output", "directory-prefix", "tries", "timeout",
	"wait", "execute", "input-file", "base", "user-agent", "header", "user", "password", "http-user",
	"http-password", "post-data", "post-file", "method", "body-data", "body-file", "ca-certificate",
	"certificate", "private-key", "level", "accept", "reject", "domains", "exclude-directories",
	"include-directories", "quota", "limit-rate", "load-cookies", "save-cookies", "referer", "dns-timeout",
	"connect-timeout", "read-timeout", "bind-address", "cut-dirs", "restrict-file-names", "secure-protocol",
	"ca-directory", "progress")

func parseFetch(c *cmd) (fetch, bool) {
	switch c.name {
	case "curl":
		return parseCurl(c.rest()), true
	case "wget":
		return parseWget(c.rest()), true
	}
	return fetch{}, false
}

func parseCurl(args []val) fetch {
	f := fetch{tool: "curl"}
	p := scan(args, optSpec{short: curlShort, long: curlLong})
	var outs []string
	remote, head := false, false
	dir := ""
	for _, o := range p.opts {
		switch o.name {
		case "o", "output":
			outs = append(outs, o.val.s)
		case "O", "remote-name", "remote-name-all":
			remote = true
		case "output-dir":
			dir = o.val.s
		case "url":
			f.urls = append(f.urls, o.val.s)
		case "I", "head":
			head = true
		}
	}
	for _, i := range p.pos {
		f.urls = append(f.urls, args[i].s)
	}
	if head {
		return f
	}
	for _, o := range outs {
		switch {
		case o == "-" || o == "/dev/stdout":
			f.stdout = true
		case strings.HasPrefix(o, "/dev/") || o == "":
		default:
			f.files = append(f.files, joinDir(dir, o))
		}
	}
	if remote {
		for _, u := range f.urls {
			if b := urlBase(u); b != "" {
				f.files = append(f.files, joinDir(dir, b))
			}
		}
	}
	if len(outs) == 0 && !remote {
		f.stdout = true
	}
	return f
}

func parseWget(args []val) fetch {
	f := fetch{tool: "wget"}
	p := scan(args, optSpec{short: wgetShort, long: wgetLong})
	out, dir := "", ""
	hasOut, unnamed := false, false
	for _, o := range p.opts {
		switch o.name {
		case "O", "output-document":
			out, hasOut = o.val.s, true
		case "P", "directory-prefix":
			dir = o.val.s
		case "content-disposition", "i", "input-file", "r", "recursive", "m", "mirror", "spider":
			unnamed = true
		}
	}
	for _, i := range p.pos {
		f.urls = append(f.urls, args[i].s)
	}
	switch {
	case hasOut && (out == "-" || out == "/dev/stdout"):
		f.stdout = true
	case hasOut:
		if out != "" && !strings.HasPrefix(out, "/dev/") {
			f.files = append(f.files, out)
		}
	case !unnamed:
		for _, u := range f.urls {
			if b := urlBase(u); b != "" {
				f.files = append(f.files, joinDir(dir, b))
			}
		}
	}
	return f
}

// urlBase is the last path segment of a URL, without query or fragment.
func urlBase(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	slash := strings.IndexByte(u, '/')
	if slash < 0 {
		return ""
	}
	b := u[strings.LastIndexByte(u, '/')+1:]
	if b == "" || b == "." || b == ".." {
		return ""
	}
	return b
}

func joinDir(dir, name string) string {
	if dir == "" || strings.HasPrefix(name, "/") {
		return normPath(name)
	}
	return normPath(dir + "/" + name)
}

// normPath makes two spellings of a path compare equal: "./x" and "x",
// "~/x" and "$HOME/x", "${HOME}/x" (rendered "$HOME/x").
func normPath(p string) string {
	if p == "" {
		return ""
	}
	if strings.HasPrefix(p, "~/") {
		p = "$HOME/" + p[2:]
	}
	p = path.Clean(p)
	if p == "." {
		return ""
	}
	return p
}

// ---- interpreters

var shells = set("sh", "bash", "zsh", "dash", "ash", "ksh", "mksh", "busybox")

// isInterpreter reports commands that run a program given as a file, a
// string or on standard input.
func isInterpreter(n string) bool {
	return shells[n] || isPython(n) || n == "perl" || n == "ruby" || n == "node" || n == "php"
}

// progArgs splits an interpreter's arguments: code is the index of an
// inline program (sh -c, python -c, perl -e…) or -1; file is the index
// of the script file or -1; stdin tells whether the program comes from
// standard input; module is set for python -m.
type progArgs struct {
	code, file int
	stdin      bool
	module     bool
}

func interpArgs(name string, args []val) progArgs {
	r := progArgs{code: -1, file: -1}
	codeFlag := false
	isShell := shells[name]
	for i := 0; i < len(args); i++ {
		s := args[i].s
		if s == "-" {
			r.stdin = true
			return r
		}
		if s == "--" {
			i++
			if i < len(args) {
				if codeFlag {
					r.code = i
				} else if args[i].s == "-" || args[i].s == "/dev/stdin" {
					r.stdin = true
				} else {
					r.file = i
				}
			} else if !codeFlag {
				r.stdin = true
			}
			return r
		}
		if !args[i].dyn && len(s) > 1 && (s[0] == '-' || isShell && s[0] == '+') {
			if strings.HasPrefix(s, "--") {
				switch name {
				case "node":
					switch s {
					case "--eval", "--print":
						codeFlag = true
					case "--require", "--import", "--loader", "--input-type":
						i++
					}
				default:
					switch s {
					case "--rcfile", "--init-file":
						i++
					case "--command": // busybox sh
						codeFlag = true
					}
				}
				continue
			}
			switch {
			case isShell:
				if strings.ContainsRune(s[1:], 'c') {
					codeFlag = true
				}
				if s[0] == '-' && strings.ContainsRune(s[1:], 's') {
					r.stdin = true
					return r
				}
				if s == "-o" || s == "+o" || s == "-O" || s == "+O" {
					i++
				}
			case isPython(name):
				switch {
				case s == "-c" || strings.HasPrefix(s, "-c"):
					r.code = i + 1
					if len(s) > 2 {
						r.code = i
					}
					return r
				case s == "-m" || strings.HasPrefix(s, "-m"):
					r.module = true
					return r
				case s == "-W" || s == "-X":
					i++
				}
			case name == "perl":
				if strings.ContainsAny(s[1:], "eE") && !strings.HasPrefix(s, "-M") && !strings.HasPrefix(s, "-I") {
					r.code = i + 1
					return r
				}
			case name == "ruby":
				if strings.ContainsRune(s[1:], 'e') && !strings.HasPrefix(s, "-r") && !strings.HasPrefix(s, "-I") {
					r.code = i + 1
					return r
				}
				if s == "-r" || s == "-I" {
					i++
				}
			case name == "node":
				switch s {
				case "-e", "-p", "-pe":
					r.code = i + 1
					return r
				case "-r":
					i++
				}
			case name == "php":
				switch s {
				case "-r":
					r.code = i + 1
					return r
				case "-f":
					r.file = i + 1
					return r
				case "-d", "-c", "-z":
					i++
				}
			}
			continue
		}
		// the first operand
		if codeFlag {
			r.code = i
		} else if s == "/dev/stdin" {
			r.stdin = true
		} else {
			r.file = i
		}
		return r
	}
	if codeFlag {
		return r // `sh -c` without its string
	}
	if r.file < 0 && r.code < 0 {
		r.stdin = true
	}
	return r
}

// readsStdinProgram reports whether a command runs the program it reads
// on standard input: `sh`, `bash -s -- args`, `python3 -`, `sudo -E
// bash -`, `source /dev/stdin`.
func readsStdinProgram(c *cmd) bool {
	switch {
	case isInterpreter(c.name):
		return interpArgs(c.name, c.rest()).stdin
	case c.name == "source" || c.name == ".":
		r := c.rest()
		return len(r) > 0 && (r[0].s == "/dev/stdin" || r[0].s == "-")
	}
	return false
}

// fetchIn returns the downloader whose output a word's command or
// process substitution captures ("$(curl …)", "<(wget -O- …)").
func (a *analyzer) fetchIn(w *syntax.Word, m *mapper) string {
	found := ""
	syntax.Walk(w, func(n syntax.Node) bool {
		if found != "" {
			return false
		}
		ce, ok := n.(*syntax.CallExpr)
		if !ok {
			return true
		}
		if c := a.resolve(ce, m); c != nil {
			if f, ok := parseFetch(c); ok && f.stdout {
				found = f.tool
				return false
			}
		}
		return true
	})
	return found
}

func (a *analyzer) pipeShellMsg(interp, tool string) string {
	return fmt.Sprintf("%q runs a script fetched by %q without verifying it: download it to a file, check it against a pinned sha256 (e.g. with %q), then run it",
		interp, tool, "sha256sum -c")
}

// interpreters handles `sh -c '…'` (analyzed as a script of its own),
// `bash -c "$(curl …)"`, `bash <(curl …)`, `eval "$(curl …)"`,
// `source <(curl …)` and `bash < <(curl …)`.
func (a *analyzer) interpreters(s *syntax.Stmt, c *cmd, m *mapper) {
	words := c.restWords()
	args := c.rest()
	switch {
	case isInterpreter(c.name):
		r := interpArgs(c.name, args)
		switch {
		case r.module:
		case r.code >= 0 && r.code < len(words):
			if tool := a.fetchIn(words[r.code], m); tool != "" {
				a.report("curl-pipe-shell", c, nil, a.pipeShellMsg(c.name, tool))
			} else if shells[c.name] {
				a.nestedScript(words[r.code:r.code+1], m)
			}
		case r.file >= 0 && r.file < len(words):
			if tool := a.fetchIn(words[r.file], m); tool != "" {
				a.report("curl-pipe-shell", c, nil, a.pipeShellMsg(c.name, tool))
			}
		case r.stdin:
			for _, rd := range s.Redirs {
				if (rd.Op == syntax.RdrIn || rd.Op == syntax.WordHdoc) && rd.Word != nil {
					if tool := a.fetchIn(rd.Word, m); tool != "" {
						a.report("curl-pipe-shell", c, nil, a.pipeShellMsg(c.name, tool))
						return
					}
				}
			}
		}
	case c.name == "eval":
		for _, w := range words {
			if tool := a.fetchIn(w, m); tool != "" {
				a.report("curl-pipe-shell", c, nil, a.pipeShellMsg("eval", tool))
				return
			}
		}
		a.nestedScript(words, m)
	case c.name == "source" || c.name == ".":
		if len(words) > 0 {
			if tool := a.fetchIn(words[0], m); tool != "" {
				a.report("curl-pipe-shell", c, nil, a.pipeShellMsg(c.name, tool))
			}
		}
	case c.name == "su":
		for i := 0; i+1 < len(args); i++ {
			if args[i].s == "-c" || args[i].s == "--command" {
				if tool := a.fetchIn(words[i+1], m); tool != "" {
					a.report("curl-pipe-shell", c, nil, a.pipeShellMsg("su", tool))
				} else {
					a.nestedScript(words[i+1:i+2], m)
				}
				return
			}
		}
	}
}

// ---- what flows through a pipeline

func (a *analyzer) pipeFlow(elems []*syntax.Stmt, m *mapper) {
	var f fetch
	var fc *cmd
	first := -1
	for i, e := range elems {
		ce, ok := e.Cmd.(*syntax.CallExpr)
		if !ok || i == len(elems)-1 {
			continue
		}
		c := a.resolve(ce, m)
		if c == nil {
			continue
		}
		if ft, ok := parseFetch(c); ok && ft.stdout && outFile(e, m, a) == "" {
			f, fc, first = ft, c, i
			break
		}
	}
	if first < 0 {
		return
	}
	url := ""
	if len(f.urls) > 0 {
		url = f.urls[0]
	}
	for j := first + 1; j < len(elems); j++ {
		e := elems[j]
		ce, ok := e.Cmd.(*syntax.CallExpr)
		if !ok {
			continue
		}
		c := a.resolve(ce, m)
		if c == nil {
			continue
		}
		if readsStdinProgram(c) && !hasStdinRedirect(e) {
			start := m.abs(off(elems[0].Pos()))
			end := m.abs(off(stmtEnd(elems[len(elems)-1])))
			a.add("curl-pipe-shell", start, end, nil, fmt.Sprintf("%q output is piped into %q: the downloaded script runs without verification; download it to a file, check it against a pinned sha256 (e.g. with %q), then run it",
				f.tool, c.name, "sha256sum -c"))
			return
		}
		switch c.name {
		case "tee":
			for _, v := range c.rest() {
				if !strings.HasPrefix(v.s, "-") {
					a.recordDownload(normPath(v.s), url, f.tool, fc)
				}
			}
		case "tar", "bsdtar":
			if t := parseTar(c.rest()); t.extract && (t.file == "" || t.file == "-") {
				a.recordArchive(&download{path: "", url: url, tool: f.tool, start: fc.start, end: fc.end}, t.dir)
			}
		}
		if j == len(elems)-1 {
			if o := outFile(e, m, a); o != "" {
				a.recordDownload(o, url, f.tool, fc)
			}
		}
	}
}

func hasStdinRedirect(st *syntax.Stmt) bool {
	for _, r := range st.Redirs {
		if r.Op == syntax.RdrIn || r.Op == syntax.WordHdoc || r.Op == syntax.Hdoc || r.Op == syntax.DashHdoc {
			return true
		}
	}
	return false
}

// outFile is the file a statement's standard output is redirected to.
func outFile(st *syntax.Stmt, m *mapper, a *analyzer) string {
	out := ""
	for _, r := range st.Redirs {
		switch r.Op {
		case syntax.RdrOut, syntax.AppOut, syntax.RdrAll, syntax.AppAll, syntax.RdrClob, syntax.AppClob:
			if r.N != nil && r.N.Value != "1" {
				continue
			}
			if r.Word == nil {
				continue
			}
			v := a.render(r.Word, m)
			if v.s == "" || strings.HasPrefix(v.s, "/dev/") || strings.HasPrefix(v.s, "&") {
				continue
			}
			out = normPath(v.s)
		}
	}
	return out
}

// ---- downloads that are run

// download is a file fetched by the script and not yet verified.
type download struct {
	path       string // the file ("" for an archive streamed into tar)
	url        string
	tool       string
	start, end int // the downloading command
	done       bool
}

// archive is an unverified download unpacked by the script.
type archive struct {
	dl   *download
	dir  string // where it was unpacked (-C, -d)
	hint string // lowercased URL and file name: names inside usually appear in it
}

type dlState struct {
	byPath   map[string]*download
	recent   []string // paths, newest last, for glob matching
	archives []*archive
}

const maxTracked = 256

func (a *analyzer) recordDownload(p, url, tool string, c *cmd) {
	if p == "" {
		return
	}
	a.dl.byPath[p] = &download{path: p, url: url, tool: tool, start: c.start, end: c.end}
	a.addRecent(p)
}

func (a *analyzer) addRecent(p string) {
	a.dl.recent = append(a.dl.recent, p)
	if len(a.dl.recent) > maxTracked {
		old := a.dl.recent[0]
		a.dl.recent = a.dl.recent[1:]
		if d := a.dl.byPath[old]; d != nil && !slices.Contains(a.dl.recent, old) {
			delete(a.dl.byPath, old)
		}
	}
}

func (a *analyzer) recordArchive(d *download, dir string) {
	hint := strings.ToLower(d.url + " " + d.path)
	a.dl.archives = append(a.dl.archives, &archive{dl: d, dir: normPath(dir), hint: hint})
	if len(a.dl.archives) > maxTracked {
		a.dl.archives = a.dl.archives[1:]
	}
}

// pending returns the unverified download a path names, if any. A path
// with glob characters matches by pattern.
func (a *analyzer) pending(v val) *download {
	if len(a.dl.byPath) == 0 || v.s == "" {
		return nil
	}
	p := normPath(v.s)
	if d := a.dl.byPath[p]; d != nil {
		if d.done {
			return nil
		}
		return d
	}
	if v.glob {
		for i := len(a.dl.recent) - 1; i >= 0; i-- {
			if ok, _ := path.Match(p, a.dl.recent[i]); ok {
				if d := a.dl.byPath[a.dl.recent[i]]; d != nil && !d.done {
					return d
				}
			}
		}
	}
	return nil
}

// fromArchive returns the unverified archive a path plausibly comes
// from: under the directory it was unpacked into, or named like it (the
// "trivy" of trivy_0.69.4_Linux-64bit.tar.gz).
func (a *analyzer) fromArchive(p string) *archive {
	if len(a.dl.archives) == 0 || p == "" {
		return nil
	}
	p = normPath(p)
	base := strings.ToLower(path.Base(p))
	for i := len(a.dl.archives) - 1; i >= 0; i-- {
		ar := a.dl.archives[i]
		if ar.dl.done {
			continue
		}
		if ar.dir != "" && ar.dir != "/" && ar.dir != "." && strings.HasPrefix(p, ar.dir+"/") {
			return ar
		}
		if len(base) >= 3 && strings.Contains(ar.hint, base) {
			return ar
		}
	}
	return nil
}

func (a *analyzer) verifyAll() {
	for _, d := range a.dl.byPath {
		d.done = true
	}
	for _, ar := range a.dl.archives {
		ar.dl.done = true
	}
}

var hashers = set("sha1sum", "sha224sum", "sha256sum", "sha384sum", "sha512sum", "shasum", "b2sum", "b3sum", "md5sum", "cksum", "rhash")

// isVerifier reports commands that check a checksum or a signature.
func isVerifier(c *cmd) (check bool, ok bool) {
	args := c.rest()
	has := func(flags ...string) bool {
		for _, v := range args {
			for _, f := range flags {
				if v.s == f || strings.HasPrefix(f, "--") && strings.HasPrefix(v.s, f+"=") {
					return true
				}
				// short option groups: -c in -qc, --check
				if len(f) == 2 && f[0] == '-' && len(v.s) > 2 && v.s[0] == '-' && v.s[1] != '-' && strings.IndexByte(v.s[1:], f[1]) >= 0 {
					return true
				}
			}
		}
		return false
	}
	sub := ""
	if len(args) > 0 {
		sub = args[0].s
	}
	n := c.name
	switch {
	case hashers[n]:
		return has("-c", "--check"), true
	case n == "openssl":
		return false, sub == "dgst" || sub == "sha256" || sub == "sha512" || sub == "sha1" || sub == "sha384"
	case n == "gpg" || n == "gpg2":
		return true, has("--verify")
	case n == "gpgv" || n == "gpgv2" || n == "slsa-verifier":
		return true, true
	case n == "cosign":
		return true, strings.HasPrefix(sub, "verify")
	case n == "minisign":
		return true, has("-V")
	case n == "signify" || n == "signify-openbsd":
		return true, has("-V", "-C")
	case n == "gh":
		return true, sub == "attestation" && len(args) > 1 && args[1].s == "verify"
	case n == "rpm":
		return true, has("-K", "--checksig")
	}
	low := strings.ToLower(n)
	if strings.Contains(low, "verify") || strings.Contains(low, "checksum") {
		return true, true
	}
	return false, false
}

var binSegments = set("bin", "sbin")

// inBinDir reports whether a path is, or is in, a directory of
// executables.
func inBinDir(p string) bool {
	for _, seg := range strings.Split(p, "/") {
		if binSegments[seg] {
			return true
		}
	}
	return false
}

// tarArgs is what a tar command does.
type tarArgs struct {
	extract bool
	file    string
	dir     string
}

func parseTar(args []val) tarArgs {
	var t tarArgs
	for i := 0; i < len(args); i++ {
		s := args[i].s
		switch {
		case s == "--extract" || s == "--get":
			t.extract = true
		case s == "--file" || s == "--directory":
			if i+1 < len(args) {
				if s == "--file" {
					t.file = args[i+1].s
				} else {
					t.dir = args[i+1].s
				}
				i++
			}
		case strings.HasPrefix(s, "--file="):
			t.file = s[len("--file="):]
		case strings.HasPrefix(s, "--directory="):
			t.dir = s[len("--directory="):]
		case s == "-C":
			if i+1 < len(args) {
				t.dir = args[i+1].s
				i++
			}
		case strings.HasPrefix(s, "--"):
		case i == 0 && !strings.HasPrefix(s, "-") || strings.HasPrefix(s, "-") && len(s) > 1:
			// a bundle of short options, old style (xzf) or new (-xzf)
			flags := strings.TrimPrefix(s, "-")
			for k := 0; k < len(flags); k++ {
				switch flags[k] {
				case 'x':
					t.extract = true
				case 'f':
					if k+1 < len(flags) {
						t.file = flags[k+1:]
					} else if i+1 < len(args) {
						t.file = args[i+1].s
						i++
					}
					k = len(flags)
				case 'C':
					if k+1 < len(flags) {
						t.dir = flags[k+1:]
					} else if i+1 < len(args) {
						t.dir = args[i+1].s
						i++
					}
					k = len(flags)
				}
			}
		}
	}
	return t
}

// installers are package tools that install a local file they are given.
var installers = set("dpkg", "apt", "apt-get", "aptitude", "gdebi", "rpm", "yum", "dnf", "microdnf", "zypper",
	"installer", "pkg", "apk", "snap", "pip", "pip3", "npm", "gem", "flatpak", "msiexec", "hdiutil")

func (a *analyzer) reportExec(d *download, how string, by *cmd) {
	if d.done {
		return
	}
	d.done = true
	what := fmt.Sprintf("%q downloaded by %q", d.path, d.tool)
	pkgs := []string{d.path}
	if d.path == "" {
		what = fmt.Sprintf("the archive %q streamed from %q", d.url, d.tool)
		pkgs = []string{d.url}
		if d.url == "" {
			what = fmt.Sprintf("an archive streamed from %q", d.tool)
			pkgs = nil
		}
	}
	runBy := clip(a.commandText(by.start, by.end), 80)
	a.add("download-exec", d.start, d.end, pkgs, fmt.Sprintf("%s is %s by %q without a checksum or signature check: verify it against a pinned sha256 (e.g. with %q) or a signature before using it",
		what, how, runBy, "sha256sum -c"))
}

// track follows downloaded files: where they are written, whether they
// are verified, and whether they are run or installed before that.
func (a *analyzer) track(s *syntax.Stmt, c *cmd, m *mapper) {
	if f, ok := parseFetch(c); ok {
		url := ""
		if len(f.urls) > 0 {
			url = f.urls[0]
		}
		for _, p := range f.files {
			a.recordDownload(p, url, f.tool, c)
		}
		if f.stdout {
			if o := outFile(s, m, a); o != "" {
				a.recordDownload(o, url, f.tool, c)
			}
		}
		return
	}
	if len(a.dl.byPath) == 0 && len(a.dl.archives) == 0 {
		return
	}
	if check, ok := isVerifier(c); ok {
		named := false
		if !check {
			for _, v := range c.rest() {
				if d := a.pending(v); d != nil {
					d.done = true
					named = true
				}
			}
		}
		if !named {
			a.verifyAll()
		}
		return
	}
	args := c.rest()
	cmdWord := c.args[c.i]
	// ./file, /tmp/file
	if strings.Contains(cmdWord.s, "/") {
		if d := a.pending(cmdWord); d != nil {
			a.reportExec(d, "run", c)
			return
		}
		if ar := a.fromArchive(cmdWord.s); ar != nil && !cmdWord.dyn {
			a.reportExec(ar.dl, "unpacked and run", c)
			return
		}
	}
	switch n := c.name; {
	case isInterpreter(n):
		r := interpArgs(n, args)
		if r.file >= 0 && r.file < len(args) {
			if d := a.pending(args[r.file]); d != nil {
				a.reportExec(d, "run", c)
			} else if ar := a.fromArchive(args[r.file].s); ar != nil && strings.Contains(args[r.file].s, "/") {
				a.reportExec(ar.dl, "unpacked and run", c)
			}
		}
	case n == "source" || n == ".":
		if len(args) > 0 {
			if d := a.pending(args[0]); d != nil {
				a.reportExec(d, "run", c)
			}
		}
	case installers[n] || isPip(n):
		for _, v := range args {
			if d := a.pending(v); d != nil {
				a.reportExec(d, "installed", c)
				return
			}
		}
	case n == "tar" || n == "bsdtar":
		t := parseTar(args)
		if t.extract && t.file != "" {
			if d := a.pending(val{s: t.file, glob: strings.ContainsAny(t.file, "*?[")}); d != nil {
				a.recordArchive(d, t.dir)
			}
		}
	case n == "unzip" || n == "7z" || n == "7za":
		dir := ""
		var file *download
		for i, v := range args {
			switch {
			case v.s == "-d" && i+1 < len(args):
				dir = args[i+1].s
			case strings.HasPrefix(v.s, "-o") && n != "unzip":
				dir = v.s[2:]
			case file == nil && !strings.HasPrefix(v.s, "-"):
				file = a.pending(v)
			}
		}
		if file != nil {
			a.recordArchive(file, dir)
		}
	case n == "gunzip" || n == "bunzip2" || n == "unxz" || n == "unzstd" || (n == "gzip" || n == "xz" || n == "zstd" || n == "bzip2") && hasFlag(args, "-d"):
		for _, v := range args {
			if d := a.pending(v); d != nil {
				// tool.gz becomes tool
				if ext := path.Ext(d.path); ext != "" {
					np := strings.TrimSuffix(d.path, ext)
					a.dl.byPath[np] = d
					a.addRecent(np)
				}
			}
		}
	case n == "mv" || n == "cp" || n == "install" || n == "ln":
		a.trackCopy(c, args)
	case n == "chmod":
		if len(args) < 2 || !strings.Contains(args[0].s, "x") && !execMode(args[0].s) {
			return
		}
		for _, v := range args[1:] {
			if d := a.pending(v); d != nil && inBinDir(normPath(v.s)) {
				a.reportExec(d, "made executable", c)
				return
			}
		}
	}
}

func hasFlag(args []val, f string) bool {
	for _, v := range args {
		if v.s == f || len(v.s) > 2 && v.s[0] == '-' && v.s[1] != '-' && strings.IndexByte(v.s[1:], f[1]) >= 0 {
			return true
		}
	}
	return false
}

// execMode reports an octal mode with an execute bit (755, 0700).
func execMode(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '7' {
			return false
		}
	}
	return strings.ContainsAny(s, "1357")
}

// trackCopy handles mv, cp, install and ln: a pending file (or one from
// an unverified archive) put into a bin directory, or given to install,
// counts as installed; a rename keeps tracking it under its new name.
func (a *analyzer) trackCopy(c *cmd, args []val) {
	var ops []val
	target := ""
	for i := 0; i < len(args); i++ {
		s := args[i].s
		if strings.HasPrefix(s, "-") && len(s) > 1 {
			if c.name == "install" && (s == "-m" || s == "-o" || s == "-g" || s == "-t") || s == "-t" || s == "--target-directory" || s == "-S" || s == "--suffix" {
				if s == "-t" || s == "--target-directory" {
					if i+1 < len(args) {
						target = args[i+1].s
					}
				}
				i++
			} else if strings.HasPrefix(s, "--target-directory=") {
				target = s[len("--target-directory="):]
			}
			continue
		}
		ops = append(ops, args[i])
	}
	if target == "" {
		if len(ops) < 2 {
			return
		}
		target = ops[len(ops)-1].s
		ops = ops[:len(ops)-1]
	}
	dst := normPath(target)
	for _, src := range ops {
		if d := a.pending(src); d != nil {
			if c.name == "install" || inBinDir(dst) {
				a.reportExec(d, "installed", c)
				return
			}
			if c.name == "mv" || c.name == "cp" {
				a.dl.byPath[dst] = d
				a.addRecent(dst)
				np := normPath(dst + "/" + path.Base(d.path))
				a.dl.byPath[np] = d
				a.addRecent(np)
			}
			continue
		}
		if !src.dyn && (c.name == "install" || inBinDir(dst)) && c.name != "ln" {
			if ar := a.fromArchive(src.s); ar != nil {
				a.reportExec(ar.dl, "unpacked and installed", c)
				return
			}
		}
	}
}
