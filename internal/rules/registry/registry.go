// Package registry is the one list of every rule airlock runs.
package registry

import (
	"github.com/airlock-sec/airlock/internal/rules"
	"github.com/airlock-sec/airlock/internal/rules/advisory"
	"github.com/airlock-sec/airlock/internal/rules/static"
)

// All returns every registered rule, grouped by family.
func All() []rules.Rule {
	var out []rules.Rule
	out = append(out, advisory.List()...)
	out = append(out, static.List()...)
	return out
}

// IDs returns the set of registered rule IDs.
func IDs() map[string]bool {
	m := map[string]bool{}
	for _, r := range All() {
		m[r.Meta().ID] = true
	}
	return m
}
