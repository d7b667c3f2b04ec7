package safeio

import "io"

// ErrNoProgress is returned when a reader keeps returning no data and no
// error.
var ErrNoProgress = io.ErrNoProgress

const maxEmptyReads = 100

// ReadAtMost reads r until EOF or until max bytes were read, whichever
// comes first. truncated reports that r had more data after max bytes (one
// extra byte is consumed to find out). The buffer grows geometrically from a
// small start, so a lying size never causes a large allocation. io.EOF is
// not an error.
func ReadAtMost(r io.Reader, max int64) (data []byte, truncated bool, err error) {
	if max < 0 {
		max = 0
	}
	buf := make([]byte, 0, min(max, 512))
	buf, eof, err := AppendAtMost(buf, r, max, nil)
	if err != nil || eof {
		return buf, false, err
	}
	more, err := Probe(r)
	return buf, more, err
}

// AppendAtMost appends bytes read from r to buf until r reports EOF or buf
// holds max bytes. eof reports that r was exhausted (a clean io.EOF). When
// buf is full but below max, AppendAtMost first reads into a small scratch
// buffer, so a buffer pre-sized to the exact content length never grows.
// Each growth of the buffer asks charge (if not nil) for the extra capacity;
// a non-nil error from charge stops the read and is returned.
func AppendAtMost(buf []byte, r io.Reader, max int64, charge func(int64) error) (out []byte, eof bool, err error) {
	if max < 0 {
		max = 0
	}
	var scratch [512]byte
	empty := 0
	for int64(len(buf)) < max {
		room := max - int64(len(buf))
		var n int
		if len(buf) == cap(buf) {
			n, err = r.Read(scratch[:min(int64(len(scratch)), room)])
			if n > 0 {
				nb, gerr := grow(buf, n, max, charge)
				if gerr != nil {
					return buf, false, gerr
				}
				buf = append(nb, scratch[:n]...)
			}
		} else {
			end := min(int64(cap(buf)), int64(len(buf))+room)
			n, err = r.Read(buf[len(buf):end])
			buf = buf[:len(buf)+n]
		}
		if err == io.EOF {
			return buf, true, nil
		}
		if err != nil {
			return buf, false, err
		}
		if n == 0 {
			if empty++; empty >= maxEmptyReads {
				return buf, false, ErrNoProgress
			}
		} else {
			empty = 0
		}
	}
	return buf, false, nil
}

// grow returns buf with room for at least n more bytes, never beyond max
// in total capacity unless n forces it.
func grow(buf []byte, n int, max int64, charge func(int64) error) ([]byte, error) {
	if cap(buf)-len(buf) >= n {
		return buf, nil
	}
	newCap := int64(cap(buf)) * 2
	newCap = max64(newCap, 4096, int64(len(buf)+n))
	newCap = min(newCap, max64(max, int64(len(buf)+n)))
	if charge != nil {
		if err := charge(newCap - int64(cap(buf))); err != nil {
			return buf, err
		}
	}
	nb := make([]byte, len(buf), newCap)
	copy(nb, buf)
	return nb, nil
}

func max64(a int64, rest ...int64) int64 {
	for _, b := range rest {
		if b > a {
			a = b
		}
	}
	return a
}

// Probe reads one byte from r to learn whether it has more data. The byte
// is lost. io.EOF is reported as (false, nil).
func Probe(r io.Reader) (more bool, err error) {
	var b [1]byte
	for i := 0; i < maxEmptyReads; i++ {
		n, err := r.Read(b[:])
		if n > 0 {
			return true, nil
		}
		if err == io.EOF {
			return false, nil
		}
		if err != nil {
			return false, err
		}
	}
	return false, ErrNoProgress
}
