package lex

import "testing"

func TestZZStats(t *testing.T) {
	for name, c := range map[string]struct {
		lexer func([]byte) []Token
		src   []byte
	}{
		"python": {Python, genPython(1 << 20)},
		"js":     {JavaScript, genJS(1 << 20)},
		"minjs":  {JavaScript, genMinJS(1 << 20)},
		"bin":    {JavaScript, genBinary(1 << 20)},
	} {
		toks := c.lexer(c.src)
		t.Logf("%s: %d bytes %d tokens %.2f bytes/token", name, len(c.src), len(toks), float64(len(c.src))/float64(len(toks)))
	}
}
