package pin

import (
	"fmt"
	"strings"
)

const diffContext = 3

// Diff renders a unified diff of old and new ("--- path", "+++ path",
// "@@" hunks with three lines of context), or "" when they are equal.
// Lines are split after '\n', so a CRLF file's lines keep their '\r'. The
// edits File makes replace lines one for one, which Diff pairs line by
// line; for other inputs it falls back to one hunk replacing everything
// between the common first and last lines, which is still a correct diff.
func Diff(path string, old, new []byte) string {
	if string(old) == string(new) {
		return ""
	}
	a, b := splitLines(string(old)), splitLines(string(new))
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	// The edit script, as ops over both files.
	type op struct {
		kind byte // ' ', '-', '+'
		text string
	}
	var ops []op
	for _, l := range a[:pre] {
		ops = append(ops, op{' ', l})
	}
	am, bm := a[pre:len(a)-suf], b[pre:len(b)-suf]
	if len(am) == len(bm) {
		for i := 0; i < len(am); {
			if am[i] == bm[i] {
				ops = append(ops, op{' ', am[i]})
				i++
				continue
			}
			j := i
			for j < len(am) && am[j] != bm[j] {
				j++
			}
			for _, l := range am[i:j] {
				ops = append(ops, op{'-', l})
			}
			for _, l := range bm[i:j] {
				ops = append(ops, op{'+', l})
			}
			i = j
		}
	} else {
		for _, l := range am {
			ops = append(ops, op{'-', l})
		}
		for _, l := range bm {
			ops = append(ops, op{'+', l})
		}
	}
	for _, l := range a[len(a)-suf:] {
		ops = append(ops, op{' ', l})
	}

	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", path, path)
	// aLine[i], bLine[i]: 0-based line numbers in old and new before ops[i].
	aLine := make([]int, len(ops)+1)
	bLine := make([]int, len(ops)+1)
	for i, o := range ops {
		aLine[i+1], bLine[i+1] = aLine[i], bLine[i]
		if o.kind != '+' {
			aLine[i+1]++
		}
		if o.kind != '-' {
			bLine[i+1]++
		}
	}
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		// A hunk: from the first change, through changes separated by at
		// most 2*context unchanged lines.
		start := max(i-diffContext, 0)
		end := i
		for {
			for end < len(ops) && ops[end].kind != ' ' {
				end++
			}
			k := end
			for k < len(ops) && ops[k].kind == ' ' && k-end < 2*diffContext {
				k++
			}
			if k < len(ops) && ops[k].kind != ' ' {
				end = k
				continue
			}
			break
		}
		stop := min(end+diffContext, len(ops))
		aStart, aCount := aLine[start]+1, aLine[stop]-aLine[start]
		bStart, bCount := bLine[start]+1, bLine[stop]-bLine[start]
		if aCount == 0 {
			aStart--
		}
		if bCount == 0 {
			bStart--
		}
		fmt.Fprintf(&out, "@@ -%d,%d +%d,%d @@\n", aStart, aCount, bStart, bCount)
		for _, o := range ops[start:stop] {
			out.WriteByte(o.kind)
			out.WriteString(o.text)
			if !strings.HasSuffix(o.text, "\n") {
				out.WriteString("\n\\ No newline at end of file\n")
			}
		}
		i = stop
	}
	return out.String()
}

// splitLines splits s after each '\n'; the last line may lack one.
func splitLines(s string) []string {
	var lines []string
	for s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			lines = append(lines, s)
			break
		}
		lines = append(lines, s[:i+1])
		s = s[i+1:]
	}
	return lines
}
