// Package ruletest holds what the rule families' tests share: finding the
// file that declares each rule, whose name is the rule's testdata
// directory (the rule in pth_exec.go is tested by testdata/pth_exec/).
package ruletest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
)

// MetaFiles parses the non-test Go files of dir and maps each type with a
// Meta method to the base name (without .go) of the file declaring it.
func MetaFiles(dir string) (map[string]string, error) {
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || fd.Name.Name != "Meta" || len(fd.Recv.List) == 0 {
				continue
			}
			typ := fd.Recv.List[0].Type
			if s, ok := typ.(*ast.StarExpr); ok {
				typ = s.X
			}
			if id, ok := typ.(*ast.Ident); ok {
				out[id.Name] = strings.TrimSuffix(filepath.Base(name), ".go")
			}
		}
	}
	return out, nil
}
