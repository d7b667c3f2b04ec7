package workflow

import (
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// gitlabReserved are the top-level keys of .gitlab-ci.yml that are not
// jobs ("pages" is a job with a special meaning, so it is a job here).
var gitlabReserved = map[string]bool{
	"default": true, "include": true, "stages": true, "variables": true,
	"workflow": true, "image": true, "services": true, "before_script": true,
	"after_script": true, "cache": true, "types": true, "spec": true,
}

// gitlab reads a GitLab CI file (.gitlab-ci.yml or a file it includes).
//
// Every top-level key that is not a reserved keyword is a job, hidden
// ".template" jobs included (they hold the scripts that "extends:" and
// anchors pull into real jobs). "extends:" is not resolved. The default
// image and services (default: or top-level) are added, with their own
// positions, to each non-hidden job that names no image and uses neither
// "extends:" (whose template may set one) nor "trigger:" (a bridge job
// runs no image); "inherit: default:" is honoured; when no job receives
// them,
// they go to a pseudo-job "default", which also holds the default
// before_script/after_script steps. "!reference [.job, key]" tags are
// resolved within the file (values from included files read as absent).
func (p *parser) gitlab(root *yaml.Node) {
	f := p.file
	if root.Kind == yaml.MappingNode {
		p.glTop = root
	}
	m := p.asMap(root, "")
	if m == nil {
		return
	}
	f.Env = p.glVariables(m.val("variables"), "variables")
	if e, ok := m.get("include"); ok {
		f.Refs = append(f.Refs, p.glIncludes(e.val, "include")...)
	}
	p.glWorkflow(m.val("workflow"))

	// Defaults: "default:" wins over the deprecated top-level keys.
	def := &Job{}
	var defKey Str
	defM := p.asMap(m.val("default"), "default")
	if e, ok := m.get("default"); ok {
		defKey = p.keyStr(e)
	}
	pick := func(key string) (entry, bool) {
		if e, ok := defM.get(key); ok && !isNull(e.val) {
			return e, true
		}
		if e, ok := m.get(key); ok && !isNull(e.val) {
			if !defKey.IsSet() {
				defKey = p.keyStr(e)
			}
			return e, true
		}
		return entry{}, false
	}
	var defImages, defServices []Ref
	if e, ok := pick("image"); ok {
		if r, ok := p.glImage(e, "image"); ok {
			defImages = append(defImages, r)
		}
	}
	if e, ok := pick("services"); ok {
		defServices = p.glServices(e.val)
	}
	for _, key := range []string{"before_script", "after_script"} {
		if e, ok := pick(key); ok {
			p.glScripts(def, e)
		}
	}
	if dm := defM; dm != nil {
		def.RunsOn = p.strs(dm.val("tags"), "default.tags")
	}

	gotDefaults := false
	for _, e := range m.ents {
		if gitlabReserved[e.name] || e.val == nil {
			if e.val == nil && p.overBudget {
				break
			}
			continue
		}
		hidden := strings.HasPrefix(e.name, ".")
		id := p.keyStr(e)
		if isNull(e.val) || e.val.Kind != yaml.MappingNode {
			if !hidden {
				p.diag(id.Pos.Line, "job %q must be a mapping, not %s", e.name, kindName(e.val))
			}
			continue
		}
		jm := p.mapOf(e.val, 0)
		j := &Job{ID: id, Pos: id.Pos}
		p.glJob(j, jm)
		if !hidden && jm.val("extends") == nil && jm.val("trigger") == nil {
			inherits := p.glInherit(jm)
			if inherits("image") && jm.val("image") == nil && len(defImages) > 0 {
				j.Images = append(append([]Ref{}, defImages...), j.Images...)
				gotDefaults = true
			}
			if inherits("services") && jm.val("services") == nil && len(defServices) > 0 {
				j.Images = append(j.Images, defServices...)
				gotDefaults = true
			}
			if inherits("tags") && jm.val("tags") == nil {
				j.RunsOn = append(j.RunsOn, def.RunsOn...)
			}
		}
		if !p.addJob(j) {
			break
		}
	}
	if !gotDefaults {
		def.Images = append(defImages, defServices...)
	}
	if len(def.Images) > 0 || len(def.Steps) > 0 {
		def.ID = Str{Value: "default", Pos: defKey.Pos}
		def.Pos = defKey.Pos
		f.Jobs = append(f.Jobs, def)
	}
}

// glInherit reads "inherit: default:" (true, false or a list of keys):
// whether a default keyword applies to the job.
func (p *parser) glInherit(jm *mapping) func(key string) bool {
	all := func(string) bool { return true }
	im := p.asMap(jm.val("inherit"), "inherit")
	if im == nil {
		return all
	}
	d := im.val("default")
	if d == nil {
		return all
	}
	if d.Kind == yaml.ScalarNode {
		v := d.Value != "false"
		return func(string) bool { return v }
	}
	keys := map[string]bool{}
	for _, s := range p.strs(d, "inherit.default") {
		keys[s.Value] = true
	}
	return func(k string) bool { return keys[k] }
}

func (p *parser) glJob(j *Job, m *mapping) {
	if e, ok := m.get("image"); ok {
		if r, ok := p.glImage(e, "image"); ok {
			j.Images = append(j.Images, r)
		}
	}
	j.Images = append(j.Images, p.glServices(m.val("services"))...)
	j.Env = p.glVariables(m.val("variables"), "variables")
	j.RunsOn = p.strs(m.val("tags"), "tags")
	for _, n := range p.asList(m.val("needs"), "needs") {
		switch n.Kind {
		case yaml.ScalarNode:
			j.Needs = append(j.Needs, p.scalar(n))
		case yaml.MappingNode:
			if s := p.str(p.mapOf(n, 0).val("job"), "needs.job"); s.IsSet() {
				j.Needs = append(j.Needs, s)
			}
		}
	}
	if env := m.val("environment"); env != nil {
		if env.Kind == yaml.MappingNode {
			j.Environment = p.str(p.mapOf(env, 0).val("name"), "environment.name")
		} else {
			j.Environment = p.str(env, "environment")
		}
	}
	if hm := p.asMap(m.val("hooks"), "hooks"); hm != nil {
		if e, ok := hm.get("pre_get_sources_script"); ok {
			e.name = "hooks:pre_get_sources_script"
			p.glScripts(j, e)
		}
	}
	for _, key := range []string{"before_script", "script", "after_script"} {
		if e, ok := m.get(key); ok {
			p.glScripts(j, e)
		}
	}
	if tm := m.val("trigger"); tm != nil && tm.Kind == yaml.MappingNode {
		if e, ok := p.mapOf(tm, 0).get("include"); ok {
			p.file.Refs = append(p.file.Refs, p.glIncludes(e.val, "trigger.include")...)
		}
	}
}

// glImage reads "image:" as a string or {name: …}.
func (p *parser) glImage(e entry, what string) (Ref, bool) {
	n, key := e.val, e.key
	if isNull(n) {
		return Ref{}, false
	}
	if n.Kind == yaml.MappingNode {
		ne, ok := p.mapOf(n, 0).get("name")
		if !ok || isNull(ne.val) {
			return Ref{}, false
		}
		n, key = ne.val, ne.key
		what += ".name"
	}
	s := p.str(n, what)
	if !s.IsSet() || strings.TrimSpace(s.Value) == "" {
		return Ref{}, false
	}
	return imageRef(s, p.lineComment(key, n)), true
}

// glServices reads "services:": a list of image strings or {name: …}.
func (p *parser) glServices(n *yaml.Node) []Ref {
	var out []Ref
	for _, c := range p.asList(n, "services") {
		if r, ok := p.glImage(entry{name: "services", val: c}, "services"); ok {
			out = append(out, r)
		}
	}
	return out
}

// glVariables reads "variables:": values are strings or {value: …}.
func (p *parser) glVariables(n *yaml.Node, what string) []KV {
	return p.kvsWith(n, what, func(e entry) Str {
		if e.val.Kind == yaml.MappingNode {
			return p.str(p.mapOf(e.val, 0).val("value"), what+"."+e.name+".value")
		}
		p.diag(e.val.Line, "variable %q must be a string or a mapping, not %s", e.name, kindName(e.val))
		return Str{}
	})
}

// glScripts reads script:, before_script:, after_script: (a string or a
// list, nested lists flattened): one step per line item, named after the
// key, at the item's position.
func (p *parser) glScripts(j *Job, e entry) {
	name := Str{Value: e.name, Pos: p.pos(e.key)}
	var walk func(n *yaml.Node, depth int) bool
	walk = func(n *yaml.Node, depth int) bool {
		n = p.res(n)
		if isNull(n) {
			return !p.overBudget
		}
		switch n.Kind {
		case yaml.ScalarNode:
			st := &Step{Pos: p.pos(n), Name: name, Run: p.script(n, e.name)}
			return p.addStep(j, st)
		case yaml.SequenceNode:
			if depth >= maxNest {
				p.diag(n.Line, "%q has lists nested deeper than %d; ignored", e.name, maxNest)
				return true
			}
			for _, c := range n.Content {
				if !walk(c, depth+1) {
					return false
				}
			}
			return true
		}
		p.diag(n.Line, "%q must be a string or a list of strings, not %s", e.name, kindName(n))
		return true
	}
	walk(e.val, 0)
}

// glIncludes reads "include:": a string, a mapping, or a list of them.
func (p *parser) glIncludes(n *yaml.Node, what string) []Ref {
	n = p.res(n)
	if isNull(n) {
		return nil
	}
	var items []*yaml.Node
	if n.Kind == yaml.SequenceNode {
		items = p.asList(n, what)
	} else {
		items = []*yaml.Node{n}
	}
	var out []Ref
	for _, it := range items {
		switch it.Kind {
		case yaml.ScalarNode:
			s := p.scalar(it)
			v := strings.TrimSpace(it.Value)
			if strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "http://") {
				out = append(out, Ref{Raw: s, Kind: "include-remote", Name: v})
			} else if v != "" {
				out = append(out, Ref{Raw: s, Kind: "local", Name: strings.TrimPrefix(v, "/")})
			}
		case yaml.MappingNode:
			m := p.mapOf(it, 0)
			switch {
			case m.val("local") != nil:
				for _, s := range p.strs(m.val("local"), what+".local") {
					out = append(out, Ref{Raw: s, Kind: "local", Name: strings.TrimPrefix(strings.TrimSpace(s.Value), "/")})
				}
			case m.val("project") != nil:
				s := p.str(m.val("project"), what+".project")
				if s.IsSet() {
					ref := p.str(m.val("ref"), what+".ref")
					out = append(out, Ref{Raw: s, Kind: "include-project", Name: strings.TrimSpace(s.Value), Version: ref.Value})
				}
			case m.val("remote") != nil:
				if s := p.str(m.val("remote"), what+".remote"); s.IsSet() {
					out = append(out, Ref{Raw: s, Kind: "include-remote", Name: strings.TrimSpace(s.Value)})
				}
			case m.val("template") != nil:
				if s := p.str(m.val("template"), what+".template"); s.IsSet() {
					out = append(out, Ref{Raw: s, Kind: "include-template", Name: strings.TrimSpace(s.Value)})
				}
			case m.val("component") != nil:
				if s := p.str(m.val("component"), what+".component"); s.IsSet() {
					name, ver := splitAt(strings.TrimSpace(s.Value))
					out = append(out, Ref{Raw: s, Kind: "include-component", Name: name, Version: ver})
				}
			case m.val("artifact") != nil:
				// A file made by an earlier job: nothing to fetch or read.
			default:
				p.diag(it.Line, "%q entry must name %q, %q, %q, %q or %q", what, "local", "project", "remote", "template", "component")
			}
		default:
			p.diag(it.Line, "%q must be a string, a mapping or a list, not %s", what, kindName(it))
		}
	}
	return out
}

var pipelineSourceRE = regexp.MustCompile(`\$\{?CI_PIPELINE_SOURCE\}?\s*==\s*["']([^"']+)["']`)

// glWorkflow reads "workflow:": its name and, best effort, the pipeline
// sources its rules name ($CI_PIPELINE_SOURCE == "…") as triggers; rules
// with "when: never" are skipped.
func (p *parser) glWorkflow(n *yaml.Node) {
	m := p.asMap(n, "workflow")
	if m == nil {
		return
	}
	p.file.Name = p.str(m.val("name"), "workflow.name")
	for _, r := range p.asList(m.val("rules"), "workflow.rules") {
		if r.Kind != yaml.MappingNode {
			continue
		}
		rm := p.mapOf(r, 0)
		if w := rm.val("when"); w != nil && w.Kind == yaml.ScalarNode && w.Value == "never" {
			continue
		}
		cond := p.str(rm.val("if"), "workflow.rules.if")
		if !cond.IsSet() {
			continue
		}
		for _, sm := range pipelineSourceRE.FindAllStringSubmatch(cond.Value, -1) {
			p.file.On = append(p.file.On, Trigger{Event: Str{Value: sm[1], Pos: cond.Pos}})
		}
	}
}
