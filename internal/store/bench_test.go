package store

// Inventory benchmarks, on SQLite and, when AIRLOCK_TEST_POSTGRES is set, on
// PostgreSQL:
//
//	go test -run '^$' -bench . ./internal/store
//
// BenchmarkWhere's dataset has 1,000 environments × 300 packages, or with
// AIRLOCK_BENCH_BIG=1 10,000 × 300 (3M inventory rows, built once per back
// end through Record, which is itself a throughput figure it logs).
// bench/inventory.sh runs both with a private PostgreSQL server.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// corpus is a pool of package names with a few versions each, from which
// environments draw skewed samples: a few packages are in every
// environment, most in few.
type corpus struct {
	names    []string
	versions [][]string
}

const corePackages = 20 // in every environment

func newCorpus(n int) corpus {
	r := rand.New(rand.NewPCG(1, 2))
	c := corpus{names: make([]string, n), versions: make([][]string, n)}
	for i := range n {
		c.names[i] = fmt.Sprintf("pkg-%06d", i)
		for v := range 1 + r.IntN(4) {
			c.versions[i] = append(c.versions[i], fmt.Sprintf("%d.%d.0", 1+i%3, v))
		}
	}
	return c
}

// index is the position of name in c.names.
func (c corpus) index(name string) int {
	i, _ := strconv.Atoi(strings.TrimPrefix(name, "pkg-"))
	return i
}

// env draws size distinct packages.
func (c corpus) env(r *rand.Rand, size int) []InventoryPackage {
	out := make([]InventoryPackage, 0, size)
	seen := make(map[int]bool, size)
	add := func(i int) {
		if !seen[i] {
			seen[i] = true
			vs := c.versions[i]
			out = append(out, InventoryPackage{"pypi", c.names[i], vs[r.IntN(len(vs))]})
		}
	}
	for i := range min(corePackages, size) {
		add(i)
	}
	for len(out) < size {
		x := r.Float64()
		add(corePackages + int(float64(len(c.names)-corePackages)*x*x))
	}
	return out
}

func benchBackends(b *testing.B, fn func(b *testing.B, be backend)) {
	for _, be := range []backend{sqliteBackend(), postgresBackend()} {
		b.Run(be.name, func(b *testing.B) { fn(b, be) })
	}
}

// BenchmarkRecord measures Record in rows per second: "new" records a new
// environment per iteration, "again" re-records one environment with a
// tenth of its packages at another version (a daily refresh).
func BenchmarkRecord(b *testing.B) {
	benchBackends(b, func(b *testing.B, be backend) {
		s := openT(b, be.newDSN(b))
		for _, size := range []int{300, 20000} {
			c := newCorpus(max(5000, 2*size))
			b.Run(fmt.Sprintf("new/%d", size), func(b *testing.B) {
				r := rand.New(rand.NewPCG(3, uint64(size)))
				lists := make([][]InventoryPackage, 64)
				for i := range lists {
					lists[i] = c.env(r, size)
				}
				ctx := context.Background()
				b.ResetTimer()
				for i := range b.N {
					env := Environment{Host: "bench-new", Path: fmt.Sprintf("/%d/%d/%d", size, b.N, i), Kind: "venv"}
					if _, err := s.Record(ctx, env, lists[i%len(lists)], time.Time{}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N*size)/b.Elapsed().Seconds(), "rows/s")
			})
			b.Run(fmt.Sprintf("again/%d", size), func(b *testing.B) {
				r := rand.New(rand.NewPCG(4, uint64(size)))
				list := c.env(r, size)
				env := Environment{Host: "bench-again", Path: fmt.Sprintf("/%d", size), Kind: "venv"}
				ctx := context.Background()
				if _, err := s.Record(ctx, env, list, time.Time{}); err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				for range b.N {
					for range size / 10 {
						j := r.IntN(len(list))
						vs := c.versions[c.index(list[j].Name)]
						list[j].Version = vs[r.IntN(len(vs))]
					}
					if _, err := s.Record(ctx, env, list, time.Time{}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N*size)/b.Elapsed().Seconds(), "rows/s")
			})
		}
	})
}

// BenchmarkWhere measures Where over many environments: "popular" is a
// package every environment has (one sighting each), "typical" one that a
// few percent have, "versions" the popular one restricted to two versions.
func BenchmarkWhere(b *testing.B) {
	envs := 1000
	if os.Getenv("AIRLOCK_BENCH_BIG") == "1" {
		envs = 10000
	}
	const perEnv = 300
	benchBackends(b, func(b *testing.B, be backend) {
		ctx := context.Background()
		s := openT(b, be.newDSN(b))
		c := newCorpus(5000)
		r := rand.New(rand.NewPCG(5, 6))
		start := time.Now()
		for i := range envs {
			env := Environment{Host: fmt.Sprintf("host-%04d", i%500), Path: fmt.Sprintf("/srv/app-%05d/.venv", i), Kind: "venv"}
			if _, err := s.Record(ctx, env, c.env(r, perEnv), t0.Add(time.Duration(i)*time.Second)); err != nil {
				b.Fatal(err)
			}
		}
		el := time.Since(start)
		b.Logf("%s: built %d environments × %d packages in %v (%.0f rows/s)", be.name, envs, perEnv, el.Round(time.Millisecond),
			float64(envs*perEnv)/el.Seconds())
		if be.name == Postgres {
			// What autovacuum does soon after such a load: statistics, and
			// the visibility map that lets Where read only the index.
			if _, err := s.db.ExecContext(ctx, `VACUUM ANALYZE`); err != nil {
				b.Fatal(err)
			}
		}
		two := c.versions[0]
		if len(two) > 2 {
			two = two[:2]
		}
		for _, q := range []struct {
			name     string
			pkg      string
			versions []string
		}{
			{"popular", c.names[0], nil},
			{"typical", c.names[2000], nil},
			{"versions", c.names[0], two},
		} {
			b.Run(q.name, func(b *testing.B) {
				var n int
				for range b.N {
					got, err := s.Where(ctx, "pypi", q.pkg, q.versions)
					if err != nil {
						b.Fatal(err)
					}
					n = len(got)
				}
				b.ReportMetric(float64(n), "sightings")
				b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/op")
			})
		}
	})
}
