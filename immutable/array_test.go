package immutable

import (
	"slices"
	"testing"

	"pgregory.net/rapid"
)

func TestArrayModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := &history[Array[int], []int]{}
		cur, model := Array[int]{}, []int(nil)
		t.Repeat(map[string]func(*rapid.T){
			"Append": func(t *rapid.T) {
				vs := rapid.SliceOfN(rapid.Int(), 0, 40).Draw(t, "vs")
				cur, model = cur.Append(vs...), append(slices.Clip(model), vs...)
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
			"FromOwnOf": func(t *rapid.T) {
				s := rapid.SliceOfN(rapid.Int(), 0, 20).Draw(t, "s")
				switch rapid.IntRange(0, 2).Draw(t, "ctor") {
				case 0:
					cur, model = From(s), slices.Clone(s)
					if len(s) > 0 {
						s[0]++ // From copied: changing s must not matter
					}
				case 1:
					cur, model = Of(s...), slices.Clone(s)
				default:
					cur, model = Own(slices.Clone(s)), s
				}
			},
			"Branch": func(t *rapid.T) {
				if len(h.colls) > 0 {
					cur, model = h.pick(t)
				}
			},
			"": func(t *rapid.T) {
				h.add(t, cur, model)
				h.check(t, arrayMatches[int])
				if !EqualArrays(cur, From(model)) {
					t.Fatal("EqualArrays(cur, From(model)) = false")
				}
			},
		})
	})
}

func TestArrayOwnAppendDoesNotAlias(t *testing.T) {
	s := make([]int, 2, 10)
	a := Own(s)
	b := a.Append(1)
	c := a.Append(2)
	if b.At(2) != 1 || c.At(2) != 2 {
		t.Fatalf("appends to one Array alias each other: %v %v", b, c)
	}
	sl := Of(1, 2, 3, 4).Slice(1, 2)
	d, e := sl.Append(10), sl.Append(20)
	if d.At(1) != 10 || e.At(1) != 20 {
		t.Fatalf("appends to a Slice alias: %v %v", d, e)
	}
}

func TestArrayBuilderModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var b *ArrayBuilder[int]
		if rapid.Bool().Draw(t, "new") {
			b = NewArrayBuilder[int](rapid.IntRange(-1, 10).Draw(t, "cap"))
		} else {
			b = &ArrayBuilder[int]{}
		}
		var model []int
		t.Repeat(map[string]func(*rapid.T){
			"Append": func(t *rapid.T) {
				vs := rapid.SliceOfN(rapid.Int(), 0, 10).Draw(t, "vs")
				b.Append(vs...)
				model = append(model, vs...)
			},
			"Set": func(t *rapid.T) {
				if len(model) == 0 {
					t.Skip("empty")
				}
				i := rapid.IntRange(0, len(model)-1).Draw(t, "i")
				b.Set(i, -i)
				model[i] = -i
				if b.At(i) != -i {
					t.Fatalf("At(%d) = %d after Set", i, b.At(i))
				}
			},
			"": func(t *rapid.T) {
				if b.Len() != len(model) {
					t.Fatalf("Len() = %d, want %d", b.Len(), len(model))
				}
			},
		})
		a := b.Build()
		if err := arrayMatches(a, model); err != nil {
			t.Fatal(err)
		}
		checkPanics(t, "immutable.ArrayBuilder.Append: builder used after Build", func() { b.Append(1) })
		checkPanics(t, "immutable.ArrayBuilder.Set: builder used after Build", func() { b.Set(0, 1) })
		checkPanics(t, "immutable.ArrayBuilder.Build: builder used after Build", func() { b.Build() })
	})
}

func TestArrayZeroAndPanics(t *testing.T) {
	var a Array[string]
	if a.Len() != 0 || !a.IsEmpty() || len(a.ToSlice()) != 0 {
		t.Fatal("zero Array not empty")
	}
	for range a.All() {
		t.Fatal("zero Array yielded")
	}
	if got := a.Append("x").At(0); got != "x" {
		t.Fatalf("zero Array Append = %q", got)
	}
	checkPanics(t, "immutable.Array.At: index 0 out of range [0:0]", func() { a.At(0) })
	checkPanics(t, "immutable.Array.At: index -1 out of range [0:1]", func() { Of("a").At(-1) })
	checkPanics(t, "immutable.Array.Set: index 3 out of range [0:1]", func() { Of("a").Set(3, "") })
	checkPanics(t, "immutable.Array.Slice: slice bounds [2:1] out of range [0:3]", func() { Of(1, 2, 3).Slice(2, 1) })
	if got := MapArray(Of(1, 2), func(v int) int { return v * 10 }).ToSlice(); !slices.Equal(got, []int{10, 20}) {
		t.Fatalf("MapArray = %v", got)
	}
	if got := CollectArray(slices.Values([]int{3, 4})); !EqualArrays(got, Of(3, 4)) {
		t.Fatalf("CollectArray = %v", got)
	}
	if !Of(1, 2).EqualFunc(Of(2, 3), func(a, b int) bool { return a+1 == b }) {
		t.Fatal("EqualFunc = false")
	}
}
