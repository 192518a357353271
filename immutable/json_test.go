package immutable

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"pgregory.net/rapid"
)

// marshalBoth encodes v with encoding/json (v1) and json v2 and fails unless
// the bytes are identical. encoding/json escapes <, > and & (and U+2028/9)
// in all output, so v2 is asked for the same escaping.
func marshalBoth(t testing.TB, v any) string {
	t.Helper()
	b1, err1 := json.Marshal(v)
	b2, err2 := jsonv2.Marshal(v, jsontext.EscapeForHTML(true), jsontext.EscapeForJS(true))
	if err1 != nil || err2 != nil {
		t.Fatalf("Marshal(%v): v1 error %v, v2 error %v", v, err1, err2)
	}
	if string(b1) != string(b2) {
		t.Fatalf("Marshal(%v): v1 %s, v2 %s", v, b1, b2)
	}
	if m, ok := v.(json.Marshaler); ok {
		b3, err := m.MarshalJSON()
		b4, _ := jsonv2.Marshal(v)
		if err != nil || string(b3) != string(b4) {
			t.Fatalf("MarshalJSON(%v) = %s, %v; v2 default gives %s", v, b3, err, b4)
		}
	}
	return string(b1)
}

type doc struct {
	Tags  Set[string]           `json:"tags"`
	Order SortedSet[int]        `json:"order"`
	Attrs Map[string, int]      `json:"attrs"`
	ByID  SortedMap[int, bool]  `json:"by_id"`
	Items List[Array[string]]   `json:"items"`
	Arr   Array[int]            `json:"arr"`
	Named SortedMap[name, name] `json:"named"`
}

type name string

func TestJSONGolden(t *testing.T) {
	d := doc{
		Tags:  SetOf("b", "a", "<c>"),
		Order: SortedSetOf(3, 1, 2),
		Attrs: MapFrom(map[string]int{"z": 1, "a": 2, "m": 3}),
		ByID:  SortedMapFrom(map[int]bool{10: true, 2: false, -1: true}),
		Items: ListOf(Of("x"), Array[string]{}),
		Named: SortedMap[name, name]{}.Set("k", "v"),
	}
	got := marshalBoth(t, d)
	want := `{"tags":["\"\u003cc\u003e\"","\"a\"","\"b\""],"order":[1,2,3],"attrs":{"a":2,"m":3,"z":1},"by_id":{"-1":true,"2":false,"10":true},"items":[["x"],[]],"arr":[],"named":{"k":"v"}}`
	// The set sorts by encoded element, so "<c>" (encoded "\"<c>\"") sorts
	// first; its escaping is v1's HTML escaping.
	want = strings.Replace(want, `"\"\u003cc\u003e\"","\"a\"","\"b\""`, `"\u003cc\u003e","a","b"`, 1)
	if got != want {
		t.Fatalf("Marshal = %s\nwant      %s", got, want)
	}
	for name, unmarshal := range map[string]func([]byte, any) error{
		"v1": json.Unmarshal,
		"v2": func(b []byte, v any) error { return jsonv2.Unmarshal(b, v) },
	} {
		var back doc
		if err := unmarshal([]byte(got), &back); err != nil {
			t.Fatalf("%s Unmarshal: %v", name, err)
		}
		if again := marshalBoth(t, back); again != got {
			t.Fatalf("%s round trip = %s, want %s", name, again, got)
		}
		if !back.Tags.Equal(d.Tags) || !EqualMaps(back.Attrs, d.Attrs) || !EqualSortedMaps(back.ByID, d.ByID) {
			t.Fatalf("%s round trip lost data: %+v", name, back)
		}
	}
}

func TestJSONNullAndEmpty(t *testing.T) {
	l := ListOf(1)
	m := MapFrom(map[string]int{"a": 1})
	s := SetOf(1)
	for _, in := range []string{"null", " null "} {
		if err := json.Unmarshal([]byte(in), &l); err != nil || l.Len() != 0 {
			t.Fatalf("v1 Unmarshal(%s) into List = %v, %v", in, l, err)
		}
		if err := jsonv2.Unmarshal([]byte(in), &m); err != nil || m.Len() != 0 {
			t.Fatalf("v2 Unmarshal(%s) into Map = %v, %v", in, m.ToMap(), err)
		}
		if err := jsonv2.Unmarshal([]byte(in), &s); err != nil || s.Len() != 0 {
			t.Fatalf("v2 Unmarshal(%s) into Set = %v, %v", in, s, err)
		}
	}
	if got := marshalBoth(t, List[int]{}); got != "[]" {
		t.Fatalf("empty List = %s", got)
	}
	if got := marshalBoth(t, Map[string, int]{}); got != "{}" {
		t.Fatalf("empty Map = %s", got)
	}
	// Unmarshal replaces, it does not merge.
	m = MapFrom(map[string]int{"old": 1})
	if err := json.Unmarshal([]byte(`{"new":2}`), &m); err != nil || m.Has("old") || !m.Has("new") {
		t.Fatalf("Unmarshal merged into %v (%v)", m.ToMap(), err)
	}
}

func TestJSONErrors(t *testing.T) {
	tests := []struct {
		give    string
		into    func() any
		wantIs  error
		wantMsg string
	}{
		{`{"a":1,"a":2}`, func() any { return new(Map[string, int]) }, nil, "duplicate"},
		{`{"1":1,"01":2}`, func() any { return new(Map[int, int]) }, nil, "canonical"},
		{`{"7":1,"7":2}`, func() any { return new(SortedMap[int, int]) }, nil, "duplicate"},
		{`{"x":1}`, func() any { return new(Map[int, int]) }, nil, "canonical"},
		{`{"300":1}`, func() any { return new(Map[int8, int]) }, nil, "canonical"},
		{`{"-1":1}`, func() any { return new(Map[uint, int]) }, nil, "canonical"},
		{`{"a":1}`, func() any { return new(Map[float64, int]) }, ErrKeyType, ""},
		{`{"a":1}`, func() any { return new(SortedMap[struct{}, int]) }, ErrKeyType, ""},
		{`[1]`, func() any { return new(SortedSet[struct{}]) }, ErrKeyType, ""},
		{`{}`, func() any { return new(List[int]) }, ErrJSONKind, ""},
		{`"x"`, func() any { return new(Array[int]) }, ErrJSONKind, ""},
		{`[1]`, func() any { return new(Map[string, int]) }, ErrJSONKind, ""},
		{`3`, func() any { return new(Set[int]) }, ErrJSONKind, ""},
		{`true`, func() any { return new(SortedMap[string, int]) }, ErrJSONKind, ""},
		{`["a"]`, func() any { return new(List[int]) }, nil, "unmarshal JSON string into Go int"},
		{`[1,`, func() any { return new(List[int]) }, nil, ""},
		{`{"a":}`, func() any { return new(Map[string, int]) }, nil, ""},
	}
	for _, tt := range tests {
		for _, v := range []string{"v1", "v2"} {
			into := tt.into()
			var err error
			if v == "v1" {
				err = json.Unmarshal([]byte(tt.give), into)
			} else {
				err = jsonv2.Unmarshal([]byte(tt.give), into)
			}
			if err == nil {
				t.Errorf("%s Unmarshal(%s, %T) = nil error", v, tt.give, into)
				continue
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("%s Unmarshal(%s, %T) = %v, want errors.Is %v", v, tt.give, into, err, tt.wantIs)
			}
			if tt.wantMsg != "" && !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("%s Unmarshal(%s, %T) = %v, want it to mention %q", v, tt.give, into, err, tt.wantMsg)
			}
		}
	}
	// Duplicate keys are typed errors with the name.
	var m Map[int, int]
	err := jsonv2.Unmarshal([]byte(`{"5":1,"5":2}`), &m)
	var ke *KeyError
	var se *jsonv2.SemanticError
	var syn *jsontext.SyntacticError
	// A repeated name is found by the decoder first.
	if !errors.As(err, &syn) || !strings.Contains(err.Error(), "duplicate") {
		t.Fatalf("duplicate name error = %v (%T), want a *jsontext.SyntacticError", err, err)
	}
	// When the decoder allows repeated names, the map still refuses them.
	err = jsonv2.Unmarshal([]byte(`{"5":1,"5":2}`), &m, jsontext.AllowDuplicateNames(true))
	if !errors.Is(err, ErrDuplicateKey) || !errors.As(err, &se) || !errors.As(err, &ke) {
		t.Fatalf("duplicate key error = %v (%T), want a *json.SemanticError wrapping a *KeyError and ErrDuplicateKey", err, err)
	}
	// A repeated key under different names (a case-folding hasher) is
	// always ours.
	fm := NewMap[string, int](foldHasher{})
	err = json.Unmarshal([]byte(`{"Go":1,"GO":2}`), &fm)
	if !errors.Is(err, ErrDuplicateKey) || !errors.As(err, &ke) || ke.Name != "GO" {
		t.Fatalf("case-folded duplicate = %v, want a *KeyError for GO wrapping ErrDuplicateKey", err)
	}
	if _, err := json.Marshal(MapFrom(map[float64]int{1: 1})); !errors.Is(err, ErrKeyType) {
		t.Fatalf("Marshal of float keys = %v, want ErrKeyType", err)
	}
}

// textKey is a TextMarshaler key.
type textKey struct{ A, B int }

func (k textKey) MarshalText() ([]byte, error) { return fmt.Appendf(nil, "%d-%d", k.A, k.B), nil }
func (k *textKey) UnmarshalText(b []byte) error {
	a, c, ok := strings.Cut(string(b), "-")
	if !ok {
		return errors.New("want A-B")
	}
	var err1, err2 error
	k.A, err1 = strconv.Atoi(a)
	k.B, err2 = strconv.Atoi(c)
	return errors.Join(err1, err2)
}

func TestJSONTextKeys(t *testing.T) {
	m := MapFrom(map[textKey]string{{1, 2}: "x", {0, 5}: "y"})
	got := marshalBoth(t, m)
	if got != `{"0-5":"y","1-2":"x"}` {
		t.Fatalf("Marshal = %s", got)
	}
	var back Map[textKey, string]
	if err := json.Unmarshal([]byte(got), &back); err != nil || !EqualMaps(back, m) {
		t.Fatalf("Unmarshal = %v, %v", back.ToMap(), err)
	}
	if err := json.Unmarshal([]byte(`{"bad":"x"}`), &back); err == nil || !strings.Contains(err.Error(), "want A-B") {
		t.Fatalf("bad text key = %v", err)
	}
}

func TestJSONRoundTripModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		strs := rapid.SliceOfN(rapid.String(), 0, 8).Draw(t, "strs")
		ints := rapid.SliceOfN(rapid.Int64(), 0, 8).Draw(t, "ints")
		kv := rapid.MapOfN(rapid.String(), rapid.Int(), 0, 8).Draw(t, "kv")
		ikv := rapid.MapOfN(rapid.Int16(), rapid.String(), 0, 8).Draw(t, "ikv")
		roundTrip(t, ListFrom(strs), func(a, b List[string]) bool { return EqualLists(a, b) })
		roundTrip(t, From(ints), func(a, b Array[int64]) bool { return EqualArrays(a, b) })
		roundTrip(t, SetOf(strs...), func(a, b Set[string]) bool { return a.Equal(b) })
		roundTrip(t, SortedSetOf(ints...), func(a, b SortedSet[int64]) bool { return a.Equal(b) })
		roundTrip(t, MapFrom(kv), func(a, b Map[string, int]) bool { return EqualMaps(a, b) })
		roundTrip(t, SortedMapFrom(ikv), func(a, b SortedMap[int16, string]) bool { return EqualSortedMaps(a, b) })
		// Output order: sorted maps by key, hash maps by name.
		var names []string
		for k := range SortedMapFrom(ikv).Keys() {
			names = append(names, strconv.Itoa(int(k)))
		}
		var obj jsontext.Value
		b, _ := jsonv2.Marshal(MapFrom(kv))
		_ = jsonv2.Unmarshal(b, &obj)
		if keys := slices.Sorted(maps.Keys(kv)); !slices.IsSorted(objectNames(t, b)) || len(objectNames(t, b)) != len(keys) {
			t.Fatalf("hash map names not sorted: %s", b)
		}
		b, _ = jsonv2.Marshal(SortedMapFrom(ikv))
		if got := objectNames(t, b); !slices.Equal(got, names) {
			t.Fatalf("sorted map names %v, want %v", got, names)
		}
	})
}

func objectNames(t *rapid.T, b []byte) []string {
	dec := jsontext.NewDecoder(strings.NewReader(string(b)))
	var names []string
	if _, err := dec.ReadToken(); err != nil {
		t.Fatal(err)
	}
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, tok.String())
		if err := dec.SkipValue(); err != nil {
			t.Fatal(err)
		}
	}
	return names
}

func roundTrip[C any](t *rapid.T, c C, eq func(a, b C) bool) {
	b1, err := json.Marshal(c)
	if err != nil {
		t.Fatalf("v1 Marshal(%v): %v", c, err)
	}
	b2, err := jsonv2.Marshal(c, jsontext.EscapeForHTML(true), jsontext.EscapeForJS(true))
	if err != nil || string(b1) != string(b2) {
		t.Fatalf("Marshal(%v): v1 %s, v2 %s, %v", c, b1, b2, err)
	}
	var d1, d2 C
	if err := json.Unmarshal(b1, &d1); err != nil {
		t.Fatalf("v1 Unmarshal(%s): %v", b1, err)
	}
	if err := jsonv2.Unmarshal(b1, &d2); err != nil {
		t.Fatalf("v2 Unmarshal(%s): %v", b1, err)
	}
	if !eq(c, d1) || !eq(c, d2) {
		t.Fatalf("round trip of %s: got %v and %v, want %v", b1, d1, d2, c)
	}
}
