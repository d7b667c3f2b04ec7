package report

import (
	"bytes"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/airlock-sec/airlock/internal/model"
)

// TestSchemaDoc keeps docs/json-schema.md honest: its example is exactly
// what the json format writes, and every field of the JSON shape is in its
// tables.
func TestSchemaDoc(t *testing.T) {
	doc, err := os.ReadFile("../../docs/json-schema.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	_, rest, ok := strings.Cut(text, "```json\n")
	if !ok {
		t.Fatal("no ```json example in docs/json-schema.md")
	}
	example, _, ok := strings.Cut(rest, "```")
	if !ok {
		t.Fatal("unterminated json example")
	}
	r, err := ReadJSON(strings.NewReader(example))
	if err != nil {
		t.Fatalf("example does not read: %v", err)
	}
	if got := render(t, r, "json", Options{}); !bytes.Equal(got, []byte(example)) {
		t.Errorf("example is not canonical output; it renders as:\n%s", got)
	}
	if !strings.Contains(text, "**schema version `"+model.SchemaVersion+"`**") {
		t.Errorf("doc does not name schema version %q", model.SchemaVersion)
	}
	for _, name := range jsonFields(reflect.TypeFor[model.Report](), "") {
		if !strings.Contains(text, "| `"+name+"` |") {
			t.Errorf("field %q is not documented in a table row", name)
		}
	}
}

// jsonFields lists the JSON field names of t: nested objects of the top
// level as parent.child, objects inside arrays by their own names.
func jsonFields(t reflect.Type, prefix string) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		ft := f.Type
		if f.Anonymous {
			out = append(out, jsonFields(ft, prefix)...)
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		out = append(out, prefix+name)
		switch {
		case ft.Kind() == reflect.Struct && prefix == "" && ft.NumField() > 0 && ft.PkgPath() != "":
			out = append(out, jsonFields(ft, name+".")...)
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			out = append(out, jsonFields(ft.Elem(), "")...)
		}
	}
	return out
}
