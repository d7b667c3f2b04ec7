package sweep

import (
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/airlock-sec/airlock/internal/model"
)

// source is the kind of persistence file a hit was found in.
type source int

const (
	srcSystemd source = iota
	srcCron
	srcCronScript
	srcRC
)

// severityFor gives the base severity of a hit in a source; ok is false
// when the source does not report that kind. Units and cron run without
// anyone watching, so they weigh more than shell startup files, which run
// in front of a user.
func severityFor(src source, h hit) (model.Severity, bool) {
	switch src {
	case srcSystemd:
		switch h.Kind {
		case hitDownloadRun, hitDecodeRun, hitTmpScript, hitHiddenScript, hitTmpProgram:
			return model.Critical, true
		case hitHiddenProgram, hitDecode, hitLDPreload:
			return model.High, true
		default:
			return model.Medium, true
		}
	case srcCron, srcCronScript:
		switch h.Kind {
		case hitDownloadRun, hitDecodeRun, hitTmpScript, hitTmpProgram:
			return model.Critical, true
		case hitHiddenScript, hitHiddenProgram, hitDecode, hitLDPreload:
			return model.High, true
		default:
			return model.Medium, true
		}
	case srcRC:
		switch h.Kind {
		case hitDownloadRun, hitDecodeRun, hitTmpScript, hitHiddenScript, hitTmpProgram, hitLDPreload:
			return model.High, true
		case hitHiddenProgram:
			return model.High, h.Background
		case hitNodeOptions, hitPythonPath:
			return model.Medium, true
		case hitPythonStartup:
			return model.Low, true
		}
	}
	return model.Info, false
}

func hitCaps(k hitKind) []model.Capability {
	switch k {
	case hitDownloadRun:
		return []model.Capability{model.CapPersistence, model.CapDownloadRun}
	case hitDecodeRun:
		return []model.Capability{model.CapPersistence, model.CapDecode, model.CapExec}
	case hitDecode:
		return []model.Capability{model.CapPersistence, model.CapDecode}
	}
	return []model.Capability{model.CapPersistence}
}

var ruleOf = map[source]string{
	srcSystemd: RuleSystemdPersistence, srcCron: RuleCronPersistence, srcCronScript: RuleCronPersistence, srcRC: RuleShellRCPersistence,
}

// fileFindings turns the hits of one file into findings. subject starts
// each message ("unit \"x.service\""); evidence returns the text shown
// for a line.
func (s *sweeper) fileFindings(src source, host string, fi fs.FileInfo, subject string, hits []hit, evidence func(line int) string) []model.Finding {
	strong := map[int]bool{}
	for _, h := range hits {
		if h.Kind == hitDecodeRun || h.Kind == hitDownloadRun {
			strong[h.Line] = true
		}
	}
	recent, ago := s.recent(fi.ModTime())
	var out []model.Finding
	for _, h := range hits {
		if h.Kind == hitDecode && strong[h.Line] {
			continue // the decoding is part of a stronger finding on the same line
		}
		sev, ok := severityFor(src, h)
		if !ok {
			continue
		}
		msg := subject + " " + h.What
		if recent {
			sev = bump(sev)
			msg += "; file " + ago
		}
		out = append(out, model.Finding{
			Rule: ruleOf[src], Severity: sev, Path: host, Line: h.Line, Message: msg,
			Evidence: snippet(evidence(h.Line), maxEvidence), Capabilities: hitCaps(h.Kind),
		})
	}
	return out
}

func hostFile(host string) model.Package {
	return model.Package{Ecosystem: model.Host, Name: host, Path: host, Kind: KindHostFile}
}

// lineOf returns line n (1-based) of text.
func lineOf(text string, n int) string {
	for i := 1; i < n; i++ {
		k := strings.IndexByte(text, '\n')
		if k < 0 {
			return ""
		}
		text = text[k+1:]
	}
	if k := strings.IndexByte(text, '\n'); k >= 0 {
		text = text[:k]
	}
	return strings.TrimSuffix(text, "\r")
}

// readPersist reads a persistence file found in a listing: links are
// resolved inside the root, each real file is read once, masked units
// (links to /dev/null) and other non-files are skipped.
func (s *sweeper) readPersist(host string) (data []byte, fi fs.FileInfo, ok bool) {
	real, err := s.j.resolve(host)
	if err != nil {
		s.diag(host, "", "not read: "+errText(err))
		return nil, nil, false
	}
	if s.seenFile[real] {
		return nil, nil, false
	}
	s.seenFile[real] = true
	data, fi, truncated, err := s.j.readFile(real, s.opt.MaxFileBytes)
	if err != nil {
		if err == errNotRegular {
			if fi != nil && fi.IsDir() || real == "/dev/null" {
				return nil, nil, false
			}
			s.diag(host, "", fmt.Sprintf("not read: not a regular file (%s)", fi.Mode().Type()))
			return nil, nil, false
		}
		s.diag(host, "", "not read: "+errText(err))
		return nil, nil, false
	}
	if truncated {
		s.diag(host, "", fmt.Sprintf("larger than %d bytes: only the beginning was examined", s.opt.MaxFileBytes))
	}
	return data, fi, true
}

// masked reports a unit linked to /dev/null (systemctl mask), also when
// the root has no /dev/null of its own.
func (s *sweeper) masked(host string) bool {
	fi, err := s.j.lstat(host)
	if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		return false
	}
	if t, err := s.j.root.Readlink(rootName(host)); err == nil && cleanHost(t) == "/dev/null" {
		return true
	}
	real, err := s.j.resolve(host)
	return err == nil && real == "/dev/null"
}

// exists reports whether host names a directory entry (possibly a
// dangling or escaping symlink, which readPersist then reports).
func (s *sweeper) exists(host string) bool {
	dir, name := path.Split(host)
	real, err := s.j.resolve(dir)
	if err != nil {
		return false
	}
	_, err = s.j.lstat(joinHost(real, name))
	return err == nil
}

// listDir resolves and lists a directory that may not exist.
func (s *sweeper) listDir(dir string) (string, []fs.DirEntry) {
	real, err := s.j.resolve(dir)
	if err != nil {
		if err == errEscape || err == errLoop {
			s.diag(dir, "", "not read: "+errText(err))
		}
		return "", nil
	}
	if !s.j.isDir(real) {
		return "", nil
	}
	list, truncated, err := s.j.readDir(real, 10000)
	if err != nil {
		s.diag(dir, "", "cannot list directory: "+errText(err))
		return "", nil
	}
	if truncated {
		s.diag(dir, "", "more than 10000 entries; the rest were not read")
	}
	return real, list
}

func (s *sweeper) scanPersistence() {
	// systemd
	for _, d := range []string{"/etc/systemd/system", "/etc/systemd/user", "/usr/lib/systemd/system", "/usr/lib/systemd/user",
		"/lib/systemd/system", "/lib/systemd/user", "/usr/local/lib/systemd/system", "/usr/local/lib/systemd/user"} {
		s.scanUnitDir(d, "", true)
	}
	for _, h := range s.homes {
		s.scanUnitDir(h+"/.config/systemd/user", h, false)
		s.scanUnitDir(h+"/.local/share/systemd/user", h, false)
	}
	// cron
	for _, d := range []string{"/var/spool/cron/crontabs", "/var/spool/cron"} {
		dir, list := s.listDir(d)
		for _, e := range list {
			if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
				continue
			}
			user := e.Name()
			s.scanCrontab(dir+"/"+user, false, s.homeOf[user])
		}
	}
	s.scanCrontab("/etc/crontab", true, "")
	if dir, list := s.listDir("/etc/cron.d"); dir != "" {
		for _, e := range list {
			if !e.IsDir() && e.Name() != ".placeholder" {
				s.scanCrontab(dir+"/"+e.Name(), true, "")
			}
		}
	}
	for _, p := range []string{"hourly", "daily", "weekly", "monthly"} {
		if dir, list := s.listDir("/etc/cron." + p); dir != "" {
			for _, e := range list {
				if !e.IsDir() && e.Name() != ".placeholder" {
					s.scanShellFile(dir+"/"+e.Name(), srcCronScript, s.homeOf["root"])
				}
			}
		}
	}
	// shell startup files
	for _, h := range s.homes {
		for _, n := range []string{".bashrc", ".bash_profile", ".bash_login", ".profile", ".zshrc", ".zshenv", ".zprofile", ".zlogin"} {
			s.scanShellFile(h+"/"+n, srcRC, h)
		}
	}
	for _, p := range []string{"/etc/profile", "/etc/bash.bashrc", "/etc/zsh/zshrc", "/etc/zsh/zshenv", "/etc/zshrc"} {
		s.scanShellFile(p, srcRC, "")
	}
	if dir, list := s.listDir("/etc/profile.d"); dir != "" {
		for _, e := range list {
			if strings.HasSuffix(e.Name(), ".sh") {
				s.scanShellFile(dir+"/"+e.Name(), srcRC, "")
			}
		}
	}
}

// scanUnitDir reads the *.service units of a unit directory and their
// *.service.d/*.conf drop-ins. home is what %h means there ("" for the
// system manager: root's home, or the home of User=).
func (s *sweeper) scanUnitDir(d, home string, system bool) {
	dir, list := s.listDir(d)
	for _, e := range list {
		name := e.Name()
		switch {
		case strings.HasSuffix(name, ".service"):
			s.scanUnit(dir+"/"+name, name, home, system)
		case strings.HasSuffix(name, ".service.d"):
			sub, drops := s.listDir(dir + "/" + name)
			for _, c := range drops {
				if strings.HasSuffix(c.Name(), ".conf") {
					s.scanUnit(sub+"/"+c.Name(), strings.TrimSuffix(name, ".d"), home, system)
				}
			}
		}
	}
}

func (s *sweeper) scanUnit(host, unit, home string, system bool) {
	if s.ctx.Err() != nil {
		return
	}
	if s.masked(host) {
		return
	}
	data, fi, ok := s.readPersist(host)
	if !ok {
		return
	}
	u := parseUnit(data)
	if system {
		home = s.homeOf["root"]
		if u.User != "" {
			home = s.homeOf[u.User]
		}
	}
	env := s.pathEnvFor(home)
	var hits []hit
	raw := map[int]string{}
	for _, ex := range u.Execs {
		raw[ex.Line] = ex.Raw
		for _, argv := range ex.Argv {
			words := make([]string, len(argv))
			for i, w := range argv {
				words[i] = expandSpecifiers(w, home)
			}
			hits = append(hits, analyzeArgv(words, env, ex.Line)...)
		}
	}
	subject := "unit " + quote(unit)
	fs := s.fileFindings(srcSystemd, host, fi, subject, dedupeHits(hits), func(n int) string { return raw[n] })
	s.addResult(hostFile(host), fs)
}

func (s *sweeper) scanCrontab(host string, system bool, home string) {
	if s.ctx.Err() != nil {
		return
	}
	if !s.exists(host) {
		return
	}
	data, fi, ok := s.readPersist(host)
	if !ok {
		return
	}
	text := string(data)
	var hits []hit
	for _, e := range parseCrontab(data, system) {
		h := home
		if system {
			h = s.homeOf[e.User]
		}
		hits = append(hits, analyzeShellLine(e.Command, s.pathEnvFor(h), e.Line)...)
	}
	fs := s.fileFindings(srcCron, host, fi, "cron job", hits, func(n int) string { return lineOf(text, n) })
	s.addResult(hostFile(host), fs)
}

func (s *sweeper) scanShellFile(host string, src source, home string) {
	if s.ctx.Err() != nil {
		return
	}
	if !s.exists(host) {
		return
	}
	data, fi, ok := s.readPersist(host)
	if !ok {
		return
	}
	text := string(data)
	zsh := strings.Contains(baseName(host), "zsh") || strings.HasPrefix(text, "#!/bin/zsh") || strings.HasPrefix(text, "#!/usr/bin/env zsh")
	hits := analyzeShell(text, s.pathEnvFor(home), zsh)
	subject := "shell startup file"
	if src == srcCronScript {
		subject = "periodic cron script"
	}
	fs := s.fileFindings(src, host, fi, subject, hits, func(n int) string { return lineOf(text, n) })
	s.addResult(hostFile(host), fs)
}
