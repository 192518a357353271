package immutable

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

func sortedMapMatches(m SortedMap[int, string], want map[int]string) error {
	if m.Len() != len(want) || m.IsEmpty() != (len(want) == 0) {
		return fmt.Errorf("Len() = %d, want %d", m.Len(), len(want))
	}
	keys := slices.Sorted(maps.Keys(want))
	for _, k := range keys {
		if v, ok := m.Get(k); !ok || v != want[k] {
			return fmt.Errorf("Get(%d) = %q, %v, want %q", k, v, ok, want[k])
		}
	}
	if m.Has(1 << 40) {
		return fmt.Errorf("Has(absent) = true")
	}
	if got := slices.Collect(m.Keys()); !slices.Equal(got, keys) && len(keys) > 0 {
		return fmt.Errorf("Keys() = %v, want %v", got, keys)
	}
	var vals []string
	for _, k := range keys {
		vals = append(vals, want[k])
	}
	if got := slices.Collect(m.Values()); !slices.Equal(got, vals) {
		return fmt.Errorf("Values() = %v, want %v", got, vals)
	}
	var back []int
	for k, v := range m.Backward() {
		if want[k] != v {
			return fmt.Errorf("Backward yielded %d=%q", k, v)
		}
		back = append(back, k)
	}
	slices.Reverse(back)
	if !slices.Equal(back, keys) {
		return fmt.Errorf("Backward() keys = %v reversed, want %v", back, keys)
	}
	kmin, _, okMin := m.Min()
	kmax, _, okMax := m.Max()
	if okMin != (len(keys) > 0) || okMax != okMin || (okMin && (kmin != keys[0] || kmax != keys[len(keys)-1])) {
		return fmt.Errorf("Min/Max = %d, %d, %v", kmin, kmax, okMin)
	}
	if len(keys) > 0 {
		from := keys[len(keys)/2] - 1
		var got []int
		for k := range m.From(from) {
			got = append(got, k)
		}
		i, _ := slices.BinarySearch(keys, from)
		if !slices.Equal(got, keys[i:]) {
			return fmt.Errorf("From(%d) = %v, want %v", from, got, keys[i:])
		}
	}
	return nil
}

func TestSortedMapModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := &history[SortedMap[int, string], map[int]string]{}
		cur, model := SortedMap[int, string]{}, map[int]string{}
		if rapid.Bool().Draw(t, "explicit order") {
			cur = NewSortedMap[int, string](cmp.Compare[int])
		}
		t.Repeat(map[string]func(*rapid.T){
			"Set": func(t *rapid.T) {
				k, v := rapid.IntRange(-50, 50).Draw(t, "k"), rapid.StringN(0, 3, 3).Draw(t, "v")
				cur = cur.Set(k, v)
				model = maps.Clone(model)
				model[k] = v
			},
			"SetMany": func(t *rapid.T) {
				n := rapid.IntRange(1, 100).Draw(t, "n")
				step := rapid.IntRange(1, 7).Draw(t, "step")
				model = maps.Clone(model)
				for i := range n {
					cur = cur.Set(i*step, "m")
					model[i*step] = "m"
				}
			},
			"Delete": func(t *rapid.T) {
				k := rapid.IntRange(-50, 50).Draw(t, "k")
				if len(model) > 0 && rapid.Bool().Draw(t, "existing") {
					k = rapid.SampledFrom(slices.Sorted(maps.Keys(model))).Draw(t, "existing key")
				}
				cur = cur.Delete(k)
				model = maps.Clone(model)
				delete(model, k)
			},
			"Filter": func(t *rapid.T) {
				cur = cur.Filter(func(k int, _ string) bool { return k%2 == 0 })
				model = maps.Clone(model)
				maps.DeleteFunc(model, func(k int, _ string) bool { return k%2 != 0 })
			},
			"Branch": func(t *rapid.T) {
				if len(h.colls) > 0 {
					cur, model = h.pick(t)
				}
			},
			"": func(t *rapid.T) {
				if err := sortedMapMatches(cur, model); err != nil {
					t.Fatal(err)
				}
				h.add(t, cur, model)
				h.check(t, func(m SortedMap[int, string], want map[int]string) error {
					if got := maps.Collect(m.All()); !maps.Equal(got, want) {
						return fmt.Errorf("All() = %v, want %v", got, want)
					}
					return nil
				})
				if !EqualSortedMaps(cur, SortedMapFrom(model)) || !EqualSortedMaps(SortedMapFrom(model), cur) {
					t.Fatal("EqualSortedMaps(cur, SortedMapFrom(model)) = false")
				}
			},
		})
	})
}

func TestSortedMapBuilderModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		b := &SortedMapBuilder[int, string]{}
		if rapid.Bool().Draw(t, "explicit order") {
			b = NewSortedMapBuilder[int, string](cmp.Compare[int])
		}
		model := map[int]string{}
		t.Repeat(map[string]func(*rapid.T){
			"Set": func(t *rapid.T) {
				k, v := rapid.IntRange(-500, 500).Draw(t, "k"), rapid.StringN(0, 3, 3).Draw(t, "v")
				b.Set(k, v)
				model[k] = v
			},
			"Delete": func(t *rapid.T) {
				k := rapid.IntRange(-500, 500).Draw(t, "k")
				b.Delete(k)
				delete(model, k)
			},
			"Get": func(t *rapid.T) {
				k := rapid.IntRange(-500, 500).Draw(t, "k")
				got, ok := b.Get(k)
				want, wok := model[k]
				if got != want || ok != wok {
					t.Fatalf("Get(%d) = %q, %v, want %q, %v", k, got, ok, want, wok)
				}
			},
			"": func(t *rapid.T) {
				if b.Len() != len(model) {
					t.Fatalf("Len() = %d, want %d", b.Len(), len(model))
				}
			},
		})
		m := b.Build()
		if err := sortedMapMatches(m, model); err != nil {
			t.Fatal(err)
		}
		checkPanics(t, "immutable.SortedMapBuilder.Set: builder used after Build", func() { b.Set(1, "") })
		checkPanics(t, "immutable.SortedMapBuilder.Build: builder used after Build", func() { b.Build() })
		_ = m.Set(1, "x").Delete(2)
		if err := sortedMapMatches(m, model); err != nil {
			t.Fatalf("after deriving: %v", err)
		}
	})
}

func TestSortedMapOrders(t *testing.T) {
	type name string
	m := SortedMap[name, int]{}.Set("b", 2).Set("a", 1).Set("c", 3)
	if got := slices.Collect(m.Keys()); !slices.Equal(got, []name{"a", "b", "c"}) {
		t.Fatalf("named string keys in order %v", got)
	}
	if m.Compare("a", "b") >= 0 {
		t.Fatal(`Compare("a", "b") >= 0`)
	}
	f := SortedMap[float64, int]{}.Set(2.5, 0).Set(-1, 0).Set(0, 0)
	if got := slices.Collect(f.Keys()); !slices.Equal(got, []float64{-1, 0, 2.5}) {
		t.Fatalf("float keys in order %v", got)
	}
	rev := NewSortedMap[string, int](func(a, b string) int { return -strings.Compare(a, b) }).Set("a", 1).Set("b", 2)
	if got := slices.Collect(rev.Keys()); !slices.Equal(got, []string{"b", "a"}) {
		t.Fatalf("custom order %v", got)
	}
	if got := slices.Collect(rev.Filter(func(string, int) bool { return true }).Keys()); !slices.Equal(got, []string{"b", "a"}) {
		t.Fatalf("Filter lost the custom order: %v", got)
	}
	type pt struct{ X int }
	checkPanics(t, "immutable.SortedMap.Set: key type immutable.pt has no natural order", func() { SortedMap[pt, int]{}.Set(pt{}, 1) })
	byX := NewSortedMap[pt, int](func(a, b pt) int { return cmp.Compare(a.X, b.X) }).Set(pt{2}, 2).Set(pt{1}, 1)
	if k, _, _ := byX.Min(); k.X != 1 {
		t.Fatalf("Min with a custom order = %v", k)
	}
	for _, v := range (SortedMap[int, int]{}).All() {
		t.Fatalf("zero SortedMap yielded %d", v)
	}
	if (SortedMap[int, int]{}).Delete(1).Len() != 0 {
		t.Fatal("zero SortedMap Delete")
	}
	if got := CollectSortedMap(maps.All(map[string]int{"b": 1, "a": 2})); !slices.Equal(slices.Collect(got.Keys()), []string{"a", "b"}) {
		t.Fatalf("CollectSortedMap = %v", slices.Collect(got.Keys()))
	}
}

func TestSortedMapNamedOrderedFast(t *testing.T) {
	type id int
	m := SortedMapFrom(map[id]bool{3: true, 1: true, 2: false})
	if m.cmp == nil {
		t.Fatal("SortedMapFrom of a named key type uses reflection; want cmp.Compare")
	}
	if got := slices.Collect(m.Keys()); !slices.Equal(got, []id{1, 2, 3}) {
		t.Fatalf("keys %v", got)
	}
	if SortedMapFrom(map[int]bool{1: true}).cmp != nil {
		t.Fatal("SortedMapFrom of int does not use the natural order")
	}
}
