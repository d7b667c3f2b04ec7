// Command readonly is the baseline for airlock's speed benchmark: it finds
// the same packages `airlock scan` would, decompresses and reads every
// file with the same bounded readers, and does nothing else. It prints
// one line of JSON: packages, files, bytes read, source bytes (files that
// scan analyzes as code), seconds.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/airlock-sec/airlock/internal/analyze"
	"github.com/airlock-sec/airlock/internal/engine"
)

type result struct {
	Packages    int     `json:"packages"`
	Files       int     `json:"files"`
	Bytes       int64   `json:"bytes"`
	SourceBytes int64   `json:"source_bytes"`
	Seconds     float64 `json:"seconds"`
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: readonly TARGET...")
		os.Exit(2)
	}
	start := time.Now()
	e := engine.New(engine.Options{})
	cands, _, err := e.Discover(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var mu sync.Mutex
	var res result
	next := make(chan engine.Candidate)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range next {
				a, err := c.Open()
				if err != nil {
					continue
				}
				var files int
				var bytes, src int64
				for _, f := range a.Files {
					files++
					bytes += int64(len(f.Data))
					head := f.Data
					if len(head) > 512 {
						head = head[:512]
					}
					if analyze.LangOf(f.Path, head) != "" {
						src += int64(len(f.Data))
					}
				}
				mu.Lock()
				res.Packages++
				res.Files += files
				res.Bytes += bytes
				res.SourceBytes += src
				mu.Unlock()
			}
		}()
	}
	for _, c := range cands {
		next <- c
	}
	close(next)
	wg.Wait()
	res.Seconds = time.Since(start).Seconds()
	json.NewEncoder(os.Stdout).Encode(res)
}
