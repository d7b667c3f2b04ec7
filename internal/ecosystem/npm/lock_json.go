package npm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// jsonStream reads a JSON document with encoding/json's Decoder and knows
// the line of every object key it returns.
//
// Line numbers: after Decoder.Token returns a key, Decoder.InputOffset is
// the offset just past the key's closing quote; a JSON string holds no raw
// newline, so the newlines before that offset give the key's line. Offsets
// only grow, so a lineCounter costs one pass over the file in all.
//
// Nesting: the objects the parsers walk key by key are opened with Token,
// whose internal stack grows with every open object; callers bound that
// nesting themselves. Everything else (entry bodies, skipped values) is
// read with Decoder.Decode, whose scanner refuses nesting deeper than
// 10000 with a syntax error.
type jsonStream struct {
	data  []byte
	dec   *json.Decoder
	lines lineCounter
}

func newJSONStream(data []byte) *jsonStream {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return &jsonStream{data: data, dec: dec, lines: newLineCounter(data)}
}

// line returns the line of the decoder's position.
func (s *jsonStream) line() int { return s.lines.at(int(s.dec.InputOffset())) }

// peek returns the first byte of the next value or token, skipping white
// space and the ':' and ',' separators; 0 at the end of the input.
func (s *jsonStream) peek() byte {
	off := int(s.dec.InputOffset())
	for off >= 0 && off < len(s.data) {
		switch c := s.data[off]; c {
		case ' ', '\t', '\r', '\n', ':', ',':
			off++
		default:
			return c
		}
	}
	return 0
}

// jsonKind names the kind of value starting with c.
func jsonKind(c byte) string {
	switch c {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	case 0:
		return "nothing"
	}
	return "a number"
}

// discard is a Decode target that drops the value.
type discard struct{}

func (*discard) UnmarshalJSON([]byte) error { return nil }

// skip consumes the next value.
func (s *jsonStream) skip() error { return s.wrap(s.dec.Decode(&discard{})) }

// raw consumes the next value and returns its text.
func (s *jsonStream) raw() (json.RawMessage, error) {
	var m json.RawMessage
	err := s.dec.Decode(&m)
	return m, s.wrap(err)
}

// openObject consumes the '{' of the next value when it is an object and
// returns true; otherwise it consumes the whole value and returns false
// with the kind of value found.
func (s *jsonStream) openObject() (bool, string, error) {
	c := s.peek()
	if c != '{' {
		if c == 0 {
			_, err := s.dec.Token()
			return false, jsonKind(c), s.wrap(err)
		}
		return false, jsonKind(c), s.skip()
	}
	_, err := s.dec.Token()
	return err == nil, "an object", s.wrap(err)
}

// members calls fn with each key (and its line) of the object whose '{'
// was just consumed, then consumes the '}'. fn must consume the value.
func (s *jsonStream) members(fn func(key string, line int) error) error {
	for s.dec.More() {
		t, err := s.dec.Token()
		if err != nil {
			return s.wrap(err)
		}
		key, ok := t.(string)
		if !ok {
			return s.syntaxError("object key is not a string")
		}
		if err := fn(key, s.line()); err != nil {
			return err
		}
	}
	t, err := s.dec.Token()
	if err != nil {
		return s.wrap(err)
	}
	if d, ok := t.(json.Delim); !ok || d != '}' {
		return s.syntaxError("object not closed")
	}
	return nil
}

// atEOF reports whether only white space follows.
func (s *jsonStream) atEOF() bool {
	_, err := s.dec.Token()
	return err == io.EOF
}

func (s *jsonStream) syntaxError(msg string) error {
	return fmt.Errorf("invalid JSON at line %d: %s", s.line(), msg)
}

// wrap turns decoder errors into errors that give the line.
func (s *jsonStream) wrap(err error) error {
	if err == nil {
		return nil
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("invalid JSON at line %d: %v", s.lines.at(int(se.Offset)), se)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("invalid JSON: unexpected end of input at line %d (truncated file?)", s.lines.at(len(s.data)))
	}
	return fmt.Errorf("invalid JSON at line %d: %w", s.line(), err)
}

// objectMembers decodes raw, which must be a JSON object, into its members
// (the last of duplicate keys wins, as in JavaScript). Matching is exact,
// unlike decoding into a struct, which would let "VERSION" stand for
// "version".
func objectMembers(raw json.RawMessage) (map[string]json.RawMessage, bool) {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil || m == nil {
		return nil, false
	}
	return m, true
}

// jsonString returns the member key of m as a string. present is false
// when it is missing or null; ok is false when it is present but not a
// string.
func jsonString(m map[string]json.RawMessage, key string) (s string, present, ok bool) {
	raw, has := m[key]
	if !has || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return "", false, true
	}
	if json.Unmarshal(raw, &s) != nil {
		return "", true, false
	}
	return s, true, true
}

// jsonTrue reports whether the member key of m is the JSON literal true.
func jsonTrue(m map[string]json.RawMessage, key string) bool {
	return bytes.Equal(bytes.TrimSpace(m[key]), []byte("true"))
}

// rawKind names the kind of a raw JSON value.
func rawKind(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	return jsonKind(raw[0])
}
