package safeio

import (
	"errors"
	"fmt"
	"io"
)

// Errors reported by a Budget (wrapped with the numbers involved).
var (
	ErrTotalSize    = errors.New("total size limit exceeded")
	ErrRatio        = errors.New("compression ratio limit exceeded")
	ErrTooManyFiles = errors.New("too many entries")
)

// DefaultRatioFloor is the unpacked size below which the compression ratio
// is not checked: small, highly compressible text is normal.
const DefaultRatioFloor = 64 << 20

// Budget tracks the bytes and entries taken from one archive. Once a limit
// is hit the budget stays exhausted: every later call returns the same
// error. A zero field means "no limit". Budget is not safe for concurrent
// use.
type Budget struct {
	MaxBytes int64 // total bytes allowed
	MaxFiles int   // entries allowed
	// MaxRatio bounds Bytes/Compressed once Bytes exceeds RatioFloor.
	MaxRatio   int64
	RatioFloor int64
	Compressed int64 // compressed input size, the ratio's denominator

	bytes int64
	files int
	err   error
}

// Add charges n bytes.
func (b *Budget) Add(n int64) error {
	if b.err != nil {
		return b.err
	}
	if n <= 0 {
		return nil
	}
	b.bytes += n
	if b.MaxBytes > 0 && b.bytes > b.MaxBytes {
		b.err = fmt.Errorf("%w: more than %d bytes", ErrTotalSize, b.MaxBytes)
		return b.err
	}
	if b.MaxRatio > 0 && b.Compressed > 0 && b.bytes > b.RatioFloor && b.bytes/b.Compressed > b.MaxRatio {
		b.err = fmt.Errorf("%w: %d bytes from %d compressed bytes (over %d:1)", ErrRatio, b.bytes, b.Compressed, b.MaxRatio)
		return b.err
	}
	return nil
}

// AddFile charges one entry.
func (b *Budget) AddFile() error {
	if b.err != nil {
		return b.err
	}
	b.files++
	if b.MaxFiles > 0 && b.files > b.MaxFiles {
		b.err = fmt.Errorf("%w: more than %d", ErrTooManyFiles, b.MaxFiles)
		return b.err
	}
	return nil
}

// Err returns the error that exhausted the budget, or nil.
func (b *Budget) Err() error { return b.err }

// Bytes returns the bytes charged so far.
func (b *Budget) Bytes() int64 { return b.bytes }

// Files returns the entries charged so far.
func (b *Budget) Files() int { return b.files }

// Remaining returns the bytes left before MaxBytes (a large number when
// there is no byte limit, 0 when the budget is exhausted).
func (b *Budget) Remaining() int64 {
	if b.err != nil {
		return 0
	}
	if b.MaxBytes <= 0 {
		return 1<<63 - 1
	}
	return max(b.MaxBytes-b.bytes, 0)
}

// Reader returns a reader that charges every byte read from r. When the
// budget runs out the reader returns the budget's error, and keeps doing so.
func (b *Budget) Reader(r io.Reader) io.Reader { return &budgetReader{r: r, b: b} }

type budgetReader struct {
	r io.Reader
	b *Budget
}

func (br *budgetReader) Read(p []byte) (int, error) {
	if br.b.err != nil {
		return 0, br.b.err
	}
	n, err := br.r.Read(p)
	if n > 0 {
		if e := br.b.Add(int64(n)); e != nil {
			return n, e
		}
	}
	return n, err
}
