// Package txtar reads the txtar format of golang.org/x/tools/txtar, in a
// few lines so that airlock's rule tests (testdata/<rule>/<case>.txtar)
// need no extra module.
package txtar

import (
	"bytes"
	"strings"
)

// Archive is a parsed txtar file: a free-form comment followed by
// files, each introduced by a "-- path --" marker line.
type Archive struct {
	Comment []byte
	Files   []File
}

// File is one file of an archive.
type File struct {
	Name string
	Data []byte
}

// Parse splits data into the comment and the files. A marker line is
// exactly "-- NAME --" (NAME trimmed of spaces, non-empty); every file's
// data ends with a newline, as in the original format.
func Parse(data []byte) *Archive {
	a := &Archive{}
	var name string
	var cur []byte
	inFile := false
	flush := func() {
		if !inFile {
			a.Comment = fixNL(cur)
			return
		}
		a.Files = append(a.Files, File{Name: name, Data: fixNL(cur)})
	}
	for len(data) > 0 {
		line := data
		next := []byte(nil)
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, next = data[:i+1], data[i+1:]
		}
		if n, ok := txtarMarker(line); ok {
			flush()
			name, cur, inFile = n, nil, true
		} else {
			cur = append(cur, line...)
		}
		data = next
	}
	flush()
	return a
}

func txtarMarker(line []byte) (string, bool) {
	s := strings.TrimRight(string(line), "\r\n")
	if !strings.HasPrefix(s, "-- ") || !strings.HasSuffix(s, " --") || len(s) < 7 {
		return "", false
	}
	name := strings.TrimSpace(s[3 : len(s)-3])
	return name, name != ""
}

func fixNL(b []byte) []byte {
	if len(b) == 0 || b[len(b)-1] == '\n' {
		return b
	}
	return append(b, '\n')
}
