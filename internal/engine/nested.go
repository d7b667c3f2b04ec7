package engine

import (
	"bytes"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/airlock-sec/airlock/internal/artifact"
	"github.com/airlock-sec/airlock/internal/model"
)

// nestedLimit bounds the archives opened inside one package.
const nestedLimit = 16

// expandNested adds the files of package archives shipped inside a
// package (a wheel vendored in an sdist, a tarball in an npm package) as
// "outer/path.whl!/inner/path", one level deep: setup.py can pip-install
// a bundled wheel, and a payload must not hide one archive down.
func expandNested(a *artifact.Artifact, lim artifact.Limits) {
	var added []*artifact.File
	opened := 0
	for _, f := range a.Files {
		if !nestedName(f.Path) || artifact.Sniff(f.Data) == "" {
			continue
		}
		if opened >= nestedLimit {
			a.Diagnostics = append(a.Diagnostics, model.Diagnostic{Path: f.Path, Message: fmt.Sprintf("more than %d nested archives; not opened", nestedLimit)})
			break
		}
		opened++
		if f.Truncated {
			a.Diagnostics = append(a.Diagnostics, model.Diagnostic{Path: f.Path, Message: "nested archive too large to open; its contents were not scanned"})
			continue
		}
		inner, err := artifact.Read(bytes.NewReader(f.Data), int64(len(f.Data)), lim)
		if err != nil {
			a.Diagnostics = append(a.Diagnostics, model.Diagnostic{Path: f.Path, Message: "nested archive: " + err.Error()})
			continue
		}
		for _, d := range inner.Diagnostics {
			d.Path = f.Path + "!/" + d.Path
			a.Diagnostics = append(a.Diagnostics, d)
		}
		for _, g := range inner.Files {
			c := *g
			c.Path = f.Path + "!/" + g.Path
			added = append(added, &c)
		}
	}
	if len(added) == 0 {
		return
	}
	a.Files = append(a.Files, added...)
	sort.Slice(a.Files, func(i, j int) bool { return a.Files[i].Path < a.Files[j].Path })
}

func nestedName(p string) bool {
	n := strings.ToLower(path.Base(p))
	for _, ext := range []string{".whl", ".tar.gz", ".tgz", ".zip", ".egg", ".tar.bz2", ".tar.xz", ".tar"} {
		if strings.HasSuffix(n, ext) {
			return true
		}
	}
	return false
}
