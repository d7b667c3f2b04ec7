package lex

import (
	"runtime"
	"syscall"
	"testing"
	"time"
)

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestZZCPU(t *testing.T) {
	for _, c := range []struct {
		name  string
		lexer func([]byte) []Token
		src   []byte
	}{
		{"python", Python, genPython(1 << 20)},
		{"js", JavaScript, genJS(1 << 20)},
		{"minjs", JavaScript, genMinJS(1 << 20)},
		{"binpy", Python, genBinary(1 << 20)},
		{"binjs", JavaScript, genBinary(1 << 20)},
	} {
		runtime.GC()
		best := 0.0
		for r := 0; r < 3; r++ {
			c0 := cpuTime()
			w0 := time.Now()
			n := 30
			for i := 0; i < n; i++ {
				c.lexer(c.src)
			}
			runtime.GC()
			cpu := cpuTime() - c0
			mbs := float64(len(c.src)*n) / 1e6 / cpu.Seconds()
			if mbs > best {
				best = mbs
			}
			_ = w0
		}
		t.Logf("%-7s %.0f MB per CPU-second (all threads incl. GC)", c.name, best)
	}
}
