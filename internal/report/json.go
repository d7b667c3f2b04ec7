package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/airlock-sec/airlock/internal/model"
)

// MaxJSONSize bounds what ReadJSON accepts: 256 MiB.
const MaxJSONSize = 256 << 20

// writeJSON writes the canonical form: two-space indent, fields in struct
// order, arrays never null. HTML characters are not escaped so evidence
// reads as written. r must be normalized.
func writeJSON(w io.Writer, r *model.Report) error {
	if len(r.Packages) >= parallelJSONMin {
		return writeJSONParallel(w, r)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// parallelJSONMin is the package count from which the packages are
// encoded on all cores; the bytes are the same as one encoder writes
// (TestParallelJSONIdentical).
const parallelJSONMin = 64

func writeJSONParallel(w io.Writer, r *model.Report) error {
	shell := *r
	shell.Packages = []model.Result{}
	var head bytes.Buffer
	enc := json.NewEncoder(&head)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&shell); err != nil {
		return err
	}
	const slot = "\n  \"packages\": []"
	i := bytes.Index(head.Bytes(), []byte(slot))
	if i < 0 {
		return errors.New("write json report: packages field not found")
	}
	items := make([][]byte, len(r.Packages))
	errs := make([]error, len(r.Packages))
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for k := 0; k < workers; k++ {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			for j := k; j < len(r.Packages); j += workers {
				var b bytes.Buffer
				e := json.NewEncoder(&b)
				e.SetIndent("    ", "  ")
				e.SetEscapeHTML(false)
				errs[j] = e.Encode(&r.Packages[j])
				items[j] = bytes.TrimSuffix(b.Bytes(), []byte("\n"))
			}
		}(k)
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	var out bytes.Buffer
	out.Grow(head.Len() + len(items)*512)
	out.Write(head.Bytes()[:i])
	out.WriteString("\n  \"packages\": [\n    ")
	for j, it := range items {
		if j > 0 {
			out.WriteString(",\n    ")
		}
		out.Write(it)
	}
	out.WriteString("\n  ]")
	out.Write(head.Bytes()[i+len(slot):])
	_, err := w.Write(out.Bytes())
	return err
}

var errTooLarge = fmt.Errorf("report is larger than %d MiB", MaxJSONSize>>20)

// ReadJSON reads a report written by the json format, so that other formats
// can be rendered from it. Input is bounded to MaxJSONSize; the schema
// version must be the one this build writes; verdicts must be known. The
// result is normalized like the report Write renders (arrays non-nil,
// summary recomputed).
func ReadJSON(r io.Reader) (*model.Report, error) {
	return readJSON(r, MaxJSONSize)
}

func readJSON(r io.Reader, limit int64) (*model.Report, error) {
	cr := &capReader{r: r, n: limit}
	dec := json.NewDecoder(cr)
	var rep model.Report
	if err := dec.Decode(&rep); err != nil {
		return nil, readErr(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			return nil, errors.New("read json report: unexpected data after the report object")
		}
		return nil, readErr(err)
	}
	if rep.SchemaVersion == "" {
		return nil, errors.New("read json report: no schema_version; is this an airlock json report?")
	}
	if rep.SchemaVersion != model.SchemaVersion {
		return nil, fmt.Errorf("read json report: unsupported schema_version %q (this build reads %q); render it with the airlock version that wrote it", rep.SchemaVersion, model.SchemaVersion)
	}
	for i := range rep.Packages {
		p := &rep.Packages[i]
		v, err := model.ParseVerdict(string(p.Verdict))
		if err != nil {
			return nil, fmt.Errorf("read json report: package %d (%s): %w", i, p.ID(), err)
		}
		p.Verdict = v
	}
	return normalize(&rep), nil
}

func readErr(err error) error {
	if errors.Is(err, errTooLarge) {
		return fmt.Errorf("read json report: %w", errTooLarge)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return fmt.Errorf("read json report: truncated or empty input: %w", err)
	}
	return fmt.Errorf("read json report: %w", err)
}

// capReader passes through at most n bytes and fails with errTooLarge if the
// underlying reader has more.
type capReader struct {
	r io.Reader
	n int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if c.n <= 0 {
		var one [1]byte
		n, err := c.r.Read(one[:])
		if n > 0 {
			return 0, errTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > c.n {
		p = p[:c.n]
	}
	n, err := c.r.Read(p)
	c.n -= int64(n)
	return n, err
}
