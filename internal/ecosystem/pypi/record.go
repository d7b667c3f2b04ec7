package pypi

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"encoding/csv"
	"errors"
	"fmt"
	"hash"
	"io"
	"strconv"
	"strings"
)

// RecordEntry is one row of a wheel or dist-info RECORD file.
type RecordEntry struct {
	// Path is the file path as written in RECORD: slash-separated, relative
	// to the site directory (or wheel root). It may start with "../" for
	// files installed outside the site directory (console scripts, data)
	// and must never be trusted to stay inside any root.
	Path string
	// Hash is "<algorithm>=<urlsafe-base64-nopad digest>", e.g.
	// "sha256=…", or "" when the row has no hash (RECORD itself, .pyc).
	Hash string
	// Size is the file size in bytes, or -1 when absent.
	Size int64
}

// ParseRecord parses a RECORD file: CSV rows of path, hash, size. Quoted
// fields are accepted, and quoting is read as leniently as Python's csv
// module reads it (pip uses that module). Empty lines are skipped.
//
// A row with an empty path, more than three fields, a hash without "=" or a
// size that is not a non-negative integer is an error; the rows read before
// it are returned with the error.
func ParseRecord(data []byte) ([]RecordEntry, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = true
	var out []RecordEntry
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, fmt.Errorf("record: %w", err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) > 3 {
			return out, fmt.Errorf("record line %d: %d fields, want at most 3 (path,hash,size)", line, len(rec))
		}
		e := RecordEntry{Path: rec[0], Size: -1}
		if strings.TrimSpace(e.Path) == "" {
			return out, fmt.Errorf("record line %d: empty path", line)
		}
		if strings.IndexByte(e.Path, 0) >= 0 {
			return out, fmt.Errorf("record line %d: path contains a NUL byte", line)
		}
		if len(rec) > 1 {
			h := strings.TrimSpace(rec[1])
			if h != "" {
				algo, digest, ok := strings.Cut(h, "=")
				if !ok || algo == "" || digest == "" {
					return out, fmt.Errorf("record line %d: hash %q is not \"<algorithm>=<digest>\"", line, snippet([]byte(h)))
				}
			}
			e.Hash = h
		}
		if len(rec) > 2 {
			s := strings.TrimSpace(rec[2])
			if s != "" {
				n, err := strconv.ParseInt(s, 10, 64)
				if err != nil || n < 0 {
					return out, fmt.Errorf("record line %d: size %q is not a non-negative integer", line, snippet([]byte(s)))
				}
				e.Size = n
			}
		}
		out = append(out, e)
	}
}

// newHash returns the hash for a RECORD algorithm name, or nil when the
// algorithm is missing or unsupported (md5 and sha1 are refused as the
// wheel specification does).
func newHash(algo string) hash.Hash {
	switch strings.ToLower(algo) {
	case "sha256":
		return sha256.New()
	case "sha384":
		return sha512.New384()
	case "sha512":
		return sha512.New()
	}
	return nil
}

// VerifyHash checks data against entry's hash and, when present, size.
// known is false when the entry has no hash or its algorithm is
// unsupported; ok is then false too. A digest that does not decode is a
// known mismatch (ok=false, known=true). Both URL-safe base64 without
// padding (as the wheel spec requires) and padded forms are accepted.
func VerifyHash(entry RecordEntry, data []byte) (ok bool, known bool) {
	algo, want, found := strings.Cut(entry.Hash, "=")
	if !found {
		return false, false
	}
	h := newHash(algo)
	if h == nil {
		return false, false
	}
	wantSum, err := decodeDigest(want)
	if err != nil || len(wantSum) != h.Size() {
		return false, true
	}
	h.Write(data)
	if subtle.ConstantTimeCompare(h.Sum(nil), wantSum) != 1 {
		return false, true
	}
	if entry.Size >= 0 && entry.Size != int64(len(data)) {
		return false, true
	}
	return true, true
}

func decodeDigest(s string) ([]byte, error) {
	s = strings.TrimRight(s, "=")
	if s == "" {
		return nil, errors.New("empty digest")
	}
	return base64.RawURLEncoding.DecodeString(s)
}
