package pypi

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestParseMetadataFiles(t *testing.T) {
	tests := []struct {
		file string
		want Metadata
	}{
		{"testdata/METADATA-requests.txt", Metadata{
			Name: "requests", Version: "2.31.0", Summary: "Python HTTP for Humans.",
			HomePage: "https://requests.readthedocs.io", Author: "Kenneth Reitz",
			RequiresDist: []string{
				"charset-normalizer (<4,>=2)", "idna (<4,>=2.5)", "urllib3 (<3,>=1.21.1)",
				"certifi (>=2017.4.17)", "PySocks (!=1.5.7,>=1.5.6) ; extra == 'socks'",
			},
		}},
		{"testdata/PKG-INFO-distutils.txt", Metadata{
			Name: "oldpkg", Version: "0.3", Summary: "A summary that continues on a second line",
			HomePage: "UNKNOWN", Author: "Someone",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseMetadata(data)
			if err != nil {
				t.Fatalf("ParseMetadata: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseMetadataInline(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Metadata
		wantErr string
	}{
		{name: "crlf and case", in: "metadata-version: 2.1\r\nNAME: Foo\r\nversion:1.0\r\n\r\nbody",
			want: Metadata{Name: "Foo", Version: "1.0"}},
		{name: "bom", in: "\xef\xbb\xbfName: foo\nVersion: 1\n", want: Metadata{Name: "foo", Version: "1"}},
		{name: "no trailing newline", in: "Name: foo", want: Metadata{Name: "foo"}},
		{name: "value with colon", in: "Name: foo\nHome-page: http://x:8080/\n", want: Metadata{Name: "foo", HomePage: "http://x:8080/"}},
		{name: "empty", in: "", wantErr: "empty"},
		{name: "blank", in: "\n\n  \n", wantErr: "empty"},
		{name: "no name", in: "Version: 1.0\n", want: Metadata{Version: "1.0"}, wantErr: "no Name"},
		{name: "name only in body", in: "Version: 1.0\n\nName: x\n", want: Metadata{Version: "1.0"}, wantErr: "no Name"},
		{name: "bad line", in: "Name: foo\nthis is not a header\n", want: Metadata{Name: "foo"}, wantErr: "line 2"},
		{name: "continuation first", in: "  Name: foo\n", wantErr: "continuation"},
		{name: "space in key", in: "Na me: foo\n", wantErr: "invalid header name"},
		{name: "nul", in: "Name: f\x00oo\n", wantErr: "NUL"},
		{name: "bad utf8", in: "Name: \xff\xfe\n", want: Metadata{Name: "\xff\xfe"}, wantErr: "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseMetadata([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
				}
			} else if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestNormalizeName(t *testing.T) {
	tests := map[string]string{
		"Requests":            "requests",
		"zope.interface":      "zope-interface",
		"typing_extensions":   "typing-extensions",
		"Foo--_.Bar":          "foo-bar",
		"a-b":                 "a-b",
		"-lead":               "-lead",
		"trail_":              "trail-",
		"":                    "",
		"SomeThing__Else...x": "something-else-x",
	}
	for in, want := range tests {
		if got := NormalizeName(in); got != want {
			t.Errorf("NormalizeName(%q) = %q, want %q", in, got, want)
		}
	}
}
