package registry

import (
	"bytes"
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/rules from rule metadata")

var idPattern = regexp.MustCompile(`^[a-z]+/[a-z0-9-]+$`)

func TestRulesWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range Metas() {
		if !idPattern.MatchString(m.ID) {
			t.Errorf("rule ID %q is not path-like (family/name)", m.ID)
		}
		if seen[m.ID] {
			t.Errorf("rule %q registered twice", m.ID)
		}
		seen[m.ID] = true
		if m.Title == "" || len(m.Description) < 80 {
			t.Errorf("rule %q: title and a real description are required", m.ID)
		}
		if len(m.Capabilities) == 0 && !strings.HasPrefix(m.ID, "workflow/") {
			t.Errorf("rule %q declares no capabilities", m.ID)
		}
		if strings.ToLower(m.Title[:1]) != m.Title[:1] {
			t.Errorf("rule %q: title must start lowercase", m.ID)
		}
	}
}

// TestEveryRuleRegistered parses the rule packages and checks that every
// type with a Meta method is in the registry.
func TestEveryRuleRegistered(t *testing.T) {
	registered := map[string]bool{}
	for _, r := range All() {
		registered[typeName(r)] = true
	}
	for _, r := range Workflow() {
		registered[typeName(r)] = true
	}
	for _, dir := range []string{"../static", "../advisory", "../workflow"} {
		fset := token.NewFileSet()
		pkgs, err := parser.ParseDir(fset, dir, func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pkgs {
			for _, f := range p.Files {
				for _, d := range f.Decls {
					fd, ok := d.(*ast.FuncDecl)
					if !ok || fd.Recv == nil || fd.Name.Name != "Meta" {
						continue
					}
					var name string
					switch x := fd.Recv.List[0].Type.(type) {
					case *ast.Ident:
						name = x.Name
					case *ast.StarExpr:
						name = x.X.(*ast.Ident).Name
					}
					if !registered[p.Name+"."+name] {
						t.Errorf("rule type %s.%s has Meta() but is not in its family's List()", p.Name, name)
					}
				}
			}
		}
	}
}

func typeName(v any) string {
	s := strings.TrimPrefix(strings.TrimPrefix(typeString(v), "*"), "")
	return s
}

func TestDocsUpToDate(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "docs", "rules")
	want := map[string][]byte{"README.md": Index(Metas())}
	for _, m := range Metas() {
		want[DocFileName(m.ID)] = RuleDoc(m)
	}
	if *update {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		old, _ := filepath.Glob(filepath.Join(dir, "*.md"))
		for _, o := range old {
			os.Remove(o)
		}
		for name, b := range want {
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	for name, b := range want {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(got, b) {
			t.Errorf("docs/rules/%s is stale or missing; run: go test ./internal/rules/registry -update", name)
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	for _, f := range files {
		if _, ok := want[filepath.Base(f)]; !ok {
			t.Errorf("docs/rules/%s documents no registered rule; run: go test ./internal/rules/registry -update", filepath.Base(f))
		}
	}
}
