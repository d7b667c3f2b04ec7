package workflow

import "strings"

// stepRef reads a step's "uses:" (GitHub workflows and composite
// actions): "owner/repo@ref" and "owner/repo/sub/path@ref" are Kind
// "action", "docker://img:tag" is Kind "docker", "./path" is Kind "local".
func stepRef(raw Str, comment string) *Ref {
	r := &Ref{Raw: raw, Comment: comment}
	v := strings.TrimSpace(raw.Value)
	switch {
	case strings.HasPrefix(v, "docker://"):
		r.Kind = "docker"
		r.Name, r.Version = splitImage(strings.TrimPrefix(v, "docker://"))
	case isLocalPath(v):
		r.Kind = "local"
		r.Name = v
	default:
		r.Kind = "action"
		r.Name, r.Version = splitAt(v)
	}
	return r
}

// jobRef reads a job's "uses:" (GitHub reusable workflows):
// "owner/repo/.github/workflows/x.yml@ref" is Kind "reusable-workflow",
// "./.github/workflows/x.yml" is Kind "local".
func jobRef(raw Str, comment string) *Ref {
	r := &Ref{Raw: raw, Comment: comment}
	v := strings.TrimSpace(raw.Value)
	if isLocalPath(v) {
		r.Kind = "local"
		r.Name = v
		return r
	}
	r.Kind = "reusable-workflow"
	r.Name, r.Version = splitAt(v)
	return r
}

func isLocalPath(v string) bool {
	return v == "." || strings.HasPrefix(v, "./") || strings.HasPrefix(v, "../")
}

// splitAt splits "name@version" at the first "@" (names never hold one).
func splitAt(v string) (name, version string) {
	name, version, _ = strings.Cut(v, "@")
	return name, version
}

// imageRef reads a container image reference ("image: img:tag") as Kind
// "image". Expressions and variables are kept whole in Name.
func imageRef(raw Str, comment string) Ref {
	r := Ref{Raw: raw, Kind: "image", Comment: comment}
	v := strings.TrimSpace(raw.Value)
	if strings.Contains(v, "${{") {
		r.Name = v
		return r
	}
	r.Name, r.Version = splitImage(strings.TrimPrefix(v, "docker://"))
	return r
}

// splitImage splits an image reference: "img:tag" → ("img", "tag"),
// "img@sha256:…" → ("img", "sha256:…"), "img:tag@sha256:…" → ("img",
// "sha256:…") (the digest is what is pulled), "host:5000/img" →
// ("host:5000/img", "").
func splitImage(v string) (name, version string) {
	if i := strings.IndexByte(v, '@'); i >= 0 {
		name, version = v[:i], v[i+1:]
		if j := tagColon(name); j >= 0 {
			name = name[:j]
		}
		return name, version
	}
	if j := tagColon(v); j >= 0 {
		return v[:j], v[j+1:]
	}
	return v, ""
}

// tagColon is the index of the ":" before a tag (after the last "/"), or
// -1.
func tagColon(v string) int {
	slash := strings.LastIndexByte(v, '/')
	if i := strings.LastIndexByte(v, ':'); i > slash {
		return i
	}
	return -1
}
