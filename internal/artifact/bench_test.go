package artifact

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// benchSource builds about 32 MiB of varied Python-like source in 3200
// files.
func benchSource(b *testing.B) (tarball, zipball []byte, size int64) {
	b.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("def class import return self if else for while in not and or None True False print value result data os sys json path open read write")
	var tes []tarEntry
	var zes []zipEntry
	for i := range 3200 {
		var sb strings.Builder
		for sb.Len() < 10<<10 {
			for range 8 {
				sb.WriteString(words[rng.IntN(len(words))])
				sb.WriteByte(' ')
			}
			fmt.Fprintf(&sb, "x%d = %d\n", rng.IntN(1000), rng.IntN(1<<20))
		}
		name := fmt.Sprintf("demo-1.0/demo/m%d/f%d.py", i%40, i)
		tes = append(tes, tarEntry{name: name, body: sb.String()})
		zes = append(zes, zipEntry{name: name[len("demo-1.0/"):], body: sb.String()})
		size += int64(sb.Len())
	}
	tes = append(tes, tarEntry{name: "demo-1.0/PKG-INFO", body: "Name: demo\n"})
	return makeTar(b, tes...), makeZip(b, zes...), size
}

func BenchmarkRead(b *testing.B) {
	tarball, zp, size := benchSource(b)
	formats := map[string]func() []byte{
		"tar.gz": func() []byte { return gz(b, tarball) },
		"tar.xz": func() []byte { return xzc(b, tarball) },
		"zip":    func() []byte { return zp },
	}
	for _, name := range []string{"tar.gz", "zip", "tar.xz"} {
		b.Run(name, func(b *testing.B) {
			data := formats[name]()
			b.ResetTimer()
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				a, err := Read(bytes.NewReader(data), int64(len(data)), Limits{})
				if err != nil || len(a.Files) < 3200 {
					b.Fatal(err, len(a.Files))
				}
			}
		})
	}
}
