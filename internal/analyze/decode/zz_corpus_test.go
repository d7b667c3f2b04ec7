package decode

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"
)

func TestZZCorpus(t *testing.T) {
	f, err := os.Open("/tmp/corpus.jsonl")
	if err != nil {
		t.Skip()
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<26)
	hits := map[string]int{}
	n := 0
	var total time.Duration
	var worst time.Duration
	var worstS string
	out, _ := os.Create("/tmp/corpus_hits.txt")
	for sc.Scan() {
		var rec [2]string
		json.Unmarshal(sc.Bytes(), &rec)
		n++
		st := time.Now()
		l := Peel([]byte(rec[0]), DefaultLimits())
		d := time.Since(st)
		total += d
		if d > worst {
			worst, worstS = d, rec[0]
		}
		if l != nil {
			key := fmt.Sprint(l.Chain, l.Text)
			hits[key]++
			s := rec[0]
			if len(s) > 100 {
				s = s[:100]
			}
			dd := string(l.Data)
			if len(dd) > 100 {
				dd = dd[:100]
			}
			fmt.Fprintf(out, "%v text=%v in=%q out=%q src=%s\n", l.Chain, l.Text, s, dd, rec[1])
		}
	}
	if len(worstS) > 80 {
		worstS = worstS[:80]
	}
	t.Logf("n=%d total=%v worst=%v (%q) hits=%v", n, total, worst, worstS, hits)
}
