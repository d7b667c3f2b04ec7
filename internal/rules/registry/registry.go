// Package registry is the one list of every rule airlock runs.
package registry

import (
	"github.com/airlock-sec/airlock/internal/rules"
	"github.com/airlock-sec/airlock/internal/rules/advisory"
	"github.com/airlock-sec/airlock/internal/rules/static"
	"github.com/airlock-sec/airlock/internal/rules/workflow"
)

// All returns every registered rule, grouped by family.
func All() []rules.Rule {
	var out []rules.Rule
	out = append(out, advisory.List()...)
	out = append(out, static.List()...)
	return out
}

// Workflow returns the rules of "airlock ci", which check pipeline files
// rather than packages.
func Workflow() []workflow.Rule { return workflow.List() }

// Metas lists the metadata of every rule of every family, for docs.
func Metas() []rules.Meta {
	var out []rules.Meta
	for _, r := range All() {
		out = append(out, r.Meta())
	}
	for _, r := range Workflow() {
		out = append(out, r.Meta())
	}
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
