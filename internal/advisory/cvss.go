package advisory

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
)

// CVSS3Score computes the base score of a CVSS v3.0 or v3.1 vector
// ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), per the FIRST
// specification. CVSS v4 vectors are not scored (their score needs the
// specification's macro-vector tables); callers fall back to the
// advisory's own severity label.
func CVSS3Score(vector string) (float64, error) {
	parts := strings.Split(vector, "/")
	if len(parts) < 9 || (parts[0] != "CVSS:3.0" && parts[0] != "CVSS:3.1") {
		return 0, errors.New("not a CVSS v3 vector")
	}
	m := map[string]string{}
	for _, p := range parts[1:] {
		k, v, ok := strings.Cut(p, ":")
		if !ok {
			return 0, errors.New("malformed CVSS metric " + p)
		}
		m[k] = v
	}
	weight := func(metric string, table map[string]float64) (float64, bool) {
		w, ok := table[m[metric]]
		return w, ok
	}
	scope := m["S"]
	if scope != "U" && scope != "C" {
		return 0, errors.New("CVSS vector without a valid scope")
	}
	pr := map[string]float64{"N": 0.85, "L": 0.62, "H": 0.27}
	if scope == "C" {
		pr = map[string]float64{"N": 0.85, "L": 0.68, "H": 0.5}
	}
	cia := map[string]float64{"H": 0.56, "L": 0.22, "N": 0}
	var w [7]float64
	for i, x := range []struct {
		metric string
		table  map[string]float64
	}{
		{"AV", map[string]float64{"N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2}},
		{"AC", map[string]float64{"L": 0.77, "H": 0.44}},
		{"PR", pr},
		{"UI", map[string]float64{"N": 0.85, "R": 0.62}},
		{"C", cia}, {"I", cia}, {"A", cia},
	} {
		v, ok := weight(x.metric, x.table)
		if !ok {
			return 0, errors.New("CVSS vector without a valid " + x.metric)
		}
		w[i] = v
	}
	iss := 1 - (1-w[4])*(1-w[5])*(1-w[6])
	var impact float64
	if scope == "U" {
		impact = 6.42 * iss
	} else {
		impact = 7.52*(iss-0.029) - 3.25*math.Pow(iss-0.02, 15)
	}
	if impact <= 0 {
		return 0, nil
	}
	expl := 8.22 * w[0] * w[1] * w[2] * w[3]
	if scope == "U" {
		return roundUp(math.Min(impact+expl, 10)), nil
	}
	return roundUp(math.Min(1.08*(impact+expl), 10)), nil
}

// roundUp is CVSS 3.1's Roundup: the smallest number with one decimal
// that is not below x, computed without floating-point surprises.
func roundUp(x float64) float64 {
	i := int64(math.Round(x * 100000))
	if i%10000 == 0 {
		return float64(i) / 100000
	}
	return float64(i/10000+1) / 10
}

// SeverityLabel is the qualitative severity of an advisory: from the
// highest CVSS v3 base score among its severity entries (top level and
// affected[]), else the label in database_specific.severity (GitHub's
// "LOW", "MODERATE", "HIGH", "CRITICAL"), else "".
// Returns one of "low", "medium", "high", "critical", "none" or "".
func (a *Advisory) SeverityLabel() (label, vector string) {
	best := -1.0
	consider := func(ss []Severity) {
		for _, s := range ss {
			if !strings.HasPrefix(s.Type, "CVSS_V3") {
				continue
			}
			if sc, err := CVSS3Score(s.Score); err == nil && sc > best {
				best, vector = sc, s.Score
			}
		}
	}
	consider(a.Severity)
	for _, af := range a.Affected {
		consider(af.Severity)
	}
	if best >= 0 {
		return scoreLabel(best), vector
	}
	for _, s := range a.Severity {
		if strings.HasPrefix(s.Type, "CVSS") && vector == "" {
			vector = s.Score
		}
	}
	var ds struct {
		Severity string `json:"severity"`
	}
	for _, raw := range append([]json.RawMessage{a.DatabaseSpecific}, dbSpecifics(a)...) {
		if len(raw) > 0 && json.Unmarshal(raw, &ds) == nil {
			switch strings.ToUpper(ds.Severity) {
			case "LOW":
				return "low", vector
			case "MODERATE", "MEDIUM":
				return "medium", vector
			case "HIGH":
				return "high", vector
			case "CRITICAL":
				return "critical", vector
			}
		}
	}
	return "", vector
}

func dbSpecifics(a *Advisory) []json.RawMessage {
	var out []json.RawMessage
	for _, m := range a.Members {
		out = append(out, m.DatabaseSpecific)
	}
	return out
}

func scoreLabel(s float64) string {
	switch {
	case s >= 9:
		return "critical"
	case s >= 7:
		return "high"
	case s >= 4:
		return "medium"
	case s > 0:
		return "low"
	}
	return "none"
}
