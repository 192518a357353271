// Package immutable_test fuzzes the JSON decoding of every collection of
// github.com/dext-go/dext/immutable: encoding/json (v1) and json v2 must agree
// on which inputs they accept, decoding must never panic, both must decode to
// the same collection, and re-encoding must be stable and byte-identical
// between v1 and v2.
package immutable_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/dext-go/dext/immutable"
	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// seeds common to every target; each target adds its own.
var seeds = []string{
	`null`, `[]`, `{}`, `[1,2,3]`, `["a","b"]`, `{"a":1}`, `{"1":"x","-2":"y"}`,
	`[1,1]`, `{"a":1,"a":2}`, `{"01":1}`, `[`, `{"a":}`, `"str"`, `3`, `true`,
	` [ 1 , 2 ] `, `["\u003c\u2028", "\ud800"]`, "[\"\xff\"]", `{"9223372036854775808":"x"}`,
	`[[1],[2,3]]`, `{"a":{"b":[1]}}`, `[1e400]`, `[-0, 0.5]`, `{"":0}`,
}

// check runs the properties for one collection type C; eq compares two
// decoded values.
func check[C any](t *testing.T, data []byte, eq func(a, b C) bool) {
	var v1, v2 C
	err1 := json.Unmarshal(data, &v1)
	err2 := jsonv2.Unmarshal(data, &v2)
	if (err1 == nil) != (err2 == nil) {
		t.Fatalf("acceptance differs on %q: v1 %v, v2 %v", data, err1, err2)
	}
	if err1 != nil {
		return
	}
	if !eq(v1, v2) {
		t.Fatalf("v1 and v2 decoded %q differently: %v vs %v", data, v1, v2)
	}
	enc1, err := json.Marshal(v1)
	if err != nil {
		t.Fatalf("v1 re-encode of %q: %v", data, err)
	}
	enc2, err := jsonv2.Marshal(v2, jsontext.EscapeForHTML(true), jsontext.EscapeForJS(true))
	if err != nil {
		t.Fatalf("v2 re-encode of %q: %v", data, err)
	}
	if !bytes.Equal(enc1, enc2) {
		t.Fatalf("re-encodings of %q differ: v1 %s, v2 %s", data, enc1, enc2)
	}
	var again C
	if err := jsonv2.Unmarshal(enc2, &again); err != nil {
		t.Fatalf("decoding our own output %s: %v", enc2, err)
	}
	enc3, err := jsonv2.Marshal(again, jsontext.EscapeForHTML(true), jsontext.EscapeForJS(true))
	if err != nil || !bytes.Equal(enc2, enc3) {
		t.Fatalf("re-encoding not stable: %s then %s (%v)", enc2, enc3, err)
	}
	if !eq(v2, again) {
		t.Fatalf("round trip of %s changed the value: %v vs %v", enc2, v2, again)
	}
}

func addSeeds(f *testing.F, extra ...string) {
	for _, s := range append(seeds, extra...) {
		f.Add([]byte(s))
	}
}

func FuzzArrayJSON(f *testing.F) {
	addSeeds(f, `["x","y"]`, `[""]`)
	f.Fuzz(func(t *testing.T, data []byte) {
		check(t, data, immutable.EqualArrays[string])
	})
}

func FuzzListJSON(f *testing.F) {
	addSeeds(f, `[0,-1,9007199254740993]`)
	f.Fuzz(func(t *testing.T, data []byte) {
		check(t, data, immutable.EqualLists[int64])
	})
}

func FuzzNestedListJSON(f *testing.F) {
	addSeeds(f, `[{"a":[1,2]},{"b":[]}]`, `[{"a":[2,1,2]}]`)
	f.Fuzz(func(t *testing.T, data []byte) {
		check(t, data, func(a, b immutable.List[immutable.Map[string, immutable.SortedSet[int]]]) bool {
			return a.EqualFunc(b, func(x, y immutable.Map[string, immutable.SortedSet[int]]) bool {
				return x.EqualFunc(y, immutable.SortedSet[int].Equal)
			})
		})
	})
}

func FuzzMapJSON(f *testing.F) {
	addSeeds(f, `{"b":2,"a":1}`, `{"a":1,"A":2}`)
	f.Fuzz(func(t *testing.T, data []byte) {
		check(t, data, immutable.EqualMaps[string, int])
	})
}

func FuzzIntMapJSON(f *testing.F) {
	addSeeds(f, `{"1":true,"-1":false}`, `{"+1":true}`, `{"1":true,"01":false}`)
	f.Fuzz(func(t *testing.T, data []byte) {
		check(t, data, immutable.EqualMaps[int16, bool])
	})
}

func FuzzSortedMapJSON(f *testing.F) {
	addSeeds(f, `{"10":"a","2":"b"}`, `{"18446744073709551615":"max"}`)
	f.Fuzz(func(t *testing.T, data []byte) {
		check(t, data, immutable.EqualSortedMaps[uint64, string])
	})
}

func FuzzSetJSON(f *testing.F) {
	addSeeds(f, `["b","a","b"]`)
	f.Fuzz(func(t *testing.T, data []byte) {
		check(t, data, immutable.Set[string].Equal)
	})
}

func FuzzSortedSetJSON(f *testing.F) {
	addSeeds(f, `[3,1,2,1]`, `[1.0]`)
	f.Fuzz(func(t *testing.T, data []byte) {
		check(t, data, immutable.SortedSet[int].Equal)
	})
}
