package lex

import (
	"reflect"
	"sync"
	"testing"
)

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{EOF: "EOF", Name: "Name", Template: "Template", Comment: "Comment", Kind(42): "Kind(42)"} {
		if got := k.String(); got != want {
			t.Errorf("Kind(%d).String() = %q, want %q", k, got, want)
		}
	}
}

func TestResultDoesNotAliasInput(t *testing.T) {
	for _, lexer := range []func([]byte) []Token{Python, JavaScript} {
		src := []byte(`name = "va\x6cue" + 'plain'`)
		toks := lexer(src)
		before := render(toks)
		for i := range src {
			src[i] = 'X'
		}
		if after := render(toks); after != before {
			t.Errorf("tokens changed with the input:\n%s\n%s", before, after)
		}
	}
}

// TestConcurrent checks that pooled scratch memory is never shared between
// concurrent runs.
func TestConcurrent(t *testing.T) {
	inputs := [][]byte{genPython(20 << 10), genJS(20 << 10), genMinJS(20 << 10), []byte("`a${b}c` 'x\\ty'"), []byte("b'\\xff' f'{x}'")}
	var wantPy, wantJS [][]Token
	for _, in := range inputs {
		wantPy = append(wantPy, Python(in))
		wantJS = append(wantJS, JavaScript(in))
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for r := 0; r < 20; r++ {
				i := (g + r) % len(inputs)
				if got := Python(inputs[i]); !reflect.DeepEqual(got, wantPy[i]) {
					t.Errorf("Python: concurrent run differs on input %d", i)
					return
				}
				if got := JavaScript(inputs[i]); !reflect.DeepEqual(got, wantJS[i]) {
					t.Errorf("JavaScript: concurrent run differs on input %d", i)
					return
				}
			}
		}(g)
	}
	wg.Wait()
}
