package nullable_test

import (
	"bytes"
	"strconv"
	"testing"
	"time"

	"github.com/dext-go/dext/nullable"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// TestJSONv2OptionsApplyToHeldValue checks that the caller's json/v2 options
// reach the held value exactly as they reach the target of a *T: the fast
// paths step aside when an option would change T's encoding.
func TestJSONv2OptionsApplyToHeldValue(t *testing.T) {
	type ours struct {
		I nullable.Value[int64]     `json:"i"`
		F nullable.Value[float64]   `json:"f"`
		S nullable.Value[string]    `json:"s"`
		B nullable.Value[bool]      `json:"b"`
		T nullable.Value[time.Time] `json:"t"`
	}
	type plain struct {
		I *int64     `json:"i"`
		F *float64   `json:"f"`
		S *string    `json:"s"`
		B *bool      `json:"b"`
		T *time.Time `json:"t"`
	}
	tm := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	o := ours{nullable.Of[int64](7), nullable.Of(1.5), nullable.Of("x<"), nullable.Of(true), nullable.Of(tm)}
	p := plain{new(int64(7)), new(1.5), new("x<"), new(true), new(tm)}
	marshalers := json.JoinMarshalers(
		json.MarshalFunc(func(n int64) ([]byte, error) { return []byte(`"int:` + strconv.FormatInt(n, 10) + `"`), nil }),
		json.MarshalFunc(func(s string) ([]byte, error) { return []byte(`"str"`), nil }),
		json.MarshalFunc(func(b bool) ([]byte, error) { return []byte(`"yes"`), nil }),
		json.MarshalFunc(func(t time.Time) ([]byte, error) { return []byte(`"when"`), nil }),
	)
	tests := []struct {
		name string
		opts []json.Options
	}{
		{"default", nil},
		{"StringifyNumbers", []json.Options{json.StringifyNumbers(true)}},
		{"WithMarshalers", []json.Options{json.WithMarshalers(marshalers)}},
		{"EscapeForHTML", []json.Options{jsontext.EscapeForHTML(true)}},
		{"Multiline", []json.Options{jsontext.Multiline(true)}},
	}
	for _, tt := range tests {
		got, err := json.Marshal(o, tt.opts...)
		want, werr := json.Marshal(p, tt.opts...)
		if err != nil || werr != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: Marshal = %s, %v; *T gives %s, %v", tt.name, got, err, want, werr)
		}
	}

	unmarshalers := json.JoinUnmarshalers(
		json.UnmarshalFunc(func(b []byte, n *int64) error { *n = 99; return nil }),
		json.UnmarshalFunc(func(b []byte, s *string) error { *s = "from func"; return nil }),
	)
	uTests := []struct {
		name string
		in   string
		opts []json.Options
	}{
		{"default", `{"i":7,"f":1.5,"s":"x","b":true,"t":"2026-01-02T03:04:05Z"}`, nil},
		{"StringifyNumbers", `{"i":"7","f":"1.5","s":"x","b":true}`, []json.Options{json.StringifyNumbers(true)}},
		{"WithUnmarshalers", `{"i":7,"s":"x"}`, []json.Options{json.WithUnmarshalers(unmarshalers)}},
		{"AllowInvalidUTF8", "{\"s\":\"a\xffb\"}", []json.Options{jsontext.AllowInvalidUTF8(true)}},
	}
	for _, tt := range uTests {
		var got ours
		var want plain
		err := json.Unmarshal([]byte(tt.in), &got, tt.opts...)
		werr := json.Unmarshal([]byte(tt.in), &want, tt.opts...)
		if err != nil || werr != nil {
			t.Errorf("%s: Unmarshal errors %v; *T: %v", tt.name, err, werr)
			continue
		}
		if got.I != nullable.FromPtr(want.I) || got.S != nullable.FromPtr(want.S) || got.F != nullable.FromPtr(want.F) ||
			got.B != nullable.FromPtr(want.B) || !nullable.FromPtr(want.T).IsNull() == got.T.IsNull() {
			t.Errorf("%s: Unmarshal = %+v; *T gives %v %v %v %v %v", tt.name, got, want.I, want.S, want.F, want.B, want.T)
		}
	}
}
