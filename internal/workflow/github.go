package workflow

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// github reads a GitHub Actions workflow.
func (p *parser) github(root *yaml.Node) {
	f := p.file
	m := p.asMap(root, "")
	if m == nil {
		return
	}
	f.Name = p.str(m.val("name"), "name")
	if e, ok := m.get("on"); ok {
		f.On = p.ghTriggers(e)
	} else {
		p.diag(p.pos(root).Line, "the workflow has no %q", "on")
	}
	if e, ok := m.get("permissions"); ok {
		f.Permissions = p.permissions(e)
	}
	f.Env = p.kvs(m.val("env"), "env", false)
	wf := ghDefaults{}
	p.readDefaults(m.val("defaults"), &wf)
	jobs := p.asMap(m.val("jobs"), "jobs")
	if jobs == nil {
		if _, ok := m.get("jobs"); !ok {
			p.diag(root.Line, "the workflow has no %q", "jobs")
		}
		return
	}
	for _, e := range jobs.ents {
		if e.val == nil {
			if p.overBudget {
				break
			}
			continue
		}
		id := p.keyStr(e)
		jm := p.asMap(e.val, "jobs."+e.name)
		if jm == nil {
			if isNull(e.val) {
				p.diag(id.Pos.Line, "job %q is empty", e.name)
			}
			continue
		}
		j := p.ghJob(id, jm, wf)
		if !p.addJob(j) {
			break
		}
	}
}

// ghDefaults is "defaults: run:" of a workflow or job.
type ghDefaults struct {
	shell, workdir string
}

func (p *parser) readDefaults(n *yaml.Node, d *ghDefaults) {
	dm := p.asMap(n, "defaults")
	if dm == nil {
		return
	}
	rm := p.asMap(dm.val("run"), "defaults.run")
	if rm == nil {
		return
	}
	if s := p.str(rm.val("shell"), "shell"); s.IsSet() {
		d.shell = shellName(s.Value)
	}
	if s := p.str(rm.val("working-directory"), "working-directory"); s.IsSet() {
		d.workdir = s.Value
	}
}

// shellName is the program of a "shell:" value ("bash -e {0}" → "bash",
// "/bin/bash -eo pipefail" → "bash").
func shellName(v string) string {
	f := strings.Fields(v)
	if len(f) == 0 {
		return ""
	}
	if i := strings.LastIndexByte(f[0], '/'); i >= 0 && i < len(f[0])-1 {
		return f[0][i+1:]
	}
	return f[0]
}

// ghTriggers reads "on:" as a string, a list, or a mapping of events.
func (p *parser) ghTriggers(e entry) []Trigger {
	n := e.val
	if isNull(n) {
		return nil
	}
	switch n.Kind {
	case yaml.ScalarNode, yaml.SequenceNode:
		var out []Trigger
		for _, s := range p.strs(n, "on") {
			out = append(out, Trigger{Event: s})
		}
		return out
	case yaml.MappingNode:
		m := p.mapOf(n, 0)
		out := make([]Trigger, 0, len(m.ents))
		for _, ev := range m.ents {
			t := Trigger{Event: p.keyStr(ev)}
			if !isNull(ev.val) && ev.val != nil && ev.val.Kind == yaml.MappingNode {
				em := p.mapOf(ev.val, 0)
				t.Types = p.strs(em.val("types"), "types")
				t.Branches = p.strs(em.val("branches"), "branches")
			}
			out = append(out, t)
		}
		return out
	}
	p.typeErr(n, "on", "a string, a list or a mapping")
	return nil
}

// permissions reads a "permissions:" block: "read-all", "write-all" or a
// mapping of scopes; "{}" is an empty (non-nil) Scopes. Null is treated as
// absent.
func (p *parser) permissions(e entry) *Permissions {
	n := e.val
	if isNull(n) {
		return nil
	}
	perm := &Permissions{Pos: p.pos(e.key)}
	switch n.Kind {
	case yaml.ScalarNode:
		perm.All = n.Value
		if n.Value != "read-all" && n.Value != "write-all" {
			p.diag(n.Line, "permissions %q must be %q, %q or a mapping of scopes", n.Value, "read-all", "write-all")
		}
		return perm
	case yaml.MappingNode:
		m := p.mapOf(n, 0)
		perm.Scopes = make(map[string]Str, len(m.ents))
		for _, s := range m.ents {
			v := p.str(s.val, "permissions."+s.name)
			switch v.Value {
			case "read", "write", "none":
			default:
				if v.IsSet() {
					p.diag(v.Pos.Line, "permission %q of %q must be %q, %q or %q", v.Value, s.name, "read", "write", "none")
				}
			}
			perm.Scopes[s.name] = v
		}
		return perm
	}
	p.typeErr(n, "permissions", "a string or a mapping")
	return nil
}

func (p *parser) ghJob(id Str, m *mapping, wf ghDefaults) *Job {
	j := &Job{ID: id, Pos: id.Pos}
	j.Name = p.str(m.val("name"), "name")
	j.If = p.str(m.val("if"), "if")
	j.RunsOn = p.runsOn(m.val("runs-on"))
	if e, ok := m.get("permissions"); ok {
		j.Permissions = p.permissions(e)
	}
	if e, ok := m.get("container"); ok {
		if r, ok := p.ghContainer(e.val, "container"); ok {
			j.Images = append(j.Images, r)
		}
	}
	if sm := p.asMap(m.val("services"), "services"); sm != nil {
		for _, s := range sm.ents {
			if r, ok := p.ghContainer(s.val, "services."+s.name); ok {
				j.Images = append(j.Images, r)
			}
		}
	}
	if e, ok := m.get("uses"); ok {
		if s := p.str(e.val, "uses"); s.IsSet() {
			j.Uses = jobRef(s, p.lineComment(e.key, e.val))
		}
	}
	if e, ok := m.get("secrets"); ok && !isNull(e.val) {
		if e.val.Kind == yaml.ScalarNode {
			if e.val.Value == "inherit" {
				j.SecretsInherit = p.pos(e.val)
			} else {
				p.diag(e.val.Line, "%q must be %q or a mapping", "secrets", "inherit")
			}
		} else if e.val.Kind != yaml.MappingNode {
			p.typeErr(e.val, "secrets", "\"inherit\" or a mapping")
		}
	}
	j.With = p.kvs(m.val("with"), "with", false)
	j.Env = p.kvs(m.val("env"), "env", false)
	if env := m.val("environment"); env != nil {
		if env.Kind == yaml.MappingNode {
			j.Environment = p.str(p.mapOf(env, 0).val("name"), "environment.name")
		} else {
			j.Environment = p.str(env, "environment")
		}
	}
	j.Needs = p.strs(m.val("needs"), "needs")
	d := wf
	p.readDefaults(m.val("defaults"), &d)
	for _, sn := range p.asList(m.val("steps"), "steps") {
		s := p.ghStep(sn, d)
		if s == nil {
			continue
		}
		if !p.addStep(j, s) {
			break
		}
	}
	return j
}

// runsOn reads "runs-on:" as a label, a list of labels, or {group,
// labels}.
func (p *parser) runsOn(n *yaml.Node) []Str {
	n = p.res(n)
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return p.strs(n, "runs-on")
	}
	m := p.mapOf(n, 0)
	var out []Str
	if g := p.str(m.val("group"), "runs-on.group"); g.IsSet() {
		out = append(out, g)
	}
	out = append(out, p.strs(m.val("labels"), "runs-on.labels")...)
	if len(out) == 0 {
		p.diag(n.Line, "%q must name a %q or %q", "runs-on", "group", "labels")
	}
	return out
}

// ghContainer reads "container:" or a service: an image string or
// {image: …}.
func (p *parser) ghContainer(n *yaml.Node, what string) (Ref, bool) {
	n = p.res(n)
	if isNull(n) {
		return Ref{}, false
	}
	var img *yaml.Node
	var key *yaml.Node
	switch n.Kind {
	case yaml.ScalarNode:
		img = n
	case yaml.MappingNode:
		e, ok := p.mapOf(n, 0).get("image")
		if !ok || isNull(e.val) {
			return Ref{}, false
		}
		img, key = e.val, e.key
	default:
		p.typeErr(n, what, "a string or a mapping")
		return Ref{}, false
	}
	s := p.str(img, what+".image")
	if !s.IsSet() || strings.TrimSpace(s.Value) == "" {
		return Ref{}, false
	}
	return imageRef(s, p.lineComment(key, img)), true
}

// ghStep reads one step of a job or composite action.
func (p *parser) ghStep(n *yaml.Node, d ghDefaults) *Step {
	if n.Kind != yaml.MappingNode {
		p.diag(n.Line, "a step must be a mapping, not %s", kindName(n))
		return nil
	}
	m := p.mapOf(n, 0)
	s := &Step{Pos: p.pos(n)}
	s.Name = p.str(m.val("name"), "name")
	s.ID = p.str(m.val("id"), "id")
	s.If = p.str(m.val("if"), "if")
	if e, ok := m.get("uses"); ok {
		if u := p.str(e.val, "uses"); u.IsSet() {
			s.Uses = stepRef(u, p.lineComment(e.key, e.val))
		}
	}
	s.With = p.kvs(m.val("with"), "with", false)
	s.Env = p.kvs(m.val("env"), "env", false)
	if e, ok := m.get("run"); ok {
		s.Run = p.script(e.val, "run")
		if s.Run != nil {
			s.Run.Shell = d.shell
			if sh := p.str(m.val("shell"), "shell"); sh.IsSet() {
				s.Run.Shell = shellName(sh.Value)
			}
			wd := d.workdir
			if w := p.str(m.val("working-directory"), "working-directory"); w.IsSet() {
				wd = w.Value
			}
			p.noteWorkdir(s.Run, wd)
		}
	}
	if s.Uses != nil && s.Run != nil {
		p.diag(s.Pos.Line, "a step must not have both %q and %q", "uses", "run")
	}
	return s
}

// action reads action.yml metadata.
func (p *parser) action(root *yaml.Node) {
	f := p.file
	m := p.asMap(root, "")
	if m == nil {
		return
	}
	a := &ActionMeta{}
	f.Action = a
	a.Name = p.str(m.val("name"), "name")
	f.Name = a.Name
	if im := p.asMap(m.val("inputs"), "inputs"); im != nil {
		for _, e := range im.ents {
			kv := KV{Key: p.keyStr(e)}
			if in := p.asMap(e.val, "inputs."+e.name); in != nil {
				if dv, ok := in.get("default"); ok && dv.val != nil {
					if dv.val.Kind == yaml.ScalarNode {
						kv.Value = p.scalar(dv.val)
					} else {
						p.typeErr(dv.val, "inputs."+e.name+".default", "a string")
					}
				}
			}
			a.Inputs = append(a.Inputs, kv)
		}
	}
	runsE, ok := m.get("runs")
	if !ok {
		p.diag(root.Line, "the action has no %q", "runs")
		return
	}
	rm := p.asMap(runsE.val, "runs")
	if rm == nil {
		return
	}
	a.Using = p.str(rm.val("using"), "runs.using")
	if e, ok := rm.get("image"); ok {
		if s := p.str(e.val, "runs.image"); s.IsSet() {
			c := p.lineComment(e.key, e.val)
			v := strings.TrimSpace(s.Value)
			if strings.HasPrefix(v, "docker://") {
				r := imageRef(s, c)
				r.Kind = "docker"
				a.Image = &r
			} else {
				a.Image = &Ref{Raw: s, Kind: "local", Name: v, Comment: c}
			}
		}
	}
	if e, ok := rm.get("steps"); ok {
		j := &Job{ID: Str{Value: "composite", Pos: p.pos(runsE.key)}, Pos: p.pos(runsE.key)}
		d := ghDefaults{}
		for _, sn := range p.asList(e.val, "runs.steps") {
			s := p.ghStep(sn, d)
			if s == nil {
				continue
			}
			if !p.addStep(j, s) {
				break
			}
		}
		f.Jobs = append(f.Jobs, j)
	}
}
