package pypi

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestParseRecordFile(t *testing.T) {
	data, err := os.ReadFile("testdata/RECORD-sample.txt")
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseRecord(data)
	if err != nil {
		t.Fatal(err)
	}
	empty := "sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU"
	want := []RecordEntry{
		{"evilpkg/__init__.py", empty, 0},
		{"evilpkg/core.py", "sha256=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 12},
		{"evilpkg_init.pth", empty, 0},
		{"evilpkg/odd, name.py", "", -1},
		{"../../../bin/evil-cli", empty, 0},
		{"evilpkg-1.0.dist-info/METADATA", "", -1},
		{"evilpkg-1.0.dist-info/RECORD", "", -1},
		{"evilpkg/__pycache__/__init__.cpython-312.pyc", "", -1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestParseRecordErrors(t *testing.T) {
	tests := []struct {
		name, in, wantErr string
		wantN             int
	}{
		{"ok crlf and blank lines", "a.py,,\r\n\r\nb.py,sha256=x,3\r\n", "", 2},
		{"path only", "a.py\n", "", 1},
		{"empty input", "", "", 0},
		{"too many fields", "a.py,,,x\n", "4 fields", 0},
		{"empty path", "ok.py,,\n,,\n", "line 2: empty path", 1},
		{"hash without =", "a.py,deadbeef,1\n", "not \"<algorithm>=<digest>\"", 0},
		{"negative size", "a.py,,-1\n", "non-negative", 0},
		{"size not number", "a.py,,12kb\n", "non-negative", 0},
		{"nul in path", "a\x00.py,,\n", "NUL", 0},
		{"lazy quotes", "a\"b.py,,\n", "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseRecord([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
				}
			} else if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if len(got) != tt.wantN {
				t.Errorf("got %d entries (%+v), want %d", len(got), got, tt.wantN)
			}
		})
	}
}

func b64(sum []byte) string { return base64.RawURLEncoding.EncodeToString(sum) }

func TestVerifyHash(t *testing.T) {
	data := []byte("import os; os.system('id')\n")
	s256 := sha256.Sum256(data)
	s384 := sha512.Sum384(data)
	s512 := sha512.Sum512(data)
	n := int64(len(data))
	tests := []struct {
		name      string
		e         RecordEntry
		ok, known bool
	}{
		{"sha256", RecordEntry{"x", "sha256=" + b64(s256[:]), n}, true, true},
		{"sha256 no size", RecordEntry{"x", "sha256=" + b64(s256[:]), -1}, true, true},
		{"sha256 padded", RecordEntry{"x", "sha256=" + base64.URLEncoding.EncodeToString(s256[:]), n}, true, true},
		{"uppercase algo", RecordEntry{"x", "SHA256=" + b64(s256[:]), n}, true, true},
		{"sha384", RecordEntry{"x", "sha384=" + b64(s384[:]), n}, true, true},
		{"sha512", RecordEntry{"x", "sha512=" + b64(s512[:]), n}, true, true},
		{"wrong hash", RecordEntry{"x", "sha256=" + b64(make([]byte, 32)), n}, false, true},
		{"wrong size", RecordEntry{"x", "sha256=" + b64(s256[:]), n + 1}, false, true},
		{"truncated digest", RecordEntry{"x", "sha256=" + b64(s256[:16]), n}, false, true},
		{"std base64 chars", RecordEntry{"x", "sha256=+/+/", n}, false, true},
		{"no hash", RecordEntry{"x", "", n}, false, false},
		{"md5 unsupported", RecordEntry{"x", "md5=abcd", n}, false, false},
		{"sha1 unsupported", RecordEntry{"x", "sha1=abcd", n}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, known := VerifyHash(tt.e, data)
			if ok != tt.ok || known != tt.known {
				t.Errorf("VerifyHash = (%v, %v), want (%v, %v)", ok, known, tt.ok, tt.known)
			}
		})
	}
}
