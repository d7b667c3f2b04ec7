// Package safeio holds small helpers for reading hostile input: bounded
// reads, archive entry name cleaning and a byte/entry budget shared by one
// archive. Nothing here trusts a size or a name it was given.
package safeio

import (
	"errors"
	"path"
	"strings"
	"unicode/utf8"
)

// Errors returned by CleanPath. They are wrapped with the offending name.
var (
	ErrEmptyPath  = errors.New("empty path")
	ErrNULPath    = errors.New("path contains a NUL byte")
	ErrAbsolute   = errors.New("absolute path")
	ErrDrivePath  = errors.New("windows drive path")
	ErrTraversal  = errors.New("path escapes the package root")
	ErrInvalidUTF = errors.New("path is not valid UTF-8")
)

// CleanPath turns an archive entry name into a clean, slash-separated path
// relative to the package root. Backslashes are treated as separators (a
// name written on Windows, or aimed at it). It rejects empty names, names
// with NUL bytes, absolute paths, Windows drive and UNC paths, and paths
// that climb out of the root after cleaning ("a/../../b"). "." components
// and trailing slashes are removed. The result is never ".", never starts
// with "/" or "../" and satisfies fs.ValidPath when it is valid UTF-8.
// CleanPath does not touch invalid UTF-8; see ValidUTF8.
func CleanPath(name string) (string, error) {
	if name == "" {
		return "", ErrEmptyPath
	}
	if strings.IndexByte(name, 0) >= 0 {
		return "", ErrNULPath
	}
	if strings.IndexByte(name, '\\') >= 0 {
		name = strings.ReplaceAll(name, `\`, "/")
	}
	if name[0] == '/' {
		return "", ErrAbsolute
	}
	clean := path.Clean(name)
	switch {
	case len(clean) >= 2 && clean[1] == ':' && isASCIILetter(clean[0]):
		return "", ErrDrivePath
	case clean == ".":
		return "", ErrEmptyPath
	case clean == "..", strings.HasPrefix(clean, "../"):
		return "", ErrTraversal
	}
	return clean, nil
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// IsRoot reports whether name denotes the archive root itself ("", ".",
// "./", "/" …), which directory entries often do and which is not an error.
func IsRoot(name string) bool {
	name = strings.ReplaceAll(name, `\`, "/")
	return strings.Trim(name, "./") == "" && !strings.Contains(name, "..")
}

// Depth returns the number of components of a clean path ("a/b/c" is 3).
func Depth(clean string) int {
	if clean == "" {
		return 0
	}
	return strings.Count(clean, "/") + 1
}

// ValidUTF8 returns name with every invalid UTF-8 sequence replaced by
// U+FFFD, and whether it had to replace anything.
func ValidUTF8(name string) (string, bool) {
	if utf8.ValidString(name) {
		return name, false
	}
	return strings.ToValidUTF8(name, "\uFFFD"), true
}

// maxDisplay bounds names quoted in messages.
const maxDisplay = 512

// Display makes a hostile name safe to print in a one-line message:
// invalid UTF-8 and control characters become U+FFFD and long names are
// shortened with "…" in the middle.
func Display(name string) string {
	ok := utf8.ValidString(name)
	if ok {
		for i := 0; i < len(name); i++ {
			if c := name[i]; c < 0x20 || c == 0x7f || c >= 0x80 {
				ok = false
				break
			}
		}
	}
	if ok && len(name) <= maxDisplay {
		return name
	}
	var b strings.Builder
	for _, r := range name {
		if r == utf8.RuneError || r < 0x20 || (0x7f <= r && r < 0xa0) || r == '\u2028' || r == '\u2029' ||
			(0x202a <= r && r <= 0x202e) || (0x2066 <= r && r <= 0x2069) {
			r = utf8.RuneError
		}
		b.WriteRune(r)
	}
	s := b.String()
	if len(s) > maxDisplay {
		head, tail := s[:maxDisplay/2], s[len(s)-maxDisplay/2:]
		head = strings.ToValidUTF8(head, "")
		for !utf8.ValidString(tail) && tail != "" {
			tail = tail[1:]
		}
		s = head + "…" + tail
	}
	return s
}
