package lex

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"testing"
)

// DUMP_LIST: file with paths; DUMP_OUT: output dir. Writes <index>.tok per file.
func TestZZDump(t *testing.T) {
	list := os.Getenv("DUMP_LIST")
	if list == "" {
		t.Skip()
	}
	lang := os.Getenv("DUMP_LANG")
	b, _ := os.ReadFile(list)
	out := os.Getenv("DUMP_OUT")
	for i, p := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		src, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		var toks []Token
		if lang == "js" {
			toks = JavaScript(src)
		} else {
			toks = Python(src)
		}
		f, _ := os.Create(fmt.Sprintf("%s/%d.tok", out, i))
		w := bufio.NewWriter(f)
		for _, tk := range toks {
			u := 0
			if tk.Unterminated {
				u = 1
			}
			fmt.Fprintf(w, "%s %d %d %d %s %s %d\n", tk.Kind, tk.Line, tk.Start, tk.End, hex.EncodeToString([]byte(tk.Value)), tk.Prefix+"_", u)
		}
		w.Flush()
		f.Close()
	}
}
