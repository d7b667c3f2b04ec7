package workflow

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// circleBuiltins are CircleCI's built-in steps (besides "run").
var circleBuiltins = map[string]bool{
	"checkout": true, "setup_remote_docker": true, "add_ssh_keys": true,
	"save_cache": true, "restore_cache": true, "store_artifacts": true,
	"store_test_results": true, "persist_to_workspace": true,
	"attach_workspace": true,
}

// ccExecutor is a reusable executor: what a job naming it runs in.
type ccExecutor struct {
	images []Ref
	runsOn []Str
	env    []KV
	shell  string
}

// circleci reads .circleci/config.yml (2.0 and 2.1).
//
// Orbs are file Refs (Kind "orb"; inline orb definitions are skipped).
// Steps: "checkout" and the other built-ins are Uses Kind "builtin",
// "orb/command" is Kind "orb-command", any other name a reusable command
// (Kind "command"), with their parameters in With (a "steps" parameter's
// steps follow the command's step); "run" (and the old "deploy") is a Run
// script; when/unless steps are flattened into the steps around them. Reusable commands are also pseudo-jobs
// "commands/<name>" (after the jobs) so their run scripts are checked.
// Workflows add contexts and "requires" (Needs) to the jobs they list; an
// orb job ("node/test") listed with a context becomes a job with only its
// ID and Contexts.
func (p *parser) circleci(root *yaml.Node) {
	f := p.file
	m := p.asMap(root, "")
	if m == nil {
		return
	}
	if om := p.asMap(m.val("orbs"), "orbs"); om != nil {
		for _, e := range om.ents {
			if isNull(e.val) || e.val.Kind != yaml.ScalarNode {
				if e.val != nil && e.val.Kind != yaml.MappingNode && !isNull(e.val) {
					p.typeErr(e.val, "orbs."+e.name, "a string or a mapping")
				}
				continue
			}
			s := p.scalar(e.val)
			name, ver := splitAt(strings.TrimSpace(s.Value))
			f.Refs = append(f.Refs, Ref{Raw: s, Kind: "orb", Name: name, Version: ver, Comment: p.lineComment(e.key, e.val)})
		}
	}
	executors := map[string]*ccExecutor{}
	if em := p.asMap(m.val("executors"), "executors"); em != nil {
		for _, e := range em.ents {
			xm := p.asMap(e.val, "executors."+e.name)
			if xm == nil {
				continue
			}
			x := &ccExecutor{}
			tmp := &Job{}
			p.ccMachine(tmp, xm)
			x.images = tmp.Images
			x.runsOn = tmp.RunsOn
			x.env = p.kvs(xm.val("environment"), "environment", false)
			x.shell = p.str(xm.val("shell"), "shell").Value
			executors[e.name] = x
		}
	}
	byName := map[string]*Job{}
	if jm := p.asMap(m.val("jobs"), "jobs"); jm != nil {
		for _, e := range jm.ents {
			if e.val == nil {
				if p.overBudget {
					break
				}
				continue
			}
			id := p.keyStr(e)
			km := p.asMap(e.val, "jobs."+e.name)
			if km == nil {
				continue
			}
			j := &Job{ID: id, Pos: id.Pos}
			p.ccJob(j, km, executors)
			if !p.addJob(j) {
				break
			}
			byName[e.name] = j
		}
	}
	if cm := p.asMap(m.val("commands"), "commands"); cm != nil {
		for _, e := range cm.ents {
			km := p.asMap(e.val, "commands."+e.name)
			if km == nil {
				continue
			}
			k := p.keyStr(e)
			j := &Job{ID: Str{Value: "commands/" + e.name, Pos: k.Pos}, Pos: k.Pos}
			p.ccSteps(j, km.val("steps"), "", 0)
			if !p.addJob(j) {
				break
			}
		}
	}
	if wm := p.asMap(m.val("workflows"), "workflows"); wm != nil {
		for _, e := range wm.ents {
			if e.name == "version" || isNull(e.val) {
				continue
			}
			w := p.asMap(e.val, "workflows."+e.name)
			if w == nil {
				continue
			}
			p.ccWorkflow(w, byName)
		}
	}
}

// ccMachine reads what a job or executor runs in: docker images, a
// machine image, resource_class.
func (p *parser) ccMachine(j *Job, m *mapping) {
	for _, d := range p.asList(m.val("docker"), "docker") {
		if d.Kind != yaml.MappingNode {
			p.diag(d.Line, "items of %q must be mappings, not %s", "docker", kindName(d))
			continue
		}
		if e, ok := p.mapOf(d, 0).get("image"); ok {
			if s := p.str(e.val, "docker.image"); s.IsSet() && strings.TrimSpace(s.Value) != "" {
				j.Images = append(j.Images, imageRef(s, p.lineComment(e.key, e.val)))
			}
		}
	}
	if mn := m.val("machine"); mn != nil && mn.Kind == yaml.MappingNode {
		if e, ok := p.mapOf(mn, 0).get("image"); ok {
			if s := p.str(e.val, "machine.image"); s.IsSet() && strings.TrimSpace(s.Value) != "" {
				j.Images = append(j.Images, imageRef(s, p.lineComment(e.key, e.val)))
			}
		}
	}
	if rc := p.str(m.val("resource_class"), "resource_class"); rc.IsSet() {
		j.RunsOn = append(j.RunsOn, rc)
	}
}

func (p *parser) ccJob(j *Job, m *mapping, executors map[string]*ccExecutor) {
	p.ccMachine(j, m)
	shell := p.str(m.val("shell"), "shell").Value
	if xn := m.val("executor"); xn != nil {
		var name Str
		if xn.Kind == yaml.MappingNode {
			name = p.str(p.mapOf(xn, 0).val("name"), "executor.name")
		} else {
			name = p.str(xn, "executor")
		}
		if x := executors[name.Value]; x != nil {
			j.Images = append(j.Images, x.images...)
			if len(j.RunsOn) == 0 {
				j.RunsOn = append(j.RunsOn, x.runsOn...)
			}
			j.Env = append(j.Env, x.env...)
			if shell == "" {
				shell = x.shell
			}
		}
	}
	j.Env = append(j.Env, p.kvs(m.val("environment"), "environment", false)...)
	p.ccSteps(j, m.val("steps"), shell, 0)
}

// ccSteps reads a steps list into j.
func (p *parser) ccSteps(j *Job, n *yaml.Node, shell string, depth int) bool {
	for _, it := range p.asList(n, "steps") {
		if !p.ccStep(j, it, shell, depth) {
			return false
		}
	}
	return true
}

func (p *parser) ccStep(j *Job, it *yaml.Node, shell string, depth int) bool {
	switch it.Kind {
	case yaml.ScalarNode:
		if isNull(it) {
			return true
		}
		name := p.scalar(it)
		return p.addStep(j, &Step{Pos: name.Pos, Uses: ccRef(name)})
	case yaml.MappingNode:
	default:
		p.diag(it.Line, "a step must be a string or a mapping, not %s", kindName(it))
		return true
	}
	m := p.mapOf(it, 0)
	if len(m.ents) == 0 {
		return true
	}
	if len(m.ents) > 1 {
		p.diag(it.Line, "a step must have one key, not %d; only %q is read", len(m.ents), m.ents[0].name)
	}
	e := m.ents[0]
	s := &Step{Pos: p.pos(it)}
	switch e.name {
	case "run", "deploy":
		if e.val != nil && e.val.Kind == yaml.MappingNode {
			rm := p.mapOf(e.val, 0)
			s.Name = p.str(rm.val("name"), "run.name")
			s.Run = p.script(rm.val("command"), "run.command")
			s.Env = p.kvs(rm.val("environment"), "run.environment", false)
			if s.Run != nil {
				s.Run.Shell = shell
				if sh := p.str(rm.val("shell"), "run.shell"); sh.IsSet() {
					s.Run.Shell = shellName(sh.Value)
				}
				if w := p.str(rm.val("working_directory"), "run.working_directory"); w.IsSet() {
					p.noteWorkdir(s.Run, w.Value)
				}
			}
		} else {
			s.Run = p.script(e.val, "run")
			if s.Run != nil {
				s.Run.Shell = shell
			}
		}
		if s.Run == nil {
			return true
		}
		return p.addStep(j, s)
	case "when", "unless":
		wm := p.asMap(e.val, e.name)
		if wm == nil {
			return true
		}
		if depth >= maxNest {
			p.diag(it.Line, "%q steps nested deeper than %d; ignored", e.name, maxNest)
			return true
		}
		return p.ccSteps(j, wm.val("steps"), shell, depth+1)
	}
	s.Uses = ccRef(p.keyStr(e))
	var inner *yaml.Node
	if !isNull(e.val) && e.val != nil {
		if e.val.Kind == yaml.MappingNode {
			s.With = p.kvs(e.val, e.name, true)
			pm := p.mapOf(e.val, 0)
			if nm := pm.val("name"); nm != nil && nm.Kind == yaml.ScalarNode {
				s.Name = p.scalar(nm)
			}
			if st := pm.val("steps"); st != nil && st.Kind == yaml.SequenceNode && s.Uses.Kind != "builtin" {
				inner = st
			}
		} else {
			p.typeErr(e.val, e.name, "a mapping of parameters")
		}
	}
	if !p.addStep(j, s) {
		return false
	}
	// A "steps" parameter passes steps to the command: read them after it.
	if inner != nil {
		if depth >= maxNest {
			p.diag(it.Line, "%q steps nested deeper than %d; ignored", e.name, maxNest)
			return true
		}
		return p.ccSteps(j, inner, shell, depth+1)
	}
	return true
}

// ccRef classifies a step name.
func ccRef(name Str) *Ref {
	v := strings.TrimSpace(name.Value)
	r := &Ref{Raw: name, Name: v}
	switch {
	case circleBuiltins[v]:
		r.Kind = "builtin"
	case strings.Contains(v, "/"):
		r.Kind = "orb-command"
	default:
		r.Kind = "command"
	}
	return r
}

// ccWorkflow reads one workflow: contexts and requires of its jobs, and
// scheduled triggers.
func (p *parser) ccWorkflow(w *mapping, byName map[string]*Job) {
	for _, it := range p.asList(w.val("jobs"), "jobs") {
		if it.Kind != yaml.MappingNode {
			if it.Kind != yaml.ScalarNode {
				p.diag(it.Line, "workflow jobs must be names or mappings, not %s", kindName(it))
			}
			continue
		}
		m := p.mapOf(it, 0)
		if len(m.ents) == 0 {
			continue
		}
		e := m.ents[0]
		jm := p.asMap(e.val, "jobs."+e.name)
		if jm == nil {
			continue
		}
		ctx := p.strs(jm.val("context"), "context")
		req := p.strs(jm.val("requires"), "requires")
		j := byName[e.name]
		if j == nil {
			if len(ctx) == 0 || !strings.Contains(e.name, "/") {
				continue
			}
			k := p.keyStr(e)
			j = &Job{ID: k, Pos: k.Pos}
			if !p.addJob(j) {
				continue
			}
			byName[e.name] = j
		}
		j.Contexts = append(j.Contexts, ctx...)
	next:
		for _, r := range req {
			for _, have := range j.Needs {
				if have.Value == r.Value {
					continue next
				}
			}
			j.Needs = append(j.Needs, r)
		}
	}
	for _, t := range p.asList(w.val("triggers"), "triggers") {
		if t.Kind != yaml.MappingNode {
			continue
		}
		for _, e := range p.mapOf(t, 0).ents {
			tr := Trigger{Event: p.keyStr(e)}
			if sm := p.asMap(e.val, "triggers."+e.name); sm != nil {
				if fm := p.asMap(sm.val("filters"), "filters"); fm != nil {
					if bm := p.asMap(fm.val("branches"), "branches"); bm != nil {
						tr.Branches = p.strs(bm.val("only"), "branches.only")
					}
				}
			}
			p.file.On = append(p.file.On, tr)
		}
	}
}
