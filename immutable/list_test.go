package immutable

import (
	"slices"
	"testing"

	"pgregory.net/rapid"
)

func TestListModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := &history[List[int], []int]{}
		h.add(t, List[int]{}, nil)
		cur, model := List[int]{}, []int(nil)
		t.Repeat(map[string]func(*rapid.T){
			"Append": func(t *rapid.T) {
				v := rapid.Int().Draw(t, "v")
				cur, model = cur.Append(v), append(slices.Clip(model), v)
			},
			"AppendMany": func(t *rapid.T) {
				n := rapid.IntRange(1, 100).Draw(t, "n")
				model = slices.Clip(model)
				for i := range n {
					cur, model = cur.Append(i), append(model, i)
				}
			},
			"Prepend": func(t *rapid.T) {
				v := rapid.Int().Draw(t, "v")
				cur, model = cur.Prepend(v), append([]int{v}, model...)
			},
			"PrependMany": func(t *rapid.T) {
				n := rapid.IntRange(1, 40).Draw(t, "n")
				for i := range n {
					cur, model = cur.Prepend(-i), append([]int{-i}, model...)
				}
			},
			"Set": func(t *rapid.T) {
				if len(model) == 0 {
					t.Skip("empty")
				}
				i := rapid.IntRange(0, len(model)-1).Draw(t, "i")
				v := rapid.Int().Draw(t, "v")
				cur = cur.Set(i, v)
				model = slices.Clone(model)
				model[i] = v
			},
			"Slice": func(t *rapid.T) {
				j := rapid.IntRange(0, len(model)).Draw(t, "j")
				i := rapid.IntRange(0, j).Draw(t, "i")
				cur, model = cur.Slice(i, j), slices.Clone(model[i:j])
			},
			"Filter": func(t *rapid.T) {
				m := rapid.IntRange(1, 3).Draw(t, "mod")
				keep := func(v int) bool { return v%m == 0 }
				cur, model = cur.Filter(keep), slices.DeleteFunc(slices.Clone(model), func(v int) bool { return !keep(v) })
			},
			"Branch": func(t *rapid.T) {
				cur, model = h.pick(t)
			},
			"": func(t *rapid.T) {
				if err := listMatches(cur, model); err != nil {
					t.Fatal(err)
				}
				h.add(t, cur, model)
				h.check(t, sameElements[int])
				if !EqualLists(cur, ListFrom(model)) || !EqualLists(ListFrom(model), cur) {
					t.Fatalf("EqualLists(cur, ListFrom(model)) = false")
				}
				if len(model) > 0 && EqualLists(cur, ListFrom(model[1:])) {
					t.Fatalf("EqualLists on different lengths = true")
				}
			},
		})
	})
}

func TestListBuilderModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var b ListBuilder[int]
		var model []int
		t.Repeat(map[string]func(*rapid.T){
			"Append": func(t *rapid.T) {
				n := rapid.IntRange(1, 300).Draw(t, "n")
				for i := range n {
					b.Append(i)
					model = append(model, i)
				}
			},
			"Prepend": func(t *rapid.T) {
				v := rapid.Int().Draw(t, "v")
				b.Prepend(v)
				model = append([]int{v}, model...)
			},
			"Set": func(t *rapid.T) {
				if len(model) == 0 {
					t.Skip("empty")
				}
				i := rapid.IntRange(0, len(model)-1).Draw(t, "i")
				v := rapid.Int().Draw(t, "v")
				b.Set(i, v)
				model[i] = v
			},
			"At": func(t *rapid.T) {
				if len(model) == 0 {
					t.Skip("empty")
				}
				i := rapid.IntRange(0, len(model)-1).Draw(t, "i")
				if got := b.At(i); got != model[i] {
					t.Fatalf("At(%d) = %d, want %d", i, got, model[i])
				}
			},
			"": func(t *rapid.T) {
				if b.Len() != len(model) {
					t.Fatalf("Len() = %d, want %d", b.Len(), len(model))
				}
			},
		})
		l := b.Build()
		if err := listMatches(l, model); err != nil {
			t.Fatal(err)
		}
		checkPanics(t, "immutable.ListBuilder.Append: builder used after Build", func() { b.Append(1) })
		checkPanics(t, "immutable.ListBuilder.Build: builder used after Build", func() { b.Build() })
		// The built list is persistent: deriving from it leaves it alone.
		_ = l.Append(7).Prepend(8)
		if len(model) > 0 {
			_ = l.Set(0, -1)
		}
		if err := listMatches(l, model); err != nil {
			t.Fatalf("after deriving: %v", err)
		}
	})
}

func TestListZeroValue(t *testing.T) {
	var l List[string]
	if l.Len() != 0 || !l.IsEmpty() || len(l.ToSlice()) != 0 {
		t.Fatalf("zero List not empty: %v", l)
	}
	for range l.All() {
		t.Fatal("zero List yielded")
	}
	for range l.Backward() {
		t.Fatal("zero List yielded backward")
	}
	if got := l.Append("a").Prepend("b").ToSlice(); !slices.Equal(got, []string{"b", "a"}) {
		t.Fatalf("zero List Append/Prepend = %v", got)
	}
	if got := l.Slice(0, 0); got.Len() != 0 {
		t.Fatalf("Slice(0,0) = %v", got)
	}
	checkPanics(t, "immutable.List.At: index 0 out of range [0:0]", func() { l.At(0) })
	// A non-empty list leaves the index check to upstream's Get (see At).
	three := ListOf("a", "b", "c")
	checkPanics(t, "immutable.List.Get: index 3 out of bounds", func() { three.At(3) })
	checkPanics(t, "immutable.List.Get: index -1 out of bounds", func() { three.At(-1) })
	checkPanics(t, "immutable.List.Set: index -1 out of range", func() { l.Set(-1, "") })
	checkPanics(t, "immutable.List.Slice: slice bounds [0:1]", func() { l.Slice(0, 1) })
	var b ListBuilder[int]
	if got := b.Build(); got.Len() != 0 {
		t.Fatalf("empty builder built %v", got)
	}
}

func TestListEarlyStop(t *testing.T) {
	l := ListOf(1, 2, 3, 4)
	var got []int
	for _, v := range l.All() {
		if v == 3 {
			break
		}
		got = append(got, v)
	}
	for v := range l.Values() {
		if v == 2 {
			break
		}
		got = append(got, v)
	}
	for _, v := range l.Backward() {
		if v == 3 {
			break
		}
		got = append(got, v)
	}
	if !slices.Equal(got, []int{1, 2, 1, 4}) {
		t.Fatalf("early stop yielded %v", got)
	}
	if got := MapList(l, func(v int) string { return string(rune('a' + v)) }).ToSlice(); !slices.Equal(got, []string{"b", "c", "d", "e"}) {
		t.Fatalf("MapList = %v", got)
	}
	if got := CollectList(slices.Values([]int{5, 6})).ToSlice(); !slices.Equal(got, []int{5, 6}) {
		t.Fatalf("CollectList = %v", got)
	}
}

// TestListDeepPersistence updates a three-level trie (more than 32×32
// elements) persistently from one base and checks the base and each derived
// version afterwards.
func TestListDeepPersistence(t *testing.T) {
	const n = 40_000
	var b ListBuilder[int]
	for i := range n {
		b.Append(i)
	}
	base := b.Build()
	var derived []List[int]
	for i := 0; i < n; i += 997 {
		derived = append(derived, base.Set(i, -i-1).Append(i).Prepend(i).Slice(1, n+1))
	}
	for i, v := range base.All() {
		if v != i {
			t.Fatalf("base[%d] = %d after derivations", i, v)
		}
	}
	for j, d := range derived {
		i := j * 997
		if d.Len() != n || d.At(i) != -i-1 || d.At(n-1) != n-1 {
			t.Fatalf("derived %d: Len %d, At(%d) = %d", j, d.Len(), i, d.At(i))
		}
	}
}

func TestIterators(t *testing.T) {
	l := ListOf(3, 4, 5)
	var got []int
	for it := l.Iterator(); ; {
		i, v, ok := it.Next()
		if !ok {
			break
		}
		if v != i+3 {
			t.Fatalf("Next() = %d, %d", i, v)
		}
		got = append(got, v)
	}
	if !slices.Equal(got, []int{3, 4, 5}) {
		t.Fatalf("ListIterator yielded %v", got)
	}
	zl := (List[int]{}).Iterator()
	if _, _, ok := zl.Next(); ok {
		t.Fatal("zero List iterator not exhausted")
	}
	m := MapFrom(map[string]int{"a": 1, "b": 2})
	seen := map[string]int{}
	for it := m.Iterator(); ; {
		k, v, ok := it.Next()
		if !ok {
			break
		}
		seen[k] = v
	}
	if len(seen) != 2 || seen["a"] != 1 || seen["b"] != 2 {
		t.Fatalf("MapIterator yielded %v", seen)
	}
	zm := (Map[string, int]{}).Iterator()
	if _, _, ok := zm.Next(); ok {
		t.Fatal("zero Map iterator not exhausted")
	}
}
