// Package nullable_test fuzzes the JSON, XML and text decoders of
// github.com/dext-go/dext/nullable: arbitrary bytes never panic, encoding/json
// and json/v2 agree on what they accept and what it means, and whatever is
// accepted re-encodes to bytes that decode back to the same thing.
package nullable_test

import (
	"bytes"
	stdjson "encoding/json"
	"encoding/xml"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/dext-go/dext/nullable"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

type point struct {
	X    int64   `json:"x" xml:"x"`
	Name string  `json:"name" xml:"name"`
	Tags []int8  `json:"tags,omitempty" xml:"tag"`
	F    float32 `json:"f" xml:"f"`
}

var jsonSeeds = []string{
	`null`, ` null `, `0`, `-0`, `12`, `-9223372036854775808`, `9223372036854775808`, `18446744073709551615`,
	`1.5`, `-1e-7`, `1E400`, `1e-400`, `01`, `true`, `false`, `""`, `"x"`, `"\u00e9\"\\\/\b\f\n\r\t"`,
	`"\ud83d\ude00"`, `"\ud800"`, "\"\xff\"", `"2020-01-02T03:04:05.999999999Z"`, `"2020-01-02T03:04:05+23:59"`,
	`"2020-01-02T03:04:05+24:00"`, `"0000-01-01T00:00:00Z"`, `{}`, `[]`, `{"x":1,"name":"n","tags":[1,-2],"f":1.5}`,
	`{"x":1,"x":2}`, `{"X":1}`, `nul`, `tru`, `"`, `[`, `{"x":`, ``, `1 2`,
	`"a","f":"b"`, `"a","F":null`, `1,"g":2`, `null,"G":"x"`, "\"a\",\"zz\":\"\xff\"",
}

// checkJSON decodes data as a Value[T] and a Field[T] with both JSON
// generations and checks that they agree and re-encode stably.
func checkJSON[T any](t *testing.T, data []byte) {
	var v1, v2 nullable.Value[T]
	err1 := stdjson.Unmarshal(data, &v1)
	err2 := json.Unmarshal(data, &v2)
	if v1OnV2 { // encoding/json applies v1's rules; it ran above, and must not panic
		v1, err1 = v2, err2
	}
	if (err1 == nil) != (err2 == nil) {
		t.Fatalf("Value[%T] %q: encoding/json err %v, json/v2 err %v", *new(T), data, err1, err2)
	}
	var f1, f2 nullable.Field[T]
	ferr1 := stdjson.Unmarshal(data, &f1)
	ferr2 := json.Unmarshal(data, &f2)
	if v1OnV2 {
		f1, ferr1 = f2, ferr2
	}
	if (ferr1 == nil) != (err1 == nil) || (ferr2 == nil) != (err2 == nil) {
		t.Fatalf("Field[%T] %q: errs %v, %v; Value errs %v, %v", *new(T), data, ferr1, ferr2, err1, err2)
	}
	if err1 != nil {
		return
	}
	if f1.IsAbsent() || f1.IsNull() != v1.IsNull() || f2.IsNull() != v2.IsNull() {
		t.Fatalf("%q: Field %v/%v vs Value %v/%v", data, f1, f2, v1, v2)
	}
	b1, err := v1.MarshalJSON()
	if err != nil {
		t.Fatalf("%q decoded to %v, which does not re-encode: %v", data, v1, err)
	}
	b2, err := json.Marshal(v2)
	if err != nil {
		t.Fatalf("%q decoded to %v, which json/v2 does not re-encode: %v", data, v2, err)
	}
	if !bytes.Equal(b1, b2) {
		t.Fatalf("%q: encoding/json decoded %s, json/v2 decoded %s", data, b1, b2)
	}
	if fb, err := json.Marshal(f2); err != nil || !bytes.Equal(fb, b2) {
		t.Fatalf("%q: Field re-encodes to %s, %v; Value to %s", data, fb, err, b2)
	}
	// Stable: the re-encoding decodes to a value that encodes the same.
	var again nullable.Value[T]
	if err := stdjson.Unmarshal(b1, &again); err != nil {
		t.Fatalf("re-encoded %s does not decode: %v", b1, err)
	}
	if b3, err := json.Marshal(again); err != nil || !bytes.Equal(b3, b1) {
		t.Fatalf("unstable: %q -> %s -> %s (%v)", data, b1, b3, err)
	}
}

func FuzzValueJSON(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkJSON[int64](t, data)
		checkJSON[int8](t, data)
		checkJSON[uint32](t, data)
		checkJSON[float64](t, data)
		checkJSON[float32](t, data)
		checkJSON[bool](t, data)
		checkJSON[string](t, data)
		checkJSON[time.Time](t, data)
		checkJSON[point](t, data)
		checkJSON[[]byte](t, data)
		checkJSON[map[string]nullable.Value[int]](t, data)
	})
}

// FuzzFieldObject decodes {"f": data} into a struct with an omitzero Field:
// the two JSON generations agree on the field's state.
func FuzzFieldObject(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	type rec struct {
		F nullable.Field[string] `json:"f,omitzero"`
		G nullable.Field[int]    `json:"g,omitzero"`
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc := append(append([]byte(`{"f":`), data...), '}')
		if !utf8.Valid(doc) {
			return // encoding/json ignores invalid UTF-8 outside our fields; json/v2 rejects it
		}
		var r1, r2 rec
		err1 := stdjson.Unmarshal(doc, &r1)
		// encoding/json's rules for the object around the fields, so that
		// only the fields themselves are compared.
		err2 := json.Unmarshal(doc, &r2, jsontext.AllowDuplicateNames(true), json.MatchCaseInsensitiveNames(true))
		if v1OnV2 { // encoding/json applies v1's rules to the strings too
			r1, err1 = r2, err2
		}
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("%s: encoding/json err %v, json/v2 err %v", doc, err1, err2)
		}
		if err1 != nil {
			return
		}
		if r1.F.IsAbsent() || r1 != r2 {
			t.Fatalf("%s: %+v vs %+v", doc, r1, r2)
		}
		out, err := json.Marshal(r2)
		if err != nil {
			t.Fatalf("%+v does not re-encode: %v", r2, err)
		}
		var r3 rec
		if err := stdjson.Unmarshal(out, &r3); err != nil || r3 != r2 {
			t.Fatalf("unstable: %s -> %s -> %+v (%v)", doc, out, r3, err)
		}
	})
}

// FuzzXMLAndText decodes data as an XML document and as text; it must never
// panic, and what is accepted re-encodes to something that decodes the same.
func FuzzXMLAndText(f *testing.F) {
	for _, s := range []string{
		`<r><v>1</v></r>`, `<r a="2"><v xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/></r>`,
		`<r><v xsi:nil="1">x</v><f></f></r>`, `<r><v>abc</v></r>`, `<r a=""></r>`, `<r><v><x/></v></r>`, `12`, ``, `-`,
	} {
		f.Add([]byte(s))
	}
	type rec struct {
		XMLName xml.Name               `xml:"r"`
		A       nullable.Value[int]    `xml:"a,attr"`
		V       []nullable.Value[int]  `xml:"v"`
		F       nullable.Field[string] `xml:"f"`
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var r rec
		if err := xml.Unmarshal(data, &r); err == nil {
			out, err := xml.Marshal(r)
			if err != nil {
				t.Fatalf("%q decoded to %+v, which does not re-encode: %v", data, r, err)
			}
			var r2 rec
			if err := xml.Unmarshal(out, &r2); err != nil {
				t.Fatalf("re-encoded %s does not decode: %v", out, err)
			}
			if out2, _ := xml.Marshal(r2); !bytes.Equal(out, out2) {
				t.Fatalf("unstable: %q -> %s -> %s", data, out, out2)
			}
		}
		var tv nullable.Value[float64]
		if err := tv.UnmarshalText(data); err == nil {
			b, err := tv.MarshalText()
			if err != nil {
				t.Fatalf("%q decoded to %v, which does not re-encode: %v", data, tv, err)
			}
			var back nullable.Value[float64]
			if err := back.UnmarshalText(b); err != nil || nullable.Compare(back, tv) != 0 {
				t.Fatalf("text %q -> %v -> %q -> %v (%v)", data, tv, b, back, err)
			}
		}
	})
}
