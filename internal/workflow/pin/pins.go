package pin

import "strings"

// Pins lists the map as "owner/repo@ref" → commit SHA, owner/repo
// lowercased and the ref as written, for the check of pin comments
// (workflow/pin-comment-mismatch).
func (m *MapResolver) Pins() map[string]string {
	out := make(map[string]string, len(m.entries))
	for k, e := range m.entries {
		name, ref, _ := strings.Cut(k, "@")
		out[strings.ToLower(name)+"@"+ref] = e.sha
	}
	return out
}
