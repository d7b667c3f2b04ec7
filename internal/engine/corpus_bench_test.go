package engine

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/airlock-sec/airlock/internal/rules/registry"
)

// BenchmarkScanCorpus scans the benign npm tarballs and unpacked Debian
// packages fetched by bench/eval.sh. It needs the corpus cache, so it reports a skip with the
// reason when AIRLOCK_CORPUS_CACHE is not set.
func BenchmarkScanCorpus(b *testing.B) {
	dir := os.Getenv("AIRLOCK_CORPUS_CACHE")
	if dir == "" {
		b.Skip("AIRLOCK_CORPUS_CACHE not set: run bench/eval.sh first and point it at the cache")
	}
	for _, set := range []struct{ name, glob string }{
		{"npm", filepath.Join(dir, "npm", "*.tgz")},
		{"debian", filepath.Join(dir, "debian-x", "*")},
	} {
		b.Run(set.name, func(b *testing.B) {
			targets, _ := filepath.Glob(set.glob)
			if len(targets) == 0 {
				b.Skipf("nothing matches %s", set.glob)
			}
			e := New(Options{Rules: registry.All()})
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := e.Scan(context.Background(), targets); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
