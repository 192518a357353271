package immutable

import (
	"fmt"
	"maps"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// foldHasher treats keys that differ only in case as equal.
type foldHasher struct{}

func (foldHasher) Hash(k string) uint32 {
	var h uint32
	for _, r := range strings.ToLower(k) {
		h = h*31 + uint32(r)
	}
	return h
}
func (foldHasher) Equal(a, b string) bool { return strings.EqualFold(a, b) }

func TestMapModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := &history[Map[key, int], map[key]int]{}
		cur, model := Map[key, int]{}, map[key]int{}
		t.Repeat(map[string]func(*rapid.T){
			"Set": func(t *rapid.T) {
				k, v := keyGen.Draw(t, "k"), rapid.Int().Draw(t, "v")
				cur = cur.Set(k, v)
				model = maps.Clone(model)
				model[k] = v
			},
			"SetMany": func(t *rapid.T) {
				n := rapid.IntRange(1, 70).Draw(t, "n")
				model = maps.Clone(model)
				for i := range n {
					k := key{A: int8(i % 100), B: strings.Repeat("k", i/100)}
					cur = cur.Set(k, i)
					model[k] = i
				}
			},
			"Delete": func(t *rapid.T) {
				k := keyGen.Draw(t, "k")
				if len(model) > 0 && rapid.Bool().Draw(t, "existing") {
					k = rapid.SampledFrom(sortedKeys(model)).Draw(t, "existing key")
				}
				cur = cur.Delete(k)
				model = maps.Clone(model)
				delete(model, k)
			},
			"Filter": func(t *rapid.T) {
				keep := func(k key, v int) bool { return (int(k.A)+v)%2 == 0 }
				cur = cur.Filter(keep)
				model = maps.Clone(model)
				maps.DeleteFunc(model, func(k key, v int) bool { return !keep(k, v) })
			},
			"Branch": func(t *rapid.T) {
				if len(h.colls) > 0 {
					cur, model = h.pick(t)
				}
			},
			"": func(t *rapid.T) {
				if err := mapMatches(cur, model, key{A: 99}); err != nil {
					t.Fatal(err)
				}
				h.add(t, cur, model)
				h.check(t, func(m Map[key, int], want map[key]int) error {
					if got := m.ToMap(); !maps.Equal(got, want) {
						return fmt.Errorf("ToMap() = %v, want %v", got, want)
					}
					return nil
				})
				if !EqualMaps(cur, MapFrom(model)) || !EqualMaps(MapFrom(model), cur) {
					t.Fatal("EqualMaps(cur, MapFrom(model)) = false")
				}
				if other := cur.Set(key{A: 100}, 1); EqualMaps(cur, other) {
					t.Fatal("EqualMaps with an extra key = true")
				}
			},
		})
	})
}

func TestMapBuilderModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var b *MapBuilder[key, int]
		if rapid.Bool().Draw(t, "new") {
			b = NewMapBuilder[key, int](nil)
		} else {
			b = &MapBuilder[key, int]{}
		}
		model := map[key]int{}
		t.Repeat(map[string]func(*rapid.T){
			"Set": func(t *rapid.T) {
				k, v := keyGen.Draw(t, "k"), rapid.Int().Draw(t, "v")
				b.Set(k, v)
				model[k] = v
			},
			"SetMany": func(t *rapid.T) {
				for i := range rapid.IntRange(1, 100).Draw(t, "n") {
					k := key{A: int8(i), B: "many"}
					b.Set(k, i)
					model[k] = i
				}
			},
			"Delete": func(t *rapid.T) {
				k := keyGen.Draw(t, "k")
				b.Delete(k)
				delete(model, k)
			},
			"Get": func(t *rapid.T) {
				k := keyGen.Draw(t, "k")
				got, ok := b.Get(k)
				want, wok := model[k]
				if got != want || ok != wok {
					t.Fatalf("Get(%v) = %v, %v, want %v, %v", k, got, ok, want, wok)
				}
			},
			"": func(t *rapid.T) {
				if b.Len() != len(model) {
					t.Fatalf("Len() = %d, want %d", b.Len(), len(model))
				}
			},
		})
		m := b.Build()
		if err := mapMatches(m, model, key{A: 99}); err != nil {
			t.Fatal(err)
		}
		checkPanics(t, "immutable.MapBuilder.Set: builder used after Build", func() { b.Set(key{}, 1) })
		checkPanics(t, "immutable.MapBuilder.Build: builder used after Build", func() { b.Build() })
		_ = m.Set(key{A: 1}, -1).Delete(key{})
		if err := mapMatches(m, model, key{A: 99}); err != nil {
			t.Fatalf("after deriving: %v", err)
		}
	})
}

func TestMapCustomHasher(t *testing.T) {
	m := NewMap[string, int](foldHasher{}).Set("Go", 1).Set("GO", 2)
	if m.Len() != 1 {
		t.Fatalf("Len() = %d, want 1 with a case-folding hasher", m.Len())
	}
	if v, ok := m.Get("go"); !ok || v != 2 {
		t.Fatalf(`Get("go") = %v, %v, want 2, true`, v, ok)
	}
	// Derived maps keep the hasher.
	f := m.Set("rust", 3).Filter(func(string, int) bool { return true })
	if !f.Has("RUST") || !f.Has("gO") {
		t.Fatalf("Filter lost the custom hasher: %v", f.ToMap())
	}
	w := MapValues(f, func(k string, v int) string { return k })
	if !w.Has("Rust") {
		t.Fatal("MapValues lost the custom hasher")
	}
	b := NewMapBuilder[string, int](foldHasher{})
	b.Set("a", 1)
	b.Set("A", 2)
	if bm := b.Build(); bm.Len() != 1 || !bm.Set("x", 0).Has("X") {
		t.Fatalf("builder with custom hasher: %v", bm.ToMap())
	}
}

func TestMapZeroValue(t *testing.T) {
	var m Map[string, int]
	if m.Len() != 0 || m.Has("a") || m.Delete("a").Len() != 0 {
		t.Fatal("zero Map not empty")
	}
	for range m.All() {
		t.Fatal("zero Map yielded")
	}
	if v, ok := m.Set("a", 1).Get("a"); !ok || v != 1 {
		t.Fatalf(`zero Map Set/Get = %v, %v`, v, ok)
	}
	// Every default hasher kind.
	testDefaultHasher(t, []int{1, 2, -3})
	testDefaultHasher(t, []int64{1, 2, -3})
	testDefaultHasher(t, []uint64{1, 2, 1 << 63})
	testDefaultHasher(t, []int32{1, 2, -3})
	testDefaultHasher(t, []uint32{1, 2, 3})
	testDefaultHasher(t, []float64{1.5, -0.25, 3})
	type id string
	testDefaultHasher(t, []id{"a", "b", ""})
	testDefaultHasher(t, [][2]int{{1, 2}, {2, 1}, {0, 0}})
	x, y := 1, 1
	testDefaultHasher(t, []*int{&x, &y, nil})
	testDefaultHasher(t, []any{1, "1", key{}})
}

func testDefaultHasher[K comparable](t *testing.T, keys []K) {
	t.Helper()
	var m Map[K, int]
	for i, k := range keys {
		m = m.Set(k, i)
	}
	if m.Len() != len(keys) {
		t.Fatalf("%T: Len() = %d, want %d", keys, m.Len(), len(keys))
	}
	for i, k := range keys {
		if v, ok := m.Get(k); !ok || v != i {
			t.Fatalf("%T: Get(%v) = %v, %v, want %d", keys, k, v, ok, i)
		}
	}
}
