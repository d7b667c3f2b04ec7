// Package workflow reads CI/CD pipeline definitions — GitHub Actions
// workflows and action metadata, GitLab CI, CircleCI — into one positioned
// model that the workflow rules check. Every value a rule may cite keeps
// the line and column it came from.
//
// The model is deliberately common to the three systems: a pipeline file
// has jobs, a job runs in an image or on a runner, holds environment
// variables and secrets, and has steps that either run a shell script or
// use a third-party component (an action, an orb command). Platform-
// specific facts live in clearly named fields.
package workflow

// Platform names the CI system a file belongs to.
type Platform string

const (
	GitHub      Platform = "github"   // .github/workflows/*.yml
	Action      Platform = "action"   // action.yml / action.yaml metadata
	GitLab      Platform = "gitlab"   // .gitlab-ci.yml and local includes
	CircleCI    Platform = "circleci" // .circleci/config.yml
	ShellScript Platform = "script"   // a repository shell script a pipeline calls
)

// Pos is a 1-based line and column in the file.
type Pos struct {
	Line, Col int
}

// Str is a scalar with the position of its value.
type Str struct {
	Value string
	Pos   Pos
}

// IsSet reports whether the scalar was present.
func (s Str) IsSet() bool { return s.Pos.Line > 0 }

// KV is one mapping entry (env var, with: input, variable).
type KV struct {
	Key   Str
	Value Str
}

// Script is shell code with where it starts. Line i (0-based) of Text is
// on file line Pos.Line+i when Block is set (a YAML block scalar or a
// script file); a plain or quoted scalar is on one line.
type Script struct {
	Text  string
	Pos   Pos
	Block bool
	// Shell is the shell named for it ("bash", "pwsh", "python"); empty
	// means the platform default (a POSIX shell).
	Shell string
}

// LineOf maps a 1-based line of Text to a file line.
func (s Script) LineOf(n int) int {
	if !s.Block || n < 1 {
		return s.Pos.Line
	}
	return s.Pos.Line + n - 1
}

// Ref is a reference to something fetched at run time by name: an action
// or reusable workflow ("owner/repo/path@ref"), a Docker image
// ("docker://img:tag", "image: img@sha256:…"), a CircleCI orb
// ("ns/orb@1.2.3"), a GitLab include (project + ref, remote URL).
type Ref struct {
	// Raw is the reference as written.
	Raw Str
	// Kind: "action", "reusable-workflow", "docker", "image", "orb",
	// "include-project", "include-remote", "include-template",
	// "include-component", "local" (same repository), and for CircleCI
	// steps "builtin" (checkout, …), "orb-command", "command".
	Kind string
	// Name is the part before the version: "owner/repo[/path]", the image
	// name, "ns/orb", the project path or URL.
	Name string
	// Version is the ref, tag or digest: "v4", "main", a 40-hex SHA,
	// "sha256:…", "1.2.3", "volatile"; empty when none is given.
	Version string
	// Comment is the trailing comment on the same line, without "#"
	// ("v4.1.1" in "uses: a/b@<sha> # v4.1.1").
	Comment string
}

// Permissions is a permissions: block (GitHub).
type Permissions struct {
	Pos Pos
	// All is "read-all", "write-all" or "" when scopes are listed.
	All string
	// Scopes maps scope ("contents", "id-token") to "read", "write", "none".
	Scopes map[string]Str
}

// Step is one step of a job.
type Step struct {
	Pos  Pos
	Name Str
	ID   Str
	If   Str
	// Uses is set for a step that runs an action (GitHub, composite
	// actions) or an orb command / reusable command (CircleCI).
	Uses *Ref
	// With are the action's inputs (GitHub with:, orb command parameters).
	With []KV
	// Run is set for a shell step.
	Run *Script
	Env []KV
}

// Job is one job (GitHub job, GitLab job, CircleCI job).
type Job struct {
	ID   Str
	Pos  Pos
	Name Str
	If   Str
	// RunsOn lists runner labels (GitHub runs-on, GitLab tags, CircleCI
	// resource_class / machine).
	RunsOn      []Str
	Permissions *Permissions
	// Images are the container images the job runs in or beside
	// (container:, services:, image:, docker:, executors).
	Images []Ref
	// Uses is set for a job that calls a reusable workflow (GitHub).
	Uses *Ref
	// SecretsInherit is the position of "secrets: inherit", if present.
	SecretsInherit Pos
	With           []KV
	Env            []KV
	// Contexts are CircleCI contexts the workflow attaches to the job
	// (they inject long-lived secrets as environment variables).
	Contexts    []Str
	Environment Str // GitHub deployment environment
	Steps       []*Step
	// Needs lists jobs this one depends on.
	Needs []Str
}

// Trigger is one event that starts a workflow (GitHub on:, GitLab
// workflow rules sources, CircleCI triggers).
type Trigger struct {
	Event Str
	// Types and Branches as written under the event, when given.
	Types    []Str
	Branches []Str
}

// File is one parsed pipeline file.
type File struct {
	// Path is the file as the user named or discovery found it.
	Path     string
	Platform Platform
	// Lines are the file's lines (for evidence); bounded by the parser.
	Lines []string
	Name  Str
	On    []Trigger
	// Permissions is the top-level permissions: block (GitHub); nil when
	// absent.
	Permissions *Permissions
	Env         []KV
	Jobs        []*Job
	// Refs are file-level references: CircleCI orbs, GitLab includes.
	Refs []Ref
	// Action is set for action.yml metadata.
	Action *ActionMeta
	// Suppressions are "# airlock: ignore[rule] reason" comments.
	Suppressions []Suppression
	// CalledScripts are repository scripts the file's steps run
	// ("./scripts/release.sh", "bash ci/setup.sh"), relative to the
	// repository root as written, with the step position.
	CalledScripts []Str
}

// ActionMeta is action.yml metadata.
type ActionMeta struct {
	Name Str
	// Using is "composite", "node20", "docker", ….
	Using Str
	// Image is the Docker image of a docker action ("Dockerfile" or
	// "docker://…").
	Image *Ref
	// Inputs maps each input to its default (the steps of a composite
	// action are File.Jobs[0]).
	Inputs []KV
}

// Suppression waives findings of a rule on one line.
type Suppression struct {
	Pos Pos
	// Rules are the rule IDs named ("workflow/unpinned-action"); the
	// suppression applies to findings on its own line and on the line
	// below it.
	Rules  []string
	Reason string
}
