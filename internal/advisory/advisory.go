// Package advisory reads OSV advisories (schema 1.6, fields of 1.7 are
// tolerated) and decides whether a package version is affected by them.
//
// The package holds no ecosystem code: version orderings are plugged in per
// ecosystem with Register, and package names are normalized by the caller.
// SemverScheme (SemVer 2.0.0) is built in because OSV ranges of type SEMVER
// and the "Go" ecosystem need it.
package advisory

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// MaxSize is the largest advisory Parse and Read accept, in bytes. The
// largest records of the OSV databases (long Linux kernel CVEs with
// enumerated versions) stay well below it.
const MaxSize = 4 << 20

// ErrTooLarge is returned for an advisory larger than MaxSize.
var ErrTooLarge = errors.New("osv advisory larger than 4 MiB")

// Advisory is one OSV record.
type Advisory struct {
	SchemaVersion string
	ID            string
	Modified      time.Time
	// Published is zero when the record does not say.
	Published time.Time
	// Withdrawn is set when the record was withdrawn; a withdrawn advisory
	// affects nothing.
	Withdrawn *time.Time
	Aliases   []string
	Upstream  []string
	Related   []string
	Summary   string
	Details   string
	Severity  []Severity
	Affected  []Affected
	// References and Credits are kept for reports.
	References []Reference
	Credits    []Credit
	// DatabaseSpecific is the raw JSON object, nil when absent.
	DatabaseSpecific json.RawMessage

	// Members is set on the merged advisories Index.Lookup returns for an
	// alias group of more than one record: the original records, most
	// recently modified first. It is nil for a parsed record.
	Members []*Advisory
}

// Severity is one entry of a severity list (e.g. CVSS_V3 and its vector).
type Severity struct {
	Type  string
	Score string
}

// Reference is a link about the vulnerability.
type Reference struct {
	Type string
	URL  string
}

// Credit names someone credited for the advisory.
type Credit struct {
	Name    string
	Contact []string
	Type    string
}

// Package names the affected package as OSV does: Ecosystem is the OSV
// ecosystem string ("PyPI", "npm", "Go", "Debian:12"), Name the package
// name as written in the record.
type Package struct {
	Ecosystem string
	Name      string
	Purl      string
}

// Affected is one affected[] entry.
type Affected struct {
	Package           Package
	Severity          []Severity
	Ranges            []Range
	Versions          []string
	EcosystemSpecific json.RawMessage
	DatabaseSpecific  json.RawMessage
}

// RangeType is the type of a version range.
type RangeType string

const (
	RangeEcosystem RangeType = "ECOSYSTEM"
	RangeSemver    RangeType = "SEMVER"
	RangeGit       RangeType = "GIT"
)

// Range is one affected[].ranges[] entry. Events are kept in the order of
// the record; evaluation sorts them.
type Range struct {
	Type             RangeType
	Repo             string
	Events           []Event
	DatabaseSpecific json.RawMessage
}

// EventKind is the single key of an OSV range event.
type EventKind string

const (
	Introduced   EventKind = "introduced"
	Fixed        EventKind = "fixed"
	LastAffected EventKind = "last_affected"
	Limit        EventKind = "limit"
)

// Event is one range event: a kind and the version it names.
type Event struct {
	Kind    EventKind
	Version string
}

// The wire types mirror the JSON; unknown fields are ignored.
type (
	wireAdvisory struct {
		SchemaVersion    string          `json:"schema_version"`
		ID               string          `json:"id"`
		Modified         string          `json:"modified"`
		Published        string          `json:"published"`
		Withdrawn        string          `json:"withdrawn"`
		Aliases          []string        `json:"aliases"`
		Upstream         []string        `json:"upstream"`
		Related          []string        `json:"related"`
		Summary          string          `json:"summary"`
		Details          string          `json:"details"`
		Severity         []wireSeverity  `json:"severity"`
		Affected         []wireAffected  `json:"affected"`
		References       []wireReference `json:"references"`
		Credits          []wireCredit    `json:"credits"`
		DatabaseSpecific json.RawMessage `json:"database_specific"`
	}
	wireSeverity struct {
		Type  string `json:"type"`
		Score string `json:"score"`
	}
	wireReference struct {
		Type string `json:"type"`
		URL  string `json:"url"`
	}
	wireCredit struct {
		Name    string   `json:"name"`
		Contact []string `json:"contact"`
		Type    string   `json:"type"`
	}
	wireAffected struct {
		Package struct {
			Ecosystem string `json:"ecosystem"`
			Name      string `json:"name"`
			Purl      string `json:"purl"`
		} `json:"package"`
		Severity          []wireSeverity  `json:"severity"`
		Ranges            []wireRange     `json:"ranges"`
		Versions          []string        `json:"versions"`
		EcosystemSpecific json.RawMessage `json:"ecosystem_specific"`
		DatabaseSpecific  json.RawMessage `json:"database_specific"`
	}
	wireRange struct {
		Type             string          `json:"type"`
		Repo             string          `json:"repo"`
		Events           []wireEvent     `json:"events"`
		DatabaseSpecific json.RawMessage `json:"database_specific"`
	}
	wireEvent struct {
		Introduced   *string `json:"introduced"`
		Fixed        *string `json:"fixed"`
		LastAffected *string `json:"last_affected"`
		Limit        *string `json:"limit"`
	}
)

// Read parses one advisory from r, reading at most MaxSize bytes.
func Read(r io.Reader) (*Advisory, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("read osv advisory: %w", err)
	}
	return Parse(data)
}

// Parse decodes one OSV advisory. Unknown fields are ignored; id is
// required; timestamps must be RFC 3339; every range needs a type and
// every event exactly one of introduced, fixed, last_affected or limit
// with a non-empty version. Errors name the offending field.
func Parse(data []byte) (*Advisory, error) {
	if len(data) > MaxSize {
		return nil, ErrTooLarge
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("osv advisory: empty input")
	}
	var w wireAdvisory
	if err := json.Unmarshal(data, &w); err != nil {
		return nil, fmt.Errorf("osv advisory: %s", jsonError(err))
	}
	id := strings.TrimSpace(w.ID)
	if id == "" {
		return nil, errors.New(`osv advisory: field "id": required`)
	}
	if !validID(id) {
		return nil, fmt.Errorf(`osv advisory: field "id": %q contains spaces or control characters`, clip(id))
	}
	a := &Advisory{
		SchemaVersion:    w.SchemaVersion,
		ID:               id,
		Aliases:          w.Aliases,
		Upstream:         w.Upstream,
		Related:          w.Related,
		Summary:          w.Summary,
		Details:          w.Details,
		Severity:         severities(w.Severity),
		DatabaseSpecific: rawObject(w.DatabaseSpecific),
	}
	fail := func(field, format string, args ...any) error {
		return fmt.Errorf("osv advisory %q: field %q: %s", id, field, fmt.Sprintf(format, args...))
	}
	var err error
	if a.Modified, err = parseTime(w.Modified); err != nil {
		return nil, fail("modified", "%v", err)
	}
	if a.Published, err = parseTime(w.Published); err != nil {
		return nil, fail("published", "%v", err)
	}
	if w.Withdrawn != "" {
		t, err := parseTime(w.Withdrawn)
		if err != nil {
			return nil, fail("withdrawn", "%v", err)
		}
		a.Withdrawn = &t
	}
	for _, r := range w.References {
		a.References = append(a.References, Reference{Type: r.Type, URL: r.URL})
	}
	for _, c := range w.Credits {
		a.Credits = append(a.Credits, Credit{Name: c.Name, Contact: c.Contact, Type: c.Type})
	}
	for i, wa := range w.Affected {
		af := Affected{
			Package: Package{
				Ecosystem: wa.Package.Ecosystem,
				Name:      wa.Package.Name,
				Purl:      wa.Package.Purl,
			},
			Severity:          severities(wa.Severity),
			Versions:          wa.Versions,
			EcosystemSpecific: rawObject(wa.EcosystemSpecific),
			DatabaseSpecific:  rawObject(wa.DatabaseSpecific),
		}
		for j, wr := range wa.Ranges {
			field := fmt.Sprintf("affected[%d].ranges[%d]", i, j)
			if wr.Type == "" {
				return nil, fail(field+".type", "required (ECOSYSTEM, SEMVER or GIT)")
			}
			r := Range{Type: RangeType(wr.Type), Repo: wr.Repo, DatabaseSpecific: rawObject(wr.DatabaseSpecific)}
			for k, we := range wr.Events {
				ev, err := we.event()
				if err != nil {
					return nil, fail(fmt.Sprintf("%s.events[%d]", field, k), "%v", err)
				}
				r.Events = append(r.Events, ev)
			}
			af.Ranges = append(af.Ranges, r)
		}
		a.Affected = append(a.Affected, af)
	}
	return a, nil
}

func (we wireEvent) event() (Event, error) {
	var ev Event
	n := 0
	for _, c := range []struct {
		kind EventKind
		v    *string
	}{{Introduced, we.Introduced}, {Fixed, we.Fixed}, {LastAffected, we.LastAffected}, {Limit, we.Limit}} {
		if c.v == nil {
			continue
		}
		n++
		ev = Event{Kind: c.kind, Version: *c.v}
	}
	switch {
	case n == 0:
		return Event{}, errors.New("needs one of introduced, fixed, last_affected, limit")
	case n > 1:
		return Event{}, errors.New("has more than one of introduced, fixed, last_affected, limit")
	case strings.TrimSpace(ev.Version) == "":
		return Event{}, fmt.Errorf("%s: empty version", ev.Kind)
	}
	return ev, nil
}

func severities(ws []wireSeverity) []Severity {
	var out []Severity
	for _, s := range ws {
		out = append(out, Severity{Type: s.Type, Score: s.Score})
	}
	return out
}

// rawObject keeps a JSON value unless it is null or absent; the bytes are
// copied so the Advisory does not alias the caller's buffer.
func rawObject(m json.RawMessage) json.RawMessage {
	if len(m) == 0 || string(m) == "null" {
		return nil
	}
	return slices.Clone(m)
}

// parseTime accepts RFC 3339 timestamps (with or without fractional
// seconds) and, leniently, the same without a zone (taken as UTC) or a bare
// date. An empty string is the zero time.
func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not an RFC 3339 timestamp", clip(s))
}

func validID(id string) bool {
	for _, r := range id {
		if r <= ' ' || r == 0x7f {
			return false
		}
	}
	return true
}

// clip shortens a value quoted in an error message.
func clip(s string) string {
	const max = 64
	if len(s) <= max {
		return s
	}
	return strings.ToValidUTF8(s[:max], "") + "…"
}

// jsonError turns an encoding/json error into a message naming the field.
func jsonError(err error) string {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			return fmt.Sprintf("expected a JSON object, got %s", te.Value)
		}
		return fmt.Sprintf("field %q: expected %s, got JSON %s", field, wireTypeName(te.Type.String()), te.Value)
	case errors.As(err, &se):
		return fmt.Sprintf("invalid JSON at byte %d: %v", se.Offset, se)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "invalid JSON: unexpected end of input"
	}
	return "invalid JSON: " + err.Error()
}

// wireTypeName renders a Go type of the wire structs in JSON words.
func wireTypeName(t string) string {
	switch {
	case t == "string" || t == "*string":
		return "a string"
	case strings.HasPrefix(t, "[]"):
		return "an array"
	case strings.HasPrefix(t, "advisory.") || strings.HasPrefix(t, "struct"):
		return "an object"
	}
	return t
}

// Malicious reports whether the advisory is a malicious-package report
// (an OSV "MAL-" record, by ID or alias).
func (a *Advisory) Malicious() bool {
	if a == nil {
		return false
	}
	if isMAL(a.ID) {
		return true
	}
	return slices.ContainsFunc(a.Aliases, isMAL)
}

func isMAL(id string) bool {
	return len(id) >= 4 && strings.EqualFold(id[:4], "MAL-")
}

// AllIDs returns the ID and the aliases, without empties or duplicates,
// sorted.
func (a *Advisory) AllIDs() []string {
	if a == nil {
		return nil
	}
	ids := make([]string, 0, 1+len(a.Aliases))
	if a.ID != "" {
		ids = append(ids, a.ID)
	}
	for _, al := range a.Aliases {
		if al = strings.TrimSpace(al); al != "" {
			ids = append(ids, al)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}
