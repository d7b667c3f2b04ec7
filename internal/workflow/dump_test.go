package workflow

import (
	"fmt"
	"sort"
	"strings"

	"github.com/airlock-sec/airlock/internal/model"
)

// DumpFile prints a parsed file with every position, for golden tests.
func DumpFile(f *File) string {
	var b strings.Builder
	w := func(ind int, format string, args ...any) {
		b.WriteString(strings.Repeat("  ", ind))
		fmt.Fprintf(&b, format, args...)
		b.WriteByte('\n')
	}
	w(0, "file %s platform=%s lines=%d", f.Path, f.Platform, len(f.Lines))
	if f.Name.IsSet() {
		w(0, "name %s", dumpStr(f.Name))
	}
	for _, t := range f.On {
		w(0, "on %s%s", dumpStr(t.Event), dumpTrigger(t))
	}
	if f.Permissions != nil {
		w(0, "permissions %s", dumpPerm(f.Permissions))
	}
	for _, kv := range f.Env {
		w(0, "env %s", dumpKV(kv))
	}
	for _, r := range f.Refs {
		w(0, "ref %s", dumpRef(&r))
	}
	if a := f.Action; a != nil {
		w(0, "action name=%s using=%s", dumpStr(a.Name), dumpStr(a.Using))
		if a.Image != nil {
			w(1, "image %s", dumpRef(a.Image))
		}
		for _, kv := range a.Inputs {
			w(1, "input %s", dumpKV(kv))
		}
	}
	for _, j := range f.Jobs {
		w(0, "job %s @%s", dumpStr(j.ID), dumpPos(j.Pos))
		if j.Name.IsSet() {
			w(1, "name %s", dumpStr(j.Name))
		}
		if j.If.IsSet() {
			w(1, "if %s", dumpStr(j.If))
		}
		for _, s := range j.RunsOn {
			w(1, "runs-on %s", dumpStr(s))
		}
		if j.Permissions != nil {
			w(1, "permissions %s", dumpPerm(j.Permissions))
		}
		for _, r := range j.Images {
			w(1, "image %s", dumpRef(&r))
		}
		if j.Uses != nil {
			w(1, "uses %s", dumpRef(j.Uses))
		}
		if j.SecretsInherit.Line > 0 {
			w(1, "secrets inherit @%s", dumpPos(j.SecretsInherit))
		}
		for _, kv := range j.With {
			w(1, "with %s", dumpKV(kv))
		}
		for _, kv := range j.Env {
			w(1, "env %s", dumpKV(kv))
		}
		for _, s := range j.Contexts {
			w(1, "context %s", dumpStr(s))
		}
		if j.Environment.IsSet() {
			w(1, "environment %s", dumpStr(j.Environment))
		}
		for _, s := range j.Needs {
			w(1, "needs %s", dumpStr(s))
		}
		for _, s := range j.Steps {
			w(1, "step @%s", dumpPos(s.Pos))
			if s.Name.IsSet() {
				w(2, "name %s", dumpStr(s.Name))
			}
			if s.ID.IsSet() {
				w(2, "id %s", dumpStr(s.ID))
			}
			if s.If.IsSet() {
				w(2, "if %s", dumpStr(s.If))
			}
			if s.Uses != nil {
				w(2, "uses %s", dumpRef(s.Uses))
			}
			for _, kv := range s.With {
				w(2, "with %s", dumpKV(kv))
			}
			if r := s.Run; r != nil {
				w(2, "run @%s block=%v shell=%q %q", dumpPos(r.Pos), r.Block, r.Shell, r.Text)
			}
			for _, kv := range s.Env {
				w(2, "env %s", dumpKV(kv))
			}
		}
	}
	for _, s := range f.Suppressions {
		w(0, "suppress @%s rules=%q reason=%q", dumpPos(s.Pos), s.Rules, s.Reason)
	}
	for _, s := range f.CalledScripts {
		w(0, "calls %s", dumpStr(s))
	}
	return b.String()
}

func dumpPos(p Pos) string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

func dumpStr(s Str) string {
	if !s.IsSet() {
		return "<unset>"
	}
	return fmt.Sprintf("%q@%s", s.Value, dumpPos(s.Pos))
}

func dumpKV(kv KV) string { return dumpStr(kv.Key) + "=" + dumpStr(kv.Value) }

func dumpRef(r *Ref) string {
	s := fmt.Sprintf("%s name=%q version=%q raw=%s", r.Kind, r.Name, r.Version, dumpStr(r.Raw))
	if r.Comment != "" {
		s += fmt.Sprintf(" comment=%q", r.Comment)
	}
	return s
}

func dumpTrigger(t Trigger) string {
	var b strings.Builder
	for _, s := range t.Types {
		b.WriteString(" type=" + dumpStr(s))
	}
	for _, s := range t.Branches {
		b.WriteString(" branch=" + dumpStr(s))
	}
	return b.String()
}

func dumpPerm(p *Permissions) string {
	s := fmt.Sprintf("@%s all=%q", dumpPos(p.Pos), p.All)
	if p.Scopes != nil {
		keys := make([]string, 0, len(p.Scopes))
		for k := range p.Scopes {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		s += " scopes={"
		for i, k := range keys {
			if i > 0 {
				s += " "
			}
			s += k + "=" + dumpStr(p.Scopes[k])
		}
		s += "}"
	}
	return s
}

func dumpDiags(ds []model.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "diag %s\n", d.Message)
	}
	return b.String()
}
