package pypi

import (
	"errors"
	"fmt"
	"strings"
)

// pep508Req is one PEP 508 dependency specification, such as
// `requests[socks] >= 2.8.1, == 2.8.* ; python_version < "2.7"` or
// `pip @ https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee`.
// Fields hold the text as written, trimmed.
type pep508Req struct {
	name   string
	extras []string
	spec   string // version specifier, without parentheses
	url    string // after "@"
	marker string // after ";"
}

// errPEP508Spec marks a requirement whose name was read but whose version
// specifier is invalid: the name is still worth recording.
var errPEP508Spec = errors.New("invalid version specifier")

// parsePEP508 parses a requirement string. On errPEP508Spec the returned
// requirement has its name, extras and marker set. The marker is not
// parsed, only kept.
func parsePEP508(s string) (pep508Req, error) {
	var r pep508Req
	s = trimPySpace(s)
	n := 0
	for n < len(s) && (isLockAlnum(s[n]) || s[n] == '.' || s[n] == '_' || s[n] == '-') {
		n++
	}
	r.name = s[:n]
	if !validProjectName(r.name) {
		if r.name == "" {
			return pep508Req{}, fmt.Errorf("no project name at the start of %s", lockQuote(s))
		}
		return pep508Req{}, fmt.Errorf("invalid project name %s", lockQuote(r.name))
	}
	rest := trimPySpace(s[n:])
	if strings.HasPrefix(rest, "[") {
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return pep508Req{}, fmt.Errorf("unclosed extras in %s", lockQuote(s))
		}
		for _, e := range strings.Split(rest[1:end], ",") {
			e = trimPySpace(e)
			if e == "" {
				continue
			}
			if !validProjectName(e) {
				return pep508Req{}, fmt.Errorf("invalid extra %s", lockQuote(e))
			}
			r.extras = append(r.extras, e)
		}
		rest = trimPySpace(rest[end+1:])
	}
	var specErr error
	switch {
	case strings.HasPrefix(rest, "@"):
		rest = trimPySpace(rest[1:])
		end := strings.IndexFunc(rest, isPySpace)
		if end < 0 {
			end = len(rest)
		}
		r.url, rest = rest[:end], trimPySpace(rest[end:])
		if r.url == "" {
			return pep508Req{}, fmt.Errorf("no url after \"@\" in %s", lockQuote(s))
		}
	case strings.HasPrefix(rest, "("):
		end := strings.IndexByte(rest, ')')
		if end < 0 {
			return pep508Req{}, fmt.Errorf("unclosed \"(\" in %s", lockQuote(s))
		}
		r.spec, rest = trimPySpace(rest[1:end]), trimPySpace(rest[end+1:])
	default:
		end := strings.IndexByte(rest, ';')
		if end < 0 {
			end = len(rest)
		}
		r.spec, rest = trimPySpace(rest[:end]), rest[end:]
	}
	if r.spec != "" {
		if !strings.ContainsRune("<>=!~", rune(r.spec[0])) {
			return pep508Req{}, fmt.Errorf("unexpected %s after the project name %s", lockQuote(r.spec), lockQuote(r.name))
		}
		if _, err := ParseSpecifierSet(r.spec); err != nil {
			specErr = fmt.Errorf("%w %s for %s", errPEP508Spec, lockQuote(r.spec), lockQuote(r.name))
		}
	}
	if rest != "" {
		if rest[0] != ';' {
			return pep508Req{}, fmt.Errorf("unexpected %s after the requirement %s", lockQuote(rest), lockQuote(r.name))
		}
		r.marker = trimPySpace(rest[1:])
		if r.marker == "" {
			return pep508Req{}, fmt.Errorf("empty environment marker after \";\" in %s", lockQuote(s))
		}
	}
	return r, specErr
}

// constraint renders what the requirement asks for: specifier and marker.
func (r pep508Req) constraint() string { return joinConstraint(r.spec, r.marker) }
