package advisory

import (
	"slices"
	"strings"
	"sync"
	"time"
)

// Index finds the advisories naming a package and merges records that
// describe the same thing under different IDs: an OSV "MAL-" record, the
// PyPA "PYSEC-" record and the GitHub "GHSA-" record that alias each other
// form one alias group and come back as one advisory.
//
// An Index is safe for concurrent use.
type Index struct {
	mu          sync.RWMutex
	records     map[string]*Advisory // by the record's own ID
	normalizers map[string]func(string) string

	// Derived from records and normalizers; rebuilt when dirty.
	dirty   bool
	groups  map[string][]*Advisory // group key → members, most recently modified first
	byPkg   map[pkgKey][]string    // package → group keys
	merged  map[string]*Advisory   // group key → merged advisory, filled lazily
	mergeMu sync.Mutex             // guards merged under the read lock
}

type pkgKey struct{ ecosystem, name string }

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{
		records:     map[string]*Advisory{},
		normalizers: map[string]func(string) string{},
	}
}

// SetNormalizer sets the package name normalization of a base ecosystem
// (PEP 503 for "PyPI"). Names in advisories are normalized with it when
// indexed, and the name given to Lookup is expected in the same form.
// Without one, names are compared as written.
func (ix *Index) SetNormalizer(ecosystem string, normalize func(string) string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if normalize == nil {
		delete(ix.normalizers, ecosystem)
	} else {
		ix.normalizers[ecosystem] = normalize
	}
	ix.dirty = true
}

// Add indexes an advisory. When a record with the same ID is already
// present, the more recently modified one is kept (the later Add on a tie).
// Records without an ID are ignored. The index keeps the pointer: do not
// change the advisory afterwards.
func (ix *Index) Add(a *Advisory) {
	if a == nil || a.ID == "" {
		return
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if old, ok := ix.records[a.ID]; ok && old.Modified.After(a.Modified) {
		return
	}
	ix.records[a.ID] = a
	ix.dirty = true
}

// Len returns the number of records (not alias groups) in the index.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.records)
}

// Lookup returns the advisories naming the package, one per alias group,
// the most recently modified first (ties by ID). ecosystem is an OSV
// ecosystem string; normalizedName is the name in the form SetNormalizer
// produces. A group of one record is returned as that record; a larger
// group as a merged advisory (see merge). Withdrawn groups are included
// and have Withdrawn set; Affects answers false for them. The returned
// advisories are shared: do not change them.
func (ix *Index) Lookup(ecosystem, normalizedName string) []*Advisory {
	ix.mu.RLock()
	if ix.dirty || ix.groups == nil {
		ix.mu.RUnlock()
		ix.mu.Lock()
		if ix.dirty || ix.groups == nil {
			ix.rebuild()
		}
		ix.mu.Unlock()
		ix.mu.RLock()
	}
	defer ix.mu.RUnlock()

	base := baseEcosystem(ecosystem)
	norm := ix.normalizer(base)
	name := norm(normalizedName)
	var out []*Advisory
	for _, g := range ix.byPkg[pkgKey{base, name}] {
		members := ix.groups[g]
		if !slices.ContainsFunc(members, func(a *Advisory) bool { return names(a, ecosystem, name, norm) }) {
			continue // another release of a suffixed ecosystem
		}
		out = append(out, ix.mergedGroup(g))
	}
	slices.SortFunc(out, byModifiedDesc)
	return out
}

func (ix *Index) normalizer(base string) func(string) string {
	if f := ix.normalizers[base]; f != nil {
		return f
	}
	return func(s string) string { return s }
}

// names reports whether an affected[] entry of a names the package.
func names(a *Advisory, ecosystem, name string, norm func(string) string) bool {
	for _, af := range a.Affected {
		if af.Package.Name != "" && ecosystemMatches(ecosystem, af.Package.Ecosystem) && norm(af.Package.Name) == name {
			return true
		}
	}
	return false
}

// rebuild recomputes the alias groups and the package map. Called with the
// write lock held.
func (ix *Index) rebuild() {
	parent := map[string]string{}
	find := func(x string) string {
		if _, ok := parent[x]; !ok {
			parent[x] = x
			return x
		}
		for parent[x] != x {
			parent[x] = parent[parent[x]] // path halving
			x = parent[x]
		}
		return x
	}
	union := func(a, b string) {
		ra, rb := find(a), find(b)
		if ra != rb {
			// The smaller ID becomes the root so group keys do not
			// depend on map iteration order.
			if rb < ra {
				ra, rb = rb, ra
			}
			parent[rb] = ra
		}
	}
	ids := make([]string, 0, len(ix.records))
	for id := range ix.records {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		a := ix.records[id]
		find(id)
		for _, al := range a.AllIDs() {
			union(id, al)
		}
	}

	ix.groups = map[string][]*Advisory{}
	for _, id := range ids {
		g := find(id)
		ix.groups[g] = append(ix.groups[g], ix.records[id])
	}
	for _, members := range ix.groups {
		slices.SortFunc(members, byModifiedDesc)
	}

	ix.byPkg = map[pkgKey][]string{}
	for g, members := range ix.groups {
		seen := map[pkgKey]bool{}
		for _, a := range members {
			for _, af := range a.Affected {
				if af.Package.Name == "" || af.Package.Ecosystem == "" {
					continue
				}
				base := baseEcosystem(af.Package.Ecosystem)
				k := pkgKey{base, ix.normalizer(base)(af.Package.Name)}
				if !seen[k] {
					seen[k] = true
					ix.byPkg[k] = append(ix.byPkg[k], g)
				}
			}
		}
	}
	ix.merged = map[string]*Advisory{}
	ix.dirty = false
}

func byModifiedDesc(a, b *Advisory) int {
	if c := b.Modified.Compare(a.Modified); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// mergedGroup returns the merged advisory of a group, computed once per
// rebuild. Called with the read lock held; cache fills are serialized by
// mergeMu.
func (ix *Index) mergedGroup(g string) *Advisory {
	ix.mergeMu.Lock()
	defer ix.mergeMu.Unlock()
	if m, ok := ix.merged[g]; ok {
		return m
	}
	m := merge(ix.groups[g])
	ix.merged[g] = m
	return m
}

// merge combines an alias group, members sorted most recently modified
// first. A single record is returned as is. Otherwise the result takes its
// ID, summary, details and database_specific from the most recently
// modified record that is not withdrawn (the primary); its aliases are all
// other IDs of the group; affected, severity, references, credits,
// related and upstream are the unions over the records that are not
// withdrawn, so a version any of them calls affected is affected.
// Modified is the latest, Published the earliest. The merge is withdrawn
// only when every record is, and then Withdrawn is the latest withdrawal.
func merge(members []*Advisory) *Advisory {
	if len(members) == 1 {
		return members[0]
	}
	live := make([]*Advisory, 0, len(members))
	for _, a := range members {
		if a.Withdrawn == nil {
			live = append(live, a)
		}
	}
	m := &Advisory{Members: members}
	if len(live) == 0 {
		live = members
		var w time.Time
		for _, a := range members {
			if a.Withdrawn.After(w) {
				w = *a.Withdrawn
			}
		}
		m.Withdrawn = &w
	}
	p := live[0]
	m.SchemaVersion, m.ID, m.DatabaseSpecific = p.SchemaVersion, p.ID, p.DatabaseSpecific

	var ids []string
	for _, a := range members {
		if a.Modified.After(m.Modified) {
			m.Modified = a.Modified
		}
		if !a.Published.IsZero() && (m.Published.IsZero() || a.Published.Before(m.Published)) {
			m.Published = a.Published
		}
		ids = append(ids, a.AllIDs()...)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	m.Aliases = slices.DeleteFunc(ids, func(id string) bool { return id == m.ID })

	for _, a := range live {
		if m.Summary == "" {
			m.Summary = a.Summary
		}
		if m.Details == "" {
			m.Details = a.Details
		}
		m.Affected = append(m.Affected, a.Affected...)
		m.Severity = appendUnique(m.Severity, a.Severity, func(s Severity) Severity { return s })
		m.References = appendUnique(m.References, a.References, func(r Reference) string { return r.URL })
		m.Credits = appendUnique(m.Credits, a.Credits, func(c Credit) string { return c.Type + "\x00" + c.Name })
		m.Related = appendUnique(m.Related, a.Related, func(s string) string { return s })
		m.Upstream = appendUnique(m.Upstream, a.Upstream, func(s string) string { return s })
	}
	return m
}

// appendUnique appends the elements of add whose key is not in dst yet.
func appendUnique[T any, K comparable](dst, add []T, key func(T) K) []T {
	seen := make(map[K]bool, len(dst))
	for _, x := range dst {
		seen[key(x)] = true
	}
	for _, x := range add {
		if k := key(x); !seen[k] {
			seen[k] = true
			dst = append(dst, x)
		}
	}
	return dst
}
