package sweep

import (
	"strconv"
	"strings"
)

// passwdEntry is one line of /etc/passwd.
type passwdEntry struct {
	Name  string
	UID   int
	Home  string
	Shell string
}

// parsePasswd reads /etc/passwd lines (name:password:uid:gid:gecos:home:shell).
// Comments, blank lines, NIS "+"/"-" lines and lines without seven fields
// are skipped.
func parsePasswd(data []byte) []passwdEntry {
	var out []passwdEntry
	for _, l := range strings.Split(string(data), "\n") {
		l = strings.TrimSuffix(l, "\r")
		if l == "" || l[0] == '#' || l[0] == '+' || l[0] == '-' {
			continue
		}
		f := strings.Split(l, ":")
		if len(f) != 7 || f[0] == "" {
			continue
		}
		uid, err := strconv.Atoi(f[2])
		if err != nil || uid < 0 {
			continue
		}
		out = append(out, passwdEntry{Name: f[0], UID: uid, Home: f[5], Shell: f[6]})
	}
	return out
}

// loginShell reports whether shell lets the user log in.
func loginShell(shell string) bool {
	switch baseName(strings.TrimSpace(shell)) {
	case "", "nologin", "false", "sync", "halt", "shutdown", "true":
		return false
	}
	return true
}

// notHome are directories that are never treated as homes even when
// /etc/passwd says so (system accounts point there).
var notHome = map[string]bool{
	"/": true, "/bin": true, "/sbin": true, "/usr": true, "/usr/bin": true, "/usr/sbin": true, "/dev": true, "/proc": true,
	"/sys": true, "/nonexistent": true, "/var": true, "/etc": true, "/run": true, "/tmp": true, "/var/run": true, "/lib": true,
	"/boot": true, "/var/tmp": true, "/dev/shm": true, "/var/lib": true, "/usr/lib": true, "/opt": true, "/home": true,
}

func (s *sweeper) discoverHomes() {
	var cands []string
	if data, _, _, err := s.readHostFile("/etc/passwd"); err == nil {
		for _, e := range parsePasswd(data) {
			if e.Home == "" || !strings.HasPrefix(e.Home, "/") {
				continue
			}
			real, err := s.j.resolve(e.Home)
			if err != nil || notHome[real] || !s.j.isDir(real) {
				continue
			}
			if _, ok := s.homeOf[e.Name]; !ok {
				s.homeOf[e.Name] = real
			}
			if len(s.opt.Homes) == 0 && (loginShell(e.Shell) || e.UID >= 1000 && e.UID != 65534) {
				cands = append(cands, real)
			}
		}
	}
	if _, ok := s.homeOf["root"]; !ok {
		if real, err := s.j.resolve("/root"); err == nil && s.j.isDir(real) {
			s.homeOf["root"] = real
		}
	}
	if len(s.opt.Homes) > 0 {
		for _, h := range s.opt.Homes {
			real, err := s.j.resolve(h)
			if err != nil {
				s.diag(cleanHost(h), "", "home directory not inspected: "+errText(err))
				continue
			}
			if !s.j.isDir(real) {
				s.diag(cleanHost(h), "", "home directory not inspected: not a directory")
				continue
			}
			cands = append(cands, real)
		}
	} else {
		cands = append(cands, "/root")
		cands = append(cands, s.globHost("/home/*")...)
	}
	seen := map[string]bool{}
	for _, c := range cands {
		real, err := s.j.resolve(c)
		if err != nil || seen[real] || notHome[real] && len(s.opt.Homes) == 0 || !s.j.isDir(real) {
			continue
		}
		seen[real] = true
		s.homes = append(s.homes, real)
	}
}

// pathEnvFor returns the path environment for files of one home ("" for
// system-wide files).
func (s *sweeper) pathEnvFor(home string) *pathEnv {
	homes := append([]string(nil), s.homes...)
	for _, h := range s.homeOf {
		homes = append(homes, h)
	}
	return &pathEnv{home: home, homes: sortedHomes(homes), isVenv: func(dir string) bool {
		real, err := s.j.resolve(dir + "/pyvenv.cfg")
		return err == nil && s.j.isFile(real)
	}}
}

// readHostFile resolves and reads a host file within the size limit.
func (s *sweeper) readHostFile(p string) (data []byte, real string, truncated bool, err error) {
	real, err = s.j.resolve(p)
	if err != nil {
		return nil, "", false, err
	}
	data, _, truncated, err = s.j.readFile(real, s.opt.MaxFileBytes)
	return data, real, truncated, err
}
