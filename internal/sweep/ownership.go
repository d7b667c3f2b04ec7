package sweep

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path"
	"strings"

	"github.com/airlock-sec/airlock/internal/ecosystem/pypi"
	"github.com/airlock-sec/airlock/internal/model"
)

// owner is something that says it installed a file, with the hash it
// recorded when it did.
type owner struct {
	// Who is a description for messages: `RECORD of "setuptools 68.0.0"`.
	Who string
	// verify checks the file's content; nil when no hash was recorded.
	verify func(data []byte) (ok, known bool)
}

// recordOwners returns the distributions of a site dir that list rel
// (slash-separated, relative to the site dir).
func recordOwners(sd *pypi.SiteDir, rel string) []owner {
	var out []owner
	for _, d := range sd.Dists {
		listed := false
		for _, f := range d.Files {
			if f == rel {
				listed = true
				break
			}
		}
		if !listed {
			continue
		}
		o := owner{Who: fmt.Sprintf("%s of %s", metaKind(d.MetaDir), quote(d.Name+" "+d.Version))}
		for _, e := range d.Record {
			if path.Clean(e.Path) == rel && e.Hash != "" {
				e := e
				o.verify = func(data []byte) (bool, bool) { return pypi.VerifyHash(e, data) }
				break
			}
		}
		out = append(out, o)
	}
	return out
}

func metaKind(metaDir string) string {
	if strings.HasSuffix(metaDir, ".dist-info") {
		return "RECORD"
	}
	return "file list"
}

// verifyOwners reports how a file's content compares with what its owners
// recorded: matched (some owner's hash matches, or no owner recorded one)
// or modified (every recorded hash differs; by names who recorded it).
func verifyOwners(owners []owner, data []byte, complete bool) (modified bool, by string) {
	if !complete {
		return false, ""
	}
	var mismatch []string
	for _, o := range owners {
		if o.verify == nil {
			continue
		}
		ok, known := o.verify(data)
		if ok {
			return false, ""
		}
		if known {
			mismatch = append(mismatch, o.Who)
		}
	}
	if len(mismatch) == 0 {
		return false, ""
	}
	return true, mismatch[0]
}

// osIndex answers "which dpkg or conda package installed this file, and
// with which hash" for a set of wanted host paths. It reads the package
// databases once, streaming, and keeps only the wanted entries.
type osIndex struct {
	s      *sweeper
	wanted map[string]bool
	owners map[string][]owner
}

func newOSIndex(s *sweeper) *osIndex {
	return &osIndex{s: s, wanted: map[string]bool{}, owners: map[string][]owner{}}
}

func (x *osIndex) want(host string) { x.wanted[host] = true }

const dpkgInfo = "/var/lib/dpkg/info"

// loadDpkg reads /var/lib/dpkg/info/*.md5sums (path and md5 of every
// packaged file but configuration files) and, for wanted paths not found
// there, *.list (every path a package installed).
func (x *osIndex) loadDpkg() {
	if len(x.wanted) == 0 {
		return
	}
	dir, err := x.s.j.resolve(dpkgInfo)
	if err != nil || !x.s.j.isDir(dir) {
		return
	}
	entries, _, err := x.s.j.readDir(dir, 0)
	if err != nil {
		x.s.diag(dir, "", "cannot list the dpkg database: "+errText(err))
		return
	}
	found := map[string]bool{}
	for _, suffix := range []string{".md5sums", ".list"} {
		for _, e := range entries {
			name := e.Name()
			if !strings.HasSuffix(name, suffix) || !e.Type().IsRegular() {
				continue
			}
			if suffix == ".list" && len(found) == len(x.wanted) {
				return
			}
			pkg := strings.TrimSuffix(name, suffix)
			if i := strings.IndexByte(pkg, ':'); i >= 0 {
				pkg = pkg[:i]
			}
			data, _, truncated, err := x.s.j.readFile(dir+"/"+name, x.s.opt.MaxFileBytes)
			if err != nil {
				x.s.diag(dir+"/"+name, "", "cannot read: "+errText(err))
				continue
			}
			if truncated {
				x.s.diag(dir+"/"+name, "", fmt.Sprintf("larger than %d bytes; only the beginning was read", x.s.opt.MaxFileBytes))
			}
			sc := bufio.NewScanner(bytes.NewReader(data))
			sc.Buffer(make([]byte, 0, 4096), 64<<10)
			for sc.Scan() {
				line := sc.Text()
				var p, sum string
				if suffix == ".md5sums" {
					f := strings.SplitN(line, "  ", 2)
					if len(f) != 2 {
						continue
					}
					sum, p = f[0], cleanHost(f[1])
				} else {
					p = cleanHost(strings.TrimSpace(line))
					if found[p] {
						continue
					}
				}
				if !x.wanted[p] {
					continue
				}
				found[p] = true
				o := owner{Who: "dpkg package " + quote(pkg)}
				if want, err := hex.DecodeString(sum); err == nil && len(want) == md5.Size {
					o.verify = func(data []byte) (bool, bool) {
						got := md5.Sum(data)
						return subtle.ConstantTimeCompare(got[:], want) == 1, true
					}
				}
				x.owners[p] = append(x.owners[p], o)
			}
		}
	}
}

// condaMeta is the part of a conda-meta/*.json record the sweep reads.
type condaMeta struct {
	Name      string   `json:"name"`
	Version   string   `json:"version"`
	Files     []string `json:"files"`
	PathsData struct {
		Paths []struct {
			Path   string `json:"_path"`
			Sha256 string `json:"sha256"`
		} `json:"paths"`
	} `json:"paths_data"`
}

// loadConda reads prefix/conda-meta/*.json for wanted files below prefix.
func (x *osIndex) loadConda(prefix string) {
	meta := prefix + "/conda-meta"
	if !x.s.j.isDir(meta) {
		return
	}
	want := map[string]string{} // prefix-relative → host
	for h := range x.wanted {
		if strings.HasPrefix(h, prefix+"/") {
			want[strings.TrimPrefix(h, prefix+"/")] = h
		}
	}
	if len(want) == 0 {
		return
	}
	entries, _, err := x.s.j.readDir(meta, 0)
	if err != nil {
		x.s.diag(meta, "", "cannot list: "+errText(err))
		return
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") || !e.Type().IsRegular() {
			continue
		}
		data, _, truncated, err := x.s.j.readFile(meta+"/"+e.Name(), x.s.opt.MaxFileBytes)
		if err != nil || truncated {
			msg := "larger than the read limit; skipped"
			if err != nil {
				msg = "cannot read: " + errText(err)
			}
			x.s.diag(meta+"/"+e.Name(), "", msg)
			continue
		}
		var m condaMeta
		if err := json.Unmarshal(data, &m); err != nil {
			x.s.diag(meta+"/"+e.Name(), "", "invalid conda metadata: "+errText(err))
			continue
		}
		sums := map[string]string{}
		for _, p := range m.PathsData.Paths {
			sums[p.Path] = p.Sha256
		}
		who := "conda package " + quote(m.Name+" "+m.Version)
		for _, f := range m.Files {
			h, ok := want[f]
			if !ok {
				continue
			}
			o := owner{Who: who}
			if w, err := hex.DecodeString(sums[f]); err == nil && len(w) == sha256.Size {
				o.verify = func(data []byte) (bool, bool) {
					got := sha256.Sum256(data)
					return subtle.ConstantTimeCompare(got[:], w) == 1, true
				}
			}
			x.owners[h] = append(x.owners[h], o)
		}
	}
}

// severityVerdict maps the strongest finding to a verdict: critical
// blocks, high and medium warn.
func severityVerdict(fs []model.Finding) model.Verdict {
	best := model.Info
	for _, f := range fs {
		if f.Severity > best {
			best = f.Severity
		}
	}
	switch {
	case best >= model.Critical:
		return model.Block
	case best >= model.Medium:
		return model.Warn
	}
	return model.Allow
}
