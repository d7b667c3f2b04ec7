package pypi

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Metadata is the subset of Python core metadata airlock uses.
type Metadata struct {
	Name     string
	Version  string
	Summary  string
	HomePage string
	Author   string
	// RequiresDist holds every Requires-Dist header, in order, as written.
	RequiresDist []string
}

// maxHeaderLine bounds the length of one logical header (with its
// continuation lines) so a hostile file cannot make us build huge strings
// for fields we keep.
const maxHeaderLine = 1 << 20

// ParseMetadata parses core metadata in the RFC 822 style used by PKG-INFO
// and METADATA files: "Key: value" headers, continuation lines starting with
// a space or tab, headers ending at the first empty line. The body after the
// empty line (the long description) is ignored. Header names are matched
// case-insensitively.
//
// On malformed input it returns the fields read so far and an error naming
// the line. A file without a Name header is an error.
func ParseMetadata(data []byte) (Metadata, error) {
	var md Metadata
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return md, errors.New("metadata is empty")
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return md, errors.New("metadata contains a NUL byte")
	}

	var (
		key     string
		val     strings.Builder
		haveKey bool
		tooLong bool
	)
	flush := func() {
		if !haveKey {
			return
		}
		v := strings.TrimSpace(val.String())
		switch strings.ToLower(key) {
		case "name":
			md.Name = v
		case "version":
			md.Version = v
		case "summary":
			md.Summary = v
		case "home-page":
			md.HomePage = v
		case "author":
			md.Author = v
		case "requires-dist":
			if v != "" {
				md.RequiresDist = append(md.RequiresDist, v)
			}
		}
		haveKey = false
		val.Reset()
	}

	lineNo := 0
	rest := data
	for len(rest) > 0 {
		lineNo++
		var line []byte
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			line, rest = rest, nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 {
			break // end of headers; the body is ignored
		}
		if line[0] == ' ' || line[0] == '\t' {
			if !haveKey {
				return md, fmt.Errorf("metadata line %d: continuation line before any header", lineNo)
			}
			if !tooLong && val.Len()+len(line) <= maxHeaderLine {
				// Continuation lines fold into one value; keep a single space.
				if t := bytes.TrimSpace(line); len(t) > 0 {
					val.WriteByte(' ')
					val.Write(t)
				}
			} else {
				tooLong = true
			}
			continue
		}
		flush()
		tooLong = false
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 {
			return md, fmt.Errorf("metadata line %d: expected \"Key: value\", got %q", lineNo, snippet(line))
		}
		k := line[:colon]
		for _, c := range k {
			if c <= ' ' || c > '~' {
				return md, fmt.Errorf("metadata line %d: invalid header name %q", lineNo, snippet(k))
			}
		}
		key = string(k)
		haveKey = true
		v := line[colon+1:]
		if len(v) > maxHeaderLine {
			v = v[:maxHeaderLine]
			tooLong = true
		}
		val.Write(v)
	}
	flush()
	if !utf8.ValidString(md.Name) || !utf8.ValidString(md.Version) {
		return md, errors.New("metadata name or version is not valid UTF-8")
	}
	if md.Name == "" {
		return md, errors.New("metadata has no Name header")
	}
	return md, nil
}

// snippet shortens b for error messages.
func snippet(b []byte) string {
	const max = 60
	if len(b) > max {
		return string(b[:max]) + "…"
	}
	return string(b)
}

// NormalizeName normalizes a distribution name as PEP 503 does: lowercase,
// with every run of "-", "_" and "." replaced by a single "-".
func NormalizeName(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	sep := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c == '-' || c == '_' || c == '.' {
			sep = true
			continue
		}
		if sep {
			b.WriteByte('-')
			sep = false
		}
		b.WriteByte(c)
	}
	if sep {
		b.WriteByte('-')
	}
	return strings.ToLower(b.String())
}
