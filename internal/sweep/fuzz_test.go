package sweep

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

func addSeedsFromHosts(f *testing.F, match func(name string) bool) {
	for _, file := range []string{"testdata/hosts/clean.txtar", "testdata/hosts/persistence.txtar", "testdata/hosts/litellm.txtar", "testdata/hosts/tampered.txtar"} {
		h := parseHost(f, mustRead(f, file))
		for name, data := range h.files {
			if match(name) {
				f.Add(data)
			}
		}
	}
}

func mustRead(f *testing.F, file string) []byte {
	data, err := os.ReadFile(file)
	if err != nil {
		f.Fatal(err)
	}
	return data
}

func countLines(s string) int { return strings.Count(s, "\n") + 1 }

// FuzzParseUnit: unit parsing and the analysis of every Exec line never
// panic, and lines point into the file.
func FuzzParseUnit(f *testing.F) {
	addSeedsFromHosts(f, func(n string) bool { return strings.Contains(n, "systemd") })
	f.Add([]byte("[Service]\nExecStart=@-:+!!\"\" ; ; \\\n\\"))
	f.Add([]byte("[Service]\nExecStart=/bin/sh -c 'curl x | sh' ; /tmp/x\n"))
	env := &pathEnv{home: "/home/u", homes: []string{"/home/u"}}
	f.Fuzz(func(t *testing.T, data []byte) {
		u := parseUnit(data)
		n := countLines(string(data))
		if len(u.Execs) > maxUnitExecs {
			t.Fatalf("%d execs", len(u.Execs))
		}
		for _, e := range u.Execs {
			if e.Line < 1 || e.Line > n || e.Raw == "" || !execKeys[e.Key] {
				t.Fatalf("bad exec %+v (file has %d lines)", e, n)
			}
			for _, argv := range e.Argv {
				if len(argv) == 0 {
					t.Fatalf("empty argv in %+v", e)
				}
				words := make([]string, len(argv))
				for i, w := range argv {
					words[i] = expandSpecifiers(w, "/home/u")
				}
				for _, h := range analyzeArgv(words, env, e.Line) {
					if h.Line != e.Line || h.What == "" {
						t.Fatalf("hit %+v for exec at line %d", h, e.Line)
					}
				}
			}
		}
	})
}

// FuzzParseCrontab: crontab parsing never panics, entries have a command
// that holds no unescaped "%", and their hits stay on their line.
func FuzzParseCrontab(f *testing.F) {
	addSeedsFromHosts(f, func(n string) bool { return strings.Contains(n, "cron") })
	f.Add([]byte("@reboot root a%b\\%c\n* * * * *\n"))
	env := &pathEnv{home: "/root", homes: []string{"/root"}}
	f.Fuzz(func(t *testing.T, data []byte) {
		n := countLines(string(data))
		for _, system := range []bool{false, true} {
			for _, e := range parseCrontab(data, system) {
				if e.Line < 1 || e.Line > n || strings.TrimSpace(e.Command) == "" || e.Schedule == "" {
					t.Fatalf("bad entry %+v", e)
				}
				if system != (e.User != "") {
					t.Fatalf("user field %q with system=%v", e.User, system)
				}
				for _, h := range analyzeShellLine(e.Command, env, e.Line) {
					if h.Line != e.Line {
						t.Fatalf("hit %+v for entry at line %d", h, e.Line)
					}
				}
			}
		}
	})
}

// FuzzAnalyzeShell: classification of shell startup files never panics,
// is bounded, and reports lines that exist.
func FuzzAnalyzeShell(f *testing.F) {
	addSeedsFromHosts(f, func(n string) bool {
		return strings.Contains(n, "rc") || strings.Contains(n, "profile") || strings.Contains(n, "cron.daily")
	})
	f.Add([]byte("eval \"$(echo $(curl x) | base64 -d)\" &\nsu -c 'sh -c \"sh -c \\\"curl x|sh\\\"\"'"))
	f.Add([]byte("((\n${(%):-%x}\n<<EOF\ncurl x | sh\nEOF\n"))
	env := &pathEnv{home: "/home/u", homes: []string{"/home/u", "/root"}}
	f.Fuzz(func(t *testing.T, data []byte) {
		text := string(data)
		n := countLines(text)
		for _, zsh := range []bool{false, true} {
			hs := analyzeShell(text, env, zsh)
			if len(hs) > maxHits {
				t.Fatalf("%d hits", len(hs))
			}
			for _, h := range hs {
				if h.Line < 1 || h.Line > n || h.What == "" {
					t.Fatalf("hit %+v outside a %d-line text", h, n)
				}
			}
		}
	})
}

// FuzzPth: .pth line splitting, shim recognition and payload analysis
// never panic; exec lines are numbered in order and start with "import".
func FuzzPth(f *testing.F) {
	addSeedsFromHosts(f, func(n string) bool { return strings.HasSuffix(n, ".pth") })
	f.Add([]byte("\ufeffimport a\rimport\tb\x85import c\u2028import d"))
	f.Fuzz(func(t *testing.T, data []byte) {
		prev := 0
		for _, l := range pthExecLines(data) {
			if l.N <= prev || !(strings.HasPrefix(l.Text, "import ") || strings.HasPrefix(l.Text, "import\t")) {
				t.Fatalf("bad line %+v after %d", l, prev)
			}
			if strings.ContainsAny(l.Text, "\r\n") {
				t.Fatalf("line %d holds a line break: %q", l.N, l.Text)
			}
			prev = l.N
			isShimLine(l.Text)
			payloadTraits(l.Text)
			if s := snippet(l.Text, maxEvidence); utf8.RuneCountInString(s) > maxEvidence || !utf8.ValidString(s) {
				t.Fatalf("snippet %q", s)
			}
		}
	})
}

// FuzzParsePasswd: passwd parsing never panics and keeps only well-formed
// entries.
func FuzzParsePasswd(f *testing.F) {
	f.Add([]byte("root:x:0:0:root:/root:/bin/bash\n+nis\nbad:x:-1:0::/:/bin/sh\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, e := range parsePasswd(data) {
			if e.Name == "" || e.UID < 0 || strings.Contains(e.Home, ":") {
				t.Fatalf("bad entry %+v", e)
			}
		}
	})
}

// FuzzClassify: path classification never panics.
func FuzzClassify(f *testing.F) {
	for _, s := range []string{"~/.config/x", "/tmp/x", "/srv/.v/bin/py", "../../.x", "~", "/home//u/./.x/../y"} {
		f.Add(s)
	}
	env := &pathEnv{home: "/home/u", homes: []string{"/home/u", "/"}, isVenv: func(string) bool { return true }}
	f.Fuzz(func(t *testing.T, p string) {
		env.classify(p, false)
		env.classify(p, true)
		xdgPythonStartup(env, p)
	})
}
