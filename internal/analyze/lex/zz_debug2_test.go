package lex

import (
	"math/rand"
	"testing"
	"time"
)

func TestZZRandom(t *testing.T) {
	if testing.Short() {
		t.Skip()
	}
	rng := rand.New(rand.NewSource(1))
	seeds := append(append([]string{}, pySeeds...), jsSeeds...)
	alpha := []byte("'\"`{}()[]\\/$#!\n\r fxbru0123456789.eEjJ:=*<>-+%&|^?@~,;\xe2\x80\xa8\xff")
	for iter := 0; iter < 300000; iter++ {
		s := []byte(seeds[rng.Intn(len(seeds))])
		for m := rng.Intn(8); m >= 0; m-- {
			switch rng.Intn(3) {
			case 0:
				if len(s) > 0 {
					s[rng.Intn(len(s))] = alpha[rng.Intn(len(alpha))]
				}
			case 1:
				p := rng.Intn(len(s) + 1)
				s = append(s[:p], append([]byte{alpha[rng.Intn(len(alpha))]}, s[p:]...)...)
			case 2:
				if len(s) > 0 {
					p := rng.Intn(len(s))
					s = append(s[:p], s[p+1:]...)
				}
			}
		}
		done := make(chan bool)
		in := append([]byte(nil), s...)
		go func() { Python(in); JavaScript(in); close(done) }()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
			t.Fatalf("hang on %q", in)
		}
	}
}
